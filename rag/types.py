"""The data that travels through the pipeline: load -> clean -> structure -> chunk -> store ->
retrieve -> compose -> verify. This module imports nothing else of the package."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of clean text with its place in the original file and its article context."""

    text: str  # clean text: wraps rejoined, markup removed
    offsets: tuple[int, ...]  # offsets[i] = offset in the original text of text[i]
    title: str
    section: str | None
    attribution: str | None
    quotable: bool = True  # False for headings, datelines, attribution lines
    tail: tuple[int, ...] | None = None  # offsets of the attribution line right below it
    tail_text: str | None = None


@dataclass(frozen=True)
class Article:
    """One article of a file: its title and where it starts (1-based original line)."""

    title: str
    line: int
    byline: str | None = None


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage. `text` is verbatim source text (line wraps dropped)."""

    source: str
    text: str
    title: str
    section: str | None
    attribution: str | None
    line_start: int
    line_end: int
    char_start: int
    char_end: int
    key: str  # hash of the whitespace-free text: the same passage in several files shares a key
    # The attribution line right below this chunk, when there is one: quotes may include it.
    tail_text: str | None = None
    tail_end: int | None = None  # char offset just past the attribution line
    tail_line: int | None = None  # its line number
    # For an item of a list standing in a passage of its own ("二是持续加大研发投入。"), the
    # list's lead-in ("面对经营压力，公司采取了以下措施："): searched with it, never quoted.
    lead: str | None = None

    def quote_span(self) -> tuple[str, int, int]:
        """The text to quote and its last char and line: the chunk, plus its attribution line."""
        if self.tail_text and self.tail_end is not None and self.tail_line is not None:
            return self.text + self.tail_text, self.tail_end, self.tail_line
        return self.text, self.char_end, self.line_end

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Location:
    """Where a passage occurs (used for `also_in`)."""

    source: str
    line_start: int
    line_end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Hit:
    """A retrieved passage with its fused score and the per-side evidence behind it."""

    chunk: Chunk
    score: float
    dense: float = 0.0  # cosine similarity of query and passage (embedded in its context)
    sentence: float = 0.0  # cosine similarity of query and the passage's closest sentence
    lexical: float = 0.0  # share of the query's terms found in the passage
    also_in: list[Location] = field(default_factory=list)
    # The passage widened to the whole sentences it belongs to, when it holds only part of a
    # long sentence: what is quoted (retrieve small, quote whole sentences). None: the passage.
    quote: Chunk | None = None
    # +1 when the question names a day the passage (text, title, dateline or attribution)
    # names, -1 when its article is dated another day, 0 otherwise (rag/dates.agreement).
    dated: int = 0
    # The sign-off of the letter the passage is part of ("习近平2020年3月15日"), "" for none.
    signed: str = ""

    def quoted(self) -> Chunk:
        """What is quoted of the passage: its whole sentences (`quote`) or the passage."""
        return self.quote or self.chunk

    def shown(self) -> str:
        """What a reader sees of the passage: its title, the quote (with the attribution line
        or a letter's sign-off below it) and its attribution."""
        return f"{self.chunk.title} {self.quoted().quote_span()[0]} {self.chunk.attribution or ''}"


@dataclass
class Citation:
    n: int
    source: str
    title: str
    attribution: str | None
    quote: str
    line_start: int
    line_end: int
    char_start: int
    char_end: int
    score: float
    also_in: list[Location] = field(default_factory=list)
    # Where the quote is in the file's own terms (PDF, DOCX, HTML; None for plain text):
    page: int | None = None  # PDF: the page the quote starts on
    page_end: int | None = None  # PDF: the page it ends on, when that is another page
    locator: str | None = None  # DOCX/HTML: heading path and paragraph, "一、总体要求 › ¶2"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["also_in"] = [loc.to_dict() for loc in self.also_in]
        return d


@dataclass
class Answer:
    question: str
    abstained: bool
    answer: str
    citations: list[Citation]
    passages: list[Hit]
    timings_ms: dict[str, float]
    search_query: str = ""  # what was searched: the question, or a follow-up completed from context
    context_from: list[int] = field(default_factory=list)  # earlier turns (1-based) it drew on
    # The optional generated answer (answer.generator): its checked text (None when nothing
    # passed the check or the server failed), how many sentences failed the check, the model's
    # name (None: no generator configured), and a one-line note when it fell back.
    generated: str | None = None
    dropped_sentences: int = 0
    generator: str | None = None
    generator_note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "abstained": self.abstained,
            "answer": self.answer,
            "citations": [c.to_dict() for c in self.citations],
            "passages": [
                {
                    "source": h.chunk.source,
                    "title": h.chunk.title,
                    "attribution": h.chunk.attribution,
                    "text": h.chunk.text,
                    "line_start": h.chunk.line_start,
                    "line_end": h.chunk.line_end,
                    "char_start": h.chunk.char_start,
                    "char_end": h.chunk.char_end,
                    "score": round(h.score, 4),
                    "also_in": [loc.to_dict() for loc in h.also_in],
                }
                for h in self.passages
            ],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "search_query": self.search_query or self.question,
            "context_from": list(self.context_from),
            **self._generated_dict(),
        }

    def _generated_dict(self) -> dict[str, Any]:
        """The generated answer's keys, present only when a generator is configured."""
        if self.generator is None:
            return {}
        return {"generated": self.generated, "dropped_sentences": self.dropped_sentences,
                "generator": self.generator, "generator_note": self.generator_note}
