"""Word .docx files: paragraphs and tables in reading order, heading styles, numbering
labels, merged cells and text boxes.

python-docx opens the package; the body is then walked at the XML level, because
python-docx's ``Paragraph.text`` skips runs nested in tracked insertions, fields and
content controls, and ``cell.text`` drops nested tables. Only the body is read: headers,
footers and footnotes live in other parts and are not body text.

* A paragraph's automatic numbering (``w:numPr``) is rendered as the label Word shows
  (一、, （一）, 1.) from the numbering part and prepended to its text.
* A merged table cell is reported once, at its origin; the grid positions it covers are
  ``None``. A nested table is flattened into its cell's text.
* Text boxes anchored in a paragraph (a 专栏, say) follow it as paragraphs. Word stores
  each box twice (a DrawingML original and a VML fallback); the fallback is skipped.

python-docx parses with ``resolve_entities=False``, so an entity declared in a hostile
file is never expanded or fetched. The zip's declared sizes are checked before anything
is unpacked.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Iterator

import regex
from lxml import etree

from ..errors import IngestError
from ..model import Block, RawDocument

# A .docx whose parts unpack to more than this is refused (a zip bomb, not a plan).
MAX_UNPACKED = 200 * 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NS = {"w": _W[1:-1], "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"}
_HEADING_NAME = regex.compile(r"^(?:heading|标题)\s*([1-9])$", regex.IGNORECASE)
_TITLE_NAME = regex.compile(r"^(?:title|标题)$", regex.IGNORECASE)
_LEVEL_REF = regex.compile(r"%([1-9])")
_DAMAGED = ("is not a valid Word file (damaged or truncated)", "re-save it from Word or LibreOffice")
# How many text boxes an element sits in (see _own).
_DEPTH = etree.XPath("count(ancestor::w:txbxContent)", namespaces=_NS)
# Runs in hyperlinks, fields, insertions and content controls count; deleted or moved-away
# text and the VML fallback copy of a shape do not.
_RUNS = etree.XPath(".//w:r[not(ancestor::w:del or ancestor::w:moveFrom or ancestor::mc:Fallback)]"
                    "[count(ancestor::w:txbxContent) = $depth]", namespaces=_NS)
_TEXT_BOXES = etree.XPath(".//w:txbxContent[not(ancestor::mc:Fallback)][count(ancestor::w:txbxContent) = $depth]",
                          namespaces=_NS)


def read(path: Path, data: bytes) -> RawDocument:
    """Read a .docx into blocks.

    Args:
        path: the file, for messages.
        data: its bytes.

    Returns:
        The body's paragraphs and tables in order, with the core properties (title,
        author, creation date) the file declares.

    Raises:
        IngestError: damaged, not a Word document, or too large when unpacked.
    """
    import docx
    from docx.exceptions import PythonDocxError
    from docx.opc.exceptions import OpcError

    names = _check_zip(path, data)
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(_Reader(document).blocks(document.element.body))
    except (zipfile.BadZipFile, etree.LxmlError, PythonDocxError, OpcError, KeyError, ValueError):
        raise IngestError(path, *_DAMAGED) from None
    return RawDocument(blocks=blocks, format="docx", properties=_core_properties(data, names))


_CORE_FIELDS = {"title": "{http://purl.org/dc/elements/1.1/}title",
                "author": "{http://purl.org/dc/elements/1.1/}creator",
                "date": "{http://purl.org/dc/terms/}created"}


def _core_properties(data: bytes, names: set[str]) -> dict[str, str]:
    """Title, author and creation date from ``docProps/core.xml``, read straight from the zip.

    Not through python-docx: it finds the part by its relationship type and, for the variant
    LibreOffice writes (…/officedocument/2006/…), invents defaults (title "Word Document", no
    date) instead. A file without the part declares nothing.
    """
    if "docProps/core.xml" not in names:
        return {}
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            root = etree.fromstring(archive.read("docProps/core.xml"), parser)
    except (zipfile.BadZipFile, etree.LxmlError, KeyError):
        return {}
    values = {name: (root.findtext(tag) or "").strip() for name, tag in _CORE_FIELDS.items()}
    values["date"] = values["date"][:10] if regex.fullmatch(r"\d{4}-\d{2}-\d{2}.*", values["date"]) else ""
    return values


def _check_zip(path: Path, data: bytes) -> set[str]:
    """The zip's member names, after refusing damaged archives, non-Word zips and bombs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise IngestError(path, *_DAMAGED) from None
    names = {info.filename for info in infos}
    if "word/document.xml" not in names:
        raise IngestError(path, "is a zip file but not a Word document", "check the file's real format")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED:
        raise IngestError(path, f"unpacks to {unpacked // 2**20} MiB, too large for a document",
                          "check the file; it may be a zip bomb")
    return names


class _Styles:
    """Paragraph and character styles by id: name, base style, outline level, numbering, bold."""

    def __init__(self, document):
        self._styles = {}
        for style in document.styles.element.iterchildren(f"{_W}style"):
            self._styles[style.get(f"{_W}styleId")] = style

    def _chain(self, style_id: str | None) -> Iterator:
        seen = set()
        while style_id in self._styles and style_id not in seen:
            seen.add(style_id)
            style = self._styles[style_id]
            yield style
            based = style.find(f"{_W}basedOn")
            style_id = based.get(f"{_W}val") if based is not None else None

    def heading_level(self, style_id: str | None) -> int | None:
        """Title → 0, Heading N / 标题 N → N, else the outline level the style chain sets."""
        for style in self._chain(style_id):
            name_element = style.find(f"{_W}name")
            name = name_element.get(f"{_W}val", "") if name_element is not None else ""
            if _TITLE_NAME.match(name):
                return 0
            match = _HEADING_NAME.match(name)
            if match:
                return int(match.group(1))
            level = _outline_level(style.find(f"{_W}pPr"))
            if level is not None:
                return level
        return None

    def numbering(self, style_id: str | None):
        """The ``w:numPr`` the nearest style in the chain sets, if any."""
        for style in self._chain(style_id):
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None:
                return num_pr
        return None

    def bold(self, style_id: str | None) -> bool:
        """Whether a character style (or one it is based on) makes its text bold."""
        for style in self._chain(style_id):
            bold = style.find(f"{_W}rPr/{_W}b")
            if bold is not None:
                return _on(bold)
        return False


def _on(toggle) -> bool:
    """A toggle property such as ``<w:b/>`` is on unless its value says otherwise."""
    return toggle.get(f"{_W}val", "true") not in ("0", "false", "off")


def _outline_level(ppr) -> int | None:
    """Outline level 0–8 as heading level 1–9; 9 means body text."""
    element = ppr.find(f"{_W}outlineLvl") if ppr is not None else None
    if element is None:
        return None
    value = int(element.get(f"{_W}val", "9"))
    return value + 1 if value < 9 else None


class _Numbering:
    """Renders automatic numbering labels, counting per list (numId) and level."""

    def __init__(self, document):
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        self._levels: dict[str, dict[int, tuple[int, str, str, str]]] = {}
        self._counts: dict[str, dict[int, int]] = {}
        try:
            root = document.part.part_related_by(RT.NUMBERING).element
        except KeyError:
            return
        abstract = {a.get(f"{_W}abstractNumId"): _parse_levels(a) for a in root.iterchildren(f"{_W}abstractNum")}
        for num in root.iterchildren(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            levels = dict(abstract.get(ref.get(f"{_W}val") if ref is not None else None, {}))
            for override in num.iterchildren(f"{_W}lvlOverride"):
                ilvl = int(override.get(f"{_W}ilvl", "0"))
                levels.update(_parse_levels(override))
                start = override.find(f"{_W}startOverride")
                if start is not None and ilvl in levels:
                    levels[ilvl] = (int(start.get(f"{_W}val", "1")), *levels[ilvl][1:])
            self._levels[num.get(f"{_W}numId")] = levels

    def label(self, num_pr, style_id: str | None) -> str:
        """The label for the next paragraph in list ``num_pr``; ``""`` when there is none."""
        num_id_element = num_pr.find(f"{_W}numId")
        num_id = num_id_element.get(f"{_W}val") if num_id_element is not None else None
        levels = self._levels.get(num_id)
        if not levels:
            return ""
        ilvl_element = num_pr.find(f"{_W}ilvl")
        if ilvl_element is not None:
            ilvl = int(ilvl_element.get(f"{_W}val", "0"))
        else:  # a style-linked list names its level by the style that uses it
            ilvl = next((i for i, level in levels.items() if level[3] == style_id), 0)
        if ilvl not in levels:
            return ""
        counts = self._counts.setdefault(num_id, {})
        counts[ilvl] = counts.get(ilvl, levels[ilvl][0] - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]  # a new item restarts the levels below it
        if levels[ilvl][1] == "bullet":
            return ""

        def number(match) -> str:
            level = int(match.group(1)) - 1
            start, fmt = levels.get(level, (1, "decimal", "", ""))[:2]
            return _format_number(counts.get(level, start), fmt)

        return _LEVEL_REF.sub(number, levels[ilvl][2])


def _parse_levels(parent) -> dict[int, tuple[int, str, str, str]]:
    """``ilvl → (start, numFmt, lvlText, pStyle)`` for the ``w:lvl`` children of ``parent``."""

    def val(lvl, tag: str, default: str) -> str:
        element = lvl.find(f"{_W}{tag}")
        return element.get(f"{_W}val", default) if element is not None else default

    return {int(lvl.get(f"{_W}ilvl", "0")): (int(val(lvl, "start", "1")), val(lvl, "numFmt", "decimal"),
                                              val(lvl, "lvlText", ""), val(lvl, "pStyle", ""))
            for lvl in parent.iterchildren(f"{_W}lvl")}


_CHINESE_DIGITS = "〇一二三四五六七八九"


def _format_number(n: int, fmt: str) -> str:
    """``n`` in a Word number format; formats we do not render fall back to decimal."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting") and 0 < n < 100:
        tens, ones = divmod(n, 10)
        if not tens:
            return _CHINESE_DIGITS[ones]
        return ("" if tens == 1 else _CHINESE_DIGITS[tens]) + "十" + (_CHINESE_DIGITS[ones] if ones else "")
    if fmt in ("ideographDigital", "taiwaneseDigital"):
        return "".join(_CHINESE_DIGITS[int(d)] for d in str(n))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= 20:
        return chr(0x245F + n)
    if fmt in ("lowerLetter", "upperLetter") and n > 0:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and 0 < n < 4000:
        roman = _roman(n)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero":
        return f"{n:02d}"
    return "" if fmt == "none" else str(n)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out += numeral * count
    return out


class _Reader:
    """Turns the body's XML into blocks; holds the styles and the list counters."""

    def __init__(self, document):
        self._styles = _Styles(document)
        self._numbering = _Numbering(document)

    def blocks(self, container) -> Iterator[Block]:
        """Blocks for the paragraphs and tables directly in ``container`` (body, text box)."""
        for element in _block_elements(container):
            if element.tag == f"{_W}tbl":
                yield Block("table", rows=self._table_rows(element))
                continue
            runs = _own(_RUNS, element)
            style = element.find(f"{_W}pPr/{_W}pStyle")
            style_id = style.get(f"{_W}val") if style is not None else None
            level = _outline_level(element.find(f"{_W}pPr"))
            if level is None:
                level = self._styles.heading_level(style_id)
            yield Block("paragraph", self._label(element, style_id) + "".join(r.text for r in runs),
                        heading_level=level, bold_lead=self._bold_lead(runs))
            for box in _own(_TEXT_BOXES, element):
                yield from self.blocks(box)

    def _label(self, p, style_id: str | None) -> str:
        """The paragraph's numbering label, from its own ``w:numPr`` or its style's."""
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        if num_pr is None:
            num_pr = self._styles.numbering(style_id)
        return self._numbering.label(num_pr, style_id) if num_pr is not None else ""

    def _bold_lead(self, runs: list) -> bool:
        """The first non-empty run is bold, and the bold part ends a sentence (。) or is at
        least four characters followed by text that is not bold."""
        lead, rest = "", ""
        for run in runs:
            text = run.text
            if not text.strip():
                continue
            if rest or not self._run_bold(run):
                rest += text
            else:
                lead += text
        lead = lead.strip()
        return bool(lead) and (lead.endswith("。") or (len(lead) >= 4 and bool(rest.strip())))

    def _run_bold(self, run) -> bool:
        bold = run.find(f"{_W}rPr/{_W}b")
        if bold is not None:
            return _on(bold)
        style = run.find(f"{_W}rPr/{_W}rStyle")
        return style is not None and self._styles.bold(style.get(f"{_W}val"))

    def _table_rows(self, tbl) -> tuple[tuple[str | None, ...], ...]:
        """Cell texts on the table's grid; positions a merge covers are ``None``."""
        rows = []
        for tr in tbl.iterchildren(f"{_W}tr"):
            row: list[str | None] = [""] * tr.grid_before
            for tc in tr.iterchildren(f"{_W}tc"):
                row.append(None if tc.vMerge == "continue" else self._cell_text(tc))
                row.extend([None] * (tc.grid_span - 1))
            rows.append(tuple(row))
        return tuple(rows)

    def _cell_text(self, tc) -> str:
        """A cell's paragraphs one per line; a nested table's rows flattened into lines."""
        lines = []
        for block in self.blocks(tc):
            if block.kind == "table":
                lines.extend(" ".join(c for c in row if c) for row in block.rows)
            else:
                lines.append(block.text)
        return "\n".join(lines)


def _block_elements(container) -> Iterator:
    """``w:p`` and ``w:tbl`` children in order, looking inside content controls."""
    for child in container.iterchildren(f"{_W}p", f"{_W}tbl", f"{_W}sdt", f"{_W}customXml"):
        if child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _block_elements(content)
        elif child.tag == f"{_W}customXml":
            yield from _block_elements(child)
        else:
            yield child


def _own(query, p) -> list:
    """What ``query`` finds in ``p`` that belongs to ``p`` itself rather than to a text box
    nested in it: it sits in as many text boxes as ``p`` does."""
    return query(p, depth=_DEPTH(p))
