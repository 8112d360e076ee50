"""XLSX: one workbook, ``planx.xlsx``, with one sheet per table.

Each sheet has a bold, frozen header row with a filter, and columns sized to their content
(a CJK character counts as two). Text is always stored as text: a cell is never a formula,
even where it starts with ``=``, and formula-like text gets the same ``'`` prefix as in CSV.
Two things Excel cannot hold are changed: control characters (other than tab and newline) are
removed, and text longer than a cell's 32,767 characters is cut there. An empty string reads
back as null.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from .common import atomic_path, neutralise_formulas, plain_rows, typed

WORKBOOK = "planx.xlsx"
SUFFIX = ".xlsx"
_MAX_WIDTH = 60
_MAX_CELL_CHARS = 32_767


def display_width(text: str, cap: int = _MAX_WIDTH) -> int:
    """How many columns ``text`` takes in a spreadsheet: CJK characters count two.

    Args:
        text: The cell's text; for several lines, the widest line counts.
        cap: Stop counting here; the result is at most ``cap``.

    Returns:
        The width, at most ``cap``.
    """
    widest = 0
    for line in text.splitlines():
        # A line at least ``cap`` characters long is at least ``cap`` wide: skip the count.
        width = cap if len(line) >= cap else sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        widest = max(widest, min(width, cap))
    return widest


def write(tables: Mapping[str, pd.DataFrame], directory: Path) -> list[Path]:
    """Write every table as a sheet of ``directory/planx.xlsx``.

    Args:
        tables: Table name to frame; the name becomes the sheet's name.
        directory: The output directory.

    Returns:
        The one path written.
    """
    # Imported here, not at the top: openpyxl takes ~0.15 s to import and most runs write CSV.
    from openpyxl import Workbook

    path = Path(directory) / WORKBOOK
    with atomic_path(path) as tmp:
        # write_only streams rows to disk instead of holding every cell object in memory.
        workbook = Workbook(write_only=True)
        for name, df in tables.items():
            # Fit first: removing a control character can uncover a leading "=" to neutralise.
            _write_sheet(workbook.create_sheet(title=name), neutralise_formulas(_fit_for_excel(df)))
        workbook.save(tmp)
    return [path]


def _fit_for_excel(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with text Excel can hold: no control characters, at most a cell's length."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    out = df.copy()
    for column in out.columns:
        if out[column].dtype == "string":
            out[column] = out[column].str.replace(ILLEGAL_CHARACTERS_RE, "", regex=True).str.slice(0, _MAX_CELL_CHARS)
    return out


def _write_sheet(sheet, df: pd.DataFrame) -> None:
    """Fill a write-only ``sheet`` with ``df``: frozen bold header, filter, sized columns."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    headers = [str(c) for c in df.columns]
    rows = list(plain_rows(df))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(headers), 1))}{len(rows) + 1}"
    for index, header in enumerate(headers):
        # A set: ids, sections and sentences repeat down a column and need measuring once.
        texts = {header, *(str(row[index]) for row in rows if row[index] is not None)}
        # +2: room for the filter button beside the header text.
        width = max(display_width(text) for text in texts) + 2
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(width, _MAX_WIDTH)

    def text_cell(value: str, font: Font | None = None) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        # Set after the value: openpyxl marks any text starting with "=" as a formula.
        cell.data_type = "s"
        if font:
            cell.font = font
        return cell

    bold = Font(bold=True)
    sheet.append([text_cell(header, bold) for header in headers])
    for row in rows:
        # Neutralised text no longer starts with "=" (bar a lone "="), but text must never
        # become a formula even if that changes, so such cells are marked as text explicitly.
        sheet.append([text_cell(v) if isinstance(v, str) and v.startswith("=") else v for v in row])


def read(directory: Path) -> dict[str, pd.DataFrame]:
    """Read every sheet of ``directory/planx.xlsx`` as a table.

    Args:
        directory: A directory written by :func:`write`.

    Returns:
        Sheet name to typed frame.
    """
    from openpyxl import load_workbook

    workbook = load_workbook(Path(directory) / WORKBOOK, read_only=True)
    try:
        tables = {}
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = list(next(rows, ()))
            # Read-only sheets drop a row's trailing empty cells; pad them back as nulls.
            body = [list(row) + [None] * (len(header) - len(row)) for row in rows]
            tables[sheet.title] = typed(sheet.title, pd.DataFrame(body, columns=header, dtype=object))
        return tables
    finally:
        workbook.close()
