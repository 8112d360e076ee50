"""Deadlines bound a commitment: habits, attributes, rates and notes do not (issue #13)."""

from __future__ import annotations

import pytest

from planx.document import rows_of
from planx.pipeline import parse


def deadlines_of(text: str, heading: str = "二、主要任务") -> list[tuple[str, str]]:
    doc = parse(f"{heading}\n{text}", period_start=2021, period_end=2025, report_year=2021)
    return [(r["text"], r["kind"]) for r in rows_of(doc, "deadlines")]


@pytest.mark.parametrize("sentence", [
    "常态化开展扫黑除恶专项斗争。",                       # a work report's habit
    "推进基础设施领域不动产投资信托基金常态化发行。",        # a plan's habit, after its noun
    "把安全生产纳入年度考核。",                           # 年度 as an attribute
    "今年安排省重点建设项目500个、年度计划投资3000亿元。",  # an annual figure, not a repetition
    "困难残疾人生活补贴标准从每人每月200元提高到210元。",   # a rate
    "计算方法：本年度出院患者次均医药费用/同期出院人次数。",  # an indicator's definition
])
def test_no_deadline(sentence):
    assert [d for d in deadlines_of(sentence) if d[0] != "今年"] == []


@pytest.mark.parametrize("sentence, expected", [
    ("每季度通报一次工作进展。", [("每季度", "recurring")]),
    ("定期发布质量状况分析报告。", [("定期", "recurring")]),
    ("三级公立医院绩效考核工作按照年度实施。", [("按照年度", "recurring")]),
    ("各地每年组织一次专项检查。", [("每年", "recurring")]),
    ("2022年6月底前，完成平台建设。", [("2022年6月底前", "by")]),
    # a yearly date, and a month that continues it in its sentence
    ("国家卫生健康委每年3月底前完成上述工作。", [("每年3月底前", "recurring")]),
    ("每年2月底前各省份完成考核，3月底前国家完成分析。", [("每年2月底前", "recurring"), ("3月底前", "recurring")]),
])
def test_recurring_and_dated_duties_are_deadlines(sentence, expected):
    assert deadlines_of(sentence) == expected


REPORT = "政府工作报告\n——2025年1月15日在某省第十四届人民代表大会第三次会议上\n各位代表：\n二、2025年工作安排\n"


def report_deadlines(text: str) -> list[tuple[str, str, int | None]]:
    doc = parse(REPORT + text)
    return [(r["text"], r["kind"], r["end_year"]) for r in rows_of(doc, "deadlines")]


@pytest.mark.parametrize("sentence, expected", [
    # a work report names plans as documents: no deadline of its own
    ("2025年是“十四五”规划收官之年。", []),
    ("高质量做好“十四五”规划评估和“十五五”规划编制。", []),
    ("面对开局“十四五”的艰巨任务，我们克难奋进。", []),
    # a plan's period as the time of a task is one
    ("及早谋划“十五五”重大项目。", [("“十五五”", "during", 2030)]),
    # the report's own year: 年底 and a month before a verb
    ("年底通过国家创新型城市建设验收。", [("年底", "by", 2025)]),
    ("二期安置区5月开始交付。", [("5月", "by", 2025)]),
])
def test_a_work_report_s_deadlines(sentence, expected):
    assert report_deadlines(sentence) == expected
