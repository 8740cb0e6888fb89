"""From retrieved passages to an extractive answer: citations, answer text, abstention.

Nothing here invents text: the answer is sentences copied from the cited passages, each
followed by its [n] marker. Verification against the original files happens afterwards
(see assistant.py and verify.py); a quote that fails it is dropped, never shown.
"""

from __future__ import annotations

from collections.abc import Callable

from .lexical import has_cjk, overlap
from .sentences import sentence_spans
from .settings import AnswerSettings
from .types import Citation, Hit

ABSTAIN_ZH = "文档中没有找到能回答这个问题的内容。以下是最接近的段落，仅供参考。"
ABSTAIN_EN = "The documents do not answer this question. The closest passages are listed below."


def choose_citations(hits: list[Hit], settings: AnswerSettings,
                     count_tokens: Callable[[str], int]) -> list[Hit]:
    """The passages to quote: the best, and those close enough to it, within the token budget."""
    if not hits:
        return []
    chosen: list[Hit] = []
    used = 0
    for hit in hits:
        if len(chosen) >= settings.max_citations:
            break
        if chosen and hit.score < settings.min_citation_ratio * hits[0].score:
            break
        cost = count_tokens(hit.chunk.text)
        if chosen and used + cost > settings.token_budget:
            break
        chosen.append(hit)
        used += cost
    return chosen


def best_sentence(text: str, query_tokens: list[str]) -> str:
    """The sentence of a passage that shares most with the question (first on ties)."""
    spans = sentence_spans(text)
    if not spans:
        return text
    best = max(spans, key=lambda s: (overlap(query_tokens, text[s[0]:s[1]]), -s[0]))
    return text[best[0]:best[1]].strip()


def answer_text(question: str, citations: list[Citation], query_tokens: list[str]) -> str:
    """The answer: from each citation, its sentence closest to the question, marked [n]."""
    parts = [f"{best_sentence(c.quote, query_tokens)}[{c.n}]" for c in citations]
    if has_cjk(question):
        return "".join(parts)
    return " ".join(parts)


def abstention_text(question: str) -> str:
    return ABSTAIN_ZH if has_cjk(question) else ABSTAIN_EN


def to_citation(n: int, hit: Hit) -> Citation:
    c = hit.chunk
    quote, char_end, line_end = c.quote_span()
    return Citation(
        n=n, source=c.source, title=c.title, attribution=c.attribution, quote=quote,
        line_start=c.line_start, line_end=line_end, char_start=c.char_start,
        char_end=char_end, score=round(hit.score, 4), also_in=list(hit.also_in),
    )


def pack_context(citations: list[Citation], budget: int,
                 count_tokens: Callable[[str], int]) -> str:
    """The cited passages as a block for any language model, each labelled with its citation,
    cut at whole passages to fit `budget` tokens."""
    blocks: list[str] = []
    used = 0
    for c in citations:
        label = f"[{c.n}] {c.source}:{c.line_start}-{c.line_end} 《{c.title}》"
        if c.attribution:
            label += f" {c.attribution}"
        block = f"{label}\n{c.quote}"
        cost = count_tokens(block) + 2
        if used + cost > budget:
            break
        blocks.append(block)
        used += cost
    return "\n\n".join(blocks)
