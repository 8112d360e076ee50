"""Place recognition and resolution (planx.passes.places): sentence tables from many
provinces — short forms, zones, renamed divisions, names decided by the plan's region, and
common words that must not become places — plus property tests on arbitrary text."""

from __future__ import annotations

import json

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from planx import rules
from planx.document import rows_of
from planx.passes.places import find_places, region_of, resolve

from .conftest import GOLD, assert_spans_relocate

# (text, document region, [(mention, canonical, admin_code), ...] in text order)
SHORT_FORMS = [
    ("黔东南", None, [("黔东南", "黔东南苗族侗族自治州", "522600")]),
    ("内蒙古", None, [("内蒙古", "内蒙古自治区", "150000")]),
    ("广西", None, [("广西", "广西壮族自治区", "450000")]),
    ("新疆", None, [("新疆", "新疆维吾尔自治区", "650000")]),
    ("宁夏", None, [("宁夏", "宁夏回族自治区", "640000")]),
    ("西藏", None, [("西藏", "西藏自治区", "540000")]),
    ("延边", None, [("延边", "延边朝鲜族自治州", "222400")]),
    ("湘西", None, [("湘西", "湘西土家族苗族自治州", "433100")]),
    ("恩施", None, [("恩施", "恩施土家族苗族自治州", "422800")]),
    ("西双版纳", None, [("西双版纳", "西双版纳傣族自治州", "532800")]),
    ("巴音郭楞", None, [("巴音郭楞", "巴音郭楞蒙古自治州", "652800")]),
    ("大兴安岭", None, [("大兴安岭", "大兴安岭地区", "232700")]),
    ("锡林郭勒", None, [("锡林郭勒", "锡林郭勒盟", "152500")]),
    ("加强与上海合作", "320500", [("上海", "上海市", "310000")]),
    ("北京、天津、重庆", None,
     [("北京", "北京市", "110000"), ("天津", "天津市", "120000"), ("重庆", "重庆市", "500000")]),
    ("苏州", None, [("苏州", "苏州市", "320500")]),
    ("支持吴江、常熟、昆山等地", "320500",
     [("吴江", "吴江区", "320509"), ("常熟", "常熟市", "320581"), ("昆山", "昆山市", "320583")]),
    ("张家港要率先", "320500", [("张家港", "张家港市", "320582")]),
    ("浦东、浦西", "310000", [("浦东", "浦东新区", "310115")]),
    ("、石柱、", "500000", [("石柱", "石柱土家族自治县", "500240")]),
    ("香港、澳门", None, [("香港", "香港特别行政区", "810000"), ("澳门", "澳门特别行政区", "820000")]),
    ("吉林", None, [("吉林", "吉林省", "220000")]),
    ("吉林市", None, [("吉林市", "吉林市", "220200")]),
    ("海南", None, [("海南", "海南省", "460000")]),
    ("海南", "630000", [("海南", "海南藏族自治州", "632500")]),
    ("黑龙江省哈尔滨市", None, [("黑龙江省", "黑龙江省", "230000"), ("哈尔滨市", "哈尔滨市", "230100")]),
    ("广西壮族自治区南宁市", None, [("广西壮族自治区", "广西壮族自治区", "450000"), ("南宁市", "南宁市", "450100")]),
    ("新疆维吾尔自治区乌鲁木齐市", None,
     [("新疆维吾尔自治区", "新疆维吾尔自治区", "650000"), ("乌鲁木齐市", "乌鲁木齐市", "650100")]),
    ("内蒙古自治区包头市", None, [("内蒙古自治区", "内蒙古自治区", "150000"), ("包头市", "包头市", "150200")]),
    ("、忠县、", "500000", [("忠县", "忠县", "500233")]),
    ("中山市", None, [("中山市", "中山市", "442000")]),
    ("美丽江苏", "320000", [("江苏", "江苏省", "320000")]),
    ("浙江西部", None, [("浙江", "浙江省", "330000")]),
    ("推动海南区域协调发展", "460000", [("海南", "海南省", "460000")]),
    ("苏州市市长质量奖", None, [("苏州市", "苏州市", "320500")]),
    ("江阴市长泾镇", None, [("江阴市", "江阴市", "320281")]),
    ("江阴市长泾镇", "320200", [("江阴市", "江阴市", "320281")]),
    ("河北省三河、香河、大厂三县市", None,
     [("河北省", "河北省", "130000"), ("三河", "三河市", "131082"), ("香河", "香河县", "131024"),
      ("大厂", "大厂回族自治县", "131028")]),  # the list makes 大厂 a county whatever follows
]

ZONES = [
    ("苏州工业园区", None, [("苏州工业园区", "苏州工业园区", "320576")]),
    ("苏州工业园区、高新区、吴江区等地应重点开展", "320500",
     [("苏州工业园区", "苏州工业园区", "320576"), ("高新区", "苏州高新区", "320505"), ("吴江区", "吴江区", "320509")]),
    ("推进吴中区、苏州工业园区、高新区检验检测", "320500",
     [("吴中区", "吴中区", "320506"), ("苏州工业园区", "苏州工业园区", "320576"), ("高新区", "苏州高新区", "320505")]),
    ("、高新区、", "320200", [("高新区", "无锡高新区", "320214")]),
    ("、高新区、", "510100", [("高新区", "成都高新区", None)]),
    ("、高新区、", "130100", [("高新区", "石家庄高新技术产业开发区", "130171")]),
    ("、高新区、", "320583", [("高新区", "昆山高新区", None)]),
    ("、高新区、", "320000", []),
    ("、高新区、", None, []),
    ("、经开区、", "340100", [("经开区", "合肥经济技术开发区", "340177")]),
    ("张家港市、园区", "320500", [("张家港市", "张家港市", "320582"), ("园区", "苏州工业园区", "320576")]),
    ("、园区、", "320200", []),
    ("面向产业园区和中小企业", "320500", []),
    ("支持国家级高新区建设", "320500", []),
    ("苏州高新区", None, [("苏州高新区", "苏州高新区", "320505")]),
    ("苏州高新技术产业开发区", None, [("苏州高新技术产业开发区", "苏州高新区", "320505")]),
    ("项目位于江苏省苏州市相城经济开发区", "320500",
     [("江苏省", "江苏省", "320000"), ("苏州市", "苏州市", "320500"), ("相城经济开发区", "相城经济开发区", None)]),
    ("浦东新区", None, [("浦东新区", "浦东新区", "310115")]),
    ("两江新区", None, [("两江新区", "重庆两江新区", None)]),
    ("雄安新区", None, [("雄安新区", "河北雄安新区", None)]),
    ("天津滨海新区", None, [("天津", "天津市", "120000"), ("滨海新区", "滨海新区", "120116")]),
    ("石家庄高新区", None, [("石家庄高新区", "石家庄高新技术产业开发区", "130171")]),
    ("郑州航空港经济综合实验区", None, [("郑州航空港经济综合实验区", "郑州航空港经济综合实验区", "410173")]),
    ("、航空港区、", "410100", [("航空港区", "郑州航空港经济综合实验区", "410173")]),
    ("天府新区", None, [("天府新区", "四川天府新区", None)]),
    ("青岛西海岸新区", None, [("青岛西海岸新区", "青岛西海岸新区", "370211")]),
    ("兰州新区", None, [("兰州新区", "兰州新区", "620171")]),
    ("东湖高新区", None, [("东湖高新区", "武汉东湖新技术开发区", None)]),
]

RENAMED = [
    ("思茅", None, [("思茅", "普洱市", "530800")]),
    ("思茅地区", None, [("思茅地区", "普洱市", "530800")]),
    ("襄樊", None, [("襄樊", "襄阳市", "420600")]),
    ("襄樊市", None, [("襄樊市", "襄阳市", "420600")]),
    ("吴江市", None, [("吴江市", "吴江区", "320509")]),
    ("江宁县", None, [("江宁县", "江宁区", "320115")]),
    ("淮阴市", None, [("淮阴市", "淮安市", "320800")]),
    ("毕节地区", None, [("毕节地区", "毕节市", "520500")]),
    ("伊克昭盟", None, [("伊克昭盟", "鄂尔多斯市", "150600")]),
    ("崇明县", None, [("崇明县", "崇明区", "310151")]),
    ("南汇区", None, [("南汇区", "浦东新区", "310115")]),
    ("、郫县、", "510100", [("郫县", "郫都区", "510117")]),
    ("、户县、", "610100", [("户县", "鄠邑区", "610118")]),
]

BY_REGION = [
    # a county stem right after a task verb, or right after its city, whatever follows it
    ("推动高阳纺织等创建产业集群", "130600", [("高阳", "高阳县", "130628")]),
    ("深化涞源生态产品价值实现机制", "130600", [("涞源", "涞源县", "130630")]),
    ("推进河源龙川新城建设", "440000", [("河源", "河源市", "441600"), ("龙川", "龙川县", "441622")]),
    # ... but not inside a word: 高阳 in 提高阳光
    ("提高阳光政务水平", "130600", []),
    # a zone named by its place and a zone class; not where a verb comes between
    ("珠海西部生态新区", "440000", [("珠海西部生态新区", "珠海西部生态新区", None)]),
    ("支持太仓市建设示范区", "320500", [("太仓市", "太仓市", "320585")]),
    # a blend gives each place it stands for
    ("京津冀", None, [("京津冀", "北京市", "110000"), ("京津冀", "天津市", "120000"), ("京津冀", "河北省", "130000")]),
    ("朝阳区", "110000", [("朝阳区", "朝阳区", "110105")]),
    ("朝阳区", "220100", [("朝阳区", "朝阳区", "220104")]),
    ("朝阳区", None, [("朝阳区", "朝阳区", None)]),
    ("北京市朝阳区", None, [("北京市", "北京市", "110000"), ("朝阳区", "朝阳区", "110105")]),
    ("长春市朝阳区", None, [("长春市", "长春市", "220100"), ("朝阳区", "朝阳区", "220104")]),
    ("鼓楼区", "320100", [("鼓楼区", "鼓楼区", "320106")]),
    ("鼓楼区", "350100", [("鼓楼区", "鼓楼区", "350102")]),
    ("鼓楼区", "320300", [("鼓楼区", "鼓楼区", "320302")]),
    ("鼓楼区", "410200", [("鼓楼区", "鼓楼区", "410204")]),
    ("鼓楼区", "320000", [("鼓楼区", "鼓楼区", None)]),
    ("城关区", "620100", [("城关区", "城关区", "620102")]),
    ("城关区", "540000", [("城关区", "城关区", "540102")]),
    ("通州区", "110000", [("通州区", "通州区", "110112")]),
    ("通州区", "320600", [("通州区", "通州区", "320612")]),
    ("、通州、", "320000", [("通州", "通州区", "320612")]),
    ("西湖区", "330100", [("西湖区", "西湖区", "330106")]),
    ("西湖区", "360100", [("西湖区", "西湖区", "360103")]),
    ("普陀区", "310000", [("普陀区", "普陀区", "310107")]),
    ("普陀区", "330900", [("普陀区", "普陀区", "330903")]),
    ("江北区", "500000", [("江北区", "江北区", "500105")]),
    ("江北区", "330200", [("江北区", "江北区", "330205")]),
    ("和平区", "120000", [("和平区", "和平区", "120101")]),
    ("和平区", "210100", [("和平区", "和平区", "210102")]),
    ("南山区", "440300", [("南山区", "南山区", "440305")]),
    ("阳泉市郊区", None, [("阳泉市", "阳泉市", "140300"), ("郊区", "郊区", "140311")]),
    ("城区和郊区", "140300", [("城区", "城区", "140302"), ("郊区", "郊区", "140311")]),
    ("城区和郊区", "140000", []),
    ("、忠县、", None, []),
]

TRAPS = [
    ("中山大学", None),
    ("中山路", "442000"),
    ("和平发展", None),
    ("和平发展", "120000"),
    ("新区建设", None),
    ("开发区", None),
    ("开发区", "320500"),
    ("一带一路", None),
    ("市县两级", None),
    ("全市全省", None),
    ("省政府", None),
    ("沿海城市", "210300"),
    ("提出更高要求", "441200"),
    ("科技创新和制度创新", "650000"),
    ("医养结合示范县", "410000"),
    ("省、市和县级部门", "340500"),
    ("建设现代县城", "140900"),
    ("分类管理县城建设", "513200"),
    ("绿水青山就是金山银山", "310000"),
    ("全面推进乡村振兴", "210000"),
    ("会同有关部门", "431200"),
    ("扎实推进共同富裕", "230000"),
    ("推动区域合作市场化", "623000"),
    ("大理石产业", None),
    ("黄河南岸", None),
    ("北京东路", None),
    ("长安汽车", "610100"),
    ("长江入海口", None),
    ("中心城区", "140300"),
    ("朝阳产业", None),
    ("开拓东方市场", "460000"),
    ("建设大城市", "130000"),
    ("科教兴国", "360000"),
    ("创新都促进了生产", "510000"),
    ("航空航天等重点产业", "450000"),
    ("科研学术界和政府部门", "620000"),
    ("以上高成长企业", "360000"),
    ("着力延长产业链", "610000"),
    ("东至市政河道", "340000"),
]

TABLE = SHORT_FORMS + ZONES + RENAMED + BY_REGION + [(text, region, []) for text, region in TRAPS]


def _found(text: str, region: str | None) -> list[tuple]:
    return [(p.text, p.canonical, p.admin_code) for p in find_places(text, region)]


@pytest.mark.parametrize("text, region, expected", TABLE, ids=[f"{t}@{r}" for t, r, _ in TABLE])
def test_places_table(text, region, expected):
    assert _found(text, region) == expected


def test_places_levels_and_parents():
    places = find_places("苏州工业园区、高新区、张家港市、吴江区、相城经济开发区", "320500")
    assert [(p.level, p.parent) for p in places] == [
        ("zone", "苏州市"), ("zone", "苏州市"), ("county-city", "苏州市"), ("district", "苏州市"), ("zone", "相城区")]
    assert find_places("上海")[0].level == "province" and find_places("上海")[0].parent == ""


def test_places_rules_say_which_kind_of_name():
    rules_by_text = {p.text: p.rule for p in find_places("苏州工业园区、高新区、吴江、思茅地区、苏州", "320500")}
    assert rules_by_text == {"苏州工业园区": "gazetteer_full", "高新区": "zone_alias", "吴江": "short_form",
                             "思茅地区": "historical", "苏州": "short_form"}


def test_places_ambiguous_full_name_has_no_code_or_parent():
    (place,) = find_places("朝阳区")
    assert place.admin_code is None and place.parent == "" and place.level == "district"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("苏州市“十四五”质量发展规划", ("苏州市", "320500")),
        ("江苏省人民政府", ("江苏省", "320000")),
        ("江苏省苏州市人民政府", ("苏州市", "320500")),
        ("中共温州市鹿城区委", ("鹿城区", "330302")),
        ("苏州工业园区管理委员会", ("苏州工业园区", "320576")),
        ("广西壮族自治区人民政府办公厅", ("广西壮族自治区", "450000")),
        ("上海市人民政府关于印发上海市…的通知", ("上海市", "310000")),
        ("国务院办公厅", None),
        ("省政府", None),
        ("", None),
    ],
)
def test_region_of(text, expected):
    assert region_of(text) == expected


@pytest.mark.parametrize(
    "name, region, expected",
    [
        ("苏州市", None, ("苏州市", "320500")),
        ("吴江", None, ("吴江区", "320509")),
        ("高新区", "320500", ("苏州高新区", "320505")),
        ("高新区", "320583", ("昆山高新区", None)),
        ("高新区", None, None),
        ("思茅", None, ("普洱市", "530800")),
        ("朝阳区", "110000", ("朝阳区", "110105")),
        ("朝阳区", None, ("朝阳区", None)),
        (" 上海 ", None, ("上海市", "310000")),
        ("不是地名", None, None),
    ],
)
def test_resolve(name, region, expected):
    place = resolve(name, region)
    assert ((place.canonical, place.admin_code) if place else None) == expected


def _stop_rules():
    return [(rule["id"], rule) for rule in rules.load("gazetteer/stop_contexts")["contexts"]]


@pytest.mark.parametrize("rule_id, rule", _stop_rules(), ids=[i for i, _ in _stop_rules()])
def test_stop_context_examples(rule_id, rule):
    assert rule["intent"] and (rule.get("before") or rule.get("after"))
    names = regex.compile(rule["names"])
    for text in rule.get("examples") or ():
        hits = [p.text for p in find_places(text, rule.get("region")) if names.search(p.text)]
        assert not hits, f"{rule_id}: {text!r} still gives {hits}"
    for text in rule.get("keeps") or ():
        assert any(names.search(p.text) for p in find_places(text, rule.get("region"))), f"{rule_id}: lost {text!r}"


def test_weak_names_are_divisions():
    names = {row["name"] for row in rules.load("gazetteer/divisions.csv")}
    assert set(rules.lexicon("gazetteer/matching", "weak_names")) <= names


def test_places_seed_gold_areas():
    """Every area in the Suzhou gold is found, in its quote, with the gold canonical and code."""
    regions = {"suzhou-quality-plan-14fyp": "320500", "jiangsu-quality-opinion-2016": "320000"}
    gold = [json.loads(line) for line in (GOLD / "areas.jsonl").read_text(encoding="utf-8").splitlines()]
    for record in (r for r in gold if r["doc"] in regions):
        found = {(p.text, p.canonical, p.admin_code) for p in find_places(record["quote"], regions[record["doc"]])}
        assert (record["area"], record["canonical"], record["admin_code"]) in found, record


# Characters from place names, their traps and separators, so that generated text hits the
# gazetteer often; plus arbitrary characters.
_PLACEY = st.sampled_from(list("苏州市吴江区高新园区城郊、，和县江阴长泾镇海南域北京朝阳沿海城市场中山大学省内蒙古黔东南思茅"))


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=_PLACEY | st.characters(), max_size=80),
       region=st.sampled_from([None, "320500", "320000", "110000", "140300", "abc", ""]))
def test_places_never_raise_and_spans_relocate(text, region):
    places = find_places(text, region)
    assert_spans_relocate(text, places)
    assert all(a.end <= b.start for a, b in zip(places, places[1:]))
    assert all(p.admin_code is None or (len(p.admin_code) == 6 and p.admin_code.isdigit()) for p in places)
    region_of(text)


@pytest.mark.parametrize("text, region, inside", [
    ("支持河北大学建设一流学科。", "130000", "河北"),   # a university named after its province
    ("隆重庆祝建党一百周年。", "500000", "重庆"),       # 隆重/庆祝: no city in the words
    ("在太行红河谷发展全域旅游。", "130000", "红河"),    # a valley's name
    ("中共苏州市委部署全年工作。", "320500", "苏州市"),  # a party committee, not the city
    ("广安门医院在保定设立分院。", "130600", "广安"),    # a hospital in Beijing
])
def test_jieba_rejects_a_place_whose_edge_cuts_a_word(text, region, inside):
    """Matching on characters alone finds the place; jieba's words say it is part of another."""
    from planx.pipeline import parse

    assert inside in [place.text for place in find_places(text, region)]
    doc = parse(f"一、重点任务\n（一）推进发展\n{text}", region_code=region)
    labels = {span.text: span.label_ for span in doc.spans["places"]}
    assert labels[inside] == "inside_word"
    assert inside not in [row["area"] for row in rows_of(doc, "areas")]


@pytest.mark.parametrize("text, region, place", [
    ("河北省人民政府印发实施方案。", "130000", "河北省"),
    ("发挥上海浦东新区的示范作用。", "310000", "浦东新区"),
    ("支持昆山市、太仓市建设示范区。", "320500", "太仓市"),
])
def test_jieba_keeps_a_place_that_opens_or_ends_a_longer_name(text, region, place):
    from planx.pipeline import parse

    doc = parse(f"一、重点任务\n（一）推进发展\n{text}", region_code=region)
    assert place in [row["area"] for row in rows_of(doc, "areas")]
