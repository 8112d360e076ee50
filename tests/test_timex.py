"""Time expressions and deadlines, phrased as many different plans phrase them.

Each case gives the document's reference year and plan period (``None`` when unknown); the
expected tuples are ``(text, kind, start_year, end_year)``.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planx import rules
from planx.normalise import normalise_line
from planx.passes.quantity import rule_templates
from planx.passes.timex import find_time_expressions, five_year_period

P14 = (2021, 2025)


def found(text: str, reference_year=None, period=None):
    return [(t.text, t.kind, t.start_year, t.end_year)
            for t in find_time_expressions(normalise_line(text), reference_year, period)]


TIME_CASES = [
    # by: a goal due by a year
    ("到2025年，质量提升取得明显效果", 2021, P14, [("到2025年", "by", None, 2025)]),
    ("到2025年底，全面建成", 2021, P14, [("到2025年底", "by", None, 2025)]),
    ("到2025年末", 2021, P14, [("到2025年末", "by", None, 2025)]),
    ("至2030年，碳排放达峰", 2021, None, [("至2030年", "by", None, 2030)]),
    ("到二〇三五年", 2021, None, [("到二〇三五年", "by", None, 2035)]),
    ("到2035年基本实现社会主义现代化", 2021, None, [("到2035年", "by", None, 2035)]),
    ("到2020年，综合质量竞争力位居全国前列", 2016, (2016, 2020), [("到2020年", "by", None, 2020)]),
    ("力争2025年前实现全覆盖", 2021, None, [("2025年前", "by", None, 2025)]),
    ("2023年底前完成改造", 2021, None, [("2023年底前", "by", None, 2023)]),
    ("2023年年底前", 2021, None, [("2023年年底前", "by", None, 2023)]),
    ("2024年6月底前建成", 2023, None, [("2024年6月底前", "by", None, 2024)]),
    ("2025年以前", 2021, None, [("2025年以前", "by", None, 2025)]),
    ("2023年完成一期项目建设", 2021, P14, [("2023年", "by", None, 2023)]),
    ("2025年全面建成", 2021, None, [("2025年", "by", None, 2025)]),
    ("2022年实现县域全覆盖", 2021, None, [("2022年", "by", None, 2022)]),
    ("2024年基本建成", 2021, None, [("2024年", "by", None, 2024)]),
    ("2023年建成投用", 2021, None, [("2023年", "by", None, 2023)]),
    ("6月底前报送", 2023, None, [("6月底前", "by", None, 2023)]),
    ("9月底完成", 2023, None, [("9月底", "by", None, 2023)]),
    ("十二月底前", 2023, None, [("十二月底前", "by", None, 2023)]),
    ("年底前完成", 2023, None, [("年底前", "by", None, 2023)]),
    ("今年内完成", 2023, None, [("今年内", "by", None, 2023)]),
    ("年内建成", 2022, None, [("年内", "by", None, 2022)]),
    ("“十四五”末", 2021, P14, [("“十四五”末", "by", None, 2025)]),
    ("到“十四五”期末", 2021, None, [("到“十四五”期末", "by", None, 2025)]),
    ("十三五末", 2016, None, [("十三五末", "by", None, 2020)]),
    ("《纲要》和二〇三五年远景目标", 2021, None, [("二〇三五年", "by", None, 2035)]),
    ("2035年远景目标", None, None, [("2035年", "by", None, 2035)]),
    ("到本世纪中叶", 2021, None, [("到本世纪中叶", "by", None, 2050)]),
    ("截至2025年底", 2021, None, [("截至2025年底", "by", None, 2025)]),
    ("今年发展的主要预期目标是", 2024, None, [("今年", "by", None, 2024)]),
    ("本年度", 2024, None, [("本年度", "by", None, 2024)]),
    ("明年完成", 2024, None, [("明年", "by", None, 2025)]),
    ("到 2 0 2 5 年", 2021, None, [("到 2 0 2 5 年", "by", None, 2025)]),
    ("到２０２５年", 2021, None, [("到2025年", "by", None, 2025)]),
    ("2025年，全市生产总值达到3万亿元", 2021, None, [("2025年", "by", None, 2025)]),
    # during: periods
    ("“十四五”时期，是关键时期", 2021, P14, [("“十四五”时期", "during", 2021, 2025)]),
    ("“十四五”期间", 2021, None, [("“十四五”期间", "during", 2021, 2025)]),
    ("“十三五”期间，培育50个品牌", 2016, None, [("“十三五”期间", "during", 2016, 2020)]),
    ("苏州市“十四五”质量发展规划", 2021, None, [("“十四五”", "during", 2021, 2025)]),
    ("十四五规划", None, None, [("十四五", "during", 2021, 2025)]),
    ("十四五时期", None, None, [("十四五时期", "during", 2021, 2025)]),
    ("“十五五”时期", None, None, [("“十五五”时期", "during", 2026, 2030)]),
    ("“十一五”期间", None, None, [("“十一五”期间", "during", 2006, 2010)]),
    ("“十二五”以来", 2016, None, [("“十二五”以来", "during", 2011, 2015)]),
    ("‘十四五’期间", None, None, [("‘十四五’期间", "during", 2021, 2025)]),
    ('"十四五"期间', None, None, [('"十四五"期间', "during", 2021, 2025)]),
    ("「十四五」时期", None, None, [("「十四五」时期", "during", 2021, 2025)]),
    ("“十四五”初期", None, None, [("“十四五”初期", "during", 2021, 2025)]),
    ("“十四五”规划期内", None, None, [("“十四五”规划期内", "during", 2021, 2025)]),
    ("第十四个五年规划", None, None, [("第十四个五年", "during", 2021, 2025)]),
    ("第十三个五年规划纲要", None, None, [("第十三个五年", "during", 2016, 2020)]),
    ("2021-2023年", None, None, [("2021-2023年", "during", 2021, 2023)]),
    ("2021—2023年", None, None, [("2021—2023年", "during", 2021, 2023)]),
    ("2021年至2023年", None, None, [("2021年至2023年", "during", 2021, 2023)]),
    ("2021年-2023年", None, None, [("2021年-2023年", "during", 2021, 2023)]),
    ("《国家标准化体系建设发展规划（2016－2020年）》", 2016, None, [("2016-2020年", "during", 2016, 2020)]),
    ("行动计划（2021—2025）", None, None, [("2021—2025", "during", 2021, 2025)]),
    ("二〇二一—二〇二五年", None, None, [("二〇二一—二〇二五年", "during", 2021, 2025)]),
    ("2021～2025年度", None, None, [("2021～2025年度", "during", 2021, 2025)]),
    ("为未来五年全市质量发展提供行动指引", 2021, P14, [("未来五年", "during", 2021, 2025)]),
    ("今后五年", 2021, None, [("今后五年", "during", 2021, 2025)]),
    ("今后3年", 2023, None, [("今后3年", "during", 2023, 2025)]),
    ("未来5年", None, None, [("未来5年", "during", None, None)]),
    ("五年累计推出100个以上认证高端产品", 2021, P14, [("五年", "during", 2021, 2025)]),
    ("5年新增主导和参与制修订国家标准2500项", 2021, P14, [("5年", "during", 2021, 2025)]),
    ("新增鲁班奖等国家级优质工程奖项（5年）", 2021, P14, [("5年", "during", 2021, 2025)]),
    ("3年内完成", 2022, None, [("3年", "during", 2022, 2024)]),
    ("力争用3年时间", 2023, None, [("用3年时间", "during", 2023, 2025)]),
    ("用三年左右的时间", 2023, None, [("用三年左右的时间", "during", 2023, 2025)]),
    ("自2021年起", 2021, P14, [("自2021年起", "during", 2021, 2025)]),
    ("从2022年开始", 2021, P14, [("从2022年开始", "during", 2022, 2025)]),
    ("2023年起", 2021, None, [("2023年起", "during", 2023, None)]),
    # during, looking back
    ("近三年", 2021, None, [("近三年", "during", 2018, 2020)]),
    ("过去五年", 2023, None, [("过去五年", "during", 2018, 2022)]),
    ("五年来，我们攻坚克难", 2023, None, [("五年来", "during", 2018, 2022)]),
    ("近5年", 2021, None, [("近5年", "during", 2016, 2020)]),
    ("“十三五”以来", 2021, None, [("“十三五”以来", "during", 2016, 2020)]),
    ("2016年以来", 2021, None, [("2016年以来", "during", 2016, 2021)]),
    ("自2018年以来", 2021, None, [("自2018年以来", "during", 2018, 2021)]),
    # recurring
    ("每年制定行动计划", 2021, None, [("每年", "recurring", None, None)]),
    ("每季度调度一次", None, None, [("每季度", "recurring", None, None)]),
    ("每个季度", None, None, [("每个季度", "recurring", None, None)]),
    ("每月通报", None, None, [("每月", "recurring", None, None)]),
    ("每半年评估一次", None, None, [("每半年", "recurring", None, None)]),
    ("每两年开展一次", None, None, [("每两年", "recurring", None, None)]),
    ("每周", None, None, [("每周", "recurring", None, None)]),
    ("每年度", None, None, [("每年度", "recurring", None, None)]),
    ("定期发布质量状况分析报告", None, None, [("定期", "recurring", None, None)]),
    ("不定期抽查", None, None, [("不定期", "recurring", None, None)]),
    ("投诉率逐年下降", None, None, [("逐年", "recurring", None, None)]),
    ("常态化开展风险辨识", None, None, []),  # a habit, not a time (issue: habitual adverbs are no deadlines)
    ("按季度调度", None, None, [("按季度", "recurring", None, None)]),
    ("按月报送", None, None, [("按月", "recurring", None, None)]),
    ("纳入年度考核", None, None, []),  # 年度 as an attribute: an annual thing, no time bound
    ("按照年度实施", None, None, [("按照年度", "recurring", None, None)]),
    ("补贴标准从每人每月202元提高到209元", None, None, []),  # a rate, not a repetition
    ("制定年度计划", None, None, []),
    ("每年食品抽检覆盖率保持7批次/千人以上", 2021, None, [("每年", "recurring", None, None)]),
    # points: dates that report
    ("2020年，特种设备事故起数同比下降70%", 2021, None, [("2020年", "point", None, 2020)]),
    ("2020年底，全市共有", 2021, None, [("2020年底", "point", None, 2020)]),
    ("2021年6月，印发方案", 2021, None, [("2021年6月", "point", None, 2021)]),
    ("2025年", None, None, [("2025年", "point", None, 2025)]),
    ("2023年度", 2024, None, [("2023年度", "point", None, 2023)]),
    ("2 0 0 5年", 2021, None, [("2 0 0 5年", "point", None, 2005)]),
    ("截至2020年底，已建成", 2021, None, [("截至2020年底", "by", None, 2020)]),
    # several in one sentence
    ("根据《第十四个五年规划和二〇三五年远景目标纲要》", 2021, None,
     [("第十四个五年", "during", 2021, 2025), ("二〇三五年", "by", None, 2035)]),
    ("“十三五”时期苏州质量发展工作成效及“十四五”时期苏州质量发展思路", 2021, None,
     [("“十三五”时期", "during", 2016, 2020), ("“十四五”时期", "during", 2021, 2025)]),
    ("到2025年，5年新增标准2500项", 2021, P14, [("到2025年", "by", None, 2025), ("5年", "during", 2021, 2025)]),
    ("2021年至2023年，每年投入1亿元", 2021, None,
     [("2021年至2023年", "during", 2021, 2023), ("每年", "recurring", None, None)]),
]


@pytest.mark.parametrize("text, ref, period, expected", TIME_CASES, ids=[c[0][:24] for c in TIME_CASES])
def test_time_found(text, ref, period, expected):
    assert found(text, ref, period) == expected


NO_TIME = [
    "在全省考核中连续5年获评A级", "苏州建城2500年", "第五年", "近年来", "培育十五个", "一五一十", "长期坚持",
    "按照要求", "本世纪", "每一项", "5个月", "三五成群", "十四", "三年行动计划", "五年规划", "2500年",
    "增长5%", "第十四个", "提升质量", "年年有余", "跨年度",
]


@pytest.mark.parametrize("text", NO_TIME)
def test_no_time(text):
    assert found(text, 2021, P14) == []


MONTH_CASES = [
    ("6月底前", 6), ("2024年6月底前", 6), ("2023年底前", 12), ("年底前", 12), ("到2025年", None),
    ("到2025年底", 12), ("十二月底前", 12), ("2021年6月", 6), ("9月底完成", 9),
]


@pytest.mark.parametrize("text, month", MONTH_CASES)
def test_month(text, month):
    (t,) = find_time_expressions(text, 2023)
    assert t.month == month


PAST_CASES = [
    ("2020年，事故起数同比下降", 2021, True), ("“十三五”期间累计获鲁班奖7项", 2021, True),
    ("“十三五”期间，培育50个品牌", 2016, False), ("到2025年", 2021, False), ("近三年", 2021, True),
    ("“十三五”以来", 2016, True), ("截至2020年底", 2021, True), ("每年", 2021, False),
    ("2020年", None, False), ("“十四五”时期", 2021, False),
]


@pytest.mark.parametrize("text, ref, past", PAST_CASES)
def test_past(text, ref, past):
    (t,) = find_time_expressions(text, ref)
    assert t.past is past


FIVE_YEAR_PLANS = [
    ("一五", (1953, 1957)), ("二五", (1958, 1962)), ("三五", (1966, 1970)), ("四五", (1971, 1975)),
    ("五五", (1976, 1980)), ("六五", (1981, 1985)), ("七五", (1986, 1990)), ("八五", (1991, 1995)),
    ("九五", (1996, 2000)), ("十五", (2001, 2005)), ("十一五", (2006, 2010)), ("十二五", (2011, 2015)),
    ("十三五", (2016, 2020)), ("十四五", (2021, 2025)), ("十五五", (2026, 2030)),
    ("第十四个五年", (2021, 2025)), ("“十四五”", (2021, 2025)), ("十四五规划", (2021, 2025)),
    ("第十五个五年规划", (2026, 2030)),
]


@pytest.mark.parametrize("name, years", FIVE_YEAR_PLANS)
def test_five_year_period(name, years):
    assert five_year_period(name) == years


@pytest.mark.parametrize("name", ["十四", "五年", "第十四个", "十四五年", "", "2025"])
def test_five_year_period_rejects(name):
    assert five_year_period(name) is None


def test_every_pattern_names_known_kind_and_reading():
    for rule in rules.load_patterns("time", "patterns", rule_templates("time")):
        assert rule.get("kind") in {"by", "during", "recurring", "point"}, rule.id
        assert rule.get("years") in {"year", "range", "since", "from", "plan", "ahead", "back", "reference",
                                     "fixed", "none"}, rule.id


ALPHABET = st.sampled_from(list("0123456789 一二两三四五六七八九十〇零年月底末前后内以来起每定期逐常态化度季半“”\"「」"
                                "到至截止自从今未近过去第个五规划时期间初中叶本世纪-—～（），。")
                           + ["十四五", "2025", "完成", "远景"])


@given(st.lists(ALPHABET, max_size=50).map("".join), st.one_of(st.none(), st.integers(1990, 2040)))
@settings(max_examples=300, deadline=None)
def test_find_time_expressions_properties(text, ref):
    first = find_time_expressions(text, ref, P14)
    assert first == find_time_expressions(text, ref, P14)
    previous_end = 0
    for t in first:
        assert text[t.start : t.end] == t.text
        assert previous_end <= t.start < t.end
        assert t.kind in {"by", "during", "recurring", "point"}
        if t.kind == "recurring":
            assert t.start_year is None and t.end_year is None
        if t.start_year is not None and t.end_year is not None:
            assert t.start_year <= t.end_year
        previous_end = t.end


@given(st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_arbitrary_text_never_raises(text):
    for t in find_time_expressions(text, 2021):
        assert text[t.start : t.end] == t.text
    five_year_period(text)


ADVERSARIAL = {
    "digits": "0123456789" * 10_000,
    "yishang": "、以上" * 34_000,
    "brackets": "（“《【〔" * 20_000,
    "spaced digits": "1 " * 50_000,
    "years": "2025年" * 20_000,
    "open quotes": "“十四" * 30_000,
    "nian": "年" * 100_000,
}


@pytest.mark.parametrize("name", ADVERSARIAL)
def test_no_catastrophic_backtracking(name):
    began = time.perf_counter()
    find_time_expressions(ADVERSARIAL[name], 2021, P14)
    assert time.perf_counter() - began < 3
