"""Read a document: .txt/.md decoded (UTF-8 with or without BOM, or GB18030/GBK); PDF, DOCX and
HTML through their extractors (rag/formats/), whose text every later step reads the same way.

Binary, undecodable or otherwise unreadable files raise `UnreadableFile`, which the caller turns
into a warning naming the file; nothing is skipped silently.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .formats import Extracted, extract, is_extracted


class UnreadableFile(Exception):
    """The file is binary or in an encoding we do not read; the message says which."""


@dataclass(frozen=True)
class SourceText:
    """A decoded document. Character offsets everywhere refer to `text` (BOM excluded)."""

    name: str  # path relative to the corpus folder, with forward slashes
    text: str
    encoding: str  # for PDF, DOCX and HTML: the format ("pdf", "docx", "html")
    sha256: str
    # PDF/DOCX/HTML: the map from the text back into the file (pages, heading paths)
    extracted: Extracted | None = None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding). Raises UnreadableFile for binary or undecodable bytes."""
    if data.startswith(b"\xef\xbb\xbf"):
        data, bom = data[3:], True
    else:
        bom = False
    if b"\x00" in data[:8192]:
        raise UnreadableFile("looks binary (NUL bytes); not a text document")
    try:
        text, encoding = data.decode("utf-8"), "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError:
        if bom:
            raise UnreadableFile("has a UTF-8 BOM but is not valid UTF-8") from None
        try:
            text, encoding = data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            raise UnreadableFile("is neither UTF-8 nor GB18030/GBK text") from None
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f")
    if controls > max(8, len(sample) // 100):
        raise UnreadableFile("looks binary (control characters); not a text document")
    return text, encoding


def read_source(path: Path, name: str, cache_dir: Path | None = None) -> SourceText:
    """Read one file of the corpus: decode it, or extract it (PDF, DOCX, HTML).

    `cache_dir`: where extractions are kept by content hash, so a file is extracted once.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"cannot be read ({exc.strerror or exc})") from None
    sha = hashlib.sha256(data).hexdigest()
    if is_extracted(path.name):
        try:
            found = extract(data, path.suffix, sha, cache_dir)
        except UnreadableFile:
            raise
        except Exception as exc:  # noqa: BLE001 - a hostile file must not stop the whole ingest
            raise UnreadableFile(f"could not be read ({type(exc).__name__}: {exc})") from None
        return SourceText(name, found.text, found.format, sha, found)
    text, encoding = decode_bytes(data)
    return SourceText(name, text, encoding, sha)


def line_starts(text: str) -> list[int]:
    """Offsets where each line starts; line n (1-based) starts at result[n-1]."""
    starts = [0]
    pos = text.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts
