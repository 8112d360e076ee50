"""Sections and their roles: the sectionizer.

A section is the text a heading governs, up to the next heading of the same or a higher
level: a span of the ``sections`` group with its heading path (``._.path``) and the roles
its own title names (``._.role``, a tuple; rules/sections.yaml). A passage is read with the
roles of every section around it (:func:`roles_at`), so a paragraph under （二）存在问题 in a
review chapter is in review whatever its own heading says.
"""

from __future__ import annotations

from spacy.tokens import Doc

from .. import rules
from ..document import HEADINGS, SECTIONS, add_span, heading_title, span_text, spans_at, text_of
from ..factories import component


def title_roles(title: str) -> tuple[str, ...]:
    """The roles a heading's title names; none for a task heading (夯实质量发展基础).

    Example:
        >>> title_roles("一、“十三五”时期发展成效"), title_roles("夯实质量发展基础")
        (('review',), ())
    """
    if rules.pattern("structure", "task_heading").match(title):
        return ()
    return tuple(role for role, spec in rules.load("sections")["roles"].items()
                 if any(cue in title for cue in spec["cues"]))


@component("planx_sections", reads=(HEADINGS,), writes=(SECTIONS,))
def find_sections(doc: Doc) -> Doc:
    """One section per heading, with its heading path and roles."""
    doc.spans[SECTIONS] = []
    path: list[str] = []
    heads = list(doc.spans[HEADINGS])
    for i, head in enumerate(heads):
        level = head._.level
        del path[level - 1 :]
        path.extend([""] * (level - 1 - len(path)))
        path.append(span_text(head))
        end = next((later.start for later in heads[i + 1 :] if later._.level <= level), len(text_of(doc)))
        add_span(doc, SECTIONS, head.start, end, "section", path=tuple(p for p in path if p),
                 role=title_roles(heading_title(head)))
    return doc


def roles_at(doc: Doc, offset: int) -> set[str]:
    """The roles of every section containing ``offset``."""
    return {role for section in spans_at(doc, SECTIONS, offset) for role in section._.role}
