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


#: Where each shape of task sentence takes its length limit and its forbidden marks
#: (rules/measures.yaml): a lead (strict), a lead of two clauses (relaxed: 优化管理体制机制，
#: 强化部门分工协作, only where every paragraph of a section opens so) and a run-in topic.
SHAPES = {
    "strict": (("lead_sentence", "max_chars"), ("lead_sentence", "forbidden")),
    "relaxed": (("lead_sentence", "max_chars_relaxed"), ("lead_sentence", "forbidden_relaxed")),
    "run_in": (("run_in", "max_chars"), ("run_in", "forbidden")),
}


def lead_sentence(doc: Doc, para: Span, start: int | None = None, shape: str = "strict") -> tuple[int, int, str] | None:
    """``(start, end, title)`` of the task sentence of ``shape`` (:data:`SHAPES`) opening
    ``para``, or its text from ``start`` (after a run-in heading, or a sentence inside it),
    or ``None``."""
    (block, limit_key), forbidden_path = SHAPES[shape]
    limit = rules.load("measures")[block][limit_key]
    begin = para.start if start is None else start
    text = text_of(doc)[begin : para.end]
    prefix = rules.pattern("measures", "lead_sentence", "prefix").match(text)
    offset = prefix.end() if prefix else 0
    stop = text.find("。", offset)
    if stop < 0 or stop == len(text) - 1 and not (para._.bold_lead and start is None):
        return None
    title = text[offset:stop]
    forbidden = rules.pattern("measures", *forbidden_path)
    if not (2 <= len(title) <= limit) or forbidden.search(title) or title.count("，") > 1:
        return None
    return begin + offset, begin + stop, title


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
    heading_ends = {h.start: h.end for h in doc.spans[HEADINGS]}
    rows = []
    for section in _leaf_sections(doc):
        if not is_task_section(doc, section):
            continue
        parent_path = " > ".join(section._.path[:-1])
        paragraphs = [p for p in spans_within(doc, PARAGRAPHS, section.start, section.end) if not in_box(doc, p.start)]
        leads = _leads(doc, paragraphs, heading_ends)
        items = _enumerated(doc, section)
        if leads and items and items[0][0] > leads[0][1][0]:  # leads whose paragraphs enumerate points
            items = []
        run_ins = [] if items else _run_ins(doc, section, paragraphs, heading_ends, leads)
        head = heading_of(doc, section)
        if items:
            rows.extend(_row(path_text(section), title, text_of(doc)[start:end], start, end, "enumerated")
                        for start, end, title in items)
        elif run_ins:
            rows.extend(_row(path_text(section), title, text_of(doc)[start:end], start, end, rule)
                        for start, end, title, rule in run_ins)
        elif leads:
            for para, (start, _end, title) in leads:
                text = text_of(doc)[start : para.end]
                rows.append(_row(path_text(section), title, text, start, para.end, "lead_sentence"))
        elif head._.style not in rules.lexicon("measures", "no_measure_styles"):
            title = text_of(doc)[head._.title_start : _sentence_end(doc, head)]
            text = text_of(doc)[head.start : section.end].strip()
            rows.append(_row(parent_path, title, text, head.start, section.end, f"heading_{head._.style}"))
    doc.spans[MEASURES] = []
    for row in rows:
        add_row(doc, MEASURES, row["start"], row["end"], row, "measure")
    return doc


def _sentence_end(doc: Doc, head: Span) -> int:
    """Where a heading's measure title ends: a long numbered item's heading stops at its first
    comma (a section's name), but its title runs to the end of its first sentence."""
    text = text_of(doc)
    if not text.startswith("，", head.end):
        return head.end
    line_end = text.find("\n", head.end)
    stop = line_end if line_end >= 0 else len(text)
    end = rules.pattern("structure", "heading_title_end").search(text, head.end, stop)
    return end.start() if end else head.end


def _leads(doc: Doc, paragraphs: list[Span], heading_ends: dict[int, int]) -> list[tuple[Span, tuple[int, int, str]]]:
    """``(paragraph, lead)`` for each of a section's ``paragraphs`` that opens with a lead
    sentence.

    A heading's paragraph counts from the heading's end (（五）提升风险防控能力。筑牢危险废物源头
    防线。… runs its first lead in) when another paragraph leads too. Relaxed leads (one comma)
    are taken when every paragraph of a section of two or more opens with one, since one such
    opening alone is as likely a sentence.
    """
    body = []
    for para in paragraphs:
        start = heading_ends.get(para.start)
        if start is not None:
            rest = text_of(doc)[start : para.end]
            start += len(rest) - len(rest.lstrip("。 "))
            if start >= para.end:
                continue
        body.append((para, start))
    relaxed = [(p, lead_sentence(doc, p, start, "relaxed")) for p, start in body]
    if len(relaxed) >= 2 and all(lead for _, lead in relaxed):
        return relaxed
    leads = [(p, lead_sentence(doc, p, start)) for p, start in body]
    leads = [(p, lead) for p, lead in leads if lead]
    # A heading's own paragraph leads only beside others: alone, its heading is the measure.
    return leads if any(p.start not in heading_ends for p, _ in leads) else []


def _run_ins(doc: Doc, section: Span, paragraphs: list[Span], heading_ends: dict[int, int],
             leads: list[tuple[Span, tuple[int, int, str]]]) -> list[tuple[int, int, str, str]]:
    """``(start, end, title, rule)`` of the run-in topic sentences of ``section`` with its leads,
    or ``[]`` when it has fewer than ``run_in.min_count`` run-ins or no more than paragraphs.

    A run-in topic is a short task sentence inside a paragraph with the text it names after it
    (…全力构建新格局。强化对接承接。加快建设…。织密交通路网。实施…), as gold/README.md's
    run-in convention has it; a news reprint sets a whole report item in one such paragraph.
    Each measure runs to the next one or the section's end.
    """
    head_end = heading_ends.get(section.start, section.start)
    found = {}
    for para in paragraphs:
        sentences = spans_within(doc, SENTENCES, para.start, para.end)
        topics = [lead_sentence(doc, para, sentence.start, "run_in") if sentence.start > head_end else None
                  for sentence in sentences]
        # Not a paragraph's first sentence (that is a lead) nor its last: the text it names,
        # no topic itself, follows it.
        for topic, following in zip(topics[1:-1], topics[2:]):
            if topic and not following:
                found[topic[0]] = (topic[0], topic[2], "run_in")
    # More run-ins than paragraphs: they structure the section. Fewer, and they are short
    # sentences of paragraphs that have their own leads.
    if len(found) < rules.load("measures")["run_in"]["min_count"] or len(found) <= len(paragraphs):
        return []
    for _para, (start, _end, title) in leads:
        found.setdefault(start, (start, title, "lead_sentence"))
    starts = sorted(found)
    return [(*found[a][:1], b, *found[a][1:]) for a, b in zip(starts, starts[1:] + [section.end])]


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
