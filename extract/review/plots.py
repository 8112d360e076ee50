"""Charts of extracted rows, with Chinese labels drawn in a real CJK font.

matplotlib's default font (DejaVu Sans) has no Chinese glyphs: labels come out as empty boxes
with only a "Glyph missing" warning. :func:`use_cjk_font` points matplotlib at an installed
font that has the glyphs, and fails loudly when there is none. A font qualifies by what it
covers, not by its name: any face matplotlib's font manager knows (Noto CJK, WenQuanYi,
Source Han, AR PL …) that has a glyph for each of :data:`CJK_SAMPLE`. matplotlib is imported
inside the functions, so ``import planx.review`` works without it.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from ..errors import ExtractError

#: Characters a font must cover to draw the charts' labels: common ones, and simplified forms
#: (规, 划, 标, 数, 统, 计) that fonts made for Japanese or traditional Chinese alone lack.
CJK_SAMPLE = "中国目标值规划标数统计"
#: Words in a family name that mark a face made for simplified Chinese, preferred when several
#: faces cover the sample (they differ in regional glyph shapes, not in coverage).
SIMPLIFIED_MARKS = ("SC", "CN", "GB", "Hans")
_INSTALL = ("install one, for instance `apt-get install fonts-noto-cjk` (Debian/Ubuntu; "
            "fonts-wqy-microhei also works)")


def find_cjk_font() -> str:
    """The family name of an installed font that matplotlib can draw Chinese labels with.

    A family qualifies when its font file has a glyph for every character of
    :data:`CJK_SAMPLE`. Among those, a face for simplified Chinese comes first, then
    proportional before monospaced, sans before serif, and then the name in alphabetical order.

    Returns:
        A family name such as ``"Noto Sans CJK SC"`` or ``"WenQuanYi Micro Hei"``.

    Raises:
        ExtractError: no installed font covers Chinese; the message names a package to install.

    Example:
        >>> from matplotlib import font_manager
        >>> from planx.review import find_cjk_font
        >>> family = find_cjk_font()
        >>> any(f.name == family and covers_cjk(f.fname) for f in font_manager.fontManager.ttflist)
        True
    """
    from matplotlib import font_manager

    manager = font_manager.fontManager
    family = _best_cjk_family(manager.ttflist)
    if family is None:
        # matplotlib caches its font list on first use; a font installed after that is only
        # on disk, so add the files it finds there and look again.
        known = {font.fname for font in manager.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in known:
                _add_font(manager, path)
        family = _best_cjk_family(manager.ttflist)
    if family is None:
        raise ExtractError(f"No installed font has Chinese glyphs, so chart labels cannot be drawn; {_INSTALL}")
    return family


def _add_font(manager, path: str) -> None:
    """Add a font file to matplotlib's list, skipping files FreeType cannot read."""
    try:
        manager.addfont(path)
    except (OSError, RuntimeError, ValueError):
        pass  # not a font FreeType reads (a broken or unsupported file): it cannot qualify anyway


def _best_cjk_family(fonts) -> str | None:
    """The preferred family among ``fonts`` (font manager entries) whose files cover Chinese."""
    families = {font.name for font in fonts if covers_cjk(font.fname)}
    return min(families, key=_preference, default=None)


def _preference(family: str) -> tuple[bool, bool, bool, str]:
    words = family.split()
    return (not any(mark in words for mark in SIMPLIFIED_MARKS), "Mono" in words, "Serif" in words, family)


@lru_cache(maxsize=None)
def covers_cjk(path: str) -> bool:
    """Whether the font file at ``path`` has a glyph of its own for every character of :data:`CJK_SAMPLE`.

    Only the file's first face is read, the one matplotlib draws with. A last-resort font
    (matplotlib ships one) maps every character of a script to one placeholder box, so the
    characters must map to as many distinct glyphs as there are distinct characters.

    Example:
        >>> import matplotlib
        >>> from pathlib import Path
        >>> fonts = Path(matplotlib.get_data_path()) / "fonts/ttf"
        >>> covers_cjk(str(fonts / "DejaVuSans.ttf")), covers_cjk(str(fonts / "LastResortHE-Regular.ttf"))
        (False, False)
    """
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(path)
    except (OSError, RuntimeError, ValueError):
        return False
    glyphs = {font.get_char_index(ord(char)) for char in set(CJK_SAMPLE)}
    return 0 not in glyphs and len(glyphs) == len(set(CJK_SAMPLE))


def use_cjk_font() -> str:
    """Make matplotlib draw text in a CJK font (:func:`find_cjk_font`) from now on.

    Returns:
        The family name now first in ``rcParams["font.sans-serif"]``.

    Raises:
        ExtractError: no installed font covers Chinese; the message names a package to install.

    Example:
        >>> import matplotlib as mpl
        >>> from planx.review import use_cjk_font
        >>> with mpl.rc_context():
        ...     family = use_cjk_font()
        ...     mpl.rcParams["font.sans-serif"][0] == family
        True
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
        counts: documents × policy tools, as :func:`planx.review.targets_by_policy_tool`
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
