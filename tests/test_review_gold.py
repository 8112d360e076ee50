"""The review page's correcting loop in a real browser: rows accepted, rejected and edited, a
missed target added by selecting its text, a candidate promoted; the state kept over a
reload; the export downloaded, merged with `planx gold merge` and scored by `planx evaluate`.

Headless Chromium through selenium, as in test_review.py; skipped, saying why, without it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from planx.cli import cli
from planx.document import text_of
from planx.gold import EXPORT_MARK
from planx.pipeline import read
from planx.review import SPAN_TABLES, pages_folder

from .conftest import CORPUS

DOC = "jiangsu-quality-opinion-2016"
SOURCE = CORPUS / f"{DOC}.txt"
# A target planx misses: a level written in Chinese numerals (一星级以上).
MISSED = "全省新建民用建筑全面按一星级以上绿色建筑标准"
MISSED_FIELDS = {"indicator": "新建民用建筑绿色建筑标准", "value": "1", "unit": "星级", "comparator": ">=",
                 "target_year": "2020"}


@pytest.fixture(scope="module")
def jiangsu_review(tmp_path_factory) -> tuple[Path, Path, dict[str, pd.DataFrame]]:
    """The Jiangsu opinion extracted and reviewed through the CLI: ``(output dir, its page, tables)``."""
    directory = tmp_path_factory.mktemp("loop")
    out = directory / "out"
    assert CliRunner().invoke(cli, ["extract", str(SOURCE), "-o", str(out)]).exit_code == 0
    result = CliRunner().invoke(cli, ["review", str(out), "-o", str(directory / "review.html")])
    assert result.exit_code == 0, result.output
    [page] = pages_folder(directory / "review.html").glob("*.html")
    tables = {t: pd.read_csv(out / f"{t}.csv", encoding="utf-8-sig") for t in ("documents", *SPAN_TABLES)}
    return out, page, tables


def wait_for(condition, timeout: float = 10.0):
    """``condition()``'s first true value, polled until ``timeout`` seconds pass."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {condition}")


def select_text(browser, words: str) -> None:
    """Select ``words`` in the document's text as a drag would: a range over the segments of its line."""
    browser.execute_script("""
        const words = arguments[0];
        const line = [...document.querySelectorAll('.ln')].find(l => l.textContent.includes(words));
        const from = line.textContent.indexOf(words), to = from + words.length, range = document.createRange();
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        for (let node, at = 0; (node = walker.nextNode()); at += node.data.length) {
            if (from >= at && from <= at + node.data.length) range.setStart(node, from - at);
            if (to >= at && to <= at + node.data.length) { range.setEnd(node, to - at); break; }
        }
        line.scrollIntoView({block: 'center'});
        getSelection().removeAllRanges();
        getSelection().addRange(range);
    """, words)


def fill(form, fields: dict[str, str]) -> None:
    """Type ``fields`` into an edit form's inputs and choose them in its lists."""
    from selenium.webdriver.support.select import Select

    for name, value in fields.items():
        element = form.find_element("css selector", f"[name={name}]")
        if element.tag_name == "select":
            Select(element).select_by_value(value)
        else:
            element.clear()
            element.send_keys(value)


def review_count(browser) -> str:
    return browser.find_element("id", "review-count").text


def test_the_review_loop_from_page_to_gold_to_evaluate(browser, jiangsu_review, tmp_path):
    from selenium.webdriver.common.by import By

    out, page, tables = jiangsu_review
    rows = sum(len(tables[t]) for t in SPAN_TABLES)
    targets = len(tables["targets"])
    browser.get(page.as_uri())
    assert review_count(browser) == f"0 of {rows} rows reviewed (0 accepted, 0 edited, 0 rejected) · 0 added"

    # Accept two targets, reject one, move one's year.
    items = browser.find_elements(By.CSS_SELECTOR, "#rows li[data-t=targets]")
    items[0].find_element(By.CSS_SELECTOR, ".b-accept").click()
    items[1].find_element(By.CSS_SELECTOR, ".b-accept").click()
    items[2].find_element(By.CSS_SELECTOR, ".b-reject").click()
    items[3].find_element(By.CSS_SELECTOR, ".b-edit").click()
    form = items[3].find_element(By.CSS_SELECTOR, ".editor")
    fill(form, {"target_year": "2025"})
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    year = int(tables["targets"]["target_year"].iloc[3])
    assert items[3].find_element(By.CSS_SELECTOR, ".changes").text == f"target_year {year} → 2025"

    # Add the target planx missed: select its words, choose the table, complete the form.
    select_text(browser, MISSED)
    bar = browser.find_element(By.ID, "addbar")
    wait_for(bar.is_displayed)
    bar.find_element(By.CSS_SELECTOR, "button[data-table=targets]").click()
    form = browser.find_element(By.CSS_SELECTOR, "#added .editor")
    assert form.find_element(By.CSS_SELECTOR, ".quote").text == f"quote: {MISSED}"
    fill(form, MISSED_FIELDS)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    reviewed = f"4 of {rows} rows reviewed (2 accepted, 1 edited, 1 rejected) · 1 added"
    assert review_count(browser) == reviewed

    # The state survives a reload, keyed by the document's sha256.
    browser.refresh()
    assert review_count(browser) == reviewed
    statuses = browser.execute_script("return [...document.querySelectorAll('#rows li[data-t=targets]')]"
                                      ".slice(0, 5).map(li => li.className)")
    assert statuses == ["row r-targets st-accepted", "row r-targets st-accepted", "row r-targets st-rejected",
                        "row r-targets st-edited", "row r-targets"]
    stored = browser.execute_script("return Object.keys(localStorage)")
    assert stored == [f"planx-review:{tables['documents']['sha256'][0]}"]
    status = browser.find_element(By.ID, "f-status")
    status.send_keys("not reviewed")
    assert browser.find_element(By.ID, "count").text == f"{rows - 4} of {rows} rows shown"

    # Export: a download, as a researcher gets it.
    browser.find_element(By.ID, "r-export").click()
    export = tmp_path / "downloads" / f"{DOC}.gold.jsonl"
    wait_for(export.exists)
    header, *records = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
    assert header == {EXPORT_MARK: 1, "documents": [{
        "doc": DOC, "sha256": tables["documents"]["sha256"][0], "rows": rows, "reviewed": 4, "accepted": 2,
        "edited": 1, "rejected": 1, "added": 1}]}
    assert [(r["table"], r["indicator"], r["target_year"]) for r in records] == [
        ("targets", tables["targets"]["indicator"][0], tables["targets"]["target_year"][0]),
        ("targets", tables["targets"]["indicator"][1], tables["targets"]["target_year"][1]),
        ("targets", tables["targets"]["indicator"][3], 2025),
        ("targets", MISSED_FIELDS["indicator"], 2020),
    ]
    assert records[-1] | {"quote": MISSED, "value": 1, "unit": "星级", "comparator": ">="} == records[-1]
    text = text_of(read(SOURCE))
    assert all(r["quote"] in text for r in records)

    # Merge into a gold folder, and score the extraction against it.
    gold = tmp_path / "gold"
    merged = CliRunner().invoke(cli, ["gold", "merge", str(export), "--into", str(gold)])
    assert merged.exit_code == 0, merged.output
    assert merged.stdout.splitlines() == [
        f"{export}: {DOC}: 4 of {rows} rows reviewed (2 accepted, 1 edited, 1 rejected), 1 added",
        f"targets: 4 added, 0 replaced, 0 already there -> {gold / 'targets.jsonl'} (4 in all)",
    ]
    scored = CliRunner().invoke(cli, ["evaluate", str(out), str(gold), "--format", "json"])
    assert scored.exit_code == 0, scored.output
    report = json.loads(scored.stdout)
    # The accepted and the edited rows are found, the added target is missed, and every other
    # target row (the rejected and the unreviewed) is spurious; one of the three found has a
    # year other than gold's.
    found = report["targets"]["ALL"]
    assert (found["tp"], found["fp"], found["fn"]) == (3, targets - 3, 1)
    assert found["accuracy"]["target_year"] == round(2 / 3, 4)
    assert [miss["indicator"] for miss in report["targets"]["misses"]] == [MISSED_FIELDS["indicator"]]


def test_a_candidate_is_promoted_with_one_click(browser, jiangsu_review):
    from selenium.webdriver.common.by import By

    page, tables = jiangsu_review[1:]
    browser.get(page.as_uri())
    browser.find_element(By.ID, "f-candidates").click()
    # A subsidy planx saw and did not make a target of (a policy instrument).
    candidate = browser.find_element(By.XPATH, "//span[@class='cand'][text()='300万元']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", candidate)
    candidate.click()
    promote = browser.find_element(By.CSS_SELECTOR, "#detail .promote")
    assert promote.text == "promote to targets"
    promote.click()
    assert promote.text == "promoted" and not promote.is_enabled()
    assert review_count(browser).endswith("· 1 added")
    state = browser.execute_script(f"return JSON.parse(localStorage.getItem('planx-review:{tables['documents']['sha256'][0]}'))")
    [item] = state["added"]
    record = item["record"]
    assert item["from"] == "candidate"
    assert (record["value"], record["unit"], record["comparator"], record["kind"]) == (3000000, "元", "=", None)
    assert record["quote"] in text_of(read(SOURCE)) and "300万元" in record["quote"]


def test_a_row_the_next_rules_version_drops_stays_gold_if_accepted(browser, jiangsu_review):
    """The page made again after a rules change finds the decisions by the rows' offsets; an
    accepted row it no longer has becomes an added item, a rejected one is forgotten."""
    page, tables = jiangsu_review[1:]
    key = f"planx-review:{tables['documents']['sha256'][0]}"
    record = {"table": "targets", "doc": DOC, "quote": MISSED, "optional": False, "kind": "target",
              "indicator": "绿色建筑标准", "value": 1, "value_max": None, "unit": "星级", "comparator": ">=",
              "target_year": 2020, "baseline_value": None, "baseline_year": None}
    first = tables["targets"].iloc[0]
    state = {"version": 1, "doc": DOC, "added": [], "rows": {
        f"targets:{first['start']}:{first['end']}:1": {"status": "rejected", "record": record},  # still a row
        "targets:1:3:1": {"status": "accepted", "record": record},  # a row no longer extracted
        "targets:5:9:1": {"status": "rejected", "record": record},
    }}
    browser.get(page.as_uri())
    browser.execute_script("localStorage.setItem(arguments[0], JSON.stringify(arguments[1]))", key, state)
    browser.refresh()
    assert review_count(browser).startswith("1 of ") and review_count(browser).endswith("(0 accepted, 0 edited, "
                                                                                      "1 rejected) · 1 added")
    assert browser.find_element("css selector", "#added li .sub").text == f"earlier review · {MISSED}"
    kept = browser.execute_script("return JSON.parse(localStorage.getItem(arguments[0]))", key)
    assert list(kept["rows"]) == [f"targets:{first['start']}:{first['end']}:1"]
    assert kept["added"] == [{"record": record, "from": "earlier review"}]
