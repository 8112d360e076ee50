"""The library entry points the CLI and notebooks call: a thin facade.

:func:`load_document` reads one file into a spaCy Doc with every span group and row;
:func:`extract_document` gives its rows table by table; :func:`run` does a whole batch and
returns the contract's tables as DataFrames. A bad file becomes a row of the ``errors``
table, never the end of the batch. The work is done below: :mod:`planx.batch` runs the
files, :mod:`planx.pipeline` each document, :mod:`planx.consumer` makes its rows.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

import pandas as pd
from spacy.tokens import Doc

from . import pipeline, rules
from .batch import plan, run_jobs
from .dataset import COLUMNS, frame
from .inputs import Inputs, Skipped, collect_paths, find_inputs, path_list, skip_reason
from .pipeline import Extraction, extract_document

__all__ = ["Extraction", "Inputs", "Skipped", "collect_paths", "extract_document", "find_inputs", "load_document",
           "run", "skip_reason"]


def load_document(path: str | Path, doc_id: str | None = None) -> Doc:
    """Read ``path`` and run the pipeline on it: a spaCy Doc with every span group and row.

    Example:
        >>> import planx
        >>> doc = planx.load_document("corpus/suzhou-quality-plan-14fyp.txt")
        >>> doc._.doc_id, doc._.format
        ('suzhou-quality-plan-14fyp', 'txt')
        >>> doc.spans["tables"][0]._.title
        '苏州市“十四五”质量发展规划主要目标表'
    """
    return pipeline.read(path, doc_id)


def run(paths: str | os.PathLike | Iterable[str | os.PathLike], rules_dir: str | os.PathLike | None = None, *,
        jobs: int = 1) -> dict[str, pd.DataFrame]:
    """Extract every document under ``paths`` and return the contract's tables.

    Args:
        paths: A file, a folder (searched recursively) or a glob pattern, or a list of them.
        rules_dir: A rules directory to use for this call instead of the bundled ``rules/``;
            the rules in use before the call are in use again after it, even if it raises.
        jobs: Worker processes; the tables are the same whatever the number.

    Returns:
        ``{table name: DataFrame}`` for documents, targets, deadlines, areas, measures,
        agencies and errors.

    Raises:
        ExtractError: A path names nothing, or ``rules_dir`` is not a folder.

    Example:
        >>> import planx
        >>> tables = planx.run("corpus/suzhou-quality-plan-14fyp.txt")
        >>> tables["documents"][["doc_id", "period_start", "period_end"]]
                              doc_id  period_start  period_end
        0  suzhou-quality-plan-14fyp          2021        2025
    """
    collected: dict[str, list[dict]] = {name: [] for name in COLUMNS}
    with rules.using(rules_dir):
        for outcome in run_jobs(plan(path_list(paths)), workers=jobs):
            if outcome.error is not None:
                collected["errors"].append({"source_path": str(outcome.job.path), "error": outcome.error})
                continue
            for table, rows in outcome.rows.items():
                collected[table].extend(rows)
    return {name: frame(name, rows) for name, rows in collected.items()}
