"""Export formats behind one ``--format`` option, and the readers that load them back.

=========  ====================================  =====================================
format     files in the output directory         notes
=========  ====================================  =====================================
csv        ``<table>.csv`` each                  UTF-8 with BOM for Excel; formulas
                                                 neutralised with ``'``
parquet    ``<table>.parquet`` each              types and nulls kept exactly
xlsx       ``planx.xlsx``, a sheet per table     frozen header, sized columns,
                                                 formulas neutralised
jsonl      ``<table>.jsonl`` each                one object per row, Chinese as is
duckdb     ``planx.duckdb``                      the tables plus joining views
parquet-   ``<table>/part-NNNNN.parquet``        a partitioned dataset, a part per
dataset                                          batch (the Dask engine's default)
spacy      ``planx.spacy``                       spaCy's DocBin of every Doc: span
                                                 groups, candidates, rows; the tables
                                                 are rebuilt from it when read
=========  ====================================  =====================================

Tables are written through a sink (:func:`open_sink`) that takes them a piece at a time, a
document's rows or a batch's, so memory stays flat however many documents a run reads::

    with open_sink(directory, "parquet") as sink:
        for tables in per_document_tables:
            sink.append(tables)

Each file is written under a temporary name beside its target and renamed into place when
the ``with`` block ends (see :mod:`.sink`); if it raises, the temporaries are removed and the
files already there stay untouched, so an interrupted run never leaves a half-written file.
Every contract table (or every table named, see :func:`open_sink`) gets its file, with just
its header if never appended. The same appends give byte-identical files in csv, jsonl,
parquet and xlsx.

Each format is a module here with ``SUFFIX`` and either ``TableFile``/``read_table`` (one
file per table) or ``Sink``/``read(directory)`` (one file for all), imported when first used:
parquet, parquet-dataset, xlsx and duckdb need an extra (see :mod:`planx.extras`), and
without it say which in one line (:class:`~planx.errors.MissingExtraError`). :func:`read_tables`
returns the contract's dtypes whatever the format. ``run.json`` (:func:`write_run_info`)
records what produced the tables.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from pathlib import Path
from types import ModuleType

import pandas as pd

from ..dataset import COLUMNS
from ..extras import require
from .common import atomic_path, neutralise_formulas, read_each
from .runinfo import RUN_INFO, build_run_info, recorded_format, write_run_info
from .sink import Sink, TableFilesSink

Reader = Callable[[Path], dict[str, pd.DataFrame]]

#: Format name -> (its module here, the extra it needs: None for the core install).
_FORMATS: dict[str, tuple[str, str | None]] = {
    "csv": ("csv", None), "parquet": ("parquet", "parquet"), "parquet-dataset": ("parquet_dataset", "parquet"),
    "xlsx": ("xlsx", "xlsx"), "jsonl": ("jsonl", None), "duckdb": ("duckdb", "duckdb"), "spacy": ("docbin", None)}


def _module(fmt: str) -> ModuleType:
    """Format ``fmt``'s module, imported on first use, once its extra is known to be there.

    Raises:
        MissingExtraError: the format's extra is not installed.
    """
    name, extra = _FORMATS[fmt]
    if extra is not None:
        require(extra, f"the {fmt} format")
    return importlib.import_module(f".{name}", __name__)


def _new_sink(fmt: str, directory: Path, tables: Iterable[str]) -> Sink:
    """Format ``fmt``'s own ``Sink``, or one file per table through its ``TableFile``."""
    module = _module(fmt)
    if hasattr(module, "Sink"):
        return module.Sink(directory, tables)
    return TableFilesSink(directory, tables, suffix=module.SUFFIX, table_file=module.TableFile)


def _read(fmt: str, directory: Path) -> dict[str, pd.DataFrame]:
    """Every table of ``directory``, written in format ``fmt``."""
    module = _module(fmt)
    if hasattr(module, "read"):
        return module.read(directory)
    return read_each(Path(directory), module.SUFFIX, module.read_table)


#: Format name -> the sink writing it, called with the output directory and the table names
#: (see :func:`open_sink`). A format's module and its extra's packages are imported when it is
#: first used: the core install has no pyarrow, openpyxl or duckdb.
WRITERS: dict[str, Callable[..., Sink]] = {name: partial(_new_sink, name) for name in _FORMATS}
#: Format name -> reader of a directory written in that format.
READERS: dict[str, Reader] = {name: partial(_read, name) for name in _FORMATS}
#: Formats that store each document's Doc rather than tables: ``planx extract`` writes them,
#: and they read back as tables.
DOC_FORMATS = frozenset({"spacy"})
#: Formats a set of tables can be written in (:func:`write_tables`, ``planx compare -o``).
TABLE_FORMATS = tuple(sorted(set(_FORMATS) - DOC_FORMATS))

__all__ = ["DOC_FORMATS", "READERS", "RUN_INFO", "TABLE_FORMATS", "WRITERS", "Sink", "atomic_path", "build_run_info",
           "neutralise_formulas", "recorded_format", "open_sink", "read_tables", "write_run_info", "write_tables"]


def _check(fmt: str) -> None:
    """Raise ValueError naming the known formats when ``fmt`` is not one of them."""
    if fmt not in _FORMATS:
        raise ValueError(f"Unknown format {fmt!r}; expected one of {sorted(_FORMATS)}.")


def open_sink(directory: str | Path, fmt: str = "csv", *, tables: Iterable[str] = tuple(COLUMNS)) -> Sink:
    """A sink writing tables to ``directory`` in format ``fmt``, a piece at a time.

    Use it as a context manager and call :meth:`Sink.append` with each piece; the files
    appear when the block ends without an exception, and ``paths`` then lists them.

    Args:
        directory: The output directory; created when missing.
        fmt: A key of :data:`WRITERS`.
        tables: The tables written even if never appended to, with just their header; by
            default every contract table. Tables appended are written whether named or not.

    Returns:
        The sink, not yet started.

    Raises:
        ValueError: ``fmt`` is not a known format.
        MissingExtraError: ``fmt`` needs an extra that is not installed (parquet, xlsx, duckdb).

    Example:
        Two documents' targets, appended one after the other, give one file:

        >>> import tempfile
        >>> from planx.dataset import frame
        >>> from planx.writers import open_sink
        >>> targets = frame("targets", [{"doc_id": "plan", "indicator": "森林覆盖率", "value": 30.0}])
        >>> with open_sink(tempfile.mkdtemp(), "jsonl", tables=["targets"]) as sink:
        ...     sink.append({"targets": targets})
        ...     sink.append({"targets": targets.assign(doc_id="other-plan")})
        >>> [path.name for path in sink.paths]
        ['targets.jsonl']
    """
    _check(fmt)
    return WRITERS[fmt](Path(directory), tables)


def write_tables(tables: Mapping[str, pd.DataFrame], directory: str | Path, fmt: str = "csv") -> list[Path]:
    """Write every table to ``directory`` in format ``fmt``, in one piece.

    Args:
        tables: Table name to frame, as :func:`planx.dataset.frame` builds them.
        directory: The output directory; created when missing.
        fmt: A key of :data:`WRITERS`.

    Returns:
        The paths written: one per table, or the one workbook or database.

    Raises:
        ValueError: ``fmt`` is not a known format, or stores Docs (:data:`DOC_FORMATS`).
        MissingExtraError: ``fmt`` needs an extra that is not installed (parquet, xlsx, duckdb).

    Example:
        >>> import tempfile
        >>> from planx.dataset import frame
        >>> from planx.writers import write_tables
        >>> targets = frame("targets", [{"doc_id": "plan", "indicator": "森林覆盖率", "value": 30.0}])
        >>> [path.name for path in write_tables({"targets": targets}, tempfile.mkdtemp())]
        ['targets.csv']
    """
    if fmt in DOC_FORMATS:
        raise ValueError(f"The {fmt} format stores each document's Doc, not tables: write it with "
                         f"planx extract --format {fmt}, or choose one of {list(TABLE_FORMATS)}.")
    with open_sink(directory, fmt, tables=tables) as sink:
        sink.append(tables)
    return sink.paths


def read_tables(directory: str | Path, fmt: str = "csv") -> dict[str, pd.DataFrame]:
    """Read the tables that :func:`write_tables` wrote to ``directory`` in format ``fmt``.

    Args:
        directory: An output directory.
        fmt: A key of :data:`READERS`.

    Returns:
        Table name to frame, with the contract's columns and dtypes. What a format cannot
        keep stays lost: CSV and XLSX read the empty string as null and keep the ``'`` before
        neutralised formulas.

    Raises:
        ValueError: ``fmt`` is not a known format.
        MissingExtraError: ``fmt`` needs an extra that is not installed (parquet, xlsx, duckdb).

    Example:
        >>> import tempfile
        >>> from planx.dataset import frame
        >>> from planx.writers import read_tables, write_tables
        >>> output = tempfile.mkdtemp()
        >>> targets = frame("targets", [{"doc_id": "plan", "indicator": "森林覆盖率", "value": 30.0, "unit": "%"}])
        >>> _ = write_tables({"targets": targets}, output, "jsonl")
        >>> read_tables(output, "jsonl")["targets"][["doc_id", "indicator", "value", "unit"]]
          doc_id indicator  value unit
        0   plan     森林覆盖率   30.0    %
    """
    _check(fmt)
    return READERS[fmt](Path(directory))
