"""Measures: the lowest-level tasks of a plan's task chapters, with their policy tool.

A leaf heading in a task chapter is a measure, unless its paragraphs open with lead
sentences (短句 naming a task, ``以产业链、供应链融合推动质量联动发展。``), in which case each
lead sentence is one. Chapters of context (指导思想, 发展成效, 主要目标…) hold no measures.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from .. import rules
from ..document import (BOXES, HEADINGS, MEASURES, PARAGRAPHS, SECTIONS, SENTENCES, add_row, heading_of, in_box, path_text,
                        spans_within, text_of)
from ..factories import component
from ..structure.roles import roles_at


def is_task_section(doc: Doc, section: Span) -> bool:
    """False when the section or one of its ancestors has a role that holds no tasks
    (rules/measures.yaml ``no_measures_in``) and none has the tasks role, or it is a 专栏."""
    roles = roles_at(doc, section.start)
    context = set(rules.lexicon("measures", "no_measures_in")) & roles
    return not (context and "tasks" not in roles) and not in_box(doc, section.start)


def lead_sentence(doc: Doc, para: Span) -> tuple[int, int, str] | None:
    """``(start, end, title)`` of the paragraph's lead sentence, or ``None``."""
    config = rules.load("measures")["lead_sentence"]
    text = text_of(doc)[para.start : para.end]
    prefix = rules.pattern("measures", "lead_sentence", "prefix").match(text)
    offset = prefix.end() if prefix else 0
    stop = text.find("。", offset)
    if stop < 0 or stop == len(text) - 1 and not para._.bold_lead:
        return None
    title = text[offset:stop]
    forbidden = rules.pattern("measures", "lead_sentence", "forbidden")
    if not (2 <= len(title) <= config["max_chars"]) or forbidden.search(title):
        return None
    return para.start + offset, para.start + stop, title


def policy_tool(title: str, text: str) -> str:
    """supply, environment or demand when one tool's cues clearly dominate, else ``""``."""
    config = rules.load("policy_tools")
    scores = {
        tool: config["title_weight"] * sum(title.count(c) for c in spec["cues"]) + sum(text.count(c) for c in spec["cues"])
        for tool, spec in config["tools"].items()
    }
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    return best if top >= config["min_score"] and top > second else ""


def _leaf_sections(doc: Doc) -> list[Span]:
    """Sections with no section under them."""
    sections = list(doc.spans[SECTIONS])
    return [section for section, following in zip(sections, sections[1:] + [None])
            if following is None or following.start >= section.end]


@component("planx_measures", reads=(SECTIONS, HEADINGS, PARAGRAPHS, SENTENCES, BOXES), writes=(MEASURES,))
def find_measures(doc: Doc) -> Doc:
    """One row per lowest-level task."""
    heading_starts = {h.start for h in doc.spans[HEADINGS]}
    rows = []
    for section in _leaf_sections(doc):
        if not is_task_section(doc, section):
            continue
        parent_path = " > ".join(section._.path[:-1])
        body = [p for p in spans_within(doc, PARAGRAPHS, section.start, section.end)
                if p.start not in heading_starts and not in_box(doc, p.start)]
        leads = [(p, lead_sentence(doc, p)) for p in body]
        leads = [(p, lead) for p, lead in leads if lead]
        items = [] if leads else _enumerated(doc, section)
        if items:
            rows.extend(_row(path_text(section), title, text_of(doc)[start:end], start, end, "enumerated")
                        for start, end, title in items)
        elif leads:
            for para, (_start, _end, title) in leads:
                text = text_of(doc)[para.start : para.end]
                rows.append(_row(path_text(section), title, text, para.start, para.end, "lead_sentence"))
        else:
            head = heading_of(doc, section)
            title = text_of(doc)[head._.title_start : head.end]
            text = text_of(doc)[head.start : section.end].strip()
            rows.append(_row(parent_path, title, text, head.start, section.end, f"heading_{head._.style}"))
    doc.spans[MEASURES] = []
    for row in rows:
        add_row(doc, MEASURES, row["start"], row["end"], row, "measure")
    return doc


def _enumerated(doc: Doc, section: Span) -> list[tuple[int, int, str]]:
    """``(start, end, title)`` of each enumerated item (一是…, 二是…) in ``section``; an item
    runs to the next one or the section's end."""
    text = text_of(doc)
    opening = rules.pattern("measures", "enumerated")
    starts = []
    for sentence in spans_within(doc, SENTENCES, section.start, section.end):
        found = opening.match(text, sentence.start, sentence.end)
        if found:
            end = rules.pattern("measures", "enumerated_title_end").search(text, found.end(), sentence.end)
            starts.append((sentence.start, text[found.end() : end.start() if end else sentence.end].strip()))
    bounds = [start for start, _ in starts[1:]] + [section.end]
    return [(start, end, title) for (start, title), end in zip(starts, bounds) if title]


def _row(section: str, title: str, text: str, start: int, end: int, rule: str) -> dict:
    return {"section": section, "title": title, "text": text, "policy_tool": policy_tool(title, text),
            "start": start, "end": end, "rule": rule}
