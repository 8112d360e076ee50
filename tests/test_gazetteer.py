"""The gazetteer: divisions.csv is exactly what its sources generate (dateparser's
regenerate-and-diff test), and it and the hand-kept additions.csv are consistent — codes,
parents, levels, short forms."""

from __future__ import annotations

from collections import Counter

import pytest

from planx import gazetteer, rules

from .conftest import SHARED, unavailable

LEVELS = {"province", "city", "county-city", "county", "district", "zone"}
COUNTY_LEVELS = LEVELS - {"province", "city"}


def _divisions() -> list[dict]:
    return rules.load("gazetteer/divisions.csv")


def _additions() -> list[dict]:
    return rules.load("gazetteer/additions.csv")


def test_gazetteer_divisions_csv_is_regenerated():
    committed = (rules.rules_dir() / gazetteer.OUTPUT).read_bytes()
    assert committed == gazetteer.build().encode("utf-8"), "stale: run python scripts/build_gazetteer.py"


def test_gazetteer_source_is_the_shared_copy():
    shared = SHARED / "data" / "admin-divisions"
    if not shared.is_dir():
        unavailable("needs ../shared beside the checkout (CI lays it there)")
    for name in ("provinces.csv", "cities.csv", "areas.csv", "LICENSE", "SOURCE.md"):
        assert (rules.rules_dir() / "gazetteer" / "source" / name).read_bytes() == (shared / name).read_bytes(), name


def test_gazetteer_columns_and_levels():
    rows = _divisions()
    assert tuple(rows[0]) == gazetteer.COLUMNS
    assert {row["level"] for row in rows} == LEVELS
    assert {row["status"] for row in rows} == {"current"}


def test_gazetteer_counts():
    levels = Counter(row["level"] for row in _divisions())
    assert levels["province"] == 31
    assert levels["city"] == 333
    assert sum(levels[level] for level in COUNTY_LEVELS) >= 2900


def test_gazetteer_codes_unique():
    rows = _divisions()
    assert all(len(row["admin_code"]) == 6 and row["admin_code"].isdigit() for row in rows)
    assert len({row["admin_code"] for row in rows}) == len(rows)
    assert len({(row["name"], row["parent"]) for row in rows}) == len(rows)


def test_gazetteer_parents_exist():
    by_code = {row["admin_code"]: row for row in _divisions()}
    for row in by_code.values():
        if row["level"] == "province":
            assert row["parent"] == row["parent_code"] == ""
            continue
        parent = by_code[row["parent_code"]]
        assert parent["name"] == row["parent"], row
        assert parent["level"] in ("province", "city"), row
        assert by_code[row["admin_code"][:2] + "0000"]["name"] == row["province"], row


@pytest.mark.parametrize(
    "code, name, level, parent",
    [
        ("320500", "苏州市", "city", "江苏省"),
        ("320582", "张家港市", "county-city", "苏州市"),
        ("320509", "吴江区", "district", "苏州市"),
        ("320576", "苏州工业园区", "zone", "苏州市"),
        ("310115", "浦东新区", "district", "上海市"),
        ("310151", "崇明区", "district", "上海市"),
        ("500229", "城口县", "county", "重庆市"),
        ("419001", "济源市", "county-city", "河南省"),
        ("429021", "神农架林区", "county", "湖北省"),
        ("520203", "六枝特区", "county", "六盘水市"),
        ("150783", "扎兰屯市", "county-city", "呼伦贝尔市"),
        ("152921", "阿拉善左旗", "county", "阿拉善盟"),
        ("441900", "东莞市", "city", "广东省"),
    ],
)
def test_gazetteer_derived_levels(code, name, level, parent):
    row = next(r for r in _divisions() if r["admin_code"] == code)
    assert (row["name"], row["level"], row["parent"]) == (name, level, parent)


@pytest.mark.parametrize(
    "name, short",
    [
        ("苏州市", "苏州"),
        ("张家港市", "张家港"),
        ("吴江区", "吴江"),
        ("黔东南苗族侗族自治州", "黔东南"),
        ("内蒙古自治区", "内蒙古"),
        ("广西壮族自治区", "广西"),
        ("新疆维吾尔自治区", "新疆"),
        ("延边朝鲜族自治州", "延边"),
        ("江苏省", "江苏"),
        ("黑龙江省", "黑龙江"),
        ("锡林郭勒盟", "锡林郭勒"),
        ("大兴安岭地区", "大兴安岭"),
        ("彭水苗族土家族自治县", "彭水"),
        ("积石山保安族东乡族撒拉族自治县", "积石山"),
        ("浦东新区", "浦东"),
        ("神农架林区", "神农架"),
        ("六枝特区", "六枝"),
        ("沙县区", "沙县"),
        ("海南省", "海南"),
        ("河南省", "河南"),
        # No short form: one character left, a common word, an incomplete stem, a people's
        # name, or a stem a bigger place already uses.
        ("城区", ""),
        ("和县", ""),
        ("中山市", ""),
        ("和平区", ""),
        ("市中区", ""),
        ("巴林左旗", ""),
        ("鄂温克族自治旗", ""),
        ("河南蒙古族自治县", ""),
        ("承德县", ""),
        ("西安区", ""),
        ("资源县", ""),
        ("会同县", ""),
    ],
)
def test_gazetteer_short_forms(name, short):
    shorts = {row["short"] for row in _divisions() if row["name"] == name}
    assert shorts == {short}


def test_gazetteer_zone_abbreviations():
    rows = {row["name"]: row for row in _divisions()}
    assert (rows["石家庄高新技术产业开发区"]["short"], rows["石家庄高新技术产业开发区"]["local"]) == ("石家庄高新区", "高新区")
    assert (rows["河北衡水高新技术产业开发区"]["short"], rows["河北衡水高新技术产业开发区"]["local"]) == ("衡水高新区", "高新区")
    assert (rows["长春净月高新技术产业开发区"]["short"], rows["长春净月高新技术产业开发区"]["local"]) == (
        "长春净月高新区|净月高新区", "")
    assert (rows["合肥经济技术开发区"]["short"], rows["合肥经济技术开发区"]["local"]) == ("合肥经开区", "经开区")


def test_gazetteer_short_forms_have_two_characters_and_skip_stop_stems():
    stop = set(rules.lexicon("gazetteer/shortening", "stop_stems"))
    for row in _divisions() + _additions():
        for form in filter(None, (row["short"] + "|" + row["local"]).split("|")):
            assert len(form) >= 2, row
            assert row["level"] == "province" or form not in stop, row


def test_gazetteer_stop_stems_name_a_division():
    """Every stop stem begins some city's or county's name, so the list holds no dead entries."""
    names = [row["name"] for row in _divisions() if row["level"] != "province"]
    for stem in rules.lexicon("gazetteer/shortening", "stop_stems"):
        assert any(name.startswith(stem) for name in names), stem


def test_gazetteer_additions_are_consistent():
    by_code = {row["admin_code"]: row for row in _divisions()}
    for row in _additions():
        assert row["intent"], row
        assert row["level"] in LEVELS and row["status"] in ("current", "historical"), row
        assert row["parent_code"] == "" or row["parent_code"] in by_code, row
        assert row["parent_code"] == "" or by_code[row["parent_code"]]["name"] == row["parent"], row
        if row["status"] == "historical":
            assert row["valid_to"].isdigit() and row["name"] != row["canonical"], row
        if row["admin_code"] in by_code and row["level"] != "zone":
            target = by_code[row["admin_code"]]
            assert (target["name"], target["level"], target["parent"]) == (row["canonical"], row["level"], row["parent"]), row
        elif row["level"] != "zone":
            assert row["level"] == "province" and row["admin_code"] in ("710000", "810000", "820000"), row


def test_gazetteer_additions_name_each_place_once():
    """One (name, canonical) per row, and each canonical place has one code and parent."""
    rows = _additions()
    assert len({(row["name"], row["canonical"]) for row in rows}) == len(rows)
    places = {}
    for row in rows:
        places.setdefault(row["canonical"], set()).add((row["admin_code"], row["parent"]))
    assert {name: ids for name, ids in places.items() if len(ids) > 1} == {}
