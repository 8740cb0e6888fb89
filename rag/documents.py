"""From a decoded file to its chunks: the pure part of ingestion."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from .chunking import attach_list_leads, attach_table_headers, carry_speaker, paragraph_chunks
from .reading import SourceText, line_starts
from .settings import ChunkingSettings
from .structure import structure
from .types import Article, Chunk

# Bump when cleaning, structure or chunking changes what chunks a file gives: the next ingest
# then re-chunks every file (re-embedding only passages it has not seen).
CHUNKER_VERSION = 27


def chunker_fingerprint(settings: ChunkingSettings) -> str:
    """Identifies the chunks a file would give: the versions of the code that reads and cuts
    it, and the chunking settings."""
    from .formats import EXTRACTOR_VERSION  # a PDF read anew gives other chunks too

    raw = (f"{CHUNKER_VERSION}:{EXTRACTOR_VERSION}:{settings.max_chars}:{settings.max_tokens}:"
           f"{settings.min_chars}")
    return hashlib.sha1(raw.encode()).hexdigest()[:12]


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
        chunks.extend(carry_speaker(
            paragraph_chunks(para, source.name, starts, settings.max_chars, settings.min_chars,
                             too_long)
        ))
    return doc.articles, attach_table_headers(attach_list_leads(chunks))
