"""Numeric targets in prose: every quantified commitment or reported result, one row a value.

For each sentence of body text (tables and 专栏 boxes aside), the quantity candidates
(:mod:`planx.passes.quantity`) are read against their clause (:mod:`indicators`) for the
indicator; their kind (target or achieved) and year are what the context component
(:mod:`planx.passes.context`) decided. ``…分别达到55000、17000、11000张`` gives three rows,
each with its own branch of the subject and the shared unit.
"""

from __future__ import annotations

from dataclasses import replace

import regex
from spacy.tokens import Doc, Span

from .. import rules
from ..document import (BOXES, CELLS, QUANTITIES, SENTENCES, TABLES, TARGETS, add_row, candidate, in_box, in_table,
                        sentence_at, spans_within, text_of)
from ..factories import component
from .context import in_note
from .indicators import EDGE_PUNCT, Reading, branches, clause_bounds, clean, has_predicate, read_clause, split_branches
from .indicator_tables import table_targets
from .quantity import Quantity, change_vocabulary, change_words
from .timex import leading_time_expression

_ASCII_DIGIT = regex.compile(r"\d")
#: The kind the context component gives a subsidy, cap or ratio a policy grants: no row.
INSTRUMENT = "instrument"


def _config() -> dict:
    return rules.load("targets")


def _cue_start(q: Quantity) -> int:
    return getattr(q, "cue_start", None) or q.start


def _is_statistic(q: Quantity, before: str) -> bool:
    """Filter counted words and durations: a row needs a unit or a predicate, and small
    Chinese-numeral counts (两种资源) need a predicate."""
    config = _config()
    if q.unit in config["skip_units"]:
        return False
    if q.unit in config["duration_units"] and not (has_predicate(before) and _ASCII_DIGIT.search(q.text)):
        return False
    if not q.unit and _pattern("unitless_indicator").search(before):
        return True
    introduced = has_predicate(before) or q.comparator != "=" or q.change
    if not _ASCII_DIGIT.search(q.text) and q.value < config["min_chinese_value"] and (
            not introduced or _pattern("copula").search(before)):
        return False
    return bool(q.unit) or bool(introduced)


def _groups(sentence: str, quantities: list[Quantity]) -> list[list[Quantity]]:
    """Quantities sharing one 分别 predicate form a group; every other quantity stands alone."""
    groups: list[list[Quantity]] = []
    for q in quantities:
        if groups:
            prev = groups[-1][-1]
            between = sentence[prev.end : _cue_start(q)]
            if _pattern("value_joiner").fullmatch(between) and "分别" in sentence[: _cue_start(groups[-1][0])][-12:]:
                groups[-1].append(q)
                continue
        groups.append([q])
    return groups


@component("planx_targets", requires=("doc._.period_start", "doc._.period_end", "span._.kind", "span._.year"),
           reads=(SENTENCES, TABLES, CELLS, BOXES, QUANTITIES), writes=(TARGETS,))
def find_targets(doc: Doc) -> Doc:
    """Target rows from prose sentences and indicator tables."""
    rows = []
    # Only the sentences that hold a quantity: most hold none, and asking each costs more.
    holding = {sentence_at(doc, span.start) for span in doc.spans[QUANTITIES]}
    for sentence in sorted(holding - {None}, key=lambda s: s.start):
        if in_table(doc, sentence.start) or in_box(doc, sentence.start) or in_note(doc, sentence.start):
            continue
        rows.extend(_sentence_targets(doc, sentence))
    rows.extend(table_targets(doc))
    doc.spans[TARGETS] = []
    for row in rows:
        add_row(doc, TARGETS, row["start"], row["end"], row, row["kind"])
    return doc


def _sentence_targets(doc: Doc, span: Span) -> list[dict]:
    """Rows for the quantity candidates of one sentence, read with offsets into the sentence;
    their kind and year are the context component's."""
    sentence = text_of(doc)[span.start : span.end]
    context = {}
    for found in spans_within(doc, QUANTITIES, span.start, span.end):
        q = candidate(found, Quantity)
        context[replace(q, start=q.start - span.start, end=q.end - span.start, cue_start=q.cue_start - span.start)] = found
    quantities = list(context)
    baselines = _baselines(sentence, quantities)
    rows: list[dict] = []
    subjects: dict[Quantity, str] = {}  # each value's indicator so far, for clauses that elide theirs
    previous_end = None
    for group in _groups(sentence, quantities):
        first, last = group[0], group[-1]
        if first in baselines.values():
            continue  # a baseline (从A提高到B) is read with the value it leads to
        clause_start, clause_end = clause_bounds(sentence, _cue_start(first), last.end)
        previous = [q for q in quantities if q.end <= _cue_start(first) and q.end > clause_start]
        item_start = previous[-1].end if previous else clause_start
        following = [q for q in quantities if _cue_start(q) >= last.end and _cue_start(q) < clause_end]
        item_end = _cue_start(following[0]) if following else clause_end
        before = sentence[item_start : first.start]
        if not _is_statistic(last if len(group) > 1 else first, before):
            continue
        gap = sentence[last.end : following[0].start] if following else ""
        if following and has_predicate(gap) and not _pattern("coordination").match(gap):
            continue  # a count inside the subject: 10条产业链收入突破1.5万亿元
        if _pattern("policy_parts").match(sentence[last.end : item_end]):
            continue  # 出台20条措施: a count of the policy's own articles
        baseline = baselines.get(first) if len(group) == 1 else None
        reading = _baseline_reading(sentence, baseline, quantities, clause_start) if baseline else None
        reading = reading or read_clause(sentence, first.start, last.end, item_start, item_end)
        verb = _elided_verb(sentence, reading, before, previous_end, first)
        preceding = [q for q in quantities if q.end <= _cue_start(first)][-len(group):]
        earlier = [subjects.get(q) for q in preceding] if len(preceding) == len(group) else [None]
        elided = verb is not None and all(earlier)
        if reading is None and not elided:
            continue
        if elided:
            # 整车销售28万辆，销售收入200亿元，分别增长30%和27%: each value's subject is one before
            indicators, shape = [subject + verb for subject in earlier], "elided_subject"
        elif len(group) == 1 and _pattern("distributive").search(sentence[item_start : _cue_start(first)]):
            # 城镇新增就业和转移农业劳动力各4500万人: the one value is every branch's
            indicators, shape = branches(reading.indicator), "distributive"
            group = [first] * len(indicators)
        else:
            indicators, shape = [reading.indicator] * len(group), reading.shape
            if len(group) > 1:
                indicators = split_branches(reading.indicator, len(group)) or indicators
        for q, indicator in zip(group, indicators):
            if context[q]._.kind == INSTRUMENT:
                continue
            row = _row(span, q, last, indicator, context[q], f"prose.{shape}.{q.rule}")
            if baseline is not None:
                row["baseline_value"] = baseline.value
            rows.append(row)
        subjects.update(zip(group, indicators))
        previous_end = last.end
    return rows


def _pattern(key: str):
    return rules.pattern("targets", key)


def _baselines(sentence: str, quantities: list[Quantity]) -> dict[Quantity, Quantity]:
    """Value → its baseline, for each 从A提高到B in the sentence: A right after 从/由, the gap
    to B only a verb of change with 到/至/为."""
    found = {}
    for a, b in zip(quantities, quantities[1:]):
        if (_pattern("baseline_to").fullmatch(sentence[a.end : _cue_start(b)])
                and _pattern("baseline_from").search(sentence[: _cue_start(a)])):
            found[b] = a
    return found


def _baseline_reading(sentence: str, baseline: Quantity, quantities: list[Quantity], clause_start: int) -> Reading | None:
    """The indicator of 从A提高到B: the words before 从, from the clause's start or the value
    before A."""
    lead = _pattern("baseline_from").search(sentence[: _cue_start(baseline)])
    earlier = [q for q in quantities if clause_start < q.end <= lead.start()]
    indicator = clean(sentence[earlier[-1].end if earlier else clause_start : lead.start()])
    return Reading(indicator, "baseline") if indicator else None


def _elided_verb(sentence: str, reading: Reading | None, before: str, previous_end: int | None,
                 first: Quantity) -> str | None:
    """The change verb of a clause coordinated with the previous value's (、增长9.8%) that names
    nothing else: its subject is elided, and is the previous value's (进出口总额 + 增长). ``None``
    when the clause names its own subject. ``before`` is the clause's words before the value,
    read without a leading time word (去年新增 → 新增) where the reading found no indicator."""
    if previous_end is None or not _pattern("coordination").match(sentence[previous_end : _cue_start(first)]):
        return None
    bare = before.strip(EDGE_PUNCT)
    time = leading_time_expression(bare)
    words = reading.indicator if reading is not None else bare[time.end if time else 0 :].strip(EDGE_PUNCT)
    elided = _pattern("elided_subject").fullmatch(words)
    return elided.group("verb") if elided else None


def _row(span: Span, q: Quantity, last: Quantity, indicator: str, found: Span, rule: str) -> dict:
    start = span.start + q.start
    kind, year = found._.kind, found._.year
    comparator = q.comparator
    if comparator == "=" and last.comparator != "=" and q is not last:
        comparator = last.comparator  # 分别稳定在85和80以上: 以上 governs both
    word = change_words(text_of(span.doc)[span.start + q.cue_start : span.start + q.start], q.change) if q.change else ""
    if word and not indicator.endswith(change_vocabulary(q.change)):
        indicator += word
    return {
        "kind": kind, "indicator": indicator, "indicator_key": "", "value": q.value, "value_max": q.value_max,
        "unit": q.unit or last.unit, "comparator": comparator, "target_year": year,
        "baseline_value": None, "baseline_year": None, "area": "",
        "start": start, "end": span.start + q.end, "rule": rule, "value_text": q.text,
    }
