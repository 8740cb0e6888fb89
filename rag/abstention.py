"""Deciding when the documents do not answer a question.

Two kinds of evidence:
- a miss that needs no score: the question names a person, place or organisation, a year or
  an ordinal session, that occurs nowhere in the corpus ("2022年上海封控…", "安倍晋三",
  "第十一次会议");
- a calibrated score over how well the best passages match: their cosines in context and by
  sentence, how many of the question's content words they contain, and (Chinese) whether the
  first one states the kind of thing asked, is of the day the question names, and whether any
  states a number of the thing it counts ("多少张床位" -> "N张床位"). The weights are
  fitted on the dev split of eval/dataset.jsonl by `python -m eval.calibrate` and stored in
  abstention.json beside this file; `answer.abstain_strictness` shifts the threshold.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .dates import question_dates, zh_dates
from .lexical import has_cjk, is_latin, tokens
from .position import asked_position
from .question_type import (
    DISPATCH,
    MONEY,
    NUMERAL,
    TIME,
    asked_kinds,
    asks_letter_date,
    asks_mentioned_date,
    counted_measure,
    counted_thing,
    dates_another_event,
    dates_its_event,
    english_count,
    english_measure,
    events_asked,
    exchanges_asked,
    exchanges_labelled,
    figure_asked,
    name_asked,
    role_verb,
    states,
    states_book_asked,
    states_city_asked,
    states_day_asked,
    states_deadline_asked,
    states_kind_asked,
    states_name,
    states_own_date,
    states_partakers_asked,
    states_people_asked,
    states_publication_day,
    states_role,
    states_superlative_asked,
    states_venue_asked,
    states_year_asked,
    tells_relatively,
    thing_counted_by_ge,
    type_match,
    unstated,
)
from .speaker import (
    OTHER,
    asked_speaker,
    asks_other_reply,
    asks_speech_content,
    gives_other_words,
    other_speaker_named,
    says_within,
)
from .support_check import zh_value
from .translate import Translation
from .types import Hit

WEIGHTS_FILE = Path(__file__).with_name("abstention.json")
PROPER_NOUN_TAGS = {"nr", "ns", "nrt", "nt", "nrfg"}
# Parts of the world a question may name where the documents list the countries ("从东南亚和日本
# 等地接回…" for "从泰国、马来西亚、日本…"): no name the documents must have.
_REGIONS = frozenset("东南亚 南亚 中亚 西亚 东亚 东北亚 中东 欧洲 非洲 拉美 拉丁美洲 北美 南美 亚洲 "
                     "大洋洲 东欧 西欧 北欧 南欧 中东欧 亚太 海外 境外 国外".split())
# A Chinese question's cosines with an English passage run lower than with a Chinese one that
# says the same: 0.83-0.84 for the two Chinese questions of the foreign dev set answered first
# by an English passage, where Chinese answers sit at 0.89-0.92. Not fitted: too few questions.
ACROSS_SHIFT = 0.06
YEAR = re.compile(r"(?:19|20)\d\d")
ORDINAL = re.compile(r"^第[\d一二三四五六七八九十百]+[次届]")  # "第十一次会议", "第73届"
# Words that frame a question rather than name what it is about.
QUESTION_WORDS = set(
    "什么 哪些 哪个 哪里 哪位 哪天 哪一天 哪一年 哪座 哪家 哪句 哪部 哪艘 多少 是否 如何 怎样 怎么 "
    "为什么 提出 指出 强调 谁 何时 一句 这句 场合 出自 一共 具体 包括 分别 当时 期间 时候 什么样 "
    "多长时间 多大 几位 习近平 总书记 哪儿 干什么 做什么 干嘛 多久 为何 评价 以前 原来 原先 "
    # what a question says of the text, not what it asks about ("文章里提到…", "讲到一个会")
    "提到 谈到 讲到 说到 提及 一个 "
    # a saying cut together with the word before it ("通电话时说了什么？": 通电话 / 时说)
    "时说 所说 中说 里说 曾说".split()
)


@dataclass(frozen=True)
class Evidence:
    """What the retrieved passages say about whether the corpus answers the question."""

    chinese: bool
    dense: float  # best cosine of a top-3 passage embedded in its context
    sentence: float  # best cosine of a sentence of a top-3 passage
    lexical: float  # best share of the question's bigrams in a top-3 passage
    coverage: float  # share of the question's content words found in the top-3 passages
    coverage_top: float  # the same for the first passage alone
    unknown_names: tuple[str, ...]  # names and years of the question the corpus never mentions
    # Whether the first passage (with its title and attribution) states the kind of thing asked
    # (a count for 多少, a day for 哪天: rag/question_type.py); 1 when nothing in particular is.
    answers_kind: float = 1.0
    # Whether the first passage is of the day the question names (+1), of another day (-1),
    # or neither is said (0).
    dated: float = 0.0
    # For a question counting a named thing ("多少张床位"): whether a top-3 passage states a
    # number of it ("1000张床位": +1) or none does (-1); 0 when nothing named is counted.
    counted: float = 0.0
    # An English question asks a count or a date ("How many…", "On what date…") that the first
    # passage does not state: a miss whatever its cosines (rag/question_type.py `unstated`).
    # Chinese questions weigh the same cue as `answers_kind` in their fitted score; English ones
    # decide by it, since their fitted score has only the cosines. In both languages it is
    # also set when the top passages lack what the answer must look like: a number of the
    # measure word counted ("多少棵树": question_type.counted_measure), someone named after the
    # role whose name is asked (`name_asked`), a duration or a share (`figure_asked`).
    unstated: bool = False

    def vector(self) -> list[float]:
        if self.chinese:
            return [1.0, (self.dense - 0.9) * 20, (self.sentence - 0.92) * 20, self.coverage,
                    self.coverage_top, self.lexical, self.answers_kind, self.dated,
                    self.counted]
        return [1.0, (self.dense - 0.78) * 20, (self.sentence - 0.79) * 20]


def content_words(question: str) -> list[tuple[str, str]]:
    """(word, name tag or "") of the question's content words: two characters or more,
    question-framing words left out. English questions: their years only."""
    return list(_content_words(question))


@functools.lru_cache(maxsize=256)
def _content_words(question: str) -> tuple[tuple[str, str], ...]:
    """`content_words`, kept for the last questions: an answer asks for them more than once."""
    if not has_cjk(question):
        # a decade ("the 1980s": "上世纪80年代") is no year the documents must name
        return tuple((y, "m") for y in YEAR.findall(re.sub(r"\b\d{4}'?s\b", "", question)))
    from .segment import tagged_words

    return tuple((word, flag) for word, flag in tagged_words(question)
                 if len(word) >= 2 and word not in QUESTION_WORDS
                 and re.search(r"[\u4e00-\u9fff]|\d{2}", word))


def question_names(question: str) -> tuple[str, ...]:
    """The people, places and organisations a Chinese question names (jieba's name tags)."""
    return tuple(w for w, flag in content_words(question) if flag in PROPER_NOUN_TAGS)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def gather(question: str, hits: list[Hit], vocabulary: set[str],
           glossed: dict[str, list[str]] | None = None,
           translation: Translation | None = None, asked: str | None = None) -> Evidence:
    """The evidence from the top passages of a retrieval.

    `glossed`: for a Chinese question over documents with English ones, its words and the
    English words they mean (Retrieved.glossed). A word then counts as found in an English
    passage that holds one of them, and a name as known when the documents spell it. When the
    first passage is English, the cosines across the languages are raised by ACROSS_SHIFT to
    the level of Chinese ones, and the passage must state the count or date asked, as for an
    English question.

    `translation`: an English question's, whose `unknown` names the documents never mention
    make it a miss, whose `name_roles` (the role of the person whose name it asks) must be
    followed by a name in the top passages, and whose `subjects` (the people it makes the
    subject of its verb: "What did Bill Gates write…?") the first passage must name.
    `asked`: the question as asked, when `question` is a follow-up's evidence text, without
    its words for what was discussed ("这次通话是哪天？" -> "是哪天"): the event whose date it
    asks is that one."""
    top = hits[:3]
    words = content_words(question)
    glossed = glossed or {}
    across = bool(glossed) and bool(top) and is_latin(top[0].chunk.text)

    def known(word: str) -> bool:
        # a people or a side of a place the documents name ("马来西亚人", "马方": d38-004)
        return all(t in vocabulary for t in tokens(word)) or bool(glossed.get(word)) or \
            (len(word) > 2 and word[-1] in "人方" and known(word[:-1]))

    unknown_en, name_roles, subjects = (translation.unknown, translation.name_roles,
                                        translation.subjects) if translation else ((), (), ())
    unknown = unknown_en + tuple(
        w for w, flag in words
        if not known(w) and w not in _REGIONS
        and ((flag in PROPER_NOUN_TAGS and not _cut_across(question, w, vocabulary))
             or YEAR.fullmatch(w) or ORDINAL.match(w))
    )
    texts = [_squeeze(h.chunk.text + h.chunk.title + (h.chunk.attribution or "") +
                      (h.chunk.lead or "")) for h in top]

    def holds(text: str, word: str) -> bool:
        return word in text or any(e in text.lower() for e in glossed.get(word, ()))

    def share(text: str) -> float:
        return sum(holds(text, w) for w, _ in words) / len(words) if words else 1.0

    shift = ACROSS_SHIFT if across else 0.0
    counted = _counted(question, top)
    return Evidence(
        chinese=has_cjk(question),
        dense=max((h.dense for h in top), default=0.0) + shift,
        sentence=max((h.sentence for h in top), default=0.0) + shift,
        lexical=max((h.lexical for h in top), default=0.0),
        coverage=share("".join(texts)),
        coverage_top=share(texts[0]) if texts else 0.0,
        unknown_names=unknown,
        answers_kind=_answers_kind(question, top[0]) if top else 0.0,
        dated=float(top[0].dated) if top else 0.0,
        counted=counted,
        unstated=bool(top) and (_answer_missing(question, top, counted, name_roles, across,
                                                asked or question, subjects)
                                or _subject_unnamed(top[0], subjects)),
    )


def _answer_missing(question: str, top: list[Hit], counted: float,
                    name_roles: tuple[str, ...], across: bool, asked: str = "",
                    subjects: tuple[tuple[str, ...], ...] = ()) -> bool:
    """Whether the top passages lack what the answer must look like (`Evidence.unstated`):
    a count or a date an English question asks, in the first passage (or a Chinese question's
    over an English first passage); a number of the measure word counted, a name after the
    role asked, a duration, a share or a sum of money, someone chairing, a venue or city
    where a meeting was held, a count of those who took part, a thing of the kind asked (an
    airline, a hospital, a province…), another speaker's words for their speech, in any of
    them (not dated another day than the question names); a time of day, a city, a year, a
    day, the other side's reply ("对方是怎么回应的？": a sentence of theirs), or a letter's or a
    mentioned thing's date in its own words, in the first; a book a quoted line comes from or a
    deadline, in any of them; and a first passage that only restates the question."""
    first = top[0]
    asking = asked or question  # a follow-up's own words, without its topic's
    shown = [h.shown() for h in top]  # what the reader sees of each: title, quote, attribution
    # A passage dated another day than the question names tells of another event (the
    # hospital of the Wuhan visit is not where he went in Beijing on 2月10日): only those of
    # that day, or undated, answer for "any of them".
    day_top = [h for h in top if h.dated >= 0]
    same_day = [text for text, h in zip(shown, top, strict=True) if h.dated >= 0]
    return ((not has_cjk(question) or across) and unstated(question, shown[0], first.signed)) \
        or (counted < 0 and _measure_unstated(question, day_top)) \
        or _english_measure_unstated(question, day_top) \
        or _thing_uncounted(question, day_top) \
        or _name_unstated(question, day_top, name_roles) \
        or _figure_unstated(question, day_top) \
        or _only_the_total_given(question, day_top) \
        or _members_unlisted(asking, top) \
        or _counted_place_unnamed(asking, top) \
        or _count_of_one_listed(asking, top) \
        or _role_unstated(question, top) \
        or _time_unstated(question, top) \
        or not states_city_asked(question, shown[0]) \
        or not states_year_asked(question, shown[0]) \
        or not states_book_asked(question, shown) \
        or not states_deadline_asked(asking, shown) \
        or not states_day_asked(asking, f"{shown[0]} {first.signed}") \
        or not states_publication_day(asking, first.chunk.text, first.chunk.attribution) \
        or not states_kind_asked(asking, same_day) \
        or not states_superlative_asked(question, shown[0]) \
        or not states_venue_asked(question, same_day) \
        or not states_partakers_asked(asking, same_day) \
        or not states_people_asked(asking, same_day) \
        or (asks_other_reply(question) and not gives_other_words(first.chunk.text)) \
        or _their_words_unstated(asking, day_top, subjects) \
        or _speech_unstated(asking, top) \
        or _told_date_unstated(question, top, asking) \
        or _only_restated(asking, first)


# Punctuation and spaces, left out when a passage is compared with the question's words
_MARKS = re.compile(r"[\s\W_]+")
# Questions whose answer is where a quoted line was said or what came after it: a passage that
# is the line itself answers them by its attribution or its neighbour
_ASKS_AROUND = re.compile(r"哪|谁|何时|接着|之后|后面|下一句|前面|上一句|\b(?:which|who|when|where|next|"
                          r"then|after|before)\b", re.I)
RESTATED_CHARS = 40  # a first passage this short may be no more than the question's own words
# ... and the question asks something besides it (a line pasted alone asks where it stands)
_ASKS_BESIDES = re.compile(r"什么|哪些|怎么|怎样|如何|具体|是否|吗|\b(?:what|how|which|whether)\b",
                           re.I)


def _only_restated(question: str, first: Hit) -> bool:
    """Whether the first passage says nothing the question does not ("3月4日…会议的通稿说会议
    “还研究了其他事项”，这些其他事项具体是什么？" over "会议还研究了其他事项。": fresh batch d63-034):
    a short passage whose every word the question already holds, for a question asking
    something besides it, and no day, person, place, speech or next line (a line pasted alone
    asks where it stands: it is quoted)."""
    text, asked = _MARKS.sub("", first.chunk.text), _MARKS.sub("", question)
    return 0 < len(text) <= RESTATED_CHARS and text in asked and \
        bool(_ASKS_BESIDES.search(asked.replace(text, ""))) and \
        not asked_kinds(question) and not _ASKS_AROUND.search(question)


def attribution_answers(question: str, first: Hit) -> bool:
    """Whether a Chinese question asking a day is answered by its first passage's attribution
    ("习近平跟古巴国家主席通电话是哪一天？" -> "（2020年2月28日同古巴国家主席迪亚斯—卡内尔通
    电话）"): it dates an event of the kind asked, and names all the people and places the
    question names (not "日本首相" for a call with "西班牙首相")."""
    names = question_names(question)
    attribution = first.chunk.attribution or ""
    return has_cjk(question) and bool(names) and dates_its_event(question, attribution) and \
        all(name in _squeeze(attribution) for name in names)


def letter_of_the_day(question: str, first: Hit) -> bool:
    """Whether a Chinese question asking of a letter of a day it names ("习近平2020年3月15日给谁
    回信了？") has a passage of the letter signed that day first: it is the letter asked of."""
    return has_cjk(question) and "letter" in events_asked(question) and \
        bool(question_dates(question) & zh_dates(first.signed))


# A question asking only what was said ("…通电话时说了什么？", "…信里讲了些什么？")
_WHAT_SAID = re.compile(r"(?:说|讲|谈|写|表示)了?(?:些)?(?:什么|哪些)(?:内容|话)?[？?]?$")


def exchange_answers(question: str, first: Hit) -> bool:
    """Whether a Chinese question asking only what was said in an exchange it names ("习近平同
    普京通电话时说了什么？") is answered by its first passage: an excerpt of an exchange of that
    kind (a call, talks, a letter, a message) whose attribution names all the question names.
    Any passage of it answers; the question's words, few and general, score it low."""
    asked = exchanges_asked(question)
    attribution = _squeeze(first.chunk.attribution or "")
    if not (has_cjk(question) and asked and question_names(question) and
            _WHAT_SAID.search(question) and exchanges_labelled(attribution) & asked):
        return False
    return all(word in attribution or exchanges_asked(word) for word, _ in content_words(question))


def labelled_answer(question: str, first: Hit) -> bool:
    """Whether the first passage answers by what labels it, whatever its words share with the
    question: the day its attribution gives for the event asked (`attribution_answers`), any
    passage of the exchange asked of when only what was said is asked (`exchange_answers`), the
    letter signed on the day asked (`letter_of_the_day`)."""
    return attribution_answers(question, first) or exchange_answers(question, first) or \
        letter_of_the_day(question, first)


def _subject_unnamed(first: Hit, subjects: tuple[tuple[str, ...], ...]) -> bool:
    """Whether the first passage (its text, title and attribution) leaves out someone the
    question makes the subject of its verb: then it tells of someone else's doing."""
    text = _squeeze(first.chunk.text + first.chunk.title + (first.chunk.attribution or ""))
    return any(not any(name in text for name in names) for names in subjects)


def _cut_across(question: str, word: str, vocabulary: set[str]) -> bool:
    """Whether a "name" is jieba's cut across two words the documents do have: "青螺山东门"
    cut as 青螺 / 山东 / 门 names no province, since "螺山" and "东门" run on either side of
    it. A name standing between other words ("同巴特图勒嘎通电话": "同巴", "嘎通") is one."""
    at = question.find(word)
    if at <= 0 or at + len(word) >= len(question):
        return False
    left, right = question[at - 1: at + 1], question[at + len(word) - 1: at + len(word) + 1]
    return has_cjk(left) and has_cjk(right) and left in vocabulary and right in vocabulary


def _counted(question: str, top: list[Hit]) -> float:
    """+1 when the question counts a named thing and a passage states a number of it, -1 when
    none does, 0 when it counts nothing named (or asks the n-th point of a list)."""
    if not has_cjk(question):
        return 0.0  # an English noun's translations are too loose to tell
    pattern = counted_thing(question)
    position = asked_position(question)
    if pattern is None or pattern is MONEY or (position is not None and position.points):
        return 0.0  # any price is "a sum of money": none says it is the one asked
    return 1.0 if any(pattern.search(h.shown()) for h in top) else -1.0


# "其中以身殉职的有多少名？", "Of them, how many…?": a part of a total the question states
_PART_OF = re.compile(r"其中|\b(?:of (?:them|those|these|whom|which)|among them)\b", re.I)
_LEADING_NUMBER = re.compile(r"[\d０-９.,一二两三四五六七八九十百千万亿]+")
_NUMERAL_OF = NUMERAL + r"(?:万|亿)?\s*"  # "1300余名", "2.5万名"
# the measure words a total is counted in ("2000名医务人员", "340多支医疗队")
_TOTAL_MEASURES = r"(名|个|位|人|例|支|架次|批|家|所|吨|件)"
_GIVEN_TOTAL = re.compile(_NUMERAL_OF + _TOTAL_MEASURES)


def _only_the_total_given(question: str, top: list[Hit]) -> bool:
    """A question stating a total and asking a part of it ("…提到超过2000名医务人员确诊感染，
    其中以身殉职的医务人员具体有多少名？") over passages whose only numbers of the thing counted
    are the ones the question gives ("超过 2000 名医务人员确诊感染"): they state the total, not
    the part (fresh batch d53). Only the passages that tell of the total are read: another
    one's numbers count other things."""
    if not has_cjk(question):
        return _only_the_total_given_en(question, top)
    part = _PART_OF.search(question)
    if not part:
        return False
    counted = counted_thing(question)
    if counted is MONEY:
        return False
    # what is counted: as the question asks it, and as it gives the total ("1300余名…同胞")
    patterns = [counted] if counted is not None else []
    patterns += [re.compile(_NUMERAL_OF + re.escape(m.group(1)))
                 for m in _GIVEN_TOTAL.finditer(question[:part.start()])]
    given = "".join(question.split())
    # of the passages telling of the total (stating a number the question gives), none
    # states another number of the thing counted
    telling = [numbers for h in top
               if (numbers := [m.group(0) for pattern in patterns
                               for found in pattern.finditer(h.shown())
                               if (m := _LEADING_NUMBER.match("".join(found.group(0).split())))])
               and any(n in given for n in numbers)]
    return bool(telling) and all(n in given for numbers in telling for n in numbers)


# An English question giving a total and asking how many of it ("Of the more than 42,000
# medical workers sent to Hubei, how many came from the People's Liberation Army?", "…more
# than 2,000 medical workers had been infected. How many of those had died?"): the total as
# written ("42,000", "2.5 million"), and a Chinese text's figures with their measure words
# ("42000多名", "25.5万个")
_EN_PART_OF = re.compile(r"^\s*(?:of|out of|among)\s+(?:the|those|these|its|his|their)\b|"
                         r"\b(?:of (?:them|those|these|whom|which)|among them)\b", re.I)
_EN_HOW_MANY = re.compile(r"\bhow many\b", re.I)
_EN_TOTAL = re.compile(r"(?<![\d,.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(million|thousand)?\b", re.I)
_ZH_FIGURE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:多|余)?\s*(万|亿)?\s*" + _TOTAL_MEASURES)
_UNITS = {"million": 1e6, "thousand": 1e3, "万": 1e4, "亿": 1e8}


def _en_totals(text: str) -> set[float]:
    """The totals an English question gives: numbers of three digits or more that are no year."""
    found = set()
    for m in _EN_TOTAL.finditer(text):
        value = float(m.group(1).replace(",", "")) * _UNITS.get((m.group(2) or "").lower(), 1)
        if value >= 100 and not (m.group(2) is None and re.fullmatch(r"(?:19|20)\d\d", m.group(1))):
            found.add(value)
    return found


def _only_the_total_given_en(question: str, top: list[Hit]) -> bool:
    """`_only_the_total_given` for an English question: of the passages stating the total it
    gives ("42000多名医务人员" for "the more than 42,000 medical workers"), none states another
    number in the same measure word: they count the whole, not the part asked."""
    asking = _EN_HOW_MANY.search(question)
    part = _EN_PART_OF.search(question)
    if asking is None or part is None:
        return False
    totals = _en_totals(question[:asking.start()])
    if not totals:
        return False
    telling = []
    for h in top:
        figures = [(float(m.group(1)) * _UNITS.get(m.group(2) or "", 1), m.group(3))
                   for m in _ZH_FIGURE.finditer("".join(h.shown().split()))]
        measures = {measure for value, measure in figures if value in totals}
        if measures:
            telling.append([value for value, measure in figures if measure in measures])
    return bool(telling) and all(value in totals for values in telling for value in values)


# "这四类人员具体指哪些人？", "“六保”分别是保哪些方面？": the members of a set the question counts
_COUNTED_SET = re.compile(r"([三四五六七八九十]|[3-9])\s*(?:类|个|项|种|条|道|方面|大)")
_MEMBERS_ASKED = re.compile(r"分别是|分别指|分别为|具体指|具体是哪|都有哪些|都是哪|包括哪些|指哪些|是哪几")


def _members_unlisted(question: str, top: list[Hit]) -> bool:
    """A question asking the members of a set it counts ("集中隔离收治“四类人员”，这四类人员
    具体指哪些人？", fresh batch d55) whose first passage lists fewer items than that anywhere
    (items joined by "、", "；" or "和", or points "一是…"): it names the set, not its members.
    Sets of two are left alone (their members are joined by "，另一条是…" as often)."""
    if not has_cjk(question) or not _MEMBERS_ASKED.search(question):
        return False
    m = _COUNTED_SET.search(question)
    if not m:
        return False
    n = int(m.group(1)) if m.group(1).isdigit() else zh_value(m.group(1))
    text = top[0].chunk.text if top else ""
    listed = max((s.count("、") + s.count("；") + s.count("和") + 1
                  for s in re.split(r"(?<=[。！？])", text)), default=0)
    pointed = len(re.findall(r"[一二三四五六七八九十]是|第[一二三四五六七八九十]+[，、]", text))
    return n is not None and max(listed, pointed) < n


# "赫章县还有多少贫困人口未脱贫？": a count within a place the question names
_COUNT_ASKED_ZH = re.compile(r"多少|几[个位名次家所支项条天]")
_PLACE_SUFFIX = re.compile(r"[\u4e00-\u9fff]{2,}(?:省|市|县|区|州|镇|乡|村)$")


def _count_clause(question: str, top: list[Hit]) -> str:
    """The clause of a Chinese question before the count it asks ("…，从泰国接回了" of "…，从泰国
    接回了多少名湖北同胞？"); "" when it asks no count (or nothing was found)."""
    if not top or not has_cjk(question):
        return ""
    asked = _COUNT_ASKED_ZH.search(question)
    return re.split(r"[，,；;：:]", question[:asked.start()])[-1] if asked else ""


def _counted_place_unnamed(question: str, top: list[Hit]) -> bool:
    """A count asked within a place the question names in the clause that asks ("刘建平在发言中
    说赫章县还有多少贫困人口未脱贫？", fresh batch d55) over a first passage that does not name
    that place (it gives the nation's count): another place's count answers nothing."""
    clause = _count_clause(question, top)
    if not re.search(r"[省市县区州镇乡村]", clause):
        return False  # no place to name (and no tagging to pay for)
    from .segment import tagged_words

    places = [w for w, tag in tagged_words(clause)
              if tag in ("ns", "nr", "nz", "nt") and _PLACE_SUFFIX.fullmatch(w)]
    shown = "".join(top[0].shown().split())
    # "赫章", as "湖北" for "湖北省"
    return any(w[:-1] not in shown for w in places)


def _count_of_one_listed(question: str, top: list[Hit]) -> bool:
    """A count asked of one place ("包机撤侨中，从泰国接回了多少名湖北同胞？", fresh batch d56)
    that the first passage names only as one of a list sharing a number ("从泰国、马来西亚、日本…
    等地将1300余名…接回家"): the number is the whole list's, not the place's."""
    clause = _count_clause(question, top)
    if not clause or "、" not in top[0].chunk.text:
        return False  # no list to be one of (and no tagging to pay for)
    from .segment import tagged_words

    # not one the question lists itself ("从泰国、日本等地一共接回了多少名…？" asks the total)
    places = [w for w, tag in tagged_words(clause) if tag == "ns" and len(w) >= 2
              and not re.search(f"{re.escape(w)}[、等和]|[、和]{re.escape(w)}", clause)]
    sentences = re.split(r"(?<=[。！？；])", "".join(top[0].chunk.text.split()))
    for place in places:
        telling = [s for s in sentences if place in s]
        if telling and all(re.search(f"(?:{re.escape(place)}、|、{re.escape(place)})", s)
                           and re.search(r"\d", s[s.index(place):]) for s in telling):
            return True
    return False


def _stated_nowhere(pattern: re.Pattern | None, top: list[Hit]) -> bool:
    """Whether a form the answer must take is given and no top passage has it."""
    return pattern is not None and not any(pattern.search(h.shown()) for h in top)


def _measure_unstated(question: str, top: list[Hit]) -> bool:
    """A Chinese question counting with a measure word ("多少棵树", "多少只口罩") whose top
    passages state no number of that measure word at all ("N棵", "N只"): they do not count
    it, whatever they share with the question. A number of the thing named after it in
    another measure word counts it ("几次专题会议": "7个专题会议")."""
    thing = counted_thing(question)
    return _stated_nowhere(counted_measure(question), top) and \
        not (thing is not None and any(thing.search(h.shown()) for h in top))


def _thing_uncounted(question: str, top: list[Hit]) -> bool:
    """A Chinese question counting by 个, which `_measure_unstated` leaves alone (said of
    anything), a thing it names ("3月6日的决战决胜脱贫攻坚座谈会一共设了多少个分会场？") whose top
    passages state no number of it, in the clause that gives one ("22个省区市所辖市（地、州、
    盟）、县…设分会场" counts provinces; "22个向中央签了脱贫攻坚责任书的省份" and "20多国外长"
    count 省份 and 国家): they do not count it."""
    thing = thing_counted_by_ge(question) if has_cjk(question) else ""
    if not thing:
        return False
    number = NUMERAL + "个?"
    counts = re.compile(f"{number}[^，,。；;！？、]{{0,15}}?{re.escape(thing)}|"
                        f"{re.escape(thing)}[^，,。；;！？、]{{0,8}}?{number}|{number}{re.escape(thing[0])}")
    return not any(counts.search(h.shown()) for h in top)


def _english_measure_unstated(question: str, top: list[Hit]) -> bool:
    """An English question counting a thing the documents count with a measure word ("How many
    beds…") whose top passages state no number of it: "N张" in a Chinese one, "N … beds" in
    an English one."""
    if has_cjk(question) or (chinese := english_measure(question)) is None:
        return False
    english = english_count(question)
    return not any(english.search(h.shown()) if is_latin(h.chunk.text) and english is not None
                   else chinese.search(h.shown()) for h in top)


def _figure_unstated(question: str, top: list[Hit]) -> bool:
    """A question asking how long ("开了多长时间？") or what share ("复工率达到了多少？") whose top
    passages state no duration or share at all."""
    return _stated_nowhere(figure_asked(question), top)




def _told_date_unstated(question: str, top: list[Hit], asked: str = "") -> bool:
    """A question asking when a letter to the speaker was written or sent ("社区工作者给习近平的
    来信是哪天写的？"), or when something a speech tells of happened ("他提到的那次座谈会是哪天
    开的？"), whose first passage gives no such date in its own words: a reply's sign-off and
    attribution date the reply ("2020年4月8日"), a speech's its delivery, while a passage
    reporting the letter or the event may ("3月17日，谭德塞致函国家主席习近平"), though not by
    its dispatch's dateline ("新华社北京4月10日电…近日…作出重要指示"). The first passage
    must: another one's date is of another event (the visit the reply recalls). So must a
    first passage telling of something by a relative day ("前几天，我在…考察调研时"),
    and one whose attribution dates an event of a kind the question does not name (a call,
    for "On what date was the video conference held?")."""
    text = top[0].chunk.text
    attribution = top[0].chunk.attribution or ""
    own = DISPATCH.sub("", text)  # "新华社北京4月10日电": the report's day, not its news's
    # a relative day tells of something else than the event the attribution dates, when the
    # question asks of that event ("In what message, and on what date, did he say this?" over
    # "——3月21日，…向德国总理默克尔致慰问电": "不久前德国政府…表达慰问", fresh batch d71-005)
    relative = tells_relatively(question, text) and \
        not dates_its_event(asked or question, attribution)
    return ((asks_letter_date(question) or asks_mentioned_date(question) or relative)
            and not states_own_date(question, own)) \
        or dates_another_event(asked or question, attribution, text)


_LETTER = re.compile(r"信|\b(?:write|wrote|written|letter)\b", re.I)


# "What did the Cuban leader say…?", "What did the king tell him?": someone else's words asked
# by a say verb, not a source ("According to Wang Yi, how many…?")
_THEY_SAID = re.compile(r"^(?!.*\baccording to\b).*\bwhat did (?!(?:xi|he|president xi)\b)"
                        r"[\w\s'’-]{2,40}? (?:say|tell|reply|respond|answer)\b", re.I)


def _their_words_unstated(question: str, top: list[Hit],
                          subjects: tuple[tuple[str, ...], ...] = ()) -> bool:
    """A question asking what someone other than Xi, named, said ("2月13日通电话时，马哈蒂尔对
    中方抗疫是怎么表态的？", "What did Macron say to Xi during their call on 22 January?") whose
    top passages of that day give no words of theirs ("马克龙表示，…" of another call, "根哥布
    表示，…" of another speaker, Xi's own words to them): the documents record only one side.
    `subjects`: an English question's named speakers in the documents' words. Not of a letter
    ("What did Bill Gates write…?"), which Xi's reply tells of in its own words ("你在信中…")."""
    if _LETTER.search(question):
        return False
    if has_cjk(question):
        # the person jieba finds in its saying clause ("…表示", "…对…表态"), neither alone (the
        # clause catches "文章…用哪句话说明", the tags "安全观")
        speaker = other_speaker_named(question)
        names = [w for w, flag in content_words(question) if flag.startswith("nr") and w in speaker] \
            if speaker else []
    else:
        if asked_speaker(question) != OTHER:
            return False
        names = [n for group in subjects for n in group]
        if not names and _THEY_SAID.search(question):
            # named by a word the dictionary cannot render ("What did the Cuban leader say on
            # his side of the call?", dev d61c03.2): no passage giving anyone else's words
            return not any(gives_other_words(h.chunk.text) for h in top)
    if not names:
        return False
    return not any(
        (gives_other_words(h.chunk.text) and any(n in _squeeze(h.shown()) for n in names))
        or any(_authored_by(h, n) or says_within(h.chunk.text, n) for n in names) for h in top)


def _authored_by(hit: Hit, name: str) -> bool:
    """Whether the passage is of a piece `name` wrote or gave ("作者：王 毅", "王毅：坚决打赢…"):
    all of it is their words."""
    credit = _squeeze(f"{hit.chunk.attribution or ''} {hit.chunk.lead or ''}")
    return f"作者：{name}" in credit or f"作者:{name}" in credit or \
        _squeeze(hit.chunk.title or "").startswith(name)


def _speech_unstated(question: str, top: list[Hit]) -> bool:
    """A question asking what someone else said in their speech at a meeting ("那位兰考县委书记
    在发言里具体讲了些什么？") whose top passages give no other speaker's words ("蔡松涛表示，…")
    and are no speech titled 发言 (Xi's own at the G20 summit): they report that someone spoke."""
    return asks_speech_content(question) and not any(
        gives_other_words(h.chunk.text) or "发言" in (h.chunk.title or "") for h in top)


def _role_unstated(question: str, top: list[Hit]) -> bool:
    """A question asking who chaired or accompanied ("会议是由谁主持的？") whose top passages
    never say it (主持, 陪同): they report the event, not its chair. Any chairing in the first
    passage's article counts here, "韩文博…主持召开…会议" too, which ranking does not lift (a
    meeting Xi called is no answer to who chaired another); another article's does not ("Who
    chaired the national work-safety teleconference…?" over the teleconference's report, which
    names no chair, and the April 17 meeting's "习近平主持会议"), nor one dated another day than
    the question names ("Who presided over the … teleconference held in Beijing on April 10?"
    over the poverty symposium's "汪洋主持座谈会", of 3月6日)."""
    verb = role_verb(question)
    first = top[0].chunk
    return verb is not None and not any(
        states_role(verb, h.shown()) for h in top
        if (h.chunk.source, h.chunk.title) == (first.source, first.title) and h.dated >= 0)


def _time_unstated(question: str, top: list[Hit]) -> bool:
    """A question asking the time of day ("几点开始的？", "At what time of day did he arrive?")
    whose first passage states none ("上午10时30分许" would): it tells of something else."""
    return TIME in asked_kinds(question) and not states(TIME, top[0].shown())


def _name_unstated(question: str, top: list[Hit], roles_en: tuple[str, ...] = ()) -> bool:
    """A question asking the name of someone it knows by a role ("山庄主人叫什么名字？", "What
    was the name of the dock worker…?": `roles_en`, the role in the documents' words) whose
    top passages name nobody in that role: they do not answer it."""
    role = name_asked(question) if has_cjk(question) else None
    roles = (role,) if role else roles_en
    return bool(roles) and not any(states_name(r, h.shown()) for r in roles for h in top)


def _answers_kind(question: str, hit: Hit) -> float:
    kinds = asked_kinds(question)
    if not kinds:
        return 1.0
    return type_match(kinds, hit.shown(), hit.signed)  # a letter's sign-off and date included


@functools.cache
def load_weights(path: Path = WEIGHTS_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def answer_probability(evidence: Evidence, weights: dict | None = None) -> float:
    """The calibrated probability that the corpus answers the question."""
    model = (weights or load_weights())["zh" if evidence.chinese else "en"]
    z = sum(w * x for w, x in zip(model["weights"], evidence.vector(), strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def sure_threshold(evidence: Evidence, setting: float | None = None,
                   weights: dict | None = None) -> float:
    """The probability at which an answer is sure enough to need no hedging quote from another
    article (`answer.sure_answer`): the setting when given, else the model's own for the
    question's language, which `python -m eval.calibrate` sets where the same share of
    answerable dev questions reaches it whatever the scale of the refitted model's
    probabilities (eval/calibrate.py SURE_SHARE)."""
    if setting is not None:
        return setting
    return (weights or load_weights())["zh" if evidence.chinese else "en"].get("sure", 0.85)


def should_abstain(evidence: Evidence, strictness: float = 0.0,
                   weights: dict | None = None) -> bool:
    """True when the documents do not answer: a name they never mention, an English question's
    count or date the best passage does not state, or a low score."""
    if evidence.unknown_names or evidence.unstated:
        return True
    model = (weights or load_weights())["zh" if evidence.chinese else "en"]
    return answer_probability(evidence, weights) < model["threshold"] + strictness


def fit_logistic(x, y, offset=None, l2: float = 1.0, steps: int = 5000,
                 free_first: bool = True):
    """Weights w of P(y) = sigmoid(offset + x . w) by plain gradient descent on the
    L2-regularised log loss (`free_first`: the first column is a bias, not regularised).
    Fits the question-level model (eval/calibrate.py) and the follow-up weights on top of its
    log-odds (`offset`, rag/eval_conversations.py)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    base = np.zeros(len(y)) if offset is None else np.asarray(offset, dtype=float)
    w = np.zeros(x.shape[1])
    start = 1 if free_first else 0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(base + x @ w)))
        grad = x.T @ (p - y) / len(y)
        grad[start:] += l2 * w[start:] / len(y)
        w -= 0.5 * grad
    return w
