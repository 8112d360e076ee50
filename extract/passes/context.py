"""The context component: what the surroundings of a candidate decide about it.

After the ConText algorithm (medspaCy): modifiers from rules/context.yaml, each with a
category, a direction and a scope, decide whether a quantity is a result (achieved) or a
target; where none does, the role of its sections does (a review reports results). The
year in force comes from the time expressions that scope the quantity — its sentence's,
its paragraph's opening one, its section's opening one, and at last the plan period. A
place is responsible when the words around it give it a task (rules/areas.yaml). Each
decision is kept on the candidate with the rule that made it (``span._.kind_rule``…), so
the table passes only read decisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span

from .. import rules
from ..document import (BOXES, HEADINGS, PARAGRAPHS, PLACES, QUANTITIES, SECTIONS, SENTENCES, TABLES, TIME, cached,
                        candidate, heading_of, in_box, in_table, paragraph_at, sentence_at, spans_at, spans_within, text_of)
from ..errors import RuleFileError
from ..factories import component
from ..rules import Pattern
from ..structure.roles import roles_at
from .places import BLEND, INSIDE_WORD, ancestors
from .words import opens_with_noun
from .timex import TimeExpression


def time_expressions(doc: Doc) -> list[TimeExpression]:
    """The ``time`` candidates as :class:`TimeExpression`, in text order."""
    return cached(doc, TIME, lambda: [candidate(span, TimeExpression) for span in doc.spans[TIME]])


def in_review(doc: Doc, offset: int) -> bool:
    """The offset sits in a section that reports results or the present situation."""
    return "review" in roles_at(doc, offset)


def in_note(doc: Doc, offset: int) -> bool:
    """The offset sits in a sentence that defines or annotates (rules/context.yaml
    note_sentence: 计算方法：, 是指, 注：): not plan text, so no target and no deadline."""
    sentence = sentence_at(doc, offset)
    return sentence is not None and bool(rules.pattern("context", "note_sentence").search(
        text_of(doc), sentence.start, sentence.end))


def in_book_title(text: str, offset: int) -> bool:
    """The offset lies inside 《…》 (a cited document's title, not this plan's own time)."""
    return text.rfind("《", 0, offset) > text.rfind("》", 0, offset)


def _between(doc: Doc, start: int, end: int) -> list[TimeExpression]:
    return [t for t in time_expressions(doc)
            if start <= t.start and t.end <= end and not in_book_title(text_of(doc), t.start)]


def _opening(doc: Doc, para: Span) -> TimeExpression | None:
    """A time expression in the paragraph's first clause (after any heading label) scopes it."""
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
    # A target is never due in the past: 确保2000年前建成的小区全部改造 dates the buildings.
    before = [t for t in _between(doc, sentence_start, offset) if not forward or (t.kind != "point" and not t.past)]
    candidates = before[-1:]
    if not candidates and forward:
        candidates = [t for t in _between(doc, offset, sentence_end) if t.kind in ("by", "during") and not t.past][:1]
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


def _list_span(text: str, places: list[Span], i: int) -> tuple[int, int]:
    """``(start, end)`` of place ``i`` and the places coordinated with it (、/和/及, or none:
    粤东粤西粤北)."""
    separator = rules.pattern("areas", "separator")

    def joined(left: Span, right: Span) -> bool:
        if (left.start, left.end) == (right.start, right.end):
            return True  # two parts of one blend (京津冀)
        gap = text[left.end : right.start]
        return left.end <= right.start and len(gap) <= 1 and (not gap or bool(separator.match(gap)))

    first = last = i
    while first > 0 and joined(places[first - 1], places[first]):
        first -= 1
    while last + 1 < len(places) and joined(places[last], places[last + 1]):
        last += 1
    return places[first].start, places[last].end


def responsibility(doc: Doc, places: list[Span], i: int) -> str:
    """The rule by which place ``i`` is given a task by its sentence, or ``""``: never in a
    review section or a 专栏 box, where places are reported, not tasked."""
    place = places[i]
    rule = _cue_rule(doc, places, i)
    # The cues first: most places have none, and asking where a place stands costs more.
    if not rule or in_review(doc, place.start) or in_box(doc, place.start) or _is_own_region(doc, places, i):
        return ""
    return "" if _locates_next(places, i) else rule


def _locates_next(places: list[Span], i: int) -> bool:
    """The place only says where the next one is (上海 in 上海浦东新区, 河源 in 河源龙川新城):
    that one, written right after it, lies inside it."""
    place, following = places[i], places[i + 1] if i + 1 < len(places) else None
    if following is None or following.start != place.end or not (place.kb_id_ and following.kb_id_):
        return False
    return place.kb_id_ != following.kb_id_ and place.kb_id_ in ancestors(following.kb_id_)


def _is_own_region(doc: Doc, places: list[Span], i: int) -> bool:
    """The place is the document's own region or encloses it (苏州 in a Suzhou plan, 河北 in
    a Hebei report), or is part of a blend that names it (京津冀 in a Baoding report): a
    government tasking itself, or a grouping it belongs to, names no responsible area."""
    own = doc._.region_code
    place = places[i]
    same = [p for p in places if (p.start, p.end) == (place.start, place.end)] \
        if place._.value.get("rule") == BLEND else [place]
    return bool(own) and any(p.kb_id_ and p.kb_id_ in ancestors(own) for p in same)


def _names_a_grouping(doc: Doc, place: Span) -> bool:
    """A national region, a blend or a place outside the plan's province, named in a regional
    plan (长三角 in a Suzhou plan, 京津冀 or 北京 in a Baoding report): written before a noun,
    such a name is the noun's attribute (长三角质量提升示范点, 京津冀物流基地, 北京养老需求), a
    grouping the plan's region belongs to or a partner it works with, not a site it tasks. In
    a national plan the same regions are parts of the country (扩展西部地区路网), and a place
    inside the plan's province (粤北 in a Guangdong report) is a part of it."""
    own = doc._.region_code
    national = place._.value.get("rule") == BLEND or (
        place.label_ == "zone" and not place.kb_id_ and not place._.value.get("parent"))
    outside = bool(own and place.kb_id_) and place.kb_id_[:2] != str(own)[:2]
    return bool(own) and (national or outside)


def _cue_rule(doc: Doc, places: list[Span], i: int) -> str:
    """The rule whose cue around place ``i`` gives it a task, or ``""``."""
    place = places[i]
    text = text_of(doc)
    start, end = _list_span(text, places, i)
    suffix = rules.pattern("areas", "place_suffix").match(text, end)  # 承德地区为重点: 地区 is the place's
    end = suffix.end() if suffix else end
    after = text[end : place.end + 60]
    if rules.pattern("areas", "after_cues").match(after):
        return "areas.after_cues"
    before = text[max(0, start - 20) : start]
    directive = rules.pattern("areas", "directive_before")
    verb_ends = [start]
    if place.label_ == "zone" and not place.kb_id_:
        # 建设长江黄金水道和长江三角洲、珠江三角洲高等级航道网: a region after another object of
        # the same verb. Only regions: a division after 和 is as often a partner's name.
        shared = rules.pattern("areas", "object_before")
        verb_ends += [at for at in range(max(0, start - 12), start - 2) if shared.fullmatch(text, at, start)]
    if (any(directive.search(text, max(0, at - 4), at) for at in verb_ends)
            and not ((place.kb_id_ or doc._.region_code) and rules.pattern("areas", "named_thing_after").match(after))
            and not (_names_a_grouping(doc, place) and opens_with_noun(after))):
        return "areas.directive_before"
    sentence = sentence_at(doc, place.start)
    if sentence is not None and rules.pattern("areas", "listed_after").search(text, sentence.start, start):
        return "areas.listed_after"
    for n in range(len(rules.load("areas")["around_cues"])):
        if (rules.pattern("areas", "around_cues", n, "before").search(before)
                and rules.pattern("areas", "around_cues", n, "after").match(text[end : end + 8])):
            return f"areas.around_cues.{n}"
    return ""


# The context component -----------------------------------------------------------------------

@dataclass(frozen=True)
class Modifier:
    """A cue and what it decides for the candidates within its reach (rules/context.yaml)."""

    id: str
    category: str
    direction: str
    scope: str
    pattern: Pattern
    terminators: Pattern | None


_DIRECTIONS, _SCOPES = ("forward", "backward", "both"), ("clause", "sentence")


def modifiers() -> tuple[Modifier, ...]:
    """The modifiers of rules/context.yaml, compiled once per rule set.

    Raises:
        RuleFileError: a modifier's direction or scope is not one planx knows.
    """
    return _modifiers(rules.rules_hash())


@lru_cache(maxsize=8)
def _modifiers(rules_digest: str) -> tuple[Modifier, ...]:
    out = []
    for n, rule in enumerate(rules.load_patterns("context", "modifiers")):
        direction, scope = rule.get("direction", "both"), rule.get("scope", "sentence")
        if direction not in _DIRECTIONS or scope not in _SCOPES:
            raise RuleFileError(f"[rules/context.yaml -> modifiers -> {n}] direction must be one of "
                                f"{', '.join(_DIRECTIONS)} and scope one of {', '.join(_SCOPES)}")
        stop = rule.get("terminators")
        out.append(Modifier(rule.id, rule.get("category"), direction, scope, rule.pattern,
                            rules.compile_pattern(stop, f"context.yaml -> modifiers -> {n} -> terminators") if stop else None))
    return tuple(out)


def _scope(text: str, sentence: Span, start: int, scope: str) -> tuple[int, int]:
    """The characters a modifier of ``scope`` reaches for a candidate at ``start``."""
    if scope == "sentence":
        return sentence.start, sentence.end
    clause_end = rules.pattern("context", "clause_end")
    before = [m.end() for m in clause_end.finditer(text, sentence.start, start)]
    after = clause_end.search(text, start, sentence.end)
    return (before[-1] if before else sentence.start), (after.start() if after else sentence.end)


def _reaches(modifier: Modifier, text: str, cue_start: int, cue_end: int, start: int, end: int) -> bool:
    """The cue at ``[cue_start, cue_end)`` reaches a candidate at ``[start, end)``."""
    if modifier.direction == "forward" and cue_end > start or modifier.direction == "backward" and cue_start < end:
        return False
    if modifier.terminators is None:
        return True
    lo, hi = (cue_end, start) if cue_end <= start else (end, cue_start)
    return lo >= hi or modifier.terminators.search(text, lo, hi) is None


def kind_at(doc: Doc, sentence: Span, start: int, end: int) -> tuple[str, str]:
    """``(kind, rule)`` of a quantity at ``[start, end)``: the first instrument modifier that
    reaches it (a subsidy or cap: no target), else the first achieved one, else the first
    target one, else its sections' role, else the default."""
    text = text_of(doc)
    decided: dict[str, str] = {}
    for modifier in modifiers():
        lo, hi = _scope(text, sentence, start, modifier.scope)
        for cue in modifier.pattern.finditer(text, lo, hi):
            if _reaches(modifier, text, cue.start(), cue.end(), start, end):
                decided.setdefault(modifier.category, f"context.{modifier.id}")
                break
    for category in ("instrument", "achieved", "target"):
        if category in decided:
            return category, decided[category]
    config = rules.load("context")
    roles = roles_at(doc, start)
    for role, kind in (config.get("section_kinds") or {}).items():
        if role in roles:
            return kind, f"section.{role}"
    return config["default_kind"], "context.default"


def heading_year(doc: Doc, offset: int) -> int | None:
    """The year the innermost section around ``offset`` names in its heading when it names
    one (二、2024年工作安排, 2023年工作回顾), else ``None``."""
    for section in reversed(spans_at(doc, SECTIONS, offset)):
        head = heading_of(doc, section)
        years = {t._.value["end_year"] for t in spans_within(doc, TIME, head.start, head.end)
                 if t._.value["end_year"] and t._.value["start_year"] in (None, t._.value["end_year"])}
        if len(years) == 1:
            return years.pop()
    return None


def clock_year(doc: Doc, kind: str, recurring: bool = False) -> tuple[int | None, str]:
    """The year the document's clock gives a quantity of ``kind`` (context.yaml
    document_years), with the rule, or ``(None, "")``; for a value under a recurring
    expression only where the spec says ``recurring``."""
    years = rules.load("context").get("document_years") or {}
    for doc_type in (doc._.document_type, "any"):
        spec = (years.get(doc_type) or {}).get(kind)
        if spec:
            if recurring and not spec.get("recurring"):
                return None, ""
            base = getattr(doc._, spec["fact"])
            return (None, "") if base is None else (base + spec["offset"], f"context.clock.{doc_type}.{kind}")
    return None, ""


def year_of(doc: Doc, span: Span, sentence: Span, kind: str) -> tuple[int | None, str]:
    """The year a quantity is for, and the rule that decided it: the time expressions that
    scope it, else its section's heading year, else the document's clock. A recurring
    expression (每年) gives no year, unless the clock dates such values too."""
    year, recurring = scoped_year(doc, span.start, sentence.start, sentence.end, forward=kind == "target")
    if year is not None:
        return year, "context.time_in_force"
    if recurring:
        return clock_year(doc, kind, recurring=True)
    year = heading_year(doc, span.start)
    if year is not None:
        return year, "context.heading_year"
    return clock_year(doc, kind)


@component("planx_context", requires=("doc._.period_end", "doc._.report_year", "doc._.document_type"),
           assigns=("span._.kind", "span._.kind_rule", "span._.year", "span._.year_rule", "span._.responsible",
                    "span._.responsible_rule"),
           reads=(QUANTITIES, PLACES, SENTENCES, SECTIONS, PARAGRAPHS, HEADINGS, TIME, BOXES, TABLES))
def attach_context(doc: Doc) -> Doc:
    """Decide each candidate's context: a quantity's kind and year, a place's responsibility,
    each with the rule that decided it."""
    for span in doc.spans[QUANTITIES]:
        sentence = sentence_at(doc, span.start)
        kind, kind_rule = kind_at(doc, sentence, span.start, span.end)
        year, year_rule = year_of(doc, span, sentence, kind)
        span._.kind, span._.kind_rule, span._.year, span._.year_rule = kind, kind_rule, year, year_rule
    places = [span for span in doc.spans[PLACES] if span.label_ != INSIDE_WORD and not in_table(doc, span.start)]
    for i, span in enumerate(places):
        span._.responsible_rule = responsibility(doc, places, i)
        span._.responsible = bool(span._.responsible_rule)
    return doc
