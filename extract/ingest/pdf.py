"""PDF files with a text layer: lines re-joined into paragraphs, ruled tables as tables,
page numbers and running headers/footers removed.

pdfplumber gives positioned characters (parsed once per page and cached, so the table
finder and the line grouping share them) and finds ruled tables. What a PDF loses is where
its paragraphs end; it is recovered from the layout:

* a line continues the one before if that one ran to the right margin, i.e. the first word
  of this line would not have fitted after it (CJK line-breaking rules push a character
  and its punctuation down together, so the word is measured with them);
* a new paragraph starts where the line is indented, the font size changes, the gap above
  is wider than the usual line pitch, a numbering label (一、 （一） 1. ——) follows the
  end of a sentence, or a short line without sentence punctuation follows one (a heading).

The same test runs across page breaks, so a paragraph split by a page is one again.
Margin lines (the first and last lines of a page, in its top or bottom band) are dropped
when they are page numbers or repeat on many pages (running heads).
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import regex

from ..errors import IngestError
from ..model import Block, RawDocument

# A margin line that is only a page number: "— 3 —", "- 3 -", "3", "第3页", "3/20", "第3页 共20页".
_PAGE_NUMBER = regex.compile(r"^[\s\-—–－·]*(?:page\s*|第\s*)?\d{1,4}\s*页?\s*(?:(?:/|／|共|of)\s*\d{1,4}\s*页?)?"
                             r"[\s\-—–－·]*$", regex.IGNORECASE)
_DIGITS = regex.compile(r"\d+")
# Labels that open a new paragraph when they follow the end of a sentence.
_LABEL = regex.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、](?!\d)|"
                       r"第[一二三四五六七八九十\d]{1,4}[章节条]|——|--|专栏|[①-⑳])")
_SENTENCE_END = ("。", "；", "：", ";", ":", "！", "？", "!", "?")
_SENTENCE_PUNCTUATION = regex.compile(r"[。，、；：,;]")
# A line that fills less than this share of the text width is short (a heading, perhaps).
_SHORT = 0.6
# Punctuation that CJK line breaking keeps with its neighbour: opening marks with the
# character after them, closing marks with the one before.
_OPENING = set("（(“‘《〈【[「『")
_CLOSING = set("，。、；：！？）)”’》〉】]」』%…,.;:!?")
# Share of the page height at the top and bottom where running heads and page numbers sit.
_MARGIN_BAND = 0.12
# A running head repeats on at least this share of pages (odd/even heads alternate).
_REPEATED = 0.4
_DAMAGED = ("is damaged or truncated", "download or export the PDF again")
# Typesetters leave a gap between Chinese and Latin letters or digits ("2025年" drawn as
# "2025 年"), which text extraction turns into a space the document does not contain.
_AUTOSPACE = regex.compile(r"(?<=[\p{Han}\u3000-\u303f\uff00-\uffef“”‘’])[ ]+(?=[A-Za-z0-9])|"
                           r"(?<=[A-Za-z0-9%])[ ]+(?=\p{Han})")


@dataclass
class _Line:
    """One text line of a page with what paragraph re-joining needs to know."""

    text: str
    page: int
    x0: float
    x1: float
    top: float
    size: float
    lead: float  # width of the first word, which did not fit at the end of the line above
    margin: bool = False  # first or last lines of the page, in its top or bottom band


def read(path: Path, data: bytes) -> RawDocument:
    """Read a PDF's text layer into paragraphs and tables.

    Args:
        path: the file, for messages.
        data: its bytes.

    Returns:
        Paragraph and table blocks in reading order with their page numbers, and the
        title, author and creation date the PDF's metadata declares.

    Raises:
        IngestError: password-protected, damaged or truncated, or without a usable text
            layer (a scan).
    """
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    # A PDF ends with %%EOF; without it the file was cut short, and pdfminer would
    # silently return whatever pages it could salvage.
    if b"%%EOF" not in data[-2048:]:
        raise IngestError(path, *_DAMAGED)
    pages: list[list] = []
    with _open(path, data) as pdf:
        try:
            metadata = dict(pdf.metadata or {})
            for number, page in enumerate(pdf.pages, 1):
                pages.append(_page_items(page, number))
                page.close()  # drop the page's cached layout; only our items are kept
        # pdfminer raises these, unwrapped, on malformed objects deep inside a page.
        except (PdfminerException, PSException, ValueError, KeyError, TypeError):
            raise IngestError(path, *_DAMAGED) from None
    lines = [item for items in pages for item in items if isinstance(item, _Line)]
    has_tables = any(isinstance(item, Block) for items in pages for item in items)
    if not lines and not has_tables:
        raise IngestError(path, "has no text layer (a scanned PDF)", "run OCR on it first (e.g. ocrmypdf) and try again")
    if sum(line.text.count("(cid:") for line in lines) > sum(len(line.text) for line in lines) / 20:
        raise IngestError(path, "has a text layer whose fonts cannot be decoded to characters",
                          "run OCR on it first (e.g. ocrmypdf) and try again")
    heads = _running_heads(pages)
    items = [[item for item in page_items if id(item) not in heads] for page_items in pages]
    return RawDocument(blocks=_Joiner(items).blocks(), format="pdf", properties=_properties(metadata))


def _open(path: Path, data: bytes):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        return pdfplumber.open(io.BytesIO(data))
    except PdfminerException as err:
        # pdfplumber wraps pdfminer's error; the original is its first argument.
        if err.args and isinstance(err.args[0], PDFEncryptionError):
            raise IngestError(path, "is password-protected", "remove the password (or print it to a new PDF) "
                                                             "and try again") from None
        raise IngestError(path, *_DAMAGED) from None


def _page_items(page, number: int) -> list:
    """The page's ruled tables (as blocks) and text lines outside them, top to bottom."""
    tables = [t for t in page.find_tables() if len(t.rows) >= 2 and max(len(r.cells) for r in t.rows) >= 2]
    boxes = [t.bbox for t in tables]
    body = page
    if boxes:
        body = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    items: list[tuple[float, object]] = [
        (t.bbox[1], Block("table", rows=tuple(tuple(c if c is None else _AUTOSPACE.sub("", c) for c in row)
                                              for row in t.extract()), page=number))
        for t in tables]
    raw_lines = [line for line in body.extract_text_lines(return_chars=True) if line["text"].strip()]
    for i, line in enumerate(raw_lines):
        chars = line["chars"]
        entry = _Line(_AUTOSPACE.sub("", line["text"]), number, line["x0"], line["x1"], line["top"],
                      Counter(round(c["size"], 1) for c in chars).most_common(1)[0][0], _lead_width(chars))
        if _in_margin(raw_lines, i, page.height):
            if _PAGE_NUMBER.match(line["text"]):
                continue
            entry.margin = True  # a running head if it recurs on many pages
        items.append((line["top"], entry))
    items.sort(key=lambda item: item[0])
    return [item for _, item in items]


def _in_margin(lines: list[dict], i: int, height: float) -> bool:
    """Whether line ``i`` stands apart in the page's top or bottom band: one of the first or
    last two lines, with more than a line's height of space between it and the body (body
    lines recur too when a text repeats itself; they are not set apart)."""
    line = lines[i]
    if i < 2 and line["top"] < height * _MARGIN_BAND:
        gap = lines[i + 1]["top"] - line["bottom"] if i + 1 < len(lines) else height
    elif i >= len(lines) - 2 and line["bottom"] > height * (1 - _MARGIN_BAND):
        gap = line["top"] - lines[i - 1]["bottom"] if i else height
    else:
        return False
    return gap > line["bottom"] - line["top"]


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _lead_width(chars: list[dict]) -> float:
    """Width of the line's first word: a run of Latin letters and digits, or one CJK
    character with the opening marks before it and the closing marks after it."""
    i = 0
    while i < len(chars) - 1 and chars[i]["text"] in _OPENING:
        i += 1
    if chars[i]["text"].isascii() and chars[i]["text"].isalnum():
        while i + 1 < len(chars) and chars[i + 1]["text"].isascii() and not chars[i + 1]["text"].isspace():
            i += 1
    while i + 1 < len(chars) and chars[i + 1]["text"] in _CLOSING:
        i += 1
    return chars[i]["x1"] - chars[0]["x0"]


def _running_heads(pages: list[list]) -> set[int]:
    """The ids of margin lines whose text (page numbers masked) recurs on many pages."""
    margin = [item for items in pages for item in items if isinstance(item, _Line) and item.margin]
    counts = Counter(_DIGITS.sub("#", line.text.strip()) for line in margin)
    needed = max(2, len(pages) * _REPEATED)
    return {id(line) for line in margin if counts[_DIGITS.sub("#", line.text.strip())] >= needed}


class _Joiner:
    """Re-joins wrapped lines into paragraphs, using the document's usual margins and pitch."""

    def __init__(self, pages: list[list]):
        self._pages = pages
        lines = [item for items in pages for item in items if isinstance(item, _Line)]
        size = _mode(line.size for line in lines) if lines else 0
        body = [line for line in lines if line.size == size]
        self._left = _mode(round(line.x0) for line in body) if body else 0
        self._right = _mode(round(line.x1) for line in body) if body else 0
        pitches = [round(b.top - a.top) for a, b in zip(body, body[1:]) if a.page == b.page and b.top > a.top]
        self._pitch = _mode(pitches) if pitches else None

    def blocks(self) -> list[Block]:
        """Paragraph and table blocks in reading order."""
        blocks: list[Block] = []
        current: list[_Line] = []
        for items in self._pages:
            for item in items:
                if isinstance(item, Block):
                    blocks.extend(self._paragraph(current))
                    current = []
                    blocks.append(item)
                elif current and not self._continues(current[-1], item):
                    blocks.extend(self._paragraph(current))
                    current = [item]
                else:
                    current.append(item)
        blocks.extend(self._paragraph(current))
        return blocks

    @staticmethod
    def _paragraph(lines: list[_Line]) -> list[Block]:
        # Lines are joined with "\n": layout's normalise_inline joins a soft break without a
        # space, except between two Latin words ("National Quality" / "Infrastructure").
        return [Block("paragraph", "\n".join(line.text for line in lines), page=lines[0].page)] if lines else []

    def _continues(self, prev: _Line, line: _Line) -> bool:
        """Whether ``line`` carries on the paragraph ``prev`` belongs to."""
        size = line.size
        if abs(size - prev.size) > 0.5 or line.x0 > self._left + size / 2:
            return False
        if self._pitch and line.page == prev.page and line.top - prev.top > self._pitch * 1.4:
            return False
        if prev.text.rstrip().endswith(_SENTENCE_END):
            short = line.x1 < self._left + _SHORT * (self._right - self._left)
            short_heading = short and not _SENTENCE_PUNCTUATION.search(line.text)
            if short_heading or _LABEL.match(line.text):
                return False
        return self._right - prev.x1 < line.lead + size


def _mode(values) -> float:
    return Counter(values).most_common(1)[0][0]


def _properties(metadata: dict) -> dict:
    """Title, author and creation date (as YYYY-MM-DD when it parses) from the metadata."""
    created = str(metadata.get("CreationDate", "") or "")
    match = regex.match(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?", created)
    if match:
        created = "-".join(part for part in match.groups() if part)
    return {"title": str(metadata.get("Title", "") or ""), "author": str(metadata.get("Author", "") or ""),
            "date": created}
