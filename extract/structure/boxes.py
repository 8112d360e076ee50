"""专栏 boxes: explainer panels set apart from the body, from their 专栏 line to the next heading."""

from __future__ import annotations

from .. import rules
from ..model import Box, Document


def find_boxes(doc: Document) -> None:
    """Fill ``doc.boxes``."""
    start_pattern = rules.pattern("structure", "box_start")
    heading_starts = sorted(h.start for h in doc.headings)
    for para in doc.paragraphs:
        line = doc.text[para.start : para.end]
        match = start_pattern.match(line)
        if not match:
            continue
        end = next((s for s in heading_starts if s > para.start), len(doc.text))
        doc.boxes.append(Box(para.start, end, line[match.end() :].strip()))
