"""What every format shares: atomic files, formula neutralising, typed frames, plain rows,
Arrow schemas.

Each format module builds on these so that no writer has its own way of renaming a temporary
file or of turning pandas' nullable scalars into plain Python values.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..dataset import COLUMNS, dtype
from ..schema import column_types

if TYPE_CHECKING:  # pyarrow comes with the parquet and duckdb extras, not the core install
    import pyarrow as pa

# Columns of dates: ISO text in a frame, CSV, JSON Lines and XLSX; dates in Arrow, so in Parquet
# and DuckDB.
_DATES = frozenset(column for column, type_ in column_types().items() if type_ == "date")
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


@contextmanager
def atomic_directory(path: Path) -> Iterator[Path]:
    """Yield a temporary directory beside ``path`` and put it in ``path``'s place on success.

    A directory cannot be renamed over a full one, so the old directory is first moved
    aside, then the new one renamed into place, then the old one removed: readers may find
    no directory for that instant, but never a half-written one. If the block raises, the
    temporary directory is removed and ``path`` is left as it was.

    Args:
        path: The directory to produce. Its parent is created when missing.

    Yields:
        A new, empty, hidden directory.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(6)
    tmp, old = path.with_name(f".{path.name}.{token}.tmp"), path.with_name(f".{path.name}.{token}.old")
    tmp.mkdir()
    try:
        yield tmp
        if path.exists():
            os.replace(path, old)
        os.replace(tmp, path)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


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
            starts = values.str.startswith(_FORMULA_START, na=False)
            # Most columns have no such cell: skip the regex and the rewrite, the costly parts.
            if starts.any():
                risky = starts & ~values.str.fullmatch(_HARMLESS, na=False)
                out[column] = values.mask(risky, "'" + values)
    return out


#: A column's dtype: a pandas alias such as "Int64", or a dtype object.
Dtype = str | pd.api.extensions.ExtensionDtype


def table_columns(table: str, columns: Iterable[str]) -> list[str]:
    """The columns a frame of ``table`` has once typed: the contract's first, then its others.

    Args:
        table: The table's name; a name outside the contract has no fixed columns.
        columns: The frame's own columns, in their order.

    Returns:
        The contract's columns of ``table``, then those of ``columns`` not among them.
    """
    contract = COLUMNS.get(table, [])
    return contract + [c for c in columns if c not in contract]


def cast(df: pd.DataFrame, dtypes: Mapping[str, Dtype]) -> pd.DataFrame:
    """``df`` with exactly the columns of ``dtypes``, in its order and of its dtypes.

    Args:
        df: A frame; a column it lacks is added empty, one ``dtypes`` lacks is dropped.
        dtypes: Column name to dtype.

    Returns:
        The new frame.
    """
    return df.reindex(columns=list(dtypes)).astype(dict(dtypes))


def typed(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` as :func:`planx.dataset.frame` would build it: contract columns first, typed.

    Readers call this on whatever their format gave back, so every format returns identical
    dtypes. Contract columns missing from ``df`` (a JSON Lines file of an empty table names no
    columns) are added empty.

    Args:
        table: The table's name; a name outside the contract keeps just its own columns.
        df: The table as read.

    Returns:
        The typed frame.
    """
    return cast(df, {c: dtype(c) for c in table_columns(table, df.columns)})


def column_dtypes(table: str, df: pd.DataFrame) -> dict[str, Dtype]:
    """The columns and dtypes that a table's first frame ``df`` fixes for the whole table.

    The contract's columns come first, of the contract's dtypes. A column outside the contract
    keeps the nullable (extension) dtype it already has, so that a table of its own, such as
    ``compare``, keeps its numbers; any other gets :func:`planx.dataset.dtype`'s.

    Args:
        table: The table's name.
        df: Its first frame.

    Returns:
        Column name to dtype, in the table's column order.
    """
    contract = COLUMNS.get(table, [])
    dtypes: dict[str, Dtype] = {c: dtype(c) for c in table_columns(table, df.columns)}
    for column in df.columns:
        if column not in contract and isinstance(df[column].dtype, pd.api.extensions.ExtensionDtype):
            dtypes[column] = df[column].dtype
    return dtypes


def arrow_schema(dtypes: Mapping[str, Dtype]) -> pa.Schema:
    """The Arrow schema of a table with the columns and dtypes ``dtypes``.

    Built from the dtypes, not from data: a column that is all null in the first batch of a
    table still gets its real type. A column of the contract's date type (``issue_date``) is an
    Arrow ``date32``; :func:`arrow_table` turns its text into dates. The schema carries pandas'
    metadata, so that pandas alone reads the nullable dtypes back.

    Args:
        dtypes: Column name to dtype, in order, as :func:`column_dtypes` gives them.

    Returns:
        The schema.
    """
    import pyarrow as pa

    # A date column's Arrow dtype also tells pandas, through the schema's metadata, that it holds dates.
    empty = pd.DataFrame({c: pd.Series(dtype=pd.ArrowDtype(pa.date32()) if c in _DATES else d)
                          for c, d in dtypes.items()})
    return pa.Schema.from_pandas(empty, preserve_index=False)


def arrow_table(df: pd.DataFrame, schema: pa.Schema) -> pa.Table:
    """``df`` as an Arrow table of ``schema``, the ISO text of its date columns as dates.

    Args:
        df: A typed frame of exactly the columns of ``schema``.
        schema: As :func:`arrow_schema` builds it.

    Returns:
        The table.
    """
    import pyarrow as pa

    dates = {field.name: _dates(df[field.name]) for field in schema if pa.types.is_date32(field.type)}
    return pa.Table.from_pandas(df.assign(**dates), schema=schema, preserve_index=False)


def _dates(text: pd.Series) -> pd.Series:
    """ISO ``YYYY-MM-DD`` text as dates; text that names no day (``""``, ``2021-02-30``) as null."""
    return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").dt.date


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
