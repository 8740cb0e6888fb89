"""Where in a speech or a list a question points: its opening, its end, or its n-th point
(the first, when the whole list is asked: "提出的4点倡议是什么？").

"他讲话结尾喊了什么口号？", "What three requirements did Xi set at the end of his February 23
speech?", "开头首先感谢了谁？", "第二点倡议里，他建议探讨建立什么机制？", "the first two of the six
requirements": the words asked about are spread over the whole speech, but the answer stands
at a place in it. A passage at that place is the opening or the closing passage of its article,
or one that opens the place itself ("最后，我给…提3点要求", "第二，…", "二是…").
Only a few questions point like this, and the cues are written narrowly: "the end of 2019",
"the last mile", "first put forward" and "第一线" point nowhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

START, END = "start", "end"

_ZH_DIGITS = "一二三四五六七八九十"
_EN_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                "ninth", "tenth"]
_SPEECH = r"(?:speech|address|remarks|letter|article|call|talk|statement|message)"

_ENDS = re.compile(
    r"结尾|末尾|(?:讲话|发言|信|文章)(?:的)?最后|"  # not "他最后呼吁…": lastly, in a list
    rf"\bat the (?:end|close) of (?:his|her|the|that|this) (?:\w+ ){{0,3}}{_SPEECH}\b|"
    rf"\b(?:concluded|closed|ended) (?:his|her|the|that) (?:\w+ ){{0,3}}{_SPEECH}\b|"
    rf"\bclosing (?:words|lines|remarks|sentence|slogan)\b", re.I)
_STARTS = re.compile(
    r"开头|开篇|一开始|开场白|首先(?:感谢|说|表示|谈到)|"
    rf"\bat the (?:beginning|start|opening) of (?:his|her|the|that|this) (?:\w+ ){{0,3}}{_SPEECH}\b|"
    rf"\b(?:opened|began|started) (?:his|her|the|that) (?:\w+ ){{0,3}}{_SPEECH}\b|"
    r"\bopening (?:words|lines|remarks|sentence)\b", re.I)
_ZH_NTH = re.compile(rf"第([{_ZH_DIGITS}])(?:点|条|项|个(?:方面|倡议|建议|要求|措施)|方面)")
_EN_NTH = re.compile(
    r"\b(?:the|his|her|its|their) (" + "|".join(_EN_ORDINALS) + r")(?: (two|three|four))?"
    r"(?: of (?:the|his|her|its|their) (?:\w+ ){0,2}?)?"
    r" ?(?:points?|proposals?|requirements?|measures?|suggestions?|initiatives?|tasks?|"
    r"priorities|priority|principles?|demands?|recommendations?|aspects?|steps?)\b", re.I)
_COUNTS = {"two": 2, "three": 3, "four": 4}
# "提出的4点倡议是什么？", "哪三个方面", "What four proposals did he put forward?": the whole
# list is asked, and its first point opens it.
_ZH_LIST = re.compile(rf"(?:[\d{_ZH_DIGITS}两])(?:点|条|项|个方面|方面)[\u4e00-\u9fff]{{0,4}}?"
                      r"(?:是什么|是哪些|有哪些|分别是|包括什么)|"
                      rf"哪(?:[\d{_ZH_DIGITS}两])(?:点|条|项|个方面|方面)")
_EN_LIST = re.compile(
    r"\bwhat (?:two|three|four|five|six|seven|eight|\d) (?:\w+ )?(?:points|proposals|"
    r"requirements|measures|suggestions|initiatives|tasks|priorities|principles|demands|"
    r"recommendations|aspects|steps)\b", re.I)


@dataclass(frozen=True)
class Position:
    """START, END, or the points asked (1-based) of an enumeration."""

    where: str = ""
    points: tuple[int, ...] = ()


def asked_position(question: str) -> Position | None:
    """The place the question points at, or None (most questions)."""
    m = _ZH_NTH.search(question)
    if m:
        return Position(points=(_ZH_DIGITS.index(m.group(1)) + 1,))
    m = _EN_NTH.search(question)
    if m:
        first = _EN_ORDINALS.index(m.group(1).lower()) + 1
        count = _COUNTS.get((m.group(2) or "").lower(), 1)
        return Position(points=tuple(range(first, first + count)))
    if _ENDS.search(question):
        return Position(where=END)
    if _STARTS.search(question):
        return Position(where=START)
    if _ZH_LIST.search(question) or _EN_LIST.search(question):
        return Position(points=(1,))
    return None


def _point_marker(n: int) -> re.Pattern:
    """A clause opening the n-th point: "第二，", "二是", "二要", "其二", "（二）"."""
    d = _ZH_DIGITS[n - 1]
    first = "|首先[，,]" if n == 1 else ""
    return re.compile(rf"(?:^|[。；;：:！!？?\s，,])(?:第{d}[，,、]|{d}[是要][^\s]|其{d}[，,]|[（(]{d}[）)]{first})")


_OPENS_END = re.compile(r"(?:^|[。；！？\s])最后[，,]")
_OPENS_START = re.compile(r"(?:^|[。；！？\s])首先[，,]")


def at_position(position: Position, text: str, first: bool, last: bool) -> bool:
    """Whether a passage stands where the question points: `first`/`last` say whether it is
    the opening or closing passage of its article."""
    if position.points:
        return any(_point_marker(n).search(text) for n in position.points if n <= 10)
    if position.where == END:
        return last or bool(_OPENS_END.search(text))
    if position.where == START:
        return first or bool(_OPENS_START.search(text))
    return False
