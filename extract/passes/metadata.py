"""Document metadata: title, issuer, issue date, 发文字号, plan period and region.

Read from the text's own cues (a title line, a signature and date at the end, a 发文字号),
with file properties only as a fallback for the title. Values the text does not give stay
empty: a guessed issuer is worse than none.
"""

from __future__ import annotations

from spacy.tokens import Doc

from .. import rules
from ..document import DOCUMENT_FACTS, text_of
from ..factories import component
from .quantity import parse_number, rule_templates
from .places import region_of
from .timex import five_year_period


def _config() -> dict:
    return rules.load("metadata")


def _lines(doc: Doc) -> list[str]:
    return [ln.strip() for ln in text_of(doc).split("\n") if ln.strip()]


def find_title(doc: Doc, lines: list[str]) -> str:
    """The first short line that names a kind of document, else a 现就…提出…意见 phrase."""
    config = _config()
    kinds = rules.pattern("metadata", "title_kind")
    punctuation = rules.pattern("metadata", "title_punctuation")
    for line in lines[: config["title_search_lines"]]:
        if len(line) <= 60 and kinds.search(line) and not punctuation.search(line) and not line.startswith("《"):
            return line.strip("《》")
    phrase = rules.pattern("metadata", "title_phrase")
    match = phrase.search(text_of(doc)[:3000])
    issuer = find_issuer(doc, lines)
    if match:
        return f"{issuer}关于{match.group('topic')}的{match.group('kind')}"
    return str((doc._.properties or {}).get("title") or "").strip()


def find_issuer(doc: Doc, lines: list[str]) -> str:
    """The organisation signing the document (a line of its own above the date at the end)."""
    org = rules.pattern("metadata", "issuer")
    tail = lines[-6:]
    for i, line in enumerate(tail):
        if org.fullmatch(line) and i + 1 < len(tail) and parse_date(tail[i + 1]):
            return line
    before_about = rules.pattern("metadata", "issuer_before_about")
    for line in lines[:3]:
        match = before_about.match(line)
        if match:
            return match.group("org")
    return ""


def parse_date(line: str) -> str:
    """``2016年7月7日`` or ``二〇一六年七月七日`` as ISO ``2016-07-07``; ``""`` when not a date."""
    match = rules.pattern("metadata", "date").fullmatch(line.strip())
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


def find_period(doc: Doc, title: str, issue_date: str) -> tuple[int | None, int | None]:
    """The plan period: years in the title, a five-year plan named in the title, else the
    five-year plan named in the text that contains the issue year."""
    years = rules.pattern("metadata", "period_years").search(title)
    if years:
        return int(years.group("a")), int(years.group("b"))
    plan = rules.pattern("metadata", "title_plan").search(title)
    if plan and five_year_period(plan.group(0)):
        return five_year_period(plan.group(0))
    if issue_date:
        year = int(issue_date[:4])
        named = rules.pattern("metadata", "plan_in_text", template=rule_templates("time"))
        for match in named.finditer(text_of(doc)):
            period = five_year_period(match.group("fyp"))
            if period and period[0] <= year <= period[1]:
                return period
    return None, None


def find_doc_number(doc: Doc) -> str:
    match = rules.pattern("metadata", "doc_number").search(text_of(doc)[:2000])
    return match.group(0) if match else ""


@component("planx_metadata", assigns=tuple(f"doc._.{name}" for name in DOCUMENT_FACTS))
def describe(doc: Doc) -> Doc:
    """Set the document's facts: title, issuer, issue date, 文号, plan period, region and the
    year it reports on (its issue year, else the period's first)."""
    lines = _lines(doc)
    title = find_title(doc, lines)
    issuer = find_issuer(doc, lines)
    issue_date = find_issue_date(lines)
    start, end = find_period(doc, title, issue_date)
    region, region_code = region_of(issuer or title) or region_of(title) or (None, None)
    facts = dict(title=title, issuer=issuer, issue_date=issue_date, doc_number=find_doc_number(doc),
                 period_start=start, period_end=end, region=region, region_code=region_code,
                 report_year=int(issue_date[:4]) if issue_date else start)
    for name, value in facts.items():
        setattr(doc._, name, value)
    return doc


def documents_row(doc: Doc) -> dict:
    """The ``documents`` row: the document's facts and the file's."""
    return {
        "doc_id": doc._.doc_id, "title": doc._.title, "issuer": doc._.issuer, "issue_date": doc._.issue_date,
        "period_start": doc._.period_start, "period_end": doc._.period_end, "region": doc._.region,
        "region_code": doc._.region_code, "source_path": doc._.source_path, "format": doc._.format,
        "sha256": doc._.sha256, "chars": len(text_of(doc)), "doc_number": doc._.doc_number,
    }
