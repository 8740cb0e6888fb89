"""A three-turn conversation with the real model: follow-ups in Chinese and English are read in
the context of the speech under discussion, and a new subject starts afresh."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.integration


def quotes(answer) -> str:
    return "".join("".join(c.quote.split()) for c in answer.citations[:3])


def test_three_turns_then_a_new_subject(real_assistant):
    ask = real_assistant.ask
    first = ask("2月3日习近平在中央政治局常委会会议上的讲话要求扎实做好社会面安全稳定工作，"
                "要提高哪两个率？")
    assert "见警率" in quotes(first) and first.context_from == []

    second = ask("那次讲话中他对食用野生动物是怎么说的？", history=[first])
    assert second.context_from == [1] and "2月3日" in second.search_query
    assert "食用野生动物风险很大" in quotes(second)

    third = ask("What did he say in that speech about the forms that several departments made "
                "the grassroots fill in?", history=[first, second.to_dict()])
    assert third.context_from == [1, 2] and "2月3日" in third.search_query
    assert "卫健局" in quotes(third)
    # Asked without the conversation, the same English question names no speech at all.
    assert ask(third.question).search_query == third.question

    other = ask("Which trees did Xi Jinping plant in the 2020 Beijing tree-planting event?",
                history=[{"question": a.question, "answer": a.to_dict()}
                         for a in (first, second, third)])
    assert other.context_from == [] and other.search_query == other.question
    assert other.citations and all("植树" in c.title for c in other.citations)
    assert quotes(other) == quotes(ask(other.question))  # as if asked first


def test_a_follow_up_about_the_call_under_discussion_is_answered_from_that_call(real_assistant):
    """Seen in the browser: after a question on the Macron call, "他在那次通话中对世卫组织说了
    什么？" was abstained on, and the carried query held "马克" for 马克龙."""
    first = real_assistant.ask("习近平同法国总统马克龙通电话时说了什么？")
    assert not first.abstained
    follow = real_assistant.ask("他在那次通话中对世卫组织说了什么？", history=[first])
    assert follow.context_from == [1]
    assert "马克龙" in follow.search_query.split() and "马克" not in follow.search_query.split()
    assert not follow.abstained
    assert all("马克龙通电话" in (c.attribution or "") for c in follow.citations)
    assert "支持世卫组织工作" in quotes(follow)


def test_a_question_naming_someone_new_starts_afresh_and_there_points_back(real_assistant):
    """Seen in the browser: after a question on the Wuhan visit, "What did Xi say to Macron
    about the WHO in their phone call?" carried "武汉 考察 看望" (its "their" read as pointing
    back), and "What else did he stress there?" was not read against the visit."""
    first = real_assistant.ask("习近平在武汉考察时看望了哪些人？")
    assert not first.abstained
    macron = real_assistant.ask("What did Xi say to Macron about the WHO in their phone call?",
                                history=[first])
    assert macron.context_from == [] and macron.search_query == macron.question
    assert any("马克龙" in (c.attribution or "") + c.quote for c in macron.citations)
    there = real_assistant.ask("What else did he stress there?", history=[first])
    assert there.context_from == [1] and "武汉" in there.search_query
    assert "强调" in there.search_query.split()  # its own words, translated: "stress"


def test_the_date_of_the_call_under_discussion(real_assistant):
    """"这次通话是哪天？", "And the date of that call?": answered with the call's own date."""
    ask = real_assistant.ask
    first = ask("习近平同德国总理默克尔通电话时说了什么？")
    when = ask("这次通话是哪天？", history=[first])
    assert not when.abstained and when.context_from == [1]
    assert "3月25日" in when.answer.split("[1]")[0]  # the answer's first words give the date
    call = ask("What did Xi say to Macron in their phone call?")
    date = ask("And the date of that call?", history=[call])
    assert not date.abstained and date.answer.startswith("3月23日")
    assert "号召" not in date.search_query  # "that call" is the call discussed, not a "call on"
    assert "3月23日" in quotes(date) or "3月23日" in (date.citations[0].attribution or "")


def test_the_issues_own_example_asks_for_more_of_the_visit(real_assistant):
    """"习近平3月10日在武汉考察时去了哪家医院？" then "他在那里还做了什么？" (the chat issue's
    example): the first turn was abstained on with the right passage first, and the follow-up,
    which names nothing of its own, was abstained on though its passages lay in the visit."""
    first = real_assistant.ask("习近平3月10日在武汉考察时去了哪家医院？")
    assert not first.abstained and "火神山医院" in quotes(first)
    more = real_assistant.ask("他在那里还做了什么？", history=[first])
    assert more.context_from == [1] and not more.abstained
    assert all("湖北省考察" in (c.title or "") + (c.attribution or "") for c in more.citations)
    # what he did there, not a line of the speech's argument ("我讲过，武汉胜则湖北胜")
    assert "考察疫情防控形势" in more.citations[0].quote
    english = real_assistant.ask("What else did he do there?", history=[first, more])
    assert not english.abstained and "察看" in english.citations[0].quote


def test_the_issues_other_examples_second_point_and_what_else(real_assistant):
    """"第二点倡议呢？" (the n-th point of the speech under discussion) and "What else did he
    say in that call?" (more of the call, in Xi's words, not the quote already given)."""
    first = real_assistant.ask("习近平在二十国集团领导人特别峰会上提出了几点倡议？")
    second = real_assistant.ask("第二点倡议呢？", history=[first])
    assert second.context_from == [1] and not second.abstained
    assert second.citations[0].quote.startswith("第二，有效开展国际联防联控")
    merkel = real_assistant.ask("What did Xi tell Merkel in their phone call?")
    more = real_assistant.ask("What else did he say in that call?", history=[merkel])
    assert more.context_from == [1] and not more.abstained
    assert all("默克尔" in (c.attribution or "") for c in more.citations)
    assert not {c.quote for c in more.citations} & {c.quote for c in merkel.citations}
    assert not any(c.quote.startswith("默克尔表示") for c in more.citations)


def test_a_follow_up_about_the_end_of_the_speech(real_assistant):
    first = real_assistant.ask("习近平3月10日在湖北考察时说，湖北和武汉是这次疫情防控斗争的什么？")
    end = real_assistant.ask("他讲话结尾喊了什么口号？", history=[first])
    assert end.context_from == [1] and not end.abstained
    assert "加油！" in end.citations[0].quote or "必胜！" in end.citations[0].quote


def test_the_date_asked_of_a_letter_or_call_is_in_the_quote(real_assistant):
    """What the reader checks is the quote: a 'when' follow-up prefers the passage whose quote
    gives the date (a letter's sign-off, the attribution line right below) and leads with it."""
    ask = real_assistant.ask
    letter = ask("习近平给东湖新城社区全体社区工作者回信说了什么？")
    when = ask("这封信是哪天写的？", history=[letter])
    assert not when.abstained and "4月8日" in when.citations[0].quote.replace(" ", "")
    assert "4月8日" in when.answer.split("[1]")[0].replace(" ", "")
    call = ask("In his call with UN Secretary-General Guterres, what did Xi say the Chinese "
               "people's hard work had won for countries around the world?")
    date = ask("When was that call?", history=[call])
    assert not date.abstained and "3月12日" in date.citations[0].quote


def test_a_chinese_follow_up_to_an_english_question_searches_chinese_words(real_assistant):
    """The words carried from an English turn ("March 10 Hubei") match nothing in Chinese text:
    a Chinese follow-up searches their Chinese words instead."""
    first = real_assistant.ask("What did Xi say about Hubei and Wuhan during his visit to Wuhan "
                               "on March 10?")
    follow = real_assistant.ask("他在那里还强调了什么？", history=[first])
    assert follow.context_from == [1]
    assert not re.search(r"[A-Za-z]", follow.search_query) and "3月10日" in follow.search_query


def test_stepping_through_a_visit_next_and_before(real_assistant):
    """"随后他去了哪里？", "Where did he go before that?", "And after that?": the stops of the
    Zhejiang visit in order, from wherever the last answer quoted."""
    ask = real_assistant.ask
    first = ask("On March 31 in Hangzhou, where did Xi go to watch the digital traffic "
                "management demonstration?")
    assert "城市大脑运营指挥中心" in quotes(first)
    before = ask("Where did he go before that?", history=[first])
    assert not before.abstained and "西溪" in "".join(before.citations[0].quote.split())
    after = ask("And after that?", history=[first, before])
    assert "城市大脑运营指挥中心" in "".join(after.citations[0].quote.split())
    village = ask("习近平3月30日在湖州安吉考察了哪个村？")
    then = ask("随后他去了哪里？", history=[village])
    assert "社会矛盾纠纷调处化解中心" in "".join(then.citations[0].quote.split())


def test_a_follow_up_naming_its_own_place_is_not_a_step_from_the_last_quote(real_assistant):
    """Seen in the browser: "那天之前他在湖州看了哪个村？" after a question on the Hangzhou city
    brain centre was given the stop before it in Hangzhou (西溪湿地) and carried 杭州 城市 大脑.
    It names its own place: the village in Huzhou comes first."""
    ask = real_assistant.ask
    first = ask("习近平在杭州城市大脑运营指挥中心说了什么？")
    before = ask("那天之前他在湖州看了哪个村？", history=[first])
    assert "余村" in before.passages[0].chunk.text
    assert "杭州" not in before.search_query.split("习近平在浙江考察时强调")[0]


def test_a_follow_up_after_an_abstained_answer_reads_the_earlier_question(real_assistant):
    """Seen in the browser: "一共种了多少棵树？" is rightly abstained on (no count is given),
    and "他都种了哪些树？" then found the list first but was abstained on too: with no passage
    cited to lean on, its evidence was that of "都种了哪些树" alone."""
    first = real_assistant.ask("习近平4月3日参加首都义务植树活动，一共种了多少棵树？")
    assert first.abstained
    follow = real_assistant.ask("他都种了哪些树？", history=[first])
    assert follow.context_from == [1] and not follow.abstained
    assert "油松、国槐、杏梅、元宝枫" in quotes(follow)


def test_a_follow_up_naming_only_someone_else_asks_the_last_question_of_them(real_assistant):
    """"那西班牙首相呢？" after the day of the call with Italy's prime minister asks the day of
    the call with Spain's (seen in a chat: it was answered as if it came alone, and abstained)."""
    italy = real_assistant.ask("习近平是哪天和意大利总理孔特通电话的？")
    spain = real_assistant.ask("那西班牙首相呢？", history=[italy])
    assert spain.search_query == "习近平是哪天和西班牙首相通电话的？" and spain.context_from == [1]
    assert not spain.abstained and spain.answer.startswith("3月17日")
    merkel = real_assistant.ask("What did Xi tell Merkel in their phone call?")
    france = real_assistant.ask("And the French president?", history=[merkel])
    assert france.context_from == [1] and not france.abstained
    assert all("马克龙" in (c.attribution or "") for c in france.citations)


def test_what_else_they_discussed_stays_in_the_call(real_assistant):
    """"他们还谈了什么？" after the day of the call with Spain's prime minister, whose answer
    quoted three of its passages: the rest of that call, not a passage of another call that
    shares the word "他们" (seen in a chat: a passage of the call with the United States)."""
    spain = real_assistant.ask("习近平和西班牙首相桑切斯是哪天通电话的？")
    more = real_assistant.ask("他们还谈了什么？", history=[spain])
    assert more.context_from == [1] and not more.abstained
    assert "桑切斯" in (more.citations[0].attribution or "") + (more.citations[0].title or "")


def test_a_name_of_an_earlier_topic_goes_back_to_it(real_assistant):
    """Italy's call, then "那西班牙首相呢？", then a question naming Italy again: answered from
    the call with Italy (seen in the browser: from the Spanish one)."""
    italy = real_assistant.ask("习近平是哪天和意大利总理孔特通电话的？")
    spain = real_assistant.ask("那西班牙首相呢？", history=[italy])
    back = real_assistant.ask("What did Xi say about Italy's medical supplies in that first call?",
                              history=[italy, spain])
    assert back.context_from == [1] and not back.abstained
    assert "孔特" in (back.citations[0].attribution or "")


def test_a_letter_asked_after_a_visit_is_found_as_its_own_topic(real_assistant):
    """After the Wuhan visit, "And when did he write back to the community workers there?" asks
    of a letter the visit's speech is not; then "那封回信…" is that letter (seen in the browser:
    the speech was quoted for the first, and the second abstained on)."""
    first = real_assistant.ask("What else did Xi do in Wuhan on March 10 besides the hospital?")
    letter = real_assistant.ask("And when did he write back to the community workers there?",
                                history=[first])
    assert not letter.abstained and "4月8日" in letter.answer.split("[1]")[0].replace(" ", "")
    style = real_assistant.ask("那封回信里他希望他们发扬什么作风？", history=[first, letter])
    assert not style.abstained and "发扬连续作战作风" in style.citations[0].quote
