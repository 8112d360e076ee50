"""Writers: one function per format, each writing a table atomically.

A file is written to a temporary name beside its target and renamed into place, so an
interrupted run never leaves a half-written table.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

# Text a spreadsheet would run as a formula; prefixed with ' when written for Excel.
_FORMULA_START = ("=", "+", "-", "@")


@contextmanager
def atomic_path(path: Path):
    """Yield a temporary path next to ``path``; rename it over ``path`` on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that start like a formula with ``'`` (CSV/XLSX injection)."""
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == "string":
            values = out[column]
            risky = values.str.startswith(_FORMULA_START, na=False) & ~values.str.fullmatch(r"-?\d+(\.\d+)?", na=False)
            out.loc[risky, column] = "'" + values[risky]
    return out


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """CSV in UTF-8 with a BOM, so Excel on Chinese Windows opens it correctly."""
    with atomic_path(path) as tmp:
        neutralise_formulas(df).to_csv(tmp, index=False, encoding="utf-8-sig")


WRITERS = {"csv": (write_csv, ".csv")}


def write_tables(tables: dict[str, pd.DataFrame], directory: Path, fmt: str = "csv") -> list[Path]:
    """Write every table to ``directory`` in ``fmt``; returns the paths written."""
    writer, suffix = WRITERS[fmt]
    written = []
    for name, df in tables.items():
        path = Path(directory) / f"{name}{suffix}"
        writer(df, path)
        written.append(path)
    return written
