"""``run.json``: what produced a dataset, so that a table can be traced back and reproduced.

It records the planx version, the hash of the rules used, each input file with its sha256,
when the run started and finished, how many rows each table got, and the inputs that failed.
"""

from __future__ import annotations

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
        fmt: The output format, a key of :data:`extract.writers.WRITERS`.
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


def recorded_format(directory: str | Path) -> str:
    """The format ``directory/run.json`` says the tables were written in.

    Raises:
        ExtractError: run.json is missing, unreadable or names no known format.
    """
    from . import WRITERS

    path = Path(directory) / RUN_INFO
    try:
        fmt = json.loads(path.read_text(encoding="utf-8")).get("format")
    except (OSError, ValueError, AttributeError):
        fmt = None
    if fmt not in WRITERS:
        raise ExtractError(f"{path} does not say which format {directory} was written in; "
                           "run `planx extract` into it, or pass --input-format")
    return fmt
