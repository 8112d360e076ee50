"""Structure: find tables, headings, sections, sentences and 专栏 boxes in a laid-out document.

:func:`build` runs the steps in order; each step is a small function in its own module and
only adds to the :class:`~extract.model.Document` it is given.
"""

from __future__ import annotations

from ..model import Document
from . import boxes, headings, sentences, tables


def build(doc: Document) -> Document:
    """Add tables, headings, sections, boxes and sentences to ``doc``; returns it."""
    tables.find_tables(doc)
    headings.find_headings(doc)
    boxes.find_boxes(doc)
    sentences.split_sentences(doc)
    return doc
