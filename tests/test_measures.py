"""Measures: lowest-level task headings or lead sentences, never context chapters."""

from __future__ import annotations

import pytest

from planx.document import rows_of
from planx.passes.measures import policy_tool
from planx.pipeline import parse


def measures_of(text: str):
    return [(m["section"], m["title"]) for m in rows_of(parse(text), "measures")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("一、总体要求\n（一）指导思想\n坚持新发展理念。\n二、重点任务\n（一）推进创新\n1.加强研发。正文。\n2.培育人才。正文。",
         [("二、重点任务 > （一）推进创新", "加强研发"), ("二、重点任务 > （一）推进创新", "培育人才")]),
        ("第三章 重点任务\n第一节 推进制造强省\n做强先进制造业集群。实施集群培育工程，壮大规模。\n提升产业链水平。推动补链强链。",
         [("第三章 重点任务 > 第一节 推进制造强省", "做强先进制造业集群"),
          ("第三章 重点任务 > 第一节 推进制造强省", "提升产业链水平")]),
        ("四、保障措施\n（一）加强组织领导。各地要建立工作机制。\n（二）强化资金保障。加大投入。",
         [("四、保障措施", "加强组织领导"), ("四、保障措施", "强化资金保障")]),
        ("一、发展基础\n（一）主要成效\n1.经济实力增强。地区生产总值达到1万亿元。\n二、主要任务\n（一）夯实发展基础\n正文，推进。",
         [("二、主要任务", "夯实发展基础")]),
        ("三、重点任务\n（一）推进数字化转型\n——实施智能化改造。鼓励企业上云，推动改造。\n——建设工业互联网。培育平台。",
         [("三、重点任务 > （一）推进数字化转型", "实施智能化改造"),
          ("三、重点任务 > （一）推进数字化转型", "建设工业互联网")]),
        ("五、重点工作\n（一）稳定经济增长\n全年地区生产总值增长6%左右，确保完成目标任务，推动经济平稳运行。",
         [("五、重点工作", "稳定经济增长")]),
        ("一、总体目标\n到2025年，全省质量总体水平显著提升。\n（一）质量水平。合格率达到97%。", []),
        # an implementation plan's run-in leads of two clauses, the first one run in after the heading
        ("二、主要任务\n（一）强化顶层设计。建立指标体系，发挥导向引领作用。正文。\n优化管理体制机制，强化部门分工协作。正文。",
         [("二、主要任务 > （一）强化顶层设计", "建立指标体系，发挥导向引领作用"),
          ("二、主要任务 > （一）强化顶层设计", "优化管理体制机制，强化部门分工协作")]),
        # a lead run in after its heading, beside a paragraph's own lead
        ("二、主要任务\n（五）提升风险防控能力。筑牢源头防线。新建项目要评价。\n夯实过程严控基础。开展许可管理。",
         [("二、主要任务 > （五）提升风险防控能力", "筑牢源头防线"),
          ("二、主要任务 > （五）提升风险防控能力", "夯实过程严控基础")]),
        # one two-clause opening alone is a sentence, not a lead: the heading is the measure
        ("三、重点任务\n（二）推进农机化\n加快选育品种，推广适于机械化作业的技术。正文。\n各地要结合实际制定方案，加强指导。",
         [("三、重点任务", "推进农机化")]),
        # a heading whose only paragraph runs a lead in: the heading is the measure
        ("三、重点任务\n（八）协同构建生产体系。加快选育品种。将适应机械化作为重要目标。",
         [("三、重点任务", "协同构建生产体系")]),
        # an incentive scheme's long numbered items: the title runs to the first sentence's end
        ("一、对深化商事制度改革成效显著、落实事中事后监管等相关政策措施社会反映好的市（地、州、盟）、县（市、区、旗），优先纳入相关试点。（市场监管总局负责）\n"
         "二、对促进外贸稳定增长成效明显的省（区、市），给予优先支持。",
         [("", "对深化商事制度改革成效显著、落实事中事后监管等相关政策措施社会反映好的市（地、州、盟）、县（市、区、旗），优先纳入相关试点"),
          ("", "对促进外贸稳定增长成效明显的省（区、市），给予优先支持")]),
        # an appendix of tasks counts; a glossary appendix, table notes and a bare attachment line do not
        ("三、重点工作\n（一）稳就业。正文。\n附件：重点任务清单\n附件1\n一、提升养老服务水平。正文。\n二、推进污水治理。正文。\n"
         "附件2 名词解释\n1.虚拟电厂：一种聚合分布式能源的系统。\n注：\n1.考核应采用上述全部指标。",
         [("三、重点工作", "稳就业"), ("附件1", "提升养老服务水平"), ("附件1", "推进污水治理")]),
        # a news reprint's report item in one paragraph: its run-in topic sentences are the measures
        ("二、今年主要工作\n（一）加力推进协同发展，让一体化更加紧密。坚决落实要求，全力构建新格局。强化对接承接。加快媒体新城建设，积极融入产业链。"
         "织密交通路网。实施交通强市行动计划，推动高速公路等工程实施。发展总部经济。规划建设企业总部基地，力争新增10家子公司。",
         [("二、今年主要工作 > （一）加力推进协同发展，让一体化更加紧密", "强化对接承接"),
          ("二、今年主要工作 > （一）加力推进协同发展，让一体化更加紧密", "织密交通路网"),
          ("二、今年主要工作 > （一）加力推进协同发展，让一体化更加紧密", "发展总部经济")]),
        # a county report's short run-ins
        ("二、重点工作\n（一）打赢蓝天保卫战。持续抓好大气污染防治，坚决打赢蓝天保卫战。强力治煤。完成清洁取暖改造，推进散煤清零。"
         "强力治尘。严格落实六个百分百，加强扬尘管控。强力治车。淘汰老旧车辆，加强路检路查。",
         [("二、重点工作 > （一）打赢蓝天保卫战", "强力治煤"), ("二、重点工作 > （一）打赢蓝天保卫战", "强力治尘"),
          ("二、重点工作 > （一）打赢蓝天保卫战", "强力治车")]),
        # two short sentences inside an opinion's item are its text, not run-ins: the item is the measure
        ("四、营造环境\n（十六）打造发展平台。推动权利市场化运营，推进制播分离。大力支持新媒体平台发展。鼓励搭建公共服务平台。完善交易规则，规范市场秩序。",
         [("四、营造环境", "打造发展平台")]),
        # paragraphs with leads keep them; short sentences inside them are text
        ("三、重点任务\n（六）推动降碳。\n持续打好保卫战。强化区域治理，开展提档升级。推动新型储能发展。实施工程，完成治理。\n"
         "稳妥推进碳达峰。加快调整结构，遏制盲目发展。提升碳汇能力。开展试点，完成任务。",
         [("三、重点任务 > （六）推动降碳", "持续打好保卫战"), ("三、重点任务 > （六）推动降碳", "稳妥推进碳达峰")]),
        # a report's enumerated points run in after a heading stay the measures
        ("三、今年工作安排\n第一，打造重点场景。一是新型能源强市场景。正文。二是现代交通强市场景。正文。\n三是质量强市场景。正文。",
         [("三、今年工作安排 > 第一，打造重点场景", "新型能源强市场景"),
          ("三、今年工作安排 > 第一，打造重点场景", "现代交通强市场景"),
          ("三、今年工作安排 > 第一，打造重点场景", "质量强市场景")]),
    ],
)
def test_measures(text, expected):
    assert measures_of(text) == expected


@pytest.mark.parametrize(
    "title, text, tool",
    [
        ("加强人才队伍建设", "培养质量专家，开展岗位技能培训。", "supply"),
        ("完善法治体系", "加快制定条例，健全监管制度和考核机制。", "environment"),
        ("开展试点示范", "推进首台套推广应用，扩大政府采购。", "demand"),
        ("其他", "做好相关工作。", ""),
    ],
)
def test_policy_tool(title, text, tool):
    assert policy_tool(title, text) == tool


def test_enumerated_items_and_ordinal_points_are_measures():
    """A report's 第一，… points and the 一是…二是… items run in inside them (issue #14's
    numbering styles): each item is a measure under its point."""
    from planx.pipeline import parse

    doc = parse("二、重点任务\n第一，着力打造重点场景。一是新型能源强市场景。高标准建设能源网络。"
                "二是现代交通强市场景。加快建设高铁。\n第二，打造标志场景。一是创新场景。加快建设。")
    rows = [(r._.row_values["section"], r._.row_values["title"]) for r in doc.spans["measures"]]
    assert rows == [("二、重点任务 > 第一，着力打造重点场景", "新型能源强市场景"),
                    ("二、重点任务 > 第一，着力打造重点场景", "现代交通强市场景"),
                    ("二、重点任务 > 第二，打造标志场景", "创新场景")]
