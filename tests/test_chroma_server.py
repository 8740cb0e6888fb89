"""The server path: `store.mode: http` against a real `chroma run` on a free loopback port.
Ingest and answers go through it exactly as through the embedded store."""

from __future__ import annotations

import socket

import pytest
from conftest import FakeEmbedder
from helpers.chroma_server import start_chroma, stop_chroma

from rag.assistant import Assistant
from rag.ingest import ingest

pytestmark = pytest.mark.integration


@pytest.fixture
def chroma_server(tmp_path):
    try:
        proc, port = start_chroma(tmp_path / "server-data")
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield port
    stop_chroma(proc)


def test_ingest_and_ask_through_a_chroma_server(fake_settings, chroma_server):
    fake_settings.store.mode = "http"
    fake_settings.store.port = chroma_server
    emb = FakeEmbedder()
    report = ingest(fake_settings, progress=False, embedder_factory=lambda: emb)
    assert report.embedded > 50
    again = ingest(fake_settings, progress=False, embedder_factory=FakeEmbedder)
    assert again.embedded == 0 and again.added == 0
    fake_settings.answer.abstain_strictness = -10.0
    assistant = Assistant(fake_settings, embedder=emb)
    answer = assistant.ask("习近平给武汉东湖新城社区全体社区工作者的回信")
    assert answer.citations and answer.citations[0].source == "000_8ced48c5a6f24f61.txt"


def test_a_server_that_is_not_there_is_named(fake_settings):
    from rag.errors import IndexError_
    from rag.store import VectorStore

    fake_settings.store.mode = "http"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        fake_settings.store.port = s.getsockname()[1]
    with pytest.raises(IndexError_, match="Chroma server"):
        VectorStore(fake_settings.store)
