"""Packaging: one version, a licence and a changelog, optional extras, and the one line a
missing extra gives instead of a traceback."""

from __future__ import annotations

import doctest
import importlib.metadata
import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

import planx
from planx import extras
from planx.cli import cli

from .conftest import GOLD, ROOT, SEED_FILES

#: Packages the core install must not pull: the formats, charts and Dask engine are extras.
OPTIONAL_PACKAGES = ("pyarrow", "duckdb", "openpyxl", "matplotlib", "distributed")


def pyproject() -> dict:
    tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11's tomllib")
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def requirement_name(requirement: str) -> str:
    """The distribution a requirement string names (``pyarrow>=16`` -> ``pyarrow``)."""
    return re.match(r"[A-Za-z0-9._-]+", requirement).group().lower()


# --- version, licence, changelog --------------------------------------------------------------


def test_version_is_read_from_the_package_metadata():
    assert planx.__version__ == importlib.metadata.version("planx")
    assert planx.__version__ == pyproject()["project"]["version"]


def test_version_is_written_nowhere_in_the_code():
    written = [path.relative_to(ROOT).as_posix() for path in sorted((ROOT / "extract").rglob("*.py"))
               if re.search(r"__version__\s*=\s*['\"]", path.read_text(encoding="utf-8"))]
    assert written == []


def test_license_is_the_mit_licence_pyproject_names():
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "Copyright (c) 2026 the planx developers" in licence
    assert pyproject()["project"]["license"] == {"text": "MIT"}


def test_changelog_has_unreleased_changes_and_the_current_version():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## \[([^\]]+)\]", changelog, flags=re.MULTILINE)
    assert versions[:2] == ["Unreleased", pyproject()["project"]["version"]]


# --- extras -------------------------------------------------------------------------------------


def test_core_install_pulls_no_optional_package():
    core = {requirement_name(r) for r in pyproject()["project"]["dependencies"]}
    assert core.isdisjoint(OPTIONAL_PACKAGES)


@pytest.mark.parametrize("extra", sorted(extras.EXTRAS))
def test_each_extra_installs_the_modules_planx_imports_from_it(extra):
    declared = {requirement_name(r) for r in pyproject()["project"]["optional-dependencies"][extra]}
    # The modules planx imports are named as their distributions are.
    assert set(extras.EXTRAS[extra]) <= declared


def test_all_extra_has_every_extra_and_the_tests_have_all():
    optional = pyproject()["project"]["optional-dependencies"]
    (everything,) = optional["all"]
    assert set(re.fullmatch(r"planx\[(.*)\]", everything).group(1).split(",")) == set(extras.EXTRAS)
    assert "planx[all]" in optional["test"]


def test_core_modules_import_and_write_csv_without_the_optional_packages(tmp_path):
    """The README's first command on the core install: no module imports an extra's package."""
    blocked = "; ".join(f"sys.modules[{name!r}] = None" for name in OPTIONAL_PACKAGES)
    code = (f"import sys; {blocked}\n"
            "import planx.api, planx.batch, planx.cli, planx.comparison, planx.evaluate, planx.review\n"
            "from planx.cli import cli\n"
            f"cli(['extract', {str(SEED_FILES[0])!r}, '-o', {str(tmp_path / 'out')!r}])\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "targets.csv").exists()


# --- a missing extra: one line naming it --------------------------------------------------------

PARQUET_LINE = "Error: the parquet format needs the parquet extra: pip install 'planx[parquet]'"


@pytest.fixture(scope="module")
def parquet_output(tmp_path_factory):
    """A seed extracted to Parquet while pyarrow is there, for commands that read it back."""
    out = tmp_path_factory.mktemp("parquet") / "out"
    result = CliRunner().invoke(cli, ["extract", str(SEED_FILES[0]), "-o", str(out), "--format", "parquet"])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("args, missing, line", [
    pytest.param(["--format", "parquet"], "pyarrow", PARQUET_LINE, id="parquet"),
    pytest.param(["--format", "parquet-dataset"], "pyarrow",
                 "Error: the parquet-dataset format needs the parquet extra: pip install 'planx[parquet]'",
                 id="parquet-dataset"),
    pytest.param(["--format", "xlsx"], "openpyxl",
                 "Error: the xlsx format needs the xlsx extra: pip install 'planx[xlsx]'", id="xlsx"),
    pytest.param(["--format", "duckdb"], "duckdb",
                 "Error: the duckdb format needs the duckdb extra: pip install 'planx[duckdb]'", id="duckdb"),
    pytest.param(["--format", "duckdb"], "pyarrow",
                 "Error: the duckdb format needs the duckdb extra: pip install 'planx[duckdb]'", id="duckdb-no-pyarrow"),
    pytest.param(["--engine", "dask"], "distributed",
                 "Error: the dask engine needs the dask extra: pip install 'planx[dask]'", id="dask"),
])
def test_extract_without_an_extra_says_which_in_one_line_before_extracting(tmp_path, monkeypatch, args, missing, line):
    monkeypatch.setitem(sys.modules, missing, None)  # what an import finds when the package is not installed
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["extract", str(SEED_FILES[0]), "-o", str(out), *args])
    assert (result.exit_code, result.output.splitlines()) == (1, [line])
    assert not out.exists()


@pytest.mark.parametrize("command", [
    pytest.param(["compare", "{out}"], id="compare"),
    pytest.param(["review", "{out}", "-o", "{tmp}/review.html"], id="review"),
    pytest.param(["evaluate", "{out}", str(GOLD)], id="evaluate"),
])
def test_reading_a_format_without_its_extra_says_which_in_one_line(tmp_path, monkeypatch, parquet_output, command):
    assert json.loads((parquet_output / "run.json").read_text(encoding="utf-8"))["format"] == "parquet"
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    args = [arg.format(out=parquet_output, tmp=tmp_path) for arg in command]
    result = CliRunner().invoke(cli, args)
    assert (result.exit_code, result.output.splitlines()) == (1, [PARQUET_LINE])


@pytest.mark.parametrize("module", ["planx.extras", "planx.log"])
def test_module_examples_run(module):
    assert doctest.testmod(importlib.import_module(module)).failed == 0
