"""The command line: exact messages, every contract table, broken input in a batch."""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest
from click.testing import CliRunner

from planx import batch
from planx.cli import cli
from planx.dataset import COLUMNS

from .conftest import CORPUS, GOLD, SEED_FILES


def test_extract_writes_every_contract_table(tmp_path):
    result = CliRunner().invoke(cli, ["extract", str(CORPUS), "-o", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    for table, columns in COLUMNS.items():
        df = pd.read_csv(tmp_path / f"{table}.csv", encoding="utf-8-sig", dtype=str)
        assert list(df.columns[: len(columns)]) == columns
    docs = pd.read_csv(tmp_path / "documents.csv", encoding="utf-8-sig", dtype=str).set_index("doc_id")
    suzhou = docs.loc["suzhou-quality-plan-14fyp"]
    assert suzhou["title"] == "苏州市“十四五”质量发展规划"
    assert (suzhou["period_start"], suzhou["period_end"]) == ("2021", "2025")
    jiangsu = docs.loc["jiangsu-quality-opinion-2016"]
    assert jiangsu["title"] == "江苏省人民政府关于加快质量发展的意见"
    assert jiangsu["issuer"] == "江苏省人民政府"
    assert jiangsu["issue_date"] == "2016-07-07"
    assert (jiangsu["period_start"], jiangsu["period_end"]) == ("2016", "2020")
    assert jiangsu["region_code"] == "320000"


def test_bad_file_is_one_line_and_batch_continues(tmp_path):
    bad = tmp_path / "in" / "broken.docx"
    bad.parent.mkdir()
    bad.write_bytes(b"")
    (tmp_path / "in" / "good.txt").write_text("一、总体要求\n到2025年，森林覆盖率达到30%。\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["extract", str(tmp_path / "in"), "-o", str(out)])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {bad}: is empty; re-download or re-export the document"]
    targets = pd.read_csv(out / "targets.csv", encoding="utf-8-sig")
    assert set(targets["doc_id"]) == {"good"}


def test_unknown_extension_and_missing_path(tmp_path):
    odd = tmp_path / "plan.xyz"
    odd.write_text("x")
    result = CliRunner().invoke(cli, ["extract", str(odd), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "unsupported file type '.xyz'" in result.output
    result = CliRunner().invoke(cli, ["extract", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path / 'nope.txt'}: no such file or folder; check the path\n"


def test_inspect_shows_tree_and_table():
    result = CliRunner().invoke(cli, ["inspect", str(CORPUS / "suzhou-quality-plan-14fyp.txt")], catch_exceptions=False)
    assert result.exit_code == 0
    assert "一、发展环境" in result.output and "26 rows × 6 columns" in result.output


def test_evaluate_reports_every_table(tmp_path):
    CliRunner().invoke(cli, ["extract", str(CORPUS), "-o", str(tmp_path)], catch_exceptions=False)
    result = CliRunner().invoke(cli, ["evaluate", str(tmp_path), str(GOLD)], catch_exceptions=False)
    assert result.exit_code == 0
    for table in ("targets", "deadlines", "areas", "measures"):
        assert f"{table} " in result.output


def test_every_command_has_help():
    for command in cli.commands.values():
        assert command.help and "Example:" in command.help, command.name


# --- input discovery, OS errors, run.json -------------------------------------------------

READS = "planx reads .txt .docx .doc .pdf .html .htm"


def make_files(root, names):
    """Create each named file under ``root`` (``sub/`` for a folder alone), a plan's line in the .txt ones."""
    for name in names:
        path = root / name
        if name.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("一、总体要求\n到2025年，森林覆盖率达到30%。\n", encoding="utf-8")


@pytest.mark.parametrize(
    "names, given, message",
    [
        (["in/"], "{in}", "no documents found in {in}: it is empty; " + READS),
        (["in/a.jpg", "in/b.jpg", "in/c.JPG"], "{in}",
         "no documents found in {in}: 3 skipped: unsupported type (.jpg ×3); " + READS),
        (["in/.draft.txt", "in/~$plan.docx", "in/.git/plan.txt", "in/notes"], "{in}",
         "no documents found in {in}: 4 skipped: unsupported type (no extension ×1), hidden ×2, Office lock file ×1; "
         + READS),
        (["in/a.jpg"], "{in}/*.jpg", "no documents found in {in}/*.jpg: 1 skipped: unsupported type (.jpg ×1); " + READS),
        (["in/a.jpg"], "{in}/*.txt", "{in}/*.txt: no file or folder matches this pattern; check it"),
    ],
    ids=["empty folder", "only jpg", "only hidden and lock files", "glob of jpg", "glob matching nothing"],
)
def test_extract_that_finds_nothing_says_why(tmp_path, names, given, message):
    make_files(tmp_path, names)
    folder = str(tmp_path / "in")
    result = CliRunner().invoke(cli, ["extract", given.replace("{in}", folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output == "Error: " + message.replace("{in}", folder) + "\n"


def test_extract_summary_counts_skipped_files_by_reason(tmp_path):
    make_files(tmp_path, ["in/good.txt", "in/a.jpg", "in/sub/b.jpg", "in/~$good.docx", "in/.hidden.txt",
                          "in/.git/config"])
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["extract", str(tmp_path / "in"), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    summary = result.output.strip().splitlines()[-1]
    assert summary.startswith("1 documents extracted, 0 failed: ")
    assert summary.endswith(f"-> {out}; 5 skipped: unsupported type (.jpg ×2), hidden ×2, Office lock file ×1")
    skipped = json.loads((out / "run.json").read_text(encoding="utf-8"))["skipped"]
    assert skipped == {"unsupported type (.jpg)": 2, "hidden": 2, "Office lock file": 1}


def refuse_cache_writes(monkeypatch, out):
    def refuse(self, outcome):
        raise PermissionError(13, "Permission denied", str(out / ".planx" / "cache"))

    monkeypatch.setattr(batch.RowCache, "put", refuse)


def block_cache_folder(monkeypatch, out):
    out.mkdir()
    (out / ".planx").write_text("a file where the cache folder goes", encoding="utf-8")


def lock_output_folder(monkeypatch, out):
    if os.geteuid() == 0:
        pytest.skip("root writes into a read-only folder all the same; refuse_cache_writes stands in for it")
    out.mkdir(mode=0o555)


@pytest.mark.parametrize("make_unwritable, detail", [
    (refuse_cache_writes, "Permission denied: {out}/.planx/cache"),
    (block_cache_folder, "Not a directory: {out}/.planx/cache"),
    (lock_output_folder, "Permission denied: {out}/.planx"),
], ids=["cache refused", "file in the way", "read-only folder"])
def test_extract_into_an_unwritable_folder_is_one_line(tmp_path, monkeypatch, make_unwritable, detail):
    out = tmp_path / "out"
    make_unwritable(monkeypatch, out)
    result = CliRunner().invoke(cli, ["extract", str(SEED_FILES[0]), "-o", str(out)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output == (f"Error: {out}: cannot write into it ({detail.format(out=out)}); "
                             "check its permissions and free space, or choose another output folder\n")


@pytest.fixture(scope="module")
def extracted_parquet(tmp_path_factory):
    """The seeds extracted as Parquet: run.json is all that says so."""
    out = tmp_path_factory.mktemp("parquet") / "out"
    result = CliRunner().invoke(cli, ["extract", *map(str, SEED_FILES), "-o", str(out), "--format", "parquet"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("target", ["r.html", "nodir/sub/r.html"], ids=["beside", "in missing folders"])
def test_review_reads_the_format_run_json_records_and_makes_its_folder(extracted_parquet, tmp_path, target):
    page = tmp_path / target
    result = CliRunner().invoke(cli, ["review", str(extracted_parquet), "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {page}\n" and page.is_file()


@pytest.mark.parametrize("command", [["review", "{parquet}", "-o", "{file}/r.html"],
                                     ["review", "{parquet}", "-o", "{file}/deeper/r.html"],
                                     ["extract", str(SEED_FILES[0]), "-o", "{file}/out"]],
                         ids=["review beside a file", "review under a file", "extract under a file"])
def test_a_file_in_the_way_of_an_output_folder_is_one_line(extracted_parquet, tmp_path, command):
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder", encoding="utf-8")
    args = [arg.format(parquet=extracted_parquet, file=blocker) for arg in command]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.output == f"Error: {blocker}: is a file, not a folder; choose another path, or move the file\n"
