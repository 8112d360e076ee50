import pytest
from hypothesis import given, strategies as st

from planx.normalise import normalise_inline, normalise_line, normalise_text


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("２０２５年", "2025年"),
        ("达到９８．５％", "达到98.5%"),
        ("ＧＤＰ增长６％", "GDP增长6%"),
        ("2－3个", "2-3个"),
        ("互联网＋", "互联网+"),
        ("中国质量奖（含提名奖）", "中国质量奖（含提名奖）"),
        ("\u3000\u3000一、总体要求", "一、总体要求"),
        ("序  言", "序 言"),
        (" 序  言 TC 序言 \\* MERGEFORMAT ", "序 言"),
        ("第一章 总则……………………3", ""),
        ("第二章 发展环境........12", ""),
        ("\t类别", "\t类别"),
        ("\t", "\t"),
        ("a\u200bb", "ab"),
        ("个（次）", "个（次）"),
        ("“十四五”时期", "“十四五”时期"),
        ("每年\u00a0开展", "每年 开展"),
        ("１．质量竞争力。", "1.质量竞争力。"),
    ],
)
def test_normalise_line(raw, expected):
    assert normalise_line(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("“十三\n五”末", "“十三五”末"),
        ("Quality\nPlan", "Quality Plan"),
        ("合格\r\n率", "合格率"),
    ],
)
def test_normalise_inline_joins_wrapped_lines(raw, expected):
    assert normalise_inline(raw) == expected


@given(st.text())
def test_normalise_keeps_line_count(text):
    assert normalise_text(text).count("\n") == text.replace("\r\n", "\n").replace("\r", "\n").replace(
        "\u2028", "\n").replace("\u2029", "\n").count("\n")


@given(st.text())
def test_normalise_is_idempotent(text):
    once = normalise_text(text)
    assert normalise_text(once) == once
