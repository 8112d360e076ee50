"""Plain text in UTF-8 (with or without BOM), UTF-16 or GB18030/GBK, detected from the bytes."""

from __future__ import annotations

from pathlib import Path

import regex

from ..errors import IngestError
from ..model import Block, RawDocument



def decode(path: Path, data: bytes) -> str:
    """Decode text bytes: a BOM first, then strict UTF-8, UTF-16 that reads as text, GB18030
    (a superset of GBK and GB2312).

    Raises:
        IngestError: when no encoding decodes the bytes cleanly.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    utf16 = _as_utf16(data)
    if utf16 is not None:
        return utf16
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        # Big5 and other double-byte encodings decode as GB18030 too, into private-use
        # characters that GBK text hardly ever holds: mojibake, not the document.
        if len(_PRIVATE_USE.findall(text)) <= len(text) // 100:
            return text
    raise IngestError(path, "is not text in UTF-8, UTF-16 or GB18030",
                      "re-save it as UTF-8 (or check it is not a binary file)")


_PRIVATE_USE = regex.compile(r"\p{Co}")
_PLAUSIBLE = regex.compile(r"[\p{Han}\p{P}\p{Zs}\x20-\x7e\n\r\t\u3000-\u303f\uff00-\uffef]")


def _as_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: the byte order whose decoding reads as Chinese text, if any.

    GB18030 decodes nearly any bytes, so UTF-16 is tried first and kept only when almost
    every character is Han, punctuation or ASCII.
    """
    if len(data) % 2:
        return None
    best = None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        share = len(_PLAUSIBLE.findall(text)) / max(len(text), 1)
        if share > 0.95 and (best is None or share > best[0]):
            best = (share, text)
    return best[1] if best else None


def read(path: Path, data: bytes) -> RawDocument:
    text = decode(path, data)
    if "\x00" in text:
        raise IngestError(path, "looks like a binary file, not text", "check the file's real format")
    return RawDocument(blocks=blocks_of(text), format="txt")


def blocks_of(text: str) -> list[Block]:
    """One paragraph block per line of ``text``, whatever its line ends."""
    return [Block("paragraph", line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
