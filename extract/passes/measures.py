"""Measures: the lowest-level tasks of a plan's task chapters, with their policy tool.

A leaf heading in a task chapter is a measure, unless its paragraphs open with lead
sentences (短句 naming a task, ``以产业链、供应链融合推动质量联动发展。``), in which case each
lead sentence is one. Chapters of context (指导思想, 发展成效, 主要目标…) hold no measures.
"""

from __future__ import annotations

from .. import rules
from ..model import Document, Paragraph, Section
from ..passes import register_pass
from .context import titled


def is_task_section(doc: Document, section: Section) -> bool:
    """False when the section or one of its ancestors is a context chapter, or it is a 专栏."""
    words = rules.lexicon("measures", "context_sections")
    return not titled(doc, section.start, words) and not doc.in_box(section.start)


def lead_sentence(doc: Document, para: Paragraph) -> tuple[int, int, str] | None:
    """``(start, end, title)`` of the paragraph's lead sentence, or ``None``."""
    config = rules.load("measures")["lead_sentence"]
    text = doc.text[para.start : para.end]
    prefix = rules.pattern("measures", "lead_sentence", "prefix").match(text)
    offset = prefix.end() if prefix else 0
    stop = text.find("。", offset)
    if stop < 0 or stop == len(text) - 1 and not para.bold_lead:
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


def _leaf_sections(doc: Document) -> list[Section]:
    leaves = []
    for i, section in enumerate(doc.sections):
        following = doc.sections[i + 1] if i + 1 < len(doc.sections) else None
        has_child = following is not None and following.start < section.end and following.heading.level > section.heading.level
        if not has_child:
            leaves.append(section)
    return leaves


@register_pass("measures", "measures")
def find_measures(doc: Document) -> list[dict]:
    """One row per lowest-level task."""
    heading_starts = {h.start for h in doc.headings}
    rows = []
    for section in _leaf_sections(doc):
        if not is_task_section(doc, section):
            continue
        parent_path = " > ".join(section.path[:-1])
        body = [p for p in doc.paragraphs if section.start <= p.start < section.end
                and p.start not in heading_starts and not doc.in_box(p.start)]
        leads = [(p, lead_sentence(doc, p)) for p in body]
        leads = [(p, lead) for p, lead in leads if lead]
        if leads:
            for para, (_start, _end, title) in leads:
                text = doc.text[para.start : para.end]
                rows.append(_row(section.path_text, title, text, para.start, para.end, "lead_sentence"))
        else:
            head = section.heading
            title = doc.text[head.title_start : head.end]
            text = doc.text[head.start : section.end].strip()
            rows.append(_row(parent_path, title, text, head.start, section.end, f"heading_{head.style}"))
    return rows


def _row(section: str, title: str, text: str, start: int, end: int, rule: str) -> dict:
    return {"section": section, "title": title, "text": text, "policy_tool": policy_tool(title, text),
            "start": start, "end": end, "rule": rule}
