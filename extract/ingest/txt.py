"""Plain text in UTF-8 (with or without BOM), UTF-16 or GB18030/GBK, detected from the bytes."""

from __future__ import annotations

from pathlib import Path

from ..errors import IngestError
from ..model import Block, RawDocument

# Tried in order; GB18030 is a superset of GBK and GB2312, and decodes most legacy files.
_ENCODINGS = ("utf-8", "gb18030")


def decode(path: Path, data: bytes) -> str:
    """Decode text bytes, trusting a BOM first, then strict UTF-8, then GB18030.

    Raises:
        IngestError: when no encoding decodes the bytes cleanly.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if _looks_utf16(data):
        return data.decode("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be")
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IngestError(path, "is not text in UTF-8, UTF-16 or GB18030",
                      "re-save it as UTF-8 (or check it is not a binary file)")


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: every other byte of ASCII-heavy text is zero."""
    sample = data[:400]
    return len(sample) >= 4 and (sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4)


def read(path: Path, data: bytes) -> RawDocument:
    text = decode(path, data)
    if "\x00" in text:
        raise IngestError(path, "looks like a binary file, not text", "check the file's real format")
    blocks = [Block("paragraph", line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return RawDocument(blocks=blocks, format="txt")
