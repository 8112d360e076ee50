"""Sinks: a dataset's tables received piece by piece and written atomically when they close.

:class:`Sink` holds what every format shares: the columns and dtypes each table's first
piece fixes, the row counts, the batching, and two stacks that make the files appear all
together or not at all. A table's pieces are gathered and handed to the format as one typed
batch once they hold :data:`BATCH_ROWS` rows or number :data:`BATCH_FRAMES` (and at the end):
the per-call costs of pandas, Parquet row groups and DuckDB inserts are paid per batch, not
per document, and memory stays bounded by one batch per table. The temporaries of every file
(:func:`~planx.writers.common.atomic_path`) are renamed into place only after every writer
on them has closed cleanly; on any exception they are removed and the files already in the
directory stay as they were. :class:`TableFilesSink` is the sink of the formats that write
one file per table, each through a :class:`TableFile`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from contextlib import ExitStack, closing
from pathlib import Path
from typing import Protocol

import pandas as pd

from ..dataset import COLUMNS
from ..errors import ExtractError
from .common import Dtype, atomic_directory, atomic_path, cast, column_dtypes, typed

#: A table's pieces are written as one batch once they hold this many rows: a Parquet row
#: group or a DuckDB insert of a sensible size, and a few megabytes held per table.
BATCH_ROWS = 10_000
#: ... or once there are this many of them: pandas takes some 20 kB to hold even a one-row
#: frame, and a few milliseconds for each write, whatever its size.
BATCH_FRAMES = 100


class Sink:
    """Receives tables in pieces and writes them into a directory when the ``with`` block ends.

    Use as a context manager (:func:`planx.writers.open_sink` makes one). A format
    subclasses it with :meth:`_add_table` and :meth:`_write` and, where it needs them,
    :meth:`_start` and :meth:`_finish`; it opens its temporaries with :meth:`_temp` and
    registers what writes on them with ``self._open``, so that all of them are closed before
    any is renamed.

    Attributes:
        directory: The output directory.
        paths: The files written, set when the block ends without an exception.
        counts: Table name to the rows appended to it so far.
    """

    def __init__(self, directory: Path, tables: Iterable[str] = tuple(COLUMNS)) -> None:
        """Prepare a sink; nothing is written before the ``with`` block starts.

        Args:
            directory: The output directory; created when missing.
            tables: The tables written even if never appended to, empty but for their header
                (a contract table's columns; none for another).
        """
        self.directory = Path(directory)
        self.paths: list[Path] = []
        self.counts: dict[str, int] = {}
        self._tables = list(tables)
        self._dtypes: dict[str, dict[str, Dtype]] = {}
        self._pending: dict[str, list[pd.DataFrame]] = {}
        self._targets: list[Path] = []
        # Two stacks, so that every writer is closed (the last rows flushed) before the first
        # temporary is renamed: a failure while finishing any file then replaces none.
        self._temps = ExitStack()
        self._open = ExitStack()

    def __enter__(self) -> Sink:
        ensure_folder(self.directory)
        self._guard(self._start)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self._discard(exc_type, exc, tb)
            return
        self._guard(self._complete)
        self._temps.close()
        self.paths = list(self._targets)

    def append(self, tables: Mapping[str, pd.DataFrame]) -> None:
        """Add rows to some of the tables: one document's, or a batch's.

        The frames may be held until their batch is written: do not change them afterwards.

        Args:
            tables: Table name to frame, typed as :func:`planx.dataset.frame` builds them.
                A table's first frame fixes its columns (the contract's first, of the
                contract's dtypes); later frames are reindexed to them, a missing column
                becoming empty.

        Raises:
            ValueError: A frame has a column that its table's first frame did not have.
        """
        for name, df in tables.items():
            pending = self._pending.setdefault(name, [])
            pending.append(self._conform(name, df))
            self.counts[name] = self.counts.get(name, 0) + len(df)
            if len(pending) >= BATCH_FRAMES or sum(map(len, pending)) >= BATCH_ROWS:
                self._flush(name)

    def _conform(self, name: str, df: pd.DataFrame) -> pd.DataFrame:
        """``df`` with the columns of ``name``'s first frame; a first frame adds the table."""
        dtypes = self._dtypes.get(name)
        if dtypes is None:
            dtypes = self._dtypes[name] = column_dtypes(name, df)
            self._add_table(name, dtypes)
        if list(df.columns) == list(dtypes):
            return df
        unknown = [c for c in df.columns if c not in dtypes]
        if unknown:
            raise ValueError(f"Table {name!r}: column {unknown[0]!r} is not among the columns its first "
                             f"frame fixed ({', '.join(dtypes)}); give every frame of a table its columns.")
        return cast(df, dtypes)

    def _flush(self, name: str) -> None:
        """Write the frames of ``name`` held so far as one typed batch."""
        frames = self._pending.pop(name)
        self._write(name, cast(pd.concat(frames, ignore_index=True), self._dtypes[name]))

    def _temp(self, path: Path, *, directory: bool = False) -> Path:
        """A temporary file (or directory) for ``path``, put in its place when the sink closes cleanly."""
        tmp = self._temps.enter_context(atomic_directory(path) if directory else atomic_path(path))
        self._targets.append(path)
        return tmp

    def _start(self) -> None:
        """Open what the format needs before the first table; nothing by default."""

    def _add_table(self, name: str, dtypes: dict[str, Dtype]) -> None:
        """Make room for table ``name``, whose columns and dtypes are now fixed."""
        raise NotImplementedError

    def _write(self, name: str, df: pd.DataFrame) -> None:
        """Write a batch of table ``name``, of exactly the columns and dtypes it was added with."""
        raise NotImplementedError

    def _finish(self) -> None:
        """Finish the format's files once every table is written; nothing by default."""

    def _complete(self) -> None:
        """Give every table never appended its empty file, write what is held, and close."""
        self.append({name: typed(name, pd.DataFrame()) for name in self._tables if name not in self._dtypes})
        for name in list(self._pending):
            self._flush(name)
        self._finish()
        self._open.close()

    def _guard(self, step: Callable[[], None]) -> None:
        """Run ``step``; if it raises, discard every temporary before the error propagates."""
        try:
            step()
        except BaseException:
            self._discard(*sys.exc_info())
            raise

    def _discard(self, exc_type, exc, tb) -> None:
        """Close the writers and remove the temporaries, passing them the error that stopped us."""
        try:
            self._open.__exit__(exc_type, exc, tb)
        finally:
            self._temps.__exit__(exc_type, exc, tb)


def ensure_folder(folder: str | Path) -> Path:
    """Create ``folder`` and its missing parents, or say in one line what stands in the way.

    Args:
        folder: The folder to write into.

    Returns:
        ``folder``, as a Path.

    Raises:
        ExtractError: A file sits where the folder or one of its parents should be, or the
            folder cannot be created (no permission, a read-only disk).

    Example:
        >>> import tempfile
        >>> ensure_folder(Path(tempfile.mkdtemp()) / "review" / "pages").is_dir()
        True
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocker = next((path for path in (folder, *folder.parents) if path.is_file()), folder)
        raise ExtractError(f"{blocker}: is a file, not a folder; choose another path, or move the file") from None
    except OSError as err:
        raise ExtractError(f"{folder}: cannot be created ({err.strerror}); choose another path, "
                           "or make its parent writable") from None
    return folder


class TableFile(Protocol):
    """Writes one table's rows into one file, a batch at a time.

    A format's class is called with the (temporary) path and the table's dtypes (column name
    to dtype, in order), and writes the file's header, if it has one, there.
    """

    def write(self, df: pd.DataFrame) -> None:
        """Append a batch of the table, of exactly the columns and dtypes given when opened."""

    def close(self) -> None:
        """Finish the file (a footer, say) and close it."""


class TextTableFile:
    """A :class:`TableFile` on a text file held open across batches; subclasses write rows.

    Attributes:
        columns: The table's columns.
        handle: The open file.
    """

    #: The file's encoding.
    encoding = "utf-8"

    def __init__(self, path: Path, dtypes: Mapping[str, Dtype]) -> None:
        self.columns = [str(c) for c in dtypes]
        # newline="": the text written is the bytes written; each format picks its line ends.
        self.handle = open(path, "w", encoding=self.encoding, newline="")

    def close(self) -> None:
        self.handle.close()


class TableFilesSink(Sink):
    """The sink of a format with one file per table, ``<table><suffix>``."""

    def __init__(self, directory: Path, tables: Iterable[str] = tuple(COLUMNS), *, suffix: str,
                 table_file: Callable[[Path, Mapping[str, Dtype]], TableFile]) -> None:
        """Prepare a sink whose files are opened by each table's first append.

        Args:
            directory: The output directory.
            tables: As for :class:`Sink`.
            suffix: The files' suffix, with its dot.
            table_file: Opens one table's (temporary) file, given its path and dtypes.
        """
        super().__init__(directory, tables)
        self._suffix = suffix
        self._table_file = table_file
        self._files: dict[str, TableFile] = {}

    def _add_table(self, name: str, dtypes: dict[str, Dtype]) -> None:
        tmp = self._temp(self.directory / f"{name}{self._suffix}")
        self._files[name] = self._open.enter_context(closing(self._table_file(tmp, dtypes)))

    def _write(self, name: str, df: pd.DataFrame) -> None:
        self._files[name].write(df)
