"""The levers of the round tuned on fresh batch d71 (and on d70, held out last round and now in
dev): a sum of money asked with words between "how much" and "funding", a growth figure asked,
a dispatch's notice of a meeting alone."""

from __future__ import annotations

from helpers.ranker import ranker

from rag.chunking import meeting_notices
from rag.question_type import asks_meeting_notice, figure_asked
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
    chunks = [_chunk(NOTICE, 1, "notice"), _chunk(said, 2, "said"),
              _chunk(instruction, 3, "instruction"), _chunk(body, 4, "body")]
    assert meeting_notices(chunks) == {"notice"}


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
    retriever._answer_only = {"notice": (asks_meeting_notice, False)}
    content = "2020年3月27日中共中央政治局会议对当时境外疫情的发展态势作出了怎样的判断？"
    ranked = retriever._rank(content, ["notice", "body"], {"notice": 1.0, "body": 0.9}, 1.0)
    assert [k for k, _ in ranked] == ["body", "notice"]
    chaired = "2020年3月27日的中共中央政治局会议由谁主持？"
    ranked = retriever._rank(chaired, ["notice", "body"], {"notice": 1.0, "body": 0.9}, 1.0)
    assert [k for k, _ in ranked][0] == "notice"
