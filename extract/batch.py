"""Batch runs: many files in, one outcome per file out, in input order.

A batch is planned (:func:`plan`: which files, under which ``doc_id``), then each file is
extracted in this process, in worker processes (``jobs``) or by any
:class:`concurrent.futures.Executor` (a Dask cluster's, say). Outcomes come back in input
order whatever the workers' order, so ``--jobs 2`` writes what ``--jobs 1`` writes.

A :class:`RowCache` in the output directory remembers each document's rows under the
file's sha256 and the fingerprint of the planx version and rules in use: a document whose
bytes and rules are unchanged is not extracted again.

A file that fails becomes an outcome with an ``error`` (one line naming the file and the
fix); the rest of the batch carries on. So does a bug in planx met on one file.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import multiprocessing
import sys
from collections import Counter
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import __version__, rules
from .api import collect_paths, extract_document
from .errors import ExtractError, IngestError
from .dataset import COLUMNS, frame
from .writers import atomic_path, build_run_info, open_sink, write_run_info
from .writers.runinfo import file_sha256

#: Where, inside an output directory, each document's rows are kept for the next run.
CACHE_DIR = ".planx/cache"


@dataclass(frozen=True)
class Job:
    """One input file and the ``doc_id`` its rows will carry."""

    path: Path
    doc_id: str


@dataclass
class Outcome:
    """What became of one job: its rows table by table, or the one-line error."""

    job: Job
    sha256: str | None
    rows: dict[str, list[dict]] | None = None
    error: str | None = None
    reused: bool = False


def plan(paths: Iterable[str | Path]) -> list[Job]:
    """The files under ``paths`` with a unique ``doc_id`` each.

    A document's id is its file name without the extension. Files that would share one are
    told apart by their parent folders, as few as it takes (``jiangsu/plan``,
    ``suzhou/plan``), or else by their extension (``plan.txt``, ``plan.docx``).

    Raises:
        ExtractError: a path names nothing.
    """
    files = collect_paths(paths)
    names = {path: _candidate_ids(path) for path in files}
    level = dict.fromkeys(files, 0)
    while True:
        ids = {path: names[path][level[path]] for path in files}
        clashes = Counter(ids.values())
        crowded = [path for path in files if clashes[ids[path]] > 1 and level[path] + 1 < len(names[path])]
        if not crowded:
            return [Job(path, ids[path]) for path in files]
        for path in crowded:
            level[path] += 1


def _candidate_ids(path: Path) -> list[str]:
    """Ever longer ids for ``path``: its stem with 0, 1, 2… parent folders, then the same
    with its extension."""
    folders = path.resolve().parent.parts[1:]
    return [("/".join((*folders[len(folders) - depth :], name)) if depth else name)
            for name in (path.stem, path.name) for depth in range(len(folders) + 1)]


def fingerprint() -> str:
    """What, besides a file's bytes, decides its rows: the planx version and the rules."""
    return f"{__version__}:{rules.rules_hash()}"


def extract_job(job: Job, rules_dir: str | None = None,
                expected: str | None = None) -> tuple[dict[str, list[dict]] | None, str | None]:
    """Extract one job: ``(rows, None)``, or ``(None, error)`` for a problem with the file
    or with planx; never raises.

    Runs in a worker process, perhaps on another machine, so it is told the rules
    directory the user chose (None: the bundled rules) and the :func:`fingerprint` the
    client expects; a worker whose planx or rules differ refuses rather than mixing rows.
    """
    if rules_dir is not None and rules.rules_dir() != Path(rules_dir):
        rules.set_rules_dir(rules_dir)
    if expected is not None and fingerprint() != expected:
        return None, (f"{job.path}: this worker runs planx/rules {fingerprint()[:18]}…, the client "
                      f"{expected[:18]}…; install the same planx and rules on every worker")
    try:
        return extract_document(job.path, job.doc_id).rows, None
    except IngestError as err:
        return None, str(err)
    except ExtractError as err:
        return None, f"{job.path}: {err}"
    except Exception as err:  # a bug met on one file must not cost the batch its other files
        detail = str(err).splitlines()[0] if str(err) else ""
        return None, f"{job.path}: planx failed on this file ({type(err).__name__}: {detail}); please report it with the file"


class RowCache:
    """Each document's rows from an earlier run, kept as JSON under ``directory``.

    An entry is valid while the file's sha256, its ``doc_id`` and the :func:`fingerprint`
    are what they were; anything else means extracting again.
    """

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.fingerprint = fingerprint()

    def _entry(self, job: Job) -> Path:
        name = hashlib.sha256(f"{job.path.resolve()}\0{job.doc_id}".encode()).hexdigest()[:32]
        return self.directory / f"{name}.json"

    def get(self, job: Job, sha256: str | None) -> dict[str, list[dict]] | None:
        """The rows stored for ``job`` if still valid, else None."""
        if sha256 is None:
            return None
        try:
            entry = json.loads(self._entry(job).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if (entry.get("sha256"), entry.get("fingerprint"), entry.get("doc_id")) != (sha256, self.fingerprint, job.doc_id):
            return None
        return entry.get("rows")

    def put(self, outcome: Outcome) -> None:
        """Remember a successful outcome's rows (errors are retried on every run)."""
        if outcome.rows is None or outcome.sha256 is None:
            return
        entry = {"doc_id": outcome.job.doc_id, "path": str(outcome.job.path), "sha256": outcome.sha256,
                 "fingerprint": self.fingerprint, "rows": outcome.rows}
        with atomic_path(self._entry(outcome.job)) as tmp:
            tmp.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")

    def keep_only(self, jobs: Iterable[Job]) -> None:
        """Drop the entries of files that are no longer inputs."""
        wanted = {self._entry(job).name for job in jobs}
        for path in self.directory.glob("*.json"):
            if path.name not in wanted:
                path.unlink(missing_ok=True)


def run_jobs(jobs: list[Job], *, workers: int = 1, executor: Executor | None = None,
             cache: RowCache | None = None, force: bool = False) -> Iterator[Outcome]:
    """Yield one :class:`Outcome` per job, in the order of ``jobs``.

    Args:
        jobs: From :func:`plan`.
        workers: Worker processes when no ``executor`` is given; 1 extracts in this process.
        executor: Runs the extractions instead (e.g. a Dask client's ``get_executor()``).
        cache: Reuse and remember rows here; None extracts everything.
        force: Extract every file again even where the cache holds its rows.
    """
    hashes = {job: file_sha256(job.path) for job in jobs}
    reused = {}
    if cache is not None and not force:
        reused = {job: rows for job in jobs if (rows := cache.get(job, hashes[job])) is not None}
    todo = [job for job in jobs if job not in reused]
    chosen = rules.chosen_rules_dir()
    rules_dir = str(chosen) if chosen is not None else None
    expected = [fingerprint()] * len(todo)
    pool = None
    if executor is None and workers > 1 and len(todo) > 1:
        # The first file is extracted here, before the workers fork: they inherit the rules
        # and gazetteer it loaded instead of each loading them again.
        first = extract_job(todo[0])
        pool = ProcessPoolExecutor(min(workers, len(todo) - 1), mp_context=_context())
        fresh = itertools.chain([first], pool.map(extract_job, todo[1:], [rules_dir] * (len(todo) - 1), expected[1:]))
    elif executor is not None:
        fresh = executor.map(extract_job, todo, [rules_dir] * len(todo), expected)
    else:
        fresh = map(extract_job, todo)
    try:
        for job in jobs:
            if job in reused:
                yield Outcome(job, hashes[job], rows=reused[job], reused=True)
                continue
            rows, error = next(fresh)
            outcome = Outcome(job, hashes[job], rows=rows, error=error)
            if cache is not None:
                cache.put(outcome)
            yield outcome
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    if cache is not None:
        cache.keep_only(jobs)


def _context():
    """Fork where it is safe and cheap (Linux): workers inherit the loaded rules and
    dictionaries instead of loading them again; elsewhere spawn."""
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


@dataclass
class BatchReport:
    """What a batch did: rows written per table, and documents extracted, reused, failed."""

    counts: Counter
    extracted: int = 0
    reused: int = 0
    errors: list[dict] = field(default_factory=list)


def build_dataset(jobs: list[Job], output: str | Path, *, fmt: str = "csv", workers: int = 1,
                  executor: Executor | None = None, force: bool = False,
                  on_outcome: Callable[[Outcome], None] | None = None) -> BatchReport:
    """Extract every job's file into the tables of ``output``, plus ``run.json``.

    Rows go to the writer one document at a time, so memory does not grow with the batch.
    Each table file appears whole or not at all. A document whose bytes and rules have not
    changed since the last run into ``output`` is not extracted again unless ``force``.

    Args:
        jobs: From :func:`plan`.
        output: The output directory.
        fmt: A key of :data:`extract.writers.WRITERS`.
        workers: Worker processes (ignored when ``executor`` is given).
        executor: Runs the extractions instead of this process or its workers.
        force: Extract every file again.
        on_outcome: Called with each document's :class:`Outcome` as it is written.

    Returns:
        The batch's report; failed files are in its ``errors`` and in the errors table.
    """
    output = Path(output)
    started = datetime.now(timezone.utc)
    report = BatchReport(Counter({name: 0 for name in COLUMNS}))
    cache = RowCache(output / CACHE_DIR)
    hashes = {}
    with open_sink(output, fmt) as sink:
        for outcome in run_jobs(jobs, workers=workers, executor=executor, cache=cache, force=force):
            hashes[outcome.job] = outcome.sha256
            if outcome.error is not None:
                error = {"source_path": str(outcome.job.path), "error": outcome.error}
                report.errors.append(error)
                tables = {"errors": [error]}
            else:
                tables = outcome.rows
                report.reused += outcome.reused
                report.extracted += not outcome.reused
            sink.append({name: frame(name, rows) for name, rows in tables.items()})
            report.counts.update({name: len(rows) for name, rows in tables.items()})
            if on_outcome is not None:
                on_outcome(outcome)
    info = build_run_info([(job.path, hashes.get(job)) for job in jobs], dict(report.counts), started,
                          datetime.now(timezone.utc), fmt=fmt, errors=report.errors,
                          extracted=report.extracted, reused=report.reused)
    write_run_info(output, info)
    return report
