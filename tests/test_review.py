"""The review page: escaping, completeness, self-containedness, and behaviour in a real browser.

The browser test drives Debian's headless Chromium through selenium and chromedriver; it is
skipped, saying why, when either is missing (``apt-get install chromium chromium-driver``).
"""

from __future__ import annotations

import json
import re
import shutil
from html import escape
from pathlib import Path

import pytest
from click.testing import CliRunner

from extract.api import extract_document, run
from extract.cli import cli
from extract.dataset import COLUMNS, ID_COLUMN, frame
from extract.review import SPAN_TABLES, Visualization, render, visualize
from extract.review.page import sweep
from extract.writers import write_tables

from .conftest import CORPUS, CORPUS_FILES, require_module, unavailable

_DATA = re.compile(r'<script type="application/json" id="planx-data">(.*?)</script>', re.S)
_CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                   "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,900")


def embedded(page: str) -> dict:
    """The row data the page carries, parsed as the browser would."""
    blocks = _DATA.findall(page)
    assert len(blocks) == 1
    return json.loads(blocks[0])


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
    page = report.read_text(encoding="utf-8")
    rows = embedded(page)["rows"]
    for table in SPAN_TABLES:
        ids = [r["id"] for r in rows if r["t"] == table]
        assert sorted(ids) == sorted(tables[table][ID_COLUMN[table]]), table
    assert [r["i"] for r in rows] == list(range(len(rows)))
    placed = {int(i) for group in re.findall(r'data-r="([\d ]+)"', page) for i in group.split()}
    assert {r["i"] for r in rows if r["s"] is not None and r["e"] > r["s"]} <= placed
    for doc_id, title in zip(tables["documents"]["doc_id"], tables["documents"]["title"]):
        assert f"<h2>{escape(title if isinstance(title, str) and title else doc_id)}</h2>" in page


def test_page_is_self_contained(corpus_report):
    page = corpus_report[1].read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"url\(|@import|<link\b", page, re.I)
    assert len(re.findall(r"<script\b", page)) == 2  # the data block and the inline script


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
    assert "Text not available" in (tmp_path / "r.html").read_text(encoding="utf-8")
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


@pytest.fixture
def browser(tmp_path):
    """A headless Chromium driven by chromedriver, with a fresh profile."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver:
        unavailable("needs Debian's headless browser: apt-get install chromium chromium-driver")
    webdriver = require_module("selenium.webdriver", "selenium")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*_CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    session = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver))
    yield session
    session.quit()


def test_page_filters_and_jumps_in_a_browser(browser, corpus_report, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    tables, report = corpus_report
    total = sum(len(tables[t]) for t in SPAN_TABLES)
    browser.get(report.as_uri())

    def shown(selector: str = "#rows li") -> int:
        return browser.execute_script(f"return [...document.querySelectorAll('{selector}')]"
                                      ".filter(li => !li.hidden).length")

    assert shown() == total
    assert browser.find_element(By.ID, "count").text == f"{total} of {total} rows shown"

    browser.find_element(By.ID, "f-deadlines").click()
    assert shown() == total - len(tables["deadlines"])
    assert shown("#rows li[data-t=deadlines]") == 0
    assert browser.execute_script("return [...document.querySelectorAll('.hl-deadlines')]"
                                  ".every(s => s.classList.contains('off'))")

    # The last target of the last document: the text must scroll a long way to show it.
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
    path = tmp_path / "review.png"
    assert browser.save_screenshot(str(path)) and path.stat().st_size > 10_000


def test_contract_tables_are_all_reviewed():
    assert set(SPAN_TABLES) == set(COLUMNS) - {"documents", "errors"}
