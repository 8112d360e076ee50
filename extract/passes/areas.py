"""Responsible areas: places resolved to official names and codes, marked responsible when
the sentence gives them a task (…等地应重点…, 以相城区为重点…, 由…负责).

Recognition and resolution live in :mod:`extract.passes.places`; this pass only decides
responsibility, from the words after a place and its coordinated neighbours, and never in a
review chapter or a 专栏 box (there places are reported, not tasked).
"""

from __future__ import annotations

from .. import rules
from ..model import Document
from ..passes import register_pass
from .context import in_review
from .places import Place, find_places


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


def is_responsible(doc: Document, places: list[Place], i: int) -> bool:
    """Place ``i`` is given a task by its sentence."""
    place = places[i]
    if in_review(doc, place.start) or doc.in_box(place.start):
        return False
    text = doc.text
    after = text[_after_list(text, places, i) : place.end + 60]
    if rules.pattern("areas", "after_cues").match(after):
        return True
    before = text[max(0, place.start - 6) : place.start]
    for n in range(len(rules.load("areas")["around_cues"])):
        if (rules.pattern("areas", "around_cues", n, "before").search(before)
                and rules.pattern("areas", "around_cues", n, "after").match(text[place.end : place.end + 8])):
            return True
    return False


@register_pass("areas", "areas")
def find_areas(doc: Document) -> list[dict]:
    """Every place mention, with ``responsible`` set where the sentence tasks it."""
    places = find_places(doc.text, doc.metadata.get("region_code"))
    places = [p for p in places if not doc.in_table(p.start)]
    return [
        {"area": p.text, "canonical": p.canonical, "level": p.level, "parent": p.parent,
         "admin_code": p.admin_code or "", "responsible": is_responsible(doc, places, i),
         "start": p.start, "end": p.end, "rule": p.rule}
        for i, p in enumerate(places)
    ]
