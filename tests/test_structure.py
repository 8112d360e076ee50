"""Structure: headings, sections, tables (incl. flattened and continued), boxes, sentences."""

from __future__ import annotations

import pytest

from planx import rules
from planx.document import BOXES, HEADINGS, SENTENCES, TABLES, path_text, section_at, table_grid
from planx.pipeline import parse
from planx.structure.roles import title_roles
from planx.structure.tables import table_cells_text

from .conftest import CORPUS_FILES, SEED_FILES


def doc_of(text: str):
    return parse(text)


def heading_tree(doc):
    return [(h._.level, h.text) for h in doc.spans[HEADINGS]]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("一、总体要求\n（一）指导思想\n正文。\n（二）基本原则\n二、重点任务",
         [(1, "一、总体要求"), (2, "（一）指导思想"), (2, "（二）基本原则"), (1, "二、重点任务")]),
        ("第一章 总则\n第一节 目的\n一、意义\n第二章 目标",
         [(1, "第一章 总则"), (2, "第一节 目的"), (3, "一、意义"), (1, "第二章 目标")]),
        ("1.实施质量提升工程。积极推进创建。\n2、强化标准引领。正文", [(1, "1.实施质量提升工程"), (1, "2、强化标准引领")]),
        ("（一）主要目标。到2020年，质量竞争力位居前列。\n1.质量竞争力。\n（二）重点任务",
         [(1, "（一）主要目标"), (2, "1.质量竞争力"), (1, "（二）重点任务")]),
        ("（1）推进改革\n①开展试点\n（2）加强监管", [(1, "（1）推进改革"), (2, "①开展试点"), (1, "（2）加强监管")]),
        ("一是政策机遇。正文\n一体化发展取得成效。", []),
        ("1.5万亿元的产业规模。", []),
        ("2025年，全市完成目标。", []),
        ("1.推进全市范围内各类企业开展质量提升行动，着力提高产品和服务质量水平，增强竞争力，满足需求，提高效益。",
         [(1, "1.推进全市范围内各类企业开展质量提升行动")]),
        # work reports: year-led parts, numbered or not, are siblings
        ("一、2023年工作回顾\n正文。\n二、2024年工作安排\n（一）稳增长", [(1, "一、2023年工作回顾"), (1, "二、2024年工作安排"),
                                                          (2, "（一）稳增长")]),
        ("2023年工作回顾\n（一）经济运行\n正文。\n2024年主要工作\n（一）扩内需",
         [(1, "2023年工作回顾"), (2, "（一）经济运行"), (1, "2024年主要工作"), (2, "（一）扩内需")]),
        ("2023年，全市经济平稳运行。", []),
        # a 纲要 that opens with chapters before its first 篇: the 篇 still holds the chapters after it
        ("第一章 发展环境\n第一篇 创新驱动\n第二章 科技创新\n第一节 基础研究",
         [(1, "第一章 发展环境"), (1, "第一篇 创新驱动"), (2, "第二章 科技创新"), (3, "第一节 基础研究")]),
        ("一﹒总体要求\n1﹒指导思想\n2．基本原则", [(1, "一﹒总体要求"), (2, "1﹒指导思想"), (2, "2.基本原则")]),  # NFKC folds ．
        # an outline whose text runs on after a chapter's or section's title, a space apart
        ("第四章 发展现代农业 坚持把发展农业生产力作为首要任务\n第四节 完善农村流通体系 推进农产品批发市场建设",
         [(1, "第四章 发展现代农业"), (2, "第四节 完善农村流通体系")]),
        ("第二篇 建设社会主义新农村 坚持统筹城乡经济社会发展\n第五章 增加农民收入",
         [(1, "第二篇 建设社会主义新农村"), (2, "第五章 增加农民收入")]),
        # a report's unnumbered part title between its year-led parts; a menu line before them is none
        ("网站首页\n2022年政府工作回顾\n正文。\n阔步迈上新征程\n第一，打造重点场景。正文。\n2023年主要工作\n（一）扩内需",
         [(1, "2022年政府工作回顾"), (1, "阔步迈上新征程"), (2, "第一，打造重点场景"), (1, "2023年主要工作"),
          (2, "（一）扩内需")]),
        # two headings on one line, a space apart (gov.cn): the line breaks before the second
        ("一、总体要求\n（一）指导思想。正文。\n二、丰富赛事活动，完善赛事体系 （四）大力发展职业赛事。正文。",
         [(1, "一、总体要求"), (2, "（一）指导思想"), (1, "二、丰富赛事活动，完善赛事体系"), (2, "（四）大力发展职业赛事")]),
        # a page set as one paragraph: 一、 after the salutation's colon starts a heading too
        ("各省、自治区、直辖市人民政府：为加快发展体育产业，经国务院同意，现提出以下意见： 一、总体要求（一）指导思想。" + "正文。" * 600,
         [(1, "一、总体要求"), (2, "（一）指导思想")]),
    ],
)
def test_headings(text, expected):
    assert heading_tree(doc_of(text)) == expected


def test_section_paths():
    doc = doc_of("一、重点任务\n（一）推进质量品牌建设。\n1.实施质量提升工程。正文。\n二、保障措施")
    section = section_at(doc, doc.text.index("正文"))
    assert path_text(section) == "一、重点任务 > （一）推进质量品牌建设 > 1.实施质量提升工程"


FLAT = "主要目标表\n\t类别\n\t序号\n\t指标\n\t单位\n\t2025年\n\n\t经济\n\t1\n\t地区生产总值\n\t亿元\n\t3000\n\n\t\n\t2\n\t研发投入强度\n\t%\n\t≥3\n\n正文"


def test_flattened_table_rebuilt_with_merged_group_cells():
    doc = doc_of(FLAT)
    (table,) = doc.spans[TABLES]
    cells = table_cells_text(doc, table)
    assert cells[0] == ["类别", "序号", "指标", "单位", "2025年"]
    assert cells[2] == ["经济", "2", "研发投入强度", "%", "≥3"]
    assert table_grid(doc, table)[2][0]._.merged
    assert table._.title == "主要目标表"


def test_continued_table_is_joined():
    second = FLAT.replace("主要目标表", "主要目标表（续）").replace("正文", "")
    doc = doc_of(FLAT.replace("\n正文", "\n") + second)
    assert len(doc.spans[TABLES]) == 1
    assert len(table_grid(doc, doc.spans[TABLES][0])) == 5  # the header and 4 rows


def test_tab_lines_without_a_header_are_no_table():
    doc = doc_of("\t专栏1：质量赋能伙伴计划\n\n\t质量赋能伙伴计划:聚焦苏州。\n（一）加强管理")
    assert list(doc.spans[TABLES]) == []
    assert [b._.title for b in doc.spans[BOXES]] == ["质量赋能伙伴计划"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("第一句。第二句！第三句？", ["第一句。", "第二句！", "第三句？"]),
        ("他说“好。”然后走了。", ["他说“好。”然后走了。"]),
        ("贯彻《条例。》精神。继续", ["贯彻《条例。》精神。", "继续"]),
    ],
)
def test_sentences(text, expected):
    doc = doc_of(text)
    assert [s.text for s in doc.spans[SENTENCES]] == expected


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
def test_corpus_offsets_relocate(path):
    from planx.api import load_document

    doc = load_document(path)
    assert doc.spans[SENTENCES]
    for head in doc.spans[HEADINGS]:
        assert head.text.startswith(head._.number)
        assert head.start <= head._.title_start <= head.end
    for table in doc.spans[TABLES]:
        for row in table_grid(doc, table):
            for cell in row:
                assert 0 <= cell.start <= cell.end <= len(doc.text)
                assert "\n" not in doc.text[cell.start : cell.end]


def test_seed_plans_have_headings():
    """The relocation test above checks no heading on a document where none is found (most
    work reports today: their year-led headings are not read yet), so the seeds, whose
    headings are known, keep it from passing on nothing."""
    from planx.api import load_document

    for path in SEED_FILES:
        assert load_document(path).spans[HEADINGS], path.stem


def test_suzhou_indicator_table_has_26_rows():
    from planx.api import load_document

    doc = load_document(next(p for p in CORPUS_FILES if p.stem.startswith("suzhou")))
    (table,) = doc.spans[TABLES]
    cells = table_cells_text(doc, table)
    assert len(cells) == 1 + 26
    assert cells[1][2:] == ["制造业产品质量合格率", "%", "96.76", "≥97"]
    assert cells[-1][2:] == ["新增建立首席质量官制度企业数", "家", "2000", "48000"]


@pytest.mark.parametrize(
    "title, roles",
    [
        ("“十三五”时期发展成效", ("review",)),
        ("2023年工作回顾", ("review",)),
        ("面临的形势", ("review",)),
        ("主要目标", ("goals",)),
        ("总体要求", ("principles",)),
        ("编制依据", ("background",)),
        ("夯实质量发展基础", ()),  # a task verb opens a task heading
        ("推进数字化转型", ()),
    ],
)
def test_section_roles(title, roles):
    assert title_roles(title) == roles


def test_a_section_is_read_with_its_ancestors_roles():
    from planx.structure.roles import roles_at

    doc = doc_of("一、发展基础\n（一）产业升级\n地区生产总值达到1万亿元。\n二、重点任务\n（一）推进创新\n正文。")
    assert roles_at(doc, doc.text.index("地区")) == {"review"}
    assert roles_at(doc, doc.text.index("正文")) == {"tasks"}


ROLE_EXAMPLES = [(role, example) for role, spec in rules.load("sections")["roles"].items() for example in spec["examples"]]


@pytest.mark.parametrize("role, title", ROLE_EXAMPLES, ids=[f"{r}-{t}" for r, t in ROLE_EXAMPLES])
def test_role_examples_in_rules(role, title):
    """Every example heading in rules/sections.yaml takes its role."""
    assert role in title_roles(title)
