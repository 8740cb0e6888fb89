"""Sentence splitting for Chinese and English, as (start, end) index pairs into the text.

Stored sentence vectors are addressed by their index in this split: a change to how text
splits into sentences must bump `rag.catalog.VERSION`, so the next ingest re-embeds them.

A sentence ends at 。！？!?；; or …… (and at . followed by a space), and keeps the closing
quotes and brackets that follow its end mark.
"""

from __future__ import annotations

import re

_END = re.compile(r"(?:[。！？!?；;]|……|…|\.(?=\s|$))+[”’」』）)》\"']*")
_CLAUSE = re.compile(r"[，,、：:]")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split `text` into sentences; the spans cover the text with no gap."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end()
        if end > start and text[start:end].strip():
            spans.append((start, end))
            start = end
    if start < len(text) and text[start:].strip():
        spans.append((start, len(text)))
    elif spans and start < len(text):
        spans[-1] = (spans[-1][0], len(text))
    return spans


def split_long(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Cut one over-long sentence at clause marks (，、：) so no piece exceeds `limit`;
    a clause longer than `limit` is cut at `limit` as a last resort."""
    pieces: list[tuple[int, int]] = []
    cur = start
    while end - cur > limit:
        window = text[cur : cur + limit]
        cuts = [m.end() for m in _CLAUSE.finditer(window)]
        if not (cuts and cuts[-1] > limit // 3):
            # No clause mark: English is cut between words, not inside one ("…Science and Techn").
            cuts = [m.end() for m in re.finditer(r"\s+", window)]
        cut = cur + (cuts[-1] if cuts and cuts[-1] > limit // 3 else limit)
        pieces.append((cur, cut))
        cur = cut
    pieces.append((cur, end))
    return pieces
