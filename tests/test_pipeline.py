"""planx as a spaCy pipeline: registered components, the order from rules/, one token per
character, typed document facts, candidates kept beside the rows."""

from __future__ import annotations

import shutil

import pytest
from spacy.tokens import DocBin

from planx import pipeline, rules
from planx.components import registered
from planx.document import PLACES, TIME, portable, rows_of
from planx.errors import RuleFileError

from .conftest import ROOT

#: Every component planx registers, as spaCy's factory_registrations.json pins its own: a
#: component added, renamed or lost shows here.
COMPONENTS = ["planx_agencies", "planx_areas", "planx_boxes", "planx_context", "planx_deadlines", "planx_headings",
              "planx_measures", "planx_metadata", "planx_places", "planx_quantities", "planx_sections", "planx_sentences",
              "planx_tables", "planx_targets", "planx_time"]


def test_registered_components_are_pinned():
    assert sorted(registered()) == COMPONENTS


def test_the_pipeline_is_read_from_rules():
    assert pipeline.load().pipe_names == pipeline.component_names()


def test_one_token_per_character():
    doc = pipeline.parse("一、目标\n到2025年， 合格率达到97%。\t")
    assert len(doc) == len(doc.text)
    assert [token.text for token in doc] == list(doc.text)
    for span in doc.spans["targets"]:
        assert doc.text[span.start : span.end] == span.text


def test_document_facts_are_typed_attributes():
    doc = pipeline.read(ROOT / "corpus" / "suzhou-quality-plan-14fyp.txt")
    assert (doc._.doc_id, doc._.format, doc._.period_start, doc._.period_end) == (
        "suzhou-quality-plan-14fyp", "txt", 2021, 2025)
    assert doc._.region_code == "320500"


def test_candidates_stay_beside_the_rows():
    """Every time expression is a candidate; only the forward-looking ones are deadlines."""
    doc = pipeline.parse("一、发展基础\n2020年，全市地区生产总值增长5%。\n二、重点任务\n（一）推进创新\n到2025年，建成10个平台。")
    assert [span.text for span in doc.spans[TIME]] == ["2020年", "到2025年"]
    assert [row["text"] for row in rows_of(doc, "deadlines")] == ["到2025年"]


def test_place_candidates_carry_their_division_code():
    doc = pipeline.parse("一、重点任务\n（一）协同发展\n支持昆山市建设示范区。", region_code="320500")
    (place,) = doc.spans[PLACES]
    assert (place.text, place.kb_id_) == ("昆山市", "320583")


def test_facts_given_win_over_what_planx_reads():
    doc = pipeline.parse("某市“十四五”规划\n全市新建基站1万个。", period_start=2026, period_end=2030)
    assert (doc._.period_start, doc._.period_end) == (2026, 2030)
    with pytest.raises(TypeError, match="not a document fact"):
        pipeline.parse("正文。", perod_start=2021)


def test_docs_round_trip_through_docbin():
    doc = pipeline.parse("一、重点任务\n（一）推进创新\n到2025年，建成10个平台。", period_start=2021, period_end=2025)
    before = rows_of(doc, "targets")
    store = DocBin(store_user_data=True)
    store.add(portable(doc))
    (copy,) = store.get_docs(pipeline.shared().vocab)
    assert rows_of(copy, "targets") == before
    assert copy._.period_end == 2025


def _rules_copy(tmp_path, components):
    copy = tmp_path / "rules"
    shutil.copytree(rules.rules_dir(), copy)
    text = "components:\n" + "".join(f"  - {name}\n" for name in components)
    (copy / "pipeline.yaml").write_text(text, encoding="utf-8")
    return copy


@pytest.mark.parametrize("change, message", [
    (lambda names: names + ["planx_tagger"], r"unknown component 'planx_tagger'; choose from planx_agencies"),
    (lambda names: [n for n in names if n != "planx_areas"], r"'planx_areas' is missing"),
    (lambda names: ["planx_targets"] + [n for n in names if n != "planx_targets"],
     r"planx_targets requires doc\._\.period_start, doc\._\.period_end, span\._\.kind, span\._\.year, which no "
     r"component before it assigns; move it later"),
    (lambda names: ["planx_boxes"] + [n for n in names if n != "planx_boxes"],
     r"planx_boxes reads span group 'headings', which no component before it writes; move it later"),
])
def test_a_wrong_pipeline_fails_at_load_naming_the_fix(tmp_path, change, message):
    copy = _rules_copy(tmp_path, change(pipeline.component_names()))
    with rules.using(copy), pytest.raises(RuleFileError, match=message):
        pipeline.load()


def test_extract_format_spacy_writes_a_docbin_that_reads_back_as_the_tables(tmp_path):
    """--format spacy keeps every Doc (candidates included); its tables are the CSV run's."""
    from click.testing import CliRunner

    from planx.cli import cli
    from planx.writers import read_tables
    from planx.writers.docbin import read_docs

    source = str(ROOT / "corpus" / "suzhou-quality-plan-14fyp.txt")
    for fmt in ("spacy", "csv"):
        result = CliRunner().invoke(cli, ["extract", source, "-o", str(tmp_path / fmt), "--format", fmt, "--no-progress"])
        assert result.exit_code == 0, result.output
    (doc,) = read_docs(tmp_path / "spacy")
    assert doc._.doc_id == "suzhou-quality-plan-14fyp"
    assert len(doc.spans[TIME]) >= len(doc.spans["deadlines"]) > 0
    assert all(span._.kind in ("target", "achieved") for span in doc.spans["quantities"])
    spacy_tables, csv_tables = read_tables(tmp_path / "spacy", "spacy"), read_tables(tmp_path / "csv", "csv")
    for table in ("targets", "deadlines", "areas", "measures"):
        columns = ["start", "end", "rule"]
        assert spacy_tables[table][columns].equals(csv_tables[table][columns]), table


def test_displacy_renders_a_span_group():
    """What the README shows a notebook user: displaCy draws any span group of a planx Doc."""
    from spacy import displacy

    doc = pipeline.parse("一、重点任务\n（一）推进创新\n到2025年，全市新建5G基站1万个。", period_start=2021, period_end=2025)
    html = displacy.render(doc, style="span", options={"spans_key": "targets"}, page=False)
    assert html.count("target") == 1 and "万" in html
