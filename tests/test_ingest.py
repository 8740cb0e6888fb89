"""Ingestion with a fake embedder and real Chroma: incremental, duplicates merged once."""

from __future__ import annotations

import json
import os
import shutil

from conftest import CORPUS, FakeEmbedder

from rag.catalog import load_catalog
from rag.chunking import CONTEXT_VERSION
from rag.ingest import catalog_path, ingest
from rag.store import VectorStore


def run(settings, embedder):
    return ingest(settings, progress=False, embedder_factory=lambda: embedder)


def test_first_ingest_indexes_every_file(fake_settings):
    emb = FakeEmbedder()
    report = run(fake_settings, emb)
    assert report.files == 2
    assert report.added > 50 and report.kept == 0 and report.removed == 0
    cat = load_catalog(catalog_path(fake_settings))
    assert set(cat.files) == {"000_8ced48c5a6f24f61.txt", "002_09a23be81b2d5379.txt"}
    store = VectorStore(fake_settings.store)
    assert store.keys() == cat.keys()
    assert report.embedded == len(cat.keys())
    assert emb.passages_embedded >= 2 * report.embedded  # each passage and its sentence(s)


def test_second_ingest_of_unchanged_corpus_embeds_nothing(fake_settings):
    run(fake_settings, FakeEmbedder())
    emb = FakeEmbedder()
    report = run(fake_settings, emb)
    assert emb.passages_embedded == 0
    assert report.added == 0 and report.removed == 0 and report.kept > 0


def test_touched_but_unchanged_file_is_not_reembedded(fake_settings, small_corpus):
    run(fake_settings, FakeEmbedder())
    path = small_corpus / "000_8ced48c5a6f24f61.txt"
    os.utime(path, (1, 1))
    emb = FakeEmbedder()
    report = run(fake_settings, emb)
    assert emb.passages_embedded == 0 and report.added == 0


def test_changed_file_is_replaced(fake_settings, small_corpus):
    run(fake_settings, FakeEmbedder())
    path = small_corpus / "002_09a23be81b2d5379.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n新增的一段测试文字，用来检验增量索引。\n",
                    encoding="utf-8")
    emb = FakeEmbedder()
    report = run(fake_settings, emb)
    assert report.embedded == 1  # only the new paragraph; the rest is already stored
    assert emb.passages_embedded == 2  # it, in context, and its one sentence
    cat = load_catalog(catalog_path(fake_settings))
    assert any("增量索引" in c.text for c in cat.files["002_09a23be81b2d5379.txt"].chunks)
    assert report.added > 0 and report.removed > 0


def test_deleted_file_leaves_the_index(fake_settings, small_corpus):
    run(fake_settings, FakeEmbedder())
    (small_corpus / "002_09a23be81b2d5379.txt").unlink()
    report = run(fake_settings, FakeEmbedder())
    cat = load_catalog(catalog_path(fake_settings))
    assert set(cat.files) == {"000_8ced48c5a6f24f61.txt"}
    assert report.removed > 0
    assert VectorStore(fake_settings.store).keys() == cat.keys()


def test_passage_repeated_across_files_is_embedded_once(fake_settings, small_corpus):
    shutil.copy(CORPUS / "000_8ced48c5a6f24f61.txt", small_corpus / "copy_of_000.txt")
    emb = FakeEmbedder()
    report = run(fake_settings, emb)
    cat = load_catalog(catalog_path(fake_settings))
    assert report.merged >= len(cat.files["copy_of_000.txt"].chunks)
    assert report.embedded == len(cat.keys())


def test_unreadable_and_binary_files_are_skipped_by_name(fake_settings, small_corpus):
    (small_corpus / "image.txt").write_bytes(b"\x89PNG\x00\x00\x00binary")
    (small_corpus / "empty.txt").write_bytes(b"")
    report = run(fake_settings, FakeEmbedder())
    skipped = dict(report.skipped)
    assert "image.txt" in skipped and "binary" in skipped["image.txt"]
    assert "empty.txt" in skipped
    assert report.files >= 2


def _edit_catalog(settings, edit) -> None:
    path = catalog_path(settings)
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_passage_placed_under_another_title_by_a_new_chunker_is_embedded_again(fake_settings):
    """A passage's vector embeds its title; it is stored under a key of its text alone, so a
    chunker that puts the same text under another title must embed it again."""
    run(fake_settings, FakeEmbedder())
    moved = {}

    def older_chunker(data):
        data["chunker"] = "older"
        chunk = data["files"]["002_09a23be81b2d5379.txt"]["chunks"][3]
        moved["key"] = chunk["key"]
        chunk["title"] = "旧版切分给的另一个标题"

    _edit_catalog(fake_settings, older_chunker)
    emb = FakeEmbedder()
    report = run(fake_settings, emb)
    assert report.embedded == 1
    assert emb.passages_embedded >= 2  # it, in its (right) context, and its sentences
    cat = load_catalog(catalog_path(fake_settings))
    assert moved["key"] in cat.keys() and cat.context == CONTEXT_VERSION


def test_index_embedded_with_another_context_is_embedded_again(fake_settings):
    run(fake_settings, FakeEmbedder())
    _edit_catalog(fake_settings, lambda data: data.pop("context"))  # built before the field
    emb = FakeEmbedder()
    report = run(fake_settings, emb)
    cat = load_catalog(catalog_path(fake_settings))
    assert report.embedded == len(cat.keys()) and cat.context == CONTEXT_VERSION
    assert run(fake_settings, FakeEmbedder()).embedded == 0
