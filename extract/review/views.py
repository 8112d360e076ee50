"""Small tables derived from a dataset for looking at it: targets counted by the policy tool
of their measure.

These are views for notebooks, not part of the output contract; ``planx compare``
(:func:`planx.compare`) lines indicators up across plans.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

NO_MEASURE = "（不属于措施）"
UNCLASSIFIED = "（未分类）"


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
