"""No regular expression planx matches with can backtrack catastrophically.

Every pattern of every rule file (compiled by the loader, so new rules are checked as they
are written) and every literal pattern in ``extract/`` is run over adversarial texts of
10 KB and 100 KB (UTF-8) — long digit runs, runs of 、 and 以上, unclosed brackets,
repeated 年 and 万亿 — and must take time linear in their length. Shown linear here, the
bundled rules run without a time limit; an edited copy (``--rules``) is unproven, and a rule
of it that runs away on some document is stopped by the loader's time limit: one line
naming the rule, and the batch goes on.
"""

from __future__ import annotations

import ast
import shutil
import time
from pathlib import Path

import pytest
import regex
import yaml
from click.testing import CliRunner

from planx import rules
from planx.cli import cli
from planx.errors import RuleTimeoutError
from planx.passes.quantity import rule_templates

EXTRACT = Path(__file__).resolve().parents[1] / "extract"
SMALL, LARGE = 10 * 1024, 100 * 1024  # bytes of UTF-8
# Linear growth is 10× from SMALL to LARGE and quadratic 100×; a noisy shared machine gets
# the difference between them. Times are CPU seconds, which other processes disturb less
# than the clock. Below FLOOR the large text passes unjudged: a quadratic pattern makes some
# 10^10 steps on 100 KB, seconds at the least. CAP bounds any single run (wall clock).
GROWTH, FLOOR, CAP = 30, 0.25, 2.0
ATTEMPTS = 3
# (before, repeated, after): the repeated unit fills the text; the tail stops a run from
# matching to the end, which is where end-anchored patterns go quadratic.
ADVERSARIAL = {
    "digits": ("", "1", "x"),
    "spaced-digits": ("", "1 ", "x"),
    "decimal-points": ("", "1.", "x"),
    "thousands": ("", "1,", "x"),
    "dun": ("", "、", "x"),
    "yishang": ("", "以上", "x"),
    "nian": ("", "年", "x"),
    "years": ("", "2025年", "x"),
    "wanyi": ("", "万亿", "x"),
    "numerals": ("", "一二三十百千万", "x"),
    "adverbs": ("", "分别", "x"),
    "modal": ("", "要", "x"),
    "spaces": ("", " ", "x"),
    "unclosed-paren": ("（", "一", ""),
    "unclosed-square": ("[", "1", ""),
    "unclosed-quote": ("“", "质量", ""),
    "unclosed-title": ("《", "规划", ""),
    "field-code": ("", "TC ", ""),
    "meta": ("", "<meta ", ""),
    "mixed": ("", "到2025年，合格率达到97%以上、1.5万亿元（", "x"),
}
PATTERN_CALLS = {"compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split"}
# How a pattern is timed: as its call site matches with it where the code says (a fullmatch
# on a short gap need not survive a search over 100 KB), else by finding every match.
ANCHORED_CALLS = {"search", "match", "fullmatch"}
REGEX_SYNTAX = regex.compile(r"[\\^$.|?*+()\[\]{}]")


def adversarial(case: str, size: int, binary: bool) -> str | bytes:
    """The case's text, about ``size`` bytes long in UTF-8."""
    before, unit, after = ADVERSARIAL[case]
    width = len(unit.encode("utf-8"))
    text = before + unit * ((size - len((before + after).encode("utf-8"))) // width) + after
    return text.encode("utf-8") if binary else text


def _leaves(node, keys: tuple):
    """``(keys, string)`` for every string under ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*keys, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, (*keys, index))
    elif isinstance(node, str):
        yield keys, node


def _is_rule_list(value) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], dict) and "pattern" in value[0]


def _is_pattern_value(keys: tuple, text: str) -> bool:
    """A regex written as one value: under a snake_case key (lexicon words are keys in
    Chinese, their values prose), not an intent, and with regex syntax (plain words cannot
    backtrack)."""
    key = keys[-1]
    return (isinstance(key, str) and key.isascii() and key.isidentifier() and key != "intent"
            and bool(REGEX_SYNTAX.search(text)))


# Placeholders the code fills in before compiling a single-value regex (as tests/test_rules.py).
VALUE_TEMPLATES = {("metadata", ("plan_in_text",)): lambda: rule_templates("time")}


def rule_file_patterns() -> dict[str, tuple[regex.Pattern, str]]:
    """Every regex of every rule file, compiled by the loader: rule lists through
    ``load_patterns`` (templates expanded), single values through ``rules.pattern``."""
    found = {}
    root = rules.rules_dir()
    for path in sorted(p for p in root.rglob("*.yaml") if p.name != "schema.yaml"):  # shapes, not rules
        name = path.relative_to(root).with_suffix("").as_posix()
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        templates = rule_templates(name) if "templates" in data else ()
        for key, value in data.items():
            if _is_rule_list(value):
                for rule in rules.load_patterns(name, key, templates):
                    found[f"{name}.{key}.{rule.id}"] = rule.pattern, "finditer"
            elif key != "templates":
                for keys, text in _leaves(value, (key,)):
                    if _is_pattern_value(keys, text):
                        template = VALUE_TEMPLATES.get((name, keys), tuple)()
                        found[".".join(map(str, (name, *keys)))] = (
                            rules.pattern(name, *keys, template=template), "finditer")
    return found


def _regex_calls():
    """``(place, call)`` for every ``regex.X(…)``/``re.X(…)`` call that takes a pattern in ``extract/``."""
    for path in sorted(EXTRACT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id in ("regex", "re")
                    and node.func.attr in PATTERN_CALLS and node.args):
                yield f"{path.relative_to(EXTRACT.parent)}:{node.lineno}", node


def code_patterns() -> dict[str, tuple[regex.Pattern, str]]:
    """Every literal pattern written in ``extract/``, module-level or inside a function,
    compiled with the ``regex`` module (a superset of ``re``'s syntax) and its flags."""
    found = {}
    for place, call in _regex_calls():
        if isinstance(call.args[0], ast.Constant):
            flags = [getattr(regex, arg.attr) for arg in [*call.args[1:], *(k.value for k in call.keywords)]
                     if isinstance(arg, ast.Attribute) and arg.attr.isupper()]
            method = call.func.attr if call.func.attr in ANCHORED_CALLS else "finditer"
            found[place] = regex.compile(call.args[0].value, sum(flags)), method
    return found


PATTERNS = {**rule_file_patterns(), **code_patterns()}


def cost(pattern: regex.Pattern, method: str, text: str | bytes) -> float:
    """CPU seconds ``method`` takes on ``text`` (every match, for finditer); infinite when
    it ran past ``CAP``."""
    started = time.process_time()
    try:
        if method == "finditer":
            for _ in pattern.finditer(text, timeout=CAP):
                pass
        else:
            getattr(pattern, method)(text, timeout=CAP)
    except TimeoutError:
        return float("inf")
    return time.process_time() - started


def linear(pattern: regex.Pattern, method: str, text_small, text_large) -> tuple[bool, float, float]:
    """Whether the pattern's time grows linearly, judged on the fastest of a few runs (noise
    only ever adds time), with the times it took."""
    small = large = float("inf")
    for _ in range(ATTEMPTS):
        large = min(large, cost(pattern, method, text_large))
        if large < FLOOR:
            return True, small, large
        small = min(small, cost(pattern, method, text_small))
        if large < CAP and large < GROWTH * small:
            return True, small, large
    return False, small, large


def test_every_rule_file_and_code_pattern_is_checked():
    """The collection reaches into every rule file with patterns and every module that
    writes one, so a new file cannot slip past."""
    files = {place.split(".")[0] for place in PATTERNS if ":" not in place}
    assert {"agencies", "areas", "measures", "metadata", "quantities", "structure", "targets", "time",
            "gazetteer/matching", "gazetteer/stop_contexts"} <= files
    modules = {place.split(":")[0] for place in PATTERNS if ":" in place}
    assert {"extract/normalise.py", "extract/ingest/pdf.py", "extract/ingest/html.py",
            "extract/passes/quantity.py"} <= modules


@pytest.mark.parametrize("place", sorted(PATTERNS))
def test_pattern_time_is_linear_in_text_length(place):
    """Each adversarial text of 100 KB costs under ``FLOOR``, or at most ``GROWTH`` times
    what 10 KB of it costs, and never ``CAP`` seconds."""
    pattern, method = PATTERNS[place]
    binary = isinstance(pattern.pattern, bytes)
    for case in ADVERSARIAL:
        ok, small, large = linear(pattern, method, adversarial(case, SMALL, binary), adversarial(case, LARGE, binary))
        assert ok, f"{place} ({method}) on {case}: {small:.3f} s at {SMALL} bytes, {large:.3f} s at {LARGE}"


def test_patterns_from_rule_files_go_through_the_loader():
    """Outside ``extract/rules.py`` every ``regex``/``re`` call is given a literal pattern:
    a pattern read from a rule file is compiled by the loader, so an edited one has the time limit."""
    computed = [place for place, call in _regex_calls()
                if not place.startswith("extract/rules.py") and not isinstance(call.args[0], ast.Constant)]
    assert computed == []


# --- the time limit, the last line of defence -------------------------------------------

CATASTROPHIC = "(?:\\d|\\d)+号(?!。)"  # exponential in the length of a digit run before 号。


@pytest.fixture
def short_limit(monkeypatch):
    monkeypatch.setattr(rules, "MATCH_TIMEOUT", 0.2)


@pytest.mark.parametrize(
    "call",
    [lambda p, s: p.search(s), lambda p, s: p.match(s), lambda p, s: p.fullmatch(s),
     lambda p, s: list(p.finditer(s)), lambda p, s: p.sub("", s)],
    ids=["search", "match", "fullmatch", "finditer", "sub"],
)
def test_runaway_match_is_a_rule_timeout(short_limit, call):
    """Every matching method of a loaded pattern stops at the limit with a one-line
    :class:`RuleTimeoutError` naming the rule."""
    pattern = rules.compile_pattern(CATASTROPHIC, "rules/test.yaml -> patterns -> 0", "rules/test.yaml -> runaway",
                                    timed=True)
    started = time.perf_counter()
    with pytest.raises(RuleTimeoutError) as info:
        call(pattern, "1" * 64 + "号。")
    assert time.perf_counter() - started < 5
    assert "\n" not in str(info.value) and str(info.value).startswith("rule rules/test.yaml -> runaway gave up")


def test_time_limit_grows_with_the_text(short_limit):
    """A text of millions of characters gets as many more seconds, so a long document read
    by a linear rule is never mistaken for a runaway."""
    assert rules._limit("x" * 10) == 0.2
    assert rules._limit("x" * 3_500_000) == pytest.approx(0.8)


def test_bundled_rules_run_bare_and_edited_rules_under_the_limit(tmp_path):
    """The bundled rules, shown linear above, skip the limit's cost per call; a copy with any
    edit is unproven and runs under the limit, as does a pattern compiled while it is in use."""
    assert isinstance(rules.pattern("targets", "clause_end"), regex.Pattern)
    copy = tmp_path / "rules"
    shutil.copytree(rules.rules_dir(), copy)
    with rules.using(copy):
        assert isinstance(rules.pattern("targets", "clause_end"), regex.Pattern)  # the same files
    (copy / "targets.yaml").write_text((copy / "targets.yaml").read_text(encoding="utf-8") + "\n# edited\n",
                                       encoding="utf-8")
    with rules.using(copy):
        assert isinstance(rules.pattern("targets", "clause_end"), rules.TimedPattern)
        assert isinstance(rules.compile_pattern("a+", "test"), rules.TimedPattern)


@pytest.fixture
def runaway_rules(tmp_path):
    """A copy of the rules with one catastrophic time rule added."""
    copy = tmp_path / "rules"
    shutil.copytree(rules.rules_dir(), copy)
    time_rules = copy / "time.yaml"
    data = yaml.safe_load(time_rules.read_text(encoding="utf-8"))
    data["patterns"].append({"id": "runaway", "intent": "backtracks on long digit runs", "kind": "recurring",
                             "years": "none", "pattern": CATASTROPHIC})
    time_rules.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return copy


def test_runaway_rule_costs_one_document_not_the_batch(tmp_path, runaway_rules, monkeypatch):
    """With a catastrophic rule in ``--rules``, the document that sets it off gets one
    error line naming the rule; the other document is still extracted."""
    # A second is ample for every other match on a loaded machine, and nothing to a runaway.
    monkeypatch.setattr(rules, "MATCH_TIMEOUT", 1.0)
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text("一、总体要求\n到2025年，制造业产品质量合格率达到97%以上。\n", encoding="utf-8")
    (inputs / "bad.txt").write_text("一、总体要求\n编号" + "1" * 80 + "号。\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(inputs), "-o", str(tmp_path / "out"), "--rules", str(runaway_rules)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "bad.txt" in errors[0] and "rules/time.yaml -> patterns -> runaway" in errors[0]
    assert "1 documents extracted" in result.stderr
