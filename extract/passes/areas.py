"""Responsible areas: places resolved to official names and codes, marked responsible when
the sentence gives them a task (…等地应重点…, 以相城区为重点…, 由…负责).

Recognition and resolution live in :mod:`planx.passes.places`; this pass only decides
responsibility, from the words after a place and its coordinated neighbours, and never in a
review chapter or a 专栏 box (there places are reported, not tasked).
"""

from __future__ import annotations

from spacy.tokens import Doc

from .. import rules
from ..document import AREAS, BOXES, MEASURES, PLACES, SECTIONS, add_row, candidate, in_box, in_table, span_at, text_of
from ..factories import component
from .context import in_review
from .places import INSIDE_WORD, Place


def _after_list(text: str, places: list[Place], i: int) -> int:
    """The offset after place ``i`` and the places coordinated with it (、/和/及)."""
    separator = rules.pattern("areas", "separator")
    end = places[i].end
    for later in places[i + 1 :]:
        gap = text[end : later.start]
        if later.start >= end and separator.match(gap) and len(gap) <= 1:
            end = later.end
        else:
            break
    return end


def is_responsible(doc: Doc, places: list[Place], i: int) -> bool:
    """Place ``i`` is given a task by its sentence."""
    place = places[i]
    if in_review(doc, place.start) or in_box(doc, place.start):
        return False
    text = text_of(doc)
    after = text[_after_list(text, places, i) : place.end + 60]
    if rules.pattern("areas", "after_cues").match(after):
        return True
    before = text[max(0, place.start - 6) : place.start]
    for n in range(len(rules.load("areas")["around_cues"])):
        if (rules.pattern("areas", "around_cues", n, "before").search(before)
                and rules.pattern("areas", "around_cues", n, "after").match(text[place.end : place.end + 8])):
            return True
    return False


@component("planx_areas", reads=(PLACES, SECTIONS, BOXES, MEASURES), writes=(AREAS,))
def find_areas(doc: Doc) -> Doc:
    """Every place mention outside tables, with ``responsible`` set where the sentence tasks
    it. Responsibility belongs to a task: a place outside every measure is only mentioned."""
    places = [candidate(span, Place) for span in doc.spans[PLACES]
              if span.label_ != INSIDE_WORD and not in_table(doc, span.start)]
    doc.spans[AREAS] = []
    for i, p in enumerate(places):
        add_row(doc, AREAS, p.start, p.end, {
            "area": p.text, "canonical": p.canonical, "level": p.level, "parent": p.parent,
            "admin_code": p.admin_code or "", "rule": p.rule,
            "responsible": span_at(doc, MEASURES, p.start) is not None and is_responsible(doc, places, i)})
    return doc
