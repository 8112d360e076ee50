"""Sentences: paragraphs split at 。！？, and each table row as one sentence.

Quotation marks are respected: a 。 inside “…” or 《…》 does not end the sentence.
"""

from __future__ import annotations

from .. import rules
from ..model import Document, Span

_OPEN = "“《（("
_CLOSE = "”》）)"


def split_sentences(doc: Document) -> None:
    """Fill ``doc.sentences`` in text order."""
    end_mark = rules.pattern("structure", "sentence_end")
    # The rule asked once per distinct character, not once per character: every call through
    # a rule costs microseconds for its time limit, and this loop made one per character.
    end_chars = {ch for ch in set(doc.text) if end_mark.match(ch)}
    spans: list[Span] = []
    for para in doc.paragraphs:
        spans.extend(_split(doc.text, para.start, para.end, end_chars))
    for table in doc.tables:
        for row in [table.header, *table.rows]:
            own = [c for c in row if not c.merged and c.end > c.start]
            if own:
                spans.append(Span(min(c.start for c in own), max(c.end for c in own)))
        if table.title_span:
            spans.append(table.title_span)
    spans.sort(key=lambda s: (s.start, s.end))
    doc.sentences[:] = _drop_nested(spans)


def _split(text: str, start: int, end: int, end_chars: set[str]) -> list[Span]:
    out, depth, begin = [], 0, start
    for i in range(start, end):
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in end_chars:
            out.append(Span(begin, i + 1))
            begin = i + 1
    if begin < end and text[begin:end].strip():
        out.append(Span(begin, end))
    return out


def _drop_nested(spans: list[Span]) -> list[Span]:
    kept: list[Span] = []
    for span in spans:
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept
