"""How a planx component is declared: a spaCy factory plus the span groups it reads and writes.

spaCy's ``requires``/``assigns`` name ``doc._`` facts and ``span._`` values, and
``nlp.analyze_pipes`` checks that each fact a component requires was assigned before it. Span
groups are not attributes spaCy can check, so each component also declares the groups it
``reads`` and ``writes``, and :func:`planx.pipeline.check_order` checks those.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from spacy.language import Language
from spacy.tokens import Doc


@dataclass(frozen=True)
class Declaration:
    """What one registered component needs before it runs and adds when it does."""

    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    reads: tuple[str, ...]
    writes: tuple[str, ...]


#: Every component planx registers, by name (tests/test_pipeline.py pins the names).
REGISTERED: dict[str, Declaration] = {}


def component(name: str, *, requires: tuple[str, ...] = (), assigns: tuple[str, ...] = (),
              reads: tuple[str, ...] = (), writes: tuple[str, ...] = ()):
    """Register ``fn(doc) -> doc`` as the spaCy factory ``name``.

    Args:
        requires, assigns: ``doc._.x`` facts, as spaCy's ``Language.factory`` takes them.
        reads, writes: the span groups the component reads and the ones it writes.
    """

    def register(fn: Callable[[Doc], Doc]) -> Callable[[Doc], Doc]:
        def make(nlp: Language, name: str) -> Callable[[Doc], Doc]:
            return fn

        Language.factory(name, requires=list(requires), assigns=list(assigns), func=make)
        REGISTERED[name] = Declaration(name, tuple(requires), tuple(assigns), tuple(reads), tuple(writes))
        return fn

    return register
