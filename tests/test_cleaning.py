"""rag.cleaning (and the paragraph rejoining in rag.structure): markup, page numbers, headings
and line wraps are dropped, and every clean character still points at its original character."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from conftest import PAGE_BREAK_SAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rag.cleaning import (
    Line,
    Span,
    clean_line,
    continues,
    full_width,
    join,
    split_lines,
    wrap_width,
)
from rag.structure import structure


def assert_maps_back(original: str, text: str, offsets: tuple[int, ...]) -> None:
    """Every character of `text` is the original character its offset names."""
    assert len(text) == len(offsets)
    assert [original[o] for o in offsets] == list(text)


def paragraph_texts(text: str) -> list[str]:
    return [p.text for p in structure(text).paragraphs]


# --- Span -----------------------------------------------------------------------------------


def test_span_slice_and_bounds():
    span = Span("abcd", (10, 11, 15, 16))
    part = span.slice(1, 3)
    assert part == Span("bc", (11, 15))
    assert (part.char_start, part.char_end) == (11, 16)
    assert span + Span("e", (20,)) == Span("abcde", (10, 11, 15, 16, 20))


# --- clean_line / split_lines ---------------------------------------------------------------


def test_bookmark_markup_removed_offsets_still_point_at_original():
    raw = "[bookmark: _Toc4450]一、在内事活动中的重要讲话、指示等"
    span, heading = clean_line(raw, 100)
    assert span.text == "一、在内事活动中的重要讲话、指示等"
    assert not heading
    original = "x" * 100 + raw
    assert_maps_back(original, span.text, span.offsets)
    assert span.char_start == 100 + len("[bookmark: _Toc4450]")


def test_several_bookmarks_and_fullwidth_indent_removed():
    raw = "[bookmark: _Toc190][bookmark: _Toc11410]\u3000\u3000（二）关于疫情防控的人民战争"
    span, _ = clean_line(raw, 0)
    assert span.text == "（二）关于疫情防控的人民战争"
    assert_maps_back(raw, span.text, span.offsets)


def test_bookmark_inside_a_line_is_cut_out_and_the_gap_shows_in_offsets():
    raw = "要综合多学科力量[bookmark: _Toc11241]加快科研攻关。"
    span, _ = clean_line(raw, 0)
    assert span.text == "要综合多学科力量加快科研攻关。"
    assert_maps_back(raw, span.text, span.offsets)
    i = span.text.index("加")
    assert span.offsets[i] - span.offsets[i - 1] == 1 + len("[bookmark: _Toc11241]")


def test_markdown_heading_mark_dropped_and_flagged():
    span, heading = clean_line("## 习近平给武汉东湖新城社区全体社区工作者的回信", 0)
    assert heading
    assert span.text == "习近平给武汉东湖新城社区全体社区工作者的回信"
    assert_maps_back("## 习近平给武汉东湖新城社区全体社区工作者的回信", span.text, span.offsets)


def test_hash_without_space_is_not_a_heading():
    span, heading = clean_line("#5号文件要求", 0)
    assert not heading and span.text == "#5号文件要求"


def test_emphasis_markers_dropped():
    raw = "**第一，坚决打好新冠肺炎疫情防控全球阻击战。**国际社会应该加紧行动起来。"
    span, heading = clean_line(raw, 0)
    assert not heading
    assert span.text == "第一，坚决打好新冠肺炎疫情防控全球阻击战。国际社会应该加紧行动起来。"
    assert_maps_back(raw, span.text, span.offsets)


def test_zero_width_and_bom_dropped():
    raw = "\ufeff中\u200b国\u200c人\u200d民"
    span, _ = clean_line(raw, 0)
    assert span.text == "中国人民"
    assert_maps_back(raw, span.text, span.offsets)


@pytest.mark.parametrize("page", ["2", "18", "  27  ", "- 3 -", "-12-", "第5页", "第 12 页", "\u3000 9"])
def test_lone_page_number_lines_are_dropped(page):
    text = f"第一行内容。\n{page}\n第二行内容。"
    lines = split_lines(text)
    assert [ln.text for ln in lines] == ["第一行内容。", "第二行内容。"]
    assert [ln.number for ln in lines] == [1, 3]


@pytest.mark.parametrize("keep", ["2020年", "12345", "第5章", "3月4日", "1. 标题"])
def test_lines_that_only_look_numeric_are_kept(keep):
    assert [ln.text for ln in split_lines(f"正文。\n{keep}\n")] == ["正文。", keep]


def test_split_lines_numbers_lines_and_skips_blank_ones():
    text = "\n\n# 标题\n\n 第一段。\r\n\n12\n\n第二段。"
    lines = split_lines(text)
    assert [(ln.number, ln.text, ln.heading) for ln in lines] == [
        (3, "标题", True),
        (5, "第一段。", False),
        (9, "第二段。", False),
    ]
    assert lines[1].raw == " 第一段。\r"
    for ln in lines:
        assert_maps_back(text, ln.text, ln.span.offsets)


# --- continues / join / wrap_width ----------------------------------------------------------


def _line(text: str, number: int, start: int = 0) -> Line:
    """A cleaned line at `number` whose characters start at offset `start`."""
    return Line(number, Span(text, tuple(range(start, start + len(text)))), text, False,
                start + len(text))


def test_continues_rules():
    long_open = "会议强调，湖北省和武汉市要继续抓好疫情防控工作，精心治疗、悉心护理重症患者，抓实社区防控，压实企事业单"
    # a long line cut without closing punctuation, a page break (gap) before the rest
    assert continues(_line(long_open, 1), _line("位责任。", 3), None)
    # the same without a gap: consecutive whole-paragraph lines are separate paragraphs
    assert not continues(_line(long_open, 1), _line("位责任。", 2), None)
    assert not continues(_line("会议还研究了其他事项。", 1), _line("下一段。", 3), None)  # ends a sentence
    assert not continues(_line("同志们", 1), _line("下一段。", 3), None)  # short heading, not a cut
    assert continues(_line("一" * 36, 1), _line("二", 3), 36)  # a full line of a hard-wrapped file
    assert not continues(_line("短行。", 1), _line("二", 3), 36)
    # a line ending a sentence one short of the width ends its paragraph
    assert not continues(_line("一" * 33 + "。", 1), _line("第二，下一段。", 3), 36)
    assert not continues(_line("一" * 36, 1), _line("第二，下一段。", 3), 36)  # a paragraph opener


def test_join_cjk_with_nothing_and_latin_with_a_space():
    assert join([_line("中国", 1, 0), _line("人民", 2, 3)]) == Span("中国人民", (0, 1, 3, 4))
    en = join([_line("over", 1, 0), _line("the", 2, 5)])
    assert en.text == "over the"
    assert en.offsets == (0, 1, 2, 3, 4, 5, 6, 7)  # the space stands for the line break at 4


def test_join_keeps_no_space_between_latin_and_cjk():
    assert join([_line("COVID", 1, 0), _line("疫情", 2, 6)]).text == "COVID疫情"


WRAP_SENTENCES = [
    "会议强调，要持续用力加强湖北省和武汉市疫情防控工作，继续保持内防扩散、外防输出的防控策略。",
    "要抓好社区防控工作，引导和激励群众加强自我防护。",
    "要加强患者收治和转运工作，重症患者全部集中在高水平定点医院救治。",
    "要采取有效措施，更好满足其他疾病患者医疗需求。",
    "要促进供需更好对接，优化产品结构和供应方式，让群众居家生活更加安心。",
]


def hard_wrap(paragraph: str, width: int = 36) -> list[str]:
    return [paragraph[i : i + width] for i in range(0, len(paragraph), width)]


def wrapped_document() -> tuple[str, list[str]]:
    """Three paragraphs hard-wrapped at 36 CJK characters, lines separated by blank lines,
    as in data/corpus/003; each paragraph's last line is short."""
    paragraphs = []
    for k in range(3):
        body = ("".join(WRAP_SENTENCES[k:] + WRAP_SENTENCES[:k]) * 2)[: 36 * 8 + 10 + 5 * k] + "。"
        paragraphs.append(body)
    lines = [ln for p in paragraphs for ln in hard_wrap(p)]
    return "\n\n".join(lines) + "\n", paragraphs


def test_wrap_width_detected_for_hard_wrapped_text():
    text, _ = wrapped_document()
    assert wrap_width(split_lines(text)) in (36, 37)


# A court judgment as the PDF reader extracts it (eval/foreign/src, built by Chromium): its lines
# wrap at one width but hold 38 to 48 characters, as digits take half a CJK character's room.
JUDGMENT_PDF_TEXT = Path(__file__).parent / "data" / "judgment_pdf_text.txt"


def test_pdf_lines_with_digits_wrap_at_one_width_not_one_length():
    """A full line ending in '》' ("…合同自《解除合同通知书》" / "送达之日即2024年3月18日解除。")
    was taken for a sentence's end, and the date asked for went into another passage."""
    text = JUDGMENT_PDF_TEXT.read_text(encoding="utf-8")
    lines = split_lines(text)
    assert len({len(line.text) for line in lines if len(line.text) > 30}) > 5
    assert wrap_width(lines) is None and full_width(lines) in range(70, 78)
    texts = [p.text for p in structure(text).paragraphs]
    assert any("合同自《解除合同通知书》送达之日即2024年3月18日解除。" in t for t in texts)
    assert any("签订《恒泰广场商铺租赁合同》，约定：" in t for t in texts)
    assert any(t.startswith("关于违约金。") and t.endswith("即30,750元。") for t in texts)


def test_wrap_width_none_for_whole_paragraph_lines():
    text = "\n".join(s * 3 for s in WRAP_SENTENCES * 5)
    assert wrap_width(split_lines(text)) is None


def test_hard_wrapped_lines_rejoin_into_paragraphs():
    text, paragraphs = wrapped_document()
    got = structure(text).paragraphs
    assert [p.text for p in got] == paragraphs
    for p in got:
        assert_maps_back(text, p.text, p.offsets)


def test_paragraph_broken_at_page_break_is_rejoined():
    text = (
        PAGE_BREAK_SAMPLE +
        "\n"
        "会议还研究了其他事项。\n"
    )
    assert paragraph_texts(text) == [
        "会议强调，当前经济发展面临的挑战前所未有，必须充分估计困难、风险和不确定性，切实增强紧迫感，抓实经济社会发展各项工作。",
        "会议还研究了其他事项。",
    ]
    for p in structure(text).paragraphs:
        assert_maps_back(text, p.text, p.offsets)
        assert "12" not in p.text


def test_paragraph_broken_at_page_break_with_dashed_page_number():
    text = "要坚持全国一盘棋，维护统一大市场，促进上下游、产供销、大中小企业整体配套\n\n- 7 -\n\n协同复工。\n"
    assert paragraph_texts(text) == ["要坚持全国一盘棋，维护统一大市场，促进上下游、产供销、大中小企业整体配套协同复工。"]


def test_lines_ending_a_sentence_stay_separate_paragraphs():
    text = "李克强主持会议，栗战书、汪洋、王沪宁、赵乐际、韩正出席会议。\n中共中央政治局委员、中央书记处书记，国务委员出席会议。\n"
    assert len(paragraph_texts(text)) == 2


def test_english_wrapped_lines_joined_with_a_space():
    text = "The quick brown fox jumps over the lazy dog and\nthen runs away into the forest.\n"
    paras = structure(text).paragraphs
    assert [p.text for p in paras] == ["The quick brown fox jumps over the lazy dog and then runs away into the forest."]
    p = paras[0]
    space = p.text.index(" then")
    assert text[p.offsets[space]] == "\n"  # the space stands for the line break it replaces
    assert_maps_back(text, p.text[:space], p.offsets[:space])
    assert_maps_back(text, p.text[space + 1 :], p.offsets[space + 1 :])


def test_join_space_maps_to_the_line_break_even_after_trailing_markup():
    text = "The quick brown fox jumps over **the lazy**\ndog and runs away.\n"
    p = structure(text).paragraphs[0]
    assert p.text == "The quick brown fox jumps over the lazy dog and runs away."
    space = p.text.index(" dog")
    assert text[p.offsets[space]].isspace()


def test_markup_headings_and_page_numbers_never_reach_paragraphs():
    text = (
        "# 中心组学习资料汇编\n\n"
        "## 习近平对安全生产作出重要指示\n\n"
        "[bookmark: _Toc1]新华社北京4月10日电 中共中央总书记、国家主席、中央军委主席习近平近日就安全生产作出重要指示强调，\n\n"
        "3\n\n"
        "当前，全国正在复工复产，要**加强安全**防范。\n"
    )
    paras = structure(text).paragraphs
    assert len(paras) == 1
    t = paras[0].text
    assert t.startswith("新华社北京4月10日电")
    assert t.endswith("要加强安全防范。")
    for bad in ("[bookmark", "#", "**", "强调，3当前"):
        assert bad not in t
    assert_maps_back(text, t, paras[0].offsets)


# --- property: offsets always lead back to the original ------------------------------------

CJK = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经疫情防控"
PUNCT = "。，、：；！？“”（）…—.,!?;:"

cjk_run = st.text(alphabet=CJK, min_size=1, max_size=40)
ascii_word = st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=8)
markup = st.one_of(
    st.integers(0, 99999).map(lambda n: f"[bookmark: _Toc{n}]"),
    st.sampled_from(["**", "__", "\u200b", "\ufeff"]),
)
piece = st.one_of(
    cjk_run, cjk_run, ascii_word, st.sampled_from(list(PUNCT)), markup,
    st.sampled_from([" ", "  ", "\u3000", "\t"]),
)
content_line = st.lists(piece, min_size=1, max_size=12).map("".join)
page_line = st.one_of(
    st.integers(1, 9999).map(str),
    st.integers(1, 999).map(lambda n: f"- {n} -"),
    st.integers(1, 999).map(lambda n: f"第{n}页"),
)
special_line = st.one_of(
    st.just(""),
    st.just("  "),
    page_line,
    content_line.map(lambda s: "# " + s),
    content_line.map(lambda s: "## " + s),
    content_line.map(lambda s: " " + s),
    cjk_run.map(lambda s: "——3月4日，" + s),
    st.just("（2020年2月20日给比尔·盖茨的回信）"),
    st.just("目 录"),
    st.just("1. 中共中央政治局召开会议 ..... 错误!未定义书签。"),
    st.just("2. 习近平主持会议 ..... 5"),
)
messy_texts = st.tuples(
    st.lists(st.one_of(content_line, content_line, content_line, special_line), min_size=1, max_size=30),
    st.booleans(),
).map(lambda t: ("\r\n" if t[1] else "\n").join(t[0]))


def is_join_space(original: str, text: str, offsets: tuple[int, ...], i: int) -> bool:
    """text[i] is a space `join` inserted between two lines of English (`join_space`)."""
    from rag.cleaning import join_space

    return (
        text[i] == " "
        and 0 < i < len(text) - 1
        and join_space(text[:i], text[i + 1:])
        and "\n" in original[offsets[i - 1] + 1 : offsets[i + 1]]
    )


def assert_paragraph_maps_back(original: str, p) -> None:
    """original[offsets[i]] == text[i] for every clean character of paragraph `p`, but a join
    space or the space a block of labelled lines keeps for the line break it stands on."""
    for i, ch in enumerate(p.text):
        if original[p.offsets[i]] != ch:
            assert is_join_space(original, p.text, p.offsets, i) or \
                (ch == " " and original[p.offsets[i]] == "\n"), (i, ch, p.text)


def test_a_block_of_labelled_lines_maps_its_joining_space_to_the_break():
    """Found by the property test below in CI: "一一:一" / "一一:一" are two labelled lines, kept
    as one paragraph with a space standing on the line break between them."""
    original = "上\n一一:一\n一一:一"
    (p,) = structure(original).paragraphs
    assert p.text == "一一:一 一一:一" and original[p.offsets[4]] == "\n"
    assert_paragraph_maps_back(original, p)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(original=messy_texts, data=st.data())
def test_every_paragraph_slice_maps_back_to_the_original(original, data):
    """original[offsets[i]] == text[i] for every clean character (join spaces excepted: they lie
    between the two lines they join); offsets strictly increase; so does every slice."""
    for p in structure(original).paragraphs:
        assert p.text and len(p.text) == len(p.offsets)
        assert all(0 <= o < len(original) for o in p.offsets)
        assert all(a < b for a, b in zip(p.offsets, p.offsets[1:], strict=False))
        assert_paragraph_maps_back(original, p)
        a = data.draw(st.integers(0, len(p.text) - 1))
        b = data.draw(st.integers(a + 1, len(p.text)))
        part = Span(p.text, p.offsets).slice(a, b)
        assert part.text == p.text[a:b]
        assert part.char_start <= min(part.offsets) and max(part.offsets) < part.char_end
        for i, ch in enumerate(part.text):
            if original[part.offsets[i]] != ch:
                assert ch == " " and 0 < a + i < len(p.text) - 1


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(original=messy_texts)
def test_clean_lines_never_keep_markup_or_page_numbers(original):
    for ln in split_lines(original):
        assert ln.text == ln.text.strip()
        assert "[bookmark:" not in ln.text and "**" not in ln.text and "\u200b" not in ln.text
        assert_maps_back(original, ln.text, ln.span.offsets)
        assert not ln.text.isdigit() or len(ln.text) > 4



def test_join_keeps_english_readable_and_numbers_whole():
    from rag.cleaning import join_space

    assert join_space("possible.", "Professor Liang") and join_space("Office,", "Room 412")
    assert join_space("Foundation of China", "| CNY 2.6 million") and join_space("the", "team")
    assert not join_space("共计13,", "000人") and not join_space("Vice-", "President")
    assert not join_space("习近平强调，", "要坚持") and not join_space("2020", "年")


def test_an_english_stop_before_a_number_or_a_word_keeps_its_space():
    from rag.cleaning import join_space
    from rag.sentences import split_long

    assert join_space("from 10 to 21 April 2023.", "Twenty-two volunteers")
    assert not join_space("共计13,", "000人")
    row = ("Seagrass restoration in Baisha Bay National Natural Science Foundation of China CNY "
           "2.6 million 2023-2026 Microplastics in tidal-flat sediments Jiangning Science and "
           "Technology Bureau")
    pieces = [row[a:b] for a, b in split_long(row, 0, len(row), 100)]
    assert all(p.rstrip().split()[-1] in row.split() for p in pieces)  # cut between words


def test_a_line_ending_in_a_colon_runs_on_when_the_next_word_did_not_fit():
    """"…电话：0529-86537720，邮箱：" / "jnmarathon@example.cn。": the address was cut from the
    passage that names it. A colon that announces a list still ends its line."""
    contact = "组委会办公室联系人：邵晨阳，电话：0529-86537720，邮箱："
    assert continues(_line(contact, 1), _line("jnmarathon@example.cn。", 2), None,
                     whole_lines=False, full=72)
    assert not continues(_line(contact, 1), _line("jnmarathon@example.cn。", 2), None,
                         whole_lines=False, full=None)  # no width known: as before
    lead = "选手报名参加本次比赛，须同时符合年龄、健康和成绩三方面的下列条件："
    assert not continues(_line(lead, 1), _line("年满20周岁。", 2), None, whole_lines=False, full=72)
