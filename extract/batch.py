"""Batch runs: many files in, one outcome per file out, in input order.

A batch is planned (:func:`plan`: which files, under which ``doc_id``), then each file is
extracted in this process, in worker processes (``jobs``) or by any
:class:`concurrent.futures.Executor` (a Dask cluster's, say). Outcomes come back in input
order whatever the workers' order, so ``--jobs 2`` writes what ``--jobs 1`` writes.

A :class:`RowCache` in the output directory remembers each document's rows under the
file's sha256 and the fingerprint of the planx version, code and rules in use: a document
whose bytes, planx and rules are unchanged is not extracted again.

A file that fails becomes an outcome with an ``error`` (one line naming the file and the
fix); the rest of the batch carries on. So does a bug in planx met on one file.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import multiprocessing
import os
import sys
from collections import Counter
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple

from . import __version__, rules
from .inputs import Skipped, collect_paths
from .pipeline import extract_document
from .errors import ExtractError, IngestError
from .dataset import COLUMNS, frame
from .writers import atomic_path, build_run_info, open_sink, write_run_info
from .log import LOGGER, capture_library_warnings
from .writers.docbin import doc_bytes
from .writers.runinfo import file_sha256, read_run_info, remove_earlier_files, written_files

#: Where, inside an output directory, each document's rows are kept for the next run.
CACHE_DIR = ".planx/cache"


@dataclass(frozen=True)
class Job:
    """One input file and the ``doc_id`` its rows will carry."""

    path: Path
    doc_id: str


@dataclass
class Outcome:
    """What became of one job: its rows table by table, or the one-line error.

    ``warnings`` are those the reading libraries logged on the file (pdfminer's ``Could not
    get FontBBox…``, say): the file was read only with their workarounds. ``doc`` is the Doc
    as DocBin bytes when the batch keeps Docs (``--format spacy``).
    """

    job: Job
    sha256: str | None
    rows: dict[str, list[dict]] | None = None
    error: str | None = None
    reused: bool = False
    warnings: tuple[str, ...] = ()
    doc: bytes | None = None


def plan(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Job]:
    """The files under ``paths`` (see :func:`~planx.inputs.find_inputs`) with a unique ``doc_id`` each.

    A document's id is its file name without the extension. Files that would share one are
    told apart by their parent folders, as few as it takes (``jiangsu/plan``,
    ``suzhou/plan``), or else by their extension (``plan.txt``, ``plan.docx``).

    Raises:
        ExtractError: a path names nothing, or there is nothing to read under them.

    Example:
        >>> [job.doc_id for job in plan("corpus/suzhou-quality-plan-14fyp.txt")]
        ['suzhou-quality-plan-14fyp']
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
    """What, besides a file's bytes, decides its rows: the planx version, its code and the rules.

    The code counts as well as the version: a planx changed or upgraded without a new version
    string must not reuse rows the old code made.

    Example:
        >>> fingerprint().startswith(__version__ + ":")
        True
    """
    mixed = hashlib.sha256(f"{code_hash()}:{rules.rules_hash()}".encode()).hexdigest()
    return f"{__version__}:{mixed}"


@functools.cache
def code_hash() -> str:
    """The sha256 of planx's own code (:func:`tree_hash` of the package), once per process.

    Example:
        >>> len(code_hash())
        64
    """
    return tree_hash(Path(__file__).parent)


def tree_hash(folder: Path) -> str:
    """The sha256 of every ``.py`` file under ``folder``: relative paths and bytes, in path order.

    Example:
        >>> import planx
        >>> tree_hash(Path(planx.__file__).parent) == code_hash()
        True
    """
    digest = hashlib.sha256()
    sources = {path.relative_to(folder).as_posix(): path for path in folder.rglob("*.py")}
    for name in sorted(sources):
        digest.update(name.encode() + b"\0")
        digest.update(sources[name].read_bytes() + b"\0")
    return digest.hexdigest()


def extract_job(job: Job, rules_dir: str | None = None, expected: str | None = None,
                keep_doc: bool = False) -> tuple[dict[str, list[dict]] | None, str | None, bytes | None]:
    """Extract one job: ``(rows, None, doc)``, or ``(None, error, None)`` for a problem with
    the file or with planx; never raises. ``doc`` is the Doc as DocBin bytes when
    ``keep_doc``, else None.

    Runs in a worker process, perhaps on another machine, so it is told the rules
    directory the user chose (None: the rules this process already uses) and the
    :func:`fingerprint` the client expects; a worker whose planx or rules differ refuses
    rather than mixing rows. The rules are chosen for this job only (:func:`rules.using`),
    so a worker that runs jobs of several batches never carries one batch's rules into another.
    """
    try:
        with rules.using(rules_dir):
            if expected is not None and fingerprint() != expected:
                return None, (f"{job.path}: this worker runs planx/rules {fingerprint()[:18]}…, the client "
                              f"{expected[:18]}…; install the same planx and rules on every worker"), None
            extraction = extract_document(job.path, job.doc_id)
            return extraction.rows, None, (doc_bytes(extraction.document) if keep_doc else None)
    except IngestError as err:
        return None, str(err), None
    except ExtractError as err:
        return None, f"{job.path}: {err}", None
    except Exception as err:  # a bug met on one file must not cost the batch its other files
        detail = str(err).splitlines()[0] if str(err) else ""
        return (None, f"{job.path}: planx failed on this file ({type(err).__name__}: {detail}); please report it "
                      "with the file", None)


class JobResult(NamedTuple):
    """What :func:`extract_job_keeping_warnings` sends back from where the job ran."""

    rows: dict[str, list[dict]] | None
    error: str | None
    warnings: tuple[str, ...]
    doc: bytes | None = None


def extract_job_keeping_warnings(job: Job, rules_dir: str | None = None, expected: str | None = None,
                                 keep_doc: bool = False) -> JobResult:
    """:func:`extract_job`, with the libraries' warnings on the file kept and sent back, and
    with ``keep_doc`` the Doc itself as DocBin bytes (for ``--format spacy``).

    Where the job runs (a worker process, a Dask worker) nobody would see them; sent back,
    they are counted and logged by the process that writes the tables.

    Example:
        >>> result = extract_job_keeping_warnings(Job(Path("corpus/suzhou-quality-plan-14fyp.txt"), "suzhou"))
        >>> result.error, result.warnings
        (None, ())
    """
    with capture_library_warnings() as warnings:
        rows, error, doc = extract_job(job, rules_dir, expected, keep_doc)
    return JobResult(rows, error, tuple(warnings), doc)


def _log_warnings(outcome: Outcome) -> None:
    """Log, through planx's logger, the libraries' warnings on ``outcome``'s file."""
    for warning in outcome.warnings:
        LOGGER.warning("%s: %s", outcome.job.path, warning)


class RowCache:
    """Each document's rows from an earlier run, kept as JSON under ``directory``.

    An entry is valid while the file's sha256, its ``doc_id`` and the :func:`fingerprint`
    (planx's version, code and rules) are what they were; anything else means extracting again.
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
             cache: RowCache | None = None, force: bool = False, keep_docs: bool = False) -> Iterator[Outcome]:
    """Yield one :class:`Outcome` per job, in the order of ``jobs``.

    Args:
        jobs: From :func:`plan`.
        workers: Worker processes when no ``executor`` is given; 1 extracts in this process.
        executor: Runs the extractions instead (e.g. a Dask client's ``get_executor()``).
        cache: Reuse and remember rows here; None extracts everything.
        force: Extract every file again even where the cache holds its rows.
        keep_docs: Send each Doc back too (``Outcome.doc``); the cache keeps rows only, so
            every file is extracted again.
    """
    hashes = {job: file_sha256(job.path) for job in jobs}
    reused = {}
    if cache is not None and not force and not keep_docs:
        reused = {job: rows for job in jobs if (rows := cache.get(job, hashes[job])) is not None}
    todo = [job for job in jobs if job not in reused]
    chosen = rules.chosen_rules_dir()
    rules_dir = str(chosen) if chosen is not None else None
    expected = [fingerprint()] * len(todo)
    pool = None
    if executor is None and workers > 1 and len(todo) > 1:
        # The first file is extracted here, before the workers fork: they inherit the rules
        # and gazetteer it loaded instead of each loading them again.
        first = extract_job_keeping_warnings(todo[0], keep_doc=keep_docs)
        pool = ProcessPoolExecutor(min(workers, len(todo) - 1), mp_context=_context())
        fresh = itertools.chain([first], pool.map(extract_job_keeping_warnings, todo[1:], [rules_dir] * (len(todo) - 1),
                                                  expected[1:], [keep_docs] * (len(todo) - 1)))
    elif executor is not None:
        fresh = executor.map(extract_job_keeping_warnings, todo, [rules_dir] * len(todo), expected,
                             [keep_docs] * len(todo))
    else:
        fresh = map(extract_job_keeping_warnings, todo, [None] * len(todo), [None] * len(todo), [keep_docs] * len(todo))
    try:
        for job in jobs:
            if job in reused:
                yield Outcome(job, hashes[job], rows=reused[job], reused=True)
                continue
            rows, error, warnings, doc = next(fresh)
            outcome = Outcome(job, hashes[job], rows=rows, error=error, warnings=warnings, doc=doc)
            _log_warnings(outcome)
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
    """What a batch did: rows written per table, and documents extracted, reused, failed, and
    read only with a library's workaround (``with_workarounds``: see :attr:`Outcome.warnings`)."""

    counts: Counter
    extracted: int = 0
    reused: int = 0
    errors: list[dict] = field(default_factory=list)
    with_workarounds: int = 0
    #: Files passed over while searching the inputs, by reason.
    skipped: Skipped = field(default_factory=Skipped)
    #: Files an earlier run wrote into the output directory and this one did not (tables of
    #: another format), removed so that ``run.json`` tells what is there.
    removed: list[Path] = field(default_factory=list)
    #: The format the earlier run recorded, when files were removed.
    removed_format: str | None = None

    def skipped_summary(self) -> str:
        """The skipped files for the run's summary line, or nothing when none was skipped.

        Example:
            >>> BatchReport(Counter(), skipped=Skipped({("unsupported type", ".jpg"): 2})).skipped_summary()
            '; 2 skipped: unsupported type (.jpg ×2)'
        """
        return f"; {sum(self.skipped.values())} skipped: {self.skipped.describe()}" if self.skipped else ""


def build_dataset(jobs: list[Job], output: str | Path, *, fmt: str = "csv", workers: int = 1,
                  executor: Executor | None = None, force: bool = False, skipped: Skipped | None = None,
                  on_outcome: Callable[[Outcome], None] | None = None) -> BatchReport:
    """Extract every job's file into the tables of ``output``, plus ``run.json``.

    Rows go to the writer one document at a time, so memory does not grow with the batch.
    Each table file appears whole or not at all. A document whose bytes, planx and rules
    have not changed since the last run into ``output`` is not extracted again unless
    ``force``. ``run.json`` lists the files written; those an earlier run listed and this
    one did not write (another format's tables) are removed once the new ones are in place.

    Args:
        jobs: From :func:`plan`.
        output: The output directory.
        fmt: A key of :data:`planx.writers.WRITERS`.
        workers: Worker processes (ignored when ``executor`` is given).
        executor: Runs the extractions instead of this process or its workers.
        force: Extract every file again.
        skipped: What was passed over finding the jobs' files (:attr:`planx.inputs.Inputs.skipped`),
            recorded in the report and ``run.json``.
        on_outcome: Called with each document's :class:`Outcome` as it is written.

    Returns:
        The batch's report; failed files are in its ``errors`` and in the errors table.

    Raises:
        ExtractError: ``output`` cannot be written (read-only, full, a file in the way).

    Example:
        >>> import tempfile
        >>> build_dataset(plan("corpus/suzhou-quality-plan-14fyp.txt"), tempfile.mkdtemp()).extracted
        1
    """
    output = Path(output)
    earlier = read_run_info(output)
    report = BatchReport(Counter({name: 0 for name in COLUMNS}), skipped=skipped or Skipped())
    with _writing_into(output):
        started = datetime.now(timezone.utc)
        hashes, written = _write_tables(jobs, output, fmt, report, workers=workers, executor=executor, force=force,
                                        on_outcome=on_outcome)
        files = written_files(output, written)
        info = build_run_info([(job.path, hashes.get(job)) for job in jobs], dict(report.counts), started,
                              datetime.now(timezone.utc), fmt=fmt, errors=report.errors,
                              extracted=report.extracted, reused=report.reused, with_workarounds=report.with_workarounds,
                              skipped=report.skipped.by_label(), code_hash=code_hash(), files=files)
        write_run_info(output, info)
        report.removed = remove_earlier_files(output, earlier, files)
    report.removed_format = earlier.get("format") if report.removed else None
    return report


def _write_tables(jobs: list[Job], output: Path, fmt: str, report: BatchReport, *, workers: int,
                  executor: Executor | None, force: bool, on_outcome: Callable[[Outcome], None] | None
                  ) -> tuple[dict[Job, str | None], list[Path]]:
    """Extract the jobs, or reuse their cached rows, and write their tables, counting into ``report``.

    Returns:
        Each job's file sha256, and the paths the sink wrote.
    """
    cache = RowCache(output / CACHE_DIR)
    hashes = {}
    with open_sink(output, fmt) as sink:
        keep_docs = hasattr(sink, "add_doc")  # a format that stores the Docs themselves
        for outcome in run_jobs(jobs, workers=workers, executor=executor, cache=cache, force=force,
                                keep_docs=keep_docs):
            hashes[outcome.job] = outcome.sha256
            if outcome.error is not None:
                error = {"source_path": str(outcome.job.path), "error": outcome.error}
                report.errors.append(error)
                tables = {"errors": [error]}
            else:
                tables = outcome.rows
                report.reused += outcome.reused
                report.extracted += not outcome.reused
            if outcome.doc is not None:
                sink.add_doc(outcome.doc)
            report.with_workarounds += bool(outcome.warnings)
            sink.append({name: frame(name, rows) for name, rows in tables.items()})
            report.counts.update({name: len(rows) for name, rows in tables.items()})
            if on_outcome is not None:
                on_outcome(outcome)
    return hashes, sink.paths


@contextlib.contextmanager
def _writing_into(output: Path) -> Iterator[None]:
    """Turn an OS error met writing into ``output`` (a read-only or full disk, a file where a
    folder should be) into one line naming the folder and the fix, not a traceback."""
    try:
        yield
    except OSError as err:
        if err.errno is None:  # not the operating system's (a lost Dask connection, say): not ours to word
            raise
        detail = f"{err.strerror}: {err.filename}" if err.filename else err.strerror
        raise ExtractError(f"{output}: cannot write into it ({detail}); check its permissions and free space, "
                           "or choose another output folder") from None
