"""Indicator keys: phrasings as different plans write them, pairs that must share a key and
pairs that must not, and the properties every key has (rules in rules/indicators.yaml)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planx.indicator_keys import indicator_key, key_members, key_targets

# One indicator, worded as a province, a city and an indicator table word it.
SAME = [
    ("新增中国质量奖（含提名奖）", "中国质量奖"),
    ("争创中国质量奖（提名奖）", "中国质量奖"),
    ("中国质量奖(含提名奖)", "新增中国质量奖（含提名奖）"),
    ("全市制造业产品质量合格率", "制造业产品质量合格率"),
    ("全省制造业产品质量合格率（%）", "我市制造业产品质量合格率"),
    ("中国建筑工程鲁班奖", "鲁班奖"),
    ("中国建设工程鲁班奖（国家优质工程）", "鲁班奖"),
    ("中国土木工程詹天佑奖", "詹天佑奖"),
    ("中国水利工程优质（大禹）奖", "大禹奖"),
    ("累计建成各类检验检测国家级中心", "检验检测国家级中心"),
    ("各类检验检测国家级中心总数", "检验检测国家级中心"),
    ("累计获检验检测机构资质认定数", "检验检测机构资质认定数"),
    ("苏州市企事业单位主导和参与制（修）订国家标准、行业标准", "行业标准、国家标准"),
    ("新增主导和参与制修订国家标准、行业标准、地方标准（5年）", "国家、行业和地方标准"),
    ("5年新增主导和参与制修订国家标准、行业标准、地方标准", "地方标准、国家标准、行业标准"),
    ("国际、国家和行业标准", "国际标准、国家标准、行业标准"),
    ("新增制定“苏州制造”团体标准", "《苏州制造》团体标准"),
    ("新增鲁班奖等国家级优质工程奖项（5年）", "鲁班奖等国家级优质工程奖"),
    ("质量管理体系证书、环境管理体系证书", "环境管理体系证书、质量管理体系证书"),
    ("规上企业首席质量官制度覆盖率", "规模以上企业首席质量官制度覆盖率"),
    ("规上工业增加值年均增长", "规模以上工业增加值增长"),
    ("万元GDP能耗降低", "单位地区生产总值能耗下降"),
    ("单位GDP能源消耗降低（%）", "单位国内生产总值能耗下降（约束性）"),
    ("研究与试验发展经费投入强度", "研发投入强度"),
    ("R&D经费支出占GDP比重", "全社会研发经费占地区生产总值的比重"),
    ("省级及以上工业互联网平台", "省级以上工业互联网平台"),
    ("每万人口发明专利拥有量", "万人发明专利拥有量"),
    ("细颗粒物（PM2.5）年平均浓度", "PM2.5年均浓度"),
    ("地级及以上城市空气质量优良天数比例", "空气质量优良天数比率"),
    ("大中型工程项目一次竣工验收合格率", "大中型工程质量竣工一次验收合格率"),
    ("大中型工程项目一次验收合格率", "大中型工程一次性验收合格率"),
    ("ＧＤＰ年均增长", "地区生产总值增长"),
    ("城乡居民收入增加", "城乡居民收入提高"),
    ("具有世界影响力的品牌", "具有世界影响力品牌"),
    ("森林覆盖率（%）", "全市森林覆盖率"),
    ("高新技术企业数量（家）", "我省新认定高新技术企业"),
    ("农村公路（含村道）里程", "农村公路里程"),
    ("造林面积（2021-2025年）", "累计造林面积"),
]

# Wordings that differ in substance: level, tier, kind of standard, whose or how measured.
DISTINCT = [
    ("检验检测国家级中心", "检验检测省级中心"),
    ("累计建成各类检验检测国家级中心", "累计建成各类检验检测省级中心"),
    ("中国质量奖提名奖", "中国质量奖"),
    ("全国质量奖", "中国质量奖"),
    ("江苏省质量奖", "苏州市质量奖"),
    ("国家标准", "行业标准"),
    ("国家标准", "国家标准、行业标准"),
    ("国家优质工程奖", "国家级优质工程奖"),
    ("鲁班奖", "鲁班奖等国家级优质工程奖项"),
    ("城镇登记失业率", "城镇调查失业率"),
    ("城镇居民人均可支配收入", "农村居民人均可支配收入"),
    ("人均GDP", "GDP"),
    ("新增就业人数", "就业人数"),
    ("新增建设用地规模", "建设用地规模"),
    ("省级以上工业互联网平台", "国家级工业互联网平台"),
    ("规模以上工业增加值", "工业增加值"),
    ("单位GDP能耗下降", "单位GDP能耗"),
    ("市级农产品质量安全检测综合合格率", "农产品质量安全检测综合合格率"),
    ("中小微企业首席质量官制度覆盖率", "规模以上企业首席质量官制度覆盖率"),
    ("新增中国质量奖（含提名奖）", "新增江苏省省长质量奖（含提名奖）"),
    ("每万人口发明专利拥有量", "发明专利拥有量"),
    ("新能源汽车保有量", "能源汽车保有量"),
]

# Keys exactly: what the rules keep as much as what they drop.
KEYS = [
    ("新增中国质量奖（含提名奖）", "中国质量奖"),
    ("国际、国家和行业标准", "国家标准、国际标准、行业标准"),
    ("新增鲁班奖等国家级优质工程奖项（5年）", "鲁班奖等国家级优质工程奖"),
    ("大中型建筑、交通、水利竣工工程质量一次性验收合格率", "大中型建筑、交通、水利竣工工程一次验收合格率"),
    ("建筑、交通、水利竣工工程合格率", "交通竣工工程合格率、建筑竣工工程合格率、水利竣工工程合格率"),
    ("建成区绿化覆盖率", "建成区绿化覆盖率"),
    ("获奖企业数", "获奖企业"),
    ("高等教育毛入学率", "高等教育毛入学率"),
    ("城镇新增就业人数", "城镇新增就业人数"),
    ("制造业质量竞争力指数", "制造业质量竞争力指数"),
    ("新增", "新增"),
    ("", ""),
    # the growth indicators every report states, as reports of every level word them
    ("全市生产总值增长", "GDP增长"),
    ("经济增长", "GDP增长"),
    ("GDP增长率", "GDP增长"),
    ("单位生产总值能耗下降", "单位GDP能耗下降"),
    ("居民消费价格上涨", "居民消费价格涨幅"),
    ("居民消费价格指数涨幅", "居民消费价格涨幅"),
    ("地方一般公共预算收入增长", "一般公共预算收入增长"),
    ("外贸进出口增长", "进出口总额增长"),
    ("预计全省研发经费支出", "研发经费"),
    ("研发投入强度", "研发经费强度"),
    ("服务贸易进出口总额", "服务贸易进出口总额"),
    ("经济增长质量", "经济增长质量"),
]


@pytest.mark.parametrize("a, b", SAME, ids=[f"{a}={b}" for a, b in SAME])
def test_indicator_keys_same_indicator_shares_a_key(a, b):
    assert indicator_key(a) == indicator_key(b)


@pytest.mark.parametrize("a, b", DISTINCT, ids=[f"{a}!={b}" for a, b in DISTINCT])
def test_indicator_keys_substance_keeps_keys_apart(a, b):
    assert indicator_key(a) != indicator_key(b)


@pytest.mark.parametrize("indicator, key", KEYS, ids=[k[0] or "empty" for k in KEYS])
def test_indicator_keys_exact(indicator, key):
    assert indicator_key(indicator) == key


@pytest.mark.parametrize("value", [None, float("nan"), 3, b"\xe6\x96\xb0"])
def test_indicator_keys_non_text_is_empty(value):
    assert indicator_key(value) == ""


@pytest.mark.parametrize("key, members", [
    ("国家标准、行业标准", ("国家标准、行业标准", "国家标准", "行业标准")),
    ("鲁班奖等国家级优质工程奖", ("鲁班奖等国家级优质工程奖", "鲁班奖", "国家级优质工程奖")),
    ("中国质量奖提名奖", ("中国质量奖提名奖", "中国质量奖")),
    ("检验检测国家级中心", ("检验检测国家级中心",)),
])
def test_indicator_keys_members(key, members):
    assert key_members(key) == members


def test_indicator_keys_key_targets_fills_every_row():
    rows = [{"indicator": "累计建成各类检验检测国家级中心", "indicator_key": ""}, {"indicator": None}]
    key_targets(rows)
    assert [row["indicator_key"] for row in rows] == ["检验检测国家级中心", ""]


# Fragments the rules act on, so that generated text exercises drops, folds, lists and notes.
_FRAGMENTS = ["新增", "累计", "全市", "全省", "我市", "年均", "争创", "建成", "各类", "获", "主导和参与", "制（修）订",
              "国家级", "省级", "市级", "提名奖", "含", "（", "）", "(", ")", "、", "和", "等", "的", "5年", "总数",
              "中心", "标准", "国家", "行业", "鲁班奖", "中国质量奖", "GDP", "万人", "规上", "企业", "降低", "提高",
              "一次性", "竣工", "验收", "PM2.5", "“", "”", " ", "ａ", "x", "%", "以上", "及"]
_PHRASES = st.one_of(st.text(max_size=30), st.lists(st.sampled_from(_FRAGMENTS), max_size=12).map("".join))


@settings(max_examples=300, deadline=None)
@given(_PHRASES)
def test_indicator_keys_total_idempotent_deterministic(text):
    key = indicator_key(text)
    assert isinstance(key, str)
    assert indicator_key(key) == key
    assert indicator_key(text) == key
    assert key_members(key)[0] == key
