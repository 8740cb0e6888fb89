"""rag.sentences / rag.chunking / rag.documents: chunks of whole sentences, verbatim, small
enough for the model, free of markup, and each verifiable against its original lines."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from conftest import PAGE_BREAK_SAMPLE

from rag.chunking import attach_list_leads, pack, paragraph_chunks, passage_key
from rag.documents import chunk_source
from rag.reading import SourceText, line_starts, read_source
from rag.sentences import sentence_spans, split_long
from rag.settings import ChunkingSettings
from rag.structure import structure
from rag.types import Paragraph
from rag.verify import check_quote

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
FILES = sorted(p.name for p in CORPUS.glob("*.txt"))
TOKENIZER = (
    ROOT / ".venv/lib/python3.11/site-packages/semantra_multilingual/assets"
    / "multilingual-e5-small/tokenizer.json"
)
SETTINGS = ChunkingSettings()


@cache
def source(name: str) -> SourceText:
    return read_source(CORPUS / name, name)


@cache
def chunks_of(name: str, max_chars: int = SETTINGS.max_chars):
    return chunk_source(source(name), ChunkingSettings(max_chars=max_chars))[1]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_corpus_is_there():
    assert len(FILES) == 5
    assert all(chunks_of(name) for name in FILES)


# --- what chunks never contain ------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_chunks_have_no_markup_toc_headings_or_page_numbers(name):
    for c in chunks_of(name):
        assert "[bookmark" not in c.text
        assert "错误!未定义书签" not in c.text and "错误！未定义书签" not in c.text
        assert not re.search(r"(?:^|\n)\s*#{1,6}\s", c.text)
        assert not c.text.lstrip().startswith("#")
        assert "**" not in c.text and "\u200b" not in c.text and "\ufeff" not in c.text
        assert not re.fullmatch(r"\s*(?:-\s*)?(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*-)?\s*", c.text)
        assert not re.search(r"\.{4,}\s*\d*$", c.text)
        assert c.text == c.text.strip() and "\n" not in c.text and "\r" not in c.text


@pytest.mark.parametrize("name", FILES)
def test_chunks_are_verbatim_and_verifiable(name):
    """check_quote (which re-reads the original independently of cleaning) accepts every chunk,
    and the chunk's whitespace-free text occurs in its original lines once page-number lines
    are dropped."""
    text = source(name).text
    starts = line_starts(text)
    lines = text.split("\n")
    for c in chunks_of(name):
        assert check_quote(text, c.text, c.char_start, c.char_end, c.line_start, c.line_end) is None
        region = [
            ln for ln in lines[c.line_start - 1 : c.line_end]
            if not re.fullmatch(r"\s*(?:-\s*)?(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*-)?\s*", ln)
        ]
        haystack = squeeze(re.sub(r"\[bookmark: [^\]]*\]|\*\*", "", "\n".join(region)))
        assert squeeze(c.text) in haystack
        assert starts[c.line_start - 1] <= c.char_start < c.char_end <= len(text)
        assert c.line_end == len(starts) or c.char_end <= starts[c.line_end]
        assert c.source == name
        assert c.key == passage_key((c.lead or "") + c.text)  # an item is keyed with its lead


@pytest.mark.parametrize("name", FILES)
def test_chunk_length_at_most_max_chars(name):
    for c in chunks_of(name):
        assert len(c.text) <= SETTINGS.max_chars
        assert len(squeeze(c.text)) >= SETTINGS.min_chars


@pytest.mark.parametrize("name", FILES)
def test_chunk_length_with_small_limit(name):
    for c in chunks_of(name, 60):
        assert len(c.text) <= 60


@pytest.mark.parametrize("name", FILES)
def test_chunks_in_reading_order_without_overlap(name):
    cs = chunks_of(name)
    for a, b in zip(cs, cs[1:], strict=False):
        assert a.char_end <= b.char_start


@pytest.fixture(scope="module")
def tokenizer():
    tokenizers = pytest.importorskip("tokenizers")
    if not TOKENIZER.is_file():
        pytest.skip(f"no tokenizer at {TOKENIZER}")
    return tokenizers.Tokenizer.from_file(str(TOKENIZER))


def test_every_corpus_chunk_fits_the_model_window(tokenizer):
    worst = 0
    for name in FILES:
        texts = ["passage: " + c.text for c in chunks_of(name)]
        for enc in tokenizer.encode_batch(texts):
            worst = max(worst, len(enc.ids))
    assert worst <= 512
    assert worst <= SETTINGS.max_tokens


# --- sentence boundaries ---------------------------------------------------------------------

SENTENCE_END = re.compile(r"(?:[。！？!?；;]|…|\.)[”’」』）)》\"']*$")


def owner(paragraphs: list[Paragraph], char_start: int, char_end: int) -> tuple[Paragraph, int, int]:
    """The paragraph a chunk was cut from, and the chunk's [i, j) inside that paragraph."""
    for p in paragraphs:
        if p.offsets[0] <= char_start and char_end - 1 <= p.offsets[-1]:
            return p, p.offsets.index(char_start), p.offsets.index(char_end - 1) + 1
    raise AssertionError(f"no paragraph holds {char_start}-{char_end}")


def sentence_at(text: str, pos: int) -> tuple[int, int]:
    for s, e in sentence_spans(text):
        if s <= pos < e:
            return s, e
    raise AssertionError(pos)


@pytest.mark.parametrize("name", FILES)
def test_chunks_end_at_sentence_ends(name):
    """A chunk ends at a sentence end, unless it ends its paragraph or is a piece of one
    sentence longer than max_chars; it starts at a sentence start on the same terms; it never
    crosses a paragraph."""
    paragraphs = structure(source(name).text).paragraphs
    cut_long = 0
    for c in chunks_of(name):
        p, i, j = owner(paragraphs, c.char_start, c.char_end)
        assert p.text[i:j] == c.text
        if not p.text[j:].strip() or SENTENCE_END.search(c.text):
            pass
        else:
            s, e = sentence_at(p.text, j - 1)
            assert e - s > SETTINGS.max_chars, (name, c.text[-20:])
            cut_long += 1
        if p.text[:i].strip() and not SENTENCE_END.search(p.text[:i].rstrip()):
            s, e = sentence_at(p.text, i)
            assert e - s > SETTINGS.max_chars, (name, c.text[:20])
    assert cut_long < 10


def test_sentence_split_keeps_closing_quote():
    text = "他说：“好。”然后走了。"
    assert [text[a:b] for a, b in sentence_spans(text)] == ["他说：“好。”", "然后走了。"]


@pytest.mark.parametrize(
    "text, parts",
    [
        ("第一句。第二句！第三句？", ["第一句。", "第二句！", "第三句？"]),
        ("“其作始也简，其将毕也必巨。”脱贫攻坚越到最后越要加强。", ["“其作始也简，其将毕也必巨。”", "脱贫攻坚越到最后越要加强。"]),
        ("挥锹铲土、培土围堰……习近平接着说。", ["挥锹铲土、培土围堰……", "习近平接着说。"]),
        ("要强化显政；要把握主导；", ["要强化显政；", "要把握主导；"]),
        ("（中法）两国发扬传统（见附件。）此后继续", ["（中法）两国发扬传统（见附件。）", "此后继续"]),
        ("Hello world. This is it.", ["Hello world.", " This is it."]),
        ("版本3.5很好。", ["版本3.5很好。"]),
        ("没有结尾", ["没有结尾"]),
    ],
)
def test_sentence_spans(text, parts):
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == parts
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))  # no gaps


def test_sentence_spans_of_blank_text():
    assert sentence_spans("") == [] and sentence_spans("   ") == []


def test_split_long_cuts_at_clause_marks_within_limit():
    text = "一" * 50 + "，" + "二" * 30 + "、" + "三" * 200 + "。"
    pieces = split_long(text, 0, len(text), 100)
    assert pieces[0] == (0, 82)  # after "、", the last clause mark inside the first 100
    assert all(b - a <= 100 for a, b in pieces)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:], strict=False))


# --- pack ------------------------------------------------------------------------------------


def test_pack_everything_in_one_group_when_it_fits():
    assert pack([10, 20, 30], 200) == [(0, 3)]
    assert pack([200], 200) == [(0, 1)]


def test_pack_groups_are_contiguous_cover_all_and_respect_limit():
    lengths = [40, 70, 30, 90, 10, 60, 80, 20, 50]
    groups = pack(lengths, 150)
    assert groups[0][0] == 0 and groups[-1][1] == len(lengths)
    assert all(a[1] == b[0] and a[0] < a[1] for a, b in zip(groups, groups[1:], strict=False))
    assert all(sum(lengths[a:b]) <= 150 for a, b in groups)


def test_pack_splits_evenly():
    assert pack([100, 100, 100, 100], 250) == [(0, 2), (2, 4)]
    assert pack([60] * 6, 200) == [(0, 3), (3, 6)]


def test_pack_item_longer_than_limit_stands_alone():
    groups = pack([10, 300, 10], 200)
    assert groups == [(0, 1), (1, 2), (2, 3)]


def test_pack_uses_the_fewest_groups_that_fit():
    assert len(pack([50] * 10, 200)) == 3


# --- paragraph_chunks / passage_key ------------------------------------------------------------


def make_paragraph(text: str, start: int = 0, **kw) -> Paragraph:
    defaults = {"title": "标题", "section": None, "attribution": None}
    defaults.update(kw)
    return Paragraph(text, tuple(range(start, start + len(text))), **defaults)


def test_paragraph_chunks_carry_context_and_positions():
    text = "第一句话在这里。第二句话在这里。"
    original = "标题\n" + text + "\n"
    para = make_paragraph(text, 3, section="一、总体", attribution="——3月4日，习近平讲话")
    [c] = paragraph_chunks(para, "a.txt", line_starts(original), 200, 6)
    assert (c.text, c.title, c.section, c.attribution) == (text, "标题", "一、总体", "——3月4日，习近平讲话")
    assert (c.line_start, c.line_end, c.char_start, c.char_end) == (2, 2, 3, 3 + len(text))
    assert check_quote(original, c.text, c.char_start, c.char_end, c.line_start, c.line_end) is None


def test_paragraph_chunks_skip_short_and_unquotable():
    assert paragraph_chunks(make_paragraph("习近平"), "a", [0], 200, 6) == []
    p = Paragraph("这是一个足够长的段落。", tuple(range(11)), "t", None, None, quotable=False)
    assert paragraph_chunks(p, "a", [0], 200, 6) == []


def test_paragraph_chunks_split_at_sentences_under_the_limit():
    sentences = [f"第{i}句话说的是一件很具体的事情，并且说得相当完整。" for i in range(12)]
    text = "".join(sentences)
    chunks = paragraph_chunks(make_paragraph(text), "a", [0], 100, 6)
    assert len(chunks) > 1
    assert "".join(c.text for c in chunks) == text
    for c in chunks:
        assert len(c.text) <= 100 and c.text.endswith("。")


def test_paragraph_chunks_cut_an_over_long_sentence_at_clauses():
    text = "，".join(["这是一个很长的分句内容"] * 40) + "。"
    chunks = paragraph_chunks(make_paragraph(text), "a", [0], 100, 6)
    assert "".join(c.text for c in chunks) == text
    assert all(len(c.text) <= 100 for c in chunks)
    assert all(c.text.endswith(("，", "。")) for c in chunks)


def test_paragraph_chunks_halve_until_not_too_long():
    text = "".join(f"第{i}句比较短。" for i in range(20))
    chunks = paragraph_chunks(make_paragraph(text), "a", [0], 200, 3, too_long=lambda t: len(t) > 40)
    assert "".join(c.text for c in chunks) == text
    assert all(len(c.text) <= 40 for c in chunks)
    assert all(c.text.endswith("。") for c in chunks)


def test_passage_key_ignores_whitespace_only():
    assert passage_key("中国 人民\n团结") == passage_key("中国人民团结")
    assert passage_key("中国人民团结") != passage_key("中国人民团结。")
    assert len(passage_key("x")) == 20


def test_repeated_passage_gets_the_same_key_in_different_files():
    """000 and 001 quote the same speeches: the same sentences give the same keys."""
    keys0 = {c.key for c in chunks_of(FILES[0])}
    keys1 = {c.key for c in chunks_of(FILES[1])}
    assert keys0 & keys1


def test_page_break_inside_sentence_gives_one_verifiable_chunk():
    text = PAGE_BREAK_SAMPLE
    [c] = chunk_source(SourceText("x.txt", text, "utf-8", ""), SETTINGS)[1]
    assert c.text.endswith("抓实经济社会发展各项工作。")
    assert (c.line_start, c.line_end) == (1, 5)
    assert check_quote(text, c.text, c.char_start, c.char_end, c.line_start, c.line_end) is None


def test_a_list_item_in_a_passage_of_its_own_carries_the_lists_lead():
    """Seen in a foreign-domain PDF: "二是持续加大研发投入。" says nothing of the measures it
    is the second of; its lead-in (cut by a page break) does."""
    from rag.chunking import context_text
    from rag.types import Chunk

    def c(text, title="年报"):
        return Chunk("a.pdf", text, title, None, None, 1, 1, 0, len(text), passage_key(text))

    chunks = attach_list_leads([
        c("报告期内，面对压力，公司主要采取了以下"), c("措施：一是加大海外市场开拓力度。"),
        c("二是持续加大研发投入。"), c("三是推进降本增效。"), c("公司全年营业收入37.8亿元。"),
        c("四是另一件事。"),  # after the list has ended: no lead
        c("重点抓好六个方面工作："), c("（一）着力扩大有效需求。"), c("（二）着力深化改革。"),
    ])
    leads = [x.lead for x in chunks]
    assert leads[2] == leads[3] == "报告期内，面对压力，公司主要采取了以下措施："
    assert leads[:2] == [None, None] and leads[4] is None and leads[5] is None
    # the first item too, when its lead-in is a passage of its own: alone it says nothing of
    # 工作 (within one passage, "措施：一是…", it needs none: leads[1])
    assert leads[8] == leads[7] == "重点抓好六个方面工作："
    assert chunks[2].text == "二是持续加大研发投入。"  # quoted as written, searched with its lead
    assert "采取了以下措施" in context_text(chunks[2])
    assert chunks[2].key != passage_key(chunks[2].text)  # embedded anew with its lead


def test_a_list_announced_without_a_colon_leads_its_items():
    """"当前，要抓好以下几项重点工作。" announces the list below as a colon would: "第一，坚决打好
    湖北保卫战…" is searched with it (d49c07.1: which is the first of the 重点工作)."""
    from rag.types import Chunk

    def c(text):
        return Chunk("a.txt", text, "讲话", None, None, 1, 1, 0, len(text), passage_key(text))

    chunks = attach_list_leads([
        c("我国经济长期向好。当前，要抓好以下几项重点工作。"), c("第一，坚决打好湖北保卫战。"),
        c("第二，全力做好北京疫情防控工作。"), c("以下是全文。还有别的。"), c("第一，另一件事。"),
    ])
    assert [x.lead for x in chunks[1:3]] == ["当前，要抓好以下几项重点工作"] * 2
    assert chunks[4].lead is None  # "以下是全文。" ends no sentence that announces a list


def test_a_paragraph_cut_in_two_carries_its_other_speaker():
    """"全面开展安全生产专项整治三年行动…" continues "中共中央政治局常委、国务院总理李克强作出批示
    指出，…" in a passage of its own: it is searched with that clause (d49c09.2, "那李克强的批示
    要求开展什么专项行动？"), quoted as written. Xi's paragraphs and a meeting's carry nothing."""
    from rag.chunking import carry_speaker
    from rag.types import Chunk

    def c(text):
        return Chunk("a.txt", text, "讲话", None, None, 1, 1, 0, len(text), passage_key(text))

    rest = c("全面开展安全生产专项整治三年行动。")
    said = carry_speaker([c("中共中央政治局常委、国务院总理李克强作出批示指出，当前安全生产不能放松。"), rest])
    assert said[1].lead == "中共中央政治局常委、国务院总理李克强作出批示指出"
    assert said[1].text == rest.text and said[1].key != rest.key and said[0].lead is None
    assert carry_speaker([c("李克强在主持会议时表示，讲话很重要。"), rest])[1].lead == "李克强在主持会议时表示"
    assert carry_speaker([c("习近平强调，要抓好复工。"), rest])[1].lead is None
    assert carry_speaker([c("会议指出，今年一季度极不寻常。"), rest])[1].lead is None
    assert carry_speaker([rest]) == [rest]


def test_a_table_row_is_searched_with_its_tables_column_names():
    from rag.chunking import attach_table_headers
    from rag.types import Chunk

    def row(text: str, line: int, title: str = "竞赛规程") -> Chunk:
        return Chunk("r.docx", text, title, None, None, line, line, 0, len(text), f"k{line}")

    rows = [row("项目\t参赛规模\t起跑时间", 10), row("马拉松\t12000人\t7:30", 11),
            row("半程马拉松\t8000人\t7:30", 12), row("比赛于11月17日举行。", 13),
            row("组别\t奖金", 20), row("第一名\t40000元", 21)]
    out = attach_table_headers(rows)
    # The bare header rows (no figure, the row below has one) are not passages of their own.
    assert [c.text for c in out] == [r.text for r in rows if r.line_start not in (10, 20)]
    assert [c.lead for c in out] == ["项目 | 参赛规模 | 起跑时间", "项目 | 参赛规模 | 起跑时间",
                                     None, "组别 | 奖金"]
    assert out[1].key != rows[2].key and out[1].text == rows[2].text  # quoted as it stands
    # A first row with figures, or over rows without any, is data: it stays.
    kept = attach_table_headers([row("开诊时间\t7:30", 1), row("停诊时间\t17:00", 2)])
    assert [c.text for c in kept] == ["开诊时间\t7:30", "停诊时间\t17:00"]
    kept = attach_table_headers([row("项目名称\t沙溪河治理", 1), row("建设地点\t青石镇", 2)])
    assert len(kept) == 2
    # A PDF's row, its cells split by spaces
    spaced = attach_table_headers([row("项目 距离 参赛规模", 1), row("马拉松 42.195公里 12000人", 2)])
    assert [c.lead for c in spaced] == ["项目 | 距离 | 参赛规模"]


def test_an_editors_note_on_where_the_text_comes_from_is_told_apart():
    """"这是习近平总书记2020年1月至4月期间讲话、…通电话中有关开展抗疫国际合作内容的节录。" names every
    kind of call and letter its article holds and answers no question about any of them (it
    ranked first for "Which Cuban leader did Xi talk with by phone on 28 February?", d59-004);
    in the bundled corpus it is the only one."""
    from rag.chunking import editors_notes

    notes = {c.text for name in FILES for c in chunks_of(name)
             if c.key in editors_notes(chunks_of(name))}
    assert len(notes) == 1 and next(iter(notes)).startswith("这是习近平总书记2020年1月至4月期间")
    made = [paragraph_chunks(make_paragraph(text), "a", [0], 200, 3)[0]
            for text in ("本文是作者在座谈会上讲话的摘编。", "这是一次重要的会议。")]
    assert editors_notes(made) == {made[0].key}
