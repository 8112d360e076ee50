"""Sentences: paragraphs split at 。！？, and each table row as one sentence.

Quotation marks are respected: a 。 inside “…” or 《…》 does not end the sentence.
"""

from __future__ import annotations

from spacy.tokens import Doc

from .. import rules
from ..document import CELLS, PARAGRAPHS, SENTENCES, TABLES, add_span, table_grid, text_of
from ..factories import component

_OPEN = "“《（("
_CLOSE = "”》）)"


@component("planx_sentences", reads=(PARAGRAPHS, TABLES, CELLS), writes=(SENTENCES,))
def split_sentences(doc: Doc) -> Doc:
    """Sentences in text order: paragraphs split at sentence ends, a table's rows and title."""
    end_mark = rules.pattern("structure", "sentence_end")
    # The rule asked once per distinct character, not once per character: every call through
    # a rule costs microseconds for its time limit, and this loop made one per character.
    end_chars = {ch for ch in set(text_of(doc)) if end_mark.match(ch)}
    spans: list[tuple[int, int]] = []
    tag = rules.pattern("structure", "trailing_tag")
    for para in doc.spans[PARAGRAPHS]:
        # A paragraph that is only a tag (（国家发展改革委负责） on a line of its own, as gov.cn
        # pages printed to PDF set it) answers for the sentence before it, like a tag after 。.
        if spans and tag.fullmatch(text_of(doc), para.start, para.end):
            spans[-1] = (spans[-1][0], para.end)
            continue
        spans.extend(_split(text_of(doc), para.start, para.end, end_chars))
    for table in doc.spans[TABLES]:
        for row in table_grid(doc, table):
            own = [c for c in row if not c._.merged and c.end > c.start]
            if own:
                spans.append((min(c.start for c in own), max(c.end for c in own)))
        if table._.title_start is not None:
            spans.append((table._.title_start, table._.title_start + len(table._.title)))
    spans.sort()
    doc.spans[SENTENCES] = []
    for start, end in _drop_nested(spans):
        add_span(doc, SENTENCES, start, end, "sentence")
    return doc


def _split(text: str, start: int, end: int, end_chars: set[str]) -> list[tuple[int, int]]:
    out, depth, begin = [], 0, start
    for i in range(start, end):
        ch = text[i]
        if i < begin:
            continue  # inside a tag already joined to the sentence before
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in end_chars:
            stop = _trailing_tag_end(text, i + 1, end)
            out.append((begin, stop))
            begin = stop
    if begin < end and text[begin:end].strip():
        out.append((begin, end))
    return out


def _trailing_tag_end(text: str, at: int, end: int) -> int:
    """Where the sentence ending at ``at`` ends once a bracketed tag right after its 。 is
    joined to it: （人力资源社会保障部、财政部负责） answers for the sentence before it. A
    numbering label （四） opens the next item instead (rules/structure.yaml
    trailing_tag)."""
    match = rules.pattern("structure", "trailing_tag").match(text, at, end)
    return match.end() if match else at


def _drop_nested(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    kept: list[tuple[int, int]] = []
    for span in spans:
        if kept and span[0] < kept[-1][1]:
            continue
        kept.append(span)
    return kept
