"""Shared fixtures and helpers (one conftest for the whole suite, as spaCy does)."""

from __future__ import annotations

from pathlib import Path

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
    from extract.api import extract_document

    return {path.stem: extract_document(path) for path in CORPUS_FILES}
