"""Line up one indicator across plans: targets, reported results and the ratios between them.

:func:`compare` turns the ``documents`` and ``targets`` tables of ``planx extract`` into one
tidy table with a row per indicator key, document, kind (target or achieved) and year. Keys
that share a member (国家标准 and 国家标准、行业标准; 鲁班奖 and 鲁班奖等国家级优质工程奖) get
one ``indicator_group``, so they sit together, but a ratio is only computed within one key.

Two ratios, each against a target set for the same key and year (the *reference*):

* ``escalation_ratio`` on a target row: this target ÷ the parent region's target (层层加码;
  above 1 a city asks more than its province). For counts and totals it is the region's share
  of the parent's figure.
* ``attainment_ratio`` on an achieved row: this result ÷ the target another plan of the same
  region set for that year, or failing that the parent region's target.

A document's level and parent come from ``documents.region_code`` (GB/T 2260, looked up in
the gazetteer): a city's parent is its province, a county's its city, else its province. A
ratio needs units that are the same or convert (``comparable_units`` in
``rules/indicators.yaml``); where it cannot be computed the cell is empty and ``note`` says why.
No value is invented. A row's ``year`` is its stated target year, else the plan's last year
for a target, or the year before the plan for a result the plan reports, and ``year_basis``
says which.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping

import pandas as pd

from . import rules
from .indicator_keys import indicator_key, key_members
from .writers.xlsx import display_width

#: The columns of the compare table, in order.
COLUMNS = ["indicator_group", "indicator_key", "doc_id", "region", "region_code", "level", "period_start",
           "period_end", "kind", "year", "year_basis", "value", "value_max", "unit", "comparator",
           "baseline_value", "baseline_year", "indicator", "target_ids", "reference_doc_id", "reference_region",
           "reference_relation", "reference_value", "reference_unit", "escalation_ratio", "attainment_ratio", "note"]
_INTEGERS = {"period_start", "period_end", "year", "baseline_year"}
_FLOATS = {"value", "value_max", "baseline_value", "reference_value", "escalation_ratio", "attainment_ratio"}
# Rows of one year sort province first, then city, then the county-level kinds, then documents
# without a known region.
_LEVEL_ORDER = {"province": 0, "city": 1}
_COUNTY_LEVEL = 2
_NO_LEVEL = 3
_RATIO_DIGITS = 4
_COMPARATOR_SIGNS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "~": "~", "=": "", "range": ""}


def compare(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The compare table of an extraction.

    Args:
        tables: At least ``documents`` and ``targets`` as ``planx extract`` writes them. A
            target whose ``indicator_key`` is empty gets one from its ``indicator``; a key
            already there (edited by hand, say) is kept.

    Returns:
        One row per indicator key, document, kind, year and value, with the columns of
        :data:`COLUMNS`; groups found in most documents first.

    Example:
        Suzhou's reported 2020 result against the province's target for 2020:

        >>> import planx
        >>> tables = planx.run(["corpus/jiangsu-quality-opinion-2016.txt", "corpus/suzhou-quality-plan-14fyp.txt"])
        >>> lineup = planx.compare(tables)
        >>> columns = ["doc_id", "kind", "year", "value", "attainment_ratio"]
        >>> lineup[lineup.indicator_key == "制造业质量竞争力指数"][columns]
                                 doc_id      kind  year  value  attainment_ratio
        3  jiangsu-quality-opinion-2016    target  2020   88.0              <NA>
        4     suzhou-quality-plan-14fyp  achieved  2020  92.51            1.0513
    """
    levels = _gazetteer_levels()
    documents = {doc["doc_id"]: _document(doc, levels) for doc in _records(tables["documents"])}
    observations = _observations(_records(tables["targets"]), documents)
    _add_groups(observations)
    _add_references(observations)
    observations.sort(key=_sort_key(observations))
    frame = pd.DataFrame(observations, columns=COLUMNS)
    return frame.astype({c: "Int64" if c in _INTEGERS else "Float64" if c in _FLOATS else "string" for c in COLUMNS})


def render(frame: pd.DataFrame, shared_only: bool = True) -> str:
    """The compare table as text for a terminal, CJK characters counted two columns wide.

    Args:
        frame: A table made by :func:`compare`.
        shared_only: Show only the groups found in more than one document.

    Returns:
        The aligned table and a line saying what was left out.

    Example:
        >>> import planx
        >>> from planx.comparison import compare, render
        >>> tables = planx.run(["corpus/jiangsu-quality-opinion-2016.txt", "corpus/suzhou-quality-plan-14fyp.txt"])
        >>> lineup = compare(tables)
        >>> print(render(lineup[lineup.indicator_group == "制造业质量竞争力指数"]))
        group           key                   region  document                kind      year  value  baseline
            reference  escalation  attainment
        ---...
        制造业质量竞争…  制造业质量竞争力指数  江苏省  jiangsu-quality-opini…  target    2020  88
                                              苏州市  suzhou-quality-plan-1…  achieved  2020  92.51
            江苏省 88                1.05
        <BLANKLINE>
        2 rows in 1 groups
    """
    documents_per_group = frame.groupby("indicator_group")["doc_id"].nunique()
    shared = documents_per_group[documents_per_group > 1].index
    shown = frame[frame["indicator_group"].isin(shared)] if shared_only else frame
    headers = ["group", "key", "region", "document", "kind", "year", "value", "baseline", "reference",
               "escalation", "attainment"]
    # Terminal columns per cell: the long ones (key, document) are cut with … rather than wrapped.
    widths = [16, 26, 8, 22, 8, 6, 14, 10, 16, 10, 10]
    lines = [_text_row(headers, widths), _text_row(["-" * w for w in widths], widths)]
    previous = (None, None)
    for row in _records(shown):
        group, key = row["indicator_group"], row["indicator_key"]
        # A group, and a key within it, are printed only where they change, so a lineup reads as a block.
        lineup = [group if group != previous[0] else "", key if (group, key) != previous else ""]
        lines.append(_text_row(lineup + _text_cells(row), widths))
        previous = (group, key)
    left_out = len(documents_per_group) - len(shared) if shared_only else 0
    footer = f"{len(shown)} rows in {shown['indicator_group'].nunique()} groups"
    if left_out:
        footer += f"; {left_out} groups found in one document only are not shown (--all shows them)"
    return "\n".join(lines + ["", footer])


def _records(frame: pd.DataFrame) -> list[dict]:
    """The rows of ``frame`` as dicts of plain values, None for every kind of null."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _document(doc: dict, levels: Mapping[str, str]) -> dict:
    """What :func:`compare` needs of a ``documents`` row: region, level, period, issue year."""
    code = doc.get("region_code")
    issue_date = doc.get("issue_date") or ""
    return {
        "doc_id": doc["doc_id"], "region": doc.get("region"), "region_code": code, "level": _level(code, levels),
        "period_start": doc.get("period_start"), "period_end": doc.get("period_end"),
        "issue_year": int(issue_date[:4]) if issue_date[:4].isdigit() else None,
    }


def _level(code: str | None, levels: Mapping[str, str]) -> str | None:
    """The level of the division ``code``: the gazetteer's, else read from the code's zeros."""
    if not _is_code(code):
        return None
    known = levels.get(code)
    if known:
        return known
    if code.endswith("0000"):
        return "province"
    return "city" if code.endswith("00") else "county"


def _gazetteer_levels() -> dict[str, str]:
    """Admin code → level, from the divisions and the hand additions of the gazetteer."""
    rows = rules.load("gazetteer/divisions.csv") + rules.load("gazetteer/additions.csv")
    return {row["admin_code"]: row["level"] for row in rows if row.get("admin_code")}


def _is_code(code: str | None) -> bool:
    return isinstance(code, str) and len(code) == 6 and code.isdigit()


def _ancestor_codes(code: str | None) -> list[str]:
    """The codes above ``code``, nearest first: 320505 → 320500, 320000 (GB/T 2260)."""
    if not _is_code(code):
        return []
    above = [code[:4] + "00", code[:2] + "0000"]
    return [c for c in dict.fromkeys(above) if c != code]


def _observations(targets: list[dict], documents: dict[str, dict]) -> list[dict]:
    """Target rows merged into observations: one per key, document, kind, year and amount.

    A plan often states one target twice (in its text and in its indicator table, 6家（次） and
    6个（次）); those rows are one observation that lists both wordings and target ids.
    """
    same: dict[tuple, list[dict]] = defaultdict(list)
    for row in targets:
        key = row.get("indicator_key") or indicator_key(row.get("indicator"))
        if not key or row.get("value") is None:
            continue
        year, basis = _year(row, documents.get(row["doc_id"]) or {})
        upper = row.get("value_max")
        amount = (_in_common_unit(row["value"], row.get("unit")),
                  None if upper is None else _in_common_unit(upper, row.get("unit")), row.get("comparator"))
        same[(key, row["doc_id"], row["kind"], year, basis, amount)].append(row)
    return [_observation(key, year, basis, rows, documents.get(doc_id) or {})
            for (key, doc_id, _, year, basis, _), rows in same.items()]


def _year(row: dict, document: dict) -> tuple[int | None, str]:
    """The year a row's value is for, and how it is known (``year_basis``).

    A target with no year of its own falls due at the end of its plan. A result with no year,
    in a plan issued by the start of its period, is that plan's report on the previous period
    (发展成效 of a 十四五 plan: 2020). A result in any other document keeps no year.
    """
    if row.get("target_year") is not None:
        return int(row["target_year"]), "stated"
    start, end, issued = document.get("period_start"), document.get("period_end"), document.get("issue_year")
    if row.get("kind") == "target" and end is not None:
        return int(end), "plan end"
    if row.get("kind") == "achieved" and start is not None and (issued is None or issued <= start):
        return int(start) - 1, "before plan"
    return None, ""


def _observation(key: str, year: int | None, basis: str, rows: list[dict], document: dict) -> dict:
    """One observation of ``rows`` (same key, document, kind, year and amount); the first row's
    wording of the amount is kept."""
    first = rows[0]
    baseline_value, baseline_year, note = _baseline(rows)
    return {
        "indicator_key": key, "doc_id": first["doc_id"], "region": document.get("region"),
        "region_code": document.get("region_code"), "level": document.get("level"),
        "period_start": document.get("period_start"), "period_end": document.get("period_end"),
        "kind": first["kind"], "year": year, "year_basis": basis, "value": first["value"],
        "value_max": first.get("value_max"), "unit": first.get("unit"), "comparator": first.get("comparator"),
        "baseline_value": baseline_value, "baseline_year": baseline_year,
        "indicator": " | ".join(dict.fromkeys(r.get("indicator") or "" for r in rows)),
        "target_ids": " ".join(r.get("target_id") or "" for r in rows),
        "note": note,
    }


def _baseline(rows: list[dict]) -> tuple[float | None, int | None, str]:
    """The baseline value and year ``rows`` agree on, or none and a note when they differ."""
    baselines = list(dict.fromkeys((r.get("baseline_value"), r.get("baseline_year")) for r in rows
                                   if r.get("baseline_value") is not None))
    if len(baselines) > 1:
        return None, None, "baselines differ: " + ", ".join(_amount(value, None) for value, _ in baselines)
    return (*baselines[0], "") if baselines else (None, None, "")


def _add_groups(observations: list[dict]) -> None:
    """Set ``indicator_group``: keys sharing a member are one group, named by the member most
    of its keys contain (then the shortest, then the first in code-point order)."""
    keys = sorted({obs["indicator_key"] for obs in observations})
    members = {key: key_members(key) for key in keys}
    parent = {key: key for key in keys}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    first_with: dict[str, str] = {}
    for key in keys:
        for member in members[key]:
            other = first_with.setdefault(member, key)
            parent[root(key)] = root(other)
    how_many = Counter(member for key in keys for member in members[key])
    names: dict[str, str] = {}
    component_members: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        component_members[root(key)].update(members[key])
    for component, candidates in component_members.items():
        names[component] = min(candidates, key=lambda m: (-how_many[m], len(m), m))
    for obs in observations:
        obs["indicator_group"] = names[root(obs["indicator_key"])]


def _add_references(observations: list[dict]) -> None:
    """Fill the reference columns and the ratio of every observation that has a reference."""
    targets_at: dict[tuple, list[dict]] = defaultdict(list)
    for obs in observations:
        if obs["kind"] == "target" and obs["year"] is not None and obs["region_code"]:
            targets_at[(obs["indicator_key"], obs["year"], obs["region_code"])].append(obs)
    for obs in observations:
        for code, relation in _reference_regions(obs):
            candidates = [t for t in targets_at.get((obs["indicator_key"], obs["year"], code), ())
                          if t["doc_id"] != obs["doc_id"]]
            if candidates:
                _set_reference(obs, candidates, relation)
                break


def _reference_regions(obs: dict) -> list[tuple[str, str]]:
    """Where a reference target may come from, in order of preference.

    A result is measured against its own region's earlier plan first; any row may be measured
    against the nearest region above it that has a plan.
    """
    if obs["year"] is None or obs["kind"] not in ("target", "achieved"):
        return []
    above = [(code, "parent region") for code in _ancestor_codes(obs["region_code"])]
    return ([(obs["region_code"], "same region")] if obs["kind"] == "achieved" else []) + above


def _set_reference(obs: dict, candidates: list[dict], relation: str) -> None:
    """Record the reference of ``obs`` and its ratio, or in ``note`` why there is none."""
    obs.update(reference_doc_id=" ".join(sorted({c["doc_id"] for c in candidates})),
               reference_region=candidates[0]["region"], reference_relation=relation)
    distinct = {_in_common_unit(c["value"], c["unit"]) for c in candidates}
    if len(distinct) > 1:
        amounts = ", ".join(_amount(c["value"], c["unit"]) for c in candidates)
        _add_note(obs, f"reference targets differ ({amounts}): no ratio")
        return
    reference = candidates[0]
    obs.update(reference_value=reference["value"], reference_unit=reference["unit"])
    ratio, why = _ratio(obs, reference)
    obs["escalation_ratio" if obs["kind"] == "target" else "attainment_ratio"] = ratio
    _add_note(obs, why)


def _ratio(obs: dict, reference: dict) -> tuple[float | None, str]:
    """``obs``'s value ÷ ``reference``'s in a common unit, and a note on it (or on its absence)."""
    value, unit = _in_common_unit(obs["value"], obs["unit"])
    reference_value, reference_unit = _in_common_unit(reference["value"], reference["unit"])
    if unit != reference_unit:
        return None, f"units differ ({obs['unit'] or 'none'} vs {reference['unit'] or 'none'}): no ratio"
    if reference_value == 0:
        return None, "reference target is 0: no ratio"
    ranged = obs["value_max"] is not None or reference["value_max"] is not None
    return round(value / reference_value, _RATIO_DIGITS), "ratio of the lower ends of a range" if ranged else ""


def _in_common_unit(value: float, unit: str | None) -> tuple[float, str]:
    """``value`` converted to the common unit of ``unit`` (``comparable_units``), and that unit."""
    common, factor = (rules.load("indicators").get("comparable_units") or {}).get(unit or "", (unit or "", 1))
    return value * factor, common


def _add_note(obs: dict, note: str) -> None:
    if note:
        obs["note"] = "; ".join(filter(None, [obs.get("note"), note]))


def _sort_key(observations: list[dict]):
    """Order rows: groups found in most documents first; within a group by year, level, key."""
    documents_per_group = defaultdict(set)
    for obs in observations:
        documents_per_group[obs["indicator_group"]].add(obs["doc_id"])

    def key(obs: dict) -> tuple:
        return (-len(documents_per_group[obs["indicator_group"]]), obs["indicator_group"], obs["year"] is None,
                obs["year"] or 0, _LEVEL_ORDER.get(obs["level"], _COUNTY_LEVEL if obs["level"] else _NO_LEVEL),
                obs["indicator_key"],
                obs["doc_id"], obs["kind"], obs["value"])

    return key


def _amount(value: float | None, unit: str | None) -> str:
    """A value as text: no trailing zeros, thousands grouped, unit after it."""
    if value is None:
        return ""
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return f"{text} {unit}" if unit else text


def _text_cells(row: dict) -> list[str]:
    """The cells of one compare row after its group and key, as :func:`render` shows them."""
    value = _COMPARATOR_SIGNS.get(row["comparator"] or "", "") + _amount(row["value"], None)
    if row["value_max"] is not None:
        value += "–" + _amount(row["value_max"], None)
    if row["unit"]:
        value += " " + row["unit"]
    reference = " ".join(filter(None, [row["reference_region"], _amount(row["reference_value"], row["reference_unit"])]))
    return [row["region"] or "", row["doc_id"], row["kind"], "" if row["year"] is None else str(row["year"]), value,
            _amount(row["baseline_value"], None), reference, _ratio_text(row["escalation_ratio"]),
            _ratio_text(row["attainment_ratio"])]


def _ratio_text(ratio: float | None) -> str:
    return "" if ratio is None else f"{ratio:.2f}"


def _text_row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(_fit(cell, width) for cell, width in zip(cells, widths)).rstrip()


def _fit(text: str, width: int) -> str:
    """``text`` cut with … to at most ``width`` columns and padded to exactly ``width``."""
    if display_width(text, cap=width + 1) > width:
        kept, used = [], 1
        for char in text:
            used += display_width(char)
            if used > width:
                break
            kept.append(char)
        text = "".join(kept) + "…"
    return text + " " * (width - display_width(text, cap=width))
