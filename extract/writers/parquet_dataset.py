"""Partitioned Parquet: each table a directory of part files, as Dask, Spark and DuckDB read them.

``<table>/part-00000.parquet``, ``part-00001.parquet``…: one part per batch the sink writes
(see :mod:`.sink`), so a table of any size is written a part at a time and read back, or
queried, a part at a time (``pandas.read_parquet("out/targets")``,
``dask.dataframe.read_parquet("out/targets")``, ``SELECT * FROM 'out/targets/*.parquet'``).
Each table's directory is written under a temporary name and put in place when the sink
closes. The schema comes from the contract's dtypes, as for the one-file Parquet format.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .common import Dtype, arrow_schema, arrow_table, typed
from .sink import Sink as BaseSink

SUFFIX = ".parquet"
_PART = "part-{:05d}.parquet"


class Sink(BaseSink):
    """Writes each table as a directory of Parquet parts."""

    def _start(self) -> None:
        self._folders: dict[str, Path] = {}
        self._schemas: dict[str, pa.Schema] = {}
        self._parts: dict[str, int] = {}

    def _add_table(self, name: str, dtypes: dict[str, Dtype]) -> None:
        self._folders[name] = self._temp(self.directory / name, directory=True)
        self._schemas[name] = arrow_schema(dtypes)
        self._parts[name] = 0

    def _write(self, name: str, df: pd.DataFrame) -> None:
        # An empty table still gets one (empty) part, so that its directory holds its schema.
        if len(df) or not self._parts[name]:
            part = self._folders[name] / _PART.format(self._parts[name])
            pq.write_table(arrow_table(df, self._schemas[name]), part)
            self._parts[name] += 1


def read(directory: Path) -> dict[str, pd.DataFrame]:
    """Read every table directory under ``directory``, parts in order.

    Args:
        directory: An output directory written by :class:`Sink`.

    Returns:
        Table name to typed frame, by name.
    """
    folders = sorted(p for p in Path(directory).iterdir() if p.is_dir() and not p.name.startswith(".")
                     and any(p.glob(f"*{SUFFIX}")))
    return {folder.name: typed(folder.name, _read_parts(folder)) for folder in folders}


def _read_parts(folder: Path) -> pd.DataFrame:
    parts = sorted(folder.glob(f"part-*{SUFFIX}"))
    frames = [pd.read_parquet(part, engine="pyarrow", dtype_backend="numpy_nullable") for part in parts]
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
