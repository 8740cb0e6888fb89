"""Hybrid retrieval: dense (query prompt) and BM25 over bigrams, fused by weighted reciprocal rank.

The lexical side is weighted by how much of the question it can match at all: an English
question over Chinese documents matches almost nothing lexically, and fusing a ranking that
matched nothing would only pull the dense ranking down.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .catalog import Catalog
from .chunking import sentence_texts
from .embedding import Embedder
from .lexical import LexicalIndex, has_cjk, overlap, tokens
from .settings import RetrievalSettings
from .types import Chunk, Hit, Location


@dataclass
class Retrieved:
    hits: list[Hit]
    query_tokens: list[str]
    timings_ms: dict[str, float]
    vector: np.ndarray | None = None  # the question's embedding


def rrf(rankings: list[tuple[list[str], float]], k: int) -> dict[str, float]:
    """Weighted reciprocal rank fusion: sum over rankings of weight / (k + rank), rank from 1."""
    fused: dict[str, float] = {}
    for ranking, weight in rankings:
        if weight <= 0:
            continue
        for rank, key in enumerate(ranking, start=1):
            fused[key] = fused.get(key, 0.0) + weight / (k + rank)
    return fused


class Retriever:
    """Searches the passages a catalog names, through a vector store and a lexical index."""

    def __init__(self, catalog: Catalog, store, embedder: Embedder, settings: RetrievalSettings):
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self.locations: dict[str, list[Chunk]] = {}
        for chunk in catalog.all_chunks():
            self.locations.setdefault(chunk.key, []).append(chunk)
        self.keys = list(self.locations)
        self.index_of = {k: i for i, k in enumerate(self.keys)}
        docs = []
        for key in self.keys:
            locs = self.locations[key]
            labels = {f"{c.title} {c.attribution or ''}" for c in locs}
            docs.append(locs[0].text + " " + " ".join(sorted(labels)))
        self.lexical = LexicalIndex(docs)
        by_source: dict[str, set[int]] = {}
        for i, key in enumerate(self.keys):
            for c in self.locations[key]:
                by_source.setdefault(c.source, set()).add(i)
        self._by_source = {s: np.fromiter(ix, dtype=np.int64) for s, ix in by_source.items()}
        self._source_masks: dict[tuple[str, ...], np.ndarray] = {}
        self._sentence_counts: dict[str, int] = {}

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

    def search(self, question: str, top_k: int, sources: tuple[str, ...] = (),
               prior: dict[str, float] | None = None) -> Retrieved:
        """The best passages for a question, best first, at least `top_k` when the index has them.

        `prior` (passage key -> weight, from a conversation) ranks those passages by meaning
        among themselves as a further fused ranking, each scaled by its weight: a follow-up
        leans towards the article already under discussion without ignoring the rest."""
        t0 = time.perf_counter()
        n = max(self.settings.candidates, top_k)
        vector = self.embedder.embed_query(question)
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

        q_tokens = tokens(question, query=True)
        coverage = self.lexical.coverage(q_tokens)
        # English questions over Chinese text match nothing useful lexically (see eval/).
        weight = self.settings.lexical_weight if has_cjk(question) and coverage > 0 else 0.0
        lex_ranking: list[str] = []
        if weight > 0.05:
            scores = self.lexical.scores(q_tokens)
            if sources:
                scores = np.where(self._mask(sources), scores, 0.0)
            top = np.argpartition(-scores, min(n, len(scores) - 1))[:n] if len(scores) > n \
                else np.arange(len(scores))
            top = top[np.argsort(-scores[top])]
            lex_ranking = [self.keys[i] for i in top if scores[i] > 0]
        fused = rrf([(dense, 1.0), (lex_ranking, weight)], self.settings.rrf_k)
        lift = 0.0
        if prior:
            within = sorted((k for k in candidates if prior.get(k, 0.0) > 0),
                            key=dense_total.get, reverse=True)
            for rank, key in enumerate(within, start=1):
                fused[key] = fused.get(key, 0.0) + prior[key] / (self.settings.rrf_k + rank)
            lift = max(prior.values(), default=0.0)
        best = 1.0 / (self.settings.rrf_k + 1) * (1.0 + max(weight, 0.0) + max(lift, 0.0))
        ranked = sorted(fused, key=fused.get, reverse=True)[: max(n, top_k)]
        self._fill(ranked, ctx, sent, vector)  # lexical-only finds get their cosines too
        hits = []
        for key in ranked:
            locs = self.locations[key]
            if sources:
                locs = [c for c in locs if c.source in sources] + \
                       [c for c in locs if c.source not in sources]
            chunk = locs[0]
            hits.append(Hit(
                chunk=chunk,
                score=min(1.0, fused[key] / best),
                dense=ctx.get(key, 0.0),
                sentence=sent.get(key, 0.0),
                lexical=overlap(q_tokens, chunk.text),
                also_in=[Location(c.source, c.line_start, c.line_end) for c in locs[1:]],
            ))
        t2 = time.perf_counter()
        return Retrieved(hits, q_tokens,
                         {"embed": (t1 - t0) * 1000, "search": (t2 - t1) * 1000}, vector)

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
