"""The command line: exact messages, every contract table, broken input in a batch."""

from __future__ import annotations

import pandas as pd
from click.testing import CliRunner

from extract.cli import cli
from extract.dataset import COLUMNS

from .conftest import CORPUS, GOLD


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
