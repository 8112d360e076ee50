"""CSV: one file per table, UTF-8 with a byte-order mark.

The BOM is what makes Excel on Chinese Windows read the file as UTF-8 rather than as GBK.
Text that a spreadsheet would run as a formula is prefixed with ``'`` (see
:func:`~planx.writers.common.neutralise_formulas`), and the prefix stays when read back.
CSV has one empty cell for both null and the empty string; both read back as null.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ..dataset import dtype
from .common import Dtype, neutralise_formulas
from .sink import TextTableFile

SUFFIX = ".csv"
_ENCODING = "utf-8-sig"


class TableFile(TextTableFile):
    """One table's CSV file: the header and the BOM once, then each piece's rows."""

    # utf-8-sig writes the BOM with the first text only, however many pieces follow.
    encoding = _ENCODING

    def __init__(self, path: Path, dtypes: Mapping[str, Dtype]) -> None:
        super().__init__(path, dtypes)
        pd.DataFrame(columns=self.columns).to_csv(self.handle, index=False)

    def write(self, df: pd.DataFrame) -> None:
        """Append ``df``'s rows, formulas neutralised."""
        neutralise_formulas(df).to_csv(self.handle, index=False, header=False)


def read_table(path: Path) -> pd.DataFrame:
    """Read one CSV table, each column parsed straight into its contract dtype.

    Args:
        path: A file written by :class:`TableFile`.

    Returns:
        The table.
    """
    header = pd.read_csv(path, nrows=0, encoding=_ENCODING).columns
    # Only the empty cell is null: text such as "NA" or "None" is data, not a missing value.
    return pd.read_csv(path, encoding=_ENCODING, dtype={c: dtype(c) for c in header},
                       keep_default_na=False, na_values=[""])
