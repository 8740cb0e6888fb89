"""The quick-loading tokenizers against the ones they stand in for, on real text.

- rag/fast_tokenizer.py: SentencePiece converted from tokenizer.json must give tokenizers' own
  ids for every passage and question we have, random texts of the characters documents are
  written in, and (through its fallback) the texts where SentencePiece alone would differ.
- rag/segment.py: jieba's segmenter over the sorted frequency table must cut exactly as jieba
  with its own dict does.
"""

from __future__ import annotations

import json
import random

import pytest
from conftest import CORPUS, MODEL

from rag.fast_tokenizer import FastTokenizer, fast_path_agrees, sentencepiece_path

ROOT = MODEL.parent.parent
TOKENIZER = MODEL / "tokenizer.json"


def _questions() -> list[str]:
    out = [json.loads(line)["question"]
           for line in (ROOT / "eval" / "dataset.jsonl").read_text(encoding="utf-8").splitlines()
           if line.strip()]
    for line in (ROOT / "eval" / "conversations.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            out += [turn["question"] for turn in json.loads(line).get("turns", [])]
    return out


def _corpus_lines() -> list[str]:
    lines = []
    for path in sorted(CORPUS.glob("*.txt")):
        lines += [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return lines


@pytest.fixture(scope="module")
def reference():
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(TOKENIZER))
    tok.no_padding()
    tok.enable_truncation(512)
    return tok


@pytest.fixture(scope="module")
def fast():
    tok = FastTokenizer(TOKENIZER, 512)
    assert tok._fast is not None, "the SentencePiece form was not built"
    assert sentencepiece_path(TOKENIZER).is_file()
    return tok


@pytest.mark.integration
def test_same_ids_on_every_passage_and_question(fast, reference):
    texts = ["query: " + q for q in _questions()]
    texts += ["passage: " + ln for ln in _corpus_lines()]
    texts += ["passage: " + "疫" * 900, "passage: " + "word " * 700]  # truncated at 512
    got = fast.encode_batch(texts)
    want = [e.ids for e in reference.encode_batch(texts)]
    differ = [t[:60] for t, a, b in zip(texts, got, want, strict=True) if a != b]
    assert not differ, differ[:5]
    assert max(len(ids) for ids in got) == 512
    share = sum(fast_path_agrees(t) for t in texts) / len(texts)
    assert share > 0.95  # nearly all real text takes the quick path


@pytest.mark.integration
def test_same_ids_on_random_and_awkward_text(fast, reference):
    rng = random.Random(7)
    ranges = [(0x20, 0x7e), (0x4e00, 0x9fff), (0x3000, 0x303f), (0xff01, 0xff5e),
              (0x2000, 0x206f), (0xa0, 0x24f), (0x9, 0xd), (0x1f600, 0x1f64f)]
    texts = ["".join(chr(rng.randint(*rng.choice(ranges))) for _ in range(rng.randint(1, 30)))
             for _ in range(4000)]
    texts += ["trailing  ", " ", "", "<mask> x <s> y", "Ｋ~‴", "\xa0〭\xa0丽ｓ", "a\u200b\u200c"]
    got = fast.encode_batch(texts)
    want = [e.ids for e in reference.encode_batch(texts)]
    assert [t for t, a, b in zip(texts, got, want, strict=True) if a != b] == []
    # the awkward ones went to tokenizers itself; plain text did not
    assert not fast_path_agrees("Ｋ~‴") and not fast_path_agrees("trailing  ")
    assert fast_path_agrees("武汉什么时候解除离汉通道管控？") and fast_path_agrees("When did it end?")


def test_jieba_over_the_sorted_table_cuts_as_jieba(tmp_path, monkeypatch):
    import jieba

    from rag import segment

    monkeypatch.setenv("RAG_CACHE_DIR", str(tmp_path))
    segment._tokenizer.cache_clear()
    try:
        segment._tokenizer()  # builds the table the first time
        segment._tokenizer.cache_clear()
        quick = segment._tokenizer()  # and loads it the second
        assert isinstance(quick.FREQ, segment.SortedFrequencies)
        reference = jieba.Tokenizer()
        reference.initialize()
        assert len(quick.FREQ) == len(reference.FREQ)
        texts = _corpus_lines()[::7] + _questions()[::3] + ["", "abc 123", "乒乓球拍卖完了"]
        for text in texts:
            assert list(quick.cut(text, HMM=False)) == list(reference.cut(text, HMM=False)), text
        assert quick.FREQ.get("武汉") == reference.FREQ["武汉"]
        assert quick.FREQ.get("不是一个词的东西") is None and "不是一个词的东西" not in quick.FREQ
    finally:
        segment._tokenizer.cache_clear()
