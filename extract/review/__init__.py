"""Review what was extracted: an HTML page, inline notebook views, and charts.

* :func:`write_report` (``planx review``) turns an output directory into one self-contained
  HTML page: every document's text with every extracted span highlighted by table, fields on
  hover and click, a side panel of rows with filters, and a jump from a row to its text.
* :func:`visualize` shows the same page inline in Jupyter, for one document or a dataset.
* :func:`use_cjk_font` and the ``plot_*`` functions draw charts with Chinese labels;
  :func:`targets_by_policy_tool` is the table they show.

The output tables do not carry the documents' full text, so :func:`load_texts` reads each
document again from its ``source_path`` with the same code that extracted it. The file's
sha256 and the text's length are checked against the documents table: offsets into a text
that has changed would highlight the wrong characters, so such a document is shown without
highlights and with the reason, and its rows are still listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd

from ..api import Extraction, load_document
from ..dataset import frame
from ..errors import ExtractError
from ..model import Document
from ..writers import read_tables
from .page import SPAN_TABLES, plain_records, render, row_records
from .plots import find_cjk_font, plot_policy_tools, plot_targets_vs_baselines, use_cjk_font
from .views import targets_by_policy_tool

__all__ = ["SPAN_TABLES", "Visualization", "find_cjk_font", "load_texts", "plot_policy_tools",
           "plot_targets_vs_baselines", "render", "row_records", "targets_by_policy_tool", "use_cjk_font",
           "visualize", "write_report"]


def load_texts(documents: pd.DataFrame, source_dir: str | Path | None = None
               ) -> tuple[dict[str, str | None], dict[str, str]]:
    """Read each document of the documents table again, to get its normalised text.

    Args:
        documents: The documents table (``doc_id``, ``source_path``, ``sha256``, ``chars``).
        source_dir: Look for each file here by its file name instead of at ``source_path``
            (for an output directory moved away from its inputs).

    Returns:
        ``(texts, problems)``: doc_id to text, None where it could not be used, and doc_id to
        the reason, one line naming the file and the fix.
    """
    texts: dict[str, str | None] = {}
    problems: dict[str, str] = {}
    for row in plain_records(documents):
        doc_id, source = row["doc_id"], row.get("source_path")
        texts[doc_id] = None
        if not source:
            problems[doc_id] = "the documents table gives no source_path; pass the text with visualize(documents=…)"
            continue
        path = Path(source_dir) / Path(source).name if source_dir else Path(source)
        try:
            doc = load_document(path, doc_id)
        except ExtractError as err:
            problems[doc_id] = str(err)
            continue
        if row.get("sha256") and doc.sha256 != row["sha256"]:
            problems[doc_id] = f"{path}: changed since it was extracted (sha256 differs); run planx extract again"
        elif row.get("chars") is not None and len(doc.text) != row["chars"]:
            problems[doc_id] = (f"{path}: now reads as {len(doc.text)} characters, not the {row['chars']} it was "
                                f"extracted from (another planx version?); run planx extract again")
        else:
            texts[doc_id] = doc.text
    return texts, problems


def write_report(output_dir: str | Path, path: str | Path, fmt: str = "csv",
                 source_dir: str | Path | None = None) -> dict[str, str]:
    """Write the review page for the tables in ``output_dir``.

    Args:
        output_dir: A directory written by ``planx extract``.
        path: The HTML file to write.
        fmt: The format the tables were written in.
        source_dir: As for :func:`load_texts`.

    Returns:
        doc_id to why its text could not be shown; empty when every document is highlighted.

    Raises:
        ExtractError: ``output_dir`` holds no documents table in format ``fmt``.
    """
    tables = read_tables(output_dir, fmt)
    if "documents" not in tables:
        raise ExtractError(f"{output_dir}: no documents table in {fmt} format; "
                           f"point at a directory written by planx extract, with its --format")
    texts, problems = load_texts(tables["documents"], source_dir)
    page = render(tables, texts, problems, title=f"planx review: {Path(output_dir).name}")
    Path(path).write_text(page, encoding="utf-8")
    return problems


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
        # other views in the same notebook; the sandbox lets only the page's own script run.
        return (f'<iframe srcdoc="{escape(self.html)}" sandbox="allow-scripts" '
                f'style="width:100%;height:{self.height}px;border:1px solid #dadce0"></iframe>')

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` and return the path."""
        path = Path(path)
        path.write_text(self.html, encoding="utf-8")
        return path


def visualize(data, documents: Mapping[str, Document | str] | None = None, *, doc_id: str | None = None,
              height: int = 640) -> Visualization:
    """Highlight extracted rows in their documents' text, inline in a notebook.

    Args:
        data: An :class:`~extract.api.Extraction` (``extract_document``'s result), a bare
            :class:`~extract.model.Document` (its text, nothing highlighted), or a dataset:
            the dict of DataFrames that ``extract.run`` or ``read_tables`` return.
        documents: For a dataset, doc_id to its Document or normalised text; by default each
            document is read again from its ``source_path`` (see :func:`load_texts`).
        doc_id: For a dataset, show only this document.
        height: The height in pixels of the inline view.

    Returns:
        A :class:`Visualization`; Jupyter displays it, ``.save(path)`` writes the page.

    Raises:
        TypeError: ``data`` is none of these.

    Example:
        >>> import extract
        >>> extract.visualize(extract.run(["corpus"]), doc_id="suzhou-quality-plan-14fyp")
    """
    problems: dict[str, str] = {}
    if isinstance(data, Extraction):
        tables = {name: frame(name, rows) for name, rows in data.rows.items()}
        texts = {data.document.doc_id: data.document.text}
    elif isinstance(data, Document):
        tables, texts = {}, {data.doc_id: data.text}
    elif isinstance(data, Mapping):
        tables = {name: df[df["doc_id"] == doc_id] if doc_id and "doc_id" in df else df
                  for name, df in data.items()}
        if documents is not None:
            texts = {k: v.text if isinstance(v, Document) else v for k, v in documents.items()
                     if doc_id is None or k == doc_id}
        else:
            texts, problems = load_texts(tables["documents"])
    else:
        raise TypeError(f"visualize() takes an Extraction, a Document or a dict of DataFrames, "
                        f"not {type(data).__name__}")
    return Visualization(render(tables, texts, problems, title="planx"), height)
