"""Dates named in questions and passages, as (month, day) pairs, in Chinese and English.

A question that names a day ("3月4日…会议", "the April 8 meeting") is about the article or
speech of that day. Passages carry dates in their text, their article's title and dateline
(`新华社北京4月17日电`) and their attribution (`——3月10日，习近平…`): those decide whether a
passage agrees with the question's date, contradicts it, or says nothing about it.
"""

from __future__ import annotations

import calendar
import datetime
import re

MonthDay = tuple[int, int]

# Words of an attribution that dates a publication ("——4月1日，习近平在《求是》杂志发表文章…"):
# the day of the print, not of the speech or the event the passage tells of.
# "发表重要讲话" delivers a speech that day ("——3月26日，习近平出席…峰会并发表重要讲话"): the day of
# what it tells of, not of a print.
PUBLISHED = re.compile(r"发表(?![^，。]{0,6}?(?:讲话|演讲|致辞|贺词))|刊发|刊登|出版|杂志")


def dates_a_publication(text: str) -> bool:
    """Whether an attribution dates the publishing of a text rather than what it tells of."""
    return PUBLISHED.search(text) is not None


_ZH = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# "3月29日至4月1日", "3月29日至31日": every day of the range counts.
_ZH_RANGE = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[至到—－-]\s*(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日")
MONTHS = {name: i for i, names in enumerate(
    [(), ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
     ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
     ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
     ("december", "dec")]) for name in names}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_EN_MD = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s*(\d{{4}}))?", re.I)
_EN_DM = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\b\.?(?:,?\s*(\d{{4}}))?",
                    re.I)
_EN_MONTH_YEAR = re.compile(rf"\b({_MONTH})\s+(\d{{4}})\b", re.I)
# A month named without a day ("4月中旬", "2020年4月", "in mid-April", "the April meeting"),
# with the part of it said: its first, middle or last ten days.
_ZH_MONTH = re.compile(r"(?<![\d.])(\d{1,2})\s*月(?!\s*\d{1,2}\s*[日号])(上旬|中旬|下旬|初|底|末)?")
_EN_MONTH = re.compile(r"\b(?:(early|mid|late|the end of|end of)[\s-]+)?"
                       r"(January|February|March|April|May|June|July|August|September|October|"
                       r"November|December)\b(?!\s+\d{1,2}\b)")
_PART = {"上旬": (1, 10), "初": (1, 10), "early": (1, 10), "中旬": (11, 20), "mid": (11, 20),
         "下旬": (21, 31), "底": (21, 31), "末": (21, 31), "late": (21, 31),
         "the end of": (21, 31), "end of": (21, 31)}


def _valid(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


def zh_dates(text: str) -> set[MonthDay]:
    """(month, day) of every Chinese date in the text, ranges expanded."""
    out = {(int(m), int(d)) for _y, m, d in _ZH.findall(text) if _valid(int(m), int(d))}
    for m1, d1, m2, d2 in _ZH_RANGE.findall(text):
        start, end = (int(m1), int(d1)), (int(m2 or m1), int(d2))
        if start[0] == end[0]:
            out.update((start[0], d) for d in range(start[1], end[1] + 1) if _valid(start[0], d))
        elif end[0] == start[0] + 1:
            out.update((start[0], d) for d in range(start[1], 32))
            out.update((end[0], d) for d in range(1, end[1] + 1))
    return out


def zh_ranges(text: str) -> list[set[MonthDay]]:
    """Each Chinese date range of the text ("3月29日至4月1日"), as the days it spans."""
    return [zh_dates(m.group(0)) for m in _ZH_RANGE.finditer(text)]


def en_dates(text: str) -> set[MonthDay]:
    """(month, day) of every English date: "March 9", "Feb. 23, 2020", "9 March"."""
    out: set[MonthDay] = set()
    for name, day, _year in _EN_MD.findall(text):
        if name.lower() == "may" and not re.search(rf"\bmay\s+{day}\b", text, re.I):
            continue
        out.add((MONTHS[name.lower()], int(day)))
    for day, name, _year in _EN_DM.findall(text):
        out.add((MONTHS[name.lower()], int(day)))
    return {d for d in out if _valid(*d)}


def question_dates(question: str) -> set[MonthDay]:
    """The days a question names, whatever its language."""
    return zh_dates(question) | en_dates(question)


def month_days(question: str) -> set[MonthDay]:
    """The days of the months a question names without naming a day ("4月中旬那次政治局会议"
    -> April 11-20, "the April meeting" -> every day of April); none when it names a day
    (`question_dates`) or no month. "May" counts only after "in", "of" or a part of it."""
    return set() if question_dates(question) else months_named(question)


def months_named(text: str) -> set[MonthDay]:
    """The days of every month a text names without a day, as `month_days` reads them (a
    passage stating "截至2月底" speaks of the end of February, whatever day it is dated)."""
    found = [(int(m), part) for m, part in _ZH_MONTH.findall(text)]
    for m in _EN_MONTH.finditer(text):
        name, part = m.group(2), (m.group(1) or "").lower()
        before = text[:m.start()].rstrip().lower()
        if name == "May" and not part and not re.search(r"\b(?:in|of)$", before):
            continue
        found.append((MONTHS[name.lower()], part))
    days: set[MonthDay] = set()
    for month, part in found:
        if 1 <= month <= 12:
            first, last = _PART.get(part, (1, 31))
            days.update((month, d) for d in range(first, last + 1)
                        if d <= calendar.monthrange(2020, month)[1])
    return days


def to_chinese(month: int, day: int) -> str:
    """How the corpus writes the day: 3月9日."""
    return f"{month}月{day}日"


def english_dates_in_chinese(question: str) -> list[str]:
    """The English question's dates and month-years written the Chinese way, for the lexical
    side: "March 9" -> 3月9日, "February 2020" -> 2020年2月."""
    out = [to_chinese(m, d) for m, d in sorted(en_dates(question))]
    for name, year in _EN_MONTH_YEAR.findall(question):
        out.append(f"{year}年{MONTHS[name.lower()]}月")
    return out


def agreement(wanted: set[MonthDay], text_dates: set[MonthDay],
              context_dates: set[MonthDay]) -> int:
    """+1 when the passage (text or context) names one of the question's days; -1 when its
    article or attribution is dated and names none of them, nor does its text; 0 otherwise."""
    if not wanted:
        return 0
    if wanted & (text_dates | context_dates):
        return 1
    if context_dates:
        return -1
    return 0


def first_date(text: str) -> MonthDay | None:
    """The first Chinese date the text gives ("3月29日，习近平前往…" -> (3, 29))."""
    for _y, m, d in _ZH.findall(text):
        if _valid(int(m), int(d)):
            return int(m), int(d)
    return None


# A passage opening with its own day ("3月30日，习近平前往…")
_OPENING_DAY = re.compile(r"^\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[，,]")


def opening_day(text: str) -> MonthDay | None:
    """The day a passage opens with ("3月30日，习近平前往湖州市…" -> (3, 30)), None when it
    opens otherwise: a stop of a visit of several days, told under its own day."""
    m = _OPENING_DAY.match(text)
    return (int(m.group(1)), int(m.group(2))) if m else None


def shift_day(day: MonthDay, days: int) -> MonthDay:
    """The day `days` after (or before) `day`, across month ends (the year taken as a leap one:
    a day and month name no year)."""
    moved = datetime.date(2020, *day) + datetime.timedelta(days=days)
    return moved.month, moved.day


def english_day(day: MonthDay) -> str:
    """"March 30"."""
    return f"{calendar.month_name[day[0]]} {day[1]}"
