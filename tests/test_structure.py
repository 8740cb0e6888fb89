"""rag.structure: article titles, sections and attributions, on the real corpus and small samples."""

from __future__ import annotations

import bisect
import re
from functools import cache
from pathlib import Path

import pytest

from rag.reading import line_starts, read_source
from rag.structure import Structured, structure

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
F000 = "000_8ced48c5a6f24f61.txt"
F001 = "001_057ea572d0f1fc7d.txt"
F002 = "002_09a23be81b2d5379.txt"
F003 = "003_6730130ec87af471.txt"
F004 = "004_4de1f6b1edcc37eb.txt"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@cache
def original(name: str) -> str:
    return read_source(CORPUS / name, name).text


@cache
def doc(name: str) -> Structured:
    return structure(original(name))


def first_line(name: str, offset: int) -> int:
    """1-based line number of an original offset."""
    return bisect.bisect_right(line_starts(original(name)), offset)


def paragraph_lines(name: str) -> list[tuple[int, int, object]]:
    """(first line, last line, paragraph) for each paragraph of a corpus file."""
    return [
        (first_line(name, p.offsets[0]), first_line(name, p.offsets[-1]), p)
        for p in doc(name).paragraphs
    ]


# --- article titles per corpus file ---------------------------------------------------------
# Read off the files: a title is the article's headline (its first headline line; a bare
# "习近平回信" is completed by the line under it), with the 1-based line it stands on.

EXPECTED_ARTICLES = {
    F000: [
        ("中共中央政治局召开会议 习近平主持", 16),
        ("习近平：团结合作是国际社会战胜疫情最有力武器", 54),
        ("习近平对安全生产作出重要指示强调 树牢安全发展理念 加强安全生产监管 切实维护人民群众生命财产安全", 332),
        ("习近平给武汉东湖新城社区全体社区工作者的回信", 352),
    ],
    # A compilation of excerpts with no article headlines: its three top-level parts.
    F001: [
        ("一、在内事活动中的重要讲话、指示等", 1),
        ("二、在外事活动中的重要论述", 103),
        ("三、外方积极表态", 304),
    ],
    F002: [
        ("习近平在统筹推进新冠肺炎疫情防控和经济社会发展工作部署会议上强调 毫不放松抓紧抓实抓细防控工作 统筹做好经济社会发展各项工作", 1),
        ("习近平在决战决胜脱贫攻坚座谈会上强调：坚决克服新冠肺炎疫情影响 坚决夺取脱贫攻坚战全面胜利", 24),
        ("人民论坛：疫情防控要抓重点", 45),
        ("坚决打赢抗击疫情阻击战 推动构建人类命运共同体", 53),
    ],
    F003: [
        ("中共中央政治局常务委员会召开会议", 1),
        ("在决战决胜脱贫攻坚座谈会上的讲话", 114),
        ("在湖北省考察新冠肺炎疫情防控工作时的讲话", 491),
        ("习近平回信 勉励北京大学援鄂医疗队全体“90后”党员", 825),
        ("中共中央政治局常务委员会召开会议", 852),
        ("习近平：携手抗疫 共克时艰", 953),
        ("中共中央政治局召开会议", 1053),
        ("习近平在浙江考察时强调", 1214),
        ("习近平在参加首都义务植树活动时强调", 1466),
        ("习近平回信勉励武汉东湖新城社区全体社区工作者", 1550),
        ("中共中央政治局常务委员会召开会议", 1581),
        ("习近平对安全生产作出重要指示", 1677),
    ],
    F004: [
        ("习近平：在中央政治局常委会会议研究应对新型冠状病毒肺炎疫情工作时的讲话", 15),
        ("习近平：完善重大疫情防控体制机制 健全国家公共卫生应急管理体系", 97),
        ("在统筹推进新冠肺炎疫情防控和经济社会发展工作部署会议上的讲话", 142),
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED_ARTICLES))
def test_article_titles_per_corpus_file(name):
    got = [(squeeze(a.title), a.line) for a in doc(name).articles]
    assert got == [(squeeze(t), line) for t, line in EXPECTED_ARTICLES[name]]


def test_every_paragraph_carries_its_article_title():
    for name in EXPECTED_ARTICLES:
        articles = doc(name).articles
        starts = [a.line for a in articles]
        for first, _last, p in paragraph_lines(name):
            k = bisect.bisect_right(starts, first) - 1
            assert k >= 0, (name, first, p.text[:20])
            assert p.title == articles[k].title, (name, first)


def test_toc_titles_of_compilations():
    assert doc(F000).toc_titles == [t for t, _ in EXPECTED_ARTICLES[F000]]
    assert [squeeze(t) for t in doc(F004).toc_titles] == [
        "习近平在中央政治局常委会会议研究应对新型冠状病毒肺炎疫情工作时的讲话",
        "习近平：完善重大疫情防控体制机制健全国家公共卫生应急管理体系",
        "习近平在统筹推进新冠肺炎疫情防控和经济社会发展工作部署会上的讲话",
    ]
    for name in (F001, F002, F003):
        assert doc(name).toc_titles == []


TOC_ENTRY = re.compile(r"(?:\.{3,}|…{3,}|·{4,})\s*(?:\d+|错误)|错误[!！]未定义书签")


@pytest.mark.parametrize("name", sorted(EXPECTED_ARTICLES))
def test_toc_entries_and_cover_never_in_paragraphs(name):
    for p in doc(name).paragraphs:
        assert not TOC_ENTRY.search(p.text), p.text[:60]
        assert "目录" not in squeeze(p.text)[:4]
        assert "中心组学习资料汇编" not in p.text and "石油与天然气工程学院党总支" not in p.text


@pytest.mark.parametrize("name", sorted(EXPECTED_ARTICLES))
def test_headers_are_not_paragraphs(name):
    """Titles, subtitles, date lines and signatures are not quotable paragraphs; a byline is
    (it answers who wrote it and where), as itself and attributed to itself."""
    titles = {squeeze(a.title) for a in doc(name).articles}
    bylines = {a.byline for a in doc(name).articles if a.byline}
    for p in doc(name).paragraphs:
        t = squeeze(p.text)
        assert t not in titles
        assert not re.fullmatch(r"[（(]\d{4}年\d{1,2}月\d{1,2}日(?:，\S+)?[）)]", t)
        assert not re.fullmatch(r"\d{4}年\d{1,2}月(?:\d{1,2}日)?", t)
        assert t not in ("习近平", "同志们：")
        if t.startswith(("来源：", "《人民日报》")):
            assert p.text in bylines and p.attribution == p.text


def test_003_subtitles_and_signature_lines_not_paragraphs():
    texts = {squeeze(p.text) for p in doc(F003).paragraphs}
    for header in (
        "研究当前新冠肺炎疫情",
        "防控和稳定经济社会运行重点工作",
        "中共中央总书记习近平主持会议",
        "——在二十国集团领导人特别峰会上的发言",
        "（2020年3月26日，北京）",
        "让青春在党和人民最需要的地方绽放绚丽之花",
        "2020年3月15日",
    ):
        assert squeeze(header) not in texts


# --- attributions on the corpus -------------------------------------------------------------

DASH_LINE = re.compile(r"^\s*——\d{1,2}月\d{1,2}日")
PAREN_ANY_LINE = re.compile(r"^[（(]\d{4}年\d{1,2}月.*[）)]$")
HEADING_LINE = re.compile(r"^(?:#|\*\*[一二三四五六七八九十]+、|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")


def expected_attribution(name: str, last: int, attribution_line: re.Pattern) -> str | None:
    """The attribution line the paragraph ending on line `last` belongs to: the next such line
    below it, unless a heading comes first (then it has none)."""
    lines = original(name).split("\n")
    for n in range(last + 1, len(lines) + 1):
        text = BOOKMARK.sub("", lines[n - 1]).strip()
        if attribution_line.match(text):
            return text
        if HEADING_LINE.match(text):
            return None
    return None


def test_001_dash_attribution_names_paragraphs_above_back_to_previous_attribution_or_heading():
    checked = 0
    for first, last, p in paragraph_lines(F001):
        want = expected_attribution(F001, last, DASH_LINE)
        assert want is not None, (first, p.text[:20])
        assert p.attribution == want, (first, p.text[:20], p.attribution, want)
        checked += 1
    assert checked > 150


def test_001_first_paragraphs_and_their_line():
    got = [(first, p.attribution) for first, _, p in paragraph_lines(F001)[:3]]
    march4 = "——3月4日，习近平主持召开中共中央政治局常务委员会会议并发表重要讲话"
    assert got[0] == (3, march4) and got[1] == (4, march4)
    assert got[2][0] == 7 and got[2][1].startswith("——3月10日，习近平在湖北省考察")


def test_001_attribution_lines_are_not_paragraphs():
    for p in doc(F001).paragraphs:
        assert not p.text.startswith("——")


def test_001_sections_follow_headings():
    by_line = {first: p for first, _, p in paragraph_lines(F001)}
    assert by_line[3].section == "（一）关于疫情形势和防控工作重点"
    assert by_line[26].section == "（二）关于疫情防控的人民战争、总体战、阻击战"
    assert by_line[78].section.startswith("（四）关于疫苗研发、病毒检测等科研攻关")
    assert by_line[105].title == "二、在外事活动中的重要论述"
    assert by_line[105].section == "（一）关于国内疫情防控工作情况"


def test_000_paren_attribution_names_paragraphs_above():
    """Every paragraph above a `（2020年M月[D日]…）` line gets that line (back to the previous
    attribution line or heading); no such line is itself a paragraph."""
    checked = 0
    for first, last, p in paragraph_lines(F000):
        assert not PAREN_ANY_LINE.match(p.text), p.text
        want = expected_attribution(F000, last, PAREN_ANY_LINE)
        if p.title != "习近平：团结合作是国际社会战胜疫情最有力武器":
            assert p.attribution is None, (first, p.text[:20])
            continue
        if first == 330:  # the editor's closing note has no attribution line below it
            assert p.attribution is None
            continue
        assert p.attribution == want, (first, p.text[:20], p.attribution, want)
        checked += 1
    assert checked > 50


def test_000_letter_to_bill_gates_attribution():
    gates = "（2020年2月20日给比尔·盖茨的回信）"
    named = [first for first, _, p in paragraph_lines(F000) if p.attribution == gates]
    assert named == [58, 124]
    by_line = {first: p for first, _, p in paragraph_lines(F000)}
    assert by_line[62].attribution.startswith("（2020年2月23日《在统筹推进")
    assert by_line[58].text.startswith("我一直讲，人类是一个命运共同体。")


def test_000_month_only_attribution_line_names_paragraph_above():
    """`（2020年3月就意大利…的慰问电）` has no day but is an attribution line all the same."""
    by_line = {first: p for first, _, p in paragraph_lines(F000)}
    assert by_line[70].attribution == "（2020年3月就意大利发生新冠肺炎疫情致意大利总统马塔雷拉的慰问电）"
    assert by_line[150].attribution == "（2020年3月就德国发生新冠肺炎疫情致德国总理默克尔的慰问电）"
    for p in doc(F000).paragraphs:
        assert not PAREN_ANY_LINE.match(p.text), p.text


def test_000_long_bold_section_headings_are_sections_not_body():
    for p in doc(F000).paragraphs:
        assert not p.text.startswith(("二、", "三、", "四、", "五、")), p.text[:30]
    by_line = {first: p for first, _, p in paragraph_lines(F000)}
    assert by_line[100].text.startswith("新型冠状病毒感染肺炎疫情发生以来")
    assert (by_line[100].section or "").startswith("二、中国秉持人类命运共同体理念")


def test_002_byline_belongs_to_its_article():
    articles = doc(F002).articles
    wangyi = articles[3]
    assert squeeze(wangyi.title) == "坚决打赢抗击疫情阻击战推动构建人类命运共同体"
    assert squeeze(wangyi.byline) == "来源：《求是》2020/05作者：王毅"
    assert articles[1].byline is None and articles[2].byline is None
    in_article = [p for p in doc(F002).paragraphs if p.title == wangyi.title]
    assert len(in_article) == 16  # the byline itself and 15 body paragraphs
    assert in_article[0].text == wangyi.byline
    assert all(p.attribution == wangyi.byline for p in in_article)
    for p in doc(F002).paragraphs:
        if p.title != wangyi.title:
            assert "王" not in (p.attribution or "") and "王 毅" not in p.text


def test_002_people_daily_byline_of_first_article():
    articles = doc(F002).articles
    assert squeeze(articles[0].byline) == "《人民日报》（2020年02月24日01版）"
    first = [p for p in doc(F002).paragraphs if p.title == articles[0].title]
    assert first and all(p.attribution == articles[0].byline for p in first)


def test_002_sections_of_wang_yi_article():
    sections = [p.section for p in doc(F002).paragraphs if p.title.startswith("坚决打赢")]
    assert sections == [None, None] + ["一"] * 5 + ["二"] * 4 + ["三"] * 5


def test_002_dateline_starts_its_own_paragraph():
    by_line = {first: p for first, _, p in paragraph_lines(F002)}
    assert 10 in by_line and by_line[10].text.startswith("新华社北京2月23日电")


def test_003_enumerated_point_after_full_width_sentence_end_starts_a_paragraph():
    starts = [p.text[:16] for p in doc(F003).paragraphs]
    assert "第二，贫困群众收入水平大幅度提高" in starts
    assert "第一，把医疗救治工作摆在第一位。" in starts


def test_003_dash_bullets_are_body_not_attributions():
    texts = [squeeze(p.text) for p in doc(F003).paragraphs]
    assert any(t.startswith("——剩余脱贫攻坚任务艰巨。全国还有52个贫困县未摘帽") for t in texts)
    for p in doc(F003).paragraphs:
        assert p.attribution is None or not p.attribution.startswith("——剩余")


# --- small inline samples ------------------------------------------------------------------


def test_dash_attribution_groups_paragraphs_back_to_previous_attribution():
    text = (
        "[bookmark: _Toc1]一、在内事活动中的重要讲话\n"
        "（一）关于疫情形势\n"
        "第一段话。\n"
        "第二段话。\n"
        "——3月4日，习近平主持召开会议\n"
        "\n"
        "第三段话。\n"
        "——3月10日，习近平在湖北考察\n"
        "（二）关于复工复产\n"
        "第四段话。\n"
        "——4月1日，习近平在浙江考察\n"
    )
    d = structure(text)
    assert [a.title for a in d.articles] == ["一、在内事活动中的重要讲话"]
    got = [(p.text, p.section, p.attribution) for p in d.paragraphs]
    assert got == [
        ("第一段话。", "（一）关于疫情形势", "——3月4日，习近平主持召开会议"),
        ("第二段话。", "（一）关于疫情形势", "——3月4日，习近平主持召开会议"),
        ("第三段话。", "（一）关于疫情形势", "——3月10日，习近平在湖北考察"),
        ("第四段话。", "（二）关于复工复产", "——4月1日，习近平在浙江考察"),
    ]


def test_a_wrapped_paragraph_opening_with_a_number_is_not_a_section():
    """Seen in a Chromium-printed PDF: the first line of "（二）城市功能品质持续提升。地铁3号线
    …" was taken for a section heading and left out of the passage."""
    text = (
        "一、2023年工作回顾\n"
        "（一）经济运行稳中有进\n"
        "全年地区生产总值增长5.8%。\n"
        "（二）城市功能品质持续提升。地铁3号线一期工程建成通车，全长28.6公里，设车\n"
        "站22座。\n"
    )
    got = [(p.text, p.section) for p in structure(text).paragraphs]
    assert got[0] == ("全年地区生产总值增长5.8%。", "（一）经济运行稳中有进")
    assert got[1][0].startswith("（二）城市功能品质持续提升。地铁3号线")


def test_paren_attribution_and_heading_boundary():
    text = (
        "# 习近平：团结合作是国际社会战胜疫情最有力武器\n\n"
        "我一直讲，人类是一个命运共同体。\n\n"
        "（2020年2月20日给比尔·盖茨的回信）\n\n"
        "公共卫生安全是人类面临的共同挑战。\n\n"
        "需要各国携手应对。\n\n"
        "（2020年2月23日《在部署会议上的讲话》）\n\n"
        "# 另一篇文章\n\n"
        "这一段没有出处。\n"
    )
    d = structure(text)
    assert [a.title for a in d.articles] == ["习近平：团结合作是国际社会战胜疫情最有力武器", "另一篇文章"]
    assert [(p.text, p.attribution, p.title) for p in d.paragraphs] == [
        ("我一直讲，人类是一个命运共同体。", "（2020年2月20日给比尔·盖茨的回信）", d.articles[0].title),
        ("公共卫生安全是人类面临的共同挑战。", "（2020年2月23日《在部署会议上的讲话》）", d.articles[0].title),
        ("需要各国携手应对。", "（2020年2月23日《在部署会议上的讲话》）", d.articles[0].title),
        ("这一段没有出处。", None, "另一篇文章"),
    ]


def test_toc_block_lists_titles_and_is_dropped():
    text = (
        "# 中心组学习资料汇编\n\n石油与天然气工程学院党总支\n\n2020年4月24日\n\n"
        "# 目 录\n\n"
        "1. 第一篇文章的标题 ..... 错误!未定义书签。\n"
        "2. 第二篇文章的标题 ..... 5\n\n"
        "第一篇文章的标题\n\n这是第一篇的正文。\n\n"
        "第二篇文章的标题\n\n这是第二篇的正文。\n"
    )
    d = structure(text)
    assert d.toc_titles == ["第一篇文章的标题", "第二篇文章的标题"]
    assert [a.title for a in d.articles] == ["第一篇文章的标题", "第二篇文章的标题"]
    assert [p.text for p in d.paragraphs] == ["这是第一篇的正文。", "这是第二篇的正文。"]


def test_toc_entries_without_heading_never_in_paragraphs():
    text = (
        "1. 第一篇文章的标题 ..... 3\n"
        "2. 第二篇文章的标题 ..... 错误!未定义书签。\n\n"
        "# 第一篇文章的标题\n\n这是第一篇的正文。\n"
    )
    for p in structure(text).paragraphs:
        assert not TOC_ENTRY.search(p.text), p.text


def test_news_header_block_ending_in_dateline():
    text = (
        " 中共中央政治局常务委员会召开会议\n\n"
        "研究当前新冠肺炎疫情\n\n"
        "中共中央总书记习近平主持会议\n\n"
        "新华社北京3月4日电 中共中央政治局常务委员会3月4日召开会议。\n\n"
        "会议还研究了其他事项。\n"
    )
    d = structure(text)
    assert [(a.title, a.line) for a in d.articles] == [("中共中央政治局常务委员会召开会议", 1)]
    assert [p.text for p in d.paragraphs] == [
        "新华社北京3月4日电 中共中央政治局常务委员会3月4日召开会议。",
        "会议还研究了其他事项。",
    ]


def test_speech_header_date_signature_and_salutation():
    text = (
        "会议还研究了其他事项。\n"
        " 在决战决胜脱贫攻坚座谈会上的讲话\n\n"
        "（2020年3月6日）\n\n"
        "习近平\n\n"
        "同志们：\n\n"
        "这次会议的主要任务是分析当前形势。\n\n"
        "一、我国脱贫攻坚取得决定性成就\n\n"
        "第一，脱贫攻坚目标任务接近完成。具体情况如下。\n"
    )
    d = structure(text)
    assert [a.title for a in d.articles] == ["在决战决胜脱贫攻坚座谈会上的讲话"]
    got = [(p.text, p.section) for p in d.paragraphs]
    assert got == [
        ("会议还研究了其他事项。", None),  # before any title: kept, no title
        ("这次会议的主要任务是分析当前形势。", None),
        ("第一，脱贫攻坚目标任务接近完成。具体情况如下。", "一、我国脱贫攻坚取得决定性成就 / 第一，脱贫攻坚目标任务接近完成"),
    ]


def test_short_reply_title_completed_by_its_subtitle():
    text = (
        "武汉必胜！湖北必胜！全国必胜！\n"
        " 习近平回信\n\n"
        "勉励北京大学援鄂医疗队全体“90后”党员\n\n"
        "让青春在党和人民最需要的地方绽放绚丽之花\n\n"
        "北京大学援鄂医疗队全体“90后”党员：\n\n"
        "来信收悉。你们青年人同在一线英勇奋战。\n\n"
        "习近平\n\n"
        "2020年3月15日\n"
    )
    d = structure(text)
    assert [a.title for a in d.articles] == ["习近平回信 勉励北京大学援鄂医疗队全体“90后”党员"]
    # A letter's salutation opens its first paragraph, so a quote of it says whom it was to.
    assert [p.text for p in d.paragraphs][-1] == \
        "北京大学援鄂医疗队全体“90后”党员：来信收悉。你们青年人同在一线英勇奋战。"


def test_byline_attached_to_article_and_its_paragraphs():
    text = (
        " 人民论坛：疫情防控要抓重点\n"
        "善于抓住关键，是一条重要经验。\n"
        " 坚决打赢抗击疫情阻击战 推动构建人类命运共同体\n"
        "来源：《求是》2020/05 作者：王 毅\n"
        "\u3000\u3000新冠肺炎疫情是一个重大威胁。\n"
        "一\n"
        "\u3000\u3000外交战线紧紧围绕总目标。\n"
    )
    d = structure(text)
    assert [(a.title, a.byline) for a in d.articles] == [
        ("人民论坛：疫情防控要抓重点", None),
        ("坚决打赢抗击疫情阻击战 推动构建人类命运共同体", "来源：《求是》2020/05 作者：王 毅"),
    ]
    assert [(p.text, p.section, p.attribution) for p in d.paragraphs] == [
        ("善于抓住关键，是一条重要经验。", None, None),
        ("来源：《求是》2020/05 作者：王 毅", None, "来源：《求是》2020/05 作者：王 毅"),
        ("新冠肺炎疫情是一个重大威胁。", None, "来源：《求是》2020/05 作者：王 毅"),
        ("外交战线紧紧围绕总目标。", "一", "来源：《求是》2020/05 作者：王 毅"),
    ]


def test_numbered_subheadings_of_a_word_or_web_document_are_its_sections():
    """A DOCX or HTML page sets its title as heading 1 and its numbered parts as heading 2:
    one article with sections, so every passage carries the document's title."""
    s = structure("# 江宁市公共数据管理条例\n## 第一章 总则\n第一条 为了规范公共数据管理，制定本条例。\n"
                  "## 第二章 数据共享\n第十条 公共数据分为无条件共享、有条件共享和不予共享三类。\n"
                  "### 一、共享方式\n通过共享平台共享。\n")
    assert [a.title for a in s.articles] == ["江宁市公共数据管理条例"]
    assert [(p.title, p.section) for p in s.paragraphs] == [
        ("江宁市公共数据管理条例", "第一章 总则"),
        ("江宁市公共数据管理条例", "第二章 数据共享"),
        ("江宁市公共数据管理条例", "一、共享方式"),
    ]


def test_unnumbered_subheadings_of_a_compilation_stay_articles():
    s = structure("# 中心组学习资料汇编\n# 中共中央政治局召开会议\n会议指出，要抓紧抓实抓细。\n"
                  "## 习近平给武汉东湖新城社区全体社区工作者的回信\n你们好！来信收悉。\n")
    assert [a.title for a in s.articles][-2:] == ["中共中央政治局召开会议",
                                                 "习近平给武汉东湖新城社区全体社区工作者的回信"]
    assert s.paragraphs[-1].title.startswith("习近平给武汉") and s.paragraphs[-1].section is None


def test_a_full_line_that_runs_on_is_a_wrapped_list_item_not_a_section():
    """A Chromium PDF wraps at 38-43 characters; "（三）业绩要求：…8000万元" fills its line and
    runs on, so it opens a paragraph (kept whole), unlike the short heading above it."""
    filler = "".join(f"第{i}行是正文内容，用来给出这份文件换行的宽度，共计约四十个字符左右的长度\n"
                     for i in range(20))
    text = (filler + "三、投标人资格要求\n"
            "（三）业绩要求：投标人自2019年1月1日以来至少完成过1项单项合同金额在8000万元\n"
            "以上的河道整治或泵站工程施工业绩。\n"
            "（四）本次招标不接受联合体投标。\n")
    got = [p.text for p in structure(text).paragraphs][-2:]
    assert got == ["（三）业绩要求：投标人自2019年1月1日以来至少完成过1项单项合同金额在8000万元"
                   "以上的河道整治或泵站工程施工业绩。", "（四）本次招标不接受联合体投标。"]


def test_a_documents_short_unpunctuated_first_line_is_its_title():
    """A PDF keeps no heading marks: its first line is its title, and the numbered parts under
    it are sections, not articles."""
    s = structure("沙溪河综合治理工程（一期）施工招标公告\n招标编号：JNGC-2024-SL-0716\n一、招标条件\n"
                  "本招标项目已由江宁市发展和改革委员会批准建设。\n二、项目概况\n建设地点在青石镇。\n")
    assert [a.title for a in s.articles] == ["沙溪河综合治理工程（一期）施工招标公告"]
    assert [(p.title, p.section) for p in s.paragraphs] == [
        ("沙溪河综合治理工程（一期）施工招标公告", None),  # 招标编号：…, a field
        ("沙溪河综合治理工程（一期）施工招标公告", "一、招标条件"),
        ("沙溪河综合治理工程（一期）施工招标公告", "二、项目概况"),
    ]


def test_issuer_line_above_the_closing_date_signs_the_notice():
    """'2024江宁马拉松组委会 / 2024年8月20日' under a notice's last paragraph is its sign-off: not a
    paragraph of its own (it names the document's subject and would match every question
    about it), but the tail of the paragraph above."""
    text = ("2024江宁马拉松竞赛规程\n"
            "一、比赛时间\n"
            "比赛于2024年11月17日举行。\n"
            "组委会办公室联系人：邵晨阳，电话：0529-86537720。\n"
            "2024江宁马拉松组委会\n"
            "2024年8月20日\n")
    paragraphs = structure(text).paragraphs
    texts = [squeeze(p.text) for p in paragraphs]
    assert "2024江宁马拉松组委会" not in texts
    assert paragraphs[-1].text.startswith("组委会办公室联系人")
    assert squeeze(paragraphs[-1].tail_text) == "2024江宁马拉松组委会2024年8月20日"


def test_a_short_closing_sentence_above_a_date_stays_a_paragraph():
    """Only an unpunctuated name signs: a last sentence of the body is still quotable."""
    text = ("关于停水的通知\n"
            "届时请居民提前储水。\n"
            "特此通知。\n"
            "2024年8月20日\n")
    texts = [squeeze(p.text) for p in structure(text).paragraphs]
    assert "特此通知。" in texts


def test_table_rows_are_lines_of_their_own():
    """A Word or web table's rows (cells split by tabs, as rag/formats writes them) or a
    drawn one ('意外医疗 | 5万元') are not wrapped lines: glued, they read '给付方式意外身故' and
    ran on into the clause after the table."""
    for cell in ("\t", " | "):
        rows = [cell.join(r) for r in (("保障项目", "保险金额"), ("意外身故", "50万元"),
                                       ("意外医疗", "5万元"))]
        text = ("团体意外伤害保险条款\n第五条　保险金额见下表：\n" + "\n".join(rows) +
                "\n第六条　保险期间为一年，自起保日零时起至期满日二十四时止\n")
        texts = [p.text for p in structure(text).paragraphs]
        assert rows[1] in texts and rows[2] in texts, texts
        assert any(t.startswith("第六条") for t in texts)


def test_a_lead_in_is_no_salutation_and_opens_no_table():
    """"两次停水的时间和影响范围如下：" is short, unpunctuated and ends in a colon, like a letter's
    salutation, which opens the paragraph below it. Read so, it glued the table's first row to
    itself ("…如下：停水批次\t停水时间") and the list's first item to its lead-in. A letter's
    salutation still opens its first paragraph."""
    table = ("停水通知\n两次停水的时间和影响范围如下：\n停水批次\t停水时间\t施工地点\n"
             "第一次\t7月9日22:00至7月10日10:00\t和平路与文化路交叉口\n")
    texts = [p.text for p in structure(table).paragraphs]
    assert "两次停水的时间和影响范围如下：" in texts, texts
    assert "第一次\t7月9日22:00至7月10日10:00\t和平路与文化路交叉口" in texts
    items = "竞赛规程\n报名参赛的选手须同时符合下列条件：\n1. 马拉松项目限2006年以前出生者报名；\n"
    assert "报名参赛的选手须同时符合下列条件：" in [p.text for p in structure(items).paragraphs]
    letter = "回信\n武汉东湖新城社区全体社区工作者：\n你们好！来信收悉。\n"
    assert "武汉东湖新城社区全体社区工作者：你们好！来信收悉。" in \
        [p.text for p in structure(letter).paragraphs]
    # A salutation does not open a table row either.
    texts = [p.text for p in structure("通知\n各单位：\n项目\t金额\n").paragraphs]
    assert "项目\t金额" in texts, texts


def test_an_english_pdf_has_its_title_and_numbered_sections():
    """A PDF keeps no heading marks: an English newsletter's first line in title case is its
    title, and "2. Two Field Campaigns" a section (even under a signature line that ends in no
    stop), while a short numbered list item in sentence case stays text."""
    text = ("Institute of Coastal Ecology, Jiangning University: Annual Newsletter 2023\n"
            "Issue No. 9. Published in Jiangning on 15 January 2024 by the Institute Office,\n"
            "Room 412, Haiyun Building.\n"
            "1. From the Director\n"
            "Dear colleagues, 2023 was the busiest year in the institute's history and it was\n"
            "made possible by our partners.\n"
            "Professor Liang Wenqing, Director\n"
            "2. Two Field Campaigns\n"
            "The team went out twice. Visitors were asked to:\n"
            "1. Keep to the marked paths\n")
    doc = structure(text)
    assert [a.title for a in doc.articles] == [
        "Institute of Coastal Ecology, Jiangning University: Annual Newsletter 2023"]
    sections = {p.section for p in doc.paragraphs}
    assert {"1. From the Director", "2. Two Field Campaigns"} <= sections
    texts = [p.text for p in doc.paragraphs]
    assert "1. Keep to the marked paths" in texts
    # Wrapped English lines keep a space after a stop or a comma.
    assert any("Institute Office, Room 412" in t for t in texts)



def test_a_drawn_row_wrapped_by_a_pdf_runs_on_and_rows_stay_apart():
    text = ("Research Grants\n"
            "Project | Funder | Amount\n"
            "Seagrass restoration in Baisha Bay | National Natural Science Foundation of China\n"
            "| CNY 2.6 million\n"
            "Microplastics in sediments | Jiangning Science and Technology Bureau |\n"
            "CNY 850,000\n"
            "Saltmarsh carbon inventory | Jiangning Port Group | CNY 1.2 million\n"
            "The seagrass project is the largest grant in the institute's history.\n")
    texts = [p.text for p in structure(text).paragraphs]
    assert "Seagrass restoration in Baisha Bay | National Natural Science Foundation of China " \
           "| CNY 2.6 million" in texts
    assert "Microplastics in sediments | Jiangning Science and Technology Bureau | CNY 850,000" \
        in texts
    assert "Saltmarsh carbon inventory | Jiangning Port Group | CNY 1.2 million" in texts


def test_a_pdf_tables_rows_with_spaced_cells_stay_apart():
    """A PDF's text layer gives a Chinese table's cells split by spaces: its rows are not wrapped
    prose (they were glued, and ran on into the paragraph after the table)."""
    text = ("2024江宁马拉松竞赛规程\n"
            "本次比赛设三个项目，各项目设置如下：\n"
            "项目 距离 参赛规模 关门时间\n"
            "马拉松 42.195公里 12000人 6小时\n"
            "半程马拉松 21.0975公里 10000人 3小时\n"
            "马拉松项目设置4个分段关门点，未在规定时间内通过关门点的选手须退出比赛，乘坐收容车\n"
            "返回终点。\n")
    texts = [p.text for p in structure(text).paragraphs]
    assert "马拉松 42.195公里 12000人 6小时" in texts
    assert "半程马拉松 21.0975公里 10000人 3小时" in texts
    assert any(t.startswith("马拉松项目设置4个分段关门点") and t.endswith("返回终点。") for t in texts)
    from rag.cleaning import spaced_row

    assert not spaced_row("习近平2020 年 4 月 8 日") and not spaced_row("Dry-cargo unit A")


# Two PDFs as the reader extracts them (eval/foreign/src, built by Chromium).
PDF_TEXTS = Path(__file__).parent / "data"


def test_a_judgments_rulings_ending_in_semicolons_are_paragraphs_not_headings():
    """"三、味鼎公司于本判决生效之日起十日内支付恒泰公司违约金30,750元；" is a list item: as a
    section heading its amount was in no passage, and the question asking it found nothing."""
    s = structure((PDF_TEXTS / "judgment_pdf_text.txt").read_text(encoding="utf-8"))
    texts = [p.text for p in s.paragraphs]
    assert "三、味鼎公司于本判决生效之日起十日内支付恒泰公司违约金30,750元；" in texts
    assert "一、确认恒泰公司与味鼎公司签订的《恒泰广场商铺租赁合同》于2024年3月18日解除；" in texts
    assert not any((p.section or "").startswith(("一、确认", "四、味鼎")) for p in s.paragraphs)


def test_a_wrapped_first_paragraph_under_a_title_is_body_not_a_subtitle():
    """The bulletin's first paragraph, wrapped under its title and issue number, was read as
    subtitles ("近期，…抽检…糕" is a short line with no stop at its end): its totals
    (386批次, 不合格8批次) were in no passage."""
    s = structure((PDF_TEXTS / "food_bulletin_pdf_text.txt").read_text(encoding="utf-8"))
    first = next(p.text for p in s.paragraphs if p.text.startswith("近期，"))
    assert "14大类食品386批次，抽检合格378批次，不合格8批次，合格率97.9%" in first
    assert s.articles[0].title == "江宁市市场监督管理局关于8批次食品抽检不合格情况的通告"


def test_labelled_fields_under_a_title_are_one_quotable_paragraph():
    """A penalty decision's header names the party and its legal representative: as subtitles
    they were in no passage ("Who is the legal representative of …?" found nothing)."""
    text = ("江宁市市场监督管理局行政处罚决定书\n江市监处罚〔2024〕147号\n"
            "当事人：江宁市鲜味坊餐饮管理有限公司\n住所（住址）：江宁市和平路318号\n"
            "法定代表人（负责人）：钱国栋\n"
            "当事人江宁市鲜味坊餐饮管理有限公司使用超过保质期的食品原料生产食品一案，现已调查终结。\n"
            "一、违法事实\n2024年4月23日，本局执法人员对当事人进行现场检查。\n")
    s = structure(text)
    block = s.paragraphs[0]
    assert block.text == ("当事人：江宁市鲜味坊餐饮管理有限公司 住所（住址）：江宁市和平路318号 "
                          "法定代表人（负责人）：钱国栋")
    assert block.section is None and block.quotable
    assert "".join(text[o] for o in block.offsets) == block.text.replace(" ", "\n")
    assert s.paragraphs[1].text.startswith("当事人江宁市鲜味坊") and len(s.paragraphs) == 3


def test_a_list_item_wrapped_before_its_last_character_is_no_heading():
    """"（四）…开展危险性实" / "验；": the item was read as a section heading, its text lost."""
    text = ("第十三条 实验室内禁止下列行为：\n（三）私拉乱接电线，使用未经检验的自制设备；\n"
            "（四）实验进行过程中人员离开，或在夜间、节假日无人值守的情况下开展危险性实\n验；\n"
            "（五）将危险化学品带出实验室；\n")
    texts = [p.text for p in structure(text).paragraphs]
    assert "（四）实验进行过程中人员离开，或在夜间、节假日无人值守的情况下开展危险性实验；" in texts


def test_fields_a_pdf_wrapped_stay_whole_and_a_wrapped_diagnosis_is_no_subtitle():
    """A discharge summary's header: "…科室：心血管内科二病区 床" / "号：23床　住院号：2025031876"
    lost its wrapped half as a subtitle (the case number was in no passage), and
    "入院诊断：1. …（很高" / "危）；3. 2型糖尿病。" lost its first line the same way."""
    s = structure((PDF_TEXTS / "discharge_pdf_text.txt").read_text(encoding="utf-8"))
    texts = [p.text for p in s.paragraphs]
    header = texts[0]
    assert header.startswith("姓名：张桂芳") and "科室：心血管内科二病区 床号：23床" in header
    assert "住院号：2025031876" in header and "医保类型：江宁市城乡居民医保" in header
    assert any(t.startswith("入院诊断：1.") and t.endswith("（很高危）；3. 2型糖尿病。") for t in texts)
    assert any(t.startswith("入院情况：") for t in texts)  # a labelled paragraph, not a field
