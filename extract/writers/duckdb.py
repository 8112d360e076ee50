"""DuckDB: one database, ``planx.duckdb``, with every table and views that join them.

Views (each created when the tables it reads were written):

- ``targets_with_documents``: every target with its document's title (``document_title``),
  issuer, region, region code and plan period.
- ``targets_with_measures``: every target with its measure's title (``measure_title``) and
  policy tool; a target outside any measure keeps empty measure columns.
- ``responsible_areas``: the areas named as responsible for a measure.

Query it with ``duckdb planx.duckdb`` or ``duckdb.connect("planx.duckdb", read_only=True)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from .common import atomic_path, typed

DATABASE = "planx.duckdb"
SUFFIX = ".duckdb"

# View name -> (tables it reads, its query). Left joins: a target without a document or
# measure row is still listed, with the joined columns empty.
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


def write(tables: Mapping[str, pd.DataFrame], directory: Path) -> list[Path]:
    """Write every table, and the views their tables allow, to ``directory/planx.duckdb``.

    Args:
        tables: Table name to frame; the name becomes the SQL table's name.
        directory: The output directory.

    Returns:
        The one path written.
    """
    # Imported here, not at the top: most runs write CSV and need not load DuckDB.
    import duckdb

    path = Path(directory) / DATABASE
    with atomic_path(path) as tmp, duckdb.connect(str(tmp)) as con:
        for name, df in tables.items():
            con.register("_frame", df)
            con.execute(f"CREATE TABLE {_quote(name)} AS SELECT * FROM _frame")
            con.unregister("_frame")
        for view, (needs, query) in VIEWS.items():
            if needs <= tables.keys():
                con.execute(f"CREATE VIEW {_quote(view)} AS {query}")
    return [path]


def read(directory: Path) -> dict[str, pd.DataFrame]:
    """Read every table (not the views) of ``directory/planx.duckdb``.

    Args:
        directory: A directory written by :func:`write`.

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
