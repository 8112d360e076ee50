"""The library entry points the CLI and notebooks call.

:func:`load_document` reads and structures one file; :func:`extract_document` runs every
pass on it; :func:`run` does a whole batch and returns the contract's tables as DataFrames.
A bad file becomes a row of the ``errors`` table, never the end of the batch.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd

from . import rules
from .dataset import COLUMNS, frame
from .errors import ExtractError
from .indicator_keys import key_targets
from .ingest import SUPPORTED, read
from .layout import assemble
from .link import assign_ids, attach_measures, ground, require_measure
from .model import Document
from .passes import load_passes
from .structure import build


@dataclass
class Extraction:
    """One document and its rows, table by table."""

    document: Document
    rows: dict[str, list[dict]] = field(default_factory=dict)


def load_document(path: str | Path, doc_id: str | None = None) -> Document:
    """Read ``path`` and find its structure (tables, headings, sections, sentences)."""
    path = Path(path)
    raw, sha256 = read(path)
    doc = assemble(raw, doc_id or path.stem, source_path=str(path), sha256=sha256)
    return build(doc)


def extract_document(path: str | Path, doc_id: str | None = None) -> Extraction:
    """Run every pass on one file; rows are linked, grounded and numbered."""
    doc = load_document(path, doc_id)
    result = Extraction(doc, {name: [] for name in COLUMNS if name != "errors"})
    for _name, table, fn in load_passes():
        result.rows[table].extend(fn(doc))
    key_targets(result.rows["targets"])
    measures = result.rows["measures"]
    assign_ids(doc.doc_id, "measures", measures)
    for table in ("targets", "deadlines", "areas", "agencies"):
        attach_measures(measures, result.rows[table])
        rows = result.rows[table] = require_measure(table, result.rows[table])
        ground(doc, rows)
        assign_ids(doc.doc_id, table, rows)
    for row in result.rows["documents"]:
        row["doc_id"] = doc.doc_id
    return result


def collect_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, files under folders (recursively) and glob matches, sorted, deduplicated.

    Raises:
        ExtractError: when a path names nothing.
    """
    found: list[Path] = []
    for item in paths:
        item = str(item)
        path = Path(item)
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() in SUPPORTED
                          and not p.name.startswith((".", "~$")))
        elif path.is_file():
            found.append(path)
        elif glob.has_magic(item):
            found.extend(Path(p) for p in sorted(glob.glob(item, recursive=True)) if Path(p).is_file())
        else:
            raise ExtractError(f"{item}: no such file or folder; check the path")
    return list(dict.fromkeys(found))


def run(paths: Iterable[str | Path], rules_dir: str | Path | None = None, *, jobs: int = 1) -> dict[str, pd.DataFrame]:
    """Extract every document under ``paths`` and return the contract's tables.

    Args:
        paths: files, folders (searched recursively) or glob patterns.
        rules_dir: a rules directory to use instead of the bundled ``rules/``.
        jobs: worker processes; the tables are the same whatever the number.

    Returns:
        ``{table name: DataFrame}`` for documents, targets, deadlines, areas, measures,
        agencies and errors.

    Example:
        >>> import extract
        >>> tables = extract.run(["corpus"])
        >>> tables["targets"][["indicator", "value", "unit", "target_year"]].head()
    """
    from .batch import plan, run_jobs

    if rules_dir is not None:
        rules.set_rules_dir(rules_dir)
    collected: dict[str, list[dict]] = {name: [] for name in COLUMNS}
    for outcome in run_jobs(plan(paths), workers=jobs):
        if outcome.error is not None:
            collected["errors"].append({"source_path": str(outcome.job.path), "error": outcome.error})
            continue
        for table, rows in outcome.rows.items():
            collected[table].extend(rows)
    return {name: frame(name, rows) for name, rows in collected.items()}
