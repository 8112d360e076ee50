"""PDF files with a text layer: lines in reading order re-joined into paragraphs, ruled tables
as tables, page numbers and running headers/footers removed.

pdfplumber gives text lines with positions and finds ruled tables. A line that runs to the
right margin continues into the next one (across page breaks too) unless the next one is
indented or opens with a numbering label; lines inside a table's box belong to the table.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import regex

from ..errors import IngestError
from ..model import Block, RawDocument

# A margin line that is only a page number: "— 3 —", "- 3 -", "3", "第3页", "3/20".
_PAGE_NUMBER = regex.compile(r"^[\s—–\-－]*(?:第\s*)?\d{1,4}\s*(?:页|/\s*\d{1,4})?[\s—–\-－]*$")
# Labels that open a new paragraph even after a full line.
_OPENS_PARAGRAPH = regex.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.、](?!\d)|"
                                 r"第[一二三四五六七八九十\d]{1,4}[章节]|——|专栏|[①-⑳])")
# Share of the page height counted as top/bottom margin, where running heads and numbers sit.
_MARGIN = 0.07
# Points of slack when deciding that a line is indented, and that it reaches the right
# margin (about one CJK character: justified lines ending in punctuation stop short).
_SLACK = 6
_RIGHT_SLACK = 14


def _open(path: Path, data: bytes):
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        return pdfplumber.open(io.BytesIO(data))
    except PDFPasswordIncorrect:
        raise IngestError(path, "is password-protected", "remove the password and save it again") from None
    except Exception as err:  # pdfminer raises many types for broken files
        if "password" in str(err).lower() or "encrypt" in str(err).lower():
            raise IngestError(path, "is password-protected", "remove the password and save it again") from None
        raise IngestError(path, "is damaged or truncated", "download or export the PDF again") from None


def _page_items(page) -> list[tuple[float, str, object]]:
    """(top, kind, payload) for the page's text lines and tables, margins dropped."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    items = [(t.bbox[1], "table", t.extract()) for t in tables]
    height = page.height
    for line in page.extract_text_lines(keep_blank_chars=False):
        middle = (line["top"] + line["bottom"]) / 2
        if any(x0 - 1 <= line["x0"] and line["x1"] <= x1 + 1 and top <= middle <= bottom
               for x0, top, x1, bottom in boxes):
            continue
        in_margin = line["top"] < height * _MARGIN or line["bottom"] > height * (1 - _MARGIN)
        items.append((line["top"], "line", (line["text"], line["x0"], line["x1"], in_margin)))
    return sorted(items, key=lambda item: item[0])


def _running_heads(pages: list[list]) -> set[str]:
    """Margin lines repeated on at least half of the pages (a running header or footer)."""
    counts = Counter(p[0] for items in pages for _, kind, p in items if kind == "line" and p[3])
    return {text for text, n in counts.items() if len(pages) > 1 and n >= len(pages) / 2}


def read(path: Path, data: bytes) -> RawDocument:
    """Read a PDF's text layer into blocks.

    Raises:
        IngestError: encrypted, damaged, or without a text layer (a scan).
    """
    with _open(path, data) as pdf:
        try:
            pages = [_page_items(page) for page in pdf.pages]
        except Exception:  # a page pdfminer cannot parse
            raise IngestError(path, "is damaged or truncated", "download or export the PDF again") from None
        metadata = dict(pdf.metadata or {})
    heads = _running_heads(pages)
    lines = [(p, n) for n, items in enumerate(pages, 1) for _, kind, p in items
             if kind == "line" and not (p[3] and (_PAGE_NUMBER.match(p[0]) or p[0] in heads))]
    if not lines and not any(kind == "table" for items in pages for _, kind, _p in items):
        raise IngestError(path, "has no text layer (a scanned PDF)", "run OCR on it first (e.g. ocrmypdf) and try again")
    # The body's margins are where most lines start and end (a wide table line is no margin).
    left = Counter(round(p[1]) for p, _ in lines).most_common(1)[0][0] if lines else 0
    right = Counter(round(p[2]) for p, _ in lines).most_common(1)[0][0] if lines else 0
    blocks = _paragraphs(pages, heads, left, right)
    properties = {"title": str(metadata.get("Title", "")), "author": str(metadata.get("Author", "")),
                  "date": str(metadata.get("CreationDate", ""))}
    return RawDocument(blocks=blocks, format="pdf", properties=properties)


def _paragraphs(pages, heads: set[str], left: float, right: float) -> list[Block]:
    blocks: list[Block] = []
    current: list[str] = []
    current_page = None
    full = False  # the last line reached the right margin, so the paragraph may go on

    def flush():
        nonlocal current
        if current:
            blocks.append(Block("paragraph", "".join(current), page=current_page))
            current = []

    for number, items in enumerate(pages, 1):
        for _, kind, payload in items:
            if kind == "table":
                flush()
                full = False
                blocks.append(Block("table", rows=tuple(tuple(row) for row in payload), page=number))
                continue
            text, x0, x1, in_margin = payload
            if in_margin and (_PAGE_NUMBER.match(text) or text in heads):
                continue
            indented = x0 > left + _SLACK
            if not (full and not indented and not _OPENS_PARAGRAPH.match(text)):
                flush()
                current_page = number
            current.append(text)
            full = x1 >= right - _RIGHT_SLACK
    flush()
    return blocks
