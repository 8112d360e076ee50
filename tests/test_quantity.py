"""Quantities in running text, phrased as many different plans phrase them.

Inputs go through the normaliser first (as the pipeline does), so full-width digits and
OCR spacing are tested the way they reach the parser.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract import rules
from extract.normalise import normalise_line
from extract.passes.quantity import find_quantities, parse_number, parse_quantity, rule_templates


def found(text: str):
    """``(text, value, value_max, unit, comparator)`` of every quantity in ``text``."""
    return [(q.text, q.value, q.value_max, q.unit, q.comparator) for q in find_quantities(normalise_line(text))]


FIND_CASES = [
    # government work reports
    ("地区生产总值增长6%左右", [("6%左右", 6, None, "%", "~")]),
    ("城镇新增就业110万人以上", [("110万人以上", 1.1e6, None, "人", ">=")]),
    ("城镇调查失业率5.5%左右", [("5.5%左右", 5.5, None, "%", "~")]),
    ("居民消费价格涨幅3%左右", [("3%左右", 3, None, "%", "~")]),
    ("单位GDP能耗降低13.5%", [("13.5%", 13.5, None, "%", "=")]),
    ("全社会研发经费投入年均增长7%以上", [("7%以上", 7, None, "%", ">=")]),
    ("新增减税降费超过1万亿元", [("1万亿元", 1e12, None, "元", ">")]),
    ("赤字率拟按3%左右安排", [("3%左右", 3, None, "%", "~")]),
    ("拟安排地方政府专项债券3.8万亿元", [("3.8万亿元", 3.8e12, None, "元", "=")]),
    ("常住人口城镇化率提高到65%", [("65%", 65, None, "%", "=")]),
    ("粮食产量保持在1.3万亿斤以上", [("1.3万亿斤以上", 1.3e12, None, "斤", ">=")]),
    ("进出口总额突破5000亿元", [("5000亿元", 5e11, None, "元", ">")]),
    ("实际使用外资100亿美元", [("100亿美元", 1e10, None, "美元", "=")]),
    ("一般公共预算收入增长5%", [("5%", 5, None, "%", "=")]),
    ("国内生产总值年均增长5.5%左右", [("5.5%左右", 5.5, None, "%", "~")]),
    # environment and energy
    ("森林覆盖率达到24.1%", [("24.1%", 24.1, None, "%", "=")]),
    ("非化石能源占能源消费总量比重提高到20%左右", [("20%左右", 20, None, "%", "~")]),
    ("单位国内生产总值二氧化碳排放降低18%", [("18%", 18, None, "%", "=")]),
    ("地级及以上城市细颗粒物（PM2.5）浓度下降10%", [("10%", 10, None, "%", "=")]),
    ("PM2.5平均浓度控制在35微克/立方米以内", [("35微克/立方米以内", 35, None, "微克/立方米", "<=")]),
    ("空气质量优良天数比率达到87.5%", [("87.5%", 87.5, None, "%", "=")]),
    ("地表水达到或好于Ⅲ类水体比例达到85%", [("85%", 85, None, "%", "=")]),
    ("化学需氧量、氨氮排放总量分别减少8%", [("8%", 8, None, "%", "=")]),
    ("单位地区生产总值能耗控制在0.35吨标准煤/万元以内", [("0.35吨标准煤/万元以内", 0.35, None, "吨标准煤/万元", "<=")]),
    ("新增光伏装机容量100万千瓦", [("100万千瓦", 1e6, None, "千瓦", "=")]),
    ("全社会用电量达到7000亿千瓦时", [("7000亿千瓦时", 7e11, None, "千瓦时", "=")]),
    ("新增风电装机5GW", [("5GW", 5, None, "GW", "=")]),
    # transport and infrastructure
    ("新建改造农村公路1万公里", [("1万公里", 1e4, None, "公里", "=")]),
    ("新增高速公路通车里程300公里以上", [("300公里以上", 300, None, "公里", ">=")]),
    ("开工改造城镇老旧小区5.3万个", [("5.3万个", 53000, None, "个", "=")]),
    ("筹建保障性租赁住房26万套", [("26万套", 260000, None, "套", "=")]),
    ("港口集装箱吞吐量达到800万标准箱", [("800万标准箱", 8e6, None, "标准箱", "=")]),
    ("航空旅客吞吐量达到2000万人次", [("2000万人次", 2e7, None, "人次", "=")]),
    ("轨道交通运营里程达到500公里", [("500公里", 500, None, "公里", "=")]),
    ("5G基站数达到3万个", [("3万个", 30000, None, "个", "=")]),
    ("千兆光网覆盖家庭1000万户", [("1000万户", 1e7, None, "户", "=")]),
    # health, education, social
    ("人均预期寿命达到79岁", [("79岁", 79, None, "岁", "=")]),
    ("婴儿死亡率控制在5‰以内", [("5‰以内", 5, None, "‰", "<=")]),
    ("孕产妇死亡率控制在10/10万以下", [("10/10万以下", 10, None, "/10万", "<=")]),
    ("传染病报告发病率1.5例/10万人", [("1.5例/10万人", 1.5, None, "例/10万人", "=")]),
    ("每千人口医疗卫生机构床位数达到6.5张", [("6.5张", 6.5, None, "张", "=")]),
    ("组建20个左右紧密型城市医疗集团", [("20个左右", 20, None, "个", "~")]),
    ("每年开展1-2次专项督查", [("1-2次", 1, 2, "次", "range")]),
    ("每千人口执业（助理）医师数达到3.2人", [("3.2人", 3.2, None, "人", "=")]),
    ("每万人口全科医生数达到3.93名", [("3.93名", 3.93, None, "名", "=")]),
    ("建成15分钟健康服务圈", [("15分钟", 15, None, "分钟", "=")]),
    ("义务教育巩固率保持在97%以上", [("97%以上", 97, None, "%", ">=")]),
    ("高中阶段教育毛入学率超过95%", [("95%", 95, None, "%", ">")]),
    ("劳动年龄人口平均受教育年限提高到11.3年", [("11.3年", 11.3, None, "年", "=")]),
    ("新增学位2万个", [("2万个", 20000, None, "个", "=")]),
    ("每年培训10万人次", [("10万人次", 1e5, None, "人次", "=")]),
    ("开展职业技能培训300万人次以上", [("300万人次以上", 3e6, None, "人次", ">=")]),
    ("新建高标准农田80万亩", [("80万亩", 8e5, None, "亩", "=")]),
    ("粮食综合生产能力稳定在1200万吨以上", [("1200万吨以上", 1.2e7, None, "吨", ">=")]),
    ("接待国内外游客1.5亿人次", [("1.5亿人次", 1.5e8, None, "人次", "=")]),
    ("国家4A级旅游景区10家", [("10家", 10, None, "家", "=")]),
    # industry and innovation
    ("高新技术企业数量突破5万家", [("5万家", 50000, None, "家", ">")]),
    ("培育专精特新“小巨人”企业100家以上", [("100家以上", 100, None, "家", ">=")]),
    ("研发经费投入强度达到3.2%", [("3.2%", 3.2, None, "%", "=")]),
    ("每万人口高价值发明专利拥有量达到12件", [("12件", 12, None, "件", "=")]),
    ("技术合同成交额突破1000亿元", [("1000亿元", 1e11, None, "元", ">")]),
    ("人均收入达到5万元/人", [("5万元/人", 50000, None, "元/人", "=")]),
    ("每年食品抽检覆盖率保持7批次/千人以上", [("7批次/千人以上", 7, None, "批次/千人", ">=")]),
    ("争创中国质量奖（提名奖）6家（次）", [("6家（次）", 6, None, "家（次）", "=")]),
    ("新增中国质量奖6个(次)", [("6个(次)", 6, None, "个（次）", "=")]),
    ("累计召回缺陷消费品16万余件", [("16万余件", 160000, None, "件", ">")]),
    ("共有有效认证证书10.5万余张", [("10.5万余张", 105000, None, "张", ">")]),
    ("针对20000多家重点企业", [("20000多家", 20000, None, "家", ">")]),
    ("10多个专业性计量服务平台", [("10多个", 10, None, "个", ">")]),
    ("制造业质量竞争力指数达到92.51", [("92.51", 92.51, None, "", "=")]),
    ("总用地面积约合105.4亩", [("105.4亩", 105.4, None, "亩", "~")]),
    ("查处制假售假案件82起", [("82起", 82, None, "起", "=")]),
    # assessment schemes
    ("考核得分不低于90分", [("90分", 90, None, "分", ">=")]),
    ("满分100分，扣2分", [("100分", 100, None, "分", "="), ("2分", 2, None, "分", "=")]),
    ("得分在60分以下的为不合格", [("60分以下", 60, None, "分", "<=")]),
    # comparators
    ("建立不少于15个质量创新联合体", [("15个", 15, None, "个", ">=")]),
    ("至少3家", [("3家", 3, None, "家", ">=")]),
    ("制造业产品质量合格率≥97", [("97", 97, None, "", ">=")]),
    ("不超过10%", [("10%", 10, None, "%", "<=")]),
    ("城镇调查失业率控制在5.5%以内", [("5.5%以内", 5.5, None, "%", "<=")]),
    ("资产负债率不高于65%", [("65%", 65, None, "%", "<=")]),
    ("≤0.35", [("0.35", 0.35, None, "", "<=")]),
    ("低于5%", [("5%", 5, None, "%", "<")]),
    ("不到1%", [("1%", 1, None, "%", "<")]),
    ("认证机构占比不足50%", [("50%", 50, None, "%", "<")]),
    ("少于3次", [("3次", 3, None, "次", "<")]),
    ("误差＜5", [("5", 5, None, "", "<")]),
    ("满意度＞90", [("90", 90, None, "", ">")]),
    ("约1000家", [("1000家", 1000, None, "家", "~")]),
    ("近10万人", [("10万人", 1e5, None, "人", "~")]),
    ("增速10%上下", [("10%上下", 10, None, "%", "~")]),
    ("1000家以上高成长企业", [("1000家以上", 1000, None, "家", ">=")]),
    ("三级及以上医院数量达到20所以上", [("20所以上", 20, None, "所", ">=")]),
    # ranges
    ("培育国内领先的本地基础共性平台2～3家", [("2～3家", 2, 3, "家", "range")]),
    ("创建试点示范项目2-3个", [("2-3个", 2, 3, "个", "range")]),
    ("新培育中国质量奖2－3个", [("2-3个", 2, 3, "个", "range")]),
    ("增长5%—5.5%", [("5%—5.5%", 5, 5.5, "%", "range")]),
    ("提高5%至8%", [("5%至8%", 5, 8, "%", "range")]),
    ("培育两三个龙头企业", [("两三个", 2, 3, "个", "range")]),
    ("用三到五年时间", [("三到五年", 3, 5, "年", "range")]),
    ("3至5年", [("3至5年", 3, 5, "年", "range")]),
    ("吸纳就业2-3万人", [("2-3万人", 20000, 30000, "人", "range")]),
    ("总投资1000万-2000万元", [("1000万-2000万元", 1e7, 2e7, "元", "range")]),
    ("提高3～5个百分点", [("3～5个百分点", 3, 5, "个百分点", "range")]),
    ("建成三至五个", [("三至五个", 3, 5, "个", "range")]),
    ("增长6%～6.5%左右", [("6%～6.5%左右", 6, 6.5, "%", "range")]),
    ("3-6个月", [("3-6个月", 3, 6, "个月", "range")]),
    ("七八家企业", [("七八家", 7, 8, "家", "range")]),
    # Chinese numerals
    ("两次获省政府督查激励", [("两次", 2, None, "次", "=")]),
    ("新建一千二百家", [("一千二百家", 1200, None, "家", "=")]),
    ("建成两千个", [("两千个", 2000, None, "个", "=")]),
    ("带动二十万人就业", [("二十万人", 200000, None, "人", "=")]),
    ("十五个重点领域", [("十五个", 15, None, "个", "=")]),
    ("一百多个项目", [("一百多个", 100, None, "个", ">")]),
    ("十余家单位", [("十余家", 10, None, "家", ">")]),
    ("二十多万人", [("二十多万人", 200000, None, "人", ">")]),
    ("提高一个百分点", [("一个百分点", 1, None, "个百分点", "=")]),
    ("增长一倍", [("一倍", 1, None, "倍", "=")]),
    ("各级党委每年专题研究质量工作不少于一次", [("一次", 1, None, "次", ">=")]),
    ("合格率达到百分之九十八", [("百分之九十八", 98, None, "%", "=")]),
    ("覆盖率达到百分之百", [("百分之百", 100, None, "%", "=")]),
    ("发生率控制在千分之五以内", [("千分之五以内", 5, None, "‰", "<=")]),
    ("经济总量翻一番", [("翻一番", 2, None, "倍", ">=")]),
    ("实现翻番", [("翻番", 2, None, "倍", ">=")]),
    ("翻两番", [("翻两番", 4, None, "倍", ">=")]),
    ("占全市总量的三分之一", [("三分之一", 0.3333, None, "", "=")]),
    ("超过三分之二以上", [("三分之二以上", 0.6667, None, "", ">=")]),
    ("人均GDP达到一点五倍", [("一点五倍", 1.5, None, "倍", "=")]),
    # grouped digits, compound magnitudes, durations
    ("总投资1,100万元", [("1,100万元", 1.1e7, None, "元", "=")]),
    ("引进人才3万4000人", [("3万4000人", 34000, None, "人", "=")]),
    ("完成投资1亿2000万元", [("1亿2000万元", 1.2e8, None, "元", "=")]),
    ("在全省考核中连续5年获评A级", [("5年", 5, None, "年", "=")]),
    ("产假延长至4.5个月", [("4.5个月", 4.5, None, "个月", "=")]),
    ("30日内办结", [("30日", 30, None, "日", "=")]),
    ("24小时在线", [("24小时", 24, None, "小时", "=")]),
    # OCR prints: spaced digits, full-width characters
    ("增长 8 %", [("8 %", 8, None, "%", "=")]),
    ("合格率达到9 8 . 5 %", [("9 8 . 5 %", 98.5, None, "%", "=")]),
    ("培育1 0 0 0家", [("1 0 0 0家", 1000, None, "家", "=")]),
    ("突破１．５万亿元", [("1.5万亿元", 1.5e12, None, "元", ">")]),
    ("培育２～３家", [("2～3家", 2, 3, "家", "range")]),
    ("合格率９７％以上", [("97%以上", 97, None, "%", ">=")]),
    ("达到 97 %", [("97 %", 97, None, "%", "=")]),
    ("新增就业 1 2 0 万人", [("1 2 0 万人", 1.2e6, None, "人", "=")]),
    ("每10万人口拥有律师12名", [("12名", 12, None, "名", "=")]),
    # lists and several values in one sentence
    ("分别达到55000、17000、11000张",
     [("55000", 55000, None, "", "="), ("17000", 17000, None, "", "="), ("11000张", 11000, None, "张", "=")]),
    ("顾客满意度分别稳定在85和80以上", [("85", 85, None, "", "="), ("80以上", 80, None, "", ">=")]),
    ("31个部门和10个市（县）", [("31个", 31, None, "个", "="), ("10个", 10, None, "个", "=")]),
    ("到2025年，10条优势产业链主营业务收入突破1.5万亿元",
     [("10条", 10, None, "条", "="), ("1.5万亿元", 1.5e12, None, "元", ">")]),
    ("分别给予300万元、200万元、100万元奖励",
     [("300万元", 3e6, None, "元", "="), ("200万元", 2e6, None, "元", "="), ("100万元", 1e6, None, "元", "=")]),
    ("2020年特种设备事故起数和死亡人数同比分别下降70%和67%",
     [("70%", 70, None, "%", "="), ("67%", 67, None, "%", "=")]),
    ("三次产业结构比为19∶43∶38，第三产业占比达到43%", [("43%", 43, None, "%", "=")]),
    ("2021年6月30日前完成5个", [("5个", 5, None, "个", "=")]),
]


@pytest.mark.parametrize("text, expected", FIND_CASES, ids=[c[0][:24] for c in FIND_CASES])
def test_quantity_found(text, expected):
    got = found(text)
    assert len(got) == len(expected), got
    for (g_text, g_value, g_max, g_unit, g_comp), (e_text, e_value, e_max, e_unit, e_comp) in zip(got, expected):
        assert (g_text, g_unit, g_comp) == (e_text, e_unit, e_comp)
        assert g_value == pytest.approx(e_value)
        assert g_max == (None if e_max is None else pytest.approx(e_max))


NO_QUANTITY = [
    "统一", "建设一批重点项目", "“十四五”时期", "十四五规划", "苏州市第十三次代表大会", "第一家", "实施三大工程",
    "一站式服务", "长三角一体化", "共建一带一路", "统筹两个市场两种资源", "三位一体", "党的十九大",
    "党的十九届五中全会", "一是加强领导", "二是完善机制", "双随机、一公开", "沪苏同城化", "2025年", "到2025年底",
    "6月底前", "一、总体要求", "1.加强组织领导", "（1）加快建设", "5G", "PM2.5", "COVID-19", "19∶43∶38",
    "《“苏州制造”品牌建设三年行动计划》", "苏政发〔2016〕90号", "地铁1号线", "二〇三五年", "2021-2023年",
    "（2016－2020年）", "一次性给予奖励", "十分重要", "保持两位数增长", "优化三次产业结构", "二次供水",
    "三年级", "落实中央八项规定精神", "5A级景区", "做到“两个维护”", "走进千家万户", "服务百姓", "五位一体",
    "1-6月", "5·12", "8:30", "ISO9001", "GB/T 2260", "第1名", "二级以上医院", "化肥农药使用量零增长",
    "增强四个意识", "一网通办", "2023年度", "九年制义务教育", "城乡二元结构", "1.2 发展基础", "1/3",
    "三门峡市", "七台河市", "坚持四项基本原则",
]


@pytest.mark.parametrize("text", NO_QUANTITY)
def test_no_quantity(text):
    assert found(text) == []


CHANGE_CASES = [
    ("地区生产总值增长6%左右", ["increase"]),
    ("单位GDP能耗降低13.5%", ["decrease"]),
    ("较上年提高2个百分点", ["increase"]),
    ("下降0.5个百分点", ["decrease"]),
    ("年均增长7%以上", ["increase"]),
    ("常住人口城镇化率提高到65%", [None]),
    ("非化石能源比重降至20%", [None]),
    ("增长 8 %", ["increase"]),
    ("同比分别下降70%和67%", ["decrease", "decrease"]),
    ("增长5%，合格率达到98%", ["increase", None]),
    ("经济总量翻一番", ["increase"]),
    ("下降约10%", ["decrease"]),
    ("压减10%", ["decrease"]),
    ("增长5%—6%", ["increase"]),
    ("合格率达到97%", [None]),
]


@pytest.mark.parametrize("text, changes", CHANGE_CASES, ids=[c[0] for c in CHANGE_CASES])
def test_change(text, changes):
    assert [q.change for q in find_quantities(normalise_line(text))] == changes


APPROX_CASES = [
    ("6%左右", True), ("约1000家", True), ("近10万人", True), ("16万余件", True), ("20多个", True),
    ("10%上下", True), ("97%以上", False), ("2～3家", False), ("不少于15个", False),
]


@pytest.mark.parametrize("text, approx", APPROX_CASES)
def test_approx(text, approx):
    (q,) = find_quantities(text)
    assert q.approx is approx


def test_cue_start_covers_comparator_words():
    text = "中小微企业首席质量官制度覆盖率不低于80%"
    (q,) = find_quantities(text)
    assert text[q.cue_start : q.start] == "不低于"
    assert q.text == "80%"


PARSE_NUMBER = [
    ("一千二百", 1200), ("两千", 2000), ("1,100", 1100), ("一点五", 1.5), ("3万4000", 34000),
    ("二〇三五", 2035), ("十", 10), ("十五", 15), ("一百零五", 105), ("二十", 20), ("三万四千", 34000),
    ("1.5万亿", 1.5e12), ("10.5万", 105000), ("一亿", 1e8), ("两万", 20000), ("零", 0), ("一九九八", 1998),
    ("9 8 . 5", 98.5), ("1亿2000万", 1.2e8), ("五千", 5000), ("十二", 12), ("九十八", 98), ("一千零一", 1001),
    ("1.1万", 11000), ("零点五", 0.5), ("百", 100), ("97", 97), ("0.35", 0.35),
]


@pytest.mark.parametrize("text, value", PARSE_NUMBER)
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "两三", "三五", "百分之九十八", "abc", "年", "1.2.3", "十四五规划"])
def test_parse_number_rejects(text):
    assert parse_number(text) is None


PARSE_QUANTITY = [
    ("≥97", (97, None, "", ">=")), ("2～3家", (2, 3, "家", "range")), ("5%—5.5%", (5, 5.5, "%", "range")),
    ("两三个", (2, 3, "个", "range")), ("1.5万亿元", (1.5e12, None, "元", "=")), ("97", (97, None, "", "=")),
    (" 96.76 ", (96.76, None, "", "=")), ("≤0.35", (0.35, None, "", "<=")), ("65以上", (65, None, "", ">=")),
    ("6左右", (6, None, "", "~")), ("十五", (15, None, "", "=")), ("55000张", (55000, None, "张", "=")),
    ("6个（次）", (6, None, "个（次）", "=")), ("约105.4亩", (105.4, None, "亩", "~")), ("≥15个", (15, None, "个", ">=")),
    ("110万人", (1.1e6, None, "人", "=")), ("2025", (2025, None, "", "=")),
]


@pytest.mark.parametrize("text, expected", PARSE_QUANTITY)
def test_parse_quantity(text, expected):
    q = parse_quantity(text)
    assert q is not None
    assert (q.value, q.value_max, q.unit, q.comparator) == pytest.approx(expected)
    assert text[q.start : q.end] == q.text


@pytest.mark.parametrize("text", ["—", "", "达标", "96.76 97", "2025年", "（1）", "达到97%", "两三"])
def test_parse_quantity_rejects(text):
    assert parse_quantity(text) is None


RULE_LISTS = [("quantities", "patterns"), ("quantities", "skips")]
RULES = [rule for name, key in RULE_LISTS for rule in rules.load_patterns(name, key, rule_templates(name))]


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_examples(rule):
    assert rule.intent
    for example in rule.examples:
        assert rule.pattern.search(example), f"{rule.id} misses its example {example!r}"
    for counter in rule.counterexamples:
        assert not rule.pattern.search(counter), f"{rule.id} matches its counterexample {counter!r}"


ALPHABET = st.sampled_from(list("0123456789.,%‰ 　一二两三四五六七八九十百千万亿〇零点第余多约近个家项人元年月日号级"
                                "以上下内左右不低于超过至到～-—、，。（）“”《》〔〕∶:/ABGkm\n") + ["个百分点", "批次/千人"])


@given(st.lists(ALPHABET, max_size=60).map("".join))
@settings(max_examples=300, deadline=None)
def test_find_quantities_properties(text):
    first = find_quantities(text)
    assert first == find_quantities(text)
    previous_end = 0
    for q in first:
        assert text[q.start : q.end] == q.text
        assert previous_end <= q.cue_start <= q.start < q.end
        assert q.comparator in {">=", ">", "<=", "<", "=", "range", "~"}
        previous_end = q.end


@given(st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_arbitrary_text_never_raises(text):
    for q in find_quantities(text):
        assert text[q.start : q.end] == q.text
    parse_quantity(text)
    parse_number(text)


ADVERSARIAL = {
    "digits": "0123456789" * 10_000,
    "yishang": "、以上" * 34_000,
    "brackets": "（“《【〔" * 20_000,
    "spaced digits": "1 " * 50_000 + "5个",
    "chinese numerals": "一二三四五六七八九十" * 10_000,
    "dashes": "1-" * 30_000,
    "open title": "《" + "5个、" * 20_000,
}


@pytest.mark.parametrize("name", ADVERSARIAL)
def test_no_catastrophic_backtracking(name):
    began = time.perf_counter()
    find_quantities(ADVERSARIAL[name])
    assert time.perf_counter() - began < 3
