"""The .docx, .doc, .pdf and .html ingestors: layout read right from real files, Word
features read from files made here, and one-line errors for broken files.

The fixtures (the seeds as published) live in ``tests/data/fixtures``; the broken files in
``tests/data/broken`` (``make_broken.py`` there tells how each was made).
"""

from __future__ import annotations

import functools
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from planx.errors import IngestError
from planx.ingest import read
from planx.document import PARAGRAPHS, TABLES, table_grid
from planx.layout import assemble
from planx.pipeline import shared
from planx.normalise import normalise_inline

from .conftest import needs_tool

DATA = Path(__file__).resolve().parent / "data"
FIXTURES = DATA / "fixtures"
BROKEN = DATA / "broken"
needs_soffice = needs_tool("soffice")

SUZHOU, JIANGSU = "suzhou-quality-plan-14fyp", "jiangsu-quality-opinion-2016"
FILES = [f"{SUZHOU}.docx", f"{SUZHOU}.pdf", pytest.param(f"{SUZHOU}.doc", marks=needs_soffice),
         f"{JIANGSU}.docx", f"{JIANGSU}.pdf"]
TOP_HEADINGS = {
    SUZHOU: ["一、发展环境", "二、总体要求", "三、构筑质量整体竞争优势", "四、增强企业质量发展能力", "五、优化质量基础设施布局",
             "六、筑牢质量安全防控屏障", "七、营造浓厚质量文化氛围", "八、加快融入长三角质量发展", "九、积极参与国际质量交流",
             "十、保障措施"],
    JIANGSU: ["一、总体要求", "二、重点任务", "三、保障措施"],
}
# Sentences a PDF wraps across lines, across a page break, and between two Latin words.
WRAPPED = {
    SUZHOU: ["“十四五”时期，是苏州加快建设充分展现“强富美高”新图景的社会主义现代化强市的关键时期",
             "每年发布产品质量分析报告，开展制造业质量竞争力指数研究。强化组织领导",
             "又称国家质量基础，National Quality Infrastructure,简称NQI"],
    JIANGSU: ["紧紧围绕供给侧结构性改革这一主线，更大力度建设质量强省", "中国水利工程优质（大禹）奖5个"],
}
LABELLED = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
PAGE_NUMBER_LINE = re.compile(r"^[—\-\s]*\d+[—\-\s]*$|^第\s*\d+\s*页")


@functools.cache
def load(path: Path):
    raw, sha = read(path)
    return raw, assemble(raw, shared().vocab, path.stem, str(path), sha)


def paragraphs(doc) -> list[str]:
    return [p.text for p in doc.spans[PARAGRAPHS]]


def one_line_error(path: Path) -> str:
    with pytest.raises(IngestError) as info:
        read(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message and "; " in message, message
    return message


# --- real documents ----------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_formats_headings_on_their_own_lines_in_order(name):
    _raw, doc = load(FIXTURES / name)
    stem = name.rsplit(".", 1)[0]
    _raw_txt, reference = load(Path(__file__).resolve().parents[1] / "corpus" / f"{stem}.txt")
    lines = paragraphs(doc)
    assert [line for line in lines if line in TOP_HEADINGS[stem]] == TOP_HEADINGS[stem]
    # Every 一、/（一） heading of the plain-text reference, in the same order, on its own line.
    labelled = [line.split("。")[0] for line in lines if LABELLED.match(line)]
    assert labelled == [line.split("。")[0] for line in paragraphs(reference) if LABELLED.match(line)]


@pytest.mark.parametrize("name", FILES)
def test_formats_no_page_numbers_or_footers(name):
    _raw, doc = load(FIXTURES / name)
    assert not [line for line in doc.text.split("\n") if PAGE_NUMBER_LINE.match(line)]
    assert not re.search(r"— \d+ —", doc.text)


@pytest.mark.parametrize("name", FILES)
def test_formats_wrapped_paragraphs_are_one_line(name):
    _raw, doc = load(FIXTURES / name)
    lines = paragraphs(doc)
    for sentence in WRAPPED[name.rsplit(".", 1)[0]]:
        assert any(sentence in line for line in lines), sentence


@pytest.mark.parametrize("name", [n for n in FILES if SUZHOU in str(n)])
def test_formats_suzhou_indicator_table(name):
    raw, doc = load(FIXTURES / name)
    grids = [table_grid(doc, table) for table in doc.spans[TABLES]]
    assert sum(len(grid) - 1 for grid in grids) == 26
    cells = {c.text for grid in grids for row in grid for c in row}
    assert {"制造业产品质量合格率", "≥97", "个（次）", "48000", "“十四五”末"} <= cells
    # The merged 类别 column: the category once, the rows below it covered.
    first = next(b for b in raw.blocks if b.kind == "table")
    assert first.rows[1][0] == "质量强市指标" and first.rows[2][0] is None


@pytest.mark.parametrize("name", FILES)
def test_formats_cells_relocate(name):
    raw, doc = load(FIXTURES / name)
    tables = [b for b in raw.blocks if b.kind == "table" and any(any(r) for r in b.rows)]
    assert len(tables) == len(doc.spans[TABLES])
    for block, table in zip(tables, doc.spans[TABLES]):
        rows = [r for r in block.rows if any(r)]
        for source, cells in zip(rows, table_grid(doc, table)):
            for value, cell in zip(source, cells):
                if value is None:
                    assert cell._.merged
                else:
                    assert doc.text[cell.start : cell.end] == normalise_inline(value)


@pytest.mark.parametrize("name", [f"{SUZHOU}.pdf", f"{JIANGSU}.pdf"])
def test_pdf_blocks_carry_pages_in_order(name):
    raw, _doc = load(FIXTURES / name)
    pages = [b.page for b in raw.blocks]
    assert None not in pages and pages == sorted(pages) and pages[0] == 1
    if SUZHOU in name:
        assert [b.page for b in raw.blocks if b.kind == "table"] == [6, 7]


@pytest.mark.parametrize("name", FILES)
def test_formats_properties(name):
    raw, _doc = load(FIXTURES / name)
    assert {"title", "author", "date"} <= set(raw.properties)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.properties["date"])


def test_doc_without_libreoffice_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    message = one_line_error(FIXTURES / f"{SUZHOU}.doc")
    assert message.endswith("is a .doc (Word 97-2003) file and LibreOffice is not installed; install it "
                            "(Debian: apt-get install libreoffice-writer-nogui) or save the file as .docx")


@needs_soffice
def test_pdf_running_heads_page_numbers_and_spacing(tmp_path):
    """A PDF made by LibreOffice at 公文 size (16 pt): a running head and "— N —" page numbers
    on every page, paragraphs split by page breaks, Latin words and digits inside Chinese."""
    import docx
    from docx.oxml import parse_xml
    from docx.shared import Pt

    document = docx.Document()
    document.styles["Normal"].font.size = Pt(16)
    section = document.sections[0]
    section.header.paragraphs[0].text = "某市人民政府办公室文件"
    footer = section.footer.paragraphs[0]
    footer.add_run("— ")
    footer._p.append(parse_xml(f'<w:fldSimple {NS} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    footer.add_run(" —")
    expected = []
    for i, number in enumerate("一二三四五六", 1):
        expected += [f"（{number}）第{i}项任务",
                     "到2025年，推进National Quality Infrastructure建设，推广先进质量管理方法。" * 9 + f"第{i}段完。"]
    for text in expected:
        document.add_paragraph(text)
    document.save(tmp_path / "plan.docx")
    subprocess.run([shutil.which("soffice"), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "plan.docx")],
                   check=True, capture_output=True, timeout=120)
    raw, _ = read(tmp_path / "plan.pdf")
    assert [normalise_inline(b.text) for b in raw.blocks] == expected
    # The paragraphs are long enough that page breaks fall inside them, so the join across
    # a break is what made them whole.
    import pdfplumber

    with pdfplumber.open(tmp_path / "plan.pdf") as pdf:
        page_tops = [next(line["text"] for line in page.extract_text_lines() if "办公室文件" not in line["text"])
                     for page in pdf.pages[1:]]
    assert page_tops and not any(top.startswith("（") for top in page_tops)


# --- broken files --------------------------------------------------------------------

SAMPLE_LINES = ["一、总体要求", "到2025年，制造业产品质量合格率达到97%以上，培育1000家以上高成长企业。"]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("empty.docx", "is empty"),
        ("empty.pdf", "is empty"),
        ("truncated.docx", "is not a valid Word file (damaged or truncated); re-save it from Word or LibreOffice"),
        ("truncated.pdf", "is damaged or truncated"),
        ("encrypted.pdf", "is password-protected"),
        ("encrypted.docx", "is password-protected; remove the password and save again"),
        ("scanned.pdf", "has no text layer (a scanned PDF); run OCR on it first (e.g. ocrmypdf) and try again"),
        ("html.pdf", "is an HTML page, not a PDF"),
        ("bomb.docx", "it may be a zip bomb"),
        pytest.param("corrupt.doc", "could not be converted by LibreOffice", marks=needs_soffice),
    ],
)
def test_broken_file_is_one_line_error(name, problem):
    assert problem in one_line_error(BROKEN / name)


@pytest.mark.parametrize(("name", "fmt"), [("text.docx", "txt"), ("utf16-no-bom.txt", "txt"), ("gbk.txt", "txt")])
def test_awkward_file_is_read(name, fmt):
    raw, _ = read(BROKEN / name)
    assert raw.format == fmt
    assert [b.text for b in raw.blocks if b.text.strip()] == SAMPLE_LINES


def test_broken_files_are_small():
    assert all(path.stat().st_size < 100 * 1024 for path in BROKEN.iterdir())


def test_ole_file_that_is_not_word(tmp_path):
    path = tmp_path / "sheet.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024 + "Workbook".encode("utf-16-le"))
    assert "is not a Word document" in one_line_error(path)


# --- Word features, in files made here -----------------------------------------------

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:v="urn:schemas-microsoft-com:vml"')
NUMBERING = """
<w:abstractNum w:abstractNumId="90">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="&#61623;"/></w:lvl>
</w:abstractNum>
<w:num w:numId="90"><w:abstractNumId w:val="90"/></w:num>
<w:num w:numId="91"><w:abstractNumId w:val="90"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="9"/></w:lvlOverride></w:num>
"""
STYLES = """
<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="标题 2"/></w:style>
<w:style w:type="paragraph" w:styleId="Sub"><w:name w:val="Plan subheading"/><w:basedOn w:val="Heading3"/></w:style>
<w:style w:type="character" w:styleId="Lead"><w:name w:val="Lead"/><w:rPr><w:b/></w:rPr></w:style>
"""


def p(text: str = "", ppr: str = "", runs: str = "") -> str:
    return f"<w:p><w:pPr>{ppr}</w:pPr>{runs or f'<w:r><w:t>{text}</w:t></w:r>'}</w:p>"


def numbered(text: str, num: int, level: int) -> str:
    return p(text, f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>')


def make_docx(path: Path, body: str, header: str = "") -> Path:
    """A .docx with ``body`` as its body XML, our numbering and styles, and ``header``."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    section_properties = document.element.body[-1]
    for child in parse_xml(f"<w:body {NS}>{body}</w:body>"):
        section_properties.addprevious(child)
    document.part.numbering_part.element.extend(parse_xml(f"<w:numbering {NS}>{NUMBERING}</w:numbering>"))
    document.styles.element.extend(parse_xml(f"<w:styles {NS}>{STYLES}</w:styles>"))
    if header:
        document.sections[0].header._element.extend(parse_xml(f"<w:hdr {NS}>{header}</w:hdr>"))
    document.save(path)
    return path


def text_box(*lines: str) -> str:
    """A text box as Word writes it: a DrawingML original and a VML fallback copy."""
    content = "<w:txbxContent>" + "".join(p(line) for line in lines) + "</w:txbxContent>"
    return (f'<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>{content}'
            f'</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{content}'
            f"</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>")


def blocks_of(tmp_path, body: str, header: str = ""):
    raw, _ = read(make_docx(tmp_path / "made.docx", body, header))
    return [b for b in raw.blocks if b.text or b.rows]


def test_docx_numbering_labels(tmp_path):
    body = "".join([
        numbered("发展环境", 90, 0), numbered("发展成效", 90, 1), numbered("质量强市", 90, 2),
        numbered("质量提升", 90, 2), numbered("发展机遇", 90, 1), numbered("政策机遇", 90, 2),
        numbered("要点", 90, 3), numbered("总体要求", 90, 0), numbered("九章", 91, 0), numbered("十章", 91, 0),
        numbered("十一章", 91, 0), p("不编号", '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'),
    ])
    assert [b.text for b in blocks_of(tmp_path, body)] == [
        "一、发展环境", "（一）发展成效", "1.质量强市", "2.质量提升", "（二）发展机遇", "1.政策机遇", "要点",
        "二、总体要求", "九、九章", "十、十章", "十一、十一章", "不编号"]


def test_docx_heading_levels_from_styles(tmp_path):
    body = "".join([
        p("苏州市“十四五”质量发展规划", '<w:pStyle w:val="Title"/>'), p("一、发展环境", '<w:pStyle w:val="Heading1"/>'),
        p("（一）发展成效", '<w:pStyle w:val="a5"/>'), p("1.质量强市", '<w:pStyle w:val="Sub"/>'),
        p("专栏", '<w:outlineLvl w:val="1"/>'), p("正文", '<w:outlineLvl w:val="9"/>'), p("正文二"),
    ])
    assert [(b.text, b.heading_level) for b in blocks_of(tmp_path, body)] == [
        ("苏州市“十四五”质量发展规划", 0), ("一、发展环境", 1), ("（一）发展成效", 2), ("1.质量强市", 3),
        ("专栏", 2), ("正文", None), ("正文二", None)]


@pytest.mark.parametrize(
    ("runs", "bold_lead"),
    [
        ('<w:r><w:rPr><w:b/></w:rPr><w:t>加强组织领导。</w:t></w:r><w:r><w:t>各级党委要重视。</w:t></w:r>', True),
        ('<w:r><w:rPr><w:b/></w:rPr><w:t>推进质量提升</w:t></w:r><w:r><w:t>，各地要落实。</w:t></w:r>', True),
        ('<w:r><w:rPr><w:rStyle w:val="Lead"/></w:rPr><w:t>推进质量提升</w:t></w:r><w:r><w:t>，落实。</w:t></w:r>', True),
        ('<w:r><w:t> </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>完善保障措施。</w:t></w:r>', True),
        ('<w:r><w:rPr><w:b/></w:rPr><w:t>一是</w:t></w:r><w:r><w:t>政策机遇。</w:t></w:r>', False),
        ('<w:r><w:rPr><w:b/></w:rPr><w:t>全文加粗但没有句号</w:t></w:r>', False),
        ('<w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t>加强组织领导。</w:t></w:r><w:r><w:t>正文。</w:t></w:r>', False),
        ('<w:r><w:t>推进</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>质量提升。</w:t></w:r>', False),
    ],
    ids=["sentence", "four-characters", "character-style", "blank-first-run", "too-short", "all-bold-no-stop",
         "bold-off", "bold-later"],
)
def test_docx_bold_lead(tmp_path, runs, bold_lead):
    (block,) = blocks_of(tmp_path, p(runs=runs))
    assert block.bold_lead is bold_lead


def test_docx_merged_and_nested_cells(tmp_path):
    def tc(content: str, tcpr: str = "") -> str:
        return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{content}</w:tc>"

    nested = ("<w:tbl><w:tr>" + tc(p("a")) + tc(p("b")) + "</w:tr><w:tr>" + tc(p("c")) + tc(p("d"))
              + "</w:tr></w:tbl>" + p())
    table = ("<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
             "<w:tr>" + tc(p("类别")) + tc(p("序号")) + tc(p("指标"), '<w:gridSpan w:val="2"/>') + "</w:tr>"
             "<w:tr>" + tc(p("质量强市"), '<w:vMerge w:val="restart"/>') + tc(p("1")) + tc(p("合格率")) + tc(p("≥97"))
             + "</w:tr><w:tr>" + tc(p(), "<w:vMerge/>") + tc(p("2")) + tc(p("个") + p("（次）")) + tc(nested)
             + "</w:tr></w:tbl>")
    (block,) = blocks_of(tmp_path, table)
    assert block.rows == (("类别", "序号", "指标", None), ("质量强市", "1", "合格率", "≥97"),
                          (None, "2", "个\n（次）", "a b\nc d\n"))


def test_docx_text_boxes_follow_their_paragraph_once(tmp_path):
    body = (p(runs="<w:r><w:t>正文锚定段落。</w:t></w:r>" + text_box("专栏1：质量赋能伙伴计划", "质量创新联合体：建立联合体。"))
            + p("下一段。"))
    header = p(runs="<w:r><w:t>页眉</w:t></w:r>" + text_box("页眉里的文本框"))
    assert [b.text for b in blocks_of(tmp_path, body, header)] == [
        "正文锚定段落。", "专栏1：质量赋能伙伴计划", "质量创新联合体：建立联合体。", "下一段。"]


def test_docx_runs_in_insertions_fields_links_and_controls(tmp_path):
    runs = ("<w:r><w:t>到2025年，</w:t></w:r><w:ins><w:r><w:t>制造业</w:t></w:r></w:ins>"
            "<w:del><w:r><w:delText>删去的</w:delText></w:r></w:del>"
            '<w:fldSimple w:instr="REF x"><w:r><w:t>产品质量</w:t></w:r></w:fldSimple>'
            "<w:hyperlink><w:r><w:t>合格率</w:t></w:r></w:hyperlink>"
            "<w:sdt><w:sdtContent><w:r><w:t>达到97%。</w:t></w:r></w:sdtContent></w:sdt>")
    body = p(runs=runs) + "<w:sdt><w:sdtContent>" + p("控件里的段落。") + "</w:sdtContent></w:sdt>"
    assert [b.text for b in blocks_of(tmp_path, body)] == ["到2025年，制造业产品质量合格率达到97%。", "控件里的段落。"]


def rewrite_document_xml(path: Path, transform) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/document.xml"] = transform(parts["word/document.xml"].decode("utf-8")).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    path.write_bytes(buffer.getvalue())


@pytest.mark.parametrize(
    "entities",
    [
        '<!ENTITY x SYSTEM "file://{secret}">',  # external entity: would read a local file
        '<!ENTITY a "秘密秘密秘密秘密"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">'
        '<!ENTITY x "&c;&c;&c;&c;&c;&c;&c;&c;">',  # nested entities: "billion laughs"
    ],
    ids=["external", "nested"],
)
def test_docx_entities_are_not_expanded(tmp_path, entities):
    secret = tmp_path / "secret.txt"
    secret.write_text("秘密", encoding="utf-8")
    path = make_docx(tmp_path / "entity.docx", p("开头") + p("REFERENCE"))
    declaration = f"<!DOCTYPE w:document [{entities.format(secret=secret)}]>"
    rewrite_document_xml(path, lambda xml: xml.replace("?>", "?>" + declaration, 1).replace("REFERENCE", "&x;"))
    raw, _ = read(path)
    assert "开头" in [b.text for b in raw.blocks]
    assert not any("秘密" in b.text for b in raw.blocks)


# --- web pages -----------------------------------------------------------------------

CHROME = ["首页", "当前位置", "相关报道", "相关链接", "我市召开质量工作会议", "ICP备案号", "网站标识码", "分享到", "打印本页",
          "关闭窗口", "扫一扫", "字号", "字体", "无障碍", "var "]


@pytest.mark.parametrize("name", ["plan.html", "plan-gbk.html"])
def test_html_keeps_the_article_and_drops_chrome(name):
    raw, doc = load(DATA / "html" / name)
    lines = paragraphs(doc)
    assert lines[lines.index("一、总体要求") :][:3] == [
        "一、总体要求", "（一）发展目标", "到2025年，制造业产品质量合格率达到97%以上，培育1000家以上高成长企业，质量总体水平位居全省前列。"]
    assert "二、重点任务" in lines and lines[-1].startswith("（二）强化质量技术攻关。")
    for chrome in CHROME:
        assert chrome not in doc.text, chrome
    (table,) = [b for b in raw.blocks if b.kind == "table"]
    assert table.rows[1] == ("制造业产品质量合格率", "%", "96.5", "≥97") and len(table.rows) == 3
    assert raw.properties == {"title": "某市“十四五”质量发展规划", "date": "2021-09-30", "source": "市市场监管局"}


def test_html_merged_cells_are_covered(tmp_path):
    article = "<p>" + "到2025年，全市质量总体水平显著提升，质量强市建设取得明显成效。" * 6 + "</p>"
    table = ('<table><tr><th>类别</th><th>指标</th><th colspan="2">目标值</th></tr>'
             '<tr><td rowspan="2">质量强市</td><td>合格率</td><td>%</td><td>≥97</td></tr>'
             "<tr><td>满意度</td><td>分</td><td>85</td></tr></table>")
    path = tmp_path / "page.html"
    path.write_text(f"<html><body><article>{article}{table}{article}</article></body></html>", encoding="utf-8")
    raw, _ = read(path)
    (block,) = [b for b in raw.blocks if b.kind == "table"]
    assert block.rows == (("类别", "指标", "目标值", None), ("质量强市", "合格率", "%", "≥97"), (None, "满意度", "分", "85"))


def test_html_short_page_without_chrome(tmp_path):
    path = tmp_path / "notice.html"
    path.write_text("<html><head><title>通知</title></head><body><nav><a>首页</a> <a>政务公开</a></nav>"
                    "<header>某市人民政府</header><div><div>到2025年，合格率达到97%。</div><div>二、重点任务</div></div>"
                    "<footer>ICP备案号</footer><script>var a = 1;</script></body></html>", encoding="utf-8")
    raw, _ = read(path)
    assert [b.text for b in raw.blocks] == ["到2025年，合格率达到97%。", "二、重点任务"]
    assert raw.properties["title"] == "通知" and raw.properties["date"] == ""


@pytest.mark.parametrize(
    "page",
    ["<html><head><title>x</title><script>var a;</script></head><body><nav>首页</nav></body></html>",
     "<!DOCTYPE html>\n<!-- 页面已删除 -->"],
    ids=["only-chrome", "only-doctype"],
)
def test_html_without_text_is_one_line_error(tmp_path, page):
    path = tmp_path / "empty.html"
    path.write_text(page, encoding="utf-8")
    assert "has no article text" in one_line_error(path)


@pytest.mark.parametrize(
    "data",
    [
        '<meta charset="utf-8"><p>质量发展规划</p>'.encode("gbk"),  # declared wrongly
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>质量发展规划</p>'.encode("gb18030"),
        "\ufeff<p>质量发展规划</p>".encode("utf-8"),
        '<meta charset="big5-hkscs-unknown"><p>质量发展规划</p>'.encode("utf-8"),  # unknown charset
        '<meta charset="iso-8859-1"><p>质量发展规划</p>'.encode("gbk"),  # a CMS default, not the truth
    ],
    ids=["mislabelled-gbk", "gb2312", "utf8-bom", "unknown-charset", "western-declared"],
)
def test_html_decoding(data):
    from planx.ingest.html import decode

    assert "质量发展规划" in decode(data)
