"""Time expressions: deadlines, plan periods, recurrences and plain dates, with their years.

The patterns live in ``rules/time.yaml``; each rule names the expression's kind and how its
years are read (from the match, from the five-year plan it names, relative to the
document's own year or its plan period). This module only applies that reading:

* ``by`` — due by a year: 到2025年, 2023年底前, 2023年完成, “十四五”末, 二〇三五年远景;
* ``during`` — over a period: “十四五”时期, 2021-2023年, 未来五年, 五年累计, （5年）;
* ``recurring`` — 每年, 每季度, 定期, 逐年, 常态化 (no years);
* ``point`` — a date that states when something happened (2020年，…同比下降); a date
  later than the reference year reads as ``by``.

``past`` marks expressions that look back (近三年, “十三五”以来) or end before the reference
year; the caller decides what that means for a deadline. Durations that frame nothing
(连续5年) are quantities, not time expressions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from spacy.tokens import Doc

from .. import rules
from ..document import TIME, add_candidate, text_of
from ..errors import RuleFileError
from ..factories import component
from .quantity import longest_first, parse_number, rule_templates

_RULES = "time"
_YEAR_END_MONTH = 12  # 年底, 年末: the last month of the year


@dataclass(frozen=True)
class TimeExpression:
    """One time expression found in a text.

    Attributes:
        start: offset of the first character.
        end: offset just past the last character.
        text: ``source[start:end]`` (``到2025年``, ``“十四五”时期``, ``每年``).
        kind: ``by``, ``during``, ``recurring`` or ``point``.
        start_year: the first year of a period; ``None`` for ``by`` and ``recurring``.
        end_year: the year a deadline falls in or a period ends; ``None`` when unknown.
        month: the month of a deadline (``6月底前`` → 6, ``年底前`` → 12), else ``None``.
        rule: id of the rule that matched.
        past: the expression reports the past relative to the reference year.
    """

    start: int
    end: int
    text: str
    kind: str
    start_year: int | None
    end_year: int | None
    month: int | None
    rule: str
    past: bool


@dataclass(frozen=True)
class _Setting:
    """What relative expressions are read against."""

    reference_year: int | None
    period: tuple[int, int] | None


@dataclass(frozen=True)
class _Grammar:
    patterns: tuple
    plan_name: Any
    plan_starts: dict


@lru_cache(maxsize=4)
def _grammar(fingerprint: str) -> _Grammar:
    """Compiled rules of ``rules/time.yaml`` (``fingerprint`` is the cache key)."""
    template = rule_templates(_RULES)
    starts = rules.load(_RULES)["five_year_starts"]
    return _Grammar(
        patterns=rules.load_patterns(_RULES, "patterns", template),
        plan_name=rules.load_patterns(_RULES, "names", template)[0].pattern,
        plan_starts={int(k): int(v) for k, v in starts.items()},
    )


def _current() -> _Grammar:
    # Keyed on the rules' fingerprint, which the loader keeps for the rules in use, so
    # a call costs a dictionary lookup rather than a look at the file system.
    return _grammar(rules.rules_hash())


def five_year_period(name: str) -> tuple[int, int] | None:
    """The years of the five-year plan called ``name``.

    ``"十四五"`` → (2021, 2025), ``"“十三五”"`` → (2016, 2020), ``"十五"`` → (2001, 2005),
    ``"一五"`` → (1953, 1957), ``"十五五"`` → (2026, 2030), ``"第十四个五年"`` → (2021, 2025).

    Args:
        name: the plan's name, quotes and a trailing 规划/计划/时期/期间 allowed.

    Returns:
        ``(first year, last year)``, or ``None`` when ``name`` names no five-year plan.
    """
    g = _current()
    match = g.plan_name.match(name)
    if not match:
        return None
    ordinal = match.group("ordinal") or match.group("fyp")[:-1]  # 十四五 → 十四
    number = parse_number(ordinal)
    if not number or number != int(number):
        return None
    return _plan_years(g, int(number))


def _plan_years(g: _Grammar, number: int) -> tuple[int, int]:
    last = max(g.plan_starts)
    start = g.plan_starts.get(number, g.plan_starts[last] + 5 * (number - last))
    return start, start + 4


def find_time_expressions(text: str, reference_year: int | None = None,
                          period: tuple[int, int] | None = None) -> list[TimeExpression]:
    """Every time expression in ``text``, non-overlapping and in order.

    Args:
        text: normalised text.
        reference_year: the document's own year (its issue year); reads 6月底前, 今年 and
            近三年, turns later dates into deadlines and marks earlier ones ``past``.
        period: the plan period ``(first, last)``; reads 未来五年, 五年累计 and 自2021年起.

    Returns:
        The expressions, sorted by offset; each satisfies ``text[t.start:t.end] == t.text``.
    """
    g = _current()
    setting = _Setting(reference_year, period)
    candidates = []
    for order, rule in enumerate(g.patterns):
        for match in rule.pattern.finditer(text):
            found = _read(g, rule, match, setting)
            if found is not None:
                candidates.append((found.start, found.end, order, found))
    return longest_first(candidates)


_ANY_YEAR = 2000


def leading_time_expression(text: str) -> TimeExpression | None:
    """The time expression ``text`` opens with (the longest), or ``None``: what
    :func:`find_time_expressions` finds at offset 0, trying each rule at that offset alone.

    Example:
        >>> leading_time_expression("到2025年，建成10个中心").text
        '到2025年'
    """
    g = _current()
    # Any year reads a relative expression (去年新增…): only its extent matters here.
    setting = _Setting(_ANY_YEAR, None)
    found = []
    for order, rule in enumerate(g.patterns):
        match = rule.pattern.match(text)
        read = _read(g, rule, match, setting) if match else None
        if read is not None:
            found.append((read.start, read.end, order, read))
    chosen = longest_first(found)
    return chosen[0] if chosen else None


def _read(g: _Grammar, rule, m, setting: _Setting) -> TimeExpression | None:
    """The expression a match of ``rule`` states, or ``None`` if its years do not hold up."""
    reader = _YEARS.get(rule.get("years"))
    if reader is None:
        raise RuleFileError(f"[rules/{_RULES}.yaml -> patterns -> {rule.id} -> years] unknown; "
                            f"expected one of {sorted(_YEARS)}")
    groups = m.groupdict()
    years = reader(g, rule, groups, setting)
    if years is None:
        return None
    start_year, end_year = years
    kind = rule.get("kind")
    ref = setting.reference_year
    if rule.get("future_kind") and ref is not None and end_year is not None and end_year > ref:
        kind = rule.get("future_kind")
    if kind == "by":
        start_year = None
    past = bool(rule.get("past")) or (ref is not None and end_year is not None and end_year < ref)
    return TimeExpression(m.start(), m.end(), m.group(0), kind, start_year, end_year,
                          _month(rule, groups), rule.id, past)


def _month(rule, groups: dict) -> int | None:
    if groups.get("month"):
        number = parse_number(groups["month"])
        return int(number) if number and 1 <= number <= 12 else None
    if groups.get("edge") in ("底", "末"):
        return _YEAR_END_MONTH
    return rule.get("month")


def _year(text: str | None) -> int | None:
    """``2025``, ``2 0 2 5`` or ``二〇三五`` as an int."""
    number = parse_number(text) if text else None
    return int(number) if number else None


def _count(groups: dict) -> int | None:
    number = parse_number(groups.get("n") or "")
    return int(number) if number and number == int(number) and number > 0 else None


# (start_year, end_year), or None when the match does not hold up (2023-2021年).
Years = tuple[int | None, int | None] | None


def _years_of_year(g, rule, groups, setting) -> Years:
    year = _year(groups.get("year"))
    return None if year is None else (None, year)


def _years_of_range(g, rule, groups, setting) -> Years:
    first, last = _year(groups.get("year")), _year(groups.get("year2"))
    if first is None or last is None or not first <= last:
        return None
    return first, last


def _years_since(g, rule, groups, setting) -> Years:
    return _year(groups.get("year")), setting.reference_year


def _years_from(g, rule, groups, setting) -> Years:
    first = _year(groups.get("year"))
    last = setting.period[1] if setting.period and first and setting.period[1] >= first else None
    return first, last


def _years_of_plan(g, rule, groups, setting) -> Years:
    ordinal = groups.get("ordinal") or (groups.get("fyp") or "")[:-1]
    number = parse_number(ordinal)
    if not number or number != int(number):
        return None
    return _plan_years(g, int(number))


def _years_ahead(g, rule, groups, setting) -> Years:
    count = _count(groups)
    if count is None:
        return None
    first = setting.period[0] if setting.period else setting.reference_year
    return (first, first + count - 1) if first is not None else (None, None)


def _years_back(g, rule, groups, setting) -> Years:
    count, ref = _count(groups), setting.reference_year
    if count is None:
        return None
    return (ref - count, ref - 1) if ref is not None else (None, None)


def _years_of_reference(g, rule, groups, setting) -> Years:
    ref = setting.reference_year
    return None, (ref + int(rule.get("offset", 0)) if ref is not None else None)


def _years_fixed(g, rule, groups, setting) -> Years:
    return None, int(rule.get("end_year"))


def _no_years(g, rule, groups, setting) -> Years:
    return None, None


_YEARS: dict[str, Callable[..., Years]] = {
    "year": _years_of_year, "range": _years_of_range, "since": _years_since, "from": _years_from,
    "plan": _years_of_plan, "ahead": _years_ahead, "back": _years_back,
    "reference": _years_of_reference, "fixed": _years_fixed, "none": _no_years,
}


@component("planx_time", requires=("doc._.report_year", "doc._.period_start", "doc._.period_end"), writes=(TIME,))
def time_candidates(doc: Doc) -> Doc:
    """Every time expression, as a ``time`` candidate read against the document's clock."""
    period = (doc._.period_start, doc._.period_end)
    doc.spans[TIME] = []
    for found in find_time_expressions(text_of(doc), reference_year=doc._.report_year,
                                       period=period if all(period) else None):
        add_candidate(doc, TIME, 0, found, found.kind)
    return doc
