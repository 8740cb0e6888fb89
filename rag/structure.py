"""Split a cleaned document into articles, sections and paragraphs, and attach attributions.

Line kinds, decided from the document's own signals:
- title: a markdown heading; a line a table of contents lists; a line set off by a leading
  space; the first of a block of short lines that ends in a dateline or a date line;
- subtitle / date / signature: the rest of an article's header, never quoted on their own
  (a letter's signature and date become the tail of its last paragraph);
- byline: `来源：… 作者：…`, quotable, and the source of its article's paragraphs;
- field: a labelled line under a title (`当事人：…`, `法定代表人：…`); a block of them is one
  paragraph, its lines kept apart by a space (field_wrap: the rest of one a PDF wrapped);
- salutation: `武汉东湖新城社区全体社区工作者：`, the opening of a letter's first paragraph;
- section: `一、…`, `（一）…`, a lone `一`;
- attribution: `——3月4日，习近平…` or `（2020年2月20日给比尔·盖茨的回信）` after the paragraphs it names;
- body: everything else, rejoined into paragraphs across wraps and page breaks.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .cleaning import (
    PARAGRAPH_OPENER,
    TERMINAL,
    Line,
    Span,
    continues,
    full_width,
    is_table_row,
    is_toc_line,
    join,
    lines_are_paragraphs,
    split_lines,
    wrap_width,
)
from .types import Article, Paragraph

NUM = "一二三四五六七八九十"
TOC_HEAD = re.compile(r"^目\s*录$")
TOC_ENTRY = re.compile(r"^\d{1,3}\s*[.．、]\s*(.+?)\s*(?:\.{2,}|…{2,}|\s)\s*(?:\d+|错误[!！]未定义书签。?)$")
DATE_LINE = re.compile(r"^[（(]\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?:\s*[，,]\s*\S{1,8})?\s*[）)]$")
BARE_DATE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*(?:月\s*\d{1,2}\s*日|月)?$")
DATELINE = re.compile(r"^(?:新华社\S{0,12}电|央视网消息|本报\S{0,8}电|人民网\S{0,8}电)")
PAREN_ATTRIBUTION = re.compile(r"^[（(]\s*\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?.{2,120}[）)]$")
DASH_ATTRIBUTION = re.compile(r"^——[^。]{2,}$")  # a bullet "——剩余任务艰巨。…" is body text
BYLINE = re.compile(r"^(?:来源[:：]|作者[:：])|^《\s*\S+?\s*》\s*[（(].*版\s*[）)]$")
# A full stop inside the line: "（二）城市功能品质持续提升。地铁3号线一期工程建成通车，全长
# 28.6公里，设车" is the first line of a paragraph a PDF wrapped, not a section heading.
MID_SENTENCE_END = re.compile(r"[。；！？](?=.)")
SECTION = re.compile(rf"^(?:[{NUM}]+、.{{1,40}}|（[{NUM}]+）.{{1,40}}|[{NUM}]+)$")
# A labelled field under a title: "当事人：…", "法定代表人（负责人）：钱国栋", "招标编号：…".
FIELD = re.compile(r"^[^，。；：:—]{2,12}[：:]\s*\S")
SUBPOINT = re.compile(rf"^第[{NUM}]+[，,、]")
# A numbered heading: "一、总体要求", "（二）…", "第三章 数据共享", "2.1 Scope", "Section 4".
NUMBERED_HEADING = re.compile(
    rf"^(?:[{NUM}]+、|（[{NUM}]+）|第[{NUM}\d]+[章节部分篇编条]|\d+(?:\.\d+)*[.．、]?\s|\d+(?:\.\d+)+"
    r"|(?:Chapter|Section|Part|Article)\s+\w)")
# An English numbered heading as a PDF prints it, with no heading marks ("1. From the Director",
# "8. Looking Ahead to 2024"): a number and a few words in title case, not a sentence.
EN_SECTION = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+[A-Z][\w'’&-]*(?:\s+[\w'’&-]+){0,7}$")
SIGNATURE = re.compile(r"^(?:习近平|同志们[:：])$")
SALUTATION = re.compile(r"^[^，。；！？]{2,24}[:：]$")  # "武汉东湖新城社区全体社区工作者：" opens a letter
# A lead-in, not a salutation: "两次停水的时间和影响范围如下：", "选手须同时符合下列条件：" announce
# the table or list below; the table's first row or the first item is no part of them.
LEAD_IN = re.compile(r"(?:如下|下列|以下|如次|附后)[^，。；！？:：]{0,8}[:：]$|as follows:$", re.IGNORECASE)


def _bold(raw: str) -> bool:
    inner = re.sub(r"\[bookmark: [^\]]*\]", "", raw).strip()
    return inner.startswith("**") and inner.endswith("**")


@dataclass
class Structured:
    """A document split into titled articles and attributed paragraphs."""

    articles: list[Article]
    paragraphs: list[Paragraph]
    toc_titles: list[str]


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _toc(lines: list[Line]) -> tuple[set[int], list[str]]:
    """Indexes of the table-of-contents block (heading and entries) and the titles it lists."""
    skip: set[int] = set()
    titles: list[str] = []
    for i, line in enumerate(lines):
        if TOC_HEAD.match(line.text):
            skip.add(i)
            j = i + 1
            while j < len(lines) and (TOC_ENTRY.match(lines[j].text) or is_toc_line(lines[j].text)):
                m = TOC_ENTRY.match(lines[j].text)
                titles.append(m.group(1) if m else _toc_title(lines[j].text))
                skip.add(j)
                j += 1
        elif is_toc_line(line.text):
            skip.add(i)  # an entry of a contents list that has no 目录 heading
    return skip, titles


def _toc_title(text: str) -> str:
    """The title of a contents entry, less its number and dot leaders."""
    return re.sub(r"^\d+\s*[.．、]\s*|\s*(?:\.{2,}|…{2,}).*$", "", text)


def _short_header(text: str) -> bool:
    return len(text) <= 60 and not text.endswith(("。", "！", "？", "；", "，", "：", ":"))


def _matches_toc(text: str, toc: list[str]) -> bool:
    t = _norm(text).lstrip("#")
    for title in toc:
        n = _norm(title)
        if t == n or (len(t) >= 8 and (t in n or n in t) and len(t) <= len(n) + 12):
            return True
    return False


def _title_case(text: str) -> bool:
    """Every word of four letters or more capitalised ("Looking Ahead to 2024"), as headings
    and titles are written in English and list items and sentences are not."""
    words = [w for w in re.findall(r"[A-Za-z]+", text) if len(w) >= 4]
    return bool(words) and all(w[0].isupper() for w in words)


def _english_title(text: str) -> bool:
    """An English title line: Latin letters in title case, up to 100 characters, commas and
    colons inside but not at its end ("Institute of Coastal Ecology, Jiangning University:
    Annual Newsletter 2023")."""
    return len(text) <= 100 and bool(re.fullmatch(r"[A-Za-z0-9 ,:;&'’()–-]+", text)) \
        and not text.endswith((",", ":", ";")) and _title_case(text)


def _numbered_subheadings(lines: list[Line]) -> list[int]:
    """Headings below the document's top heading level that are numbered: the sections of an
    article, not articles. A Word or web document sets its title as heading 1 and "第三章 数据共享"
    or "一、就诊时间" as heading 2; a compilation's second-level headings that are not numbered
    ("## 习近平给…的回信") stay titles of their own articles."""
    levels = [line.heading for line in lines if line.heading]
    if not levels:
        return []
    top = min(levels)
    return [i for i, line in enumerate(lines)
            if line.heading > top and NUMBERED_HEADING.match(line.text)]


def _full_line(lines: list[Line]) -> int | None:
    """How long a full line of a wrapped text is at least; None when lines are paragraphs.
    A PDF set in a proportional font wraps at 38-43 characters, not at one width."""
    width = wrap_width(lines)
    if width is not None:
        return width - 1
    lengths = sorted(len(line.text) for line in lines if len(line.text) >= 10)
    if len(lengths) < 20 or lengths[len(lengths) * 3 // 4] > 80:
        return None
    return int(0.9 * lengths[len(lengths) * 3 // 4])


def _wraps_on(lines: list[Line], i: int, full: int | None) -> bool:
    """Whether line i of a wrapped text is full and runs on into the next line: then
    "（三）业绩要求：投标人自2019年1月1日以来至少完成过1项单项合同金额在8000万元" is the
    first line of a list item a PDF wrapped, not a section heading."""
    if full is None or i + 1 >= len(lines) or len(lines[i].text) < full:
        return False
    nxt = lines[i + 1]
    return nxt.number == lines[i].number + 1 and not PARAGRAPH_OPENER.match(nxt.text) \
        and not lines[i].text.endswith(tuple(TERMINAL))


def _tail_follows(lines: list[Line], i: int) -> bool:
    """Whether line i is a list item a PDF wrapped just before its end: the next line is a
    short tail that ends it ("（四）实验进行过程中人员离开，…开展危险性实" / "验；")."""
    if i + 1 >= len(lines) or lines[i + 1].number != lines[i].number + 1:
        return False
    tail = lines[i + 1].text  # (a heading is short: "（一）关于疫情形势" / "第一段话。")
    return len(lines[i].text) >= 20 and len(tail) <= 8 and tail.endswith(("；", "。", ";")) \
        and not SECTION.match(tail)


def classify(lines: list[Line], tab_after: frozenset[int] = frozenset()) -> tuple[list[str], list[str]]:
    """A kind for each line (see the module docstring) and the titles the TOC lists.

    `tab_after` holds the numbers of lines followed by a whitespace-only (but not empty) line,
    the mark a Word export of a news page leaves under its headline.
    """
    toc_idx, toc_titles = _toc(lines)
    full = _full_line(lines)
    kinds = ["body"] * len(lines)
    for i in toc_idx:
        kinds[i] = "toc"
    for i in _numbered_subheadings(lines):
        kinds[i] = "section"
    for i, line in enumerate(lines):
        if kinds[i] != "body":
            continue
        text, raw = line.text, line.raw
        if line.heading or (toc_titles and _short_header(text) and _matches_toc(text, toc_titles)):
            kinds[i] = "title"
        elif re.match(r"^ (?! )\S", raw.replace("\ufeff", "")) and _short_header(text) \
                and len(text) >= 4 and "，" not in text and "。" not in text \
                and not SECTION.match(text) \
                and (i == 0 or lines[i - 1].text.endswith(tuple(TERMINAL))):
            kinds[i] = "title"
        elif DATE_LINE.match(text):
            kinds[i] = "date"
        elif BARE_DATE.match(text):
            kinds[i] = "signature"
        elif BYLINE.search(text):
            kinds[i] = "byline"
        elif DASH_ATTRIBUTION.match(text) or PAREN_ATTRIBUTION.match(text):
            kinds[i] = "attribution"
        elif SECTION.match(text) and not text.endswith(("。", "；", ";", "，", ",")) \
                and not MID_SENTENCE_END.search(text) and not _wraps_on(lines, i, full) \
                and not _tail_follows(lines, i):
            # not a list item ending in a semicolon ("三、味鼎公司…支付恒泰公司违约金30,750元；")
            kinds[i] = "section"
        elif EN_SECTION.match(text) and len(text) <= 50 and _title_case(text) \
                and (i == 0 or lines[i - 1].text.endswith(tuple(TERMINAL) + (".", ":"))
                     or full is None or len(lines[i - 1].text) < 0.8 * full):
            kinds[i] = "section"
        elif re.match(rf"^[{NUM}]+、", text) and "。" not in text and _bold(raw):
            kinds[i] = "section"  # a long bold heading "**二、中国秉持…**"
        elif SIGNATURE.match(text):
            kinds[i] = "signature"
        elif SALUTATION.match(text) and not LEAD_IN.search(text):
            kinds[i] = "salutation"
    # A document's first line, short and unpunctuated, is its title: a PDF keeps no heading
    # marks ("沙溪河综合治理工程（一期）施工招标公告"); an English one in title case may hold a
    # comma or a colon ("Institute of Coastal Ecology, Jiangning University: Annual Newsletter
    # 2023"). Not an English sentence's first line, which runs on in lower case ("The quick
    # brown fox jumps over the lazy dog and / then…").
    if lines and kinds[0] == "body" and not (len(lines) > 1 and re.match(r"[a-z]", lines[1].text)) \
            and (_short_header(lines[0].text) and not re.search(r"[，。；！？：:,.;!?]", lines[0].text)
                 or _english_title(lines[0].text)):
        kinds[0] = "title"
    # A block of short header lines that ends in a date line or a dateline starts an article.
    for i, line in enumerate(lines):
        if kinds[i] == "date" or (kinds[i] == "body" and DATELINE.match(line.text)):
            j = i - 1
            while j >= 0 and kinds[j] in ("body", "title") and _short_header(lines[j].text):
                if kinds[j] == "title":
                    break
                j -= 1
            if j >= 0 and kinds[j] == "title":
                first = j
            else:
                first = j + 1
            if first < i:
                kinds[first] = "title"
                for k in range(first + 1, i):
                    kinds[k] = "subtitle"
    # A headline followed by a whitespace-only line (a Word export of a news page).
    for i, line in enumerate(lines):
        if kinds[i] == "body" and line.number in tab_after and len(line.text) <= 100 \
                and not line.text.endswith(tuple(TERMINAL)):
            kinds[i] = "title"
    # Short unpunctuated lines right under a title are its subtitles, and so is a second title;
    # a labelled field there is the document's own ("当事人：江宁市鲜味坊餐饮管理有限公司").
    for i in range(1, len(lines)):
        if kinds[i - 1] not in ("title", "subtitle", "date", "field", "field_wrap"):
            continue
        text = lines[i].text
        if kinds[i - 1] in ("field", "field_wrap") and kinds[i] in ("body", "subtitle") \
                and _wraps_on(lines, i - 1, full) and len(text) <= 40 \
                and not FIELD.match(text):
            # the rest of a field a PDF wrapped ("…科室：心血管内科二病区 床" / "号：23床　住院号：…")
            kinds[i] = "field_wrap"
        elif kinds[i] == "body" and FIELD.match(text) and _short_header(text) \
                and not MID_SENTENCE_END.search(text):  # not a labelled paragraph ("入院情况：…。…")
            kinds[i] = "field"
        elif (kinds[i] == "title" and not lines[i].heading) or (
            kinds[i] in ("body", "attribution")
            and (_short_header(text) or DASH_ATTRIBUTION.match(text))
            and not DATELINE.match(text)
            # not the first line of a paragraph a PDF wrapped ("近期，…组织抽检…糕" / "点、…",
            # "入院诊断：1. 冠状动脉…；2. 高血压病3级（很高" / "危）；3. 2型糖尿病。")
            and not (kinds[i] == "body" and _wraps_on(lines, i, full)
                     and ("，" in text or MID_SENTENCE_END.search(text)))
        ):
            kinds[i] = "subtitle"
    # An issuer's name on a line of its own right above the bare date that closes a notice
    # ("2024江宁马拉松组委会 / 2024年8月20日") signs it, as "习近平" signs a letter: it is the
    # sign-off of the paragraph above, not a paragraph that names the document's subject and so
    # matches every question about it.
    for i in range(1, len(lines) - 1):
        if kinds[i] == "body" and kinds[i + 1] == "signature" \
                and BARE_DATE.match(lines[i + 1].text) and len(lines[i].text) <= 30 \
                and not re.search(r"[，。；：！？、,;:!?]", lines[i].text) \
                and lines[i - 1].text.endswith(tuple(TERMINAL)):
            kinds[i] = "signature"
    # With a table of contents, what stands before it is the compilation's cover, not an article.
    heads = [i for i, line in enumerate(lines) if TOC_HEAD.match(line.text)]
    if heads:
        for i in range(heads[0]):  # before the contents list: the cover
            kinds[i] = "front"
    if "title" not in kinds:
        # No article titles at all (a compilation of excerpts): its top-level parts are the articles.
        for i, line in enumerate(lines):
            if kinds[i] == "section" and re.match(rf"^[{NUM}]+、", line.text):
                kinds[i] = "title"
    return kinds, toc_titles


def structure(text: str) -> Structured:
    """Articles and attributed paragraphs of one decoded document."""
    raw_lines = text.split("\n")
    tab_after = frozenset(
        n for n in range(1, len(raw_lines))
        if raw_lines[n].strip(" \r") and not raw_lines[n].strip()
    )
    lines = split_lines(text)
    kinds, toc_titles = classify(lines, tab_after)
    body = [ln for ln, k in zip(lines, kinds, strict=True) if k == "body"]
    width = wrap_width(body)
    whole_lines = lines_are_paragraphs(body)
    full = None if width is not None or whole_lines else full_width(body)

    articles: list[Article] = []
    paragraphs: list[Paragraph] = []
    title = ""
    section: str | None = None
    subpoint: str | None = None
    byline: str | None = None
    pending: list[tuple[Span, str | None]] = []  # paragraphs waiting for an attribution line
    current: list[Line] = []
    article_start = 0

    def flush_paragraph() -> None:
        nonlocal current
        if current:
            pending.append((join(current), section_label()))
            current = []

    def section_label() -> str | None:
        parts = [p for p in (section, subpoint) if p]
        return " / ".join(parts) or None

    def emit(attribution: Line | None) -> None:
        nonlocal pending
        flush_paragraph()
        label = attribution.text if attribution else None
        for i, (span, sec) in enumerate(pending):
            # The paragraph right above an attribution line carries it as its tail, so a quote
            # of it can include the line that names its source.
            tail = attribution.span if attribution and i == len(pending) - 1 else None
            paragraphs.append(Paragraph(span.text, span.offsets, title, sec, label,
                                        tail=tail.offsets if tail else None,
                                        tail_text=tail.text if tail else None))
        pending = []

    prev_body: Line | None = None
    opening = False  # the line before was a letter's salutation: it opens this paragraph
    signoff: list[Line] = []  # signature lines under a letter, waiting for its date
    fields: list[Line] = []  # a block of labelled lines under a title, one paragraph
    wrapped: set[int] = set()  # field lines that run on from the line before ("field_wrap")

    def flush_fields() -> None:
        if fields:
            block = fields[0].span
            for prev, line in zip(fields, fields[1:], strict=False):
                if line.number not in wrapped:
                    block = block + Span(" ", (prev.eol,))  # the break, as a space
                block = block + line.span
            paragraphs.append(Paragraph(block.text, block.offsets, title, None, None))
            fields.clear()

    for line, kind in zip(lines, kinds, strict=True):
        if kind == "field_wrap":
            wrapped.add(line.number)
            kind = "field"
        if kind != "field":
            flush_fields()
        if kind == "salutation":
            # "武汉东湖新城社区全体社区工作者：" names who a letter is to: it opens the first
            # paragraph, so a quote of that paragraph says whom it was written to.
            flush_paragraph()
            current, prev_body, opening = [line], line, True
            continue
        if kind == "body":
            if current and prev_body is not None and (
                (opening and not is_table_row(line.text))  # a salutation opens no table
                or continues(prev_body, line, width, whole_lines, full)
            ):
                current.append(line)
            else:
                flush_paragraph()
                if SUBPOINT.match(line.text):
                    subpoint = re.split(r"[。；]", line.text, maxsplit=1)[0][:40]
                current = [line]
            prev_body, opening = line, False
            continue
        prev_body = None
        if kind == "attribution":
            emit(line)
            continue
        emit(None)
        if kind == "signature" and paragraphs and len(paragraphs) > article_start:
            signoff.append(line)
            if BARE_DATE.match(line.text):
                # "习近平 / 2020年4月8日" under a letter: who signed it and when. The letter's
                # last paragraph carries the sign-off as its tail, as quotes carry attributions.
                last = paragraphs[-1]
                if last.tail is None and last.attribution is None:
                    tail = join(signoff)
                    paragraphs[-1] = dataclasses.replace(last, tail=tail.offsets,
                                                         tail_text=tail.text)
                signoff = []
            continue
        signoff = []
        if kind == "title":
            if articles:
                _close_article(articles, paragraphs, article_start, byline)
            title, section, subpoint, byline = line.text, None, None, None
            articles.append(Article(title=title, line=line.number))
            article_start = len(paragraphs)
        elif kind == "subtitle" and articles and len(title) < 8 and not line.text.startswith("—"):
            # A bare "习近平回信" says little: its subtitle completes the title.
            title = f"{title} {line.text}"
            articles[-1] = Article(title=title, line=articles[-1].line)
        elif kind == "section":
            section, subpoint = line.text, None
        elif kind == "field":
            fields.append(line)
        elif kind == "byline":
            byline = line.text
            # A byline answers "who wrote it, where was it published": it is quotable text.
            paragraphs.append(Paragraph(line.text, line.span.offsets, title, None, line.text))
    flush_fields()
    emit(None)
    if articles:
        _close_article(articles, paragraphs, article_start, byline)
    return Structured(articles, paragraphs, toc_titles)


def _close_article(articles: list[Article], paragraphs: list[Paragraph], start: int,
                   byline: str | None) -> None:
    """Give an article its byline, and its paragraphs that lack a speech the byline as source."""
    if not byline:
        return
    last = articles[-1]
    articles[-1] = Article(last.title, last.line, byline)
    for i in range(start, len(paragraphs)):
        p = paragraphs[i]
        if p.attribution is None:
            paragraphs[i] = dataclasses.replace(p, attribution=byline)


_QUOTED_TITLE = re.compile(r"《([^》]{4,})》")
_TITLE_SPEAKER = re.compile(r"^[^：:]{1,8}[：:]")  # "习近平：" before a speech's own title


def _bare_title(title: str) -> str:
    return re.sub(r"\s", "", _TITLE_SPEAKER.sub("", title))


def quoted_titles(attribution: str | None, titles: Iterable[str]) -> set[str]:
    """The articles an attribution names by title: "——4月1日，习近平在《求是》杂志发表文章
    《在湖北省考察新冠肺炎疫情防控工作时的讲话》" is the article of that title, printed whole
    in another file ("习近平：携手抗疫 共克时艰" for "《携手抗疫 共克时艰——在…上的发言》")."""
    found = set()
    for name in _QUOTED_TITLE.findall(attribution or ""):
        name = re.sub(r"\s", "", name)
        for title in titles:
            bare = _bare_title(title)
            if len(bare) >= 4 and (name == bare or name.startswith(bare + "——")):
                found.add(title)
    return found
