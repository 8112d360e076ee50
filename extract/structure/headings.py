"""Headings and sections: numbered headings (第一章, 一、, （一）, 1., （1）, ①) in a tree.

A heading's level comes from the order numbering styles nest in *this* document: the first
style met is level 1, a new style met under it is level 2, and meeting a style already on
the stack closes everything below it. Styles with a ``rank`` (篇 1, 章 2, 节 3, a work report's
year-led 2024年工作安排 1) nest by rank wherever they first appear: one closes every ranked
heading of its rank or below and every unranked one. A numbered line whose first sentence is short is a
heading with its title up to that sentence end (``1.实施质量提升工程。积极推进…`` gives the
title ``实施质量提升工程``); the body may continue on the same line.

Headings are spans of the ``headings`` group (label ``heading``) with ``._.level``,
``._.number`` (the label), ``._.title_start`` and ``._.style``; sections are made from them
by :mod:`planx.structure.roles`.
"""

from __future__ import annotations

from spacy.tokens import Doc

from .. import rules
from ..document import HEADINGS, PARAGRAPHS, add_span, text_of
from ..factories import component


@component("planx_headings", reads=(PARAGRAPHS,), writes=(HEADINGS,))
def find_headings(doc: Doc) -> Doc:
    """The numbered headings among the paragraphs, with their levels."""
    styles = rules.load_patterns("structure", "headings")
    config = rules.load("structure")
    title_end = rules.pattern("structure", "heading_title_end")
    title_max = int(config["heading_title_max"])
    clause_max = int(config["heading_clause_max"])
    ranks = {style.id: style.get("rank") for style in styles if style.get("rank") is not None}
    spaceless = set(rules.lexicon("structure", "spaceless_title_styles"))
    stack: list[str] = []
    doc.spans[HEADINGS] = []
    seen: set[str] = set()
    for para in doc.spans[PARAGRAPHS]:
        line = text_of(doc)[para.start : para.end]
        for style in styles:
            if style.get("after") and style.get("after") not in seen:
                continue  # a style that counts only once another has begun
            match = style.pattern.match(line)
            if match:
                break
        else:
            continue
        title_start = para.start + match.end()
        stop = para.end
        if style.id in spaceless:
            space = text_of(doc).find(" ", title_start, para.end)
            stop = space if space > title_start else stop
        title_stop = _title_end(text_of(doc), title_start, stop, title_end, title_max, clause_max)
        if title_stop is None:
            continue
        if style.id in ranks:
            while stack and (stack[-1] not in ranks or ranks[stack[-1]] >= ranks[style.id]):
                stack.pop()
            stack.append(style.id)
        elif style.id in stack:
            del stack[stack.index(style.id) + 1 :]
        else:
            stack.append(style.id)
        add_span(doc, HEADINGS, para.start, title_stop, "heading", level=len(stack), number=match.group(0).strip(),
                 title_start=title_start, style=style.id)
        seen.add(style.id)
    return doc


def _title_end(text: str, start: int, stop: int, title_end, title_max: int, clause_max: int) -> int | None:
    """Where a heading's title ends, or ``None`` when the line is no heading."""
    if start >= stop:
        return None
    end = title_end.search(text, start, stop)
    if end is None:
        return stop if stop - start <= title_max else _first_clause(text, start, stop, clause_max)
    if end.start() - start <= title_max:
        return end.start() if end.start() > start else None
    return _first_clause(text, start, stop, clause_max)


def _first_clause(text: str, start: int, stop: int, clause_max: int) -> int | None:
    comma = text.find("，", start, stop)
    return comma if 0 < comma - start <= clause_max else None
