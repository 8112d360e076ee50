"""planx as a spaCy pipeline: a blank Chinese ``Language`` whose components come from rules/.

:func:`load` builds the ``nlp`` object: its tokenizer lays plain text out as a document
(one token per character, so a token index is a character offset), and its components are
the ones rules/pipeline.yaml names, in that order. :func:`read` runs it on a file. Every
component is registered in :mod:`planx.components`; each declares the ``doc._`` facts it
requires and assigns (checked by spaCy) and the span groups it reads and writes (checked
here), so a pipeline in the wrong order fails at load, not with an empty table.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import rules
from .components import registered
from .consumer import tables_of
from .document import CELLS, DOCUMENT_FACTS, PARAGRAPHS, TABLES
from .errors import RuleFileError
from .ingest import read as ingest
from .ingest.txt import blocks_of
from .layout import assemble
from .model import RawDocument

#: Span groups layout writes before any component runs.
LAYOUT_GROUPS = (PARAGRAPHS, TABLES, CELLS)


class CharTokenizer:
    """``nlp(text)``: plain text laid out as a txt file would be, one token per character."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        return assemble(RawDocument(blocks_of(text), "txt"), self.vocab, doc_id="text")


def component_names() -> list[str]:
    """The components rules/pipeline.yaml names, in order.

    Raises:
        RuleFileError: a name is not a registered component, or a registered one is missing.
    """
    names = [str(name) for name in (rules.load("pipeline") or {}).get("components") or []]
    unknown = [name for name in names if name not in registered()]
    if unknown:
        raise RuleFileError(f"[rules/pipeline.yaml -> components] unknown component {unknown[0]!r}; "
                            f"choose from {', '.join(sorted(registered()))}")
    missing = [name for name in registered() if name not in names]
    if missing:
        raise RuleFileError(f"[rules/pipeline.yaml -> components] {missing[0]!r} is missing; "
                            "list every registered component once, in the order it runs")
    return names


def load() -> Language:
    """The planx ``nlp`` object for the rules in use: ``nlp(text)`` and ``nlp.pipe(texts)``
    give Docs with every span group and row.

    Raises:
        RuleFileError: rules/pipeline.yaml names an unknown component, leaves one out, or
            puts one before what it needs.

    Example:
        >>> nlp = load()
        >>> doc = nlp("到2025年，全市新建5G基站1万个。")
        >>> [(span.text, span._.row_values["kind"]) for span in doc.spans["deadlines"]]
        [('到2025年', 'by')]
    """
    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)
    for name in component_names():
        nlp.add_pipe(name)
    check_order(nlp)
    return nlp


def check_order(nlp: Language) -> None:
    """Every fact and span group a component needs is made by a component before it.

    Raises:
        RuleFileError: naming the component, what it needs and the fix.
    """
    problems = nlp.analyze_pipes()["problems"]
    for name, missing in problems.items():
        if missing:
            raise RuleFileError(f"[rules/pipeline.yaml -> components] {name} requires {', '.join(missing)}, "
                                "which no component before it assigns; move it later")
    made = set(LAYOUT_GROUPS)
    for name in nlp.pipe_names:
        needed = [group for group in registered()[name].reads if group not in made]
        if needed:
            raise RuleFileError(f"[rules/pipeline.yaml -> components] {name} reads span group {needed[0]!r}, "
                                "which no component before it writes; move it later")
        made.update(registered()[name].writes)


@functools.lru_cache(maxsize=8)
def _shared(rules_digest: str) -> Language:
    return load()


def shared() -> Language:
    """One ``nlp`` per rule set, built once per process: loading costs more than a short document."""
    return _shared(rules.rules_hash())


def make_doc(path: str | Path, doc_id: str | None = None) -> Doc:
    """The Doc of a file after layout, before any component: its text, paragraphs and tables."""
    path = Path(path)
    raw, sha256 = ingest(path)
    return assemble(raw, shared().vocab, doc_id or path.stem, source_path=str(path), sha256=sha256)


def process(doc: Doc, **facts) -> Doc:
    """Run the pipeline on a laid-out Doc; ``facts`` you know win over what planx reads.

    Args:
        facts: document facts (``period_start=2021``, ``region_code="320500"``): each is set
            right after the component that assigns it, so every later component reads it.

    Example:
        >>> nlp = shared()
        >>> doc = process(nlp.make_doc("全市新建5G基站1万个。"), period_start=2021, period_end=2025)
        >>> [span._.row_values["target_year"] for span in doc.spans["targets"]]
        [2025]
    """
    unknown = set(facts) - set(DOCUMENT_FACTS)
    if unknown:
        raise TypeError(f"{sorted(unknown)[0]!r} is not a document fact; choose from {', '.join(DOCUMENT_FACTS)}")
    for name, proc in shared().pipeline:
        doc = proc(doc)
        for fact in registered()[name].assigns:
            fact = fact.removeprefix("doc._.")
            if fact in facts:
                setattr(doc._, fact, facts[fact])
    return doc


def parse(text: str, **facts) -> Doc:
    """``nlp(text)`` with document facts you know: plain text laid out as a .txt file.

    Example:
        >>> doc = parse("一、主要任务\\n（一）协同发展\\n昆山市等地应重点发展生物医药。", region_code="320500")
        >>> [(span.text, span._.row_values["responsible"]) for span in doc.spans["areas"]]
        [('昆山市', True)]
    """
    return process(shared().make_doc(text), **facts)


def read(path: str | Path, doc_id: str | None = None, **facts) -> Doc:
    """Read a file and run the pipeline on it.

    Args:
        facts: document facts you know, as :func:`process` takes them.

    Raises:
        IngestError: the file cannot be read (one line naming the file and the fix).

    Example:
        >>> doc = read("corpus/suzhou-quality-plan-14fyp.txt")
        >>> doc._.doc_id, doc._.period_start, doc._.period_end
        ('suzhou-quality-plan-14fyp', 2021, 2025)
    """
    return process(make_doc(path, doc_id), **facts)


@dataclass
class Extraction:
    """One document and its rows, table by table."""

    document: Doc
    rows: dict[str, list[dict]] = field(default_factory=dict)


def extract_document(path: str | Path, doc_id: str | None = None) -> Extraction:
    """Run the pipeline on one file; its rows are linked, grounded and numbered.

    Example:
        >>> target = extract_document("corpus/jiangsu-quality-opinion-2016.txt").rows["targets"][0]
        >>> target["indicator"], target["value"], target["target_year"]
        ('制造业质量竞争力指数', 88.0, 2020)
    """
    doc = read(path, doc_id)
    return Extraction(doc, tables_of(doc))
