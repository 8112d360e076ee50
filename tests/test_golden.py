"""Golden files per corpus document, and offsets that re-locate for every row.

``pytest --update-golden`` rewrites ``tests/golden/<doc_id>.jsonl`` after a deliberate change;
the diff then shows exactly which rows moved.
"""

from __future__ import annotations

import json

import pytest

from .conftest import CORPUS_FILES, ROOT

GOLDEN = ROOT / "tests" / "golden"

# What each table's span covers: the field ``text[start:end]`` must equal.
SPAN_FIELD = {"targets": "value_text", "deadlines": "text", "areas": "area", "agencies": "agency"}
KEEP = {
    "targets": ("kind", "indicator", "value", "value_max", "unit", "comparator", "target_year", "baseline_value",
                "baseline_year", "measure_id", "start", "rule"),
    "deadlines": ("text", "kind", "start_year", "end_year", "measure_id", "start", "rule"),
    "areas": ("area", "canonical", "level", "admin_code", "responsible", "measure_id", "start", "rule"),
    "agencies": ("agency", "role", "measure_id", "start", "rule"),
    "measures": ("measure_id", "section", "title", "policy_tool", "start", "end", "rule"),
    "documents": ("title", "issuer", "issue_date", "period_start", "period_end", "region", "region_code", "doc_number"),
}


def golden_lines(extraction) -> list[str]:
    lines = []
    for table, keys in KEEP.items():
        for row in extraction.rows[table]:
            lines.append(json.dumps({"table": table, **{k: row.get(k) for k in keys}}, ensure_ascii=False, sort_keys=True))
    return lines


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
def test_golden(path, corpus_extractions, update_golden):
    lines = golden_lines(corpus_extractions[path.stem])
    golden = GOLDEN / f"{path.stem}.jsonl"
    if update_golden:
        golden.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert golden.read_text(encoding="utf-8").splitlines() == lines


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
def test_every_row_relocates(path, corpus_extractions):
    extraction = corpus_extractions[path.stem]
    text = extraction.document.text
    for table, field in SPAN_FIELD.items():
        for row in extraction.rows[table]:
            assert text[row["start"] : row["end"]] == row[field], (table, row)
    measure_ids = {m["measure_id"] for m in extraction.rows["measures"]}
    for m in extraction.rows["measures"]:
        assert m["title"] in text[m["start"] : m["end"]]
    for table in ("areas", "agencies"):
        for row in extraction.rows[table]:
            if table == "agencies" or row["responsible"]:
                assert row["measure_id"] in measure_ids | {None, ""}, row


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
def test_every_row_is_grounded(path, corpus_extractions):
    for table in SPAN_FIELD:
        for row in corpus_extractions[path.stem].rows[table]:
            assert row["rule"] and row["doc_id"] == path.stem and row["sentence"], (table, row)
