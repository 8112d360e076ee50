"""Text normalisation, done once per block before any offset exists.

What it does, and why:

* full-width digits, Latin letters and the signs ``％ ＋ － ． ／ ＜ ＞ ＝`` become ASCII, so
  ``２０２５年`` and ``2025年`` read alike; Chinese punctuation (，。（）“”、～) is kept because
  units and indicators are written with it (``个（次）``);
* no-break, ideographic and other odd spaces become a plain space, runs of spaces fold to
  one and lines lose leading and trailing spaces (a leading tab is kept as one ``\\t``: text
  exports mark table cells with it);
* Word field codes (``TC 序言 \\* MERGEFORMAT``) and table-of-contents lines
  (``第一章 总则……3``) are removed;
* zero-width characters and control characters other than tab and newline are dropped;
* line breaks become ``\\n``.
"""

from __future__ import annotations

import regex

_FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})
_FULLWIDTH.update({"％": "%", "＋": "+", "－": "-", "．": ".", "／": "/", "＜": "<", "＞": ">", "＝": "="})
_SPACES = {c: " " for c in "\u00a0\u2002\u2003\u2009\u200a\u202f\u205f\u3000"}
_DROP = {c: None for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"}
_TABLE = str.maketrans({**_FULLWIDTH, **_SPACES, **_DROP})

# Code, not rules (these four): they clean file-format debris (Word field codes, TOC dot
# leaders, control characters, space runs), not the language of plans.
_FIELD_CODE = regex.compile(r"\s*\b(?:TC|TOC|PAGEREF|HYPERLINK|REF)\b[^\n]*?\\\*\s*MERGEFORMAT\s*")
_TOC_LINE = regex.compile(r"^.{1,60}?(?:\.{4,}|…{2,}|·{4,}|\s\.\s\.\s\.)\s*\d{1,4}$")
_CONTROL = regex.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACE_RUN = regex.compile(r" {2,}")


def normalise_line(line: str) -> str:
    """Normalise one line (no newline inside); may return ``""``."""
    tab = line.startswith("\t")
    line = line.translate(_TABLE)
    line = _FIELD_CODE.sub(" ", line)
    line = _CONTROL.sub(" ", line.replace("\t", " "))
    line = _SPACE_RUN.sub(" ", line).strip()
    if _TOC_LINE.match(line):
        return ""
    return "\t" + line if tab else line


def normalise_text(text: str) -> str:
    """Normalise a block of text line by line; line breaks become ``\\n``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return "\n".join(normalise_line(line) for line in text.split("\n"))


# Code, not a rule: which characters are ASCII letters or digits.
_ASCII_EDGE = regex.compile(r"[A-Za-z0-9]")


def normalise_inline(text: str) -> str:
    """Normalise text that must stay on one line (a table cell, a paragraph).

    Soft line breaks are joined without a space (a wrapped Chinese line has none), except
    between two Latin letters or digits.
    """
    parts = [p.strip() for p in text.replace("\r", "\n").replace("\t", " ").split("\n")]
    joined = ""
    for part in parts:
        if joined and part and _ASCII_EDGE.match(joined[-1]) and _ASCII_EDGE.match(part[0]):
            joined += " "
        joined += part
    return normalise_line(joined)
