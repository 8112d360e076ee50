"""Places: division and zone names found in running text, resolved to official names and codes.

The gazetteer is ``rules/gazetteer/divisions.csv`` (generated from the statistical division
lists, see :mod:`planx.gazetteer`) merged with the hand-kept ``additions.csv`` (historical
names, zones, aliases). Every way of writing a place (a *name*: 苏州市, 苏州, 高新区) maps to
one or more candidate places; :func:`find_places` scans the text once, left to right, taking
the longest name at each character, and keeps a match only when

* no rule in ``stop_contexts.yaml`` says it is part of another word (沿海城市 is not 海城市),
* its scope (``matching.yaml``) allows it here: county stems such as 吴江 count only in plans
  of their own province, 高新区 only in a plan of the city whose 高新区 it is, 郊区 only in
  its own city,
* names that are easily the middle of other words have a word boundary where they need one
  (吴江、 but not 更高要求 for 高要; 、沛县 but not 示范县 for 范县),
* one candidate is clearly best: inside the place written just before it (北京市朝阳区; after
  a 、 the previous place's parent: 河北省三河、香河), then inside the document's region, then
  in the same province, then the higher level (吉林 is the province). A full name still tied
  (朝阳区 in a national plan) is kept with no code; a tied short form is dropped, since it is
  as likely a common word as a place, and
* no better name starts inside it and runs past it (美丽江苏 is 江苏, not 丽江).

When a match is dropped the scanner tries shorter names starting at the same character
(海南区域: not 海南区, but 海南).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex
from spacy.tokens import Doc

from .. import rules
from ..document import PLACES, add_candidate, text_of
from ..factories import component
from . import words
from .words import WordBoundaries

#: The rule of a township (乡, 镇, 街道), which the division lists do not hold.
TOWNSHIP = "township"

#: The rule of a zone named by its place and a zone class (珠海西部生态新区).
LOCAL_ZONE = "local_zone"

#: The rule of a place named by a blended abbreviation (京津冀 → 北京市, 天津市, 河北省).
BLEND = "blend"

_LEVEL_RANK = {"province": 3, "city": 2, "county-city": 1, "county": 1, "district": 1, "zone": 0}


@dataclass(frozen=True)
class Place:
    """A place named in the text, resolved.

    ``text[start:end] == text`` (half-open offsets into the document text); ``canonical`` is
    the official full name, ``admin_code`` the six-digit GB/T 2260 or statistical code
    (``None`` for zones without one and for names that stay ambiguous), ``rule`` the kind of
    name that matched: ``gazetteer_full``, ``short_form``, ``zone_alias`` or ``historical``.
    """

    start: int
    end: int
    text: str
    canonical: str
    level: str
    parent: str
    admin_code: str | None
    rule: str


@dataclass(frozen=True)
class _Entry:
    """A place a name can resolve to; ``anchor`` is its code, or its parent's for a zone
    without one, and ``ancestors`` the codes of the anchor, its city and its province."""

    canonical: str
    level: str
    parent: str
    parent_code: str
    admin_code: str
    anchor: str
    ancestors: frozenset[str]


@dataclass(frozen=True)
class _Name:
    """One way of writing an entry: the rule reported for it and where it may count."""

    entry: _Entry
    rule: str
    scope: str
    kind: str  # full, short or local: what stop contexts select on
    needs: frozenset[str] = frozenset()  # boundaries it needs: before, after


@dataclass(frozen=True)
class _Stop:
    """A compiled rule of ``stop_contexts.yaml``."""

    before: regex.Pattern | None
    after: regex.Pattern | None

    def blocks(self, text: str, start: int, end: int, after_place: bool) -> bool:
        """Whether the rule drops the name at ``text[start:end]``. A rule on the text before
        never fires right after another place: those characters are that place's (阳泉市城区)."""
        if self.before is not None and (after_place or not self.before.search(text[max(0, start - 4) : start])):
            return False
        return self.after is None or bool(self.after.match(text[end : end + 4]))


@dataclass(frozen=True)
class _Gazetteer:
    names: dict[str, tuple[_Name, ...]]
    by_bigram: dict[str, tuple[str, ...]]  # first two characters → names, longest first
    stops: dict[str, tuple[_Stop, ...]]
    before: regex.Pattern  # allowed text before a name that needs a boundary there
    after: regex.Pattern
    task_verb: regex.Pattern  # a verb before a name that stands for a boundary after it


def ancestors(code: str) -> frozenset[str]:
    """``code`` and the codes of its city and province (320505 → 320505, 320500, 320000)."""
    return frozenset((code, code[:4] + "00", code[:2] + "0000"))


def _split(cell: str | None) -> list[str]:
    return [form for form in (cell or "").split("|") if form]


def _gazetteer_names(matching: dict) -> dict[str, list[_Name]]:
    """Every name in divisions.csv and additions.csv with its candidates, in file order."""
    weak = set(rules.lexicon("gazetteer/matching", "weak_names"))
    needs = {key: frozenset([value] if isinstance(value, str) else value)
             for key, value in matching["need_boundary"].items()}
    names: dict[str, list[_Name]] = {}
    rows = [dict(row, canonical=row["name"]) for row in rules.load("gazetteer/divisions.csv")]
    rows += rules.load("gazetteer/additions.csv")
    for row in rows:
        code, parent_code, level = row["admin_code"], row["parent_code"], row["level"]
        anchor = code or parent_code
        entry = _Entry(row["canonical"], level, row["parent"], parent_code, code, anchor, ancestors(anchor))
        historical, zone = row["status"] == "historical", level == "zone"
        if historical:
            full_rule = "historical"
        elif row["name"] == row["canonical"]:
            full_rule = "gazetteer_full"
        else:
            full_rule = "zone_alias" if zone else "short_form"
        two_char = len(row["name"]) == 2
        if row["name"] in weak:
            full_scope = "city"
        else:
            full_scope = matching["two_char_scope"] if two_char else "anywhere"
        full = _Name(entry, full_rule, full_scope, "full", needs["two_char"] if two_char else frozenset())
        short = _Name(entry, "historical" if historical else "zone_alias" if zone else "short_form",
                      matching["short_form_scope"][level], "short",
                      needs["county_short"] if level not in ("province", "city", "zone") else frozenset())
        local = _Name(entry, "zone_alias", "parent", "local", needs["local"])
        candidates = [(row["name"], full)] + [(f, short) for f in _split(row["short"])]
        candidates += [(f, local) for f in _split(row["local"])]
        for form, name in candidates:
            known = names.setdefault(form, [])
            # The same place listed twice (a division whose additions row only adds a local
            # alias) keeps its first, most official, reading.
            if all(n.entry.canonical != entry.canonical or n.entry.admin_code != code for n in known):
                known.append(name)
    for row in rules.load("gazetteer/blends.csv"):
        # A blend (京津冀) names several places at once: find_places gives one per part.
        entry = _Entry(row["name"], "zone", "", "", "", "", frozenset())
        names.setdefault(row["name"], []).append(_Name(entry, BLEND, "anywhere", "full"))
    return names


def _stops(names: dict[str, list[_Name]]) -> dict[str, tuple[_Stop, ...]]:
    """The stop contexts that apply to each name, selected once by the name and its kinds."""
    compiled = []
    for i, rule in enumerate(rules.load("gazetteer/stop_contexts")["contexts"]):
        where = f"gazetteer/stop_contexts.yaml -> contexts -> {i}"
        stop = _Stop(
            rules.compile_pattern(rule["before"], where) if rule.get("before") else None,
            rules.compile_pattern(rule["after"], where) if rule.get("after") else None,
        )
        compiled.append((rules.compile_pattern(rule["names"], where), frozenset(rule.get("kinds") or ()), stop))
    out = {}
    for form, candidates in names.items():
        kinds = {n.kind for n in candidates}
        applicable = tuple(stop for pattern, only, stop in compiled
                           if pattern.search(form) and (not only or only & kinds))
        if applicable:
            out[form] = applicable
    return out


@lru_cache(maxsize=4)
def _load(directory: str) -> _Gazetteer:
    matching = rules.load("gazetteer/matching")
    names = _gazetteer_names(matching)
    by_bigram: dict[str, list[str]] = {}
    for form in names:
        if len(form) >= 2:  # one character is never a place name on its own
            by_bigram.setdefault(form[:2], []).append(form)
    return _Gazetteer(
        names={form: tuple(c) for form, c in names.items()},
        by_bigram={key: tuple(sorted(forms, key=len, reverse=True)) for key, forms in by_bigram.items()},
        stops=_stops(names),
        before=rules.pattern("gazetteer/matching", "boundary_before"),
        after=rules.pattern("gazetteer/matching", "boundary_after"),
        task_verb=rules.pattern("gazetteer/matching", "task_verb_before"),
    )


def _gazetteer() -> _Gazetteer:
    """The gazetteer of the rules directory in use, built once per directory."""
    return _load(str(rules.rules_dir()))


def _in_scope(name: _Name, regions: tuple[str, ...], strict: bool) -> bool:
    """Whether ``name`` may count given the context regions (preceding place, document).

    Not ``strict``, only local aliases are checked: 高新区 names no place without a region.
    """
    entry = name.entry
    if name.scope == "anywhere" or (not strict and name.scope != "parent"):
        return True
    if name.scope == "province":
        return any(r[:2] == entry.anchor[:2] for r in regions)
    if name.scope == "city":
        return any(r[:4] == entry.anchor[:4] for r in regions)
    # parent: the region is the place's parent, the place itself or inside it.
    return any(r == entry.parent_code or (entry.admin_code and entry.admin_code in ancestors(r)) for r in regions)


def _pick(candidates: tuple[_Name, ...], context: str | None, region: str | None, strict: bool) -> _Name | None:
    """The best candidate, or ``None`` when none may count or a short form stays tied.

    An ambiguous full name comes back as a candidate whose entry has no code or parent.
    """
    regions = tuple(r for r in (context, region) if r)
    pool = [n for n in candidates if _in_scope(n, regions, strict)]
    if not pool:
        return None

    def rank(name: _Name) -> tuple:
        entry = name.entry
        return (
            bool(context) and context in entry.ancestors,
            bool(region) and region in entry.ancestors,
            bool(region) and region[:2] == entry.anchor[:2],
            _LEVEL_RANK[entry.level],
        )

    best = max(rank(n) for n in pool)
    top = [n for n in pool if rank(n) == best]
    if len({(n.entry.canonical, n.entry.admin_code) for n in top}) == 1:
        return top[0]
    if all(n.kind == "full" for n in top) and len({(n.entry.canonical, n.entry.level) for n in top}) == 1:
        entry = top[0].entry
        vague = _Entry(entry.canonical, entry.level, "", "", "", "", frozenset())
        return _Name(vague, top[0].rule, top[0].scope, "full")
    return None


def _region(region_code: str | None) -> str | None:
    code = str(region_code or "")
    return code if len(code) == 6 and code.isdigit() else None


def _place(name: _Name, start: int, text: str) -> Place:
    entry = name.entry
    return Place(start, start + len(text), text, entry.canonical, entry.level, entry.parent,
                 entry.admin_code or None, name.rule)


def _priority(name: _Name) -> tuple[bool, int]:
    return name.kind == "full", _LEVEL_RANK[name.entry.level]


def _match_at(gazetteer: _Gazetteer, text: str, i: int, context: str | None, region: str | None,
              after_place: bool = False, in_list: bool = False):
    """The longest name starting at ``i`` that counts here, as ``(name, form)``, or ``None``.

    ``context`` is a region the place written just before suggests (see :func:`find_places`);
    ``after_place`` says that place ends exactly at ``i``; ``in_list`` that a place and a 、
    come right before, so a name needing a boundary after it has one (安国、曲阳申报: the
    list makes 曲阳 a place whatever follows).
    """
    for form in gazetteer.by_bigram.get(text[i : i + 2], ()):
        if not text.startswith(form, i):
            continue
        end = i + len(form)
        if any(stop.blocks(text, i, end, after_place) for stop in gazetteer.stops.get(form, ())):
            continue
        before = after_place or bool(gazetteer.before.search(text[max(0, i - 1) : i]))
        after = (in_list or bool(gazetteer.after.match(text[end : end + 2]))
                 or bool(gazetteer.task_verb.search(text[max(0, i - 2) : i])))
        # A county stem right after its city (河源龙川新城) is the city's county whatever follows.
        bounded = tuple(n for n in gazetteer.names[form]
                        if (before or "before" not in n.needs)
                        and (after or "after" not in n.needs or (after_place and context in n.entry.ancestors)))
        chosen = _pick(bounded, context, region, strict=True) if bounded else None
        if chosen:
            return chosen, form
    return None


def _overtaken(gazetteer: _Gazetteer, text: str, i: int, found: tuple, region: str | None) -> bool:
    """Whether a better name starts inside the one ``found`` at ``i`` and runs past it:
    美丽江苏 is 江苏 (a province), not 丽江 (a city) followed by 苏."""
    name, form = found
    end = i + len(form)
    for j in range(i + 1, end):
        other = _match_at(gazetteer, text, j, None, region)
        if other and j + len(other[1]) > end and _priority(other[0]) > _priority(name):
            return True
    return False


def find_places(text: str, region_code: str | None = None) -> list[Place]:
    """Every place named in ``text``, resolved, in text order and without overlaps.

    Args:
        text: the document text (or any part of it).
        region_code: the six-digit code of the document's own region (320500 for a Suzhou
            plan); it decides short and ambiguous names (高新区, 吴江, 朝阳区). ``None`` for
            a national plan or when unknown.

    Returns:
        The places, each with ``text[p.start:p.end] == p.text``.
    """
    gazetteer = _gazetteer()
    region = _region(region_code)
    places: list[Place] = []
    previous: _Entry | None = None  # the place that ended at ``previous_end``
    previous_end = -1
    i, last = 0, len(text) - 1
    while i < last:
        found = None
        if text[i : i + 2] in gazetteer.by_bigram:
            # A place right before this one encloses it (苏州市|吴江区); one before a 、 is its
            # sibling, so they share a parent (河北省三河、香河).
            if previous_end == i:
                context = previous.anchor
            elif previous_end == i - 1 and text[i - 1] == "、":
                context = previous.parent_code
            else:
                context = None
            found = _match_at(gazetteer, text, i, context or None, region, previous_end == i,
                              in_list=previous_end == i - 1 and text[i - 1] == "、")
            if found and _overtaken(gazetteer, text, i, found, region):
                found = None
        if found:
            name, form = found
            if name.rule == BLEND:
                places.extend(_blend_parts(name.entry.canonical, i, form, region))
            else:
                place = _local_zone(gazetteer, text, i, name, form, region) or _place(name, i, form)
                places.append(place)
                form = place.text
            i += len(form)
            previous, previous_end = name.entry, i
        else:
            i += 1
    return places


def _local_zone(gazetteer: _Gazetteer, text: str, i: int, name: _Name, form: str, region: str | None) -> Place | None:
    """The zone a place with a code and a zone class name together (珠海西部生态新区), or
    ``None``; not when a gazetteer name follows the place (上海浦东新区 is 浦东新区)."""
    end = i + len(form)
    if not name.entry.admin_code or name.entry.level == "zone" \
            or _match_at(gazetteer, text, end, name.entry.anchor, region, after_place=True):
        return None
    found = rules.pattern("gazetteer/matching", "local_zone").match(text, end, end + 16)
    if not found or words.opens_with_verb(text[end : found.end()]):  # 太仓市建设示范区: a task
        return None
    whole = text[i : found.end()]
    return Place(i, found.end(), whole, whole, "zone", name.entry.canonical, None, LOCAL_ZONE)


def _blend_parts(blend: str, start: int, form: str, region: str | None) -> list[Place]:
    """One place per part of a blended abbreviation, each spanning the abbreviation."""
    parts = next(row["parts"] for row in rules.load("gazetteer/blends.csv") if row["name"] == blend)
    out = []
    for part in parts.split("|"):
        place = resolve(part, region)
        if place:
            out.append(Place(start, start + len(form), form, place.canonical, place.level, place.parent,
                             place.admin_code, BLEND))
    return out


def find_townships(text: str, region_code: str | None, region: str, places: list[Place]) -> list[Place]:
    """The townships (庞口镇, 蒲口乡) a city's or county's plan names, where no place was found.

    The division lists stop at counties, so a township has no code or level; its parent is
    the plan's ``region`` (the name of ``region_code``). A provincial or national plan's 镇 is
    as often a class (重点镇) as a name.

    Example:
        >>> [p.text for p in find_townships("以庞口镇、蒲口乡为重点，建设特色小镇。", "130628", "高阳县", [])]
        ['庞口镇', '蒲口乡']
    """
    code = _region(region_code)
    if code is None or code.endswith("0000"):
        return []
    taken = [(p.start, p.end) for p in places]
    generic = rules.pattern("gazetteer/matching", "township_generic")
    out = []
    for found in rules.pattern("gazetteer/matching", "township").finditer(text):
        if generic.search(found.group()) or any(a < found.end() and found.start() < b for a, b in taken):
            continue
        out.append(Place(found.start(), found.end(), found.group(), found.group(), "", region, None, TOWNSHIP))
    return out


def resolve(name: str, region_code: str | None = None) -> Place | None:
    """Resolve one place name written on its own (a table cell, a gold record).

    Stop contexts and scopes do not apply (the caller says it is a place), except that a
    local alias such as 高新区 needs the region it belongs to; ambiguity is decided exactly as
    in :func:`find_places`.

    Args:
        name: the name as written: ``苏州市``, ``吴江``, ``高新区``, ``思茅``.
        region_code: the document's region code, as for :func:`find_places`.

    Returns:
        A :class:`Place` spanning the whole of ``name``, or ``None`` when the name is unknown
        or an ambiguous short form.
    """
    name = name.strip()
    candidates = _gazetteer().names.get(name)
    if not candidates:
        return None
    chosen = _pick(candidates, None, _region(region_code), strict=False)
    return _place(chosen, 0, name) if chosen else None


def region_of(text: str) -> tuple[str, str] | None:
    """The region a title or issuer names: its first place with a code, narrowed by places
    written right after it (江苏省苏州市人民政府 → 苏州市).

    Args:
        text: a title (``苏州市"十四五"质量发展规划``) or issuer (``江苏省人民政府``).

    Returns:
        ``(canonical, admin_code)``, e.g. ``("苏州市", "320500")``, or ``None`` when the text
        names no place with a code (国务院, 省政府).
    """
    region = None
    for place in find_places(text):
        if region is None:
            if place.admin_code:
                region = place
        elif place.start == region.end and place.admin_code and region.admin_code in ancestors(place.admin_code):
            region = place
        else:
            break
    return (region.canonical, region.admin_code) if region else None


#: The label of a place candidate that is part of a longer word: kept, so review shows it,
#: but no area.
INSIDE_WORD = "inside_word"


@lru_cache(maxsize=None)
def _word_boundaries(directory: str) -> WordBoundaries:
    """jieba with every gazetteer name in its dictionary, set up once per rules directory."""
    return words.from_rules(_load(directory).names)


@component("planx_places", requires=("doc._.region_code", "doc._.region"), writes=(PLACES,))
def place_candidates(doc: Doc) -> Doc:
    """Every place named in the text, resolved against the document's region; labelled
    :data:`INSIDE_WORD` when its edge cuts through a word (芙蓉 in 金芙蓉基金:
    :mod:`planx.passes.words`), else with its level."""
    doc.spans[PLACES] = []
    boundaries = _word_boundaries(str(rules.rules_dir()))
    found = find_places(text_of(doc), doc._.region_code)
    townships = find_townships(text_of(doc), doc._.region_code, doc._.region or "", found)
    found = sorted(found + townships, key=lambda p: p.start)
    for place in found:
        inside = boundaries.cuts_a_word(text_of(doc), place.start, place.end)
        label = INSIDE_WORD if inside else place.level or place.rule  # a township has no level
        add_candidate(doc, PLACES, 0, place, label, kb_id=place.admin_code or "")
    return doc
