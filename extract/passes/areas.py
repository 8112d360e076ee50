"""Responsible areas: places resolved to official names and codes, marked responsible when
the context component found a task for them (…等地应重点…, 以相城区为重点…, 由…负责).

Recognition and resolution live in :mod:`planx.passes.places`, responsibility in
:mod:`planx.passes.context`; this pass makes the rows, and keeps responsibility for places
inside a measure: a place outside every task is only mentioned.
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..document import AREAS, MEASURES, PLACES, SENTENCES, TABLES, add_row, candidate, in_table, span_at
from ..factories import component
from .places import INSIDE_WORD, Place


@component("planx_areas", requires=("span._.responsible",), reads=(PLACES, TABLES, MEASURES, SENTENCES),
           writes=(AREAS,))
def find_areas(doc: Doc) -> Doc:
    """Every place mention outside tables, with ``responsible`` set where the sentence tasks
    it, once per sentence. Responsibility belongs to a task: a place outside every measure is
    only mentioned."""
    doc.spans[AREAS] = []
    tasked: set[tuple[int, str]] = set()  # (sentence, place) already responsible
    for span in doc.spans[PLACES]:
        if span.label_ == INSIDE_WORD or in_table(doc, span.start):
            continue
        p = candidate(span, Place)
        responsible = bool(span._.responsible) and span_at(doc, MEASURES, p.start) is not None
        if responsible:
            # One task, one responsible row: 支持澳门发展旅游业，促进澳门经济适度多元发展
            # tasks 澳门 once; its second mention stays a mention.
            sentence = span_at(doc, SENTENCES, p.start)
            key = (sentence.start if sentence is not None else p.start, p.canonical)
            responsible = key not in tasked
            tasked.add(key)
        add_row(doc, AREAS, p.start, p.end, {
            "area": p.text, "canonical": p.canonical, "level": p.level, "parent": p.parent,
            "admin_code": p.admin_code or "", "rule": p.rule, "responsible": responsible})
    return doc
