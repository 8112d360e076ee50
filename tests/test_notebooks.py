"""The notebooks run top to bottom, are committed without outputs, and chart Chinese in a CJK font."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import pandas as pd
import pytest

from planx.errors import ExtractError

from .conftest import ROOT, require_module, unavailable

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
_TIMEOUT = 300  # seconds per cell; the corpus extracts in a few seconds


def test_the_notebooks_are_there():
    assert [p.name for p in NOTEBOOKS] == ["01-explore.ipynb", "02-compare.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path: Path):
    nbformat = require_module("nbformat", "nbformat")
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"{path.name}: strip the outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_without_errors(path: Path):
    nbformat = require_module("nbformat", "nbformat")
    nbclient = require_module("nbclient", "nbclient")
    require_module("ipykernel", "ipykernel")
    require_module("matplotlib", "matplotlib")
    nb = nbformat.read(path, as_version=4)
    if any("plot_" in cell.source for cell in nb.cells):  # planx.review.plots draws Chinese labels
        from planx.review import find_cjk_font

        try:
            find_cjk_font()
        except ExtractError as err:
            unavailable(str(err))
    # The notebooks find the corpus at ../corpus, as they do when Jupyter opens them.
    client = nbclient.NotebookClient(nb, timeout=_TIMEOUT, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError naming the cell on any error
    errors = [out for cell in nb.cells for out in cell.get("outputs", ()) if out.output_type == "error"]
    assert not errors
    assert any("text/html" in out.get("data", {}) or "image/png" in out.get("data", {})
               for cell in nb.cells for out in cell.get("outputs", ()))


@pytest.fixture
def cjk_rc():
    """matplotlib set to the CJK font inside an rc_context, so no other test sees the change."""
    mpl = require_module("matplotlib", "matplotlib")
    from planx.review import use_cjk_font

    with mpl.rc_context():
        try:
            family = use_cjk_font()
        except ExtractError as err:
            unavailable(str(err))
        yield family


def test_chart_labels_are_drawn_in_the_cjk_font(cjk_rc):
    import matplotlib as mpl
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties, findfont

    from planx.review import plot_targets_vs_baselines
    from planx.review.plots import covers_cjk

    targets = pd.DataFrame({"indicator": ["制造业产品质量合格率", "累计建成各类检验检测国家级中心"],
                            "unit": ["%", "家"], "value": [97.0, 20.0],
                            "baseline_value": [96.76, 15.0]})
    font = findfont(FontProperties(family=mpl.rcParams["font.family"]), fallback_to_default=False)
    assert covers_cjk(font), font
    figure = Figure()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plot_targets_vs_baselines(targets, ax=figure.subplots())
        png = io.BytesIO()
        figure.savefig(png, format="png")
    assert png.getvalue().startswith(b"\x89PNG")
    assert not [w for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)]
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert "制造业产品质量合格率（%）" in labels


def test_missing_cjk_font_names_the_package(monkeypatch):
    font_manager = require_module("matplotlib.font_manager", "matplotlib")
    from planx.review import find_cjk_font

    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    with pytest.raises(ExtractError, match="fonts-noto-cjk"):
        find_cjk_font()
