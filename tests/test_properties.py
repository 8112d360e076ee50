"""Property tests over plan-shaped and arbitrary text: every parser and the whole pipeline.

Generated text mixes what plans are made of (一、 and （一） headings, 到2025年, 97%以上,
runs of 、, brackets left open, place names, 牵头单位 tags, tab-indented table cells,
newlines) with arbitrary Unicode. Whatever it is given, each parser and each pass

* raises nothing but an :class:`~planx.errors.ExtractError` (a one-line message),
* emits spans that re-locate: ``text[start:end]`` is the text the row quotes, and
* gives the same result when run again.

The per-parser tests beside each parser (``test_quantity.py``, ``test_timex.py``,
``test_places.py``) draw from one parser's own vocabulary; these draw from all of them at
once, and from document structure.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planx.api import extract_document, load_document
from planx.errors import ExtractError
from planx.passes.metadata import parse_date
from planx.passes.places import find_places, region_of, resolve
from planx.passes.quantity import find_quantities, parse_number, parse_quantity
from planx.passes.timex import find_time_expressions, five_year_period

from .conftest import assert_spans_relocate
from .test_golden import SPAN_FIELD

HEADINGS = ["", "", "一、", "二、", "十、", "（一）", "（二）", "1.", "2、", "（1）", "①", "第一章 ", "第二节", "专栏1：",
            "一是", "——", "\t"]
SENTENCES = [
    "到2025年，制造业产品质量合格率达到97%以上。", "培育1000家以上高成长企业，", "张家港市、吴江区等地要加快建设。",
    "（牵头单位：市发改委；配合单位：市财政局、市商务局）", "由市政府负责推进质量提升。", "每年发布质量分析报告。",
    "“十四五”时期，全市生产总值年均增长6%左右。", "2020年，特种设备事故起数同比下降10%。", "加强质量基础设施建设。",
    "分别达到55000、17000、11000张", "\t指标\n\t单位\n\t2025年目标\n\n\t合格率\n\t%\n\t≥97\n",
]
PIECES = [
    "到2025年", "2023年底前", "2021-2025年", "“十四五”", "十四五时期", "二〇三五年", "每年", "近三年", "6月底前",
    "以上", "以下", "左右", "余", "多", "、", "，", "。", "；", "：", "！", "万亿", "亿元", "万人", "个（次）", "个百分点",
    "97%", "1.5", "1,000", "2～3家", "百分之九十八", "三分之一", "翻一番", "两三个", "十余家",
    "不低于", "达到", "分别", "提高", "下降", "累计", "力争", "同比", "培育", "建成",
    "（", "）", "(", ")", "[", "]", "《", "》", "“", "”", "〔2016〕", "号",
    "苏州市", "江苏省", "吴江区", "高新区", "张家港市", "海南区域", "沿海城市", "北京路", "等地要",
    "牵头单位：", "配合单位：", "市发改委", "市市场监管局", "由市政府负责", "省有关部门要",
    "制造业产品质量合格率", "指标", "单位", "2020年", "2025年目标", "属性",
    "\t", "\n", "\n\n", "\n\t", " ", "\u3000", "１２３", "ＡＢ", "\ufeff", "\u200b",
    # Digits of other scripts; U+11BF0 is newer than Python's Unicode data, though \d matches it.
    "٢٠٢٥", "\U00011bf0\U00011bf1", "20\U00011bf0\U00011bf0年1月1日",
]
WORDS = st.one_of(st.sampled_from(PIECES), st.sampled_from(SENTENCES), st.text(max_size=4),
                 st.text(string.digits, min_size=1, max_size=30))
LINE = st.tuples(st.sampled_from(HEADINGS), st.lists(WORDS, max_size=12)).map(lambda line: line[0] + "".join(line[1]))
PLAN_TEXT = st.lists(LINE, max_size=12).map("\n".join)
REGIONS = st.sampled_from([None, "320500", "320000", "110000", "abc", ""])
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SPAN_FINDERS = {
    "quantities": lambda text, region: find_quantities(text),
    "time expressions": lambda text, region: find_time_expressions(text, 2021, (2021, 2025)),
    "time expressions, no setting": lambda text, region: find_time_expressions(text),
    "places": find_places,
}
VALUE_PARSERS = {
    "parse_number": parse_number,
    "five_year_period": five_year_period,
    "parse_date": parse_date,
    "region_of": region_of,
}


@pytest.mark.parametrize("finder", SPAN_FINDERS)
@SETTINGS
@given(text=PLAN_TEXT, region=REGIONS)
def test_parser_spans_relocate_in_order(finder, text, region):
    """Spans quote the text, run in order without overlapping, and come out the same twice."""
    spans = SPAN_FINDERS[finder](text, region)
    assert_spans_relocate(text, spans)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    assert spans == SPAN_FINDERS[finder](text, region)


@pytest.mark.parametrize("parser", VALUE_PARSERS)
@SETTINGS
@given(text=PLAN_TEXT)
def test_value_parser_is_total_and_deterministic(parser, text):
    """A value parser returns a value or nothing for any text, the same each time."""
    assert VALUE_PARSERS[parser](text) == VALUE_PARSERS[parser](text)


@SETTINGS
@given(text=PLAN_TEXT, region=REGIONS)
def test_parse_quantity_and_resolve_quote_their_input(text, region):
    """A quantity or place read from a whole string spans part of that string."""
    quantity = parse_quantity(text)
    if quantity is not None:
        assert text[quantity.start : quantity.end] == quantity.text
    place = resolve(text, region)
    assert place is None or place.text == text.strip()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("properties")


def _write(workdir, text: str):
    path = workdir / "plan.txt"
    path.write_text(text, encoding="utf-8")
    return path


@SETTINGS
@given(text=PLAN_TEXT)
def test_structure_spans_lie_in_the_text(workdir, text):
    """Paragraphs, headings, sections, sentences, table cells and boxes are spans of the
    document's text; sentences are in order and do not overlap."""
    try:
        doc = load_document(_write(workdir, text))
    except ExtractError as err:
        assert "\n" not in str(err)
        return
    size = len(doc.text)
    for name, spans in doc.spans.items():
        for span in spans:
            assert 0 <= span.start <= span.end <= size, (name, span)
    for head in doc.spans["headings"]:
        assert head.start <= head._.title_start <= head.end
    sentences = list(doc.spans["sentences"])
    assert all(a.end <= b.start for a, b in zip(sentences, sentences[1:]))


@SETTINGS
@given(text=PLAN_TEXT)
def test_pipeline_rows_relocate_and_repeat(workdir, text):
    """The whole per-document pipeline on a .txt of generated text: only one-line
    ExtractErrors, every row's span quotes its field (a measure's covers its title), and
    a second run gives the same rows."""
    path = _write(workdir, text)
    try:
        first = extract_document(path)
    except ExtractError as err:
        assert "\n" not in str(err)
        return
    doc_text = first.document.text
    for table, field in SPAN_FIELD.items():
        assert_spans_relocate(doc_text, first.rows[table], field)
    for measure in first.rows["measures"]:
        assert measure["title"] in doc_text[measure["start"] : measure["end"]]
    assert extract_document(path).rows == first.rows
