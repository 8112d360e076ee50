"""The review pages: escaping, completeness, self-containedness, size at 1,000 documents,
behaviour in a real browser; and the CJK font the charts use.

``planx review`` writes an index page and one page per document beside it; the tests that
read "the page" of a run read every page of it. The browser tests drive Debian's headless
Chromium through selenium and chromedriver; they are skipped, saying why, when either is
missing (``apt-get install chromium chromium-driver``).
"""

from __future__ import annotations

import errno
import json
import re
from html import escape
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from planx.api import extract_document, run
from planx.cli import cli
from planx.dataset import COLUMNS, ID_COLUMN, frame
from planx.document import text_of
from planx.errors import ExtractError
from planx.evaluate import ATTRIBUTES, evaluate
from planx.gold import merge_into
from planx.normalise import normalise_text
from planx.pipeline import read
from planx.review import SPAN_TABLES, Visualization, find_cjk_font, pages_folder, render, visualize, write_pages
from planx.review.page import sweep
from planx.review.plots import CJK_SAMPLE
from planx.review.report import page_names
from planx.writers import write_tables

from .conftest import CORPUS, CORPUS_FILES, SEED_FILES, require_module

_DATA = re.compile(r'<script type="application/json" id="planx-data">(.*?)</script>', re.S)


def embedded(page: str) -> dict:
    """The row data the page carries, parsed as the browser would."""
    blocks = _DATA.findall(page)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def document_pages(report: Path) -> list[Path]:
    """The documents' pages beside the index page ``report``, in the index's order."""
    return sorted(pages_folder(report).glob("*.html"))


def page_of(report: Path, doc_id: str) -> Path:
    """The page of one document of the review whose index is ``report``."""
    [page] = pages_folder(report).glob(f"*-{doc_id}.html")
    return page


@pytest.fixture(scope="module")
def corpus_report(tmp_path_factory) -> tuple[dict, Path]:
    """The corpus extracted to CSV and reviewed through the CLI: ``(tables, report path)``."""
    directory = tmp_path_factory.mktemp("review")
    tables = run([CORPUS])
    write_tables(tables, directory / "out")
    report = directory / "review.html"
    result = CliRunner().invoke(cli, ["review", str(directory / "out"), "-o", str(report)])
    assert result.exit_code == 0, result.output
    return tables, report


def hostile_page() -> tuple[str, str]:
    """A page over a text that tries to inject markup, with a target row over it."""
    text = "标题\n到2025年<script>alert(1)</script>合格率达到98%。__PLANX_DATA__\n"
    start = text.index("<script>")
    targets = frame("targets", [{"doc_id": "evil", "target_id": "evil:T1", "kind": "target",
                                 "indicator": "</script><img src=x onerror=alert(2)>", "value": 98.0, "unit": "%",
                                 "sentence": text[3:-1], "start": start, "end": start + 25, "rule": "r<1>"}])
    documents = frame("documents", [{"doc_id": "evil", "title": "<b>标题</b>", "chars": len(text)}])
    return render({"documents": documents, "targets": targets}, {"evil": text}), text


def test_document_text_and_fields_are_escaped():
    page, _text = hostile_page()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "<b>标题</b>" not in page
    row = embedded(page)["rows"][0]
    assert row["f"]["indicator"] == "</script><img src=x onerror=alert(2)>"
    assert row["rule"] == "r<1>"


def test_errors_are_listed_escaped():
    errors = frame("errors", [{"source_path": "bad<1>.doc", "error": "<i>cannot</i> be read"}])
    page = render({"errors": errors}, {})
    assert "bad&lt;1&gt;.doc: &lt;i&gt;cannot&lt;/i&gt; be read" in page and "<i>" not in page


def test_placeholder_in_text_stays_text():
    page, text = hostile_page()
    shown_text = page.split('id="planx-data"')[0]
    assert "合格率达到98%。__PLANX_DATA__" in re.sub(r"<[^>]+>", "", shown_text)
    assert embedded(page)["rows"][0]["f"]["sentence"] == text[3:-1]


def test_sweep_keeps_overlapping_spans_whole():
    text = "甲乙丙丁戊\n己庚"
    spans = [(0, 3, "measures", 0), (1, 4, "targets", 1), (2, 7, "areas", 2), (3, 3, "agencies", 3)]
    segments = list(sweep(text, spans))
    assert "".join(text[a:b] for a, b, _ in segments) == text
    for start, end, _table, index in spans[:3]:
        covered = "".join(text[a:b] for a, b, covering in segments if any(i == index for _t, i in covering))
        assert covered == text[start:end]
    assert all(b - a == 1 for a, b, _ in segments if "\n" in text[a:b])


def test_every_row_of_the_corpus_is_embedded_and_placed(corpus_report):
    tables, report = corpus_report
    assert len(document_pages(report)) == len(tables["documents"])
    rows = []
    for path in document_pages(report):
        page = path.read_text(encoding="utf-8")
        page_rows = embedded(page)["rows"]
        assert [r["i"] for r in page_rows] == list(range(len(page_rows)))
        placed = {int(i) for group in re.findall(r'data-r="([\d ]+)"', page) for i in group.split()}
        assert {r["i"] for r in page_rows if r["s"] is not None and r["e"] > r["s"]} <= placed
        rows += page_rows
    for table in SPAN_TABLES:
        ids = [r["id"] for r in rows if r["t"] == table]
        assert sorted(ids) == sorted(tables[table][ID_COLUMN[table]]), table
    for doc_id, title in zip(tables["documents"]["doc_id"], tables["documents"]["title"]):
        page = page_of(report, doc_id).read_text(encoding="utf-8")
        assert f"<h2>{escape(title if isinstance(title, str) and title else doc_id)}</h2>" in page


def shown_text(page: str) -> str:
    """A document's text as the page's correcting script reads it: its lines joined by line breaks."""
    from lxml import html as lxml_html

    lines = lxml_html.fromstring(page).xpath("//div[contains(concat(' ', @class, ' '), ' ln ')]")
    return "\n".join(line.text_content() for line in lines)


def test_every_quote_is_in_the_text_the_page_shows(corpus_report):
    """Quotes the page exports are exact substrings of the normalised text it shows, hold the
    row they quote, and begin as the row's sentence does where evaluate compares them."""
    tables, report = corpus_report
    sources = dict(zip(tables["documents"]["doc_id"], tables["documents"]["source_path"]))
    for path in document_pages(report):
        page = path.read_text(encoding="utf-8")
        data = embedded(page)
        [document] = data["documents"]
        text = shown_text(page)
        assert text == text_of(read(sources[document["doc_id"]]))
        for row in data["rows"]:
            starts = [m.start() for m in re.finditer(re.escape(row["q"]), text)]
            assert any(at <= row["s"] < at + len(row["q"]) for at in starts), row
            if row["t"] in ("areas", "agencies"):
                assert normalise_text(row["q"])[:12] in row["f"]["sentence"], row
        assert all(candidate["q"] in text for candidate in data["candidates"])


def test_gold_made_by_accepting_every_row_scores_them_all(corpus_report, tmp_path):
    """Each row's quote and gold fields, as the page exports an accepted row, are what planx
    evaluate pairs with that row: gold made by accepting every row of the corpus scores the
    output perfectly, every attribute included."""
    tables, report = corpus_report
    records = [{"table": row["t"], "doc": row["d"], "quote": row["q"], "optional": False, **row["gold"]}
               for path in document_pages(report) for row in embedded(path.read_text(encoding="utf-8"))["rows"]]
    export = tmp_path / "everything.gold.jsonl"
    export.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    merged = merge_into(tmp_path / "gold", [export])
    assert {t: c.added for t, c in merged.tables.items()} == {t: len(tables[t]) for t in merged.tables}
    for table, scores in evaluate(report.parent / "out", tmp_path / "gold").items():
        total = scores["ALL"]
        assert total.tp and total.fp == total.fn == 0, table
        assert all(total.accuracy(column) in (1.0, None) for column in ATTRIBUTES[table]), table


@pytest.mark.parametrize("which", ["index", "document"])
def test_page_is_self_contained(corpus_report, which):
    report = corpus_report[1]
    for path in [report] if which == "index" else document_pages(report):
        page = path.read_text(encoding="utf-8")
        assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
        # CSS's url( fetches; the script's URL.createObjectURL( makes a link to its own export.
        assert not re.search(r"(?<![\w.])url\(|@import|<link\b", page, re.I)
        # A document's page: the data block and the inline script; the index needs none.
        assert len(re.findall(r"<script\b", page)) == (0 if which == "index" else 2)


def test_review_reports_unreadable_sources(corpus_report, tmp_path, monkeypatch):
    tables = {name: df.copy() for name, df in corpus_report[0].items()}
    # A relative source_path, as `planx extract corpus` records it, read from elsewhere.
    tables["documents"]["source_path"] = tables["documents"]["source_path"].map(lambda p: Path(p).name)
    out = tmp_path / "out"
    write_tables(tables, out)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["review", str(out), "-o", "r.html"])
    assert result.exit_code == 1
    assert "text not shown" in result.output and "--source-dir" in result.output
    assert all("Text not available" in page.read_text(encoding="utf-8") for page in document_pages(tmp_path / "r.html"))
    result = CliRunner().invoke(cli, ["review", str(out), "-o", "r.html", "--source-dir", str(CORPUS)])
    assert result.exit_code == 0, result.output


def test_review_refuses_changed_sources(corpus_report, tmp_path):
    tables = {name: df.copy() for name, df in corpus_report[0].items()}
    tables["documents"].loc[0, "sha256"] = "0" * 64
    write_tables(tables, tmp_path / "out")
    result = CliRunner().invoke(cli, ["review", str(tmp_path / "out"), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 1 and "sha256 differs" in result.output


def test_review_needs_an_output_directory(tmp_path):
    result = CliRunner().invoke(cli, ["review", str(tmp_path), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 1 and "no documents table" in result.output


def test_visualize_one_extraction_inline(tmp_path):
    extraction = extract_document(CORPUS_FILES[0])
    view = visualize(extraction)
    assert isinstance(view, Visualization)
    inline = view._repr_html_()
    assert inline.startswith("<iframe srcdoc=") and "<script" not in inline
    rows = embedded(view.html)["rows"]
    assert len(rows) == sum(len(extraction.rows[t]) for t in SPAN_TABLES)
    assert view.save(tmp_path / "one.html").read_text(encoding="utf-8") == view.html


def test_visualize_a_dataset_filters_by_document(corpus_report):
    tables = corpus_report[0]
    doc_id = CORPUS_FILES[1].stem
    rows = embedded(visualize(tables, doc_id=doc_id).html)["rows"]
    assert rows and {r["d"] for r in rows} == {doc_id}
    with pytest.raises(TypeError, match="Extraction"):
        visualize("corpus")


def synthetic_batch(n: int) -> tuple[dict[str, str], dict]:
    """``n`` small documents of two lines, each with one target: ``(texts, tables)``."""
    texts = {f"city-{i:04d}-plan": f"第{i}号规划\n到2025年，全市制造业产品质量合格率达到{90 + i % 10}%以上。\n"
             for i in range(n)}
    documents = frame("documents", [{"doc_id": d, "title": f"某市“十四五”质量发展规划（第{i}号）", "issuer": "某市人民政府",
                                     "period_start": 2021, "period_end": 2025, "chars": len(t)}
                                    for i, (d, t) in enumerate(texts.items())])
    targets = frame("targets", [{"doc_id": d, "target_id": f"{d}:T1", "kind": "target", "indicator": "制造业产品质量合格率",
                                 "value": 97.0, "unit": "%", "start": t.index("全市"), "end": t.index("全市") + 10,
                                 "sentence": t.split("\n")[1], "rule": "prose"} for d, t in texts.items()])
    return texts, {"documents": documents, "targets": targets}


# Bytes of the index page: its fixed part, and a row per document (a row is about 350 bytes
# with a 20-character title). A 1,000-document index of this size opens in well under 3 s.
_INDEX_FIXED = 8_000
_INDEX_PER_DOCUMENT = 600
# A document's page: the template (~42 KB: the viewer, and the script correcting rows) and that
# one document; never the rest of the batch.
_SMALL_PAGE = 50_000


def test_index_stays_small_for_1000_documents(tmp_path):
    """A benchmark-style bound instead of a timing (timings belong to bench/): the index grows
    by one short row per document and carries no document's text or rows."""
    texts, tables = synthetic_batch(1000)
    report = tmp_path / "review.html"
    assert write_pages(tables, lambda doc_id: (texts[doc_id], ""), report) == {}
    index = report.read_bytes()
    assert len(index) < _INDEX_FIXED + 1000 * _INDEX_PER_DOCUMENT
    assert "合格率达到".encode() not in index and b"planx-data" not in index
    pages = document_pages(report)
    assert len(pages) == 1000 and max(page.stat().st_size for page in pages) < _SMALL_PAGE
    last = pages[-1].read_text(encoding="utf-8")
    assert [r["d"] for r in embedded(last)["rows"]] == ["city-0999-plan"]


def test_index_lists_every_document_with_its_rows(corpus_report):
    from lxml import html as lxml_html

    tables, report = corpus_report
    rows = lxml_html.fromstring(report.read_text(encoding="utf-8")).xpath("//table[@id='documents']/tbody/tr")
    assert [row.xpath("string(.//small)") for row in rows] == list(tables["documents"]["doc_id"])
    for row in rows:
        doc_id, href = row.xpath("string(.//small)"), row.xpath(".//a/@href")[0]
        assert (report.parent / unquote(href)).resolve() == page_of(report, doc_id).resolve()
        counts = [int(cell.text) for cell in row.xpath("td[@class='n']")[1:]]
        assert counts == [int((tables[t]["doc_id"] == doc_id).sum()) for t in SPAN_TABLES], doc_id


def test_document_pages_link_the_index_and_their_neighbours(corpus_report):
    report = corpus_report[1]
    pages = document_pages(report)
    links = re.findall(r'<nav id="links">(.*?)</nav>', pages[1].read_text(encoding="utf-8"))[0]
    hrefs = re.findall(r'href="([^"]+)"', links)
    assert [(pages[1].parent / unquote(h)).resolve() for h in hrefs] == [
        report.resolve(), pages[0].resolve(), pages[2].resolve()]


def test_a_second_review_leaves_only_its_own_pages(tmp_path):
    report = tmp_path / "review.html"
    for n in (3, 2):
        texts, tables = synthetic_batch(n)
        write_pages(tables, lambda doc_id: (texts[doc_id], ""), report)
    assert [page.name for page in document_pages(report)] == page_names(list(texts))


@pytest.mark.parametrize("doc_id", ["suzhou/plan", "../../escape", "..a/plan", "<img src=x onerror=alert(1)>",
                                    "苏州/规划", "x" * 300, "a\\b:c?d#e", ".hidden"])
def test_page_names_never_lead_outside_the_pages_folder(tmp_path, doc_id):
    [name] = page_names([doc_id])
    assert re.fullmatch(r"1-[\w-]+\.html", name) and len(name) < 80
    assert (tmp_path / name).resolve().parent == tmp_path.resolve()


def test_page_names_are_unique_when_ids_are_alike():
    names = page_names(["a/b", "a_b", "a.b", "a b"])
    assert len(set(names)) == 4


def test_review_creates_the_folder_it_writes_into(corpus_report, tmp_path):
    tables, first = corpus_report
    report = tmp_path / "new" / "sub" / "review.html"
    result = CliRunner().invoke(cli, ["review", str(first.parent / "out"), "-o", str(report)])
    assert result.exit_code == 0, result.output
    assert report.is_file() and len(document_pages(report)) == len(tables["documents"])


def test_review_into_a_file_posing_as_a_folder_is_one_line(corpus_report, tmp_path):
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    report = tmp_path / "afile" / "review.html"
    result = CliRunner().invoke(cli, ["review", str(corpus_report[1].parent / "out"), "-o", str(report)])
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert line.startswith("Error: ") and "afile" in line


def test_write_pages_into_a_file_posing_as_a_folder_raises_one_line(tmp_path):
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    texts, tables = synthetic_batch(1)
    with pytest.raises(ExtractError, match="afile: is a file, not a folder") as caught:
        write_pages(tables, lambda doc_id: (texts[doc_id], ""), tmp_path / "afile" / "review.html")
    assert "\n" not in str(caught.value)


def test_a_full_disk_leaves_the_previous_review_and_says_so_in_one_line(tmp_path, monkeypatch):
    report = tmp_path / "review.html"
    texts, tables = synthetic_batch(2)
    write_pages(tables, lambda doc_id: (texts[doc_id], ""), report)
    before = {path: path.read_bytes() for path in [report, *document_pages(report)]}

    def disk_full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_text", disk_full)
    with pytest.raises(ExtractError, match="review.html: cannot write the review there .No space left") as caught:
        write_pages(tables, lambda doc_id: (texts[doc_id], ""), report)
    monkeypatch.undo()
    assert "\n" not in str(caught.value)
    assert {path: path.read_bytes() for path in [report, *document_pages(report)]} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review.html", "review_files"]


def test_template_syntax_in_text_and_titles_stays_text():
    text = "{{ 7*7 }}{% if true %}x{% endif %}{# note #}"
    page = render({}, {"d": text}, title="{{ title }}")
    assert text in page and "<title>{{ title }}</title>" in page and "49" not in page


def test_links_are_escaped():
    page = render({}, {"d": "正文"}, links=[('x.html" onclick="alert(1)', "<b>next</b>")])
    assert 'onclick="alert' not in page and "<b>next" not in page
    assert "&lt;b&gt;next&lt;/b&gt;" in page


def build_font(path: Path, family: str, chars: str, one_glyph: bool = False) -> Path:
    """A TrueType font named ``family`` with a (square) glyph for each of ``chars``, made with
    fontTools (a dependency of matplotlib), so no system font is needed. With ``one_glyph``
    every character maps to the same placeholder glyph, as in a last-resort font."""
    font_builder = require_module("fontTools.fontBuilder", "fonttools")
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    for point in ((100, 0), (100, 700), (800, 700), (800, 0)):
        (pen.lineTo if point != (100, 0) else pen.moveTo)(point)
    pen.closePath()
    glyph = pen.glyph()
    names = {ord(char): "box" if one_glyph else f"uni{ord(char):04X}" for char in chars}
    order = [".notdef", *dict.fromkeys(names.values())]
    builder = font_builder.FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(names)
    builder.setupGlyf({name: glyph for name in order})
    builder.setupHorizontalMetrics({name: (1000, 100) for name in order})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.save(str(path))
    return path


@pytest.fixture
def font_manager(monkeypatch):
    """matplotlib's font manager with no font in its list and none on disk, for this test only."""
    module = require_module("matplotlib.font_manager", "matplotlib")
    monkeypatch.setattr(module.fontManager, "ttflist", [])
    monkeypatch.setattr(module, "findSystemFonts", lambda *args, **kwargs: [])
    return module


# A family name, the characters its font has glyphs for, whether they all share one
# placeholder glyph, whether planx draws charts with it.
FONTS = [
    ("WenQuanYi Micro Hei", CJK_SAMPLE, False, True),
    ("AR PL UMing CN", CJK_SAMPLE, False, True),
    ("Source Han Sans SC", CJK_SAMPLE, False, True),
    ("Noto Sans CJK SC", "ABC", False, False),  # the name alone does not make a CJK font
    ("IPAGothic", "中国目标值", False, False),  # Japanese: no simplified forms such as 规, 划
    # matplotlib ships one: it draws every character as the same box
    ("Last Resort High-Efficiency", CJK_SAMPLE, True, False),
]


@pytest.mark.parametrize(("family", "chars", "one_glyph", "accepted"), FONTS, ids=[row[0] for row in FONTS])
def test_any_font_that_covers_chinese_is_used(font_manager, tmp_path, family, chars, one_glyph, accepted):
    font_manager.fontManager.addfont(str(build_font(tmp_path / "font.ttf", family, chars, one_glyph)))
    if accepted:
        assert find_cjk_font() == family
    else:
        with pytest.raises(ExtractError, match="fonts-noto-cjk") as caught:
            find_cjk_font()
        assert "\n" not in str(caught.value)


def test_a_simplified_chinese_sans_face_is_preferred(font_manager, tmp_path):
    for n, family in enumerate(("Noto Serif CJK SC", "Noto Sans Mono CJK SC", "Noto Sans CJK JP", "Noto Sans CJK SC")):
        font_manager.fontManager.addfont(str(build_font(tmp_path / f"{n}.ttf", family, CJK_SAMPLE)))
    assert find_cjk_font() == "Noto Sans CJK SC"


def test_a_font_installed_after_matplotlib_started_is_found(font_manager, tmp_path, monkeypatch):
    path = build_font(tmp_path / "wqy.ttf", "WenQuanYi Zen Hei", CJK_SAMPLE)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *args, **kwargs: [str(path)])
    assert find_cjk_font() == "WenQuanYi Zen Hei"


def test_page_filters_and_jumps_in_a_browser(browser, corpus_report, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    tables, report = corpus_report
    doc_id = SEED_FILES[1].stem  # the longest seed, with targets to its end
    total = sum(int((tables[t]["doc_id"] == doc_id).sum()) for t in SPAN_TABLES)
    report = page_of(report, doc_id)
    browser.get(report.as_uri())

    def shown(selector: str = "#rows li") -> int:
        return browser.execute_script(f"return [...document.querySelectorAll('{selector}')]"
                                      ".filter(li => !li.hidden).length")

    assert shown() == total
    assert browser.find_element(By.ID, "count").text == f"{total} of {total} rows shown"

    browser.find_element(By.ID, "f-deadlines").click()
    assert shown() == total - int((tables["deadlines"]["doc_id"] == doc_id).sum())
    assert shown("#rows li[data-t=deadlines]") == 0
    assert browser.execute_script("return [...document.querySelectorAll('.hl-deadlines')]"
                                  ".every(s => s.classList.contains('off'))")

    # The document's last target: the text must scroll a long way to show it.
    row = browser.find_elements(By.CSS_SELECTOR, "#rows li[data-t=targets]")[-1]
    index = row.get_attribute("data-i")
    row.click()
    state = browser.execute_script("""
        const main = document.getElementById('main'), box = main.getBoundingClientRect();
        const spans = [...main.querySelectorAll('.hl[data-r~="' + arguments[0] + '"]')];
        const r = spans[0].getBoundingClientRect();
        return {scrolled: main.scrollTop, spans: spans.length,
                active: spans.every(s => s.classList.contains('active')),
                visible: r.top >= box.top && r.bottom <= box.bottom,
                selected: document.querySelector('#rows li.selected').dataset.i,
                detail: document.getElementById('detail').textContent};
    """, index)
    assert state["spans"] and state["active"] and state["visible"] and state["scrolled"] > 1000
    label = embedded(report.read_text(encoding="utf-8"))["rows"][int(index)]["label"]
    assert state["selected"] == index and label in state["detail"]

    span = browser.find_element(By.CSS_SELECTOR, f'.hl[data-r~="{index}"]')
    ActionChains(browser).move_to_element(span).perform()
    tip = browser.find_element(By.ID, "tip")
    assert tip.is_displayed() and "indicator" in tip.text

    # The candidates planx made no row of: drawn only once the toggle is on, with why on hover.
    candidate = browser.find_element(By.CSS_SELECTOR, ".cand")
    outline = "return getComputedStyle(arguments[0]).outlineStyle"
    assert browser.execute_script(outline, candidate) == "none"
    browser.find_element(By.ID, "f-candidates").click()
    assert browser.execute_script(outline, candidate) == "dashed"
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", candidate)
    ActionChains(browser).move_to_element(candidate).perform()
    first = int(candidate.get_attribute("data-c").split()[0])
    assert tip.is_displayed() and embedded(report.read_text(encoding="utf-8"))["candidates"][first]["why"] in tip.text
    path = tmp_path / "review.png"
    assert browser.save_screenshot(str(path)) and path.stat().st_size > 10_000


def test_index_leads_to_each_document_and_back_in_a_browser(browser, corpus_report):
    from selenium.webdriver.common.by import By

    tables, report = corpus_report
    doc_id = SEED_FILES[1].stem
    browser.get(report.as_uri())
    assert len(browser.find_elements(By.CSS_SELECTOR, "#documents tbody tr")) == len(tables["documents"])
    row = browser.find_element(By.XPATH, f"//tbody/tr[.//small[text()='{doc_id}']]")
    row.find_element(By.TAG_NAME, "a").click()
    assert browser.current_url == page_of(report, doc_id).as_uri()
    total = sum(int((tables[t]["doc_id"] == doc_id).sum()) for t in SPAN_TABLES)
    assert browser.find_element(By.ID, "count").text == f"{total} of {total} rows shown"
    browser.find_element(By.LINK_TEXT, "↑ index").click()
    assert browser.current_url == report.as_uri()


# A plan whose review chapter reports a result that is a row (95%) beside a count that is not
# (连续5年), and whose tasks name a place inside a word (河北 in 河北大学) beside one that is
# an area (清苑区).
CANDIDATE_PLAN = """保定市“十四五”质量发展规划

一、发展成效
“十三五”期间，全市质量工作成效突出，在全省考核中连续5年获评A级，制造业产品质量合格率达到95%。

二、主要目标
到2025年，全市制造业产品质量合格率达到98%以上。

三、重点任务
支持河北大学建设质量学院，支持清苑区建设质量示范区。
"""


@pytest.fixture(scope="module")
def candidate_review(tmp_path_factory) -> tuple[Path, Path]:
    """CANDIDATE_PLAN extracted and reviewed through the CLI: ``(source, its page)``."""
    directory = tmp_path_factory.mktemp("candidates")
    source = directory / "baoding-plan.txt"
    source.write_text(CANDIDATE_PLAN, encoding="utf-8")
    write_tables(run([source]), directory / "out")
    report = directory / "review.html"
    result = CliRunner().invoke(cli, ["review", str(directory / "out"), "-o", str(report)])
    assert result.exit_code == 0, result.output
    return source, page_of(report, "baoding-plan")


def offsets_of(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def test_page_carries_the_candidates_planx_did_not_choose(candidate_review):
    source, path = candidate_review
    page, text = path.read_text(encoding="utf-8"), CANDIDATE_PLAN.rstrip("\n")
    data = embedded(page)
    rows = {(r["t"], r["s"], r["e"]) for r in data["rows"]}
    candidates = {(c["s"], c["e"]): c for c in data["candidates"]}
    assert [c["i"] for c in data["candidates"]] == list(range(len(candidates)))
    assert all(r["t"] in SPAN_TABLES for r in data["rows"])  # candidates are not rows
    # In the review sentence: 95% is a target row, 连续5年 a candidate saying why it is none.
    assert ("targets", *offsets_of(text, "95%")) in rows and offsets_of(text, "95%") not in candidates
    years = candidates[offsets_of(text, "5年")]
    assert years["g"] == "quantities" and years["text"] == "5年"
    assert years["f"]["kind"] == "achieved" and years["f"]["kind_rule"] == "section.review"
    assert years["why"].startswith("quantity — kind achieved (section.review)")
    assert years["why"].endswith("in a review section, not a target row")
    # 河北 cuts 河北大学: a candidate with its reason; 清苑区 is an area row.
    hebei = candidates[offsets_of(text, "河北")]
    assert hebei["label"] == "inside_word" and hebei["f"]["kb_id"] == "130000"
    assert hebei["why"] == "place — inside a word (jieba), not an area row"
    assert ("areas", *offsets_of(text, "清苑区")) in rows and offsets_of(text, "清苑区") not in candidates
    assert ("deadlines", *offsets_of(text, "到2025年")) in rows and offsets_of(text, "到2025年") not in candidates
    # Each candidate is marked in the text, in its own layer.
    for candidate in (years, hebei):
        assert f'<span class="cand" data-c="{candidate["i"]}">{candidate["text"]}</span>' in page


def test_candidates_are_hidden_until_the_toggle_is_on(candidate_review):
    page = candidate_review[1].read_text(encoding="utf-8")
    assert re.search(r'<input id="f-candidates" type="checkbox">\s*show candidates planx did not choose \(\d+\)', page)
    style = re.sub(r"/\*.*?\*/", "", page.split("<style>")[1].split("</style>")[0], flags=re.S)
    rules_drawing_candidates = re.findall(r"([^{}]*\.cand\b[^{}]*)\{", style)
    assert rules_drawing_candidates and all(r.strip().startswith("body.show-candidates") for r in rules_drawing_candidates)
    assert "<body>" in page  # no class that would turn them on


def test_visualize_a_doc_shows_its_candidates(candidate_review):
    source, path = candidate_review
    doc = read(source)
    view = visualize(doc)
    assert embedded(view.html)["candidates"] == embedded(path.read_text(encoding="utf-8"))["candidates"]
    assert 'id="f-candidates"' in view.html
    # Given only its text, a page has no candidates to show.
    assert not embedded(render({}, {doc._.doc_id: doc.text}))["candidates"]


def test_contract_tables_are_all_reviewed():
    assert set(SPAN_TABLES) == set(COLUMNS) - {"documents", "errors"}
