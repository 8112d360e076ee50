"""planx's one logger, and the logging of the libraries it reads documents with.

planx logs to the ``planx`` logger (:data:`LOGGER`), and so, once :func:`route_libraries` has
run, do pdfminer, pdfplumber, trafilatura and its helpers, and jieba: pdfminer's ``Could not
get FontBBox from font descriptor…`` arrives there instead of on the terminal. The logger has
a :class:`logging.NullHandler`, so nothing is shown unless someone asks: ``planx --verbose``
does (:func:`show_on_stderr`), and so does an application's own logging configuration, since
records propagate to the root logger.

While a document is extracted, :func:`capture_library_warnings` keeps the libraries' warnings
instead of passing them on, so that a batch can count the documents that needed a workaround
and log their warnings once, in the process that writes the tables, wherever the document
was read (a worker process, a Dask worker).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: The logger every planx module and every routed library logs to.
LOGGER = logging.getLogger("planx")
LOGGER.addHandler(logging.NullHandler())

#: The libraries whose logging goes through :data:`LOGGER`: the readers' (PDF, web pages,
#: trafilatura's helpers) and the segmenter's.
LIBRARIES = ("pdfminer", "pdfplumber", "trafilatura", "htmldate", "courlan", "justext", "jieba")
# Below this level a library's records are dropped: pdfminer's debug records run to
# megabytes a PDF, and jieba sets its own logger to DEBUG.
LIBRARY_LEVEL = logging.WARNING

# The warnings of the document being extracted in this thread, or None when none is.
_captured: ContextVar[list[str] | None] = ContextVar("planx_captured_warnings", default=None)


class _ToPlanx(logging.Handler):
    """Hands a library's record to the capture in progress, else to :data:`LOGGER`."""

    def emit(self, record: logging.LogRecord) -> None:
        captured = _captured.get()
        if captured is None:
            LOGGER.handle(record)
        else:
            captured.append(f"{record.name}: {record.getMessage()}")


_TO_PLANX = _ToPlanx()


def route_libraries() -> None:
    """Send the logging of every library in :data:`LIBRARIES` through :data:`LOGGER`.

    Each library's own handlers are removed (jieba prints to stderr through one) and its
    records stop propagating to the root logger, so they reach the application once, through
    planx's logger. Cheap and idempotent: call it before using a library, since a library
    imported later (jieba) adds its handler back when imported.

    Example:
        >>> import logging
        >>> route_libraries()
        >>> logging.getLogger("pdfminer").propagate
        False
    """
    for name in LIBRARIES:
        library = logging.getLogger(name)
        if library.handlers == [_TO_PLANX]:
            continue
        for handler in list(library.handlers):
            library.removeHandler(handler)
        library.addHandler(_TO_PLANX)
        library.propagate = False
        library.setLevel(LIBRARY_LEVEL)


@contextmanager
def capture_library_warnings() -> Iterator[list[str]]:
    """Keep the warnings routed libraries log inside the block, instead of passing them on.

    Yields:
        The list the warnings are appended to, each as ``"logger name: message"``.

    Example:
        >>> import logging
        >>> route_libraries()
        >>> with capture_library_warnings() as warnings:
        ...     logging.getLogger("pdfminer.pdffont").warning("Could not get FontBBox")
        >>> warnings
        ['pdfminer.pdffont: Could not get FontBBox']
    """
    warnings: list[str] = []
    token = _captured.set(warnings)
    try:
        yield warnings
    finally:
        _captured.reset(token)


class _Stderr(logging.Handler):
    """Writes records to whatever ``sys.stderr`` is when they come (a test may swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:  # logging must never end the run; logging's own policy
            self.handleError(record)


class _Formatter(logging.Formatter):
    """``warning: message``, with the library's logger name when a library logged it."""

    def format(self, record: logging.LogRecord) -> str:
        source = "" if record.name.startswith(LOGGER.name) else f"{record.name}: "
        return f"{record.levelname.lower()}: {source}{record.getMessage()}"


def show_on_stderr(level: int = logging.INFO) -> Callable[[], None]:
    """Show :data:`LOGGER`'s records of ``level`` and above on stderr, until undone.

    Args:
        level: The least level shown.

    Returns:
        A function that removes the handler and restores the logger's level.

    Example:
        >>> undo = show_on_stderr()
        >>> LOGGER.getEffectiveLevel() == logging.INFO
        True
        >>> undo()
    """
    handler = _Stderr(level)
    handler.setFormatter(_Formatter())
    previous = LOGGER.level
    LOGGER.addHandler(handler)
    LOGGER.setLevel(level)

    def undo() -> None:
        LOGGER.removeHandler(handler)
        LOGGER.setLevel(previous)

    return undo
