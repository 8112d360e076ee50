"""Build ``rules/gazetteer/divisions.csv`` from the statistical division lists.

The inputs are ``rules/gazetteer/source/{provinces,cities,areas}.csv`` (the National Bureau of
Statistics' 统计用区划代码, see ``rules/gazetteer/SOURCES.md``) and the derivation rules in
``rules/gazetteer/shortening.yaml``. The output has one row per division: its six-digit code,
official name, level, enclosing division, province and the short forms people write
(苏州市 → 苏州). The file is generated and committed; ``tests/test_gazetteer.py`` rebuilds it
in memory and compares, so an edit to the inputs without a rebuild fails the suite.

Hand-kept knowledge the lists lack (historical names, zones without a statistical code,
aliases such as 高新区 → 苏州高新区) lives in ``rules/gazetteer/additions.csv``, which
:mod:`planx.passes.places` merges at load time.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from . import rules

COLUMNS = ("admin_code", "name", "level", "parent", "parent_code", "province", "short", "local", "status")
OUTPUT = "gazetteer/divisions.csv"


@dataclass(frozen=True)
class _Config:
    """``shortening.yaml``, with word lists as tuples and lookups as dicts."""

    placeholders: frozenset[str]
    county_levels: tuple[tuple[str, str], ...]
    suffixes: dict[str, tuple[str, ...]]
    keep_whole: tuple[str, ...]
    ethnic_groups: tuple[str, ...]
    zone_suffixes: tuple[tuple[str, str], ...]
    stop_stems: frozenset[str]


def _config() -> _Config:
    raw = rules.load("gazetteer/shortening")
    return _Config(
        placeholders=frozenset(rules.lexicon("gazetteer/shortening", "placeholders")),
        county_levels=tuple((e["suffix"], e["level"]) for e in raw["county_levels"]),
        suffixes={level: tuple(sorted(words, key=len, reverse=True)) for level, words in raw["suffixes"].items()},
        keep_whole=rules.lexicon("gazetteer/shortening", "keep_whole"),
        # Longest first, so 土家族 is stripped whole rather than leaving 土家 behind.
        ethnic_groups=tuple(sorted(raw["ethnic_groups"], key=len, reverse=True)),
        zone_suffixes=tuple((e["suffix"], e["short"]) for e in raw["zone_suffixes"]),
        stop_stems=frozenset(rules.lexicon("gazetteer/shortening", "stop_stems")),
    )


def _stem(name: str, suffixes: tuple[str, ...], config: _Config) -> str:
    """``name`` without its administrative suffix and trailing ethnic-group names; ``""`` if
    nothing usable is left (a stem must keep at least two characters)."""
    if any(name.endswith(tail) for tail in config.keep_whole):
        return ""
    stem = next((name[: -len(s)] for s in suffixes if name.endswith(s)), name)
    stripped = True
    while stripped:
        stripped = False
        for group in config.ethnic_groups:
            if stem.endswith(group) and len(stem) - len(group) >= 2:
                stem, stripped = stem[: -len(group)], True
                break
    if stem in config.ethnic_groups:
        return ""  # 鄂温克族自治旗: the stem would be the people's name, not a place
    return stem if len(stem) >= 2 and stem != name else ""


def short_forms(name: str, level: str, config: _Config | None = None) -> list[str]:
    """The short forms of a division's official name.

    Args:
        name: the official name (``黔东南苗族侗族自治州``).
        level: its level; provinces and cities strip their own suffix lists, county-level
            rows the county list.

    Returns:
        The stems people write for it (``["黔东南"]``); empty when the stem would be a single
        character, a common word (``stop_stems``) or not used alone (``keep_whole``).
    """
    config = config or _config()
    kind = level if level in ("province", "city") else "county"
    stem = _stem(name, config.suffixes[kind], config)
    if not stem or (level != "province" and stem in config.stop_stems):
        return []
    return [stem]


def _county_level(code: str, name: str, config: _Config) -> str:
    """A county-level row's level: zone for statistical zone codes (3205**7**6), else by the
    name's suffix; names with no administrative suffix (西沙群岛) are statistical units."""
    if code[4] == "7":
        return "zone"
    return next((level for suffix, level in config.county_levels if name.endswith(suffix)), "zone")


def _zone_forms(name: str, city: str, province: str, config: _Config) -> tuple[list[str], list[str]]:
    """(short, local) forms of a zone: 石家庄高新技术产业开发区 → 石家庄高新区 everywhere and
    高新区 in a plan of 石家庄市; 长春净月高新技术产业开发区 → 长春净月高新区, 净月高新区."""
    match = next(((suffix, short) for suffix, short in config.zone_suffixes if name.endswith(suffix)), None)
    if not match:
        return [], []
    suffix, short = match
    prefix = name[: -len(suffix)]
    for head in short_forms(province, "province", config):
        if prefix.startswith(head) and len(prefix) > len(head):
            prefix = prefix[len(head):]
    # The raw stem, stop list ignored: 大同 is no short form for 大同市, but 大同经开区 is.
    city_stem = _stem(city, config.suffixes["city"], config) or city
    head = next((form for form in (city, city_stem) if prefix.startswith(form)), None)
    if head is None:
        return ([prefix + short] if len(prefix) >= 2 else []), []
    rest = prefix[len(head):]
    if not rest:
        return [city_stem + short], [short]
    return [city_stem + rest + short] + ([rest + short] if len(rest) >= 2 else []), []


def divisions(config: _Config | None = None) -> list[dict]:
    """Every division in ``rules/gazetteer/source``, as rows with :data:`COLUMNS`, by code."""
    config = config or _config()
    provinces = {row["code"]: row["name"] for row in rules.load("gazetteer/source/provinces.csv")}
    out = []
    for code, name in provinces.items():
        out.append(dict(admin_code=code + "0000", name=name, level="province", parent="", parent_code="",
                        province=name, short="|".join(short_forms(name, "province", config)), local="",
                        status="current"))
    cities = {}
    for row in rules.load("gazetteer/source/cities.csv"):
        province = provinces[row["provinceCode"]]
        if row["name"] in config.placeholders:
            # The province itself encloses these counties (上海市 → 浦东新区).
            cities[row["code"]] = (province, row["provinceCode"] + "0000", province)
            continue
        cities[row["code"]] = (row["name"], row["code"] + "00", province)
        out.append(dict(admin_code=row["code"] + "00", name=row["name"], level="city", parent=province,
                        parent_code=row["provinceCode"] + "0000", province=province,
                        short="|".join(short_forms(row["name"], "city", config)), local="", status="current"))
    for row in rules.load("gazetteer/source/areas.csv"):
        code, name = row["code"], row["name"]
        parent, parent_code, province = cities[row["cityCode"]]
        if name == parent:
            continue  # 东莞市, 嘉峪关市: a city without counties listed again at county level
        level = _county_level(code, name, config)
        if level == "zone":
            short, local = _zone_forms(name, parent, province, config)
        else:
            short, local = short_forms(name, level, config), []
        out.append(dict(admin_code=code, name=name, level=level, parent=parent, parent_code=parent_code,
                        province=province, short="|".join(short), local="|".join(local), status="current"))
    _drop_claimed_stems(out, config)
    out.sort(key=lambda r: r["admin_code"])
    return out


def _drop_claimed_stems(rows: list[dict], config: _Config) -> None:
    """Remove county-level short forms that a bigger place or a full name already uses:
    河南 is the province, not 河南县; 承德 the city, not 承德县; 西安 the city, not 西安区."""
    claimed = {row["name"] for row in rows}
    claimed |= {_stem(row["name"], config.suffixes[row["level"]], config)
                for row in rows if row["level"] in ("province", "city")}
    for row in rows:
        if row["level"] not in ("province", "city", "zone") and row["short"]:
            row["short"] = "|".join(s for s in row["short"].split("|") if s not in claimed)


def build() -> str:
    """The text of ``divisions.csv`` as it should be committed (UTF-8, ``\\n`` line ends)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(divisions())
    return buffer.getvalue()


def write(path: str | Path | None = None) -> Path:
    """Write :func:`build`'s output to ``path`` (default: ``rules/gazetteer/divisions.csv``)."""
    target = Path(path) if path else rules.rules_dir() / OUTPUT
    target.write_text(build(), encoding="utf-8", newline="")
    return target
