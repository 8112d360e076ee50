"""Shared fixtures and helpers (one conftest for the whole suite, as spaCy does)."""

from __future__ import annotations

import importlib
import os
import shutil
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
# The seeds as published in other formats, and the gold answers for every corpus document:
# copies live in the repository, so that a fresh clone tests itself.
FIXTURES = ROOT / "tests" / "data" / "fixtures"
GOLD = ROOT / "tests" / "gold"
CORPUS_FILES = sorted(p for p in CORPUS.iterdir() if p.suffix.lower() in {".txt", ".docx", ".doc", ".pdf", ".html", ".htm"})
SEED_FILES = [CORPUS / "jiangsu-quality-opinion-2016.txt", CORPUS / "suzhou-quality-plan-14fyp.txt"]


# Under CI=true every optional tool is installed (.ci/run does it), so a missing one is a broken
# CI and fails; on a developer's machine its tests skip with the Debian package that brings it.
IN_CI = os.environ.get("CI") == "true"
DEBIAN_PACKAGES = {"soffice": "libreoffice-writer-nogui", "chromium": "chromium", "chromedriver": "chromium-driver"}


def unavailable(reason: str):
    """Skip the test with ``reason``; under CI=true fail it instead."""
    if IN_CI:
        pytest.fail(f"CI=true, but {reason}", pytrace=False)
    pytest.skip(reason)


def tool_reason(name: str) -> str:
    return f"needs {name}: apt-get install {DEBIAN_PACKAGES[name]}"


def needs_tool(name: str) -> pytest.MarkDecorator:
    """A mark that skips where ``name`` is not on PATH, except under CI=true (see pytest_sessionstart)."""
    return pytest.mark.skipif(shutil.which(name) is None and not IN_CI, reason=tool_reason(name))


def require_module(name: str, install: str) -> ModuleType:
    """Import ``name``, or skip (fail under CI=true) saying how to install it."""
    try:
        return importlib.import_module(name)
    except ImportError:
        unavailable(f"needs {name}: pip install {install}")


def pytest_sessionstart(session):
    """Under CI=true, stop at once when a tool the suite needs is missing, naming its package."""
    missing = [name for name in DEBIAN_PACKAGES if shutil.which(name) is None]
    if IN_CI and missing:
        raise pytest.UsageError("CI=true, but these tools are missing: " + "; ".join(map(tool_reason, missing)))


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/*.jsonl from the current output")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


def assert_spans_relocate(text: str, spans, attr: str = "text") -> None:
    """Every span's ``text[start:end]`` equals its recorded text."""
    for span in spans:
        expected = getattr(span, attr) if not isinstance(span, dict) else span[attr]
        assert text[span_start(span) : span_end(span)] == expected, span


def span_start(span) -> int:
    return span["start"] if isinstance(span, dict) else span.start


def span_end(span) -> int:
    return span["end"] if isinstance(span, dict) else span.end


@pytest.fixture(scope="session")
def corpus_extractions():
    from planx.api import extract_document

    return {path.stem: extract_document(path) for path in CORPUS_FILES}


_CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                   "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,900")


@pytest.fixture
def browser(tmp_path):
    """A headless Chromium driven by chromedriver, with a fresh profile; what a page downloads
    lands in ``tmp_path / "downloads"``."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver:
        unavailable("needs Debian's headless browser: apt-get install chromium chromium-driver")
    webdriver = require_module("selenium.webdriver", "selenium")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*_CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(tmp_path / "downloads"),
                                              "download.prompt_for_download": False})
    session = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver))
    yield session
    session.quit()
