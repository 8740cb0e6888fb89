"""The model's tokenizer, quick to load: SentencePiece, with `tokenizers` kept for the rare text.

`tokenizers.Tokenizer.from_file("tokenizer.json")` spends 1.3-1.9 s building the 250,000-piece
vocabulary of the XLM-R tokenizer, holding Python's lock all the while: it was the largest single
cost of a cold `rag ask`. The same tokenizer as a SentencePiece model (the format it was first
converted from) loads in about 0.6 s and lets other threads run meanwhile. The model is written
once from tokenizer.json (pieces, scores, the precompiled normaliser), beside the ONNX graph.

The two agree on every passage and question of the bundled corpus and eval sets and on random
texts of the characters documents are written in (tests/test_fast_tokenizer.py). They can differ
where the normaliser rewrites exotic characters into equal-scored pieces (combining marks,
triple primes, runs of zero-width characters), at trailing whitespace, and on literal special
tokens ("<mask>"): such texts are tokenised by `tokenizers` itself, loaded only when one comes.
So the ids are always `tokenizers`' ids.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import re
import tempfile
import threading
from pathlib import Path

log = logging.getLogger("rag.tokenizer")

# Characters on which SentencePiece and tokenizers were checked to agree: ASCII, Latin-1
# letters, CJK ideographs and punctuation, full-width forms, common dashes, quotes and spaces.
_SAFE = re.compile(
    "[\x20-\x7e\n\t\u00a0\u00b0\u00b7\u00c0-\u00ff\u2002\u2003\u2009\u2010-\u2027\u2103\u2116"
    "\u3000-\u3003\u3008-\u3011\u3014-\u301f\u4e00-\u9fff\uff01-\uff5e]*")
_SPECIAL = re.compile(r"<s>|</s>|<pad>|<unk>|<mask>")


def fast_path_agrees(text: str) -> bool:
    """Whether SentencePiece is known to cut `text` as tokenizers does."""
    return (_SAFE.fullmatch(text) is not None and not text[-1:].isspace()
            and _SPECIAL.search(text) is None)


def sentencepiece_path(tokenizer_json: Path) -> Path:
    """Where the SentencePiece form of a tokenizer.json is kept (named by its size and time, so
    a replaced tokenizer.json gets a new one)."""
    stat = tokenizer_json.stat()
    stamp = hashlib.sha1(f"{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    return tokenizer_json.parent / "onnx" / f"tokenizer-{stamp}.spm"


def is_convertible(spec: dict) -> bool:
    """An XLM-R style tokenizer.json: Unigram pieces, a precompiled normaliser, Metaspace."""
    normalizers = (spec.get("normalizer") or {}).get("normalizers") or []
    return ((spec.get("model") or {}).get("type") == "Unigram"
            and bool(normalizers) and normalizers[0].get("type") == "Precompiled"
            and (spec.get("pre_tokenizer") or {}).get("type") == "Metaspace")


def write_sentencepiece(tokenizer_json: Path) -> Path | None:
    """Write the SentencePiece form of `tokenizer_json` (atomically); None when it has another
    layout or the folder is read-only. Ids are kept: piece i of the vocabulary is id i."""
    out = sentencepiece_path(tokenizer_json)
    if out.is_file():
        return out
    spec = json.loads(tokenizer_json.read_text(encoding="utf-8"))
    if not is_convertible(spec):
        return None
    from sentencepiece import sentencepiece_model_pb2 as pb

    piece = pb.ModelProto.SentencePiece
    kinds = {"<s>": piece.CONTROL, "<pad>": piece.CONTROL, "</s>": piece.CONTROL,
             "<unk>": piece.UNKNOWN, "<mask>": piece.USER_DEFINED}
    model = pb.ModelProto()
    vocabulary = spec["model"]["vocab"]
    for text, score in vocabulary:
        entry = model.pieces.add()
        entry.piece, entry.score = text, score
        entry.type = kinds.get(text, piece.NORMAL)
    names = [text for text, _ in vocabulary]
    trainer = model.trainer_spec
    trainer.model_type = pb.TrainerSpec.UNIGRAM
    trainer.vocab_size = len(vocabulary)
    trainer.unk_id = spec["model"].get("unk_id", names.index("<unk>"))
    trainer.bos_id, trainer.eos_id, trainer.pad_id = (names.index("<s>"), names.index("</s>"),
                                                      names.index("<pad>"))
    normalizer = model.normalizer_spec
    normalizer.name = "user_defined"
    normalizer.precompiled_charsmap = base64.b64decode(
        spec["normalizer"]["normalizers"][0]["precompiled_charsmap"])
    normalizer.add_dummy_prefix = True
    normalizer.remove_extra_whitespaces = True
    normalizer.escape_whitespaces = True
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".tokenizer-", suffix=".partial")
        with os.fdopen(fd, "wb") as fh:
            fh.write(model.SerializeToString())
        os.replace(tmp, out)
    except OSError as exc:
        log.info("cannot write %s (%s): tokenising with tokenizer.json", out, exc)
        return None
    return out


class FastTokenizer:
    """`encode(text)` -> the ids `tokenizers` gives for tokenizer.json (with <s> … </s>,
    truncated to `max_length`), from SentencePiece when it is known to agree."""

    def __init__(self, tokenizer_json: Path, max_length: int):
        self.tokenizer_json = Path(tokenizer_json)
        self.max_length = max_length
        self._slow = None
        self._slow_lock = threading.Lock()
        self._fast = None
        path = None
        try:
            path = write_sentencepiece(self.tokenizer_json)
        except (OSError, ValueError, ImportError) as exc:
            log.info("no SentencePiece form of %s (%s)", self.tokenizer_json, exc)
        if path is not None:
            import sentencepiece

            self._fast = sentencepiece.SentencePieceProcessor(model_file=str(path))
            self.bos, self.eos = self._fast.bos_id(), self._fast.eos_id()
            self.pad = self._fast.pad_id()
        else:
            slow = self.slow
            self.bos, self.eos = slow.token_to_id("<s>"), slow.token_to_id("</s>")
            pad = slow.token_to_id("<pad>")
            self.pad = 1 if pad is None else pad

    @property
    def slow(self):
        """`tokenizers` itself, loaded on first need."""
        with self._slow_lock:
            if self._slow is None:
                from tokenizers import Tokenizer

                slow = Tokenizer.from_file(str(self.tokenizer_json))
                slow.no_padding()
                slow.enable_truncation(self.max_length)
                self._slow = slow
        return self._slow

    def encode_batch(self, texts: list[str]) -> list[list[int]]:
        if self._fast is None:
            return [e.ids for e in self.slow.encode_batch(texts)]
        out: list[list[int] | None] = [None] * len(texts)
        fast = [i for i, t in enumerate(texts) if fast_path_agrees(t)]
        if fast:
            body = self.max_length - 2
            for i, ids in zip(fast, self._fast.encode([texts[i] for i in fast]), strict=True):
                out[i] = [self.bos, *ids[:body], self.eos]
        rest = [i for i, ids in enumerate(out) if ids is None]
        if rest:
            for i, encoding in zip(rest, self.slow.encode_batch([texts[i] for i in rest]),
                                   strict=True):
                out[i] = encoding.ids
        return out  # type: ignore[return-value]

    def encode(self, text: str) -> list[int]:
        return self.encode_batch([text])[0]
