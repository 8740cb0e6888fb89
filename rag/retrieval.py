"""Hybrid retrieval: dense (query prompt) and BM25 over bigrams, fused by weighted reciprocal rank.

The lexical side is weighted by how much of the question it can match at all: an English
question over Chinese documents matches nothing lexically as it is, so its lexical side is the
dictionary route (rag/translate.py): the Chinese words its names, places, dates and phrases
translate to, each English phrase scored by its best-matching translation.

A question that names a day is about that day's meeting, visit or speech: a passage whose
article (title, header date line, dateline) or attribution is dated on another day is pushed
down by `retrieval.date_penalty`, never removed (rag/dates.py). Each hit carries the whole
sentences its passage belongs to, for quoting (rag/whole_sentences.py).
"""

from __future__ import annotations

import bisect
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .catalog import Catalog, FileEntry
from .chunking import (
    DATELINE,
    bylines,
    cheers,
    editors_notes,
    exclamations,
    lead_ins,
    meeting_notices,
    sentence_texts,
)
from .dates import (
    agreement,
    dates_a_publication,
    en_dates,
    month_days,
    months_named,
    opening_day,
    question_dates,
    zh_dates,
    zh_ranges,
)
from .embedding import Embedder
from .gloss import Glosses
from .lexical import LexicalIndex, has_cjk, is_latin, overlap, tokens
from .position import Position, asked_position, at_position, opens_item, place_weight
from .question_type import (
    DATE,
    PLACE,
    TIME,
    another_exchange,
    asked_kinds,
    asked_phrases,
    asks_cheers,
    asks_meeting_notice,
    asks_publication,
    asks_source,
    count_of,
    counted_thing,
    english_count,
    events_asked,
    exchanges_asked,
    figure_asked,
    focus_tokens,
    form_asked,
    gives_event_day,
    labels_event,
    listed_kind,
    never,
    outside_titles,
    quoted_sentences,
    role_asked,
    states,
    type_match,
)
from .ranges import asked_values, holds_in_range
from .reading import UnreadableFile, read_source
from .settings import RetrievalSettings
from .speaker import (
    OTHER,
    asked_speaker,
    names_partner,
    other_speaker_named,
    other_speaker_words,
    partner_of,
    passage_speaker,
    speaker_clause,
    speaks_as,
)
from .structure import DATE_LINE, quoted_titles
from .translate import Dictionary, Translation, by_context, mixed_query
from .types import Chunk, Hit, Location
from .whole_sentences import WholeSentences

# Passages that answer only a question asking for them (rag/chunking.py), each with the test
# of such a question (rag/question_type.py) and the test of one they are then lifted for as
# much as they sink for any other: cheers asked are the answer ("他讲话结尾喊了什么口号？"); a
# source asked may be an attribution's ("发表" asks of many an article), the paper or journal
# asked by name is the byline's ("这篇会议报道刊登在哪份报纸上？": "《 人民日报 》（…01 版）")
ANSWER_ONLY = ((cheers, asks_cheers, asks_cheers), (bylines, asks_source, asks_publication),
               (meeting_notices, asks_meeting_notice, never))
_WS = re.compile(r"\s+")
# An article's header date line: structure.DATE_LINE ("（2020年3月10日）", "（2020年3月26日，
# 北京）"), or a day on a line of its own ("2020年3月10日").
_BARE_DAY = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_HEADER_LINES = 6  # how far under an article's title its date line may stand
# A numbered item the words of a question asking for it did not find, added at this share of
# the fused score of the passage of its article that was found (`Retriever._items_at`).
ITEM_SHARE = 0.8
# A passage holding a term an English question quotes gets this share of `quote_weight` (a
# whole sentence quoted is surer than the translation of a term).
QUOTED_TERM_SHARE = 0.5
# How many of the candidates may hold a run of the asking clause's words for it to point at them
PHRASE_PASSAGES = 3
# How long a sentence two passages share must be for them to be prints of the same words
TWIN_SENTENCE = 16
# The weight of the lexical ranking by an English question's asking clause alone, as a share
# of the weight of the lexical ranking by all its words (`Retriever.search`)
ASKING_SHARE = 0.5
# How far after a passage its list's n-th item is looked for (passages of its article)
ITEM_SPAN = 8
# How deep each side is looked into to tell whether a Chinese question asks of an English
# document (Retriever._english_scores).
ENGLISH_DEPTH = 20
# How far below the best Chinese passage by meaning (cosine in context plus best sentence) the
# English passage a Chinese question asks of may stand: 0.06-0.16 for the six questions of the
# foreign dev set about English documents, 0.19-0.20 for follow-ups of Chinese chats whose
# common words also gloss to English ones ("还有别的好处吗？").
ACROSS_GAP = 0.17
# ... and then the share of its own words' lexical ranking (over the Chinese passages) kept.
OWN_WORDS_SHARE = 0.5
_TERM = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{2,}")
_LETTER = re.compile(r"[A-Za-z]")
_EN_WORDS = re.compile(r"[a-z]+")


@dataclass
class Retrieved:
    hits: list[Hit]
    query_tokens: list[str]
    timings_ms: dict[str, float]
    vector: np.ndarray | None = None  # the question's embedding
    # For an English question: the Chinese words it was translated to, one group per phrase.
    translation: Translation | None = None
    kinds: set[str] = field(default_factory=set)  # what the question asks for (question_type)
    # The passages standing at the n-th point a question asks ("第二点倡议", "the third of his
    # proposals"); for a follow-up pointing at a place ("他讲话结尾…"), those of the speech
    # under discussion standing there (rag/conversation.py search_follow_up).
    placed: frozenset[str] = frozenset()
    # For a Chinese question asking of an English document (Retriever._english_scores): its
    # words and the English words they mean (rag/gloss.py), for the evidence on its passages.
    glossed: dict[str, list[str]] = field(default_factory=dict)


def rrf(rankings: list[tuple[list[str], float]], k: int) -> dict[str, float]:
    """Weighted reciprocal rank fusion: sum over rankings of weight / (k + rank), rank from 1."""
    fused: dict[str, float] = {}
    for ranking, weight in rankings:
        if weight <= 0:
            continue
        for rank, key in enumerate(ranking, start=1):
            fused[key] = fused.get(key, 0.0) + weight / (k + rank)
    return fused


def _header_dates(corpus_dir: Path | None, name: str, starts: list[int],
                  extracted: Path | None = None,
                  text_of: Callable[[str], str | None] | None = None) -> dict[int, set]:
    """For each article (by index), the day its header's date line names: a line of its own
    just under the title, "（2020年3月10日）". Read from the original file (or from `text_of`,
    which gives a file's text by name: the index in a Chroma server keeps the texts itself);
    none when unreadable."""
    if (corpus_dir is None and text_of is None) or not starts:
        return {}
    try:
        text = text_of(name) if text_of else read_source(corpus_dir / name, name, extracted).text
    except (UnreadableFile, OSError, ValueError):
        return {}
    if text is None:
        return {}
    lines = text.split("\n")
    out: dict[int, set] = {}
    for i, line in enumerate(starts):
        end = min([line + _HEADER_LINES, *(s - 1 for s in starts[i + 1 : i + 2])])  # not the next
        for text in lines[line - 1 : end]:
            if DATE_LINE.match(text.strip()) or _BARE_DAY.match(text.strip()):
                out[i] = zh_dates(text)
                break
    return out


def group_overlap(groups: list[list[str]], text: str) -> float:
    """Share of the groups (alternative words for one phrase) of which the text holds any."""
    if not groups:
        return 0.0
    squeezed = _WS.sub("", text)
    return sum(any(w in squeezed for w in g) for g in groups) / len(groups)


def word_overlap(groups: list[list[str]], text: str) -> float:
    """Share of the groups (alternative English words for one word) of which the English
    text holds any as a word ("go" is not in "logistics")."""
    if not groups:
        return 0.0
    words = set(_EN_WORDS.findall(text.lower()))
    return sum(any(w in words for w in g) for g in groups) / len(groups)


def _articles_of(entry: FileEntry) -> list[list[Chunk]]:
    """A file's passages article by article, each in the order of the text."""
    starts = [a.line for a in entry.articles]
    by_article: dict[int, list[Chunk]] = {}
    for c in sorted(entry.chunks, key=lambda c: c.char_start):
        by_article.setdefault(bisect.bisect_right(starts, c.line_start) - 1, []).append(c)
    return list(by_article.values())


def _article_ends(catalog: Catalog) -> dict[str, tuple[bool, bool]]:
    """For each passage that opens or closes its article (its first; its last two): (opens,
    closes). Attributed excerpts of a compilation are left out: a compilation's section is no
    speech with an opening and an end."""
    ends: dict[str, tuple[bool, bool]] = {}
    for entry in catalog.files.values():
        for chunks in _articles_of(entry):
            if any(c.attribution for c in chunks):
                continue
            # A speech often closes on short lines ("武汉加油！湖北加油！中国加油！" and "武汉必胜！
            # …"), after the passage that sums it up ("我坚信，…英雄的武汉人民一定能够彻底战胜
            # 疫情"): its last two passages close it, and the one before them when both are short.
            for c, opens, closes in ((chunks[0], True, False), *((c, False, True)
                                                                  for c in _closing(chunks))):
                was = ends.get(c.key, (False, False))
                ends[c.key] = (was[0] or opens, was[1] or closes)
    return ends


def _closing(chunks: list[Chunk]) -> list[Chunk]:
    """The passages that close an article: its last two, and the one before them when both
    are exclamations alone ("武汉加油！湖北加油！中国加油！"; not an attachment list's short
    lines, "附件：1. 事故现场示意图", "2. 事故调查组成员名单")."""
    closing = list(chunks[-2:])
    if len(chunks) > 3 and all(exclamations(c.text) for c in closing):
        closing.insert(0, chunks[-3])
    return closing


def _signed_letters(catalog: Catalog) -> dict[str, str]:
    """For each passage of a letter signed and dated at its end ("……绽放绚丽之花。" then
    "习近平" and "2020年3月15日"), that sign-off: a question asking when the letter was written
    is answered by any of its passages, not only the last one it is printed under. Attributed
    excerpts of a compilation are left out."""
    signed: dict[str, str] = {}
    for entry in catalog.files.values():
        for chunks in _articles_of(entry):
            tail = (chunks[-1].tail_text or "").strip()
            if any(c.attribution for c in chunks) or not tail or not states(DATE, tail):
                continue
            for c in chunks:
                signed.setdefault(c.key, tail)
    return signed


class Retriever:
    """Searches the passages a catalog names, through a vector store and a lexical index."""

    def __init__(self, catalog: Catalog, store, embedder: Embedder, settings: RetrievalSettings,
                 cache_dir: Path | None = None, corpus_dir: Path | None = None,
                 text_of: Callable[[str], str | None] | None = None):
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self.cache_dir = cache_dir
        self.locations: dict[str, list[Chunk]] = {}
        chunks = catalog.all_chunks()
        for chunk in chunks:
            self.locations.setdefault(chunk.key, []).append(chunk)
        self.keys = list(self.locations)
        self.index_of = {k: i for i, k in enumerate(self.keys)}
        docs = []
        for key in self.keys:
            locs = self.locations[key]
            labels = {f"{c.title} {c.attribution or ''} {c.lead or ''}" for c in locs}
            docs.append(locs[0].text + " " + " ".join(sorted(labels)))
        self.lexical = LexicalIndex(docs)
        by_source: dict[str, set[int]] = {}
        for i, key in enumerate(self.keys):
            for c in self.locations[key]:
                by_source.setdefault(c.source, set()).add(i)
        self._by_source = {s: np.fromiter(ix, dtype=np.int64) for s, ix in by_source.items()}
        # (file, title, attribution) -> passages: one article, or one speech of a compilation;
        # built on the first question asking for an n-th item (`_items_at`)
        self._by_article: dict[tuple[str, str, str], list[str]] | None = None
        self._source_masks: dict[tuple[str, ...], np.ndarray] = {}
        self._sentence_counts: dict[str, int] = {}
        self.sentences = WholeSentences(chunks)
        self._context_dates = self._dates_of_contexts(
            catalog, corpus_dir, cache_dir / "extracted" if cache_dir else None, text_of)
        self._text_dates: dict[str, set] = {}
        self._text_months: dict[str, set] = {}
        # A letter's sign-off: what a question asking when it was written is answered by. Not
        # the day of what it tells of, so no context date (a notice signed "2025年7月10日" tells
        # of a stoppage on 7月16日).
        self._signed = _signed_letters(catalog)
        self._ends = _article_ends(catalog)
        # The other side of the call, talk or message each excerpt's attribution names.
        self._partners = {k: side for k in self.keys
                          if (side := partner_of(self.locations[k][0].attribution))}
        # Passages that only announce the list or table below them, or say what their article
        # is excerpted from (rag/chunking.py).
        self._lead_ins = {k for entry in catalog.files.values()
                          for k in lead_ins(sorted(entry.chunks, key=lambda c: c.char_start))
                          | editors_notes(entry.chunks)}
        # Passages that answer only a question asking for them, each with the test of such a
        # question: cheers alone ("武汉加油！湖北加油！中国加油！"), quoted first for questions on
        # anything their speech says, and a byline alone ("来源：《求是》2020/05 作者：王 毅")
        self._answer_only: dict[str, tuple[Callable[[str], bool], Callable[[str], bool]]] = {
            k: (asks, lifted) for find, asks, lifted in ANSWER_ONLY
            for entry in catalog.files.values() for k in find(entry.chunks)}
        # Passages in a Latin-letter language, when the documents mix them with Chinese ones.
        latin = {k for k in self.keys if is_latin(self.locations[k][0].text)}
        self.latin = frozenset(latin) if 0 < len(latin) < len(self.keys) else frozenset()
        self._english = np.array([k in latin for k in self.keys], dtype=bool)
        self._glosses: Glosses | None = None
        self._english_titles: str | None = None  # the English documents' names and titles
        self._dictionary: Dictionary | None = None
        self._dictionary_lock = threading.Lock()  # built once, however many ask at once
        self._corpus_text = "\n".join(docs)
        self._squeezed = [_WS.sub("", d) for d in docs]
        self._postings: dict[str, frozenset[int]] = {}

    # -- set-up ------------------------------------------------------------------------------
    def _dates_of_contexts(self, catalog: Catalog, corpus_dir: Path | None,
                           extracted: Path | None = None,
                           text_of: Callable[[str], str | None] | None = None) -> dict[str, set]:
        """For each passage, the days its article's title, header date line ("（2020年3月10日）")
        and dateline ("新华社北京4月17日电"), and its attribution name."""
        dated_articles: dict[str, dict[int, set]] = {}
        for name in sorted(catalog.files):
            entry = catalog.files[name]
            starts = [a.line for a in entry.articles]
            article_dates = _header_dates(corpus_dir, name, starts, extracted, text_of)
            for c in entry.chunks:  # the first dateline of each article dates the article
                i = bisect.bisect_right(starts, c.line_start) - 1
                article_dates.setdefault(i, set())
                m = DATELINE.match(c.text)
                if m and not article_dates[i]:
                    article_dates[i] = zh_dates(c.text[: m.end()])
            for c in entry.chunks:
                # A report filed on the last day of a visit ("新华社杭州4月1日电 …近日在浙江考察",
                # then "3月29日至4月1日，习近平…先后来到宁波、湖州、杭州"): every day it spans.
                i = bisect.bisect_right(starts, c.line_start) - 1
                for days in zh_ranges(c.text) if article_dates.get(i) else ():
                    if days & article_dates[i]:
                        article_dates[i] = article_dates[i] | days
            dated_articles[name] = article_dates
        # the days of each article by its title, for a print of it quoted elsewhere
        by_title: dict[str, set] = {}
        for name, article_dates in dated_articles.items():
            for i, article in enumerate(catalog.files[name].articles):
                if article_dates.get(i):
                    by_title.setdefault(article.title, set()).update(article_dates[i])
        out: dict[str, set] = {}
        for name, article_dates in dated_articles.items():
            entry = catalog.files[name]
            starts = [a.line for a in entry.articles]
            for c in entry.chunks:
                i = bisect.bisect_right(starts, c.line_start) - 1
                dates = zh_dates(c.title) | article_dates.get(i, set())
                if c.attribution and dates_a_publication(c.attribution):
                    # A publication ("——4月1日，习近平在《求是》杂志发表文章《在湖北省考察…时的
                    # 讲话》") dates the print, not the speech the passage comes from: alone it
                    # neither agrees nor contradicts. When the piece printed is an article of
                    # the documents dated by its header ("（2020年3月10日）"), the passage is of
                    # that day, and of the print's.
                    printed = set().union(*(by_title[t]
                                            for t in quoted_titles(c.attribution, by_title)))
                    if printed:
                        dates |= printed | zh_dates(c.attribution)
                elif c.attribution:
                    dates |= zh_dates(c.attribution)
                out.setdefault(c.key, set()).update(dates)
        return out

    def dictionary(self) -> Dictionary:
        """The English -> Chinese table for this corpus, built on first use (then cached)."""
        with self._dictionary_lock:
            if self._dictionary is None:
                cache = self.cache_dir / "en_zh.json" if self.cache_dir else None
                glossary = Path(self.settings.glossary) if self.settings.glossary else None
                self._dictionary = Dictionary.for_corpus(self._corpus_text, cache, glossary)
        return self._dictionary

    def glosses(self) -> Glosses:
        """The Chinese -> English glosses of the English passages' words, built on first use
        (then cached; rag/gloss.py)."""
        with self._dictionary_lock:
            if self._glosses is None:
                english = "\n".join(f"{c.title} {c.text}" for k, e in
                                     zip(self.keys, self._english, strict=True) if e
                                     for c in self.locations[k][:1])
                cache = self.cache_dir / "zh_en.json" if self.cache_dir else None
                self._glosses = Glosses.for_corpus(english, cache)
        return self._glosses

    def _english_scores(self, question: str, native: np.ndarray | None
                        ) -> tuple[np.ndarray | None, float, dict]:
        """A Chinese question over documents with English ones: BM25 of the English passages
        for the English words its words mean (and the Latin words it writes: "Lanxin Power"),
        the weight of that side in the fusion, and those words when it asks of an English
        document (else an empty dict).

        When an English passage holds more of the question's words, by their meaning, than the
        Chinese passages its own words find (`native`, their BM25) hold as written, the
        question is about an English document ("膝关节凝胶试验的访视在哪栋楼？" over a trial's
        information sheet): the weight is the dense and the lexical sides' together. When it
        only writes an English document's words itself ("Lanxin Power的…"), it is a dictionary
        translation's (by the share of its words found). Otherwise the ranking is the Chinese
        documents' alone (None)."""
        if not self._english.any() or not has_cjk(question) or is_latin(question):
            return None, 0.0, {}  # (an English follow-up completed with Chinese words is English)
        glossed = self.glosses().groups(question)
        # Its Latin words and codes ("Lanxin Power", "D5517") stand for themselves, on both sides.
        terms = [t for t in dict.fromkeys(_TERM.findall(question)) if _LETTER.search(t)]
        groups = {w: found for w, found in glossed.items() if found}
        groups.update({t: [t.lower()] for t in terms
                       if all(x in self.lexical.vocab for x in tokens(t))})
        # A word naming the document ("Harbourline" of the Harbourline handbook) tells its side,
        # not its passages apart: in its text it is in an e-mail address or a contact line.
        ranking = [g for w, g in groups.items() if w not in terms or not self._names_english_title(w)]
        total, matched = self._group_scores(ranking or groups.values())
        total = np.where(self._english, total, 0.0)
        if not matched or not total.any():
            return None, 0.0, {}
        asked = [*glossed, *terms]
        weight = self.settings.dictionary_weight * matched / len(asked)
        # Which side holds more of the question's words: an English passage by their meaning,
        # or a Chinese one as written (each a share of all its words).
        top = np.argsort(-total)[:ENGLISH_DEPTH]
        english = max(self._english_share(groups, i) for i in top) / len(asked)
        chinese = 0.0
        found = [i for i in np.argsort(-native)[:ENGLISH_DEPTH] if not self._english[i]] \
            if native is not None else []
        lowered = {i: self._squeezed[i].lower() for i in found}
        if found:
            chinese = max(sum(w.lower() in lowered[i] for w in asked) for i in found) / len(asked)
        in_english = " ".join(self.locations[self.keys[i]][0].text.lower() for i in top)
        if any(t.lower() not in in_english and any(t.lower() in lowered[i] for i in found)
               for t in terms):
            chinese = 1.0  # a code only the Chinese documents write ("D5517次列车…")
        if english > chinese:
            # about an English document: its passages outrank what the dense side and the
            # question's own words find among the Chinese ones
            return total, 1.0 + self.settings.lexical_weight, groups
        if any(t in groups for t in terms):
            return total, weight, {}  # it names an English document's words itself
        return None, 0.0, {}  # about the Chinese documents: the ranking is theirs alone

    def _names_english_title(self, term: str) -> bool:
        """Whether a Latin word a question writes is in an English document's title."""
        if self._english_titles is None:
            self._english_titles = " ".join(
                {f"{c.source} {c.title}" for key, e in zip(self.keys, self._english, strict=True)
                 if e for c in self.locations[key][:1]}).lower()
        return term.lower() in self._english_titles

    def _close_in_meaning(self, english: list[str], dense_total: dict[str, float],
                          ctx: dict[str, float], sent: dict[str, float],
                          vector: np.ndarray) -> bool:
        """Whether the best of the English passages the glosses rank first comes within
        ACROSS_GAP of the best Chinese passage by meaning (cosine in context plus best
        sentence), as the passage asked of does: its cosines run lower across the languages."""
        if not english:
            return False
        self._fill(english, ctx, sent, vector)
        chinese = max((v for k, v in dense_total.items() if not self._english[self.index_of[k]]),
                      default=0.0)
        return chinese - max(ctx[k] + sent[k] for k in english) <= ACROSS_GAP

    def _english_share(self, groups: dict[str, list[str]], i: int) -> int:
        """How many of the groups an English passage holds: a word among its words, a code
        anywhere in it."""
        text = self.locations[self.keys[i]][0].text.lower()
        words = set(_EN_WORDS.findall(text))
        return sum(any(w in words or (not w.isalpha() and w in text) for w in g)
                   for g in groups.values())

    def _mask(self, sources: tuple[str, ...]) -> np.ndarray:
        """Which passages occur in any of `sources` (built from per-file index arrays)."""
        if sources not in self._source_masks:
            mask = np.zeros(len(self.keys), dtype=bool)
            for source in sources:
                mask[self._by_source.get(source, np.zeros(0, dtype=np.int64))] = True
            self._source_masks[sources] = mask
        return self._source_masks[sources]

    def _fill(self, keys: list[str], ctx: dict[str, float], sent: dict[str, float],
              vector: np.ndarray) -> None:
        """Cosines for candidates one side of the dense search did not return."""
        missing = [k for k in keys if k not in ctx]
        if missing:
            for k, v in self.store.vectors(missing).items():
                ctx[k] = float(v @ vector)
        missing = [k for k in keys if k not in sent]
        if missing:
            for k, m in self.store.sentence_vectors(self._counts(missing)).items():
                sent[k] = float((m @ vector).max())
        for k in keys:
            ctx.setdefault(k, 0.0)
            sent.setdefault(k, 0.0)

    # -- lexical side ------------------------------------------------------------------------
    def _lexical_scores(self, question: str, translation: Translation | None,
                        q_tokens: list[str]) -> tuple[np.ndarray | None, float]:
        """BM25 of every passage and the weight of the lexical side in the fusion."""
        if translation is None:
            coverage = self.lexical.coverage(q_tokens)
            if coverage <= 0:
                return None, 0.0
            return self.lexical.scores(q_tokens), self.settings.lexical_weight
        groups = translation.groups + [[w] for w in translation.literals]
        total, matched = self._group_scores(groups)
        if not matched:
            return None, 0.0
        return total, self.settings.dictionary_weight * matched / len(groups)

    def _group_scores(self, groups: Iterable[list[str]]) -> tuple[np.ndarray, int]:
        """BM25 summed over groups of alternative words (one English phrase's translations,
        one Chinese word's glosses), each group scored by its best word; and how many groups
        matched anything."""
        total = np.zeros(self.lexical.size, dtype=np.float32)
        matched = 0
        for group in groups:
            best = None
            for word in group:
                s = self.lexical.scores(tokens(word))
                best = s if best is None else np.maximum(best, s)
            if best is not None and best.any():
                total += best
                matched += 1
        return total, matched

    def _lexical_ranking(self, scores: np.ndarray | None, n: int,
                         sources: tuple[str, ...]) -> list[str]:
        """The n best passages by lexical score (those scoring), within `sources` if given."""
        if scores is None:
            return []
        if sources:
            scores = np.where(self._mask(sources), scores, 0.0)
        top = np.argpartition(-scores, min(n, len(scores) - 1))[:n] if len(scores) > n \
            else np.arange(len(scores))
        top = top[np.argsort(-scores[top])]
        return [self.keys[i] for i in top if scores[i] > 0]

    # -- search ------------------------------------------------------------------------------
    def search(self, question: str, top_k: int, sources: tuple[str, ...] = (),
               prior: dict[str, float] | None = None, include: tuple[str, ...] = ()
               ) -> Retrieved:
        """The best passages for a question, best first, at least `top_k` when the index has them.

        `prior` (passage key -> weight, from a conversation) ranks those passages by meaning
        among themselves as a further fused ranking, each scaled by its weight: a follow-up
        leans towards the article already under discussion without ignoring the rest.
        `include`: passages to rank whether or not the question's words find them (the next
        stop of a visit, for "离开余村以后他又去了哪里？")."""
        t0 = time.perf_counter()
        n = max(self.settings.candidates, top_k)
        q_tokens = tokens(question, query=True)
        # An English question over Chinese text (its words barely occur in the corpus) is
        # searched lexically through its dictionary translation, and its embedding is of the
        # question with those Chinese words after it: e5-small matches a code-mixed query to
        # Chinese passages far better than the English alone (dev English hit@3 0.73 -> 0.78).
        # Over documents in both languages it is translated too (its own words find the English
        # ones, `native` below).
        latin_question = not has_cjk(question)
        native = q_tokens
        covered = self.lexical.coverage(native) if latin_question else 1.0
        english = latin_question and (covered < 0.5 or bool(self.latin))
        translation = by_context(self.dictionary().translate(question), self._passages_with) \
            if english else None
        vector = self.embedder.embed_query(self.dense_query(question, translation))
        t1 = time.perf_counter()
        want = n * 4 if sources else n
        ctx = dict(self.store.search(vector, want))
        sent = dict(self.store.search_sentences(vector, want * 2))
        candidates = [k for k in {**ctx, **sent, **(prior or {})} if k in self.index_of]
        if sources:
            mask = self._mask(sources)
            candidates = [k for k in candidates if mask[self.index_of[k]]]
        self._fill(candidates, ctx, sent, vector)
        # A passage scores by its vector in context plus its best sentence: the first finds the
        # right article and topic, the second the sentence that says the thing asked.
        dense_total = {k: ctx[k] + sent[k] for k in candidates}
        dense = sorted(dense_total, key=dense_total.get, reverse=True)[:n]

        if translation is not None:
            q_tokens = [t for w in translation.terms() for t in tokens(w)]
        scores, weight = self._lexical_scores(question, translation, q_tokens)
        lex_ranking = self._lexical_ranking(scores, n, sources) if weight > 0.05 else []
        rankings = [(dense, 1.0), (lex_ranking, weight)]
        if translation is not None and translation.asking and weight > 0.05:
            # A frame naming a long article ("In Wang Yi's Qiushi article on winning the battle
            # …, how did he describe the working group…?") outweighs the clause that asks in
            # the words of the whole question: that clause's own words rank too, so the passage
            # of the article holding them is among the candidates.
            asking, matched = self._group_scores(translation.asking_groups())
            if matched:
                rankings.append((self._lexical_ranking(asking, n, sources),
                                 weight * ASKING_SHARE))
                weight += weight * ASKING_SHARE
        if english and self.latin:
            # An English question over English and Chinese documents: its own words rank the
            # English passages, its translation the Chinese ones.
            own_weight = self.settings.lexical_weight * covered
            if own_weight > 0.05:
                rankings.append((self._lexical_ranking(self.lexical.scores(native), n, sources),
                                 own_weight))
                weight += own_weight
        glossed: dict[str, list[str]] = {}
        if not latin_question:
            gloss_scores, gloss_weight, glossed = self._english_scores(question, scores)
            gloss_ranking = self._lexical_ranking(gloss_scores, n, sources) \
                if gloss_weight > 0.05 else []
            if glossed and not self._close_in_meaning(gloss_ranking[:ENGLISH_DEPTH // 4],
                                                      dense_total, ctx, sent, vector):
                # its words' senses are common ones ("还有别的好处吗？": still, part, profit)
                gloss_ranking, glossed = [], {}
            if gloss_ranking:
                rankings.append((gloss_ranking, gloss_weight))
                weight += gloss_weight
            if glossed:
                # about an English document: what its own words find in Chinese text is less
                # (rankings[1] is that lexical ranking)
                rankings[1] = (lex_ranking, rankings[1][1] * OWN_WORDS_SHARE)
        fused = rrf(rankings, self.settings.rrf_k)
        lift = 0.0
        if prior:
            within = sorted((k for k in candidates if prior.get(k, 0.0) > 0),
                            key=dense_total.get, reverse=True)
            for rank, key in enumerate(within, start=1):
                fused[key] = fused.get(key, 0.0) + prior[key] / (self.settings.rrf_k + rank)
            lift = max(prior.values(), default=0.0)
        best = 1.0 / (self.settings.rrf_k + 1) * (1.0 + max(weight, 0.0) + max(lift, 0.0))
        ranked = sorted(fused, key=fused.get, reverse=True)[: max(n, top_k)]
        position = asked_position(question) if self.settings.position_weight else None
        if position is not None and position.points and not position.whole_list:
            ranked += self._items_at(position, ranked, fused, sources)
        ranked += [key for key in include if key in self.locations and key not in ranked]
        if ranked and "letter" in events_asked(question) and (days := question_dates(question)):
            # "Who did Xi write back to on March 15, 2020?": the letters signed that day, whose
            # words the question's few do not reach, at a little under the best score
            signed = [key for key in self._signed_letters_of(days) if key not in ranked]
            for key in signed:
                fused[key] = fused[ranked[0]] * ITEM_SHARE
            ranked += signed
        self._fill(ranked, ctx, sent, vector)  # lexical-only finds get their cosines too

        dated: dict[str, int] = {}
        counted = self._english_count(question, english) \
            if latin_question and self.settings.count_weight else None
        placed: set[str] = set()
        scored = self._rank(question, ranked, fused, best, dated, counted, placed, translation,
                            leaning=bool(prior))
        hits = []
        for key, score in scored:
            locs = self.locations[key]
            if sources:
                locs = [c for c in locs if c.source in sources] + \
                       [c for c in locs if c.source not in sources]
            chunk = locs[0]
            hits.append(Hit(
                chunk=chunk,
                score=score,
                dense=ctx.get(key, 0.0),
                sentence=sent.get(key, 0.0),
                lexical=word_overlap(list(glossed.values()), chunk.text.lower())
                if glossed and self._english[self.index_of[key]]
                else overlap(q_tokens, chunk.text) if not english
                else overlap(native, chunk.text) if key in self.latin
                else group_overlap(translation.groups, chunk.text),
                also_in=[Location(c.source, c.line_start, c.line_end) for c in locs[1:]],
                quote=self.sentences.whole(chunk),
                dated=dated.get(key, 0),
                signed=self._signed.get(key, ""),
            ))
        t2 = time.perf_counter()
        return Retrieved(hits, q_tokens,
                         {"embed": (t1 - t0) * 1000, "search": (t2 - t1) * 1000}, vector,
                         translation, asked_kinds(question), placed=frozenset(placed),
                         glossed=glossed)

    def _items_at(self, position: Position, ranked: list[str], fused: dict[str, float],
                  sources: tuple[str, ...]) -> list[str]:
        """For a question asking the n-th item ("第九项查的是什么？"), the passages that are that
        item, in the articles of the first passages found, which its words may not reach ("9.
        腹部B超（肝、胆、胰、脾）；"): candidates at a little under their article's best score.
        The item is the first one after a passage found, within ITEM_SPAN (an article may hold
        several lists), else any passage of its article opening that item. Not for a whole
        list ("两条战线分别是什么？")."""
        if self._by_article is None:
            by_article: dict[tuple[str, str, str], list[str]] = {}
            for k in self.keys:
                for c in self.locations[k]:
                    by_article.setdefault((c.source, c.title, c.attribution or ""), []).append(k)
            self._by_article = by_article

        def article_of(key: str) -> tuple[str, str, str]:
            c = self.locations[key][0]
            return c.source, c.title, c.attribution or ""

        # An article where its words found an item already (of the list they speak of) is
        # left as it is; another article's "第三，…" says nothing of this one's list.
        placed = {article_of(k) for k in ranked if opens_item(position, self.locations[k][0].text)}
        found, seen = [], set(ranked)
        for key in ranked[:5]:
            article = article_of(key)
            if article in placed:
                continue
            # The item of the list this passage opens or is in: the first one after it (an
            # article has several lists: "第三，…" of another section is not its third).
            keys = [k for k in self._by_article.get(article, [])
                    if not sources or self.locations[k][0].source in sources]
            at = keys.index(key) if key in keys else -1
            after = next((k for k in keys[at + 1: at + 1 + ITEM_SPAN] if at >= 0 and
                          at_position(position, self.locations[k][0].text, False, False)), None)
            # None within reach: any passage of the article opening that item
            items = [after] if after else [k for k in keys
                                          if opens_item(position, self.locations[k][0].text)]
            for other in items:
                if other not in seen:
                    seen.add(other)
                    fused[other] = fused[key] * ITEM_SHARE
                    found.append(other)
        return found

    def _passages_with(self, word: str) -> frozenset[int]:
        """The passages whose text (with title and attribution) holds a word (kept for the
        words asked about, up to a bound)."""
        found = self._postings.get(word)
        if found is None:
            found = frozenset(i for i, d in enumerate(self._squeezed) if word in d)
            if len(self._postings) < 50_000:
                self._postings[word] = found
        return found

    def chinese_words(self, question: str) -> str:
        """The Chinese words an English question translates to (as `dense_query` adds them)."""
        translation = by_context(self.dictionary().translate(question), self._passages_with)
        return mixed_query("", translation, self.settings.dictionary_in_query).strip()

    def dense_query(self, question: str, translation: Translation | None) -> str:
        """What is embedded for a question (an English one with its Chinese words)."""
        if translation is None:
            return question
        return mixed_query(question, translation, self.settings.dictionary_in_query)

    def _english_count(self, question: str, translated: bool) -> re.Pattern | None:
        """What an English question counts: as the Chinese passages write a number of it
        (through the dictionary, when it is `translated`) and as English ones write it (over
        documents in English, alone or beside Chinese ones)."""
        chinese = count_of(self.dictionary().counted(question)) if translated else None
        own = english_count(question) if self.latin or not translated else None
        if chinese is None or own is None:
            return chinese or own
        return re.compile(f"{chinese.pattern}|{own.pattern}", re.I)

    def _date_agreement(self, key: str, text: str, wanted: set, by_month: bool = False) -> int:
        if not wanted:
            return 0
        if key not in self._text_dates:
            # An English passage's own dates ("On 25 October, Dr. Keller spoke") count too.
            self._text_dates[key] = zh_dates(text) | en_dates(text)
        said = self._text_dates[key]
        if by_month:
            if key not in self._text_months:
                self._text_months[key] = months_named(text)
            said = said | self._text_months[key]
        context = self._context_dates.get(key, set())
        opening = opening_day(text)
        if opening and len(context) > 1 and not wanted & said and opening not in wanted:
            # a stop of a visit of several days that opens with its own day ("3月30日，习近平前往
            # 湖州市安吉县…" in the report of 3月29日至4月1日) is of that day, not the one asked
            return -1
        return agreement(wanted, said, context)

    def _rank(self, question: str, ranked: list[str], fused: dict[str, float],
              best: float, dated: dict[str, int] | None = None,
              counted: re.Pattern | None = None,
              placed: set[str] | None = None,
              translation: Translation | None = None,
              leaning: bool = False) -> list[tuple[str, float]]:
        """(key, score) best first (and into `dated`, each passage's agreement with the day the
        question names): the fusion score, plus a share of the asking clause's words
        the quote holds, less a penalty for a passage whose article or attribution is dated on
        another day than the question names, or that opens with another speaker than the one
        whose words are asked for (rag/speaker.py); plus a lead for one that states a number
        of the thing counted ("几点倡议" -> "4点倡议"; `counted` for an English question, from
        its dictionary words), names someone in the role asked ("由谁主持？"), stands where
        the question points in a speech or list (rag/position.py) or states a range the
        question's number falls in ("我62岁" -> "60周岁至64周岁", rag/ranges.py), and a little
        for stating the kind of thing asked: a date, a place, a time of day."""
        # the days it names, else those of a month it names ("4月中旬那次政治局会议"), which a
        # passage naming that month agrees with too ("截至2月底…", in a speech of 3月6日)
        wanted = question_dates(question)
        by_month = not wanted
        if by_month:
            wanted = month_days(question)
        # The clause that asks ("…，希望他们发扬什么作风？"): the answer says its words, while
        # the rest of the question also matches the letter's or the speech's opening.
        focus = focus_tokens(question) if self.settings.focus_weight else []
        # An English question's asking clause, in the documents' words (translate.py).
        # Leaning towards the article under discussion (a follow-up), all its words ask: the
        # article is given, and they pick the passage in it.
        focus_groups = (translation.asking_groups() or (translation.groups if leaning else [])) \
            if translation is not None and self.settings.focus_weight_en else []
        # Whose words it asks for ("What did Xi tell Merkel…?"): a passage that opens by naming
        # another speaker ("默克尔表示，") says the same things in the other side's words.
        asked = asked_speaker(question)
        # and by name, when it names them ("According to Wang Yi, …": not 普京's words)
        speakers = self._speaker_names(question) if asked == OTHER else ()
        # Where in a speech or list it points ("讲话结尾", "第二点倡议"): rare, and then decisive.
        position = asked_position(question) if self.settings.position_weight else None
        # What it counts ("几点倡议"; an English question's, translated, comes as `counted`).
        if counted is None and self.settings.count_weight and has_cjk(question):
            counted = counted_thing(question)
        # Which things of a kind it asks ("哪几种能力"): a passage listing them by that word;
        # the form a meeting took ("以什么形式召开的？"): a passage stating one
        listed = listed_kind(question) if self.settings.count_weight and has_cjk(question) \
            else None
        form = form_asked(question) if self.settings.count_weight else None
        role = role_asked(question) if self.settings.role_weight else None
        # A number it gives ("我62岁", "16栋") that a row's range holds ("60周岁至64周岁").
        values = asked_values(question) if self.settings.range_weight else []
        # The kind of thing it asks that a passage may state (a count is `counted`'s)
        kinds = asked_kinds(question) & {DATE, PLACE, TIME} if self.settings.kind_weight \
            else set()
        # The form a figure asked takes (a duration for "how long", a share, a sum of money)
        figure = figure_asked(question) if self.settings.kind_weight else None
        # What it quotes ("“我们将慎终如始，…”是在哪天说的？"): the passage holding it verbatim,
        # not one sharing the words of the rest (a compilation's note on "通电话").
        cited = quoted_sentences(question) if self.settings.quote_weight else []
        # and the terms an English one quotes, in the documents' words ('squad leader': 班长)
        terms = translation.quoted if self.settings.quote_weight and translation is not None \
            else ()
        # and the passages holding the asking clause's words in a row, as few passages do
        phrased = self._holding_phrases(question, ranked) \
            if self.settings.quote_weight and has_cjk(question) else set()
        # The call, letter or message of the day it names ("习近平2月28日和哪国领导人通了电话？"):
        # an excerpt whose attribution is that day's call ("（2020年2月28日同古巴国家主席迪亚斯—卡内
        # 尔通电话）") tells of it, whatever its own words share with the question: the best of
        # them is lifted.
        events = events_asked(question) if wanted and not by_month else []
        of_the_event: list[str] = []
        # The other side it names ("In his March 27 call with Trump…"): an excerpt of a call,
        # talk or message with another one (the Saudi king's call of that day) is of another
        # event, as one dated another day is.
        naming = question if has_cjk(question) else \
            "".join(translation.terms()) if translation is not None else ""  # "沙特" "国王"
        partners = {k: self._partners[k] for k in ranked if k in self._partners} \
            if self.settings.date_penalty else {}
        asked_sides = {p for p in partners.values() if names_partner(naming, p)}
        # The kind of exchange it asks of ("their talks", "通电话时"): one of another kind
        # (a call's excerpt for talks in person) is of another event
        exchanges = exchanges_asked(question) if self.settings.date_penalty else frozenset()
        # the kinds of answer-only passage this question does not ask for
        asked_for = {kind for kind in set(self._answer_only.values()) if kind[0](question)}
        # Of two prints of the same words, the one whose attribution dates them to the day asked
        dated_twins = self._dated_twins(question, ranked) if DATE in kinds else set()
        scored = []
        for key in ranked:
            score = fused[key] / best
            if focus or focus_groups or wanted or asked or position or counted or role or values \
                    or kinds or figure or listed or form or cited or terms or phrased:
                chunk = self.locations[key][0]
                quoted = (self.sentences.whole(chunk) or chunk).text
                if cited and any(c in self._squeezed[self.index_of[key]] for c in cited):
                    score += self.settings.quote_weight
                if terms and any(w in self._squeezed[self.index_of[key]] for g in terms for w in g):
                    score += self.settings.quote_weight * QUOTED_TERM_SHARE
                if key in phrased:
                    score += self.settings.quote_weight * QUOTED_TERM_SHARE
                if focus:
                    score += self.settings.focus_weight * overlap(focus, quoted)
                if focus_groups and key not in self.latin:
                    score += self.settings.focus_weight_en * group_overlap(focus_groups, quoted)
                if wanted:
                    agrees = self._date_agreement(key, quoted, wanted, by_month)
                    if key in self._signed and not by_month and ("letter" in events or asked):
                        # a letter of the day asked, whatever its report's dateline; one
                        # signed another day is another letter, and its words were not said
                        # that day ("习近平3月10日在武汉考察时对社区工作者说了什么？": not the
                        # letter of 4月8日 to Wuhan's community workers, seen in the browser)
                        agrees = 1 if self._signed_on(key, wanted) else -1
                    if dated is not None:
                        dated[key] = agrees  # the question's day, said or contradicted
                    if agrees < 0:
                        score -= self.settings.date_penalty
                    elif events and (self._dates_event(chunk.attribution, wanted, events) or
                                     ("letter" in events and self._signed_on(key, wanted))):
                        of_the_event.append(key)
                if counted and counted.search(quoted):
                    score += self.settings.count_weight
                if listed and listed.search(quoted):
                    score += self.settings.count_weight
                if form and form.search(quoted):
                    score += self.settings.count_weight
                if role and role.search(quoted):
                    score += self.settings.role_weight
                if values and holds_in_range(quoted, values):
                    score += self.settings.range_weight
                if kinds:  # a letter's date is in its sign-off, below its last passage
                    score += self.settings.kind_weight * \
                        type_match(kinds, f"{quoted} {chunk.tail_text or ''}", reached=True)
                if figure and figure.search(quoted):
                    score += self.settings.kind_weight
                if key in dated_twins:
                    score += self.settings.kind_weight
                if position and (placing := self.place_weight(position, key, quoted)):
                    score += self.settings.position_weight * placing
                    if placed is not None and position.points and not position.whole_list:
                        placed.add(key)  # the n-th point asked ("第二点倡议", "the third …")
                if asked:
                    said = passage_speaker(quoted)
                    if said and said != asked:
                        score -= self.settings.speaker_penalty
                    elif said == asked == OTHER and \
                            (not speakers or speaks_as(speaker_clause(quoted), speakers,
                                                       self._partners.get(key, ()))):
                        score += self.settings.speaker_bonus  # Xi's are seldom introduced so
            if asked_sides and key in partners and partners[key] not in asked_sides:
                score -= self.settings.date_penalty
            if exchanges:
                labelled = self.locations[key][0]
                if another_exchange(exchanges, f"{labelled.attribution or ''} {labelled.title or ''}"):
                    score -= self.settings.date_penalty
            only = self._answer_only.get(key)
            if key in self._lead_ins or (only is not None and only not in asked_for):
                score -= self.settings.lead_in_penalty
            elif only is not None and only[1](question):
                score += self.settings.lead_in_penalty
            scored.append((key, score))
        if of_the_event:
            # only its best excerpt: lifting them all would bring the others up beside it as
            # further quotes that do not answer (dev citation precision 0.915 -> 0.903)
            best_excerpt = max((kv for kv in scored if kv[0] in of_the_event), key=lambda kv: kv[1])
            scored = [(k, s + self.settings.event_day_weight if k == best_excerpt[0] else s)
                      for k, s in scored]
        scored.sort(key=lambda kv: kv[1], reverse=True)
        return [(k, max(0.0, min(1.0, s))) for k, s in scored]

    def _speaker_names(self, question: str) -> tuple[str, ...]:
        """How the documents write the other speaker a question names, () when it names none
        (or the dictionary does not know them: the longest ending of their words it has whole,
        as for a role)."""
        if has_cjk(question):
            named = other_speaker_named(question)
            return (named,) if named else ()
        return self.dictionary().name_roles(other_speaker_words(question))

    def _holding_phrases(self, question: str, ranked: list[str]) -> set[str]:
        """The candidates holding a run of the asking clause's characters (question_type.
        asked_phrases) that at most `PHRASE_PASSAGES` of them hold: words many hold ("要求健全
        …") point at none."""
        held: set[str] = set()
        for phrase in asked_phrases(question):
            holding = {k for k in ranked if phrase in self._squeezed[self.index_of[k]]}
            if len(holding) <= PHRASE_PASSAGES:
                held |= holding
        return held

    def lifted_for(self, question: str) -> frozenset[str]:
        """The passages that answer only a question asking for them (`ANSWER_ONLY`) which this
        question lifts above the others: the cheers it asks, the byline of a paper it asks."""
        lifting = {lifted for _, lifted in self._answer_only.values() if lifted(question)}
        return frozenset(key for key, (_, lifted) in self._answer_only.items() if lifted in lifting)

    def _dated_twins(self, question: str, ranked: list[str]) -> set[str]:
        """Of the candidates, those whose attribution gives the day asked of the event
        ("——3月21日，就德国发生新冠肺炎疫情向德国总理默克尔致慰问电") and that share a sentence
        with one whose attribution does not ("（2020年3月就德国发生…的慰问电）", the same message
        excerpted in another file): the same words, better dated (fresh batch d71-005)."""
        dated = {k for k in ranked if gives_event_day(question, self.locations[k][0].attribution)}
        if not dated or len(dated) == len(ranked):
            return set()

        def sentences(key: str) -> set[str]:
            return {_WS.sub("", s) for s in sentence_texts(self.locations[key][0].text)
                    if len(s) >= TWIN_SENTENCE}

        undated = set().union(*(sentences(k) for k in ranked if k not in dated))
        return {k for k in dated if sentences(k) & undated}

    def _signed_on(self, key: str, wanted: set) -> bool:
        """Whether the passage is of a letter signed on a day asked of ("习近平 2020年3月15日")."""
        return bool(zh_dates(self._signed.get(key, "")) & wanted)

    def _signed_letters_of(self, wanted: set) -> list[str]:
        """The passages of the letters signed on a day asked of."""
        return [key for key in self._signed if self._signed_on(key, wanted)]

    @staticmethod
    def _dates_event(attribution: str | None, wanted: set, events: list[str]) -> bool:
        """Whether an excerpt's attribution dates, on a day asked of, an event of a kind asked
        of (a call, a letter, a message)."""
        return bool(attribution) and bool(zh_dates(attribution) & wanted) and \
            any(labels_event(kind, outside_titles(attribution)) for kind in events)

    def place_weight(self, position: Position, key: str, text: str) -> float:
        """How well a passage (its quoted `text`) stands where a question points: its speech's
        opening or end, or the n-th point of a list, 0 when not at all (rag/position.py)."""
        return place_weight(position, text, *self._ends.get(key, (False, False)))

    def sentence_similarities(self, keys: list[str], vector: np.ndarray) -> dict[str, list[float]]:
        """For each passage, the cosine of the question with each of its sentences, in order."""
        vectors = self.store.sentence_vectors(self._counts(keys))
        return {k: (m @ vector).tolist() for k, m in vectors.items()}

    def _counts(self, keys: list[str]) -> dict[str, int]:
        """How many sentences each passage was stored with (as ingest split them)."""
        counts = {}
        for k in keys:
            if k not in self._sentence_counts:
                self._sentence_counts[k] = len(sentence_texts(self.locations[k][0].text))
            counts[k] = self._sentence_counts[k]
        return counts
