"""Cut structured paragraphs into retrievable chunks of whole sentences.

Chunks never cross a paragraph (so a passage repeated in several files chunks the same way
everywhere and is embedded once), never split a sentence unless the sentence alone exceeds
the size limit, and carry their source, article, section, attribution, lines and offsets.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import itertools
import re
from collections.abc import Callable

from .cleaning import Span, is_table_row
from .sentences import sentence_spans, split_long
from .speaker import ZH_SAY, other_speaker_opening
from .types import Chunk, Paragraph

_WS = re.compile(r"\s+")


def passage_key(text: str) -> str:
    """The identity of a passage: a hash of its text with all whitespace removed."""
    return hashlib.sha1(_WS.sub("", text).encode("utf-8")).hexdigest()[:20]


def pack(lengths: list[int], max_chars: int) -> list[tuple[int, int]]:
    """Group consecutive items (sentence lengths) into as few runs <= max_chars as a greedy pass
    needs, with the cuts moved to make the runs about equal in size."""
    total = sum(lengths)
    if total <= max_chars:
        return [(0, len(lengths))]
    greedy: list[tuple[int, int]] = []
    start, size = 0, 0
    for i, n in enumerate(lengths):
        if i > start and size + n > max_chars:
            greedy.append((start, i))
            start, size = i, 0
        size += n
    greedy.append((start, len(lengths)))
    # Balance: cut where the running total is nearest each multiple of total / groups.
    groups = len(greedy)
    cumulative = list(itertools.accumulate(lengths))
    cuts, prev = [], 0
    for j in range(1, groups):
        goal = total * j / groups
        room = range(prev + 1, len(lengths) - (groups - 1 - j))  # leave one item per later run
        if not room:
            return greedy
        best = min(room, key=lambda i: abs(cumulative[i - 1] - goal))
        cuts.append(best)
        prev = best
    bounds = list(zip([0, *cuts], [*cuts, len(lengths)], strict=True))
    ok = all(b > a and sum(lengths[a:b]) <= max_chars or b - a == 1 for a, b in bounds)
    return bounds if ok else greedy


def paragraph_chunks(
    para: Paragraph,
    source: str,
    starts: list[int],
    max_chars: int,
    min_chars: int,
    too_long: Callable[[str], bool] = lambda _t: False,
) -> list[Chunk]:
    """Chunks of one paragraph. `starts` are the original file's line start offsets;
    `too_long(text)` says when a piece exceeds the model's window (checked, never assumed)."""
    if not para.quotable or len(_WS.sub("", para.text)) < min_chars:
        return []
    span = Span(para.text, para.offsets)
    sentences: list[tuple[int, int]] = []
    for s, e in sentence_spans(para.text):
        sentences.extend(split_long(para.text, s, e, max_chars) if e - s > max_chars else [(s, e)])
    groups = pack([e - s for s, e in sentences], max_chars)
    chunks: list[Chunk] = []
    for gs, ge in groups:
        pieces = [(sentences[gs][0], sentences[ge - 1][1])]
        while any(too_long(para.text[a:b]) for a, b in pieces):
            pieces = [half for a, b in pieces for half in _halve(para.text, a, b)]
        for a, b in pieces:
            piece = _trim(span.slice(a, b))
            if piece is None or len(_WS.sub("", piece.text)) < min_chars:
                continue
            chunks.append(_make_chunk(piece, para, source, starts))
    if chunks and para.tail and para.tail_text:
        last_char = para.tail[-1]
        chunks[-1] = dataclasses.replace(
            chunks[-1], tail_text=para.tail_text, tail_end=last_char + 1,
            tail_line=bisect.bisect_right(starts, last_char),
        )
    return chunks


def _halve(text: str, a: int, b: int) -> list[tuple[int, int]]:
    if b - a < 2:
        return [(a, b)]
    spans = [(s + a, e + a) for s, e in sentence_spans(text[a:b])]
    if len(spans) > 1:
        mid = spans[len(spans) // 2][0]
    else:
        mid = a + (b - a) // 2
    return [(a, mid), (mid, b)]


def _trim(span: Span) -> Span | None:
    text = span.text
    lo, hi = 0, len(text)
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return span.slice(lo, hi) if hi > lo else None


def _make_chunk(piece: Span, para: Paragraph, source: str, starts: list[int]) -> Chunk:
    char_start, char_end = piece.char_start, piece.char_end
    return Chunk(
        source=source,
        text=piece.text,
        title=para.title,
        section=para.section,
        attribution=para.attribution,
        line_start=bisect.bisect_right(starts, char_start),
        line_end=bisect.bisect_right(starts, char_end - 1),
        char_start=char_start,
        char_end=char_end,
        key=passage_key(piece.text),
    )


# Bump when `context_text` embeds other parts: the next ingest embeds every passage again
# (its vectors are stored under a key of its text alone, which the context does not change).
CONTEXT_VERSION = 1


def context_text(chunk: Chunk) -> str:
    """What is embedded for a passage: its article title and attribution (and a list item's
    lead-in, `attach_list_leads`), then its text.
    The context only steers the vector; quotes are always `chunk.text` itself."""
    head = "。".join(x for x in (chunk.title, chunk.attribution, chunk.lead) if x)
    return f"{head}\n{chunk.text}" if head else chunk.text


def sentence_texts(text: str) -> list[str]:
    """The sentences of a passage, embedded one by one so a question can match any of them."""
    return [text[a:b].strip() for a, b in sentence_spans(text) if text[a:b].strip()] or [text]


# An item of an enumeration: "二是", "（三）", "第四，", "2．" (its number, in Chinese or digits).
_ITEM = re.compile(r"^\s*(?:([一二三四五六七八九十]+)是|[（(]([一二三四五六七八九十]+)[）)]|"
                   r"第([一二三四五六七八九十]+)[，、]|(\d{1,2})[．.、](?!\d))")
_ENDS = ("。", "！", "？", "；", "：", ":", "”")
_ZH_NUMBER = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}
# A lead-in: the clause that ends in a colon just before the first item ("…以下措施：一是…").
_LEAD = re.compile(r"([^。！？；\n]*[：:])\s*(?:一是|[（(]一[）)]|第一[，、]|1[．.、])")


def _item_number(text: str) -> int | None:
    m = _ITEM.match(text)
    if not m:
        return None
    for g in m.groups():
        if g:
            return int(g) if g.isdigit() else _ZH_NUMBER.get(g) if len(g) == 1 else None
    return None


def attach_list_leads(chunks: list[Chunk]) -> list[Chunk]:
    """Chunks (of one file, in reading order) with each later item of a list that opens a
    passage of its own carrying the list's lead-in, and keyed with it: "二是持续加大研发
    投入。" says nothing of 经营压力 or 措施, its lead "面对经营压力，公司采取了以下措施："
    does, and a question about the second measure is found through it."""
    out: list[Chunk] = []
    lead: str | None = None
    for chunk in chunks:
        number = _item_number(chunk.text)
        # The first item too when its lead-in is a passage of its own ("…须同时符合下列条件：" |
        # "1. 马拉松项目限…"): it is no part of the item's passage.
        first = number == 1 and bool(out) and (_ends_in_colon(out[-1].text) or
                                               _announces_list(out[-1].text))
        if number and (number >= 2 or first):
            if lead and out and out[-1].title == chunk.title:
                chunk = dataclasses.replace(chunk, lead=lead, key=passage_key(lead + chunk.text))
        elif found := _LEAD.search(chunk.text):
            lead = found.group(1).strip()
            if found.start(1) == 0 and out and not out[-1].text.rstrip().endswith(_ENDS):
                # the lead began in the passage before, cut at a page break ("…采取了以下" |
                # "措施：一是…")
                lead = _last_clause(out[-1].text) + lead
        elif _ends_in_colon(chunk.text) or _announces_list(chunk.text):
            lead = _last_clause(chunk.text)  # the first item follows in a passage of its own
        elif number != 1:
            lead = None  # the list, if any, has ended
        out.append(chunk)
    return out


def carry_speaker(chunks: list[Chunk]) -> list[Chunk]:
    """The chunks of one paragraph, each after the first searched with the clause that opens
    it by naming another speaker than Xi: "全面开展安全生产专项整治三年行动…" says nothing of
    李克强, its paragraph's "…李克强作出批示指出，" does (d49c09.2: "那李克强的批示要求开展什么专项
    行动？"). Quoted as written."""
    said = other_speaker_opening(chunks[0].text) if len(chunks) > 1 else None
    if not said:
        return chunks
    return chunks[:1] + [c if c.lead else dataclasses.replace(c, lead=said,
                                                               key=passage_key(said + c.text))
                         for c in chunks[1:]]


def lead_ins(chunks: list[Chunk]) -> set[str]:
    """Keys of the passages (of one file, in reading order) that only announce the list or
    table below them ("两次停水的时间和影响范围如下：", "选手须同时符合下列条件："): one clause
    ending in a colon, followed by an item carrying it as its lead or by a table's row. The
    items are searched with their lead, so its words find them; quoted first, it answers
    nothing. One that says something first ("…招收高一新生720人。其中：") is no lead-in."""
    return {c.key for c, nxt in zip(chunks, chunks[1:], strict=False)
            if _ends_in_colon(c.text) and not re.search(r"[。！？；!?;]|\.\s", c.text.rstrip())
            and (nxt.lead or is_table_row(nxt.text)) and nxt.title == c.title}


# An editor's note on where an article's text comes from ("这是习近平总书记2020年1月至4月期间讲
# 话、谈话、…通电话中有关开展抗疫国际合作内容的节录。", "本文是…的摘编。")
_EDITORS_NOTE = re.compile(r"^(?:这是|本文是|本文为|以上是|以上为|本篇是|本篇为)[^。！？]{4,120}?"
                           r"(?:的)?(?:节录|摘录|摘编|节选|摘要|选编)[。.]?$")


def editors_notes(chunks: list[Chunk]) -> set[str]:
    """Keys of the passages that only say what the article is excerpted from: they name every
    kind of speech, call and letter it holds, so they match questions about any of them, and
    answer none."""
    return {c.key for c in chunks if _EDITORS_NOTE.match("".join(c.text.split()))}


# Short exclamations alone ("武汉加油！湖北加油！中国加油！", "武汉必胜！"): a speech's closing lines
_EXCLAMATIONS = re.compile(r"(?:[\u4e00-\u9fff]{2,4}[！!])+")


def exclamations(text: str) -> int:
    """How many short exclamations a passage is made of ("武汉加油！湖北加油！中国加油！": 3);
    0 when it says anything else."""
    squeezed = "".join(text.split())
    return len(re.findall(r"[！!]", squeezed)) if _EXCLAMATIONS.fullmatch(squeezed) else 0


def is_cheers(text: str) -> bool:
    """Whether a passage is cheers alone: two short exclamations or more."""
    return exclamations(text) >= 2


def cheers(chunks: list[Chunk]) -> set[str]:
    """Keys of the passages that are cheers alone (`is_cheers`): their few words are close in
    meaning to any question on the speech they close ("In his March 10 speech…, what did Xi
    call the distinctive political character of Chinese Communists?" got "中国加油！"), and
    they answer only a question on the cheers themselves."""
    return {c.key for c in chunks if is_cheers(c.text)}


# A byline alone ("来源：《求是》2020/05 作者：王 毅", "Source: Xinhua  Editor: Li Ming"): where
# and by whom the article was published, one label after another
_BYLINE = re.compile(r"^(?:(?:来源|出处|作者|编辑|责任编辑|责编|原标题|source|author|editor|by)\s*[:：]"
                     r"\s*[^。！？!?\n]{1,40}?\s*)+$|"
                     # a paper's name and issue alone ("《 人民日报 》（ 2020年02月24日 01 版）")
                     r"^《[^》]{1,20}》\s*[（(]\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
                     r"(?:\s*第?\s*\d{1,3}\s*版)?\s*[）)]$", re.I)


def bylines(chunks: list[Chunk]) -> set[str]:
    """Keys of the passages that are an article's byline alone: they share the article's
    name with any question on it (Wang Yi's "来源：《求是》2020/05 作者：王 毅" came second for
    "Which journal did the article cite?") and answer only one on where or by whom it was
    published."""
    return {c.key for c in chunks if len(c.text) <= 80 and _BYLINE.match(c.text.strip())}


# A news dispatch's dateline ("新华社北京4月17日电", "本报杭州4月1日电（记者…）")
DATELINE = re.compile(r"^(?:新华社|本报|人民网|央视网)\S{0,12}?电")
# The sentences of a dispatch that only announce a meeting: the dateline's, that it was held
# ("中共中央政治局4月17日召开会议，分析…，研究部署…"), and who chaired or attended it
# ("中共中央总书记习近平主持会议并发表重要讲话。"), nothing said at it ("他强调，…")
_HELD = re.compile(r"召开|举行")
_CHAIRED = re.compile(r"^[^。！？]{0,40}(?:主持|出席)(?:了)?(?:会议|座谈会)?(?:并发表重要讲话)?$")
_SAID = re.compile(ZH_SAY + "|要求")  # what was said, or required, at it


# A meeting's list of the documents it adopted, alone ("会议审议通过了《关于新时代加快完善社会主义
# 市场经济体制的意见》《企业职工基本养老保险全国统筹改革方案》…。")
_ADOPTED = re.compile(r"^会议(?:审议通过|审议|通过)了?(?:《[^》]+》[、，和及]?)+(?:等(?:文件)?)?。?$")


def meeting_notices(chunks: list[Chunk]) -> set[str]:
    """Keys of the passages that are a dispatch's notice of a meeting alone: its dateline, the
    meeting's name and day, what it was to analyse and study, and who chaired it; or the list
    of documents it adopted alone. They share the meeting's name and day, or the documents'
    titles, with any question on what was said at it ("2020年3月27日中共中央政治局会议对当时境外
    疫情的发展态势作出了怎样的判断？" had the notice first; "…对赋予科研人员职务科技成果所有权或
    长期使用权这项改革强调了什么？" the list), and answer only when, where, who chaired it, or
    what it studied, reviewed and adopted."""
    found = set()
    for c in chunks:
        text = "".join(c.text.split())
        if _ADOPTED.match(text):
            found.add(c.key)
            continue
        if not DATELINE.match(text) or len(text) > 300:
            continue
        first, *rest = [s for s in re.split(r"(?<=[。！？])", text) if s]
        if _HELD.search(first) and not _SAID.search(first) and \
                all(_CHAIRED.match(s.rstrip("。")) and not _SAID.search(s) for s in rest):
            found.add(c.key)
    return found


def _ends_in_colon(text: str) -> bool:
    return text.rstrip().endswith(("：", ":"))


def attach_table_headers(chunks: list[Chunk]) -> list[Chunk]:
    """Chunks (of one file, in reading order) with each row of a table below its first carrying
    that first row, its column names, as its lead: "半程马拉松 | 8000人" says nothing of 参赛规模,
    its header "项目 | 参赛规模 | 起跑时间" does (searched with it, never quoted). A first row that
    is only column names (no figure in it, while the row below has one: "Unit type | Area |
    Monthly rent") is left out as a passage: it names what every question about the table
    asks and answers none of them."""
    out: list[Chunk] = []
    header: str | None = None
    header_at: int | None = None  # where in `out` a bare header row stands, until row two
    for chunk in chunks:
        if not is_table_row(chunk.text):
            header, header_at = None, None
        elif header is None or not out or out[-1].title != chunk.title \
                or chunk.line_start > out[-1].line_end + 1:
            header = _cells(chunk.text)  # this row heads the table
            bare = not re.search(r"[\d。：:；;]", chunk.text)
            header_at = len(out) if bare else None
        elif not chunk.lead:
            if header_at is not None and re.search(r"\d", chunk.text):
                del out[header_at]
            header_at = None
            chunk = dataclasses.replace(chunk, lead=header, key=passage_key(header + chunk.text))
        out.append(chunk)
    return out


def _cells(row: str) -> str:
    """A table's row with its cells set apart by bars ("项目 | 距离 | 参赛规模")."""
    row = row.strip()
    if "\t" in row:
        return re.sub(r"\s*\t\s*", " | ", row)
    return row if "|" in row else re.sub(r"\s+", " | ", row)  # cells split by spaces


def _last_clause(text: str) -> str:
    """The last sentence of a passage that ends in a colon ("重点抓好六个方面工作：") or that
    announces a list ("当前，要抓好以下几项重点工作。")."""
    return re.split(r"[。！？；]", text.rstrip().removesuffix("。"))[-1].strip()


# A passage whose last sentence announces the list below it without a colon: "当前，要抓好以下几项
# 重点工作。", "我愿提出以下4点倡议。".
_ANNOUNCES = re.compile(r"以下[^。！？；，,]{0,8}。$")


def _announces_list(text: str) -> bool:
    return bool(_ANNOUNCES.search(text.rstrip()))
