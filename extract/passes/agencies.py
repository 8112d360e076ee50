"""Responsible agencies: 牵头单位/配合单位/责任单位 tags, task-table columns, 由…牵头 and
A会同B phrases and organisations that are the subject of a task sentence; names split on 、
and ，."""

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
        if stripped and organisation.search(stripped) and not _not_a_body(stripped):
            lead = name.find(stripped)
            out.append((stripped, offset + start + lead, offset + start + lead + len(stripped)))
        start = part.end() if part else stop
    return out


def _not_a_body(name: str) -> bool:
    """Whether ``name`` only looks like a body's (空间格局) or names none in particular (有关部门)."""
    return bool(rules.pattern("agencies", "not_organisation").search(name)
                or rules.pattern("agencies", "vague").match(name))


def _joint(text: str, start: int, end: int) -> list[tuple[list, str | None]]:
    """``[(names, role)]`` for ``text[start:end]``: A会同B gives A's names the lead and B's
    support; other text gives its names and no role of its own."""
    found = rules.pattern("agencies", "jointly").fullmatch(text[start:end])  # a slice: the rule anchors at ^
    return _joint_names(found, start) if found else [(split_names(text[start:end], start), None)]


def _joint_names(found, offset: int) -> list[tuple[list, str]]:
    """The lead's and the supporters' names of a ``jointly`` match found at ``offset``."""
    return [(split_names(found.group(role), offset + found.start(role)), role) for role in ("lead", "support")]


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
    rows.extend(_bracket_tags(text, bool(rules.pattern("agencies", "lead_rule").search(text))))
    jointly = rules.pattern("agencies", "jointly")
    for sentence in doc.spans[SENTENCES]:
        body = text[sentence.start : sentence.end]
        led = list(led_by.finditer(body))
        match = subject.match(body)
        joint = [] if "会同" not in body else list(jointly.finditer(body))
        # The cues first: few sentences have one, and asking where a sentence stands costs more.
        if not (led or match or joint) or any(where(doc, sentence.start) for where in (in_table, in_review, in_box)):
            continue
        for found in joint:
            for names, role in _joint_names(found, sentence.start):
                rows.extend(_rows(names, role, "agencies.jointly"))
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


def _bracket_tags(text: str, lead_rule: bool) -> list[dict]:
    """Agency rows from unlabelled tags after a task: （A、B负责）, （A牵头，B参与）.

    ``lead_rule``: the document says a tag's first-named body leads (列第一位者为牵头单位).
    """
    verbs = rules.load("agencies")["tag_verbs"]
    rows = []
    for tag in rules.pattern("agencies", "bracket_tag").finditer(text):
        segments, at = [], tag.start("body")
        for part in [*rules.pattern("agencies", "tag_separator").finditer(text, at, tag.end("body")), None]:
            stop = part.start() if part else tag.end("body")
            segment = rules.pattern("agencies", "tag_segment").fullmatch(text, at, stop)
            if segment:
                segments.append((_joint(text, segment.start("names"), segment.end("names")), segment.group("verb")))
            at = part.end() if part else stop
        verb = None
        for i in reversed(range(len(segments))):  # a segment with no verb shares the next one's
            parts, own = segments[i]
            verb = own or verb
            segments[i] = (parts, verb)
        named_support = any(verbs.get(verb) == "support" for _, verb in segments)
        first = next((names[0] for parts, verb in segments if verb for names, _ in parts if names), None)
        for parts, verb in segments:
            role = verbs.get(verb) if verb else None
            for names, joint_role in parts if role else ():
                for name in names:
                    rows.extend(_rows([name], joint_role or _tag_role(role, name == first, named_support, lead_rule),
                                      "agencies.bracket_tag"))
    return rows


def _tag_role(role: str, first: bool, named_support: bool, lead_rule: bool) -> str:
    """A tag body's role: a ``shared`` verb (负责, 指导) leads when the tag names supporters,
    goes by order when the document states its lead rule, and is ``responsible`` otherwise."""
    if role != "shared":
        return role
    if named_support:
        return "lead"
    if lead_rule:
        return "lead" if first else "support"
    return "responsible"


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
