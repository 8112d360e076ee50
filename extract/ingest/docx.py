"""Word .docx files: paragraphs and tables in reading order, heading styles, merged cells.

python-docx gives the body only (headers, footers and footnotes are not body text).
A merged cell comes back once per grid position with the same ``<w:tc>``; the repeats
become ``None`` (covered) so the text appears once and the structure step points the
covered positions at it. Text boxes anchored in a paragraph follow it as paragraphs.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import regex

from ..errors import IngestError
from ..model import Block, RawDocument

# A .docx whose parts unpack to more than this is refused (a zip bomb, not a plan).
MAX_UNPACKED = 200 * 1024 * 1024
_HEADING_STYLE = regex.compile(r"^(?:Heading|标题)\s*(\d)$")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_zip(path: Path, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise IngestError(path, "is not a valid Word file (damaged or truncated)",
                          "re-save it from Word or LibreOffice") from None
    if "word/document.xml" not in names:
        raise IngestError(path, "is a zip file but not a Word document", "check the file's real format")
    if unpacked > MAX_UNPACKED:
        raise IngestError(path, f"unpacks to {unpacked // 2**20} MiB, too large for a document",
                          "check the file; it may be a zip bomb")


def _heading_level(paragraph) -> int | None:
    name = paragraph.style.name if paragraph.style is not None else ""
    if name == "Title":
        return 0
    match = _HEADING_STYLE.match(name or "")
    return int(match.group(1)) if match else None


def _bold_lead(paragraph) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    return bool(runs) and bool(runs[0].bold) and any(not r.bold for r in runs[1:])


def _text_boxes(paragraph) -> list[str]:
    return ["".join(t.text or "" for t in box.iter(f"{_W}t"))
            for box in paragraph._p.iter(f"{_W}txbxContent")]


def _table_rows(table) -> tuple[tuple[str | None, ...], ...]:
    # Elements are compared by identity while references to them are held: lxml reuses the
    # proxies (and their ids) of elements nobody holds.
    rows, above = [], []
    for row in table.rows:
        cells, seen = [], []
        elements = [cell._tc for cell in row.cells]
        for c, (cell, tc) in enumerate(zip(row.cells, elements)):
            covered = any(tc is s for s in seen) or (c < len(above) and above[c] is tc)
            cells.append(None if covered else cell.text)
            seen.append(tc)
        above = elements
        rows.append(tuple(cells))
    return tuple(rows)


def read(path: Path, data: bytes) -> RawDocument:
    """Read a .docx into blocks.

    Raises:
        IngestError: damaged, not a Word document, or too large when unpacked.
    """
    import docx
    from docx.table import Table

    _check_zip(path, data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:  # python-docx raises several types for malformed parts
        raise IngestError(path, f"is not a readable Word file ({type(err).__name__})",
                          "re-save it from Word or LibreOffice") from None
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.append(Block("table", rows=_table_rows(item)))
            continue
        blocks.append(Block("paragraph", item.text, heading_level=_heading_level(item), bold_lead=_bold_lead(item)))
        blocks.extend(Block("paragraph", text) for text in _text_boxes(item) if text.strip())
    core = document.core_properties
    properties = {"title": core.title or "", "author": core.author or "",
                  "date": core.created.date().isoformat() if core.created else ""}
    return RawDocument(blocks=blocks, format="docx", properties=properties)
