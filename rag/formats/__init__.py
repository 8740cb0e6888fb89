"""Documents that are not plain text: PDF (text layer), DOCX and HTML.

Each format module turns a file's bytes into `Extracted`: plain text that the cleaning,
structure and chunking steps read exactly as they read a .txt file, plus a map back into the
file (the page of every character for PDF, the heading path and paragraph for DOCX and HTML).
Headings a format marks as such (DOCX heading styles, HTML h1-h6) are written as markdown
heading lines, so the structure step knows them as titles instead of guessing.

A file that cannot be read raises `UnreadableFile` (rag.reading) with the reason in words.
"""

from __future__ import annotations

import bisect
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Bump when any extractor changes the text it gives: cached extractions are then redone.
EXTRACTOR_VERSION = 3


@dataclass(frozen=True)
class Extracted:
    """The text of a document and where each part of it is in the file."""

    text: str
    format: str  # "pdf", "docx", "html"
    pages: tuple[int, ...] | None = None  # PDF: pages[i] = offset in text where page i+1 starts
    # DOCX/HTML: (offset, locator) for each paragraph, in text order
    locators: tuple[tuple[int, str], ...] | None = None

    def page_at(self, offset: int) -> int | None:
        """The 1-based page the character at `offset` is on (PDF), else None."""
        if not self.pages:
            return None
        return max(1, bisect.bisect_right(self.pages, offset))

    def locator_at(self, offset: int) -> str | None:
        """The heading path and paragraph of the character at `offset` (DOCX/HTML), else None."""
        if not self.locators:
            return None
        i = bisect.bisect_right([o for o, _ in self.locators], offset) - 1
        return self.locators[max(i, 0)][1]


def _pdf(data: bytes) -> Extracted:
    from .pdf import extract

    return extract(data)


def _docx(data: bytes) -> Extracted:
    from .docx import extract

    return extract(data)


def _html(data: bytes) -> Extracted:
    from .html import extract

    return extract(data)


EXTRACTORS: dict[str, Callable[[bytes], Extracted]] = {
    ".pdf": _pdf, ".docx": _docx, ".html": _html, ".htm": _html,
}


def is_extracted(name: str) -> bool:
    """Whether a file of this name is read through an extractor (not decoded as text)."""
    return Path(name).suffix.lower() in EXTRACTORS


def extract(data: bytes, suffix: str, sha256: str, cache_dir: Path | None = None) -> Extracted:
    """The extraction of a file's bytes, from the cache (keyed by content hash) when it is there."""
    cached = cache_dir / f"{sha256}-{EXTRACTOR_VERSION}.json" if cache_dir else None
    if cached is not None and cached.exists():
        try:
            raw = json.loads(cached.read_text(encoding="utf-8"))
            return Extracted(raw["text"], raw["format"],
                             tuple(raw["pages"]) if raw["pages"] is not None else None,
                             tuple((o, s) for o, s in raw["locators"])
                             if raw["locators"] is not None else None)
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a damaged cache entry is simply redone
    result = EXTRACTORS[suffix.lower()](data)
    if cached is not None:
        _write_cache(cached, result)
    return result


def _write_cache(path: Path, result: Extracted) -> None:
    """Write atomically; a cache that cannot be written only costs a re-extraction later."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".extract-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"text": result.text, "format": result.format, "pages": result.pages,
                       "locators": result.locators}, fh, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        return


def prune_cache(cache_dir: Path, keep: set[str]) -> None:
    """Delete cached extractions of files no longer indexed (`keep`: their content hashes)."""
    if not cache_dir.is_dir():
        return
    for path in cache_dir.glob("*.json"):
        sha, _, version = path.stem.rpartition("-")
        if sha not in keep or version != str(EXTRACTOR_VERSION):
            try:
                path.unlink()
            except OSError:
                pass
