"""Small tables derived from a dataset for looking at it: pairs of similar indicators across
two documents, and targets counted by the policy tool of their measure.

These are views for notebooks, not part of the output contract; ``planx compare`` is where a
full comparison of plans belongs.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..evaluate import similarity

_SHOWN = ["indicator", "value", "value_max", "unit", "comparator", "target_year"]
NO_MEASURE = "（不属于措施）"
UNCLASSIFIED = "（未分类）"


def match_indicators(targets: pd.DataFrame, left: str, right: str, threshold: float = 0.5) -> pd.DataFrame:
    """Pair the targets of two documents whose indicators are alike, one to one.

    Pairs are taken greedily, most similar first, with the string similarity that
    ``planx evaluate`` uses (containment, else the Dice coefficient of character bigrams).
    Only rows of kind ``target`` take part: achieved values are not goals.

    Args:
        targets: The targets table.
        left: The doc_id whose targets fill the ``_left`` columns.
        right: The doc_id whose targets fill the ``_right`` columns.
        threshold: The least similarity for a pair.

    Returns:
        One row per pair, most similar first: ``similarity`` then indicator, value,
        value_max, unit, comparator and target_year of each side.
    """
    goals = targets[targets["kind"] == "target"]
    a = goals[goals["doc_id"] == left].reset_index(drop=True)
    b = goals[goals["doc_id"] == right].reset_index(drop=True)
    scored = sorted(((similarity(x, y), i, j) for i, x in enumerate(a["indicator"].fillna(""))
                     for j, y in enumerate(b["indicator"].fillna(""))), key=lambda t: -t[0])
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for score, i, j in scored:
        if score < threshold:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((round(score, 2), i, j))
    columns = ["similarity", *(f"{c}_left" for c in _SHOWN), *(f"{c}_right" for c in _SHOWN)]
    return pd.DataFrame([[score, *a.loc[i, _SHOWN], *b.loc[j, _SHOWN]] for score, i, j in pairs], columns=columns)


def targets_by_policy_tool(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """How many targets each document has under each policy tool, through their measures.

    A target's policy tool is that of the measure it belongs to (``measure_id``); targets
    outside any measure (the goals chapter, indicator tables) and measures with no tool get
    their own columns, so nothing is silently dropped.

    Args:
        tables: The dataset, with ``targets`` and ``measures``.

    Returns:
        doc_id × policy tool counts (integers, 0 where none).
    """
    tools = tables["measures"].set_index("measure_id")["policy_tool"]
    targets = tables["targets"]
    tool = targets["measure_id"].map(tools).astype("string").fillna("")
    tool = tool.mask(tool == "", UNCLASSIFIED).mask(targets["measure_id"].isna(), NO_MEASURE)
    return pd.crosstab(targets["doc_id"], tool).rename_axis(index="doc_id", columns="policy_tool")
