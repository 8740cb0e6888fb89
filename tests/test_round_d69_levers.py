"""The levers of the round tuned on fresh batch d69: whose words by office, who told him that,
a day asked with an adjective, the occasion asked, things of a kind closed by "等", the words
after a meeting a one-clause question names, bylines alone."""

from __future__ import annotations

from helpers.ranker import ranker

from rag.chunking import bylines
from rag.question_type import (
    asks_source,
    dates_another_event,
    focus_tokens,
    listed_kind,
    never,
    states_own_date,
)
from rag.settings import RetrievalSettings
from rag.speaker import partner_of, speaks_as
from rag.translate import asking_clause
from rag.types import Chunk


def _chunk(text: str, line: int, key: str, title: str = "通电话", attribution: str | None = None
           ) -> Chunk:
    return Chunk("s.txt", text, title, None, attribution, line, line, line * 100,
                 line * 100 + len(text), key)


def test_the_other_side_named_by_office_speaks_under_their_name():
    """"…in what area did the King say Belgium was willing to work with China?" (fresh chat
    d69c09.1): the King is 国王, the passage opens "菲利普表示，", the attribution is the call with
    "比利时国王菲利普". Xi's own words in the same call came first."""
    partner = partner_of("——4月2日，习近平同比利时国王菲利普通电话")
    assert speaks_as("菲利普表示，", ("国王",), partner)
    assert speaks_as("菲利普表示，", ("菲利普",), ())
    assert not speaks_as("菲利普表示，", ("国王",), ())  # no attribution: nothing to go by
    assert not speaks_as("萨勒曼表示，", ("国王",), partner)  # another king than the call's
    attribution = "——4月2日，习近平同比利时国王菲利普通电话"
    xi = _chunk("希望比方高度重视并做好在比利时中国公民特别是留学生的安全保障工作。", 1, "xi",
                attribution=attribution)
    king = _chunk("菲利普表示，比方愿意在药物研发方面同中方开展合作。", 2, "king",
                  attribution=attribution)
    settings = RetrievalSettings(speaker_bonus=0.2, focus_weight=0.0, focus_weight_en=0.0,
                                 count_weight=0.0, role_weight=0.0, kind_weight=0.0,
                                 date_penalty=0.0)
    retriever = ranker(settings, xi, king)
    retriever._speaker_names = lambda question: ("国王",)
    ranked = retriever._rank("In that call, in what area did the King say Belgium was willing "
                             "to work with China?", ["xi", "king"], {"xi": 1.0, "king": 0.97}, 1.0)
    assert [k for k, _ in ranked] == ["king", "xi"]


def test_who_told_him_that_asks_by_what_they_said():
    """"Which foreign head of state told Xi that, in the face of disaster, the Communist Party
    … had displayed outstanding leadership…?" (fresh batch d69-005): what was said is what
    the passage says, the frame asks who."""
    frame, asking = asking_clause("Which foreign head of state told Xi that, in the face of "
                                  "disaster, the Party had displayed outstanding leadership?")
    assert frame == "Which foreign head of state told Xi that,"
    assert asking.startswith("in the face of disaster")
    assert asking_clause("Who said that the virus knows no borders?")[1] == \
        "the virus knows no borders?"
    assert asking_clause("What did Xi say?") == ("", "What did Xi say?")


def test_a_day_asked_with_exact_is_a_day_asked():
    """"Xinhua's April 10, 2020 report said Xi had 'recently' given an instruction… On what
    exact date did he issue that instruction?" (fresh batch d69-024): the dispatch's own day,
    named in the question, is not the one asked."""
    question = ("Xinhua's April 10, 2020 report said Xi had recently given an instruction. "
                "On what exact date did he issue that instruction?")
    assert not states_own_date(question, "全国安全生产电视电话会议10日在北京召开。4月10日")
    assert states_own_date(question, "习近平4月8日作出重要指示。")


def test_the_occasion_asked_with_the_date_is_any_event_the_attribution_dates():
    """"…and on what date and in what setting was this said?" (fresh batch d69-005): a talk in
    person answers, though the question names no talk."""
    attribution = "——3月17日，习近平同巴基斯坦总统阿尔维会谈"
    text = "阿尔维表示，灾害面前，中国共产党和中国政府展现出卓越领导力。"
    assert not dates_another_event("Which head of state told Xi that the Party led well, and on "
                                   "what date and in what setting was this said?",
                                   attribution, text)
    assert dates_another_event("Which head of state told Xi that the Party led well, and on "
                               "what date was this said?", attribution, text)


def test_things_of_a_kind_listed_and_closed_by_the_kind():
    """"习近平肯定了哪些部门和战线在抗疫中各司其职？" (fresh batch d69-017): the speech lists
    "…、国资林草等部门和纪检监察、…等战线". A word of no kind ("哪些方面") keeps the stricter
    form: "…等方面" closes any list (dev d16-021 lost its answer to one)."""
    listed = listed_kind("习近平肯定了哪些部门和战线在抗疫中各司其职？")
    assert listed.search("卫生健康、发展改革、国资林草等部门和纪检监察、组织等战线各司其职")
    assert listed_kind("列举了哪些国际和地区组织？") is None  # not "国际" things
    aspects = listed_kind("“六保”分别是保哪些方面？")
    assert not aspects.search("在人员流动引导、交通通道防疫、企业复工复产等方面加强协调联动")
    assert listed_kind("展现了哪几种能力？").search("领导能力、应对能力")


def test_a_one_clause_question_asks_in_the_words_after_the_meeting_it_names():
    """"2020年3月27日中共中央政治局会议对当时境外疫情的发展态势作出了怎样的判断？" (fresh batch
    d69-014): the words after the meeting ask; the meeting's name matches its dispatch's lead."""
    focus = focus_tokens("2020年3月27日中共中央政治局会议对当时境外疫情的发展态势作出了怎样的判断？")
    assert "境外" in focus and "态势" in focus and "政治" not in focus
    assert focus_tokens("习近平在哪次会议上提出六保？") == []


def test_a_byline_alone_is_no_answer_unless_the_source_is_asked():
    """Wang Yi's article has a line "来源：《求是》2020/05 作者：王 毅" of its own; it came second
    for "The article also cites an authoritative international journal. Which journal was
    it?" (fresh chat d69c04.3) and was quoted in the answer."""
    byline = _chunk("来源：《求是》2020/05 作者：王 毅", 1, "byline", title="王毅文章")
    said = _chunk("国际权威专业期刊指出，中国为国际科学界加入抗疫战斗铺平了道路。", 2, "said",
                  title="王毅文章")
    assert bylines([byline, said, _chunk("Source: Xinhua  Editor: Li Ming", 3, "en"),
                    _chunk("来源：新华社。会议强调，要做好工作。", 4, "news")]) == {"byline", "en"}
    assert asks_source("王毅的文章刊登在《求是》哪一期？") and asks_source("Who wrote that article?")
    assert not asks_source("Which journal did the article cite?")
    settings = RetrievalSettings(lead_in_penalty=0.15, focus_weight=0.0, count_weight=0.0,
                                 role_weight=0.0, kind_weight=0.0, date_penalty=0.0)
    retriever = ranker(settings, byline, said)
    retriever._answer_only = {"byline": (asks_source, never)}
    fused = {"byline": 1.0, "said": 0.9}
    assert [k for k, _ in retriever._rank("那篇文章引用了哪家国际期刊？", ["byline", "said"],
                                          fused, 1.0)] == ["said", "byline"]
    assert [k for k, _ in retriever._rank("那篇文章刊登在哪一期？", ["byline", "said"],
                                          fused, 1.0)] == ["byline", "said"]


def test_putting_out_posts_is_no_saying():
    """"According to that article, how many posts did Chinese missions abroad put out on social
    media?" (fresh chat d69c04.2) read "put" as a verb of saying, so the missions as a speaker:
    the passages opening with another's words ("国际权威专业期刊指出，") were lifted above the
    one counting the posts."""
    from rag.speaker import OTHER, asked_speaker

    assert asked_speaker("According to that article, how many posts did Chinese missions "
                         "abroad put out on social media?") is None
    assert asked_speaker("What did Macron put forward?") == OTHER
    assert asked_speaker("How did Merkel put it?") == OTHER


def test_the_bundled_glossary_reads_fiscal_and_soon_in_the_documents_words():
    """CC-CEDICT has no "fiscal" alone ("What fiscal measures did the Politburo meeting…call
    for?" lost the word: fresh chat d69c08.1), and gives "soon" as 早日 / 不久 / 最近 where the
    call says "中国不仅将很快战胜疫情" (d69c03.1)."""
    from pathlib import Path

    from rag.translate import read_glossary

    glossary = read_glossary(Path(__file__).parents[1] / "data" / "glossary" / "covid-2020.tsv")
    assert glossary["fiscal"] == ["财政"] and "很快" in glossary["soon"]
    assert glossary["multidisciplinary"] == ["多学科"] and glossary["infection sources"] == ["传染源"]
    assert glossary["posts"][0] == "发文" and glossary["social media"] == ["社交媒体"]
    # "What slogans did Xi end his … speech with?" (browser): CC-CEDICT's 口号 is no word of
    # the documents; their slogans are cheers
    assert glossary["slogans"] == ["加油", "必胜"]


def test_a_count_of_doing_is_written_after_the_verb():
    """Asked in the browser: "王毅的文章说中国驻外使节接受了多少次主流电视及电台采访？" was
    abstained on, the count of the thing after "次" ("N次主流") not found, though the passage
    says "接受主流电视及电台采访400余次"."""
    from rag.question_type import counted_thing

    counted = counted_thing("王毅的文章说中国驻外使节接受了多少次主流电视及电台采访？")
    assert counted.search("我国各驻外使节和机构密集展开公共外交行动，接受主流电视及电台采访400余次")
    assert not counted.search("发表署名文章300余篇")
    assert counted_thing("一共通了多少次电话？").search("同多国领导人通电话26次")


def test_a_speech_ended_with_asks_its_end():
    """Asked in the browser: "What slogans did Xi end his March 10 Wuhan speech with?" read no
    place in the speech ("ended his speech" did), and got a passage from its middle."""
    from rag.position import END, START, asked_position

    assert asked_position("What slogans did Xi end his March 10 Wuhan speech with?").where == END
    assert asked_position("How did he begin his letter?").where == START
    assert asked_position("Did the meeting end the year well?") is None


def test_cheers_alone_are_answered_whole_and_lifted_when_asked():
    """"他讲话结尾喊了什么口号？": the answer says all three cheers ("武汉加油！湖北加油！中国加
    油！"), not one of them (seen in the browser: "湖北加油！"), and the cheers, asked for, rank
    above the passage before them."""
    from rag.compose import answer_sentence
    from rag.question_type import asks_cheers
    from rag.types import Hit

    cheer = _chunk("武汉加油！湖北加油！中国加油！", 9, "cheer", title="讲话")
    before = _chunk("我坚信，英雄的武汉人民一定能够彻底战胜疫情！", 8, "before", title="讲话")
    assert answer_sentence(Hit(chunk=cheer, score=1.0), ["口号"]) == "武汉加油！湖北加油！中国加油！"
    settings = RetrievalSettings(lead_in_penalty=0.15, focus_weight=0.0, count_weight=0.0,
                                 role_weight=0.0, kind_weight=0.0, date_penalty=0.0,
                                 position_weight=0.0)
    retriever = ranker(settings, cheer, before)
    retriever._answer_only = {"cheer": (asks_cheers, asks_cheers)}
    fused = {"before": 1.0, "cheer": 0.9}
    assert [k for k, _ in retriever._rank("他讲话结尾喊了什么口号？", ["before", "cheer"], fused,
                                          1.0)] == ["cheer", "before"]
    assert [k for k, _ in retriever._rank("他最后说了什么？", ["before", "cheer"], fused,
                                          1.0)] == ["before", "cheer"]
