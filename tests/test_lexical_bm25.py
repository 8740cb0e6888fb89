"""The numpy BM25 of rag/lexical.py gives bm25s's scores (the library it replaced)."""

import numpy as np
import pytest
from conftest import CORPUS

from rag.lexical import LexicalIndex, tokens

bm25s = pytest.importorskip("bm25s")


def _documents() -> list[str]:
    text = (CORPUS / "000_8ced48c5a6f24f61.txt").read_text(encoding="utf-8")
    return [p for p in text.split("\n") if p.strip()][:300] + ["", "Xi Jinping spoke by phone"]


QUESTIONS = [
    "习近平给武汉哪个社区的全体社区工作者回了信？",
    "政治局会议提出的六保包括哪些",
    "Xi Jinping phone call",
    "疫情防控 复工复产 2020年",
    "完全不相关的词语组合",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_scores_equal_bm25s(question):
    docs = _documents()
    ours = LexicalIndex(docs)
    theirs = bm25s.BM25()
    theirs.index([tokens(d) or ["\u2205"] for d in docs], show_progress=False)
    q = tokens(question, query=True)
    known = [t for t in q if t in ours.vocab]
    assert ours.vocab == set(theirs.vocab_dict) - {""}  # bm25s adds an empty token
    expected = np.asarray(theirs.get_scores(known), dtype=np.float32) if known \
        else np.zeros(len(docs), dtype=np.float32)
    np.testing.assert_allclose(ours.scores(q), expected, rtol=1e-5, atol=1e-6)


def test_empty_index_and_query():
    index = LexicalIndex([])
    assert index.scores(["武汉"]).shape == (0,)
    assert LexicalIndex(["武汉"]).coverage([]) == 0.0
