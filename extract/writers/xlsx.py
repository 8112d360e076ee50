"""XLSX: one workbook, ``planx.xlsx``, with one sheet per table.

Each sheet has a bold, frozen header row with a filter, and columns sized to their content
(a CJK character counts as two; measured on a sheet's first batch, see :mod:`.sink`). Text
is always stored as text: a cell is never a formula, even where it starts with ``=``, and
formula-like text gets the same ``'`` prefix as in CSV. Every time in the file is
:data:`PINNED_TIME`, so the same rows make the same bytes. Two things Excel cannot hold are
changed: control characters (other than tab and newline) are removed, and text longer than a
cell's 32,767 characters is cut there. An empty string reads back as null.

A last sheet, ``columns``, documents every column of the contract tables in the workbook, from
:mod:`planx.schema`: table, column, type, meaning and allowed values. Reading skips it.
"""

from __future__ import annotations

import os
import shutil
import unicodedata
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pandas as pd

from ..schema import Table, tables
from .common import Dtype, neutralise_formulas, plain_rows, typed
from .sink import Sink as BaseSink

WORKBOOK = "planx.xlsx"
SUFFIX = ".xlsx"
#: The creation and modification time written into the workbook and its zip entries: fixed,
#: so that the same rows always make the same file (run.json records when a run happened).
#: 1980 is the earliest time a zip entry can carry.
PINNED_TIME = datetime(1980, 1, 1)
#: The sheet that documents the columns, and its header.
COLUMNS_SHEET = "columns"
COLUMNS_HEADER = ("table", "column", "type", "meaning", "allowed values")
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


class Sink(BaseSink):
    """Writes every table as a sheet of ``directory/planx.xlsx``, the tables named first."""

    def _start(self) -> None:
        # Imported here, not at the top: openpyxl takes ~0.15 s to import and most runs write CSV.
        from openpyxl import Workbook

        self._path = self._temp(self.directory / WORKBOOK)
        # write_only streams rows to temporary files instead of holding every cell in memory.
        self._workbook = Workbook(write_only=True)
        self._open.callback(_remove_sheet_files, self._workbook)
        # The named tables' sheets come first and in their order, whichever is appended first.
        self._unused = {name: self._workbook.create_sheet(title=name) for name in self._tables}
        self._sheets: dict[str, _Sheet] = {}

    def _add_table(self, name: str, dtypes: dict[str, Dtype]) -> None:
        if name == COLUMNS_SHEET:
            raise ValueError(f"Table {name!r}: in XLSX that sheet documents the columns; give the table another name.")
        sheet = self._unused.pop(name, None) or self._workbook.create_sheet(title=name)
        self._sheets[name] = _Sheet(sheet, list(dtypes))

    def _write(self, name: str, df: pd.DataFrame) -> None:
        # Fit first: removing a control character can uncover a leading "=" to neutralise.
        self._sheets[name].append(neutralise_formulas(_fit_for_excel(df)))

    def _finish(self) -> None:
        for sheet in self._sheets.values():
            sheet.close()
        self._add_columns_sheet()
        _save(self._workbook, self._path)

    def _add_columns_sheet(self) -> None:
        """Add the last sheet: a row per column of the contract tables written, none without any."""
        documented = [tables()[name] for name in self._sheets if name in tables()]
        if documented:
            sheet = _Sheet(self._workbook.create_sheet(title=COLUMNS_SHEET), list(COLUMNS_HEADER))
            sheet.append(_columns_frame(documented))
            sheet.close()


class _Sheet:
    """One table's write-only sheet: bold frozen header, filter, columns sized to the content.

    A write-only sheet takes its column widths before its first row, so they are measured on
    the first batch, which is written with the header; later batches are streamed after it.
    """

    def __init__(self, sheet, columns: list[str]) -> None:
        self._sheet = sheet
        self._columns = [str(c) for c in columns]
        self._rows: int | None = None  # None until the header is written

    def append(self, df: pd.DataFrame) -> None:
        """Add the rows of ``df``, already fitted and neutralised; the first call sizes columns."""
        rows = list(plain_rows(df))
        if self._rows is None:
            self._start(rows)
            self._rows = 0
        for row in rows:
            # Neutralised text no longer starts with "=" (bar a lone "="), but text must never
            # become a formula even if that changes, so such cells are marked as text explicitly.
            self._sheet.append([self._text_cell(v) if isinstance(v, str) and v.startswith("=") else v for v in row])
        self._rows += len(rows)

    def close(self) -> None:
        """Set the filter over every row; written after the rows, it can know them all."""
        from openpyxl.utils import get_column_letter

        self._sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(self._columns), 1))}{self._rows + 1}"

    def _start(self, rows: list[list]) -> None:
        """Size the columns to ``rows``, freeze the header row and write it."""
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        self._sheet.freeze_panes = "A2"
        for index, width in enumerate(_widths(self._columns, rows), start=1):
            self._sheet.column_dimensions[get_column_letter(index)].width = width
        bold = Font(bold=True)
        self._sheet.append([self._text_cell(header, bold) for header in self._columns])

    def _text_cell(self, value: str, font=None):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self._sheet, value=value)
        # Set after the value: openpyxl marks any text starting with "=" as a formula.
        cell.data_type = "s"
        if font:
            cell.font = font
        return cell


def _columns_frame(documented: list[Table]) -> pd.DataFrame:
    """The rows of the ``columns`` sheet: each column of ``documented``, allowed values a line each."""
    rows = [(table.name, column.name, column.type, column.meaning, column.values_text("\n") or None)
            for table in documented for column in table.columns]
    return pd.DataFrame(rows, columns=list(COLUMNS_HEADER), dtype="string")


def _widths(headers: list[str], rows: list[list]) -> Iterator[int]:
    """Each column's width: its widest text among ``headers`` and ``rows``, plus the filter button."""
    for index, header in enumerate(headers):
        # A set: ids, sections and sentences repeat down a column and need measuring once.
        texts = {header, *(str(row[index]) for row in rows if row[index] is not None)}
        # +2: room for the filter button beside the header text.
        yield min(max(display_width(text) for text in texts) + 2, _MAX_WIDTH)


def _fit_for_excel(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with text Excel can hold: no control characters, at most a cell's length."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    out = df.copy()
    for column in out.columns:
        if out[column].dtype == "string":
            out[column] = out[column].str.replace(ILLEGAL_CHARACTERS_RE, "", regex=True).str.slice(0, _MAX_CELL_CHARS)
    return out


def _save(workbook, path: Path) -> None:
    """Save ``workbook`` to ``path`` with every time in it pinned to :data:`PINNED_TIME`.

    ``Workbook.save`` stamps the current time into the document properties; the zip stamps
    it into every member. Pinned, the same rows make the same bytes.
    """
    from openpyxl.writer.excel import ExcelWriter

    workbook.properties.created = workbook.properties.modified = PINNED_TIME
    with _PinnedZip(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).save()


class _PinnedZip(zipfile.ZipFile):
    """A zip whose members all carry :data:`PINNED_TIME` rather than the time of writing.

    ``writestr`` stamps a member with the current time and ``write`` with its file's; openpyxl
    uses both (``write`` for the sheets it streamed to temporary files).
    """

    def writestr(self, zinfo_or_arcname, data, *args, **kwargs) -> None:
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo_or_arcname = self._member(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename, arcname=None) -> None:
        member = self._member(arcname or Path(filename).name)
        # The size up front lets a sheet over 2 GiB switch the member to ZIP64.
        member.file_size = os.path.getsize(filename)
        with open(filename, "rb") as source, self.open(member, "w") as target:
            shutil.copyfileobj(source, target)

    def _member(self, name: str) -> zipfile.ZipInfo:
        """A member entry as ``writestr`` makes one, but stamped with :data:`PINNED_TIME`."""
        member = zipfile.ZipInfo(name, date_time=PINNED_TIME.timetuple()[:6])
        member.compress_type = self.compression
        member.external_attr = 0o600 << 16
        return member


def _remove_sheet_files(workbook) -> None:
    """Delete the temporary files openpyxl streamed ``workbook``'s sheets into, if still there.

    openpyxl deletes them when it saves, else only at interpreter exit: a stream that failed
    must not leave them behind until then.
    """
    for sheet in workbook.worksheets:
        # openpyxl has no public handle on a sheet's file; _writer is made by its first row.
        writer = sheet._writer
        if writer is not None and os.path.exists(writer.out):
            if not sheet.closed:
                sheet.close()
            writer.cleanup()


def read(directory: Path) -> dict[str, pd.DataFrame]:
    """Read every sheet of ``directory/planx.xlsx`` but ``columns`` as a table.

    Args:
        directory: A directory written by :class:`Sink`.

    Returns:
        Sheet name to typed frame.
    """
    from openpyxl import load_workbook

    workbook = load_workbook(Path(directory) / WORKBOOK, read_only=True)
    try:
        tables = {}
        for sheet in workbook.worksheets:
            if sheet.title == COLUMNS_SHEET:
                continue
            rows = sheet.iter_rows(values_only=True)
            header = list(next(rows, ()))
            # Read-only sheets drop a row's trailing empty cells; pad them back as nulls.
            body = [list(row) + [None] * (len(header) - len(row)) for row in rows]
            tables[sheet.title] = typed(sheet.title, pd.DataFrame(body, columns=header, dtype=object))
        return tables
    finally:
        workbook.close()
