"""DuckDB: one database, ``planx.duckdb``, with every table and views that join them.

Views (each created when the tables it reads were written):

- ``targets_with_documents``: every target with its document's title (``document_title``),
  issuer, region, region code and plan period.
- ``targets_with_measures``: every target with its measure's title (``measure_title``) and
  policy tool; a target outside any measure keeps empty measure columns.
- ``responsible_areas``: the areas named as responsible for a measure.

Every contract table and column carries a comment from :mod:`planx.schema`, its meaning and
allowed values: ``SELECT table_name, column_name, comment FROM duckdb_columns()``.

Query it with ``duckdb planx.duckdb`` or ``duckdb.connect("planx.duckdb", read_only=True)``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa

from ..schema import Column, tables
from .common import Dtype, arrow_schema, arrow_table, typed
from .sink import Sink as BaseSink

DATABASE = "planx.duckdb"
SUFFIX = ".duckdb"

# View name -> (tables it reads, its query); a view is created when its tables are written.
# Left joins: a target without a document or measure row is still listed, with the joined
# columns empty.
VIEWS: dict[str, tuple[set[str], str]] = {
    "targets_with_documents": ({"targets", "documents"}, """
        SELECT t.*, d.title AS document_title, d.issuer, d.region, d.region_code,
               d.period_start, d.period_end
        FROM targets AS t LEFT JOIN documents AS d USING (doc_id)"""),
    "targets_with_measures": ({"targets", "measures"}, """
        SELECT t.*, m.title AS measure_title, m.policy_tool
        FROM targets AS t
        LEFT JOIN measures AS m ON m.doc_id = t.doc_id AND m.measure_id = t.measure_id"""),
    "responsible_areas": ({"areas"}, "SELECT * FROM areas WHERE responsible"),
}


def _quote(name: str) -> str:
    """``name`` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    """``text`` as an SQL string literal (COMMENT ON takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def _column_comment(column: Column) -> str:
    """A column's meaning, then its allowed values where it has a closed set."""
    if not column.values:
        return column.meaning
    return f"{column.meaning} Allowed values: {column.values_text('; ')}."


class Sink(BaseSink):
    """Writes every table, then the views its tables allow, into ``directory/planx.duckdb``.

    A table is created, with its fixed types, when it is added; each batch is one insert.
    """

    def _start(self) -> None:
        # Imported here, not at the top: most runs write CSV and need not load DuckDB.
        import duckdb

        self._con = self._open.enter_context(duckdb.connect(str(self._temp(self.directory / DATABASE))))
        self._schemas: dict[str, pa.Schema] = {}

    def _add_table(self, name: str, dtypes: dict[str, Dtype]) -> None:
        # Created from the Arrow schema, not from rows: a column all null in the first batch
        # would otherwise get whatever type DuckDB guesses for it.
        schema = self._schemas[name] = arrow_schema(dtypes)
        self._run_on(f"CREATE TABLE {_quote(name)} AS SELECT * FROM _rows", schema.empty_table())
        self._comment(name)

    def _comment(self, name: str) -> None:
        """Comment table ``name`` and its contract columns with what the schema says of them."""
        table = tables().get(name)
        if table is None:  # a table outside the contract, such as compare's, has no entry
            return
        self._con.execute(f"COMMENT ON TABLE {_quote(name)} IS {_literal(table.meaning)}")
        for column in table.columns:
            target = f"{_quote(name)}.{_quote(column.name)}"
            self._con.execute(f"COMMENT ON COLUMN {target} IS {_literal(_column_comment(column))}")

    def _write(self, name: str, df: pd.DataFrame) -> None:
        self._run_on(f"INSERT INTO {_quote(name)} SELECT * FROM _rows", arrow_table(df, self._schemas[name]))

    def _run_on(self, statement: str, rows: pa.Table) -> None:
        """Run ``statement``, in which ``_rows`` names ``rows``."""
        self._con.register("_rows", rows)
        self._con.execute(statement)
        self._con.unregister("_rows")

    def _finish(self) -> None:
        for view, (needs, query) in VIEWS.items():
            if needs <= self._schemas.keys():
                self._con.execute(f"CREATE VIEW {_quote(view)} AS {query}")


def read(directory: Path) -> dict[str, pd.DataFrame]:
    """Read every table (not the views) of ``directory/planx.duckdb``.

    Args:
        directory: A directory written by :class:`Sink`.

    Returns:
        Table name to typed frame, by name.
    """
    import duckdb

    with duckdb.connect(str(Path(directory) / DATABASE), read_only=True) as con:
        names = [row[0] for row in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() ORDER BY table_name"
        ).fetchall()]
        tables = {}
        for name in names:
            result = con.execute(f"SELECT * FROM {_quote(name)}")
            columns = [column[0] for column in result.description]
            # fetchall gives plain Python values, so a whole-number column with nulls stays int.
            tables[name] = typed(name, pd.DataFrame(result.fetchall(), columns=columns, dtype=object))
        return tables
