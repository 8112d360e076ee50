"""Tables: rebuild tables a text export flattened to one cell per line, join continued
tables, and attach titles.

A flattened table is a run of tab-indented lines: each line a cell, a blank line between
rows (how Word's "save as text" writes a table). Rows become :class:`Cell` grids whose
offsets point at the cell text in the document; a table split in two (a page break, a
``（续）`` copy with the header repeated) becomes one table. Layout writes the tables the
source file marked up; this component reads them, adds the flattened ones and writes the
``tables`` and ``cells`` span groups anew.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Optional

from spacy.tokens import Doc

from .. import rules
from ..document import CELLS, PARAGRAPHS, TABLES, add_span, table_grid, text_of
from ..factories import component


@dataclass(frozen=True)
class Cell:
    """A table cell while tables are built; a merged cell's position copies its source's offsets."""

    start: int
    end: int
    row: int = 0
    col: int = 0
    merged: bool = False


@dataclass
class TableGrid:
    """A table while tables are built: ``rows`` is rectangular, the header first."""

    start: int
    end: int
    rows: list[list[Cell]] = field(default_factory=list)
    title: str = ""
    title_span: Optional[tuple[int, int]] = None

    @property
    def header(self) -> list[Cell]:
        return self.rows[0]


def read_tables(doc: Doc) -> list[TableGrid]:
    """The tables in ``doc``'s span groups as grids."""
    grids = []
    for table in doc.spans[TABLES] if TABLES in doc.spans else []:
        rows = [[Cell(c.start, c.end, c._.row, c._.col, bool(c._.merged)) for c in row]
                for row in table_grid(doc, table)]
        start = table._.title_start
        title_span = (start, start + len(table._.title)) if start is not None else None
        grids.append(TableGrid(table.start, table.end, rows, table._.title or "", title_span))
    return grids


def write_tables(doc: Doc, grids: list[TableGrid]) -> None:
    """Replace the ``tables`` and ``cells`` groups with ``grids``."""
    doc.spans[TABLES] = []
    doc.spans[CELLS] = []
    for grid in grids:
        title_start = grid.title_span[0] if grid.title_span else None
        table = add_span(doc, TABLES, grid.start, grid.end, "table", title=grid.title, title_start=title_start)
        for r, row in enumerate(grid.rows):
            for cell in row:
                add_span(doc, CELLS, cell.start, cell.end, "cell", row=r, col=cell.col, merged=cell.merged,
                         table=table.id_)


@component("planx_tables", reads=(PARAGRAPHS,), writes=(TABLES, CELLS))
def find_tables(doc: Doc) -> Doc:
    """Rebuild flattened tables, join continuations, set titles, drop table lines from paragraphs."""
    grids = read_tables(doc) + _flattened_tables(text_of(doc))
    grids.sort(key=lambda t: t.start)
    grids = _join_continuations(text_of(doc), grids)
    for grid in grids:
        _attach_title(text_of(doc), grid)
    write_tables(doc, grids)
    # A line inside a joined table that is no cell (the 续 title between its parts) stays a paragraph.
    cells = sorted({(c.start, c.end) for t in grids for row in t.rows for c in row})
    starts = [s for s, _ in cells]
    doc.spans[PARAGRAPHS] = [p for p in doc.spans[PARAGRAPHS] if not _overlaps_cell(p, cells, starts)]
    return doc


def _overlaps_cell(para, cells: list[tuple[int, int]], starts: list[int]) -> bool:
    i = bisect.bisect_right(starts, para.end)
    return any(s < para.end and para.start < e or s == e == para.start for s, e in cells[max(0, i - 3) : i + 1])


def _lines(text: str):
    """(start, end) of every line, newline excluded."""
    start = 0
    for line in text.split("\n"):
        yield start, start + len(line)
        start += len(line) + 1


def _flattened_tables(text: str) -> list[TableGrid]:
    found: list[TableGrid] = []
    rows: list[list[Cell]] = []
    current: list[Cell] = []

    def close_row():
        nonlocal current
        if current:
            rows.append(current)
            current = []

    def close_table():
        close_row()
        table = _grid(text, rows)
        if table is not None:
            found.append(table)
        rows.clear()

    for start, end in _lines(text):
        line = text[start:end]
        if line.startswith("\t"):
            current.append(Cell(start + 1, end))
        elif not line:
            close_row()
        else:
            close_table()
    close_table()
    return found


def _is_header(text: str, cells: list[Cell]) -> bool:
    words = rules.lexicon("structure", "table_header_words")
    return sum(any(w in text[c.start : c.end] for w in words) for c in cells) >= 2


def _grid(text: str, rows: list[list[Cell]]) -> TableGrid | None:
    """A rectangular table from ragged cell rows, or ``None`` when it is no table."""
    if len(rows) < 2 or len(rows[0]) < 3 or not _is_header(text, rows[0]):
        return None
    width = len(rows[0])
    grid: list[list[Cell]] = []
    for r, row in enumerate(rows):
        cells = []
        for c in range(width):
            if c < len(row):
                cell = Cell(row[c].start, row[c].end, r, c)
            else:
                cell = Cell(row[-1].end, row[-1].end, r, c)
            if c == 0 and cell.start == cell.end and grid:
                # An empty first cell under a filled one is a vertically merged group label.
                above = grid[-1][0]
                cell = Cell(above.start, above.end, r, c, merged=True)
            cells.append(cell)
        grid.append(cells)
    start = rows[0][0].start - 1
    end = max(c.end for row in rows for c in row)
    return TableGrid(start, end, grid)


def _header_texts(text: str, table: TableGrid) -> list[str]:
    return [text[c.start : c.end] for c in table.header]


def _join_continuations(text: str, tables: list[TableGrid]) -> list[TableGrid]:
    """Merge a table into the previous one when it repeats its header or carries on its columns."""
    mark = rules.pattern("structure", "continuation_mark")
    joined: list[TableGrid] = []
    for table in tables:
        prev = joined[-1] if joined else None
        if prev is not None and len(prev.header) == len(table.header):
            between = text[prev.end : table.start]
            lines = [ln.strip() for ln in between.split("\n") if ln.strip()]
            same_header = _header_texts(text, prev) == _header_texts(text, table)
            only_title = all(mark.search(ln) for ln in lines)
            if only_title and (same_header or not _is_header(text, table.header)):
                body = table.rows[1:] if same_header else table.rows
                prev.rows.extend(body)
                prev.end = table.end
                continue
        joined.append(table)
    return joined


def _attach_title(text: str, table: TableGrid) -> None:
    """The short line right above a table that names it (…主要目标表)."""
    pattern = rules.pattern("structure", "table_title")
    before = text[: table.start].rstrip("\n\t ")
    line_start = before.rfind("\n") + 1
    line = before[line_start:]
    if line and pattern.match(line.strip()):
        offset = line_start + (len(line) - len(line.lstrip()))
        table.title = line.strip()
        table.title_span = (offset, offset + len(table.title))


def table_cells_text(doc: Doc, table) -> list[list[str]]:
    """The table as text, header first: handy for display and tests."""
    return [[text_of(doc)[c.start : c.end] for c in row] for row in table_grid(doc, table)]
