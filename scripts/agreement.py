"""Inter-annotator agreement: one gold folder scored against another by planx's own scorer.

    python scripts/agreement.py tests/gold tests/gold-second [--corpus corpus]

The second folder holds independent annotations of some corpus documents, in the gold format.
Each of its records becomes an output row (its quote widened to the sentence it stands in,
as planx's rows carry sentences), and ``planx evaluate`` scores those rows against the first
folder, restricted to the documents both annotated. F1 is symmetric, so which folder plays
gold only swaps precision and recall.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import regex

from planx.dataset import COLUMNS, frame
from planx.evaluate import TABLES, by_group, evaluate, load_gold, rate
from planx.normalise import normalise_text
from planx.writers import write_tables

SENTENCE_END = regex.compile(r"[。！？!?\n]")


def sentence_around(text: str, quote: str) -> str:
    """The sentence of ``text`` that holds ``quote`` (the quote itself when it spans several)."""
    at = text.find(quote)
    if at < 0:
        return quote
    start = max((m.end() for m in SENTENCE_END.finditer(text, 0, at)), default=0)
    end_match = SENTENCE_END.search(text, at + len(quote))
    return text[start : end_match.end() if end_match else len(text)]


def as_rows(records: list[dict], texts: dict[str, str]) -> list[dict]:
    """Required gold records as output rows: ``doc_id``, the fields, and a normalised ``sentence``."""
    rows = []
    for record in records:
        if record.get("optional"):
            continue  # the second annotator's own borderline items claim nothing
        row = {k: v for k, v in record.items() if k not in ("doc", "quote", "optional")}
        row["doc_id"] = record["doc"]
        row["sentence"] = normalise_text(sentence_around(texts.get(record["doc"], ""), record["quote"]))
        rows.append(row)
    return rows


def document_texts(corpus: Path, docs: set[str]) -> dict[str, str]:
    """The text each annotator quoted from: the .txt itself, or what planx reads from other formats."""
    from planx.api import load_document

    texts = {}
    for path in corpus.iterdir():
        if path.stem in docs:
            texts[path.stem] = path.read_text(encoding="utf-8") if path.suffix == ".txt" else load_document(path).text
    return texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold", type=Path)
    parser.add_argument("second", type=Path)
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    args = parser.parse_args(argv)

    second = {table: load_gold(args.second, table) for table in TABLES}
    docs = {r["doc"] for records in second.values() for r in records}
    texts = document_texts(args.corpus, docs)
    with tempfile.TemporaryDirectory() as tmp:
        gold_dir, out_dir = Path(tmp, "gold"), Path(tmp, "out")
        gold_dir.mkdir()
        for table in TABLES:
            shared = [r for r in load_gold(args.gold, table) if r["doc"] in docs]
            (gold_dir / f"{table}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in shared),
                                                     encoding="utf-8")
        tables = {table: frame(table, as_rows(second.get(table, []), texts)) for table in COLUMNS
                  if table not in ("documents", "errors")}
        tables["documents"] = frame("documents", [{"doc_id": doc} for doc in sorted(docs)])
        write_tables(tables, out_dir)
        report = evaluate(out_dir, gold_dir)
    print("table      document                          P      R      F1   (tp fp fn)")
    for table, per_doc in by_group(report, {d: d for d in docs}).items():
        for doc, s in per_doc.items():
            print(f"{table:<10} {doc:<30} {rate(s.precision)} {rate(s.recall)} {rate(s.f1)}   ({s.tp} {s.fp} {s.fn})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
