"""Deadlines: time expressions that bound a commitment, normalised to years.

Every time expression is a candidate; dropped are points in time (a date that only says
when something happened), past periods relative to the plan (“十三五”时期 in a 十四五 plan),
expressions in review chapters and 专栏 boxes, and those inside a cited title 《…》.
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..document import BOXES, DEADLINES, SECTIONS, TIME, add_row, in_box, text_of
from ..factories import component
from .context import in_book_title, in_review, time_expressions


def is_deadline(doc: Doc, t) -> bool:
    if t.kind == "point" or t.past:
        return False
    period_start = doc._.period_start
    if t.kind != "recurring" and t.end_year and period_start and t.end_year < period_start:
        return False
    return not (in_book_title(text_of(doc), t.start) or in_review(doc, t.start) or in_box(doc, t.start))


@component("planx_deadlines", requires=("doc._.period_start",), reads=(TIME, SECTIONS, BOXES), writes=(DEADLINES,))
def find_deadlines(doc: Doc) -> Doc:
    """One row per forward-looking time expression."""
    doc.spans[DEADLINES] = []
    for t in time_expressions(doc):
        if is_deadline(doc, t):
            add_row(doc, DEADLINES, t.start, t.end, {"text": t.text, "kind": t.kind, "start_year": t.start_year,
                                                    "end_year": t.end_year, "rule": t.rule}, t.kind)
    return doc
