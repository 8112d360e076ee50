"""planx compare: the bundled corpus lined up, ratio semantics on small hand-made tables, the
terminal table and the command in several formats."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from planx.api import run
from planx.cli import cli
from planx.comparison import COLUMNS, compare, render
from planx.dataset import frame
from planx.indicator_keys import key_targets
from planx.writers import write_tables
from planx.writers.xlsx import display_width

from .conftest import ROOT, SEED_FILES

JIANGSU, SUZHOU = "jiangsu-quality-opinion-2016", "suzhou-quality-plan-14fyp"


@pytest.fixture(scope="module")
def corpus_tables():
    tables = run(SEED_FILES)  # the Suzhou plan against its province's opinion
    # Until extract_document keys targets itself, key them here as it will.
    rows = tables["targets"].astype(object).where(tables["targets"].notna(), None).to_dict("records")
    key_targets(rows)
    tables["targets"] = frame("targets", rows)
    return tables


@pytest.fixture(scope="module")
def corpus_compare(corpus_tables):
    return compare(corpus_tables)


def _rows(table: pd.DataFrame, **where) -> pd.DataFrame:
    mask = pd.Series(True, index=table.index)
    for column, value in where.items():
        mask &= table[column] == value
    return table[mask]


# Group (and Jiangsu's key), Jiangsu's target for 2020, Suzhou's reported 十三五 result,
# Suzhou's targets for 2025 (none for the index).
LINEUP = [
    ("中国质量奖", 2, 2, {6}),
    ("鲁班奖", 25, 7, {22}),
    ("检验检测国家级中心", 50, 15, {20}),
    ("国家标准", 500, 3404, {500, 2500}),
    ("制造业质量竞争力指数", 88, 92.51, set()),
]


@pytest.mark.parametrize("group, jiangsu, achieved, targets", LINEUP, ids=[g for g, *_ in LINEUP])
def test_compare_corpus_lines_up_province_and_city(corpus_compare, group, jiangsu, achieved, targets):
    rows = _rows(corpus_compare, indicator_group=group)
    province = _rows(rows, indicator_key=group, doc_id=JIANGSU, kind="target", year=2020)
    assert list(province["value"]) == [jiangsu] and set(province["level"]) == {"province"}
    result = _rows(rows, doc_id=SUZHOU, kind="achieved", year=2020)
    assert list(result["value"]) == [achieved] and set(result["level"]) == {"city"}
    assert set(_rows(rows, doc_id=SUZHOU, kind="target", year=2025)["value"]) == targets


def test_compare_corpus_ratios_only_within_one_key(corpus_compare):
    achieved = _rows(corpus_compare, doc_id=SUZHOU, kind="achieved").set_index("indicator_key")
    assert achieved.loc["检验检测国家级中心", "attainment_ratio"] == 0.3
    assert achieved.loc["检验检测国家级中心", "reference_relation"] == "parent region"
    # 7 项 against 25 个: both counting words, so the units compare.
    assert achieved.loc["鲁班奖", "attainment_ratio"] == 0.28
    assert achieved.loc["制造业质量竞争力指数", "attainment_ratio"] == round(92.51 / 88, 4)
    assert achieved.loc["制造业质量竞争力指数", "year_basis"] == "before plan"
    standards = _rows(corpus_compare, indicator_group="国家标准")
    assert standards[["escalation_ratio", "attainment_ratio"]].isna().all().all()


def test_compare_corpus_merges_a_target_stated_twice(corpus_compare):
    row = _rows(corpus_compare, doc_id=SUZHOU, kind="target", indicator_key="检验检测国家级中心").squeeze()
    assert row["baseline_value"] == 15
    assert row["indicator"] == "检验检测国家级中心 | 累计建成各类检验检测国家级中心"
    assert len(row["target_ids"].split()) == 2


def test_compare_columns(corpus_compare):
    assert list(corpus_compare.columns) == COLUMNS
    assert str(corpus_compare["escalation_ratio"].dtype) == "Float64"
    assert str(corpus_compare["year"].dtype) == "Int64"


PROVINCE = {"doc_id": "prov", "region": "江苏省", "region_code": "320000", "period_start": 2021, "period_end": 2025}
CITY = {"doc_id": "city", "region": "苏州市", "region_code": "320500", "period_start": 2021, "period_end": 2025}
DISTRICT = {"doc_id": "dist", "region": "吴中区", "region_code": "320506", "period_start": 2021, "period_end": 2025}
CITY_13 = {"doc_id": "city13", "region": "苏州市", "region_code": "320500", "period_start": 2016, "period_end": 2020}


def _target(doc_id: str, value: float, unit: str | None = "%", year: int | None = 2025, kind: str = "target",
            indicator: str = "单位GDP能耗下降", **more) -> dict:
    return {"doc_id": doc_id, "target_id": f"{doc_id}:T{value}", "kind": kind, "indicator": indicator,
            "value": value, "unit": unit, "comparator": "=", "target_year": year, **more}


def _compare(documents: list[dict], targets: list[dict]) -> pd.DataFrame:
    return compare({"documents": frame("documents", documents), "targets": frame("targets", targets)})


def _one(table: pd.DataFrame, doc_id: str, kind: str = "target") -> pd.Series:
    return _rows(table, doc_id=doc_id, kind=kind).squeeze()


def test_compare_escalation_against_nearest_parent():
    table = _compare([PROVINCE, CITY, DISTRICT], [
        _target("prov", 13.5), _target("city", 14), _target("dist", 15, indicator="全区单位地区生产总值能耗降低")])
    city, district = _one(table, "city"), _one(table, "dist")
    assert city["escalation_ratio"] == round(14 / 13.5, 4)
    assert (city["reference_doc_id"], city["reference_relation"]) == ("prov", "parent region")
    assert district["escalation_ratio"] == round(15 / 14, 4) and district["reference_doc_id"] == "city"
    assert pd.isna(_one(table, "prov")["escalation_ratio"])


def test_compare_escalation_skips_a_level_without_a_plan():
    table = _compare([PROVINCE, DISTRICT], [_target("prov", 13.5), _target("dist", 15)])
    assert _one(table, "dist")["reference_doc_id"] == "prov"


def test_compare_attainment_prefers_own_region_earlier_plan():
    table = _compare([PROVINCE, CITY_13, CITY], [
        _target("prov", 500, "家", 2020, indicator="高新技术企业"),
        _target("city13", 100, "家", 2020, indicator="高新技术企业数"),
        _target("city", 90, "家", 2020, kind="achieved", indicator="我市高新技术企业数量")])
    result = _one(table, "city", "achieved")
    assert result["attainment_ratio"] == 0.9
    assert (result["reference_doc_id"], result["reference_relation"]) == ("city13", "same region")
    assert pd.isna(result["escalation_ratio"])


def test_compare_no_ratio_across_years():
    table = _compare([PROVINCE, CITY], [_target("prov", 13.5, year=2020), _target("city", 14, year=2025)])
    assert _one(table, "city")[["reference_doc_id", "escalation_ratio"]].isna().all()


def test_compare_units_mismatch_gives_no_ratio():
    table = _compare([PROVINCE, CITY], [_target("prov", 13.5, "%"), _target("city", 0.5, "吨标准煤/万元")])
    city = _one(table, "city")
    assert pd.isna(city["escalation_ratio"]) and city["reference_value"] == 13.5
    assert city["note"] == "units differ (吨标准煤/万元 vs %): no ratio"


def test_compare_units_convert_before_the_ratio():
    table = _compare([PROVINCE, CITY], [_target("prov", 1000, "公顷", indicator="造林面积"),
                                        _target("city", 3000, "亩", indicator="新增造林面积（5年）")])
    assert _one(table, "city")["escalation_ratio"] == 0.2


def test_compare_ambiguous_reference_gives_no_ratio():
    other = dict(PROVINCE, doc_id="prov2")
    table = _compare([PROVINCE, other, CITY], [_target("prov", 13.5), _target("prov2", 14), _target("city", 14)])
    city = _one(table, "city")
    assert city["reference_doc_id"] == "prov prov2" and pd.isna(city["escalation_ratio"])
    assert city["note"] == "reference targets differ (13.5 %, 14 %): no ratio"


@pytest.mark.parametrize("reference, ratio, note", [
    ({"value": 2, "value_max": 3}, 1.5, "ratio of the lower ends of a range"),
    ({"value": 0}, None, "reference target is 0: no ratio"),
])
def test_compare_reference_edge_cases(reference, ratio, note):
    province = dict(_target("prov", 0, "个", 2020, indicator="中国质量奖"), **reference)
    table = _compare([PROVINCE, CITY], [province, _target("city", 3, "个（次）", 2020, indicator="新增中国质量奖（含提名奖）")])
    city = _one(table, "city")
    assert (None if pd.isna(city["escalation_ratio"]) else city["escalation_ratio"]) == ratio
    assert city["note"] == note


@pytest.mark.parametrize("document, kind, year, basis", [
    (CITY, "achieved", 2020, "before plan"),
    (CITY, "target", 2025, "plan end"),
    (dict(CITY, issue_date="2024-01-20"), "achieved", None, ""),
    (dict(CITY, period_start=None, period_end=None), "target", None, ""),
])
def test_compare_year_without_a_stated_one(document, kind, year, basis):
    table = _compare([document], [_target("city", 97, year=None, kind=kind)])
    row = _one(table, "city", kind)
    assert (None if pd.isna(row["year"]) else row["year"], row["year_basis"]) == (year, basis)


def test_compare_keeps_a_hand_edited_key():
    table = _compare([CITY], [_target("city", 1, indicator="江苏精品", indicator_key="精品"),
                              _target("city", 2, indicator="累计建成各类检验检测国家级中心")])
    assert set(table["indicator_key"]) == {"精品", "检验检测国家级中心"}


def test_compare_groups_keys_that_contain_one_another():
    table = _compare([PROVINCE, CITY], [_target("prov", 25, "个", 2025, indicator="中国建筑工程鲁班奖"),
                                        _target("city", 22, "项", 2025, indicator="新增鲁班奖等国家级优质工程奖项（5年）")])
    assert set(table["indicator_group"]) == {"鲁班奖"}
    assert table[["escalation_ratio", "attainment_ratio"]].isna().all().all()


def test_compare_render_aligns_cjk_columns(corpus_compare):
    lines = render(corpus_compare).splitlines()
    header = lines[0]
    kind_at = display_width(header[: header.index("kind")], cap=1000)
    rows = [line for line in lines[2:] if " target " in line or " achieved " in line]
    assert rows
    for line in rows:
        cut = line.index(" target ") if " target " in line else line.index(" achieved ")
        assert display_width(line[: cut + 1], cap=1000) == kind_at, line
    assert lines[-1].startswith(f"{len(rows)} rows in 8 groups; ")


def test_compare_render_all_shows_single_document_groups(corpus_compare):
    assert render(corpus_compare, shared_only=False).splitlines()[-1] == (
        f"{len(corpus_compare)} rows in {corpus_compare['indicator_group'].nunique()} groups")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    out = tmp_path_factory.mktemp("extracted")
    result = CliRunner().invoke(cli, ["extract", *map(str, SEED_FILES), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def test_compare_cli_csv(extracted, tmp_path):
    result = CliRunner().invoke(cli, ["compare", str(extracted), "-o", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "检验检测国家级中心" in result.stdout and "0.30" in result.stdout
    assert result.stderr.startswith(f"wrote {tmp_path / 'compare.csv'}")
    written = pd.read_csv(tmp_path / "compare.csv", encoding="utf-8-sig")
    assert list(written.columns) == COLUMNS
    centres = _rows(written, indicator_key="检验检测国家级中心", kind="achieved").squeeze()
    assert centres["attainment_ratio"] == 0.3


def test_compare_cli_parquet_from_a_directory_without_run_json(corpus_tables, tmp_path):
    source = tmp_path / "in"
    write_tables(corpus_tables, source, "parquet")
    out = tmp_path / "out"
    args = ["compare", str(source), "--input-format", "parquet", "--format", "parquet", "-o", str(out)]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    written = pd.read_parquet(out / "compare.parquet")
    row = _rows(written, indicator_key="鲁班奖", kind="achieved").squeeze()
    assert float(row["attainment_ratio"]) == 0.28


def test_compare_cli_xlsx_has_a_compare_sheet(extracted, tmp_path):
    args = ["compare", str(extracted), "--format", "xlsx", "-o", str(tmp_path)]
    assert CliRunner().invoke(cli, args, catch_exceptions=False).exit_code == 0
    sheet = pd.read_excel(tmp_path / "planx.xlsx", sheet_name="compare")
    assert "中国质量奖" in set(sheet["indicator_group"])


def test_compare_cli_needs_a_known_input_format(tmp_path):
    result = CliRunner().invoke(cli, ["compare", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == (f"Error: {tmp_path / 'run.json'} does not say which format {tmp_path} was written in; "
                             "run `planx extract` into it, or pass --input-format\n")


def test_compare_cli_refuses_to_write_into_the_input(extracted):
    result = CliRunner().invoke(cli, ["compare", str(extracted), "-o", str(extracted)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {extracted} is the directory being compared; ")


def test_compare_cli_empty_directory_names_the_missing_tables(tmp_path):
    result = CliRunner().invoke(cli, ["compare", str(tmp_path), "--input-format", "jsonl"])
    assert result.exit_code == 1
    assert result.output == (f"Error: {tmp_path} has no documents or targets table in jsonl; "
                             "run `planx extract` into it first, or pass --input-format\n")


# The indicators that recur across the corpus, each as the wordings plans and reports give it
# (issue #13: one key per indicator across plans). A pattern names an indicator's wordings, not
# planx's key for it: the test is that planx finds one key for all of them.
RECURRING_INDICATORS = {
    "GDP growth": r"^(?:全市|全省|全县|全国|我市)?(?:地区|国内)?生产总值(?:年均|预计|可比)?增长率?$|^GDP增长|^经济增长$",
    "urban jobs created": r"^城镇新增就业$",
    "retail sales growth": r"社会消费品零售总额(?:年均)?增长$",
    "fixed-asset investment growth": r"^(?:全社会|全市|全省|全县)?固定资产投资(?:年均)?增长$",
    "urban disposable income growth": r"^城镇居民人均可支配收入(?:年均)?增长$",
    "foreign investment growth": r"实际利用外资(?:年均)?增长$",
    "budget revenue growth": r"^(?:地方)?一般公共预算收入(?:年均)?增长$",
    "energy intensity fall": r"(?:单位|万元)(?:地区|国内)?(?:生产总值|GDP)(?:综合)?能耗(?:下降|降低)$",
    "industrial value added growth": r"^(?:全市|全省|全县)?(?:规模以上|规上)工业增加值(?:年均)?增长$",
    "consumer prices": r"居民消费价格(?:指数)?(?:涨幅|上涨)",
    "R&D intensity": r"研发(?:经费)?(?:投入)?强度|研究与试验发展经费支出占",
    "registered unemployment": r"^城镇登记失业率$",
    "PM2.5": r"PM2\.5(?:年)?平均浓度$",
}


@pytest.fixture(scope="module")
def corpus_lineup(corpus_extractions):
    tables = {name: frame(name, [row for extraction in corpus_extractions.values() for row in extraction.rows[name]])
              for name in ("documents", "targets")}
    return compare(tables)


def _gold_documents(pattern: str) -> set[str]:
    gold = pd.read_json(ROOT / "tests" / "gold" / "targets.jsonl", lines=True)
    return set(gold[gold.indicator.str.contains(pattern, regex=True)].doc)


def test_the_ten_most_frequent_indicators_each_have_one_key_across_the_corpus(corpus_lineup):
    """The ten indicators most documents of the corpus state (by the gold) line up under one
    key in ``planx compare``, in every document that states them."""
    by_documents = sorted(RECURRING_INDICATORS, key=lambda name: -len(_gold_documents(RECURRING_INDICATORS[name])))
    top = by_documents[:10]
    assert all(len(_gold_documents(RECURRING_INDICATORS[name])) >= 2 for name in top)
    for name in top:
        pattern = RECURRING_INDICATORS[name]
        rows = corpus_lineup[corpus_lineup.indicator.str.contains(pattern, regex=True, na=False)]
        keys = set(rows.indicator_key)
        assert len(keys) == 1, (name, sorted(keys))
        lined_up = set(corpus_lineup[corpus_lineup.indicator_key == keys.pop()].doc_id)
        assert _gold_documents(pattern) <= lined_up, (name, sorted(_gold_documents(pattern) - lined_up))
