"""Ingestors: each turns one file into a :class:`~extract.model.RawDocument`.

:func:`read` sniffs the file's bytes (not its extension) to pick the ingestor, so a
``.txt`` that is really a Word file, or a ``.pdf`` that is HTML, is read as what it is or
reported clearly. Ingestors decide nothing about content: they report layout.
"""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path

from ..errors import IngestError
from ..model import RawDocument

SUPPORTED = (".txt", ".docx", ".doc", ".pdf", ".html", ".htm")


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
        data = path.read_bytes()
    except OSError as err:
        raise IngestError(path, f"cannot be read ({err.strerror})", "check the path and its permissions") from None
    if not data.strip():
        raise IngestError(path, "is empty", "re-download or re-export the document")
    kind = sniff(path, data[:512])
    if kind == "rtf":
        raise IngestError(path, "is an RTF file", "save it as .docx and run again")
    # Imported on demand: a batch of .txt files never pays for pdfplumber or python-docx.
    reader = importlib.import_module(f".{kind}", __name__).read
    raw = reader(path, data)
    if not any((b.text or b.rows) for b in raw.blocks):
        raise IngestError(path, "contains no text", "check that it is the right file")
    return raw, hashlib.sha256(data).hexdigest()
