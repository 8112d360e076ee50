"""The Suzhou plan read from .txt, .docx, .doc and .pdf gives the same heading tree and the
same 26-row indicator table; every heading and cell re-locates in each format's text."""

from __future__ import annotations


import pytest

from planx.api import load_document
from planx.document import HEADINGS, TABLES, heading_title, table_grid
from planx.structure.tables import table_cells_text

from .conftest import CORPUS, FIXTURES, needs_tool

STEM = "suzhou-quality-plan-14fyp"
FORMATS = ["docx", "pdf", pytest.param("doc", marks=needs_tool("soffice"))]


def tree(doc):
    return [(h._.level, h.text) for h in doc.spans[HEADINGS]]


def indicator_rows(doc):
    (table,) = [t for t in doc.spans[TABLES] if len(table_grid(doc, t)) > 20]
    # Columns after the merged category: 序号, 主要指标, 单位, “十三五”末, “十四五”末.
    return [row[1:] for row in table_cells_text(doc, table)[1:]]


@pytest.fixture(scope="module")
def txt_doc():
    return load_document(CORPUS / f"{STEM}.txt")


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_heading_tree(fmt, txt_doc):
    doc = load_document(FIXTURES / f"{STEM}.{fmt}")
    assert tree(doc) == tree(txt_doc)


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_indicator_table(fmt, txt_doc):
    doc = load_document(FIXTURES / f"{STEM}.{fmt}")
    rows = indicator_rows(doc)
    assert len(rows) == 26
    assert rows == indicator_rows(txt_doc)


@pytest.mark.parametrize("path", [
    *(CORPUS / f"{stem}.txt" for stem in (STEM, "jiangsu-quality-opinion-2016")),
    *(pytest.param(p, marks=needs_tool("soffice")) if p.suffix == ".doc" else p for p in sorted(FIXTURES.iterdir())),
], ids=lambda p: p.name)
def test_headings_and_cells_relocate(path):
    doc = load_document(path)
    assert doc.spans[HEADINGS]
    for head in doc.spans[HEADINGS]:
        assert head.text.startswith(head._.number) and head.text.endswith(heading_title(head))
    for table in doc.spans[TABLES]:
        for row in table_grid(doc, table):
            for cell in row:
                assert doc.text[cell.start : cell.end] == doc.text[cell.start : cell.end].strip()
