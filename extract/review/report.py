"""A review of a whole batch as small pages: an index, and one page per document beside it.

One page holding every document's text and rows grows with the batch (67 MB, and 13 s for a
browser to render, at 300 documents). :func:`write_pages` writes instead:

* ``review.html``, the index: one table row per document (its title, linked to its page, its
  issuer and period, its rows per table, why its text is missing) and the files that could
  not be read. It grows by one short row per document, so it opens as quickly at 1,000
  documents as at 10;
* ``review_files/<n>-<doc>.html``, each document's own page (:func:`~planx.review.render`:
  highlighted text, side panel, filters), linked back to the index and to its neighbours.

Every page is self-contained and opens from the file system (``file://``): the links are
relative and nothing is fetched, which browsers refuse for local files. Page names come from
the document's position and a file-name-safe form of its id, so no id can lead outside the
folder. The folder is replaced as a whole, so pages of documents from an earlier run never
linger in it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pandas as pd
from spacy.tokens import Doc

from ..errors import ExtractError
from ..writers.common import atomic_directory, atomic_path
from ..writers.sink import ensure_folder
from .page import SPAN_TABLES, document_metas, environment, error_items, in_reading_order, render_page, span_records

#: How a review gets a document's text: doc_id to ``(text, "")``, or ``(None, why not)``; the
#: text may be the Doc from the pipeline, whose candidates the page can show too.
TextSource = Callable[[str], tuple[Doc | str | None, str]]

# Anything but letters, digits, ``_`` and ``-`` (dots and separators included) becomes ``_``
# in a page's file name.
_UNSAFE = re.compile(r"[^\w-]+")
_NAME_CHARS = 60


@dataclass(frozen=True)
class IndexEntry:
    """One document's row on the index page.

    Attributes:
        href: Its page, relative to the index.
        doc_id: The document.
        title: Its title, or its doc_id when it has none.
        issuer: Its issuer, or "".
        period: Its plan period such as ``2021–2025``, or "".
        counts: Its number of rows in each of :data:`~planx.review.SPAN_TABLES`, in order.
        problem: Why its text is not shown, or "".
    """

    href: str
    doc_id: str
    title: str
    issuer: str
    period: str
    counts: tuple[int, ...]
    problem: str


def pages_folder(path: str | Path) -> Path:
    """The folder beside the index ``path`` that holds the documents' pages.

    Example:
        >>> pages_folder("out/review.html").as_posix()
        'out/review_files'
    """
    path = Path(path)
    return path.with_name(f"{path.stem}_files")


def page_names(doc_ids: Sequence[str]) -> list[str]:
    """A file name for each document's page: its position, then its id made safe.

    Example:
        >>> page_names(["suzhou/plan", "../plan", "苏州规划"])
        ['1-suzhou_plan.html', '2-_plan.html', '3-苏州规划.html']
    """
    width = len(str(len(doc_ids)))
    return [f"{n:0{width}d}-{_UNSAFE.sub('_', doc_id)[:_NAME_CHARS]}.html" for n, doc_id in enumerate(doc_ids, 1)]


def records_by_document(tables: Mapping[str, pd.DataFrame]) -> dict[str, list[dict]]:
    """Each document's rows of the span tables, as records of :func:`~planx.review.row_records`
    not yet numbered; every table is made plain once, not once per document.

    Example:
        >>> from planx.dataset import frame
        >>> parts = records_by_document({"targets": frame("targets", [{"doc_id": "a"}, {"doc_id": "b"}])})
        >>> sorted(parts), len(parts["a"])
        (['a', 'b'], 1)
    """
    parts: dict[str, list[dict]] = defaultdict(list)
    for record in span_records(tables):
        parts[record["d"]].append(record)
    return dict(parts)


def write_pages(tables: Mapping[str, pd.DataFrame], text_of: TextSource, path: str | Path,
                title: str = "planx review") -> dict[str, str]:
    """Write the index page at ``path`` and each document's page in :func:`pages_folder`.

    Documents are read and rendered one at a time, so memory holds one document, whatever the
    size of the batch.

    Args:
        tables: Table name to frame, as ``read_tables`` or :func:`planx.run` return them.
        text_of: Gives each document's Doc or normalised text, or why there is none.
        path: The index page to write; its folder is created when missing.
        title: The index page's title; each document's page is titled after the document.

    Returns:
        doc_id to why its text could not be shown; empty when every document is highlighted.

    Raises:
        ExtractError: the pages cannot be written there (a folder that cannot be written, a
            file where a folder should be); the message names the path.

    Example:
        >>> import tempfile
        >>> from planx.dataset import frame
        >>> folder = Path(tempfile.mkdtemp())
        >>> tables = {"documents": frame("documents", [{"doc_id": "plan", "title": "规划"}])}
        >>> write_pages(tables, lambda doc_id: ("到2025年。", ""), folder / "review.html")
        {}
        >>> sorted(p.name for p in (folder / "review_files").iterdir())
        ['1-plan.html']
    """
    path = Path(path)
    metas = document_metas(tables.get("documents"))
    parts = records_by_document(tables)
    doc_ids = list(dict.fromkeys([*metas, *parts]))
    names = page_names(doc_ids)
    folder = pages_folder(path)
    problems: dict[str, str] = {}
    entries: list[IndexEntry] = []
    ensure_folder(path.parent)
    try:
        with atomic_directory(folder) as pages:
            for n, doc_id in enumerate(doc_ids):
                text, problem = text_of(doc_id)
                if text is None:
                    problems[doc_id] = problem
                meta, own = metas.get(doc_id, {}), in_reading_order(parts.get(doc_id, []))
                page_title = f"{meta.get('title') or doc_id} · {title}"
                page = render_page({doc_id: meta}, own, {doc_id: text}, {doc_id: problem}, [], page_title,
                                   neighbour_links(path.name, names, n))
                (pages / names[n]).write_text(page, encoding="utf-8")
                href = f"{quote(folder.name)}/{quote(names[n])}"
                entries.append(index_entry(href, doc_id, meta, own, problem if text is None else ""))
        with atomic_path(path) as index:
            index.write_text(render_index(entries, error_items(tables.get("errors")), title), encoding="utf-8")
    except OSError as err:
        raise ExtractError(f"{path}: cannot write the review there ({err.strerror or err}: {err.filename}); "
                           f"choose an -o path in a folder you can write") from None
    return problems


def neighbour_links(index_name: str, names: Sequence[str], n: int) -> list[tuple[str, str]]:
    """The links on the ``n``-th document's page: the index, then the previous and next pages.

    Example:
        >>> neighbour_links("review.html", ["1-a.html", "2-b.html"], 1)
        [('../review.html', '↑ index'), ('1-a.html', '← previous')]
    """
    links = [(f"../{quote(index_name)}", "↑ index")]
    if n > 0:
        links.append((quote(names[n - 1]), "← previous"))
    if n + 1 < len(names):
        links.append((quote(names[n + 1]), "next →"))
    return links


def index_entry(href: str, doc_id: str, meta: Mapping[str, object], records: Sequence[Mapping], problem: str
                ) -> IndexEntry:
    """A document's row on the index page.

    Args:
        href: Its page, relative to the index.
        doc_id: The document.
        meta: Its documents-table row without nulls (may be empty).
        records: Its rows of the span tables, as records of :func:`~planx.review.row_records`.
        problem: Why its text is not shown, or "".

    Returns:
        The entry.

    Example:
        >>> entry = index_entry("p/1-a.html", "a", {"period_start": 2021, "period_end": 2025}, [{"t": "targets"}], "")
        >>> entry.title, entry.period, entry.counts
        ('a', '2021–2025', (0, 1, 0, 0, 0))
    """
    period = f"{meta['period_start']}–{meta.get('period_end', '')}" if "period_start" in meta else ""
    per_table = Counter(record["t"] for record in records)
    return IndexEntry(href, doc_id, str(meta.get("title") or doc_id), str(meta.get("issuer", "")), period,
                      tuple(per_table[table] for table in SPAN_TABLES), problem)


def render_index(entries: Sequence[IndexEntry], errors: Sequence[tuple[str, str]], title: str) -> str:
    """The index page: a table of the documents, linked to their pages, and the files not read.

    Example:
        >>> entry = IndexEntry("p/1-a.html", "a", "<规划>", "", "", (1, 2, 0, 0, 0), "")
        >>> page = render_index([entry], [], "planx review")
        >>> '<a href="p/1-a.html">&lt;规划&gt;</a>' in page
        True
    """
    totals = tuple(sum(column) for column in zip(*(e.counts for e in entries))) or (0,) * len(SPAN_TABLES)
    return environment().get_template("index.html").render(
        title=title, entries=entries, errors=errors, tables=SPAN_TABLES, totals=totals)
