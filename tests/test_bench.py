"""The benchmark runs end to end on a tiny corpus and reports every figure.

Smoke test only: timings on a shared CI machine mean nothing, so nothing here asserts a
speed, only that each figure is there and is a positive number. The full figures are in
bench/README.md.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

from planx.pipeline import component_names

from .conftest import ROOT

BENCH = ROOT / "bench" / "bench.py"
STAGES = ["ingest", "layout", *(f"component {name}" for name in component_names()), "consumer", "other", "write"]
GOALS = ["pipeline_kb_s", "pipeline_vs_jieba", "pdf_vs_pdfplumber", "pdf_pages_s", "memory_growth", "jobs2_speedup"]


def _numbers(tree, path=""):
    """Every number in a JSON tree with its path, booleans aside."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _numbers(value, f"{path}/{key}")
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            yield from _numbers(value, f"{path}/{i}")
    elif isinstance(tree, (int, float)) and not isinstance(tree, bool):
        yield path, tree


def test_quick_benchmark_reports_every_figure(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, str(BENCH), "--quick", "--docs", "6", "--json", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))

    assert report["corpus"]["docs"] == 6
    assert list(report["stages"]) == STAGES
    for figures in [*report["stages"].values(), report["pipeline"], report["jieba"]]:
        assert {"kb_s", "docs_s"} <= figures.keys()
    assert "vs_jieba" in report["pipeline"]
    assert {"pages", "pages_s", "pdfplumber_pages_s", "vs_pdfplumber"} <= report["pdf"].keys()
    assert {"jobs1", "jobs2", "speedup", "memory"} <= report["cli"].keys()
    assert all({"seconds", "kb_s", "docs_s", "cores_used"} <= report["cli"][jobs].keys() for jobs in ("jobs1", "jobs2"))
    assert {"peak_rss_small_mib", "peak_rss_full_mib", "memory_growth"} <= report["cli"]["memory"].keys()
    assert [goal["figure"] for goal in report["goals"]] == GOALS
    assert all(isinstance(goal["met"], bool) for goal in report["goals"])

    measured = {key: value for key, value in report.items() if key != "machine"}  # load may be 0
    for path, value in _numbers(measured):
        assert math.isfinite(value), path
        if not path.endswith("growth_kib_per_doc"):  # a difference of two peaks: may be <= 0
            assert value > 0, path
    for line in ("whole pipeline", "floor: jieba.lcut", "pdf ingest", "peak RSS", "--jobs 2 speedup"):
        assert line in done.stdout
