"""From retrieved passages to an extractive answer: citations, answer text, abstention.

Nothing here invents text: the answer is sentences copied from the cited passages, each
followed by its [n] marker. Verification against the original files happens afterwards
(see assistant.py and verify.py); a quote that fails it is dropped, never shown.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from .chunking import is_cheers, sentence_texts
from .dates import dates_a_publication, zh_dates
from .lexical import has_cjk, is_latin, overlap, tokens
from .position import Position, opens_item
from .question_type import COUNT, DATE, PERSON, focus_tokens, is_saying, states, type_match
from .settings import AnswerSettings
from .speaker import passage_speaker, speaker_opening
from .translate import Translation
from .types import Chunk, Citation, Hit
from .verify import squeeze
from .whole_sentences import WholeSentences

ABSTAIN_ZH = "文档中没有找到能回答这个问题的内容。以下是最接近的段落，仅供参考。"
ABSTAIN_EN = "The documents do not answer this question. The closest passages are listed below."
TYPE_CUE = 0.3  # weight of "states the kind of thing asked" when picking the answer sentence
FOCUS_CUE = 1.0  # ... and of the words of the clause that asks (question_type.focus_tokens)
LETTER_OPENING_PENALTY = 1.0  # ... taken from a letter's opening line when what was said is asked
DAY_CUE = 0.5  # ... of naming the day the question names (less: naming only other days)
SAYING_CUE = 1.0  # ... of being a saying, when the question asks which saying was used


def title_mark(title: str | None) -> str:
    """《title》 for a passage's article, or nothing when it has none (the opening lines of a
    file before any heading)."""
    return f"《{title.strip()}》" if title and title.strip() else ""


# A question asking what was said, written or hoped, and not to whom or which ("信里他希望他们
# 怎么做？", "What did Xi tell them in that letter?"; not "回信勉励的是哪支医疗队的党员？")
_SAYS_WHAT = re.compile(r"说了什么|说了些什么|讲了什么|写了什么|希望|怎么说|如何说|\bwhat did (?:he|she|xi|they)"
                        r" (?:say|tell|write|hope|ask)|\bwhat (?:was|is) (?:said|written)", re.I)
_ASKS_WHO = re.compile(r"哪|谁|\bwhich\b|(?-i:\b[Ww]ho(?:m)?\b)", re.I)  # not "the WHO"
# ... or whom or which something said was about ("who did Xi say he had been thinking about?")
_SAID_OF = re.compile(r"\b(?:did|does|do) (?:he|she|xi|they) (?:say|tell)\b|说(?:他|她|自己|一直)", re.I)


def asks_what_was_said(question: str) -> bool:
    """Whether a question asks what was said or written (then a letter's opening line, which
    only names whom it is to, is no answer), not to whom or which: "who did Xi say he had
    been thinking about?" asks what was said, "Who did Xi write back to?" whom."""
    return bool(_SAID_OF.search(question)) or \
        (bool(_SAYS_WHAT.search(question)) and not _ASKS_WHO.search(question))


# A line that only addresses someone ("尊敬的萨勒曼国王，", "各位同事：", "Dear colleagues,"):
# it opens a speech or a letter and answers nothing, however many of the question's names it has.
_ADDRESS = (r"(?:(?:尊敬的|亲爱的|各位|诸位)[^。！？!?.；;，,：:]{0,20}"
            r"|(?:dear|distinguished|ladies)\b[^.!?;,:]{0,60})")
_SALUTATION = re.compile(rf"^\s*(?:{_ADDRESS}\s*[，,：:！!]\s*)+(?:大家好[！!]?)?\s*$",
                         re.IGNORECASE)


def is_salutation(text: str) -> bool:
    """True for a passage that is only a form of address."""
    return bool(_SALUTATION.match(text))


# A letter's opening line: its addressees and "你们好" or "来信收悉" ("武汉东湖新城社区全体社区工
# 作者：你们好，来信收悉。"). It says whom the letter is to, nothing of what it says to them.
_LETTER_OPENING = re.compile(r"^\s*[^。！？!?]{2,40}[：:]\s*(?:你们好|您好|你好)?[，,！!]?\s*"
                             r"(?:来信收悉|来函收悉|来电收悉)?[。！!]?\s*$")


def opens_letter(sentence: str) -> bool:
    """Whether a sentence is a letter's opening line (see _LETTER_OPENING)."""
    return bool(_LETTER_OPENING.match(sentence)) and \
        bool(re.search(r"你们好|您好|你好|来信收悉|来函收悉|来电收悉", sentence))


def _context(hit: Hit) -> str:
    return squeeze(hit.shown())


def choose_citations(hits: list[Hit], settings: AnswerSettings,
                     count_tokens: Callable[[str], int], names: tuple[str, ...] = (),
                     speech: Callable[[Chunk], object] = lambda c: (c.source, c.title, c.attribution),
                     sure: bool = False) -> list[Hit]:
    """The passages to quote: the best, and those close enough to it, within the token budget.
    A further quote from another article or speech than the first's (`speech`: which one a
    passage belongs to, conversation.Articles.speech) must come closer still
    (`other_article_ratio`): it adds to the answer only when it is nearly as good.

    `names`: the people, places and organisations the question names. A further quote from
    another speech must name those of them the first one names (with its title and
    attribution): a question about Wuhan answered from the Wuhan speech gets no second quote
    from a visit to Zhejiang. One of the same speech or call need not: it is of the same event
    ("约翰逊表示，…中英两国今年将分别举办…" after his words naming 中国; dev citation precision
    0.893 -> 0.895, hit@3 +1).

    `sure`: the answer's probability is at least `sure_answer`. A quote from another file or
    speech then adds nothing: it is there to hedge a first quote that may be wrong. (The
    sections of one Word or web document are one article: rag/structure.py.)"""
    if not hits:
        return []
    chosen: list[Hit] = []
    anchored: list[str] = []
    used = 0
    for hit in hits:
        if len(chosen) >= settings.max_citations:
            break
        if chosen and hit.score < settings.min_citation_ratio * hits[0].score:
            break
        if is_salutation(hit.chunk.text):
            continue
        if chosen and speech(hit.chunk) != speech(chosen[0].chunk) and (
                sure or hit.score < settings.other_article_ratio * hits[0].score):
            continue  # from elsewhere, it must be nearly as good as the first to add to it
        if chosen and anchored and speech(hit.chunk) != speech(chosen[0].chunk):
            context = _context(hit)
            if not all(name in context for name in anchored):
                continue
        if repeats(hit, chosen):
            continue  # the same words printed in another file or passage add nothing
        cost = count_tokens(hit.chunk.text)
        if chosen and used + cost > settings.token_budget:
            break
        chosen.append(hit)
        used += cost
        if len(chosen) == 1 and names:
            context = _context(hit)
            anchored = [name for name in names if name in context]
    return chosen


def repeats(hit: Hit, chosen: list[Hit]) -> bool:
    """Whether most of a passage's sentences are in the quotes already chosen (the same
    speech printed in two files, cut into passages at other places)."""
    sentences = [squeeze(t) for t in sentence_texts(hit.quoted().text)]
    said = "".join(squeeze(h.quoted().text) for h in chosen)
    return bool(sentences) and sum(t in said for t in sentences) * 2 > len(sentences)


def best_sentence(sentences: list[str], query_tokens: list[str],
                  similarities: list[float] | None = None,
                  kinds: set[str] | frozenset[str] = frozenset(),
                  focus: list[str] | None = None, says_what: bool = False,
                  days: frozenset | set = frozenset(), saying: bool = False) -> str:
    """The sentence of a passage that answers best: most of the question's terms, then the
    closest by meaning (for an English question over Chinese text, only the latter counts),
    with a small lead for a sentence stating the kind of thing asked (a count, a date, a
    place, a person: rag/question_type.py), for one naming the day the question names
    (`days`; "3月30日，习近平前往…余村村考察调研。" before "2005年8月15日，…在该村考察时…") and,
    when the question asks which saying was used (`saying`), for the saying itself."""
    if not sentences:
        return ""
    sims = similarities if similarities and len(similarities) == len(sentences) \
        else [0.0] * len(sentences)
    # A sentence opening with its speaker ("古特雷斯表示，我对…表示祝贺。") is scored by what it
    # says: the name the question gives finds the passage, not which of the speaker's
    # sentences answers ("what did Guterres say China would soon do…?": a later one).
    said = [without_speaker(s) for s in sentences]
    scored = [(overlap(query_tokens, b) + sim + TYPE_CUE * type_match(set(kinds), s)
               + (FOCUS_CUE * overlap(focus, b) if focus else 0.0)
               - (10.0 if is_salutation(s) else 0.0)  # "各位同事：大家好！" answers nothing
               # a letter's opening line answers only whom it is to
               - (LETTER_OPENING_PENALTY if says_what and opens_letter(s) else 0.0)
               + (DAY_CUE * _day_agreement(days, s) if days else 0.0)
               # "引用哪句古语…？": the saying, not the sentence it introduces
               + (SAYING_CUE if saying and is_saying(s) else 0.0), -i)
              for i, (s, b, sim) in enumerate(zip(sentences, said, sims, strict=True))]
    return sentences[-max(scored)[1]]


def _day_agreement(days: frozenset | set, sentence: str) -> int:
    """-1 when the sentence names only other days than the question's; 0 otherwise. Naming
    the question's day is no lead: the day frames the question ("When Xi visited the Chuanshan
    port area… on 29 March 2020, who did he talk with in the ground-floor hall?" took "3月29日，
    习近平前往宁波舟山港穿山港区考察。" for "在一楼大厅，习近平同港口职工代表亲切交流": d71-016)."""
    said = zh_dates(sentence)
    return -1 if said and not said & days else 0


def without_speaker(sentence: str) -> str:
    """The sentence without the speaker it opens with ("古特雷斯表示，"), when it names one."""
    opening = speaker_opening(sentence)
    return sentence.strip()[opening[1]:] if opening else sentence


# A sentence that only announces what follows: a lead-in ("…主要表现在这样几个方面。",
# "最后，我给…提3点要求。", "…强调："), or a numbered point's heading ("第五，推动企业复工复产。").
_ANNOUNCES = re.compile(r"(?:[：:]|(?:几|[0-9一二三四五六七八九十两]+)(?:个方面|点要求|点意见|点建议|点倡议|"
                        r"项措施|项任务|件事)[。.]?|如下[。：:]?|以下[几]?[点个方面]*[。：:]?)\s*$")
_POINT_HEADING = re.compile(r"^\s*(?:第[一二三四五六七八九十]+|[一二三四五六七八九十]+[、是要]|\d+[.、]|"
                            r"(?:首先|其次|再次|最后)[，,])[^。！？]{0,18}[。！？]?\s*$")


def announces(sentence: str) -> bool:
    """Whether a sentence only announces what the next one says."""
    return bool(_ANNOUNCES.search(sentence) or _POINT_HEADING.match(sentence))


def asking_words(question: str, translation: Translation | None) -> list[str]:
    """The words of the clause that asks, as the documents write them: a Chinese question's own
    (question_type.focus_tokens), an English one's through its translation's asking groups."""
    if translation is not None:
        return [t for g in translation.asking_groups() for w in g for t in tokens(w)]
    return focus_tokens(question) if has_cjk(question) else []


def answer_sentence(hit: Hit, query_tokens: list[str], similarities: list[float] | None = None,
                    kinds: set[str] | frozenset[str] = frozenset(),
                    focus: list[str] | None = None, position: Position | None = None,
                    says_what: bool = False, days: frozenset | set = frozenset(),
                    saying: bool = False) -> str:
    """The sentence of a citation that answers: its passage's best sentence, widened to the
    whole sentence of the quote it is a piece of (a long sentence is cut into passages), and
    followed by the next one when it only announces it ("…主要表现在这样几个方面。"). Cheers
    alone ("武汉加油！湖北加油！中国加油！") are one saying: all of them, not one of the three."""
    if is_cheers(hit.chunk.text):
        return hit.chunk.text.strip()
    sentences = sentence_texts(hit.chunk.text)
    # "What was the third of the eight requirements…?": the sentence opening that item
    placed = [t for t in sentences if position is not None and position.points
              and not position.whole_list and opens_item(position, t)]
    chosen = placed[0] if placed else \
        best_sentence(sentences, query_tokens, similarities, kinds, focus, says_what, days, saying)
    sep = "" if has_cjk(chosen) else " "
    at = sentences.index(chosen) if chosen else -1
    if chosen and announces(chosen) and at + 1 < len(sentences):
        chosen += sep + sentences[at + 1]
    elif PERSON in kinds and at > 0 and not states(PERSON, chosen) \
            and passage_speaker(sentences[at - 1]) is not None:
        # "是谁说中国的行动是…响亮回答？": the words asked of, after the one saying whose they are
        # ("普京表示，…。中国的行动是…").
        chosen = sentences[at - 1] + sep + chosen
    if hit.quote is not None and chosen:
        for whole in sentence_texts(hit.quote.text):
            if chosen in whole:
                return whole
    return chosen


def answer_lead(kinds: set[str] | frozenset[str], sentence: str, citation: Citation,
                letter_signed: str = "") -> str:
    """What goes before the answer's first sentence when that sentence lacks what was asked.

    For a question asking who or how many, and a sentence naming nobody or no number: the
    call or message its attribution names, when that does ("（2020年3月27日同美国总统特朗普通
    电话）", "——3月22日，…就中纳建交30周年互致贺电"). For a question asking when,
    and a sentence naming no day: the attribution when it dates the passage ("——3月10日，习近平
    在湖北省考察……") or the letter's sign-off its quote ends on (for a passage from further up
    the letter, `letter_signed`, the sign-off it is under), so that the answer's first words
    state the date. Empty otherwise."""
    attribution = (citation.attribution or "").strip()
    said = attribution[1:-1].strip() if attribution[:1] in "（(" and attribution[-1:] in "）)" \
        else attribution.lstrip("—").strip() if attribution.startswith("—") else ""
    for kind in (PERSON, COUNT):
        if kind in kinds and not states(kind, sentence) and said and states(kind, said) \
                and not dates_a_publication(said):
            # "在同哪位外国领导人通电话时说…？", "就西班牙疫情向谁发了慰问电？": the call or message
            # its attribution names ("——3月21日，习近平…向西班牙国王费利佩六世致慰问电");
            # "纪念两国建交多少周年？": "——3月22日，…就中纳建交30周年互致贺电".
            return said
    if DATE not in kinds:
        return ""
    if states(DATE, sentence):
        # The sentence's day may be another event's: under "——3月26日，习近平复信…谭德塞", "3月
        # 17日，谭德塞致函…" dates the letter replied to. The attribution's day, when the
        # sentence does not give it, goes first: the reader sees both.
        said = attribution.lstrip("—").strip() if attribution.startswith("—") else ""
        days = zh_dates(said) if said and not dates_a_publication(said) else set()
        return said if days and not days & zh_dates(sentence) else ""
    # A letter's sign-off closing the quote ("……再立新功。习近平2020 年 4 月 8 日").
    signed = citation.quote[max(citation.quote.rfind(p) for p in "。！？") + 1:].strip()
    if not attribution and 0 < len(signed) <= 30 and states(DATE, signed):
        return signed
    if not attribution and 0 < len(letter_signed) <= 30 and states(DATE, letter_signed):
        return letter_signed
    if attribution.startswith("—"):
        lead = attribution.lstrip("—").strip()
    elif attribution[:1] in "（(" and attribution[-1:] in "）)":  # "（2020年3月25日同…通电话）"
        lead = attribution[1:-1].strip()
    else:
        return ""
    if dates_a_publication(lead):
        return ""
    return lead if states(DATE, lead) else ""


def answer_text(question: str, picks: list[tuple[int, str]], lead: str = "") -> str:
    """The answer: the chosen sentence of each citation, followed by its [n] marker; `lead`
    (an attribution, see `answer_lead`) goes first, marked as the first citation's."""
    # The same sentence from two quotes (one speech printed in two files, cut into passages
    # at other places) is said once, with both markers: "…准备。[1][2]"
    said: dict[str, int] = {}
    parts: list[str] = []
    for n, sentence in picks:
        if sentence in said:
            parts[said[sentence]] += f"[{n}]"
            continue
        said[sentence] = len(parts)
        parts.append(f"{sentence}[{n}]")
    if lead and parts:
        parts[0] = f"{lead}：{parts[0]}"
    # Chinese sentences run on; English ones (or English quotes of a Chinese question) are
    # spaced
    english = not has_cjk(question) or any(is_latin(sentence) for _, sentence in picks)
    return " ".join(parts) if english else "".join(parts)


def abstention_text(question: str) -> str:
    return ABSTAIN_ZH if has_cjk(question) else ABSTAIN_EN


# How far on a quote is carried to the attribution line its excerpt is printed over, for a
# question asking when or with whom it was said (`through_attribution`)
ATTRIBUTION_REACH = 200


def through_attribution(hit: Hit, kinds: set[str], sentences: WholeSentences) -> Hit:
    """For a question asking a day or a person ("这话是他哪天在同哪位外国领导人通话时说
    的？"), the hit quoted on to the attribution line of its excerpt a sentence or two further
    down ("（2020年3月19日同俄罗斯总统普京通电话）"): the quote itself then says it. The hit as
    it is otherwise."""
    if not kinds & {DATE, PERSON}:
        return hit
    reached = sentences.through_attribution(hit.quoted(), ATTRIBUTION_REACH)
    return dataclasses.replace(hit, quote=reached) if reached else hit


def to_citation(n: int, hit: Hit) -> Citation:
    c = hit.quoted()
    quote, char_end, line_end = c.quote_span()
    return Citation(
        n=n, source=c.source, title=c.title, attribution=c.attribution, quote=quote,
        line_start=c.line_start, line_end=line_end, char_start=c.char_start,
        char_end=char_end, score=round(hit.score, 4), also_in=list(hit.also_in),
    )


def pack_context(citations: list[Citation], budget: int,
                 count_tokens: Callable[[str], int]) -> str:
    """The cited passages as a block for any language model, each labelled with its citation,
    cut at whole passages to fit `budget` tokens."""
    blocks: list[str] = []
    used = 0
    for c in citations:
        label = f"[{c.n}] {c.source}:{c.line_start}-{c.line_end} {title_mark(c.title)}".rstrip()
        if c.attribution:
            label += f" {c.attribution}"
        block = f"{label}\n{c.quote}"
        cost = count_tokens(block) + 2
        if used + cost > budget:
            break
        blocks.append(block)
        used += cost
    return "\n\n".join(blocks)
