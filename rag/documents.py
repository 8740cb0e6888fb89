"""From a decoded file to its chunks: the pure part of ingestion."""

from __future__ import annotations

from collections.abc import Callable

from .chunking import paragraph_chunks
from .reading import SourceText, line_starts
from .settings import ChunkingSettings
from .structure import structure
from .types import Article, Chunk


def chunk_source(
    source: SourceText,
    settings: ChunkingSettings,
    too_long: Callable[[str], bool] = lambda _t: False,
) -> tuple[list[Article], list[Chunk]]:
    """The articles of one document and its chunks, in reading order."""
    doc = structure(source.text)
    starts = line_starts(source.text)
    chunks: list[Chunk] = []
    for para in doc.paragraphs:
        chunks.extend(
            paragraph_chunks(para, source.name, starts, settings.max_chars, settings.min_chars,
                             too_long)
        )
    return doc.articles, chunks
