"""Link and ground rows: ids, the measure a row sits in, its section path and sentence.

Passes emit offsets; this module turns offsets into the shared columns every table carries,
so no pass has to know how measures or sections are stored.
"""

from __future__ import annotations

import bisect

from .dataset import ID_COLUMN, ID_PREFIX
from .model import Document


def ground(doc: Document, rows: list[dict]) -> None:
    """Fill ``section`` and ``sentence`` from each row's ``start`` offset (if not set)."""
    for row in rows:
        if row.get("start") is None:
            continue
        if not row.get("section"):
            section = doc.section_at(row["start"])
            row["section"] = section.path_text if section else ""
        if "sentence" not in row:
            sentence = doc.sentence_at(row["start"])
            row["sentence"] = doc.text[sentence.start : sentence.end].strip() if sentence else ""


def assign_ids(doc_id: str, table: str, rows: list[dict]) -> None:
    """Number rows ``<doc_id>:<prefix><n>`` in text order and set ``doc_id``."""
    rows.sort(key=lambda r: (r.get("start") is None, r.get("start") or 0, r.get("end") or 0))
    for n, row in enumerate(rows, 1):
        row["doc_id"] = doc_id
        row[ID_COLUMN[table]] = f"{doc_id}:{ID_PREFIX[table]}{n}"


def attach_measures(measures: list[dict], rows: list[dict]) -> None:
    """Set ``measure_id`` on rows that fall inside a measure's text (innermost wins)."""
    spans = sorted((m["start"], m["end"], m["measure_id"]) for m in measures)
    starts = [s for s, _, _ in spans]
    for row in rows:
        if row.get("measure_id") or row.get("start") is None:
            continue
        i = bisect.bisect_right(starts, row["start"]) - 1
        while i >= 0:
            start, end, measure_id = spans[i]
            if start <= row["start"] < end:
                row["measure_id"] = measure_id
                break
            i -= 1


def require_measure(table: str, rows: list[dict]) -> list[dict]:
    """Responsibility belongs to a task: a responsible area outside every measure is only a
    mention, and an agency outside every measure leads nothing."""
    if table == "areas":
        for row in rows:
            if row.get("responsible") and not row.get("measure_id"):
                row["responsible"] = False
        return rows
    if table == "agencies":
        return [row for row in rows if row.get("measure_id")]
    return rows
