"""Passes: named functions that read a structured document and emit rows of one table.

A pass is registered with :func:`register_pass` and takes a :class:`~extract.model.Document`;
it returns a list of dicts with ``start``/``end`` offsets and the ``rule`` that fired. Passes
never write files and never call each other; :mod:`extract.link` joins their rows.
``PIPELINE`` is the order they run in (``metadata`` first, because others read the plan
period and region it puts on the document).
"""

from __future__ import annotations

import importlib
from typing import Callable

from ..model import Document

Pass = Callable[[Document], list]

REGISTRY: dict[str, tuple[str, Pass]] = {}

PIPELINE = ("metadata", "measures", "targets", "deadlines", "areas", "agencies")


def register_pass(name: str, table: str):
    """Register ``fn`` as pass ``name`` emitting rows of ``table``."""

    def decorate(fn: Pass) -> Pass:
        REGISTRY[name] = (table, fn)
        return fn

    return decorate


def load_passes() -> list[tuple[str, str, Pass]]:
    """(name, table, function) for every pass in ``PIPELINE`` that is available, in order."""
    out = []
    for name in PIPELINE:
        if name not in REGISTRY:
            try:
                importlib.import_module(f".{name}", __name__)
            except ModuleNotFoundError as err:
                if err.name != f"{__name__}.{name}":
                    raise
                continue
        table, fn = REGISTRY[name]
        out.append((name, table, fn))
    return out
