"""Targets from indicator tables: one row per indicator and target column.

An indicator table is recognised by its header (指标, 单位, a baseline column such as
“十三五”末/2020年/基期/现状, a target column such as “十四五”末/2025年/目标); the unit comes
from the unit column or a header such as ``（亿元）``; ``≥97`` gives comparator and value.
"""

from __future__ import annotations

from .. import rules
from spacy.tokens import Doc, Span

from ..document import TABLES, table_grid, text_of
from .quantity import parse_quantity
from .timex import find_time_expressions

def _column(header: list[str], key: str) -> int | None:
    pattern = rules.pattern("targets", "table_columns", key)
    return next((i for i, text in enumerate(header) if pattern.search(text)), None)


def _header_year(text: str) -> int | None:
    years = [t.end_year for t in find_time_expressions(text) if t.end_year]
    return years[-1] if years else None


def year_columns(header: list[str], period: tuple[int | None, int | None]) -> tuple[list, list]:
    """``(baseline columns, target columns)`` as lists of ``(index, year)``."""
    baseline_words = rules.pattern("targets", "table_columns", "baseline")
    target_words = rules.pattern("targets", "table_columns", "target")
    dated = [(i, _header_year(text), text) for i, text in enumerate(header)]
    dated = [(i, y, t) for i, y, t in dated if y or target_words.search(t) or baseline_words.search(t)]
    if not dated:
        return [], []
    start = period[0]
    latest = max((y for _, y, _ in dated if y), default=None)
    baseline, target = [], []
    for i, year, text in dated:
        is_baseline = bool(baseline_words.search(text)) or (
            year is not None and ((start and year < start) or (not start and year != latest)))
        (baseline if is_baseline else target).append((i, year))
    return baseline, target


def _value(text: str, unit: str):
    """Parse a cell with its unit (magnitudes folded: ``1.5`` with ``万亿元``)."""
    text = text.strip()
    if not text or text in {"—", "-", "--", "/", "——", "无"}:
        return None
    return parse_quantity(text + unit) or parse_quantity(text)


def table_targets(doc: Doc) -> list[dict]:
    """Target rows from every indicator table in ``doc``."""
    rows = []
    for table in doc.spans[TABLES]:
        rows.extend(_table_rows(doc, table))
    return rows


def _table_rows(doc: Doc, table: Span) -> list[dict]:
    text = text_of(doc)
    grid = table_grid(doc, table)
    header = [text[c.start : c.end] for c in grid[0]]
    indicator_col = _column(header, "indicator")
    baseline_cols, target_cols = year_columns(header, (doc._.period_start, doc._.period_end))
    if indicator_col is None or not target_cols:
        return []
    unit_col = _column(header, "unit")
    unit_in_indicator = rules.pattern("targets", "unit_in_indicator")
    rows = []
    for cells in grid[1:]:
        indicator = text[cells[indicator_col].start : cells[indicator_col].end].strip()
        unit = text[cells[unit_col].start : cells[unit_col].end].strip() if unit_col is not None else ""
        header_unit = unit_in_indicator.search(indicator)
        if not unit and header_unit:
            unit = header_unit.group("unit")
        baseline = _first_value(text, cells, baseline_cols, unit)
        for col, year in target_cols:
            cell = cells[col]
            q = _value(text[cell.start : cell.end], unit)
            if q is None or not indicator:
                continue
            rows.append(_row(text, cell, indicator, q, unit, year, baseline))
    return rows


def _first_value(text: str, cells: list[Span], columns: list, unit: str):
    for col, year in columns:
        q = _value(text[cells[col].start : cells[col].end], unit)
        if q is not None:
            return q.value, year
    return None, None


def _row(text: str, cell: Span, indicator: str, q, unit: str, year, baseline) -> dict:
    return {
        "kind": "target", "indicator": indicator, "indicator_key": "", "value": q.value, "value_max": q.value_max,
        "unit": q.unit or unit, "comparator": q.comparator, "target_year": year,
        "baseline_value": baseline[0], "baseline_year": baseline[1] if baseline[0] is not None else None,
        "area": "", "start": cell.start, "end": cell.end, "rule": "table.indicator",
        "value_text": text[cell.start : cell.end],
    }
