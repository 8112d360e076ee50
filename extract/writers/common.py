"""What every format shares: atomic files, formula neutralising, typed frames, plain rows.

Each format module builds on these so that no writer has its own way of renaming a temporary
file or of turning pandas' nullable scalars into plain Python values.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from ..dataset import COLUMNS, dtype

# Text a spreadsheet would run as a formula; prefixed with ' when written for a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@")
# Cells that start like a formula yet cannot run one: a plain number such as -1, and a lone
# operator such as the comparator "=", a value of planx's own that the prefix would corrupt.
_HARMLESS = r"-?\d+(\.\d+)?|[=+\-@]"


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` and rename it over ``path`` on success.

    The temporary file sits in the same directory, so the rename is atomic: readers see the old
    file or the complete new one, never a partial one. If the block raises, the temporary file
    is removed and ``path`` is left as it was.

    Args:
        path: The file to produce. Its directory is created when missing.

    Yields:
        A path that does not exist yet, hidden (leading dot) and ending in ``path``'s suffix.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A name, not a created file: DuckDB refuses to open an existing empty file, and a file the
    # writer creates gets the usual permissions rather than mkstemp's owner-only 0600.
    tmp = path.with_name(f".{path.stem}.{secrets.token_hex(6)}.tmp{path.suffix}")
    try:
        yield tmp
        # Flush to disk before the rename, so a crash just after it cannot leave an empty file.
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with ``'``.

    Guards against CSV/formula injection: a cell starting with ``=``, ``+``, ``-`` or ``@`` is
    prefixed, unless it is a plain number (``-1``) or a lone operator (``=``).

    Args:
        df: A table; only its string columns are changed.

    Returns:
        A copy of ``df`` with the risky cells prefixed.
    """
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == "string":
            values = out[column]
            risky = values.str.startswith(_FORMULA_START, na=False) & ~values.str.fullmatch(_HARMLESS, na=False)
            out.loc[risky, column] = "'" + values[risky]
    return out


def typed(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` as :func:`extract.dataset.frame` would build it: contract columns first, typed.

    Readers call this on whatever their format gave back, so every format returns identical
    dtypes. Contract columns missing from ``df`` (a JSON Lines file of an empty table names no
    columns) are added empty.

    Args:
        table: The table's name; a name outside the contract keeps just its own columns.
        df: The table as read.

    Returns:
        The typed frame.
    """
    contract = COLUMNS.get(table, [])
    columns = contract + [c for c in df.columns if c not in contract]
    return df.reindex(columns=columns).astype({c: dtype(c) for c in columns})


def plain_rows(df: pd.DataFrame) -> Iterator[list]:
    """Each row of ``df`` as plain Python values: int, float, bool, str, or None for null.

    JSON and openpyxl accept only these; pandas' ``NA`` and numpy scalars they reject.

    Args:
        df: A typed table.

    Yields:
        One list per row, in column order.
    """
    values = df.astype(object).where(df.notna(), None)
    for row in values.itertuples(index=False, name=None):
        yield list(row)


def write_each(tables: Mapping[str, pd.DataFrame], directory: Path, suffix: str,
               write_one: Callable[[pd.DataFrame, Path], None]) -> list[Path]:
    """Write each table to its own file ``<name><suffix>``, each one atomically.

    Args:
        tables: Table name to frame.
        directory: Where the files go.
        suffix: The files' suffix, with its dot.
        write_one: Writes one frame to the (temporary) path it is given.

    Returns:
        The paths written, in the order of ``tables``.
    """
    paths = []
    for name, df in tables.items():
        path = Path(directory) / f"{name}{suffix}"
        with atomic_path(path) as tmp:
            write_one(df, tmp)
        paths.append(path)
    return paths


def read_each(directory: Path, suffix: str, read_one: Callable[[Path], pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read every ``<name><suffix>`` file in ``directory`` as table ``name``, typed.

    Hidden files are skipped: they are other writers' temporary files.

    Args:
        directory: Where the files are.
        suffix: The files' suffix, with its dot.
        read_one: Reads one file into a frame.

    Returns:
        Table name to typed frame, by name.
    """
    paths = sorted(p for p in Path(directory).glob(f"*{suffix}") if not p.name.startswith("."))
    return {path.stem: typed(path.stem, read_one(path)) for path in paths}
