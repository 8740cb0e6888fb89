"""What users and machines do to a corpus and an index: bad files, kill -9 mid-ingest, two
ingests at once, a corrupt index, hostile text. Fake embedder, real Chroma."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPUS, FakeEmbedder

from rag.assistant import Assistant
from rag.catalog import load_catalog
from rag.errors import ConfigError, IndexError_, ModelError
from rag.ingest import catalog_path, ingest, ingest_lock
from rag.settings import load_settings
from rag.store import VectorStore

HELPER = Path(__file__).parent / "helpers" / "slow_ingest.py"


def run(settings, **kw):
    return ingest(settings, progress=False, embedder_factory=FakeEmbedder, **kw)


def assert_whole(settings) -> set[str]:
    """The catalog loads, and every passage it names has its vector and its sentences in the
    store an answering process reads, which is the catalog's own vector snapshot: a kill -9
    while Chroma writes can leave Chroma itself inconsistent ("Error finding id") until the
    next ingest rebuilds it, so answering must not need it."""
    from rag.chunking import sentence_texts
    from rag.vector_snapshot import SnapshotStore, open_answering_store

    cat = load_catalog(catalog_path(settings))
    assert cat is not None
    keys = cat.keys()
    store = open_answering_store(settings, keys)
    assert isinstance(store, SnapshotStore)
    assert set(store.vectors(sorted(keys))) == keys
    firsts = {c.key: c for c in cat.all_chunks()}
    counts = {k: len(sentence_texts(firsts[k].text)) for k in keys}
    stored = store.sentence_vectors(counts)
    assert set(stored) == keys and all(len(stored[k]) == counts[k] for k in keys)
    return set(cat.files)


# -- corpus edge cases -------------------------------------------------------------------------
def test_every_kind_of_awkward_file_is_read_or_skipped_by_name(fake_settings, small_corpus):
    c = small_corpus
    (c / "empty.txt").write_bytes(b"")
    (c / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (c / "gbk.txt").write_bytes("第一段：疫情防控工作要抓紧抓实。\n".encode("gbk") * 3)
    (c / "bom_crlf.txt").write_bytes("\ufeff标题\r\n\r\n这是带BOM和CRLF的正文段落。\r\n".encode())
    with open(c / "huge.txt", "wb") as fh:  # 50 MB, sparse
        fh.truncate(50 * 1024 * 1024)
    shutil.copy(c / "000_8ced48c5a6f24f61.txt", c / "copy_of_000.txt")
    (c / "loop.txt").symlink_to(c / "loop.txt")
    (c / "outside.txt").symlink_to("/etc/hostname")
    report = run(fake_settings)
    skipped = dict(report.skipped)
    assert "empty.txt" in skipped and "binary.txt" in skipped and "huge.txt" in skipped
    assert "max_file_mb" in skipped["huge.txt"]
    cat = load_catalog(catalog_path(fake_settings))
    assert {"gbk.txt", "bom_crlf.txt", "copy_of_000.txt"} <= set(cat.files)
    assert "outside.txt" not in cat.files and "loop.txt" not in cat.files
    assert any("BOM和CRLF" in ch.text for ch in cat.files["bom_crlf.txt"].chunks)
    assert report.merged > 0  # the copy's passages are the original's


def test_missing_corpus_folder_is_a_config_error(fake_settings, tmp_path):
    fake_settings.corpus.path = tmp_path / "nowhere"
    with pytest.raises(ConfigError, match="corpus folder not found"):
        run(fake_settings)


def test_unwritable_index_folder_is_named(fake_settings, tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    fake_settings.store.path = blocker / "chroma"
    with pytest.raises(IndexError_, match="a_file"):
        run(fake_settings)


def test_missing_model_folder_says_to_run_setup(fake_settings, tmp_path):
    from rag.embedding import SentenceTransformerEmbedder

    fake_settings.embedding.model = str(tmp_path / "no-model")
    with pytest.raises(ModelError, match="make setup"):
        SentenceTransformerEmbedder(fake_settings.embedding).embed_query("x")


# -- crash safety ------------------------------------------------------------------------------
@pytest.mark.parametrize("delay", [0.2, 0.6, 1.0, 1.6, 2.5])
def test_kill_9_mid_ingest_leaves_old_or_new_index(fake_settings, small_corpus, delay):
    run(fake_settings)
    old_files = assert_whole(fake_settings)
    shutil.copy(CORPUS / "001_057ea572d0f1fc7d.txt", small_corpus / "001.txt")
    shutil.copy(CORPUS / "003_6730130ec87af471.txt", small_corpus / "003.txt")
    (small_corpus / "002_09a23be81b2d5379.txt").unlink()
    config = fake_settings.base_dir / "config.yaml"
    proc = subprocess.Popen([sys.executable, str(HELPER), str(config)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(delay)
    proc.kill()
    proc.wait()
    files = assert_whole(fake_settings)
    new_files = {"000_8ced48c5a6f24f61.txt", "001.txt", "003.txt"}
    assert files in (old_files, new_files)
    run(fake_settings)  # the next ingest completes
    assert assert_whole(fake_settings) == new_files


class Killed(BaseException):
    """Stands for kill -9 at one exact point of an ingest."""


@pytest.mark.parametrize("point", ["before the catalog is saved", "while stale passages go"])
def test_an_ingest_stopped_between_its_last_steps_leaves_a_whole_index(fake_settings,
                                                                       small_corpus,
                                                                       monkeypatch, point):
    """The snapshot of the new passages is written beside the old one before the catalog
    naming them, and the old snapshot and stale passages are deleted after it: stopped at
    either point, the saved catalog is answered from its own snapshot, even when the kill left
    Chroma unreadable ("Error finding id", seen in CI when a kill fell between the two)."""
    import rag.ingest

    run(fake_settings)
    old_files = assert_whole(fake_settings)
    shutil.copy(CORPUS / "001_057ea572d0f1fc7d.txt", small_corpus / "001.txt")
    (small_corpus / "002_09a23be81b2d5379.txt").unlink()

    def killed(*_a, **_k):
        raise Killed(point)

    if point == "before the catalog is saved":
        monkeypatch.setattr(rag.ingest, "save_catalog", killed)
    else:
        monkeypatch.setattr(VectorStore, "delete", killed)
    with pytest.raises(Killed):
        run(fake_settings)
    monkeypatch.undo()
    from chromadb.errors import InternalError

    def unreadable(*_a, **_k):
        raise InternalError("Error executing plan: Internal error: Error finding id")

    for method in ("all_vectors", "all_sentence_vectors", "vectors", "sentence_vectors"):
        monkeypatch.setattr(VectorStore, method, unreadable)
    files = assert_whole(fake_settings)
    assert files == (old_files if point == "before the catalog is saved"
                     else {"000_8ced48c5a6f24f61.txt", "001.txt"})
    monkeypatch.undo()
    run(fake_settings)
    assert assert_whole(fake_settings) == {"000_8ced48c5a6f24f61.txt", "001.txt"}


def test_a_store_left_inconsistent_by_a_kill_is_rebuilt_by_the_next_ingest(fake_settings,
                                                                            small_corpus,
                                                                            monkeypatch, caplog):
    """Seen once in CI: after kill -9 mid-ingest, Chroma held sentence ids without vectors, and
    the next ingest stopped with "InternalError: Error finding id" while writing the vector
    snapshot. It now warns, rebuilds the store and completes."""
    from chromadb.errors import InternalError

    run(fake_settings)
    shutil.copy(CORPUS / "001_057ea572d0f1fc7d.txt", small_corpus / "001.txt")
    real = VectorStore.all_sentence_vectors
    calls = []

    def broken_once(self):
        calls.append(1)
        if len(calls) == 1:
            raise InternalError("Error executing plan: Internal error: Error finding id")
        return real(self)

    monkeypatch.setattr(VectorStore, "all_sentence_vectors", broken_once)
    report = run(fake_settings)
    assert len(calls) == 2 and "rebuilding" in caplog.text
    assert report.files == len(assert_whole(fake_settings)) and "001.txt" in assert_whole(
        fake_settings)


def test_answering_from_an_inconsistent_store_says_to_run_ingest(fake_settings, monkeypatch):
    """With no snapshot matching the catalog, an answering process reads Chroma; if a killed
    ingest left it inconsistent, it says what to do rather than showing Chroma's traceback."""
    from chromadb.errors import InternalError

    from rag.vector_snapshot import open_answering_store

    run(fake_settings)
    for snapshot in fake_settings.state_dir.glob("vectors-*.npz"):
        snapshot.unlink()

    def broken(self):
        raise InternalError("Error executing plan: Internal error: Error finding id")

    monkeypatch.setattr(VectorStore, "all_sentence_vectors", broken)
    keys = load_catalog(catalog_path(fake_settings)).keys()
    with pytest.raises(IndexError_, match="interrupted ingest: run `rag ingest`"):
        open_answering_store(fake_settings, keys)


def test_second_ingest_stops_with_a_message_while_one_runs(fake_settings):
    with ingest_lock(fake_settings):
        with pytest.raises(IndexError_, match="another `rag ingest`"):
            run(fake_settings)


def test_corrupt_catalog_says_how_to_recover(fake_settings):
    run(fake_settings)
    catalog_path(fake_settings).write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexError_, match="--rebuild"):
        Assistant(fake_settings, embedder=FakeEmbedder())
    run(fake_settings, rebuild=True)
    assert_whole(fake_settings)


def test_corrupt_chroma_folder_is_rebuilt(fake_settings):
    run(fake_settings)
    (fake_settings.store.path / "chroma.sqlite3").write_bytes(b"garbage" * 100)
    with pytest.raises(IndexError_):
        VectorStore(fake_settings.store)
    run(fake_settings, rebuild=True)
    assert_whole(fake_settings)


def test_rebuild_never_deletes_a_folder_of_other_files(fake_settings):
    fake_settings.store.path.mkdir(parents=True)
    (fake_settings.store.path / "my-thesis.docx").write_bytes(b"precious")
    with pytest.raises(IndexError_, match="not a Chroma index"):
        run(fake_settings, rebuild=True)
    assert (fake_settings.store.path / "my-thesis.docx").exists()


# -- hostile text ------------------------------------------------------------------------------
def test_hostile_document_is_quoted_verbatim_and_safely(fake_settings, small_corpus):
    hostile = ("<script>alert('x')</script>疫情防控\u200b要抓重点。" + "长" * 5000 + "。\n"
               "<img src=x onerror=alert(1)>是一段需要被安全引用的文字。\n")
    (small_corpus / "hostile.txt").write_text(hostile, encoding="utf-8")
    run(fake_settings)
    fake_settings.answer.abstain_strictness = -10.0
    assistant = Assistant(fake_settings, embedder=FakeEmbedder())
    answer = assistant.ask("<img src=x onerror=alert(1)>是一段需要被安全引用的文字", top_k=10,
                           sources=["hostile.txt"])
    assert answer.citations and all(c.source == "hostile.txt" for c in answer.citations)
    from ui.render import citation_card, source_view

    for c in answer.to_dict()["citations"]:
        assert "<img" not in citation_card(c) and "<script" not in citation_card(c)
    assert "<script" not in source_view("hostile.txt", hostile, 0, 10)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_skipped_by_name(fake_settings, small_corpus):
    path = small_corpus / "locked.txt"
    path.write_text("正文。", encoding="utf-8")
    path.chmod(0)
    report = run(fake_settings)
    assert "locked.txt" in dict(report.skipped)


def test_settings_from_another_folder_resolve_paths_there(tmp_path, small_corpus):
    (tmp_path / "sub").mkdir()
    cfg = tmp_path / "sub" / "config.yaml"
    cfg.write_text(f"corpus:\n  path: {small_corpus}\nstore:\n  path: idx/chroma\n"
                   "embedding:\n  model: fake\n", encoding="utf-8")
    s = load_settings(cfg)
    assert s.store.path == (tmp_path / "sub" / "idx" / "chroma").resolve()


def test_the_snapshot_of_an_earlier_version_is_replaced_by_the_catalogs_own(fake_settings):
    """Earlier versions kept one `vectors.npz`; the first answering process writes the catalog's
    own snapshot from Chroma and removes the old file."""
    from rag.vector_snapshot import SnapshotStore, open_answering_store

    run(fake_settings)
    (own,) = fake_settings.state_dir.glob("vectors-*.npz")
    own.rename(fake_settings.state_dir / "vectors.npz")
    keys = load_catalog(catalog_path(fake_settings)).keys()
    assert not isinstance(open_answering_store(fake_settings, keys), SnapshotStore)
    assert own.exists() and not (fake_settings.state_dir / "vectors.npz").exists()
    assert isinstance(open_answering_store(fake_settings, keys), SnapshotStore)
