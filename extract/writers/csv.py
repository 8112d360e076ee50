"""CSV: one file per table, UTF-8 with a byte-order mark.

The BOM is what makes Excel on Chinese Windows read the file as UTF-8 rather than as GBK.
Text that a spreadsheet would run as a formula is prefixed with ``'`` (see
:func:`~extract.writers.common.neutralise_formulas`), and the prefix stays when read back.
CSV has one empty cell for both null and the empty string; both read back as null.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ..dataset import dtype
from .common import neutralise_formulas, read_each, write_each

SUFFIX = ".csv"
_ENCODING = "utf-8-sig"


def write_table(df: pd.DataFrame, path: Path) -> None:
    """Write one table to ``path`` as CSV, formulas neutralised.

    Args:
        df: The table.
        path: The file to write.
    """
    neutralise_formulas(df).to_csv(path, index=False, encoding=_ENCODING)


def read_table(path: Path) -> pd.DataFrame:
    """Read one CSV table, each column parsed straight into its contract dtype.

    Args:
        path: A file written by :func:`write_table`.

    Returns:
        The table.
    """
    header = pd.read_csv(path, nrows=0, encoding=_ENCODING).columns
    # Only the empty cell is null: text such as "NA" or "None" is data, not a missing value.
    return pd.read_csv(path, encoding=_ENCODING, dtype={c: dtype(c) for c in header},
                       keep_default_na=False, na_values=[""])
