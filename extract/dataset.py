"""The output contract: table names, their columns in order, and the typed empty frames.

The tables, their columns in order and each column's type come from ``extract/schema.yaml``
(:mod:`planx.schema`, documented in ``docs/columns.md``); more columns may follow them.
Passes emit plain dicts; :func:`frame` turns a table's rows into a DataFrame with the
contract's columns and dtypes, so every writer and reader sees the same shape.
"""

from __future__ import annotations

import pandas as pd

from . import schema

COLUMNS: dict[str, list[str]] = {name: [column.name for column in table.columns]
                                 for name, table in schema.tables().items()}

# Nullable dtypes, by column name: an unknown year or value is empty, never 0.
_DTYPES = {column: schema.PANDAS_DTYPES[type_] for column, type_ in schema.column_types().items()}

ID_PREFIX = {"targets": "T", "deadlines": "D", "areas": "A", "measures": "M", "agencies": "G"}
ID_COLUMN = {"targets": "target_id", "deadlines": "deadline_id", "areas": "area_id",
             "measures": "measure_id", "agencies": "agency_id"}


def dtype(column: str) -> str:
    """The pandas dtype of a column called ``column``; text for a column outside the contract.

    Example:
        >>> dtype("target_year"), dtype("value"), dtype("issue_date"), dtype("note")
        ('Int64', 'Float64', 'string', 'string')
    """
    return _DTYPES.get(column, "string")


def frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """A DataFrame of ``rows`` with the contract's columns first, typed."""
    columns = COLUMNS[table]
    extra = [c for row in rows for c in row if c not in columns]
    columns = columns + list(dict.fromkeys(extra))
    # Column by column, straight into each dtype: an object frame cast afterwards took three
    # times as long, and this runs once per document and table (bench/README.md).
    return pd.DataFrame({c: pd.array([row.get(c) for row in rows], dtype=dtype(c)) for c in columns},
                        columns=columns)
