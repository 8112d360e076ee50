"""The Suzhou plan read from .txt, .docx, .doc and .pdf gives the same heading tree and the
same 26-row indicator table; every heading and cell re-locates in each format's text."""

from __future__ import annotations


import pytest

from extract.api import load_document
from extract.structure.tables import table_cells_text

from .conftest import CORPUS, FIXTURES, needs_tool

STEM = "suzhou-quality-plan-14fyp"
FORMATS = ["docx", "pdf", pytest.param("doc", marks=needs_tool("soffice"))]


def tree(doc):
    return [(h.level, doc.text[h.start : h.end]) for h in doc.headings]


def indicator_rows(doc):
    (table,) = [t for t in doc.tables if len(t.rows) >= 20]
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
    assert doc.headings
    for head in doc.headings:
        label = doc.text[head.start : head.end]
        assert label.startswith(head.number) and label.endswith(head.title(doc.text))
    for table in doc.tables:
        for row in [table.header, *table.rows]:
            for cell in row:
                assert doc.text[cell.start : cell.end] == doc.text[cell.start : cell.end].strip()
