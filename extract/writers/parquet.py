"""Parquet: one file per table, written by pyarrow; types and nulls are kept exactly.

The schema comes from the contract's dtypes, not from the rows, and each batch the sink
writes (see :mod:`.sink`) is one row group.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from .common import Dtype, arrow_schema, arrow_table

SUFFIX = ".parquet"


class TableFile:
    """One table's Parquet file, a row group per batch."""

    def __init__(self, path: Path, dtypes: Mapping[str, Dtype]) -> None:
        self._schema = arrow_schema(dtypes)
        self._writer = pq.ParquetWriter(path, self._schema)

    def write(self, df: pd.DataFrame) -> None:
        """Write ``df`` as one row group."""
        self._writer.write_table(arrow_table(df, self._schema))

    def close(self) -> None:
        """Write the footer and close the file."""
        self._writer.close()


def read_table(path: Path) -> pd.DataFrame:
    """Read one Parquet table with pandas' nullable dtypes.

    Args:
        path: A file written by :class:`TableFile`.

    Returns:
        The table.
    """
    return pd.read_parquet(path, engine="pyarrow", dtype_backend="numpy_nullable")
