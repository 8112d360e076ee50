"""The context component: modifiers from rules/context.yaml decide a quantity's kind and
year, the words around a place its responsibility; each decision keeps the rule that made it."""

from __future__ import annotations

import shutil

import pytest
import yaml

from planx import rules
from planx.document import PLACES, QUANTITIES
from planx.errors import RuleFileError
from planx.pipeline import parse


def quantities(text: str, heading: str = "二、主要任务", **facts):
    doc = parse(f"{heading}\n{text}", **{"period_start": 2021, "period_end": 2025, **facts})
    return [(span.text, span._.kind, span._.kind_rule, span._.year) for span in doc.spans[QUANTITIES]]


@pytest.mark.parametrize("heading, sentence, kind, rule", [
    # a 五年规划's task chapter: targets by default
    ("二、主要任务", "全市新建5G基站1万个。", "target", "context.default"),
    # a work report's review: results, unless the sentence commits
    ("一、2023年工作回顾", "全市地区生产总值增长5.2%。", "achieved", "section.review"),
    ("一、2023年工作回顾", "力争全年城镇新增就业12万人。", "target", "context.commitment"),
    # a result reported inside a plan chapter
    ("三、重点任务", "规上工业增加值同比增长8%。", "achieved", "context.reported_result"),
    ("三、重点任务", "已建成国家级检验检测中心12个。", "achieved", "context.reported_result"),
    # an 实施方案's goal sentence
    ("二、工作目标", "到2025年，制造业产品质量合格率达到97%。", "target", "context.commitment"),
    # an 意见 that counts what exists: the achieved cue wins over the target cue
    ("一、总体要求", "截至目前已累计培育企业100家，目标是翻一番。", "achieved", "context.reported_result"),
])
def test_kind_and_the_modifier_that_decided_it(heading, sentence, kind, rule):
    (found,) = quantities(sentence, heading)[:1]
    assert found[1:3] == (kind, rule)


@pytest.mark.parametrize("sentence, year", [
    ("到2023年，全市建成10个平台。", 2023),
    ("全市建成10个平台。", 2025),          # the plan period's end, for a target nothing dates
    ("2024年底前，建成5个中心。", 2024),
])
def test_year_in_force(sentence, year):
    (found,) = quantities(sentence)[:1]
    assert found[3] == year


def test_a_place_is_responsible_by_the_cue_around_it():
    doc = parse("三、重点任务\n（一）协同发展\n昆山市、太仓市等地应重点发展生物医药，加强与上海的合作。", region_code="320500")
    decided = {span.text: (span._.responsible, span._.responsible_rule) for span in doc.spans[PLACES]}
    assert decided == {"昆山市": (True, "areas.after_cues"), "太仓市": (True, "areas.after_cues"), "上海": (False, "")}


def _context_rules(tmp_path, modifiers):
    copy = tmp_path / "rules"
    shutil.copytree(rules.rules_dir(), copy)
    config = yaml.safe_load((copy / "context.yaml").read_text(encoding="utf-8"))
    config["modifiers"] = modifiers
    (copy / "context.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return copy


def _modifier(direction, scope, terminators=None):
    entry = {"id": "planned", "category": "target", "intent": "计划 commits", "pattern": "计划",
             "direction": direction, "scope": scope, "examples": ["计划新建"]}
    if terminators:
        entry["terminators"] = terminators
    return entry


@pytest.mark.parametrize("direction, scope, terminators, expected", [
    ("forward", "sentence", None, ["achieved", "target"]),     # only the value after 计划
    ("backward", "sentence", None, ["target", "achieved"]),    # only the value before it
    ("both", "sentence", None, ["target", "target"]),
    ("both", "clause", None, ["achieved", "target"]),          # 计划 is in the second clause only
    ("forward", "sentence", "并且", ["achieved", "target"]),
])
def test_direction_scope_and_terminators(tmp_path, direction, scope, terminators, expected):
    copy = _context_rules(tmp_path, [_modifier(direction, scope, terminators)])
    with rules.using(copy):
        found = quantities("新建基站100个，计划新建基站200个。", "一、2023年工作回顾")
    assert [kind for _text, kind, _rule, _year in found] == expected


def test_a_terminator_stops_a_modifier(tmp_path):
    copy = _context_rules(tmp_path, [_modifier("forward", "sentence", "但")])
    with rules.using(copy):
        found = quantities("计划新建基站200个，但新建基站100个。", "一、2023年工作回顾")
    assert [kind for _text, kind, _rule, _year in found] == ["target", "achieved"]


def test_an_unknown_direction_fails_at_load(tmp_path):
    copy = _context_rules(tmp_path, [_modifier("sideways", "sentence")])
    with rules.using(copy), pytest.raises(RuleFileError, match=r"context.yaml -> modifiers -> 0\] direction must be"):
        quantities("计划新建基站200个。")


@pytest.mark.parametrize("text, deadlines", [
    # a review looks back; what it says will happen after the reviewed year is a deadline
    ("2022年工作回顾\n全市完成投资100亿元，力争2026年前实现电力供需平衡。\n2023年主要工作\n（一）稳增长\n年底前建成5个中心。",
     ["2026年前", "年底前"]),
    ("一、过去五年工作回顾\n常态化开展督查，2022年完成改造。\n二、今后五年目标任务\n（一）发展\n到2027年，建成示范区。", ["今后五年", "到2027年"]),
    ("一、“十三五”时期发展成效\n“十三五”时期，全市GDP年均增长6%。\n二、主要任务\n（一）创新\n到2025年，研发投入强度达到3%。", ["到2025年"]),
])
def test_deadlines_in_a_review_only_when_they_look_ahead(text, deadlines):
    doc = parse(text, period_start=None, period_end=None)
    assert [span.text for span in doc.spans["deadlines"]] == deadlines
