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

import functools
import re
from dataclasses import dataclass

from .support_check import zh_value

START, END = "start", "end"

_ZH_DIGITS = "一二三四五六七八九十"
EN_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                "ninth", "tenth"]
_SPEECH = r"(?:speech|address|remarks|letter|article|call|talk|statement|message)"
# whose speech: "his", "that", or a name's ("Xi Jinping's reply letter")
_WHOSE = r"(?:his|her|the|that|this|(?-i:[A-Z][\w-]*(?: [A-Z][\w-]*)?)['’]s)"

_ENDS = re.compile(
    r"结尾|末尾|收尾|结束语|结语|(?:讲话|发言|信|文章|评论)(?:的)?最后|"  # not "他最后呼吁…": lastly, in a list
    r"最后(?:一|几)段|末段|\b(?:last|final|closing) paragraphs?\b|"  # "最后一段开头": its end
    rf"\bat the (?:end|close) of {_WHOSE} (?:\w+ ){{0,3}}{_SPEECH}\b|"
    # ("…did Xi end his March 10 Wuhan speech with?": asked in the browser)
    rf"\b(?:concluded|closed|ended|conclude|close|end) (?:his|her|the|that) (?:\w+ ){{0,3}}"
    rf"{_SPEECH}\b|"
    rf"\bclosing (?:words|lines|remarks|sentence|slogan)\b", re.I)
_STARTS = re.compile(
    r"开头|开篇|一开始|开场白|首先(?:感谢|说|表示|谈到)|"
    rf"\bat the (?:beginning|start|opening) of {_WHOSE} (?:\w+ ){{0,3}}{_SPEECH}\b|"
    rf"\b(?:opened|began|started|open|begin|start) (?:his|her|the|that) (?:\w+ ){{0,3}}"
    rf"{_SPEECH}\b|"
    r"\bopening (?:words|lines|remarks|sentence)\b", re.I)
_NOUNS = (r"(?:points?|proposals?|requirements?|measures?|suggestions?|initiatives?|tasks?|"
          r"priorities|priority|principles?|demands?|recommendations?|aspects?|steps?|"
          r"things?|areas?|challenges?|difficulties|difficulty|items?|jobs?|ways?|tiers?|"
          r"achievements?|conditions?|criteria|goals?|targets?|actions?|rules?|reasons?|"
          r"stages?|phases?|categories|category|commitments?|arrangements?|"
          r"ones?|works?|pieces?|parts?)")
_ZH_NTH = re.compile(rf"第([{_ZH_DIGITS}])(?:点|条|项|个(?:方面|倡议|建议|要求|措施)?|方面)|"
                     rf"排(?:在)?第([{_ZH_DIGITS}])|"
                     # "…议定的重点工作中，三是什么？": the item as the list words it
                     rf"(?<![\u4e00-\u9fff])([{_ZH_DIGITS}])是(?:什么|哪)")
# "the third point", "the second of his four proposals", "the third of the port group's 2023
# achievements", "the third eligibility condition".
_EN_NTH = re.compile(
    r"\b(?:the|his|her|its|their) (" + "|".join(EN_ORDINALS) + r")(?: (two|three|four))?"
    rf"(?: of (?:the|his|her|its|their) (?:[\w'’-]+ ){{0,4}}?| (?:[\w'’-]+ ){{0,2}}?| ){_NOUNS}\b",
    re.I)
# "What was the third?", "And the fifth?": an ordinal closing a short follow-up.
_EN_NTH_ALONE = re.compile(r"\bthe (" + "|".join(EN_ORDINALS) + r")(?: one)?\s*[?.]?\s*$", re.I)
_COUNTS = {"two": 2, "three": 3, "four": 4}
_EN_NUMBERS = {w: i + 2 for i, w in enumerate(
    "two three four five six seven eight nine ten".split())}
# The last of a list whose size the question gives: "7点防控要求中，最后一点", "“六保”中，排在最后
# 的一项", "the last of the five things".
_ZH_LAST = re.compile(r"最后(?:的)?一(?:点|项|条|个|方面)|排在最后|最后一个方面")
_ZH_SIZE = re.compile(rf"(\d+|[{_ZH_DIGITS}两]+)(?:点|项|条|个方面|方面|保|个|大)")
# "提出了7点要求" (not "第七点", nor "3个月")
_ZH_LIST_SIZE = re.compile(rf"(?<![第哪\d{_ZH_DIGITS}])(\d|[{_ZH_DIGITS}两])(?:点|项|条|个方面|方面)")
_EN_LAST = re.compile(r"\bthe (?:last|final) (?:one|\w+)?\b.*?\bof (?:the|his|its) "
                      r"(two|three|four|five|six|seven|eight|nine|ten|\d+)\b|"
                      r"\b(?:the|his|its) (two|three|four|five|six|seven|eight|nine|ten|\d+) "
                      r"\w+(?: \w+)?,? (?:what|which) (?:was|is) the (?:last|final)\b", re.I)
# "提出的4点倡议是什么？", "哪三个方面", "What four proposals did he put forward?": the whole
# list is asked, and its first point opens it.
_ZH_LIST = re.compile(rf"(?<!最后)(?<!最后的)(?:[\d{_ZH_DIGITS}两])(?:点|条|项|个方面|方面)[\u4e00-\u9fff]{{0,4}}?"
                      r"(?:是什么|是哪些|有哪些|分别是|包括什么)|"
                      rf"哪(?:[\d二三四五六七八九十两])(?:点|条|项|个方面|方面)")  # 哪一: which
_EN_LIST = re.compile(
    r"\bwhat (?:two|three|four|five|six|seven|eight|\d) (?:\w+ )?(?:points|proposals|"
    r"requirements|measures|suggestions|initiatives|tasks|priorities|principles|demands|"
    r"recommendations|aspects|steps)\b", re.I)


@dataclass(frozen=True)
class Position:
    """START, END, or the points asked (1-based) of an enumeration (of the list standing
    there, when both are given)."""

    where: str = ""
    points: tuple[int, ...] = ()
    whole_list: bool = False  # the whole list asked ("4点倡议是什么？"): its first point opens it
    # the size of the list the question names ("提出了7点要求，其中第五点是什么？"): a list running
    # past it ("…第七，…第八，") is another one
    size: int | None = None


def asked_position(question: str) -> Position | None:
    """The place the question points at, or None (most questions)."""
    # "讲话最后他…提了3点要求，第一点是什么？": the n-th point of the list at the speech's end
    where = END if _ENDS.search(question) else START if _STARTS.search(question) else ""
    m = _ZH_NTH.search(question)
    if m:
        size = _ZH_LIST_SIZE.search(question[:m.start()] + "，" + question[m.end():])
        n = (int(size.group(1)) if size.group(1).isdigit() else zh_value(size.group(1))) \
            if size else None
        return Position(where, (_ZH_DIGITS.index(next(g for g in m.groups() if g)) + 1,),
                        size=n if n and 1 < n < 10 else None)
    m = _EN_NTH.search(question) or _EN_NTH_ALONE.search(question)
    if m:
        ordinal, *how_many = m.groups()  # "the first two of the six …": points 1 and 2
        first = EN_ORDINALS.index(ordinal.lower()) + 1
        count = _COUNTS.get((how_many[0] or "").lower(), 1) if how_many else 1
        return Position(where, tuple(range(first, first + count)))
    if _ZH_LAST.search(question):
        size = _ZH_SIZE.search(_ZH_LAST.sub("", question))  # not the 一 of "最后一点"
        n = int(size.group(1)) if size and size.group(1).isdigit() else \
            zh_value(size.group(1)) if size else None
        if n and n <= 10:
            return Position(points=(n,))
    m = _EN_LAST.search(question)
    if m:
        size = (m.group(1) or m.group(2)).lower()
        n = int(size) if size.isdigit() else _EN_NUMBERS[size]
        if n <= 10:
            return Position(points=(n,))
    if _ENDS.search(question):
        return Position(where=END)
    if _STARTS.search(question):
        return Position(where=START)
    if _ZH_LIST.search(question) or _EN_LIST.search(question):
        return Position(points=(1,), whole_list=True)
    return None


@functools.cache
def _point_marker(n: int) -> re.Pattern:
    """A clause opening the n-th point: "第二，", "二是", "二要", "其二", "（二）", and a
    numbered item: "9. 腹部B超", "2、", "（3）" (not "3.5%")."""
    d = _ZH_DIGITS[n - 1]
    first = "|首先[，,]" if n == 1 else ""
    return re.compile(rf"(?:^|[。；;：:！!？?\s，,])(?:第{d}[，,、]|{d}[是要][^\s]|其{d}[，,]|[（(]{d}[）)]{first}|"
                      rf"(?<!\d){n}\s?[.．、](?!\d)|[（(]{n}[）)])")


_OPENS_END = re.compile(r"(?:^|[。；！？\s])最后[，,]")
_OPENS_START = re.compile(r"(?:^|[。；！？\s])首先[，,]")


def opens_item(position: Position, text: str) -> bool:
    """Whether a passage is itself the n-th item asked ("9. 腹部B超（肝、胆、胰、脾）；"):
    it opens with that item's marker."""
    return any(_point_marker(n).match(text.lstrip()) for n in position.points if n <= 10)


# "最后一点是什么？", "And the last one?": the last point of the list under discussion, whose
# size the question does not give (the conversation's list says it: `opened_point`).
_LAST_ALONE = re.compile(r"最后(?:的)?一(?:点|项|条|个方面)|"
                         r"\bthe (?:last|final) (?:one|point|proposal|item|measure|requirement|"
                         r"suggestion|initiative|task|priority)\b", re.I)


def asks_last_point(question: str) -> re.Match | None:
    """Where the question asks the last point of a list it does not size ("最后一点是什么？")."""
    if _ZH_LAST.search(question) and _ZH_SIZE.search(_ZH_LAST.sub("", question)) or \
            _EN_LAST.search(question):
        return None  # the list's size is given: `asked_position` reads it
    return _LAST_ALONE.search(question)


def first_point(text: str) -> tuple[int, re.Match] | None:
    """The numbered point a passage opens with ("第三，…"), else the first one in it ("经过艰苦
    努力…。一是…"): its number and where its marker stands; None when it has none."""
    text = text.lstrip()
    opening = next(((k, m) for k in range(1, 11) if (m := _point_marker(k).match(text))), None)
    if opening:
        return opening
    found = [(m.start(), k, m) for k in range(1, 11) if (m := _point_marker(k).search(text))]
    return min(found, key=lambda f: f[0])[1:] if found else None


def sibling_marker(text: str, n: int) -> tuple[int, re.Pattern] | None:
    """The number of the point a passage opens with (or, else, of its first point) and the
    marker of point `n` written the same way ("四是形成…" -> 4, "二是"; "第一，全力…" -> 1,
    "第三，"): the same list, not another one of the speech ("第二，打好…" where "四是…" was
    quoted). None when `text` has no numbered point."""
    point = first_point(text) if 1 <= n <= 10 else None
    if point is None:
        return None
    k, m = point
    marker = m.group().lstrip("。；;：:！!？?，, \t\n")
    for old, new in ((_ZH_DIGITS[k - 1], _ZH_DIGITS[n - 1]), (str(k), str(n))):
        at = marker.find(old)
        if at >= 0:
            written = marker[:at] + new + marker[at + len(old):at + len(old) + 1]
            return k, re.compile(rf"(?:^|[。；;：:！!？?\s，,]){re.escape(written)}")
    return None


def opened_point(text: str) -> int | None:
    """The number of the point a passage opens with ("第三，…" -> 3), or None."""
    point = first_point(text)
    return point[0] if point and point[1].start() == 0 else None


def place_weight(position: Position, text: str, first: bool, last: bool) -> float:
    """1 for a passage standing where the question points (`at_position`), 1.5 for the n-th
    point of the list at the place asked ("讲话最后…3点要求，第一点": "最后，我…提3点要求。一要…"
    over "第一，坚决打好…" of a list in the middle), else 0."""
    if not at_position(position, text, first, last):
        return 0.0
    both = position.points and position.where and \
        at_position(Position(where=position.where), text, first, last)
    return 1.5 if both else 1.0


def at_position(position: Position, text: str, first: bool, last: bool) -> bool:
    """Whether a passage stands where the question points: `first`/`last` say whether it is
    the opening or closing passage of its article."""
    if position.points:  # of any list: the words asked find the one at the end (`where`)
        if position.size and _point_marker(position.size + 1).search(text):
            return False  # a longer list than the one asked of
        return any(_point_marker(n).search(text) for n in position.points if n <= 10)
    if position.where == END:
        return last or bool(_OPENS_END.search(text))
    if position.where == START:
        return first or bool(_OPENS_START.search(text))
    return False
