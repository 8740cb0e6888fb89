"""Reading a question in the light of the conversation before it.

No language model runs offline, so a follow-up is read by retrieval means:
- **is it a follow-up?** by evidence: pronoun and ellipsis cues in either language
  (他/那次/这封信/第二点/…呢, he/that letter/what else), weighed against whether the question
  alone already retrieves confidently and somewhere else than the article under discussion;
- **what is it about?** the content words and names of the questions that opened the topic,
  and the title and attribution of what the last answer cited, put before the question: the
  standalone query that is searched and shown ("understood as: …");
- **where is the answer?** a prior towards the passages of the article or speech already
  under discussion, strongest near what was just cited (see `Retriever.search(prior=...)`).

History items, oldest first, may be `Answer` objects, answer dicts (`Answer.to_dict()`), or
`{"question": str, "answer": Answer | dict}` (the HTTP API's form).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .abstention import QUESTION_WORDS, Evidence, answer_probability, load_weights
from .chunking import sentence_texts
from .compose import repeats
from .dates import (
    MonthDay,
    english_day,
    first_date,
    question_dates,
    shift_day,
    to_chinese,
)
from .errors import QuestionError
from .lexical import has_cjk, overlap, tokens
from .position import EN_ORDINALS, asked_position, asks_last_point, opened_point, sibling_marker
from .question_type import (
    COUNT,
    DATE,
    MONEY,
    PLACE,
    TIME,
    asked_kinds,
    asks_another_event,
    asks_mentioned_date,
    asks_publication,
    asks_saying,
    counted_thing,
    events_asked,
    is_saying,
    labels_event,
    role_verb,
    states,
    states_own_date,
    states_signed,
)
from .speaker import OTHER, SAY_VERBS, asked_speaker, names_partner, partner_of, passage_speaker
from .structure import quoted_titles
from .types import Answer, Chunk, Hit
from .verify import squeeze

# How a follow-up is searched (fitted on the dev split of eval/conversations.jsonl): the
# question's own ranking leads, the same question leaning towards the article under discussion
# and the completed query follow at these weights. The question alone already finds most
# answers; the context rescues the questions that name nothing ("What else did he promise?").
PRIOR_WEIGHT = 0.25
CONTEXT_WEIGHT = 0.25
# An English question over Chinese documents finds less by itself: the context weighs more,
# and its own search (which adds its dictionary words, and so leans to wherever those words
# are) less.
OWN_WEIGHT_EN = 0.5
PRIOR_WEIGHT_EN = 1.0
CONTEXT_WEIGHT_EN = 0.5
# A question that names what was discussed ("那次通话", "that meeting"): its answer is there,
# so the passages of that article or speech gain this much (in units of a first rank).
REFERENT_BONUS = 1.0
# A question asking the date of what was discussed: its passages that give a date gain this.
DATED_BONUS = 2.0
# ... and towards the passage of it standing where the question points ("第二点倡议呢？")
POSITION_BONUS = 1.0
# ... and towards the whole of it, for a question asking for more of it ("What else…?"): two
# rank-1 votes, so that a passage elsewhere sharing a pointer word ("他们") does not outrank it
TOPIC_BONUS = 2.0
# ... and towards the other side's words in it, for a question asking them ("对方怎么表态？"):
# two rank-1 votes too ("那对方是怎么回应的？" after the Conte call: one lost to "及时回应社会关切"
# in another speech, which the question's own words find; d40c08.2)
OTHER_SIDE_BONUS = 2.0
# A question asking how the other side answered what was said ("对方对此是怎么表态的？").
_EN_REPLY_VERBS = r"\b(?:respond|responded|response|reply|replied|react|reacted|reaction)\b"
_REPLY = re.compile(rf"对此|回应|回答|答复|表态|{_EN_REPLY_VERBS}", re.I)
# "How did Guterres react in that call to the fall in cases in China?": a reply to something
# the question names, not to what was last said ("to it", "to that", "to his words" are)
_EN_REPLY_TO = re.compile(_EN_REPLY_VERBS + r"(?:\s+[\w'’]+){0,4}?\s+to\s+"
                          r"(?!(?:it|that|this|him|her|them|his|xi's|what|these|those)\b)", re.I)


_ZH_REPLY_TO = re.compile(r"对(?![此这那方])[\u4e00-\u9fff]{2,12}?(?:是|又|都)?"
                          r"(?:怎么|怎样|如何|作何|有何)")


def replies_to_its_own(question: str) -> bool:
    """Whether a question asking the other side's reply says what the reply was to ("对方对疫情
    好转是怎么回应的？", "How did he react to the fall in cases?"), rather than to what the last
    answer said ("对方对此是怎么表态的？", "How did he respond?")."""
    return bool((_ZH_REPLY_TO if has_cjk(question) else _EN_REPLY_TO).search(question))


# Whether a follow-up is answered: the question-level probability (rag/abstention.py), its
# log-odds moved by how many of the follow-up's first passages lie in the article or speech
# under discussion (the conversation is evidence too), at a weight fitted on the dev
# conversations by `python -m rag.eval_conversations --calibrate`, over the question-level model
# of the day, which the file keeps ("question_model") and follow-ups are judged by: a refit of
# the question-level model (`python -m eval.calibrate`) leaves them as they were until this
# one is refitted over it.
FOLLOW_UP_WEIGHTS = Path(__file__).with_name("follow_up_abstention.json")
MAX_TURNS = 50  # history items read at most (the most recent ones)
MAX_TERMS = 12  # carried words at most, besides the cited article's title
NEW_TOPIC_CONFIDENCE = 0.5  # the question alone retrieves "confidently" at this probability
# Prior weights, in units of a first rank in the fused ranking (see Retriever.search).
PRIOR_ARTICLE = 0.6  # any passage of an article the last answer cited
PRIOR_SECTION = 0.2  # ... only this much when the quote names its own speech or letter: the
                     # article is then a compilation section of many speeches
PRIOR_SPEECH = 0.3  # ... more when it belongs to the same speech, letter or call
PRIOR_NEAR = 0.3  # ... more when it is a neighbour of a cited passage (decays with distance)
EVENT_WEIGHT = 0.25  # ... for a passage of another article on the same event (report,
# speech): under in_topic's bar, so its places and its speakers are not the topic's
NEAR_SPAN = 3  # neighbours within this many passages of a cited one
REPRINT_CHARS = 30  # a passage shared by two printings of a title makes them one article
STEP_SPAN = 4  # "where did he go next?": the next move within this many passages
POINT_SPAN = 12  # "那第二条呢？": the same list's point within this many passages
POINT_WORDS = 3  # "And the fifth of the tasks he listed?": at most this many English words
# A question stepping on or back from the passage last quoted gains this for the passage there.
SEQUEL_BONUS = 2.0
# A question on the day discussed ("那天他还去了哪里？") takes this off a passage the report
# tells under another day of a visit of several days (as much as "还做了什么" gives deeds).
OTHER_DAY_PENALTY = 4.0
# "那天", "当天", "that day": the day under discussion (not "那天之前", "before that day": a
# day before or after it, whose passages are the other days')
_THAT_DAY = re.compile(r"(?:那天|当天|那一天|这一天|同一天)(?![之以]?[前后])|"
                       r"(?<!before )(?<!after )\b(?:that|the same) day\b", re.I)
EARLIER_FACTOR = 0.5  # weight of the articles cited by earlier turns of the same topic
CLOSEST_FACTOR = 0.5  # ... and of an abstained last answer's closest passage's, none cited
# A word of the documents used at most this often (and at least twice) says what a question is
# about; one used more often ("中方", "合作", "防控") is said of every topic.
SPECIFIC_WORD_MAX = 40
EN_OWN_WORDS = 5  # an English question with this many words of its own and no cue asks anew

# Words that point back at something said before. Strong cues make a follow-up on their own
# unless the question alone clearly retrieves another topic; weak ones only tip the balance.
_ZH_STRONG = re.compile(
    r"[他她它](?:们)?|对方|双方|其[中他余]?(?=[\u4e00-\u9fff])|该(?:信|文|讲话|会议|活动|次|国)|"
    r"[这那此][次封篇场个些里儿位项一份条段句天回种则]|这|那(?=[\u4e00-\u9fff])|"
    r"第[一二三四五六七八九十\d]+(?:点|条|项|个|句|次|方面|部分)|上述|上面|前面|刚才|之前提到|"
    r"当时|当天|同一天|同一|对此|就此|呢[？?。！!]?\s*$")
_ZH_WEAK = re.compile(r"还|另外|此外|其他|其余|又|再|也|会上|会议上|讲话中|信中|文中")
# The parties to what was discussed, as "双方" and "对方" say it: "the two countries", "both
# sides", "the other president".
_EN_PARTIES = (r"\b(?:the two|both)\s+(?:countries|sides|leaders|nations|parties|presidents|"
               r"governments|peoples)\b|\bthe other (?:side|party|president|leader|country|"
               r"government|prime minister)\b")
_EN_STRONG = re.compile(
    r"\b(?:he|she|him|her|his|hers|they|them|their|it|its|there|those|these|that|"
    r"this(?! (?:year|month|week|morning|afternoon|evening|time)\b)|"
    r"the same|else|what about|how about|and the|mentioned|above|earlier|previous)\b|"
    r"\bthe (?:letter|call|speech|meeting|visit|article|message|reply|talk|talks|conference|"
    r"event|trip|inspection|session|document|statement|remarks|point|proposal|initiative)s?\b|"
    r"\b(?:first|second|third|fourth|fifth|last) (?:point|one|item|proposal|measure)\b|^\s*and\b|"
    # "the one in March", "the longer of the two", "the latter": one of the things just named
    r"\bthe (?:\w+ )?one\b(?!-)|\bof the two\b|\bthe (?:former|latter)\b|"
    rf"{_EN_PARTIES}",
    re.IGNORECASE)
_EN_WEAK = re.compile(r"\b(?:also|other|another|again|more|then)\b", re.IGNORECASE)
# "会上", "文章里", "信中", "讲话后面" opening a clause: in the one under discussion
_ZH_IN_IT = (r"(?:^|(?<=[在，,、\s]))(?:会上|会议上|文中|(?:讲话|信|文章|通话|电话|报道)"
             r"(?:[中里]|的?(?:后面|前面|开头|开篇|结尾|末尾|最后|后半)(?:部分|段)?))")
# Definite references: a demonstrative or "the" with the thing already under discussion ("那次
# 通话", "该会议", "会上", "第二点", "that call", "the king", "the same speech"). Unlike a
# pronoun, which may point at anyone, they name what was discussed: the answer is there.
_ZH_DEFINITE = re.compile(
    r"[这那此该](?:次|封|篇|场|位|项|份|条|段|句|天|回|则|信|文|讲话|会议|会|通话|通电话|活动|国)|"
    r"第[一二三四五六七八九十\d]+(?:点|条|项|个|句|方面|部分)|上述|同一|当天|"
    # "后来开的那个电视电话会": the event the article under discussion tells of
    r"[这那]个[\u4e00-\u9fff]{0,6}?(?:会议|会|通话|电话|讲话|信|文章|活动|峰会|考察|指示|批示)|"
    rf"{_ZH_IN_IT}|在(?:那里|那儿|当地)|"
    r"[这那]些(?=[\u4e00-\u9fff])|"  # "这些地方", "那些措施": what the last answer named
    # the whole question an ellipsis ("那货币政策方面呢？", "防灾减灾呢？"): the same asked of
    # another part of what was discussed
    r"^\s*(?![^呢]*(?:什么|哪|谁|几|多少|怎|如何|为何))(?:那|那么)?[^，,。？?\s]{1,12}呢[？?]?\s*$")
_ZH_REFERENCE = re.compile(
    r"[他她它]们?|对方|[这那此该][次封篇场位项份个]?(?:通电话|通话|电话|会议|会谈|会见|会|讲话|回信|"
    r"信|文章|文|活动|座谈会|峰会|考察|发言|批示|指示)|[这那此该]一?[次封篇场位项份条点段块片座]|上述|"
    rf"{_ZH_IN_IT}|"
    # the place and the day of what was discussed ("他在那儿都种了哪些树？", "第二天他去了哪个
    # 村？", "他跟现场的社区工作人员说了什么？"): the conversation says which
    r"那儿|那里|这儿|这里|当地|现场|当天|那天|次日|第二天|前一天|同一天")
_EVENT = (r"(?:letter|call|phone call|speech|meeting|visit|article|message|reply|talk|talks|"
          r"conference|symposium|event|trip|inspection|session|document|statement|remarks|"
          r"point|proposal|initiative|summit|report|commentary|address|instruction|gathering)s?")
_ROLE = (r"(?:king|queen|president|prime minister|premier|chancellor|secretary-general|"
         r"director-general|leader|minister|emperor|general secretary|author|writer)s?")
_EN_DEFINITE = re.compile(
    rf"\b(?:that|this|those|these|the same)\s+(?:[\w-]+\s+)?{_EVENT}\b|"
    rf"\bthe\s+{_EVENT}\b|\bthe\s+{_ROLE}\b|"
    r"\b(?:first|second|third|fourth|fifth|last) (?:point|one|item|proposal|measure)\b|"
    r"\bthe (?:\w+ )?one\b(?!-)|\bof the two\b|\bthe (?:former|latter)\b|"
    r"\b(?:those|these)\s+(?:[\w-]+\s+)?(?:places|regions|areas|countries|counties|villages|"
    r"cities|provinces|people|measures|steps|tasks|requirements|problems)\b|"
    r"\bthere\s*[?.!]*$|" + _EN_PARTIES + "|"
    # the whole question an ellipsis ("And on the environment?", "What about monetary policy?")
    r"^\s*(?:and|what about|how about)\s+(?:(?:on|about|for|in|as for|regarding)\s+)?"
    r"(?:the\s+)?[\w'-]+(?:\s+[\w'-]+){0,3}\s*\?\s*$",
    re.IGNORECASE)
_EN_STOP = set(
    "the a an of to in on and or is are was were be been being what which who whom whose when "
    "where why how did does do done for with by at as that this these those it its from about "
    "he she him her his hers they them their there then else also other another again more "
    "same any some many much say said tell told does mention mentioned into over after before "
    "during than can could would should will shall may might must have has had not no yes "
    "xi jinping xi's jinping's president chinese china china's".split())
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+|\d+(?:[.,]\d+)?")
_EN_NAME_NEXT = re.compile(r"\s+[A-Z][a-z]")
_EN_FRAME = set("According In On At During After Before Given Under Besides Apart Between "
                "Who What Which Where When Why How Did Does Do Is Are Was Were And But Also "
                "The A An His Her Their Its That This These Those There Then Xi Jinping "
                "President".split())
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_EN_DATE = re.compile(rf"\b(?:{_MONTHS}) \d{{1,2}}(?:, \d{{4}})?\b")
# A quoted term ('last mile'), not the stretch between two apostrophes ("Group's 2024 work
# conference and workers' congress"): a quote mark has no letter on its outer side.
_EN_QUOTED = re.compile(r"(?<![A-Za-z])['\"‘“]([^'\"’”]{3,40})['\"’”](?![A-Za-z])")
# A run of English words in a query ("March 10 Hubei", "Xi's letter").
_LATIN = re.compile(r"[A-Za-z][\w'’.,-]*(?:\s+[A-Za-z0-9][\w'’.,-]*)*")
_ZH_DATE = re.compile(r"(?:\d{4}年)?\d{1,2}月\d{1,2}日|\d{4}年|\d{1,2}月")
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
# Single characters that are words of their own (prepositions, particles, pronouns, measure
# words): never the stray half of a name that jieba cut apart.
_FUNCTION_CHARS = set("在同对向和与跟说是的了把被给从到于为及等也都还又就而由以将上下中里时后前"
                      "要有得地着过会能哪谁几多最更很再并但或其之所此该这那他她它我你们第不没让使"
                      "请至按据自往当每各某一个位次天年月日号点吗呢吧啊么什怎")
# jieba's words that are a frame, not a topic ("考察时说" -> "考察" + "时说").
_ZH_ARTEFACT = re.compile(r"[时上中又还也]说|时候|之后|以后|以来|期间|方面|关于|有关|对于|的话|说了|谈到|提到|"
                          r"随后|接着|然后|此前|先前")


# -- the history, normalised ------------------------------------------------------------------
@dataclass(frozen=True)
class Cited:
    """Where an earlier answer quoted from."""

    source: str
    char_start: int | None
    title: str | None
    attribution: str | None


@dataclass(frozen=True)
class Turn:
    """One earlier question and what its answer drew on."""

    question: str
    search_query: str
    context_from: tuple[int, ...]  # None-free: the earlier turns that turn itself drew on
    abstained: bool
    cited: tuple[Cited, ...]
    # An abstained answer's closest passage: what the question was about, though it did not
    # answer it (`read` leans on it a little when nothing was cited)
    closest: tuple[Cited, ...] = ()


def read_history(history: Iterable[Any] | None) -> list[Turn]:
    """The history as turns, oldest first. Raises QuestionError for an item it cannot read."""
    if history is None:
        return []
    if isinstance(history, (str, bytes, dict)):
        raise QuestionError("history must be a list of earlier answers, oldest first")
    items = list(history)[-MAX_TURNS:]
    return [_turn(item, n) for n, item in enumerate(items, start=1)]


def _turn(item: Any, n: int) -> Turn:
    question = None
    if isinstance(item, dict) and "answer" in item and "citations" not in item:
        question, item = item.get("question"), item["answer"]
    if isinstance(item, Answer):
        data = {"question": item.question, "abstained": item.abstained,
                "search_query": item.search_query, "context_from": item.context_from,
                "citations": [{"source": c.source, "char_start": c.char_start, "title": c.title,
                               "attribution": c.attribution} for c in item.citations],
                "passages": [{"source": h.chunk.source, "char_start": h.chunk.char_start,
                              "title": h.chunk.title, "attribution": h.chunk.attribution}
                             for h in item.passages[:1]]}
    elif isinstance(item, dict):
        data = item
    elif isinstance(item, str) or item is None:
        data = {"answer": item or "", "citations": []}  # an answer given as text: words only
    else:
        raise QuestionError(f"history item {n} is not an answer object: give "
                            "{\"question\": ..., \"answer\": <an earlier answer object>}")
    question = question if question is not None else data.get("question")
    if not isinstance(question, str) or not question.strip():
        raise QuestionError(f"history item {n} has no question: give "
                            "{\"question\": ..., \"answer\": <an earlier answer object>}")
    cited = _cited(data.get("citations"))
    closest = _cited((data.get("passages") or [])[:1]) \
        if data.get("abstained") and isinstance(data.get("passages"), list) else []
    back = data.get("context_from") or []
    back = tuple(int(t) for t in back if isinstance(t, int) and 0 < t < n) \
        if isinstance(back, list) else ()
    query = data.get("search_query")
    question = question.strip()
    return Turn(question=new_topic(question) or question,  # "换个话题：" carries nothing on
                search_query=query if isinstance(query, str) and query.strip() else question,
                context_from=back, abstained=bool(data.get("abstained")), cited=tuple(cited),
                closest=tuple(closest))


def _cited(items: Any) -> list[Cited]:
    """Where the citations (or passages) of an answer object quote from; items it cannot
    read are left out."""
    cited = []
    for c in items or []:
        if isinstance(c, dict) and isinstance(c.get("source"), str):
            start = c.get("char_start")
            cited.append(Cited(c["source"], start if isinstance(start, int) else None,
                               c.get("title") if isinstance(c.get("title"), str) else None,
                               c.get("attribution") if isinstance(c.get("attribution"), str)
                               else None))
    return cited


# -- cues and words ----------------------------------------------------------------------------
def cues(question: str) -> tuple[int, int]:
    """(strong, weak) counts of words that point back at the conversation."""
    if has_cjk(question):
        return len(_ZH_STRONG.findall(question)), len(_ZH_WEAK.findall(question))
    return len(_EN_STRONG.findall(question)), len(_EN_WEAK.findall(question))


def definite(question: str) -> bool:
    """Whether the question names the thing under discussion by a definite reference
    ("那次通话", "会上", "that meeting", "the king"), not only by a pronoun."""
    pattern = _ZH_DEFINITE if has_cjk(question) else _EN_DEFINITE
    return pattern.search(question) is not None


_ZH_IN_ALL = re.compile(r"一共|总共|总计|合计")
_ZH_DAY_ASKED = re.compile(r"哪一?天|哪日|几月几[日号]|几号")


def topic_words(question: str, occurs: Callable[[str], bool] | None = None) -> list[str]:
    """The words of a question that say what it is about: names, dates, content words;
    pronouns, adverbs and question words left out.

    `occurs` (is this text in the documents?) lets a name that jieba cuts into pieces be
    taken whole: "马克龙" (not "马克"), "塞西", "二十国集团" (see `whole_words`)."""
    if not has_cjk(question):
        # Names, dates and quoted terms: an English question's other words say little about
        # a Chinese document ("According", "describe") and would only blur the query.
        # A sentence's first word is capitalised whatever it is ("Officials from which
        # provinces…"): a name only when the next word is capitalised too ("Hun Sen said…").
        quoted = [q.strip() for q in _EN_QUOTED.findall(question)]
        words = []
        for m in _EN_WORD.finditer(question):
            w = re.sub(r"['’]s$", "", m.group())  # "Group's" -> "Group"
            if w.lower() in _EN_STOP or w in _EN_FRAME:
                continue
            if _opens_sentence(question, m.start()) and not _EN_NAME_NEXT.match(question, m.end()):
                continue
            if w[0].isupper() or w[0].isdigit():
                words.append(w)
        dates = _EN_DATE.findall(question)
        return _unique([*dates, *quoted, *(w for w in words
                                          if not any(w in d for d in dates))])
    from .segment import tagged_words

    dates = _ZH_DATE.findall(question)
    # "一共", "总共" say "in all" (jieba cuts "一共通了多少次" as 一 / 共通 / 了)
    # and a day asked is no word of the topic (jieba cuts "哪天开的" as 哪 / 天开 / 的)
    rest = _ZH_DAY_ASKED.sub(" ", _ZH_IN_ALL.sub(" ", _ZH_DATE.sub(" ", question)))
    words = [w for w, _ in whole_words(tagged_words(rest), occurs)
             if len(w) >= 2 and w not in QUESTION_WORDS and re.search(r"[\u4e00-\u9fff]", w)
             and not _ZH_STRONG.fullmatch(w) and not re.fullmatch(r"[这那此该其].*", w)
             and not _ZH_ARTEFACT.fullmatch(w)]
    return _unique([*dates, *words])


def whole_words(pieces: list[tuple[str, str]],
                occurs: Callable[[str], bool] | None) -> list[tuple[str, str]]:
    """jieba's (word, tag) pieces with the words it cut apart joined again, where the joined
    word occurs in the documents: jieba without its HMM splits names it does not know into
    a known word and a stray character ("马克"+"龙", "塞"+"西", "二"+"十国集团", "病"+"亡者").

    A run of stray characters (single characters that are not function words) is one word
    when the documents have it ("塞西"); otherwise it joins its name-tagged neighbour, then any
    neighbour of two characters or more, whichever the documents have first."""
    if occurs is None:
        return pieces

    def loose(i: int) -> bool:
        w = pieces[i][0]
        return len(w) == 1 and _CJK_CHAR.fullmatch(w) is not None and w not in _FUNCTION_CHARS

    def word(i: int) -> bool:  # a neighbour a stray character may join
        w = pieces[i][0]
        return len(w) >= 2 and _CJK_CHAR.match(w) is not None

    out: list[tuple[str, str]] = []
    i = 0
    while i < len(pieces):
        if not loose(i):
            out.append(pieces[i])
            i += 1
            continue
        j = i
        while j + 1 < len(pieces) and loose(j + 1):
            j += 1
        run = "".join(w for w, _ in pieces[i : j + 1])
        left = out[-1] if out and i > 0 and word(i - 1) and out[-1] == pieces[i - 1] else None
        right = pieces[j + 1] if j + 1 < len(pieces) and word(j + 1) else None
        tried: list[tuple[str, str, bool, bool]] = []  # text, tag, takes left, takes right
        if len(run) >= 2:
            tried.append((run, "", False, False))
        for named in (True, False):
            if left and bool(left[1]) == named:
                tried.append((left[0] + run, left[1], True, False))
            if right and bool(right[1]) == named:
                tried.append((run + right[0], right[1], False, True))
        found = next((t for t in tried if occurs(t[0])), None)
        if found is None:
            out.extend(pieces[i : j + 1])
            i = j + 1
            continue
        text, tag, takes_left, takes_right = found
        if takes_left:
            out.pop()
        out.append((text, tag))
        i = j + 2 if takes_right else j + 1
    return out


def _unique(words: Iterable[str]) -> list[str]:
    seen, out = set(), []
    for w in words:
        if w and w not in seen:
            seen.add(w)
            out.append(w)
    return out


# -- the passages of an article ----------------------------------------------------------------
_SPEECH_NOISE = re.compile(r"[\s——（）()，,、：:《》]|习近平|\d{4}年")


# The same meeting under the names the attributions give it ("中共中央政治局常务委员会会议",
# "政治局常务委员会会议", "中央政治局常委会会议"), whether they tell of it or of a speech at it
_BODY = re.compile(r"(?:中共)?(?:中央)?政治局")
_AT_THE_EVENT = re.compile(r"^(\d{1,2}月\d{1,2}日)(?:主持召开|召开|主持|出席|在)")
_SPEECH_AT = re.compile(r"(?:上|时)?的(?:讲话|发言|致辞)$")


def speech_key(attribution: str) -> str:
    """One speech, letter, call or meeting under every attribution line the corpus gives it:
    "（2020年3月23日同法国总统马克龙通电话）" and "——3月23日，习近平同法国总统马克龙通电话";
    "——3月18日，习近平主持召开中共中央政治局常务委员会会议" and "（2020年3月18日在中央政治局
    常委会会议上的讲话）"."""
    if not attribution:
        return ""
    key = _BODY.sub("政治局", _SPEECH_NOISE.sub("", attribution)).replace("常务委员会", "常委会")
    return _SPEECH_AT.sub("", _AT_THE_EVENT.sub(r"\1", key))


# The event an article's title or an excerpt's attribution names: "在(决战决胜脱贫攻坚座谈会)上的
# 讲话", "习近平在(…部署会议)上强调", "在(浙江考察)时强调"
_EVENT = re.compile(r"在(.{4,40}?)(?:上|时)(?:的讲话|的致辞|强调|指出|发表)")
# A call or a letter, by whom it was with or to: "——3月16日，习近平同意大利总理孔特通电话" (an
# excerpt) and "习近平同意大利总理孔特通电话" (the report); "习近平给武汉东湖新城社区全体社区工作
# 者的回信" and "——4月8日，习近平给武汉市东湖新城社区全体社区工作者回信"
_CALL_OR_LETTER = re.compile(r"(同.{2,30}?)通电话|(给.{2,40}?)的?回信")


def event_of(label: str) -> str | None:
    """The event a title or attribution names (a meeting, a visit, a call, a letter), None when
    it names none."""
    if m := _EVENT.search(label):
        return m.group(1)
    if m := _CALL_OR_LETTER.search(label):
        call, letter = m.groups()
        # "武汉市东湖新城社区" and "武汉东湖新城社区" are one addressee
        return re.sub(r"[市省]", "", call or letter) + ("通电话" if call else "回信")
    return None


class Articles:
    """Which passages belong to which article and speech, and their neighbours in each file."""

    def __init__(self, chunks: Iterable[Chunk], latin: frozenset[str] = frozenset()):
        chunks = list(chunks)
        # passages in a Latin-letter language among Chinese ones (Retriever.latin)
        self.latin = latin
        self.by_title: dict[str, set[str]] = {}
        # Several articles may share a title ("中共中央政治局常务委员会召开会议" on 3月4日, 3月18日
        # and 4月8日): each printing's passages, and the printing a passage position lies in.
        self.printings: dict[str, list[set[str]]] = {}
        self.printing_of: dict[tuple[str, int], set[str]] = {}
        last_run: dict[str, set[str]] = {}  # source -> the printing its last passage is in
        self.by_speech: dict[str, set[str]] = {}
        self.at: dict[tuple[str, int], tuple[str, int]] = {}  # (source, char_start) -> key, i
        self.where: dict[str, tuple[str, int]] = {}  # key -> its first (source, i)
        self.order: dict[str, list[str]] = {}  # source -> keys in file order
        texts: dict[str, str] = {}
        self.speech_of: dict[str, str] = {}  # passage -> its speech (speech_key), "" for none
        self.title_of: dict[str, str] = {}  # passage -> its article's title
        self.text_of: dict[str, str] = {}  # passage -> its text
        self.attribution_of: dict[str, str] = {}  # passage -> its attribution line, "" for none
        for chunk in chunks:
            self.speech_of.setdefault(chunk.key, speech_key(chunk.attribution or ""))
            self.attribution_of.setdefault(chunk.key, chunk.attribution or "")
            self.title_of.setdefault(chunk.key, chunk.title or "")
            self.text_of.setdefault(chunk.key, chunk.text)
            texts.setdefault(chunk.key, f"{chunk.text}\n{chunk.title}\n{chunk.attribution or ''}")
            keys = self.order.setdefault(chunk.source, [])
            self.at[(chunk.source, chunk.char_start)] = (chunk.key, len(keys))
            self.where.setdefault(chunk.key, (chunk.source, len(keys)))
            keys.append(chunk.key)
            if chunk.title:
                self.by_title.setdefault(chunk.title, set()).add(chunk.key)
                # one printing of an article: a run of passages under its title in one file
                runs = self.printings.setdefault(chunk.title, [])
                if not runs or last_run.get(chunk.source) is not runs[-1]:
                    runs.append(set())
                    last_run[chunk.source] = runs[-1]
                runs[-1].add(chunk.key)
                self.printing_of[(chunk.source, len(keys) - 1)] = runs[-1]
            else:
                last_run.pop(chunk.source, None)
            if chunk.attribution:
                self.by_speech.setdefault(speech_key(chunk.attribution), set()).add(chunk.key)
        # The same speech as an article of its own in one file and as attributed excerpts in
        # another: the excerpts by the title they quote.
        self.titled: dict[str, set[str]] = {}  # attribution -> the titles it quotes
        self.quoting: dict[str, set[str]] = {}  # title -> passages whose attribution quotes it
        titles = list(self.by_title)
        for chunk in chunks:
            if chunk.attribution and "《" in chunk.attribution:
                if chunk.attribution not in self.titled:
                    self.titled[chunk.attribution] = quoted_titles(chunk.attribution, titles)
                for title in self.titled[chunk.attribution]:
                    self.quoting.setdefault(title, set()).add(chunk.key)
        # The same event told in another article: a meeting's news report and the speech given
        # at it ("习近平在决战决胜脱贫攻坚座谈会上强调…", "在决战决胜脱贫攻坚座谈会上的讲话"): who
        # chaired it is in the report, what was said in the speech.
        self.by_event: dict[str, set[str]] = {}
        for title, keys in self.by_title.items():
            if (event := event_of(title)) is not None:
                self.by_event.setdefault(event, set()).update(keys)
        for chunk in chunks:  # and the excerpts whose attribution names it (as `prior` reads it)
            if chunk.attribution and (event := event_of(chunk.attribution)) is not None:
                self.by_event.setdefault(event, set()).add(chunk.key)
        self._text = "\n".join(texts.values())  # every passage once, with its labels
        # the other sides of calls, talks and messages, as their attributions name them
        self.sides = {side for key in self.attribution_of
                      if (side := partner_of(self.attribution_of[key]))}

    def names_another_side(self, text: str, cited: Iterable[Cited]) -> bool:
        """Whether a question (a Chinese one, or an English one's Chinese words) names the other
        side of a call or talk, when what was discussed is one with another side ("那同特朗普那次
        通话呢？" after a question on the Saudi king's call): then it asks of that one."""
        named = {side for side in self.sides if names_partner(text, side)}
        if not named:
            return False
        discussed = set()
        for c in cited:
            found = self.at.get((c.source, c.char_start)) if c.char_start is not None else None
            for label in (self.attribution_of.get(found[0], "") if found else "", c.title or ""):
                if side := partner_of(label):
                    discussed.add(side)
        return bool(discussed) and not named & discussed

    def speech(self, chunk: Chunk) -> str:
        """The article, speech, letter or call a passage belongs to, one key under every form
        the corpus gives it: an excerpt by the article its attribution quotes ("《在湖北省考察
        …的讲话》", printed whole elsewhere) or by its attribution (speech_key), an article's
        passage by its title."""
        if chunk.attribution:
            quoted = self.titled.get(chunk.attribution)
            return f"title:{min(quoted)}" if quoted else \
                f"speech:{speech_key(chunk.attribution)}"
        return f"title:{chunk.title}" if chunk.title else f"file:{chunk.source}"

    def occurrences(self, text: str) -> int:
        """How often the documents have `text` (each passage counted once, with its labels)."""
        return self._text.count(text) if text else 0

    def said_in(self, words: str | list[str], keys: Iterable[str]) -> bool:
        """Whether a passage among `keys` has the word (or, for a list, one of its renderings)."""
        words = [words] if isinstance(words, str) else words
        return any(w and w in self.text_of.get(k, "") for k in keys for w in words)

    def mentions(self, text: str) -> bool:
        """Whether the documents have `text` verbatim (in a passage, title or attribution)."""
        return bool(text) and text in self._text

    def prior(self, cited: Iterable[Cited], factor: float = 1.0,
              event: float = EVENT_WEIGHT) -> dict[str, float]:
        """Passage weights towards the articles, speeches and neighbourhoods of `cited`;
        `event`, towards the other articles on the same event."""
        cited = list(cited)
        weights: dict[str, float] = {}
        for c in cited:
            article = PRIOR_SECTION if c.attribution else PRIOR_ARTICLE
            for k in self.same_article(c):
                weights[k] = max(weights.get(k, 0.0), article)
            speech = set(self.by_speech.get(speech_key(c.attribution or ""), ()))
            for title in self.titled.get(c.attribution or "", ()):  # printed whole elsewhere
                speech |= self.by_title.get(title, set())
            for k in speech:
                weights[k] = max(weights.get(k, 0.0), PRIOR_ARTICLE + PRIOR_SPEECH)
            for k in self.quoting.get(c.title or "", ()):  # excerpted elsewhere
                weights[k] = max(weights.get(k, 0.0), article)
            named = event_of(c.title or "") or event_of(c.attribution or "")
            for k in self.by_event.get(named, ()) if named else ():  # its event's other articles
                weights[k] = max(weights.get(k, 0.0), event)
        near: dict[str, float] = {}
        for c in cited:
            found = self.place_of(c)
            if found is None:
                continue
            keys, i = self.order[c.source], found[1]
            speech = speech_key(c.attribution or "")
            printing = self.printing_of.get((c.source, i))
            for j in range(max(0, i - NEAR_SPAN), min(len(keys), i + NEAR_SPAN + 1)):
                other = self.speech_of.get(keys[j], "")
                if speech and other and other != speech:
                    continue  # the next excerpt of a compilation: another speech or call
                if printing is not None and keys[j] not in printing:
                    continue  # the next article
                bonus = PRIOR_NEAR * (1 - abs(i - j) / (NEAR_SPAN + 1))
                near[keys[j]] = max(near.get(keys[j], 0.0), bonus)
        for k, bonus in near.items():
            weights[k] = weights.get(k, 0.0) + bonus
        return {k: w * factor for k, w in weights.items()}

    def place_of(self, cited: Cited) -> tuple[str, int] | None:
        """The passage a citation quotes and its place in its file's order (by the file and
        the quote's offset), None when it is not indexed."""
        return self.at.get((cited.source, cited.char_start)) \
            if cited.char_start is not None else None

    def day_at(self, source: str, i: int) -> MonthDay | None:
        """The day a report has reached at its i-th passage of `source`: the date of the
        excerpt its attribution names ("——3月27日，习近平同沙特国王萨勒曼通电话"), else the first
        date that passage gives, else the nearest earlier passage's of the same article and
        speech ("3月29日，习近平前往宁波舟山港…" for "离开港区，习近平前往…" after it; not an
        earlier excerpt's of another call: d51c02.3, "the day before" read as 3月16日); None
        when none says one."""
        printing = self.printing_of.get((source, i))
        keys = self.order.get(source, [])
        if not 0 <= i < len(keys):
            return None
        dated = first_date(self.attribution_of.get(keys[i], ""))
        if dated is not None:
            return dated
        speech = self.speech_of.get(keys[i], "")
        for j in range(i, -1, -1):
            if j < i and (printing is None or self.printing_of.get((source, j)) is not printing
                          or self.speech_of.get(keys[j], "") != speech):
                return None
            day = first_date(self.text_of.get(keys[j], ""))
            if day is not None:
                return day
        return None

    def same_article(self, cited: Cited) -> set[str]:
        """The passages of the article `cited` quotes: its printing, and any other printing
        under the same title that shares a passage with it (the article reprinted in another
        file), not another article that only has the same title (another day's meeting)."""
        every = self.by_title.get(cited.title or "", set())
        found = self.place_of(cited)
        mine = self.printing_of.get((cited.source, found[1])) if found else None
        if mine is None:
            return every
        out = set(mine)
        for other in self.printings.get(cited.title or "", ()):
            # a reprint shares a passage of substance, not a formula every meeting's report
            # ends on ("会议还研究了其他事项。")
            if other is not mine and any(len(self.text_of.get(k, "")) >= REPRINT_CHARS
                                         for k in other & mine):
                out |= other
        return out

    def step(self, cited: Cited, step: int, moves: bool, leaving: bool = False) -> str | None:
        """The passage `step` places after (or, negative, before) a cited one in its article and
        speech: "他接着去了哪里？", "Where did he go before that?". With `moves`, the nearest
        one in that direction that reports a move ("随后，习近平来到…"), within STEP_SPAN;
        `leaving` ("after leaving the port area"), the nearest one reporting that he left
        ("离开港区，习近平前往…") when there is one, not a move within the place."""
        if leaving and moves:
            left = self._step(cited, step, _LEFT)
            if left is not None:
                return left
        return self._step(cited, step, _MOVES if moves else None)

    def _step(self, cited: Cited, step: int, moves: re.Pattern | None) -> str | None:
        span = STEP_SPAN if moves is not None else 1
        return next((key for key in self._walk(cited, step, span)
                     if moves is None or moves.search(self.text_of.get(key, ""))), None)

    def _walk(self, cited: Cited, step: int, span: int, first: int = 1) -> Iterator[str]:
        """The passages `first` to `span` places after (`step` 1) or before (-1) a cited one,
        while they stay in its article and speech (not the next excerpt of a compilation)."""
        found = self.place_of(cited)
        if found is None:
            return
        keys, i = self.order[cited.source], found[1]
        here = keys[i]
        for n in range(first, span + 1):
            j = i + n * step
            if not 0 <= j < len(keys):
                return
            key = keys[j]
            if self.title_of.get(key) != self.title_of.get(here) or \
                    self.speech_of.get(key) != self.speech_of.get(here):
                return
            yield key

    def sibling_point(self, cited: Cited, n: int) -> str | None:
        """The passage holding point `n` of the list a cited passage is a point of, or holds
        ("四是…" quoted, "那第二条呢？" -> the passage with "二是…"), in its article and speech,
        within POINT_SPAN passages in the list's direction; None when it has no numbered point."""
        found = self.place_of(cited)
        sibling = sibling_marker(self.text_of.get(found[0], ""), n) if found else None
        if sibling is None:
            return None
        at, marker = sibling
        return next((key for key in self._walk(cited, 1 if n >= at else -1, POINT_SPAN, first=0)
                     if marker.search(self.text_of.get(key, ""))), None)

    def last_point(self, cited: Cited) -> int | None:
        """The number of the last point of the list a cited passage is a point of ("第三，…"
        followed by "第四，…" … "第六，…" -> 6), in its article; None when it opens no point."""
        found = self.place_of(cited)
        if found is None:
            return None
        keys, i = self.order[cited.source], found[1]
        n = opened_point(self.text_of.get(keys[i], ""))
        if n is None:
            return None
        here = keys[i]
        for key in keys[i + 1:]:
            if self.title_of.get(key) != self.title_of.get(here) or \
                    self.speech_of.get(key) != self.speech_of.get(here) or \
                    opened_point(self.text_of.get(key, "")) != n + 1:
                break
            n += 1
        return n

    def share_in(self, hits: list[Hit], prior: dict[str, float], depth: int = 3) -> float:
        """Share of the first hits that lie in the article or speech under discussion."""
        top = hits[:depth]
        return sum(prior.get(h.chunk.key, 0.0) >= PRIOR_ARTICLE * EARLIER_FACTOR
                   for h in top) / len(top) if top else 0.0


# -- reading a question ------------------------------------------------------------------------
@dataclass
class Reading:
    """How a question is read: standalone, or a follow-up completed from the conversation."""

    follow_up: bool
    search_query: str
    context_from: list[int] = field(default_factory=list)
    prior: dict[str, float] = field(default_factory=dict)
    reason: str = ""  # why, in a few words (logged; useful when tuning)
    referent: bool = False  # names what was discussed ("那次通话", "that meeting")
    # The question without the words that point back ("他在那次通话中…" -> "在中…"): what the
    # passages themselves must say; the rest the conversation says (for the abstention).
    evidence_text: str = ""
    bare: bool = False  # names nothing the conversation has not ("他们哪天通的电话？")
    # the words it names that the conversation has not ("他在电话里还提到对方议会做了什么？": 议会)
    new_words: tuple[str, ...] = ()
    said: frozenset[str] = frozenset()  # the passages the last answer quoted
    answer: str = ""  # the one its first quote is of: what it answered with
    speaker: str | None = None  # whose words the conversation asks for (rag/speaker.py)
    # The passage a question stepping on or back from the last quote asks for ("他接着去了哪
    # 里？", "And before that?"): the next or the previous one, or move, in its article; or the
    # point of the quoted list that a short ordinal follow-up asks ("那第二条呢？").
    sequel: str | None = None
    # the passages under discussion of another day than the one a question asks of ("那天他还
    # 去了哪里？" after the city brain of 3月31日: the stops of 3月29日 and 3月30日)
    other_days: frozenset[str] = frozenset()


def topic(turns: list[Turn]) -> list[int]:
    """The turns (1-based) the conversation's current topic spans: the last turn and those it
    drew on, as each answer recorded; a turn without a record stands for itself."""
    if not turns:
        return []
    last = len(turns)
    if asked_of_counterpart(turns[-1]):
        return [last]  # "那西班牙首相呢？": the last question's frame, of a topic of its own
    return sorted({*turns[-1].context_from, last})


def asked_of_counterpart(turn: Turn) -> bool:
    """Whether a turn was the last question asked of something else ("那西班牙首相呢？", read
    as "习近平是哪天和西班牙首相通电话的？"): its search was that question, not a query completed
    from the conversation, which ends with the question as asked."""
    return with_counterpart_form(turn.question) and turn.question not in turn.search_query


# A question going back to what was discussed before the last topic ("再说回刚才那个座谈会：…",
# "Going back to the part on social stability, …"); not "回到家乡", nor "write back to him".
_BACK = re.compile(r"(?:说|讲|聊|问)回(?:到)?|回到(?:刚才|前面|之前|最初|一开始|开头|最开始)|"
                   r"\b(?:go|going|come|coming|get|getting|turn|turning) back to\b|"
                   r"\breturning to\b|^\s*back to\b", re.IGNORECASE)


def goes_back(question: str) -> bool:
    """Whether the question returns to the topic before the last one."""
    return bool(_BACK.search(question))


_POINT_WORD = re.compile(r"第[\d一二三四五六七八九十]+[点条项个]?")


def read(question: str, turns: list[Turn], articles: Articles, alone_hits: list[Hit],
         alone_confidence: float, chinese_words: Callable[[str], str] | None = None,
         relative: bool = False) -> Reading:
    """Decide whether `question` continues the conversation and, if so, what to search.

    `alone_hits` and `alone_confidence` (the calibrated probability that the corpus answers)
    come from searching the question by itself: the evidence for a new, self-contained topic.
    `chinese_words` renders English words in the documents' words (Retriever.chinese_words),
    for a completed query that mixes the languages (`compose_query`). `relative`: the day
    the question names is the conversation's, written out from "第二天", "the day before"
    (`with_days`): it points back like "那次", and is no topic of its own."""
    if not turns:
        return Reading(False, question, reason="no history")
    span = topic(turns)
    own = topic_words(question, articles.mentions)
    if goes_back(question) and span[0] > 1:
        # "再说回刚才那次常委会：…", "Going back to the part on…": the topic before the detour
        span = topic(turns[: span[0] - 1])
    elif (back := named_earlier(own, turns, span, chinese_words)) is not None:
        # "What did Xi say about Italy's medical supplies in that first call?" after a detour
        # to Spain's: the topic of the earlier turn that named Italy
        span = topic(turns[:back])
    answered = [turns[t - 1] for t in span if not turns[t - 1].abstained and turns[t - 1].cited]
    last = turns[span[-1] - 1]
    prior: dict[str, float] = {}
    # "Who chaired that symposium?" after a question on the speech given at it: the meeting's
    # report, another article, names the chair; it is as much the topic as the speech.
    # So is the speech printed whole for "讲话最后他提了3点要求，第一点是什么？" after a quote of
    # the meeting's report: the place asked in a speech is in its full text.
    position = asked_position(question)
    event = PRIOR_ARTICLE if role_verb(question) or (position and position.where) \
        else EVENT_WEIGHT
    for t in answered:
        factor = 1.0 if t is last else EARLIER_FACTOR
        for k, w in articles.prior(t.cited, factor, event).items():
            prior[k] = max(prior.get(k, 0.0), w)
    if not answered and last.closest:
        # "Which hospital did Xi visit in Wuhan on March 10?" abstained on, then "What else did
        # he do there?": the passage it found closest (the Wuhan speech) says what was asked
        # about, a little
        prior = articles.prior(last.closest, CLOSEST_FACTOR, event)
    strong, weak = cues(question)
    said = frozenset(found[0] for c in last.cited if c.char_start is not None
                     for found in [articles.at.get((c.source, c.char_start))] if found)
    labels = " ".join(f"{c.title or ''} {c.attribution or ''}" for c in last.cited)
    if last.cited and (kind := asks_another_event(question, labels)) is not None:
        # "And when did he write back to the community workers there?" after a visit's speech:
        # a letter, which the visit is not; asked as it stands ("there" and "he" say little)
        return Reading(False, question, reason=f"asks of a {kind}, which the topic is not")
    naming = question if has_cjk(question) else chinese_words(question) if chinese_words else ""
    if last.cited and articles.names_another_side(naming, last.cited):
        return Reading(False, question, reason="names another side than the one discussed")
    referent = definite(question) or relative
    in_topic = articles.share_in(alone_hits, prior) if prior else 0.0
    carried = _carried_words(turns, span, articles.mentions)
    # the place asked in a list ("那第六点呢？": 第六) is no topic of its own
    new_words = [w for w in own if not any(w in c or c in w for c in carried)
                 and not _POINT_WORD.fullmatch(w)]
    # A name the passages under discussion say, though no question or answer has named it yet
    # ("What did it ask the provinces around Hubei…?" about a meeting whose report names 湖北),
    # makes no topic of its own; a day does ("What did the February 14 meeting say…?" asks
    # as it stands, whatever the last meeting was).
    topic_keys = _topic_keys(prior)
    own_topic = [w for w in new_words if _is_date(w) or
                 not articles.said_in(w if has_cjk(w) else _rendered(w, chinese_words),
                                      topic_keys)]
    confident = alone_confidence >= NEW_TOPIC_CONFIDENCE
    if not has_cjk(question):
        # An English question's probability says little (0.83-0.88 on dev for answerable and
        # unanswerable alike): it has a topic of its own only when it names someone or a day
        # the conversation has not ("What did the other president thank China for?" does not).
        confident = confident and any(_person(w) or _is_date(w) for w in own_topic)
    elsewhere = confident and in_topic == 0.0  # its own topic, found somewhere else
    if referent:
        # "那次通话", "that meeting": what was discussed, unless the question dates its own
        # topic and finds it elsewhere ("2月14日那次会议…" after a question on another day).
        own_date = any(_is_date(w) for w in new_words) and not relative
        follow = not (elsewhere and own_date)
        reason = "names what was discussed" if follow else \
            "names a dated topic of its own that retrieves confidently"
    elif strong:
        # A pronoun refers back, unless the question names a topic of its own that it
        # finds confidently elsewhere ("他在植树活动中种了哪些树？" after a Wuhan question,
        # "In his February 3 speech, …" after another day's).
        # A topic of its own is a word the documents use in a few places ("植树"), not one
        # they use everywhere ("他接着说中方要同哪些国家加强防控合作？": 中方, 国家, 合作).
        specific = [w for w in own_topic if 2 <= articles.occurrences(w) <= SPECIFIC_WORD_MAX]
        follow = not (elsewhere and (specific or
                                     any(_person(w) or _is_date(w) for w in own_topic)))
        reason = "cue" if follow else "cue, but its own topic retrieves confidently"
    elif confident and not (has_cjk(question) and alone_hits and alone_hits[0].chunk.key in said):
        follow = False
        reason = "retrieves confidently alone"
    elif confident:
        # "一路上游客们有什么反应？" after a question on that visit: what it finds first alone
        # is the passage the last answer quoted (any passage of its article was too wide: a
        # new chat's first question on the same speech was read as continuing the last).
        follow = True
        reason = "retrieves confidently the passage just quoted"
    else:
        # Weak alone: a follow-up when a word points back, when what it finds lies in the
        # article under discussion, or when it names next to nothing of its own.
        # An English question's topic words are its names and days, so one about anything else
        # named next to nothing: by its words ("Which kinds of poverty alleviation were growing
        # fast…?" after a question on another speech), with no cue, it asks anew.
        # Of an English question naming no name or day of its own, the words the passages under
        # discussion say too ("Which local official was the first to speak over the video
        # link?" after the symposium held by video) are not its own; one naming some ("Which
        # trees did Xi Jinping plant in the 2020 Beijing tree-planting event?" after a long
        # speech, which says most everyday words) keeps them all.
        english = [] if has_cjk(question) else english_content_words(question)
        if not new_words:
            english = [w for w in english
                       if not articles.said_in(_rendered(w, chinese_words), topic_keys)]
        own_says = len(new_words) > 2 or len(english) >= EN_OWN_WORDS \
            or any(has_cjk(w) and not _is_date(w) and (_place_or_day(w) or _person(w))
                   for w in new_words)  # a place or person of its own ("访问日本…")
        follow = bool(weak) or in_topic > 0 or not own_says
        reason = "retrieves weakly alone" + (", weak cue" if weak else "") + \
            (", finds the article under discussion" if in_topic > 0 else "")
    if not follow:
        return Reading(False, question, reason=reason)
    carried = without_other_days(carried, question, new_words)
    first = articles.place_of(last.cited[0]) if last.cited else None
    if said and said <= articles.latin and not has_cjk(question):
        # An English follow-up about an English document: its words are the document's own;
        # Chinese ones would lead it into Chinese passages ("Who opened it?" -> 开放).
        chinese_words = None
    # A question stepping on or back ("他接着去了哪里？", "And before that?"): from stop to stop
    # of a visit, or to the very next passage when it asks nothing of its own ("然后呢？"; not
    # "随后那次会议要求把什么作为整治的关键？", whose answer lies further on).
    # After an abstention ("那家民宿的主人叫什么名字？" -> no answer), from the last quote given.
    stepped = answered[-1] if answered else last
    step = asked_step(question) if stepped.cited and not stepped.abstained else 0
    moves = bool(step) and steps_by_moves(question, stepped.cited[0], articles)
    # "那天之前他在湖州看了哪个村？" names its own place: it is found by its words, not by
    # stepping back from the last quote (seen in the browser: the stop before, in Hangzhou).
    # The place it leaves ("离开余村以后他又去了哪里？") is where it steps from.
    leaving = _LEAVING.search(question)
    if any(_place_or_day(w) for w in new_words if not (leaving and w in leaving.group())):
        step = 0
    sequel = articles.step(stepped.cited[0], step, moves, bool(leaving)) \
        if step and (moves or not new_words) \
        else None
    position = asked_position(question)
    if sequel is None and position and len(position.points) == 1 and not position.whole_list \
            and not new_words and len(english_content_words(question)) <= POINT_WORDS \
            and stepped.cited and not stepped.abstained:
        # "那第二条呢？", "And the third one?" after a quote of "四是…": the same list's point,
        # not another list's; a question naming its list ("At the end of that speech he gave
        # three requirements. What was the second?") is found by its words.
        sequel = articles.sibling_point(stepped.cited[0], position.points[0])
    query = compose_query(question, turns, span, carried, chinese_words)
    # What the passages must say: the question without its pointers, the conversation saying
    # the rest through the passages it cited (`prior`). With none cited (the last answer was
    # abstained on: "一共种了多少棵树？" then "他都种了哪些树？"), the earlier questions say it
    # (a Chinese query: an English question's is completed in both languages).
    evidence = query if not prior and has_cjk(question) else without_references(question)
    return Reading(True, query, span,
                   prior, reason, referent, evidence, bare=not new_words,
                   new_words=tuple(new_words),
                   said=said, answer=first[0] if first else "", sequel=sequel,
                   other_days=_of_other_days(question, last, prior, articles),
                   speaker=asked_speaker(question) or next(
                       (who for t in reversed(answered) if (who := asked_speaker(t.question))),
                       None))


def named_earlier(own: list[str], turns: list[Turn], span: list[int],
                  chinese_words: Callable[[str], str] | None = None) -> int | None:
    """The latest turn before the current topic whose question or quotes' attributions name
    someone or somewhere among a question's topic words (`own`, `topic_words`) that the current
    topic does not ("Italy" after a chat went from the call with Italy to the call with Spain);
    None when there is none."""
    if not span or span[0] <= 1:
        return None
    names = [w for w in own if not _is_date(w) and (_person(w) or _place_or_day(w))]
    if not names:
        return None

    def said(turn: Turn) -> str:
        return " ".join([turn.question, *(f"{c.title or ''} {c.attribution or ''}"
                                          for c in turn.cited)])

    forms = [[w] if has_cjk(w) else _rendered(w, chinese_words) + [w] for w in names]
    current = " ".join(said(turns[t - 1]) for t in span)
    new = [f for f in forms if not any(x in current for x in f)]
    for t in range(span[0] - 1, 0, -1):
        if any(x in said(turns[t - 1]) for f in new for x in f):
            return t
    return None


def english_content_words(question: str) -> list[str]:
    """The words of an English question that say what it is about (no question or function
    words, no pronouns, no Xi)."""
    return [w for w in _EN_WORD.findall(question.lower()) if w not in _EN_STOP and len(w) > 2]


def english_without_references(question: str) -> str:
    """An English question less its references to what was discussed ("that call", "the
    king", "there"): the conversation names those, and the dictionary would render them
    word by word ("call" as 号召)."""
    return re.sub(r"\s{2,}", " ", _EN_DEFINITE.sub(" ", question)).strip()


def without_references(question: str) -> str:
    """The question less its pronouns and its references to what was discussed, with the
    noun they name ("那次通话", "这封信", "会上"): the conversation answers those, not the
    passage, so they are not looked for in it."""
    if not has_cjk(question):
        return question  # English evidence is by meaning only (rag/abstention.py)
    return _ZH_REFERENCE.sub(" ", question)


def _opens_sentence(text: str, at: int) -> bool:
    return not text[:at].strip() or text[:at].rstrip()[-1] in ".?!:;\"“"


def _topic_keys(prior: dict[str, float]) -> list[str]:
    """The passages of the articles and speeches under discussion (by their prior)."""
    return [k for k, w in prior.items() if w >= PRIOR_ARTICLE * EARLIER_FACTOR]


def _rendered(word: str, chinese_words: Callable[[str], str] | None) -> list[str]:
    """An English topic word in the documents' words ("Hubei" -> 湖北, 湖北省)."""
    return chinese_words(word).split() if chinese_words is not None else []


def _person(word: str) -> bool:
    """Whether a topic word names someone: an English name ("Macron": English topic words are
    names; an acronym, "UN", "G20", "WHO", names an organisation), or a Chinese one by jieba's
    tags. A pronoun beside a new person ("their call with Macron") points at that person, not
    back at the conversation."""
    if not has_cjk(word):
        return word[:1].isupper() and not word.isupper() and not _is_date(word)
    from .segment import name_tag

    return name_tag(word) in ("nr", "nrfg", "nrt")


# An office after a country's name, which jieba may keep as one word ("日本首相")
_OFFICES = "首相|总统|总理|国王|女王|主席|领导人|政府|外长|大使"
_OFFICE = re.compile(f"(?:{_OFFICES})$")


def _place_or_day(word: str) -> bool:
    """Whether a topic word names a place or a day (湖州, 3月30日, "Huzhou", "March 30"), or an
    office of a place ("日本首相": another country's leader is a topic of its own)."""
    if _is_date(word):
        return True
    if not has_cjk(word):
        return word[:1].isupper()
    from .segment import name_tag

    office = _OFFICE.search(word)
    return name_tag(word) == "ns" or \
        bool(office and office.start() >= 2 and name_tag(word[:office.start()]) == "ns")


def _is_date(word: str) -> bool:
    return bool(_ZH_DATE.fullmatch(word) or _EN_DATE.fullmatch(word))


def _carried_words(turns: list[Turn], span: list[int],
                   occurs: Callable[[str], bool] | None = None) -> list[str]:
    """The content words of the topic's questions, first question first."""
    words: list[str] = []
    for t in span:
        words += topic_words(turns[t - 1].question, occurs)
    return _unique(words)[:MAX_TERMS]


def without_other_days(carried: list[str], question: str,
                       own_words: list[str] | None = None) -> list[str]:
    """The carried words, or only the people among them when the question names a day or a
    place of its own that the conversation's days or places are not: "When Xi visited Yu
    village on March 30, what did he say…?" after a question on his March 29 stop in the same
    long report, or "那天之前他在湖州看了哪个村？" after one on Hangzhou, asks of another stop,
    not of the port or the city brain (the article under discussion still leads to it).
    `own_words`: the question's topic words the conversation has not (its places)."""
    own = question_dates(question)
    days = {d for w in carried if _is_date(w) for d in question_dates(w)}
    if own and days and not days & own:
        return [w for w in carried if _person(w)]
    places = [w for w in own_words or [] if has_cjk(w) and _place_or_day(w) and not _is_date(w)]
    carried_places = [w for w in carried if has_cjk(w) and _place_or_day(w) and not _is_date(w)]
    if places and carried_places and not set(places) & set(carried_places):
        return [w for w in carried if _person(w)]
    return carried


def compose_query(question: str, turns: list[Turn], span: list[int], carried: list[str],
                  chinese_words: Callable[[str], str] | None = None) -> str:
    """The standalone query: what the topic is about, then the question as asked, in the
    documents' words when `chinese_words` is given (`in_chinese`)."""
    parts = list(carried)
    last_cited = next((turns[t - 1].cited[0] for t in reversed(span)
                       if turns[t - 1].cited and not turns[t - 1].abstained), None)
    if last_cited is not None:
        # A passage with an attribution is an excerpt of the speech, letter or call it names;
        # its title is then the heading of the compilation's section ("一、在内事活动中的重要
        # 讲话、指示等"), words that are about everything in it (dev follow-ups 0.71 -> 0.73).
        title = None if last_cited.attribution else last_cited.title
        for label in (title, last_cited.attribution):
            if label and not any(label in p for p in parts):
                parts.append(label)
    parts = [p for p in parts if p not in question]
    query = " ".join([*parts, question]).strip()
    return in_chinese(query, question, chinese_words) if chinese_words else query


def in_chinese(query: str, question: str, chinese_words: Callable[[str], str]) -> str:
    """A completed query that mixes the languages, made searchable in Chinese text.

    The search translates an English query by itself, but not one that already holds the
    conversation's Chinese words: an English follow-up's own words are added in Chinese. A
    Chinese follow-up to an English question carries English words ("March 10 Hubei") that
    match nothing in Chinese text; their Chinese words (3月10日 湖北) replace them."""
    if not has_cjk(question):
        words = chinese_words(english_without_references(question))
        return f"{query} {words}" if words else query
    if not _LATIN.search(query):
        return query
    words = chinese_words(" ".join(_LATIN.findall(query)))
    return re.sub(r"\s+", " ", f"{_LATIN.sub(' ', query)} {words}").strip()



def search_follow_up(retriever, question: str, own, reading: Reading, top_k: int,
                     sources: tuple[str, ...] = ()):
    """A follow-up's passages: the question's own search (`own`, already done), fused with
    the same question leaning towards the article under discussion and with the completed
    query. Hits keep the question's own evidence (cosines, words) where it found them."""
    from .retrieval import rrf

    leaning, context = (PRIOR_WEIGHT, CONTEXT_WEIGHT) if has_cjk(question) else \
        (PRIOR_WEIGHT_EN, CONTEXT_WEIGHT_EN)
    runs = [(own, 1.0 if has_cjk(question) else OWN_WEIGHT_EN)]
    if reading.prior:
        # "What else did he do there?": within the topic, the passages telling deeds ("察看",
        # "看望", "交流"), which the question's own words ("do") do not find
        lean = f"{question} {DEED_WORDS}" if asks_deeds(question) else question
        sequel = (reading.sequel,) if reading.sequel else ()
        runs.append((retriever.search(lean, top_k, sources, reading.prior, sequel), leaning))
    runs.append((retriever.search(reading.search_query, top_k, sources), context))
    k = retriever.settings.rrf_k
    fused = rrf([([h.chunk.key for h in r.hits], w) for r, w in runs], k)
    found: dict[str, Hit] = {}
    # A hit keeps the evidence (cosines, words) of the question's own search; with nothing
    # cited to lean on (the last answer was abstained on), that of the completed query, which
    # says what the question is about.
    for r, _ in (runs if reading.prior else runs[::-1]):
        for h in r.hits:
            found.setdefault(h.chunk.key, h)
    bonus = REFERENT_BONUS if reading.referent else 0.0
    if bonus:
        # "这封信里他希望他们怎么做？": the letter discussed, and not another letter (the one to
        # the Peking University medical team says "希望你们…" too) that nothing ties to it
        kinds = events_asked(question)
        for key in fused:
            if in_topic(key, reading):
                fused[key] += bonus / (k + 1)
            elif kinds and reading.prior and key not in reading.prior and \
                    _labels_any(kinds, found[key].chunk):
                fused[key] -= bonus / (k + 1)
    if asks_date_of_referent(question, reading):
        # "这封信是哪天写的？", "When was that call?": the passages under discussion that carry
        # a date (in the text, a letter's sign-off or an attribution line) hold the answer.
        for key in fused:
            if in_topic(key, reading) and states_date(found[key]):
                # More when the quote itself gives it (a sign-off, the attribution line right
                # below): what the reader checks is the quote.
                quoted = found[key].quoted().quote_span()[0]
                fused[key] += DATED_BONUS * (1.0 if states(DATE, quoted) else 0.25) / (k + 1)
        bonus += DATED_BONUS
    if wants_the_topic(question, reading):
        # "他在那里还做了什么？", "What else did he say in that call?": the question's own words
        # ("call", "say") match every call; any passage of the one discussed answers it, but
        # those the last answer quoted say nothing more, and those another speaker opens
        # ("默克尔表示，" after "What did Xi tell Merkel?") are not what "he" said.
        said = [found[key] for key in reading.said if key in found]
        for key in fused:
            if key in reading.said or repeats(found[key], said):  # or the same in another file
                fused[key] -= TOPIC_BONUS / (k + 1)
            elif in_topic(key, reading) and \
                    passage_speaker(found[key].quoted().text) in (None, reading.speaker):
                fused[key] += TOPIC_BONUS / (k + 1)
        bonus += TOPIC_BONUS
        if asks_deeds(question):
            # "他在那里还做了什么？", "What else did he do there?": of the topic's passages, those
            # that tell what was done ("察看了…，同…交流", "前往…考察，听取…汇报"), not what was said.
            for key in fused:
                if in_topic(key, reading) and key not in reading.said and \
                        reports_deeds(found[key].quoted().text):
                    fused[key] += TOPIC_BONUS / (k + 1)
            bonus += TOPIC_BONUS
    if (asked_speaker(question) == OTHER or (reading.speaker == OTHER and
                                             pronoun_says(question))) and reading.prior:
        # "对方对此是怎么表态的？", "What did the other president thank China for?": in the call
        # or meeting under discussion, the passages that open with the other side's words; and
        # "他对中方的援助又是怎么说的？" after "杜达在那次通话中怎么评价…？": his, the other side's.
        theirs = [key for key in fused if in_topic(key, reading) and
                  passage_speaker(found[key].quoted().text) == OTHER]
        for key in theirs:
            fused[key] += OTHER_SIDE_BONUS / (k + 1)
        bonus += OTHER_SIDE_BONUS
        # what the last answer said (its first quote; else all it quoted), whether or not this
        # question's searches found it again
        said = [retriever.locations[key][0].text
                for key in ([reading.answer] if reading.answer else reading.said)
                if key in retriever.locations]
        if theirs and said and _REPLY.search(question) and not replies_to_its_own(question):
            # "对此", "How did he respond?": the reply takes up what was said ("维护好在英中国
            # 公民" -> "将尽力照顾好在英中国公民"), more than the rest of their words.
            asked = tokens(" ".join(said))
            reply = max(theirs, key=lambda key: overlap(asked, found[key].chunk.text))
            if overlap(asked, found[reply].chunk.text) > 0:
                fused[reply] += OTHER_SIDE_BONUS / (k + 1)
                bonus += OTHER_SIDE_BONUS
    bylined: list[str] = []
    if reading.prior and asks_publication(question) and _THIS_TEXT.search(question):
        # "这篇会议报道刊登在哪份报纸上？": the byline of the article under discussion ("《 人民日报 》
        # （ 2020年02月24日 01 版）", fresh chat d78c05.3), which its other passages outrank; it
        # stands where the question points (`placed`), and answers it. Not "那些署名文章分别
        # 发表在哪些外国报刊上？" (dev chat d5c12.3): other texts the article tells of.
        lifted = retriever.lifted_for(question)
        bylined = [key for key in fused if key in lifted and in_topic(key, reading)]
        for key in bylined:
            fused[key] += TOPIC_BONUS / (k + 1)
        bonus += TOPIC_BONUS if bylined else 0.0
    for key in reading.other_days & fused.keys():
        # "那天他还去了哪里？" after the city brain of 3月31日: not a stop the report tells under
        # another day of the visit ("3月29日，习近平前往宁波舟山港…", seen in the browser)
        fused[key] -= OTHER_DAY_PENALTY / (k + 1)
    if reading.sequel in fused:
        # "他接着去了哪里？", "And before that?": the passage after (before) the last quote.
        fused[reading.sequel] += SEQUEL_BONUS / (k + 1)
        bonus += SEQUEL_BONUS
    position = asked_position(question) if retriever.settings.position_weight else None
    placed: list[str] = []
    if position and reading.prior:
        # "第二点倡议呢？", "And at the end of that speech?": within the speech under discussion,
        # the passage standing at that place.
        placing = {key: weight for key in fused if in_topic(key, reading) and
                   (weight := retriever.place_weight(position, key, found[key].quoted().text))}
        placed = list(placing)
        for key, weight in placing.items():
            fused[key] += POSITION_BONUS * weight / (k + 1)
        bonus += POSITION_BONUS if placed else 0.0
    # Scored as the fusion ranks them, on the scale of a single search (1: first in every
    # ranking): a passage one ranking misses is not scored as if it had been found wanting.
    best = (sum(w for _, w in runs if w > 0) + bonus) / (k + 1)
    hits = [dataclasses.replace(found[key], score=min(1.0, fused[key] / best))
            for key in sorted(fused, key=fused.get, reverse=True)]
    timings = {n: sum(r.timings_ms.get(n, 0.0) for r, _ in runs) for n in own.timings_ms}
    return dataclasses.replace(own, hits=hits, timings_ms=timings,  # the question's own rest
                               placed=frozenset(placed + bylined))


def _labels_any(kinds: list[str], chunk: Chunk) -> bool:
    """Whether a passage's title or attribution names an event of one of `kinds` (a letter)."""
    labels = f"{chunk.title or ''} {chunk.attribution or ''}"
    return any(labels_event(kind, labels) for kind in kinds)


def in_topic(key: str, reading: Reading) -> bool:
    """Whether a passage lies in the article or speech under discussion."""
    return reading.prior.get(key, 0.0) >= PRIOR_ARTICLE * EARLIER_FACTOR


def topic_share(hits: list[Hit], reading: Reading, depth: int = 3) -> float:
    """Share of the first passages that lie in the article or speech under discussion."""
    top = hits[:depth]
    return sum(in_topic(h.chunk.key, reading) for h in top) / len(top) if top else 0.0


def asks_date_of_referent(question: str, reading: Reading) -> bool:
    """A question asking when the thing under discussion happened ("这次通话是哪天？",
    "When did they speak?"), not something it tells of ("他提到的那次座谈会是哪天开的？")."""
    return (reading.referent or reading.bare) and DATE in asked_kinds(question) and \
        not asks_mentioned_date(question)


def states_date(hit: Hit) -> bool:
    """Whether a passage as shown (title, quote, sign-off, attribution) gives a date."""
    return states_signed(DATE, hit.shown(), hit.signed)


def first_in_topic(hits: list[Hit], reading: Reading) -> bool:
    """Whether the first passage lies in the article or speech under discussion."""
    return bool(hits) and in_topic(hits[0].chunk.key, reading)


def dated_referent(question: str, hits: list[Hit], reading: Reading) -> float:
    """1 when the question asks the date of what was discussed and the first passage, from
    the article or speech under discussion, gives one (a day, when the question asks which
    day: "那2019年在重庆开的那次，具体是几月几号？" is not answered by "2019年在重庆召开…"): the
    conversation answers it."""
    return float(asks_date_of_referent(question, reading) and first_in_topic(hits, reading)
                 and states_own_date(question, f"{hits[0].shown()} {hits[0].signed}"))


def says_its_words(question: str, hits: list[Hit], reading: Reading) -> bool:
    """True when a Chinese follow-up names things of its own and the first passage, from the
    article under discussion, says every one of them ("他在电话里还提到对方议会做了什么？" and
    "…国民议会和参议院分别通过决议…"): the conversation names the rest. Not for a count or a
    date, which the passage must state (`counted_referent`, `dated_referent`): "那些港口和检验
    检疫收费，他说要降低多少？" names what a passage says and asks a number it does not give."""
    if not reading.new_words or not has_cjk(question) or asked_kinds(question) & {COUNT, DATE} \
            or not first_in_topic(hits, reading):
        return False
    said = squeeze(hits[0].quoted().quote_span()[0])
    # A year or number of its own is the surest of them ("他还提到自己2016年就提出过什么主
    # 张？" and "我在2016年就提出，…"): said, it is the thing asked about, however it is worded.
    figures = [w for w in reading.new_words if re.search(r"\d", w)]
    return all(w in said for w in (figures or reading.new_words))


def dated_mention(question: str, hits: list[Hit], reading: Reading) -> bool:
    """True when a Chinese follow-up asks the day of something it names that the article under
    discussion tells of ("会前常委会是哪天开的？" about the April 17 meeting's report) and a
    sentence of the first passage, from that article, names it and gives a day ("4月15日，习近
    平总书记主持召开中央政治局常委会会议，…"). Not the day of what was discussed itself
    (`dated_referent`)."""
    if not reading.new_words or reading.referent or not has_cjk(question) or \
            DATE not in asked_kinds(question) or not first_in_topic(hits, reading):
        return False
    sentences = sentence_texts(squeeze(hits[0].quoted().text))
    return any(all(w in s for w in reading.new_words) and states(DATE, s) for s in sentences)


_QUOTED_SAYING = re.compile(r"“[^”]{4,30}”")


def quotes_its_saying(question: str, hits: list[Hit], reading: Reading) -> bool:
    """True when a follow-up asks which saying or line the article under discussion used
    ("这篇文章讲到北京的时候，引用了哪句话来说明首都的分量？") and the first passage, from that
    article and saying one of the question's own words if it has any, quotes one
    ("“首都安全稳定直接关系党和国家工作大局”。北京作为首都，…")."""
    if not asks_saying(question) or not first_in_topic(hits, reading):
        return False
    text = squeeze(hits[0].quoted().text)
    if reading.new_words and not any(w in text for w in reading.new_words):
        return False
    return bool(_QUOTED_SAYING.search(text)) or \
        any(is_saying(s) for s in sentence_texts(text))


def counted_referent(question: str, hits: list[Hit], reading: Reading) -> bool:
    """True when the question counts a named thing of what was discussed ("那个车站每天停靠几对
    动车？") and the first passage, from the article under discussion, states a number of it
    ("每日停靠动车组列车8对"); not a sum of money, which any price in it would seem to state."""
    if not (reading.referent or reading.bare) or not has_cjk(question) \
            or not first_in_topic(hits, reading):
        return False
    pattern = counted_thing(question)
    return pattern is not None and pattern is not MONEY and bool(pattern.search(hits[0].shown()))


def of_the_day_discussed(question: str, hits: list[Hit], reading: Reading) -> bool:
    """True when the question asks where else (or what else) on the day discussed ("那天他还去
    了哪里？" after the city brain of 3月31日), the report tells of several days, and the first
    passage, from it, is of that day and not yet quoted (the wetland): it answers. Not a count
    or a time ("How long did he spend at the wetland that day?")."""
    kinds = asked_kinds(question)
    return bool(reading.other_days) and first_in_topic(hits, reading) and \
        hits[0].chunk.key not in reading.other_days | reading.said and \
        (PLACE in kinds or asks_deeds(question)) and not kinds & {COUNT, DATE, TIME}


@functools.cache
def load_follow_up_weights(path: Path = FOLLOW_UP_WEIGHTS) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"in_topic": 0.0}  # not fitted: a follow-up is judged as any question


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _base_model(weights: dict) -> dict | None:
    """The question-level model the follow-up weights were fitted over ("question_model": the
    weights and threshold of each language), None for the one in rag/abstention.json."""
    model = weights.get("question_model")
    return model if model and all(isinstance(m, dict) for m in model.values()) else None


def conversation_probability(evidence: Evidence) -> float:
    """The question-level probability by the model the conversation's rules were tuned over
    (the follow-up weights' own, `_base_model`): whether a question asked alone is answered
    confidently enough to start a new topic (`read`) is judged on the scale it was set on."""
    return answer_probability(evidence, _base_model(load_follow_up_weights()))


def follow_up_probability(question: str, evidence: Evidence, hits: list[Hit], reading: Reading,
                          weights: dict | None = None) -> float:
    """The probability that the documents answer a follow-up: the question-level one (of the
    model the weights were fitted over), its log-odds raised by calibrated weights of the share
    of its first passages in the article or speech under discussion, and of a date asked of
    that article found in it."""
    weights = weights or load_follow_up_weights()
    z = _logit(answer_probability(evidence, _base_model(weights))) + \
        weights["in_topic"] * topic_share(hits, reading) + \
        weights.get("dated_referent", 0.0) * dated_referent(question, hits, reading)
    return 1.0 / (1.0 + math.exp(-z))


def follow_up_relief(question: str, evidence: Evidence, hits: list[Hit],
                     reading: Reading, placed: frozenset[str] = frozenset()) -> float:
    """How far below the question-level threshold this follow-up's probability may fall and
    still be answered: the same decision as `follow_up_probability` against the threshold,
    except for a request for more of the topic (`asks_for_more`), for the other side's
    words in the call under discussion (`asks_their_reply`) or for its date when the first
    passage, from it, gives one (`dated_referent`: "这封回信的落款日期是哪天？"), and for a question whose
    first passage stands where it points in the speech under discussion (`placed`: "他讲话
    结尾喊了什么口号？"), which are answered."""
    if asks_for_more(question, hits, reading) or (hits and hits[0].chunk.key in placed) or \
            asks_their_reply(question, hits, reading) or dated_referent(question, hits, reading) \
            or counted_referent(question, hits, reading) or says_its_words(question, hits, reading) \
            or dated_mention(question, hits, reading) or quotes_its_saying(question, hits, reading) \
            or of_the_day_discussed(question, hits, reading) \
            or bool(hits and reading.sequel and hits[0].chunk.key == reading.sequel):
        return 1.0
    weights = load_follow_up_weights()
    # A Chinese follow-up's own words are few ("为了保物资运输，他说建立了什么？"): the question-
    # level score, fitted on questions that stand alone, underrates it (rag/follow_up_abstention.json)
    elliptic = weights.get("chinese_relief", 0.0) if evidence.chinese else 0.0
    # How far the follow-up's probability stands above its model's threshold, against how far
    # the question-level one stands above its own (the same model, unless it was refitted
    # since: rag/follow_up_abstention.json keeps the one the weights were fitted over)
    lang = "zh" if evidence.chinese else "en"
    base = _base_model(weights)
    above = follow_up_probability(question, evidence, hits, reading, weights) - \
        (base or load_weights())[lang]["threshold"]
    return above - (answer_probability(evidence) - load_weights()[lang]["threshold"]) + elliptic


# A question that says it starts a new topic ("换个话题：…", "Different question: …"): asked
# alone, whatever it shares with the conversation.
_NEW_TOPIC = re.compile(
    r"^\s*(?:(?:我)?(?:换|换一)个(?:话题|问题)|另(?:外)?一个(?:问题|话题)|新(?:的)?问题|说点别的|"
    r"再问(?:一)?个别的(?:问题)?|(?:a |one )?(?:different|new|unrelated|separate) (?:question|topic)|"
    r"(?:switching|changing) (?:the )?(?:topics?|subject)|(?:on )?(?:a different|another) "
    r"(?:note|topic|subject))\s*[:：,，.。;；!！—–-]+\s*", re.IGNORECASE)


def new_topic(question: str) -> str | None:
    """The question without its "换个话题：" or "Different question:" when it opens with one
    (then it is asked as it stands, not as a follow-up); None when it does not."""
    m = _NEW_TOPIC.match(question)
    rest = question[m.end():].strip() if m else ""
    return rest if rest else None


# A day named relative to the one discussed ("第二天他去了哪个村？", "Where did he go the next
# day?", "前一天他出席了什么？"): the conversation says which.
_NEXT_DAY = re.compile(r"第二天|次日|翌日|隔天|\b(?:on )?the (?:next|following) day\b|"
                       r"\b(?:on )?the day after\b(?!\s+(?:that|the|his|her|their|a|an)\b)", re.I)
_DAY_BEFORE = re.compile(r"前一天|\b(?:on )?the (?:previous|preceding) day\b|"
                         r"\b(?:on )?the day before\b(?!\s+(?:that|the|his|her|their|a|an)\b)",
                         re.I)


def with_days(question: str, turns: list[Turn], articles: Articles) -> str:
    """The question with a day named relative to the one discussed written out: "第二天他去了
    哪个村？" after a question on 3月29日 -> "3月30日他去了哪个村？", "Which village did he go to
    the next day?" -> "… on March 30?". The day discussed is the one the last question names,
    else the first its answer's first quote gives; unchanged when neither says one day."""
    m, step = _NEXT_DAY.search(question), 1
    if m is None:
        m, step = _DAY_BEFORE.search(question), -1
    if m is None or not turns:
        return question
    day = _day_discussed(turns[-1], articles)
    if day is None:
        return question
    moved = shift_day(day, step)
    before = question[:m.start()]
    said = to_chinese(*moved) if has_cjk(question) else \
        f"{'' if before.endswith(' ') else ' '}on {english_day(moved)}"
    return before + said + question[m.end():]


# A question that is only something new in place of what the last question named ("那西班牙首
# 相呢？" after "习近平是哪天和意大利总理孔特通电话的？", "What about Spain?", "And the French
# president?"): the last question, asked of it. Not "第二点呢？", "And the date?" (no name).
_ZH_ELLIPSIS = re.compile(r"^\s*(?:那么?|那在|那对于?)?\s*(?P<np>[^，,。？?！!\s]{2,16}?)\s*呢\s*[？?]?\s*$")
_EN_ELLIPSIS = re.compile(r"^\s*(?:and|what about|how about)\s+(?P<np>[\w .'’-]{2,40}?)\s*[?.]?\s*$",
                          re.IGNORECASE)
_EN_ASKING = re.compile(r"\b(?:what|which|who|whom|whose|how|when|where|why|did|do|does|is|was|"
                        r"were|are|he|she|they|it|that|this|those|these|there|else)\b", re.I)
_EN_ROLE = re.compile(rf"(?:\s+{_ROLE})+", re.IGNORECASE)
_EN_NAMED = re.compile(rf"(?:\bthe\s+)?(?:[A-Z][\w'’-]*\s+)*[A-Z][\w'’-]*(?:{_EN_ROLE.pattern})?|"
                       rf"\bthe\s+(?:[\w-]+\s+)?{_ROLE}\b")
_PLACE_TAGS, _PERSON_TAGS = ("ns", "nz", "nt"), ("nr", "nrt", "nrfg")


def _named_runs(question: str) -> list[tuple[int, int, set[str]]]:
    """The runs of a Chinese question that name someone or somewhere, as (start, end, kinds):
    "意大利总理孔特" is one run, a place and, by its office, a person."""
    from .segment import tagged_words

    runs: list[tuple[int, int, set[str]]] = []
    at, open_run = 0, None
    for word, tag in tagged_words(question):
        start, at = at, at + len(word)
        kind = "place" if tag in _PLACE_TAGS else "person" if tag in _PERSON_TAGS else \
            "office" if re.fullmatch(f"(?:{_OFFICES})", word) else None
        # a name jieba cut apart ("孔", "特") goes on the run it follows
        stray = open_run is not None and len(word) == 1 and _CJK_CHAR.fullmatch(word) and \
            word not in _FUNCTION_CHARS
        if kind or stray:
            kinds = {kind or "person"} | ({"person", "place"} if kind == "office" else set())
            if open_run is None:
                open_run = (start, at, kinds)
            else:
                open_run = (open_run[0], at, open_run[2] | kinds)
        elif open_run is not None:
            runs.append(open_run)
            open_run = None
    if open_run is not None:
        runs.append(open_run)
    return runs


def _counterpart_zh(base: str, new: str) -> str | None:
    if _ZH_DATE.fullmatch(new.strip()):  # "那3月4日呢？": the day the last question names
        day = _ZH_DATE.search(base)
        return base[:day.start()] + new + base[day.end():] if day else None
    kinds = set().union(*(k for _, _, k in _named_runs(new)))
    if not kinds:
        return None
    runs = [r for r in _named_runs(base) if r[2] & kinds]
    if not runs:
        return None
    start, end, _ = runs[-1]
    return base[:start] + new + base[end:]


def _counterpart_en(base: str, new: str) -> str | None:
    day = _EN_DATE.search(new)
    if day:
        old = _EN_DATE.search(base)
        return base[:old.start()] + day.group(0) + base[old.end():] if old else None
    # only a name or a role ("Spain", "the French president"), not a group it names ("the
    # provinces around Hubei": what was asked of them is another question, d49c08.2)
    if not _EN_NAMED.fullmatch(new.strip()):
        return None
    # the last name or role the question gives, past its first word ("What …", "Xi …"), not
    # its day ("April 8")
    days = [d.span() for d in _EN_DATE.finditer(base)]
    named = [m for m in _EN_NAMED.finditer(base) if m.start() > 0 and m.group(0).strip()
             and not any(a <= m.start() < b for a, b in days)]
    if not named:
        return None
    m = named[-1]
    return base[:m.start()] + new.strip() + base[m.end():]


def with_counterpart(question: str, turns: list[Turn]) -> str | None:
    """The last question asked of what this one names instead, when this one is nothing else
    ("那西班牙首相呢？" after "习近平是哪天和意大利总理孔特通电话的？" -> "习近平是哪天和西班牙首相通
    电话的？", "And the French president?" after "What did Xi tell Merkel in their phone
    call?" -> "What did Xi tell the French president in their phone call?"); None for any
    other question, or when the last question names nothing of the kind to put it in place of."""
    if not turns:
        return None
    last = turns[-1]
    # a last question that was itself one of these is read as it was understood
    base = last.search_query if with_counterpart_form(last.question) else last.question
    zh, en = _ZH_ELLIPSIS.match(question), _EN_ELLIPSIS.match(question)
    if zh and has_cjk(base):
        new = zh.group("np")
        if asked_position(new) is not None or _ZH_STRONG.search(new.replace("那", "")):
            return None
        return _counterpart_zh(base, new)
    if en and not has_cjk(base) and not _EN_ASKING.search(en.group("np")):
        new = en.group("np")
        if asked_position(question) is not None:
            return None
        return _counterpart_en(base, new)
    return None


def with_counterpart_form(question: str) -> bool:
    """Whether a question has the form of one `with_counterpart` reads ("那法国呢？")."""
    return bool(_ZH_ELLIPSIS.match(question) or _EN_ELLIPSIS.match(question))


def with_last_point(question: str, turns: list[Turn], articles: Articles) -> str:
    """The question with "the last point" of the list under discussion numbered: "最后一点是什
    么？" after "第三点呢？" answered from "第三，…" of a list that runs to "第六，…" -> "第六点是
    什么？", "And the last one?" -> "And the sixth one?". Unchanged when the last answer's
    quotes are no point of a list."""
    m = asks_last_point(question)
    if m is None or not turns or turns[-1].abstained:
        return question
    n = next((k for c in turns[-1].cited if (k := articles.last_point(c)) is not None), None)
    if n is None:
        return question
    asked = m.group(0)
    said = f"第{'一二三四五六七八九十'[n - 1]}{asked.split('一', 1)[1]}" if has_cjk(asked) \
        else re.sub(r"(?i)\b(?:last|final)\b", EN_ORDINALS[n - 1], asked)  # 最后一项 -> 第六项
    return question[:m.start()] + said + question[m.end():]


def _of_other_days(question: str, last: Turn, prior: dict[str, float],
                   articles: Articles) -> frozenset[str]:
    """For a question asking of the day discussed ("那天", "that day"), the passages under
    discussion (`prior`) that a report tells under another day; none when it asks of no day or
    the day is not known."""
    day = _day_discussed(last, articles) if _THAT_DAY.search(question) else None
    if day is None:
        return frozenset()
    return frozenset(k for k in prior if (at := articles.where.get(k)) is not None
                     and (told := articles.day_at(*at)) is not None and told != day)


def _day_discussed(turn: Turn, articles: Articles) -> MonthDay | None:
    named = question_dates(turn.question)
    if len(named) == 1:
        return next(iter(named))
    found = articles.place_of(turn.cited[0]) if turn.cited else None
    return articles.day_at(turn.cited[0].source, found[1]) if found else None


def in_context(question: str, turns: list[Turn]) -> tuple[str, list[Turn]]:
    """The question and the turns it is read with: none after "换个话题：", which is left out."""
    fresh = new_topic(question)
    return (fresh, []) if fresh is not None else (question, turns)


_ASKS_MORE = re.compile(r"还[^，。？?]{0,8}(?:什么|哪些)|另外[^，。？?]{0,8}(?:什么|哪些)|"
                        r"\bwhat else\b|\bwhat other\b|\bwhat more\b|"
                        # "他在那里强调了什么？", "What did he say there?": what was said there
                        r"(?:说|讲|强调|提出|指出|表示|谈|要求|呼吁|提到)了?(?:些)?(?:什么|哪些)|"
                        # not "What did he say history shows that epidemics lead to?", which asks
                        # a thing of its own
                        r"\bwhat did (?:he|she|they|xi) (?:say|stress|emphasi[sz]e|tell|propose|"
                        r"call for|mention|do)(?: (?:there|then|next|him|her|them|about (?:it|that|"
                        r"this)|(?:in|at|on|during) (?:that|the|this|those) \w+(?: \w+)?))*\W*$",
                        re.IGNORECASE)


# A follow-up stepping on from what was last quoted ("他接着去了哪里？", "And after that?") or
# back from it ("在那之前呢？", "Where did he go before that?").
_AFTER = re.compile(r"接着|随后|然后|之后呢|后来|下一站|再往后|\bnext\b|\bafterwards?\b|"
                    # "那天他还去了哪里？", "Where else did he go?": the next stop
                    r"[还又](?:去|到|来到|前往)了?(?:哪|什么地方)|\bwhere else\b|"
                    r"\bafter (?:that|this|it|leaving|there)\b|^\s*(?:and )?then\b", re.IGNORECASE)
_NEXT_TASK = re.compile(r"\b(?:would|should|could|must|to)\s+\w+\s+next\b", re.IGNORECASE)
_BEFORE = re.compile(r"(?:那|这|此|他|她)之前|之前(?:呢|他|她|去|到|在|还)|此前|先前|"
                     r"\bbefore (?:that|this|it|then|there)\b|\bprior to (?:that|this)\b|"
                     r"\b(?:earlier|previously)\s*[?.!]*$", re.IGNORECASE)
_WHERE = re.compile(r"哪里|哪儿|哪个地方|何处|什么地方|哪[个家所座]|去了|来到|前往|\bwhere\b|"
                    r"\b(?:go|went|visit|visited|head|headed|stop|travel|travelled|traveled)\b",
                    re.IGNORECASE)
_SAYS = re.compile(rf"说|讲|强调|指出|表示|提出|谈|\b{SAY_VERBS}\b", re.IGNORECASE)
# A passage that reports a move: "离开港区，习近平前往…", "习近平接着来到…", "随后，习近平乘车
# 来到…", "杭州西溪国家湿地公园是全国首个国家湿地公园。3月31日，…习近平来到这里".
# "after leaving the port area", "离开港区后": from the place, to the passage saying he left it
_LEAVING = re.compile(r"\bafter (?:leaving|he left|they left)\b|离开[^，。？?]{0,12}(?:后|以后|之后)",
                      re.IGNORECASE)
_LEFT = re.compile(r"^.{0,12}?离开")
_MOVES = re.compile(r"^.{0,12}?(?:离开|接着|随后|之后|然后)|^.{0,60}?(?:前往|来到|走进|赶赴)")


def asked_step(question: str) -> int:
    """+1 for a question asking what came next, -1 for one asking what came before, else 0."""
    # not "what did he hope the city would do next with it?": the task he set, not the next stop
    after = bool(_AFTER.search(_NEXT_TASK.sub("", question)))
    before = bool(_BEFORE.search(question))
    # "离开余村以后他去了哪里？": on from the place it leaves, to where he went (not "离开港区以后，
    # 他在园区管理服务中心同哪些人交流了？", which names where and asks something else)
    after = after or bool(_LEAVING.search(question) and _WHERE.search(question))
    return 0 if after == before else (1 if after else -1)


def steps_by_moves(question: str, cited: Cited, articles: Articles) -> bool:
    """Whether a stepping question steps from stop to stop of a visit: it asks where ("他接着
    去了哪里？"), or asks nothing in particular ("And after that?") after a quote that reports
    a move; not "他接着说了什么？", which asks the next passage."""
    if _WHERE.search(question):
        return True
    found = articles.at.get((cited.source, cited.char_start))
    return found is not None and not _SAYS.search(question) and \
        bool(_MOVES.search(articles.text_of.get(found[0], "")))


def asks_their_reply(question: str, hits: list[Hit], reading: Reading) -> bool:
    """"对方对此是怎么表态的？", "What did the other president thank China for?": the other
    side's words in the call under discussion and no count, date, place or person in
    particular; answered when the first passage is theirs, in that call. Not "桑切斯说西班牙
    当时有多少确诊病例？" (a count), nor "What did Trump himself say?" of a call that gives
    no words of his: those are decided like any other question."""
    return asked_speaker(question) == OTHER and not asked_kinds(question) and \
        first_in_topic(hits, reading) and passage_speaker(hits[0].quoted().text) == OTHER


# A follow-up pointing at the text under discussion ("这篇会议报道", "that article")
_THIS_TEXT = re.compile(r"这篇|那篇|该文|此文|本文|这份|那份|这则|那则|它|"
                        r"\b(?:this|that|the) (?:article|report|piece|story|dispatch)\b|\bit\b",
                        re.IGNORECASE)
# A follow-up asking what "he" or "she" said: the words of the speaker the conversation asks of
_PRONOUN_SAYS = re.compile(
    r"^(?:那|那么|而)?(?:他|她)(?![们国])[^，。？]{0,16}?(?:怎么说|说了|说过|表示|提到|谈到|谈及|"
    r"(?:如何|怎么|怎样)评价|回应|感谢|称赞|表态)|"
    r"\b(?:he|she)\s+(?:\w+\s+)?(?:say|said|describe|thank|mention|respond|add|express|praise)",
    re.IGNORECASE)


def pronoun_says(question: str) -> bool:
    """Whether a follow-up asks what "he" or "she" said, and does not name Xi ("And on Xi's
    side — what did he say…?")."""
    return bool(_PRONOUN_SAYS.search(question)) and not _NAMES_XI.search(question)


_NAMES_XI = re.compile(r"习近平|总书记|习主席|\bXi\b", re.IGNORECASE)


def wants_the_topic(question: str, reading: Reading) -> bool:
    """A follow-up that asks for more of what was discussed and nothing in particular: it
    names nothing new, asks no kind of answer, and asks what else was said or done there."""
    return reading.bare and bool(_ASKS_MORE.search(question)) and not asked_kinds(question)


# "他在那里还做了什么？", "What else did he do there?": what was done, not what was said.
_ASKS_DEEDS = re.compile(r"(?:做|干)了?(?:些)?(?:什么|哪些)|还有(?:什么|哪些)(?:活动|行程|安排)|"
                         r"\bwhat (?:else |more )?did (?:he|she|they|xi)(?: \w+)? do\b|"
                         r"\bwhat (?:else|other things) (?:was done|did \w+ do)\b", re.IGNORECASE)
# What a visit report or a speech tells of a visit: "察看了远程会诊中心", "同工人们亲切交谈",
# "听取…汇报", "视频连线…", "前往…考察".
_DEEDS = re.compile(r"考察调研|察看|看望|慰问|考察|调研|来到|去了|到了|走进|前往|赶赴|参观|视察|听取|"
                    r"座谈|交流|交谈|视频连线|主持")
DEED_WORDS = "察看 看望 考察 来到 交流"
DEEDS_MIN = 2  # a passage telling what was done names this many kinds of deed at least


def asks_deeds(question: str) -> bool:
    """"他在那里还做了什么？", "What else did he do?": asks what was done, not what was said."""
    return bool(_ASKS_DEEDS.search(question))


def reports_deeds(text: str) -> bool:
    """Whether a passage tells what someone did: several kinds of deed ("去了火神山医院，察看
    了远程会诊中心，同医护人员和患者进行交流"), not one word of it in a speech's argument."""
    return len(set(_DEEDS.findall("".join(text.split())))) >= DEEDS_MIN


def asks_for_more(question: str, hits: list[Hit], reading: Reading) -> bool:
    """"他在那里还做了什么？", "What else did he do there?": nothing of its own beyond more of
    what was discussed, no particular kind of answer (no count, date, place or person), and
    its first passages lie in that topic. Any passage of the topic answers it, so its own
    probability (about nothing in particular: the issue's example scored 0.07) is not asked.
    A yes/no question ("那封信的回信收到了吗？") or one naming something new is not this."""
    return wants_the_topic(question, reading) and topic_share(hits, reading) >= 2 / 3
