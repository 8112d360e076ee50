"""spaCy's DocBin: every document as the pipeline left it, in one ``planx.spacy`` file.

Each Doc keeps its text (one token per character), its facts (``doc._``), every span group —
structure, the candidates the finders saw and the rows the passes chose — and the values on
those spans. It is the format for training a model on planx's annotations, or for looking at
what planx saw in spaCy::

    from spacy.tokens import DocBin
    from planx import pipeline
    docs = list(DocBin().from_disk("output/planx.spacy").get_docs(pipeline.shared().vocab))

The tables are not written beside it: :func:`read` rebuilds them from the Docs, so
``planx evaluate``, ``compare`` and ``review`` read this format like any other. The Docs are
held until the batch ends, so memory grows with the batch (about 20 bytes per character);
use another format for very large batches and ``--format spacy`` for the documents to train on.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from spacy.tokens import Doc, DocBin

from ..document import portable
from .sink import Sink as BaseSink

SUFFIX = ".spacy"
#: The file, in the output directory.
FILE = "planx.spacy"


def doc_bytes(doc: Doc) -> bytes:
    """One Doc as DocBin bytes (what a worker sends back), its cached lookups dropped."""
    return DocBin(store_user_data=True, docs=[portable(doc)]).to_bytes()


class Sink(BaseSink):
    """Collects each document's DocBin bytes (:meth:`add_doc`) and writes them as one file."""

    def _start(self) -> None:
        self._docs = DocBin(store_user_data=True)

    def add_doc(self, data: bytes) -> None:
        """Add one document, as :func:`doc_bytes` made it."""
        self._docs.merge(DocBin(store_user_data=True).from_bytes(data))

    def _add_table(self, name: str, dtypes: dict) -> None:
        """Tables live in the Docs: :func:`read` rebuilds them."""

    def _write(self, name: str, df: pd.DataFrame) -> None:
        """Tables live in the Docs: :func:`read` rebuilds them."""

    def _finish(self) -> None:
        self._temp(self.directory / FILE).write_bytes(self._docs.to_bytes())


def read_docs(directory: Path) -> list[Doc]:
    """The Docs a ``--format spacy`` run wrote into ``directory``."""
    from ..pipeline import shared

    return list(DocBin().from_disk(Path(directory) / FILE).get_docs(shared().vocab))


def read(directory: Path) -> dict[str, pd.DataFrame]:
    """The contract's tables, rebuilt from the Docs in ``directory`` (``errors`` empty: the
    files that failed are in run.json)."""
    from ..consumer import to_tables

    return to_tables(read_docs(directory))
