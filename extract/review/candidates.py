"""The candidates a review page can show: what planx saw in a document and made no row of.

Every quantity, time expression and place a finder sees is kept as a candidate
(:mod:`planx.document`); a chosen one becomes a row of its table over the same characters.
A miss is found among the rest, so each is listed with the values that decided it and the
rule behind each value, and one line saying why it is not a row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from spacy.tokens import Doc, Span

from ..document import PLACES, QUANTITIES, TIME, in_box, in_table, span_text, text_of
from ..passes.context import in_review
from ..passes.places import INSIDE_WORD
from .corrections import prefilled_candidate, sentence_quote

#: Candidate group to the table its chosen candidates are rows of, at the same offsets.
ROW_TABLE = {QUANTITIES: "targets", TIME: "deadlines", PLACES: "areas"}
_ROW_NAME = {"targets": "a target row", "deadlines": "a deadline row", "areas": "an area row"}


def unchosen(doc: Doc, rows: Iterable[Mapping]) -> list[dict]:
    """The quantities, time expressions and places of ``doc`` that are no row, in text order.

    Args:
        doc: A Doc from the pipeline; without candidate groups it has none.
        rows: The rows shown with it, as records of :func:`~planx.review.row_records`
            (``t``, ``s``, ``e``): a candidate at the offsets of a row of its table is chosen.

    Returns:
        JSON-ready records with ``g`` (group), ``s``/``e`` (offsets), ``text``, ``label`` (the
        span's), ``f`` (its decision values and their rules, the non-empty ones), ``why``
        (one line: what it is, what decided it, where it sits, and the row it is not), and
        what promoting it to a row of ``table`` gives: ``q`` (its quote) and ``gold`` (its
        gold fields, :func:`~planx.review.corrections.prefilled_candidate`).

    Example:
        >>> from planx.pipeline import parse
        >>> doc = parse("支持河北大学建设实验室。", region_code="130000")
        >>> [(c["text"], c["why"]) for c in unchosen(doc, [])]
        [('河北', 'place — inside a word (jieba), not an area row')]
    """
    chosen = {(row["t"], row["s"], row["e"]) for row in rows}
    records = []
    for group, decided in ((QUANTITIES, _quantity), (TIME, _time), (PLACES, _place)):
        table = ROW_TABLE[group]
        for span in doc.spans[group] if group in doc.spans else ():
            if (table, span.start, span.end) in chosen:
                continue
            what, values = decided(span)
            records.append({"g": group, "s": span.start, "e": span.end, "text": text_of(doc)[span.start : span.end],
                            "label": span.label_,
                            "f": {k: v for k, v in values.items() if v is not None and v != "" and v is not False},
                            "why": ", ".join([what, *_where(doc, span.start), f"not {_ROW_NAME[table]}"]),
                            "table": table, "q": sentence_quote(doc, span.start) or span_text(span),
                            "gold": prefilled_candidate(doc, span, table)})
    return sorted(records, key=lambda r: (r["s"], -r["e"]))


def _quantity(span: Span) -> tuple[str, dict]:
    what = f"quantity — kind {span._.kind} ({span._.kind_rule})"
    if span._.year is not None:
        what += f", year {span._.year} ({span._.year_rule})"
    return what, {"kind": span._.kind, "kind_rule": span._.kind_rule, "year": span._.year,
                  "year_rule": span._.year_rule, "rule": span._.rule}


def _time(span: Span) -> tuple[str, dict]:
    value = span._.value
    years = "–".join(str(value[k]) for k in ("start_year", "end_year") if value.get(k) is not None)
    what = " ".join(p for p in (f"time — {value['kind']}", years, f"({span._.rule})") if p)
    if value.get("past"):
        what += ", reports the past"
    return what, {k: value.get(k) for k in ("kind", "start_year", "end_year", "past", "rule")}


def _place(span: Span) -> tuple[str, dict]:
    if span.label_ == INSIDE_WORD:
        what = "place — inside a word (jieba)"
    else:
        what = " ".join(p for p in ("place —", span.label_, span.kb_id_) if p)
    return what, {"level": span._.value.get("level"), "kb_id": span.kb_id_, "canonical": span._.value.get("canonical"),
                  "responsible": span._.responsible, "responsible_rule": span._.responsible_rule, "rule": span._.rule}


def _where(doc: Doc, offset: int) -> list[str]:
    """Where the candidate sits, when that is where rows are not taken from."""
    return [words for words, inside in (("in a table", in_table(doc, offset)), ("in a 专栏 box", in_box(doc, offset)),
                                        ("in a review section", in_review(doc, offset))) if inside]
