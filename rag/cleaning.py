"""Line-level cleaning that never loses the way back to the original text.

Every piece of clean text is a `Span`: its characters plus, for each character, the offset of
that character in the original decoded text. Dropping markup, page numbers and line wraps only
ever removes characters, so any span of clean text maps back exactly.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .lexical import has_cjk

MARKUP = re.compile(r"\[bookmark: [^\]]*\]|\*\*|__|\u200b|\u200c|\u200d|\ufeff")
HEADING_MARK = re.compile(r"^#{1,6}\s+")
PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*-)?$")
TOC_LEADER = re.compile(r"(?:\.{4,}|…{3,}|·{4,})\s*\d*$|错误[!！]未定义书签")
TERMINAL = "。！？!?…；;：:”’」』）)》】"
CLOSING = "”’」』）)》】"  # terminal only after a sentence's stop: "…通知书》" may run on
_FIRST_WORD = re.compile(r"[A-Za-z0-9@._%/+\-]+|.")  # what a line cannot break inside
LIST_LEAD = re.compile(r"(?:如下|下列|以下|如次|附后|包括|分别|为)[^，。；！？:：]{0,8}[:：]$|follows:$")
# A list item's or a table row's number opening a line: "2 江宁市禾丰糕点厂 …", "3. 禁止…", "（4）"
NUMBERED_ITEM = re.compile(r"^(?:\d{1,3}(?:\s|[.．、）)])|[（(]\d{1,3}[）)])")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Span:
    """Clean text with, per character, its offset in the original text."""

    text: str
    offsets: tuple[int, ...]

    def __add__(self, other: Span) -> Span:
        return Span(self.text + other.text, self.offsets + other.offsets)

    def slice(self, start: int, end: int) -> Span:
        return Span(self.text[start:end], self.offsets[start:end])

    @property
    def char_start(self) -> int:
        return self.offsets[0]

    @property
    def char_end(self) -> int:
        return self.offsets[-1] + 1


@dataclass(frozen=True)
class Line:
    """One non-empty line of the original after markup removal, trimmed."""

    number: int  # 1-based line number in the original file
    span: Span
    raw: str  # the original line, untouched
    heading: int  # a markdown heading's level (1 for "#", 2 for "##", ...); 0 for a plain line
    eol: int  # offset of the line's end (its line break) in the original text

    @property
    def text(self) -> str:
        return self.span.text


def clean_line(raw: str, start: int) -> tuple[Span, int]:
    """Remove markup and heading marks from one original line; trim whitespace at both ends."""
    keep = [True] * len(raw)
    for m in MARKUP.finditer(raw):
        for i in range(m.start(), m.end()):
            keep[i] = False
    stripped_idx = [i for i, ok in enumerate(keep) if ok]
    visible = "".join(raw[i] for i in stripped_idx)
    heading = 0
    m = HEADING_MARK.match(visible.lstrip())
    if m:
        lead = len(visible) - len(visible.lstrip())
        stripped_idx = stripped_idx[: lead] + stripped_idx[lead + m.end():]
        heading = m.group(0).count("#")
        visible = "".join(raw[i] for i in stripped_idx)
    lo, hi = 0, len(visible)
    while lo < hi and visible[lo].isspace():
        lo += 1
    while hi > lo and visible[hi - 1].isspace():
        hi -= 1
    idx = stripped_idx[lo:hi]
    return Span(visible[lo:hi], tuple(start + i for i in idx)), heading


def split_lines(text: str) -> list[Line]:
    """The non-empty, non-page-number lines of a text, cleaned, with their line numbers."""
    lines: list[Line] = []
    start = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        span, heading = clean_line(raw, start)
        eol = start + len(raw)
        start = eol + 1
        if not span.text or PAGE_NUMBER.match(span.text):
            continue
        lines.append(Line(number, span, raw, heading, eol))
    return lines


def is_toc_line(text: str) -> bool:
    """A table-of-contents entry: dot leaders to a page number, a Word broken-reference marker."""
    return bool(TOC_LEADER.search(text)) and bool(re.search(r"(?:\d+|未定义书签。?)$", text))


# Characters a page sets twice as wide as a Latin letter or a digit: CJK, kana, hangul,
# full-width forms and punctuation, and the dashes, quotes and ellipsis Chinese text sets full.
_WIDE = re.compile(r"[\u2014-\u2026\u1100-\u115f\u2e80-\u303e\u3040-\ua4cf\uac00-\ud7a3"
                   r"\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]")


def text_width(text: str) -> int:
    """How wide a line is set, in half-width units: "2021年9月1日" is 11 units, 9 characters."""
    return len(text) + len(_WIDE.findall(text))


def full_width(lines: list[Line]) -> int | None:
    """How wide (`text_width`) a full line of a wrapped text is at least, for a text whose lines
    wrap at one width on the page but hold different numbers of characters (a PDF's: digits
    take half a CJK character's room); None for too few lines."""
    widths = sorted(text_width(line.text) for line in lines if len(line.text) >= 10)
    if len(widths) < 20:
        return None
    return widths[len(widths) * 9 // 10] - 4


def wrap_width(lines: list[Line]) -> int | None:
    """The width a hard-wrapped file wraps at, or None when lines are whole paragraphs.

    A file is hard-wrapped when a large share of its lines have (almost) the same length.
    """
    lengths = [len(line.text) for line in lines if len(line.text) >= 10]
    if len(lengths) < 20:
        return None
    mode = Counter(lengths).most_common(1)[0][0]
    near = [n for n in lengths if abs(n - mode) <= 1]
    if mode <= 80 and len(near) >= 0.3 * len(lengths):
        return max(near)  # a line or two run one character longer (half-width digits)
    return None


PARAGRAPH_OPENER = re.compile(r"^(?:第[一二三四五六七八九十]+[，,、]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）"
                              r"|新华社\S{0,12}电|央视网消息)")


# A table's row, as the DOCX and HTML readers write it (cells split by tabs) or as plain text
# and markdown draw it ("意外医疗 | 5万元 | …"): a line of its own, not a wrap of the line above
# or below (rows glued together read "给付方式意外身故", and ran on into the next clause), except
# where a PDF wrapped a drawn row (`continues`).
TABLE_ROW = re.compile(r"\t|\S \| \S")
DRAWN_ROW = re.compile(r"\S \| \S|^\|\s")


def spaced_row(text: str) -> bool:
    """A Chinese table's row as a PDF's text layer gives it, its cells split by spaces ("马拉松
    42.195公里 12000人 6小时"): three cells or more, each of two characters or more, two of
    them Chinese, no clause punctuation. Chinese prose has no spaces between words."""
    cells = text.split()
    return len(cells) >= 3 and all(len(c) >= 2 for c in cells) \
        and sum(has_cjk(c) for c in cells) >= 2 \
        and not re.search(r"[，。；：！？]", text)


def is_table_row(text: str) -> bool:
    """Whether a line (or a passage) is a table's row: tabs, drawn bars or spaced cells."""
    return bool(TABLE_ROW.search(text)) or spaced_row(text)


def lines_are_paragraphs(lines: list[Line]) -> bool:
    """Whether each line holds a whole paragraph (long lines, as Word exports write them) rather
    than a paragraph being wrapped over several adjacent short lines."""
    lengths = sorted(len(line.text) for line in lines)
    return bool(lengths) and lengths[len(lengths) // 2] > 100


def continues(prev: Line, nxt: Line, width: int | None, whole_lines: bool = True,
              full: int | None = None) -> bool:
    """Whether line `nxt` continues the paragraph that line `prev` ends (a wrap or page break).

    `width`: the width of a hard-wrapped file; `whole_lines`: see `lines_are_paragraphs`;
    `full`: how wide (`text_width`) a full line of a wrapped text without one width is.
    """
    a, b = prev.text, nxt.text
    adjacent = nxt.number == prev.number + 1
    if PARAGRAPH_OPENER.match(b) or "\t" in a or "\t" in b or spaced_row(a) or spaced_row(b):
        return False
    a_row, b_row = bool(DRAWN_ROW.search(a)) or a.endswith("|"), bool(DRAWN_ROW.search(b))
    if a_row or b_row:
        # A drawn row wrapped by a PDF ("…Foundation of China" / "| CNY 2.6 million | 2023-2026",
        # "…Bureau |" / "CNY 850,000 | 2023-2025", "… | 2023-" / "2026") runs on; a new row, or
        # the text after the table, does not.
        return b.startswith("|") or a.endswith(("|", "-")) if a_row else False
    ends_sentence = a.endswith(tuple(TERMINAL))
    if width is not None:
        # Hard-wrapped: a full line wraps; a line that ends a sentence short of full ends it.
        return len(a) >= (width - 1 if ends_sentence else width - 2) or (
            not ends_sentence and len(a) >= width - 6)
    if ends_sentence:
        # A full line ending in a closing mark with no stop before it wraps mid-sentence
        # ("…合同自《解除合同通知书》" / "送达之日即2024年3月18日解除。"), as PDFs set lines of
        # one width but of 38 to 48 characters.
        # So does one ending in a colon mid-sentence ("…电话：0529-86537720，邮箱：" /
        # "jnmarathon@example.cn。"), unless it announces a list ("…下列条件：").
        runs_on = a.endswith(tuple(CLOSING)) or (a.endswith(("：", ":")) and not LIST_LEAD.search(a))
        return (adjacent and full is not None and runs_on
                and not a[:-1].endswith(tuple(TERMINAL)) and not NUMBERED_ITEM.match(b)
                and (text_width(a) >= full  # a full line, or one the next word did not fit on
                     or text_width(a) + text_width(_FIRST_WORD.match(b).group()) > full + 2))
    if adjacent:
        # Wrapped text runs on to the next line; a whole-paragraph line does not.
        return not whole_lines
    # A gap (blank lines, a page number) after a long unfinished line: a page break mid-sentence.
    return len(a) >= 15
def join(parts: list[Line]) -> Span:
    """Join wrapped lines into one paragraph. Between two lines of English a space is kept
    (`join_space`), mapped to the line break it replaces, so English stays readable; CJK text
    joins with nothing."""
    out = parts[0].span
    for prev, part in zip(parts, parts[1:], strict=False):
        if join_space(out.text, part.text):
            out = out + Span(" ", (prev.eol,))
        out = out + part.span
    return out


def join_space(before: str, after: str) -> bool:
    """Whether `join` keeps a space between two lines of English: between two words, after a
    word's stop or comma ("possible. Professor", "Office, Room"), around a drawn table's bar;
    not after a hyphen, nor inside a number wrapped at its comma ("13," / "000人")."""
    if not (before and after and before[-1].isascii() and after[0].isascii()):
        return False
    a, b = before[-1], after[0]
    if not (b.isalnum() or b == "|"):
        return False
    if a.isalnum() or a == "|":
        return True
    return a in ".,;:!?)" and (b.isalpha() or a != ",")
