"""Reading files: encodings, Word files, and one-line errors for broken input."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from planx.errors import IngestError
from planx.ingest import read

from .conftest import FIXTURES, needs_tool

TEXT = "一、总体要求\n到2025年，制造业产品质量合格率达到97%。\n"


@pytest.mark.parametrize(
    "encoded",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.encode("gb18030"),
        TEXT.encode("gbk"),
        TEXT.encode("utf-16"),
        TEXT.encode("utf-16-le"),
        TEXT.encode("utf-16-be"),
        TEXT.replace("\n", "\r\n").encode("gb18030"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "utf16-bom", "utf16le", "utf16be", "gb18030-crlf"],
)
def test_text_encodings_detected_from_bytes(tmp_path, encoded):
    path = tmp_path / "plan.txt"
    path.write_bytes(encoded)
    raw, _sha = read(path)
    assert [b.text for b in raw.blocks if b.text.strip()] == ["一、总体要求", "到2025年，制造业产品质量合格率达到97%。"]


def one_line_error(path) -> str:
    with pytest.raises(IngestError) as info:
        read(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    return message


def test_empty_file(tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(b"")
    assert one_line_error(path).endswith("is empty; re-download or re-export the document")


def test_truncated_docx(tmp_path):
    data = (FIXTURES / "jiangsu-quality-opinion-2016.docx").read_bytes()
    path = tmp_path / "plan.docx"
    path.write_bytes(data[: len(data) // 2])
    assert "damaged or truncated" in one_line_error(path)


def test_docx_that_is_text_is_read_as_text(tmp_path):
    path = tmp_path / "plan.docx"
    path.write_text(TEXT, encoding="utf-8")
    raw, _ = read(path)
    assert raw.format == "txt"


def test_zip_that_is_no_word_file(tmp_path):
    path = tmp_path / "plan.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "not a Word document" in one_line_error(path)


def test_zip_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/padding.bin", b"\0" * (210 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    assert "zip bomb" in one_line_error(path)


def test_encrypted_office_file(tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le"))
    assert "password-protected" in one_line_error(path)


def test_unknown_extension(tmp_path):
    path = tmp_path / "plan.pages"
    path.write_text("x")
    assert "unsupported file type '.pages'" in one_line_error(path)


def test_doc_without_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    message = one_line_error(FIXTURES / "suzhou-quality-plan-14fyp.doc")
    assert message.endswith("LibreOffice is not installed; install it (Debian: apt-get install "
                            "libreoffice-writer-nogui) or save the file as .docx")


def test_docx_headings_styles_and_merged_cells():
    raw, _ = read(FIXTURES / "suzhou-quality-plan-14fyp.docx")
    levels = {b.text: b.heading_level for b in raw.blocks if b.kind == "paragraph"}
    assert levels["一、发展环境"] == 1 and levels["（一）发展成效"] == 2
    table = next(b for b in raw.blocks if b.kind == "table")
    assert table.rows[1][0] == "质量强市指标" and table.rows[2][0] is None


@needs_tool("soffice")
def test_doc_converted_by_libreoffice():
    raw, _ = read(FIXTURES / "suzhou-quality-plan-14fyp.doc")
    assert raw.format == "doc"
    assert any(b.text == "十、保障措施" for b in raw.blocks)


def test_pdf_pages_rejoined_without_page_numbers():
    from planx.api import load_document

    doc = load_document(FIXTURES / "suzhou-quality-plan-14fyp.pdf")
    assert "“十四五”时期，是苏州加快建设充分展现“强富美高”新图景的社会主义现代化强市的关键时期" in doc.text
    assert not [line for line in doc.text.split("\n") if re.fullmatch(r"[—\-\s]*\d+[—\-\s]*", line)]


def test_scanned_pdf_needs_ocr(tmp_path):
    from PIL import Image

    path = tmp_path / "scan.pdf"
    Image.new("RGB", (200, 300), "white").save(path)
    assert one_line_error(path).endswith("has no text layer (a scanned PDF); run OCR on it first (e.g. ocrmypdf) "
                                         "and try again")


def test_truncated_pdf(tmp_path):
    data = (FIXTURES / "jiangsu-quality-opinion-2016.pdf").read_bytes()
    path = tmp_path / "plan.pdf"
    path.write_bytes(data[: len(data) // 3])
    message = one_line_error(path)
    assert "damaged or truncated" in message or "no text layer" in message


@pytest.mark.parametrize("name", ["plan.html", "plan-gbk.html"])
def test_html_keeps_the_article_and_drops_chrome(name):
    from planx.api import extract_document

    result = extract_document(Path(__file__).parent / "data" / "html" / name)
    text = result.document.text
    assert "一、总体要求" in text and "制造业产品质量合格率" in text
    for chrome in ("首页", "当前位置", "相关报道", "我市召开质量工作会议", "ICP备案号"):
        assert chrome not in text
    assert result.rows["documents"][0]["title"] == "某市“十四五”质量发展规划"
    assert (result.rows["documents"][0]["period_start"], result.rows["documents"][0]["period_end"]) == (2021, 2025)
    assert {r["value"] for r in result.rows["targets"]} >= {97, 1000}
    assert len(result.document.spans["tables"]) == 1


def test_html_without_article(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>x</title></head><body><nav>首页</nav></body></html>", encoding="utf-8")
    assert "no article text" in one_line_error(path)
