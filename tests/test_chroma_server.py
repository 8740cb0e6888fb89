"""The server path: `store.mode: http` against a real `chroma run` on a free loopback port.
Ingest and answers go through it exactly as through the embedded store."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import FakeEmbedder

from rag.assistant import Assistant
from rag.ingest import ingest

pytestmark = pytest.mark.integration

CHROMA = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")


@pytest.fixture
def chroma_server(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([CHROMA, "run", "--path", str(tmp_path / "server-data"), "--host",
                             "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma run did not start within 60 s")
    yield port
    proc.terminate()
    proc.wait(timeout=20)


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
