"""The output contract's schema: every table and column with its meaning, type and allowed values.

The schema is data, ``extract/schema.yaml``; this module reads it and renders it. The same
entries give :mod:`planx.dataset` its columns and dtypes, the writers their DuckDB comments,
XLSX "columns" sheet and Parquet types, and the repository its ``docs/columns.md``, which
``python -m planx.schema > docs/columns.md`` regenerates.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from .errors import ExtractError

SCHEMA_FILE = Path(__file__).with_name("schema.yaml")
#: The command that regenerates the docs page from the schema.
DOCS_COMMAND = "python -m planx.schema > docs/columns.md"
#: A column type -> the pandas dtype of its values in a frame. Dates stay ISO text in a frame,
#: so that every format reads back the same frame; Parquet and DuckDB store them as dates.
PANDAS_DTYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean", "date": "string"}


class SchemaError(ExtractError):
    """``extract/schema.yaml`` is malformed: the message names the table, column and fix."""


@dataclass(frozen=True)
class Column:
    """One column of a contract table.

    Attributes:
        table: The table's name.
        name: The column's name.
        type: One of :data:`PANDAS_DTYPES`' keys: string, integer, number, boolean or date.
        meaning: One sentence saying what a cell holds.
        values: The allowed values, each with its meaning; empty for a column without a
            closed set. An empty cell is allowed in every column.
    """

    table: str
    name: str
    type: str
    meaning: str
    values: dict[str, str] = field(default_factory=dict)

    def values_text(self, separator: str) -> str:
        """The allowed values with their meanings, ``value: meaning``, joined by ``separator``.

        Example:
            >>> tables()["deadlines"].column("kind").values_text("\\n").splitlines()[0]
            'by: done by a year (到2025年, “十四五”末)'
        """
        return separator.join(f"{value}: {meaning}" for value, meaning in self.values.items())


@dataclass(frozen=True)
class Table:
    """One contract table: what a row is, and its columns in order."""

    name: str
    meaning: str
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        """The column called ``name``.

        Example:
            >>> tables()["targets"].column("value").type
            'number'
        """
        return next(column for column in self.columns if column.name == name)


@cache
def tables() -> dict[str, Table]:
    """Every contract table, in the contract's order, read from ``extract/schema.yaml``.

    Example:
        >>> list(tables())[:2], [c.name for c in tables()["errors"].columns]
        (['documents', 'targets'], ['source_path', 'error'])
    """
    return parse_tables(_raw()["tables"])


@cache
def _raw() -> dict:
    """The schema file, parsed."""
    # libyaml's loader where PyYAML has it: every planx command reads the schema as it starts,
    # and the pure-Python loader takes three times as long.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(SCHEMA_FILE.read_text(encoding="utf-8"), Loader=loader)


def parse_tables(raw: dict) -> dict[str, Table]:
    """The tables of a schema's ``tables`` mapping, checked.

    Args:
        raw: Table name to ``{"meaning": ..., "columns": {column name: entry}}``, each entry
            with ``type``, ``meaning`` and, for a closed set, ``values``.

    Returns:
        Table name to table, in the mapping's order.

    Raises:
        SchemaError: a column has an unknown type, no meaning, a value that is not text, or
            another type than a column of the same name in another table.

    Example:
        >>> parse_tables({"errors": {"meaning": "Files not read.", "columns": {
        ...     "error": {"type": "string", "meaning": "What went wrong."}}}})["errors"].columns[0].type
        'string'
    """
    parsed = {name: _table(name, entry) for name, entry in raw.items()}
    _check_types_agree(parsed)
    return parsed


def _table(name: str, entry: dict) -> Table:
    columns = tuple(_column(name, column, spec) for column, spec in entry["columns"].items())
    return Table(name, entry["meaning"], columns)


def _column(table: str, name: str, spec: dict) -> Column:
    where = f"{SCHEMA_FILE}: {table}.{name}"
    if spec.get("type") not in PANDAS_DTYPES:
        raise SchemaError(f"{where} has type {spec.get('type')!r}; give one of {', '.join(PANDAS_DTYPES)}")
    if not spec.get("meaning"):
        raise SchemaError(f"{where} has no meaning; give it one sentence")
    values = spec.get("values") or {}
    # YAML reads an unquoted yes, no or 1 as a boolean or a number, never equal to a cell's text.
    odd = [value for value in values if not isinstance(value, str)]
    if odd:
        raise SchemaError(f"{where} has the value {odd[0]!r}, which YAML reads as no text; quote it")
    return Column(table, name, spec["type"], spec["meaning"], values)


def _check_types_agree(parsed: dict[str, Table]) -> None:
    """Raise SchemaError when two columns of one name have different types.

    A frame's dtypes go by column name (:func:`column_types`), whatever the table.
    """
    seen: dict[str, Column] = {}
    for table in parsed.values():
        for column in table.columns:
            first = seen.setdefault(column.name, column)
            if first.type != column.type:
                raise SchemaError(f"{SCHEMA_FILE}: {column.table}.{column.name} is {column.type} but "
                                  f"{first.table}.{first.name} is {first.type}; give columns of one name one type")


def column_types() -> dict[str, str]:
    """Column name -> its type, over every table (one name has one type everywhere).

    Example:
        >>> column_types()["issue_date"], column_types()["responsible"]
        ('date', 'boolean')
    """
    return {column.name: column.type for table in tables().values() for column in table.columns}


def markdown() -> str:
    """The docs page: every table with its columns' types, meanings and allowed values.

    Example:
        >>> print(markdown().splitlines()[2])
        # Columns
    """
    header = [f"<!-- Generated from extract/schema.yaml by `{DOCS_COMMAND}`: edit the YAML, not this page. -->",
              "",
              "# Columns",
              "",
              "The tables `planx extract` writes, each column in its order. The names and the order are fixed;",
              "more columns may follow them. An empty cell means unknown or not applicable, never 0 or a guess.",
              "",
              "| type | what it holds |",
              "|---|---|",
              *(f"| {name} | {_cell(text)} |" for name, text in _raw()["types"].items())]
    return "\n".join(header + [line for table in tables().values() for line in _table_markdown(table)]) + "\n"


def _table_markdown(table: Table) -> list[str]:
    rows = [f"| `{c.name}` | {c.type} | {_cell(c.meaning)} | {_values_markdown(c)} |" for c in table.columns]
    return ["", f"## {table.name}", "", table.meaning, "", "| column | type | meaning | allowed values |",
            "|---|---|---|---|", *rows]


def _values_markdown(column: Column) -> str:
    return "<br>".join(f"`{value}`: {_cell(meaning)}" for value, meaning in column.values.items())


def _cell(text: str) -> str:
    """``text`` safe inside a Markdown table cell."""
    return text.replace("|", "\\|")


if __name__ == "__main__":
    # UTF-8 and "\n" whatever the platform: the page must come out byte for byte as committed.
    sys.stdout.reconfigure(encoding="utf-8", newline="\n")
    sys.stdout.write(markdown())
