"""Ingestors: each turns one file into a :class:`~planx.model.RawDocument`.

:func:`read` sniffs the file's bytes (not its extension) to pick the ingestor, so a
``.txt`` that is really a Word file, or a ``.pdf`` that is HTML, is read as what it is or
reported clearly. Ingestors decide nothing about content: they report layout.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from pathlib import Path

from ..errors import IngestError
from ..log import route_libraries
from ..model import RawDocument

SUPPORTED = (".txt", ".docx", ".doc", ".pdf", ".html", ".htm")
MiB = 1024 * 1024
#: The largest file read, by the format its bytes show; a larger one is refused before it is
#: read, so memory stays bounded. A plan's text is some tens of thousands of characters (well
#: under 1 MiB as .txt), and time and memory grow with the text: 4 MiB of .txt takes a minute
#: and 250 MB. Web pages carry markup as well, Word files and PDFs fonts and images.
MAX_BYTES = {"txt": 4 * MiB, "html": 10 * MiB, "docx": 64 * MiB, "doc": 64 * MiB, "pdf": 128 * MiB}


def sniff(path: Path, head: bytes) -> str:
    """The format the bytes say the file is: txt, docx, doc, pdf or html."""
    suffix = path.suffix.lower()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<?xml")) or (
        suffix in (".html", ".htm") and stripped.startswith(b"<")
    ):
        return "html"
    if suffix in (".html", ".htm"):
        return "html"
    return "txt"


def read(path: str | Path) -> tuple[RawDocument, str]:
    """Read ``path`` into blocks; returns the raw document and the file's sha256.

    Raises:
        IngestError: one line naming the file, the problem and the fix.
    """
    path = Path(path)
    if path.suffix.lower() not in SUPPORTED:
        raise IngestError(path, f"unsupported file type {path.suffix or '(none)'!r}",
                          "convert it to one of " + ", ".join(SUPPORTED))
    try:
        with path.open("rb") as handle:
            kind = sniff(path, handle.read(512))
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_BYTES.get(kind, size):
                raise IngestError(path, f"is {size / MiB:.1f} MiB, more than planx reads from one {kind} file "
                                        f"({MAX_BYTES[kind] // MiB} MiB)",
                                  "save the plan alone (its text, without attachments) or split the file")
            handle.seek(0)
            data = handle.read()
    except OSError as err:
        raise IngestError(path, f"cannot be read ({err.strerror})", "check the path and its permissions") from None
    if not data.strip():
        raise IngestError(path, "is empty", "re-download or re-export the document")
    if kind == "rtf":
        raise IngestError(path, "is an RTF file", "save it as .docx and run again")
    # Imported on demand: a batch of .txt files never pays for pdfplumber or python-docx.
    reader = importlib.import_module(f".{kind}", __name__).read
    # The readers' libraries (pdfminer's font warnings…) log through planx's logger, quiet
    # unless asked, rather than on the terminal.
    route_libraries()
    raw = reader(path, data)
    if not any((b.text or b.rows) for b in raw.blocks):
        raise IngestError(path, "contains no text", "check that it is the right file")
    return raw, hashlib.sha256(data).hexdigest()
