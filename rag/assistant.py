"""The public API: `Assistant.from_config(path).ask(question)` -> `Answer`.

The CLI and the UI call only this. It loads the catalog, opens the store, and answers with
quotes that have each been checked against the original file before they are returned.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .abstention import (
    Evidence,
    answer_probability,
    gather,
    labelled_answer,
    question_names,
    should_abstain,
    sure_threshold,
)
from .catalog import Catalog, load_catalog
from .compose import (
    abstention_text,
    answer_lead,
    answer_sentence,
    answer_text,
    asking_words,
    asks_what_was_said,
    choose_citations,
    pack_context,
    through_attribution,
    to_citation,
)
from .conversation import (
    Articles,
    Reading,
    conversation_probability,
    first_in_topic,
    follow_up_relief,
    in_context,
    read,
    read_history,
    search_follow_up,
    with_counterpart,
    with_days,
    with_last_point,
)
from .dates import question_dates
from .errors import IndexError_, QuestionError
from .formats import Extracted
from .ingest import catalog_path, extraction_dir
from .position import asked_position
from .question_type import asks_saying
from .reading import SourceText, UnreadableFile, line_starts, read_source
from .retrieval import Retrieved, Retriever
from .settings import Settings, load_settings
from .tokens import count_tokens
from .types import Answer, Article, Citation, Hit
from .verify import check_quote

log = logging.getLogger("rag.answer")

MAX_QUESTION_CHARS = 2000  # the model reads 512 tokens; longer questions are cut, with a note


def clean_question(question: str) -> str:
    """The question with control characters removed and whitespace collapsed."""
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in question)
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise QuestionError("the question is empty: type a question in Chinese or English")
    if not re.search(r"[\w]", text):
        raise QuestionError("the question has no words, only punctuation: type a question")
    return text[:MAX_QUESTION_CHARS]


def place(citation, found: Extracted | None) -> None:
    """Say where a verified quote is in the file's own terms: its page(s) or heading path."""
    if found is None:
        return
    citation.page = found.page_at(citation.char_start)
    end = found.page_at(max(citation.char_start, citation.char_end - 1))
    citation.page_end = end if end != citation.page else None
    citation.locator = found.locator_at(citation.char_start)


def _warm_up(embedder) -> list[threading.Thread]:
    """Load what the first answer needs, in background threads: the model in one (onnxruntime
    works outside Python's lock), the word dictionary and the token counter in the other. A
    failure here is reported again, in context, when the thing is used."""

    def model() -> None:
        preload = getattr(embedder, "preload", None)
        if preload:
            preload()

    def words() -> None:
        from .segment import warm_up

        warm_up()
        count_tokens("")

    def quietly(job) -> None:
        try:
            job()
        except Exception as exc:  # noqa: BLE001 - raised again where it is used
            log.debug("warm-up: %s", exc)

    # Not daemons: a process that stops early (an empty question) waits the second they take.
    # Torn down mid-load, onnxruntime's native threads abort the process ("terminate called
    # without an active exception", exit -6) instead of the clean one-line error.
    threads = [threading.Thread(target=quietly, args=(job,), daemon=False, name="rag-warm-up")
               for job in (model, words)]
    for t in threads:
        t.start()
    return threads


@dataclass
class _Index:
    """What answers read, all of one index (in http mode, one generation). An answer takes it
    once, at its start: a swap (`reload`, a new generation) replaces it whole, never mid-answer."""

    catalog: Catalog
    retriever: Retriever
    articles: Articles  # for follow-ups: passages by article
    read: Callable[[str], SourceText]  # a file's text as indexed, by name
    loaded: object = None  # http mode: the generation (rag.shared_index.Generation) held
    originals: dict[str, tuple[str, list[int]] | None] = field(default_factory=dict)
    maps: dict[str, Extracted | None] = field(default_factory=dict)  # pages, heading paths


class Assistant:
    """Answers questions from the indexed corpus with verified, cited quotations."""

    def __init__(self, settings: Settings, embedder=None, store=None, reuse=None):
        """`reuse` (http mode): the generation held now, for what a new one shares with it."""
        self.settings = settings
        generation = None
        if settings.store.mode == "http" and store is None:
            # Everything from the Chroma server: catalog, vectors, texts (rag/shared_index.py).
            from .shared_index import load_generation

            generation = load_generation(settings, reuse)
            catalog, store = generation.catalog, generation.store
        else:
            catalog = load_catalog(catalog_path(settings))
            if catalog is None or not catalog.files:
                raise IndexError_(f"no index at {settings.state_dir}: run `rag ingest` first")
        if embedder is None:
            from .embedding import make_embedder

            embedder = make_embedder(settings.embedding)
        # Load the model, the word dictionary and the token counter in the background while
        # the index is opened: a process answers its first question sooner (see `ask`).
        self._warming = _warm_up(embedder)
        if store is None:
            from .vector_snapshot import open_answering_store

            store = open_answering_store(settings, catalog.keys())
        if store.count() == 0:
            raise IndexError_(f"the index at {settings.store.path} holds no passages although "
                              "the catalog lists some: run `rag ingest --rebuild`")
        self.embedder = embedder
        if generation is not None:
            retriever = Retriever(catalog, store, embedder, settings.retrieval,
                                  text_of=generation.text_of)
            read = generation.read
        else:
            retriever = Retriever(catalog, store, embedder, settings.retrieval,
                                  cache_dir=settings.state_dir, corpus_dir=settings.corpus.path)

            def read(name: str) -> SourceText:
                return read_source(settings.corpus.path / name, name, extraction_dir(settings))

        articles = Articles(catalog.all_chunks(), retriever.latin)
        self._index = _Index(catalog, retriever, articles, read, generation)
        self._lock = threading.Lock()
        self.generator = None  # the optional generated answer (answer.generator)
        if settings.answer.generator.base_url:
            from .generator import Generator

            self.generator = Generator(settings.answer.generator)

    @classmethod
    def from_config(cls, path: str | Path | None = None) -> Assistant:
        return cls(load_settings(path))

    @property
    def catalog(self) -> Catalog:
        return self._index.catalog

    @property
    def retriever(self) -> Retriever:
        return self._index.retriever

    @property
    def articles(self) -> Articles:
        return self._index.articles

    @property
    def generation(self) -> int | None:
        """In http mode, the generation answered from (rag/shared_index.py); else None."""
        loaded = self._index.loaded
        return loaded.number if loaded is not None else None

    # -- documents -------------------------------------------------------------------------
    def documents(self) -> dict[str, list[Article]]:
        """Each indexed file with its article outline."""
        return {name: e.articles for name, e in sorted(self.catalog.files.items())}

    def source_text(self, source: str, index: _Index | None = None) -> str | None:
        """The original text of an indexed document; None for any name not in the index."""
        index = index or self._index
        if source not in index.catalog.files:
            return None
        original = self._original(source, index)
        return original[0] if original else None

    def _original(self, source: str, index: _Index) -> tuple[str, list[int]] | None:
        with self._lock:
            if source not in index.originals:
                entry = index.catalog.files[source]
                try:
                    src = index.read(source)
                except (UnreadableFile, OSError) as exc:
                    log.warning("cannot re-read %s to verify quotes: %s", source, exc)
                    index.originals[source] = None
                else:
                    if src.sha256 != entry.sha256:
                        log.warning("%s changed since it was indexed: run `rag ingest`", source)
                        index.originals[source] = None
                    else:
                        index.originals[source] = (src.text, line_starts(src.text))
                        index.maps[source] = src.extracted
            return index.originals[source]

    # -- answers ---------------------------------------------------------------------------
    def ask(self, question: str, top_k: int | None = None,
            sources: list[str] | tuple[str, ...] | None = None,
            history: list | None = None, generate: bool = True) -> Answer:
        """Answer with verified quotations, or abstain when the documents do not say.

        With a generator configured and `generate`, the answer also carries the generated
        text, checked sentence by sentence (see `write`, which streams it).

        `history`: the earlier turns of the conversation, oldest first (Answer objects, their
        dicts, or {"question", "answer"} items); a follow-up is read in their context."""
        t0 = time.perf_counter()
        index = self._index  # this answer reads one index throughout, whatever swaps meanwhile
        retriever = index.retriever
        text = clean_question(question)
        for thread in self._warming:  # at once after the first question
            thread.join()
        top_k = max(1, int(top_k or self.settings.retrieval.top_k))
        wanted = tuple(s for s in (sources or ()) if s)
        unknown = [s for s in wanted if s not in index.catalog.files]
        if unknown:
            raise QuestionError(f"no indexed document named '{unknown[0]}'")
        text, turns, drawn, relative = self._in_context(text, history, index)
        retrieved, evidence, reading = self._search(text, turns, index, top_k, wanted, relative)
        search_query, context_from = text, drawn
        strictness = self.settings.answer.abstain_strictness
        if reading is not None:
            search_query, context_from = reading.search_query, reading.context_from
            strictness -= follow_up_relief(text, evidence, retrieved.hits, reading,
                                          retrieved.placed)
        elif retrieved.hits and (retrieved.hits[0].chunk.key in retrieved.placed or
                                 labelled_answer(text, retrieved.hits[0])):
            # the n-th point asked, or a passage its labels say is of the event, exchange or
            # letter asked, found first: it answers what was asked
            strictness -= 1.0
        t1 = time.perf_counter()
        citations, picks, cited = [], [], []
        if retrieved.hits and not should_abstain(evidence, strictness):
            # sure enough to need no hedging quote from another article; for a follow-up, its
            # first passage from the article under discussion ("他还对中俄合作说了什么？": not a
            # quote from the call with the Saudi king beside the call with Putin, seen in the
            # browser)
            sure = answer_probability(evidence) >= sure_threshold(
                evidence, self.settings.answer.sure_answer) or \
                (reading is not None and first_in_topic(retrieved.hits, reading))
            chosen = choose_citations(retrieved.hits, self.settings.answer, count_tokens,
                                      question_names(text), index.articles.speech, sure)
            sims = retriever.sentence_similarities([h.chunk.key for h in chosen],
                                                   retrieved.vector)
            focus = asking_words(text, retrieved.translation)
            position = asked_position(text)
            says_what = asks_what_was_said(text)
            days = question_dates(text)
            saying = asks_saying(text)
            for hit in chosen:
                # carried on to its attribution line when that says what was asked (as it is
                # when the longer quote does not verify)
                reached = through_attribution(hit, retrieved.kinds, retriever.sentences)
                verified = self._first_verified(
                    len(citations) + 1, [reached, hit] if reached is not hit else [hit], index)
                if verified is not None:
                    citation, hit = verified
                    citations.append(citation)
                    cited.append(hit)
                    sentence = answer_sentence(hit, retrieved.query_tokens,
                                               sims.get(hit.chunk.key), retrieved.kinds,
                                               focus, position, says_what, days, saying)
                    picks.append((citation.n, sentence))
        abstained = not citations
        lead = answer_lead(retrieved.kinds, picks[0][1], citations[0], cited[0].signed) \
            if picks else ""
        answer = abstention_text(text) if abstained else answer_text(text, picks, lead)
        t2 = time.perf_counter()
        timings = dict(retrieved.timings_ms)
        timings.update(retrieve=(t1 - t0) * 1000, answer=(t2 - t1) * 1000, total=(t2 - t0) * 1000)
        result = Answer(question=question, abstained=abstained, answer=answer,
                        citations=citations, passages=retrieved.hits[:max(top_k, 1)],
                        timings_ms=timings, search_query=search_query, context_from=context_from)
        if generate:
            for _ in self.write(result):
                pass
        return result

    def _search(self, text: str, turns: list, index: _Index, top_k: int,
                wanted: tuple[str, ...] = (), relative: bool = False
                ) -> tuple[Retrieved, Evidence, Reading | None]:
        """The passages and the evidence for a question, read in the conversation's context
        when it is a follow-up (then with its `Reading`; None when it stands alone).
        `relative`: its day was written out from one named relative to the day discussed."""
        retriever = index.retriever
        retrieved = retriever.search(text, top_k, wanted)
        evidence = gather(text, retrieved.hits, retriever.lexical.vocab, retrieved.glossed,
                          retrieved.translation)
        if not turns:
            return retrieved, evidence, None
        reading = read(text, turns, index.articles, retrieved.hits,
                       conversation_probability(evidence), retriever.chinese_words, relative)
        log.info("read as %s (%s): %s", "follow-up" if reading.follow_up else "standalone",
                 reading.reason, reading.search_query)
        if not reading.follow_up:
            return retrieved, evidence, None
        retrieved = search_follow_up(retriever, text, retrieved, reading, top_k, wanted)
        return retrieved, gather(reading.evidence_text, retrieved.hits,
                                 retriever.lexical.vocab, retrieved.glossed,
                                 retrieved.translation, asked=text), reading

    def search_in_context(self, question: str, history: list | None = None, top_k: int = 10
                          ) -> tuple[Retrieved, Evidence, Reading | None]:
        """What `ask` decides from, before it decides: the passages, the evidence and, for a
        follow-up, how it was read (for fitting the abstention, rag/eval_conversations.py)."""
        index = self._index
        text, turns, _, relative = self._in_context(clean_question(question), history, index)
        return self._search(text, turns, index, top_k, relative=relative)

    @staticmethod
    def _in_context(text: str, history: list | None, index: _Index
                    ) -> tuple[str, list, list[int], bool]:
        """The question as it is searched, the turns it is read with, the turns it drew on
        before reading and whether its day is the conversation's: asked alone after "换个话题：",
        a day named relative to the one discussed written out ("第二天…" -> "3月30日…"), the last
        question asked of something else when this one only names that ("那西班牙首相呢？": then
        asked alone, having drawn on the last)."""
        text, turns = in_context(text, read_history(history))
        dated = with_days(text, turns, index.articles)
        text, relative = with_last_point(dated, turns, index.articles), dated != text
        parallel = with_counterpart(text, turns)  # "第二天呢？" -> "4月1日呢？" -> the last, of 4月1日
        if parallel is not None:
            return parallel, [], [len(turns)], relative
        return text, turns, [], relative

    def write(self, answer: Answer) -> Iterator[str]:
        """The generated answer as it streams in: yields the checked text so far, each time a
        sentence passes; at the end `answer` carries `generated`, `dropped_sentences`,
        `generator` and, when it fell back, `generator_note`. Nothing without a generator."""
        if self.generator is None:
            return
        answer.generator = self.generator.name
        if answer.abstained or not answer.citations:
            return
        from .generator import Draft

        t0 = time.perf_counter()
        draft = Draft()
        yield from self.generator.write(answer.question, answer.citations, draft)
        answer.generated, answer.dropped_sentences = draft.text, draft.dropped
        answer.generator_note = draft.note
        answer.timings_ms["generate"] = (time.perf_counter() - t0) * 1000

    def _first_verified(self, n: int, hits: list[Hit], index: _Index
                        ) -> tuple[Citation, Hit] | None:
        """The citation of the first of these readings of one passage that verifies, and it
        (only the last one's failure is logged as a dropped citation)."""
        for i, hit in enumerate(hits):
            citation = to_citation(n, hit)
            if self.verify(citation, index, log_drop=i == len(hits) - 1):
                return citation, hit
        return None

    def verify(self, citation, index: _Index | None = None, log_drop: bool = True) -> bool:
        """Check a citation against its original file; log (unless not `log_drop`) and refuse
        it if it fails."""
        index = index or self._index
        original = self._original(citation.source, index)
        if original is None:
            log.warning("dropped citation from %s: the file cannot be re-read", citation.source)
            return False
        text, starts = original
        reason = check_quote(text, citation.quote, citation.char_start, citation.char_end,
                             citation.line_start, citation.line_end, starts)
        if reason:
            if log_drop:
                log.warning("dropped citation %s:%d-%d: %s", citation.source,
                            citation.line_start, citation.line_end, reason)
            return False
        place(citation, index.maps.get(citation.source))
        return True

    def source_pages(self, source: str) -> tuple[int, ...] | None:
        """For an indexed PDF, the offset in its extracted text where each page starts."""
        index = self._index
        if self.source_text(source, index) is None:
            return None
        found = index.maps.get(source)
        return found.pages if found else None

    def reload(self) -> None:
        """Take up the index as it is now (after an upload or a removal, or in http mode a new
        generation), without a restart: a fresh catalog, store and retriever over the same
        model, built whole before it replaces the old (answers under way finish on the old)."""
        fresh = type(self)(self.settings, embedder=self.embedder, reuse=self._index.loaded)
        with self._lock:
            for key, value in vars(fresh).items():
                if key != "_lock":
                    setattr(self, key, value)

    def follow(self) -> threading.Thread | None:
        """In http mode, take up every new ingest within `store.poll_s` seconds (polling the
        Chroma server in a background thread); None in embedded mode."""
        if self.generation is None:
            return None
        from .shared_index import follow

        return follow(self, self.settings.store.poll_s)

    def context(self, question: str, budget: int | None = None, top_k: int | None = None,
                sources: list[str] | None = None) -> str:
        """The cited passages packed into `budget` tokens, ready to paste into a language model."""
        answer = self.ask(question, top_k=top_k, sources=sources, generate=False)
        budget = budget or self.settings.answer.context_budget
        if answer.abstained:
            return ""
        return pack_context(answer.citations, budget, count_tokens)
