"""Chinese word segmentation with part-of-speech tags, quick to start.

jieba's own tagger (`jieba.posseg`) parses its whole 350,000-line dictionary on import (about a
second) and its segmenter writes its cache to the system temp folder. Here the segmenter's cache
lives in the project's cache folder (`~/.cache/rag/jieba`, or `$RAG_CACHE_DIR/jieba`), and the
names among its words (the only tags callers look at) are read from the same dictionary once and
kept there with `marshal`, which loads them at once. Without jieba's HMM (as every caller here
uses it) the words are the ones `jieba.posseg.lcut(text, HMM=False)` gives, and a name gets the
tag jieba gives it; runs of Latin letters and digits are tagged `eng`, as jieba does.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import marshal
import os
import re
import tempfile
from pathlib import Path

_LATIN_OR_DIGITS = re.compile(r"[A-Za-z0-9]+")


def cache_dir() -> Path:
    """`$RAG_CACHE_DIR/jieba`, else `~/.cache/rag/jieba`."""
    root = os.environ.get("RAG_CACHE_DIR")
    base = Path(root).expanduser() if root else Path.home() / ".cache" / "rag"
    return base / "jieba"


@functools.cache
def _tokenizer():
    import jieba

    jieba.setLogLevel(logging.ERROR)
    tokenizer = jieba.Tokenizer()
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tokenizer.tmp_dir = str(folder)
    except OSError:  # no writable home: jieba's default (the temp folder) still works
        pass
    tokenizer.initialize()
    return tokenizer


# The tags callers look at: names of people, places, organisations and other proper nouns.
NAME_TAGS = ("nr", "nrfg", "nrt", "ns", "nt", "nz")


@functools.cache
def _names() -> dict[str, str]:
    """For each name tag, every dictionary word with that tag as one NUL-separated string
    (a marshal of a few strings loads at once, where a 350,000-entry dict takes a second)."""
    tokenizer = _tokenizer()
    dictionary = Path(tokenizer.get_dict_file().name)
    stamp = dictionary.stat()
    digest = hashlib.sha1(f"{dictionary}:{stamp.st_size}:{stamp.st_mtime_ns}".encode()).hexdigest()
    cached = cache_dir() / f"names-{digest[:12]}.marshal"
    try:
        with open(cached, "rb") as f:
            table = marshal.load(f)
        if isinstance(table, dict):
            return table
    except (OSError, EOFError, ValueError, TypeError):
        pass
    lists: dict[str, list[str]] = {tag: [] for tag in NAME_TAGS}
    with open(dictionary, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[2] in lists:
                lists[parts[2]].append(parts[0])
    table = {tag: "\0" + "\0".join(ws) + "\0" for tag, ws in lists.items()}
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cached.parent, prefix=".names.", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            marshal.dump(table, f)
        os.replace(tmp, cached)
    except OSError:
        pass
    return table


def name_tag(word: str) -> str:
    """jieba's tag for `word` when it is a name (one of NAME_TAGS), else ""."""
    needle = f"\0{word}\0"
    for tag, blob in _names().items():
        if needle in blob:
            return tag
    return ""


def words(text: str) -> list[str]:
    """jieba's words of `text` (no HMM)."""
    return list(_tokenizer().cut(text, HMM=False))


def tagged_words(text: str) -> list[tuple[str, str]]:
    """(word, tag) for each word of `text`: the name tag jieba.posseg would give it (nr, ns,
    nt, nrt, nrfg, nz), `eng` for Latin letters and digits, "" for any other word."""
    out = []
    for word in _tokenizer().cut(text, HMM=False):
        if _LATIN_OR_DIGITS.fullmatch(word):
            out.append((word, "eng"))
        else:
            out.append((word, name_tag(word) if len(word) > 1 else ""))
    return out


def warm_up() -> None:
    """Load the dictionary and the name table now (before the first question)."""
    _names()
