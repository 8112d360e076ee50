"""Tables: rebuild tables a text export flattened to one cell per line, join continued
tables, and attach titles.

A flattened table is a run of tab-indented lines: each line a cell, a blank line between
rows (how Word's "save as text" writes a table). Rows become :class:`Cell` grids whose
offsets point at the cell text in the document; a table split in two (a page break, a
``（续）`` copy with the header repeated) becomes one table.
"""

from __future__ import annotations

import bisect

from .. import rules
from ..model import Cell, Document, Span, Table


def find_tables(doc: Document) -> None:
    """Rebuild flattened tables, join continuations, set titles, drop table lines from paragraphs."""
    doc.tables.extend(_flattened_tables(doc))
    doc.tables.sort(key=lambda t: t.start)
    doc.tables[:] = _join_continuations(doc)
    for table in doc.tables:
        _attach_title(doc, table)
    # A line inside a joined table that is no cell (the 续 title between its parts) stays a paragraph.
    cells = sorted({(c.start, c.end) for t in doc.tables for row in [t.header, *t.rows] for c in row})
    starts = [s for s, _ in cells]
    doc.paragraphs[:] = [p for p in doc.paragraphs if not _overlaps_cell(p, cells, starts)]


def _overlaps_cell(para, cells: list[tuple[int, int]], starts: list[int]) -> bool:
    i = bisect.bisect_right(starts, para.end)
    return any(s < para.end and para.start < e or s == e == para.start for s, e in cells[max(0, i - 3) : i + 1])


def _lines(text: str):
    """(start, end) of every line, newline excluded."""
    start = 0
    for line in text.split("\n"):
        yield start, start + len(line)
        start += len(line) + 1


def _flattened_tables(doc: Document) -> list[Table]:
    text = doc.text
    found: list[Table] = []
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


def _grid(text: str, rows: list[list[Cell]]) -> Table | None:
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
    return Table(start=start, end=end, header=grid[0], rows=grid[1:])


def _header_texts(text: str, table: Table) -> list[str]:
    return [text[c.start : c.end] for c in table.header]


def _join_continuations(doc: Document) -> list[Table]:
    """Merge a table into the previous one when it repeats its header or carries on its columns."""
    text = doc.text
    mark = rules.pattern("structure", "continuation_mark")
    joined: list[Table] = []
    for table in doc.tables:
        prev = joined[-1] if joined else None
        if prev is not None and len(prev.header) == len(table.header):
            between = text[prev.end : table.start]
            lines = [ln.strip() for ln in between.split("\n") if ln.strip()]
            same_header = _header_texts(text, prev) == _header_texts(text, table)
            only_title = all(mark.search(ln) for ln in lines)
            if only_title and (same_header or not _is_header(text, table.header)):
                body = table.rows if same_header else [table.header, *table.rows]
                prev.rows.extend(body)
                prev.end = table.end
                continue
        joined.append(table)
    return joined


def _attach_title(doc: Document, table: Table) -> None:
    """The short line right above a table that names it (…主要目标表)."""
    pattern = rules.pattern("structure", "table_title")
    text = doc.text
    before = text[: table.start].rstrip("\n\t ")
    line_start = before.rfind("\n") + 1
    line = before[line_start:]
    if line and pattern.match(line.strip()):
        offset = line_start + (len(line) - len(line.lstrip()))
        table.title = line.strip()
        table.title_span = Span(offset, offset + len(table.title))


def table_cells_text(doc: Document, table: Table) -> list[list[str]]:
    """The table as text, header first: handy for display and tests."""
    return [[doc.text[c.start : c.end] for c in row] for row in [table.header, *table.rows]]
