"""The lexical side of retrieval: BM25 over character bigrams of Chinese and words of English.

Chinese has no spaces; overlapping character bigrams match Chinese words without a dictionary
and keep names, numbers and list items findable. Scoring walks one posting array per query
term: no Python loop over passages.
"""

from __future__ import annotations

import re

import numpy as np

_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z]+|\d+(?:\.\d+)?")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
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


def is_latin(text: str) -> bool:
    """Text written in a Latin-letter language (English), not Chinese with Latin terms."""
    return len(_CJK.findall(text)) * 5 < len(_LATIN.findall(text))


class LexicalIndex:
    """BM25 over a fixed list of documents (one per unique passage).

    The same scores as bm25s's default (Lucene's idf, Robertson's term frequency, k1 1.5,
    b 0.75; tests/test_lexical_bm25.py compares them), computed here with numpy: importing
    bm25s and scipy cost more than the whole index of a few thousand passages."""

    K1, B = 1.5, 0.75

    def __init__(self, documents: list[str]):
        self.size = len(documents)
        tokenized = [tokens(d) or ["\u2205"] for d in documents]
        lengths = np.array([len(t) for t in tokenized], dtype=np.float32)
        average = float(lengths.mean()) if self.size else 1.0
        postings: dict[str, dict[int, int]] = {}
        for doc, toks in enumerate(tokenized):
            for t in toks:
                row = postings.setdefault(t, {})
                row[doc] = row.get(doc, 0) + 1
        norm = self.K1 * ((1 - self.B) + self.B * lengths / average)
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, row in postings.items():
            docs = np.fromiter(row.keys(), dtype=np.int64, count=len(row))
            tf = np.fromiter(row.values(), dtype=np.float32, count=len(row))
            idf = np.log(1.0 + (self.size - len(row) + 0.5) / (len(row) + 0.5))
            self._postings[term] = (docs, (idf * tf / (norm[docs] + tf)).astype(np.float32))
        self.vocab = set(self._postings)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every document for the query."""
        out = np.zeros(self.size, dtype=np.float32)
        for t in query_tokens:
            posting = self._postings.get(t)
            if posting is not None:
                np.add.at(out, posting[0], posting[1])
        return out

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
