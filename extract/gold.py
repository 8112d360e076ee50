"""Gold records: their fields, the review page's exports, and merging exports into a gold folder.

A gold folder holds one JSON Lines file per table (``targets.jsonl`` …), in the format
``tests/gold/README.md`` gives: every record has ``doc``, ``quote`` and ``optional``, then its
table's :data:`FIELDS`. ``planx evaluate`` scores an output directory against such a folder.

The review page (``planx review``) exports a researcher's corrections as one JSON Lines file:
a header line ``{"planx_review_export": 1, "documents": [...]}`` that counts, per document,
the rows shown and reviewed, then one gold record per line with a ``table`` field.
:func:`merge_into` (``planx gold merge``) folds exports into a folder.

Two records are *the same item* when they have the same table, document and key field
(:data:`~planx.evaluate.KEYS`: a target's indicator, an area's name …) and one's quote
contains the other's, both read as normalised text: a hand-made quote (a phrase of the file
as given) and the page's (the sentence as planx reads it) then meet. Where the sources of an
item (the folder and each export) give it different fields, the merge refuses it unless
``prefer`` says which source wins: no researcher's judgement is overwritten silently.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ExtractError
from .evaluate import KEYS, TABLES
from .normalise import normalise_text
from .schema import tables as schema_tables
from .writers.common import atomic_path

#: Each table's gold fields in the order a gold file writes them, after doc, quote and optional.
#: Every one is a column of the contract's table of that name, with its type and allowed values.
FIELDS = {
    "targets": ("kind", "indicator", "value", "value_max", "unit", "comparator", "target_year", "baseline_value",
                "baseline_year"),
    "deadlines": ("text", "kind", "start_year", "end_year"),
    "areas": ("area", "canonical", "level", "parent", "admin_code", "responsible"),
    "agencies": ("agency", "role"),
    "measures": ("section", "title", "policy_tool"),
}
#: Fields a gold record may leave out: policy tools were annotated for some documents only.
MAY_LACK = {"measures": frozenset({"policy_tool"})}
#: The key of an export's header line; its value is the export format's version.
EXPORT_MARK = "planx_review_export"
EXPORT_VERSION = 1
_COMMON = ("doc", "quote", "optional")
_PYTHON_TYPES = {"string": (str,), "number": (int, float), "integer": (int,), "boolean": (bool,)}
_EXPORT_FIX = "export it again from the review page, or correct that line"
_FOLDER_FIX = "correct that line (tests/gold/README.md gives the format)"


@dataclass(frozen=True)
class GoldRecord:
    """One gold record and where it was read.

    Attributes:
        table: The table it belongs to, one of :data:`~planx.evaluate.TABLES`.
        fields: ``doc``, ``quote``, ``optional`` and the table's :data:`FIELDS`, in that order.
        source: The file it was read from.
        line: Its line number there.
        text: The line as read, so that a folder's records are written back byte for byte.
    """

    table: str
    fields: dict
    source: str
    line: int
    text: str

    def values(self) -> tuple:
        """What two sources must agree on: everything but the quote, which only locates the item."""
        return tuple(self.fields.get(name) for name in ("optional", *FIELDS[self.table]))

    def json_line(self) -> str:
        """The record as a line of a gold file."""
        return self.text or json.dumps(self.fields, ensure_ascii=False)


@dataclass
class Export:
    """A review page's export: its header's per-document counts and its records."""

    path: str
    documents: list[dict]
    records: list[GoldRecord]


def check_record(table: str, record: object, where: str, fix: str = _EXPORT_FIX) -> dict:
    """``record``'s gold fields in gold-file order, once they are checked against the format.

    Args:
        table: The table the record belongs to.
        record: A parsed JSON value.
        where: ``file line N``, for the message.
        fix: What the message tells the reader to do.

    Returns:
        ``doc``, ``quote``, ``optional``, then the table's fields.

    Raises:
        ExtractError: one line naming the place, the problem and ``fix``: the record is no
            object, lacks a field or has an unknown one, or a value has the wrong type or is
            none of its column's allowed values.

    Example:
        >>> from planx.gold import check_record
        >>> record = {"doc": "plan", "quote": "江苏省", "optional": False, "agency": "省政府", "role": "lead"}
        >>> list(check_record("agencies", record, "a.jsonl line 1"))
        ['doc', 'quote', 'optional', 'agency', 'role']
        >>> check_record("agencies", {**record, "role": "boss"}, "a.jsonl line 1")
        Traceback (most recent call last):
        ...
        planx.errors.ExtractError: a.jsonl line 1: role 'boss' is none of lead, support, responsible; export it again from the review page, or correct that line
    """
    def fail(problem: str) -> ExtractError:
        return ExtractError(f"{where}: {problem}; {fix}")

    if not isinstance(record, dict):
        raise fail(f"a gold record is a JSON object, not {type(record).__name__}")
    names = (*_COMMON, *FIELDS[table])
    unknown = [name for name in record if name not in names]
    if unknown:
        raise fail(f"unknown field {unknown[0]!r} in a record of {table} (it has {', '.join(names)})")
    missing = [name for name in names if name not in record and name not in MAY_LACK.get(table, ())]
    if missing:
        raise fail(f"a record of {table} needs {', '.join(missing)}")
    for name in ("doc", "quote", KEYS[table]):
        if not isinstance(record[name], str) or not record[name].strip():
            raise fail(f"{name} must be non-empty text")
    if not isinstance(record["optional"], bool):
        raise fail("optional must be true or false")
    columns = schema_tables()[table]
    for name in FIELDS[table]:
        value, column = record.get(name), columns.column(name)
        if value is None:
            continue
        # A JSON true is a Python int too: no boolean passes as a number.
        if not isinstance(value, _PYTHON_TYPES[column.type]) or (isinstance(value, bool) and column.type != "boolean"):
            raise fail(f"{name} {value!r} is not {'an' if column.type == 'integer' else 'a'} {column.type}")
        if column.values and value not in column.values:
            raise fail(f"{name} {value!r} is none of {', '.join(column.values)}")
    return {name: record[name] for name in names if name in record}


def read_export(path: str | Path) -> Export:
    """Read a review page's export: an optional header line, then gold records with ``table``.

    Raises:
        ExtractError: the file cannot be read, is not JSON Lines, or a record is malformed
            (see :func:`check_record`); one line naming the file, the line and the fix.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from planx.gold import read_export
        >>> path = Path(tempfile.mkdtemp()) / "plan.gold.jsonl"
        >>> _ = path.write_text('{"planx_review_export": 1, "documents": []}\\n'
        ...     '{"table": "agencies", "doc": "plan", "quote": "省政府负责", "optional": false, '
        ...     '"agency": "省政府", "role": "responsible"}\\n', encoding="utf-8")
        >>> [(r.table, r.fields["agency"]) for r in read_export(path).records]
        [('agencies', '省政府')]
    """
    export = Export(str(path), [], [])
    for position, (number, _text, value) in enumerate(_json_lines(path, _EXPORT_FIX)):
        where = f"{path} line {number}"
        if isinstance(value, dict) and EXPORT_MARK in value:
            if position:
                raise ExtractError(f"{where}: an export's header must be its first line; {_EXPORT_FIX}")
            if value[EXPORT_MARK] != EXPORT_VERSION:
                raise ExtractError(f"{where}: export format {value[EXPORT_MARK]!r}, but this planx reads "
                                   f"{EXPORT_VERSION}; merge it with the planx version whose page made it")
            export.documents = [d for d in value.get("documents", []) if isinstance(d, dict)]
            continue
        table = value.get("table") if isinstance(value, dict) else None
        if table not in TABLES:
            raise ExtractError(f"{where}: a record's table must be one of {', '.join(TABLES)}, not {table!r}; "
                               f"{_EXPORT_FIX}")
        fields = check_record(table, {k: v for k, v in value.items() if k != "table"}, where)
        export.records.append(GoldRecord(table, fields, str(path), number, ""))
    return export


def read_gold(folder: str | Path) -> list[GoldRecord]:
    """Every record of a gold folder's table files, table by table; none for a missing file.

    Raises:
        ExtractError: a file is not JSON Lines or holds a malformed record.

    Example:
        >>> from planx.gold import read_gold
        >>> records = read_gold("tests/gold")
        >>> records[0].table, records[0].fields["doc"], records[0].line
        ('targets', 'suzhou-quality-plan-14fyp', 1)
    """
    records = []
    for table in TABLES:
        path = Path(folder) / f"{table}.jsonl"
        if path.exists():
            records += [GoldRecord(table, check_record(table, value, f"{path} line {number}", _FOLDER_FIX), str(path),
                                   number, text)
                        for number, text, value in _json_lines(path, _FOLDER_FIX)]
    return records


def _json_lines(path: str | Path, fix: str) -> Iterable[tuple[int, str, object]]:
    """``(line number, line, parsed value)`` of each non-blank line of ``path``."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise ExtractError(f"{path}: not UTF-8 text; {fix}") from None
    except OSError as err:
        raise ExtractError(f"{path}: cannot be read ({err.strerror or err}); check the path") from None
    for number, text in enumerate(lines, 1):
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as err:
            raise ExtractError(f"{path} line {number}: not JSON ({err.msg}); a gold file has one JSON object "
                               f"a line: {fix}") from None
        yield number, text.strip(), value


@dataclass
class TableCounts:
    """What a merge did to one table of the folder.

    Attributes:
        added: Records the folder lacked, now written.
        replaced: The folder's records put aside for an export's (``prefer``).
        already_there: Export records the folder (or an earlier export) already held.
        overruled: Export records that lost to another source's (``prefer``).
        total: Records the table holds after the merge.
    """

    added: int = 0
    replaced: int = 0
    already_there: int = 0
    overruled: int = 0
    total: int = 0


@dataclass
class MergeReport:
    """What :func:`merge_into` did: per table counts, and each export's reviewing counts."""

    tables: dict[str, TableCounts] = field(default_factory=dict)
    exports: list[Export] = field(default_factory=list)


class Conflict(ExtractError):
    """Sources give one gold item different fields, and ``prefer`` does not settle it."""


def merge_into(folder: str | Path, exports: Sequence[str | Path], prefer: str | None = None) -> MergeReport:
    """Fold review exports into the gold folder ``folder`` (created when missing).

    Sources are taken in order: the folder, then ``exports`` as given. An item that one source
    gives is written as it gives it; one that several give alike is written once. Where they
    differ, ``prefer`` picks the source that wins: ``"first"`` or ``"last"`` of the sources
    that give the item, or an export's path (for the items that export gives). Nothing is
    written unless every conflict is settled; each table file that changes is replaced
    atomically, its earlier records kept line for line and new ones appended.

    Args:
        folder: The gold folder.
        exports: Files the review page exported.
        prefer: ``first``, ``last``, an export's path, or None to refuse any conflict.

    Returns:
        The counts per table and the exports read.

    Raises:
        ExtractError: an export or a gold file is malformed, or ``prefer`` names no export.
        Conflict: two sources disagree on an item and ``prefer`` does not settle it; the
            message names the first such item, the two sources and the field.

    Example:
        >>> import json, tempfile
        >>> from pathlib import Path
        >>> from planx.gold import merge_into
        >>> folder = Path(tempfile.mkdtemp())
        >>> record = {"table": "deadlines", "doc": "plan", "quote": "到2025年", "optional": False,
        ...           "text": "到2025年", "kind": "by", "start_year": None, "end_year": 2025}
        >>> _ = (folder / "a.jsonl").write_text(json.dumps(record) + "\\n", encoding="utf-8")
        >>> _ = (folder / "b.jsonl").write_text(json.dumps({**record, "end_year": 2030}) + "\\n", encoding="utf-8")
        >>> merge_into(folder / "gold", [folder / "a.jsonl"]).tables["deadlines"].added
        1
        >>> merge_into(folder / "gold", [folder / "b.jsonl"])  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        planx.gold.Conflict: ...gives end_year 2025, .../b.jsonl line 1 gives end_year 2030; pass --prefer ...
        >>> merge_into(folder / "gold", [folder / "b.jsonl"], prefer="last").tables["deadlines"].replaced
        1
    """
    folder = Path(folder)
    twice = [p for n, p in enumerate(exports) if Path(p).resolve() in {Path(q).resolve() for q in exports[:n]}]
    if twice:
        raise ExtractError(f"{twice[0]} is given twice; name each export once")
    read = [read_export(path) for path in exports]
    winner_of = _prefer(prefer, [export.path for export in read])
    # Source 0 is the folder, then each export in the order given.
    entries = [(0, r) for r in read_gold(folder)] + [(n, r) for n, e in enumerate(read, 1) for r in e.records]
    report = MergeReport(exports=read)
    conflicts: list[str] = []
    lines: dict[str, list[str]] = {}
    for table in TABLES:
        own = [(source, record) for source, record in entries if record.table == table]
        counts = TableCounts()
        placed: list[tuple[int, GoldRecord]] = []  # (position in the merged order, record)
        for item in _items([record for _, record in own]):
            by_source: dict[int, list[GoldRecord]] = defaultdict(list)
            for n in item:
                by_source[own[n][0]].append(own[n][1])
            given = dict(sorted(by_source.items()))
            if len({_multiset(rs) for rs in given.values()}) == 1:
                winner = next(iter(given))
            else:
                winner = winner_of(list(given))
                if winner is None:
                    conflicts.append(_conflict_line(table, given, prefer))
                    continue
            _count(counts, given, winner)
            # The folder's records keep their lines; an export's take the place of the item's first.
            placed += ([(n, own[n][1]) for n in item if own[n][0] == 0] if winner == 0
                       else [(min(item), record) for record in given[winner]])
        counts.total = len(placed)
        report.tables[table] = counts
        lines[table] = [record.json_line() for _, record in sorted(placed, key=lambda p: p[0])]
    if conflicts:
        first = conflicts[0] if len(conflicts) == 1 else f"{len(conflicts)} conflicting items; the first: {conflicts[0]}"
        raise Conflict(first)
    for table, table_lines in lines.items():
        counts = report.tables[table]
        if counts.added or counts.replaced:
            path = folder / f"{table}.jsonl"
            with atomic_path(path) as tmp:
                tmp.write_text("".join(line + "\n" for line in table_lines), encoding="utf-8")
    return report


def _prefer(prefer: str | None, exports: list[str]):
    """The rule picking an item's winning source from the sources giving it (0 the folder, n the n-th export)."""
    if prefer is None:
        return lambda given: None
    if prefer == "first":
        return lambda given: given[0]
    if prefer == "last":
        return lambda given: given[-1]
    named = [n for n, path in enumerate(exports, 1) if Path(path).resolve() == Path(prefer).resolve()]
    if not named:
        raise ExtractError(f"--prefer {prefer} names none of the exports; give first, last or one of "
                           f"{', '.join(exports)}")
    return lambda given: named[0] if named[0] in given else None


def _items(records: list[GoldRecord]) -> list[list[int]]:
    """The records (by position) grouped into items: same document and key, quotes containing one another.

    Containment is not transitive, so the groups are the connected parts of that relation.
    """
    parent = list(range(len(records)))

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    by_key: dict[tuple, list[int]] = defaultdict(list)
    for n, record in enumerate(records):
        by_key[record.fields["doc"], normalise_text(record.fields[KEYS[record.table]])].append(n)
    for members in by_key.values():
        quotes = {n: normalise_text(records[n].fields["quote"]) for n in members}
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if quotes[a] in quotes[b] or quotes[b] in quotes[a]:
                    parent[root(a)] = root(b)
    items: dict[int, list[int]] = defaultdict(list)
    for n in range(len(records)):
        items[root(n)].append(n)
    return sorted(items.values(), key=min)


def _multiset(records: list[GoldRecord]) -> frozenset:
    """What a source gives for an item, each distinct record with how often it gives it.

    A record given twice is two items: a document may say the same thing twice in the same
    words (a table's heading, repeated where the table goes on), and gold then has it twice.
    """
    return frozenset(Counter(r.values() for r in records).items())


def _count(counts: TableCounts, given: dict[int, list[GoldRecord]], winner: int) -> None:
    """Add one item's outcome to the counts; source 0 is the folder."""
    if winner != 0:
        if 0 in given:
            counts.replaced += len(given[0])
        else:
            counts.added += len(given[winner])
    kept = _multiset(given[winner])
    for source, records in given.items():
        if source not in (0, winner):
            if _multiset(records) == kept:
                counts.already_there += len(records)
            else:
                counts.overruled += len(records)


def _conflict_line(table: str, given: dict[int, list[GoldRecord]], prefer: str | None) -> str:
    """One line naming an item that sources disagree on, how they differ, and the fix."""
    first, *others = given.values()
    other = next(rs for rs in others if _multiset(rs) != _multiset(first))
    first_values, other_values = {r.values() for r in first}, {r.values() for r in other}
    # A record of each side that the other side lacks, where there is one.
    a = next((r for r in first if r.values() not in other_values), first[0])
    b = next((r for r in other if r.values() not in first_values), other[0])
    differ = next((name for name in ("optional", *FIELDS[table]) if a.fields.get(name) != b.fields.get(name)), None)
    if differ is None:
        how = f"{a.source} gives it {len(first)} times, {b.source} {len(other)} times"
    else:
        how = (f"{a.source} line {a.line} gives {differ} {_shown(a.fields.get(differ))}, "
               f"{b.source} line {b.line} gives {differ} {_shown(b.fields.get(differ))}")
    fix = ("pass --prefer first, last or one of the export files to say which wins" if prefer is None else
           f"--prefer {prefer} does not settle it (that file does not give this item); pass --prefer first or last")
    return f"{a.fields['doc']} {table} {KEYS[table]} {a.fields[KEYS[table]]!r} (quote {a.fields['quote']!r}): {how}; {fix}"


def _shown(value) -> str:
    return json.dumps(value, ensure_ascii=False)
