"""专栏 boxes: explainer panels set apart from the body, from their 专栏 line to the next heading."""

from __future__ import annotations

from spacy.tokens import Doc

from .. import rules
from ..document import BOXES, HEADINGS, PARAGRAPHS, add_span, span_text, text_of
from ..factories import component


@component("planx_boxes", reads=(PARAGRAPHS, HEADINGS), writes=(BOXES,))
def find_boxes(doc: Doc) -> Doc:
    """Each 专栏 paragraph opens a box that runs to the next heading."""
    start_pattern = rules.pattern("structure", "box_start")
    heading_starts = sorted(h.start for h in doc.spans[HEADINGS])
    doc.spans[BOXES] = []
    for para in doc.spans[PARAGRAPHS]:
        line = span_text(para)
        match = start_pattern.match(line)
        if not match:
            continue
        end = next((s for s in heading_starts if s > para.start), len(text_of(doc)))
        add_span(doc, BOXES, para.start, end, "box", title=line[match.end() :].strip())
    return doc
