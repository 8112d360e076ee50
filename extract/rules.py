"""The one loader for ``rules/``: YAML and CSV files, validated and compiled once.

A rule file is data with a comment on each entry's intent. Pattern lists share one shape::

    patterns:
      - id: by_year            # unique within the file
        intent: 到2025年 — a deadline a target is due by
        pattern: '到(?P<year>\\d{4})年'
        examples: [到2025年]
        counterexamples: [2025年到期]

Every ``examples`` entry must match and no ``counterexamples`` entry may (a test checks
this for every rule of every file). Each file is checked against its entry in
``rules/schema.yaml`` when it is first loaded, so a misspelt key fails at once, naming its
place. ``--rules DIR`` or ``PLANX_RULES`` points at another directory; :func:`rules_hash`
fingerprints whatever is in use.

A call chooses its rules with ``with using(directory):``; the choice ends with the block, so
``planx.run(paths, rules_dir=...)`` leaves the bundled rules in use for the next call.
Compiled rules are cached under the directory and the digest of its files, so switching
rules clears nothing, and files edited between two runs are read again.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple, Union

import regex
import yaml

from .errors import RuleFileError, RuleTimeoutError


class _RuleSet(NamedTuple):
    """A rules directory and the sha256 of its rule files: the key compiled rules are cached
    under, so two rule sets never share an entry and an edited file is read again."""

    directory: str
    digest: str


# The rule set chosen by the innermost :func:`using` block of this thread or task, None
# outside every block. A context variable rather than a global, so that a choice ends with
# its block and a Dask worker's threads each keep their own.
_chosen: ContextVar[_RuleSet | None] = ContextVar("planx_rules", default=None)


@contextmanager
def using(path: str | os.PathLike | None) -> Iterator[None]:
    """Use the rules in ``path`` inside the ``with`` block; the choice before it comes back
    after it, whether the block returns or raises.

    The files are fingerprinted when the block starts, so a rule edited since the last
    block is read again. ``None`` keeps the rules already in use.

    Args:
        path: A rules directory (an edited copy of ``rules/``), or None.

    Raises:
        RuleFileError: ``path`` is not a folder.

    Example:
        >>> from planx import rules
        >>> with rules.using("rules"):
        ...     rules.load("policy_tools")["min_score"]
        1
        >>> rules.chosen_rules_dir() is None
        True
    """
    if path is None:
        yield
        return
    directory = Path(path)
    if not directory.is_dir():
        raise RuleFileError(f"{directory}: no such rules folder; pass a copy of rules/ (--rules DIR)")
    token = _chosen.set(_RuleSet(str(directory), _files_digest(directory)))
    try:
        yield
    finally:
        _chosen.reset(token)


def rules_dir() -> Path:
    """The rules directory in use: the one :func:`using` chose, ``PLANX_RULES``, else the bundled one."""
    return Path(_in_use().directory)


@lru_cache(maxsize=None)
def _bundled_rules_dir() -> Path:
    """The checkout's ``rules/``, else the installed package's; found once, because every
    rule lookup asks and resolving the path each time was half of a run (bench/README.md)."""
    checkout = Path(__file__).resolve().parent.parent / "rules"
    if (checkout / "README.md").is_file():
        return checkout
    return Path(str(resources.files("planx") / "rules"))


def chosen_rules_dir() -> Path | None:
    """The rules directory the user chose (``--rules`` or ``PLANX_RULES``); None for the bundled rules."""
    chosen = _chosen.get()
    if chosen is not None:
        return Path(chosen.directory)
    return Path(os.environ["PLANX_RULES"]) if os.environ.get("PLANX_RULES") else None


def _in_use() -> _RuleSet:
    """The rule set in use: the one :func:`using` chose, else ``PLANX_RULES`` or the bundled one."""
    chosen = _chosen.get()
    if chosen is not None:
        return chosen
    return _fixed_rule_set(os.environ.get("PLANX_RULES", ""))


@lru_cache(maxsize=None)
def _fixed_rule_set(planx_rules: str) -> _RuleSet:
    """The rules ``PLANX_RULES`` names, else the bundled ones, fingerprinted once: every rule
    lookup asks, so a lookup costs a dictionary lookup rather than a look at the file system."""
    directory = Path(planx_rules) if planx_rules else _bundled_rules_dir()
    return _RuleSet(str(directory), _files_digest(directory))


def _files_digest(root: Path) -> str:
    """sha256 over every rule file's name and bytes under ``root``, in name order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in {".yaml", ".yml", ".csv"}):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load(name: str) -> Any:
    """The parsed content of ``rules/<name>`` (``.yaml`` assumed without a suffix)."""
    return _load_cached(_in_use(), name)


@lru_cache(maxsize=None)
def _load_cached(rule_set: _RuleSet, name: str) -> Any:
    file = name if "." in Path(name).name else name + ".yaml"
    path = Path(rule_set.directory) / file
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuleFileError(f"[{path}] rule file not found; check --rules or PLANX_RULES") from None
    where = f"rules/{file}"
    declared = _schema().get(file)
    if declared is None:
        raise RuleFileError(f"[{where}] has no schema; add its schema to rules/schema.yaml")
    if path.suffix == ".csv":
        reader = csv.DictReader(line for line in raw.splitlines() if not line.startswith("#"))
        rows = [dict(row) for row in reader]
        _check_columns(reader.fieldnames or [], declared, where)
        return rows
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as err:
        raise RuleFileError(f"[{path}] is not valid YAML: {err}") from None
    _check(data, {"type": "map", "keys": declared}, where)
    return data


@lru_cache(maxsize=None)
def _schema() -> dict:
    """``rules/schema.yaml`` of the bundled rules: the code's contract with its rule files,
    so an edited copy (``--rules``) is held to the shapes the code reads."""
    return yaml.safe_load((_bundled_rules_dir() / "schema.yaml").read_text(encoding="utf-8"))


#: The keys of a pattern rule (type ``rules``) and of a regex written with its examples
#: (type ``regex``), each with its shape; the ones that must be there.
_RULE_SHAPE = {"id": "text", "intent": "text", "pattern": "pattern",
               "examples": {"type": "list", "items": "text"}, "counterexamples": {"type": "list", "items": "text"}}
_RULE_REQUIRED = ("id", "intent", "pattern")
_REGEX_SHAPE = {key: shape for key, shape in _RULE_SHAPE.items() if key != "id"}
_REGEX_REQUIRED = ("pattern", "intent", "examples")

#: What each type of rules/schema.yaml wants, as an error message asks for it.
_WANTED = {
    "text": "a string",
    "number": "a number",
    "flag": "true or false",
    "scalar": "a string or a number",
    "pattern": "a regex string",
    "regex": "{pattern, intent, examples} (or a bare regex string)",
    "word": "a word or {word: intent}",
    "words": "a list of words or of {word: intent}",
    "template": "a regex string or {words: [lexicon keys]}",
    "rules": "a list of pattern rules {id, intent, pattern, examples}",
    "list": "a list",
    "map": "a mapping",
    "table": "a mapping",
}


def _check(value: Any, shape: str | dict, where: str, keys: tuple = ()) -> list[tuple]:
    """Raise :class:`RuleFileError` at the first place ``value`` departs from ``shape`` (a
    rules/schema.yaml entry); return the key paths of its ``regex`` values, for :func:`pattern`.

    ``where`` names the file and ``keys`` the path to ``value`` in it, for the message.
    """
    spec = shape if isinstance(shape, dict) else {"type": shape}
    kind = spec["type"]
    here = " -> ".join([where, *map(str, keys)])
    if kind not in _WANTED:
        raise RuleFileError(f"[rules/schema.yaml: {here}] unknown type {kind!r}; use one of {', '.join(_WANTED)}")
    if kind == "regex" and isinstance(value, dict):
        _check_keys(value, _REGEX_SHAPE, _REGEX_REQUIRED, where, keys)
        return [keys]
    if kind == "template" and isinstance(value, dict):
        return _check_keys(value, {"words": {"type": "list", "items": "text"}}, ("words",), where, keys)
    if not _is_a(value, kind):
        raise RuleFileError(f"[{here}] is {_described(value)}; write {_WANTED[kind]}")
    if kind == "regex":
        return [keys]
    if kind == "rules":
        shapes = {**_RULE_SHAPE, **spec.get("extra", {})}
        return [path for i, rule in enumerate(value) for path in _check_keys(rule, shapes, _RULE_REQUIRED, where, (*keys, i))]
    if kind in ("words", "list"):
        items = "word" if kind == "words" else spec["items"]
        return [path for i, item in enumerate(value) for path in _check(item, items, where, (*keys, i))]
    if kind == "map":
        return _check_keys(value, spec["keys"], spec.get("required", ()), where, keys)
    if kind == "table":
        return [path for key, item in value.items() for path in _check(item, spec["values"], where, (*keys, key))]
    return []


def _check_keys(value: Any, shapes: dict, required: tuple, where: str, keys: tuple) -> list[tuple]:
    """:func:`_check` for a mapping whose keys are declared: no key outside ``shapes``, every
    key of ``required`` present."""
    here = " -> ".join([where, *map(str, keys)])
    if not isinstance(value, dict):
        raise RuleFileError(f"[{here}] is {_described(value)}; write a mapping with keys {', '.join(shapes)}")
    for key in value:
        if key not in shapes:
            raise _undeclared("key", key, list(shapes), here)
    for key in required:
        if key not in value:
            raise RuleFileError(f"[{here}] needs key {key!r}; add it (required: {', '.join(required)})")
    return [path for key, item in value.items() for path in _check(item, shapes[key], where, (*keys, key))]


def _undeclared(what: str, name: Any, allowed: list[str], here: str) -> RuleFileError:
    """The error for a key or column the schema does not declare, suggesting the nearest one
    (most are misspellings)."""
    close = difflib.get_close_matches(str(name), allowed, n=1)
    fix = f"did you mean {close[0]!r}?" if close else "remove it or declare it in rules/schema.yaml"
    return RuleFileError(f"[{here}] unknown {what} {name!r}; {fix} (allowed: {', '.join(allowed)})")


def _is_a(value: Any, kind: str) -> bool:
    """Whether ``value`` is of ``kind`` at its own level (items and keys are checked after)."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return {
        "text": isinstance(value, str),
        "number": number,
        "flag": isinstance(value, bool),
        "scalar": isinstance(value, str) or number,
        "pattern": isinstance(value, str),
        "regex": isinstance(value, str),
        "word": isinstance(value, str) or (isinstance(value, dict) and len(value) == 1
                                           and all(isinstance(v, str) for v in (*value, *value.values()))),
        "template": isinstance(value, str),
        "words": isinstance(value, list),
        "rules": isinstance(value, list),
        "list": isinstance(value, list),
        "map": isinstance(value, dict),
        "table": isinstance(value, dict),
    }[kind]


def _described(value: Any) -> str:
    """What ``value`` is, as a message names it: ``a string '届'``, ``empty``."""
    if value is None:
        return "empty"
    kind = {bool: "true/false", str: "a string", list: "a list", dict: "a mapping"}.get(type(value), "a number")
    return kind if isinstance(value, (list, dict)) else f"{kind} {str(value)[:30]!r}"


def _check_columns(columns: list[str], declared: list[str], where: str) -> None:
    """The CSV header has exactly the declared columns."""
    for column in columns:
        if column not in declared:
            raise _undeclared("column", column, declared, f"{where} -> columns")
    for column in declared:
        if column not in columns:
            raise RuleFileError(
                f"[{where} -> columns] needs column {column!r}; add it to the header (columns: {', '.join(declared)})")


def regex_keys(name: str) -> list[tuple[str | int, ...]]:
    """The key paths of every single-value regex in ``rules/<name>.yaml`` (its schema's
    ``regex`` values), each one ``*keys`` for :func:`pattern`."""
    file = name + ".yaml"
    return _check(load(name), {"type": "map", "keys": _schema()[file]}, f"rules/{file}")


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

    def split(self, string: str, maxsplit: int = 0) -> list:
        return self._call(string, self.compiled.split, string, maxsplit)

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


#: A compiled rule: bare for the bundled rules, under the time limit for any other.
Pattern = Union[TimedPattern, regex.Pattern]


def compile_pattern(pattern: str, where: str, rule: str | None = None, timed: bool | None = None) -> Pattern:
    """Compile ``pattern`` with the ``regex`` module, naming ``where`` on failure.

    ``timed`` (default: unless the rules in use are the bundled ones) puts each match under
    :data:`MATCH_TIMEOUT`, and a timeout names ``rule`` (default ``where``). The bundled
    rules are shown to match in linear time by tests/test_regex_safety.py, so they run
    bare: the ``regex`` module's time limit costs about 2 µs a call, which at thousands of
    calls a document was a fifth of extraction (bench/README.md). Rules a user edited
    (``--rules``, ``PLANX_RULES``) have shown nothing, so they keep the limit.
    """
    try:
        compiled = regex.compile(pattern, regex.VERSION1)
    except regex.error as err:
        raise RuleFileError(f"[{where} -> pattern] does not compile: {err}") from None
    if timed is None:
        timed = not _bundled(_in_use())
    return TimedPattern(compiled, rule or where) if timed else compiled


def _bundled(rule_set: _RuleSet) -> bool:
    """The rule set holds exactly the bundled rule files (the tested ones)."""
    return rule_set.digest == _fixed_rule_set("").digest


def pattern(name: str, *keys: str | int, template: tuple = ()) -> Pattern:
    """The regex written as one value in ``rules/<name>.yaml`` (not a rule list), compiled once.

    The value is ``{pattern, intent, examples, counterexamples}`` or, in a copy of the rules
    made before regexes carried their examples, the bare regex string.

    ``keys`` lead to it (``pattern("measures", "lead_sentence", "prefix")``); ``template``
    is substituted as in :func:`load_patterns`.

    Raises:
        RuleFileError: the value is missing or does not compile.
    """
    return _pattern(_in_use(), name, keys, template)


@lru_cache(maxsize=None)
def _pattern(rule_set: _RuleSet, name: str, keys: tuple[str | int, ...], template: tuple) -> Pattern:
    where = " -> ".join([f"rules/{name}.yaml", *map(str, keys)])
    value = _load_cached(rule_set, name)
    try:
        for key in keys:
            value = value[key]
    except (KeyError, IndexError, TypeError):
        raise RuleFileError(f"[{where}] is missing; add it (see rules/README.md)") from None
    source = str(value["pattern"] if isinstance(value, dict) else value)
    for placeholder, text in template:
        source = source.replace(placeholder, text)
    return compile_pattern(source, where, timed=not _bundled(rule_set))


def load_patterns(name: str, key: str = "patterns", template: tuple = ()) -> tuple[Rule, ...]:
    """The pattern rules under ``key`` in ``rules/<name>.yaml``, compiled once.

    ``template`` is a tuple of ``(placeholder, alternation)`` pairs substituted into each
    pattern before compiling (``{NUM}`` → the number expression), so rule files stay readable.
    """
    return _load_patterns(_in_use(), name, key, template)


@lru_cache(maxsize=None)
def _load_patterns(rule_set: _RuleSet, name: str, key: str, template: tuple) -> tuple[Rule, ...]:
    entries = (_load_cached(rule_set, name) or {}).get(key)
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
                pattern=compile_pattern(pattern, here, f"{where} -> {entry['id']}", timed=not _bundled(rule_set)),
                intent=str(entry["intent"]),
                examples=tuple(entry.get("examples") or ()),
                counterexamples=tuple(entry.get("counterexamples") or ()),
                data={k: v for k, v in entry.items() if k not in _RULE_SHAPE},
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


def rules_hash() -> str:
    """sha256 over every rule file's name and bytes in the rules in use, in name order."""
    return _in_use().digest
