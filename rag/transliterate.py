"""English spellings of the documents' Chinese names: "Jiangning" -> 江宁, "Shen Ruoxi" -> 沈若溪.

A dictionary knows the names of the famous (CC-CEDICT has 习近平 and 马克龙), not those of a
city's districts, a company or its board secretary. An English question spells those in
pinyin, so the documents' own runs of characters whose pinyin, tones left out, spells the
word are its Chinese. Only runs of two to five characters, each read in any of its readings
(长 as chang or zhang), are looked for; a spelling found nowhere translates to nothing.

pypinyin (MIT) gives each character's readings.
"""

from __future__ import annotations

import re
import threading
from collections import Counter

_CJK = re.compile(r"[\u3400-\u9fff]")
MIN_CHARS, MAX_CHARS = 2, 5
MAX_FOUND = 3  # spellings of several words ("Dongheng" 东衡 and 东恒): the most frequent few
RARER = 3  # ... each found at least a third as often as the first
FIXED = 0.8  # a run this often between the same two characters is part of a longer word


class PinyinIndex:
    """Where each syllable starts a character in the documents' text, built on first use."""

    def __init__(self, text: str):
        self._text = text
        self._by_syllable: dict[str, list[int]] | None = None
        self._readings: dict[str, tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def _build(self) -> dict[str, list[int]]:
        from pypinyin import Style, pinyin

        with self._lock:
            if self._by_syllable is None:
                chars = {c for c in self._text if _CJK.match(c)}
                self._readings = {c: tuple(dict.fromkeys(
                    pinyin(c, style=Style.NORMAL, heteronym=True)[0])) for c in chars}
                by_syllable: dict[str, list[int]] = {}
                for i, c in enumerate(self._text):
                    for reading in self._readings.get(c, ()):
                        by_syllable.setdefault(reading, []).append(i)
                self._by_syllable = by_syllable
        return self._by_syllable

    def spelled(self, word: str) -> list[str]:
        """The runs of characters the pinyin `word` spells ("jiangning" -> ["江宁"]), the most
        frequent first."""
        word = re.sub(r"[^a-z]", "", word.lower())
        if len(word) < 4:  # "Li", "Hu": too short to tell a name from a syllable
            return []
        by_syllable = self._build()
        found: Counter[str] = Counter()
        sides: dict[str, Counter[tuple[str, str]]] = {}
        for syllable, starts in by_syllable.items():
            if not word.startswith(syllable):
                continue
            for start in starts:
                end = self._spells(start + 1, word[len(syllable):], 1)
                if end:
                    run = self._text[start:end]
                    found[run] += 1
                    sides.setdefault(run, Counter())[
                        (self._text[start - 1:start], self._text[end:end + 1])] += 1
        for run, seen in sides.items():
            if _inside_a_word(found[run], seen):
                del found[run]
        ranked = found.most_common(MAX_FOUND)
        # A name recurs; a run that happens to spell it across two words ("安吉" and "按期"
        # for "Anji") is rarer: those well behind the first are left out.
        return [w for w, n in ranked if n * RARER >= ranked[0][1]] if ranked else []

    def _spells(self, at: int, rest: str, n: int) -> int:
        """Where the characters from `at` end that spell `rest` (`n` characters read so far,
        MAX_CHARS at most in all); 0 when they do not."""
        if not rest:
            return at if n >= MIN_CHARS else 0
        if n >= MAX_CHARS or at >= len(self._text):
            return 0
        for reading in self._readings.get(self._text[at], ()):
            if rest.startswith(reading):
                end = self._spells(at + 1, rest[len(reading):], n + 1)
                if end:
                    return end
        return 0


def _inside_a_word(count: int, sides: Counter[tuple[str, str]]) -> bool:
    """Whether a run is only ever the middle of something longer, the same characters on
    both its sides: "Xixi" spells 席习 in every "主席习近平", while 西溪 stands beside whatever
    follows it. A run seen once or twice is given the benefit of the doubt."""
    if count < 3:
        return False
    left = Counter(a for a, _ in sides.elements())
    right = Counter(b for _, b in sides.elements())
    return left.most_common(1)[0][1] >= FIXED * count and \
        right.most_common(1)[0][1] >= FIXED * count
