"""What the review page needs to turn what it shows into gold records (:mod:`planx.gold`).

The page lets a researcher accept, reject or edit each row, promote a candidate planx did
not choose, and add an item by selecting its text; it exports the result as gold. For that
each row and candidate carries, besides its fields:

* ``q``, its quote: the sentence it sits in, as the document's normalised text has it (the
  text the page shows), so that the quote is an exact substring of that text and ``planx
  evaluate`` finds its start in the sentence of the row it matches;
* ``g``, its gold fields (:data:`planx.gold.FIELDS`), the values the edit form starts from.

Each document gets the key its corrections are stored under in the browser (its file's
sha256, so that the page made again after a rules change finds them), and the page gets each
table's form: the fields, their types and allowed values, from the contract's schema.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from spacy.tokens import Doc, Span

from ..document import sentence_at, span_text, text_of
from ..evaluate import KEYS
from ..gold import EXPORT_MARK, EXPORT_VERSION, FIELDS
from ..schema import tables as schema_tables


def field_forms() -> dict[str, list[dict]]:
    """Each table's gold fields as the page's form shows them: ``name``, ``type``, ``values``.

    Example:
        >>> field_forms()["agencies"][1]
        {'name': 'role', 'type': 'string', 'values': ['lead', 'support', 'responsible']}
    """
    columns = schema_tables()
    return {table: [{"name": name, "type": columns[table].column(name).type,
                     "values": list(columns[table].column(name).values)} for name in names]
            for table, names in FIELDS.items()}


def page_settings() -> dict:
    """What the page's correcting script reads besides rows: the forms, each table's key field,
    and the export header's mark and version, which :func:`planx.gold.read_export` checks."""
    return {"forms": field_forms(), "keys": dict(KEYS), "export": {"mark": EXPORT_MARK, "version": EXPORT_VERSION}}


def gold_fields(table: str, fields: Mapping[str, object]) -> dict:
    """A row's gold fields from its fields: None where it has none, or a value gold does not allow.

    Example:
        >>> gold_fields("agencies", {"agency": "市财政局", "role": "lead", "rule": "tag"})
        {'agency': '市财政局', 'role': 'lead'}
        >>> gold_fields("targets", {"kind": "instrument", "value": 300})["kind"] is None
        True
    """
    columns = schema_tables()[table]

    def allowed(name: str):
        value, values = fields.get(name), columns.column(name).values
        return None if values and value not in values else value

    return {name: allowed(name) for name in FIELDS[table]}


def document_key(meta: Mapping[str, object], text: str) -> str:
    """The key a document's corrections are kept under: its file's sha256, else its text's.

    Example:
        >>> document_key({"sha256": "ab12"}, "正文"), document_key({}, "正文")[:8]
        ('ab12', 'd661c3d9')
    """
    return str(meta.get("sha256") or hashlib.sha256(text.encode("utf-8")).hexdigest())


def sentence_quote(doc: Doc, start: int) -> str | None:
    """The sentence holding offset ``start``, as a row's ``sentence`` column has it; None outside any."""
    sentence = sentence_at(doc, start)
    return span_text(sentence).strip() or None if sentence is not None else None


def row_quote(text: Doc | str, record: Mapping) -> str | None:
    """A row's quote: its sentence, found in the document's text; None when the row has no place.

    From a Doc, the sentence it starts in. From a bare text, the row's ``sentence`` where the
    text holds it around the row's offsets, else the first line of the row's span.

    Args:
        text: The document: its Doc from the pipeline, or its normalised text.
        record: A row record of :func:`~planx.review.row_records` (``s``, ``e``, ``f``).

    Example:
        >>> text = "一、目标\\n到2025年，合格率达到98%。推动质量提升。"
        >>> row_quote(text, {"s": 16, "e": 19, "f": {"sentence": "到2025年，合格率达到98%。"}})
        '到2025年，合格率达到98%。'
        >>> row_quote(text, {"s": 0, "e": 12, "f": {}}), row_quote(text, {"s": None, "e": None, "f": {}})
        ('一、目标', None)
    """
    start, end = record["s"], record["e"]
    if not isinstance(start, int) or not isinstance(end, int) or end <= start:
        return None
    if isinstance(text, Doc):
        return sentence_quote(text, start) or text_of(text)[start:end].strip() or None
    sentence = str(record["f"].get("sentence") or "")
    at = text.find(sentence, max(0, start - len(sentence))) if sentence else -1
    if 0 <= at <= start < at + len(sentence):
        return sentence
    return text[start:end].strip().split("\n")[0] or None


def prefilled_candidate(doc: Doc, span: Span, table: str) -> dict:
    """A candidate's gold fields, as promoting it makes them; its quote is :func:`sentence_quote`.

    A quantity's indicator is the clause before it (the researcher corrects it); a place is
    promoted as responsible, since only responsible areas are scored.

    Example:
        >>> from planx.pipeline import parse
        >>> from planx.document import QUANTITIES
        >>> doc = parse("到2025年，全市新增高新技术企业500家。", period_end=2025)
        >>> fields = prefilled_candidate(doc, doc.spans[QUANTITIES][-1], "targets")
        >>> fields["indicator"], fields["value"], fields["unit"]
        ('全市新增高新技术企业', 500.0, '家')
    """
    value = span._.value or {}
    if table == "targets":
        fields = {**value, "kind": span._.kind, "indicator": _clause_before(text_of(doc), span.start),
                  "target_year": span._.year, "unit": value.get("unit") or None}
    elif table == "areas":
        fields = {**value, "area": span_text(span), "admin_code": value.get("admin_code") or None,
                  "parent": value.get("parent") or None, "responsible": True}
    else:
        fields = {**value, "text": span_text(span)}
    return gold_fields(table, fields)


# Where a clause begins: the text's own marks, not a rule about plans.
_CLAUSE_MARKS = "，。；：、,;:\n"


def _clause_before(text: str, offset: int) -> str | None:
    """The clause's text before ``offset``, from the last clause mark."""
    start = max(text.rfind(mark, 0, offset) for mark in _CLAUSE_MARKS) + 1
    return text[start:offset].strip() or None
