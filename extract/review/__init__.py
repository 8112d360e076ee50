"""Review what was extracted: an HTML page, inline notebook views, and charts.

* :func:`write_report` (``planx review``) turns an output directory into an index page and
  one self-contained HTML page per document beside it (:mod:`planx.review.report`): the
  document's text with every extracted span highlighted by table, fields on hover and click,
  a side panel of rows with filters, and a jump from a row to its text. A toggle also shows
  the candidates planx made no row of, each with why (:mod:`planx.review.candidates`). Each
  row can be accepted, rejected or edited and missed items added; the page keeps the
  decisions in the browser and exports them as gold (:mod:`planx.review.corrections`,
  :mod:`planx.gold`).
* :func:`visualize` shows the same page inline in Jupyter, for one document or a dataset.
* :func:`use_cjk_font` and the ``plot_*`` functions draw charts with Chinese labels;
  :func:`targets_by_policy_tool` is the table they show.

The output tables do not carry the documents' full text nor the candidates, so
:func:`reread_documents` reads each document again from its ``source_path`` and runs the
pipeline that extracted it. The file's sha256 and the text's length are checked against the
documents table: offsets into a text that has changed would highlight the wrong characters,
so such a document is shown without highlights and with the reason, and its rows are still
listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd
from spacy.tokens import Doc

from ..consumer import to_tables
from ..dataset import frame
from ..document import text_of
from ..errors import ExtractError
from ..pipeline import Extraction, read
from ..writers import read_tables, recorded_format
from .page import SPAN_TABLES, plain_records, render, row_records
from .plots import find_cjk_font, plot_policy_tools, plot_targets_vs_baselines, use_cjk_font
from .report import pages_folder, write_pages
from .views import targets_by_policy_tool

__all__ = ["SPAN_TABLES", "Visualization", "find_cjk_font", "pages_folder", "plot_policy_tools",
           "plot_targets_vs_baselines", "render", "reread_document", "reread_documents", "row_records",
           "targets_by_policy_tool", "use_cjk_font", "visualize", "write_pages", "write_report"]


def reread_documents(documents: pd.DataFrame, source_dir: str | Path | None = None
                     ) -> tuple[dict[str, Doc | None], dict[str, str]]:
    """Read each document of the documents table again and run the pipeline on it, to get its
    text and candidates.

    Args:
        documents: The documents table (``doc_id``, ``source_path``, ``sha256``, ``chars``).
        source_dir: Look for each file here by its file name instead of at ``source_path``
            (for an output directory moved away from its inputs).

    Returns:
        ``(docs, problems)``: doc_id to its Doc, None where it could not be used, and doc_id
        to the reason, one line naming the file and the fix.

    Example:
        >>> from planx.dataset import frame
        >>> docs, problems = reread_documents(frame("documents", [{"doc_id": "gone"}]))
        >>> docs, problems["gone"].startswith("the documents table gives no source_path")
        ({'gone': None}, True)
    """
    docs: dict[str, Doc | None] = {}
    problems: dict[str, str] = {}
    for row in plain_records(documents):
        docs[row["doc_id"]], problem = reread_document(row, source_dir)
        if problem:
            problems[row["doc_id"]] = problem
    return docs, problems


def reread_document(row: Mapping[str, object], source_dir: str | Path | None = None) -> tuple[Doc | None, str]:
    """Read one document of the documents table again and run the pipeline on it.

    Args:
        row: Its documents-table row (``doc_id``, ``source_path``, ``sha256``, ``chars``).
        source_dir: As for :func:`reread_documents`.

    Returns:
        ``(doc, "")``, or ``(None, why)`` with one line naming the file and the fix.

    Example:
        >>> reread_document({"doc_id": "plan", "source_path": "moved/plan.txt"})
        (None, 'moved/plan.txt: cannot be read (No such file or directory); check the path and its permissions')
    """
    source = row.get("source_path")
    if not source:
        return None, "the documents table gives no source_path; pass the text with visualize(documents=…)"
    path = Path(source_dir) / Path(source).name if source_dir else Path(source)
    try:
        doc = read(path, row["doc_id"])
    except ExtractError as err:
        return None, str(err)
    if row.get("sha256") and doc._.sha256 != row["sha256"]:
        return None, f"{path}: changed since it was extracted (sha256 differs); run planx extract again"
    if row.get("chars") is not None and len(text_of(doc)) != row["chars"]:
        return None, (f"{path}: now reads as {len(text_of(doc))} characters, not the {row['chars']} it was "
                      f"extracted from (another planx version?); run planx extract again")
    return doc, ""


def write_report(output_dir: str | Path, path: str | Path, fmt: str | None = None,
                 source_dir: str | Path | None = None) -> dict[str, str]:
    """Write the review of the tables in ``output_dir``: an index page and a page per document.

    The index is written at ``path``, the documents' pages in the folder beside it that
    :func:`pages_folder` names (``review.html`` → ``review_files/``); see
    :func:`write_pages`.

    Args:
        output_dir: A directory written by ``planx extract``.
        path: The index page to write; its folder is created when missing.
        fmt: The format the tables were written in; by default the one ``output_dir``'s
            ``run.json`` records (CSV without one).
        source_dir: As for :func:`reread_documents`.

    Returns:
        doc_id to why its text could not be shown; empty when every document is highlighted.

    Raises:
        ExtractError: ``output_dir`` holds no documents table in format ``fmt``, or the pages
            cannot be written at ``path``.

    Example:
        >>> import tempfile
        >>> from planx.dataset import frame
        >>> from planx.writers import write_tables
        >>> out = Path(tempfile.mkdtemp())
        >>> _ = write_tables({"documents": frame("documents", [{"doc_id": "plan", "source_path": "gone.txt"}])}, out)
        >>> write_report(out, out / "review.html")  # doctest: +ELLIPSIS
        {'plan': 'gone.txt: cannot be read (No such file or directory); ...'}
        >>> sorted(p.name for p in (out / "review_files").iterdir())
        ['1-plan.html']
    """
    fmt = fmt or recorded_format(output_dir, default="csv")
    tables = read_tables(output_dir, fmt)
    if "documents" not in tables:
        raise ExtractError(f"{output_dir}: no documents table in {fmt} format; "
                           f"point at a directory written by planx extract, with its --format")
    metas = {row["doc_id"]: row for row in plain_records(tables["documents"])}
    return write_pages(tables, lambda doc_id: reread_document(metas.get(doc_id, {"doc_id": doc_id}), source_dir), path,
                       title=f"planx review: {Path(output_dir).name}")


@dataclass
class Visualization:
    """A rendered review page that Jupyter shows inline.

    Attributes:
        html: The whole self-contained page.
        height: The height in pixels of the inline frame.
    """

    html: str
    height: int = 640

    def _repr_html_(self) -> str:
        # A frame keeps the page's CSS, ids and script apart from the notebook's and from
        # other views in the same notebook; the sandbox lets only the page's own script run,
        # and its export of the corrections download. The frame has no storage of its own, so
        # the corrections last as long as the view (the page says so).
        return (f'<iframe srcdoc="{escape(self.html)}" sandbox="allow-scripts allow-downloads" '
                f'style="width:100%;height:{self.height}px;border:1px solid #dadce0"></iframe>')

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` and return the path."""
        path = Path(path)
        path.write_text(self.html, encoding="utf-8")
        return path


def visualize(data, documents: Mapping[str, Doc | str] | None = None, *, doc_id: str | None = None,
              height: int = 640) -> Visualization:
    """Highlight extracted rows in their documents' text, inline in a notebook.

    Where a document is a Doc from the pipeline, its candidates that are no row can be shown
    too (the page's toggle).

    Args:
        data: An :class:`~planx.pipeline.Extraction` (``extract_document``'s result), a spaCy
            Doc from the pipeline (its rows highlighted), or a dataset: the dict of DataFrames
            that ``planx.run`` or ``read_tables`` return.
        documents: For a dataset, doc_id to its Doc or normalised text; by default each
            document is read again from its ``source_path`` (see :func:`reread_documents`).
        doc_id: For a dataset, show only this document.
        height: The height in pixels of the inline view.

    Returns:
        A :class:`Visualization`; Jupyter displays it, ``.save(path)`` writes the page.

    Raises:
        TypeError: ``data`` is none of these.

    Example:
        In a notebook, ``planx.visualize(planx.run(["corpus"]), doc_id="suzhou-quality-plan-14fyp")``
        shows one plan; here a dataset and its text are made by hand:

        >>> import planx
        >>> from planx.dataset import frame
        >>> tables = {"documents": frame("documents", [{"doc_id": "plan", "title": "规划"}])}
        >>> view = planx.visualize(tables, documents={"plan": "到2025年，合格率达到98%。"})
        >>> "到2025年，合格率达到98%。" in view.html, view._repr_html_().startswith("<iframe srcdoc=")
        (True, True)
    """
    problems: dict[str, str] = {}
    if isinstance(data, Extraction):
        tables = {name: frame(name, rows) for name, rows in data.rows.items()}
        texts = {data.document._.doc_id: data.document}
    elif isinstance(data, Doc):
        tables, texts = to_tables([data]), {data._.doc_id: data}
    elif isinstance(data, Mapping):
        tables = {name: df[df["doc_id"] == doc_id] if doc_id and "doc_id" in df else df
                  for name, df in data.items()}
        if documents is not None:
            texts = {k: v for k, v in documents.items() if doc_id is None or k == doc_id}
        else:
            texts, problems = reread_documents(tables["documents"])
    else:
        raise TypeError(f"visualize() takes an Extraction, a Doc or a dict of DataFrames, "
                        f"not {type(data).__name__}")
    return Visualization(render(tables, texts, problems, title="planx"), height)
