"""Quantities in running text: numbers with their unit, comparator, approximation and change.

The grammar lives in ``rules/quantities.yaml``; this module only reads matches. Every
pattern rule yields candidates (``97%以上``, ``1.5万亿元``, ``2～3家``, ``百分之九十八``);
candidates overlapping a skip (a calendar year ``2025年``, a date ``6月底``, an ordinal
``第十三次``, a section number ``1.``, a slogan ``两个市场``, a cited title ``《…》``) are dropped,
and the longest candidate at the earliest place wins. Chinese numerals are parsed only
inside spans the rules found, never by rewriting the text (``一体化`` stays a word).

Conventions (as in the gold annotations): magnitudes are folded into the value and never
kept in the unit (``1.5万亿元`` → 1.5e12 元); 余/多 give comparator ``>`` and 约/近/左右/上下
give ``~`` (all approximate); a range has comparator ``range`` with ``value_max`` set;
``三分之一`` is a fraction with value 0.3333 and no unit; a bare Arabic number keeps unit
``""``, while a Chinese numeral is a quantity only with a unit.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from typing import Any

import regex
from spacy.tokens import Doc

from .. import rules
from ..document import QUANTITIES, SENTENCES, TABLES, add_candidate, in_table, text_of
from ..errors import RuleFileError
from ..factories import component

_RULES = "quantities"
# Code, not rules: the syntax of rule-file templates ({NUM}) and the characters numbers
# are tokenised into; how plans write amounts is in quantities.yaml.
_PLACEHOLDER = regex.compile(r"\{([A-Z][A-Z_]*)\}")
_ASCII_WORD = regex.compile(r"[A-Za-z]+")
# ASCII digits only: normalisation folds full-width ones, and \d also matches digits newer
# than Python's Unicode data, which Decimal cannot read (U+11BF0).
_PLAIN_NUMBER = regex.compile(r"[0-9]+(?:\.[0-9]+)?")
_TOKEN = regex.compile(r"[0-9]+(?:\.[0-9]+)?|.", regex.DOTALL)
_NOISE = regex.compile(r"[\s,]")
_ASCII_DIGIT = regex.compile(r"\d")


@dataclass(frozen=True)
class Quantity:
    """One quantity found in a text.

    Attributes:
        start: offset of the number's first character (comparator words before it excluded).
        end: offset just past the unit and any trailing comparator word (``以上``, ``左右``).
        value: the number with magnitudes folded in (``16万余件`` → 160000).
        value_max: the upper end of a range, else ``None``.
        unit: the unit without magnitude words (``%``, ``个（次）``, ``批次/千人``); ``""`` for none.
        comparator: one of ``>=``, ``>``, ``<=``, ``<``, ``=``, ``range``, ``~``.
        change: ``increase`` or ``decrease`` when the number is a change (``降低13.5%``), else ``None``.
        approx: the text marks the number as approximate (约, 近, 左右, 上下, 余, 多).
        rule: id of the rule that matched.
        text: ``source[start:end]``.
        cue_start: offset of the comparator or change words before the number (``不低于``,
            ``下降``); equals ``start`` when there are none.
    """

    start: int
    end: int
    value: float
    value_max: float | None
    unit: str
    comparator: str
    change: str | None
    approx: bool
    rule: str
    text: str
    cue_start: int


def rule_templates(name: str) -> tuple[tuple[str, str], ...]:
    """The ``templates`` of ``rules/<name>.yaml``, fully expanded, for ``rules.load_patterns``.

    A template is a regex string that may use other templates (``{NUM_A}``), or
    ``{words: [key, …]}``: the words of those lexicons as one alternation, longest first and
    escaped, ASCII words guarded so ``km`` does not match inside ``kmh``.

    Args:
        name: the rule file, without ``.yaml``.

    Returns:
        ``(("{KEY}", regex), …)`` in file order.

    Raises:
        RuleFileError: a template refers to itself, directly or through others.
    """
    data = rules.load(name) or {}
    resolved = {key: _template_source(data, value) for key, value in (data.get("templates") or {}).items()}
    for _ in range(len(resolved) + 1):
        expanded = {key: _PLACEHOLDER.sub(lambda m: resolved.get(m.group(1), m.group(0)), value)
                    for key, value in resolved.items()}
        if expanded == resolved:
            return tuple((f"{{{key}}}", value) for key, value in resolved.items())
        resolved = expanded
    raise RuleFileError(f"[rules/{name}.yaml -> templates] a template refers to itself; break the cycle")


def _template_source(data: dict, value: Any) -> str:
    if isinstance(value, dict) and "words" in value:
        words = [w for key in value["words"] for w in _words(data.get(key))]
        return _alternation(words)
    return str(value)


def _words(entry: Any) -> list[str]:
    """Words of a lexicon entry: a word, a list, ``{word: intent}`` or ``{group: [words]}``."""
    if entry is None:
        return []
    if isinstance(entry, list):
        return [w for item in entry for w in _words(item)]
    if isinstance(entry, dict):
        return [w for key, value in entry.items()
                for w in (_words(value) if isinstance(value, (list, dict)) else [str(key)])]
    return [str(entry)]


def _alternation(words: list[str]) -> str:
    """A non-capturing alternation of ``words``, longest first so ``个百分点`` beats ``个``."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    parts = [regex.escape(w) + ("(?![A-Za-z])" if _ASCII_WORD.fullmatch(w) else "") for w in ordered]
    return "(?:" + "|".join(parts) + ")"


@dataclass(frozen=True)
class _Grammar:
    """Compiled rules and lookup tables of ``rules/quantities.yaml``."""

    patterns: tuple
    skips: tuple
    before: dict
    after: dict
    change: dict
    approx_suffixes: dict
    fraction_units: dict
    digits: dict
    multipliers: dict
    sections: dict
    range_magnitude: Any
    list_joiner: Any


def _by_word(groups: dict) -> dict[str, str]:
    """``{label: [words]}`` → ``{word: label}``."""
    return {str(word): str(label) for label, words in (groups or {}).items() for word in words}


@lru_cache(maxsize=4)
def _grammar(fingerprint: str) -> _Grammar:
    """Everything compiled once per rule set (``fingerprint`` is the cache key)."""
    data = rules.load(_RULES)
    template = rule_templates(_RULES)
    numerals = data["numerals"]
    magnitudes = _alternation([str(m) for m in data["range_magnitudes"]])
    return _Grammar(
        patterns=rules.load_patterns(_RULES, "patterns", template),
        skips=rules.load_patterns(_RULES, "skips", template),
        before=_by_word(data["comparators_before"]),
        after=_by_word(data["comparators_after"]),
        change=_by_word(data["change_words"]),
        approx_suffixes={str(k): str(v) for k, v in data["approx_suffixes"].items()},
        fraction_units={int(k): str(v) for k, v in data["fraction_units"].items()},
        digits={str(k): Decimal(v) for k, v in numerals["digits"].items()},
        multipliers={str(k): Decimal(v) for k, v in numerals["multipliers"].items()},
        sections={str(k): Decimal(v) for k, v in numerals["sections"].items()},
        range_magnitude=rules.compile_pattern(magnitudes + r"$", f"rules/{_RULES}.yaml -> range_magnitudes"),
        list_joiner=rules.pattern(_RULES, "list_joiner"),
    )


def _current() -> _Grammar:
    # Keyed on the rules' fingerprint, which the loader keeps for the rules in use, so
    # a call costs a dictionary lookup rather than a look at the file system.
    return _grammar(rules.rules_hash())


# --- numbers -------------------------------------------------------------------------


def parse_number(s: str) -> float | None:
    """Read a number written in Arabic or Chinese numerals, magnitudes folded in.

    ``"一千二百"`` → 1200, ``"两千"`` → 2000, ``"1,100"`` → 1100, ``"一点五"`` → 1.5,
    ``"3万4000"`` → 34000, ``"1.5万亿"`` → 1.5e12, ``"二〇三五"`` → 2035, ``"十五"`` → 15.
    OCR spaces between digits are ignored (``"9 8 . 5"`` → 98.5).

    Args:
        s: the number alone, without unit or comparator words.

    Returns:
        The value, or ``None`` when ``s`` is not a number (``"两三"``, ``"百分之九十八"``).
    """
    value = _decimal(_current(), s)
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _decimal(g: _Grammar, s: str) -> Decimal | None:
    s = _NOISE.sub("", s)
    if not s:
        return None
    if _PLAIN_NUMBER.fullmatch(s):
        return Decimal(s)
    whole, point, fraction = s.partition("点")
    tail = Decimal(0)
    if point:
        if not fraction or any(ch not in g.digits for ch in fraction):
            return None
        tail = Decimal("0." + "".join(str(g.digits[ch]) for ch in fraction))
    if _is_digit_sequence(g, whole):
        return Decimal("".join(str(g.digits[ch]) for ch in whole)) + tail
    value = _positional(g, _TOKEN.findall(whole))
    return None if value is None else value + tail


def _is_digit_sequence(g: _Grammar, whole: str) -> bool:
    """二〇三五, 一九九八: digits read one by one (years are written so); 两 never appears."""
    return (len(whole) >= 2 and "两" not in whole and all(ch in g.digits for ch in whole)
            and (len(whole) >= 4 or any(g.digits[ch] == 0 for ch in whole)))


def _positional(g: _Grammar, tokens: list[str]) -> Decimal | None:
    """Chinese place-value reading (一千二百, 3万4000, 1.5万亿); ``None`` if malformed."""
    if not tokens:
        return None
    top = max(g.sections.values())
    total = section = small = Decimal(0)
    digit: Decimal | None = None
    for tok in tokens:
        if tok in g.multipliers:
            small += (Decimal(1) if digit is None else digit) * g.multipliers[tok]
            digit = None
        elif tok in g.sections:
            part = small + (digit or 0)
            if g.sections[tok] == top:
                total = (total + section + part) * top
                section = Decimal(0)
            elif part == 0:
                return None
            else:
                section += part * g.sections[tok]
            small, digit = Decimal(0), None
        elif tok in g.digits and g.digits[tok] == 0:
            continue  # 一百零五: a zero only holds a place
        elif digit is not None:
            return None  # two digits without a place between them: 两三
        elif _PLAIN_NUMBER.fullmatch(tok):
            digit = Decimal(tok)
        elif tok in g.digits:
            digit = g.digits[tok]
        else:
            return None
    return total + section + small + (digit or 0)


# --- finding quantities --------------------------------------------------------------


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text``, non-overlapping and in order.

    Args:
        text: normalised text (a sentence or a whole document).

    Returns:
        The quantities, sorted by offset; each satisfies ``text[q.start:q.end] == q.text``.
    """
    return quantities_within(text, [(0, len(text))])[0]


def quantities_within(text: str, windows: list[tuple[int, int]]) -> list[list[Quantity]]:
    """The quantities of each window ``[start, end)`` of ``text`` (sentences), offsets into
    ``text``: a quantity must lie inside its window, and windows choose among their own.

    Each rule runs once over the whole text rather than once per sentence: a document has
    thousands of sentences, and a regex call costs more than a sentence's worth of matching.
    """
    g = _current()
    candidates = []
    for order, rule in enumerate(g.patterns):
        for match in rule.pattern.finditer(text):
            q = _read(g, rule, match)
            if q is not None:
                candidates.append((q.cue_start, q.end, order, q))
    if not candidates:
        return [[] for _ in windows]
    blocked = _blocked(g, text)
    candidates.sort(key=lambda c: c[0])
    starts = [c[0] for c in candidates]
    out = []
    for lo, hi in windows:
        inside = [c for c in candidates[bisect_left(starts, lo) : bisect_left(starts, hi)]
                  if c[1] <= hi and not _overlaps(blocked, c[3].start, c[1])]
        out.append(_share_change(g, text, longest_first([(q.start, end, order, q) for _, end, order, q in inside])))
    return out


def change_words(cue: str, change: str) -> str:
    """The words stating ``change`` (increase, decrease) in a quantity's ``cue``, as the
    indicator keeps them: 年均增长 in 年均增长不低于; 增长 or 下降 when the cue has none
    (分别下降70%和67%: the second value shares the first's change)."""
    found = [word for word in change_vocabulary(change) if word in cue]
    return max(found, key=len) if found else {"increase": "增长", "decrease": "下降"}.get(change, "")


def change_vocabulary(change: str) -> tuple[str, ...]:
    """The words that state ``change`` (rules/quantities.yaml change_words)."""
    return tuple(word for word, meaning in _current().change.items() if meaning == change)


def longest_first(candidates: list[tuple[int, int, int, Any]]) -> list[Any]:
    """Choose non-overlapping spans: earliest start first, then the longest, then rule order.

    Args:
        candidates: ``(start, end, rule order, item)`` tuples, in any order.

    Returns:
        The chosen items, in text order.
    """
    chosen: list[Any] = []
    last_end = -1
    for start, end, _, item in sorted(candidates, key=lambda c: (c[0], -c[1], c[2])):
        if start >= last_end:
            chosen.append(item)
            last_end = end
    return chosen


def parse_quantity(s: str) -> Quantity | None:
    """Read a string that is one quantity: a table cell, a value with its unit.

    ``"≥97"``, ``"2～3家"``, ``"5%—5.5%"``, ``"两三个"``, ``"1.5万亿元"``, ``"十五"``.

    Args:
        s: the string; surrounding spaces are ignored.

    Returns:
        The quantity (offsets into ``s``), or ``None`` when ``s`` is not exactly one quantity.
    """
    lead, tail = len(s) - len(s.lstrip()), len(s.rstrip())
    found = find_quantities(s)
    for q in found:
        if q.cue_start == lead and q.end == tail:
            return q
    if found or lead >= tail:
        return None
    value = parse_number(s[lead:tail])  # a lone Chinese numeral needs no unit here
    if value is None:
        return None
    return Quantity(lead, tail, value, None, "", "=", None, False, "number", s[lead:tail], lead)


def _blocked(g: _Grammar, text: str) -> tuple[list[int], list[int]]:
    """Merged skip spans as parallel ``(starts, ends)`` lists."""
    spans = sorted(m.span() for rule in g.skips for m in rule.pattern.finditer(text) if m.end() > m.start())
    starts: list[int] = []
    ends: list[int] = []
    for start, end in spans:
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _overlaps(blocked: tuple[list[int], list[int]], start: int, end: int) -> bool:
    starts, ends = blocked
    i = bisect_left(starts, end) - 1
    return i >= 0 and ends[i] > start


def _share_change(g: _Grammar, text: str, chosen: list[Quantity]) -> list[Quantity]:
    """``分别下降70%和67%``: a listed value with no words of its own shares the change before it."""
    out: list[Quantity] = []
    for q in chosen:
        prev = out[-1] if out else None
        if (prev is not None and prev.change and q.change is None and q.cue_start == q.start
                and g.list_joiner.fullmatch(text, prev.end, q.start)):
            q = replace(q, change=prev.change)
        out.append(q)
    return out


# --- reading one match ---------------------------------------------------------------


def _read(g: _Grammar, rule, m) -> Quantity | None:
    """The quantity a match of ``rule`` states, or ``None`` if it does not hold up."""
    groups = m.groupdict()
    reader = _READINGS.get(rule.get("reading", "number"))
    if reader is None:
        raise RuleFileError(f"[rules/{_RULES}.yaml -> patterns -> {rule.id} -> reading] unknown; "
                            f"expected one of {sorted(_READINGS)}")
    amount = reader(g, rule, groups)
    if amount is None:
        return None
    value, value_max, unit = amount
    if not math.isfinite(value) or (value_max is not None and not math.isfinite(value_max)):
        return None
    suffix = _approx_suffix(g, groups.get("num") or "")
    post, comp = groups.get("post"), groups.get("comp")
    levels = [g.after.get(post), g.before.get(comp), suffix, rule.get("comparator")]
    comparator = "range" if value_max is not None else next((c for c in levels if c), "=")
    approx = suffix is not None or "~" in (g.after.get(post), g.before.get(comp))
    change = g.change.get(groups.get("change")) or rule.get("change")
    start = m.end("cue") if "cue" in groups else m.start()
    return Quantity(start, m.end(), value, value_max, unit, comparator, change, approx, rule.id,
                    m.string[start : m.end()], m.start())


def _approx_suffix(g: _Grammar, number: str) -> str | None:
    return next((comp for mark, comp in g.approx_suffixes.items() if mark in number), None)


def _core(g: _Grammar, number: str) -> str:
    """The number without approximation marks: ``10.5万余`` → ``10.5万``."""
    return "".join(ch for ch in number if ch not in g.approx_suffixes)


def _unit(unit: str | None) -> str:
    """Units as data: no spaces, full-width brackets as plans print ``个（次）``."""
    return (unit or "").replace(" ", "").replace("(", "（").replace(")", "）")


def _read_number(g: _Grammar, rule, groups: dict) -> tuple[float, float | None, str] | None:
    """A number or a range, with its unit; Chinese numerals only count with a unit."""
    unit, unit1 = _unit(groups.get("unit")), _unit(groups.get("unit1"))
    if unit and unit1 and unit != unit1:
        return None
    unit = unit or unit1 or str(rule.get("unit", ""))
    low_text = _core(g, groups["num"])
    if not unit and not _ASCII_DIGIT.search(low_text):
        return None
    low = _decimal(g, low_text)
    if low is None:
        return None
    if not groups.get("num2"):
        return float(low), None, unit
    high_text = _core(g, groups["num2"])
    high = _decimal(g, high_text)
    if high is None:
        return None
    magnitude = g.range_magnitude.search(high_text)
    if magnitude and not any(ch in low_text for ch in (*g.multipliers, *g.sections)):
        low *= _decimal(g, "1" + magnitude.group(0))  # 2-3万人: the 万 covers both ends
    span = rule.get("max_span")
    if not low < high or (span is not None and high - low > span):
        return None
    return float(low), float(high), unit


def _read_fraction(g: _Grammar, rule, groups: dict) -> tuple[float, None, str] | None:
    """百分之九十八 → 98 %; 三分之一 → 0.3333 with no unit."""
    den, num = _decimal(g, groups["den"]), _decimal(g, groups["num"])
    if not den or num is None:
        return None
    unit = g.fraction_units.get(int(den))
    if unit:
        return float(num), None, unit
    return round(float(num / den), 4), None, ""


def _read_doubling(g: _Grammar, rule, groups: dict) -> tuple[float, None, str] | None:
    """翻一番 → 2 倍, 翻两番 → 4 倍; 翻番 alone is one doubling."""
    times = _decimal(g, groups["num"]) if groups.get("num") else Decimal(1)
    if times is None:
        return None
    return float(2 ** int(times)), None, str(rule.get("unit", ""))


_READINGS = {"number": _read_number, "fraction": _read_fraction, "doubling": _read_doubling}


@component("planx_quantities", reads=(SENTENCES, TABLES), writes=(QUANTITIES,))
def quantity_candidates(doc: Doc) -> Doc:
    """Every quantity in the prose sentences (tables have their own pass), as a
    ``quantities`` candidate labelled with its unit, offsets into the document."""
    doc.spans[QUANTITIES] = []
    sentences = [sentence for sentence in doc.spans[SENTENCES] if not in_table(doc, sentence.start)]
    found = quantities_within(text_of(doc), [(sentence.start, sentence.end) for sentence in sentences])
    for quantities in found:
        for q in quantities:
            add_candidate(doc, QUANTITIES, 0, q, q.unit or "number")
    return doc
