"""Headings and sections: numbered headings (第一章, 一、, （一）, 1., （1）, ①) in a tree.

A heading's level comes from the order numbering styles nest in *this* document: the first
style met is level 1, a new style met under it is level 2, and meeting a style already on
the stack closes everything below it. A numbered line whose first sentence is short is a
heading with its title up to that sentence end (``1.实施质量提升工程。积极推进…`` gives the
title ``实施质量提升工程``); the body may continue on the same line.
"""

from __future__ import annotations

from .. import rules
from ..model import Document, Heading, Section


def find_headings(doc: Document) -> None:
    """Fill ``doc.headings`` and ``doc.sections`` from the paragraphs."""
    styles = rules.load_patterns("structure", "headings")
    config = rules.load("structure")
    title_end = rules.pattern("structure", "heading_title_end")
    title_max = int(config["heading_title_max"])
    stack: list[str] = []
    for para in doc.paragraphs:
        line = doc.text[para.start : para.end]
        for style in styles:
            match = style.pattern.match(line)
            if match:
                break
        else:
            continue
        title_start = para.start + match.end()
        title_stop = _title_end(doc.text, title_start, para.end, title_end, title_max)
        if title_stop is None:
            continue
        if style.id in stack:
            del stack[stack.index(style.id) + 1 :]
        else:
            stack.append(style.id)
        number = match.group(0).strip()
        doc.headings.append(Heading(para.start, title_stop, len(stack), number, title_start, style.id))
    doc.sections[:] = _sections(doc)


def _title_end(text: str, start: int, stop: int, title_end, title_max: int) -> int | None:
    """Where a heading's title ends, or ``None`` when the line is no heading."""
    if start >= stop:
        return None
    end = title_end.search(text, start, stop)
    if end is None:
        return stop if stop - start <= title_max else _first_clause(text, start, stop, title_max)
    if end.start() - start <= title_max:
        return end.start() if end.start() > start else None
    return _first_clause(text, start, stop, title_max)


def _first_clause(text: str, start: int, stop: int, title_max: int) -> int | None:
    comma = text.find("，", start, stop)
    return comma if 0 < comma - start <= title_max else None


def _sections(doc: Document) -> list[Section]:
    """One section per heading, running to the next heading at the same or a higher level."""
    sections = []
    path: list[str] = []
    heads = doc.headings
    for i, head in enumerate(heads):
        del path[head.level - 1 :]
        path.extend([""] * (head.level - 1 - len(path)))
        path.append(doc.text[head.start : head.end])
        end = len(doc.text)
        for later in heads[i + 1 :]:
            if later.level <= head.level:
                end = later.start
                break
        sections.append(Section(head.start, end, head, tuple(p for p in path if p)))
    return sections
