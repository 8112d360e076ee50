"""The files a batch reads: paths, folders and glob patterns expanded, the rest counted.

A path names a file (read whatever its name), a folder (searched recursively) or a glob
pattern. Hidden files and folders, Office lock files and files of a type planx does not read
are passed over and counted (:class:`Skipped`), so a run can say what it did not read.
"""

from __future__ import annotations

import glob
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .errors import ExtractError
from .ingest import SUPPORTED


#: Why a file or folder met while searching a folder or a glob's matches is not read, in
#: the order :meth:`Skipped.describe` lists them.
UNSUPPORTED, HIDDEN, LOCK_FILE = "unsupported type", "hidden", "Office lock file"
SKIP_REASONS = (UNSUPPORTED, HIDDEN, LOCK_FILE)


class Skipped(Counter):
    """Files and folders passed over while searching, counted by ``(reason, detail)``.

    The reason is one of :data:`SKIP_REASONS`; the detail is the extension of a file of an
    unsupported type, else empty.

    Example:
        >>> Skipped({(UNSUPPORTED, ".jpg"): 2, (UNSUPPORTED, ".md"): 1, (HIDDEN, ""): 1}).describe()
        'unsupported type (.jpg ×2, .md ×1), hidden ×1'
    """

    def describe(self) -> str:
        """The reasons and their counts on one line, details in brackets."""
        parts = []
        for reason in SKIP_REASONS:
            counts = {detail: n for (why, detail), n in sorted(self.items()) if why == reason and n}
            details = ", ".join(f"{detail} ×{n}" for detail, n in counts.items() if detail)
            if counts:
                parts.append(f"{reason} ({details})" if details else f"{reason} ×{sum(counts.values())}")
        return ", ".join(parts)

    def by_label(self) -> dict[str, int]:
        """The counts as plain JSON: ``{"unsupported type (.jpg)": 2, "hidden": 1}``."""
        return {f"{reason} ({detail})" if detail else reason: n for (reason, detail), n in sorted(self.items())}


def skip_reason(path: Path) -> tuple[str, str] | None:
    """Why a file met in a folder or among a glob's matches is not read, or None if it is.

    Example:
        >>> skip_reason(Path("plans/~$plan.docx")), skip_reason(Path("plans/plan.docx"))
        (('Office lock file', ''), None)
    """
    if path.name.startswith("~$"):
        return LOCK_FILE, ""
    if path.name.startswith("."):
        return HIDDEN, ""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        return UNSUPPORTED, suffix or "no extension"
    return None


@dataclass
class Inputs:
    """The files a batch reads, in order, and what was passed over finding them.

    Attributes:
        files: Each file once, in the order met: named files as given, a folder's files
            sorted by path.
        skipped: The files and hidden folders met in folders and globs but not read.
    """

    files: list[Path] = field(default_factory=list)
    skipped: Skipped = field(default_factory=Skipped)
    _seen: set[Path] = field(default_factory=set, repr=False, compare=False)

    def add(self, item: str) -> None:
        """Add what one path names: a file (read whatever its name), a folder or a glob pattern.

        Raises:
            ExtractError: The path names nothing, or the pattern matches nothing.
        """
        path = Path(item)
        if path.is_file():
            self._met(path, None)
        elif path.is_dir():
            self._search(path)
        elif glob.has_magic(item):
            self._add_matches(item)
        else:
            raise ExtractError(f"{item}: no such file or folder; check the path")

    def _add_matches(self, pattern: str) -> None:
        """Add a glob pattern's matches: files as met in a folder, folders searched."""
        matches = [Path(match) for match in sorted(glob.glob(pattern, recursive=True))]
        if not matches:
            raise ExtractError(f"{pattern}: no file or folder matches this pattern; check it")
        for match in matches:
            if match.is_dir():
                self._search(match)
            elif match.is_file():
                self._met(match, skip_reason(match))

    def _search(self, folder: Path) -> None:
        """Add the files under ``folder``, recursively, sorted by path; hidden folders are
        counted, not entered (a ``.git`` or ``.planx`` holds nothing to read)."""
        files = []
        for root, folders, names in os.walk(folder):
            for name in [name for name in folders if name.startswith(".")]:
                self._met(Path(root, name), (HIDDEN, ""))
                folders.remove(name)
            files.extend(Path(root, name) for name in names)
        for path in sorted(files):
            if path.is_file():
                self._met(path, skip_reason(path))

    def _met(self, path: Path, reason: tuple[str, str] | None) -> None:
        """Keep ``path``, or count why not; a path met again (two overlapping inputs) counts once."""
        if path in self._seen:
            return
        self._seen.add(path)
        if reason is None:
            self.files.append(path)
        else:
            self.skipped[reason] += 1


def find_inputs(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> Inputs:
    """The files to read under ``paths``, and the files passed over finding them.

    A path names a file (read whatever its name), a folder (searched recursively) or a glob
    pattern (each match a file or a folder). In folders and among a glob's matches, hidden
    files and folders, Office lock files (``~$…``) and files of a type planx does not read
    are skipped and counted. A single path may be given alone, as a string or a Path;
    relative paths are taken from the current directory.

    Raises:
        ExtractError: A path names nothing, a pattern matches nothing, or nothing to read
            was found at all (the message says what the paths hold).

    Example:
        >>> [str(path) for path in find_inputs("corpus/suzhou-quality-plan-14fyp.txt").files]
        ['corpus/suzhou-quality-plan-14fyp.txt']
    """
    items = [os.fspath(item) for item in path_list(paths)]
    inputs = Inputs()
    for item in items:
        inputs.add(item)
    if not inputs.files:
        raise ExtractError(_nothing_found(items, inputs.skipped))
    return inputs


def _nothing_found(items: list[str], skipped: Skipped) -> str:
    """The one line saying why ``items`` gave no file to read."""
    if not items:
        return "no paths given; name the files, folders or glob patterns to read"
    if skipped:
        held = f"{sum(skipped.values())} skipped: {skipped.describe()}"
    else:
        held = "it is empty" if len(items) == 1 else "they are empty"
    return f"no documents found in {', '.join(items)}: {held}; planx reads {' '.join(SUPPORTED)}"


def collect_paths(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> list[Path]:
    """The files to read under ``paths``: :func:`find_inputs`'s files.

    Raises:
        ExtractError: As :func:`find_inputs`.

    Example:
        >>> [path.name for path in collect_paths(["corpus/suzhou-quality-plan-14fyp.txt"])]
        ['suzhou-quality-plan-14fyp.txt']
    """
    return find_inputs(paths).files


def path_list(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> list[str | os.PathLike]:
    """``paths`` as a list of paths: one path or pattern (a string is one, not a sequence of
    characters), or each of several."""
    if isinstance(paths, (str, os.PathLike)):
        return [paths]
    return list(paths)
