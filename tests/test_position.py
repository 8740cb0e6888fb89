"""Where a question points in a speech or a list (rag/position.py) and how it ranks passages."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from helpers.ranker import ranker

from rag.position import END, START, Position, asked_position, at_position, place_weight
from rag.retrieval import Retriever, _article_ends, _signed_letters
from rag.settings import RetrievalSettings
from rag.types import Article, Chunk


@pytest.mark.parametrize("question, expected", [
    ("他讲话结尾喊了什么口号？", Position(where=END)),
    ("那篇评论最后引了哪两句诗来收尾？", Position(where=END)),
    ("他在讲话最后提出了哪3点要求？", Position(where=END)),
    ("What three requirements did Xi set for officials at the end of his February 23 speech?",
     Position(where=END)),
    ("How did he close his letter? What were the closing words?", Position(where=END)),
    ("习近平在特别峰会上发言时，开头首先感谢了谁？", Position(where=START)),
    ("Whom did Xi thank at the beginning of his G20 speech?", Position(where=START)),
    # whose letter, by name (d58-023)
    ("What date is written at the end of Xi Jinping's reply letter to the workers?",
     Position(where=END)),
    ("第二点倡议里，他建议探讨建立什么机制？", Position(points=(2,))),
    ("第三条要求是什么？", Position(points=(3,))),
    ("What was the second proposal?", Position(points=(2,))),
    ("What were the first two of the six requirements in the article?", Position(points=(1, 2))),
    ("And his third point?", Position(points=(3,))),
    ("那篇讲话列了几项工作，排在第一的是哪一项？", Position(points=(1,))),
    ("会议议定的重点工作中，三是什么？", Position(points=(3,))),  # as the list words it
    ("What was the second of the five things he asked of Hubei?", Position(points=(2,))),
    # ellipsis in a follow-up
    ("What was the third?", Position(points=(3,))),
    ("And the fifth one?", Position(points=(5,))),
    # the last of a list whose size is given
    ("他提出的7点防控要求中，最后一点是什么？", Position(points=(7,))),
    ("部署的六项工作中，最后一项是什么？", Position(points=(6,))),
    ("Of the five tasks, what was the last one?", Position(points=(5,))),
    ("What was the last of the six requirements?", Position(points=(6,))),
    # the point of the list standing at the speech's end (d49c07.3)
    ("讲话最后他给参会同志提了3点要求，第一点是什么？", Position(where=END, points=(1,), size=3)),
    ("What was the second point at the end of his speech?", Position(where=END, points=(2,))),
    # the size of the list named (d61c06.1), not a duration nor the point itself
    ("习近平就疫情防控提出了7点要求，其中第五点是什么？", Position(points=(5,), size=7)),
    ("他提出4点倡议，第二点是什么？", Position(points=(2,), size=4)),
    ("经过3个月，第二点是什么？", Position(points=(2,))),
    ("第七点要求是什么？", Position(points=(7,))),
    # the whole list asked: its first point opens it
    ("他在峰会上提出的4点倡议是什么？", Position(points=(1,), whole_list=True)),
    ("他提出了哪三点要求？", Position(points=(1,), whole_list=True)),
    ("What four proposals did Xi put forward at the G20 summit?",
     Position(points=(1,), whole_list=True)),
])
def test_questions_that_point_at_a_place(question, expected):
    assert asked_position(question) == expected


@pytest.mark.parametrize("question", [
    "How far did the rural poor population fall between the end of 2012 and the end of 2019?",
    "In the same speech, which 'last mile' problem did he want solved?",
    "Did he say that shaking off poverty is the end point?",
    "How long did that call last?",
    "When did Xi first put forward the idea?",
    "What did the meeting say about the first quarter of the year?",
    "How many first secretaries were sent to poor villages?",
    "“这样的重大突发事件不会是最后一次”是在什么场合说的？",
    "奋战在第一线的医务人员有多少？",
    "他最后呼吁二十国集团制定什么？",  # lastly, in his list of proposals
    "提出了几点要求？",  # how many: the count is asked, not the list
    "影响还体现在哪一方面？",  # 哪一: which
    "最后一点是什么？",  # the last of a list of unknown size
    "How many lines of defense did the provinces hold? What was the first line of defense?",
    "Who came first?",
    "What two risks did Xi warn about?",  # risks are named, not listed as points
    "要打通哪“最后一公里”？",
    "统一是什么意思？",
])
def test_questions_that_point_nowhere(question):
    assert asked_position(question) is None


def test_passages_at_the_place():
    second = Position(points=(2,))
    assert at_position(second, "第一，坚决打好阻击战。第二，有效开展联防联控。", False, False)
    assert at_position(second, "一是加快复工。二是扩大内需。", False, False)
    assert at_position(second, "二要增强忧患意识。", False, False)
    assert not at_position(second, "十二是一个数字。第二次会议召开。", False, False)
    assert at_position(Position(points=(1,)), "首先，要加强领导。", False, False)
    end = Position(where=END)
    assert at_position(end, "武汉加油！湖北加油！", False, True)
    assert at_position(end, "最后，我给同志们提3点要求。", False, False)
    assert not at_position(end, "打通“最后一公里”。", False, False)
    assert at_position(Position(where=START), "感谢萨勒曼国王。", True, False)
    assert not at_position(Position(where=START), "感谢萨勒曼国王。", False, True)
    # both: the n-th point of the list at the end before that of a list in the middle
    last_first = Position(where=END, points=(1,))
    assert place_weight(last_first, "最后，我给同志们提3点要求。一要狠抓工作落实。", False, False) == 1.5
    assert place_weight(last_first, "第一，坚决打好湖北保卫战、武汉保卫战。", False, False) == 1.0
    assert place_weight(last_first, "最后，我给同志们提3点要求。", False, False) == 0.0
    assert place_weight(Position(points=(1,)), "最后，我提3点要求。一要狠抓落实。", False, False) == 1.0
    # the fifth of 7 points is not in a list running to an eighth (d61c06.1: the 8 points on
    # the economy after the 7 on the epidemic)
    fifth_of_seven = Position(points=(5,), size=7)
    assert at_position(fifth_of_seven, "第五，扩大国际和地区合作。", False, False)
    assert not at_position(fifth_of_seven, "第五，推动企业复工复产。第六，抓好春季农业生产。第七，"
                                           "切实保障基本民生。第八，稳住外贸外资基本盘。",
                           False, False)


def _chunk(key: str, text: str, line: int, attribution: str | None = None) -> Chunk:
    return Chunk("a.txt", text, "讲话", None, attribution, line, line, line * 100,
                 line * 100 + len(text), key)


def test_article_ends_skip_a_compilations_attributed_excerpts():
    chunks = [_chunk("open", "开头。", 2), _chunk("mid", "中间。", 3), _chunk("close1", "加油！", 4),
              _chunk("close", "必胜！", 5),
              _chunk("x1", "摘录一。", 7, "——3月10日，习近平"),
              _chunk("x2", "摘录二。", 8, "——3月11日，习近平")]
    entry = SimpleNamespace(articles=[Article("讲话", 1), Article("摘编", 6)], chunks=chunks)
    ends = _article_ends(SimpleNamespace(files={"a.txt": entry}))
    # A speech often closes on two short lines: both close it, and so does the passage before
    # them that sums it up (fresh chat d67c09.3: "What conviction … at the close of the
    # speech?", "我坚信，…英雄的武汉人民一定能够彻底战胜疫情…" before "武汉加油！…" and "武汉必胜！…")
    assert ends == {"open": (True, False), "mid": (False, True), "close1": (False, True),
                    "close": (False, True)}
    summing_up = "我坚信，有党中央坚强领导，英雄的武汉人民一定能够彻底战胜疫情，一定能够浴火重生！"
    chunks[1] = _chunk("mid", summing_up, 3)
    chunks[2] = _chunk("close1", "党和人民感谢武汉人民！我们要再接再厉，坚决打赢湖北保卫战、武汉保卫战。", 4)
    ends = _article_ends(SimpleNamespace(files={"a.txt": entry}))
    # a closing passage of substance: the last two alone close it
    assert ends == {"open": (True, False), "close1": (False, True), "close": (False, True)}


def test_the_nth_item_asked_is_the_one_of_the_list_found_not_of_another_list():
    """An article with two lists: "第三个方面" after the passage opening "一是…" is its "三是…",
    not the other list's "第三，…"."""
    chunks = [_chunk("a", "影响主要表现在这样几个方面。一是外出务工受阻。", 2),
              _chunk("b", "二是产业扶贫困难。三是扶贫项目停工。", 3),
              _chunk("c", "第一，稳就业。", 4), _chunk("d", "第二，稳投资。", 5),
              _chunk("e", "第三，巩固成果。", 6)]
    retriever = object.__new__(Retriever)
    retriever.locations = {c.key: [c] for c in chunks}
    retriever.keys = [c.key for c in chunks]
    retriever._by_article = None
    third = Position(points=(3,))
    assert retriever._items_at(third, ["a"], {"a": 1.0}, ()) == ["b"]
    assert retriever._items_at(third, ["c"], {"c": 1.0}, ()) == ["e"]
    # the item opens a passage found already: nothing more from that article
    assert retriever._items_at(third, ["e", "a"], {"e": 1.0, "a": 0.9}, ()) == []


def test_a_signed_letter_dates_every_passage_of_it():
    import dataclasses
    chunks = [_chunk("salute", "全体党员：来信收悉。", 2), _chunk("hope", "希望你们再立新功。", 3),
              _chunk("speech", "同志们：", 6), _chunk("end", "武汉必胜！", 7)]
    chunks[1] = dataclasses.replace(chunks[1], tail_text="习近平2020年3月15日", tail_end=400,
                                    tail_line=5)
    # a speech's last passage under a line naming no day is no letter
    chunks[3] = dataclasses.replace(chunks[3], tail_text="（新华社）", tail_end=800, tail_line=8)
    entry = SimpleNamespace(articles=[Article("回信", 1), Article("讲话", 5)], chunks=chunks)
    assert _signed_letters(SimpleNamespace(files={"a.txt": entry})) == {
        "salute": "习近平2020年3月15日", "hope": "习近平2020年3月15日"}


def _ranker(chunks: list[Chunk], ends: dict | None = None) -> Retriever:
    """A Retriever with only what `_rank` reads (tests/helpers/ranker.py) and the passages
    that open or close their article."""
    retriever = ranker(RetrievalSettings(position_weight=0.3), *chunks)
    retriever._ends = ends or {}
    return retriever


def test_a_question_about_the_end_lifts_the_closing_passage():
    middle = _chunk("middle", "武汉胜则湖北胜，湖北胜则全国胜。", 3)
    closing = _chunk("closing", "武汉加油！湖北加油！中国加油！", 9)
    retriever = _ranker([middle, closing], {"closing": (False, True)})
    fused = {"middle": 1.0, "closing": 0.9}
    assert [k for k, _ in retriever._rank("他讲话结尾喊了什么口号？", list(fused), fused, 1.0)] \
        == ["closing", "middle"]
    assert [k for k, _ in retriever._rank("他喊了什么口号？", list(fused), fused, 1.0)] \
        == ["middle", "closing"]


def test_an_english_ordinal_with_words_before_its_list_noun():
    for q, n in (("What was the third of the port group's 2023 achievements he listed?", 3),
                 ("What is the third eligibility condition for applying?", 3),
                 ("What is the second of his four proposals?", 2)):
        assert asked_position(q) == Position(points=(n,)), q
    assert asked_position("When was the first case found?") is None
    assert asked_position("Was it the first time he visited?") is None


def test_the_nth_point_asked_is_recorded_as_placed_but_not_a_whole_list():
    """The passage at the n-th point asked is `placed`: found first, it is answered (the
    assistant relieves its abstention); the first point of "4点倡议是什么？" is not."""
    first = _chunk("first", "一是加快复工复产。", 3)
    second = _chunk("second", "二是扩大有效投资。", 4)
    retriever = _ranker([first, second])
    fused = {"first": 1.0, "second": 0.9}
    placed: set[str] = set()
    ranked = retriever._rank("会议部署的工作中，第二点是什么？", list(fused), fused, 1.0, placed=placed)
    assert [k for k, _ in ranked] == ["second", "first"] and placed == {"second"}
    placed.clear()
    retriever._rank("会议部署的两点工作是什么？", list(fused), fused, 1.0, placed=placed)
    assert placed == set()


def test_a_numbered_item_its_words_do_not_reach_is_a_candidate():
    """"第九项查的是什么？" over "答：体检项目共10项：1. 一般体格检查…" and "9. 腹部B超…": the
    ninth item shares no word with the question, so it is added from the article found; not
    when an item standing there was found already, nor for a whole list, nor "3.5%"."""
    from rag.position import opens_item

    intro = _chunk("intro", "答：体检项目共10项：1. 一般体格检查（身高、体重、腰围、血压）；", 3)
    ninth = _chunk("ninth", "9. 腹部B超（肝、胆、胰、脾）；", 11)
    other = _chunk("other", "问：接种流感疫苗要多少钱？", 20)
    retriever = _ranker([intro, ninth, other])
    retriever._by_article = {("a.txt", "讲话", ""): ["intro", "ninth", "other"]}
    position = asked_position("老年人免费体检的10个项目中，第九项查的是什么？")
    fused = {"intro": 1.0, "other": 0.5}
    assert retriever._items_at(position, ["intro", "other"], fused, ()) == ["ninth"]
    assert 0 < fused["ninth"] < fused["intro"]
    assert retriever._items_at(position, ["ninth", "intro"], {"ninth": 1.0, "intro": 0.9},
                               ()) == []
    assert opens_item(position, "9. 腹部B超") and not opens_item(position, "增长9.5%")
    assert opens_item(asked_position("排第二的是哪一条？"), "2、设备维护保养不到位。")


def test_the_last_paragraph_is_the_end_even_at_its_opening():
    """"它最后一段开头用的是哪句诗？": the opening of the last paragraph is at the article's end
    (seen on the fresh batch d25: read as the article's start)."""
    assert asked_position("它最后一段开头用的是哪句诗？").where == "end"
    assert asked_position("What did the final paragraph say?").where == "end"
    assert asked_position("文章开头说了什么？").where == "start"


def test_an_attachment_list_s_short_lines_do_not_close_its_report():
    """A report ending "附件：1. 事故现场示意图" and "2. 事故调查组成员名单" (foreign dev): short
    lines, but no closing exclamations; the passage before them does not close the report."""
    chunks = [_chunk("open", "开头。", 2), _chunk("mid", "调查组建议对相关责任人员依法依规处理。", 3),
              _chunk("a1", "附件：1. 事故现场示意图", 4), _chunk("a2", "2. 事故调查组成员名单", 5)]
    entry = SimpleNamespace(articles=[Article("调查报告", 1)], chunks=chunks)
    ends = _article_ends(SimpleNamespace(files={"a.txt": entry}))
    assert ends == {"open": (True, False), "a1": (False, True), "a2": (False, True)}
