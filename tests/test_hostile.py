"""Hostile and broken input, end to end through ``planx extract`` and ``planx review``.

A batch holding every file of ``tests/data/broken`` and one good plan: each bad file gets
one error line and a row in the errors table, the good plan all its rows, and no
half-written file is left. A 50 MB web page is refused before it is read, in bounded
memory. Hostile XML in a .docx is neither expanded nor fetched; the review page escapes
every text it shows; file names and document ids never lead a write outside the output
directory.
"""

from __future__ import annotations

import errno
import http.server
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import planx.writers.csv
from planx.api import extract_document
from planx.cli import cli
from planx.ingest import MAX_BYTES
from planx.review import pages_folder
from planx.writers import WRITERS

from .conftest import CORPUS
from .test_ingest_formats import rewrite_document_xml

BROKEN = Path(__file__).resolve().parent / "data" / "broken"
GOOD = CORPUS / "jiangsu-quality-opinion-2016.txt"
# Each bad file of tests/data/broken and what its error line says.
BAD = {
    "big5.txt": "is not text in UTF-8, UTF-16 or GB18030",
    "billion-laughs.docx": "is not a valid Word file",
    "bomb.docx": "it may be a zip bomb",
    "corrupt.doc": "LibreOffice",  # could not convert it, or is not installed
    "empty.docx": "is empty",
    "empty.pdf": "is empty",
    "encrypted.docx": "is password-protected",
    "encrypted.pdf": "is password-protected",
    "html.pdf": "is an HTML page, not a PDF",
    "scanned.pdf": "has no text layer",
    "truncated.docx": "is not a valid Word file",
    "truncated.pdf": "is damaged or truncated",
}
# Awkward but readable: an unusual encoding, a text file named .docx, entities not expanded.
READABLE = ["gbk.txt", "utf16-no-bom.txt", "text.docx", "xxe.docx"]
TABLES = ("targets", "deadlines", "areas", "agencies", "measures")


def extract_cli(*args: str):
    return CliRunner().invoke(cli, ["extract", *map(str, args)])


def leftovers(directory: Path) -> list[Path]:
    """Temporary files a write would leave behind (``.name.<hex>.tmp.csv``)."""
    return [p for p in directory.rglob(".*") if ".tmp" in p.name]


def snapshot(root: Path) -> set[Path]:
    return set(root.rglob("*"))


# --- a batch of broken files -------------------------------------------------------------


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """``planx extract`` over every file of tests/data/broken plus one good plan."""
    inputs = tmp_path_factory.mktemp("batch-in")
    for path in BROKEN.iterdir():
        shutil.copy(path, inputs / path.name)
    shutil.copy(GOOD, inputs / GOOD.name)
    output = tmp_path_factory.mktemp("batch-out")
    return extract_cli(inputs, "-o", output), output


def test_every_broken_file_is_in_a_table():
    """The tables here name every file of tests/data/broken but its maker."""
    assert sorted([*BAD, *READABLE, "make_broken.py"]) == sorted(p.name for p in BROKEN.iterdir())


def test_batch_with_bad_files_exits_1(batch):
    result, _ = batch
    assert result.exit_code == 1, result.output


def test_one_error_line_per_bad_file(batch):
    """Each bad file gets exactly one stderr line naming it and its problem; readable files none."""
    result, _ = batch
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(BAD)
    for name, problem in BAD.items():
        (line,) = [line for line in errors if f"/{name}:" in line]
        assert problem in line, line


def test_errors_table_lists_each_bad_file(batch):
    _, output = batch
    errors = pd.read_csv(output / "errors.csv", encoding="utf-8-sig")
    assert sorted(Path(p).name for p in errors["source_path"]) == sorted(BAD)


def test_good_and_readable_documents_are_extracted(batch):
    """The good plan keeps every row it has on its own; the awkward files are documents too."""
    _, output = batch
    alone = extract_document(GOOD).rows
    for table in TABLES:
        rows = pd.read_csv(output / f"{table}.csv", encoding="utf-8-sig")
        assert (rows["doc_id"] == GOOD.stem).sum() == len(alone[table]), table
    documents = pd.read_csv(output / "documents.csv", encoding="utf-8-sig")
    assert sorted(Path(p).name for p in documents["source_path"]) == sorted([GOOD.name, *READABLE])


def test_batch_leaves_no_temporary_files(batch):
    _, output = batch
    assert leftovers(output) == []


# --- size and memory ---------------------------------------------------------------------

MEASURE = """
import resource, sys
from planx.cli import cli
try:
    cli(["extract", sys.argv[1], "-o", sys.argv[2]])
except SystemExit:
    pass
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, file=sys.stderr)
"""
# Reading the page at all would hold its 50 MB at least once; refusing it costs what planx
# costs on a tiny file, give or take the allocator.
MEMORY_SLACK_MB = 25


def peak_rss_mb(source: Path, output: Path) -> tuple[int, str]:
    """Peak resident memory (MB) of a fresh ``planx extract`` on ``source``, and its stderr."""
    done = subprocess.run([sys.executable, "-c", MEASURE, str(source), str(output)], capture_output=True,
                          text=True, timeout=600, cwd=Path(__file__).resolve().parents[1])
    *lines, peak = done.stderr.strip().splitlines()
    return int(peak), "\n".join(lines)


def web_page(path: Path, size: int) -> Path:
    """A plan's web page of about ``size`` bytes: one paragraph over and over."""
    paragraph = "<p>到2025年，制造业产品质量合格率达到97%以上，培育1000家以上高成长企业。</p>\n".encode()
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:
        handle.write(b'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>')
        handle.write(paragraph * (size // len(paragraph)))
        handle.write(b"</body></html>")
    return path


def test_huge_web_page_is_refused_in_bounded_memory(tmp_path):
    """A 50 MB HTML page gets one error line naming the limit and the fix, and the run's
    peak memory stays that of a run on a small page."""
    small = web_page(tmp_path / "small" / "page.html", 4096)
    huge = web_page(tmp_path / "huge" / "page.html", 50 * 2**20)
    baseline, _ = peak_rss_mb(small.parent, tmp_path / "out-small")
    peak, stderr = peak_rss_mb(huge.parent, tmp_path / "out-huge")
    (line,) = [line for line in stderr.splitlines() if line.startswith("error: ")]
    assert f"page.html: is 50.0 MiB, more than planx reads from one html file ({MAX_BYTES['html'] // 2**20} MiB)" in line
    assert peak <= baseline + MEMORY_SLACK_MB, (peak, baseline)


# --- interrupted writes ------------------------------------------------------------------


#: What the command prints when the disk fills: one line, no traceback.
DISK_FULL = ("Error: {output}: cannot write into it (No space left on device); check its permissions and free "
             "space, or choose another output folder\n")


def disk_full(self, df):
    """A CSV table's write that gets one row out, then finds the disk full."""
    df.head(1).to_csv(self.handle, index=False, header=False)
    raise OSError(errno.ENOSPC, "No space left on device")


def test_interrupted_write_leaves_the_old_tables(tmp_path, monkeypatch):
    """A write failing half way through a table leaves the previous run's tables byte for
    byte and no temporary file."""
    output = tmp_path / "out"
    assert extract_cli(GOOD, "-o", output).exit_code == 0
    before = {p.name: p.read_bytes() for p in output.glob("*.csv")}
    monkeypatch.setattr(planx.writers.csv.TableFile, "write", disk_full)
    assert extract_cli(GOOD, "-o", output, "--force").output == DISK_FULL.format(output=output)
    assert {p.name: p.read_bytes() for p in output.glob("*.csv")} == before
    assert leftovers(output) == []


def test_interrupted_first_write_leaves_no_table(tmp_path, monkeypatch):
    """Interrupted on a first run, no table file appears at all."""
    monkeypatch.setattr(planx.writers.csv.TableFile, "write", disk_full)
    output = tmp_path / "out"
    assert extract_cli(GOOD, "-o", output).output == DISK_FULL.format(output=output)
    assert list(output.glob("*.csv")) == [] and leftovers(output) == []


# --- hostile XML, HTML and names ---------------------------------------------------------


@pytest.fixture
def listener():
    """A local HTTP server that counts the requests it gets."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'<!ENTITY leak "LEAKED">')

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], requests
    server.shutdown()
    server.server_close()


def test_docx_entities_fetch_nothing(tmp_path, listener):
    """A .docx whose entities and external DTD point at a live server is read without a
    single request to it, and without the server's text or the local file's."""
    port, requests = listener
    path = tmp_path / "xxe.docx"
    shutil.copy(BROKEN / "xxe.docx", path)
    rewrite_document_xml(path, lambda xml: xml.replace("127.0.0.1:9", f"127.0.0.1:{port}"))
    text = extract_document(path).document.text
    assert "到2025年" in text and "LEAKED" not in text and "root:" not in text and "lol" not in text
    assert requests == []


EVIL_NAME = "<img src=x onerror=alert(1)>.txt"
EVIL_TEXT = "<b>规划</b>\n到2025年，<script>alert(2)</script>合格率达到97%以上。\n"


def test_review_escapes_names_text_and_fields(tmp_path):
    """A file name, document text and indicator holding markup show as text on the review
    pages: the only script elements are each document page's own two."""
    source = tmp_path / "in" / EVIL_NAME
    source.parent.mkdir()
    source.write_text(EVIL_TEXT, encoding="utf-8")
    output, page = tmp_path / "out", tmp_path / "review.html"
    assert extract_cli(source.parent, "-o", output).exit_code == 0
    targets = pd.read_csv(output / "targets.csv", encoding="utf-8-sig")
    assert targets["indicator"].str.contains("<script>").any()
    result = CliRunner().invoke(cli, ["review", str(output), "-o", str(page)])
    assert result.exit_code == 0, result.output
    documents = sorted(pages_folder(page).glob("*.html"))
    html = "".join(path.read_text(encoding="utf-8") for path in [page, *documents])
    assert html.count("<script") == 2 * len(documents) == 2
    assert "<img src=x" not in html and "<b>规划" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_names_never_lead_outside_the_output_directory(tmp_path, fmt):
    """Files whose names, folders and titles look like paths (``..``, separators, a title
    line ``../../escape``) are extracted in every format, and every file written lies
    inside the output directory."""
    inputs = tmp_path / "in"
    for relative in ("a/plan.txt", "b/plan.txt", "..a/plan.txt", "plan..txt"):
        path = inputs / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("../../escape\n" + GOOD.read_text(encoding="utf-8")[:2000], encoding="utf-8")
    output = tmp_path / "out"
    before = snapshot(tmp_path)
    result = extract_cli(inputs, "-o", output, "--format", fmt)
    assert result.exit_code == 0, result.output
    review = CliRunner().invoke(cli, ["review", str(output), "-o", str(output / "review.html"), "--format", fmt])
    assert review.exit_code == 0, review.output
    written = snapshot(tmp_path) - before
    assert written and all(p == output or output in p.parents for p in written), sorted(written)
