"""Adding documents from the browser or the API, and removing them: safe names, no overwrite,
duplicates reported, unreadable uploads refused by name, the running assistant updated."""

from __future__ import annotations

import os

import pytest
from conftest import FakeEmbedder
from helpers.documents import make_docx

from rag.assistant import Assistant
from rag.catalog import load_catalog
from rag.ingest import catalog_path, ingest
from rag.library import (
    LibraryError,
    add_documents,
    remove_document,
    safe_name,
    save_upload,
    uploads_allowed,
)
from rag.settings import ServeSettings

TEXT = "青禾市图书馆新馆每周二至周日九时至二十一时开放，每周一闭馆进行设备维护。\n".encode()


@pytest.mark.parametrize("sent, saved", [
    ("../../x.pdf", "x.pdf"),
    ("a/b.pdf", "b.pdf"),
    ("..\\..\\windows\\evil.docx", "evil.docx"),
    (".hidden.txt", "hidden.txt"),
    ("报告\x00\n2024.PDF", "报告2024.pdf"),
    ("/etc/passwd.txt", "passwd.txt"),
])
def test_names_lose_every_path_part(sent, saved):
    assert safe_name(sent) == saved


def test_a_300_character_name_is_shortened_keeping_its_ending():
    name = safe_name("长" * 300 + ".pdf")
    assert name.endswith(".pdf") and len(name.encode()) <= 180 and "/" not in name


def test_hostile_names_are_saved_inside_the_corpus_folder(fake_settings):
    root = fake_settings.corpus.path
    for i, hostile in enumerate(["../../x.txt", "a/b.txt", "长" * 300 + ".txt"]):
        upload = save_upload(fake_settings, hostile, TEXT + str(i).encode())
        assert upload.added
        assert (root / upload.name).resolve().parent == root.resolve()
    assert not (root.parent.parent / "x.txt").exists()
    assert not list(root.glob(".upload-*"))  # no temporary file left behind


def test_a_different_file_of_the_same_name_is_never_overwritten(fake_settings):
    first = save_upload(fake_settings, "通知.txt", TEXT)
    second = save_upload(fake_settings, "通知.txt", TEXT + "另一段。\n".encode())
    assert (first.name, second.name) == ("通知.txt", "通知 (2).txt")
    assert (fake_settings.corpus.path / "通知.txt").read_bytes() == TEXT


def test_the_same_content_is_reported_not_stored_twice(fake_settings):
    save_upload(fake_settings, "a.txt", TEXT)
    again = save_upload(fake_settings, "b.txt", TEXT)
    assert not again.added and again.name == "a.txt" and "already" in again.message
    assert not (fake_settings.corpus.path / "b.txt").exists()
    indexed = (fake_settings.corpus.path / "000_8ced48c5a6f24f61.txt").read_bytes()
    assert not save_upload(fake_settings, "copy.txt", indexed).added


def test_wrong_type_and_oversized_files_are_refused(fake_settings):
    with pytest.raises(LibraryError, match="only"):
        save_upload(fake_settings, "run.exe", b"MZ")
    fake_settings.corpus.max_file_mb = 0.001
    with pytest.raises(LibraryError, match="max_file_mb"):
        save_upload(fake_settings, "big.txt", TEXT * 100)


def test_uploads_allowed_on_loopback_or_behind_a_login():
    assert uploads_allowed(ServeSettings(host="127.0.0.1"))
    assert not uploads_allowed(ServeSettings(host="0.0.0.0"))
    assert uploads_allowed(ServeSettings(host="0.0.0.0", username="u", password="p"))
    assert not uploads_allowed(ServeSettings(host="127.0.0.1", allow_upload=False))


@pytest.fixture
def live(fake_settings):
    emb = FakeEmbedder()
    ingest(fake_settings, progress=False, embedder_factory=lambda: emb)
    fake_settings.answer.abstain_strictness = -10.0  # the fake model's scores are not calibrated
    return Assistant(fake_settings, embedder=emb)


def test_an_upload_is_indexed_and_answerable_without_a_restart(live, fake_settings, tmp_path):
    docx = make_docx(tmp_path / "办法.docx").read_bytes()
    uploads, messages = add_documents(fake_settings, [("../办法.docx", docx)], live)
    assert [u.name for u in uploads] == ["办法.docx"] and messages == ["办法.docx added"]
    assert "办法.docx" in live.documents()
    answer = live.ask("青年科技人才生活补贴", sources=["办法.docx"])
    assert answer.citations and answer.citations[0].locator.endswith("¶1")


def test_an_unreadable_upload_is_refused_by_name_and_not_kept(live, fake_settings):
    uploads, messages = add_documents(fake_settings, [("坏.docx", b"PK\x03\x04 not a zip")], live)
    assert not uploads[0].added and "坏.docx not added" in messages[0]
    assert "valid DOCX" in messages[0]
    assert not (fake_settings.corpus.path / "坏.docx").exists()
    assert "坏.docx" not in live.documents()


def test_a_document_can_be_removed_file_and_index(live, fake_settings):
    from rag.library import update_index

    name = "002_09a23be81b2d5379.txt"
    remove_document(fake_settings, name)
    update_index(fake_settings, live)
    assert not (fake_settings.corpus.path / name).exists()
    assert name not in load_catalog(catalog_path(fake_settings)).files
    assert name not in live.documents() and live.source_text(name) is None
    with pytest.raises(LibraryError, match="no indexed document"):
        remove_document(fake_settings, "../config.yaml")
    with pytest.raises(LibraryError, match="only indexed document"):
        remove_document(fake_settings, "000_8ced48c5a6f24f61.txt")


def test_half_written_uploads_of_a_killed_server_are_cleared(fake_settings):
    root = fake_settings.corpus.path
    old, fresh = root / ".upload-old.part", root / ".upload-new.part"
    for part in (old, fresh):
        part.write_bytes(b"half")
    os.utime(old, (1, 1))
    save_upload(fake_settings, "a.txt", TEXT)
    assert not old.exists() and fresh.exists()  # a fresh one may be another upload under way
