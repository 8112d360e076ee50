"""Read the indicator a value measures from the clause around it.

Three shapes cover how plans state numbers (patterns in ``rules/targets.yaml``):

* subject + predicate + value: ``制造业产品质量合格率达到97%`` → 制造业产品质量合格率;
* verb + value + object: ``培育1000家以上高成长企业`` → 高成长企业;
* list item: ``中国工业大奖5个、全国质量奖10个`` → 中国工业大奖, 全国质量奖.

Offsets are relative to the sentence string given; nothing here knows the document.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .. import rules
from .timex import leading_time_expression

# Code, not a rule: a bracket pair is punctuation; which ones are kept is max_kept_parenthetical.
_PAREN = regex.compile(r"[（(][^（()）]*[）)]")
EDGE_PUNCT = "、，,；：: \t"


@dataclass(frozen=True)
class Reading:
    """How the clause around a value reads: the indicator and the shape that gave it."""

    indicator: str
    shape: str
    predicate: str = ""


def _pattern(key: str):
    return rules.pattern("targets", key)


def clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``[start, end)``: from the last clause mark before to the next after."""
    clause_end = _pattern("clause_end")
    left = max((m.end() for m in clause_end.finditer(sentence, 0, start)), default=0)
    right = clause_end.search(sentence, end)
    return left, right.start() if right else len(sentence)


def clean(phrase: str) -> str:
    """Trim what is not the measured thing: leading time words, scope and acquisition verbs,
    trailing adverbs, long explanatory parentheticals and edge punctuation."""
    # The bullets and enumerators that open a lead sentence (——, 一是) open no indicator either.
    phrase = rules.pattern("measures", "lead_sentence", "prefix").sub("", phrase.strip(EDGE_PUNCT))
    time = leading_time_expression(phrase)
    if time is not None:
        phrase = phrase[time.end :].strip(EDGE_PUNCT)
    limit = int(rules.load("targets")["max_kept_parenthetical"])
    phrase = _PAREN.sub(lambda m: m.group(0) if len(m.group(0)) - 2 <= limit else "", phrase)
    for _ in range(2):
        phrase = _pattern("leading_noise").sub("", phrase).strip(EDGE_PUNCT)
        phrase = _pattern("trailing_noise").sub("", phrase).strip(EDGE_PUNCT)
    return phrase.strip("“”\"") if phrase.count("“") != phrase.count("”") else phrase


def object_phrase(after: str, sentence_rest: str) -> tuple[str, str]:
    """The noun phrase after a value (up to a verb that starts a new phrase) and the rest.

    ``由…组成的质量创新联合体`` names its head after 组成的, which may lie beyond the clause.
    """
    text = after.lstrip("的以上余多左右 ")
    if text.startswith("由"):
        made = _pattern("made_of").search(sentence_rest)
        if made:
            return made.group("head"), ""
    verb = _pattern("phrase_verbs").search(text, 1) if len(text) > 1 else None
    if verb:
        return text[: verb.start()].strip(EDGE_PUNCT).rstrip("和及与"), text[verb.start() :]
    return text.strip(EDGE_PUNCT).rstrip("和及与"), ""


def read_clause(sentence: str, cue_start: int, end: int, item_start: int, item_end: int) -> Reading | None:
    """The indicator a value at ``[cue_start, end)`` measures.

    Args:
        sentence: the sentence text.
        cue_start: where the value's own words begin (a comparator such as 不低于 included).
        end: where the value (and its unit) ends.
        item_start: where this value's stretch of the clause begins (after the previous value).
        item_end: where the next value's stretch begins (or the clause ends).
    """
    before = sentence[item_start:cue_start].rstrip()  # OCR text spaces a value off: 控制在 5%
    rate = _pattern("rate_prefix").search(before)
    if rate:
        before = before[: rate.start()]
    after = sentence[end:item_end]
    predicate = _pattern("predicates").search(before)
    if predicate and predicate.start() > 0:
        subject = clean(before[: predicate.start()])
        # 开展不少于200项质量攻关: a comparator after a verb qualifies the verb's object.
        qualifies_object = _pattern("object_comparators").fullmatch(predicate.group(0)) and _pattern("object_verbs").search(subject)
        if subject and not qualifies_object:
            return Reading(subject, "subject_predicate", predicate.group(0))
    noun, rest = object_phrase(after, sentence[end:])
    # A noun right after the value is what is counted (培育1000家高成长企业, …光电产品2个示范点);
    # the words before it name the thing when none follows (中国工业大奖5个、全国质量奖10个).
    if noun and not after.lstrip().startswith(tuple("、，,；;")):
        if before.rstrip().endswith("在") and rest:
            noun = noun + rest.strip(EDGE_PUNCT)
        return Reading(clean(noun) or noun, "verb_object")
    item = clean(before)
    if item:
        return Reading(item, "list_item")
    if noun:
        return Reading(clean(noun) or noun, "object")
    return None


def has_predicate(text: str) -> bool:
    """``text`` (the words right before a value) ends with a predicate or comparator verb."""
    return bool(_pattern("predicates").search(text.rstrip()))


def branches(subject: str) -> list[str]:
    """Every branch of a coordinated subject, shared heads completed (a subject of one branch
    gives itself): 城镇新增就业和转移农业劳动力 → 城镇新增就业, 转移农业劳动力."""
    count = len([p for p in _pattern("branch_joiner").split(_pattern("list_etc").sub("", subject)) if p])
    return (split_branches(subject, count) or [subject]) if count > 1 else [subject]


def split_branches(subject: str, count: int) -> list[str] | None:
    """Split a 分别 subject into ``count`` branches, completing shared heads.

    ``生产性和生活性服务行业顾客满意度`` with 2 → 生产性服务行业顾客满意度, 生活性服务行业顾客满意度.
    """
    subject = _pattern("list_etc").sub("", subject)
    parts = [p for p in _pattern("branch_joiner").split(subject) if p]
    if len(parts) == 1:
        for blend, parts_of in rules.load("targets")["blended_branches"].items():
            if blend in subject and len(parts_of) == count:
                return [subject.replace(blend, part, 1) for part in parts_of]
    if len(parts) != count:
        return None
    first, last = parts[0], parts[-1]
    completed = []
    for i, part in enumerate(parts):
        if i < count - 1 and len(part) <= 4 and len(part) < len(last):
            part = part + last[len(part) :]  # 生产性和生活性服务行业… share the head
        elif i > 0 and len(part) <= 4 and len(part) < len(first):
            part = first[: len(first) - len(part)] + part  # 事故起数和死亡人数 share the modifier
        completed.append(part)
    return completed
