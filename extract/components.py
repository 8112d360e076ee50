"""The registry of planx's pipeline components: importing a module registers its components,
so :func:`registered` imports every module that has one (rules/pipeline.yaml orders them)."""

from __future__ import annotations

from .factories import REGISTERED, Declaration
from .passes import agencies, areas, context, deadlines, measures, metadata, places, quantity, targets, timex
from .structure import boxes, headings, roles, sentences, tables

#: The modules that register components, structure first.
MODULES = (tables, headings, roles, boxes, sentences, metadata, timex, places, quantity, context, measures, targets,
           deadlines, areas, agencies)


def registered() -> dict[str, Declaration]:
    """Every registered component by name, with what it reads and writes."""
    return REGISTERED
