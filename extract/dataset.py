"""The output contract: table names, their columns in order, and the typed empty frames.

Column names and order follow ``DESIGN.md``; more columns may follow them. Passes emit
plain dicts; :func:`frame` turns a table's rows into a DataFrame with the contract's columns
and dtypes, so every writer and reader sees the same shape.
"""

from __future__ import annotations

import pandas as pd

GROUNDING = ["section", "sentence", "start", "end", "rule"]

COLUMNS: dict[str, list[str]] = {
    "documents": ["doc_id", "title", "issuer", "issue_date", "period_start", "period_end", "region",
                  "region_code", "source_path", "format", "sha256", "chars", "doc_number"],
    # value_text, the quantity as written, follows the design's columns (it allows more after them).
    "targets": ["doc_id", "target_id", "kind", "indicator", "indicator_key", "value", "value_max", "unit",
                "comparator", "target_year", "baseline_value", "baseline_year", "area", "measure_id",
                *GROUNDING, "value_text"],
    "deadlines": ["doc_id", "deadline_id", "text", "kind", "start_year", "end_year", "measure_id", *GROUNDING],
    "areas": ["doc_id", "area_id", "area", "canonical", "level", "parent", "admin_code", "responsible",
              "measure_id", *GROUNDING],
    "measures": ["doc_id", "measure_id", "section", "title", "text", "policy_tool", "start", "end", "rule"],
    "agencies": ["doc_id", "agency_id", "agency", "role", "measure_id", *GROUNDING],
    "errors": ["source_path", "error"],
}

# Nullable dtypes: an unknown year or value is empty, never 0.
_INT = {"start", "end", "chars", "period_start", "period_end", "target_year", "baseline_year",
        "start_year", "end_year"}
_FLOAT = {"value", "value_max", "baseline_value"}
_BOOL = {"responsible"}

ID_PREFIX = {"targets": "T", "deadlines": "D", "areas": "A", "measures": "M", "agencies": "G"}
ID_COLUMN = {"targets": "target_id", "deadlines": "deadline_id", "areas": "area_id",
             "measures": "measure_id", "agencies": "agency_id"}


def dtype(column: str) -> str:
    if column in _INT:
        return "Int64"
    if column in _FLOAT:
        return "Float64"
    if column in _BOOL:
        return "boolean"
    return "string"


def frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """A DataFrame of ``rows`` with the contract's columns first, typed."""
    columns = COLUMNS[table]
    extra = [c for row in rows for c in row if c not in columns]
    columns = columns + list(dict.fromkeys(extra))
    # Column by column, straight into each dtype: an object frame cast afterwards took three
    # times as long, and this runs once per document and table (bench/README.md).
    return pd.DataFrame({c: pd.array([row.get(c) for row in rows], dtype=dtype(c)) for c in columns},
                        columns=columns)
