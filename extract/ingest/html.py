"""Government web pages: the article kept, navigation, menus and 相关报道 chrome dropped.

trafilatura finds the main content (a maintained extractor, rather than our own heuristics);
its XML output keeps headings, paragraphs and tables apart. The page's charset is taken from
its ``<meta>`` declaration, else UTF-8, else GB18030 (many government sites still serve GBK).
"""

from __future__ import annotations

from pathlib import Path

import regex

from ..errors import IngestError
from ..model import Block, RawDocument

_CHARSET = regex.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", regex.IGNORECASE)


def decode(data: bytes) -> str:
    """The page's text, decoded by its declared charset, else UTF-8, else GB18030."""
    declared = _CHARSET.search(data[:4096])
    candidates = [declared.group(1).decode("ascii").lower()] if declared else []
    for encoding in [*candidates, "utf-8", "gb18030"]:
        encoding = "gb18030" if encoding in ("gb2312", "gbk") else encoding
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", errors="replace")


def _blocks(xml: str) -> list[Block]:
    from lxml import etree

    root = etree.fromstring(xml.encode("utf-8"), parser=etree.XMLParser(resolve_entities=False, no_network=True))
    blocks: list[Block] = []
    for element in root.iter("head", "p", "item", "table"):
        if element.tag == "table":
            rows = tuple(tuple("".join(cell.itertext()) for cell in row.iter("cell")) for row in element.iter("row"))
            blocks.append(Block("table", rows=rows))
        elif not any(parent.tag in ("table", "p", "item") for parent in element.iterancestors()):
            blocks.append(Block("paragraph", "".join(element.itertext())))
    return blocks


def read(path: Path, data: bytes) -> RawDocument:
    """Read the article of a web page.

    Raises:
        IngestError: the page holds no article text.
    """
    import trafilatura

    page = decode(data)
    xml = trafilatura.extract(page, output_format="xml", include_tables=True, include_comments=False,
                              favor_recall=True, with_metadata=True)
    blocks = _blocks(xml) if xml else []
    if not any(b.text.strip() or b.rows for b in blocks):
        raise IngestError(path, "has no article text trafilatura could find", "save the page's article as .txt")
    meta = trafilatura.extract_metadata(page)
    properties = {"title": (meta.title if meta else "") or "", "date": (meta.date if meta else "") or "",
                  "source": (meta.sitename if meta else "") or ""}
    return RawDocument(blocks=blocks, format="html", properties=properties)
