"""`planx gold merge`: the review page's exports folded into a gold folder, conflicts refused
unless --prefer settles them, bad files reported in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from planx.cli import cli
from planx.errors import ExtractError
from planx.evaluate import load_gold
from planx.gold import EXPORT_MARK, FIELDS, check_record, read_gold

from .conftest import GOLD

TARGET = {"table": "targets", "doc": "plan", "quote": "到2025年，全省制造业产品质量合格率达到97%以上。", "optional": False,
          "kind": "target", "indicator": "制造业产品质量合格率", "value": 97, "value_max": None, "unit": "%",
          "comparator": ">=", "target_year": 2025, "baseline_value": None, "baseline_year": None}
AREA = {"table": "areas", "doc": "plan", "quote": "支持苏州工业园区建设质量强区。", "optional": False, "area": "苏州工业园区",
        "canonical": "苏州工业园区", "level": "zone", "parent": "苏州市", "admin_code": "320576", "responsible": True}
HEADER = {EXPORT_MARK: 1, "documents": [{"doc": "plan", "sha256": "0" * 64, "rows": 5, "reviewed": 3, "accepted": 1,
                                         "edited": 1, "rejected": 1, "added": 1}]}


def write_export(path: Path, *records: dict, header: dict | None = HEADER) -> Path:
    lines = ([header] if header else []) + list(records)
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return path


def merge(*args):
    """``planx gold merge ARGS…`` through click's test runner."""
    return CliRunner().invoke(cli, ["gold", "merge", *map(str, args)])


def test_merge_splits_an_export_into_gold_files_that_evaluate_reads(tmp_path):
    export = write_export(tmp_path / "plan.gold.jsonl", TARGET, AREA)
    result = merge(export, "--into", tmp_path / "gold")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:3] == [
        f"{export}: plan: 3 of 5 rows reviewed (1 accepted, 1 edited, 1 rejected), 1 added",
        f"targets: 1 added, 0 replaced, 0 already there -> {tmp_path / 'gold' / 'targets.jsonl'} (1 in all)",
        f"areas: 1 added, 0 replaced, 0 already there -> {tmp_path / 'gold' / 'areas.jsonl'} (1 in all)",
    ]
    assert "not every row of plan was reviewed" in result.output
    assert sorted(p.name for p in (tmp_path / "gold").iterdir()) == ["areas.jsonl", "targets.jsonl"]
    [target] = load_gold(tmp_path / "gold", "targets")
    assert target == {k: v for k, v in TARGET.items() if k != "table"}
    assert list(target) == ["doc", "quote", "optional", *FIELDS["targets"]]


# The folder holds TARGET; an export gives ... ; what the targets file holds after, and the counts line.
SECOND_EXPORTS = {
    "the same record": (TARGET, None, [TARGET], "0 added, 0 replaced, 1 already there"),
    "the same item with a shorter quote": ({**TARGET, "quote": "合格率达到97%"}, None, [TARGET],
                                           "0 added, 0 replaced, 1 already there"),
    "another item": ({**TARGET, "indicator": "产品质量合格率（农产品）", "value": 98}, None,
                     [TARGET, {**TARGET, "indicator": "产品质量合格率（农产品）", "value": 98}],
                     "1 added, 0 replaced, 0 already there"),
    "another year, the folder preferred": ({**TARGET, "target_year": 2030}, "first", [TARGET],
                                           "0 added, 0 replaced, 0 already there, 1 overruled"),
    "another year, the export preferred": ({**TARGET, "target_year": 2030}, "last", [{**TARGET, "target_year": 2030}],
                                           "0 added, 1 replaced, 0 already there"),
    "another year, the export named": ({**TARGET, "target_year": 2030}, "EXPORT", [{**TARGET, "target_year": 2030}],
                                       "0 added, 1 replaced, 0 already there"),
}


@pytest.mark.parametrize(("second", "prefer", "expected", "counts"), SECOND_EXPORTS.values(), ids=SECOND_EXPORTS)
def test_merge_into_a_folder_that_has_gold(tmp_path, second, prefer, expected, counts):
    assert merge(write_export(tmp_path / "first.jsonl", TARGET), "--into", tmp_path / "gold").exit_code == 0
    export = write_export(tmp_path / "second.jsonl", second)
    options = ["--prefer", str(export) if prefer == "EXPORT" else prefer] if prefer else []
    result = merge(export, "--into", tmp_path / "gold", *options)
    assert result.exit_code == 0, result.output
    assert f"targets: {counts} -> " in result.output
    assert load_gold(tmp_path / "gold", "targets") == [{k: v for k, v in r.items() if k != "table"} for r in expected]


def test_merge_keeps_the_folder_lines_byte_for_byte(tmp_path):
    folder = tmp_path / "gold"
    folder.mkdir()
    # A hand-made file: other spacing, a blank line, a full-width digit in a quote.
    hand = ('{"doc":"plan","quote":"合格率达到９７%","optional":false,"kind":"target","indicator":"制造业产品质量合格率",'
            '"value":97.0,"value_max":null,"unit":"%","comparator":">=","target_year":2025,"baseline_value":null,'
            '"baseline_year":null}\n\n')
    (folder / "targets.jsonl").write_text(hand, encoding="utf-8")
    other = {**TARGET, "indicator": "优质产品", "value": 100, "unit": "个", "quote": "培育优质产品100个"}
    result = merge(write_export(tmp_path / "e.jsonl", TARGET, other), "--into", folder)
    assert result.exit_code == 0, result.output
    assert "targets: 1 added, 0 replaced, 1 already there" in result.output
    written = (folder / "targets.jsonl").read_text(encoding="utf-8")
    assert written.startswith(hand.strip() + "\n") and written.count("\n") == 2


def test_merge_refuses_a_conflict_and_writes_nothing(tmp_path):
    assert merge(write_export(tmp_path / "a.jsonl", TARGET), "--into", tmp_path / "gold").exit_code == 0
    before = (tmp_path / "gold" / "targets.jsonl").read_bytes()
    b = write_export(tmp_path / "b.jsonl", {**TARGET, "target_year": 2030}, AREA)
    result = merge(b, "--into", tmp_path / "gold")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: plan targets indicator '制造业产品质量合格率' (quote '{TARGET['quote']}'): "
        f"{tmp_path / 'gold' / 'targets.jsonl'} line 1 gives target_year 2025, {b} line 2 gives target_year 2030; "
        "pass --prefer first, last or one of the export files to say which wins\n")
    assert (tmp_path / "gold" / "targets.jsonl").read_bytes() == before
    assert not (tmp_path / "gold" / "areas.jsonl").exists()


def test_two_exports_that_disagree_need_prefer(tmp_path):
    a = write_export(tmp_path / "a.jsonl", TARGET)
    b = write_export(tmp_path / "b.jsonl", {**TARGET, "optional": True})
    c = write_export(tmp_path / "c.jsonl", AREA)
    refused = merge(a, b, "--into", tmp_path / "gold")
    assert refused.exit_code == 1 and "gives optional false" in refused.output and "gives optional true" in refused.output
    assert merge(a, b, c, "--into", tmp_path / "gold", "--prefer", c).exit_code == 1  # c does not give the target
    result = merge(a, b, "--into", tmp_path / "gold", "--prefer", a)
    assert result.exit_code == 0 and "targets: 1 added, 0 replaced, 0 already there, 1 overruled" in result.output
    assert load_gold(tmp_path / "gold", "targets")[0]["optional"] is False


def test_a_record_given_twice_is_two_items(tmp_path):
    """A document can say the same thing twice in the same words (a table's heading where the
    table goes on): gold has it twice, and a source giving it once disagrees."""
    twice = write_export(tmp_path / "twice.jsonl", TARGET, TARGET)
    result = merge(twice, "--into", tmp_path / "gold")
    assert result.exit_code == 0 and "targets: 2 added" in result.output
    assert len(load_gold(tmp_path / "gold", "targets")) == 2
    assert "targets: 0 added, 0 replaced, 2 already there" in merge(twice, "--into", tmp_path / "gold").output
    once = write_export(tmp_path / "once.jsonl", TARGET)
    refused = merge(once, "--into", tmp_path / "gold")
    assert refused.exit_code == 1 and f"gives it 2 times, {once} 1 times" in refused.output


# A line of a bad export, and the problem its one-line error names.
BAD_LINES = {
    "not JSON": ("{table: targets}", "line 2: not JSON (Expecting property name enclosed in double quotes)"),
    "not an object": ('["targets"]', "line 2: a record's table must be one of targets, deadlines, areas, agencies, "
                                     "measures, not None"),
    "unknown table": (json.dumps({**TARGET, "table": "goals"}), "line 2: a record's table must be one of"),
    "a field missing": (json.dumps({k: v for k, v in TARGET.items() if k != "target_year"}),
                        "line 2: a record of targets needs target_year"),
    "an unknown field": (json.dumps({**TARGET, "year": 2025}), "line 2: unknown field 'year' in a record of targets"),
    "a year as text": (json.dumps({**TARGET, "target_year": "2025"}), "line 2: target_year '2025' is not an integer"),
    "a value not allowed": (json.dumps({**AREA, "level": "town"}), "line 2: level 'town' is none of province, city"),
    "an empty quote": (json.dumps({**TARGET, "quote": ""}), "line 2: quote must be non-empty text"),
    "a header after a record": (json.dumps(HEADER), "line 2: an export's header must be its first line"),
}


@pytest.mark.parametrize(("line", "problem"), BAD_LINES.values(), ids=BAD_LINES)
def test_a_bad_export_is_one_line_naming_the_file_and_the_fix(tmp_path, line, problem):
    export = tmp_path / "bad.jsonl"
    export.write_text(json.dumps(TARGET, ensure_ascii=False) + "\n" + line + "\n", encoding="utf-8")
    result = merge(export, "--into", tmp_path / "gold")
    assert result.exit_code == 1
    [message] = result.output.splitlines()
    assert message.startswith(f"Error: {export} {problem}"), message
    assert message.endswith("export it again from the review page, or correct that line")
    assert not (tmp_path / "gold").exists()


def test_a_file_that_is_no_text_or_of_another_version(tmp_path):
    binary = tmp_path / "download.jsonl"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    assert merge(binary, "--into", tmp_path / "gold").output == (
        f"Error: {binary}: not UTF-8 text; export it again from the review page, or correct that line\n")
    newer = write_export(tmp_path / "newer.jsonl", TARGET, header={EXPORT_MARK: 2})
    assert "export format 2, but this planx reads 1" in merge(newer, "--into", tmp_path / "gold").output


def test_a_bad_gold_folder_names_its_file(tmp_path):
    folder = tmp_path / "gold"
    folder.mkdir()
    in_folder = {k: v for k, v in AREA.items() if k != "table"}
    (folder / "areas.jsonl").write_text(json.dumps({**in_folder, "responsible": "yes"}) + "\n", encoding="utf-8")
    result = merge(write_export(tmp_path / "a.jsonl", TARGET), "--into", folder)
    assert result.output == (f"Error: {folder / 'areas.jsonl'} line 1: responsible 'yes' is not a boolean; "
                             "correct that line (tests/gold/README.md gives the format)\n")


def test_prefer_must_name_an_export(tmp_path):
    a = write_export(tmp_path / "a.jsonl", TARGET)
    result = merge(a, "--into", tmp_path / "gold", "--prefer", tmp_path / "other.jsonl")
    assert result.output == f"Error: --prefer {tmp_path / 'other.jsonl'} names none of the exports; give first, last or one of {a}\n"


def test_the_bundled_gold_passes_the_checks():
    assert len(read_gold(GOLD)) == sum(len(load_gold(GOLD, table)) for table in FIELDS)


def test_check_record_keeps_booleans_out_of_numbers():
    record = {k: v for k, v in TARGET.items() if k != "table"}
    with pytest.raises(ExtractError, match="value True is not a number"):
        check_record("targets", {**record, "value": True}, "x line 1")
