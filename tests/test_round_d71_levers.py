"""The levers of the round tuned on fresh batch d71 (and on d70, held out last round and now in
dev): a sum of money asked with words between "how much" and "funding", a growth figure asked,
a dispatch's notice of a meeting alone."""

from __future__ import annotations

from helpers.ranker import ranker

from rag.chunking import meeting_notices
from rag.question_type import asks_meeting_notice, figure_asked, never
from rag.settings import RetrievalSettings
from rag.types import Chunk


def _chunk(text: str, line: int, key: str, title: str = "中共中央政治局召开会议") -> Chunk:
    return Chunk("s.txt", text, title, None, None, line, line, line * 100,
                 line * 100 + len(text), key)


def test_how_much_funding_asks_a_sum_whatever_comes_between():
    """"…how much emergency research funding did Xi say had been allocated…?" (d70-025): a
    near miss answered from a passage on research that states no sum."""
    money = figure_asked("In his Qiushi article, how much emergency research funding did Xi "
                         "say had been allocated to COVID-19 projects?")
    assert money is not None
    assert money.search("安排应急科研经费3.5亿元")
    assert not money.search("要加速推进新型检测试剂研发")
    assert figure_asked("How much money had the foundation committed?") is money
    # "how much" of something else is no sum
    assert figure_asked("How much attention did he pay to the research teams?") is None


def test_a_growth_figure_asked_is_a_share():
    """"Did the meeting give the actual first-quarter GDP growth figure?" (d70c09.3): the
    meeting's "今年一季度极不寻常" gives none."""
    rate = figure_asked("Did the meeting give the actual first-quarter GDP growth figure?")
    assert rate is not None
    assert rate.search("国内生产总值同比下降6.8%")
    assert not rate.search("会议指出，今年一季度极不寻常，突如其来的新冠肺炎疫情对我国经济社会发展带来"
                           "前所未有的冲击。")
    assert figure_asked("What did the meeting say about growth?") is None


NOTICE = ("新华社北京3月27日电 中共中央政治局3月27日召开会议，分析国内外新冠肺炎疫情防控和经济运行形势，"
          "研究部署进一步统筹推进疫情防控和经济社会发展工作。中共中央总书记习近平主持会议。")


def test_a_dispatchs_notice_of_a_meeting_alone_is_found():
    said = ("新华社北京2月23日电 统筹推进新冠肺炎疫情防控和经济社会发展工作部署会议23日在北京召开。"
            "习近平出席会议并发表重要讲话。他强调，中华民族历史上经历过很多磨难。")
    instruction = "新华社北京4月10日电 习近平近日就安全生产作出重要指示强调，要加强安全生产监管。"
    body = "会议认为，当前境外疫情呈加速扩散蔓延态势。"
    adopted = "会议审议通过了《关于新时代加快完善社会主义市场经济体制的意见》《企业职工基本养老保险全国统筹改革方案》。"
    emphasised = "会议强调，要加强知识产权保护和产权激励。"
    chunks = [_chunk(NOTICE, 1, "notice"), _chunk(said, 2, "said"),
              _chunk(instruction, 3, "instruction"), _chunk(body, 4, "body"),
              _chunk(adopted, 5, "adopted"), _chunk(emphasised, 6, "emphasised")]
    assert meeting_notices(chunks) == {"notice", "adopted"}
    # the list answers which documents were adopted, not what was stressed of them
    assert asks_meeting_notice("Which document on the socialist market economy was approved at "
                               "the February 14 meeting?")
    assert not asks_meeting_notice("2020年2月14日中央全面深化改革委员会第十二次会议，对赋予科研人员职务"
                                   "科技成果所有权或长期使用权这项改革强调了什么？")


def test_a_notice_answers_only_when_where_who_and_on_what():
    assert asks_meeting_notice("3月27日中共中央政治局会议审议了哪两份关于脱贫攻坚的材料？")
    assert asks_meeting_notice("Which two reports did the Politburo go over at its March 27 meeting?")
    assert asks_meeting_notice("统筹推进新冠肺炎疫情防控和经济社会发展工作部署会议是哪天、在哪里召开的？")
    assert asks_meeting_notice("Who chaired the March 18 meeting?")
    assert not asks_meeting_notice("2020年3月27日中共中央政治局会议对当时境外疫情的发展态势作出了怎样的判断？")
    assert not asks_meeting_notice("What did the April 17, 2020 Politburo meeting tell localities "
                                   "to do whenever new confirmed cases appear?")


def test_the_notice_ranks_below_what_the_meeting_said():
    """"2020年3月27日中共中央政治局会议对当时境外疫情的发展态势作出了怎样的判断？" (d69-014): the
    notice, naming the meeting and its day, came first."""
    notice = _chunk(NOTICE, 1, "notice")
    body = _chunk("会议认为，当前境外疫情呈加速扩散蔓延态势，我国外防输入压力持续加大。", 2, "body")
    settings = RetrievalSettings(focus_weight=0.0, focus_weight_en=0.0, count_weight=0.0,
                                 role_weight=0.0, kind_weight=0.0, date_penalty=0.0)
    retriever = ranker(settings, notice, body)
    retriever._answer_only = {"notice": (asks_meeting_notice, never)}
    content = "2020年3月27日中共中央政治局会议对当时境外疫情的发展态势作出了怎样的判断？"
    ranked = retriever._rank(content, ["notice", "body"], {"notice": 1.0, "body": 0.9}, 1.0)
    assert [k for k, _ in ranked] == ["body", "notice"]
    chaired = "2020年3月27日的中共中央政治局会议由谁主持？"
    ranked = retriever._rank(chaired, ["notice", "body"], {"notice": 1.0, "body": 0.9}, 1.0)
    assert [k for k, _ in ranked][0] == "notice"


def test_of_two_prints_of_a_message_the_one_dated_to_the_day_comes_first():
    """"…In what message, and on what date, did he say this?" (fresh batch d71-005): the
    message to Merkel is excerpted in two files, one attributed "（2020年3月就…的慰问电）" (no
    day), the other "——3月21日，…致慰问电". The day asked is the second's."""
    said = "公共卫生危机是人类面临的共同挑战，团结合作是最有力武器。"
    month = Chunk("a.txt", said + "中方秉持人类命运共同体理念。", "慰问电", None,
                  "（2020年3月就德国发生新冠肺炎疫情致德国总理默克尔的慰问电）", 1, 1, 0, 40, "month")
    day = Chunk("b.txt", "中方坚定支持德方抗击疫情的努力。" + said, "慰问电", None,
                "——3月21日，就德国发生新冠肺炎疫情向德国总理默克尔致慰问电", 1, 1, 0, 40, "day")
    other = Chunk("b.txt", "团结就是力量。中方坚定支持欧方抗击疫情的努力。", "慰问电", None,
                  "——3月14日，习近平就新冠肺炎疫情向欧洲理事会主席米歇尔致慰问电", 2, 2, 50, 80,
                  "other")
    settings = RetrievalSettings(focus_weight=0.0, focus_weight_en=0.0, count_weight=0.0,
                                 role_weight=0.0, date_penalty=0.0, quote_weight=0.0)
    retriever = ranker(settings, month, day, other)
    question = ("Xi once told a European head of government that China would offer help, "
                "calling unity and cooperation the most powerful weapon against public-health "
                "crises. In what message, and on what date, did he say this?")
    assert retriever._dated_twins(question, ["month", "day", "other"]) == {"day"}
    ranked = retriever._rank(question, ["month", "other", "day"],
                             {"month": 1.0, "other": 0.99, "day": 0.97}, 1.0)
    assert [k for k, _ in ranked][0] == "day"
    # a question asking no day leaves them as they were
    assert retriever._dated_twins("What did he call the most powerful weapon?",
                                  ["month", "day"]) == set()


def test_a_relative_day_in_a_message_is_not_the_day_asked_of_the_message():
    """"不久前德国政府…表达慰问" in the message to Merkel tells of something earlier; asked "In
    what message, and on what date…", the attribution's day answers (d71-005 was abstained)."""
    from rag.abstention import _told_date_unstated
    from rag.types import Hit

    chunk = Chunk("b.txt", "不久前德国政府及各界以多种形式对中国疫情防控表达慰问和支持。", "慰问电",
                  None, "——3月21日，就德国发生新冠肺炎疫情向德国总理默克尔致慰问电", 1, 1, 0, 40, "k")
    hit = Hit(chunk=chunk, score=1.0)
    assert not _told_date_unstated("In what message, and on what date, did he say this?", [hit])
    # asked the day of what the passage tells of by a relative day, it still lacks it
    visit = Chunk("c.txt", "前几天，我在军事医学研究院考察调研时提出，要加快研发。", "讲话", None,
                  "——4月1日，习近平在《求是》杂志发表文章《在湖北省考察时的讲话》", 1, 1, 0, 40, "v")
    assert _told_date_unstated("他是哪天去军事医学研究院考察的？", [Hit(chunk=visit, score=1.0)])


def test_the_asking_clauses_words_after_the_question_word_lift_the_passage_holding_them():
    """"习近平2月14日主持中央全面深化改革委员会第十二次会议时，强调要把什么纳入国家安全体系？" (dev
    chats c29, d18c11, d19c10, d32c07): the passage "…把生物安全纳入国家安全体系" came below the
    meeting's report naming the meeting. The words before the question word name the topic
    ("湖北和武汉的疫情防控初步实现了怎样的目标？"): many passages share them, none is lifted."""
    from rag.question_type import asked_phrases

    question = "习近平2月14日主持中央全面深化改革委员会第十二次会议时，强调要把什么纳入国家安全体系？"
    assert asked_phrases(question) == ["纳入国家安全体", "入国家安全体系"]
    assert asked_phrases("经过艰苦努力，湖北和武汉的疫情防控初步实现了怎样的目标？") == []
    assert asked_phrases("习近平说了什么？") == []
    held = _chunk("习近平强调，要把生物安全纳入国家安全体系，系统规划国家生物安全风险防控。", 1, "held")
    report = _chunk("习近平2月14日下午主持召开中央全面深化改革委员会第十二次会议并发表重要讲话。", 2,
                    "report")
    settings = RetrievalSettings(focus_weight=0.0, focus_weight_en=0.0, count_weight=0.0,
                                 role_weight=0.0, kind_weight=0.0, date_penalty=0.0)
    retriever = ranker(settings, held, report)
    ranked = retriever._rank(question, ["report", "held"], {"report": 1.0, "held": 0.9}, 1.0)
    assert [k for k, _ in ranked] == ["held", "report"]


def test_chinas_side_replying_asks_no_other_sides_words():
    """"…how did China's diplomats respond to remarks discriminating against Chinese
    citizens?" (fresh chat d71c04.2) was abstained on for want of another side's reply."""
    from rag.speaker import asks_other_reply

    assert not asks_other_reply("And according to the same article, how did China's diplomats "
                                "respond to remarks discriminating against Chinese citizens?")
    assert asks_other_reply("How did King Philippe of Belgium reply when Xi asked him?")


def test_the_answer_sentence_is_not_the_one_naming_the_questions_day_alone():
    """"When Xi visited the Chuanshan port area … on 29 March 2020, who did he talk with in the
    ground-floor hall?" (fresh batch d71-016): "3月29日，习近平前往宁波舟山港穿山港区考察。" frames
    the visit; "在一楼大厅，习近平同港口职工代表亲切交流" answers."""
    from rag.compose import best_sentence

    sentences = ["3月29日，习近平前往宁波舟山港穿山港区考察。",
                 "在一楼大厅，习近平同港口职工代表亲切交流，对他们表示慰问。"]
    tokens = ["习近平", "穿山港区", "港口", "交流", "一楼", "大厅", "3月29日"]
    assert best_sentence(sentences, tokens, focus=["交流", "一楼", "大厅"],
                         days={(3, 29)}) == sentences[1]


def _hit(text: str, title: str = "讲话", attribution: str | None = None, dated: int = 0):
    from rag.types import Hit

    hit = Hit(chunk=Chunk("s.txt", text, title, None, attribution, 1, 1, 0, len(text), text[:8]),
              score=1.0)
    hit.dated = dated
    return hit


def test_an_english_question_giving_a_total_and_asking_a_part_of_it():
    """"Of the more than 42,000 medical workers sent to Hubei, how many came from the People's
    Liberation Army?" (dev near misses d48-038, d50-027, d54-010) over "派出340多支医疗队、
    42000多名医务人员火线驰援": the passage counts the whole in 名, not the part."""
    from rag.abstention import _only_the_total_given

    passage = _hit("中央和国家部委、各省区市鼎力相助，派出340多支医疗队、42000多名医务人员火线驰援。")
    part = ("Of the more than 42,000 medical workers sent to Hubei, how many came from the "
            "People's Liberation Army?")
    assert _only_the_total_given(part, [passage])
    assert _only_the_total_given("Xi said that more than 2,000 medical workers had been "
                                 "infected. How many of those had died?",
                                 [_hit("超过2000名医务人员确诊感染。")])
    teams = _hit("全国共派出25.5万个驻村工作队。")
    assert _only_the_total_given("Of the 255,000 village-based work teams, how many were "
                                 "dispatched by central departments?", [teams])
    # a passage with another number of the thing counted may state the part
    counties = _hit("到今年2月底，全国832个贫困县中已有601个宣布摘帽。")
    assert not _only_the_total_given("Out of the 832 poor counties, how many had announced they "
                                     "were lifted out of poverty?", [counties])
    # no total given, or no part asked: nothing to say
    assert not _only_the_total_given("How many medical workers were sent to Hubei?", [passage])
    assert not _only_the_total_given("In 2020, how many of them came?", [passage])


def test_who_chaired_is_not_answered_by_a_chair_of_another_day():
    """"Who presided over the … teleconference held in Beijing on April 10?": a passage of
    another day naming its own chair ("习近平主持会议", dated -1) says nothing of this one."""
    from rag.abstention import _role_unstated

    question = "Who presided over the national work-safety teleconference held on April 10?"
    other_day = _hit("中共中央总书记习近平主持会议。", title="中共中央政治局召开会议", dated=-1)
    assert _role_unstated(question, [other_day])
    same_day = _hit("会议由国务院副总理刘鹤主持。", title="中共中央政治局召开会议", dated=1)
    assert not _role_unstated(question, [same_day])
