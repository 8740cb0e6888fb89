"""Follow-up questions read in the light of the conversation: the reading on small histories
with the fake model, every form history takes, the batch file's conversations, the UI's chat
history, and `rag chat` through a pseudo-terminal."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rag import cli
from rag.conversation import (
    Articles,
    Cited,
    Reading,
    Turn,
    asks_deeds,
    asks_for_more,
    compose_query,
    cues,
    definite,
    follow_up_probability,
    read_history,
    reports_deeds,
    speech_key,
    topic_words,
    without_other_days,
    without_references,
)
from rag.errors import QuestionError

HELPERS = Path(__file__).resolve().parent / "helpers"
MEETING = "4月17日中共中央政治局会议提出要坚定实施什么战略？"
LETTER = "习近平给武汉东湖新城社区全体社区工作者的回信里，称赞社区工作者做了什么？"



def article_chunk(key, text, title, start=0, attribution=None):
    """A passage of a.txt at `start`, under `title` (and an attribution line)."""
    from rag.types import Chunk

    return Chunk(source="a.txt", text=text, title=title, section=None, attribution=attribution,
                 line_start=1, line_end=1, char_start=start, char_end=start + len(text), key=key)

@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    from conftest import copy_corpus, fake_indexed_assistant, write_config

    from rag.settings import load_settings

    folder = tmp_path_factory.mktemp("conv")
    # The abstention is calibrated for the real model: with the fake one, never abstain (in the
    # config file too: the terminal chat test reads it in another process).
    config = write_config(folder, copy_corpus(folder), answer="  abstain_strictness: -100")
    return fake_indexed_assistant(load_settings(config), strictness=-100)


def titles(answer) -> set[str]:
    return {c.title for c in answer.citations}


# -- cues and words ----------------------------------------------------------------------------
def test_cues_find_pronouns_and_ellipsis_in_both_languages():
    for q in ("他在那里还做了什么？", "那次会议还提出了什么？", "第二点倡议呢？", "这封信是哪天写的？",
              "What else did he say in that call?", "And the date of that letter?",
              "约翰逊对此是怎么回应的？"):  # "对此": what was just said
        assert cues(q)[0] > 0, q
    for q in ("习近平给武汉哪个社区的全体社区工作者回了信？",
              "Which trees did Xi Jinping plant in the 2020 Beijing tree-planting event?",
              "How much is the trade-in subsidy for an e-bike this year?"):  # a time, not a thing
        assert cues(q)[0] == 0, q
    assert cues("What did this meeting decide?")[0] > 0


def test_topic_words_keep_names_and_dates_and_drop_pronouns():
    words = topic_words("习近平3月10日在武汉考察时去了哪家医院？")
    assert "3月10日" in words and "武汉" in words and "考察" in words
    assert not {"他", "那里", "还"} & set(topic_words("他在那里还做了什么？"))
    assert "Wuhan" in topic_words("What did Xi see in Wuhan on March 10?")
    zhejiang = topic_words("习近平在浙江考察时说了哪些关于危与机的话？")  # seen in the browser
    assert "浙江" in zhejiang and not {"关于", "的话", "说了"} & set(zhejiang)
    # "随后" steps through a visit; it is not what the conversation is about (seen in the
    # browser: "understood as: 3月30日 湖州 安吉 考察 随后 …")
    assert topic_words("随后他去了哪个中心？") == ["中心"]


def test_a_question_naming_another_day_carries_only_the_people():
    carried = topic_words("习近平3月29日在宁波舟山港穿山港区考察时说港口是什么？")
    assert "3月29日" in carried and "港区" in carried
    # another day's stop of the same visit (seen in the browser: "understood as" carried the
    # port and 3月29日 into a question on March 30)
    assert without_other_days(carried, "When Xi visited Yu village on March 30, what did he say?") \
        == []
    call = topic_words("3月27日习近平同特朗普通电话时说了什么？")
    assert without_other_days(call, "他4月2日又说了什么？") == ["特朗普"]
    # the same day, or no day at all: the topic is carried whole
    assert without_other_days(carried, "3月29日他还说了什么？") == carried
    assert without_other_days(carried, "他随后去了哪里？") == carried
    # a place of its own that the conversation's places are not (湖州 after 杭州)
    brain = topic_words("习近平在杭州城市大脑运营指挥中心说了什么？")
    assert without_other_days(brain, "那天之前他在湖州看了哪个村？", ["湖州"]) == []
    assert without_other_days(brain, "他在杭州还去了哪里？", ["杭州"]) == brain


def test_english_topic_words_are_names_not_a_sentences_first_word():
    assert topic_words("Officials from which provinces spoke at the teleconference where it "
                       "was relayed?") == []
    assert topic_words("Hun Sen said what about the virus?")[:2] == ["Hun", "Sen"]
    # "China" names nothing in particular in these documents
    assert topic_words("What did the other president thank China for?") == []
    # Two apostrophes are not a quotation, and a possessive names its owner.
    assert topic_words("Who spoke at Jiangning Port Group's 2024 work conference and workers' "
                       "congress?") == ["Jiangning", "Port", "Group", "2024"]
    assert topic_words("What did Xi say about the 'last mile' there?") == ["last mile"]


def test_english_references_to_both_parties_point_back():
    for q in ("Besides the G20, in which other framework did Xi want the two countries to "
              "keep in touch?", "What did the other president thank China for?",
              "What did both sides agree on?"):
        assert cues(q)[0] > 0 and definite(q), q



def test_a_question_that_is_all_ellipsis_names_what_was_discussed():
    """"And on the environment?" after what the April 17 meeting said must be done (fresh chat
    d42c08.2), "那货币政策方面呢？" after its fiscal policy (dev d22c01.2): the same asked of
    another part of the topic, whose passages lead. Not a question of its own ("And what did
    he say about Italy?") nor one asking anything ("他说了什么呢？")."""
    for q in ("And on the environment?", "What about monetary policy?", "那货币政策方面呢？",
              "防灾减灾呢？", "第二点呢？"):
        assert definite(q), q
    assert not definite("And what did he say about Italy?")
    assert not definite("And how many beds did it have?")
    assert not definite("他说了什么呢？")


def test_that_meeting_named_by_its_kind_is_what_was_discussed():
    """"后来开的那个电视电话会…" after a question on the work-safety instruction: the meeting
    its article tells of (fresh chat d45c01: another article's teleconference came first)."""
    assert definite("后来开的那个电视电话会，都有哪些领导出席了？")
    assert definite("这个会上还说了什么？")
    assert not definite("那个人是谁？")


def test_one_of_the_things_just_named_points_back():
    """"the one in March" (of two lectures), "the longer of the two" (of two races): seen on
    the foreign dev set, read as standalone and abstained on; "the one-China policy" names."""
    for q in ("How many people came to the one in March?",
              "How much does it cost to enter the longer of the two?",
              "What did the latter say?"):
        assert cues(q)[0] > 0 and definite(q), q
    assert not definite("What did Xi say about the one-China policy?")

def test_a_when_inside_a_clause_asks_no_date():
    from rag.question_type import DATE, asked_kinds

    for q in ("When did they speak?", "And when was that letter written?", "And when?",
              "When and in which village did he first say it?"):
        assert DATE in asked_kinds(q), q
    for q in ("What meeting did he suggest the G20 hold when the time is right?",
              "When Xi met Hun Sen on February 5, what did he say?",
              "What did Xi say when he visited Wuhan?"):
        assert DATE not in asked_kinds(q), q


def test_names_jieba_cuts_apart_are_carried_whole(assistant):
    """jieba (no HMM) cuts 马克龙 into 马克 + 龙: the carried name is the whole one."""
    q = "习近平同法国总统马克龙通电话时说了什么？"
    mentions = assistant.articles.mentions
    assert "马克" in topic_words(q)  # jieba's pieces, without the documents to check against
    words = topic_words(q, mentions)
    assert "马克龙" in words and "马克" not in words
    assert "二十国集团" in topic_words("习近平在二十国集团领导人特别峰会上说了什么？", mentions)
    first = assistant.ask(q)
    follow = assistant.ask("那次通话还谈了什么？", history=[first])
    assert follow.context_from == [1]
    carried = follow.search_query.split()
    assert "马克龙" in carried and "马克" not in carried


def test_a_reference_to_the_call_is_read_against_that_call():
    q = "他在那次通话中对世卫组织说了什么？"
    assert definite(q) and definite("What did the king thank Xi for?")
    assert not definite("Did he say that shaking off poverty is the end point?")
    assert definite("他在那里还强调了什么？") and definite("What else did he stress there?")
    assert not definite("Is there a date?") and not definite("Was there a vote?")
    assert definite("对这些地方他要求怎么做？") and definite("What did he ask of those counties?")
    assert not definite("这是哪天的讲话？") and not definite("Which places did he visit?")
    # What the passage itself must say: the call is the conversation's to supply.
    bare = without_references(q)
    assert "世卫组织" in bare and "那次" not in bare and "通话" not in bare
    # nor the place and the day of what was discussed
    assert "那儿" not in without_references("他在那儿都种了哪些树？")
    bare = without_references("第二天他跟现场的社区工作人员说了什么？")
    assert "第二天" not in bare and "现场" not in bare and "社区工作人员" in bare
    # "文章里", "讲话中", "信里": the one under discussion (dev d28c10.3, abstained on at rank 1)
    q = "文章里还引用了哪位联合国大会主席的评价？"
    assert definite(q) and "文章" not in without_references(q)
    assert "信" not in without_references("信里他希望他们怎么做？")
    assert not definite("哪篇文章里提到了联合国大会？")
    # "文章后面", "讲话后面部分", "讲话结尾": a part of the one under discussion (dev d41c05.2)
    q = "文章后面谈到北京时，说要完善什么机制？"
    assert definite(q) and "文章" not in without_references(q) and "后面" not in without_references(q)
    assert without_references("讲话后面部分还提到了什么？").strip() == "还提到了什么？"
    # "那一条", "这一点", "那次会谈" (dev d8c11.2, abstained on at rank 1)
    assert "一条" not in without_references("外贸那一条里，他在通关和收费上有什么要求？")
    assert "谈" not in without_references("那次会谈他还表示中方接下来将怎么做？")
    assert "那块" not in without_references("那块地原来是做什么用的？")  # dev d24c08.2
    # One call under both of the corpus's attribution lines.
    assert speech_key("（2020年3月23日同法国总统马克龙通电话）") == \
        speech_key("——3月23日，习近平同法国总统马克龙通电话")
    # One meeting under the three names its attributions give it, and a speech at it (fresh
    # chat d67c07.2: "What did that meeting say about working with the WHO?" after a question
    # on the March 18 meeting found another speech's passage)
    meeting = speech_key("——3月18日，习近平主持召开中共中央政治局常务委员会会议")
    assert meeting == speech_key("——3月18日，习近平主持召开政治局常务委员会会议") == \
        speech_key("（2020年3月18日在中央政治局常委会会议上的讲话）")
    assert meeting != speech_key("——4月8日，习近平主持召开中共中央政治局常务委员会会议")
    assert speech_key("（2020年3月17日同巴基斯坦总统阿尔维会谈时的讲话）") == \
        speech_key("——3月17日，习近平同巴基斯坦总统阿尔维会谈")


def test_an_english_follow_up_about_an_english_document_stays_in_english():
    """Its words are the document's own: the Chinese ones a follow-up about Chinese text gets
    ("Who opened it?" -> 开放) led it into Chinese passages, and showed as "understood as: … 开放"."""
    from rag.conversation import read
    from rag.types import Chunk

    def chunk(text: str, start: int, source: str, title: str) -> Chunk:
        return Chunk(source, text, title, None, None, 1, 1, start, start + len(text),
                     f"{source}:{start}")

    opened = chunk("The new field station at Dongtan was opened on 6 June 2023.", 0, "n.pdf",
                   "Annual Newsletter 2023")
    cost = chunk("The station cost CNY 7.4 million.", 100, "n.pdf", "Annual Newsletter 2023")
    other = chunk("新开通运营的临港东站每日停靠动车组列车8对。", 0, "t.html", "铁路调图公告")
    articles = Articles([opened, cost, other], latin=frozenset({opened.key, cost.key}))
    turns = [Turn("When was the institute's field station at Dongtan opened?", "", (), False,
                  (Cited("n.pdf", 0, "Annual Newsletter 2023", None),))]

    def chinese_words(text: str) -> str:
        return "开放 开通"

    reading = read("Who opened it?", turns, articles, [], 0.0, chinese_words)
    assert reading.follow_up and "Dongtan" in reading.search_query
    assert "开放" not in reading.search_query
    # About a Chinese document, the same follow-up gets the documents' words.
    turns = [Turn("Which station opened?", "", (), False, (Cited("t.html", 0, "铁路调图公告", None),))]
    assert "开通" in read("Who opened it?", turns, articles, [], 0.0, chinese_words).search_query


def test_an_english_question_saying_much_of_its_own_with_no_cue_asks_anew():
    """An English question's topic words are its names and days, so one about anything else
    named "next to nothing" and was read as a follow-up (seen in the browser: "Which kinds of
    poverty alleviation did Xi say were growing fast alongside industry-based poverty
    alleviation?" after two turns on another speech, understood as "2月23日 部署 会议 … Which
    kinds…"). With no word pointing back and its passages elsewhere, it asks anew."""
    from rag.conversation import read
    from rag.types import Chunk

    said = Chunk("a.txt", "这是一次危机，也是一次大考。", "部署会议上的讲话", None, None, 1, 1, 0, 14,
                 "said")
    articles = Articles([said])
    turns = [Turn("2月23日的部署会议上，习近平说这次疫情是什么？", "", (), False,
                  (Cited("a.txt", 0, "部署会议上的讲话", None),))]
    own = "Which kinds of poverty alleviation did Xi say were growing fast alongside industry?"
    assert not read(own, turns, articles, [], 0.0).follow_up
    assert read("And the second?", turns, articles, [], 0.0).follow_up  # says nothing itself
    assert read("What did it say about grain reserves?", turns, articles, [], 0.0).follow_up


def test_an_english_question_whose_words_the_topic_says_continues_it():
    """"Which local official was the first to speak over the video link?" after the symposium
    held by video: many words, no cue, but the passages under discussion say them (视频, 发言,
    地方), so they are not words of its own; with words they do not say, it asks anew."""
    from rag.conversation import read
    from rag.types import Chunk

    said = Chunk("a.txt", "座谈会以视频会议形式召开，地方官员先后作了发言，第一位是州委书记。",
                 "座谈会", None, None, 1, 1, 0, 36, "said")
    articles = Articles([said])
    turns = [Turn("Who presided over the symposium on poverty?", "", (), False,
                  (Cited("a.txt", 0, "座谈会", None),))]
    words = {"local": "地方", "official": "官员", "first": "第一", "speak": "发言", "video": "视频",
             "link": "会议", "grain": "粮食", "reserves": "储备", "exports": "出口",
             "growing": "增长", "fast": "快速"}

    def chinese_words(text: str) -> str:
        return " ".join(words.get(w, "") for w in text.lower().split())

    asked = "Which local official was the first to speak over the video link?"
    assert read(asked, turns, articles, [], 0.0, chinese_words).follow_up
    # naming a day of its own, it keeps its words ("Which trees did Xi Jinping plant in the
    # 2020 Beijing tree-planting event?" after a long speech, which says most everyday words)
    dated = "Which local official was the first to speak over the video link on April 3?"
    assert not read(dated, turns, articles, [], 0.0, chinese_words).follow_up
    assert not read(asked, turns, articles, [], 0.0).follow_up  # no rendering: its own words
    own = "Which grain reserves and exports were growing fast locally?"
    assert not read(own, turns, articles, [], 0.0, chinese_words).follow_up


def test_passages_in_the_speech_under_discussion_raise_a_follow_ups_probability(assistant):
    from rag.abstention import Evidence, answer_probability

    hits = assistant.retriever.search("那次通话还谈了什么？", 3).hits
    evidence = Evidence(chinese=True, dense=0.88, sentence=0.9, lexical=0.3, coverage=0.5,
                        coverage_top=0.5, unknown_names=())
    inside = Reading(True, "q", [1], {h.chunk.key: 1.0 for h in hits})
    outside = Reading(True, "q", [1], {})
    p = answer_probability(evidence)
    weights = {"in_topic": 1.0}
    q = "那次通话还谈了什么？"
    assert follow_up_probability(q, evidence, hits, outside, weights) == pytest.approx(p)
    assert follow_up_probability(q, evidence, hits, inside, weights) > p
    # Unfitted (no weights file), a follow-up is judged as any question.
    assert follow_up_probability(q, evidence, hits, inside, {"in_topic": 0.0}) == pytest.approx(p)


def test_the_date_of_what_was_discussed_is_read_from_its_passages():
    from rag.abstention import Evidence
    from rag.conversation import dated_referent
    from rag.types import Chunk, Hit

    def hit(text, attribution, key):
        chunk = Chunk(source="a.txt", text=text, title="外方积极表态", section=None,
                      attribution=attribution, line_start=1, line_end=1, char_start=0,
                      char_end=len(text), key=key)
        return Hit(chunk=chunk, score=1.0)

    dated = hit("病毒不分国界。", "——3月25日，习近平同德国总理默克尔通电话", "a")
    undated = hit("病毒不分国界。", None, "b")
    reading = Reading(True, "q", [1], {"a": 1.0, "b": 1.0}, referent=True)
    assert dated_referent("这次通话是哪天？", [dated], reading) == 1.0
    assert dated_referent("这次通话是哪天？", [undated], reading) == 0.0
    # a day asked needs a day, not a year (fresh chat d32: "那2019年在重庆开的那次，具体是几月几号？")
    years = hit("2016年在银川召开东西部扶贫协作座谈会，2019年在重庆召开座谈会。", None, "a")
    assert dated_referent("那2019年在重庆开的那次，具体是几月几号？", [years], reading) == 0.0
    assert dated_referent("那次座谈会是哪一年开的？", [years], reading) == 1.0
    assert dated_referent("这次通话谈了什么？", [dated], reading) == 0.0  # no date asked
    assert dated_referent("这次通话是哪天？", [dated], Reading(True, "q", [1], {})) == 0.0
    plain = Reading(True, "q", [1], {"a": 1.0}, referent=False)  # "他是哪天说的？"
    assert dated_referent("他是哪天说的？", [dated], plain) == 0.0
    bare = Reading(True, "q", [1], {"a": 1.0}, bare=True)  # names nothing new
    assert dated_referent("And on what date did they speak?", [dated], bare) == 1.0
    weights = {"in_topic": 0.0, "dated_referent": 2.0}
    evidence = Evidence(chinese=True, dense=0.85, sentence=0.85, lexical=0.0, coverage=1.0,
                        coverage_top=1.0, unknown_names=())
    assert follow_up_probability("这次通话是哪天？", evidence, [dated], reading, weights) > \
        follow_up_probability("这次通话是哪天？", evidence, [undated], reading, weights)


def test_the_excerpts_of_a_speech_printed_whole_elsewhere_are_one_speech():
    from rag.types import Chunk

    def chunk(key, title, attribution, source="a.txt", start=0):
        return Chunk(source=source, text=key, title=title, section=None, attribution=attribution,
                     line_start=1, line_end=1, char_start=start, char_end=start + 1, key=key)

    articles = Articles([
        chunk("x1", "一、讲话摘编", "——4月1日，习近平在《求是》杂志发表文章《在湖北省考察时的讲话》"),
        chunk("x2", "一、讲话摘编", "——3月4日，习近平主持召开会议", start=2),
        chunk("w1", "在湖北省考察时的讲话", None, "b.txt"),
        chunk("w2", "在湖北省考察时的讲话", None, "b.txt", 2),
    ])
    prior = articles.prior([Cited("a.txt", 0, "一、讲话摘编",
                                  "——4月1日，习近平在《求是》杂志发表文章《在湖北省考察时的讲话》")])
    assert prior["w1"] > prior["x2"] and prior["w2"] > prior["x2"]
    back = articles.prior([Cited("b.txt", 0, "在湖北省考察时的讲话", None)])
    assert back.get("x1", 0) > 0 and back.get("x2", 0) == 0
    # One key for the speech, whichever form a passage gives it (what a further quote of
    # another speech is told apart by, compose.choose_citations).
    excerpt, whole, other = (articles.speech(c) for c in (
        chunk("x1", "一、讲话摘编", "——4月1日，习近平在《求是》杂志发表文章《在湖北省考察时的讲话》"),
        chunk("w1", "在湖北省考察时的讲话", None, "b.txt"),
        chunk("x2", "一、讲话摘编", "——3月4日，习近平主持召开会议", start=2)))
    assert excerpt == whole != other
    call = [chunk("c", "二、论述", "——3月23日，习近平同法国总统马克龙通电话"),
            chunk("d", "习近平：团结合作", "（2020年3月23日同法国总统马克龙通电话）", "b.txt")]
    assert articles.speech(call[0]) == articles.speech(call[1])


# -- reading follow-ups ------------------------------------------------------------------------
def test_the_completed_query_names_an_excerpts_speech_not_its_section_heading():
    excerpt = Cited("a.txt", 0, "一、在内事活动中的重要讲话、指示等", "——3月10日，习近平在湖北省考察")
    article = Cited("b.txt", 0, "在湖北省考察新冠肺炎疫情防控工作时的讲话", None)
    turn = lambda cited: Turn("问", "问", (), False, (cited,))  # noqa: E731
    query = compose_query("他还说了什么？", [turn(excerpt)], [1], ["武汉"])
    assert query == "武汉 ——3月10日，习近平在湖北省考察 他还说了什么？"
    query = compose_query("他还说了什么？", [turn(article)], [1], ["武汉"])
    assert query == "武汉 在湖北省考察新冠肺炎疫情防控工作时的讲话 他还说了什么？"


def test_a_question_asking_what_was_done_prefers_passages_telling_deeds():
    assert asks_deeds("他在那里还做了什么？") and asks_deeds("What else did he do there?")
    assert asks_deeds("那天他还干了些什么？") and asks_deeds("What did Xi do next?")
    assert not asks_deeds("他在那里还说了什么？") and not asks_deeds("What else did he say?")
    assert not asks_deeds("What did he say we should do?")
    assert reports_deeds("今天到武汉，我去了火神山医院，察看了远程会诊中心，同医护人员和患者进行交流。")
    assert reports_deeds("习近平前往宁波舟山港穿山港区考察，听取了港区情况汇报。")
    # one deed in a clause of the argument ("考察调研时提出") does not tell what was done
    assert not reports_deeds("前几天，我在军事医学研究院和清华大学医学院考察调研时提出，防控有两条战线。")
    assert not reports_deeds("我讲过，武汉胜则湖北胜，湖北胜则全国胜。")


def test_a_request_for_more_of_the_topic_is_answered_from_it():
    from rag.types import Chunk, Hit

    def hit(key):
        return Hit(Chunk("a.txt", "一段话。", "讲话", None, None, 1, 1, 0, 4, key), score=1.0)

    topic = Reading(True, "q", [1], prior={"in1": 0.6, "in2": 0.6}, bare=True)
    inside, outside = [hit("in1"), hit("in2"), hit("x")], [hit("x"), hit("y"), hit("in1")]
    assert asks_for_more("他在那里还做了什么？", inside, topic)
    assert asks_for_more("What else did he do there?", inside, topic)
    assert not asks_for_more("他在那里还做了什么？", outside, topic)  # its passages lie elsewhere
    assert not asks_for_more("那封信的回信收到了吗？", inside, topic)  # yes or no: a fact
    assert not asks_for_more("他还说了哪天的事？", inside, topic)  # a date is a particular thing
    named = Reading(True, "q", [1], prior={"in1": 0.6, "in2": 0.6}, bare=False)
    assert not asks_for_more("他在武汉还做了什么？", inside, named)  # names something new
    # "What did he say in that call?" asks for more; "What did he say history shows that
    # epidemics lead to?" asks a thing of its own, though its English names nothing new (the
    # passages already quoted were pushed down for it, and the answer was one of them).
    assert asks_for_more("What did he say in that call?", inside, topic)
    assert asks_for_more("What did he stress during that visit?", inside, topic)
    assert not asks_for_more("What did he say history shows that epidemics often lead to?",
                             inside, topic)
    assert not asks_for_more("Under his third requirement, what did he say was falling short?",
                             inside, topic)


def _topic_hit(key: str, text: str, source: str = "a.txt", title: str = "讲话"):
    from rag.types import Chunk, Hit

    return Hit(Chunk(source, text, title, None, None, 1, 1, 0, len(text), key), score=1.0)


class _Searches:
    """A retriever that finds the same passages, in the same order, for every query."""

    def __init__(self, hits, ends=None):
        from rag.settings import RetrievalSettings

        self.hits, self.settings, self._ends = hits, RetrievalSettings(), ends or {}
        self.locations = {h.chunk.key: [h.chunk] for h in hits}

    def search(self, question, top_k, sources=(), prior=None, include=()):
        from rag.retrieval import Retrieved

        return Retrieved(list(self.hits), [], {"embed": 0.0, "search": 0.0})

    def place_weight(self, position, key, text):
        from rag.position import place_weight

        return place_weight(position, text, *self._ends.get(key, (False, False)))


def test_what_else_leaves_the_quotes_given_and_the_other_speakers_words():
    from rag.conversation import search_follow_up
    from rag.speaker import XI

    quoted = _topic_hit("quoted", "中方坚定支持德方抗击疫情。")
    elsewhere = _topic_hit("elsewhere", "向意方增派医疗专家组。")  # another call
    merkel = _topic_hit("merkel", "默克尔表示，德方感谢中方提供的帮助。")
    xi_more = _topic_hit("xi_more", "要加强宏观经济政策协调。")
    retriever = _Searches([quoted, elsewhere, merkel, xi_more])
    reading = Reading(True, "q", [1], {k: 0.6 for k in ("quoted", "merkel", "xi_more")},
                      referent=True, bare=True, said=frozenset({"quoted"}), speaker=XI)
    own = retriever.search("q", 5)
    found = search_follow_up(retriever, "What else did he say in that call?", own, reading, 5)
    assert found.hits[0].chunk.key == "xi_more"
    # A question about something in particular keeps the searches' order.
    found = search_follow_up(retriever, "How many experts did he send?", own, reading, 5)
    assert found.hits[0].chunk.key == "quoted"


def test_asking_the_other_sides_words_finds_them_in_the_call_under_discussion():
    from rag.conversation import search_follow_up

    xi = _topic_hit("xi", "希望英方维护好在英中国公民的健康安全。")
    johnson = _topic_hit("johnson", "约翰逊表示，将尽力照顾好在英中国公民。")
    other_call = _topic_hit("other_call", "杜达表示，感谢中方及时提供宝贵支援。")  # not this call
    retriever = _Searches([xi, other_call, johnson])
    reading = Reading(True, "q", [1], {"xi": 0.9, "johnson": 0.9}, referent=True)
    own = retriever.search("q", 3)
    for q in ("对方对此是怎么表态的？", "What did the other prime minister say?"):
        assert search_follow_up(retriever, q, own, reading, 3).hits[0].chunk.key == "johnson", q
    # Xi's words, asked, keep the searches' order
    assert search_follow_up(retriever, "他还提到了什么？", own, reading, 3).hits[0].chunk.key == "xi"


def test_the_other_sides_reply_takes_up_what_was_said_and_is_answered():
    from rag.abstention import Evidence
    from rag.conversation import follow_up_relief, search_follow_up

    xi = _topic_hit("xi", "希望英方维护好在英中国公民的健康安全。")
    praise = _topic_hit("praise", "约翰逊表示，中国人民取得了了不起的成就。")
    reply = _topic_hit("reply", "约翰逊表示，将尽力照顾好在英中国公民的健康和安全。")
    retriever = _Searches([xi, praise, reply])
    reading = Reading(True, "q", [1], {"xi": 0.9, "praise": 0.9, "reply": 0.9},
                      said=frozenset({"xi"}))
    own = retriever.search("q", 3)
    found = search_follow_up(retriever, "对方对此是怎么表态的？", own, reading, 3)
    assert found.hits[0].chunk.key == "reply"
    # asked without "对此", their words in the order found
    assert search_follow_up(retriever, "对方说了什么？", own, reading, 3).hits[0].chunk.key == \
        "praise"
    # a question with nothing of its own to check, answered from their words in that call
    weak = Evidence(chinese=True, dense=0.3, sentence=0.3, lexical=0.0, coverage=0.0,
                    coverage_top=0.0, unknown_names=())
    assert follow_up_relief("对方对此是怎么表态的？", weak, found.hits, reading) == 1.0
    assert follow_up_relief("对方说有多少确诊病例？", weak, found.hits, reading) < 1.0
    # the last answer quoted more than the point replied to: its first quote says what it was
    other = _topic_hit("other", "中国人民取得了了不起的成就，值得赞赏。")
    retriever = _Searches([praise, reply, xi, other])
    quoted = dict(said=frozenset({"xi", "other"}))
    prior = {"xi": 0.9, "praise": 0.9, "reply": 0.9, "other": 0.9}
    first = Reading(True, "q", [1], prior, answer="xi", **quoted)
    assert search_follow_up(retriever, "对方对此是怎么表态的？", retriever.search("q", 3), first,
                            3).hits[0].chunk.key == "reply"
    every = Reading(True, "q", [1], prior, **quoted)
    assert search_follow_up(retriever, "对方对此是怎么表态的？", retriever.search("q", 3), every,
                            3).hits[0].chunk.key == "praise"


def test_a_follow_up_pointing_at_a_place_finds_it_and_is_answered():
    from rag.abstention import Evidence
    from rag.conversation import follow_up_relief, search_follow_up

    intro = _topic_hit("intro", "在此，我愿提出以下4点倡议。")
    first = _topic_hit("first", "第一，坚决打好全球阻击战。")
    second = _topic_hit("second", "第二，有效开展国际联防联控。")
    retriever = _Searches([intro, first, second])
    reading = Reading(True, "q", [1], {k: 0.6 for k in ("intro", "first", "second")},
                      bare=True)
    found = search_follow_up(retriever, "第二点倡议呢？", retriever.search("q", 3), reading, 3)
    assert found.hits[0].chunk.key == "second" and found.placed == {"second"}
    evidence = Evidence(chinese=True, dense=0.5, sentence=0.5, lexical=0.0, coverage=0.0,
                        coverage_top=0.0, unknown_names=())
    assert follow_up_relief("第二点倡议呢？", evidence, found.hits, reading, found.placed) == 1.0
    plain = search_follow_up(retriever, "倡议呢？", retriever.search("q", 3), reading, 3)
    assert plain.hits[0].chunk.key == "intro" and not plain.placed


def test_pronoun_follow_up_carries_the_topic_and_stays_in_its_article(assistant):
    first = assistant.ask(MEETING)
    assert not first.abstained and first.context_from == [] and first.search_query == MEETING
    follow = assistant.ask("那次会议对企业出口提出了什么要求？", history=[first])
    assert follow.context_from == [1]
    assert "4月17日" in follow.search_query and "政治局" in follow.search_query
    assert follow.search_query.endswith("那次会议对企业出口提出了什么要求？")
    assert titles(follow) & titles(first)  # quoted from the meeting under discussion
    assert any("出口转内销" in c.quote for c in follow.citations)


def test_a_new_topic_resets_the_context(assistant):
    first = assistant.ask(MEETING)
    other = assistant.ask(LETTER, history=[first])
    alone = assistant.ask(LETTER)
    assert other.context_from == [] and other.search_query == LETTER
    assert [c.quote for c in other.citations] == [c.quote for c in alone.citations]


def test_a_question_naming_a_place_of_its_own_is_asked_alone_even_when_it_finds_little(assistant):
    """"习近平访问日本是哪一年？" after a question on the February 14 meeting found little alone,
    named only two words the chat had not (访问, 日本), and was read as a follow-up: "understood
    as: 习近平访问日本是哪一年？ 2月14日". A place (or person) of its own is a topic of its own."""
    first = assistant.ask(MEETING)
    other = assistant.ask("习近平访问日本是哪一年？", history=[first])
    assert other.context_from == [] and other.search_query == "习近平访问日本是哪一年？"


def test_english_follow_up_to_a_chinese_question(assistant):
    first = assistant.ask(MEETING)
    follow = assistant.ask("What did that meeting say about exports?", history=[first])
    assert follow.context_from == [1]
    assert "4月17日" in follow.search_query and "What did that meeting" in follow.search_query
    assert titles(follow) & titles(first)


def test_a_third_turn_draws_on_the_whole_topic(assistant):
    first = assistant.ask(MEETING)
    second = assistant.ask("那次会议对企业出口提出了什么要求？", history=[first])
    third = assistant.ask("它还提到了哪些政策？", history=[first, second])
    assert third.context_from == [1, 2]
    assert "4月17日" in third.search_query


def test_every_form_of_history_reads_the_same(assistant):
    first = assistant.ask(MEETING)
    q = "那次会议对企业出口提出了什么要求？"
    forms = [[first], [first.to_dict()], [{"question": MEETING, "answer": first.to_dict()}],
             [{"question": MEETING, "answer": first}],
             [json.loads(json.dumps({"question": MEETING, "answer": first.to_dict()}))]]
    answers = [assistant.ask(q, history=h) for h in forms]
    assert len({a.search_query for a in answers}) == 1
    assert len({tuple(c.quote for c in a.citations) for a in answers}) == 1
    assert answers[0].to_dict()["context_from"] == [1]


def test_bad_history_is_a_one_line_question_error():
    with pytest.raises(QuestionError, match="history item 1"):
        read_history([42])
    with pytest.raises(QuestionError, match="no question"):
        read_history([{"answer": {"citations": []}}])
    with pytest.raises(QuestionError, match="list"):
        read_history("earlier")
    assert read_history(None) == [] and read_history([]) == []


# -- everywhere a conversation happens ---------------------------------------------------------
def test_batch_lines_with_a_conversation_id_are_one_chat(assistant, tmp_path, monkeypatch,
                                                         capsys):
    import rag.assistant

    monkeypatch.setattr(rag.assistant, "Assistant", lambda settings: assistant)
    batch = tmp_path / "chat.jsonl"
    rows = [{"id": "a1", "conversation": "x", "question": MEETING},
            {"id": "b1", "question": "那次会议对企业出口提出了什么要求？"},
            {"id": "a2", "conversation": "x", "question": "那次会议对企业出口提出了什么要求？"},
            {"id": "c1", "conversation": "y", "question": "那次会议对企业出口提出了什么要求？"}]
    batch.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                     encoding="utf-8")
    config = assistant.settings.base_dir / "config.yaml"
    assert cli.main(["--config", str(config), "ask", "--batch", str(batch), "--json"]) == 0
    out = {r["id"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert out["a1"]["context_from"] == [] and out["a2"]["context_from"] == [1]
    assert "4月17日" in out["a2"]["search_query"]
    assert out["b1"]["context_from"] == [] and out["c1"]["context_from"] == []  # own chats


def test_ui_passes_the_kept_answers_as_history_and_shows_the_reading(assistant):
    from collections import deque

    from ui import app as ui

    history, answers, *_ = deque(ui.respond(assistant, MEETING, [], [], None, 5), maxlen=1)[0]
    history, answers, *_ = deque(ui.respond(assistant, "那次会议对企业出口提出了什么要求？",
                                            history, answers, None, 5), maxlen=1)[0]
    assert answers[-1]["context_from"] == [1]
    assert "understood as:" in history[-1]["content"]
    assert "understood as:" not in history[1]["content"]  # the first question: as asked
    _, fresh, *_ = deque(ui.respond(assistant, "那次会议对企业出口提出了什么要求？", [], [], None, 5),
                         maxlen=1)[0]  # a cleared chat starts afresh
    assert fresh[-1]["context_from"] == []


def _read_until(fd: int, wanted: str, timeout: float = 120.0) -> str:
    """What the terminal shows until `wanted` appears (or the time runs out)."""
    seen = b""
    end = time.monotonic() + timeout
    while wanted.encode() not in seen:
        left = end - time.monotonic()
        if left <= 0:
            raise AssertionError(f"{wanted!r} not shown; the terminal shows:\n"
                                 f"{seen.decode(errors='replace')}")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the other side closed
                break
            if not chunk:
                break
            seen += chunk
    return seen.decode("utf-8", errors="replace")


def test_rag_chat_in_a_terminal(assistant):
    """Two turns, /new, then Ctrl-D: through a pseudo-terminal, as a person types."""
    config = assistant.settings.base_dir / "config.yaml"
    main_fd, child_fd = pty.openpty()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "TERM": "dumb", "LANG": "C.UTF-8"}
    proc = subprocess.Popen([sys.executable, str(HELPERS / "fake_chat.py"), str(config)],
                            stdin=child_fd, stdout=child_fd, stderr=child_fd, env=env,
                            close_fds=True)
    os.close(child_fd)
    try:
        assert "/new" in _read_until(main_fd, "> ")
        os.write(main_fd, (MEETING + "\n").encode())
        shown = _read_until(main_fd, "\n> ")
        assert "[1]" in shown and "understood as" not in shown
        os.write(main_fd, "那次会议对企业出口提出了什么要求？\n".encode())
        shown = _read_until(main_fd, "\n> ")
        assert "understood as: " in shown and "4月17日" in shown and "[1]" in shown
        os.write(main_fd, b"/new\n")
        assert "new conversation" in _read_until(main_fd, "\n> ")
        os.write(main_fd, "那次会议对企业出口提出了什么要求？\n".encode())
        assert "understood as" not in _read_until(main_fd, "\n> ")
        os.write(main_fd, b"\x04")  # Ctrl-D
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(main_fd)


# -- evaluation --------------------------------------------------------------------------------
def test_conversation_eval_scores_turn_kinds_and_the_no_history_baseline(assistant, tmp_path):
    from rag import eval_conversations as ec

    rows = [
        ("m", 1, "zh", MEETING, ["扩大内需战略"], "first"),
        ("m", 2, "zh", "那次会议对企业出口提出了什么要求？", ["出口转内销"], "follow-up"),
        ("m", 3, "en", "Did that meeting say how many companies export?", [],
         "follow-up-unanswerable"),
        ("l", 1, "zh", LETTER, ["东湖新城"], "first"),
        ("l", 2, "zh", "这封信是哪天写的？", ["4月8日"], "follow-up"),
    ]
    path = tmp_path / "conversations.jsonl"
    fields = ("conversation", "turn", "lang", "question", "keys", "kind")
    path.write_text("".join(json.dumps(dict(zip(fields, r, strict=True)), ensure_ascii=False)
                            + "\n" for r in rows), encoding="utf-8")
    chats = ec.load_conversations(path)
    assert [len(c) for c in chats] == [3, 2] and chats[0][1]["id"] == "m.2"
    report = ec.evaluate_conversations(assistant, chats)
    assert report["with"]["first"]["n"] == 2 and report["with"]["follow-up"]["n"] == 2
    assert report["without"]["follow-up"]["n"] == 2  # the same follow-ups, no history
    assert report["after_other"]["first"]["n"] == 1  # the letter asked after the meeting
    assert "follow-up-unanswerable" in report["with"]
    assert {"first hit@1", "follow-up hit@3", "follow-up hit@1 (no history)",
            "follow-up-unanswerable abstain_ok"} <= set(report["summary"])
    assert [e["id"] for e in report["examples"]] == ["m.2", "m.3", "l.2"]
    assert report["examples"][0]["context_from"] == [1]
    json.dumps(report)  # goes into report.json as it is
    (tmp_path / "report.md").write_text("# Evaluation report\n", encoding="utf-8")
    ec.write({"conversation": report}, tmp_path)
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## Conversations" in md and "understood as" in md and "| follow-up |" in md
    assert (tmp_path / "conversation.png").stat().st_size > 1000
    gate = tmp_path / "gate.json"
    gate.write_text(json.dumps({"conversation": {"thresholds": {
        "follow-up hit@3": 1.01, "first hit@1": 0.0}}}), encoding="utf-8")
    problems = ec.check_gate({"conversation": report}, gate)
    assert len(problems) == 1 and "follow-up hit@3" in problems[0]


def test_a_pronoun_question_in_words_said_of_every_topic_stays_a_follow_up():
    """"他接着说中方要同哪些国家加强防控合作？" after a question on one call retrieves confidently
    elsewhere, but its words (中方, 国家, 合作) are said of every topic: it continues the call.
    "他在植树活动中种了哪些树？" names a topic of its own (植树, used in a few places)."""
    from rag.conversation import read
    from rag.types import Hit

    chunk = article_chunk

    call = "（2020年2月13日同马来西亚总理马哈蒂尔通电话）"
    chunks = [chunk("call", "马来西亚等周边友好国家为中方雪中送炭。", "团结合作", attribution=call),
              chunk("tree1", "习近平参加首都义务植树活动。", "植树", start=100),
              chunk("tree2", "他们一起植树，种下白皮松。", "植树", start=200)]
    chunks += [chunk(f"common{i}", "中方愿同各国加强防控合作。" * 3, "各国", start=300 + 40 * i)
               for i in range(15)]
    articles = Articles(chunks)
    turns = [Turn("马哈蒂尔通电话时，习近平说周边国家为中方做了什么？", "q", (), False,
                  (Cited("a.txt", 0, "团结合作", call),))]
    elsewhere = [Hit(chunk=c, score=1.0) for c in chunks[3:6]]
    reading = read("他接着说中方要同哪些国家加强防控合作？", turns, articles, elsewhere, 0.9)
    assert reading.follow_up, reading.reason
    trees = [Hit(chunk=c, score=1.0) for c in chunks[1:3]]
    reading = read("他在植树活动中种了哪些树？", turns, articles, trees, 0.9)
    assert not reading.follow_up, reading.reason


def test_a_place_the_passages_under_discussion_name_makes_no_topic_of_its_own():
    """"What did it ask the provinces around Hubei…?" after a question on a meeting names a
    place no turn has named, but the meeting's report does: it continues the meeting, though
    the place alone retrieves confidently elsewhere. A place the report does not name
    (another meeting's province) still makes a topic of its own."""
    from rag.conversation import read
    from rag.types import Hit

    chunk = article_chunk

    chunks = [chunk("m1", "会议要求，所有入境人员都实施14天集中隔离。", "常委会会议"),
              chunk("m2", "湖北周边省份要做好人员管控、健康码互认。", "常委会会议", 100),
              chunk("h1", "湖北和武汉疫情防控任务依然艰巨繁重。", "考察湖北", 200),
              chunk("h2", "湖北是这次疫情防控斗争的决胜之地。", "考察湖北", 300),
              chunk("y1", "云南要巩固脱贫成果。", "考察云南", 400)]
    articles = Articles(chunks)
    turns = [Turn("What quarantine rule did the April 8 meeting lay down for arrivals?", "q",
                  (), False, (Cited("a.txt", 0, "常委会会议", None),))]
    render = {"Hubei": "湖北 湖北省", "Yunnan": "云南"}.get
    elsewhere = [Hit(chunk=c, score=1.0) for c in chunks[2:4]]
    reading = read("What did it ask the provinces around Hubei to keep consistent?", turns,
                   articles, elsewhere, 0.95, lambda w: render(w, ""))
    assert reading.follow_up, reading.reason
    reading = read("What did it ask Yunnan to keep?", turns, articles,
                   [Hit(chunk=chunks[4], score=1.0)], 0.95, lambda w: render(w, ""))
    assert not reading.follow_up, reading.reason


def test_a_chinese_follow_up_gets_the_relief_its_few_words_call_for():
    """A Chinese follow-up says little of its own ("为了保物资运输，他说建立了什么？"): its
    question-level score is lowered by `chinese_relief` less than an English one's is."""
    from dataclasses import replace

    from rag.abstention import Evidence
    from rag.conversation import follow_up_relief, load_follow_up_weights
    from rag.types import Chunk, Hit

    text = "建立交通运输绿色通道。"
    hit = Hit(Chunk(source="a.txt", text=text, title="讲话", section=None, attribution=None,
                    line_start=1, line_end=1, char_start=0, char_end=len(text), key="a"),
              score=1.0)
    reading = Reading(True, "q", [1], {"a": 1.0}, referent=False)
    zh = Evidence(chinese=True, dense=0.86, sentence=0.87, lexical=0.3, coverage=0.75,
                  coverage_top=0.75, unknown_names=())
    relief = load_follow_up_weights()["chinese_relief"]
    assert 0 < relief < 0.3
    question = "为了保物资运输，他说建立了什么？"
    english = follow_up_relief(question, replace(zh, chinese=False), [hit], reading)
    chinese = follow_up_relief(question, zh, [hit], reading)
    assert chinese > relief and english < chinese


def test_a_question_naming_only_something_else_is_the_last_one_asked_of_it():
    """"那西班牙首相呢？" after a question on the Italian prime minister's call asks the same of
    the Spanish prime minister, as a question of its own; "第二点呢？", "And the date?" or "那他
    在杭州呢？" are follow-ups of another kind."""
    from rag.conversation import asked_of_counterpart, topic, with_counterpart

    def asked(question):
        return [Turn(question, question, (), False, ())]

    italy = asked("习近平是哪天和意大利总理孔特通电话的？")
    assert with_counterpart("那西班牙首相呢？", italy) == "习近平是哪天和西班牙首相通电话的？"
    assert with_counterpart("那法国呢？", italy) == "习近平是哪天和法国通电话的？"
    assert with_counterpart("那马克龙呢？", asked("习近平同英国首相约翰逊通电话时说了什么？")) == \
        "习近平同马克龙通电话时说了什么？"  # the office and the name are one run
    assert with_counterpart("那3月4日呢？", asked("3月18日的会议提出了什么？")) == "3月4日的会议提出了什么？"
    merkel = asked("What did Xi tell Merkel in their phone call?")
    assert with_counterpart("And the French president?", merkel) == \
        "What did Xi tell the French president in their phone call?"
    assert with_counterpart("What about Macron?", merkel) == "What did Xi tell Macron in their phone call?"
    assert with_counterpart("And on March 29?", asked("Where did Xi go on March 10?")) == \
        "Where did Xi go on March 29?"
    for question in ("第二点倡议呢？", "那他在杭州呢？", "那货币政策方面呢？", "有人受伤的话呢？"):
        assert with_counterpart(question, italy) is None
    for question in ("And the date of that call?", "And the second?", "And what did he say?"):
        assert with_counterpart(question, merkel) is None
    # a group it names is no name put in place of another, and a month is no name (d49c08.2)
    entering = asked("What did the meeting of April 8 require of all people entering China?")
    assert with_counterpart("What about the provinces around Hubei?", entering) is None
    assert with_counterpart("And Italy?", entering) == \
        "What did the meeting of April 8 require of all people entering Italy?"
    assert with_counterpart("那西班牙首相呢？", []) is None
    assert with_counterpart("那西班牙首相呢？", asked("习近平说了什么？")) == "西班牙首相说了什么？"
    assert with_counterpart("那西班牙首相呢？", asked("复工复产要注意什么？")) is None  # no one named
    # read that way, it starts a topic of its own: the next follow-up is about Spain alone
    spain = Turn("那西班牙首相呢？", "习近平是哪天和西班牙首相通电话的？", (1,), False, ())
    assert asked_of_counterpart(spain) and topic(italy + [spain]) == [2]
    followed = Turn("那西班牙首相呢？", "意大利 孔特 那西班牙首相呢？", (1,), False, ())
    assert not asked_of_counterpart(followed) and topic(italy + [followed]) == [1, 2]


def test_an_ordinal_follow_up_takes_the_point_of_the_list_quoted():
    """"那第二条呢？" after a quote of "四是…" asks "二是…" of that list, not "第二，…" of another
    list in the same speech; "那第三条呢？" after "第一，…" looks forward, "第二条" after "四是"
    back (fresh chats d44c02, d45c10: the other list's point was quoted)."""
    from rag.position import sibling_marker
    from rag.types import Chunk

    assert sibling_marker("四是形成数据应用闭环。", 2)[0] == 4
    assert sibling_marker("四是形成数据应用闭环。", 2)[1].search("。二是坚持救治关口前移")
    assert sibling_marker("第一，全力维护正常经济社会秩序。", 3)[1].search("第三，扎实做好社会面安全稳定工作")
    assert not sibling_marker("第一，全力维护。", 3)[1].search("三是全力推进")
    assert sibling_marker("经过艰苦努力。一是进入平台期。二是逆转。", 4)[0] == 1  # the list after a lead-in
    assert sibling_marker("经过艰苦努力，形势向好。", 2) is None
    texts = ["第二，打好群防群控的人民战争。", "一是扭住两个关键。二是坚持救治关口前移。", "三是全力推进三个全覆盖。",
             "四是形成数据应用闭环。五是强化五个保障。", "第三，做好舆论引导。"]
    chunks, at = [], 0
    for i, text in enumerate(texts):
        chunks.append(Chunk("a.txt", text, "讲话", None, None, i + 1, i + 1, at, at + len(text),
                            f"k{i}"))
        at += len(text) + 1
    articles = Articles(chunks)
    fourth = Cited("a.txt", chunks[3].char_start, "讲话", None)
    assert articles.sibling_point(fourth, 2) == "k1"
    assert articles.sibling_point(fourth, 5) == "k3"  # in the passage quoted
    assert articles.sibling_point(Cited("a.txt", chunks[0].char_start, "讲话", None), 3) == "k4"
    assert articles.sibling_point(Cited("a.txt", chunks[2].char_start, "讲话", None), 9) is None
    # a passage holding its list after a lead-in ("经过艰苦努力…。一是…四是…"; seen in the browser:
    # "那第二条呢？" quoted another list's "第二，…")
    inner = [Chunk("b.txt", "经过艰苦努力，形势向好。一是进入小平台期。二是占比实现逆转。四是重症占比下降。", "讲话",
                   None, None, 1, 1, 0, 40, "i0"),
             Chunk("b.txt", "第二，打好人民战争。", "讲话", None, None, 2, 2, 41, 51, "i1")]
    lead_in = Cited("b.txt", 0, "讲话", None)
    assert Articles(inner).sibling_point(lead_in, 2) == "i0"
    # read in a chat: the point asked ("第六") is no topic word of the question's own, which
    # would have it searched by its words (fresh chat d55c05.3: another speech's "第六，…")
    from rag.conversation import read

    turns = [Turn("四是什么？", "四是什么？", (), False, (fourth,))]
    assert read("那第二点呢？", turns, articles, [], 0.0).sequel == "k1"
    assert read("那第五点呢？", turns, articles, [], 0.0).sequel == "k3"  # "第五" is a word


def test_the_last_point_of_the_list_under_discussion_is_numbered():
    """"最后一点是什么？" after "第三点呢？" answered from "第三，…" of a list that runs to "第六，…"
    asks the sixth (seen on the fresh batch d24: abstained on, the list's size unsaid)."""
    from rag.conversation import with_last_point
    from rag.position import asks_last_point, opened_point
    from rag.types import Chunk

    texts = ["要加快科研攻关。", "第三，统筹病毒溯源研究。", "第四，加快疫苗研发。", "第五，完善科研攻关体系。",
             "第六，坚持开展爱国卫生运动。", "这次疫情是一次大考。"]
    chunks, at = [], 0
    for i, text in enumerate(texts):
        title = "科技支撑" if i < 5 else "另一篇"
        chunks.append(Chunk("a.txt", text, title, None, None, i + 1, i + 1, at, at + len(text),
                            f"k{i}"))
        at += len(text) + 1
    articles = Articles(chunks)
    third = Turn("第三点呢？", "q", (), False, (Cited("a.txt", chunks[1].char_start, "科技支撑", None),))
    assert opened_point("第三，统筹病毒溯源研究。") == 3 and opened_point("要加快科研攻关。") is None
    assert articles.last_point(third.cited[0]) == 6
    assert with_last_point("最后一点是什么？", [third], articles) == "第六点是什么？"
    assert with_last_point("最后一项呢？", [third], articles) == "第六项呢？"
    assert with_last_point("And what was the last point?", [third], articles) == \
        "And what was the sixth point?"
    # the size given ("7点要求中，最后一点") is read by asked_position; no list quoted: unchanged
    assert asks_last_point("7点防控要求中，最后一点是什么？") is None
    plain = Turn("问", "q", (), False, (Cited("a.txt", 0, "科技支撑", None),))
    assert with_last_point("最后一点是什么？", [plain], articles) == "最后一点是什么？"
    assert with_last_point("他最后说了什么？", [third], articles) == "他最后说了什么？"


def test_a_reply_to_what_the_question_names_is_not_a_reply_to_the_last_answer():
    """"How did Guterres react in that call to the fall in cases in China?" names what he
    replied to; "约翰逊对此是怎么回应的？" replies to what the last answer quoted."""
    from rag.conversation import replies_to_its_own

    assert replies_to_its_own("How did Guterres react in that call to the fall in cases in China?")
    assert replies_to_its_own("对方对疫情好转是怎么回应的？")
    for question in ("约翰逊对此是怎么回应的？", "特朗普在电话里对这一点是怎么回应的？", "对方在电话里是怎么回应的？",
                     "How did he respond to that?", "How did he respond?"):
        assert not replies_to_its_own(question), question


def test_a_name_an_earlier_topic_gave_goes_back_to_it():
    """"What did Xi say about Italy's medical supplies in that first call?" after a chat went
    from the call with Italy to the one with Spain: the topic of the turn that named Italy
    (seen in the browser: answered from the Spanish call)."""
    from rag.conversation import named_earlier
    from rag.types import Chunk

    text = "中方愿同意方一道。"
    articles = Articles([Chunk("a.txt", text, "外事", None, "——3月16日，习近平同意大利总理孔特通电话",
                               1, 1, 0, len(text), "k")])
    italy = Turn("习近平是哪天和意大利总理孔特通电话的？", "q", (), False,
                 (Cited("a.txt", 0, "外事", "——3月16日，习近平同意大利总理孔特通电话"),))
    spain = Turn("那西班牙首相呢？", "习近平是哪天和西班牙首相通电话的？", (1,), False,
                 (Cited("a.txt", 0, "外事", "——3月17日，习近平同西班牙首相桑切斯通电话"),))
    more = Turn("他们还谈了什么？", "q", (2,), False, ())
    turns = [italy, spain, more]
    def back(question, span, chinese_words=None):
        return named_earlier(topic_words(question, articles.mentions), turns, span, chinese_words)

    assert back("意大利方面还说了什么？", [2, 3]) == 1
    assert back("What about Italy?", [2, 3], lambda w: "意大利" if w == "Italy" else "") == 1
    assert back("西班牙方面还说了什么？", [2, 3]) is None  # the topic's own
    assert back("他们还谈了什么？", [2, 3]) is None  # no name
    assert back("意大利方面还说了什么？", [1]) is None  # nothing before


def test_a_follow_up_asking_of_another_kind_of_event_asks_anew():
    """"And when did he write back to the community workers there?" after a visit's speech asks
    of a letter, which the topic is not (seen in the browser: answered from the speech)."""
    from rag.question_type import asks_another_event as another_event

    speech = "在湖北省考察新冠肺炎疫情防控工作时的讲话 "
    call = "外事 ——3月16日，习近平同意大利总理孔特通电话"
    assert another_event("And when did he write back to the community workers there?",
                         speech) == "letter"
    assert another_event("他在电话里还说了什么？", speech) == "call"
    assert another_event("他在电话里还说了什么？", call) is None  # the call itself
    for question in ("那次电视电话会议由谁主持？", "And whose employment did it call the top priority?",
                     "他在那里还做了什么？"):
        assert another_event(question, speech) is None, question


def test_a_day_named_relative_to_the_one_discussed_is_written_out():
    """"第二天他去了哪个村？" after a question on 3月29日 asks about 3月30日; "the next day" after
    a question naming two days takes the day the answer's first quote gives."""
    from rag.conversation import with_days
    from rag.types import Chunk

    text = "3月29日，习近平前往宁波舟山港穿山港区考察。"
    port = Chunk(source="a.txt", text=text, title="浙江考察", section=None, attribution=None,
                 line_start=1, line_end=1, char_start=0, char_end=len(text), key="port")
    articles = Articles([port])
    asked = Turn("习近平3月29日先去了哪个港区？", "q", (), False,
                 (Cited("a.txt", 0, "浙江考察", None),))
    assert with_days("第二天他去了哪个村？", [asked], articles) == "3月30日他去了哪个村？"
    assert with_days("前一天他在哪里？", [asked], articles) == "3月28日他在哪里？"
    tour = Turn("During his tour from March 29 to April 1, which port did he visit?", "q", (),
                False, (Cited("a.txt", 0, "浙江考察", None),))
    assert with_days("Which village did he go to the next day?", [tour], articles) == \
        "Which village did he go to on March 30?"
    assert with_days("What did he say the day after the summit?", [tour], articles) == \
        "What did he say the day after the summit?"  # a day after something else
    assert with_days("第二天他去了哪个村？", [], articles) == "第二天他去了哪个村？"
    end = Turn("3月31日他去了哪里？", "q", (), False, ())
    assert with_days("第二天呢？", [end], articles) == "4月1日呢？"

    # a quote that names no day: the day the report had reached before it
    left = "离开港区，习近平前往宁波臻至机械模具有限公司。"
    plant = Chunk(source="a.txt", text=left, title="浙江考察", section=None, attribution=None,
                  line_start=2, line_end=2, char_start=len(text) + 1,
                  char_end=len(text) + 1 + len(left), key="plant")
    other = Chunk(source="a.txt", text="离开工厂后他又去了哪里。", title="另一篇", section=None,
                  attribution=None, line_start=3, line_end=3, char_start=200, char_end=212,
                  key="other")
    articles = Articles([port, plant, other])
    after = Turn("Which company did he go to after leaving the port?", "q", (), False,
                 (Cited("a.txt", len(text) + 1, "浙江考察", None),))
    assert with_days("And where did he go the following day?", [after], articles) == \
        "And where did he go on March 30?"
    elsewhere = Turn("他后来去了哪里？", "q", (), False, (Cited("a.txt", 200, "另一篇", None),))
    assert with_days("第二天呢？", [elsewhere], articles) == "第二天呢？"  # another article
    # an excerpt's attribution dates it, not an earlier excerpt's date (d51c02.3: "the day
    # before" after a quote of the king's words in the call of 3月27日 was read as 3月16日)
    call = "——3月27日，习近平同沙特国王萨勒曼通电话"
    words = Chunk(source="a.txt", text="萨勒曼表示，沙特人民不会忘记。", title="浙江考察",
                  section=None, attribution=call, line_start=4, line_end=4, char_start=300,
                  char_end=315, key="king")
    articles = Articles([port, plant, other, words])
    king = Turn("What did the king say his people would never forget?", "q", (), False,
                (Cited("a.txt", 300, "浙江考察", call),))
    assert with_days("What did he say of the summit the day before?", [king], articles) == \
        "What did he say of the summit on March 26?"


def test_the_date_of_what_was_discussed_is_answered_when_its_passage_gives_it():
    """"这封回信的落款日期是哪天？" names nothing but the letter: its probability alone is low,
    but the letter's last passage, signed and dated, answers it."""
    from rag.abstention import Evidence
    from rag.conversation import follow_up_relief
    from rag.types import Chunk, Hit

    text = "希望你们在救死扶伤的岗位上拼搏奋战。"
    signed = Hit(Chunk(source="a.txt", text=text, title="习近平回信", section=None,
                       attribution=None, line_start=1, line_end=1, char_start=0,
                       char_end=len(text), key="a", tail_text="习近平2020年3月15日", tail_end=40,
                       tail_line=2),
                 score=1.0)
    unsigned = Hit(Chunk(source="a.txt", text=text, title="习近平回信", section=None,
                         attribution=None, line_start=1, line_end=1, char_start=0,
                         char_end=len(text), key="a"), score=1.0)
    reading = Reading(True, "q", [1], {"a": 1.0}, referent=True)
    weak = Evidence(chinese=True, dense=0.8, sentence=0.8, lexical=0.0, coverage=0.2,
                    coverage_top=0.2, unknown_names=())
    assert follow_up_relief("这封回信的落款日期是哪天？", weak, [signed], reading) == 1.0
    assert follow_up_relief("这封回信的落款日期是哪天？", weak, [unsigned], reading) < 1.0


def _visit():
    """A visit reported stop by stop, then another article."""
    from rag.types import Chunk

    texts = [("a", "3月30日，习近平前往湖州市安吉县余村考察调研。"),
             ("b", "习近平沿着村庄绿道察看村容村貌，同村民交流起来。"),
             ("c", "随后，习近平来到安吉县社会矛盾纠纷调处化解中心，了解运行情况。"),
             ("d", "习近平强调，基层是社会和谐稳定的基础。"),
             ("e", "杭州西溪国家湿地公园是全国首个国家湿地公园。3月31日，习近平来到这里。")]
    chunks = [Chunk("a.txt", t, "习近平在浙江考察时强调", None, None, i, i, i * 100,
                    i * 100 + len(t), k) for i, (k, t) in enumerate(texts)]
    chunks.append(Chunk("a.txt", "另一篇文章的第一段。", "另一篇", None, None, 9, 9, 900, 910, "z"))
    return Articles(chunks)


def test_a_question_stepping_on_or_back_asks_the_next_or_previous_stop():
    """"他接着去了哪里？", "Where did he go before that?", "And after that?": from the passage
    last quoted, the next (previous) one that reports a move, within its article; "然后呢？"
    after a passage that is no move, the very next one."""
    from rag.conversation import asked_step, steps_by_moves

    articles = _visit()

    def at(key):
        i = "abcdez".index(key)
        return Cited("a.txt", i * 100 if key != "z" else 900, "习近平在浙江考察时强调", None)

    assert asked_step("他接着去了哪里？") == 1 and asked_step("And after that?") == 1
    assert asked_step("在那之前他在哪里考察？") == -1
    assert asked_step("那天他还去了哪里？") == 1 and asked_step("Where else did he go?") == 1
    assert asked_step("Where did he go before that?") == -1
    assert asked_step("他在那里说了什么？") == 0
    assert asked_step("4月17日会议之前召开的常委会是哪天？") == 0  # a date's "之前", no step
    assert articles.step(at("a"), 1, moves=True) == "c"  # skips "b", which is no move
    assert articles.step(at("c"), -1, moves=True) == "a"
    assert articles.step(at("c"), 1, moves=True) == "e"
    assert articles.step(at("c"), 1, moves=False) == "d"
    assert articles.step(at("e"), 1, moves=True) is None  # another article follows
    # "离开余村以后…": on from the place it leaves, when it asks where he went (fresh batch d30)
    assert asked_step("离开余村以后他又去了哪里？") == 1 and asked_step("离开余村后他去了哪里？") == 1
    assert asked_step("离开港区以后，他在园区管理服务中心同哪些人交流了？") == 0
    # what someone is to do next is a task, not the next stop (d49c02.2)
    assert asked_step("And what did he hope the city would do next with it?") == 0
    assert asked_step("What did he do next?") == 1
    assert steps_by_moves("他接着去了哪里？", at("d"), articles)
    assert steps_by_moves("And after that?", at("c"), articles)  # a move was last quoted
    assert not steps_by_moves("他接着说了什么？", at("c"), articles)
    assert not steps_by_moves("然后呢？", at("d"), articles)


def test_a_step_after_an_abstained_turn_steps_from_the_last_quote_given():
    """"离开余村以后他又去了哪里？" after a question abstained on ("那家民宿的主人叫什么名字？"):
    from the last passage quoted, in the village, to the next stop; the village it leaves is
    no place of its own (fresh batch d30: an unrelated stop in Ningbo came first)."""
    from rag.conversation import read

    articles = _visit()
    village = Cited("a.txt", 100, "习近平在浙江考察时强调", None)
    turns = [Turn("习近平3月30日在余村做了什么？", "", (), False, (village,)),
             Turn("那家民宿的主人叫什么名字？", "", (1,), True, (village,))]
    reading = read("离开余村以后他又去了哪里？", turns, articles, [], 0.0)
    assert reading.follow_up and reading.sequel == "c"


def test_a_follow_up_whose_own_words_the_first_passage_says_is_answered():
    """"他在电话里还提到对方议会做了什么？": the first passage, from the call under discussion,
    says 议会; one asking a number of what it says ("…收费，他说要降低多少？") is not eased."""
    from rag.conversation import says_its_words
    from rag.types import Chunk, Hit

    text = "日前，贵国国民议会和参议院分别通过决议，支持中国抗击疫情。"
    hit = Hit(Chunk("a.txt", text, "通电话", None, None, 1, 1, 0, len(text), "k"), 1.0)
    reading = Reading(True, "q", prior={"k": 1.0}, new_words=("议会",))
    assert says_its_words("他在电话里还提到对方议会做了什么？", [hit], reading)
    assert not says_its_words("他在电话里还提到对方议会做了什么？", [hit],
                              Reading(True, "q", prior={"k": 1.0}, new_words=("议会", "报纸")))
    assert not says_its_words("议会投了多少票？", [hit], reading)
    assert not says_its_words("他在电话里还提到对方议会做了什么？", [hit],
                              Reading(True, "q", prior={}, new_words=("议会",)))  # not in topic
    assert "共通" not in topic_words("一共通了多少次？")  # "一共" is "in all"
    # the words that ask need not be said: "其中2019年那次是在哪儿开的？" (dev d18c03.3)
    held = "2019年在重庆召开解决“两不愁三保障”突出问题座谈会。"
    there = Hit(Chunk("a.txt", held, "座谈会上的讲话", None, None, 1, 1, 0, len(held), "k"), 1.0)
    asked = Reading(True, "q", prior={"k": 1.0},
                    new_words=tuple(topic_words("其中2019年那次是在哪儿开的？")))
    assert says_its_words("其中2019年那次是在哪儿开的？", [there], asked)
    assert not says_its_words("其中2018年那次是在哪儿开的？", [there],
                              Reading(True, "q", prior={"k": 1.0}, new_words=("2018年", "哪儿")))
    assert not says_its_words("在哪儿？", [there],
                              Reading(True, "q", prior={"k": 1.0}, new_words=("哪儿",)))


def test_a_day_asked_of_something_the_article_tells_of_is_answered_by_its_sentence():
    """"会前常委会是哪天开的？" about the April 17 meeting's report: the first passage, from that
    report, names 常委会 in a sentence that gives the day (seen on the fresh batch d25:
    abstained on with that passage first). A sentence naming it without a day does not do."""
    from rag.conversation import dated_mention
    from rag.types import Chunk, Hit

    def hit(text):
        return Hit(Chunk("a.txt", text, "会议", None, None, 1, 1, 0, len(text), "k"), 1.0)

    assert topic_words("会前常委会是哪天开的？") == ["常委会"]  # not "天开" (哪 / 天开 / 的)
    reading = Reading(True, "q", prior={"k": 1.0}, new_words=("常委会",))
    dated = hit("新华社北京4月17日电。4月15日，习近平总书记主持召开中央政治局常委会会议，听取汇报。")
    assert dated_mention("会前常委会是哪天开的？", [dated], reading)
    undated = hit("4月17日，会议召开。此前，中央政治局常委会会议听取了汇报。")
    assert not dated_mention("会前常委会是哪天开的？", [undated], reading)
    assert not dated_mention("常委会研究了什么？", [dated], reading)  # no day asked
    assert not dated_mention("会前常委会是哪天开的？", [dated],
                             Reading(True, "q", prior={}, new_words=("常委会",)))  # elsewhere


def test_a_saying_the_article_under_discussion_used_is_answered_by_its_quote():
    """"这篇文章讲到北京的时候，引用了哪句话…？": the first passage, from the article under
    discussion and naming 北京, opens with a quoted saying (seen on the fresh batch d25:
    abstained on with it first)."""
    from rag.conversation import quotes_its_saying
    from rag.types import Chunk, Hit

    def hit(text):
        return Hit(Chunk("a.txt", text, "论坛", None, None, 1, 1, 0, len(text), "k"), 1.0)

    question = "这篇文章讲到北京的时候，引用了哪句话来说明首都的分量？"
    reading = Reading(True, "q", prior={"k": 1.0}, new_words=("北京", "首都", "分量"))
    quoted = hit("“首都安全稳定直接关系党和国家工作大局”。北京作为首都，责任重大。")
    assert quotes_its_saying(question, [quoted], reading)
    assert quotes_its_saying("它最后一段开头用的是哪句诗？", [hit("莫道浮云终蔽日，严冬过尽绽春蕾。在…")],
                             Reading(True, "q", prior={"k": 1.0}))
    assert not quotes_its_saying(question, [hit("北京作为首都，责任重大，决不能有丝毫松懈。")], reading)
    assert not quotes_its_saying(question, [hit("“事不避难，知难不难”，把风险估计得更充分。")],
                                 reading)  # none of its own words: another part of the article
    assert not quotes_its_saying("这篇文章讲到北京的时候说了什么？", [quoted], reading)
    assert not quotes_its_saying(question, [quoted], Reading(True, "q", prior={},
                                                            new_words=("北京",)))


def test_after_leaving_a_place_steps_to_the_passage_saying_he_left_it():
    """"Which company did he visit after leaving the port area?": not the next move within the
    port ("随后，习近平来到…泊位"), the passage that says he left it ("离开港区，…")."""
    from rag.conversation import _LEAVING
    from rag.types import Chunk

    texts = [("a", "3月29日，习近平前往穿山港区考察。"), ("b", "随后，习近平来到2号集装箱泊位。"),
             ("c", "离开港区，习近平前往模具园区，考察一家企业。")]
    articles = Articles([Chunk("a.txt", t, "习近平在浙江考察时强调", None, None, i, i, i * 100,
                               i * 100 + len(t), k) for i, (k, t) in enumerate(texts)])
    port = Cited("a.txt", 0, "习近平在浙江考察时强调", None)
    assert articles.step(port, 1, moves=True) == "b"
    assert articles.step(port, 1, moves=True, leaving=True) == "c"
    assert _LEAVING.search("Which company did he visit after leaving the port area?")
    assert _LEAVING.search("离开港区后他去了哪里？")
    assert not _LEAVING.search("他接着去了哪里？")


def test_a_stepping_follow_up_whose_first_passage_is_the_step_is_answered():
    """Seen in the browser: "他接着去了哪里？" after a question on Xi at Ningbo's port was
    abstained on with "离开港区，习近平前往宁波北仑…" first."""
    from rag.abstention import Evidence
    from rag.conversation import follow_up_relief
    from rag.types import Chunk, Hit

    def hit(key, text):
        return Hit(Chunk("a.txt", text, "习近平在浙江考察时强调", None, None, 1, 1, 0, len(text), key),
                   score=1.0)

    moved = hit("m", "离开港区，习近平前往宁波北仑大碶高端汽配模具园区，考察中小型民营制造业企业。")
    stayed = hit("s", "习近平强调，港口是基础性、枢纽性设施，是经济发展的重要支撑。")
    reading = Reading(True, "q", [1], {"m": 1.0, "s": 1.0}, bare=True, sequel="m")
    weak = Evidence(chinese=True, dense=0.8, sentence=0.8, lexical=0.0, coverage=0.0,
                    coverage_top=0.0, unknown_names=())
    assert follow_up_relief("他接着去了哪里？", weak, [moved], reading) == 1.0
    assert follow_up_relief("Where did he go next?", weak, [moved], reading) == 1.0
    assert follow_up_relief("他接着去了哪里？", weak, [stayed], reading) < 1.0
    no_step = Reading(True, "q", [1], {"m": 1.0, "s": 1.0}, bare=True)
    assert follow_up_relief("他在那里待了多久？", weak, [moved], no_step) < 1.0


def test_going_back_returns_to_the_topic_before_the_detour():
    """d8c08: "再说回刚才那次常委会：…" after a question on the Serbia message leaned towards that
    message; it returns to the meeting of turns 1-2. Not "回到家乡", nor "write back to him"."""
    from rag.conversation import goes_back, read
    from rag.types import Chunk

    meeting = Chunk("a.txt", "湖北和武汉要慎终如始、一鼓作气。", "常委会会议上的讲话", None, None,
                    1, 1, 0, 15, "m")
    serbia = Chunk("b.txt", "中方坚定支持塞方抗击疫情的努力。", "致塞尔维亚总统的慰问电", None, None,
                   1, 1, 0, 15, "s")
    articles = Articles([meeting, serbia])
    turns = [Turn("2月3日常委会会议上习近平对湖北提出了什么要求？", "", (), False,
                  (Cited("a.txt", 0, "常委会会议上的讲话", None),)),
             Turn("那次会议还说了什么？", "", (1,), False, (Cited("a.txt", 0, "常委会会议上的讲话", None),)),
             Turn("习近平向塞尔维亚总统致慰问电时说了什么？", "", (), False,
                  (Cited("b.txt", 0, "致塞尔维亚总统的慰问电", None),))]
    back = read("再说回刚才那次常委会：它要求湖北以什么样的劲头打赢保卫战？", turns, articles, [], 0.0)
    assert back.follow_up and back.context_from == [1, 2]
    assert back.prior.get("m", 0) > 0 and back.prior.get("s", 0) == 0
    on = read("那封慰问电还说了什么？", turns, articles, [], 0.0)
    assert on.context_from == [3] and on.prior.get("s", 0) > 0
    assert goes_back("Going back to the part on social stability, which sites did he name?")
    assert not goes_back("他们回到家乡后做了什么？")
    assert not goes_back("Did the community write back to him?")


def test_a_question_that_says_it_starts_a_new_topic_is_asked_alone(assistant):
    """'换个话题：…' / 'Different question: …' after a conversation: asked as it stands, the
    phrase left out of the search, nothing carried over."""
    from rag.conversation import new_topic

    assert new_topic("换个话题：习近平在浙江考察时强调了什么？") == "习近平在浙江考察时强调了什么？"
    assert new_topic("Different question: who chaired it?") == "who chaired it?"
    assert new_topic("A new question – who?") == "who?"
    assert new_topic("换个话题") is None and new_topic("他说了什么？") is None
    first = assistant.ask("习近平给武汉哪个社区的全体社区工作者回了信？")
    switched = assistant.ask("换个话题：他在那里强调了什么？", history=[first])
    assert switched.search_query == "他在那里强调了什么？" and not switched.context_from
    # Seen in the browser: the phrase was carried into the next follow-up's query ("话题 …").
    turns = read_history([{"question": "换个话题：习近平3月24日同谁通了电话？", "answer": first}])
    assert turns[0].question == "习近平3月24日同谁通了电话？"


def test_the_article_under_discussion_is_its_printing_not_every_article_of_its_title():
    """A compilation prints several meetings under one title ("中共中央政治局常务委员会召开会议"
    on 3月4日 and 4月8日). Seen in the browser: "那次会议在就业方面提了什么？" after a question
    on the 4月8日 meeting quoted the 3月4日 meeting's employment measures, its prior weighting
    every passage of the title. The same article reprinted in another file (sharing a passage)
    is still the article."""
    from rag.types import Chunk

    title = "中共中央政治局常务委员会召开会议"

    def chunk(source, key, start, text, heading=title):
        return Chunk(source, text, heading, None, None, 1, 1, start, start + len(text), key)

    chunks = [chunk("a.txt", "mar4", 0, "3月4日召开会议。"),
              chunk("a.txt", "mar4-jobs", 100, "会议强调，要开展稳岗、扩就业工作。"),
              chunk("a.txt", "speech", 200, "在座谈会上的讲话。", "在决战决胜脱贫攻坚座谈会上的讲话"),
              chunk("a.txt", "apr8", 300, "4月8日召开会议。"),
              chunk("a.txt", "apr8-entry", 400, "要严格落实对所有入境人员集中隔离的要求。"),
              chunk("a.txt", "other-matters", 500, "会议还研究了其他事项。"),
              chunk("a.txt", "apr8-entry-2", 600, "要严格落实对所有入境人员都实施14天集中隔离的要求，"
                    "最大限度减少境外输入关联本地病例。"),
              chunk("b.txt", "apr8-entry-2", 0, "要严格落实对所有入境人员都实施14天集中隔离的要求，"
                    "最大限度减少境外输入关联本地病例。"),
              chunk("b.txt", "apr8-reprint", 100, "会议指出，要加强陆海口岸疫情防控。")]
    # the 3月4日 report ends on the same formula as the 4月8日 one: no reprint for that
    chunks.insert(2, chunk("a.txt", "other-matters", 150, "会议还研究了其他事项。"))
    articles = Articles(chunks)
    prior = articles.prior([Cited("a.txt", 400, title, None)])
    assert {"apr8", "apr8-entry", "apr8-reprint"} <= set(prior)
    assert "mar4-jobs" not in prior and "mar4" not in prior and "speech" not in prior
    assert "mar4-jobs" in articles.prior([Cited("a.txt", 0, title, None)])


def test_a_count_of_what_was_discussed_is_answered_when_its_passage_states_it():
    """"那个车站每天停靠几对动车？" after a question on the new station names nothing else: its
    probability alone is low (a foreign follow-up was abstained on its answer at rank 1), but
    the first passage, from the notice under discussion, states a number of 动车. A sum of
    money is not enough: any price in the passage would seem to state it."""
    from rag.abstention import Evidence
    from rag.conversation import follow_up_relief
    from rag.types import Chunk, Hit

    def hit(text: str) -> Hit:
        return Hit(Chunk(source="a.html", text=text, title="铁路调图公告", section=None,
                         attribution=None, line_start=1, line_end=1, char_start=0,
                         char_end=len(text), key="a"), score=1.0)

    reading = Reading(True, "q", [1], {"a": 1.0}, referent=True)
    weak = Evidence(chinese=True, dense=0.8, sentence=0.8, lexical=0.0, coverage=0.2,
                    coverage_top=0.2, unknown_names=())
    stated = hit("临港东站开通运营，每日停靠动车组列车8对。")
    assert follow_up_relief("那个车站每天停靠几对动车？", weak, [stated], reading) == 1.0
    assert follow_up_relief("那个车站每天停靠几对动车？", weak, [hit("临港东站开通运营。")],
                            reading) < 1.0
    assert follow_up_relief("停车一共要多少钱？", weak, [hit("小型车每次收费10元。")], reading) < 1.0


def test_another_country_s_leader_is_a_topic_of_its_own():
    """"习近平跟日本首相通电话是哪一天？" after a question on the Gates letter names a country's
    office, which jieba keeps as one word ("日本首相"): a topic of its own, not a follow-up."""
    from rag.conversation import _place_or_day

    assert _place_or_day("日本首相") and _place_or_day("西班牙首相") and _place_or_day("日本")
    assert not _place_or_day("首相") and not _place_or_day("国家主席")
    assert not _place_or_day("中方领导人")  # 中方 is a side, not a place


def test_the_report_of_the_meeting_a_speech_was_given_at_is_of_its_topic():
    """"Who chaired that symposium?" after a question on the speech given at it (fresh chat
    d30c07.2, abstained on): the meeting's news report, another article, names the chair. Its
    passages join the topic a little for any follow-up, as much as the speech for one asking
    who chaired."""
    from rag.conversation import EVENT_WEIGHT, PRIOR_ARTICLE, event_of, read
    from rag.types import Chunk

    assert event_of("在决战决胜脱贫攻坚座谈会上的讲话") == "决战决胜脱贫攻坚座谈会"
    assert event_of("习近平在决战决胜脱贫攻坚座谈会上强调：坚决夺取脱贫攻坚战全面胜利") == \
        "决战决胜脱贫攻坚座谈会"
    assert event_of("致塞尔维亚总统的慰问电") is None
    speech = Chunk("a.txt", "贫困人口减到2019年年底的551万人。", "在决战决胜脱贫攻坚座谈会上的讲话",
                   None, None, 1, 1, 0, 18, "s")
    report = Chunk("b.txt", "全国政协主席汪洋主持座谈会。", "习近平在决战决胜脱贫攻坚座谈会上强调",
                   None, None, 1, 1, 0, 14, "r")
    other = Chunk("b.txt", "李克强主持会议。", "习近平在部署会议上强调", None, None, 5, 5, 100, 108, "o")
    articles = Articles([speech, report, other])
    cited = Cited("a.txt", 0, speech.title, None)
    assert articles.prior([cited])["r"] == EVENT_WEIGHT and "o" not in articles.prior([cited])
    turns = [Turn("习近平在决战决胜脱贫攻坚座谈会上说贫困人口减到了多少？", "", (), False, (cited,))]
    assert read("Who chaired that symposium?", turns, articles, [], 0.0).prior["r"] == PRIOR_ARTICLE
    assert read("他还说了什么？", turns, articles, [], 0.0).prior["r"] == EVENT_WEIGHT


def test_this_letter_is_the_one_discussed_not_another_letter():
    """"这封信里他希望他们怎么做？" after the letter to the Donghu community workers (found in the
    browser): the letter to the Peking University medical team also says "希望你们…" and led
    both searches. Another letter (call, message) that nothing ties to the topic gives way; a
    passage on the same call or letter in another form (the report, the excerpt under its
    attribution) is of the topic."""
    from rag.conversation import event_of, search_follow_up
    from rag.question_type import events_asked

    assert events_asked("这封信里他希望他们怎么做？") == ["letter"]
    assert events_asked("What did he say in that call?") == ["call"]
    assert events_asked("他还说了什么？") == []
    assert event_of("——3月16日，习近平同意大利总理孔特通电话") == event_of("习近平同意大利总理孔特通电话")
    assert event_of("习近平给武汉东湖新城社区全体社区工作者的回信") == \
        event_of("——4月8日，习近平给武汉市东湖新城社区全体社区工作者回信")

    other = _topic_hit("pku", "希望你们努力在为人民服务中茁壮成长。", title="习近平回信勉励北京大学援鄂医疗队")
    opening = _topic_hit("open", "你们好，来信收悉。", title="习近平给东湖新城社区全体社区工作者的回信")
    hope = _topic_hit("hope", "希望你们发扬连续作战作风。", title="习近平给东湖新城社区全体社区工作者的回信")
    retriever = _Searches([other, opening, hope])
    reading = Reading(True, "q", [1], {"open": 0.9, "hope": 0.9}, referent=True)

    def pku_score(question: str) -> float:
        found = search_follow_up(retriever, question, retriever.search("q", 3), reading, 3)
        return next(h.score for h in found.hits if h.chunk.key == "pku")

    # named as a letter, another letter falls further behind than for "那次"
    assert pku_score("这封信里他希望他们怎么做？") < pku_score("那次他希望他们怎么做？")
    # nothing under discussion (the last answer abstained on): nothing falls behind
    empty = Reading(True, "q", [1], {}, referent=True)
    assert search_follow_up(retriever, "这封信里他希望他们怎么做？", retriever.search("q", 3),
                            empty, 3).hits[0].chunk.key == "pku"


def test_a_follow_up_s_own_year_said_by_the_first_passage_is_answered():
    """"他在这篇讲话里还提到自己2016年就提出过什么主张？" over "我在2016年就提出，关键核心技术攻关可
    以搞揭榜挂帅" (fresh chat d34c05.3, abstained on with its answer first): the year is said,
    the other words ("自己", "主张") need not be."""
    from rag.conversation import says_its_words
    from rag.types import Chunk, Hit

    text = "我在2016年就提出，关键核心技术攻关可以搞揭榜挂帅。"
    hit = Hit(Chunk("a.txt", text, "讲话", None, None, 1, 1, 0, len(text), "k"), 1.0)
    question = "他在这篇讲话里还提到自己2016年就提出过什么主张？"
    reading = Reading(True, "q", prior={"k": 1.0}, new_words=("2016年", "自己", "主张"))
    assert says_its_words(question, [hit], reading)
    assert not says_its_words(question, [hit], Reading(True, "q", prior={"k": 1.0},
                                                       new_words=("2017年", "主张")))


def test_a_confident_chinese_question_finding_the_passage_discussed_continues_it():
    """"一路上游客们有什么反应？" after a question on the wetland visit retrieves confidently, and
    what it finds first is the visit's passage the last answer quoted: a follow-up, answered
    as one (fresh chat d43c05: read alone and abstained on). Finding another article first, or
    another passage of that one (a new chat's first question on the same speech), it stands
    alone."""
    from rag.conversation import read
    from rag.types import Hit

    chunk = article_chunk

    chunks = [chunk("w1", "习近平来到西溪湿地。一路上，游客们纷纷向总书记问好。", "考察浙江"),
              chunk("w2", "习近平强调，湿地贵在原生态。", "考察浙江", 100),
              chunk("t1", "游客们在植树点问好。", "植树", 200)]
    articles = Articles(chunks)
    turns = [Turn("Which stalls did Xi look at in the Xixi wetland?", "q", (), False,
                  (Cited("a.txt", 0, "考察浙江", None),))]
    found = [Hit(chunk=c, score=1.0) for c in chunks]
    reading = read("一路上游客们有什么反应？", turns, articles, found, 0.9)
    assert reading.follow_up, reading.reason
    elsewhere = [Hit(chunk=c, score=1.0) for c in chunks[2:]]
    reading = read("一路上游客们有什么反应？", turns, articles, elsewhere, 0.9)
    assert not reading.follow_up, reading.reason
    # another passage of the same article first: a new question on it, asked as it stands
    beside = [Hit(chunk=c, score=1.0) for c in (chunks[1], chunks[0])]
    reading = read("湿地贵在什么？", turns, articles, beside, 0.9)
    assert not reading.follow_up, reading.reason


def test_a_day_written_out_from_the_day_before_points_back():
    """"Back to Xi - what did he say came out of the summit the day before?" (d51c02.3): its day,
    written out from the day discussed ("on March 26"), is the conversation's, not a topic of its
    own that the question finds elsewhere; asked with that day by itself, it stands alone."""
    from rag.conversation import read
    from rag.types import Chunk

    call = Chunk("a.txt", "萨勒曼表示，感谢中方提供援助。", "通话", None,
                 "——3月27日，习近平同沙特国王萨勒曼通电话", 1, 1, 0, 15, "call")
    articles = Articles([call])
    turns = [Turn("What did the king say his people would never forget?", "", (), False,
                  (Cited("a.txt", 0, "通话", "——3月27日，习近平同沙特国王萨勒曼通电话"),))]
    asked = "What did he say came out of the summit on March 26?"
    assert not read(asked, turns, articles, [], 1.0).follow_up
    reading = read(asked, turns, articles, [], 1.0, relative=True)
    assert reading.follow_up and "萨勒曼" in reading.search_query


def test_a_follow_up_naming_another_side_asks_of_that_call():
    """"那同特朗普那次通话呢？" after a question on the Saudi king's call of the same day asks of
    Trump's call: "那次通话" points back, but at the call with the side it names (seen in a
    probe: the Saudi call's passages were quoted again)."""
    from rag.conversation import read
    from rag.types import Chunk

    saudi = Chunk("a.txt", "中方愿同沙方保持密切沟通。", "摘编", None, "——3月27日，习近平同沙特国王萨勒曼通电话",
                  1, 1, 0, 13, "s")
    us = Chunk("a.txt", "中美应该团结抗疫。", "摘编", None, "——3月27日，习近平同美国总统特朗普通电话", 3, 3, 20, 29,
               "u")
    speech = Chunk("b.txt", "我谨对萨勒曼国王表示感谢。", "在二十国集团领导人特别峰会上的讲话", None, None, 1, 1,
                   0, 13, "g")
    articles = Articles([saudi, us, speech])
    on_saudi = (Cited("a.txt", 0, "摘编", "——3月27日，习近平同沙特国王萨勒曼通电话"),)
    assert articles.names_another_side("那同特朗普那次通话呢？他说了什么？", on_saudi)
    assert articles.names_another_side("那同美国总统那次通话呢？", on_saudi)  # country and office
    assert not articles.names_another_side("萨勒曼国王还说了什么？", on_saudi)  # the same side
    assert not articles.names_another_side("他还说了什么？", on_saudi)  # no side named
    # a speech names no other side: a question naming one may still be about it
    assert not articles.names_another_side("特朗普呢？", (Cited("b.txt", 0, "在二十国集团领导人特别峰会上的讲话",
                                                                 None),))
    turns = [Turn("3月27日习近平同沙特国王萨勒曼通电话时说了什么？", "", (), False, on_saudi)]
    reading = read("那同特朗普那次通话呢？他说了什么？", turns, articles, [], 0.0)
    assert not reading.follow_up and "another side" in reading.reason
    assert read("那次通话中他还说了什么？", turns, articles, [], 0.0).follow_up


def test_after_an_abstention_the_closest_passage_says_what_was_asked_about():
    """"Which hospital did Xi visit in Wuhan on March 10?" abstained on (its closest passage the
    Wuhan speech's), then "What else did he do there?": the follow-up leans, a little, towards
    that speech; an answer that cited something leans on what it cited instead."""
    from rag.conversation import CLOSEST_FACTOR, read

    speech = [article_chunk("s1", "我这次专程来武汉，到第一线考察。", "在湖北省考察时的讲话", 0),
              article_chunk("s2", "今天到武汉，我去了火神山医院，察看了远程会诊中心。", "在湖北省考察时的讲话", 20)]
    other = article_chunk("o1", "为帮助伊朗抗击疫情，中方提供了一批抗疫物资。", "慰问电", 60)
    articles = Articles(speech + [other])
    abstained = {"question": "Which hospital did Xi visit in Wuhan on March 10?",
                 "answer": {"abstained": True, "citations": [],
                            "passages": [{"source": "a.txt", "char_start": 0,
                                          "title": "在湖北省考察时的讲话", "attribution": None}]}}
    turns = read_history([abstained])
    assert turns[0].closest and not turns[0].cited
    reading = read("What else did he do there?", turns, articles, [], 0.0)
    assert reading.follow_up and {"s1", "s2"} <= set(reading.prior) and "o1" not in reading.prior
    assert max(reading.prior.values()) <= CLOSEST_FACTOR * 2
    # an answer given: its citations, not its passages, say the topic
    answered = {"question": "伊朗的慰问电说了什么？",
                "answer": {"abstained": False,
                           "citations": [{"source": "a.txt", "char_start": 60, "title": "慰问电"}],
                           "passages": [{"source": "a.txt", "char_start": 0,
                                         "title": "在湖北省考察时的讲话"}]}}
    turns = read_history([answered])
    assert not turns[0].closest
    reading = read("他还说了什么？", turns, articles, [], 0.0)
    assert "o1" in reading.prior and "s1" not in reading.prior


def test_a_question_on_that_day_leaves_the_other_days_of_a_long_visit():
    """"那天他还去了哪里？" after the city brain of 3月31日 (seen in the browser: the stop of 3月29日
    came first): the report's passages told under another day sink, the wetland of that day is
    answered; a count asked of that day is not answered by it."""
    from rag.conversation import (
        OTHER_DAY_PENALTY,
        TOPIC_BONUS,
        of_the_day_discussed,
        read,
        search_follow_up,
    )

    title = "习近平在浙江考察时强调"
    texts = ["3月29日，习近平前往宁波舟山港穿山港区考察。", "离开港区，习近平前往宁波北仑大碶模具园区考察。",
             "3月31日，西溪湿地烟雨朦胧，习近平来到这里察看湿地保护利用情况。",
             "习近平接着来到杭州城市大脑运营指挥中心，观看了应用展示。"]
    keys, chunks, start = ["port", "park", "wetland", "brain"], [], 0
    for key, text in zip(keys, texts, strict=True):
        chunks.append(article_chunk(key, text, title, start))
        start += len(text) + 1
    articles = Articles(chunks)
    brain = {"question": "习近平在杭州城市大脑看了什么？",
             "answer": {"abstained": False, "citations": [{"source": "a.txt", "title": title,
                                                           "char_start": chunks[3].char_start}]}}
    turns = read_history([brain])
    reading = read("那天他还去了哪里？", turns, articles, [], 0.0)
    assert reading.other_days == {"port", "park"}
    assert read("他还去了哪里？", turns, articles, [], 0.0).other_days == frozenset()
    # a day before or after it asks of the other days (CI's real-model test: "那天之前他在湖州看
    # 了哪个村？" is the village of 3月30日)
    assert read("那天之前他在湖州看了哪个村？", turns, articles, [], 0.0).other_days == frozenset()
    assert read("Where did he go the day after that day?", turns, articles, [], 0.0).other_days \
        == frozenset()
    from rag.types import Hit

    hits = [Hit(c, score=1.0) for c in (chunks[0], chunks[1], chunks[2], chunks[3])]
    found = search_follow_up(_Searches(hits), "那天他还去了哪里？", _Searches(hits).search("", 5),
                             reading, 5)
    assert found.hits[0].chunk.key == "wetland"
    assert OTHER_DAY_PENALTY >= 2 * TOPIC_BONUS  # outweighs the deeds' lift for "还做了什么"
    assert of_the_day_discussed("那天他还去了哪里？", found.hits, reading)
    assert not of_the_day_discussed("那天他在湿地待了多长时间？", found.hits, reading)
