"""Structure components: tables, headings, sections with their roles, 专栏 boxes, sentences.

Each module registers one or two pipeline components (:mod:`planx.factories`) that read
span groups and write others; rules/pipeline.yaml puts them in order.
"""
