"""Responsibility: a place is responsible when its sentence gives it a task."""

from __future__ import annotations

import pytest

from planx.document import rows_of
from planx.pipeline import parse


def areas_of(sentence: str, region: str, heading: str = "三、重点任务"):
    doc = parse(f"{heading}\n{sentence}", region_code=region)
    return {(r["area"], r["responsible"]) for r in rows_of(doc, "areas")}


@pytest.mark.parametrize(
    "sentence, region, expected",
    [
        ("苏州工业园区、高新区、吴江区等地应重点开展质量管理数字化转型工程。", "320500",
         {("苏州工业园区", True), ("高新区", True), ("吴江区", True)}),
        ("以相城区为重点，高标准建设质量基础设施基地。", "320500", {("相城区", True)}),
        ("昆山市、太仓市和吴江区等地应加强与上海及长三角其他地区合作。", "320500",
         {("昆山市", True), ("太仓市", True), ("吴江区", True), ("上海", False)}),
        ("支持浦东新区率先开展改革试点。", "310000", {("浦东新区", True)}),
        ("由天河区牵头，建设数字经济示范区。", "440100", {("天河区", True)}),
        ("滨海新区要加快建设北方国际航运核心区。", "120000", {("滨海新区", True)}),
        ("成都、绵阳等市要加快建设科技创新中心。", "510000", {("成都", True), ("绵阳", True)}),
        ("针对苏州重点集群，设立产业链质量接力站。", "320500", {("苏州", False)}),
        ("苏州工业园区获批国家检验检测高技术服务业集聚区。", "320500", {("苏州工业园区", False)}),
        ("加强与上海、浙江的合作交流。", "320500", {("上海", False), ("浙江", False)}),
    ],
)
def test_responsibility(sentence, region, expected):
    assert areas_of(sentence, region) == expected


def test_review_chapter_places_are_not_responsible():
    got = areas_of("吴中区、苏州工业园区要加快建设检验检测集聚区。", "320500", "（一）发展成效")
    assert got == {("吴中区", False), ("苏州工业园区", False)}
