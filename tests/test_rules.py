"""Every pattern rule in every rule file compiles, matches its examples and none of its
counterexamples (dateparser's per-locale data tests, applied to our rules)."""

from __future__ import annotations

import pytest
import yaml

from extract import rules
from extract.errors import RuleFileError
from extract.passes.quantity import rule_templates


def _pattern_lists():
    for path in sorted(rules.rules_dir().glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        templates = rule_templates(path.stem) if "templates" in data else ()
        for key, value in data.items():
            if isinstance(value, list) and value and isinstance(value[0], dict) and "pattern" in value[0]:
                yield path.stem, key, templates


PATTERN_LISTS = list(_pattern_lists())
RULES = [(name, key, rule) for name, key, templates in PATTERN_LISTS
         for rule in rules.load_patterns(name, key, templates)]


def test_rule_files_found():
    assert PATTERN_LISTS, "no pattern rules found"


@pytest.mark.parametrize("name, key, rule", RULES, ids=[f"{n}.{k}.{r.id}" for n, k, r in RULES])
def test_rule_examples(name, key, rule):
    assert rule.intent
    for example in rule.examples:
        assert rule.pattern.search(example), f"{rule.id} misses its example {example!r}"
    for counter in rule.counterexamples:
        assert not rule.pattern.search(counter), f"{rule.id} matches its counterexample {counter!r}"


def test_every_yaml_file_parses():
    for path in sorted(rules.rules_dir().rglob("*.yaml")):
        assert yaml.safe_load(path.read_text(encoding="utf-8")) is not None, path


def test_bad_rule_file_names_its_place(tmp_path):
    (tmp_path / "README.md").write_text("x")
    (tmp_path / "broken.yaml").write_text("patterns:\n  - id: a\n    intent: x\n    pattern: '(unclosed'\n")
    with rules.using(tmp_path), pytest.raises(RuleFileError, match=r"\[rules/broken.yaml -> patterns -> 0 -> pattern\]"):
        rules.load_patterns("broken")


def test_rules_hash_is_stable():
    assert rules.rules_hash() == rules.rules_hash()
    assert len(rules.rules_hash()) == 64
