"""Lay ingested blocks out into one normalised text, recording offsets as it goes.

Each paragraph becomes one line; each table row one line with cells separated by a tab.
Normalisation happens here, block by block, before any offset is taken. The result is a
spaCy Doc (:mod:`planx.document`) with the ``paragraphs``, ``tables`` and ``cells`` the
source marked up.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from spacy.tokens import Doc
from spacy.vocab import Vocab

from . import rules
from .document import PARAGRAPHS, new_doc, add_span
from .model import Block, RawDocument
from .normalise import normalise_inline, normalise_line
from .structure.tables import Cell, TableGrid, write_tables

LOGGER = logging.getLogger("planx")

#: A passage repeated verbatim is dropped when it is at least this long: a web page saved
#: with its text twice, say, whose every target would otherwise be counted twice. Shorter
#: repeats (a menu, a heading, a sentence a plan quotes again) are text, and stay.
MIN_REPEAT_CHARS = 2000


#: A table cell this long that holds sentences is running text set in a table for layout (a
#: web page saved as .docx puts the whole text in one cell), not data: its table is read as
#: paragraphs. Data tables' cells are far shorter.
LAYOUT_CELL_CHARS = 400


def unwrap_layout_tables(blocks: list[Block]) -> list[Block]:
    """``blocks`` with each layout table (:data:`LAYOUT_CELL_CHARS`) replaced by its cells'
    lines as paragraphs.

    Example:
        >>> from planx.model import Block
        >>> page = Block("table", rows=(("标题", "为推进工作，制定本方案。一、总体要求（一）目标。" + "推进。" * 600),))
        >>> [b.text[:6] for b in unwrap_layout_tables([page])]
        ['标题', '为推进工作，']
    """
    out: list[Block] = []
    for block in blocks:
        if block.kind == "table" and any(c and len(c) >= LAYOUT_CELL_CHARS and "。" in c for row in block.rows for c in row):
            cells = [c for row in block.rows for c in row if c]
            out.extend(Block("paragraph", line, page=block.page) for cell in cells for line in cell.split("\n")
                       if line.strip())
        else:
            out.append(block)
    return out


def break_run_in_headings(blocks: list[Block]) -> list[Block]:
    """``blocks`` with each paragraph that runs its numbered headings in broken where they
    start (rules/structure.yaml run_in_min_chars, run_in_break), and each line that sets two
    headings a space apart broken before the second (heading_pair_break).

    Example:
        >>> from planx.model import Block
        >>> page = Block("paragraph", "为推进工作，制定本方案。一、总体要求（一）目标。" + "推进。" * 600)
        >>> [b.text[:6] for b in break_run_in_headings([page])]
        ['为推进工作，', '一、总体要求', '（一）目标。']
    """
    minimum = rules.load("structure")["run_in_min_chars"]
    out: list[Block] = []
    for block in blocks:
        if block.kind != "paragraph":
            out.append(block)
            continue
        breaks = []
        if len(block.text) >= minimum:
            breaks = [m.start() for m in rules.pattern("structure", "run_in_break").finditer(block.text)]
        cuts = [0, *breaks, len(block.text)]
        pieces = [block.text[a:b] for a, b in zip(cuts, cuts[1:]) if b > a] or [block.text]
        for piece in pieces:
            pair = rules.pattern("structure", "heading_pair_break").search(piece)
            parts = [piece[: pair.start()], piece[pair.end() :]] if pair else [piece]
            out.extend(block if part == block.text else replace(block, text=part) for part in parts)
    return out


def drop_repeated_passages(blocks: list[Block], name: str = "") -> list[Block]:
    """``blocks`` without a later run of blocks that repeats an earlier run verbatim, where the
    run holds :data:`MIN_REPEAT_CHARS` characters or more.

    Example:
        >>> from planx.model import Block
        >>> page = [Block("paragraph", f"第{i}段" + "文" * 300) for i in range(8)]
        >>> kept = drop_repeated_passages([*page, Block("paragraph", "首页"), *page], "page.docx")
        >>> len(kept)
        9
    """
    texts = [block.text.strip() if block.kind != "table" else repr(block.rows) for block in blocks]
    first: dict[str, int] = {}
    kept: list[Block] = []
    j = 0
    while j < len(blocks):
        i = first.get(texts[j])
        run = 0
        while i is not None and j + run < len(blocks) and i + run < j and texts[i + run] == texts[j + run]:
            run += 1
        if run and sum(len(t) for t in texts[j : j + run]) >= MIN_REPEAT_CHARS:
            LOGGER.warning("%s: a passage of %d paragraphs repeats an earlier one word for word; read once",
                           name, run)
            j += run
            continue
        first.setdefault(texts[j], j)
        kept.append(blocks[j])
        j += 1
    return kept


def assemble(raw: RawDocument, vocab: Vocab, doc_id: str, source_path: str = "", sha256: str = "") -> Doc:
    """A Doc of ``raw``'s normalised text with its paragraphs and real tables."""
    parts: list[str] = []
    paragraphs: list[tuple[int, int, Block]] = []
    tables: list[TableGrid] = []
    offset = 0

    def emit(line: str) -> int:
        nonlocal offset
        start = offset
        parts.append(line)
        parts.append("\n")
        offset += len(line) + 1
        return start

    blocks = break_run_in_headings(unwrap_layout_tables(raw.blocks))
    for block in drop_repeated_passages(blocks, source_path or doc_id):
        if block.kind == "table":
            table = _lay_table(block, emit)
            if table is not None:
                tables.append(table)
            continue
        line = normalise_line(block.text) if raw.format == "txt" else normalise_inline(block.text)
        start = emit(line)
        if line.strip():
            paragraphs.append((start, start + len(line), block))
    doc = new_doc(vocab, "".join(parts), doc_id=doc_id, format=raw.format, source_path=source_path,
                  sha256=sha256, properties=dict(raw.properties))
    doc.spans[PARAGRAPHS] = []
    for start, end, block in paragraphs:
        add_span(doc, PARAGRAPHS, start, end, "paragraph", heading_level=block.heading_level,
                 bold_lead=block.bold_lead)
    write_tables(doc, tables)
    return doc


def _lay_table(block: Block, emit) -> TableGrid | None:
    rows = [list(r) for r in block.rows if any(c for c in r)]
    if not rows:
        return None
    width = max(len(r) for r in rows)
    grid: list[list[Cell]] = []
    start = None
    end = 0
    for r, row in enumerate(rows):
        row = row + [""] * (width - len(row))
        texts = ["" if c is None else normalise_inline(c) for c in row]
        line = "\t".join(texts)
        line_start = emit(line)
        start = line_start if start is None else start
        end = line_start + len(line)
        cells, pos = [], line_start
        for c, (value, cell_text) in enumerate(zip(row, texts)):
            if value is None:
                cells.append(_covering(grid, cells, r, c))
            else:
                cells.append(Cell(pos, pos + len(cell_text), r, c))
            pos += len(cell_text) + 1
        grid.append(cells)
    return TableGrid(start, end, grid)


def _covering(grid: list[list[Cell]], cells: list[Cell], r: int, c: int) -> Cell:
    """The cell a merge covers: the one above if it exists, else the one to the left."""
    source = grid[r - 1][c] if r > 0 else (cells[c - 1] if c > 0 else None)
    if source is None:
        return Cell(0, 0, r, c, merged=True)
    return Cell(source.start, source.end, r, c, merged=True)
