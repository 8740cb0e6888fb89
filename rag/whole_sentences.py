"""Retrieve small, quote whole sentences.

A sentence longer than `chunking.max_chars` is cut at a comma into several chunks, so a chunk
may hold half a sentence (half of a list, the subject without its object). Retrieval still
matches the small piece; the quote then covers the whole sentence: the pieces before it that
the sentence started in, and the pieces after it until the sentence ends. The pieces are
neighbours in the same paragraph of the same file, so the joined quote is verbatim source text
(only the line breaks between the pieces are dropped) and verifies like any other.
"""

from __future__ import annotations

import dataclasses
import re

from .types import Chunk

# A piece ends inside a sentence when its last mark is a clause mark, or no mark at all.
_ENDS_SENTENCE = re.compile(r"(?:[。！？!?；;…]|\.)[”’」』）)》\"']*\s*$")
_CLAUSE_END = re.compile(r"[，,、：:]\s*$")
MAX_PIECES = 4  # at most this many pieces on each side (a sentence of ~800+ characters)


def ends_sentence(text: str) -> bool:
    return bool(_ENDS_SENTENCE.search(text))


class WholeSentences:
    """For each chunk, the chunk widened to the whole sentences it belongs to."""

    def __init__(self, chunks: list[Chunk]):
        self._next: dict[tuple[str, int], Chunk] = {}
        self._prev: dict[tuple[str, int], Chunk] = {}
        by_source: dict[str, list[Chunk]] = {}
        for c in chunks:
            by_source.setdefault(c.source, []).append(c)
        for items in by_source.values():
            items.sort(key=lambda c: c.char_start)
            for a, b in zip(items, items[1:], strict=False):
                if self.continues(a, b):
                    self._next[(a.source, a.char_start)] = b
                    self._prev[(b.source, b.char_start)] = a
        self._cache: dict[tuple[str, int], Chunk | None] = {}
        # the next passage of the same excerpt (title, section, attribution), by where the one
        # before it ends: a quote of whole sentences ends where its last piece does
        self._after: dict[tuple[str, int], Chunk] = {
            (a.source, a.char_end): b for items in by_source.values()
            for a, b in zip(items, items[1:], strict=False) if self._adjoins(a, b)}

    @staticmethod
    def continues(a: Chunk, b: Chunk) -> bool:
        """Whether chunk b carries on the sentence chunk a leaves unfinished: same paragraph
        context, a unfinished, and nothing but line breaks or spaces between them."""
        if ends_sentence(a.text) or a.tail_text or not WholeSentences._adjoins(a, b):
            return False
        # Cut at a clause mark (a line break may follow), or at the size limit (nothing between).
        return b.char_start == a.char_end or (_CLAUSE_END.search(a.text) is not None
                                              and b.line_start - a.line_end <= 1)

    @staticmethod
    def _adjoins(a: Chunk, b: Chunk) -> bool:
        """Whether b follows a in the same excerpt with nothing but line breaks between them."""
        return (a.title, a.section, a.attribution) == (b.title, b.section, b.attribution) and \
            0 <= b.char_start - a.char_end <= 4 and b.line_start - a.line_end <= 2

    def through_attribution(self, chunk: Chunk, max_extra: int) -> Chunk | None:
        """The quote carried on to the attribution line its excerpt is printed over ("…还关乎全
        世界公共卫生安全。经过艰苦努力，…" then, two sentences on, "（2020年3月19日同俄罗斯总统
        普京通电话）"), when at most `max_extra` characters lie between; None when the chunk
        has its own attribution line or none comes that soon."""
        if chunk.tail_text or not chunk.attribution:
            return None
        pieces = [chunk]
        while not pieces[-1].tail_text:
            nxt = self._after.get((chunk.source, pieces[-1].char_end))
            if nxt is None or len(pieces) > MAX_PIECES or \
                    sum(len(p.text) for p in pieces[1:]) + len(nxt.text) > max_extra:
                return None
            pieces.append(nxt)
        return _joined(pieces)

    def whole(self, chunk: Chunk) -> Chunk | None:
        """The chunk widened to whole sentences, or None when it already is whole."""
        at = (chunk.source, chunk.char_start)
        if at not in self._cache:
            first = last = chunk
            for _ in range(MAX_PIECES):
                prev = self._prev.get((first.source, first.char_start))
                if prev is None:
                    break
                first = prev
            for _ in range(MAX_PIECES):
                nxt = self._next.get((last.source, last.char_start))
                if nxt is None:
                    break
                last = nxt
            self._cache[at] = None if first is last is chunk else self._join(first, last)
        return self._cache[at]

    def _join(self, first: Chunk, last: Chunk) -> Chunk:
        pieces = [first]
        while pieces[-1] is not last:
            pieces.append(self._next[(pieces[-1].source, pieces[-1].char_start)])
        return _joined(pieces)


def _joined(pieces: list[Chunk]) -> Chunk:
    """Neighbouring pieces of one paragraph or excerpt as one quote (the line breaks between
    them dropped), with the last one's attribution line."""
    first, last = pieces[0], pieces[-1]
    return dataclasses.replace(
        first, text="".join(p.text for p in pieces), line_end=last.line_end,
        char_end=last.char_end, tail_text=last.tail_text, tail_end=last.tail_end,
        tail_line=last.tail_line,
    )
