"""Word boundaries from jieba: does a candidate's edge cut through a word?

A match on characters alone takes 芙蓉 in 金芙蓉基金 and 市长 in 江阴市长泾镇 for names.
jieba, given the gazetteer's names as a user dictionary (rules/words.yaml), segments the few
characters around a candidate; the candidate stands only if no word crosses its start or
its end. A word the place opens and that ends in one of ``place_led_words`` (河北省人民政府)
still names the place.
"""

from __future__ import annotations

from typing import Iterable

import jieba
import jieba.posseg

from .. import rules
from ..log import route_libraries


class WordBoundaries:
    """jieba with extra names in its dictionary, asked whether spans cut through words."""

    def __init__(self, names: Iterable[str], frequency: int, window: int, place_led: tuple[str, ...]):
        route_libraries()
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.initialize()
        self.names = frozenset(names)
        for name in self.names:
            self.tokenizer.add_word(name, frequency)
        self.window = window
        self.place_led = place_led

    def words(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """``(start, end)`` of jieba's words over ``text[start - window : end + window]``."""
        lo = max(0, start - self.window)
        out, at = [], lo
        for word in self.tokenizer.cut(text[lo : end + self.window], HMM=False):
            out.append((at, at + len(word)))
            at += len(word)
        return out

    def cuts_a_word(self, text: str, start: int, end: int) -> bool:
        """A word jieba finds crosses ``start`` or ``end``, and is neither a place-led word
        (河北省人民政府) nor a place inside a longer place (上海浦东新区 for 浦东新区).

        Example:
            >>> boundaries = WordBoundaries(["镇江", "江阴市", "长泾镇"], 50000, 8, ("人民政府",))
            >>> text = "镇江关遗址和江阴市长泾镇"
            >>> boundaries.cuts_a_word(text, 0, 2), boundaries.cuts_a_word(text, 6, 9)
            (True, False)
        """
        for w_start, w_end in self.words(text, start, end):
            if not (w_start < start < w_end or w_start < end < w_end):
                continue
            place_led = w_start == start and text[start:w_end].endswith(self.place_led)
            nested = w_end == end and any(text[w_start:i] in self.names for i in range(w_start + 2, start + 1))
            if not (place_led or nested):
                return True
        return False


def from_rules(names: Iterable[str]) -> WordBoundaries:
    """Word boundaries with ``names`` added, set up as rules/words.yaml says."""
    config = rules.load("words")
    return WordBoundaries(names, int(config["name_frequency"]), int(config["window"]),
                          rules.lexicon("words", "place_led_words"))


def opens_with_noun(text: str) -> bool:
    """jieba tags the first word of ``text`` a noun (rules/words.yaml noun_flags).

    Example:
        >>> opens_with_noun("质量提升示范点建设"), opens_with_noun("建设")
        (True, False)
    """
    return _first_flag(text) in rules.lexicon("words", "noun_flags")


def opens_with_verb(text: str) -> bool:
    """jieba tags the first word of ``text`` a verb (rules/words.yaml verb_flags).

    Example:
        >>> opens_with_verb("建设示范区"), opens_with_verb("西部生态新区")
        (True, False)
    """
    return _first_flag(text) in rules.lexicon("words", "verb_flags")


def _first_flag(text: str) -> str:
    route_libraries()
    first = next(iter(jieba.posseg.cut(text[:8], HMM=False)), None)
    return first.flag if first is not None else ""
