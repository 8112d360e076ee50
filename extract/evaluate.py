"""Score an output directory against gold JSONL, as ``DESIGN.md`` specifies.

Per document, gold and predicted rows are paired one to one, greedily, highest similarity
first. Optional gold rows are neither rewarded nor penalised: a prediction paired with one
is dropped from both sides. String similarity is 1 when, after removing spaces and
punctuation, one string contains the other and the longer is at most twice the shorter
plus 6 characters; otherwise the Dice coefficient of the character bigrams.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd
import regex

from .normalise import normalise_text

_STRIP = regex.compile(r"[\p{P}\p{S}\s]+")

TABLES = ("targets", "deadlines", "areas", "measures")
ATTRIBUTES = {
    "targets": ("kind", "unit", "comparator", "target_year", "baseline_value"),
    "deadlines": ("kind", "start_year"),
    "areas": ("canonical", "level", "admin_code"),
    "measures": ("section",),
}


def similarity(a: str, b: str) -> float:
    """1 for containment within the length bound, else the Dice coefficient of bigrams."""
    a, b = _STRIP.sub("", a or ""), _STRIP.sub("", b or "")
    if not a or not b:
        return 0.0
    short, long_ = sorted((a, b), key=len)
    if short in long_ and len(long_) <= 2 * len(short) + 6:
        return 1.0
    ga, gb = _bigrams(a), _bigrams(b)
    if not ga or not gb:
        return 0.0
    common = sum(min(ga.count(x), gb.count(x)) for x in set(ga))
    return 2 * common / (len(ga) + len(gb))


def _bigrams(s: str) -> list[str]:
    return [s[i : i + 2] for i in range(len(s) - 1)]


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
    names = {_text(pred.get("canonical")), _text(pred.get("area"))} - {""}
    if gold["canonical"] not in names and gold["area"] not in names:
        return 0.0
    return 1.0 if normalise_text(gold["quote"])[:12] in _text(pred.get("sentence")) else 0.0


def _measure_score(gold: dict, pred: dict) -> float:
    return similarity(gold["title"], _text(pred.get("title")))


SCORERS: dict[str, tuple[Callable[[dict, dict], float], float]] = {
    "targets": (_target_score, 0.5),
    "deadlines": (_deadline_score, 0.5),
    "areas": (_area_score, 1.0),
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
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, column: str) -> float | None:
        if not self.pairs:
            return None
        return sum(_same_value(column, g.get(column), p.get(column)) for g, p in self.pairs) / len(self.pairs)

    def add(self, other: "TableScore") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.pairs += other.pairs
        self.misses += other.misses
        self.spurious += other.spurious


def match(table: str, gold: list[dict], pred: list[dict]) -> TableScore:
    """Greedy one-to-one matching of one document's rows of ``table``."""
    scorer, threshold = SCORERS[table]
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            score = scorer(g, p)
            if score >= threshold:
                # Ties (the spec leaves their order open) go to the row whose sentence holds the quote.
                located = normalise_text(g.get("quote", ""))[:12] in _text(p.get("sentence"))
                candidates.append((-score, not located, bool(g.get("optional")), gi, pi))
    candidates.sort()
    used_gold, used_pred = set(), set()
    result = TableScore()
    for _neg, _elsewhere, optional, gi, pi in candidates:
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        if not optional:
            result.tp += 1
            result.pairs.append((gold[gi], pred[pi]))
    result.misses = [g for gi, g in enumerate(gold) if gi not in used_gold and not g.get("optional")]
    result.fn = len(result.misses)
    result.spurious = [p for pi, p in enumerate(pred) if pi not in used_pred]
    result.fp = len(result.spurious)
    return result


def load_gold(gold_dir: Path, table: str) -> list[dict]:
    path = Path(gold_dir) / f"{table}.jsonl"
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if table == "areas":
        rows = [r for r in rows if r.get("responsible")]
    return rows


def load_predictions(output_dir: Path, table: str) -> list[dict]:
    path = Path(output_dir) / f"{table}.csv"
    if not path.exists():
        return []
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    rows = df.to_dict("records")
    if table == "areas":
        rows = [r for r in rows if str(r.get("responsible")).lower() == "true"]
    return rows


def evaluate(output_dir: str | Path, gold_dir: str | Path) -> dict[str, dict[str, TableScore]]:
    """``{table: {doc_id or "ALL": TableScore}}`` for the documents gold covers."""
    report: dict[str, dict[str, TableScore]] = {}
    for table in TABLES:
        gold = load_gold(Path(gold_dir), table)
        pred = load_predictions(Path(output_dir), table)
        docs = sorted({g["doc"] for g in gold})
        per_doc = {}
        total = TableScore()
        for doc in docs:
            score = match(table, [g for g in gold if g["doc"] == doc], [p for p in pred if p.get("doc_id") == doc])
            per_doc[doc] = score
            total.add(score)
        per_doc["ALL"] = total
        report[table] = per_doc
    return report


def summary(report: dict[str, dict[str, TableScore]]) -> dict:
    """The report as plain data (for ``--format json``)."""
    out = {}
    for table, per_doc in report.items():
        out[table] = {
            doc: {
                "precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4),
                "tp": s.tp, "fp": s.fp, "fn": s.fn,
                "accuracy": {c: (None if s.accuracy(c) is None else round(s.accuracy(c), 4))
                             for c in ATTRIBUTES[table]},
            }
            for doc, s in per_doc.items()
        }
        total = per_doc["ALL"]
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
            "measures": ("doc", "doc_id", "section", "title")}[table]
    return {k: row[k] for k in keys if k in row and row[k] not in ("", None)}
