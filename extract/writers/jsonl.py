"""JSON Lines: one file per table, one object per row.

Chinese is written as itself (``ensure_ascii=False``), null as ``null``, whole-number columns
as JSON integers. Unlike CSV, the empty string and null stay distinct.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from .common import plain_rows, read_each, write_each

SUFFIX = ".jsonl"


def write_table(df: pd.DataFrame, path: Path) -> None:
    """Write one table to ``path`` as JSON Lines.

    Args:
        df: The table.
        path: The file to write.
    """
    columns = [str(c) for c in df.columns]
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for row in plain_rows(df):
            # allow_nan=False: NaN is not JSON; plain_rows has already made it null.
            handle.write(json.dumps(dict(zip(columns, row)), ensure_ascii=False, allow_nan=False) + "\n")


def read_table(path: Path) -> pd.DataFrame:
    """Read one JSON Lines table; blank lines are skipped.

    Args:
        path: A file written by :func:`write_table`.

    Returns:
        The table, untyped (:func:`~extract.writers.common.typed` types it).
    """
    with open(path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    # dtype=object keeps the Python ints: inference would turn a column with a null to float.
    return pd.DataFrame(rows, dtype=object)
