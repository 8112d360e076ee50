"""What the surroundings of an offset say: review or plan chapter, and the year in force.

Shared by the targets and deadlines passes so both read a sentence's setting the same way:
the role of the sections it sits in (a review of results or a plan of tasks) and the time
expressions that scope it — its own, its paragraph's opening one, its section's opening one,
and at last the plan period.
"""

from __future__ import annotations

import regex
from spacy.tokens import Doc, Span

from ..document import HEADINGS, PARAGRAPHS, SECTIONS, TIME, cached, candidate, paragraph_at, spans_at, spans_within, text_of
from ..structure.roles import roles_at
from .timex import TimeExpression


def time_expressions(doc: Doc) -> list[TimeExpression]:
    """The ``time`` candidates as :class:`TimeExpression`, in text order."""
    return cached(doc, TIME, lambda: [candidate(span, TimeExpression) for span in doc.spans[TIME]])


def in_review(doc: Doc, offset: int) -> bool:
    """The offset sits in a section that reports results or the present situation."""
    return "review" in roles_at(doc, offset)


def in_book_title(text: str, offset: int) -> bool:
    """The offset lies inside 《…》 (a cited document's title, not this plan's own time)."""
    return text.rfind("《", 0, offset) > text.rfind("》", 0, offset)


def _between(doc: Doc, start: int, end: int) -> list[TimeExpression]:
    return [t for t in time_expressions(doc)
            if start <= t.start and t.end <= end and not in_book_title(text_of(doc), t.start)]


def _opening(doc: Doc, para: Span) -> TimeExpression | None:
    """A time expression in the paragraph's first clause (after any heading label) scopes it."""
    from .. import rules  # here, not at the top, to keep this change beside its one use
    start = para.start
    for head in spans_at(doc, HEADINGS, para.start):
        if head.start == para.start:
            start = head.end + 1
    comma = rules.pattern("time", "opening_clause_end").search(text_of(doc), start, para.end)
    stop = comma.end() if comma else para.end
    found = _between(doc, start, stop)
    return found[0] if found else None


def scoped_year(doc: Doc, offset: int, sentence_start: int, sentence_end: int,
                forward: bool) -> tuple[int | None, bool]:
    """The year in force at ``offset`` and whether a recurring expression governs it.

    The nearest expression before the offset in its sentence wins; a forward-looking
    statement may also take one later in the sentence, its paragraph's opening one, or its
    sections' opening ones. Returns ``(year, recurring)``.
    """
    before = [t for t in _between(doc, sentence_start, offset) if t.kind != "point" or not forward]
    candidates = before[-1:]
    if not candidates and forward:
        candidates = [t for t in _between(doc, offset, sentence_end) if t.kind in ("by", "during")][:1]
    if not candidates:
        para = paragraph_at(doc, offset)
        opening = _opening(doc, para) if para is not None else None
        if opening is not None and opening.start < offset:
            candidates = [opening]
    if not candidates and forward:
        candidates = _section_openings(doc, offset)
    if not candidates:
        return None, False
    found = candidates[0]
    if found.kind == "recurring":
        return None, True
    return found.end_year, False


def _section_openings(doc: Doc, offset: int) -> list[TimeExpression]:
    """The by-deadline opening the first paragraph of an enclosing section (innermost first)."""
    for section in reversed(spans_at(doc, SECTIONS, offset)):
        for para in spans_within(doc, PARAGRAPHS, section.start, section.end)[:2]:
            opening = _opening(doc, para)
            if opening is not None and opening.kind == "by":
                return [opening]
    return []
