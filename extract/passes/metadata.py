"""Document metadata: title, issuer, issue date, 发文字号, plan period and region.

Read from the text's own cues (a title line, a signature and date at the end, a 发文字号),
with file properties only as a fallback for the title. Values the text does not give stay
empty: a guessed issuer is worse than none.
"""

from __future__ import annotations

import regex

from .. import rules
from ..model import Document
from ..passes import register_pass
from .quantity import parse_number
from .places import region_of
from .timex import five_year_period


def _config() -> dict:
    return rules.load("metadata")


def _lines(doc: Document) -> list[str]:
    return [ln.strip() for ln in doc.text.split("\n") if ln.strip()]


def find_title(doc: Document, lines: list[str]) -> str:
    """The first short line that names a kind of document, else a 现就…提出…意见 phrase."""
    config = _config()
    kinds = rules.pattern("metadata", "title_kind")
    for line in lines[: config["title_search_lines"]]:
        if len(line) <= 60 and kinds.search(line) and not regex.search(r"[。；，]", line) and not line.startswith("《"):
            return line.strip("《》")
    phrase = rules.pattern("metadata", "title_phrase")
    match = phrase.search(doc.text[:3000])
    issuer = find_issuer(doc, lines)
    if match:
        return f"{issuer}关于{match.group('topic')}的{match.group('kind')}"
    return str(doc.properties.get("title") or "").strip()


def find_issuer(doc: Document, lines: list[str]) -> str:
    """The organisation signing the document (a line of its own above the date at the end)."""
    org = rules.pattern("metadata", "issuer")
    tail = lines[-6:]
    for i, line in enumerate(tail):
        if org.fullmatch(line) and i + 1 < len(tail) and parse_date(tail[i + 1]):
            return line
    head = lines[:3]
    for line in head:
        match = regex.match(r"^(?P<org>.{2,30}?(?:人民政府|办公厅|办公室|委员会))关于", line)
        if match:
            return match.group("org")
    return ""


def parse_date(line: str) -> str:
    """``2016年7月7日`` or ``二〇一六年七月七日`` as ISO ``2016-07-07``; ``""`` when not a date."""
    match = regex.fullmatch(r"(?P<y>[0-9〇零一二三四五六七八九]{4})年(?P<m>[0-9一二三四五六七八九十]{1,3})月(?P<d>[0-9一二三四五六七八九十]{1,3})日", line.strip())
    if not match:
        return ""
    year = "".join(str("〇一二三四五六七八九".index(ch)) if ch in "〇一二三四五六七八九" else ("0" if ch == "零" else ch)
                   for ch in match.group("y"))
    month, day = parse_number(match.group("m")), parse_number(match.group("d"))
    if month is None or day is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return ""
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def find_issue_date(lines: list[str]) -> str:
    for line in reversed(lines[-6:]):
        date = parse_date(line)
        if date:
            return date
    return ""


def find_period(doc: Document, title: str, issue_date: str) -> tuple[int | None, int | None]:
    """The plan period: years in the title, a five-year plan named in the title, else the
    five-year plan named in the text that contains the issue year."""
    years = regex.search(r"(?P<a>(?:19|20)[0-9]{2})\s*[-—–～至到]\s*(?P<b>(?:19|20)[0-9]{2})年", title)
    if years:
        return int(years.group("a")), int(years.group("b"))
    plan = regex.search(r"十[一二三四五六七八九]?五|[一二三四五六七八九]五(?=[”\"」』]?(?:规划|计划|时期|期间))", title)
    if plan and five_year_period(plan.group(0)):
        return five_year_period(plan.group(0))
    if issue_date:
        year = int(issue_date[:4])
        for match in regex.finditer(r"“?(十[一二三四五六七八九]?五|[一二三四五六七八九]五)”?", doc.text):
            period = five_year_period(match.group(1))
            if period and period[0] <= year <= period[1]:
                return period
    return None, None


def find_doc_number(doc: Document) -> str:
    match = rules.pattern("metadata", "doc_number").search(doc.text[:2000])
    return match.group(0) if match else ""


@register_pass("metadata", "documents")
def describe(doc: Document) -> list[dict]:
    """The ``documents`` row for ``doc``; also stores period and region on ``doc.metadata``."""
    lines = _lines(doc)
    title = find_title(doc, lines)
    issuer = find_issuer(doc, lines)
    issue_date = find_issue_date(lines)
    start, end = find_period(doc, title, issue_date)
    region = region_of(issuer or title) or region_of(title) or (None, None)
    doc.metadata.update(
        title=title, issuer=issuer, issue_date=issue_date, period_start=start, period_end=end,
        region=region[0], region_code=region[1],
        year=int(issue_date[:4]) if issue_date else start,
    )
    return [{
        "title": title, "issuer": issuer, "issue_date": issue_date, "period_start": start, "period_end": end,
        "region": region[0], "region_code": region[1], "source_path": doc.source_path, "format": doc.format,
        "sha256": doc.sha256, "chars": len(doc.text), "doc_number": find_doc_number(doc),
    }]
