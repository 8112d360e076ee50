"""Deadlines: time expressions that bound a commitment, normalised to years.

Every time expression is a candidate; dropped are points in time (a date that only says
when something happened), past periods relative to the plan (“十三五”时期 in a 十四五 plan),
expressions in 专栏 boxes and inside a cited title 《…》, and in review chapters those that
do not look past the year the document reports on (a review's 今年上半年可建成 or 到2025年
still sets a deadline; its 常态化 and 2022年 do not).
"""

from __future__ import annotations

from dataclasses import replace
from itertools import takewhile

from spacy.tokens import Doc

from .. import rules
from ..document import (BOXES, DEADLINES, HEADINGS, SECTIONS, TIME, add_row, heading_of, in_box, sentence_at, spans_at,
                        spans_within, text_of)
from ..factories import component
from .context import in_book_title, in_note, in_review, time_expressions


def is_deadline(doc: Doc, t) -> bool:
    if t.kind == "point" or t.past:
        return False
    period_start = doc._.period_start
    if t.kind != "recurring" and t.end_year and period_start and t.end_year < period_start:
        return False
    if in_book_title(text_of(doc), t.start) or in_box(doc, t.start) or in_note(doc, t.start):
        return False
    if t.rule in ("plan_period", "plan_ordinal") and _names_a_plan(doc, t):
        return False
    return not in_review(doc, t.start) or _looks_ahead(doc, t)


def _names_a_plan(doc: Doc, t) -> bool:
    """In a work report, a five-year plan named as a document (“十四五”规划, 开局“十四五”):
    rules/time.yaml plan_document_after, plan_document_before."""
    if doc._.document_type not in rules.lexicon("time", "plan_document_types"):
        return False
    text = text_of(doc)
    return bool(rules.pattern("time", "plan_document_after").match(text, t.end, t.end + 6)
                or rules.pattern("time", "plan_document_before").search(text, max(0, t.start - 6), t.start))


def _looks_ahead(doc: Doc, t) -> bool:
    """A time expression in a review ends in or after the year the document reports on, or
    (that year unknown) after the year its review section's heading names (2022年工作回顾)."""
    if t.kind == "recurring" or t.end_year is None:
        return False
    if doc._.report_year is not None:
        return t.end_year >= doc._.report_year
    reviewed = _reviewed_years(doc, t.start)
    return bool(reviewed) and t.end_year > max(reviewed)


def _reviewed_years(doc: Doc, offset: int) -> list[int]:
    """The years named in the headings of the review sections around ``offset``."""
    headings = [heading_of(doc, section) for section in spans_at(doc, SECTIONS, offset) if "review" in section._.role]
    return [t._.value["end_year"] for heading in headings for t in spans_within(doc, TIME, heading.start, heading.end)
            if t._.value["end_year"]]


@component("planx_deadlines", requires=("doc._.period_start", "doc._.report_year"), reads=(TIME, SECTIONS, HEADINGS, BOXES), writes=(DEADLINES,))
def find_deadlines(doc: Doc) -> Doc:
    """One row per forward-looking time expression."""
    doc.spans[DEADLINES] = []
    expressions = time_expressions(doc)
    for i, t in enumerate(expressions):
        if not is_deadline(doc, t):
            continue
        if _continues_a_recurrence(doc, expressions, i):
            t = replace(t, kind="recurring", start_year=None, end_year=None, rule=f"{t.rule}.recurring")
        add_row(doc, DEADLINES, t.start, t.end, {"text": t.text, "kind": t.kind, "start_year": t.start_year,
                                                "end_year": t.end_year, "rule": t.rule}, t.kind)
    return doc


def _continues_a_recurrence(doc: Doc, expressions: list, i: int) -> bool:
    """A month with no year (3月底前) after a recurring one in its sentence (每年2月底前各省份
    完成…，3月底前国家卫生健康委完成…) recurs with it."""
    t = expressions[i]
    if t.rule != "month_by":
        return False
    sentence = sentence_at(doc, t.start)
    if sentence is None:
        return False
    # The expressions are in text order: walk back from this one to its sentence's start.
    earlier = takewhile(lambda e: e.start >= sentence.start, reversed(expressions[:i]))
    return any(e.kind == "recurring" for e in earlier)
