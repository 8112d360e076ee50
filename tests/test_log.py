"""Logging: the reading libraries log through planx's logger, quiet unless --verbose, and a
document read with a library's workaround is counted, not printed line by line."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from planx.cli import cli
from planx.log import LOGGER, route_libraries

from .conftest import SEED_FILES

FONT_WARNING = "pdfminer.pdffont: Could not get FontBBox from font descriptor because [0, 0, 0] cannot be parsed as 4 floats"


def pdf_with_a_broken_font_box() -> bytes:
    """A one-page PDF whose font descriptor has a three-number FontBBox: pdfminer reads the
    text all the same, with the warning that published PDFs set off by the hundred."""
    text = b"BT /F1 12 Tf 72 720 Td (Plan 2025) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /PlanxTest /FirstChar 32 /LastChar 126 /FontDescriptor 6 0 R >>",
        b"<< /Type /FontDescriptor /FontName /PlanxTest /Flags 32 /FontBBox [0 0 0] /ItalicAngle 0 /Ascent 718 "
        b"/Descent -207 /CapHeight 718 /StemV 88 >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(pdf)


@pytest.fixture
def inputs(tmp_path) -> Path:
    """Two PDFs with a broken font box between them a plan read cleanly."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.pdf", "c.pdf"):
        (folder / name).write_bytes(pdf_with_a_broken_font_box())
    (folder / "b.txt").write_bytes(SEED_FILES[0].read_bytes())
    return folder


def run_cli(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_library_warnings_are_not_printed_by_default(tmp_path, inputs):
    # A process of its own: under pytest the root logger has pytest's handler, which would
    # hide what a terminal shows.
    result = subprocess.run([sys.executable, "-m", "planx", "extract", str(inputs), "-o", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "FontBBox" not in result.stderr
    (summary,) = result.stderr.splitlines()
    assert "3 documents extracted, 0 failed, 2 read with workarounds (planx --verbose lists the warnings)" in summary


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_documents_read_with_workarounds_are_counted_in_the_summary_and_run_json(tmp_path, inputs, jobs):
    out = tmp_path / "out"
    result = run_cli("extract", str(inputs), "-o", str(out), "--jobs", jobs)
    assert result.exit_code == 0
    assert "FontBBox" not in result.output
    assert ", 2 read with workarounds (planx --verbose lists the warnings): " in result.output
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["with_workarounds"] == 2


def test_documents_reused_from_the_last_run_are_not_read_so_not_counted(tmp_path, inputs):
    out = tmp_path / "out"
    run_cli("extract", str(inputs), "-o", str(out))
    result = run_cli("extract", str(inputs), "-o", str(out))
    assert "3 unchanged and reused, 0 failed: " in result.output
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["with_workarounds"] == 0


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_verbose_lists_each_warning_once_with_its_file(tmp_path, inputs, jobs):
    result = run_cli("--verbose", "extract", str(inputs), "-o", str(tmp_path / "out"), "--jobs", jobs)
    warnings = [line for line in result.output.splitlines() if line.startswith("warning: ")]
    assert warnings == [f"warning: {inputs / name}: {FONT_WARNING}" for name in ("a.pdf", "c.pdf")]


def test_verbose_shows_a_library_warning_met_outside_a_batch(tmp_path):
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(pdf_with_a_broken_font_box())
    assert f"warning: {FONT_WARNING}" in run_cli("--verbose", "inspect", str(pdf)).output
    # --verbose ends with its command: the next one, in the same process, is quiet again.
    assert [type(handler) for handler in LOGGER.handlers] == [logging.NullHandler]
    assert "FontBBox" not in run_cli("inspect", str(pdf)).output


def test_a_library_logs_through_planx_only(caplog):
    jieba = logging.getLogger("jieba")
    # What importing jieba does: a handler printing to stderr, and the level DEBUG.
    jieba.addHandler(logging.StreamHandler(sys.stderr))
    jieba.setLevel(logging.DEBUG)
    route_libraries()
    with caplog.at_level(logging.DEBUG):
        jieba.debug("Building prefix dict from the default dictionary ...")
        jieba.warning("dictionary file not found")
    assert [(r.name, r.getMessage()) for r in caplog.records] == [("jieba", "dictionary file not found")]
    assert [type(handler).__name__ for handler in jieba.handlers] == ["_ToPlanx"]
