"""Responsible agencies: 牵头单位/配合单位/责任单位 tags, task-table columns, 由…牵头 phrases
and organisations that are the subject of a task sentence; names split on 、 and ，."""

from __future__ import annotations

from spacy.tokens import Doc

from .. import rules
from ..document import (AGENCIES, BOXES, CELLS, MEASURES, SECTIONS, SENTENCES, TABLES, add_row, in_box, in_table,
                        span_at, span_text, table_grid, text_of)
from ..factories import component
from .context import in_review


def tag_template() -> tuple[tuple[str, str], ...]:
    """``{LABELS}`` in the ``tag`` rule: every role's label, as one alternation."""
    count = len(rules.load("agencies")["roles"])
    return (("{LABELS}", "|".join(rules.pattern("agencies", "roles", n, "label").pattern for n in range(count))),)


def _patterns():
    return (
        rules.pattern("agencies", "tag", template=tag_template()),
        rules.pattern("agencies", "led_by"),
        rules.pattern("agencies", "subject"),
        rules.pattern("agencies", "organisation"),
        rules.pattern("agencies", "name_separator"),
    )


def role_of(label: str) -> str | None:
    """lead, support or responsible for a tag or column label; ``None`` for other labels."""
    for n, entry in enumerate(rules.load("agencies")["roles"]):
        if rules.pattern("agencies", "roles", n, "label").search(label):
            return entry["role"]
    return None


def split_names(text: str, offset: int) -> list[tuple[str, int, int]]:
    """``(name, start, end)`` for each organisation named in ``text`` (at ``offset``)."""
    _tag, _led, _subject, organisation, separator = _patterns()
    out, start = [], 0
    for part in [*separator.finditer(text), None]:
        stop = part.start() if part else len(text)
        name = rules.pattern("agencies", "etc_tail").sub("", text[start:stop])
        stripped = name.strip(" 等")
        if stripped and organisation.search(stripped):
            lead = name.find(stripped)
            out.append((stripped, offset + start + lead, offset + start + lead + len(stripped)))
        start = part.end() if part else stop
    return out


def _rows(names, role: str, rule: str) -> list[dict]:
    return [{"agency": name, "role": role, "start": s, "end": e, "rule": rule} for name, s, e in names]


@component("planx_agencies", reads=(SENTENCES, SECTIONS, BOXES, TABLES, CELLS, MEASURES), writes=(AGENCIES,))
def find_agencies(doc: Doc) -> Doc:
    """Agency rows from tags, led-by phrases, task sentences and task-table columns."""
    tag, led_by, subject, _org, _sep = _patterns()
    text = text_of(doc)
    rows: list[dict] = []
    for match in tag.finditer(text):
        names = split_names(match.group("names"), match.start("names"))
        rows.extend(_rows(names, role_of(match.group("label")), "agencies.tag"))
    rows.extend(_bracket_tags(text))
    for sentence in doc.spans[SENTENCES]:
        body = text[sentence.start : sentence.end]
        led = list(led_by.finditer(body))
        match = subject.match(body)
        # The cues first: few sentences have one, and asking where a sentence stands costs more.
        if (not led and not match) or any(where(doc, sentence.start) for where in (in_table, in_review, in_box)):
            continue
        for found in led:
            role = "lead" if found.group("verb") == "牵头" else "responsible"
            rows.extend(_rows(split_names(found.group("names"), sentence.start + found.start("names")), role,
                              "agencies.led_by"))
        if match:
            rows.extend(_rows(split_names(match.group("names"), sentence.start + match.start("names")),
                              "responsible", "agencies.subject"))
    rows.extend(_table_agencies(doc))
    doc.spans[AGENCIES] = []
    for row in _dedupe(rows):
        if span_at(doc, MEASURES, row["start"]) is not None:  # an agency outside every task leads nothing
            add_row(doc, AGENCIES, row["start"], row["end"], row, row["role"])
    return doc


def _bracket_tags(text: str) -> list[dict]:
    """Agency rows from unlabelled tags after a task: （A、B负责）, （A牵头，B参与）."""
    verbs = rules.load("agencies")["tag_verbs"]
    rows = []
    for tag in rules.pattern("agencies", "bracket_tag").finditer(text):
        segments, at = [], tag.start("body")
        for part in [*rules.pattern("agencies", "tag_separator").finditer(text, at, tag.end("body")), None]:
            stop = part.start() if part else tag.end("body")
            segment = rules.pattern("agencies", "tag_segment").fullmatch(text, at, stop)
            if segment:
                segments.append((split_names(segment.group("names"), segment.start("names")), segment.group("verb")))
            at = part.end() if part else stop
        verb = None
        for i in reversed(range(len(segments))):  # a segment with no verb shares the next one's
            names, own = segments[i]
            verb = own or verb
            segments[i] = (names, verb)
        first = next((names[0] for names, verb in segments if names and verb), None)
        for names, verb in segments:
            role = verbs.get(verb) if verb else None
            for name in names if role else ():
                by_order = "lead" if name == first else "support"
                rows.extend(_rows([name], by_order if role == "by_order" else role, "agencies.bracket_tag"))
    return rows


def _table_agencies(doc: Doc) -> list[dict]:
    """Columns headed 牵头单位/责任单位/配合单位 in task tables."""
    rows = []
    for table in doc.spans[TABLES]:
        header, *body = table_grid(doc, table)
        for col, head in enumerate(header):
            role = role_of(span_text(head))
            if role is None:
                continue
            for cells in body:
                cell = cells[col]
                if not cell._.merged:
                    rows.extend(_rows(split_names(span_text(cell), cell.start), role, "agencies.table"))
    return rows


def _dedupe(rows: list[dict]) -> list[dict]:
    seen, out = set(), []
    for row in rows:
        key = (row["start"], row["end"])
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out
