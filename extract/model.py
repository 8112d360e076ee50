"""The document model: one normalised text and half-open spans into it.

Ingestors produce a :class:`RawDocument` (a list of :class:`Block`), ``assemble``
normalises every block once and lays them out into :attr:`Document.text`; from then on
every structure element and every extracted record is a pair of offsets into that text.
Nothing in this module knows about passes, rules or output files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


@dataclass(frozen=True)
class Block:
    """One unit of layout as an ingestor read it, before normalisation.

    Args:
        kind: ``"paragraph"`` or ``"table"``.
        text: the paragraph's text (numbering label included), unnormalised.
        rows: for tables, the cell texts row by row; ``None`` marks a cell covered by a
            merge (its value is the nearest cell above, else to the left).
        heading_level: the level a heading *style* gives the paragraph (0 = title,
            1 = top heading); ``None`` when the source has no style (plain text).
        bold_lead: the paragraph opens with a bold run (a lead sentence in Word files).
        page: the 1-based page the block starts on, when the source has pages.
    """

    kind: str
    text: str = ""
    rows: tuple[tuple[Optional[str], ...], ...] = ()
    heading_level: Optional[int] = None
    bold_lead: bool = False
    page: Optional[int] = None


@dataclass
class RawDocument:
    """What an ingestor returns: blocks in reading order plus file-level facts."""

    blocks: list[Block]
    format: str
    properties: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Span:
    """A half-open ``[start, end)`` interval of :attr:`Document.text`."""

    start: int
    end: int

    def text(self, doc_text: str) -> str:
        return doc_text[self.start : self.end]


@dataclass(frozen=True)
class Paragraph(Span):
    """A paragraph of body text (not a table row)."""

    heading_level: Optional[int] = None
    bold_lead: bool = False


@dataclass(frozen=True)
class Cell(Span):
    """A table cell; a merged cell's covered positions share its offsets."""

    row: int = 0
    col: int = 0
    merged: bool = False


@dataclass
class Table:
    """A table with cells carrying offsets into the text.

    ``rows`` is rectangular; ``header`` holds the header row's cells (repeated
    headers of continuation tables are dropped when tables are joined).
    """

    start: int
    end: int
    header: list[Cell]
    rows: list[list[Cell]]
    title: str = ""
    title_span: Optional[Span] = None

    def cell_text(self, text: str, cell: Cell) -> str:
        return text[cell.start : cell.end]


@dataclass(frozen=True)
class Heading(Span):
    """A heading: ``number`` is its numbering label (一、, （一）, 1.) or empty.

    ``start``/``end`` cover label and title; ``title_start`` is where the title starts.
    ``level`` is its depth in the tree (1 = top). ``style`` names the numbering kind.
    """

    level: int = 1
    number: str = ""
    title_start: int = 0
    style: str = ""

    def title(self, doc_text: str) -> str:
        return doc_text[self.title_start : self.end]

    def label(self, doc_text: str) -> str:
        return doc_text[self.start : self.end]


@dataclass(frozen=True)
class Section(Span):
    """The text a heading governs, up to the next heading of the same or higher level."""

    heading: Optional[Heading] = None
    path: tuple[str, ...] = ()

    @property
    def path_text(self) -> str:
        return " > ".join(self.path)


@dataclass(frozen=True)
class Box(Span):
    """A 专栏 box: an explainer set apart from the body text."""

    title: str = ""


@dataclass
class Document:
    """One document: its normalised text and the structure found in it."""

    doc_id: str
    text: str
    format: str
    source_path: str = ""
    sha256: str = ""
    properties: dict = field(default_factory=dict)
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)

    def section_at(self, offset: int) -> Optional[Section]:
        """The innermost section containing ``offset``."""
        best = None
        for section in self.sections:
            if section.start <= offset < section.end:
                if best is None or section.start >= best.start:
                    best = section
        return best

    def sentence_at(self, offset: int) -> Optional[Span]:
        """The sentence containing ``offset``."""
        lo, hi = 0, len(self.sentences)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.sentences[mid].end <= offset:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(self.sentences) and self.sentences[lo].start <= offset:
            return self.sentences[lo]
        return None

    def in_box(self, offset: int) -> bool:
        return any(b.start <= offset < b.end for b in self.boxes)

    def in_table(self, offset: int) -> bool:
        return any(t.start <= offset < t.end for t in self.tables)
