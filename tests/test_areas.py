"""Responsibility: a place is responsible when its sentence gives it a task."""

from __future__ import annotations

import pytest

from planx.document import rows_of
from planx.pipeline import parse


def areas_of(sentence: str, region: str, heading: str = "三、重点任务"):
    doc = parse(f"{heading}\n{sentence}", region_code=region)
    return {(r["area"], r["responsible"]) for r in rows_of(doc, "areas")}


@pytest.mark.parametrize(
    "sentence, region, expected",
    [
        ("苏州工业园区、高新区、吴江区等地应重点开展质量管理数字化转型工程。", "320500",
         {("苏州工业园区", True), ("高新区", True), ("吴江区", True)}),
        ("以相城区为重点，高标准建设质量基础设施基地。", "320500", {("相城区", True)}),
        ("昆山市、太仓市和吴江区等地应加强与上海及长三角其他地区合作。", "320500",
         {("昆山市", True), ("太仓市", True), ("吴江区", True), ("上海", False), ("长三角", False)}),
        ("支持浦东新区率先开展改革试点。", "310000", {("浦东新区", True)}),
        ("由天河区牵头，建设数字经济示范区。", "440100", {("天河区", True)}),
        ("滨海新区要加快建设北方国际航运核心区。", "120000", {("滨海新区", True)}),
        ("成都、绵阳等市要加快建设科技创新中心。", "510000", {("成都", True), ("绵阳", True)}),
        ("针对苏州重点集群，设立产业链质量接力站。", "320500", {("苏州", False)}),
        ("苏州工业园区获批国家检验检测高技术服务业集聚区。", "320500", {("苏州工业园区", False)}),
        ("加强与上海、浙江的合作交流。", "320500", {("上海", False), ("浙江", False)}),
    ],
)
def test_responsibility(sentence, region, expected):
    assert areas_of(sentence, region) == expected


def test_review_chapter_places_are_not_responsible():
    got = areas_of("吴中区、苏州工业园区要加快建设检验检测集聚区。", "320500", "（一）发展成效")
    assert got == {("吴中区", False), ("苏州工业园区", False)}


@pytest.mark.parametrize(
    "sentence, region, expected",
    [
        # a directive verb's object, in a national plan, a report and an opinion
        ("支持山西、河南、安徽加强大型煤炭基地建设。", None, {("山西", True), ("河南", True), ("安徽", True)}),
        ("推动安国、曲阳申报省级县城建设样板试点。", "130600", {("安国", True), ("曲阳", True)}),
        ("建设上海、天津、大连等国际航运中心。", None, {("上海", True), ("天津", True), ("大连", True)}),
        # the site of a task
        ("在内蒙古、河北、甘肃等地区形成百万千瓦风电基地。", None, {("内蒙古", True), ("河北", True), ("甘肃", True)}),
        # a functional region is an area with no code
        ("东北地区要加快产业结构调整。", None, {("东北地区", True)}),
        ("推进粤港澳大湾区建设。", "440000", {("粤港澳大湾区", True)}),
        # a place that names a thing is mentioned
        ("支持广州海洋实验室建设。", "440000", {("广州", False)}),
        ("开工建设惠州太平岭核电二期。", "440000", {("惠州", False)}),
        ("推动清远长隆首期项目建成运营。", "440000", {("清远", False)}),
        ("加快推进茂名石化炼油转型项目。", "440000", {("茂名", False)}),
        # a region the sentence only qualifies a noun with is mentioned
        ("培育长三角高素质质量人才集群。", "320500", {("长三角", False)}),
        # a partner outside the plan's province before a noun is the noun's attribute
        ("推动北京养老需求向我市疏解转移。", "130600", {("北京", False)}),
        # a counterpart is not tasked
        ("积极融入长三角一体化发展。", "320500", {("长三角", False)}),
        # the document's own region, or one enclosing it: a government tasking itself
        ("打造保定预制菜特色场景。", "130600", {("保定", False)}),
        ("营造热爱河北、建设河北的良好氛围。", "130000", {("河北", False)}),
    ],
)
def test_responsibility_from_the_grammar_of_the_sentence(sentence, region, expected):
    assert areas_of(sentence, region) == expected


def rows_of_areas(sentence: str, region: str | None) -> list[tuple[str, str, bool]]:
    doc = parse(f"三、重点任务\n{sentence}", region_code=region)
    return sorted((r["area"], r["canonical"], r["responsible"]) for r in rows_of(doc, "areas"))


@pytest.mark.parametrize(
    "sentence, region, expected",
    [
        # a blended abbreviation gives one row per place, each with the list's role
        ("已形成城市群的京津冀、长江三角洲等区域，要继续发挥带动作用。", None,
         [("京津冀", "北京市", True), ("京津冀", "天津市", True), ("京津冀", "河北省", True), ("长江三角洲", "长江三角洲", True)]),
        ("打造石保廊创新发展引领带。", "130000",
         [("石保廊", "保定市", True), ("石保廊", "廊坊市", True), ("石保廊", "石家庄市", True)]),
        ("国家加大对中西部地区的支持。", None, [("中西部地区", "中部地区", True), ("中西部地区", "西部地区", True)]),
        # a blend before a noun is the noun's attribute; one that names the document's own
        # region is a grouping its government belongs to
        ("建设京津冀物流基地。", "370000", [("京津冀", "北京市", False), ("京津冀", "天津市", False), ("京津冀", "河北省", False)]),
        ("力争在京津冀一体化发展中占有重要一席。", "130600",
         [("京津冀", "北京市", False), ("京津冀", "天津市", False), ("京津冀", "河北省", False)]),
        # a place written before the place inside it only says where that one is
        ("继续发挥经济特区、上海浦东新区的作用，推进天津滨海新区开发开放。", None,
         [("上海", "上海市", False), ("天津", "天津市", False), ("浦东新区", "浦东新区", True), ("滨海新区", "滨海新区", True),
          ("经济特区", "经济特区", True)]),
        # places written one after another are a list: 粤东粤西粤北
        ("支持粤东粤西粤北等地区承接产业转移。", "440000",
         [("粤东", "粤东地区", True), ("粤北", "粤北地区", True), ("粤西", "粤西地区", True)]),
        # a zone named by its place and a zone class is a zone of its own
        ("推进珠海西部生态新区、东莞滨海湾新区等建设。", "440000",
         [("东莞滨海湾新区", "东莞滨海湾新区", True), ("珠海西部生态新区", "珠海西部生态新区", True)]),
        ("加强曹妃甸区、正定新区等重点平台建设。", "130000", [("曹妃甸区", "曹妃甸区", True), ("正定新区", "正定新区", True)]),
        # a project or a park a place builds keeps the place
        ("推进河源龙川新城建设。", "440000", [("河源", "河源市", False), ("龙川", "龙川县", True)]),
        # townships in a county's plan, a list given its focus through an attribute
        ("以毗邻雄安新区的庞口镇、小王果庄镇、蒲口乡为重点，建设特色小镇。", "130628",
         [("小王果庄镇", "小王果庄镇", True), ("庞口镇", "庞口镇", True), ("蒲口乡", "蒲口乡", True), ("雄安新区", "河北雄安新区", False)]),
        # a region whose conditions the task improves, keeps or sends people to
        ("持续优化粤东粤西粤北营商环境。", "440000",
         [("粤东", "粤东地区", True), ("粤北", "粤北地区", True), ("粤西", "粤西地区", True)]),
        ("保持香港、澳门长期繁荣稳定。", None, [("澳门", "澳门特别行政区", True), ("香港", "香港特别行政区", True)]),
        ("吸引高校毕业生到粤北地区稳定就业。", "440000", [("粤北地区", "粤北地区", True)]),
        ("筑牢粤北生态屏障。", "440000", [("粤北", "粤北地区", True)]),
        # a national region in a national plan is a part of the country, tasked like any other
        ("扩展西部地区路网，强化中部地区路网。", None, [("中部地区", "中部地区", True), ("西部地区", "西部地区", True)]),
        # a blend in a national plan is a part of the country: its noun is the task's object
        ("扩展中西部地区和东北地区路网。", None,
         [("东北地区", "东北地区", True), ("中西部地区", "中部地区", True), ("中西部地区", "西部地区", True)]),
        ("增加小型机场，提高中西部地区和东北地区机场密度。", None,
         [("东北地区", "东北地区", True), ("中西部地区", "中部地区", True), ("中西部地区", "西部地区", True)]),
        # ... while in a regional plan a region can name an institute
        ("加快长三角先进材料研究院等载体建设。", "320500", [("长三角", "长江三角洲", False)]),
        # a region after another object of the same verb
        ("建设长江黄金水道和长江三角洲、珠江三角洲高等级航道网。", None,
         [("珠江三角洲", "珠江三角洲", True), ("长江三角洲", "长江三角洲", True)]),
        # the places a plan lists as the ones it supports
        ("重点支持的区域是：限制开发区域，贫困地区，三峡库区，资源枯竭型城市等。", None, [("三峡库区", "三峡库区", True)]),
        # a named grouping of counties after their city, tasked with its partner
        ("创建廊坊北三县与通州区一体化高质量发展示范区。", "130000",
         [("北三县", "三河市", True), ("北三县", "大厂回族自治县", True), ("北三县", "香河县", True), ("廊坊", "廊坊市", False),
          ("通州区", "通州区", True)]),
        # a word that extends the place: the cue is read after it
        ("加强对少数民族地区和以张家口、承德地区为重点的贫困地区的扶持。", "130000",
         [("张家口", "张家口市", True), ("承德", "承德市", True)]),
        # one task, one responsible row: the second mention stays a mention
        ("支持澳门发展旅游等服务业，促进澳门经济适度多元发展。", None,
         [("澳门", "澳门特别行政区", False), ("澳门", "澳门特别行政区", True)]),
    ],
)
def test_blends_nested_places_and_one_row_per_task(sentence, region, expected):
    assert rows_of_areas(sentence, region) == expected
