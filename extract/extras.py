"""The optional extras of ``pip install 'planx[…]'``, and the one-line error when one is missing.

The core install reads every input format and writes CSV and JSON Lines; the rest comes with
an extra (pyproject.toml's ``[project.optional-dependencies]``; a test holds the two together):

=========  ========================  ==========================================
extra      packages imported         what it adds
=========  ========================  ==========================================
parquet    pyarrow                   ``--format parquet`` and ``parquet-dataset``
xlsx       openpyxl                  ``--format xlsx``
duckdb     duckdb, pyarrow           ``--format duckdb``
dask       distributed               ``--engine dask``
notebooks  matplotlib                the charts of :mod:`planx.review.plots`
=========  ========================  ==========================================
"""

from __future__ import annotations

import importlib

from .errors import MissingExtraError

#: Extra name -> the modules planx imports from the packages it installs.
EXTRAS: dict[str, tuple[str, ...]] = {
    "parquet": ("pyarrow",),
    "xlsx": ("openpyxl",),
    "duckdb": ("duckdb", "pyarrow"),
    "dask": ("distributed",),
    "notebooks": ("matplotlib",),
}


def require(extra: str, feature: str) -> None:
    """Import the modules of ``extra``, or raise one error naming the extra to install.

    Args:
        extra: A key of :data:`EXTRAS`.
        feature: What needs it, as the message should say it ("the parquet format").

    Raises:
        MissingExtraError: a module of the extra cannot be imported.

    Example:
        >>> require("parquet", "the parquet format")  # nothing happens when pyarrow is installed
    """
    for module in EXTRAS[extra]:
        try:
            importlib.import_module(module)
        except ImportError:
            raise MissingExtraError(feature, extra) from None
