"""Batch runs: document ids, worker processes, incremental re-runs, failures, progress, Dask."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from planx import batch
from planx.batch import Job, extract_job, plan
from planx.cli import cli
from planx.errors import ExtractError
from planx.writers import read_tables

from .conftest import ROOT, SEED_FILES

# Formats whose files are byte-identical for identical rows (a DuckDB file is not).
BYTE_STABLE = ["csv", "jsonl", "parquet", "xlsx"]


def run_cli(*args: str):
    return CliRunner().invoke(cli, ["extract", *args], catch_exceptions=False)


def files(directory: Path) -> dict[str, bytes]:
    """Every output file by name, run.json aside (it records times)."""
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file() and p.name != "run.json"}


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A folder of the two seed plans that tests may change (batch mechanics need no more)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in SEED_FILES:
        shutil.copy(path, folder)
    return folder


# --- planning -----------------------------------------------------------------------


def test_batch_doc_ids_are_file_stems(corpus):
    assert [job.doc_id for job in plan([corpus])] == [path.stem for path in SEED_FILES]


@pytest.mark.parametrize(
    "layout, ids",
    [
        (["a/plan.txt", "b/plan.txt"], ["a/plan", "b/plan"]),
        (["x/a/plan.txt", "y/a/plan.txt", "other.txt"], ["x/a/plan", "y/a/plan", "other"]),
        (["a/plan.txt", "a/plan.docx"], ["plan.txt", "plan.docx"]),
    ],
)
def test_batch_doc_ids_tell_same_named_files_apart(tmp_path, layout, ids):
    for name in layout:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("一、总体要求\n", encoding="utf-8")
    planned = {job.path.relative_to(tmp_path).as_posix(): job.doc_id for job in plan([tmp_path])}
    assert [planned[name] for name in layout] == ids


def test_batch_missing_path_is_refused(tmp_path):
    with pytest.raises(ExtractError, match="no such file or folder"):
        plan([tmp_path / "nothing"])


@pytest.mark.parametrize("given, found", [
    ("plan.txt", "plan.txt"),
    (Path("plan.txt"), "plan.txt"),
    (["plan.txt"], "plan.txt"),
    ("sub", "sub/plan.txt"),
    (["sub/plan.txt"], "sub/plan.txt"),
    ("su?", "sub/plan.txt"),
], ids=["string", "Path", "list", "folder string", "relative path", "glob string"])
def test_batch_one_path_is_one_path_taken_as_given(tmp_path, monkeypatch, given, found):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    for name in ("plan.txt", "sub/plan.txt"):
        (tmp_path / name).write_text("一、总体要求\n", encoding="utf-8")
    assert [job.path for job in plan(given)] == [Path(found)]


def test_batch_folder_search_skips_and_counts_what_it_does_not_read(tmp_path):
    from planx.api import find_inputs

    for name in ("b.txt", "a.docx", "sub/c.pdf", "x.jpg", "sub/y.JPG", "README", "~$a.docx", ".a.txt",
                 ".git/d.txt", "sub/.cache/e.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    inputs = find_inputs([tmp_path, tmp_path / "sub"])
    assert [path.relative_to(tmp_path).as_posix() for path in inputs.files] == ["a.docx", "b.txt", "sub/c.pdf"]
    assert inputs.skipped.by_label() == {"Office lock file": 1, "hidden": 3, "unsupported type (.jpg)": 2,
                                         "unsupported type (no extension)": 1}
    assert inputs.skipped.describe() == "unsupported type (.jpg ×2, no extension ×1), hidden ×3, Office lock file ×1"


# --- worker processes ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", BYTE_STABLE)
def test_batch_jobs_2_writes_what_jobs_1_writes(tmp_path, corpus, fmt):
    assert run_cli(str(corpus), "-o", str(tmp_path / "one"), "--format", fmt, "--jobs", "1").exit_code == 0
    assert run_cli(str(corpus), "-o", str(tmp_path / "two"), "--format", fmt, "--jobs", "2").exit_code == 0
    assert files(tmp_path / "one") == files(tmp_path / "two")


def test_batch_api_jobs_give_the_same_tables(corpus):
    import planx

    one, two = planx.run([corpus]), planx.run([corpus], jobs=2)
    for name, table in one.items():
        assert table.equals(two[name]), name


# --- incremental re-runs ------------------------------------------------------------


def forbid_extraction(monkeypatch):
    def refuse(path, doc_id=None):
        raise AssertionError(f"{path} was extracted again")

    monkeypatch.setattr(batch, "extract_document", refuse)


@pytest.mark.parametrize("fmt", ["csv", "parquet", "duckdb"])
def test_batch_rerun_on_unchanged_corpus_does_no_extraction(tmp_path, corpus, monkeypatch, fmt):
    out = tmp_path / "out"
    assert run_cli(str(corpus), "-o", str(out), "--format", fmt).exit_code == 0
    before = read_tables(out, fmt)
    first = files(out)
    forbid_extraction(monkeypatch)
    result = run_cli(str(corpus), "-o", str(out), "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "0 documents extracted, 2 unchanged and reused" in result.output
    after = read_tables(out, fmt)
    for name, table in before.items():
        assert table.equals(after[name]), name
    if fmt in BYTE_STABLE:
        assert files(out) == first
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert (info["extracted"], info["reused"]) == (0, 2)


def test_batch_rerun_extracts_only_the_changed_file(tmp_path, corpus, monkeypatch):
    out = tmp_path / "out"
    run_cli(str(corpus), "-o", str(out))
    changed = corpus / SEED_FILES[0].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\n到2030年，森林覆盖率达到35%。\n", encoding="utf-8")
    extracted = []
    real = batch.extract_document
    monkeypatch.setattr(batch, "extract_document", lambda path, doc_id=None: extracted.append(path) or real(path, doc_id))
    assert run_cli(str(corpus), "-o", str(out)).exit_code == 0
    assert extracted == [changed]
    assert "森林覆盖率" in set(read_tables(out)["targets"]["indicator"].dropna())


def test_batch_rerun_with_changed_rules_extracts_again(tmp_path, corpus, monkeypatch):
    out = tmp_path / "out"
    run_cli(str(corpus), "-o", str(out))
    edited = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", edited)
    with open(edited / "measures.yaml", "a", encoding="utf-8") as handle:
        handle.write("\n# an edit: the rules hash changes\n")
    result = run_cli(str(corpus), "-o", str(out), "--rules", str(edited))
    assert result.exit_code == 0 and "reused" not in result.output


def test_batch_force_extracts_again(tmp_path, corpus):
    out = tmp_path / "out"
    run_cli(str(corpus), "-o", str(out))
    result = run_cli(str(corpus), "-o", str(out), "--force")
    assert "reused" not in result.output
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["extracted"] == 2


def test_batch_rerun_with_changed_planx_code_extracts_again(tmp_path, corpus, monkeypatch):
    out = tmp_path / "out"
    run_cli(str(corpus), "-o", str(out))
    # An upgraded planx whose version string is unchanged: only its code tells it apart.
    monkeypatch.setattr(batch, "code_hash", lambda: "0" * 64)
    result = run_cli(str(corpus), "-o", str(out))
    assert result.exit_code == 0 and "reused" not in result.output


@pytest.mark.parametrize("change, changes_hash", [("pkg/mod.py", True), ("pkg/sub/new.py", True),
                                                  ("pkg/data.yaml", False), ("pkg/__pycache__/mod.pyc", False)])
def test_batch_code_hash_follows_the_python_files(tmp_path, change, changes_hash):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "mod.py").write_text("x = 1\n", encoding="utf-8")
    (package / "data.yaml").write_text("a: 1\n", encoding="utf-8")
    before = batch.tree_hash(package)
    (tmp_path / change).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / change).write_text("x = 2\n", encoding="utf-8")
    assert (batch.tree_hash(package) != before) == changes_hash


def test_batch_cache_forgets_files_no_longer_given(tmp_path, corpus):
    out = tmp_path / "out"
    run_cli(str(corpus), "-o", str(out))
    run_cli(str(SEED_FILES[0]), "-o", str(out))
    assert len(list((out / batch.CACHE_DIR).glob("*.json"))) == 1


# --- run.json: the one record of an output folder -------------------------------------


@pytest.mark.parametrize("first, second", [("csv", "parquet"), ("parquet-dataset", "csv"), ("xlsx", "jsonl")])
def test_batch_earlier_run_of_another_format_is_removed(tmp_path, corpus, first, second):
    out = tmp_path / "out"
    assert run_cli(str(corpus), "-o", str(out), "--format", first).exit_code == 0
    (out / "notes.txt").write_text("the user's own file", encoding="utf-8")
    earlier = json.loads((out / "run.json").read_text(encoding="utf-8"))["files"]
    result = run_cli(str(corpus), "-o", str(out), "--format", second)
    assert result.exit_code == 0, result.output
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    on_disk = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and ".planx" not in p.parts)
    assert on_disk == sorted([*info["files"], "notes.txt", "run.json"])
    notes = [line for line in result.output.splitlines() if line.startswith("note: ")]
    assert notes == [f"note: removed the tables the earlier {first} run wrote to {out}: {', '.join(earlier)}"]
    assert len(read_tables(out, info["format"])["documents"]) == len(SEED_FILES)


@pytest.mark.parametrize("name", ["../outside.csv", "run.json", ".planx/cache/entry.json", "kept.csv", 7])
def test_batch_removes_only_table_files_inside_the_folder(tmp_path, name):
    from planx.writers.runinfo import remove_earlier_files

    out = tmp_path / "out"
    for path in (tmp_path / "outside.csv", out / "run.json", out / ".planx/cache/entry.json", out / "kept.csv"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    assert remove_earlier_files(out, {"files": [name]}, ["kept.csv"]) == []
    assert all(path.exists() for path in (tmp_path / "outside.csv", out / "run.json", out / ".planx/cache/entry.json",
                                          out / "kept.csv"))


# --- failures -----------------------------------------------------------------------


def test_batch_bug_on_one_file_keeps_the_others(tmp_path, corpus, monkeypatch):
    real = batch.extract_document

    def flaky(path, doc_id=None):
        if Path(path).name == SEED_FILES[0].name:
            raise RuntimeError("boom\nsecond line")
        return real(path, doc_id)

    monkeypatch.setattr(batch, "extract_document", flaky)
    out = tmp_path / "out"
    result = run_cli(str(corpus), "-o", str(out))
    assert result.exit_code == 1
    tables = read_tables(out)
    assert list(tables["documents"]["doc_id"]) == [SEED_FILES[1].stem]
    error = tables["errors"]["error"].iloc[0]
    assert "planx failed on this file (RuntimeError: boom)" in error and "\n" not in error
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["errors"][0]["error"] == error


def test_batch_failed_file_is_tried_again_next_run(tmp_path, corpus):
    bad = corpus / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 truncated")
    out = tmp_path / "out"
    assert run_cli(str(corpus), "-o", str(out)).exit_code == 1
    bad.unlink()
    (corpus / "bad.txt").write_text("一、总体要求\n到2025年，建成5个示范区。\n", encoding="utf-8")
    result = run_cli(str(corpus), "-o", str(out))
    assert result.exit_code == 0 and "1 documents extracted, 2 unchanged and reused" in result.output
    assert read_tables(out)["errors"].empty


def test_batch_worker_with_other_rules_refuses(corpus):
    rows, error, _doc = extract_job(Job(SEED_FILES[0], "x"), None, expected="0.0.0:not-these-rules")
    assert rows is None and "install the same planx and rules on every worker" in error


# --- progress -----------------------------------------------------------------------


def test_batch_progress_bar_only_when_asked_or_on_a_terminal(tmp_path, corpus):
    quiet = run_cli(str(corpus), "-o", str(tmp_path / "a"))
    assert "extracting" not in quiet.output
    shown = run_cli(str(corpus), "-o", str(tmp_path / "b"), "--progress")
    assert "extracting" in shown.output and "2/2" in shown.output and "0 failed" in shown.output and "doc/s" in shown.output


def test_batch_scheduler_needs_the_dask_engine(tmp_path, corpus):
    result = CliRunner().invoke(cli, ["extract", str(corpus), "-o", str(tmp_path), "--scheduler", "tcp://x:1"])
    assert result.exit_code == 2 and "--scheduler goes with --engine dask" in result.output


# --- Dask ---------------------------------------------------------------------------


def test_batch_dask_local_cluster_writes_the_local_runs_partitioned_dataset(tmp_path, corpus):
    local, dask = tmp_path / "local", tmp_path / "dask"
    assert run_cli(str(corpus), "-o", str(local), "--format", "parquet-dataset").exit_code == 0
    result = run_cli(str(corpus), "-o", str(dask), "--engine", "dask", "--jobs", "2")
    assert result.exit_code == 0, result.output
    parts = {p.relative_to(dask).as_posix(): p.read_bytes() for p in dask.glob("*/part-*.parquet")}
    assert "targets/part-00000.parquet" in parts
    assert parts == {p.relative_to(local).as_posix(): p.read_bytes() for p in local.glob("*/part-*.parquet")}
    assert len(read_tables(dask, "parquet-dataset")["documents"]) == len(SEED_FILES)
