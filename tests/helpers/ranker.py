"""A Retriever holding only what `Retriever._rank` reads, for unit tests of the ranking levers."""

from __future__ import annotations

from rag.retrieval import Retriever
from rag.settings import RetrievalSettings
from rag.speaker import partner_of
from rag.types import Chunk
from rag.whole_sentences import WholeSentences


def ranker(settings: RetrievalSettings, *chunks: Chunk,
           context_dates: dict | None = None) -> Retriever:
    """A Retriever with only what `_rank` reads: the passages (their texts squeezed as the
    lexical index holds them), their whole sentences, their
    dates (none unless given) and the other sides their attributions name, no lead-ins, no
    passages that answer only a question asking for them, no Latin-letter passages, no signed
    letters."""
    retriever = object.__new__(Retriever)
    retriever._lead_ins = set()
    retriever._answer_only = {}
    retriever.latin = set()
    retriever.settings = settings
    retriever.locations = {c.key: [c] for c in chunks}
    retriever.keys = list(retriever.locations)
    retriever.index_of = {k: i for i, k in enumerate(retriever.keys)}
    retriever._squeezed = ["".join(retriever.locations[k][0].text.split()) for k in retriever.keys]
    retriever.sentences = WholeSentences(list(chunks))
    retriever._context_dates = context_dates or {}
    retriever._text_dates = {}
    retriever._text_months = {}
    retriever._signed = {}
    retriever._partners = {c.key: side for c in chunks if (side := partner_of(c.attribution))}
    return retriever
