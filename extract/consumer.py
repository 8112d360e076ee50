"""The consumer: a stream of Docs in, the contract's tables out.

Every table pass leaves one span per row in the span group named after its table, the row's
columns as ``span._.row_values``. This module reads those rows and adds the columns every
table shares: ``doc_id``, the row's id (``<doc_id>:T3``, numbered in text order), the
measure it sits in (innermost), its section path and its sentence. It decides nothing.
"""

from __future__ import annotations

from typing import Iterable

import pandas as pd
from spacy.tokens import Doc

from .dataset import COLUMNS, ID_COLUMN, ID_PREFIX, frame
from .document import MEASURES, ROW_GROUPS, TARGETS, path_text, rows_of, section_at, sentence_at, span_at, span_text
from .indicator_keys import key_targets
from .passes.metadata import documents_row


def tables_of(doc: Doc) -> dict[str, list[dict]]:
    """The rows of every table for one Doc, with their shared columns filled."""
    tables = {name: [] for name in COLUMNS if name != "errors"}
    tables["documents"] = [documents_row(doc)]
    measure_ids: dict[tuple[int, int], str] = {}
    for table in ROW_GROUPS:  # measures first: the other tables point at them
        rows = tables[table] = rows_of(doc, table)
        if table == TARGETS:
            key_targets(rows)
        for row in rows if table != MEASURES else ():  # a measure row carries its own section
            _ground(doc, row, measure_ids)
        _number(doc._.doc_id, table, rows)
        if table == MEASURES:
            measure_ids = {(row["start"], row["end"]): row["measure_id"] for row in rows}
    return tables


def to_tables(docs: Iterable[Doc]) -> dict[str, pd.DataFrame]:
    """The contract's tables as DataFrames for a stream of Docs (``errors`` empty).

    Example:
        >>> from planx import pipeline
        >>> tables = to_tables([pipeline.read("corpus/suzhou-quality-plan-14fyp.txt")])
        >>> len(tables["documents"]), tables["targets"]["doc_id"].unique().tolist()
        (1, ['suzhou-quality-plan-14fyp'])
    """
    collected: dict[str, list[dict]] = {name: [] for name in COLUMNS}
    for doc in docs:
        for table, rows in tables_of(doc).items():
            collected[table].extend(rows)
    return {name: frame(name, rows) for name, rows in collected.items()}


def _ground(doc: Doc, row: dict, measure_ids: dict[tuple[int, int], str]) -> None:
    """The measure, section path and sentence at the row's start."""
    measure = span_at(doc, MEASURES, row["start"])
    row["measure_id"] = measure_ids[measure.start, measure.end] if measure is not None else None
    if not row.get("section"):
        row["section"] = path_text(section_at(doc, row["start"]))
    if "sentence" not in row:
        sentence = sentence_at(doc, row["start"])
        row["sentence"] = span_text(sentence).strip() if sentence is not None else ""


def _number(doc_id: str, table: str, rows: list[dict]) -> None:
    """Number rows ``<doc_id>:<prefix><n>`` in text order and set ``doc_id``."""
    rows.sort(key=lambda r: (r["start"], r["end"]))
    for n, row in enumerate(rows, 1):
        row["doc_id"] = doc_id
        row[ID_COLUMN[table]] = f"{doc_id}:{ID_PREFIX[table]}{n}"
