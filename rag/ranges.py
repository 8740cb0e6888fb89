"""A number the question gives that falls inside a range a passage states.

Notices and tables state ranges, questions give one value: "我62岁，门票多少？" against a row
"优惠票 40元 … 60周岁至64周岁老年人", "我家住16栋" against "高层住宅 15—18栋 1.90", "批号是
SC24D09" against "批号SC24D02至SC24D15". No word of the question is in the row; the number is,
inside its range. `Retriever._rank` gives such a passage a small lead (`range_weight`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Units a value and a range are compared in, with the spellings that mean the same.
_UNITS = {"周岁": "岁", "岁": "岁", "栋": "栋", "幢": "栋", "号楼": "栋", "层": "层", "楼": "层",
          "年": "年", "个月": "月", "天": "天", "人": "人", "元": "元", "平方米": "平方米",
          "平米": "平方米", "公斤": "公斤", "千克": "公斤", "kg": "公斤", "公里": "公里", "km": "公里"}
_UNIT = "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True))
_NUMBER = r"\d+(?:\.\d+)?"
_DASH = r"\s*(?:至|到|—|–|－|-|~|～)\s*"
# "我62岁", "16栋", "住了3年"; an English "I'm 62 years old", "in Building 16", "8 years".
_ZH_VALUE = re.compile(rf"(?<![\d.])({_NUMBER})\s*({_UNIT})(?![\d])")
_EN_VALUE = re.compile(rf"\b({_NUMBER})\s*(years? old|years?|months?|days?|floors?)\b|"
                       rf"\b(building|block|floor)\s+({_NUMBER})\b", re.IGNORECASE)
_EN_UNITS = {"year old": "岁", "years old": "岁", "year": "年", "years": "年", "month": "月",
             "months": "月", "day": "天", "days": "天", "floor": "层", "floors": "层",
             "building": "栋", "block": "栋"}
# "60周岁至64周岁", "15—18栋", "1 to 10 years"; "65周岁及以上", "未满18周岁", "6周岁及以下".
_RANGE = re.compile(rf"({_NUMBER})\s*({_UNIT})?{_DASH}({_NUMBER})\s*({_UNIT})|"
                    rf"({_NUMBER}) to ({_NUMBER}) (years?|months?|days?|floors?)", re.IGNORECASE)
_AT_LEAST = re.compile(rf"({_NUMBER})\s*({_UNIT})\s*(?:及|或)?以上")
_UNDER = re.compile(rf"(?:未满|不满|不足)\s*({_NUMBER})\s*({_UNIT})")
_AT_MOST = re.compile(rf"({_NUMBER})\s*({_UNIT})\s*(?:及以下|以下|以内)")
# A code with a running number: "SC24D09" inside "SC24D02至SC24D15".
_CODE = re.compile(r"(?<![A-Za-z0-9])([A-Z]{1,4}\d*[A-Z]+)(\d{2,})(?![A-Za-z0-9])")
_CODE_RANGE = re.compile(
    rf"(?<![A-Za-z0-9])([A-Z]{{1,4}}\d*[A-Z]+)(\d{{2,}}){_DASH}\1(\d{{2,}})(?![A-Za-z0-9])")


@dataclass(frozen=True)
class Value:
    """A number the question gives, in a unit (or a code's running number under its prefix)."""

    number: float
    unit: str


def asked_values(question: str) -> list[Value]:
    """The numbers with units (and running codes) a question gives: "我62岁" -> 62 岁."""
    out = [Value(float(n), _UNITS[u]) for n, u in _ZH_VALUE.findall(question)]
    for m in _EN_VALUE.finditer(question):
        if m.group(1):
            out.append(Value(float(m.group(1)), _EN_UNITS[m.group(2).lower()]))
        else:
            out.append(Value(float(m.group(4)), _EN_UNITS[m.group(3).lower()]))
    out += [Value(float(n), f"code:{prefix}") for prefix, n in _CODE.findall(question)]
    # a calendar year ("2024年") is a date, the dates' job (rag/dates.py)
    return list(dict.fromkeys(v for v in out if not (v.unit == "年" and v.number >= 1900)))


def holds_in_range(text: str, values: list[Value]) -> bool:
    """Whether `text` states a range (or a bound: "65周岁及以上", "未满18周岁") that one of
    `values` falls in, in its unit."""
    if not values:
        return False
    for m in _RANGE.finditer(text):
        if m.group(1):
            low, high, unit = float(m.group(1)), float(m.group(3)), _UNITS[m.group(4)]
            if m.group(2) and _UNITS[m.group(2)] != unit:
                continue
        else:
            low, high = float(m.group(5)), float(m.group(6))
            unit = _EN_UNITS[m.group(7).lower()]
        if any(v.unit == unit and low <= v.number <= high for v in values):
            return True
    for m in _AT_LEAST.finditer(text):
        if any(v.unit == _UNITS[m.group(2)] and v.number >= float(m.group(1)) for v in values):
            return True
    for m in _UNDER.finditer(text):
        if any(v.unit == _UNITS[m.group(2)] and v.number < float(m.group(1)) for v in values):
            return True
    for m in _AT_MOST.finditer(text):
        if any(v.unit == _UNITS[m.group(2)] and v.number <= float(m.group(1)) for v in values):
            return True
    for m in _CODE_RANGE.finditer(text):
        unit = f"code:{m.group(1)}"
        if any(v.unit == unit and float(m.group(2)) <= v.number <= float(m.group(3))
               for v in values):
            return True
    return False
