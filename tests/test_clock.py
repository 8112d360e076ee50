"""The document's clock: the year a document speaks in (its meeting date, issue date or title
year), and the year each quantity is for when its sentence names none (gold/README.md)."""

from __future__ import annotations

import pytest

from planx.document import QUANTITIES
from planx.pipeline import parse

REPORT_OPENING = "关于政府工作的报告\n——2024年1月15日在某市第十届人民代表大会第三次会议上\n某市人民政府市长 张三\n各位代表：\n"


@pytest.mark.parametrize("text, facts", [
    # a work report's meeting line, the date on the line itself
    ("政府工作报告\n——2024年1月15日在某市第十届人民代表大会第三次会议上\n各位代表：\n现在报告工作。",
     {"report_year": 2024, "meeting_date": "2024-01-15", "document_type": "work_report"}),
    # the date on its own line below, in brackets, in Chinese numerals
    ("政府工作报告\n——在某县第五届人民代表大会第二次会议上\n（二〇一九年一月十二日）\n各位代表：",
     {"report_year": 2019, "meeting_date": "2019-01-12", "document_type": "work_report"}),
    # a labelled header from a web archive: 发文时间 gives the date, 标题 the year when no date
    ("标题：2023年某市政府工作报告\n发文单位：某市人民政府\n发文时间：未知\n正文：\n各位代表：",
     {"report_year": 2023, "meeting_date": "", "title": "2023年某市政府工作报告", "issuer": "某市人民政府"}),
    ("标题：某县政府工作报告\n发文时间：2020-01-08\n正文：\n各位代表：",
     {"report_year": 2020, "issue_date": "2020-01-08"}),
    # a gov.cn header: several labels on a line
    ("发文机关：\t国务院\t成文日期：\t2018年11月16日\n标 题：\t国务院关于促进就业的若干意见\t\n正文",
     {"issuer": "国务院", "issue_date": "2018-11-16", "report_year": 2018, "document_type": "opinion"}),
    # an opinion signed at its end, with a publication note after the date
    ("某省人民政府关于加快质量发展的意见\n各市人民政府：\n现提出如下意见。\n某省人民政府\n2016年7月7日（此件公开发布）",
     {"issuer": "某省人民政府", "issue_date": "2016-07-07", "report_year": 2016}),
    # a plan whose title gives its period, and no date anywhere
    ("某市质量提升行动计划（2021—2023年）\n一、总体要求\n全面提升质量。",
     {"period_start": 2021, "period_end": 2023, "report_year": 2021, "document_type": "implementation_plan"}),
    # an outline that opens with its name, spaced as OCR leaves it
    ("国民经济和社会发展第十一个五年（2006—2010 年）规划纲要根据建议编制，是未来五年的蓝图。",
     {"period_start": 2006, "period_end": 2010, "report_year": 2006}),
])
def test_the_document_clock(text, facts):
    doc = parse(text)
    assert {name: getattr(doc._, name) for name in facts} == facts


@pytest.mark.parametrize("speaker, issuer", [
    ("某市人民政府市长 张三", "某市人民政府"),
    ("广东省省长 王伟中", "广东省人民政府"),
    ("高阳县人民政府县长 闫向阳", "高阳县人民政府"),
    ("河北省人民政府代理省长 某某", "河北省人民政府"),
    ("某自治州州长 某某", "某自治州人民政府"),
])
def test_a_report_is_issued_by_the_government_its_speaker_heads(speaker, issuer):
    doc = parse(f"政府工作报告\n——2024年1月15日在第十届人民代表大会第三次会议上\n{speaker}\n各位代表：")
    assert doc._.issuer == issuer


def _years(text: str) -> list[tuple[str, str, int | None, str]]:
    doc = parse(REPORT_OPENING + text)
    return [(span.text, span._.kind, span._.year, span._.year_rule) for span in doc.spans[QUANTITIES]]


@pytest.mark.parametrize("text, kind, year, rule", [
    # a work report's review: last year's results
    ("一、过去一年工作回顾\n全市地区生产总值增长5.2%。", "achieved", 2023, "context.heading_year"),
    ("一、工作回顾\n全市地区生产总值增长5.2%。", "achieved", 2023, "context.clock.work_report.achieved"),
    ("一、2023年工作回顾\n城镇新增就业12万人。", "achieved", 2023, "context.heading_year"),
    ("过去一年，我们新建5G基站3000个。", "achieved", 2023, "context.time_in_force"),
    ("三、重点工作\n全市新增市场主体2万户，同比增长8%。", "achieved", 2023, "context.clock.work_report.achieved"),
    # its plan part: this year's targets
    ("二、2024年工作安排\n今年经济社会发展的主要预期目标是：地区生产总值增长5%左右。", "target", 2024,
     "context.time_in_force"),
    ("二、2024年工作安排\n城镇新增就业10万人以上。", "target", 2024, "context.heading_year"),
    ("二、今年工作安排\n居民消费价格涨幅3%左右。", "target", 2024, "context.heading_year"),
    ("三、重点工作\n居民消费价格涨幅3%左右。", "target", 2024, "context.clock.work_report.target"),
    # a recurring duty in a work report is this year's target; a past date in it dates a thing
    ("三、重点工作\n每个县每年至少培育10家领军企业。", "target", 2024, "context.clock.work_report.target"),
    ("三、重点工作\n改造老旧小区610个，确保2000年前建成的小区全部改造完成。", "target", 2024,
     "context.clock.work_report.target"),
    # a commitment to change on last year is a target, not a result
    ("三、重点工作\n万元生产总值能耗力争比上年降低3%。", "target", 2024, "context.clock.work_report.target"),
    # a sentence's own year beats the clock
    ("二、今年工作安排\n到2027年，建成高标准农田50万亩。", "target", 2027, "context.time_in_force"),
])
def test_a_work_report_dates_its_quantities_by_its_clock(text, kind, year, rule):
    assert _years(text)[0][1:] == (kind, year, rule)


@pytest.mark.parametrize("text, year", [
    # a plan: a target no sentence dates is for the end of the period
    ("某市“十四五”数字经济发展规划\n三、主要任务\n全市新建5G基站1万个。", 2025),
    ("某省质量提升行动计划（2021—2023年）\n二、重点任务\n培育质量标杆企业100家。", 2023),
    # an opinion without a period sets no year
    ("关于促进就业的若干意见\n一、稳定岗位\n每年培训农民工500万人次。", None),
    # a plan's recurring duty has no year of its own
    ("某市“十四五”质量发展规划\n三、主要任务\n各级政府每年专题研究质量工作不少于2次。", None),
])
def test_a_plan_dates_undated_targets_by_its_period(text, year):
    doc = parse(text)
    assert [span._.year for span in doc.spans[QUANTITIES]][:1] == [year]
