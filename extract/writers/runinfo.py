"""``run.json``: what produced a dataset, so that a table can be traced back and reproduced.

It records the planx version, the hash of the rules used, each input file with its sha256,
when the run started and finished, how many rows each table got, and the inputs that failed.
It is the one record of what an output directory holds: the readers take the format from it
(:func:`recorded_format`), and a new run removes the files an earlier one recorded and did
not write again (:func:`remove_earlier_files`), so two formats' tables never sit side by side.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path

from .. import __version__, rules
from ..errors import ExtractError
from .common import atomic_path

RUN_INFO = "run.json"
_CHUNK = 1 << 20


def file_sha256(path: str | Path) -> str | None:
    """The sha256 of the file at ``path``, or None when it cannot be read.

    Args:
        path: An input file.

    Returns:
        The hex digest, or None: an unreadable input is already reported among the errors,
        and it must not stop the run's record from being written.
    """
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(_CHUNK), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def build_run_info(inputs: Iterable[tuple[str | Path, str | None]], counts: Mapping[str, int], started: datetime,
                   finished: datetime, *, fmt: str, errors: Iterable[Mapping[str, object]] = (),
                   **details: object) -> dict:
    """Describe a run as plain JSON-ready data.

    Args:
        inputs: ``(path, sha256)`` of each input file, in the order they were read; the
            sha256 is None for a file that could not be read.
        counts: Table name to its number of rows.
        started: When the run started; pass an aware time (``datetime.now(timezone.utc)``)
            so the record says which zone it is in.
        finished: When the run finished.
        fmt: The output format, a key of :data:`planx.writers.WRITERS`.
        errors: The inputs that failed, e.g. ``{"source_path": ..., "error": ...}`` rows.
        details: More facts about the run (how many documents were reused, say), recorded
            after the counts.

    Returns:
        A dict with ``planx_version``, ``rules_hash``, ``format``, ``started``, ``finished``,
        ``seconds``, ``inputs`` (``path`` and ``sha256`` each), ``counts``, the ``details``
        and ``errors``.
    """
    return {
        "planx_version": __version__,
        "rules_hash": rules.rules_hash(),
        "format": fmt,
        "started": started.isoformat(),
        "finished": finished.isoformat(),
        "seconds": round((finished - started).total_seconds(), 3),
        "inputs": [{"path": str(path), "sha256": sha256} for path, sha256 in inputs],
        "counts": dict(counts),
        **details,
        "errors": [dict(error) for error in errors],
    }


def write_run_info(directory: str | Path, info: Mapping[str, object]) -> Path:
    """Write ``info`` to ``directory/run.json`` atomically, as readable UTF-8 JSON.

    Args:
        directory: The output directory.
        info: Usually :func:`build_run_info`'s result. Values JSON cannot hold, such as paths
            and datetimes, are written as their ``str()``.

    Returns:
        The path written.
    """
    path = Path(directory) / RUN_INFO
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(info, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def recorded_format(directory: str | Path, default: str | None = None) -> str:
    """The format ``directory/run.json`` says the tables were written in.

    Args:
        directory: An output directory.
        default: The format of a directory without run.json (tables written by
            :func:`~planx.writers.write_tables`, say); None: it must have one.

    Raises:
        ExtractError: run.json is missing (and no ``default``), unreadable or names no known format.

    Example:
        >>> recorded_format("no/such/folder", default="csv")
        'csv'
    """
    from . import WRITERS

    if default is not None and not (Path(directory) / RUN_INFO).exists():
        return default
    fmt = read_run_info(directory).get("format")
    if not isinstance(fmt, str) or fmt not in WRITERS:
        raise ExtractError(f"{Path(directory) / RUN_INFO} does not say which format {directory} was written in; "
                           "run `planx extract` into it, or pass --input-format")
    return fmt


def read_run_info(directory: str | Path) -> dict:
    """What ``directory/run.json`` records; empty when there is none or it cannot be read.

    Example:
        >>> read_run_info("no/such/folder")
        {}
    """
    try:
        info = json.loads((Path(directory) / RUN_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return info if isinstance(info, dict) else {}


def written_files(directory: str | Path, paths: Iterable[str | Path]) -> list[str]:
    """``paths`` as run.json records them: relative to ``directory``, a folder as its files.

    Args:
        directory: The output directory.
        paths: The files and folders a sink wrote into it (:attr:`Sink.paths`).

    Returns:
        POSIX paths relative to ``directory``, a folder's files sorted.

    Example:
        >>> written_files("out", ["out/targets.csv", "out/documents.csv"])
        ['targets.csv', 'documents.csv']
    """
    directory = Path(directory)
    files = []
    for path in map(Path, paths):
        inside = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        files.extend(p.relative_to(directory).as_posix() for p in inside)
    return files


def remove_earlier_files(directory: str | Path, earlier: Mapping[str, object], kept: Iterable[str]) -> list[Path]:
    """Remove the files an earlier run into ``directory`` recorded and this run did not write.

    Tables of another format left from an earlier run would sit beside the new ones and
    disagree with them after the next run. Only the files the earlier ``run.json`` lists are
    removed, and of those only the ones inside ``directory`` that are neither hidden nor
    ``run.json`` itself: files planx did not write stay. Folders left empty (a Parquet
    dataset's) go too.

    Args:
        directory: The output directory.
        earlier: What its ``run.json`` recorded before this run (:func:`read_run_info`).
        kept: The files this run wrote, as :func:`written_files` gives them.

    Returns:
        The files removed, in the order the earlier run recorded them.

    Example:
        >>> remove_earlier_files("no/such/folder", {"files": ["targets.csv"]}, ["targets.parquet"])
        []
    """
    directory = Path(directory)
    recorded = earlier.get("files")
    names = dict.fromkeys(name for name in recorded if isinstance(name, str)) if isinstance(recorded, list) else {}
    kept = set(kept)
    removed = [directory / name for name in names if name not in kept and _removable(directory, name)]
    for path in removed:
        path.unlink()
    for folder in {path.parent for path in removed} - {directory}:
        with contextlib.suppress(OSError):  # a folder that still holds files planx did not write stays
            folder.rmdir()
    return removed


def _removable(directory: Path, name: str) -> bool:
    """Whether ``name``, from a run.json's ``files``, is a table file planx may remove: a
    file inside ``directory``, not hidden (the row cache, temporaries) and not run.json."""
    path = directory / name
    try:
        relative = path.resolve().relative_to(directory.resolve())
    except ValueError:
        return False
    return (path.is_file() and relative.as_posix() != RUN_INFO
            and not any(part.startswith(".") for part in relative.parts))
