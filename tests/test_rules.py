"""Every rule file matches its schema (rules/schema.yaml), and every pattern rule and every
regex written as one value compiles, matches its examples and none of its counterexamples
(dateparser's per-locale data tests, applied to our rules). A misspelt key, a value of the
wrong shape or an undeclared file fails at load with one line naming its place."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
import yaml

from planx import rules
from planx.errors import RuleFileError
from planx.passes.agencies import tag_template
from planx.passes.quantity import rule_templates

ROOT = rules.rules_dir()
SCHEMA = yaml.safe_load((ROOT / "schema.yaml").read_text(encoding="utf-8"))
# Every file the loader may read, by the name it is loaded under (YAML without its suffix).
RULE_FILES = sorted(
    path.relative_to(ROOT).as_posix().removesuffix(".yaml")
    for path in ROOT.rglob("*") if path.suffix in {".yaml", ".csv"} and path.name != "schema.yaml"
)


def _type(shape: str | dict) -> str:
    """The type of a schema shape, written ``rules`` or ``{type: rules, …}``."""
    return shape["type"] if isinstance(shape, dict) else shape


PATTERN_LISTS = [
    (name, key, rule_templates(name) if "templates" in rules.load(name) else ())
    for name in RULE_FILES if not name.endswith(".csv")
    for key, shape in SCHEMA[name + ".yaml"].items() if _type(shape) == "rules"
]
RULES = [(name, key, rule) for name, key, templates in PATTERN_LISTS
         for rule in rules.load_patterns(name, key, templates)]
REGEXES = [(name, keys) for name in RULE_FILES if not name.endswith(".csv") for keys in rules.regex_keys(name)]
# Placeholders the code fills in before compiling a single-value regex.
REGEX_TEMPLATES = {("agencies", ("tag",)): tag_template,
                   ("metadata", ("plan_in_text",)): lambda: rule_templates("time")}


def test_rule_files_found():
    assert PATTERN_LISTS, "no pattern rules found"


@pytest.mark.parametrize("name", RULE_FILES)
def test_every_rule_file_matches_its_schema(name):
    assert rules.load(name)


@pytest.mark.parametrize("name, key, rule", RULES, ids=[f"{n}.{k}.{r.id}" for n, k, r in RULES])
def test_rule_examples(name, key, rule):
    assert rule.intent
    assert rule.examples, f"{rule.id} has no examples; add phrasings it must match"
    for example in rule.examples:
        assert rule.pattern.search(example), f"{rule.id} misses its example {example!r}"
    for counter in rule.counterexamples:
        assert not rule.pattern.search(counter), f"{rule.id} matches its counterexample {counter!r}"


@pytest.mark.parametrize("name, keys", REGEXES, ids=[".".join(map(str, (n, *k))) for n, k in REGEXES])
def test_regex_examples(name, keys):
    value = rules.load(name)
    for key in keys:
        value = value[key]
    assert isinstance(value, dict), "write the regex as {intent, pattern, examples, counterexamples}"
    template = REGEX_TEMPLATES.get((name, keys), tuple)()
    compiled = rules.pattern(name, *keys, template=template)
    for example in value["examples"]:
        assert compiled.search(example), f"misses its example {example!r}"
    for counter in value.get("counterexamples") or ():
        assert not compiled.search(counter), f"matches its counterexample {counter!r}"


def test_every_yaml_file_parses():
    for path in sorted(ROOT.rglob("*.yaml")):
        assert yaml.safe_load(path.read_text(encoding="utf-8")) is not None, path


def _edited_rules(tmp_path, file: str, old: str, new: str):
    """A copy of the bundled rules with ``old`` replaced by ``new`` once in ``file``."""
    copy = tmp_path / "rules"
    shutil.copytree(ROOT, copy)
    path = copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}; update this test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return copy


# (file, text, its misspelling, the start of the message)
MISSPELLINGS = [
    ("targets.yaml", "predicates:", "predicats:",
     "[rules/targets.yaml] unknown key 'predicats'; did you mean 'predicates'? (allowed: predicates, object_verbs,"),
    ("time.yaml", "    examples: [到2025年，", "    exampels: [到2025年，",
     "[rules/time.yaml -> patterns -> 0] unknown key 'exampels'; did you mean 'examples'? (allowed: id, intent, "
     "pattern, examples, counterexamples, kind, future_kind, years, past, month, offset, end_year)"),
    ("structure.yaml", "    counterexamples: [第一章节的内容]", "    counterexample: [第一章节的内容]",
     "[rules/structure.yaml -> headings -> 1] unknown key 'counterexample'; did you mean 'counterexamples'?"),
    ("quantities.yaml", "    reading: doubling", "    raeding: doubling",
     "[rules/quantities.yaml -> patterns -> 2] unknown key 'raeding'; did you mean 'reading'?"),
    ("measures.yaml", "  max_chars: 30", "  max_char: 30",
     "[rules/measures.yaml -> lead_sentence] unknown key 'max_char'; did you mean 'max_chars'? "
     "(allowed: max_chars, max_chars_relaxed, forbidden, forbidden_relaxed, prefix)"),
    ("policy_tools.yaml", "    cues: [人才", "    cue: [人才",
     "[rules/policy_tools.yaml -> tools -> supply] unknown key 'cue'; did you mean 'cues'?"),
    ("gazetteer/stop_contexts.yaml", "    keeps: [合作市人民政府]", "    keep: [合作市人民政府]",
     "[rules/gazetteer/stop_contexts.yaml -> contexts -> 0] unknown key 'keep'; did you mean 'keeps'?"),
    ("targets.yaml", "  examples: [制造业产品质量合格率达到", "  exampels: [制造业产品质量合格率达到",
     "[rules/targets.yaml -> predicates] unknown key 'exampels'; did you mean 'examples'? "
     "(allowed: intent, pattern, examples, counterexamples)"),
    ("gazetteer/additions.csv", "name,canonical,", "name,canonicl,",
     "[rules/gazetteer/additions.csv -> columns] unknown column 'canonicl'; did you mean 'canonical'?"),
]


@pytest.mark.parametrize("file, old, new, message", MISSPELLINGS, ids=[m[2].strip() for m in MISSPELLINGS])
def test_a_misspelt_key_is_named_with_its_fix(tmp_path, file, old, new, message):
    with rules.using(_edited_rules(tmp_path, file, old, new)), pytest.raises(RuleFileError) as err:
        rules.load(file.removesuffix(".yaml"))
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value)


# (file, text, what replaces it, the message)
WRONG_SHAPES = [
    ("targets.yaml", "skip_units: [届, 期, 批, 周年]", "skip_units: 届",
     "[rules/targets.yaml -> skip_units] is a string '届'; write a list of words or of {word: intent}"),
    ("policy_tools.yaml", "min_score: 1", "min_score: one",
     "[rules/policy_tools.yaml -> min_score] is a string 'one'; write a number"),
    ("time.yaml", "    past: true", "    past: [true]",
     "[rules/time.yaml -> patterns -> 5 -> past] is a list; write true or false"),
    ("structure.yaml", "    intent: 第一章 总则 — chapters of long plans and regulations\n", "",
     "[rules/structure.yaml -> headings -> 1] needs key 'intent'; add it (required: id, intent, pattern)"),
]


@pytest.mark.parametrize("file, old, new, message", WRONG_SHAPES, ids=[m[2].strip() or "missing" for m in WRONG_SHAPES])
def test_a_value_of_the_wrong_shape_is_named(tmp_path, file, old, new, message):
    with rules.using(_edited_rules(tmp_path, file, old, new)), pytest.raises(RuleFileError) as err:
        rules.load(file.removesuffix(".yaml"))
    assert str(err.value) == message


def test_a_file_without_schema_fails(tmp_path):
    (tmp_path / "extra.yaml").write_text("words: [一, 二]\n")
    with rules.using(tmp_path), pytest.raises(RuleFileError) as err:
        rules.load("extra")
    assert str(err.value) == "[rules/extra.yaml] has no schema; add its schema to rules/schema.yaml"


def test_bad_rule_file_names_its_place(tmp_path):
    (tmp_path / "structure.yaml").write_text("headings:\n  - id: a\n    intent: x\n    pattern: '(unclosed'\n")
    with rules.using(tmp_path), pytest.raises(RuleFileError, match=r"\[rules/structure.yaml -> headings -> 0 -> pattern\]"):
        rules.load_patterns("structure", "headings")


def test_rules_hash_is_stable():
    assert rules.rules_hash() == rules.rules_hash()
    assert len(rules.rules_hash()) == 64


# Regex literals in the passes that are code, not rules about the language of plans:
# tokenising numbers, template syntax, ASCII tests and bracket pairing. (file, pattern)
MECHANICAL_REGEXES = {
    ("extract/passes/quantity.py", r"\{([A-Z][A-Z_]*)\}"),  # rule-file template syntax
    ("extract/passes/quantity.py", r"[A-Za-z]+"),
    ("extract/passes/quantity.py", r"[0-9]+(?:\.[0-9]+)?"),
    ("extract/passes/quantity.py", r"[0-9]+(?:\.[0-9]+)?|."),
    ("extract/passes/quantity.py", r"[\s,]"),
    ("extract/passes/quantity.py", r"\d"),
    ("extract/passes/targets.py", r"\d"),
    ("extract/passes/indicators.py", r"[（(][^（()）]*[）)]"),  # a bracket pair; max_kept_parenthetical is the rule
}
_PATTERN_CALLS = {"compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split"}


def _regex_literals(folder):
    """``(file, line, pattern)`` for every ``regex.X("…")``/``re.X("…")`` call under ``folder``."""
    root = Path(__file__).resolve().parents[1]
    for path in sorted((root / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id in ("regex", "re")
                    and node.func.attr in _PATTERN_CALLS and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                yield path.relative_to(root).as_posix(), node.lineno, node.args[0].value


def test_no_rule_regex_is_written_in_the_passes():
    """A regex about how plans are worded lives in rules/ with its intent and examples, read
    with rules.pattern; only the mechanical ones above may be literals in the passes."""
    found = [hit for folder in ("extract/passes", "extract/structure") for hit in _regex_literals(folder)]
    assert found, "the scan found no regex calls at all; has the layout changed?"
    stray = [f"{file}:{line}: {pattern!r}" for file, line, pattern in found if (file, pattern) not in MECHANICAL_REGEXES]
    assert not stray, ("regex literals in code; move each to its pass's rule file as {intent, pattern, examples, "
                       "counterexamples} (or, if it only tokenises, add it to MECHANICAL_REGEXES): " + "; ".join(stray))
