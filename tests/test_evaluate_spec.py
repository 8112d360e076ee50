"""``planx evaluate`` checked against a reference scorer written from DESIGN.md's own words.

The reference below was written from the "Scoring" section of ``../shared/DESIGN.md`` and from
``../shared/gold/README.md`` before ``extract/evaluate.py`` was read. When it agrees with the
command, two separate readings of the spec agree. Where the spec leaves something open, the
reference makes a choice, and a hand-made case below pins it down:

- Similarity removes whitespace and Unicode punctuation (categories ``P*``, not the symbols
  ``S*``). Bigram Dice counts a repeated bigram as often as it occurs (n_t / n_x / n_y are bigram
  counts). A string with nothing left after stripping resembles nothing (0), rather than being
  "contained" in every short string.
- Matching only considers pairs that meet the table's conditions. It takes them greedily,
  highest similarity first. Areas have no similarity of their own, so every qualifying pair
  scores 1. Ties go first to a row whose sentence holds the gold quote, then to one whose
  sentence holds the quote's first 12 characters, then to the closer wording (the same stripped text, else the higher bigram Dice: an exact 十四五末 before a
  十四五 that merely contains it), then to the earlier gold item, then to the earlier row. Required gold items are matched first, and optional
  ones only get the rows left over, so an optional item never takes a row that a required one
  needed ("neither rewarded nor penalised").
- Values are equal as numbers, up to float rounding (relative 1e-9). Two nulls are equal: an
  open-ended deadline (每年, end_year null) matches another one.
- Areas: a row counts only when it is marked responsible. A gold item counts when it is
  responsible, or when it is optional: every non-responsible gold mention is optional, and
  optional means that extracting it costs nothing. The row's sentence is normalised text (the
  output contract), so the gold quote is normalised the same way before its first 12 characters
  are looked for.
- P = tp/(tp+fp), R = tp/(tp+fn), F1 = 2tp/(2tp+fp+fn). Each is undefined (None) when its
  denominator is 0. ``ALL`` pools the counts of every document.
- Attribute accuracy is taken over pairs matched to required gold items. The command also
  reports the other tables' fields (deadlines, areas, measures). The reference checks those with
  the same rule.
- The documents scored are the ones that any gold table names, in every table. Output rows for
  any other document are not scored.
"""

from __future__ import annotations

import csv
import json
import math
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from planx.api import run
from planx.cli import cli
from planx.dataset import COLUMNS, ID_COLUMN, frame
from planx.normalise import normalise_text
from planx.writers import write_tables

from .conftest import CORPUS_FILES, GOLD, SEED_FILES

SCORED = ("targets", "deadlines", "areas", "agencies", "measures")
# The string each table's similarity compares, in gold and in the output alike.
KEY = {"targets": "indicator", "deadlines": "text", "areas": "area", "agencies": "agency", "measures": "title"}
ATTRIBUTES = {
    "targets": ("kind", "unit", "comparator", "target_year", "baseline_value"),
    "deadlines": ("kind", "start_year"),
    "areas": ("canonical", "level", "admin_code"),
    "agencies": ("role",),
    "measures": ("section", "policy_tool"),
}


# --- the reference scorer -----------------------------------------------------------------------


def strip(text: str | None) -> str:
    """``text`` without spaces and punctuation."""
    return "".join(ch for ch in text or "" if not (ch.isspace() or unicodedata.category(ch).startswith("P")))


def bigrams(text: str) -> Counter:
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def similarity(a: str | None, b: str | None) -> float:
    """1 when one stripped string contains the other and the longer is at most 2 × shorter + 6,
    else the Dice coefficient of their character bigrams."""
    a, b = strip(a), strip(b)
    if not a or not b:
        return 0.0
    shorter, longer = sorted((a, b), key=len)
    if shorter in longer and len(longer) <= 2 * len(shorter) + 6:
        return 1.0
    return dice(a, b)


def dice(a: str, b: str) -> float:
    x, y = bigrams(a), bigrams(b)
    return 2 * (x & y).total() / (x.total() + y.total()) if x and y else 0.0


def closeness(a: str | None, b: str | None) -> float:
    """Breaks ties of similarity: 1 for the same stripped wording, else the bigram Dice."""
    a, b = strip(a), strip(b)
    return 1.0 if a and a == b else dice(a, b)


def plain(value):
    """A cell or gold value in one comparable form: None, a float, or the text."""
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def same(a, b) -> bool:
    """Equal as plain values; numbers up to float rounding."""
    a, b = plain(a), plain(b)
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9)
    return a == b


def quote(gold: dict) -> str:
    """The gold quote as it reads in the normalised text, where rows' sentences come from."""
    return normalise_text(gold["quote"])


def target_pair(gold: dict, row: dict) -> float | None:
    """Equal value (and value_max where gold has one), indicator similarity ≥ 0.5."""
    if not same(row["value"], gold["value"]):
        return None
    if gold["value_max"] is not None and not same(row["value_max"], gold["value_max"]):
        return None
    score = similarity(gold["indicator"], row["indicator"])
    return score if score >= 0.5 else None


def deadline_pair(gold: dict, row: dict) -> float | None:
    """Equal end_year, text similarity ≥ 0.5."""
    if not same(row["end_year"], gold["end_year"]):
        return None
    score = similarity(gold["text"], row["text"])
    return score if score >= 0.5 else None


def area_pair(gold: dict, row: dict) -> float | None:
    """Same canonical or written name, and the gold quote's first 12 characters in the sentence."""
    same_place = any(gold[name] is not None and row[name] == gold[name] for name in ("canonical", "area"))
    return 1.0 if same_place and quote(gold)[:12] in (row["sentence"] or "") else None


def agency_pair(gold: dict, row: dict) -> float | None:
    """The same name or one containing the other, and the gold quote's first 12 characters in
    the sentence."""
    a, b = strip(gold["agency"]), strip(row["agency"])
    same_agency = bool(a and b) and (a in b or b in a)
    return 1.0 if same_agency and quote(gold)[:12] in (row["sentence"] or "") else None


def measure_pair(gold: dict, row: dict) -> float | None:
    """Title similarity ≥ 0.8."""
    score = similarity(gold["title"], row["title"])
    return score if score >= 0.8 else None


PAIR = {"targets": target_pair, "deadlines": deadline_pair, "areas": area_pair, "agencies": agency_pair,
        "measures": measure_pair}


def greedy(table: str, golds: list[dict], rows: list[dict]) -> list[tuple[int, int]]:
    """One-to-one matching, highest similarity first, as (gold index, row index) pairs."""
    candidates = []
    for g, gold in enumerate(golds):
        for r, row in enumerate(rows):
            score = PAIR[table](gold, row)
            if score is not None:
                sentence, at = row.get("sentence") or "", quote(gold)
                candidates.append((-score, at not in sentence, at[:12] not in sentence,
                                   -closeness(gold[KEY[table]], row[KEY[table]]), g, r))
    used_gold, used_rows, matches = set(), set(), []
    for *_, g, r in sorted(candidates):
        if g not in used_gold and r not in used_rows:
            used_gold.add(g)
            used_rows.add(r)
            matches.append((g, r))
    return matches


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    pairs: int = 0
    correct: Counter = field(default_factory=Counter)
    annotated: Counter = field(default_factory=Counter)
    misses: list[dict] = field(default_factory=list)
    spurious: list[dict] = field(default_factory=list)
    absorbed: list[dict] = field(default_factory=list)

    @property
    def counts(self) -> tuple[int, int, int]:
        return self.tp, self.fp, self.fn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else None

    def accuracy(self, attribute: str) -> float | None:
        """Over the matched pairs whose gold item annotates the attribute (policy_tool is
        annotated for some documents only)."""
        return self.correct[attribute] / self.annotated[attribute] if self.annotated[attribute] else None

    def add(self, other: Score) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn
        self.pairs += other.pairs
        self.correct.update(other.correct)
        self.annotated.update(other.annotated)
        self.misses += other.misses
        self.spurious += other.spurious
        self.absorbed += other.absorbed


def score_document(table: str, golds: list[dict], rows: list[dict]) -> Score:
    """Score one document's rows of ``table`` against its gold items."""
    required = [g for g in golds if not g["optional"]]
    optional = [g for g in golds if g["optional"]]
    matched = greedy(table, required, rows)
    matched_rows = {r for _, r in matched}
    left = [r for r in range(len(rows)) if r not in matched_rows]
    absorbed = {left[r] for _, r in greedy(table, optional, [rows[r] for r in left])}
    score = Score(tp=len(matched), pairs=len(matched))
    for g, r in matched:
        for attribute in ATTRIBUTES[table]:
            if attribute in required[g]:
                score.annotated[attribute] += 1
                score.correct[attribute] += same(rows[r][attribute], required[g][attribute])
    matched_gold = {g for g, _ in matched}
    score.misses = [gold for g, gold in enumerate(required) if g not in matched_gold]
    score.spurious = [row for r, row in enumerate(rows) if r not in matched_rows | absorbed]
    score.absorbed = [rows[r] for r in sorted(absorbed)]
    score.fn, score.fp = len(score.misses), len(score.spurious)
    return score


def read_gold(gold_dir: Path, table: str) -> list[dict]:
    path = gold_dir / f"{table}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_output(out_dir: Path, table: str) -> list[dict]:
    with open(out_dir / f"{table}.csv", encoding="utf-8-sig", newline="") as handle:
        return [{k: (v if v != "" else None) for k, v in row.items()} for row in csv.DictReader(handle)]


def in_scope(table: str, item: dict, is_gold: bool) -> bool:
    """Areas score responsible mentions only; an optional gold mention stays, to absorb a row."""
    if table != "areas":
        return True
    if is_gold:
        return item["responsible"] or item["optional"]
    return item["responsible"] == "True"


def reference_scores(out_dir: Path, gold_dir: Path) -> dict[str, dict[str, Score]]:
    """``{table: {doc_id or "ALL": Score}}`` for every gold document, by the spec's words."""
    gold = {table: read_gold(gold_dir, table) for table in SCORED}
    docs = sorted({item["doc"] for items in gold.values() for item in items})
    result = {}
    for table in SCORED:
        rows = [row for row in read_output(out_dir, table) if in_scope(table, row, False)]
        scores = {}
        for doc in docs:
            golds = [g for g in gold[table] if g["doc"] == doc and in_scope(table, g, True)]
            scores[doc] = score_document(table, golds, [row for row in rows if row["doc_id"] == doc])
        total = Score()
        for score in scores.values():
            total.add(score)
        result[table] = {**scores, "ALL": total}
    return result


# --- running the command and comparing ----------------------------------------------------------


def evaluate_json(out_dir: Path, gold_dir: Path, *options: str) -> dict:
    result = CliRunner().invoke(cli, ["evaluate", str(out_dir), str(gold_dir), "--format", "json", *options],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def assert_close(reported, expected, what) -> None:
    if expected is None:
        assert reported is None, what
    else:
        assert reported == pytest.approx(expected, abs=1e-4), what


def assert_agrees(out_dir: Path, gold_dir: Path) -> dict[str, dict[str, Score]]:
    """The command's JSON equals the reference's: counts, rates, accuracies, misses, spurious."""
    reported = evaluate_json(out_dir, gold_dir)
    expected = reference_scores(out_dir, gold_dir)
    for table, by_doc in expected.items():
        got_table = reported[table]
        assert set(got_table["documents"]) == set(by_doc) - {"ALL"}, table
        for doc, score in by_doc.items():
            got = got_table["ALL"] if doc == "ALL" else got_table["documents"][doc]
            assert (got["tp"], got["fp"], got["fn"]) == score.counts, (table, doc)
            for rate in ("precision", "recall", "f1"):
                assert_close(got[rate], getattr(score, rate), (table, doc, rate))
            for attribute in ATTRIBUTES[table]:
                assert_close(got["accuracy"][attribute], score.accuracy(attribute), (table, doc, attribute))
        total = by_doc["ALL"]
        key = KEY[table]
        assert Counter((m["doc"], m["quote"], m[key]) for m in got_table["misses"]) == Counter(
            (g["doc"], g["quote"], g[key]) for g in total.misses), table
        assert Counter((s["doc_id"], s.get(key), s.get("sentence")) for s in got_table["spurious"]) == Counter(
            (r["doc_id"], r[key], r.get("sentence")) for r in total.spurious), table
    return expected


def _write(out: Path, tables: dict[str, pd.DataFrame]) -> Path:
    """Write ``tables`` to ``out`` as ``planx extract`` would; return ``out``."""
    write_tables(tables, out)
    return out


def write_gold(gold_dir: Path, gold: dict[str, list[dict]]) -> None:
    """A gold folder in the format of ``../shared/gold``: one JSONL file per scored table."""
    gold_dir.mkdir(parents=True, exist_ok=True)
    for table in SCORED:
        lines = [json.dumps(item, ensure_ascii=False) + "\n" for item in gold.get(table, [])]
        (gold_dir / f"{table}.jsonl").write_text("".join(lines), encoding="utf-8")


# --- (a) the real corpus ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_tables() -> dict[str, pd.DataFrame]:
    return run(CORPUS_FILES)


def test_corpus_output_agrees_with_reference(corpus_tables, tmp_path):
    """On the corpus as extracted, every figure of the command equals the reference's."""
    write_tables(corpus_tables, tmp_path)
    expected = assert_agrees(tmp_path, GOLD)
    assert all(expected[table]["ALL"].tp for table in SCORED), "the corpus should match some rows in every table"


# --- (b) perturbed outputs and gold -------------------------------------------------------------

REWORDINGS = {
    "truncate": lambda s: s[: max(1, len(s) // 2)],
    "pad": lambda s: s + "相关工作情况统计" * 2,
    "shift": lambda s: s[1:] + "类",
    "replace": lambda s: "".join("某" if i % 2 else ch for i, ch in enumerate(s)),
}


def gold_as_row(table: str, item: dict) -> dict:
    """An output row that says what the gold ``item`` says, grounded in its quote."""
    row = {k: v for k, v in item.items() if k in COLUMNS[table]}
    row["doc_id"] = item["doc"]
    row["sentence" if "sentence" in COLUMNS[table] else "text"] = item["quote"]
    if table == "areas":
        row["responsible"] = True
    return row


def perturb(tables: dict[str, pd.DataFrame], gold: dict[str, list[dict]], op: str, table: str,
            n: int, rewording: str) -> None:
    """Apply one edit in place: to output row (or gold item) number ``n`` modulo the count."""
    df = tables[table]
    if op == "flip-optional":
        item = gold[table][n % len(gold[table])]
        item["optional"] = not item["optional"]
    elif op == "add-gold-row":
        item = gold[table][n % len(gold[table])]
        tables[table] = pd.concat([df, frame(table, [gold_as_row(table, item)])], ignore_index=True)
    elif df.empty:
        return
    elif op == "drop":
        tables[table] = df.drop(index=df.index[n % len(df)]).reset_index(drop=True)
    elif op == "duplicate":
        tables[table] = pd.concat([df, df.iloc[[n % len(df)]]], ignore_index=True)
    elif op == "revalue":
        column = {"targets": "value", "deadlines": "end_year"}.get(table, KEY[table])
        i = df.index[n % len(df)]
        df.loc[i, column] = df.loc[i, column] + 1 if column != KEY[table] else "另一项任务"
    elif op == "reword":
        i = df.index[n % len(df)]
        if pd.notna(df.loc[i, KEY[table]]):
            df.loc[i, KEY[table]] = REWORDINGS[rewording](df.loc[i, KEY[table]])
    elif op == "flip-responsible" and table == "areas":
        i = df.index[n % len(df)]
        df.loc[i, "responsible"] = not df.loc[i, "responsible"]


EDITS = st.lists(
    st.tuples(
        st.sampled_from(["drop", "duplicate", "revalue", "reword", "add-gold-row", "flip-optional",
                         "flip-responsible"]),
        st.sampled_from(SCORED),
        st.integers(0, 10_000),
        st.sampled_from(sorted(REWORDINGS)),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(edits=EDITS)
def test_perturbed_output_agrees_with_reference(corpus_tables, tmp_path_factory, edits):
    """Dropped, duplicated, revalued and reworded rows, rows copied from gold (optional or not),
    flipped responsible flags and flipped optional flags: the command still equals the reference."""
    tables = {name: df.copy() for name, df in corpus_tables.items()}
    gold = {table: [dict(item) for item in read_gold(GOLD, table)] for table in SCORED}
    for edit in edits:
        perturb(tables, gold, *edit)
    base = tmp_path_factory.mktemp("perturbed")
    out, gold_dir = base / "out", base / "gold"
    write_tables(tables, out)
    write_gold(gold_dir, gold)
    assert_agrees(out, gold_dir)


@pytest.fixture(scope="module")
def seed_gold(tmp_path_factory) -> Path:
    """The seeds' gold alone."""
    folder = tmp_path_factory.mktemp("seed-gold")
    seeds = {path.stem for path in SEED_FILES}
    write_gold(folder, {table: [g for g in read_gold(GOLD, table) if g["doc"] in seeds] for table in SCORED})
    return folder


@pytest.mark.parametrize("table", SCORED)
def test_optional_items_neither_rewarded_nor_penalised(corpus_tables, tmp_path, table, seed_gold):
    """The corpus output without the rows that optional items took, and the same output with a
    row for every optional item: tp, fp and fn are the same as for the output as extracted.

    Scored on the seeds' gold, where no optional item competes for a row with another item.
    Elsewhere the property need not hold and the scorer is still right: an optional item whose
    row is removed takes the next spurious row it resembles, and a row added for an optional
    item can pair better with a required item of the same value.
    """
    extracted = assert_agrees(_write(tmp_path / "extracted", corpus_tables), seed_gold)[table]["ALL"]
    taken = {row[ID_COLUMN[table]] for row in extracted.absorbed}
    df = corpus_tables[table]
    without = dict(corpus_tables, **{table: df[~df[ID_COLUMN[table]].isin(taken)]})
    optional = frame(table, [gold_as_row(table, item) for item in read_gold(seed_gold, table) if item["optional"]])
    every = dict(without, **{table: pd.concat([without[table], optional], ignore_index=True)})
    for name, tables in (("without", without), ("every", every)):
        assert assert_agrees(_write(tmp_path / name, tables), seed_gold)[table]["ALL"].counts == extracted.counts, name


# --- (c) hand-made cases, one spec sentence each ------------------------------------------------


def g_target(indicator: str, value: float = 95, optional: bool = False, **fields) -> dict:
    return {"doc": "d", "quote": indicator, "optional": optional, "kind": "target", "indicator": indicator,
            "value": value, "value_max": None, "unit": "%", "comparator": ">=", "target_year": 2025,
            "baseline_value": None, "baseline_year": None, **fields}


def r_target(indicator: str | None, value: float = 95, **fields) -> dict:
    return {"doc_id": "d", "kind": "target", "indicator": indicator, "value": value, "unit": "%",
            "comparator": ">=", "target_year": 2025, **fields}


def g_deadline(text: str, end_year: int | None, optional: bool = False) -> dict:
    return {"doc": "d", "quote": text, "optional": optional, "text": text, "kind": "by",
            "start_year": None, "end_year": end_year}


def r_deadline(text: str, end_year: int | None) -> dict:
    return {"doc_id": "d", "text": text, "kind": "by", "end_year": end_year}


QUOTE = "以相城区为重点推进检验检测产业集聚发展"  # its first 12 characters: 以相城区为重点推进检验检测


def g_area(area: str, canonical: str, responsible: bool = True, optional: bool = False, quote: str = QUOTE) -> dict:
    return {"doc": "d", "quote": quote, "optional": optional, "area": area, "canonical": canonical,
            "level": "district", "parent": "苏州市", "admin_code": "320507", "responsible": responsible}


def r_area(area: str, canonical: str, sentence: str = QUOTE + "。", responsible: bool = True) -> dict:
    return {"doc_id": "d", "area": area, "canonical": canonical, "level": "district", "parent": "苏州市",
            "admin_code": "320507", "responsible": responsible, "sentence": sentence}


AGENCY_QUOTE = "建设检验检测公共服务平台（牵头单位：市市场监管局；责任单位：市发展改革委）"


def g_agency(agency: str, role: str = "lead", quote: str = AGENCY_QUOTE) -> dict:
    return {"doc": "d", "quote": quote, "optional": False, "agency": agency, "role": role}


def r_agency(agency: str, role: str = "lead", sentence: str = AGENCY_QUOTE + "。") -> dict:
    return {"doc_id": "d", "agency": agency, "role": role, "sentence": sentence}


def g_measure(title: str) -> dict:
    return {"doc": "d", "quote": title, "optional": False, "section": "一、任务", "title": title}


def r_measure(title: str) -> dict:
    return {"doc_id": "d", "section": "一、任务", "title": title}


def write_case(base: Path, gold: dict[str, list[dict]], rows: dict[str, list[dict]]) -> tuple[Path, Path]:
    """A gold folder and an output folder holding just these items and rows."""
    write_gold(base / "gold", gold)
    docs = sorted({row["doc_id"] for table_rows in rows.values() for row in table_rows} | {"d"})
    tables = {name: frame(name, rows.get(name, [])) for name in COLUMNS}
    tables["documents"] = frame("documents", [{"doc_id": doc} for doc in docs])
    write_tables(tables, base / "out")
    return base / "out", base / "gold"


CASES = [
    # similarity: containment with the length bound, measured after stripping
    pytest.param("targets", [g_target("合格")], [r_target("合格" + "产品质量抽检比率")], (1, 0, 0),
                 id="containment-longer-is-2n+6"),
    pytest.param("targets", [g_target("合格")], [r_target("合格" + "产品质量抽检比率值")], (0, 1, 1),
                 id="containment-longer-is-2n+7-falls-to-dice"),
    pytest.param("targets", [g_target("合格")], [r_target("合格（产品）质量、抽检 比率")], (1, 0, 0),
                 id="spaces-and-punctuation-not-counted"),
    pytest.param("targets", [g_target("“江苏精品”")], [r_target("江苏精品")], (1, 0, 0),
                 id="punctuation-stripped-before-containment"),
    pytest.param("targets", [g_target("质量合格率")], [r_target("质量合计数")], (1, 0, 0),
                 id="dice-exactly-0.5-matches-target"),
    pytest.param("targets", [g_target("质量合格率")], [r_target("质量合计数目")], (0, 1, 1),
                 id="dice-0.44-misses-target"),
    pytest.param("targets", [g_target("合格")], [r_target("合格" + "产品质量抽检比率～")], (0, 1, 1),
                 id="symbols-are-not-punctuation"),
    pytest.param("targets", [g_target("质量质量质量提升")], [r_target("质量提升工作情况")], (0, 1, 1),
                 id="dice-counts-repeated-bigrams"),
    pytest.param("targets", [g_target("合格率")], [r_target(None)], (0, 1, 1),
                 id="empty-indicator-resembles-nothing"),
    # targets: value and value_max
    pytest.param("targets", [g_target("合格率", 95)], [r_target("合格率", 96)], (0, 1, 1),
                 id="value-must-be-equal"),
    pytest.param("targets", [g_target("示范项目", 2, value_max=3)], [r_target("示范项目", 2)], (0, 1, 1),
                 id="gold-value_max-must-be-matched"),
    pytest.param("targets", [g_target("示范项目", 2, value_max=3)], [r_target("示范项目", 2, value_max=3)],
                 (1, 0, 0), id="gold-value_max-equal"),
    pytest.param("targets", [g_target("示范项目", 2)], [r_target("示范项目", 2, value_max=3)], (1, 0, 0),
                 id="row-value_max-ignored-when-gold-has-none"),
    # one-to-one greedy, highest similarity first
    pytest.param("targets", [g_target("合格率")], [r_target("合格率"), r_target("合格率")], (1, 1, 0),
                 id="duplicate-row-is-spurious"),
    pytest.param("targets", [g_target("合格率"), g_target("合格率")], [r_target("合格率")], (1, 0, 1),
                 id="tied-gold-items-share-no-row"),
    pytest.param("targets", [g_target("食品抽检覆盖率"), g_target("食品抽检合格率")],
                 [r_target("食品抽检合格率"), r_target("药品抽检合格率")], (1, 1, 1),
                 id="highest-similarity-first-not-gold-order"),
    # optional gold items
    pytest.param("targets", [g_target("合格率", optional=True)], [r_target("合格率")], (0, 0, 0),
                 id="optional-matched-neither-tp-nor-fp"),
    pytest.param("targets", [g_target("合格率", optional=True)], [], (0, 0, 0),
                 id="optional-missed-is-no-miss"),
    pytest.param("targets", [g_target("合格率"), g_target("达标率", optional=True)],
                 [r_target("合格率"), r_target("达标率")], (1, 0, 0), id="optional-beside-required"),
    pytest.param("targets", [g_target("食品抽检合格率", optional=True), g_target("食品抽检覆盖率")],
                 [r_target("食品抽检合格率")], (1, 0, 0), id="optional-cannot-take-a-required-row"),
    # deadlines
    pytest.param("deadlines", [g_deadline("到2025年", 2025)], [r_deadline("2025年", 2025)], (1, 0, 0),
                 id="deadline-equal-end_year"),
    pytest.param("deadlines", [g_deadline("到2025年", 2025)], [r_deadline("到2025年", 2035)], (0, 1, 1),
                 id="deadline-end_year-differs"),
    pytest.param("deadlines", [g_deadline("每年", None)], [r_deadline("每年", None)], (1, 0, 0),
                 id="deadline-both-end_year-null"),
    # areas
    pytest.param("areas", [g_area("高新区", "苏州高新区")], [r_area("苏州高新区", "苏州高新区")], (1, 0, 0),
                 id="area-same-canonical"),
    pytest.param("areas", [g_area("相城区", "相城区")], [r_area("相城区", "苏州市相城区")], (1, 0, 0),
                 id="area-same-written-name"),
    pytest.param("areas", [g_area("相城区", "相城区")], [r_area("相城区", "相城区", sentence=QUOTE[:12])],
                 (1, 0, 0), id="area-sentence-holds-first-12-chars"),
    pytest.param("areas", [g_area("相城区", "相城区")], [r_area("相城区", "相城区", sentence=QUOTE[:11])],
                 (0, 1, 1), id="area-sentence-holds-only-11-chars"),
    pytest.param("areas", [g_area("相城区", "苏州市相城区")], [r_area("苏州市相城区", "相城区")], (0, 1, 1),
                 id="area-names-do-not-cross"),
    pytest.param("areas", [g_area("相城区", "相城区", quote="到２０２５年，以相城区为重点推进")],
                 [r_area("相城区", "相城区", sentence="到2025年，以相城区为重点")], (1, 0, 0),
                 id="area-quote-read-as-normalised-text"),
    pytest.param("areas", [g_area("相城区", "相城区")], [r_area("相城区", "相城区", responsible=False)],
                 (0, 0, 1), id="area-row-not-responsible-is-not-scored"),
    pytest.param("areas", [g_area("相城区", "相城区", responsible=False)], [r_area("相城区", "相城区")],
                 (0, 1, 0), id="area-gold-only-mentioned-is-not-scored"),
    pytest.param("areas", [g_area("相城区", "相城区", responsible=False, optional=True)],
                 [r_area("相城区", "相城区")], (0, 0, 0), id="area-optional-mention-absorbs-a-row"),
    # measures
    # agencies: the same name or one containing the other, in the sentence the quote opens
    pytest.param("agencies", [g_agency("市市场监管局")], [r_agency("市市场监管局")], (1, 0, 0),
                 id="agency-same-name"),
    pytest.param("agencies", [g_agency("市场监管局")], [r_agency("市市场监管局")], (1, 0, 0),
                 id="agency-one-name-contains-the-other"),
    pytest.param("agencies", [g_agency("市市场监管局")], [r_agency("市发展改革委")], (0, 1, 1),
                 id="agency-other-name"),
    pytest.param("agencies", [g_agency("市市场监管局")], [r_agency("市市场监管局", sentence="加强质量监管。")],
                 (0, 1, 1), id="agency-quote-start-not-in-sentence"),
    pytest.param("agencies", [g_agency("市市场监管局"), g_agency("市发展改革委", "support")],
                 [r_agency("市发展改革委", "support"), r_agency("市市场监管局")], (2, 0, 0),
                 id="agency-one-to-one"),
    pytest.param("measures", [g_measure("加强质量监管")], [r_measure("加强质量监督")], (1, 0, 0),
                 id="measure-dice-exactly-0.8"),
    pytest.param("measures", [g_measure("加强质量监管")], [r_measure("加强质量管理")], (0, 1, 1),
                 id="measure-dice-0.6"),
    # documents
    pytest.param("targets", [g_target("合格率")], [r_target("合格率", doc_id="other")], (0, 0, 1),
                 id="rows-of-a-document-without-gold-not-scored"),
]


@pytest.mark.parametrize("table, gold, rows, counts", CASES)
def test_spec_sentence(tmp_path, table, gold, rows, counts):
    """Each case pins one sentence of the spec (or one documented choice): the reference gives
    ``counts`` as (tp, fp, fn) for document ``d``, and the command agrees with the reference."""
    out, gold_dir = write_case(tmp_path, {table: gold}, {table: rows})
    assert reference_scores(out, gold_dir)[table]["d"].counts == counts
    assert_agrees(out, gold_dir)


def test_attribute_accuracy_over_required_matches(tmp_path):
    """Accuracy counts the pairs matched to required items only. A null gold year is not met by
    a year. An optional match with a wrong unit changes nothing."""
    gold = [g_target("合格率"), g_target("达标率", target_year=None), g_target("覆盖率", optional=True)]
    rows = [r_target("合格率", unit="个"), r_target("达标率"), r_target("覆盖率", unit="家")]
    out, gold_dir = write_case(tmp_path, {"targets": gold}, {"targets": rows})
    score = assert_agrees(out, gold_dir)["targets"]["d"]
    assert {a: score.accuracy(a) for a in ATTRIBUTES["targets"]} == {
        "kind": 1.0, "unit": 0.5, "comparator": 1.0, "target_year": 0.5, "baseline_value": 1.0}


def test_tie_goes_to_earlier_gold_item(tmp_path):
    """Equal similarity: the earlier gold item gets the row. Here that is visible in the unit."""
    gold = [g_target("合格率", unit="%"), g_target("合格率", unit="个")]
    out, gold_dir = write_case(tmp_path, {"targets": gold}, {"targets": [r_target("合格率", unit="个")]})
    score = assert_agrees(out, gold_dir)["targets"]["d"]
    assert score.accuracy("unit") == 0.0
    assert [m["unit"] for m in score.misses] == ["个"]


def test_tie_goes_to_the_row_at_the_quote(tmp_path):
    """Equal similarity: a row whose sentence holds the start of the gold quote wins over one
    that comes earlier but elsewhere."""
    gold = [g_target("合格率", quote="全市产品质量合格率稳定在95%以上")]
    rows = [r_target("合格率", sentence="服务合格率达到95%。"), r_target("合格率", sentence="全市产品质量合格率稳定在95%以上。")]
    out, gold_dir = write_case(tmp_path, {"targets": gold}, {"targets": rows})
    assert [row["sentence"] for row in assert_agrees(out, gold_dir)["targets"]["d"].spurious] == ["服务合格率达到95%。"]


def test_tie_goes_to_the_row_holding_the_whole_quote(tmp_path):
    """Two quotes with the same first 12 characters (a prose goal and its table row, as in the
    Suzhou plan): each gold item gets the row whose sentence holds its whole quote, even when
    another wording is closer. Crossing them would show as a wrong baseline."""
    table_quote = "新增鲁班奖等国家级优质工程奖项（5年）\n\t项\n\t21\n\t22"
    gold = [g_target("新增鲁班奖等国家级优质工程奖项", 22, quote="新增鲁班奖等国家级优质工程奖项22项"),
            g_target("新增鲁班奖等国家级优质工程奖项", 22, quote=table_quote, baseline_value=21)]
    rows = [r_target("新增鲁班奖等国家级优质工程奖项（5年）", 22, baseline_value=21, sentence="5\n\t" + table_quote),
            r_target("鲁班奖等国家级优质工程奖项", 22, sentence="全面提升城市建设品质，新增鲁班奖等国家级优质工程奖项22项。")]
    out, gold_dir = write_case(tmp_path, {"targets": gold}, {"targets": rows})
    assert assert_agrees(out, gold_dir)["targets"]["d"].accuracy("baseline_value") == 1.0


def test_tie_goes_to_the_closer_wording(tmp_path):
    """Both rows contain the gold text (similarity 1), and neither is at the quote. The one
    with the same wording wins over the earlier one that only contains it."""
    gold = [g_deadline("“十四五”末", 2025)]
    rows = [r_deadline("“十四五”", 2025), r_deadline("“十四五”末", 2025)]
    out, gold_dir = write_case(tmp_path, {"deadlines": gold}, {"deadlines": rows})
    assert [row["text"] for row in assert_agrees(out, gold_dir)["deadlines"]["d"].spurious] == ["“十四五”"]


def test_empty_comparison_is_undefined(tmp_path):
    """A table with neither gold nor rows for a document has no P, R or F1: null in JSON,
    "—" in text. An F1 with spurious rows but no gold is 0, not undefined."""
    out, gold_dir = write_case(tmp_path, {"targets": [g_target("合格率")]},
                               {"targets": [r_target("合格率")], "measures": [r_measure("加强质量监管")]})
    report = assert_agrees(out, gold_dir)
    assert report["deadlines"]["d"].counts == (0, 0, 0)
    assert (report["measures"]["d"].precision, report["measures"]["d"].recall, report["measures"]["d"].f1) == (
        0.0, None, 0.0)
    reported = evaluate_json(out, gold_dir)["deadlines"]["ALL"]
    assert (reported["precision"], reported["recall"], reported["f1"]) == (None, None, None)
    text = CliRunner().invoke(cli, ["evaluate", str(out), str(gold_dir)], catch_exceptions=False).output
    block = text.split("deadlines", 1)[1].split("\n\n", 1)[0]
    line = next(line for line in block.splitlines() if line.split()[:1] == ["d"])
    assert line.split()[1:4] == ["—", "—", "—"]


def test_document_missing_from_output_is_all_misses(tmp_path):
    """A gold document that the output lacks counts every required item as a miss."""
    gold = [g_target("合格率"), dict(g_target("达标率"), doc="e")]
    out, gold_dir = write_case(tmp_path, {"targets": gold}, {"targets": [r_target("合格率")]})
    report = assert_agrees(out, gold_dir)["targets"]
    assert (report["d"].counts, report["e"].counts) == ((1, 0, 0), (0, 0, 1))


# --- (d) --min-f1 and --format json -------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_out(corpus_tables, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    write_tables(corpus_tables, out)
    return out


@pytest.mark.parametrize("floor, exit_code", [(0.0, 0), ("below-lowest", 0), ("above-lowest", 1), (1.01, 1)])
def test_min_f1_exit_code(corpus_out, floor, exit_code):
    """``--min-f1`` exits 1 exactly when some table's F1 is below the floor. The corpus's own
    undefined comparison (Jiangsu has no responsible areas to score) does not fail it."""
    lowest = min(t["ALL"]["f1"] for t in evaluate_json(corpus_out, GOLD).values())
    floor = {"below-lowest": lowest - 1e-3, "above-lowest": lowest + 1e-3}.get(floor, floor)
    result = CliRunner().invoke(cli, ["evaluate", str(corpus_out), str(GOLD), "--min-f1", str(floor)])
    assert result.exit_code == exit_code, result.output


def test_min_f1_ignores_an_undefined_table(tmp_path):
    """A table with nothing to compare in any document does not fail ``--min-f1 1``."""
    out, gold_dir = write_case(tmp_path, {"targets": [g_target("合格率")]}, {"targets": [r_target("合格率")]})
    result = CliRunner().invoke(cli, ["evaluate", str(out), str(gold_dir), "--min-f1", "1"])
    assert result.exit_code == 0, result.output


def test_json_has_what_a_script_needs(corpus_out):
    """Valid JSON: per table, its documents and ALL with counts, rates and accuracies, plus the
    misses, spurious rows and attribute errors."""
    report = evaluate_json(corpus_out, GOLD)
    assert set(report) == set(SCORED)
    for table, entry in report.items():
        assert {"documents", "ALL", "misses", "spurious", "attribute_errors"} <= set(entry), table
        assert set(entry["documents"]) == {path.stem for path in CORPUS_FILES}
        for score in [entry["ALL"], *entry["documents"].values()]:
            assert {"tp", "fp", "fn", "precision", "recall", "f1", "accuracy"} <= set(score)
            assert set(score["accuracy"]) == set(ATTRIBUTES[table])
