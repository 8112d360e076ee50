"""The document model: a spaCy ``Doc`` with one token per character.

Layout turns an ingested file into one normalised text and makes it a Doc whose every
character is a token, so a token index *is* a character offset: ``span.start`` and
``span.end`` are the offsets every row carries. Structure and findings live in span groups
(:data:`PARAGRAPHS`, :data:`HEADINGS`, :data:`SECTIONS`… and the candidate groups
:data:`QUANTITIES`, :data:`TIME`, :data:`PLACES`, :data:`AGENCY_NAMES`); what a span is
beyond its offsets (a heading's level, a quantity's value) is a ``span._`` value, and what
the document is (its id, title, plan period) a ``doc._`` fact.

spaCy keys a span's ``._`` values by character offsets alone, so two spans over the same
characters (a section and its first paragraph, a merged cell and the cell it copies) would
share them. Values here are keyed by offsets, label and span id as well: every span made by
:func:`add_span` has an id unique in its document.
"""

from __future__ import annotations

import bisect
from dataclasses import fields, is_dataclass
from typing import Any, Iterable, Optional

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

# Structure.
PARAGRAPHS, TABLES, CELLS, HEADINGS, SECTIONS, BOXES, SENTENCES = (
    "paragraphs", "tables", "cells", "headings", "sections", "boxes", "sentences")
# Candidates: everything a finder saw, chosen or not.
QUANTITIES, TIME, PLACES, AGENCY_NAMES = "quantities", "time", "places", "agency_names"
# Decisions: one span per row of the contract's table of the same name.
TARGETS, DEADLINES, AREAS, AGENCIES, MEASURES = "targets", "deadlines", "areas", "agencies", "measures"
ROW_GROUPS = (MEASURES, TARGETS, DEADLINES, AREAS, AGENCIES)

#: What a file is: set by :func:`new_doc` from the ingested file.
SOURCE_FACTS = ("doc_id", "source_path", "format", "sha256", "properties")
#: What the document says about itself: set by the metadata component.
DOCUMENT_FACTS = ("title", "issuer", "issue_date", "doc_number", "period_start", "period_end",
                  "region", "region_code", "report_year", "meeting_date", "document_type")

#: ``span._`` values: the structure's, then the candidates' and the rows'.
SPAN_VALUES = (
    "heading_level", "bold_lead",            # paragraphs: the style's level, a bold lead run
    "level", "number", "title_start", "style",  # headings
    "path", "role",                          # sections: heading path, role from rules/sections.yaml
    "title",                                 # boxes and tables
    "row", "col", "merged", "table",         # cells
    "value", "rule",                         # candidates: the parsed reading, the rule that found it
    "kind", "kind_rule", "year", "year_rule",  # context of a quantity, and the rules that decided it
    "responsible", "responsible_rule",       # context of a place
    "row_values",                            # decisions: the row's columns other than offsets
)

_KEY = "planx"
#: ``doc.user_data`` keys under this hold derived lookups (indexes, parsed candidates), not
#: data: :func:`portable` drops them before a Doc is serialised.
CACHE = "planx-cache"


def _value_key(span: Span, name: str) -> tuple:
    return (_KEY, name, span.start, span.end, span.label_, span.id_)


def _register() -> None:
    for name in SOURCE_FACTS + DOCUMENT_FACTS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    for name in SPAN_VALUES:
        if not Span.has_extension(name):
            Span.set_extension(name, getter=_getter(name), setter=_setter(name))


def _getter(name: str):
    def get(span: Span) -> Any:
        return span.doc.user_data.get(_value_key(span, name))
    return get


def _setter(name: str):
    def set_value(span: Span, value: Any) -> None:
        span.doc.user_data[_value_key(span, name)] = value
    return set_value


_register()


def new_doc(vocab: Vocab, text: str, **facts: Any) -> Doc:
    """A Doc of ``text`` with one token per character and the given :data:`SOURCE_FACTS`."""
    doc = Doc(vocab, words=list(text), spaces=[False] * len(text))
    doc.user_data[(CACHE, "text")] = text
    for name, value in facts.items():
        if name not in SOURCE_FACTS:
            raise TypeError(f"{name!r} is not a source fact; choose from {', '.join(SOURCE_FACTS)}")
        setattr(doc._, name, value)
    return doc


def add_span(doc: Doc, group: str, start: int, end: int, label: str = "", kb_id: str = "", **values: Any) -> Span:
    """Add ``[start, end)`` to span group ``group`` with ``._`` values; returns the span.

    The span's id is ``group:n``, unique in the document, so its values are its own.
    ``kb_id`` links it to an entry outside the text (a place's GB/T 2260 code).
    """
    spans = doc.spans[group]
    span = Span(doc, start, end, label=label or group, kb_id=kb_id, span_id=f"{group}:{len(spans)}")
    for name, value in values.items():
        setattr(span._, name, value)
    spans.append(span)
    return span


def text_of(doc: Doc) -> str:
    """The document's text. ``doc.text`` joins every token again on each call (one per
    character here), so passes read this copy, made once."""
    key = (CACHE, "text")
    if key not in doc.user_data:
        doc.user_data[key] = doc.text
    return doc.user_data[key]


def portable(doc: Doc) -> Doc:
    """``doc`` without its cached lookups, ready for ``DocBin``."""
    for key in [key for key in doc.user_data if isinstance(key, tuple) and key and key[0] == CACHE]:
        del doc.user_data[key]
    return doc


def cached(doc: Doc, name: str, make):
    """``make()``, computed once per document and kept among its cached lookups."""
    key = (CACHE, name)
    if key not in doc.user_data:
        doc.user_data[key] = make()
    return doc.user_data[key]


# Reading structure -------------------------------------------------------------------------

class SpanIndex:
    """The spans of one group sorted by start, for "which spans contain/lie within" questions.

    Structure groups are laminar (any two spans are nested or apart: sections, sentences,
    measures), so each span's parent is kept and the spans containing an offset are found by
    climbing from the last span that starts at or before it: no scan of the whole group per
    question. A group with crossing spans is scanned.
    """

    def __init__(self, spans: Iterable[Span]):
        self.spans = sorted(spans, key=lambda s: (s.start, -s.end))
        self.starts = [s.start for s in self.spans]
        self.parents: list[int] | None = self._parents()

    def _parents(self) -> list[int] | None:
        """Each span's innermost enclosing span (-1 for none), or None if two spans cross."""
        parents, open_spans = [], []
        for i, span in enumerate(self.spans):
            while open_spans and self.spans[open_spans[-1]].end <= span.start:
                open_spans.pop()
            if open_spans and span.end > self.spans[open_spans[-1]].end:
                return None
            parents.append(open_spans[-1] if open_spans else -1)
            open_spans.append(i)
        return parents

    def within(self, start: int, end: int) -> list[Span]:
        """The spans that start inside ``[start, end)`` and end by ``end``."""
        i = bisect.bisect_left(self.starts, start)
        j = bisect.bisect_left(self.starts, end)
        return [s for s in self.spans[i:j] if s.end <= end]

    def containing(self, offset: int) -> list[Span]:
        """The spans with ``start <= offset < end``, outermost first."""
        i = bisect.bisect_right(self.starts, offset)
        if self.parents is None:
            return sorted((s for s in self.spans[:i] if offset < s.end), key=lambda s: (s.start, -s.end))
        found, k = [], i - 1
        while k >= 0:
            if offset < self.spans[k].end:
                found.append(self.spans[k])
            k = self.parents[k]
        return found[::-1]


def _derived(doc: Doc, group: str, name: str, make):
    """``make(spans)`` for span group ``group``, kept until the group is replaced or grows."""
    cache = doc.user_data.setdefault((CACHE, name), {})
    spans = doc.spans[group] if group in doc.spans else ()
    held = cache.get(group)
    # The group object itself is held, so a replaced group's id cannot be reused by a new one.
    if held is None or held[0] is not spans or held[1] != len(spans):
        held = cache[group] = (spans, len(spans), make(spans))
    return held[2]


def _index(doc: Doc, group: str) -> SpanIndex:
    return _derived(doc, group, "index", SpanIndex)


def spans_at(doc: Doc, group: str, offset: int) -> list[Span]:
    """The spans of ``group`` containing ``offset``, outermost first."""
    return _index(doc, group).containing(offset)


def span_at(doc: Doc, group: str, offset: int) -> Optional[Span]:
    """The innermost span of ``group`` containing ``offset``, or None."""
    found = spans_at(doc, group, offset)
    return found[-1] if found else None


def spans_within(doc: Doc, group: str, start: int, end: int) -> list[Span]:
    """The spans of ``group`` lying inside ``[start, end)``, in text order."""
    return _index(doc, group).within(start, end)


def section_at(doc: Doc, offset: int) -> Optional[Span]:
    """The innermost section containing ``offset``."""
    return span_at(doc, SECTIONS, offset)


def sentence_at(doc: Doc, offset: int) -> Optional[Span]:
    """The sentence containing ``offset``."""
    return span_at(doc, SENTENCES, offset)


def paragraph_at(doc: Doc, offset: int) -> Optional[Span]:
    """The paragraph containing ``offset``."""
    return span_at(doc, PARAGRAPHS, offset)


def heading_of(doc: Doc, section: Span) -> Span:
    """The heading a section opens with."""
    return next(h for h in spans_at(doc, HEADINGS, section.start) if h.start == section.start)


def heading_title(heading: Span) -> str:
    """A heading's title: its text after the numbering label."""
    return text_of(heading.doc)[heading._.title_start : heading.end]


def path_text(section: Optional[Span]) -> str:
    """A section's heading path as one string (``一、总体要求 > （一）指导思想``)."""
    return " > ".join(section._.path) if section is not None else ""


def in_box(doc: Doc, offset: int) -> bool:
    return bool(spans_at(doc, BOXES, offset))


def in_table(doc: Doc, offset: int) -> bool:
    return bool(spans_at(doc, TABLES, offset))


def table_grid(doc: Doc, table: Span) -> list[list[Span]]:
    """A table's cells row by row, header first; merged positions are cells of their own
    whose offsets are those of the cell they copy."""
    rows = _derived(doc, CELLS, "grids", _cells_by_table).get(table.id_, {})
    return [sorted(rows[r], key=lambda c: c._.col) for r in sorted(rows)]


def _cells_by_table(cells) -> dict[str, dict[int, list[Span]]]:
    grids: dict[str, dict[int, list[Span]]] = {}
    for cell in cells:
        grids.setdefault(cell._.table, {}).setdefault(cell._.row, []).append(cell)
    return grids


def span_text(span: Span) -> str:
    """A span's text, sliced from :func:`text_of` (``span.text`` joins its tokens one by one)."""
    return text_of(span.doc)[span.start : span.end]


# Candidates --------------------------------------------------------------------------------

def add_candidate(doc: Doc, group: str, offset: int, found: Any, label: str, kb_id: str = "") -> Span:
    """Keep a finder's reading (a dataclass with ``start``/``end`` relative to ``offset``) as
    a span of ``group``; ``._.value`` holds its fields, ``._.rule`` the rule."""
    values = {f.name: getattr(found, f.name) for f in fields(found)} if is_dataclass(found) else dict(found)
    start, end = offset + values.pop("start"), offset + values.pop("end")
    return add_span(doc, group, start, end, label, kb_id, value=values, rule=values.get("rule", ""))


def candidate(span: Span, kind: type) -> Any:
    """A candidate span's reading rebuilt as ``kind`` with offsets into the document."""
    values = dict(span._.value)
    names = {f.name for f in fields(kind)}
    return kind(**{k: v for k, v in values.items() if k in names}, start=span.start, end=span.end)


# Rows --------------------------------------------------------------------------------------

def add_row(doc: Doc, table: str, start: int, end: int, row: dict, label: str = "") -> Span:
    """A row of ``table`` as a span of the group of that name; the row's other columns are
    its ``._.row_values``."""
    values = {k: v for k, v in row.items() if k not in ("start", "end")}
    return add_span(doc, table, start, end, label or table, row_values=values)


def rows_of(doc: Doc, table: str) -> list[dict]:
    """The rows a component added to ``table``, offsets included, in the order added."""
    if table not in doc.spans:
        return []
    return [{**span._.row_values, "start": span.start, "end": span.end} for span in doc.spans[table]]
