"""Score an output directory against gold JSONL, as ``DESIGN.md`` specifies.

Per document, gold and predicted rows are paired one to one, greedily, highest similarity
first. Optional gold rows are neither rewarded nor penalised: required rows are paired first,
and optional ones only take the predictions left over, which then count on neither side.
String similarity is 1 when, after removing spaces and punctuation, one string contains the
other and the longer is at most twice the shorter plus 6 characters; otherwise the Dice
coefficient of the character bigrams.

Every document that any gold table names is scored in every table; predictions for other
documents are not scored. Precision, recall and F1 are ``None`` (undefined) when their
denominator is 0, as for a table where a document has neither gold nor predicted rows.

Scores add up by document, by genre (from ``corpus/catalog.csv`` or any catalog with
``doc_id`` and ``genre`` columns) or over everything, and :func:`below_floors` checks them
against the F1 floors kept in ``tests/gold/floors.yaml``.

``tests/test_evaluate_spec.py`` checks all of this against a reference written from the spec.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd
import regex
import yaml

from .errors import ExtractError
from .normalise import normalise_text
from .writers import RUN_INFO, read_tables, recorded_format

# Code, not a rule: it compares extracted text with the gold, it reads no plan.
# Spaces and punctuation only: symbols (～ + × ℃ ㎡) are part of the wording.
_STRIP = regex.compile(r"[\p{P}\s]+")

TABLES = ("targets", "deadlines", "areas", "agencies", "measures")
ATTRIBUTES = {
    "targets": ("kind", "unit", "comparator", "target_year", "baseline_value"),
    "deadlines": ("kind", "start_year"),
    "areas": ("canonical", "level", "admin_code"),
    "agencies": ("role",),
    "measures": ("section", "policy_tool"),
}
# The string whose similarity pairs each table's rows.
KEYS = {"targets": "indicator", "deadlines": "text", "areas": "area", "agencies": "agency", "measures": "title"}


def similarity(a: str, b: str) -> float:
    """1 for containment within the length bound, else the Dice coefficient of bigrams.

    Example:
        >>> from planx.evaluate import similarity
        >>> similarity("制造业质量竞争力指数", "制造业质量竞争力指数达88")
        1.0
        >>> round(similarity("检验检测国家级中心", "检验检测省级中心"), 2)
        0.67
    """
    a, b = _STRIP.sub("", a or ""), _STRIP.sub("", b or "")
    if not a or not b:
        return 0.0
    short, long_ = sorted((a, b), key=len)
    if short in long_ and len(long_) <= 2 * len(short) + 6:
        return 1.0
    return _dice(a, b)


def _dice(a: str, b: str) -> float:
    """Dice coefficient of the character bigrams, a repeated bigram counted as often as it occurs."""
    ga, gb = _bigrams(a), _bigrams(b)
    if not ga or not gb:
        return 0.0
    return 2 * (ga & gb).total() / (ga.total() + gb.total())


def _bigrams(s: str) -> Counter:
    return Counter(s[i : i + 2] for i in range(len(s) - 1))


def _closeness(a: str, b: str) -> float:
    """How alike two wordings are beyond :func:`similarity`: 1 when equal, else their Dice."""
    a, b = _STRIP.sub("", a), _STRIP.sub("", b)
    return 1.0 if a and a == b else _dice(a, b)


def _number(x) -> float | None:
    if x is None or (isinstance(x, float) and math.isnan(x)) or x == "" or x is pd.NA:
        return None
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def _same_number(a, b) -> bool:
    a, b = _number(a), _number(b)
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _text(x) -> str:
    if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)):
        return ""
    return str(x)


def _same_value(column: str, gold, pred) -> bool:
    if column in ("target_year", "start_year", "end_year", "baseline_value", "value", "value_max"):
        return _same_number(gold, pred)
    return _text(gold) == _text(pred)


def _target_score(gold: dict, pred: dict) -> float:
    if not _same_number(gold["value"], pred.get("value")):
        return 0.0
    if _number(gold.get("value_max")) is not None and not _same_number(gold["value_max"], pred.get("value_max")):
        return 0.0
    return similarity(gold["indicator"], _text(pred.get("indicator")))


def _deadline_score(gold: dict, pred: dict) -> float:
    if not _same_number(gold["end_year"], pred.get("end_year")):
        return 0.0
    return similarity(gold["text"], _text(pred.get("text")))


def _area_score(gold: dict, pred: dict) -> float:
    same_place = any(gold.get(c) and gold[c] == _text(pred.get(c)) for c in ("canonical", "area"))
    return 1.0 if same_place and _quote_start(gold) in _text(pred.get("sentence")) else 0.0


def _agency_score(gold: dict, pred: dict) -> float:
    """The same agency (one name containing the other) named in the sentence the gold quote opens."""
    a, b = _STRIP.sub("", gold.get("agency") or ""), _STRIP.sub("", _text(pred.get("agency")))
    same_agency = bool(a and b) and (a in b or b in a)
    return 1.0 if same_agency and _quote_start(gold) in _text(pred.get("sentence")) else 0.0


def _quote_start(gold: dict) -> str:
    """The gold quote's first 12 characters as the normalised text (rows' sentences) has them."""
    return normalise_text(gold.get("quote", ""))[:12]


def _measure_score(gold: dict, pred: dict) -> float:
    return similarity(gold["title"], _text(pred.get("title")))


SCORERS: dict[str, tuple[Callable[[dict, dict], float], float]] = {
    "targets": (_target_score, 0.5),
    "deadlines": (_deadline_score, 0.5),
    "areas": (_area_score, 1.0),
    "agencies": (_agency_score, 1.0),
    "measures": (_measure_score, 0.8),
}


@dataclass
class TableScore:
    """Counts, matched pairs and leftovers of one table (over one or all documents)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    pairs: list[tuple[dict, dict]] = field(default_factory=list)
    misses: list[dict] = field(default_factory=list)
    spurious: list[dict] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        """tp / (tp + fp); None when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """tp / (tp + fn); None when gold holds nothing to find."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """2tp / (2tp + fp + fn), the harmonic mean of P and R; None when both sides are empty."""
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else None

    def accuracy(self, column: str) -> float | None:
        """Share of matched pairs whose ``column`` agrees, over the pairs whose gold row has it.

        Gold may annotate a column for some documents only (``policy_tool``); pairs whose gold
        lacks the key are not counted. None when no pair counts.
        """
        pairs = [(g, p) for g, p in self.pairs if column in g]
        if not pairs:
            return None
        return sum(_same_value(column, g.get(column), p.get(column)) for g, p in pairs) / len(pairs)

    def add(self, other: "TableScore") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.pairs += other.pairs
        self.misses += other.misses
        self.spurious += other.spurious


def match(table: str, gold: list[dict], pred: list[dict]) -> TableScore:
    """Greedy one-to-one matching of one document's rows of ``table``.

    Required gold rows are paired first. Optional ones are then paired with the predictions
    left over, so that an optional row never takes a prediction a required row needed.

    Example:
        >>> from planx.evaluate import match
        >>> gold = [{"indicator": "制造业质量竞争力指数", "value": 88},
        ...         {"indicator": "品牌价值", "value": 10}]
        >>> predicted = [{"indicator": "制造业质量竞争力指数达", "value": "88"},
        ...              {"indicator": "森林覆盖率", "value": "30"}]
        >>> score = match("targets", gold, predicted)
        >>> score.tp, score.fp, score.fn, score.f1
        (1, 1, 1, 0.5)
    """
    required = [g for g in gold if not g.get("optional")]
    optional = [g for g in gold if g.get("optional")]
    pairs = _greedy(table, required, pred)
    taken = {pi for _, pi in pairs}
    left = [pi for pi in range(len(pred)) if pi not in taken]
    absorbed = {left[i] for _, i in _greedy(table, optional, [pred[pi] for pi in left])}
    matched = {gi for gi, _ in pairs}
    result = TableScore(tp=len(pairs), pairs=[(required[gi], pred[pi]) for gi, pi in pairs])
    result.misses = [g for gi, g in enumerate(required) if gi not in matched]
    result.fn = len(result.misses)
    result.spurious = [p for pi, p in enumerate(pred) if pi not in taken | absorbed]
    result.fp = len(result.spurious)
    return result


def _greedy(table: str, gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """Pairs ``(gold index, pred index)`` taken one to one, highest similarity first.

    The spec leaves ties open. They go first to the row whose sentence holds the gold quote (the
    same place in the text), then to one whose sentence holds the quote's first 12 characters
    (a quote may run past a sentence), then to the closer wording (an exact 十四五末 before a
    十四五 that merely contains it), then to the earlier gold row and the earlier prediction.
    """
    scorer, threshold = SCORERS[table]
    key = KEYS[table]
    candidates = []
    for gi, g in enumerate(gold):
        quote = normalise_text(g.get("quote", ""))
        for pi, p in enumerate(pred):
            score = scorer(g, p)
            if score >= threshold:
                sentence = _text(p.get("sentence"))
                closeness = _closeness(_text(g.get(key)), _text(p.get(key)))
                candidates.append((-score, quote not in sentence, quote[:12] not in sentence, -closeness, gi, pi))
    used_gold, used_pred, pairs = set(), set(), []
    for *_, gi, pi in sorted(candidates):
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((gi, pi))
    return pairs


def load_gold(gold_dir: Path, table: str) -> list[dict]:
    """Every gold row of ``table``; none when its file is missing.

    Example:
        >>> from planx.evaluate import load_gold
        >>> row = next(g for g in load_gold("tests/gold", "targets") if g["doc"] == "jiangsu-quality-opinion-2016")
        >>> row["quote"], row["value"], row["target_year"]
        ('制造业质量竞争力指数达88', 88, 2020)
    """
    path = Path(gold_dir) / f"{table}.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _scored_gold(table: str, rows: list[dict]) -> list[dict]:
    """The gold rows that are scored.

    Areas score responsible mentions only. A mention that is only named stays when it is
    optional, so that a prediction of it costs nothing, as optional means.
    """
    if table == "areas":
        return [r for r in rows if r.get("responsible") or r.get("optional")]
    return rows


def load_predictions(output_dir: Path, fmt: str | None = None) -> dict[str, list[dict]]:
    """The scored tables' rows in ``output_dir``, read in the format its ``run.json`` records.

    Without a ``run.json`` the folder is read as CSV. Every value is a string (empty for
    null), whatever the format kept, so that all formats score alike. Areas keep their
    responsible rows only.

    Example:
        >>> import tempfile, planx
        >>> from planx.evaluate import load_predictions
        >>> from planx.writers import write_tables
        >>> output = tempfile.mkdtemp()
        >>> _ = write_tables(planx.run("corpus/jiangsu-quality-opinion-2016.txt"), output)
        >>> row = load_predictions(output)["targets"][0]
        >>> row["indicator"], row["value"], row["baseline_value"]
        ('制造业质量竞争力指数', '88', '')
    """
    output_dir = Path(output_dir)
    if fmt is None:
        fmt = recorded_format(output_dir) if (output_dir / RUN_INFO).exists() else "csv"
    tables = read_tables(output_dir, fmt)
    rows = {}
    for table in TABLES:
        df = tables.get(table)
        records = [] if df is None else df.astype(object).map(_cell).to_dict("records")
        if table == "areas":
            records = [r for r in records if r.get("responsible", "").lower() == "true"]
        rows[table] = records
    return rows


def _cell(value) -> str:
    """A cell as CSV holds it: "" for null, integral floats without ``.0``."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def evaluate(output_dir: str | Path, gold_dir: str | Path, fmt: str | None = None) -> dict[str, dict[str, TableScore]]:
    """``{table: {doc_id or "ALL": TableScore}}`` for the documents gold covers.

    Raises:
        ExtractError: ``gold_dir`` holds no gold row at all (a wrong folder scores nothing).

    Example:
        >>> import tempfile, planx
        >>> from planx.evaluate import evaluate, rate
        >>> from planx.writers import write_tables
        >>> output = tempfile.mkdtemp()
        >>> _ = write_tables(planx.run("corpus/suzhou-quality-plan-14fyp.txt"), output)
        >>> report = evaluate(output, "tests/gold")
        >>> rate(report["targets"]["suzhou-quality-plan-14fyp"].f1)
        '0.9...'
    """
    gold_by_table = {table: load_gold(Path(gold_dir), table) for table in TABLES}
    docs = sorted({g["doc"] for gold in gold_by_table.values() for g in gold})
    if not docs:
        raise ExtractError(f"{gold_dir}: no gold rows ({', '.join(t + '.jsonl' for t in TABLES)}); "
                           "point it at a gold folder such as tests/gold")
    predictions = load_predictions(Path(output_dir), fmt)
    report: dict[str, dict[str, TableScore]] = {}
    for table, all_gold in gold_by_table.items():
        gold = _scored_gold(table, all_gold)
        pred = predictions[table]
        per_doc = {}
        total = TableScore()
        for doc in docs:
            score = match(table, [g for g in gold if g["doc"] == doc], [p for p in pred if p.get("doc_id") == doc])
            per_doc[doc] = score
            total.add(score)
        per_doc["ALL"] = total
        report[table] = per_doc
    return report


def load_catalog(path: str | Path) -> dict[str, str]:
    """Document id → genre, from a catalog CSV with ``doc_id`` and ``genre`` columns.

    Raises:
        ExtractError: the file is missing or lacks those columns.

    Example:
        >>> from planx.evaluate import load_catalog
        >>> load_catalog("corpus/catalog.csv")["suzhou-quality-plan-14fyp"]
        '专项规划'
    """
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError) as err:
        raise ExtractError(f"{path}: cannot read the catalog ({err}); pass --catalog FILE with doc_id and genre "
                           "columns") from None
    if not {"doc_id", "genre"} <= set(df.columns):
        raise ExtractError(f"{path}: a catalog needs doc_id and genre columns; it has {', '.join(df.columns)}")
    return dict(zip(df["doc_id"], df["genre"]))


def by_group(report: dict[str, dict[str, TableScore]], group_of: dict[str, str]) -> dict[str, dict[str, TableScore]]:
    """The per-document report summed by group (a genre, say), plus ``ALL``.

    Documents the mapping does not name fall in the group ``(not catalogued)``.

    Example:
        >>> from planx.evaluate import TableScore, by_group
        >>> report = {"targets": {"a": TableScore(tp=3, fn=1), "b": TableScore(tp=1, fp=1),
        ...                       "ALL": TableScore(tp=4, fp=1, fn=1)}}
        >>> {group: (s.tp, s.fp, s.fn) for group, s in by_group(report, {"a": "意见"})["targets"].items()}
        {'(not catalogued)': (1, 1, 0), '意见': (3, 0, 1), 'ALL': (4, 1, 1)}
    """
    grouped = {}
    for table, per_doc in report.items():
        groups: dict[str, TableScore] = {}
        for doc, score in per_doc.items():
            if doc != "ALL":
                groups.setdefault(group_of.get(doc, "(not catalogued)"), TableScore()).add(score)
        grouped[table] = {**dict(sorted(groups.items())), "ALL": per_doc["ALL"]}
    return grouped


def load_floors(path: str | Path) -> dict[str, dict[str, float]]:
    """F1 floors from YAML: ``{"ALL": {table: floor}, genre: {table: floor}, ...}``.

    Raises:
        ExtractError: the file cannot be read, or a floor is not a number between 0 and 1.

    Example:
        >>> from planx.evaluate import load_floors
        >>> sorted(load_floors("tests/gold/floors.yaml")["ALL"])
        ['agencies', 'areas', 'deadlines', 'measures', 'targets']
    """
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise ExtractError(f"{path}: cannot read the floors ({err})") from None
    floors = {}
    for group, tables in dict(data).items():
        if not isinstance(tables, dict):
            raise ExtractError(f"{path}: {group} must map table names to F1 floors")
        for table, floor in tables.items():
            if table not in TABLES or not isinstance(floor, (int, float)) or not 0 <= floor <= 1:
                raise ExtractError(f"{path}: {group} -> {table}: {floor!r} is not a floor; use one of "
                                   f"{', '.join(TABLES)} with a number from 0 to 1")
        floors[str(group)] = {t: float(f) for t, f in tables.items()}
    return floors


def below_floors(grouped: dict[str, dict[str, TableScore]], floors: dict[str, dict[str, float]]) -> list[str]:
    """``"group table: F1 0.712 < floor 0.730"`` for every score under its floor.

    ``grouped`` is :func:`by_group`'s result (or the per-document report for document floors).
    A group the floors name that has no score, or a table whose F1 is undefined, fails too:
    a floor that checks nothing would hide a regression.

    Example:
        >>> from planx.evaluate import TableScore, below_floors
        >>> grouped = {"targets": {"意见": TableScore(tp=7, fp=3, fn=3), "ALL": TableScore(tp=9, fp=1, fn=1)}}
        >>> below_floors(grouped, {"ALL": {"targets": 0.8}, "意见": {"targets": 0.8}, "专项规划": {"targets": 0.9}})
        ['意见 targets: F1 0.700 < floor 0.800', '专项规划 targets: F1 — < floor 0.900']
    """
    failures = []
    for group, tables in floors.items():
        for table, floor in tables.items():
            score = grouped.get(table, {}).get(group)
            f1 = None if score is None else score.f1
            if f1 is None or f1 < floor - 1e-9:
                failures.append(f"{group} {table}: F1 {rate(f1)} < floor {floor:.3f}")
    return failures


def failing(report: dict[str, dict[str, TableScore]], min_f1: float) -> list[str]:
    """The tables whose overall F1 is below ``min_f1``; an undefined F1 fails nothing.

    Example:
        >>> from planx.evaluate import TableScore, failing
        >>> failing({"targets": {"ALL": TableScore(tp=9, fn=1)}, "areas": {"ALL": TableScore(tp=1, fp=3)}}, 0.5)
        ['areas']
    """
    return [t for t, per_doc in report.items() if per_doc["ALL"].f1 is not None and per_doc["ALL"].f1 < min_f1]


def rate(value: float | None, digits: int = 3) -> str:
    """A precision, recall, F1 or accuracy for people: ``—`` when undefined.

    Example:
        >>> from planx.evaluate import rate
        >>> rate(2 / 3), rate(2 / 3, 2), rate(None)
        ('0.667', '0.67', '—')
    """
    return "—" if value is None else f"{value:.{digits}f}"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _scores(table: str, s: TableScore) -> dict:
    return {"precision": _round(s.precision), "recall": _round(s.recall), "f1": _round(s.f1),
            "tp": s.tp, "fp": s.fp, "fn": s.fn,
            "accuracy": {c: _round(s.accuracy(c)) for c in ATTRIBUTES[table]}}


def summary(report: dict[str, dict[str, TableScore]]) -> dict:
    """The report as plain data (for ``--format json``).

    Per table: ``documents`` (doc id → scores), ``ALL`` (the pooled scores), and ``misses``,
    ``spurious`` and ``attribute_errors`` over all documents. Scores are ``precision``, ``recall``
    and ``f1`` (null when undefined), ``tp``, ``fp``, ``fn`` and ``accuracy`` (column → share of
    matched pairs that agree, null with no pairs).

    Example:
        >>> from planx.evaluate import TableScore, summary
        >>> data = summary({"agencies": {"plan": TableScore(tp=1, fp=1), "ALL": TableScore(tp=1, fp=1)}})
        >>> data["agencies"]["ALL"]
        {'precision': 0.5, 'recall': 1.0, 'f1': 0.6667, 'tp': 1, 'fp': 1, 'fn': 0, 'accuracy': {'role': None}}
    """
    out = {}
    for table, per_doc in report.items():
        total = per_doc["ALL"]
        out[table] = {
            "documents": {doc: _scores(table, s) for doc, s in per_doc.items() if doc != "ALL"},
            "ALL": _scores(table, total),
        }
        out[table]["misses"] = [_brief(table, g) for g in total.misses]
        out[table]["spurious"] = [_brief(table, p) for p in total.spurious]
        out[table]["attribute_errors"] = [
            {"gold": _brief(table, g), "predicted": _brief(table, p), "column": c}
            for g, p in total.pairs for c in ATTRIBUTES[table] if not _same_value(c, g.get(c), p.get(c))
        ]
    return out


def _brief(table: str, row: dict) -> dict:
    keys = {"targets": ("doc", "doc_id", "indicator", "value", "value_max", "unit", "comparator", "kind", "target_year",
                        "baseline_value", "quote", "sentence"),
            "deadlines": ("doc", "doc_id", "text", "kind", "start_year", "end_year", "quote", "sentence"),
            "areas": ("doc", "doc_id", "area", "canonical", "admin_code", "quote", "sentence"),
            "agencies": ("doc", "doc_id", "agency", "role", "quote", "sentence"),
            "measures": ("doc", "doc_id", "section", "title", "policy_tool", "quote")}[table]
    return {k: row[k] for k in keys if k in row and row[k] not in ("", None)}
