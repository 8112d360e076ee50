"""The one loader for ``rules/``: YAML and CSV files, validated and compiled once.

A rule file is data with a comment on each entry's intent. Pattern lists share one shape::

    patterns:
      - id: by_year            # unique within the file
        intent: 到2025年 — a deadline a target is due by
        pattern: '到(?P<year>\\d{4})年'
        examples: [到2025年]
        counterexamples: [2025年到期]

Every ``examples`` entry must match and no ``counterexamples`` entry may (a test checks
this for every rule of every file). ``--rules DIR`` or ``PLANX_RULES`` points at another
directory; :func:`rules_hash` fingerprints whatever is in use.
"""

from __future__ import annotations

import csv
import hashlib
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import regex
import yaml

from .errors import RuleFileError, RuleTimeoutError

_override: Path | None = None


def set_rules_dir(path: str | os.PathLike | None) -> None:
    """Use the rules in ``path`` (``None``: back to the bundled rules)."""
    global _override
    _override = Path(path) if path else None
    _load_cached.cache_clear()
    load_patterns.cache_clear()
    pattern.cache_clear()
    rules_hash.cache_clear()


def rules_dir() -> Path:
    """The rules directory in use: an override, ``PLANX_RULES``, else the bundled one."""
    chosen = chosen_rules_dir()
    if chosen is not None:
        return chosen
    return _bundled_rules_dir()


@lru_cache(maxsize=None)
def _bundled_rules_dir() -> Path:
    """The checkout's ``rules/``, else the installed package's; found once, because every
    rule lookup asks and resolving the path each time was half of a run (bench/README.md)."""
    checkout = Path(__file__).resolve().parent.parent / "rules"
    if (checkout / "README.md").is_file():
        return checkout
    return Path(str(resources.files("extract") / "rules"))


def chosen_rules_dir() -> Path | None:
    """The rules directory the user chose (``--rules`` or ``PLANX_RULES``); None for the bundled rules."""
    if _override is not None:
        return _override
    return Path(os.environ["PLANX_RULES"]) if os.environ.get("PLANX_RULES") else None


def load(name: str) -> Any:
    """The parsed content of ``rules/<name>`` (``.yaml`` assumed without a suffix)."""
    return _load_cached(str(rules_dir()), name)


@lru_cache(maxsize=None)
def _load_cached(directory: str, name: str) -> Any:
    path = Path(directory) / (name if "." in Path(name).name else name + ".yaml")
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuleFileError(f"[{path}] rule file not found; check --rules or PLANX_RULES") from None
    if path.suffix == ".csv":
        return [dict(row) for row in csv.DictReader(line for line in raw.splitlines() if not line.startswith("#"))]
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError as err:
        raise RuleFileError(f"[{path}] is not valid YAML: {err}") from None


@dataclass(frozen=True)
class Rule:
    """One compiled pattern rule; ``data`` keeps the entry's other keys (e.g. ``kind``)."""

    id: str
    pattern: Any
    intent: str
    examples: tuple[str, ...] = ()
    counterexamples: tuple[str, ...] = ()
    data: dict = field(default_factory=dict, compare=False, hash=False)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


_RULE_KEYS = {"id", "intent", "pattern", "examples", "counterexamples"}


#: Seconds one match call through a rule may take, and as much again for every further
#: million characters of text, before the document is given up (:class:`RuleTimeoutError`).
#: A last line of defence: rules are written to match in linear time
#: (tests/test_regex_safety.py), so a linear rule takes milliseconds where this allows seconds.
MATCH_TIMEOUT = 5.0


class TimedPattern:
    """A compiled rule with the matching methods of ``regex.Pattern``, each under a time limit.

    Callers use it as they would the compiled pattern; a call that runs past
    :data:`MATCH_TIMEOUT` raises :class:`RuleTimeoutError` naming ``rule``, which costs that
    document and not the batch.
    """

    __slots__ = ("compiled", "rule")

    def __init__(self, compiled: regex.Pattern, rule: str):
        self.compiled = compiled
        self.rule = rule

    @property
    def pattern(self) -> str:
        return self.compiled.pattern

    @property
    def groupindex(self) -> dict:
        return self.compiled.groupindex

    def search(self, string: str, pos: int | None = None, endpos: int | None = None):
        return self._call(string, self.compiled.search, string, pos, endpos)

    def match(self, string: str, pos: int | None = None, endpos: int | None = None):
        return self._call(string, self.compiled.match, string, pos, endpos)

    def fullmatch(self, string: str, pos: int | None = None, endpos: int | None = None):
        return self._call(string, self.compiled.fullmatch, string, pos, endpos)

    def sub(self, repl, string: str, count: int = 0) -> str:
        return self._call(string, self.compiled.sub, repl, string, count)

    def finditer(self, string: str, pos: int | None = None, endpos: int | None = None):
        # The limit covers the whole iteration (regex counts it from the call).
        matches = self._call(string, self.compiled.finditer, string, pos, endpos)
        try:
            yield from matches
        except TimeoutError:
            raise RuleTimeoutError(self.rule, _limit(string)) from None

    def _call(self, text: str, method, *args):
        try:
            return method(*args, timeout=_limit(text))
        except TimeoutError:
            raise RuleTimeoutError(self.rule, _limit(text)) from None


def _limit(text: str) -> float:
    return MATCH_TIMEOUT * (1 + len(text) // 1_000_000)


def compile_pattern(pattern: str, where: str, rule: str | None = None) -> TimedPattern:
    """Compile ``pattern`` with the ``regex`` module, naming ``where`` on failure.

    The result matches under :data:`MATCH_TIMEOUT`; a timeout names ``rule`` (default ``where``).
    """
    try:
        compiled = regex.compile(pattern, regex.VERSION1)
    except regex.error as err:
        raise RuleFileError(f"[{where} -> pattern] does not compile: {err}") from None
    return TimedPattern(compiled, rule or where)


@lru_cache(maxsize=None)
def pattern(name: str, *keys: str | int, template: tuple = ()) -> TimedPattern:
    """The regex written as one value in ``rules/<name>.yaml`` (not a rule list), compiled once.

    ``keys`` lead to it (``pattern("measures", "lead_sentence", "prefix")``); ``template``
    is substituted as in :func:`load_patterns`.

    Raises:
        RuleFileError: the value is missing or does not compile.
    """
    where = " -> ".join([f"rules/{name}.yaml", *map(str, keys)])
    value = load(name)
    try:
        for key in keys:
            value = value[key]
    except (KeyError, IndexError, TypeError):
        raise RuleFileError(f"[{where}] is missing; add it (see rules/README.md)") from None
    source = str(value)
    for placeholder, text in template:
        source = source.replace(placeholder, text)
    return compile_pattern(source, where)


@lru_cache(maxsize=None)
def load_patterns(name: str, key: str = "patterns", template: tuple = ()) -> tuple[Rule, ...]:
    """The pattern rules under ``key`` in ``rules/<name>.yaml``, compiled once.

    ``template`` is a tuple of ``(placeholder, alternation)`` pairs substituted into each
    pattern before compiling (``{NUM}`` → the number expression), so rule files stay readable.
    """
    entries = (load(name) or {}).get(key)
    where = f"rules/{name}.yaml -> {key}"
    if not isinstance(entries, list):
        raise RuleFileError(f"[{where}] must be a list of rules")
    rules, seen = [], set()
    for i, entry in enumerate(entries):
        here = f"{where} -> {i}"
        if not isinstance(entry, dict) or not {"id", "intent", "pattern"} <= entry.keys():
            raise RuleFileError(f"[{here}] needs id, intent and pattern")
        if entry["id"] in seen:
            raise RuleFileError(f"[{here}] repeats id {entry['id']!r}")
        seen.add(entry["id"])
        pattern = str(entry["pattern"])
        for placeholder, value in template:
            pattern = pattern.replace(placeholder, value)
        rules.append(
            Rule(
                id=str(entry["id"]),
                pattern=compile_pattern(pattern, here, f"{where} -> {entry['id']}"),
                intent=str(entry["intent"]),
                examples=tuple(entry.get("examples") or ()),
                counterexamples=tuple(entry.get("counterexamples") or ()),
                data={k: v for k, v in entry.items() if k not in _RULE_KEYS},
            )
        )
    return tuple(rules)


def lexicon(name: str, key: str) -> tuple[str, ...]:
    """A word list under ``key`` in ``rules/<name>.yaml``; entries may be ``{word: intent}``."""
    entries = (load(name) or {}).get(key) or []
    words = []
    for entry in entries:
        words.extend(entry.keys() if isinstance(entry, dict) else [entry])
    return tuple(str(w) for w in words)


@lru_cache(maxsize=None)
def rules_hash() -> str:
    """sha256 over every rule file's name and bytes, in name order."""
    digest = hashlib.sha256()
    root = rules_dir()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in {".yaml", ".yml", ".csv"}):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
