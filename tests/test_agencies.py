"""Agencies: the bodies a task names, with their roles, from labelled and unlabelled tags."""

from __future__ import annotations

import pytest

from planx.document import SENTENCES, rows_of
from planx.pipeline import parse


def agencies_of(text: str) -> list[tuple[str, str]]:
    doc = parse("二、主要任务\n（一）稳定就业。" + text)
    return [(r["agency"], r["role"]) for r in rows_of(doc, "agencies")]


LEAD_RULE = "各项任务列第一位者为牵头单位。"


@pytest.mark.parametrize("text, expected", [
    # a tag with no lead rule in the document: the bodies answer for the task together
    ("所需资金由失业保险基金列支。（人力资源社会保障部、财政部负责）",
     [("人力资源社会保障部", "responsible"), ("财政部", "responsible")]),
    # the document states its lead rule: the first body named leads, the rest support
    (LEAD_RULE + "所需资金由失业保险基金列支。（人力资源社会保障部、财政部负责）",
     [("人力资源社会保障部", "lead"), ("财政部", "support")]),
    ("具体分工排在第一位的为牵头部门。推进农机化。（农业农村部、工业和信息化部负责）",
     [("农业农村部", "lead"), ("工业和信息化部", "support")]),
    # an implementation plan's tag: lead and participants by their verbs
    ("完善统计方法。（生态环境部牵头，国家发展改革委、国家统计局参与）",
     [("生态环境部", "lead"), ("国家发展改革委", "support"), ("国家统计局", "support")]),
    # a supervising body beside participants leads them
    ("完善线下回收网点。（商务部指导，供销合作总社参与）", [("商务部", "lead"), ("供销合作总社", "support")]),
    # names with no verb share the next segment's
    (LEAD_RULE + "享受就业援助。（人力资源社会保障部、财政部，各省级人民政府按职责分工负责）",
     [("人力资源社会保障部", "lead"), ("财政部", "support"), ("各省级人民政府", "support")]),
    # supervising bodies are responsible
    ("推广绿色设计。（工业和信息化部、商务部指导）", [("工业和信息化部", "responsible"), ("商务部", "responsible")]),
    # an open list keeps only the bodies named
    (LEAD_RULE + "适当提高补贴标准。（人力资源社会保障部等有关部门和单位负责）", [("人力资源社会保障部", "lead")]),
    # A会同B in a tag: A leads; bodies named only by reference are no one in particular
    ("优先支持产业集群。（国家发展改革委、财政部会同有关部门负责）",
     [("国家发展改革委", "lead"), ("财政部", "lead")]),
    ("优先安排试点。（教育部会同人力资源社会保障部负责）", [("教育部", "lead"), ("人力资源社会保障部", "support")]),
    # 由X负责 inside a tag names X
    ("分别负责证书的实施（技工院校内由人力资源社会保障行政部门负责）。", [("人力资源社会保障行政部门", "responsible")]),
    # a labelled tag still reads as before
    ("建设质量基础设施。（牵头单位：市市场监管局；配合单位：市财政局）",
     [("市市场监管局", "lead"), ("市财政局", "support")]),
])
def test_tags_name_bodies_and_their_roles(text, expected):
    assert agencies_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    # A会同B opening a task sentence, in an implementation plan's, an assessment's and a
    # five-year plan's style
    ("生态环境部会同国家发展改革委、财政部等部门筛选确定试点城市。",
     [("生态环境部", "lead"), ("国家发展改革委", "support"), ("财政部", "support")]),
    ("国家卫生健康委要会同相关部门，按照职责分工加强指导和监督。", [("国家卫生健康委", "lead")]),
    ("省教育厅将会同省财政厅组织开展评估。", [("省教育厅", "lead"), ("省财政厅", "support")]),
    # one who only approves is not tasked
    ("试点方案经生态环境部会同有关部门组织专家评审通过后实施。", []),
    # 负责人 is a person, not 负责
    ("建立由政府负责人牵头的工作机制。", []),
    # what only ends like a body's name
    ("要把城市群作为推进城镇化的主体形态，形成合理的空间格局要统筹考虑。", []),
    ("各有关部门要认真组织实施督查激励措施。", []),
])
def test_running_text_names_bodies_and_their_roles(text, expected):
    assert agencies_of(text) == expected


def test_a_tag_after_a_sentence_s_end_belongs_to_that_sentence():
    doc = parse("二、主要任务\n所需资金由失业保险基金列支。（人力资源社会保障部、财政部负责） （二）加强培训。")
    assert [s.text for s in doc.spans[SENTENCES]][1:] == ["所需资金由失业保险基金列支。（人力资源社会保障部、财政部负责）",
                                                           " （二）加强培训。"]
