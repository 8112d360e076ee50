"""Parquet: one file per table, written by pyarrow; types and nulls are kept exactly."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from .common import read_each, write_each

SUFFIX = ".parquet"


def write_table(df: pd.DataFrame, path: Path) -> None:
    """Write one table to ``path`` as Parquet.

    Args:
        df: The table.
        path: The file to write.
    """
    df.to_parquet(path, engine="pyarrow", index=False)


def read_table(path: Path) -> pd.DataFrame:
    """Read one Parquet table with pandas' nullable dtypes.

    Args:
        path: A file written by :func:`write_table`.

    Returns:
        The table.
    """
    return pd.read_parquet(path, engine="pyarrow", dtype_backend="numpy_nullable")
