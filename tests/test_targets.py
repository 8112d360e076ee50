"""Targets from prose, phrased as many different plans phrase them."""

from __future__ import annotations

import pytest

from planx.document import rows_of
from planx.pipeline import parse


def targets_of(text: str, heading: str = "三、重点任务"):
    doc = parse("\n".join([heading, text]), period_start=2021, period_end=2025)
    return doc, rows_of(doc, "targets")


def brief(rows):
    return [(r["indicator"], r["value"], r["value_max"], r["unit"], r["comparator"]) for r in rows]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("到2025年，制造业产品质量合格率达到97%。", [("制造业产品质量合格率", 97, None, "%", "=")]),
        ("全市规上工业企业研发经费支出占营业收入比重达到2.5%以上。",
         [("规上工业企业研发经费支出占营业收入比重", 2.5, None, "%", ">=")]),
        ("培育1000家以上高成长企业。", [("高成长企业", 1000, None, "家", ">=")]),
        ("累计建成100家示范智能工厂、2000个示范智能车间。",
         [("示范智能工厂", 100, None, "家", "="), ("示范智能车间", 2000, None, "个", "=")]),
        ("新培育中国质量奖2－3个，中国工业大奖5个，全国质量奖10个。",
         [("中国质量奖", 2, 3, "个", "range"), ("中国工业大奖", 5, None, "个", "="), ("全国质量奖", 10, None, "个", "=")]),
        ("森林覆盖率稳定在24.1%以上。", [("森林覆盖率", 24.1, None, "%", ">=")]),
        ("单位地区生产总值能耗控制在0.35吨标准煤以内。", [("单位地区生产总值能耗", 0.35, None, "吨标准煤", "<=")]),
        ("城镇新增就业不少于12万人。", [("城镇新增就业", 120000, None, "人", ">=")]),
        ("全省高新技术企业数量突破5万家。", [("高新技术企业数量", 50000, None, "家", ">")]),
        ("城镇调查失业率控制在5.5%以内。", [("城镇调查失业率", 5.5, None, "%", "<=")]),
        ("生产性和生活性服务行业顾客满意度分别稳定在85和80以上。",
         [("生产性服务行业顾客满意度", 85, None, "", ">="), ("生活性服务行业顾客满意度", 80, None, "", ">=")]),
        ("质量管理体系证书、环境管理体系证书、职业健康安全管理体系证书等三体系证书分别达到55000、17000、11000张。",
         [("质量管理体系证书", 55000, None, "张", "="), ("环境管理体系证书", 17000, None, "张", "="),
          ("职业健康安全管理体系证书", 11000, None, "张", "=")]),
        ("到2025年，10条优势产业链主营业务收入突破1.5万亿元。",
         [("10条优势产业链主营业务收入", 1.5e12, None, "元", ">")]),
        ("建立不少于15个由龙头企业、科研院所等组成的质量创新联合体。", [("质量创新联合体", 15, None, "个", ">=")]),
        ("每千人口拥有执业（助理）医师数达到3.2人。", [("每千人口拥有执业（助理）医师数", 3.2, None, "人", "=")]),
        ("推动两种资源、三大工程协同发展。", []),
        ("深入贯彻党的十九届五中全会精神，推进一体化发展。", []),
        ("以苏州市第十三次党代会精神为指导。", []),
    ],
)
def test_prose_targets(sentence, expected):
    _doc, rows = targets_of(sentence)
    got = brief(rows)
    assert len(got) == len(expected), got
    for (ind, value, vmax, unit, comp), (eind, evalue, evmax, eunit, ecomp) in zip(got, expected):
        assert eind in ind or ind in eind, (ind, eind)
        assert value == pytest.approx(evalue)
        assert (vmax is None) == (evmax is None) and (vmax is None or vmax == pytest.approx(evmax))
        assert (unit, comp) == (eunit, ecomp)


@pytest.mark.parametrize(
    "heading, sentence, kind",
    [
        ("（一）发展成效", "制造业产品质量合格率达96.76%。", "achieved"),
        ("一、“十三五”时期工作回顾", "地区生产总值达到2.27万亿元。", "achieved"),
        ("三、重点任务", "2020年特种设备事故起数同比下降70%。", "achieved"),
        ("三、重点任务", "到2025年，制造业产品质量合格率达到97%。", "target"),
        ("（二）面临挑战", "认证机构覆盖本地认证市场占比不足50%。", "achieved"),
    ],
)
def test_kind_from_section_and_cues(heading, sentence, kind):
    _doc, rows = targets_of(sentence, heading)
    assert rows and {r["kind"] for r in rows} == {kind}


@pytest.mark.parametrize(
    "sentence, year",
    [
        ("到2023年，全市高新技术企业达到1万家。", 2023),
        ("培育1000家以上高成长企业。", 2025),
        ("各级政府每年专题研究质量工作不少于2次。", None),
        ("“十四五”末，森林覆盖率达到30%。", 2025),
    ],
)
def test_target_year(sentence, year):
    _doc, rows = targets_of(sentence)
    assert rows and rows[0]["target_year"] == year


def test_value_offsets_point_at_the_value():
    doc, rows = targets_of("到2025年，制造业产品质量合格率达到97%，培育1000家以上高成长企业。")
    for row in rows:
        assert doc.text[row["start"] : row["end"]] == row["value_text"]


def with_baselines(rows):
    return [(r["indicator"], r["value"], r["baseline_value"]) for r in rows]


@pytest.mark.parametrize("sentence, expected", [
    # a work report's social policy
    ("城乡居民基础养老金最低标准从每人每月190元提高到210元。", [("城乡居民基础养老金最低标准", 210, 190)]),
    # a five-year plan's structure goal
    ("森林覆盖率由2020年的23.5%提高到25%。", [("森林覆盖率", 25, 23.5)]),
    # a review's result, counted in units
    ("市级重点实验室由30个增加到52个，新增工程技术中心8个。",
     [("市级重点实验室", 52, 30), ("工程技术中心", 8, None)]),
    # an implementation plan's reduction target
    ("全市PM2.5平均浓度从每立方米40微克下降到35微克。", [("PM2.5平均浓度", 35, 40)]),
    # an opinion's coverage goal, 至 for 到
    ("农村自来水普及率由现在的85%提升至95%以上。", [("农村自来水普及率", 95, 85)]),
])
def test_from_a_to_b_gives_the_baseline_and_one_row(sentence, expected):
    _, rows = targets_of(sentence)
    assert with_baselines(rows) == expected


@pytest.mark.parametrize("sentence, expected", [
    # a work report's review: level, then growth of the same indicator
    ("外贸进出口总额8000亿元、增长6.5%。", [("外贸进出口总额", 8e11), ("外贸进出口总额增长", 6.5)]),
    ("全年接待游客1.2亿人次，同比增长15%。", [("接待游客", 1.2e8), ("接待游客增长", 15)]),
    ("一般公共预算收入突破500亿元、较上年增长7.2%。", [("一般公共预算收入", 5e10), ("一般公共预算收入增长", 7.2)]),
    # a plan's goal sentence with its own subjects: nothing is elided
    ("地区生产总值年均增长6%，一般公共预算收入年均增长5%。",
     [("地区生产总值年均增长", 6), ("一般公共预算收入年均增长", 5)]),
    # an assessment scheme's list: two indicators, each with its own subject
    ("粮食产量稳定在600万吨以上，耕地保有量不低于450万亩。", [("粮食产量", 6e6), ("耕地保有量", 4.5e6)]),
])
def test_a_clause_that_elides_its_subject_takes_the_previous_one(sentence, expected):
    _, rows = targets_of(sentence)
    assert [(r["indicator"], r["value"]) for r in rows] == expected


@pytest.mark.parametrize("sentence", [
    # an opinion's subsidy
    "对获得省质量奖的企业，一次性奖励100万元。",
    # a support policy's ratio and cap
    "按项目投资额的10%给予奖补，单个项目最高不超过500万元。",
    # an employment opinion's refund
    "对不裁员的参保企业，可返还其上年度实际缴纳失业保险费的50%。",
    # a loan guarantee
    "符合条件的个人可申请最高20万元的创业担保贷款，财政给予贴息。",
    # a regulation's threshold
    "严禁生产和销售厚度低于0.025毫米的塑料购物袋。",
    # an incentive notice's allocation
    "对成效明显的省份，优先支持其区域内2家高新区申报国家级试点。",
])
def test_a_subsidy_cap_or_ratio_is_no_target(sentence):
    _, rows = targets_of(sentence)
    assert rows == []


@pytest.mark.parametrize("sentence, indicator", [
    ("竣工工程质量一次性验收合格率达到98%。", "竣工工程质量一次性验收合格率"),
    ("困难群众生活补贴标准提高到每人每月800元。", "困难群众生活补贴标准"),
])
def test_a_standard_named_like_a_subsidy_is_still_a_target(sentence, indicator):
    _, rows = targets_of(sentence)
    assert [r["indicator"] for r in rows] == [indicator]


@pytest.mark.parametrize("sentence, expected", [
    # a duration a predicate introduces, in digits, is a statistic
    ("全年空气质量优良天数达到280天以上。", [("空气质量优良天数", 280, "天")]),
    ("工程建设项目审批平均耗时压缩至30天。", [("工程建设项目审批平均耗时", 30, "天")]),
    # a duration in a name, a rule or a description is not
    ("实施质量提升三年行动。", []),
    ("连续5年获评全国文明城市。", []),
    ("学生在企业的顶岗实习时间一般为6个月。", [("学生在企业的顶岗实习时间一般", 6, "个月")]),
    # an index has no unit
    ("全市空气质量综合指数4.2，改善幅度居全省前列。", [("空气质量综合指数", 4.2, "")]),
    # a count of the policy's own parts is no target
    ("出台支持民营经济发展20条措施。", []),
    ("重点做好以下八个方面工作：", []),
    ("标记“▲”的26个指标为国家监测指标。", []),       # an assessment scheme's own indicators
    # a copula describes: a small count in words is no statistic
    ("职业教育与普通教育是两种不同教育类型。", []),
])
def test_durations_indices_and_policy_parts(sentence, expected):
    _, rows = targets_of(sentence)
    assert [(r["indicator"], r["value"], r["unit"]) for r in rows] == expected


@pytest.mark.parametrize("sentence, expected", [
    ("签约项目120个、总投资860亿元。", [("签约项目", 120), ("签约项目总投资", 8.6e10)]),
    ("战略性新兴产业项目有6个，占比达54.5%。", [("战略性新兴产业项目", 6), ("战略性新兴产业项目占比", 54.5)]),
    ("全县剑杆织机增至9000台，去年新增1000台。", [("剑杆织机", 9000), ("剑杆织机新增", 1000)]),
])
def test_an_elided_subject_takes_the_previous_value_s(sentence, expected):
    _, rows = targets_of(sentence)
    assert [(r["indicator"], r["value"]) for r in rows] == expected


@pytest.mark.parametrize("sentence, expected", [
    ("城镇新增就业和转移农业劳动力各4500万人。", [("城镇新增就业", 4.5e7), ("转移农业劳动力", 4.5e7)]),
    ("小学、初中入学率均达到100%。", [("小学入学率", 100), ("初中入学率", 100)]),
    ("城镇居民人均可支配收入和农村居民人均纯收入分别年均增长5%。",
     [("城镇居民人均可支配收入年均增长", 5), ("农村居民人均纯收入年均增长", 5)]),
    ("城乡居民人均可支配收入分别增长8.5%和10%。",
     [("城镇居民人均可支配收入增长", 8.5), ("农村居民人均可支配收入增长", 10)]),
    ("全市平均达到90%。", []),
])
def test_one_value_for_each_branch_and_blended_branches(sentence, expected):
    _, rows = targets_of(sentence)
    assert [(r["indicator"], r["value"]) for r in rows] == expected
