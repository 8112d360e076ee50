"""Render extracted rows over their documents' text as a self-contained HTML page.

The page is the jinja2 template ``templates/document.html`` (inline CSS and JS, nothing
fetched) filled with what this module builds:

* each document's text, cut by a boundary sweep at every span start, span end and line
  break into segments (:class:`Line`, :class:`Segment`); the template wraps a segment in one
  ``<span class="hl hl-TABLE">`` per table covering it, nested in a fixed order, so
  overlapping spans of different tables all show at once (each table draws its own
  underline at its own depth, see the template's CSS). Each such span lists the rows
  covering it in ``data-r`` (space-separated row numbers), which is how the script finds a
  row's place in the text. Lines inside a measure get a coloured left border, alternating
  between neighbouring measures;
* a header per document from the documents table, and the errors table;
* every row of every span table as JSON in ``<script type="application/json">``, from which
  the script builds the side panel, the filters and the hover cards;
* for a document given as a Doc from the pipeline, the candidates it made no row of
  (:mod:`planx.review.candidates`): a layer of ``<span class="cand">`` innermost in each
  segment, listing them in ``data-c``, drawn only when the page's toggle is on, with their
  own hover cards. They are not rows, so the side panel does not list them;
* what correcting needs (:mod:`planx.review.corrections`): each row's and candidate's quote
  and gold fields, each document's storage key, each table's form. The correcting script
  (``templates/correct.js``, inlined in the same script element) keeps the researcher's
  decisions in the browser and exports them as gold JSON Lines (:mod:`planx.gold`).

Nothing here writes markup or escapes by hand: the templates do both, with autoescaping on,
so every piece of document text and every field value is HTML-escaped, and ``tojson`` writes
``<`` inside the JSON as ``\\u003c`` so no value can close the script element.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import jinja2
import pandas as pd
from spacy.tokens import Doc

from ..dataset import ID_COLUMN
from ..document import text_of
from ..writers.common import plain_rows
from .candidates import unchosen
from .corrections import document_key, gold_fields, page_settings, row_quote

#: The tables whose rows point into the text, outermost first when spans nest: the long
#: measure band wraps everything, the short spans sit inside it.
SPAN_TABLES = ("measures", "targets", "deadlines", "areas", "agencies")
#: The layer of candidates that are no row, innermost: their spans are the shortest.
CANDIDATES = "candidates"

_COMPARATORS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "~": "约", "=": ""}
_DOC_META = ("issuer", "issue_date", "doc_number", "region", "region_code", "format", "chars", "source_path")


@dataclass(frozen=True)
class Segment:
    """A run of text covered by the same rows throughout.

    Attributes:
        text: The characters, unescaped (the template escapes them).
        layers: ``(table, row numbers)`` per table covering the run, outermost first; the
            row numbers are space-separated, as the page's ``data-r`` attributes hold them.
        candidates: The numbers of the candidates covering the run, as ``data-c`` holds them.
    """

    text: str
    layers: tuple[tuple[str, str], ...]
    candidates: str = ""


@dataclass(frozen=True)
class Line:
    """One line of a document's text, as the page shows it.

    Attributes:
        segments: The line's text, cut where any span starts or ends.
        band: 0 or 1, the colour of the measure band at its left; None outside measures.
        tag: The short tags of the measures starting on the line, or "".
    """

    segments: tuple[Segment, ...]
    band: int | None
    tag: str


def row_records(tables: Mapping[str, pd.DataFrame]) -> list[dict]:
    """Every row of the span tables as a JSON-ready record, numbered from 0.

    Args:
        tables: Table name to frame; tables that are missing are skipped.

    Returns:
        Records in reading order, with ``i`` (row number), ``t`` (table), ``d`` (doc_id),
        ``s``/``e`` (offsets or None), ``id``, ``kind``, ``rule``, ``label`` (a one-line
        summary) and ``f`` (the row's non-empty fields in column order).

    Example:
        >>> from planx.dataset import frame
        >>> targets = frame("targets", [{"doc_id": "d", "target_id": "d:T1", "indicator": "合格率",
        ...                              "value": 97.0, "unit": "%", "comparator": ">=", "start": 4, "end": 7}])
        >>> [(r["i"], r["t"], r["label"]) for r in row_records({"targets": targets})]
        [(0, 'targets', '合格率 ≥97%')]
    """
    return in_reading_order(span_records(tables))


def span_records(tables: Mapping[str, pd.DataFrame]) -> list[dict]:
    """Every row of the span tables as a record of :func:`row_records`, not yet numbered.

    Each table is turned into plain values once, whatever the number of documents in it.

    Example:
        >>> from planx.dataset import frame
        >>> span_records({"areas": frame("areas", [{"doc_id": "d", "area_id": "d:A1", "area": "苏州"}])})[0]["id"]
        'd:A1'
    """
    records: list[dict] = []
    for table in SPAN_TABLES:
        df = tables.get(table)
        if df is None:
            continue
        for row in plain_records(df):
            fields = {c: _display(v) for c, v in row.items() if v is not None and v != ""}
            records.append({"t": table, "d": fields.get("doc_id", ""), "s": fields.get("start"),
                            "e": fields.get("end"), "id": fields.get(ID_COLUMN[table], ""),
                            "kind": fields.get("kind", ""), "rule": fields.get("rule", ""),
                            "label": label(table, fields), "f": fields})
    return records


def in_reading_order(records: list[dict]) -> list[dict]:
    """``records`` sorted so the side panel follows the text, and numbered from 0 (``i``).

    By document, then by offset (rows without one last), a measure before the rows inside it.

    Example:
        >>> rows = [{"t": "targets", "d": "a", "s": 9}, {"t": "measures", "d": "a", "s": 9},
        ...         {"t": "areas", "d": "a", "s": None}]
        >>> [(r["i"], r["t"]) for r in in_reading_order(rows)]
        [(0, 'measures'), (1, 'targets'), (2, 'areas')]
    """
    docs = {d: n for n, d in enumerate(dict.fromkeys(r["d"] for r in records))}
    records = sorted(records, key=lambda r: (docs[r["d"]], r["s"] is None, r["s"] or 0, SPAN_TABLES.index(r["t"])))
    for number, record in enumerate(records):
        record["i"] = number
    return records


def plain_records(df: pd.DataFrame) -> list[dict]:
    """Each row of ``df`` as a dict of plain Python values, None for null."""
    return [dict(zip(df.columns, values)) for values in plain_rows(df)]


def _display(value):
    """A whole float as an int, so 97.0 shows as 97 and a year never as 2025.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def label(table: str, f: Mapping[str, object]) -> str:
    """A one-line summary of a row for the side panel.

    Args:
        table: One of :data:`SPAN_TABLES`.
        f: The row's non-empty fields.

    Returns:
        For instance ``制造业产品质量合格率 ≥97% (2025)`` for a target.
    """
    def get(key: str) -> str:
        return str(f.get(key, ""))

    if table == "targets":
        if get("comparator") == "range":
            amount = f"{get('value')}–{get('value_max')}"
        else:
            amount = _COMPARATORS.get(get("comparator"), get("comparator")) + get("value")
        year = f" ({get('target_year')})" if "target_year" in f else ""
        return f"{get('indicator')} {amount}{get('unit')}{year}"
    if table == "deadlines":
        years = "–".join(get(k) for k in ("start_year", "end_year") if k in f)
        return " · ".join(p for p in (get("text"), get("kind"), years) if p)
    if table == "areas":
        return " · ".join(p for p in (get("area"), get("canonical"), get("admin_code")) if p)
    if table == "agencies":
        return " · ".join(p for p in (get("agency"), get("role")) if p)
    return " · ".join(p for p in (get("title") or get("section"), get("policy_tool")) if p)


def sweep(text: str, spans: list[tuple[int, int, str, int]]):
    """Cut ``text`` where any span starts or ends and around every line break.

    Args:
        text: A document's normalised text.
        spans: ``(start, end, table, row number)`` each; empty or out-of-range spans are
            ignored (their rows are still listed in the side panel).

    Yields:
        ``(start, end, covering)`` for consecutive segments, ``covering`` being the set of
        ``(table, row number)`` whose span contains the whole segment. A line break is
        always a segment of its own.
    """
    starts: dict[int, list] = defaultdict(list)
    ends: dict[int, list] = defaultdict(list)
    for start, end, table, index in spans:
        if 0 <= start < end <= len(text):
            starts[start].append((table, index))
            ends[end].append((table, index))
    breaks = [m.start() for m in re.finditer("\n", text)]
    cuts = sorted({0, len(text), *starts, *ends, *breaks, *(b + 1 for b in breaks)})
    covering: set = set()
    for a, b in zip(cuts, cuts[1:]):
        # Half-open spans: one ending at ``a`` no longer covers the segment starting there.
        covering.difference_update(ends.get(a, ()))
        covering.update(starts.get(a, ()))
        yield a, b, frozenset(covering)


def text_lines(text: str, spans: list[tuple[int, int, str, int]], tags: Mapping[int, str]) -> list[Line]:
    """A document's text as lines of segments, each segment with the tables covering it.

    Args:
        text: The document's normalised text.
        spans: As for :func:`sweep`; the table :data:`CANDIDATES` numbers candidates, not rows.
        tags: Measure row number to the short tag shown where that measure starts.

    Returns:
        One :class:`Line` per line of ``text``.

    Example:
        >>> lines = text_lines("到2025年\\n合格率", [(1, 5, "deadlines", 0)], {})
        >>> [(s.text, s.layers) for s in lines[0].segments]
        [('到', ()), ('2025', (('deadlines', '0'),)), ('年', ())]
        >>> lines[1].segments[0].text, lines[1].band
        ('合格率', None)
    """
    lines: list[Line] = []
    segments: list[Segment] = []
    measures: set[int] = set()
    starting: list[str] = []
    first = {i: s for s, _e, t, i in spans if t == "measures"}
    # Measures numbered in reading order, so that neighbours get alternating band colours.
    ordinal = {i: n for n, i in enumerate(sorted(first, key=lambda i: (first[i], i)))}
    for a, b, covering in sweep(text, spans):
        if text[a:b] == "\n":
            # A line break inside a measure keeps the band unbroken across blank lines.
            measures.update(ordinal[i] for t, i in covering if t == "measures")
            lines.append(_line(segments, measures, starting))
            segments, measures, starting = [], set(), []
            continue
        by_table: dict[str, list[int]] = defaultdict(list)
        for table, index in covering:
            by_table[table].append(index)
        measures.update(ordinal[i] for i in by_table.get("measures", ()))
        starting.extend(tags[i] for i in by_table.get("measures", ()) if first[i] == a)
        layers = tuple((t, _numbers(by_table[t])) for t in SPAN_TABLES if t in by_table)
        segments.append(Segment(text[a:b], layers, _numbers(by_table.get(CANDIDATES, ()))))
    lines.append(_line(segments, measures, starting))
    return lines


def _numbers(numbers) -> str:
    return " ".join(map(str, sorted(numbers)))


def _line(segments: list[Segment], measures: set[int], starting: list[str]) -> Line:
    """One line: banded when a measure covers it, tagged where one starts.

    ``measures`` holds the reading-order numbers of the measures covering the line.
    """
    # The innermost (latest-starting) measure decides the band colour, so a nested measure
    # and its parent read as different bands.
    band = max(measures) % 2 if measures else None
    return Line(tuple(segments), band, " / ".join(starting))


@dataclass(frozen=True)
class DocumentView:
    """One document's section of the page.

    Attributes:
        doc_id: The document.
        title: Its title, or its doc_id when it has none.
        facts: A one-line summary of its documents-table row (issuer, date, period …).
        lines: Its text, or None when it could not be loaded.
        problem: Why the text is missing.
    """

    doc_id: str
    title: str
    facts: str
    lines: list[Line] | None
    problem: str


def document_view(doc_id: str, meta: Mapping[str, object], text: str | None, problem: str,
                  records: list[dict], candidates: Sequence[Mapping] = ()) -> DocumentView:
    """One document's section: its header from the documents table, then its text.

    Args:
        doc_id: The document.
        meta: Its documents-table row without nulls (may be empty).
        text: Its normalised text, or None when it could not be loaded.
        problem: Why the text is missing, shown in its place.
        records: This document's row records (:func:`row_records`).
        candidates: This document's candidates that are no row, numbered (``i``) as the
            page's data lists them.

    Returns:
        What the template shows for the document.

    Example:
        >>> view = document_view("d", {"title": "规划", "issuer": "市政府"}, None, "file moved", [])
        >>> view.title, view.facts, view.lines
        ('规划', 'issuer: 市政府', None)
    """
    facts = [f"{k}: {meta[k]}" for k in _DOC_META if meta.get(k) not in (None, "")]
    if meta.get("period_start") is not None:
        facts.insert(0, f"period: {meta['period_start']}–{meta.get('period_end', '')}")
    title, summary = str(meta.get("title") or doc_id), " · ".join(facts)
    if text is None:
        return DocumentView(doc_id, title, summary, None, problem)
    spans = [(r["s"], r["e"], r["t"], r["i"]) for r in records if isinstance(r["s"], int) and isinstance(r["e"], int)]
    spans += [(c["s"], c["e"], CANDIDATES, c["i"]) for c in candidates]
    tags = {r["i"]: f'{str(r["id"]).rsplit(":", 1)[-1]} {r["f"].get("policy_tool", "")}'.strip()
            for r in records if r["t"] == "measures"}
    return DocumentView(doc_id, title, summary, text_lines(text, spans, tags), problem)


def render(tables: Mapping[str, pd.DataFrame], texts: Mapping[str, Doc | str | None],
           problems: Mapping[str, str] | None = None, title: str = "planx review", *,
           links: Sequence[tuple[str, str]] = ()) -> str:
    """The whole review page for the documents in ``tables`` and ``texts``.

    Args:
        tables: Table name to frame, as :func:`planx.run` or ``read_tables`` return them.
        texts: doc_id to its Doc from the pipeline (its text, and the candidates it made no
            row of), or its normalised text, or None when it could not be loaded.
        problems: doc_id to why its text is missing.
        title: The page title.
        links: ``(href, text)`` of links shown above the filters, such as the way back to
            the index of a multi-page review.

    Returns:
        The HTML, self-contained: no external script, style, font or image.

    Example:
        >>> page = render({}, {"d": "到2025年<b>"}, title="一页")
        >>> "<title>一页</title>" in page, "到2025年&lt;b&gt;" in page
        (True, True)
    """
    return render_page(document_metas(tables.get("documents")), row_records(tables), texts, problems or {},
                       error_items(tables.get("errors")), title, links)


def render_page(metas: Mapping[str, Mapping[str, object]], records: list[dict],
                texts: Mapping[str, Doc | str | None],
                problems: Mapping[str, str], errors: Sequence[tuple[str, str]], title: str,
                links: Sequence[tuple[str, str]] = ()) -> str:
    """The review page from rows already made plain: what :func:`render` does after reading the frames.

    Args:
        metas: doc_id to its documents-table row without nulls (:func:`document_metas`).
        records: The rows to show, numbered in reading order (:func:`row_records`).
        texts: As for :func:`render`.
        problems: doc_id to why its text is missing.
        errors: ``(source_path, error)`` of the files that could not be read (:func:`error_items`).
        title: The page title.
        links: As for :func:`render`.

    Returns:
        The HTML.

    Example:
        >>> "Text not available: moved" in render_page({}, [], {"d": None}, {"d": "moved"}, [], "t")
        True
    """
    doc_ids = list(dict.fromkeys([*metas, *texts, *(r["d"] for r in records)]))
    own: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        own[record["d"]].append(record)
    documents: list[DocumentView] = []
    candidates: list[dict] = []
    keys: dict[str, str | None] = {}
    for d in doc_ids:
        source = text = texts.get(d)
        own_candidates = []
        if isinstance(text, Doc):
            # Numbered across the page, as data-c and the page's data list them.
            own_candidates = [{**c, "i": len(candidates) + n, "d": d} for n, c in enumerate(unchosen(text, own[d]))]
            candidates += own_candidates
            text = text_of(text)
        # Rows can be corrected only against a text: their quotes must be found in it.
        keys[d] = None if text is None else document_key(metas.get(d, {}), text)
        if text is not None:
            for record in own[d]:
                record["q"], record["gold"] = row_quote(source, record), gold_fields(record["t"], record["f"])
        documents.append(document_view(d, metas.get(d, {}), text, problems.get(d, "not loaded"), own[d],
                                       own_candidates))
    data = {"rows": records, "candidates": candidates, "tables": list(SPAN_TABLES), "review": page_settings(),
            "documents": [{"doc_id": view.doc_id, "title": view.title, "key": keys[view.doc_id]}
                          for view in documents]}
    return environment().get_template("document.html").render(
        title=title, links=links, errors=errors, documents=documents, data=data)


def document_metas(documents: pd.DataFrame | None) -> dict[str, dict]:
    """doc_id to its documents-table row without nulls, in the table's order.

    Example:
        >>> from planx.dataset import frame
        >>> document_metas(frame("documents", [{"doc_id": "d", "title": "规划"}]))["d"]["title"]
        '规划'
    """
    if documents is None:
        return {}
    return {row["doc_id"]: {k: v for k, v in row.items() if v is not None} for row in plain_records(documents)}


def error_items(errors: pd.DataFrame | None) -> list[tuple[str, str]]:
    """The errors table as ``(source_path, error)`` pairs; empty when there is none.

    Example:
        >>> from planx.dataset import frame
        >>> error_items(frame("errors", [{"source_path": "a.doc", "error": "is empty"}]))
        [('a.doc', 'is empty')]
    """
    if errors is None or errors.empty:
        return []
    return [(str(path), str(error)) for path, error in plain_rows(errors[["source_path", "error"]])]


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The jinja2 environment of the review templates: autoescaping on, undefined names an error.

    Example:
        >>> environment().from_string("{{ x }}").render(x="<b>")
        '&lt;b&gt;'
    """
    env = jinja2.Environment(loader=jinja2.PackageLoader(__package__, "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    # Chinese as UTF-8 rather than \uXXXX escapes (half the bytes), and each row's fields in
    # column order rather than sorted, as the side panel lists them.
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "separators": (",", ":")}
    return env
