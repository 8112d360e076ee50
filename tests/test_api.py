"""The library API as a notebook uses it: the public functions keep working however often they
are called and whatever was imported, ``run`` takes one path or many, and the rules a call
chooses end with the call."""

from __future__ import annotations

import importlib
import pkgutil
import re
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

import planx
from planx import rules
from planx.cli import cli
from planx.errors import ExtractError, RuleFileError
from planx.writers import read_tables

from .conftest import SEED_FILES

JIANGSU, SUZHOU = SEED_FILES
PLAN = "一、总体要求\n到2025年，制造业产品质量合格率达到97%以上。\n"


@pytest.fixture(autouse=True)
def bundled_rules(monkeypatch):
    """Every test starts from the bundled rules, whatever the environment says."""
    monkeypatch.delenv("PLANX_RULES", raising=False)


def _import_every_submodule() -> None:
    """Import each module of the package, as a notebook that used them all would have.

    A module whose optional dependency is missing cannot be imported, so it sets nothing on
    the package either; ``__main__`` would run the command line.
    """
    for module in pkgutil.walk_packages(planx.__path__, "planx."):
        if module.name == "planx.__main__":
            continue
        try:
            importlib.import_module(module.name)
        except ImportError:
            continue


@pytest.fixture(scope="module")
def tables():
    return planx.run([SUZHOU])


def test_no_submodule_shares_a_public_function_name():
    submodules = {module.name for module in pkgutil.iter_modules(planx.__path__)}
    assert not submodules & set(planx.__all__)


PUBLIC_CALLS = {
    "run": lambda tables: planx.run([SUZHOU])["documents"]["doc_id"].tolist() == [SUZHOU.stem],
    "load_document": lambda tables: planx.load_document(SUZHOU)._.doc_id == SUZHOU.stem,
    "compare": lambda tables: "中国质量奖" in set(planx.compare(tables)["indicator_key"]),
    "visualize": lambda tables: SUZHOU.stem in planx.visualize(tables).html,
    "load": lambda tables: "planx_targets" in planx.load().pipe_names,
    "read": lambda tables: len(planx.read(SUZHOU).spans["targets"]) == (tables["targets"]["doc_id"] == SUZHOU.stem).sum(),
    "parse": lambda tables: [s.text for s in planx.parse("到2025年，建成10个中心。").spans["deadlines"]] == ["到2025年"],
    "to_tables": lambda tables: planx.to_tables([planx.read(SUZHOU)])["targets"]["value"].tolist()
    == tables["targets"][tables["targets"]["doc_id"] == SUZHOU.stem]["value"].tolist(),
}


def test_every_public_function_is_exercised():
    assert sorted(PUBLIC_CALLS) == planx.__all__


@pytest.mark.parametrize("name", sorted(PUBLIC_CALLS))
def test_public_function_works_twice_after_every_submodule_is_imported(name, tables):
    """``planx.compare`` used to be replaced by the module ``extract/compare.py`` once that
    was imported: the second call raised ``'module' object is not callable``."""
    _import_every_submodule()
    assert PUBLIC_CALLS[name](tables)
    assert PUBLIC_CALLS[name](tables)


@pytest.fixture
def plan_folder(tmp_path, monkeypatch):
    """A folder ``plans`` holding one short plan, the current directory its parent."""
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "quality.txt").write_text(PLAN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return folder


@pytest.mark.parametrize("paths", [
    pytest.param("plans", id="folder as a string"),
    pytest.param("plans/quality.txt", id="file as a string"),
    pytest.param("plans/*.txt", id="glob as a string"),
    pytest.param(lambda folder: folder, id="folder as a Path"),
    pytest.param(["plans"], id="list of strings"),
    pytest.param(lambda folder: (folder / "quality.txt",), id="tuple of Paths"),
])
def test_run_takes_one_path_or_several(plan_folder, paths):
    """A string is one path: ``run("corpus")`` used to read "c", "o", "r"… as paths."""
    tables = planx.run(paths(plan_folder) if callable(paths) else paths)
    assert tables["documents"]["doc_id"].tolist() == ["quality"]
    assert len(tables["targets"]) == 1


def test_run_names_a_missing_path_whole(tmp_path, monkeypatch):
    """``run("a/x.txt")`` used to become "a", "/", "x"…: "/" sent it walking the whole disk."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ExtractError, match=r"^a/x\.txt: no such file or folder"):
        planx.run("a/x.txt")


@pytest.fixture
def no_policy_tools(tmp_path):
    """A copy of the rules under which no measure reaches a policy tool's minimum score."""
    copy = tmp_path / "edited-rules"
    shutil.copytree(rules.rules_dir(), copy)
    _set_min_score(copy, 1000)
    return copy


def _set_min_score(rules_copy, score: int) -> None:
    path = rules_copy / "policy_tools.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^min_score: \d+$", f"min_score: {score}", text, count=1), encoding="utf-8")


def _tools(tables) -> set[str]:
    return set(tables["measures"]["policy_tool"].fillna(""))


def test_rules_chosen_for_a_run_end_with_it(no_policy_tools):
    bundled = rules.rules_dir()
    edited = planx.run([SUZHOU], rules_dir=no_policy_tools)
    assert rules.rules_dir() == bundled
    plain = planx.run([SUZHOU])
    assert _tools(edited) == {""}
    assert {"supply", "environment", "demand"} <= _tools(plain)


def test_rules_chosen_for_a_run_end_when_it_raises(no_policy_tools, tmp_path):
    bundled = rules.rules_dir()
    with pytest.raises(ExtractError, match="no such file or folder"):
        planx.run([tmp_path / "missing.txt"], rules_dir=no_policy_tools)
    assert rules.rules_dir() == bundled
    assert rules.chosen_rules_dir() is None


def test_a_missing_rules_folder_is_named(tmp_path):
    with pytest.raises(RuleFileError, match=r"nowhere: no such rules folder"):
        planx.run([SUZHOU], rules_dir=tmp_path / "nowhere")
    assert rules.chosen_rules_dir() is None


def test_planx_rules_is_read_on_every_call(no_policy_tools, monkeypatch):
    monkeypatch.setenv("PLANX_RULES", str(no_policy_tools))
    assert rules.rules_dir() == no_policy_tools
    assert _tools(planx.run([SUZHOU])) == {""}
    monkeypatch.delenv("PLANX_RULES")
    assert "supply" in _tools(planx.run([SUZHOU]))


def test_worker_processes_see_the_chosen_rules(no_policy_tools):
    """With two files and two jobs the second is extracted in a worker process."""
    tables = planx.run([JIANGSU, SUZHOU], rules_dir=no_policy_tools, jobs=2)
    assert tables["documents"]["doc_id"].tolist() == [JIANGSU.stem, SUZHOU.stem]
    assert tables["errors"].empty
    assert _tools(tables) == {""}


def test_rules_edited_between_two_runs_are_read_again(no_policy_tools):
    assert _tools(planx.run([SUZHOU], rules_dir=no_policy_tools)) == {""}
    _set_min_score(no_policy_tools, 3)
    assert "supply" in _tools(planx.run([SUZHOU], rules_dir=no_policy_tools))


def test_a_threads_choice_is_its_own(no_policy_tools):
    """A Dask worker runs jobs in threads: one thread's rules are not another's."""
    seen = {}
    inside, done = threading.Event(), threading.Event()

    def choose():
        with rules.using(no_policy_tools):
            inside.set()
            done.wait(10)
            seen["inside"] = rules.rules_dir()

    thread = threading.Thread(target=choose)
    thread.start()
    inside.wait(10)
    seen["other thread"] = rules.rules_dir()
    done.set()
    thread.join()
    assert seen == {"inside": no_policy_tools, "other thread": rules.rules_dir()}
    assert rules.rules_dir() != no_policy_tools


def test_cli_rules_end_with_the_command(no_policy_tools, tmp_path):
    output = tmp_path / "out"
    result = CliRunner().invoke(cli, ["extract", str(SUZHOU), "-o", str(output), "--rules", str(no_policy_tools)])
    assert result.exit_code == 0, result.output
    assert _tools(read_tables(output)) == {""}
    assert rules.chosen_rules_dir() is None


def test_one_way_down_nothing_imports_the_facade():
    """api is a facade over batch, pipeline and consumer: no module of planx imports it back
    (api and batch used to import each other)."""
    import ast

    package = Path(planx.__file__).parent
    importers = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level and (node.module or "").split(".")[-1] == "api":
                importers.append(path.relative_to(package).as_posix())
    assert importers == []
