"""The lexical side of retrieval: BM25 over character bigrams of Chinese and words of English.

Chinese has no spaces; overlapping character bigrams match Chinese words without a dictionary
and keep names, numbers and list items findable. Scoring is bm25s's sparse matrix: one
vectorised pass per query, no Python loop over passages.
"""

from __future__ import annotations

import logging
import re

import numpy as np

_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z]+|\d+(?:\.\d+)?")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff\d])\s+(?=[\u3400-\u9fff\uf900-\ufaff])")
# Question words say what is asked, not what the answer's text contains.
_QUESTION_BIGRAMS = {
    "什么", "哪些", "哪个", "哪里", "哪一", "哪天", "多少", "是否", "如何", "怎样", "怎么", "为什",
    "么是", "是什", "些什", "了什", "提出", "指出", "强调", "说了", "了哪", "出了", "是哪", "有哪",
}
_EN_STOP = {"the", "a", "an", "of", "to", "in", "on", "and", "or", "is", "are", "was", "were",
            "what", "which", "who", "whom", "when", "where", "why", "how", "did", "does", "do",
            "for", "with", "by", "at", "as", "that", "this", "it", "be", "from", "about"}


def tokens(text: str, query: bool = False) -> list[str]:
    """Bigrams of each run of Chinese characters (a lone character stands alone), lowercased
    English words and numbers. For a question, question words are left out."""
    out: list[str] = []
    text = _CJK_GAP.sub("", text)  # "王 毅", "330 多支": spaced-out words still match
    for run in _TOKEN.findall(text):
        if _CJK.match(run):
            if len(run) == 1:
                out.append(run)
            else:
                out.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            word = run.lower()
            if not (query and word in _EN_STOP):
                out.append(word)
    if query:
        out = [t for t in out if t not in _QUESTION_BIGRAMS]
    return out


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


class LexicalIndex:
    """BM25 over a fixed list of documents (one per unique passage)."""

    def __init__(self, documents: list[str]):
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG on import
        self.size = len(documents)
        self._bm25 = bm25s.BM25()
        tokenized = [tokens(d) or ["\u2205"] for d in documents]
        if tokenized:
            self._bm25.index(tokenized, show_progress=False)
        self.vocab = set(self._bm25.vocab_dict) if tokenized else set()

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every document for the query."""
        known = [t for t in query_tokens if t in self.vocab]
        if not known or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def coverage(self, query_tokens: list[str]) -> float:
        """Share of the query's tokens that occur anywhere in the corpus."""
        if not query_tokens:
            return 0.0
        return sum(t in self.vocab for t in query_tokens) / len(query_tokens)


def overlap(query_tokens: list[str], text: str) -> float:
    """Share of the query's distinct tokens found in `text`."""
    q = set(query_tokens)
    if not q:
        return 0.0
    return len(q & set(tokens(text))) / len(q)
