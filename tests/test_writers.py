"""Every export format: round trips, streaming in pieces, formula neutralising, atomic writes,
identical bytes for identical appends, flat memory, XLSX layout, DuckDB views, run.json, and a
CSV that LibreOffice reads back with its Chinese intact."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import time
import tracemalloc
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import ALL_TEMP_FILES
from openpyxl.writer.excel import ExcelWriter

import planx
from planx import ingest, rules, schema
from planx.dataset import COLUMNS, frame
from planx.evaluate import ATTRIBUTES
from planx.writers import (READERS, RUN_INFO, TABLE_FORMATS, WRITERS, build_run_info, neutralise_formulas, open_sink, read_tables,
                             write_run_info, write_tables)
from planx.writers import csv as csv_writer
from planx.writers import duckdb as duckdb_writer
from planx.writers import jsonl as jsonl_writer
from planx.writers import parquet as parquet_writer
from planx.writers import parquet_dataset as parquet_dataset_writer
from planx.writers import sink as sink_module
from planx.writers import xlsx as xlsx_writer
from planx.writers.common import typed
from planx.writers.runinfo import file_sha256

from .conftest import GOLD, ROOT, unavailable

SUZHOU = "suzhou-quality-plan-14fyp"
JIANGSU = "jiangsu-quality-opinion-2016"
FORMULA = '=HYPERLINK("http://example.com","点击查看")'
LONG_TEXT = ("全面实施质量强市战略，推进质量基础设施建设，" * 4) + "\n（责任单位：市市场监管局、市发改委）"

ROWS: dict[str, list[dict]] = {
    "documents": [
        {"doc_id": SUZHOU, "title": "苏州市“十四五”质量发展规划", "issuer": "苏州市人民政府", "issue_date": "2021-09-30",
         "period_start": 2021, "period_end": 2025, "region": "苏州市", "region_code": "320500",
         "source_path": f"corpus/{SUZHOU}.txt", "format": "txt", "sha256": "0a" * 32, "chars": 19402,
         "doc_number": "苏府〔2021〕120号"},
        {"doc_id": JIANGSU, "title": "江苏省人民政府关于加快质量发展的意见", "issuer": "江苏省人民政府",
         "issue_date": "2016-07-07", "period_start": 2016, "period_end": 2020, "region": "江苏省",
         "region_code": "320000", "source_path": f"corpus/{JIANGSU}.txt", "format": "txt", "sha256": "f" * 64,
         "chars": None, "doc_number": None},
    ],
    "targets": [
        {"doc_id": SUZHOU, "target_id": "T1", "kind": "target", "indicator": "森林覆盖率",
         "indicator_key": "forest_coverage", "value": 30.0, "value_max": None, "unit": "%", "comparator": ">=",
         "target_year": 2025, "baseline_value": 29.5, "baseline_year": 2020, "area": "苏州市", "measure_id": "M1",
         "section": "一、总体要求 > （二）发展目标",
         "sentence": "到2025年，森林覆盖率达到30%以上。", "start": 120, "end": 138, "rule": "targets.reach"},
        {"doc_id": SUZHOU, "target_id": "T2", "kind": "achieved", "indicator": "中国质量奖提名奖", "indicator_key": None,
         "value": 2.0, "value_max": None, "unit": "个", "comparator": "=", "target_year": 2020, "baseline_value": None,
         "baseline_year": None, "area": None, "measure_id": None, "section": "一、发展基础",
         "sentence": '共获得“中国质量奖”提名奖2个，\n"省长质量奖"16个, 位居全省前列', "start": 40, "end": 62,
         "rule": "targets.count"},
        {"doc_id": SUZHOU, "target_id": "T3", "kind": "target", "indicator": FORMULA, "indicator_key": None,
         "value": 3.5e8, "value_max": 4.25e8, "unit": "元", "comparator": "range", "target_year": None,
         "baseline_value": None, "baseline_year": None, "area": "苏州工业园区", "measure_id": "M2", "section": None,
         "sentence": "研发投入3.5亿—4.25亿元", "start": 900, "end": 915, "rule": "targets.range"},
        {"doc_id": JIANGSU, "target_id": "T1", "kind": "target", "indicator": "-1", "indicator_key": None,
         "value": -1.0, "value_max": None, "unit": "NA", "comparator": "~", "target_year": 2020, "baseline_value": None,
         "baseline_year": None, "area": None, "measure_id": None, "section": "二、主要目标",
         "sentence": "单位GDP能耗下降约1个百分点", "start": 300, "end": 314, "rule": "targets.change"},
    ],
    "deadlines": [
        {"doc_id": SUZHOU, "deadline_id": "D1", "text": "到2025年底前", "kind": "by", "start_year": None, "end_year": 2025,
         "measure_id": "M1", "section": "三、主要任务", "sentence": "到2025年底前完成。", "start": 500, "end": 508,
         "rule": "deadlines.by"},
        {"doc_id": JIANGSU, "deadline_id": "D1", "text": "“十三五”期间", "kind": "during", "start_year": 2016,
         "end_year": 2020, "measure_id": None, "section": None, "sentence": "“十三五”期间，质量总体水平显著提升。",
         "start": 10, "end": 17, "rule": "deadlines.plan_period"},
    ],
    "areas": [
        {"doc_id": SUZHOU, "area_id": "A1", "area": "园区", "canonical": "苏州工业园区", "level": "zone", "parent": "苏州市",
         "admin_code": "320571", "responsible": True, "measure_id": "M1", "section": "三、主要任务",
         "sentence": "（责任单位：园区、吴江区）", "start": 610, "end": 612, "rule": "areas.responsible"},
        {"doc_id": SUZHOU, "area_id": "A2", "area": "吴江区", "canonical": "吴江区", "level": "district", "parent": "苏州市",
         "admin_code": "320509", "responsible": False, "measure_id": "M1", "section": "三、主要任务",
         "sentence": "推动吴江区丝绸产业提质。", "start": 700, "end": 703, "rule": "areas.mention"},
        {"doc_id": JIANGSU, "area_id": "A1", "area": "苏南", "canonical": None, "level": None, "parent": None,
         "admin_code": None, "responsible": None, "measure_id": None, "section": None, "sentence": "苏南地区率先。",
         "start": 5, "end": 7, "rule": "areas.region"},
    ],
    "measures": [
        {"doc_id": SUZHOU, "measure_id": "M1", "section": "三、主要任务 > （一）实施质量强市战略", "title": "实施质量强市战略",
         "text": LONG_TEXT, "policy_tool": "environment", "start": 480, "end": 620, "rule": "measures.heading",
         "note": "@张三 审核"},
        {"doc_id": SUZHOU, "measure_id": "M2", "section": "三、主要任务 > （二）加大研发投入", "title": "加大研发投入",
         "text": "鼓励企业加大研发投入。", "policy_tool": None, "start": 880, "end": 940, "rule": "measures.heading",
         "note": None},
    ],
    "agencies": [
        {"doc_id": SUZHOU, "agency_id": "G1", "agency": "市市场监管局", "role": "lead", "measure_id": "M1",
         "section": "三、主要任务", "sentence": "（牵头单位：市市场监管局）", "start": 640, "end": 646, "rule": "agencies.lead"},
        {"doc_id": SUZHOU, "agency_id": "G2", "agency": "市发改委、市工信局", "role": "support", "measure_id": "M1",
         "section": "三、主要任务", "sentence": "（配合单位：市发改委、市工信局）", "start": 650, "end": 659,
         "rule": "agencies.support"},
    ],
    "errors": [
        {"source_path": "corpus/坏文件.docx", "error": "无法读取：文件为空 (0 bytes), 请检查"},
        {"source_path": "corpus/旧文件.doc", "error": "-未安装 LibreOffice"},
    ],
}

# Formats that a spreadsheet opens, so they keep the ' before formula-like text.
SPREADSHEET_FORMATS = {"csv", "xlsx"}


class Boom(Exception):
    """The failure injected in the middle of a write."""


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    return {name: frame(name, ROWS.get(name, [])) for name in COLUMNS}


def test_writers_cover_every_format():
    assert sorted(WRITERS) == sorted(READERS) == ["csv", "duckdb", "jsonl", "parquet", "parquet-dataset", "spacy", "xlsx"]
    assert list(TABLE_FORMATS) == ["csv", "duckdb", "jsonl", "parquet", "parquet-dataset", "xlsx"]


def test_a_doc_format_refuses_bare_tables(tmp_path, tables):
    with pytest.raises(ValueError, match="stores each document's Doc, not tables: write it with planx extract"):
        write_tables(tables, tmp_path, "spacy")


def test_sample_covers_every_contract_table():
    assert set(ROWS) == set(COLUMNS)


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_writers_round_trip(tmp_path, tables, fmt):
    write_tables(tables, tmp_path, fmt)
    back = read_tables(tmp_path, fmt)
    assert set(back) == set(tables)
    for name, df in tables.items():
        expected = neutralise_formulas(df) if fmt in SPREADSHEET_FORMATS else df
        pd.testing.assert_frame_equal(back[name], expected, obj=f"{fmt}:{name}")


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_writers_keep_formula_like_text_as_data(tmp_path, tables, fmt):
    write_tables(tables, tmp_path, fmt)
    targets = read_tables(tmp_path, fmt)["targets"].set_index("target_id")
    prefix = "'" if fmt in SPREADSHEET_FORMATS else ""
    suzhou, jiangsu = targets[targets.doc_id == SUZHOU], targets[targets.doc_id == JIANGSU]
    assert suzhou.loc["T3", "indicator"] == prefix + FORMULA
    assert suzhou.loc["T2", "comparator"] == "="
    assert jiangsu.loc["T1", "indicator"] == "-1"
    assert jiangsu.loc["T1", "unit"] == "NA"


@pytest.mark.parametrize("cell, expected", [
    ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
    ("+86 512 6522", "'+86 512 6522"),
    ("@张三", "'@张三"),
    ("-未安装", "'-未安装"),
    ("-1", "-1"),
    ("-1.5", "-1.5"),
    ("=", "="),
    ("-", "-"),
    (">=", ">="),
    ("森林覆盖率", "森林覆盖率"),
    (None, None),
])
def test_neutralise_formulas(cell, expected):
    df = pd.DataFrame({"text": [cell], "number": [-1.0]}).astype({"text": "string", "number": "Float64"})
    out = neutralise_formulas(df)
    assert out["text"].equals(pd.Series([expected], dtype="string"))
    assert out["number"].equals(df["number"])


def test_jsonl_writes_plain_json(tmp_path, tables):
    write_tables(tables, tmp_path, "jsonl")
    lines = (tmp_path / "targets.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(ROWS["targets"])
    assert '"indicator": "森林覆盖率"' in lines[0]
    assert '"target_year": 2025,' in lines[0]
    assert '"value_max": null' in lines[0]
    assert json.loads(lines[1])["sentence"] == ROWS["targets"][1]["sentence"]


def test_csv_starts_with_bom(tmp_path, tables):
    write_tables(tables, tmp_path, "csv")
    data = (tmp_path / "documents.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "苏州市“十四五”质量发展规划".encode() in data


def test_xlsx_sheets_have_frozen_header_and_widths(tmp_path, tables):
    (path,) = write_tables(tables, tmp_path, "xlsx")
    assert path.name == "planx.xlsx"
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == [*tables, xlsx_writer.COLUMNS_SHEET]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(sheet.column_dimensions[cell.column_letter].width for cell in sheet[1])
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    targets = workbook["targets"]
    widths = {cell.value: targets.column_dimensions[cell.column_letter].width for cell in targets[1]}
    assert widths["doc_id"] == len(JIANGSU) + 2
    assert widths["area"] == xlsx_writer.display_width("苏州工业园区") + 2 == 14
    assert widths["start"] == len("start") + 2
    measures = workbook["measures"]
    text_column = next(cell.column_letter for cell in measures[1] if cell.value == "text")
    assert measures.column_dimensions[text_column].width == 60


@pytest.mark.parametrize("text, width", [
    ("abc", 3),
    ("苏州", 4),
    ("ＡＢ", 4),
    ("苏州\nabcdefgh", 8),
    ("森" * 40, 60),
    ("", 0),
])
def test_display_width(text, width):
    assert xlsx_writer.display_width(text) == width


def test_xlsx_drops_characters_excel_cannot_hold(tmp_path):
    df = frame("errors", [{"source_path": "a.pdf", "error": "第一页\x0c第二页\t完"},
                          {"source_path": "b.pdf", "error": "\x07=1+1"}])
    write_tables({"errors": df}, tmp_path, "xlsx")
    assert read_tables(tmp_path, "xlsx")["errors"]["error"].tolist() == ["第一页第二页\t完", "'=1+1"]


def test_xlsx_never_writes_a_formula(tmp_path, monkeypatch):
    # Without neutralising, text starting with "=" must still be stored as text.
    monkeypatch.setattr(xlsx_writer, "neutralise_formulas", lambda df: df)
    write_tables({"errors": frame("errors", [{"source_path": "a.pdf", "error": FORMULA}])}, tmp_path, "xlsx")
    cell = openpyxl.load_workbook(tmp_path / "planx.xlsx")["errors"]["B2"]
    assert (cell.data_type, cell.value) == ("s", FORMULA)


def test_duckdb_views_join_tables(tmp_path, tables):
    (path,) = write_tables(tables, tmp_path, "duckdb")
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute("SELECT doc_id, target_id, document_title, region, period_start, period_end "
                           "FROM targets_with_documents ORDER BY doc_id, target_id").fetchall()
        assert rows == [
            (JIANGSU, "T1", "江苏省人民政府关于加快质量发展的意见", "江苏省", 2016, 2020),
            *[(SUZHOU, t, "苏州市“十四五”质量发展规划", "苏州市", 2021, 2025) for t in ("T1", "T2", "T3")],
        ]
        rows = con.execute("SELECT doc_id, target_id, measure_title, policy_tool "
                           "FROM targets_with_measures ORDER BY doc_id, target_id").fetchall()
        assert rows == [(JIANGSU, "T1", None, None), (SUZHOU, "T1", "实施质量强市战略", "environment"),
                        (SUZHOU, "T2", None, None), (SUZHOU, "T3", "加大研发投入", None)]
        assert con.execute("SELECT area_id, canonical FROM responsible_areas").fetchall() == [("A1", "苏州工业园区")]


def test_duckdb_skips_views_whose_tables_are_missing(tmp_path, tables):
    (path,) = write_tables({"areas": tables["areas"]}, tmp_path, "duckdb")
    with duckdb.connect(str(path), read_only=True) as con:
        views = {row[0] for row in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert views == {"responsible_areas"}


def _fail_after(real):
    """``real``, then raise: the data is written but not yet renamed into place."""

    def wrapper(*args, **kwargs):
        real(*args, **kwargs)
        raise Boom

    return wrapper


def _inject_failure(fmt: str, monkeypatch) -> type[Exception]:
    """Make the next ``fmt`` write fail as it finishes, all data written; returns what it raises."""
    if fmt == "duckdb":
        # A view is created after every table: the database is full when it fails.
        monkeypatch.setitem(duckdb_writer.VIEWS, "broken", ({"targets"}, "SELECT no_such_column FROM targets"))
        return duckdb.Error
    if fmt == "xlsx":
        monkeypatch.setattr(ExcelWriter, "save", _fail_after(ExcelWriter.save))
        return Boom
    if fmt == "parquet-dataset":
        # The last table's part fails as it is written, every other table complete by then.
        real_write, written = parquet_dataset_writer.pq.write_table, []

        def write_table(*args, **kwargs):
            written.append(real_write(*args, **kwargs))
            if len(written) == len(COLUMNS):
                raise Boom

        monkeypatch.setattr(parquet_dataset_writer.pq, "write_table", write_table)
        return Boom
    # The last file fails as it closes, every other one complete by then: none may be renamed.
    table_file = {"csv": csv_writer, "parquet": parquet_writer, "jsonl": jsonl_writer}[fmt].TableFile
    real_close, closed = table_file.close, []

    def close(self):
        real_close(self)
        closed.append(self)
        if len(closed) == len(COLUMNS):
            raise Boom

    monkeypatch.setattr(table_file, "close", close)
    return Boom


def _snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory``, temporaries included, with its bytes."""
    return {path.relative_to(directory).as_posix(): path.read_bytes() for path in directory.rglob("*") if path.is_file()}


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_failed_write_leaves_no_file(tmp_path, monkeypatch, tables, fmt):
    error = _inject_failure(fmt, monkeypatch)
    with pytest.raises(error):
        write_tables(tables, tmp_path, fmt)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_failed_write_keeps_the_previous_files(tmp_path, monkeypatch, tables, fmt):
    write_tables(tables, tmp_path, fmt)
    before = _snapshot(tmp_path)
    error = _inject_failure(fmt, monkeypatch)
    with pytest.raises(error):
        write_tables({name: df.iloc[:0] for name, df in tables.items()}, tmp_path, fmt)
    assert _snapshot(tmp_path) == before


def _pieces(tables: dict[str, pd.DataFrame]) -> list[dict[str, pd.DataFrame]]:
    """The sample as the batch engine hands it over: each document's rows, then the rest.

    Jiangsu comes first, so the first targets and areas frames have all-null columns and the
    first measures frame is empty; agencies are never appended; a table outside the contract,
    compare, comes in two pieces, the second without one of its columns.
    """
    per_document = [{name: df[df.doc_id == doc] for name, df in tables.items() if name not in {"agencies", "errors"}}
                    for doc in (JIANGSU, SUZHOU)]
    compare = pd.DataFrame({"indicator_group": ["森林覆盖率", FORMULA], "value": [30.0, None], "year": [2025, None]})
    compare = compare.astype({"indicator_group": "string", "value": "Float64", "year": "Int64"})
    return [*per_document, {"errors": tables["errors"], "compare": compare.iloc[:1]},
            {"compare": compare.iloc[1:][["indicator_group", "year"]]}]


def _stream(directory: Path, fmt: str, pieces: list[dict[str, pd.DataFrame]]):
    """Append ``pieces`` one by one to a sink on ``directory``; returns the closed sink."""
    with open_sink(directory, fmt) as sink:
        for piece in pieces:
            sink.append(piece)
    return sink


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_sink_round_trip_over_several_appends(tmp_path, monkeypatch, tables, fmt):
    # A batch per append: the later pieces go to files that the first one started.
    monkeypatch.setattr(sink_module, "BATCH_FRAMES", 1)
    pieces = _pieces(tables)
    sink = _stream(tmp_path, fmt, pieces)
    names = [*COLUMNS, "compare"]
    back = read_tables(tmp_path, fmt)
    assert set(back) == set(names)
    for name in names:
        frames = [piece[name] for piece in pieces if name in piece]
        expected = typed(name, pd.concat(frames, ignore_index=True)) if frames else frame(name, [])
        expected = neutralise_formulas(expected) if fmt in SPREADSHEET_FORMATS else expected
        pd.testing.assert_frame_equal(back[name], expected, obj=f"{fmt}:{name}")
    assert sink.counts == {name: sum(len(piece.get(name, ())) for piece in pieces) for name in names}
    per_table = {"csv": ".csv", "jsonl": ".jsonl", "parquet": ".parquet", "parquet-dataset": ""}
    expected_paths = {f"{name}{per_table[fmt]}" for name in names} if fmt in per_table else {f"planx.{fmt}"}
    assert {path.name for path in sink.paths} == expected_paths
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(expected_paths)


def test_sink_keeps_the_dtypes_of_a_table_outside_the_contract(tmp_path, tables):
    _stream(tmp_path, "parquet", _pieces(tables))
    compare = pd.read_parquet(tmp_path / "compare.parquet", dtype_backend="numpy_nullable")
    assert compare.dtypes.astype(str).to_dict() == {"indicator_group": "string", "value": "Float64", "year": "Int64"}
    assert compare["year"].tolist() == [2025, pd.NA]


def test_sink_refuses_a_column_its_table_did_not_start_with(tmp_path, tables):
    with pytest.raises(ValueError, match="Table 'errors': column 'note' is not among the columns its first frame"):
        with open_sink(tmp_path, "csv") as sink:
            sink.append({"errors": tables["errors"]})
            sink.append({"errors": tables["errors"].assign(note="x")})
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("previous", [False, True], ids=["empty", "previous"])
@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_failed_stream_leaves_the_directory_as_it_was(tmp_path, monkeypatch, tables, fmt, previous):
    if previous:
        write_tables(tables, tmp_path, fmt)
    before = _snapshot(tmp_path)
    sheet_files = list(ALL_TEMP_FILES)
    # A batch per append: the pieces before the failure are already in the temporaries.
    monkeypatch.setattr(sink_module, "BATCH_FRAMES", 1)
    with pytest.raises(Boom), open_sink(tmp_path, fmt) as sink:
        for piece in _pieces(tables)[:2]:
            sink.append(piece)
        # Written so far: temporaries in the directory, or openpyxl's sheet files for XLSX.
        assert _snapshot(tmp_path).keys() - before.keys() or ALL_TEMP_FILES != sheet_files
        raise Boom
    assert _snapshot(tmp_path) == before
    # openpyxl streams write-only sheets to files of its own, outside the directory.
    assert ALL_TEMP_FILES == sheet_files


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_same_appends_write_the_same_files(tmp_path, monkeypatch, tables, fmt):
    first = _stream(tmp_path / "first", fmt, _pieces(tables))
    # A day later by the clock: no time of writing may reach the files.
    now = time.time
    monkeypatch.setattr(time, "time", lambda: now() + 86_400)
    second = _stream(tmp_path / "second", fmt, _pieces(tables))
    if fmt == "duckdb":
        # Its file header holds a random database identifier; the rows are what must agree.
        first_tables, second_tables = read_tables(first.directory, fmt), read_tables(second.directory, fmt)
        assert first_tables.keys() == second_tables.keys()
        for name, df in first_tables.items():
            pd.testing.assert_frame_equal(df, second_tables[name], obj=name)
        return
    assert _snapshot(first.directory) == _snapshot(second.directory)
    if fmt == "xlsx":
        with zipfile.ZipFile(second.paths[0]) as archive:
            assert {member.date_time for member in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
            assert b"<dcterms:modified" in archive.read("docProps/core.xml")
            assert archive.read("docProps/core.xml").count(b">1980-01-01T00:00:00Z<") == 2


def test_xlsx_streamed_sheet_sizes_its_columns_on_the_first_batch(tmp_path, monkeypatch, tables):
    monkeypatch.setattr(sink_module, "BATCH_FRAMES", 1)
    _stream(tmp_path, "xlsx", _pieces(tables))
    workbook = openpyxl.load_workbook(tmp_path / "planx.xlsx")
    assert workbook.sheetnames == [*COLUMNS, "compare", xlsx_writer.COLUMNS_SHEET]
    targets = workbook["targets"]
    assert targets.freeze_panes == "A2"
    assert targets.auto_filter.ref == f"A1:{get_column_letter(len(COLUMNS['targets']))}{len(ROWS['targets']) + 1}"
    widths = {cell.value: targets.column_dimensions[cell.column_letter].width for cell in targets[1]}
    # The first batch is Jiangsu's one target, without an area; Suzhou's 苏州工业园区 came later.
    assert widths["doc_id"] == len(JIANGSU) + 2
    assert widths["area"] == len("area") + 2


def _peak_memory(directory: Path, fmt: str, documents: int) -> int:
    """Peak Python memory, in bytes, while ``documents`` one-document frames stream to a sink."""
    # The two-column errors table: the sink's costs are per frame and column, and a test of
    # thousands of appends has to stay quick.
    errors = frame("errors", ROWS["errors"])
    tracemalloc.start()
    try:
        with open_sink(directory, fmt) as sink:
            baseline = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            for number in range(documents):
                # A new frame each time, as the batch engine builds one per document.
                sink.append({"errors": errors[number % len(errors):][:1]})
        return tracemalloc.get_traced_memory()[1] - baseline
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_sink_memory_does_not_grow_with_the_documents(tmp_path, fmt):
    few = _peak_memory(tmp_path / "few", fmt, 200)
    many = _peak_memory(tmp_path / "many", fmt, 2_000)
    # Ten times the frames: holding them all would take some ten times the memory (measured:
    # about 0.5 MB flat in both runs, against 6.8 MB when the 2,000 frames are kept).
    assert many < 2 * few, (few, many)


def test_unknown_format_is_refused(tmp_path, tables):
    with pytest.raises(ValueError, match=r"Unknown format 'xls'; expected one of \['csv', 'duckdb'"):
        write_tables(tables, tmp_path, "xls")
    with pytest.raises(ValueError, match="Unknown format 'xls'"):
        read_tables(tmp_path, "xls")


def test_run_info_records_the_run(tmp_path, tables):
    source = tmp_path / "苏州规划.txt"
    source.write_text("一、总体要求\n到2025年，森林覆盖率达到30%。\n", encoding="utf-8")
    started = datetime(2024, 5, 1, 8, 0, tzinfo=timezone.utc)
    finished = datetime(2024, 5, 1, 8, 0, 2, 500000, tzinfo=timezone.utc)
    inputs = [(source, file_sha256(source)), (tmp_path / "gone.docx", file_sha256(tmp_path / "gone.docx"))]
    info = build_run_info(inputs, {name: len(df) for name, df in tables.items()}, started, finished,
                          fmt="parquet", errors=ROWS["errors"], reused=1)
    path = write_run_info(tmp_path / "out", info)
    assert path == tmp_path / "out" / RUN_INFO
    text = path.read_text(encoding="utf-8")
    assert "苏州规划" in text
    assert json.loads(text) == {
        "planx_version": planx.__version__,
        "rules_hash": rules.rules_hash(),
        "format": "parquet",
        "started": "2024-05-01T08:00:00+00:00",
        "finished": "2024-05-01T08:00:02.500000+00:00",
        "seconds": 2.5,
        "inputs": [{"path": str(source), "sha256": hashlib.sha256(source.read_bytes()).hexdigest()},
                   {"path": str(tmp_path / "gone.docx"), "sha256": None}],
        "counts": {name: len(ROWS[name]) for name in COLUMNS},
        "reused": 1,
        "errors": ROWS["errors"],
    }


def test_failed_run_info_write_leaves_no_file(tmp_path, monkeypatch):
    real = Path.write_text

    def half_then_fail(self, data, *args, **kwargs):
        real(self, data[: len(data) // 2], *args, **kwargs)
        raise Boom

    monkeypatch.setattr(Path, "write_text", half_then_fail)
    with pytest.raises(Boom):
        write_run_info(tmp_path, {"planx_version": planx.__version__, "errors": []})
    assert list(tmp_path.iterdir()) == []


def _libreoffice_calc() -> str:
    """The ``soffice`` command, skipping the test when it or its spreadsheet part is missing."""
    soffice = shutil.which("soffice")
    if not soffice:
        unavailable("needs LibreOffice: apt-get install libreoffice-calc-nogui")
    program = Path(soffice).resolve().parent
    # Debian splits Calc from Writer (libreoffice-calc-nogui); without it CSV cannot be opened.
    if not any((program / name).exists() for name in ("libsclo.so", "libsclo.dylib", "sclo.dll")):
        unavailable("needs LibreOffice Calc: apt-get install libreoffice-calc-nogui")
    return soffice


def test_libreoffice_reads_csv_chinese_intact(tmp_path, tables):
    soffice = _libreoffice_calc()
    write_tables(tables, tmp_path, "csv")
    out = tmp_path / "converted"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         # 44 = comma, 34 = double quote, 76 = UTF-8, 1 = start at the first line.
         "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", str(out), str(tmp_path / "targets.csv")],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    sheet = openpyxl.load_workbook(out / "targets.xlsx").active
    header = [cell.value for cell in sheet[1]]
    assert header == COLUMNS["targets"]
    rows = [dict(zip(header, values)) for values in sheet.iter_rows(min_row=2, values_only=True)]
    assert [row["sentence"] for row in rows] == [row["sentence"] for row in ROWS["targets"]]
    assert [row["section"] for row in rows] == [row["section"] for row in ROWS["targets"]]
    assert rows[2]["indicator"] == "'" + FORMULA
    assert rows[1]["comparator"] == "="
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


# The schema: one source for the columns, the docs page, DuckDB's comments, the XLSX "columns"
# sheet and the Parquet types.

DOCS_PAGE = ROOT / "docs" / "columns.md"
#: The contract, as DESIGN.md fixes it, with the columns planx adds after it (doc_number,
#: value_text): a schema edit that renames or moves a column fails here.
CONTRACT = {
    "documents": ["doc_id", "title", "issuer", "issue_date", "period_start", "period_end", "region", "region_code",
                  "source_path", "format", "sha256", "chars", "doc_number"],
    "targets": ["doc_id", "target_id", "kind", "indicator", "indicator_key", "value", "value_max", "unit", "comparator",
                "target_year", "baseline_value", "baseline_year", "area", "measure_id", "section", "sentence", "start",
                "end", "rule", "value_text"],
    "deadlines": ["doc_id", "deadline_id", "text", "kind", "start_year", "end_year", "measure_id", "section", "sentence",
                  "start", "end", "rule"],
    "areas": ["doc_id", "area_id", "area", "canonical", "level", "parent", "admin_code", "responsible", "measure_id",
              "section", "sentence", "start", "end", "rule"],
    "measures": ["doc_id", "measure_id", "section", "title", "text", "policy_tool", "start", "end", "rule"],
    "agencies": ["doc_id", "agency_id", "agency", "role", "measure_id", "section", "sentence", "start", "end", "rule"],
    "errors": ["source_path", "error"],
}


def _gold_rows(table: str) -> list[dict]:
    """Every gold row of ``table``, from both annotators' folders."""
    paths = [GOLD / f"{table}.jsonl", ROOT / "tests" / "gold-second" / f"{table}.jsonl"]
    return [json.loads(line) for path in paths if path.exists()
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_columns_page_is_what_the_schema_generates():
    generated = subprocess.run([sys.executable, "-m", "planx.schema"], cwd=ROOT, capture_output=True, check=True).stdout
    committed = DOCS_PAGE.read_bytes() if DOCS_PAGE.exists() else b""
    assert committed == generated, f"docs/columns.md is not what extract/schema.yaml gives; run `{schema.DOCS_COMMAND}`"


def test_schema_has_a_table_for_every_contract_table_and_no_other():
    assert list(schema.tables()) == list(COLUMNS) == list(CONTRACT)


@pytest.mark.parametrize("table", CONTRACT)
def test_schema_documents_every_contract_column_and_no_other(table):
    entries = schema.tables()[table].columns
    assert [column.name for column in entries] == COLUMNS[table] == CONTRACT[table]
    for column in entries:
        assert column.meaning.endswith("."), column
        assert not column.values or column.type == "string", column
    # The frames' dtypes are the schema's types.
    assert frame(table, []).dtypes.astype(str).tolist() == [schema.PANDAS_DTYPES[c.type] for c in entries]


@pytest.mark.parametrize("raw, message", [
    ({"errors": {"meaning": "m.", "columns": {"error": {"type": "text", "meaning": "m."}}}},
     "errors.error has type 'text'; give one of string, integer, number, boolean, date"),
    ({"errors": {"meaning": "m.", "columns": {"error": {"type": "string"}}}},
     "errors.error has no meaning; give it one sentence"),
    ({"areas": {"meaning": "m.", "columns": {"responsible": {"type": "string", "meaning": "m.", "values": {True: "m"}}}}},
     "areas.responsible has the value True, which YAML reads as no text; quote it"),
    ({"documents": {"meaning": "m.", "columns": {"start": {"type": "integer", "meaning": "m."}}},
      "measures": {"meaning": "m.", "columns": {"start": {"type": "number", "meaning": "m."}}}},
     "measures.start is number but documents.start is integer; give columns of one name one type"),
], ids=["unknown type", "no meaning", "value not text", "two types for one name"])
def test_a_malformed_schema_is_one_line_naming_the_column(raw, message):
    with pytest.raises(schema.SchemaError) as error:
        schema.parse_tables(raw)
    assert str(error.value) == f"{schema.SCHEMA_FILE}: {message}"


@pytest.mark.parametrize("table, column, in_use", [
    ("targets", "kind", lambda: {row["kind"] for row in _gold_rows("targets")}),
    ("targets", "comparator", lambda: {*rules.load("quantities")["comparators_before"],
                                       *rules.load("quantities")["comparators_after"], "=", "range"}),
    ("deadlines", "kind", lambda: {pattern.get(key) for pattern in rules.load("time")["patterns"]
                                   for key in ("kind", "future_kind")} - {None, "point"}),
    ("areas", "level", lambda: {row["level"] for name in ("gazetteer/divisions.csv", "gazetteer/additions.csv")
                                for row in rules.load(name)}),
    ("agencies", "role", lambda: {entry["role"] for entry in rules.load("agencies")["roles"]}),
    ("measures", "policy_tool", lambda: set(rules.load("policy_tools")["tools"])),
    ("documents", "format", lambda: set(ingest.MAX_BYTES)),
], ids=lambda value: value if isinstance(value, str) else "")
def test_schema_values_are_the_ones_the_rules_give(table, column, in_use):
    assert set(schema.tables()[table].column(column).values) == in_use()


def test_every_closed_column_is_checked_against_the_rules():
    closed = {(table.name, column.name) for table in schema.tables().values() for column in table.columns
              if column.values}
    assert closed == {("targets", "kind"), ("targets", "comparator"), ("deadlines", "kind"), ("areas", "level"),
                      ("agencies", "role"), ("measures", "policy_tool"), ("documents", "format")}


@pytest.mark.parametrize("table", [name for name in CONTRACT if name in ATTRIBUTES])
def test_gold_and_evaluate_use_the_schema_columns_and_values(table):
    entries = {column.name: column for column in schema.tables()[table].columns}
    assert set(ATTRIBUTES[table]) <= set(entries)
    rows = _gold_rows(table)
    assert rows
    for column in (c for c in entries.values() if c.values):
        used = {row.get(column.name) for row in rows} - {None, ""}
        assert used <= set(column.values), column.name


def test_extracted_rows_use_only_allowed_values_and_real_dates(corpus_extractions):
    for extraction in corpus_extractions.values():
        for table, rows in extraction.rows.items():
            closed = [column for column in schema.tables()[table].columns if column.values]
            for row in rows:
                for column in closed:
                    assert row.get(column.name) in (None, "", *column.values), (table, column.name, row)
        for row in extraction.rows["documents"]:
            # Parquet and DuckDB store dates: text that names no day would be lost there.
            assert not row["issue_date"] or date.fromisoformat(row["issue_date"]), row


def test_duckdb_comments_every_contract_table_and_column(tmp_path, tables):
    (path,) = write_tables(tables, tmp_path, "duckdb")
    with duckdb.connect(str(path), read_only=True) as con:
        table_comments = dict(con.execute("SELECT table_name, comment FROM duckdb_tables()").fetchall())
        columns = {(table, column): (type_, comment) for table, column, type_, comment in con.execute(
            "SELECT table_name, column_name, data_type, comment FROM duckdb_columns()").fetchall()}
    assert table_comments == {name: table.meaning for name, table in schema.tables().items()}
    for table in schema.tables().values():
        for column in table.columns:
            comment = columns[table.name, column.name][1]
            assert comment.startswith(column.meaning), (table.name, column.name)
            assert column.values_text("; ") in comment, (table.name, column.name)
    assert columns["targets", "kind"][1] == ("Whether the value is one to reach or one already reached. Allowed values: "
                                             "target: a value to reach (到2025年，森林覆盖率达到30%以上); "
                                             "achieved: a result reported, as in a review chapter (共获得“中国质量奖”提名奖2个).")
    # A column outside the contract has no entry, so no comment.
    assert columns["measures", "note"] == ("VARCHAR", None)
    assert columns["documents", "issue_date"][0] == "DATE"


def test_duckdb_issue_date_is_a_date(tmp_path, tables):
    (path,) = write_tables(tables, tmp_path, "duckdb")
    with duckdb.connect(str(path), read_only=True) as con:
        dates = con.execute("SELECT issue_date FROM documents ORDER BY issue_date").fetchall()
    assert dates == [(date(2016, 7, 7),), (date(2021, 9, 30),)]


def test_xlsx_columns_sheet_documents_every_contract_column(tmp_path, tables):
    write_tables(tables, tmp_path, "xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "planx.xlsx")[xlsx_writer.COLUMNS_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("table", "column", "type", "meaning", "allowed values")
    assert [row[:2] for row in rows[1:]] == [(table, column) for table, columns in CONTRACT.items() for column in columns]
    by_column = {row[:2]: row[2:] for row in rows[1:]}
    assert by_column["documents", "issue_date"] == ("date", schema.tables()["documents"].column("issue_date").meaning,
                                                    None)
    assert by_column["targets", "comparator"][2].splitlines() == [
        ">=: at least (不低于, 以上)", ">: more than (超过, 16万余件)", "<=: at most (不超过, 控制在, 以内)",
        "<: less than (低于, 不足)", "=: exactly the value (达到30%)", "range: between value and value_max (3.5亿—4.25亿元)",
        "~: about the value (约, 左右)"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert xlsx_writer.COLUMNS_SHEET not in read_tables(tmp_path, "xlsx")


@pytest.mark.parametrize("names, documented", [
    (["errors"], ["errors"]),
    (["compare", "areas"], ["areas"]),
    (["compare"], []),
], ids=["one table", "with a table outside the contract", "no contract table"])
def test_xlsx_columns_sheet_documents_the_tables_written(tmp_path, tables, names, documented):
    compare = pd.DataFrame({"indicator_group": pd.array(["森林覆盖率"], dtype="string")})
    write_tables({name: compare if name == "compare" else tables[name] for name in names}, tmp_path, "xlsx")
    workbook = openpyxl.load_workbook(tmp_path / "planx.xlsx")
    if not documented:
        assert workbook.sheetnames == names
        return
    assert workbook.sheetnames == [*names, xlsx_writer.COLUMNS_SHEET]
    rows = workbook[xlsx_writer.COLUMNS_SHEET].iter_rows(min_row=2, values_only=True)
    assert [row[:2] for row in rows] == [(name, column) for name in documented for column in CONTRACT[name]]


def test_xlsx_refuses_a_table_named_like_the_columns_sheet(tmp_path, tables):
    with pytest.raises(ValueError, match="Table 'columns': in XLSX that sheet documents the columns"):
        write_tables({"columns": tables["errors"]}, tmp_path, "xlsx")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt, documents", [("parquet", "documents.parquet"), ("parquet-dataset", "documents")])
def test_parquet_stores_issue_date_as_a_date(tmp_path, tables, fmt, documents):
    write_tables(tables, tmp_path, fmt)
    stored = pq.read_table(tmp_path / documents)
    assert stored.schema.field("issue_date").type == pa.date32()
    assert stored.column("issue_date").to_pylist() == [date(2021, 9, 30), date(2016, 7, 7)]
    back = read_tables(tmp_path, fmt)["documents"]["issue_date"]
    assert back.dtype == "string"
    assert back.tolist() == ["2021-09-30", "2016-07-07"]


@pytest.mark.parametrize("written", ["", "2021-02-30", "2021年9月", None])
@pytest.mark.parametrize("fmt", ["parquet", "parquet-dataset", "duckdb"])
def test_a_date_that_names_no_day_is_stored_as_null(tmp_path, fmt, written):
    write_tables({"documents": frame("documents", [{"doc_id": SUZHOU, "issue_date": written}])}, tmp_path, fmt)
    assert read_tables(tmp_path, fmt)["documents"]["issue_date"].isna().all()
