"""Render extracted rows over their documents' text as one self-contained HTML page.

The page is the template ``template.html`` (inline CSS and JS, nothing fetched) filled with
three parts built here:

* each document's text, cut by a boundary sweep at every span start, span end and line
  break into segments; a segment is wrapped in one ``<span class="hl hl-TABLE">`` per table
  covering it, nested in a fixed order, so overlapping spans of different tables all show
  at once (each table draws its own underline at its own depth, see the template's CSS).
  Each such span lists the rows covering it in ``data-r`` (space-separated row numbers),
  which is how the script finds a row's place in the text. Lines inside a measure get a
  coloured left border, alternating between neighbouring measures;
* the documents table as a header per document, and the errors table, as escaped HTML;
* every row of every span table as JSON in ``<script type="application/json">``, from which
  the script builds the side panel, the filters and the hover cards.

Every piece of document text and every field value is HTML-escaped, and ``<`` inside the
JSON is written ``\\u003c`` so no value can close the script element.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Mapping
from functools import lru_cache
from html import escape
from importlib import resources

import pandas as pd

from ..dataset import ID_COLUMN
from ..writers.common import plain_rows

#: The tables whose rows point into the text, outermost first when spans nest: the long
#: measure band wraps everything, the short spans sit inside it.
SPAN_TABLES = ("measures", "targets", "deadlines", "areas", "agencies")

_COMPARATORS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "~": "约", "=": ""}
_DOC_META = ("issuer", "issue_date", "doc_number", "region", "region_code", "format", "chars", "source_path")
_PLACEHOLDER = re.compile(r"__PLANX_(TITLE|HEADER|DOCUMENTS|DATA)__")


def row_records(tables: Mapping[str, pd.DataFrame]) -> list[dict]:
    """Every row of the span tables as a JSON-ready record, numbered from 0.

    Args:
        tables: Table name to frame; tables that are missing are skipped.

    Returns:
        Records in reading order, with ``i`` (row number), ``t`` (table), ``d`` (doc_id),
        ``s``/``e`` (offsets or None), ``id``, ``kind``, ``rule``, ``label`` (a one-line
        summary) and ``f`` (the row's non-empty fields in column order).
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
    # Reading order, so the side panel follows the text: by document, then by offset (rows
    # without one last), a measure before the rows inside it.
    docs = {d: n for n, d in enumerate(dict.fromkeys(r["d"] for r in records))}
    records.sort(key=lambda r: (docs[r["d"]], r["s"] is None, r["s"] or 0, SPAN_TABLES.index(r["t"])))
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


def text_html(text: str, spans: list[tuple[int, int, str, int]], tags: Mapping[int, str]) -> str:
    """A document's text as escaped HTML lines with nested highlight spans.

    Args:
        text: The document's normalised text.
        spans: As for :func:`sweep`.
        tags: Measure row number to the short tag shown where that measure starts.

    Returns:
        One ``<div class="ln">`` per line of ``text``.
    """
    lines: list[str] = []
    parts: list[str] = []
    measures: set[int] = set()
    starting: list[str] = []
    first = {i: s for s, _e, t, i in spans if t == "measures"}
    # Measures numbered in reading order, so that neighbours get alternating band colours.
    ordinal = {i: n for n, i in enumerate(sorted(first, key=lambda i: (first[i], i)))}
    for a, b, covering in sweep(text, spans):
        if text[a:b] == "\n":
            # A line break inside a measure keeps the band unbroken across blank lines.
            measures.update(ordinal[i] for t, i in covering if t == "measures")
            lines.append(_line(parts, measures, starting))
            parts, measures, starting = [], set(), []
            continue
        by_table: dict[str, list[int]] = defaultdict(list)
        for table, index in covering:
            by_table[table].append(index)
        measures.update(ordinal[i] for i in by_table.get("measures", ()))
        starting.extend(tags[i] for i in by_table.get("measures", ()) if first[i] == a)
        opening = "".join(f'<span class="hl hl-{t}" data-r="{" ".join(map(str, sorted(by_table[t])))}">'
                          for t in SPAN_TABLES if t in by_table)
        parts.append(opening + escape(text[a:b], quote=False) + "</span>" * len(by_table))
    lines.append(_line(parts, measures, starting))
    return "\n".join(lines)


def _line(parts: list[str], measures: set[int], starting: list[str]) -> str:
    """One line's ``<div>``: banded when a measure covers it, tagged where one starts.

    ``measures`` holds the reading-order numbers of the measures covering the line.
    """
    if measures:
        # The innermost (latest-starting) measure decides the band colour, so a nested
        # measure and its parent read as different bands.
        attrs = f' class="ln m m{max(measures) % 2}"'
    else:
        attrs = ' class="ln"'
    if starting:
        attrs += f' data-tag="{escape(" / ".join(starting))}"'
    return f"<div{attrs}>{''.join(parts)}</div>"


def document_html(doc_id: str, meta: Mapping[str, object], text: str | None, problem: str,
                  records: list[dict]) -> str:
    """One document's section: its header from the documents table, then its text.

    Args:
        doc_id: The document.
        meta: Its documents-table row (may be empty).
        text: Its normalised text, or None when it could not be loaded.
        problem: Why the text is missing, shown in its place.
        records: All row records; this document's are picked out.

    Returns:
        A ``<section>`` element.
    """
    own = [r for r in records if r["d"] == doc_id]
    facts = [f"{k}: {meta[k]}" for k in _DOC_META if meta.get(k) not in (None, "")]
    if meta.get("period_start") is not None:
        facts.insert(0, f"period: {meta['period_start']}–{meta.get('period_end', '')}")
    header = (f'<h2>{escape(str(meta.get("title") or doc_id))}</h2>'
              f'<p class="meta"><b>{escape(doc_id)}</b> · {escape(" · ".join(facts))}</p>')
    if text is None:
        body = f'<p class="missing">Text not available: {escape(problem)}</p>'
    else:
        spans = [(r["s"], r["e"], r["t"], r["i"]) for r in own
                 if isinstance(r["s"], int) and isinstance(r["e"], int)]
        tags = {r["i"]: f'{str(r["id"]).rsplit(":", 1)[-1]} {r["f"].get("policy_tool", "")}'.strip()
                for r in own if r["t"] == "measures"}
        body = f'<div class="text">{text_html(text, spans, tags)}</div>'
    return f'<section class="doc" data-doc="{escape(doc_id)}">{header}{body}</section>'


def render(tables: Mapping[str, pd.DataFrame], texts: Mapping[str, str | None],
           problems: Mapping[str, str] | None = None, title: str = "planx review") -> str:
    """The whole review page.

    Args:
        tables: Table name to frame, as :func:`extract.run` or ``read_tables`` return them.
        texts: doc_id to its normalised text (None when it could not be loaded).
        problems: doc_id to why its text is missing.
        title: The page title.

    Returns:
        The HTML, self-contained: no external script, style, font or image.
    """
    problems = problems or {}
    records = row_records(tables)
    documents = tables.get("documents")
    metas = {}
    if documents is not None:
        metas = {row["doc_id"]: row for row in plain_records(documents)}
    doc_ids = list(dict.fromkeys([*metas, *texts, *(r["d"] for r in records)]))
    sections = "\n".join(document_html(d, {k: v for k, v in metas.get(d, {}).items() if v is not None},
                                       texts.get(d), problems.get(d, "not loaded"), records) for d in doc_ids)
    data = {"rows": records, "tables": list(SPAN_TABLES),
            "documents": [{"doc_id": d, "title": (metas.get(d) or {}).get("title") or d} for d in doc_ids]}
    parts = {"TITLE": escape(title), "HEADER": _errors_html(tables.get("errors")), "DOCUMENTS": sections,
             "DATA": json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")}
    # One pass over the template, so text inserted for one placeholder is never searched
    # for the next (a document may well contain the string "__PLANX_DATA__").
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], _template())


def _errors_html(errors: pd.DataFrame | None) -> str:
    """The errors table as a list above the documents, or nothing when it is empty."""
    if errors is None or errors.empty:
        return ""
    items = "".join(f"<li>{escape(str(path))}: {escape(str(err))}</li>"
                    for path, err in plain_rows(errors[["source_path", "error"]]))
    return f'<section class="errors"><h2>Files that could not be read</h2><ul>{items}</ul></section>'


@lru_cache(maxsize=1)
def _template() -> str:
    return resources.files(__package__).joinpath("template.html").read_text(encoding="utf-8")
