"""Agencies: the bodies a task names, with their roles, from labelled and unlabelled tags."""

from __future__ import annotations

import pytest

from planx.document import SENTENCES, rows_of
from planx.pipeline import parse


def agencies_of(text: str) -> list[tuple[str, str]]:
    doc = parse("二、主要任务\n（一）稳定就业。" + text)
    return [(r["agency"], r["role"]) for r in rows_of(doc, "agencies")]


@pytest.mark.parametrize("text, expected", [
    # an opinion's tag: the first body named leads, the rest support
    ("所需资金由失业保险基金列支。（人力资源社会保障部、财政部负责）",
     [("人力资源社会保障部", "lead"), ("财政部", "support")]),
    # an implementation plan's tag: lead and participants by their verbs
    ("完善统计方法。（生态环境部牵头，国家发展改革委、国家统计局参与）",
     [("生态环境部", "lead"), ("国家发展改革委", "support"), ("国家统计局", "support")]),
    # names with no verb share the next segment's
    ("享受就业援助。（人力资源社会保障部、财政部，各省级人民政府按职责分工负责）",
     [("人力资源社会保障部", "lead"), ("财政部", "support"), ("各省级人民政府", "support")]),
    # supervising bodies are responsible
    ("推广绿色设计。（工业和信息化部、商务部指导）", [("工业和信息化部", "responsible"), ("商务部", "responsible")]),
    # an open list keeps only the bodies named
    ("适当提高补贴标准。（人力资源社会保障部等有关部门和单位负责）", [("人力资源社会保障部", "lead")]),
    # a labelled tag still reads as before
    ("建设质量基础设施。（牵头单位：市市场监管局；配合单位：市财政局）",
     [("市市场监管局", "lead"), ("市财政局", "support")]),
])
def test_tags_name_bodies_and_their_roles(text, expected):
    assert agencies_of(text) == expected


def test_a_tag_after_a_sentence_s_end_belongs_to_that_sentence():
    doc = parse("二、主要任务\n所需资金由失业保险基金列支。（人力资源社会保障部、财政部负责） （二）加强培训。")
    assert [s.text for s in doc.spans[SENTENCES]][1:] == ["所需资金由失业保险基金列支。（人力资源社会保障部、财政部负责）",
                                                           " （二）加强培训。"]
