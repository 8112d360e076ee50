"""What the surroundings of an offset say: review or plan chapter, and the year in force.

Shared by the targets and deadlines passes so both read a sentence's setting the same way:
the kind of chapter it sits in (a review of results or a plan of tasks) and the time
expressions that scope it — its own, its paragraph's opening one, its section's opening one,
and at last the plan period.
"""

from __future__ import annotations

import regex

from .. import rules
from ..model import Document, Paragraph
from .timex import TimeExpression, find_time_expressions


def time_expressions(doc: Document) -> list[TimeExpression]:
    """Every time expression in the document, found once and kept on ``doc.metadata``."""
    found = doc.metadata.get("time_expressions")
    if found is None:
        period = (doc.metadata.get("period_start"), doc.metadata.get("period_end"))
        found = find_time_expressions(doc.text, reference_year=doc.metadata.get("year"),
                                      period=period if all(period) else None)
        doc.metadata["time_expressions"] = found
    return found


def titled(doc: Document, offset: int, words: tuple[str, ...]) -> bool:
    """A heading above ``offset`` names one of ``words`` and is not itself a task heading."""
    task = rules.pattern("structure", "task_heading")
    for section in doc.sections:
        if section.start <= offset < section.end:
            title = section.heading.title(doc.text)
            if any(w in title for w in words) and not task.match(title):
                return True
    return False


def in_review(doc: Document, offset: int) -> bool:
    """The offset sits in a section that reports results or the present situation."""
    return titled(doc, offset, rules.lexicon("targets", "achieved_sections"))


def paragraph_at(doc: Document, offset: int) -> Paragraph | None:
    for para in doc.paragraphs:
        if para.start <= offset < para.end:
            return para
    return None


def in_book_title(text: str, offset: int) -> bool:
    """The offset lies inside 《…》 (a cited document's title, not this plan's own time)."""
    return text.rfind("《", 0, offset) > text.rfind("》", 0, offset)


def _between(doc: Document, start: int, end: int) -> list[TimeExpression]:
    return [t for t in time_expressions(doc)
            if start <= t.start and t.end <= end and not in_book_title(doc.text, t.start)]


def _opening(doc: Document, para: Paragraph) -> TimeExpression | None:
    """A time expression in the paragraph's first clause (after any heading label) scopes it."""
    start = para.start
    for head in doc.headings:
        if head.start == para.start:
            start = head.end + 1
    comma = regex.compile(r"[，。；：]").search(doc.text, start, para.end)
    stop = comma.end() if comma else para.end
    found = _between(doc, start, stop)
    return found[0] if found else None


def scoped_year(doc: Document, offset: int, sentence_start: int, sentence_end: int,
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
        opening = _opening(doc, para) if para else None
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


def _section_openings(doc: Document, offset: int) -> list[TimeExpression]:
    """The by-deadline opening the first paragraph of an enclosing section (innermost first)."""
    out = []
    for section in sorted((s for s in doc.sections if s.start <= offset < s.end), key=lambda s: -s.start):
        paras = [p for p in doc.paragraphs if section.start <= p.start < section.end]
        for para in paras[:2]:
            opening = _opening(doc, para)
            if opening is not None and opening.kind == "by":
                out.append(opening)
                break
        if out:
            break
    return out
