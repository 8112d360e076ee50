"""Every public function shows how it is called in an ``Example:`` that runs: the package's
functions (``planx.__all__``), the public functions of the modules a notebook uses, and
:func:`planx.rules.using`. The examples run from the repository root, so that they can name
``corpus/`` and ``tests/gold``, each with the globals of its module as ``python -m doctest``
gives them."""

from __future__ import annotations

import doctest
import importlib
import inspect
import sys
import tempfile

import pytest

import planx
from planx import rules

from .conftest import ROOT

#: The modules whose every public function is part of the documented API.
MODULES = ("planx.api", "planx.comparison", "planx.evaluate", "planx.gold", "planx.writers")


def _public_functions() -> dict[str, object]:
    """Qualified name -> function, each function once under its first name."""
    found = {f"planx.{name}": getattr(planx, name) for name in planx.__all__}
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        found.update({f"{module_name}.{name}": value for name, value in vars(module).items()
                      if inspect.isfunction(value) and value.__module__ == module_name and not name.startswith("_")})
    found["planx.rules.using"] = rules.using
    unique: dict[int, str] = {}
    for name, function in found.items():
        unique.setdefault(id(function), name)
    return {name: found[name] for name in unique.values()}


FUNCTIONS = _public_functions()


def test_the_package_functions_are_covered():
    assert {f"planx.{name}" for name in ["compare", "load_document", "run", "visualize"]} <= FUNCTIONS.keys()


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_docstring_has_an_example(name):
    docstring = inspect.getdoc(FUNCTIONS[name]) or ""
    assert "Example:" in docstring and ">>>" in docstring.split("Example:", 1)[1], f"{name} has no runnable Example:"


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_docstring_example_runs(name, tmp_path, monkeypatch):
    # From the root, so that examples name corpus/ files; their temporary folders land in tmp_path.
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    function = FUNCTIONS[name]
    module = sys.modules[function.__module__]
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    for test in doctest.DocTestFinder(recurse=False).find(function, name, module=module, globs=vars(module)):
        runner.run(test, out=report.append)
    results = runner.summarize(verbose=False)
    assert results.attempted, f"{name}: no example ran"
    assert not results.failed, "".join(report)
