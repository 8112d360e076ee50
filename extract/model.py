"""What an ingestor reads: blocks of layout, before normalisation.

Ingestors produce a :class:`RawDocument` (a list of :class:`Block`); layout normalises every
block once and lays them out into the text of a spaCy Doc (:mod:`planx.document`), where
every structure element and every extracted record is a span of that text.
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
