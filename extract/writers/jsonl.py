"""JSON Lines: one file per table, one object per row.

Chinese is written as itself (``ensure_ascii=False``), null as ``null``, whole-number columns
as JSON integers. Unlike CSV, the empty string and null stay distinct.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .common import plain_rows
from .sink import TextTableFile

SUFFIX = ".jsonl"


class TableFile(TextTableFile):
    """One table's JSON Lines file, a line per row."""

    def write(self, df: pd.DataFrame) -> None:
        """Append ``df``'s rows."""
        for row in plain_rows(df):
            # allow_nan=False: NaN is not JSON; plain_rows has already made it null.
            self.handle.write(json.dumps(dict(zip(self.columns, row)), ensure_ascii=False, allow_nan=False) + "\n")


def read_table(path: Path) -> pd.DataFrame:
    """Read one JSON Lines table; blank lines are skipped.

    Args:
        path: A file written by :class:`TableFile`.

    Returns:
        The table, untyped (:func:`~planx.writers.common.typed` types it).
    """
    with open(path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    # dtype=object keeps the Python ints: inference would turn a column with a null to float.
    return pd.DataFrame(rows, dtype=object)
