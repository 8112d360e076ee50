"""Charts of extracted rows, with Chinese labels drawn in a real CJK font.

matplotlib's default font (DejaVu Sans) has no Chinese glyphs: labels come out as empty boxes
with only a "Glyph missing" warning. :func:`use_cjk_font` points matplotlib at the Noto CJK
font that Debian's ``fonts-noto-cjk`` package installs, and fails loudly when it is absent.
matplotlib is imported inside the functions, so ``import extract.review`` works without it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import ExtractError

#: Preferred first: the Simplified Chinese face, then any other Noto CJK face (all faces
#: cover the same characters; they differ in regional glyph shapes).
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC")
_CJK_PREFIXES = ("Noto Sans CJK", "Noto Serif CJK")
_INSTALL = "install the Noto CJK fonts: `apt-get install fonts-noto-cjk` (Debian/Ubuntu package fonts-noto-cjk)"


def find_cjk_font() -> str:
    """The family name of an installed Noto CJK font that matplotlib can use.

    Returns:
        A family name such as ``"Noto Sans CJK SC"``.

    Raises:
        ExtractError: no Noto CJK font is installed; the message names ``fonts-noto-cjk``.
    """
    from matplotlib import font_manager

    family = _known_cjk_family(font_manager.fontManager)
    if family is None:
        # matplotlib caches its font list on first use; a font installed after that is only
        # on disk, so add the Noto CJK files it finds there and look again.
        for path in font_manager.findSystemFonts():
            if Path(path).name.startswith(("NotoSansCJK", "NotoSerifCJK")):
                font_manager.fontManager.addfont(path)
        family = _known_cjk_family(font_manager.fontManager)
    if family is None:
        raise ExtractError(f"No Noto CJK font found, so Chinese chart labels cannot be drawn; {_INSTALL}")
    return family


def _known_cjk_family(manager) -> str | None:
    names = {font.name for font in manager.ttflist}
    preferred = [name for name in CJK_FAMILIES if name in names]
    others = sorted(name for name in names if name.startswith(_CJK_PREFIXES) and "Mono" not in name)
    return next(iter(preferred + others), None)


def use_cjk_font() -> str:
    """Make matplotlib draw text in the Noto CJK font from now on.

    Returns:
        The family name now first in ``rcParams["font.sans-serif"]``.

    Raises:
        ExtractError: no Noto CJK font is installed; the message names ``fonts-noto-cjk``.

    Example:
        >>> from extract.review import use_cjk_font
        >>> use_cjk_font()
        'Noto Sans CJK SC'
    """
    import matplotlib as mpl

    family = find_cjk_font()
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["font.sans-serif"] = [family, *(f for f in mpl.rcParams["font.sans-serif"] if f != family)]
    return family


def plot_targets_vs_baselines(targets: pd.DataFrame, ax=None):
    """Each target as a multiple of its baseline, one bar per indicator, on a log scale.

    Targets of different units (%, 家, 张) cannot share an axis, so each is drawn relative to
    its own baseline (baseline = 100) and labelled with both numbers and the unit.

    Args:
        targets: Target rows; those without both ``value`` and a non-zero ``baseline_value``
            are left out.
        ax: A matplotlib Axes to draw on; a new figure when None.

    Returns:
        The Axes.
    """
    import matplotlib.pyplot as plt

    use_cjk_font()
    rows = targets[targets["value"].notna() & targets["baseline_value"].notna() & (targets["baseline_value"] != 0)]
    rows = rows.assign(index=100 * rows["value"] / rows["baseline_value"]).sort_values("index")
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 0.38 * len(rows) + 1.5))
    labels = [f"{r.indicator}（{r.unit}）" if isinstance(r.unit, str) else str(r.indicator)
              for r in rows.itertuples()]
    # Bars grow from the baseline, so a target below its baseline points left.
    bars = ax.barh(labels, rows["index"] - 100, left=100, color="#f2b705")
    ax.bar_label(bars, [f" {r.baseline_value:g} → {r.value:g}" for r in rows.itertuples()], fontsize=8)
    ax.set_xscale("log")
    ax.axvline(100, color="#5f6368", linewidth=0.8)
    ax.set_xlabel("目标值 / 基期值 × 100（对数坐标；基期 = 100）")
    ax.set_title("目标值与基期值")
    ax.margins(x=0.25)
    return ax


def plot_policy_tools(counts: pd.DataFrame, ax=None):
    """A stacked bar per document of how many targets each policy tool carries.

    Args:
        counts: documents × policy tools, as :func:`extract.review.targets_by_policy_tool`
            returns.
        ax: A matplotlib Axes to draw on; a new figure when None.

    Returns:
        The Axes.
    """
    import matplotlib.pyplot as plt

    use_cjk_font()
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 1.2 * len(counts) + 1.5))
    counts.plot.barh(stacked=True, ax=ax, colormap="Set2")
    ax.set_xlabel("目标数")
    ax.set_ylabel("")
    ax.set_title("按政策工具统计的目标（经由所属措施）")
    ax.legend(title="政策工具", loc="upper left", bbox_to_anchor=(1.01, 1))
    return ax
