"""The development corpus, its catalog and its gold hold together; evaluate scores it per genre.

The gold is the contract the figures in corpus/README.md rest on: a quote that no longer
stands in its document, a document without a catalog row or a floor for an unknown genre
would make those figures silently wrong.
"""

from __future__ import annotations

import csv
import json

import pytest
import yaml
from click.testing import CliRunner

from planx.pipeline import make_doc as load_document
from planx.cli import cli
from planx.evaluate import TABLES, load_gold
from planx.normalise import normalise_text

from .conftest import CORPUS, CORPUS_FILES, GOLD, ROOT

CATALOG = CORPUS / "catalog.csv"
FLOORS = GOLD / "floors.yaml"
GENRES = {"政府工作报告", "五年规划纲要", "专项规划", "实施方案/行动计划", "考核/评估办法", "意见/通知", "早期/噪声文本"}


@pytest.fixture(scope="module")
def catalog() -> list[dict]:
    with open(CATALOG, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_catalog_names_every_corpus_file_once(catalog):
    assert sorted(row["file"] for row in catalog) == sorted(path.name for path in CORPUS_FILES)
    assert all(row["doc_id"] == row["file"].rsplit(".", 1)[0] for row in catalog)
    assert {row["genre"] for row in catalog} == GENRES
    for row in catalog:
        assert row["source"] and row["level"] and row["year"].isdigit(), row["doc_id"]


def test_every_genre_has_two_documents(catalog):
    genres = [row["genre"] for row in catalog]
    assert all(genres.count(genre) >= 2 for genre in GENRES)


def test_gold_covers_every_document_and_only_those(catalog):
    docs = {row["doc_id"] for row in catalog}
    for table in TABLES:
        assert {g["doc"] for g in load_gold(GOLD, table)} <= docs, table
    assert {g["doc"] for g in load_gold(GOLD, "targets")} == docs


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    """Each document's text as its annotators saw it: a .txt as is, other formats as read."""
    return {p.stem: p.read_text(encoding="utf-8") if p.suffix == ".txt" else load_document(p).text
            for p in CORPUS_FILES}


@pytest.mark.parametrize("folder", ["gold", "gold-second"])
def test_every_quote_stands_in_its_document(texts, folder):
    for table in TABLES:
        for record in load_gold(ROOT / "tests" / folder, table):
            assert record["quote"] in texts[record["doc"]], (table, record)


def test_every_quote_stands_in_the_text_planx_reads(texts):
    """Rows' sentences come from the normalised text, so the scorer looks for the normalised quote."""
    normalised = {doc: load_document(next(p for p in CORPUS_FILES if p.stem == doc)).text for doc in texts}
    for table in ("areas", "agencies"):
        for record in load_gold(GOLD, table):
            assert normalise_text(record["quote"])[:12] in normalised[record["doc"]], record


def test_gold_records_have_the_spec_fields():
    required = {"targets": {"kind", "indicator", "value", "value_max", "unit", "comparator", "target_year",
                            "baseline_value", "baseline_year"},
                "deadlines": {"text", "kind", "start_year", "end_year"},
                "areas": {"area", "canonical", "level", "parent", "admin_code", "responsible"},
                "agencies": {"agency", "role"},
                "measures": {"section", "title"}}
    for table, fields in required.items():
        for record in load_gold(GOLD, table):
            assert {"doc", "quote", "optional"} | fields <= set(record), (table, record)


def test_floors_name_known_tables_and_genres():
    floors = yaml.safe_load(FLOORS.read_text(encoding="utf-8"))
    assert set(floors) <= GENRES | {"ALL"} and "ALL" in floors
    for tables in floors.values():
        assert set(tables) <= set(TABLES)
        assert all(0 <= value <= 1 for value in tables.values())


# --- evaluate on the corpus ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The corpus extracted once as CSV and once as Parquet."""
    base = tmp_path_factory.mktemp("corpus")
    for fmt in ("csv", "parquet"):
        result = CliRunner().invoke(cli, ["extract", str(CORPUS), "-o", str(base / fmt), "--format", fmt])
        assert result.exit_code == 0, result.output
    return base


def evaluate(*args: str) -> tuple[int, str]:
    """Exit code and standard output of ``planx evaluate``."""
    result = CliRunner().invoke(cli, ["evaluate", *args])
    return result.exit_code, result.stdout


def test_parquet_output_scores_as_csv_does(extracted):
    scores = {fmt: json.loads(evaluate(str(extracted / fmt), str(GOLD), "--format", "json")[1])
              for fmt in ("csv", "parquet")}
    for table in TABLES:
        assert scores["parquet"][table]["ALL"] == scores["csv"][table]["ALL"], table
    assert scores["csv"]["targets"]["ALL"]["tp"] > 0


def test_by_genre_lists_every_genre_and_the_total(extracted):
    code, output = evaluate(str(extracted / "csv"), str(GOLD), "--by", "genre", "--catalog", str(CATALOG))
    assert code == 0, output
    block = output.split("\n\n")[0]
    assert block.startswith("targets")
    assert {line.split()[0] for line in block.splitlines()[1:]} == GENRES | {"ALL"}
    data = json.loads(evaluate(str(extracted / "csv"), str(GOLD), "--by", "genre", "--catalog", str(CATALOG),
                               "--format", "json")[1])
    assert set(data["areas"]["groups"]) == GENRES


def test_corpus_meets_its_floors(extracted):
    code, output = evaluate(str(extracted / "csv"), str(GOLD), "--by", "genre", "--catalog", str(CATALOG),
                            "--floors", str(FLOORS))
    assert code == 0, output


def test_a_floor_above_the_figure_fails_with_its_name(extracted, tmp_path):
    floors = tmp_path / "floors.yaml"
    floors.write_text("ALL:\n  targets: 1.0\n意见/通知:\n  deadlines: 1.0\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate", str(extracted / "csv"), str(GOLD), "--catalog", str(CATALOG),
                                      "--floors", str(floors)])
    assert result.exit_code == 1
    assert "below the floor: ALL targets: F1 " in result.output
    assert "below the floor: 意见/通知 deadlines: F1 " in result.output


@pytest.mark.parametrize("content, message", [
    ("ALL:\n  target: 0.5\n", "ALL -> target: 0.5 is not a floor"),
    ("ALL:\n  targets: 2\n", "ALL -> targets: 2 is not a floor"),
    ("ALL: 0.5\n", "ALL must map table names to F1 floors"),
])
def test_a_bad_floors_file_is_one_line(extracted, tmp_path, content, message):
    floors = tmp_path / "floors.yaml"
    floors.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate", str(extracted / "csv"), str(GOLD), "--floors", str(floors)])
    assert result.exit_code == 1
    assert message in result.output and len(result.output.strip().splitlines()) == 1


def test_empty_gold_folder_is_an_error(extracted, tmp_path):
    result = CliRunner().invoke(cli, ["evaluate", str(extracted / "csv"), str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {tmp_path}: no gold rows")


def test_missing_catalog_is_one_line(extracted, tmp_path):
    result = CliRunner().invoke(cli, ["evaluate", str(extracted / "csv"), str(GOLD), "--by", "genre",
                                      "--catalog", str(tmp_path / "none.csv")])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {tmp_path / 'none.csv'}: cannot read the catalog")


# What each corpus document's text states about itself (title, issuer, issue or meeting
# date): read from the texts, by hand. The Suzhou plan and the national outline state no
# issuer or date, so theirs stay empty.
DOCUMENT_FACTS = {
    "baoding-work-report-2007": ("政府工作报告", "保定市人民政府", "2007-01-30"),
    "baoding-work-report-2023": ("2023年保定市政府工作报告", "保定市人民政府", "2023-01-30"),
    "china-11th-fyp-outline-2006": ("中华人民共和国国民经济和社会发展第十一个五年（2006—2010 年）规划纲要", "", ""),
    "gaoyang-work-report-2019": ("高阳县2019年政府工作报告", "高阳县人民政府", "2019-01-17"),
    "guangdong-work-report-2025": ("2025年广东省政府工作报告", "广东省人民政府", "2025-01-15"),
    "hebei-10th-fyp-report-2001": ("河北省2001年政府工作报告", "河北省人民政府", "2001-01-08"),
    "hebei-work-report-2022": ("2022年河北省政府工作报告", "河北省人民政府", "2022-01-17"),
    "jiangsu-quality-opinion-2016": ("江苏省人民政府关于加快质量发展的意见", "江苏省人民政府", "2016-07-07"),
    "national-employment-opinion-2018": ("国务院关于做好当前和今后一个时期促进就业工作的若干意见", "国务院", "2018-11-16"),
    "national-farm-machinery-opinion-2018": ("国务院关于加快推进农业机械化和农机装备产业转型升级的指导意见", "国务院", "2018-12-21"),
    "national-hospital-assessment-2019": ("国务院办公厅关于加强三级公立医院绩效考核工作的意见", "国务院办公厅", "2019-01-16"),
    "national-incentive-notice-2018": ("国务院办公厅关于对真抓实干成效明显地方进一步加大激励支持力度的通知", "国务院办公厅", "2018-12-06"),
    "national-sports-events-opinion-2018": ("国务院办公厅关于加快发展体育竞赛表演产业的指导意见", "国务院办公厅", "2018-12-11"),
    "national-vocational-education-plan-2019": ("国务院关于印发国家职业教育改革实施方案的通知", "国务院", "2019-01-24"),
    "national-zero-waste-plan-2018": ("国务院办公厅关于印发“无废城市”建设试点工作方案的通知", "国务院办公厅", "2018-12-29"),
    "suzhou-quality-plan-14fyp": ("苏州市“十四五”质量发展规划", "", ""),
}


def test_documents_row_has_the_title_issuer_and_date_the_text_states(corpus_extractions):
    """issue #14: documents.csv holds what each text states about itself, for every corpus document."""
    assert set(DOCUMENT_FACTS) == set(corpus_extractions)
    for doc_id, (title, issuer, issue_date) in DOCUMENT_FACTS.items():
        (row,) = corpus_extractions[doc_id].rows["documents"]
        assert (row["title"], row["issuer"], row["issue_date"]) == (title, issuer, issue_date), doc_id
