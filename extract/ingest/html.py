"""Government web pages: the article kept; navigation, breadcrumbs, share bars, 相关报道
lists and footers dropped.

trafilatura finds the main content (a maintained extractor rather than heuristics of our
own); its XML output keeps headings, paragraphs and tables apart. It fills the grid
positions a ``colspan``/``rowspan`` covers with empty cells, so each table's merges are
read again from the page's own ``<table>`` (matched by its cell texts) and reported as
``None``. The page's ``<nav>``, ``<header>``, ``<footer>``, scripts and styles are removed
first; when trafilatura then finds nothing, the visible text of ``<body>`` is used.

The charset comes from a byte-order mark or the page's ``<meta>`` declaration, else UTF-8,
else GB18030 (a superset of the GB2312 and GBK many government sites still serve).
Metadata prefers the ``<meta>`` tags China's government-website guideline prescribes
(``ArticleTitle``, ``PubDate``, ``ContentSource``) to what trafilatura infers.
"""

from __future__ import annotations

from pathlib import Path

import regex

from ..errors import IngestError
from ..model import Block, RawDocument

# [^<>]: a scan for charset stops at the next tag, so unclosed <meta runs stay linear.
_CHARSET = regex.compile(rb"""<meta[^<>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", regex.IGNORECASE)
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# Single-byte charsets decode any bytes, so a Chinese page wrongly declaring one (a CMS
# default) would come out as mojibake; such a declaration is not trusted.
_WESTERN = ("iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252")
_NO_TEXT = ("has no article text", "check that it is the article's page, or save the article as .txt")
_DATE = regex.compile(r"\d{4}-\d{2}-\d{2}")
_SPACE = regex.compile(r"\s+")
# trafilatura's block elements that hold a paragraph's text.
_BLOCKS = ("head", "p", "item", "quote")
# Elements of a page that are never article text (an article's own header is kept).
_CHROME = ("//nav | //header[not(ancestor::article)] | //footer[not(ancestor::article)] | "
           "//script | //style | //noscript | //template")
_LINE_BREAKING = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "section", "article",
                  "blockquote", "dd", "dt", "table")


def read(path: Path, data: bytes) -> RawDocument:
    """Read the article of a web page.

    Args:
        path: the file, for messages.
        data: its bytes.

    Returns:
        The article's paragraphs and tables, with the page's title, date and source.

    Raises:
        IngestError: the file is named .pdf (a failed download saved as the PDF), or the
            page holds no text.
    """
    import copy

    import trafilatura
    from lxml import etree, html

    if path.suffix.lower() == ".pdf":
        raise IngestError(path, "is an HTML page, not a PDF (a failed download or a login page)",
                          "download the PDF again")
    try:
        tree = html.document_fromstring(decode(data).encode("utf-8"), parser=html.HTMLParser(encoding="utf-8"))
    except etree.ParserError:  # nothing but comments or a doctype
        raise IngestError(path, *_NO_TEXT) from None
    grids = _source_grids(tree)
    # On a page with little text trafilatura falls back to the whole page, menus included;
    # elements that are never the article are removed before it looks.
    for element in tree.xpath(_CHROME):
        element.drop_tree()
    # Dates only from the page's markup: a plan's text is full of years ("到2025年") that a
    # search of the text would take for the publication date.
    xml = trafilatura.extract(copy.deepcopy(tree), output_format="xml", include_tables=True, include_comments=False,
                              favor_recall=True, with_metadata=True,
                              date_extraction_params={"extensive_search": False, "original_date": True})
    root = etree.fromstring(xml.encode("utf-8"), parser=etree.XMLParser(resolve_entities=False)) if xml else None
    blocks = _article(root, grids) if root is not None else []
    if not any(b.text.strip() or b.rows for b in blocks):
        blocks = _visible_text(tree)
    if not any(b.text.strip() or b.rows for b in blocks):
        raise IngestError(path, *_NO_TEXT)
    return RawDocument(blocks=blocks, format="html", properties=_properties(tree, root))


def decode(data: bytes) -> str:
    """The page's text: by its byte-order mark, its declared charset, else UTF-8, else GB18030.

    Args:
        data: the page's bytes.

    Returns:
        The decoded page; undecodable bytes become U+FFFD only when nothing fits.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    declared = _CHARSET.search(data[:4096])
    candidates = [declared.group(1).decode("ascii").lower()] if declared else []
    candidates = [c for c in candidates if c not in _WESTERN]
    for encoding in [*candidates, "utf-8", "gb18030"]:
        # GB2312 and GBK pages often hold characters only their superset GB18030 has.
        encoding = "gb18030" if encoding in ("gb2312", "gbk", "x-gbk") else encoding
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", errors="replace")


def _article(root, grids: dict) -> list[Block]:
    """Blocks for trafilatura's XML: outermost paragraph-like elements and tables, in order."""
    blocks: list[Block] = []
    for element in root.iter("table", *_BLOCKS):
        if element.tag == "table":
            rows = tuple(tuple(_text(cell) for cell in row.iter("cell")) for row in element.iter("row"))
            blocks.append(Block("table", rows=grids.get(_key(rows), rows)))
        elif not any(parent.tag in ("table", *_BLOCKS) for parent in element.iterancestors()):
            blocks.append(Block("paragraph", _text(element)))
    return blocks


def _text(element) -> str:
    """The element's text without that of tables nested in it (they are blocks of their own)."""
    parts = [element.text or ""]
    for child in element:
        if child.tag != "table":
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _key(rows) -> tuple[str, ...]:
    """A table's non-empty cell texts without whitespace: the same for trafilatura's copy
    of a table and the page's original."""
    return tuple(t for t in (_SPACE.sub("", c or "") for row in rows for c in row) if t)


def _source_grids(tree) -> dict:
    """The page's own tables on their grids, keyed by :func:`_key`."""
    grids: dict = {}
    for table in tree.iter("table"):
        rows = _grid(table)
        grids.setdefault(_key(rows), rows)
    return grids


def _grid(table) -> tuple[tuple[str | None, ...], ...]:
    """A ``<table>``'s cell texts on its grid; positions a colspan or rowspan covers are ``None``."""
    rows: list[tuple] = []
    pending: dict[int, int] = {}  # column -> rows a rowspan from above still covers

    def cover(row: list) -> None:
        while len(row) in pending:
            column = len(row)
            row.append(None)
            pending[column] -= 1
            if not pending[column]:
                del pending[column]

    for tr in table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr"):
        row: list[str | None] = []
        for cell in tr.xpath("./td | ./th"):
            cover(row)
            rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
            for i in range(colspan):
                if rowspan > 1:
                    pending[len(row)] = rowspan - 1
                row.append(cell.text_content() if i == 0 else None)
        cover(row)
        rows.append(tuple(row))
    return tuple(rows)


def _span(cell, attribute: str) -> int:
    value = (cell.get(attribute) or "1").strip()
    return min(int(value), 100) if value.isdecimal() and int(value) > 0 else 1


def _visible_text(tree) -> list[Block]:
    """The body's visible text, one paragraph per block element."""
    body = tree.find("body")
    if body is None:
        return []
    # text_content() runs block elements together; mark where each one starts and ends.
    for element in body.iter(*_LINE_BREAKING):
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    return [Block("paragraph", line) for line in body.text_content().split("\n") if line.strip()]


def _properties(tree, root) -> dict:
    """Title, date and source: the guideline's ``<meta>`` tags, else trafilatura's metadata,
    else the page's ``<title>``."""
    meta = {m.get("name", "").lower(): m.get("content", "").strip() for m in tree.iter("meta") if m.get("name")}
    found = dict(root.attrib) if root is not None else {}
    title = meta.get("articletitle") or found.get("title") or (tree.findtext(".//title") or "").strip()
    date = meta.get("pubdate") or found.get("date") or ""
    match = _DATE.search(date)
    return {"title": title, "date": match.group(0) if match else date,
            "source": meta.get("contentsource") or found.get("sitename") or found.get("author") or ""}
