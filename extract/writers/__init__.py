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
=========  ====================================  =====================================

Every file is written under a temporary name beside its target and renamed into place (see
:func:`atomic_path`), so an interrupted run never leaves a half-written file. Each format is a
module here with ``SUFFIX`` and either ``write_table``/``read_table`` (one file per table) or
``write(tables, directory)``/``read(directory)`` (one file for all);
:func:`read_tables` returns the contract's dtypes whatever the format. ``run.json``
(:func:`write_run_info`) records what produced the tables.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType

import pandas as pd

from . import csv, duckdb, jsonl, parquet, xlsx
from .common import atomic_path, neutralise_formulas, read_each, write_each
from .runinfo import RUN_INFO, build_run_info, write_run_info

Writer = Callable[[Mapping[str, pd.DataFrame], Path], list[Path]]
Reader = Callable[[Path], dict[str, pd.DataFrame]]

_FORMATS: dict[str, ModuleType] = {"csv": csv, "parquet": parquet, "xlsx": xlsx, "jsonl": jsonl, "duckdb": duckdb}



def _writer(module: ModuleType) -> Writer:
    """A format's own ``write``, or one file per table through its ``write_table``."""
    if hasattr(module, "write"):
        return module.write
    return lambda tables, directory: write_each(tables, Path(directory), module.SUFFIX, module.write_table)


def _reader(module: ModuleType) -> Reader:
    if hasattr(module, "read"):
        return module.read
    return lambda directory: read_each(Path(directory), module.SUFFIX, module.read_table)


#: Format name -> (writer of all tables into a directory, suffix of the files it writes).
WRITERS: dict[str, tuple[Writer, str]] = {name: (_writer(module), module.SUFFIX) for name, module in _FORMATS.items()}
#: Format name -> reader of a directory written in that format.
READERS: dict[str, Reader] = {name: _reader(module) for name, module in _FORMATS.items()}

__all__ = ["READERS", "RUN_INFO", "WRITERS", "atomic_path", "build_run_info", "neutralise_formulas",
           "read_tables", "write_run_info", "write_tables"]


def _check(fmt: str) -> None:
    """Raise ValueError naming the known formats when ``fmt`` is not one of them."""
    if fmt not in _FORMATS:
        raise ValueError(f"Unknown format {fmt!r}; expected one of {sorted(_FORMATS)}.")


def write_tables(tables: Mapping[str, pd.DataFrame], directory: str | Path, fmt: str = "csv") -> list[Path]:
    """Write every table to ``directory`` in format ``fmt``.

    Args:
        tables: Table name to frame, as :func:`extract.dataset.frame` builds them.
        directory: The output directory; created when missing.
        fmt: A key of :data:`WRITERS`.

    Returns:
        The paths written: one per table, or the one workbook or database.

    Raises:
        ValueError: ``fmt`` is not a known format.
    """
    _check(fmt)
    writer, _ = WRITERS[fmt]
    return writer(tables, Path(directory))


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
    """
    _check(fmt)
    return READERS[fmt](Path(directory))
