"""Indicator keys: one name for one indicator across plans, whatever its wording.

新增中国质量奖（含提名奖）, 中国质量奖 and 争创中国质量奖（提名奖） are one indicator; so is
制造业产品质量合格率 in a city plan and in its province's plan. :func:`indicator_key` rewrites an
indicator with the rules in ``rules/indicators.yaml``: spellings folded, notes on what a count
includes dropped, scope words (新增, 累计, 全市 …) dropped unless they overlap a substance word
(国家级, 省级, 提名奖 …), and a list of parallel items written item by item in a fixed order.

:func:`key_members` says which other names a key contains (the items of its list, the examples
and category of an 等 phrase, the award of an award tier); ``planx compare`` lines up keys that
share a member without treating them as one indicator.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import regex

from . import rules

_RULES = "indicators"
_LIST_SEPARATOR = "、"
# Each pass only drops text or rewrites it to a canonical spelling, so a key settles within a
# few passes; the bound only guards against a rule file whose rewrites undo each other.
_MAX_PASSES = 32
# Code, not a rule: character folding of keys; which words fold is in indicators.yaml.
# Spaces, quote marks and title marks: 《“苏州制造”团体标准》 names the same standards as 苏州制造团体标准.
_MARKS = regex.compile(r"[\s“”‘’\"'「」『』《》〈〉]+")
# NFKC turns （） into ASCII brackets; plan text writes them full-width, and so do keys.
_BRACKETS = str.maketrans("()", "（）")
_OPEN, _CLOSE = "（", "）"


def indicator_key(indicator: object) -> str:
    """The key naming ``indicator`` across plans.

    Pure and deterministic; the key of a key is the key itself. No input makes it raise (a
    broken rule file does, with :class:`~planx.errors.RuleFileError`, as everywhere).

    Args:
        indicator: An indicator as extracted (``新增中国质量奖（含提名奖）``). Anything that
            is not a string (None, NaN, pandas' NA) is treated as empty.

    Returns:
        The key (``中国质量奖``), or "" for an empty indicator.
    """
    if not isinstance(indicator, str):
        return ""
    text = _prepare(indicator)
    for _ in range(_MAX_PASSES):
        # Prepared again: a drop can leave a base letter beside a combining mark that NFKC joins.
        rewritten = _prepare(_canonical(_rewrite(text)))
        if rewritten == text:
            break
        text = rewritten
    return text


def key_targets(rows: Iterable[dict]) -> None:
    """Set ``indicator_key`` on every target row from its ``indicator``.

    Args:
        rows: Target rows as the passes emit them; changed in place.
    """
    for row in rows:
        row["indicator_key"] = indicator_key(row.get("indicator"))


def key_members(key: str) -> tuple[str, ...]:
    """The names ``key`` contains, itself first.

    国家标准、行业标准 contains 国家标准 and 行业标准; 鲁班奖等国家级优质工程奖 contains 鲁班奖 and
    国家级优质工程奖; 中国质量奖提名奖 contains 中国质量奖 (``members`` in the rule file).

    Args:
        key: A key made by :func:`indicator_key`.

    Returns:
        The key and every name found in it, each once, in the order found.
    """
    members = dict.fromkeys([key])
    pending = [key]
    while pending:
        # Every part is shorter than the text it comes from, so this ends.
        for part in _parts(pending.pop()):
            if part not in members:
                members[part] = None
                pending.append(part)
    return tuple(members)


def _prepare(text: str) -> str:
    """``text`` with one spelling of each character: NFKC, upper-case ASCII, no spaces or quotes."""
    # NFKC twice: removing a space can leave a letter beside the combining mark it now takes (A´).
    text = unicodedata.normalize("NFKC", _MARKS.sub("", unicodedata.normalize("NFKC", text)))
    # Code, not a rule: ASCII case folding (str.upper would also change ß, ﬁ and the like).
    return regex.sub(r"[a-z]+", lambda m: m.group(0).upper(), text.translate(_BRACKETS))


def _rewrite(text: str) -> str:
    """One pass of the rule lists: spellings, then notes and scope words dropped."""
    for rule in rules.load_patterns(_RULES, "spelling"):
        text = _unless_emptied(text, rule.pattern.sub(rule.get("to", ""), text))
    for name in ("notes", "scope"):
        for rule in rules.load_patterns(_RULES, name):
            text = _unless_emptied(text, _drop(rule, text))
    return text


def _unless_emptied(before: str, after: str) -> str:
    """``after``, unless a rule has removed everything: an indicator that is all scope words
    (新增) still names something, so it keeps its wording."""
    return after if after else before


def _drop(rule: rules.Rule, text: str) -> str:
    """``text`` without the matches of ``rule``, except those overlapping a substance word."""
    if not rule.pattern.search(text):
        # Most rules match nothing; looking for every substance word first, as each rule
        # did, took most of the time of extracting a document (bench/README.md).
        return text
    protected = [m.span() for rule in rules.load_patterns(_RULES, "substance") for m in rule.pattern.finditer(text)]

    def drop_unless_protected(match: regex.Match) -> str:
        start, end = match.span()
        return match.group(0) if any(s < end and start < e for s, e in protected) else ""

    return rule.pattern.sub(drop_unless_protected, text)


def _canonical(text: str) -> str:
    """``text`` with its list (all of it, or a members rule's ``items``) in canonical form."""
    for rule in rules.load_patterns(_RULES, "members"):
        match = rule.pattern.search(text)
        if match and match.groupdict().get("items"):
            start, end = match.span("items")
            return text[:start] + _canonical_list(match.group("items")) + text[end:]
    return _canonical_list(text)


def _canonical_list(text: str) -> str:
    """A list of parallel items written in full and in code-point order.

    国际、国家、行业标准 is written 国际标准、国家标准、行业标准 (the items share a head), and
    items that end alike are sorted so that the order a plan lists them in does not matter.
    A list whose items do not end alike (大中型建筑、交通、水利竣工工程) keeps its order: its
    items are modifiers of one thing, not things.
    """
    items = [item for item in _split_list(text) if item]
    if len(items) < 2:
        return "".join(items)
    items = _with_shared_head(items)
    if len({item[-1] for item in items}) == 1:
        items = sorted(set(items))
    return _LIST_SEPARATOR.join(items)


def _with_shared_head(items: list[str]) -> list[str]:
    """Items with the head they share written out: [国际, 国家, 行业标准] → 国际标准, 国家标准, 行业标准.

    Only when at least two modifiers of one length precede a longer last item that ends
    differently from them: with a single modifier (主要工业产品、日用消费品…合格率) the head's
    length cannot be told, and items that already end alike are already whole.
    """
    *modifiers, last = items
    width = len(modifiers[0])
    shared_head = (len(modifiers) >= 2 and all(len(m) == width for m in modifiers) and len(last) > width + 1
                   and all(m[-1] != last[-1] for m in modifiers))
    if not shared_head:
        return items
    head = last[width:]
    return [modifier + head for modifier in modifiers] + [last]


def _split_list(text: str) -> list[str]:
    """``text`` split at list separators outside brackets (（A、B） stays one item)."""
    items, current, depth = [], [], 0
    for char in text:
        depth += (char == _OPEN) - (char == _CLOSE and depth > 0)
        if char == _LIST_SEPARATOR and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return items


def _parts(text: str) -> list[str]:
    """The names directly inside ``text``: a members rule's groups, else its list items."""
    groups = [value for rule in rules.load_patterns(_RULES, "members")
              for match in [rule.pattern.search(text)] if match
              for value in match.groupdict().values() if value]
    if groups:
        return groups
    items = [item for item in _split_list(text) if item]
    return items if len(items) > 1 else []
