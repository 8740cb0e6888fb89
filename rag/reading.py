"""Read a document's bytes and decode them: UTF-8 (with or without BOM) or GB18030/GBK.

Binary or undecodable files raise `UnreadableFile`, which the caller turns into a warning naming
the file; nothing is skipped silently.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


class UnreadableFile(Exception):
    """The file is binary or in an encoding we do not read; the message says which."""


@dataclass(frozen=True)
class SourceText:
    """A decoded document. Character offsets everywhere refer to `text` (BOM excluded)."""

    name: str  # path relative to the corpus folder, with forward slashes
    text: str
    encoding: str
    sha256: str


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


def read_source(path: Path, name: str) -> SourceText:
    """Read and decode one file of the corpus."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"cannot be read ({exc.strerror or exc})") from None
    text, encoding = decode_bytes(data)
    return SourceText(name, text, encoding, hashlib.sha256(data).hexdigest())


def line_starts(text: str) -> list[int]:
    """Offsets where each line starts; line n (1-based) starts at result[n-1]."""
    starts = [0]
    pos = text.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts
