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


def header_fields(lines: list[str]) -> dict[str, str]:
    """The facts a source's labelled header lines give (标题：…, 发文单位：…): fact → value.
    Several labels may share a line (发文机关：国务院 成文日期：2018年11月16日); a label that names
    no fact (索引号) only ends the value before it.

    Example:
        >>> header_fields(["标题：2023年保定市政府工作报告", "发文时间：未知", "正文："])
        {'title': '2023年保定市政府工作报告', 'issue_date': '未知'}
    """
    names = _config()["header_fields"]
    label = rules.pattern("metadata", "header_label")
    found: dict[str, str] = {}
    for line in lines[: _config()["title_search_lines"]]:
        labels = list(label.finditer(line))
        if not labels or labels[0].start() != 0:
            continue
        for here, after in zip(labels, [*labels[1:], None]):
            fact = names.get("".join(here.group("label").split()))
            value = line[here.end() : after.start() if after else len(line)].strip()
            if fact and value:
                found.setdefault(fact, value)
    return found


def find_meeting(lines: list[str]) -> tuple[bool, str]:
    """Whether the text is a report delivered to a congress (its meeting line), and the
    meeting's date (ISO; ``""`` when the text gives none) from that line or a bracketed date
    on one of the next lines."""
    meeting = rules.pattern("metadata", "meeting_line")
    for i, line in enumerate(lines[: _config()["meeting_search_lines"]]):
        match = meeting.match(line)
        if not match:
            continue
        if match.group("date"):
            return True, parse_date(match.group("date"))
        for later in lines[i + 1 : i + 4]:
            bracketed = rules.pattern("metadata", "bracketed_date").match(later)
            if bracketed and parse_date(bracketed.group("date")):
                return True, parse_date(bracketed.group("date"))
        return True, ""
    return False, ""


def find_title(doc: Doc, lines: list[str], header: dict[str, str]) -> str:
    """The header's title, else the first short line that names a kind of document, else a
    现就…提出…意见 phrase, else the file's title property."""
    if header.get("title"):
        return rules.pattern("metadata", "title_occasion").sub("", header["title"]).strip("《》 ")
    config = _config()
    kinds = rules.pattern("metadata", "title_kind")
    punctuation = rules.pattern("metadata", "title_punctuation")
    for line in lines[: config["title_search_lines"]]:
        if len(line) <= 60 and kinds.search(line) and not punctuation.search(line) and not line.startswith("《"):
            return line.strip("《》")
    opening = rules.pattern("metadata", "opening_title").match(text_of(doc)[:200])
    if opening:
        return opening.group("title").strip()
    phrase = rules.pattern("metadata", "title_phrase")
    match = phrase.search(text_of(doc)[:3000])
    issuer = find_issuer(lines, header)
    if match:
        return f"{issuer}关于{match.group('topic')}的{match.group('kind')}"
    return str((doc._.properties or {}).get("title") or "").strip()


def find_issuer(lines: list[str], header: dict[str, str]) -> str:
    """The organisation issuing the document: the header's, the signature's (a line of its
    own above the date at the end), the government a report's speaker heads, else the one a
    关于… title opens with."""
    if header.get("issuer"):
        return header["issuer"]
    org = rules.pattern("metadata", "issuer")
    tail = lines[-6:]
    for i, line in enumerate(tail):
        if org.fullmatch(line) and i + 1 < len(tail) and parse_date(tail[i + 1]):
            return line
    speaker = rules.pattern("metadata", "speaker_government")
    for line in [header.get("speaker", ""), *lines[: _config()["meeting_search_lines"]]]:
        match = speaker.match(line)
        if match:
            return f"{match.group('place')}人民政府"
    before_about = rules.pattern("metadata", "issuer_before_about")
    for line in [*lines[:3], header.get("title", ""), *lines[3 : _config()["title_search_lines"]]]:
        match = before_about.match(line)
        if match:
            return match.group("org")
    return ""


def parse_date(line: str) -> str:
    """``2016年7月7日``, ``二〇一六年七月七日`` or ``2016-07-07`` as ISO ``2016-07-07``; ``""``
    when not a date.

    Example:
        >>> parse_date("二〇一六年七月七日"), parse_date("2006/2/15"), parse_date("未知")
        ('2016-07-07', '2006-02-15', '')
    """
    match = (rules.pattern("metadata", "date").fullmatch(line.strip())
             or rules.pattern("metadata", "iso_date").fullmatch(line.strip()))
    if not match:
        return ""
    year = "".join(str("〇一二三四五六七八九".index(ch)) if ch in "〇一二三四五六七八九" else ("0" if ch == "零" else ch)
                   for ch in match.group("y"))
    month, day = parse_number(match.group("m")), parse_number(match.group("d"))
    if month is None or day is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return ""
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def find_issue_date(lines: list[str], header: dict[str, str], meeting_date: str, issuer: str = "") -> str:
    """The meeting's date for a report, else the header's, else the date under the signature,
    else a date right after the issuer's name in a flattened header."""
    if meeting_date:
        return meeting_date
    if parse_date(header.get("issue_date", "")):
        return parse_date(header["issue_date"])
    for line in reversed(lines[-6:]):
        date = parse_date(line)
        if date:
            return date
    for line in lines[: _config()["title_search_lines"]] if issuer else ():
        if line.startswith(issuer):
            found = rules.pattern("metadata", "date_after_issuer").match(line, len(issuer))
            if found and parse_date(found.group("date")):
                return parse_date(found.group("date"))
    return ""


def find_period(doc: Doc, title: str, issue_date: str) -> tuple[int | None, int | None]:
    """The plan period: years in the title (or, with no title found, in the opening line), a
    five-year plan named in the title, else the five-year plan named in the text that
    contains the issue year."""
    years = rules.pattern("metadata", "period_years")
    found = years.search(title) or (None if title else years.search(text_of(doc).lstrip()[:200]))
    if found:
        return int(found.group("a")), int(found.group("b"))
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


def find_doc_number(doc: Doc, header: dict[str, str]) -> str:
    match = rules.pattern("metadata", "doc_number").search(header.get("doc_number", "") or text_of(doc)[:2000])
    return match.group(0) if match else ""


def document_type(title: str, meeting: bool) -> str:
    """The kind of document (rules/metadata.yaml document_types): a report delivered to a
    congress is a work report; else the first type whose pattern the title matches.

    Example:
        >>> document_type("苏州市“十四五”质量发展规划", False), document_type("", True)
        ('plan', 'work_report')
    """
    if meeting:
        return "work_report"
    for name in _config()["document_types"]:
        if rules.pattern("metadata", "document_types", name).search(title):
            return name
    return ""


def report_year(meeting_date: str, issue_date: str, title: str, period_start: int | None) -> int | None:
    """The document's clock (gold/README.md): the meeting's year, else the issue year, else a
    year in the title, else the period's first."""
    for date in (meeting_date, issue_date):
        if date:
            return int(date[:4])
    year = rules.pattern("metadata", "title_year").search(title)
    return int(year.group(0)) if year else period_start


@component("planx_metadata", assigns=tuple(f"doc._.{name}" for name in DOCUMENT_FACTS))
def describe(doc: Doc) -> Doc:
    """Set the document's facts: title, issuer, issue date, 文号, plan period, region, the
    meeting date of a report, the kind of document and its clock (the year it speaks in)."""
    lines = _lines(doc)
    header = header_fields(lines)
    meeting, meeting_date = find_meeting(lines)
    title = find_title(doc, lines, header)
    issuer = find_issuer(lines, header)
    issue_date = find_issue_date(lines, header, meeting_date, issuer)
    start, end = find_period(doc, title, issue_date)
    region, region_code = region_of(issuer or title) or region_of(title) or (None, None)
    facts = dict(title=title, issuer=issuer, issue_date=issue_date, doc_number=find_doc_number(doc, header),
                 period_start=start, period_end=end, region=region, region_code=region_code,
                 report_year=report_year(meeting_date, issue_date, title, start), meeting_date=meeting_date,
                 document_type=document_type(title, meeting))
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
