"""Past one machine (issue 13): answering processes that keep no local state, over one real
`chroma run` started here (rag/shared_index.py).

Folder A holds the documents and runs the ingests; B and C hold only a config.yaml, answer from
what the server holds, and take up each new ingest (a new generation) without a restart. The
lock, the kill -9 and the server outage use the fake embedder (plumbing); the replicas that
must answer exactly as embedded mode use the real model and real `rag serve` processes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPUS, MODEL, FakeEmbedder
from helpers.chroma_server import free_port, start_chroma, stop_chroma

from rag.assistant import Assistant
from rag.errors import IndexError_
from rag.ingest import ingest
from rag.settings import load_settings
from rag.shared_index import SharedIndex, load_generation

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parent.parent
HELPERS = Path(__file__).resolve().parent / "helpers"
LETTER_Q = "习近平给武汉哪个社区的全体社区工作者回了信？"
TREES_Q = "习近平在首都义务植树活动中种下了哪些树？"
PATIENCE_S = 90  # a hang detector, not a performance check: the figures are in docs/scaling.md


class Server:
    """A `chroma run` that a test can stop and start again on the same port and folder."""

    def __init__(self, data: Path):
        self.data = data
        self.proc, self.port = start_chroma(data)

    def stop(self) -> None:
        stop_chroma(self.proc)

    def start(self) -> None:
        self.proc, _ = start_chroma(self.data, self.port)


@pytest.fixture
def server(tmp_path):
    try:
        chroma = Server(tmp_path / "server-data")
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield chroma
    stop_chroma(chroma.proc)


def tiny_corpus(folder: Path) -> Path:
    """Two short documents cut from the bundled corpus: a letter and a news report."""
    corpus = folder / "corpus"
    corpus.mkdir(parents=True)
    lines = (CORPUS / "000_8ced48c5a6f24f61.txt").read_text(encoding="utf-8").splitlines()
    (corpus / "letter.txt").write_text("\n".join(lines[351:361]) + "\n", encoding="utf-8")
    lines = (CORPUS / "003_6730130ec87af471.txt").read_text(encoding="utf-8").splitlines()
    (corpus / "trees.txt").write_text("\n".join(lines[1465:1520]) + "\n", encoding="utf-8")
    return corpus


def config(folder: Path, port: int, corpus: Path | None = None, model: str = "fake",
           **store: object) -> Path:
    """config.yaml in `folder` for the server on `port`; a replica's names no corpus."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["store:", "  mode: http", "  host: 127.0.0.1", f"  port: {port}",
             *(f"  {k}: {v}" for k, v in store.items()), "embedding:", f"  model: {model}",
             "answer:", "  abstain_strictness: -10"]
    if corpus is not None:
        lines += ["corpus:", f"  path: {corpus}"]
    path = folder / "config.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def citations(answer: dict) -> list:
    return [(c["source"], c["quote"], c["line_start"], c["line_end"])
            for c in answer["citations"]]


def wait_for(check, what: str, patience: float = PATIENCE_S) -> None:
    deadline = time.monotonic() + patience
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {patience:g} s")
        time.sleep(0.2)


def only_config(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- the lock ---------------------------------------------------------------------------------
def test_the_lock_admits_one_ingest_and_lapses_when_its_holder_dies(server, tmp_path):
    settings = load_settings(config(tmp_path / "a", server.port))
    index = SharedIndex(settings.store)
    with index.lease(ttl=30, holder="first"):
        with pytest.raises(IndexError_, match=rf"another `rag ingest` \(first\).*127\.0\.0\.1:"
                                              rf"{server.port}"):
            with index.lease(ttl=30, holder="second"):
                pass
    with index.lease(ttl=30, holder="second"):  # released: the next one has it at once
        pass

    # Six at the same moment: one holds it, the five others are refused.
    barrier, outcomes = threading.Barrier(6), []

    def attempt(i: int) -> None:
        mine = SharedIndex(settings.store)
        barrier.wait()
        try:
            with mine.lease(ttl=30, holder=f"racer {i}"):
                time.sleep(3)
            outcomes.append("held")
        except IndexError_:
            outcomes.append("refused")

    racers = [threading.Thread(target=attempt, args=(i,)) for i in range(6)]
    for t in racers:
        t.start()
    for t in racers:
        t.join()
    assert sorted(outcomes) == ["held"] + ["refused"] * 5

    # A holder that died (taken, never renewed nor released) lapses; a waiting ingest takes over.
    index._acquire("dead", ttl=1.5, wait=0)
    with pytest.raises(IndexError_, match=r"\(dead\)"):
        with index.lease(ttl=30, holder="impatient"):
            pass
    with index.lease(ttl=30, wait=PATIENCE_S, holder="patient") as lease:
        lease.check()


# -- kill -9 ----------------------------------------------------------------------------------
def test_a_killed_ingest_leaves_the_served_generation_and_the_next_completes(server, tmp_path):
    corpus = tiny_corpus(tmp_path / "a")
    a = load_settings(config(tmp_path / "a", server.port, corpus, lease_s=3))
    emb = FakeEmbedder()
    ingest(a, progress=False, embedder_factory=lambda: emb)
    b_config = config(tmp_path / "b", server.port, poll_s=0.5)
    replica = Assistant(load_settings(b_config), embedder=emb)
    before = replica.ask(LETTER_Q).to_dict()
    assert replica.generation == 1 and citations(before)
    replica.follow()

    (corpus / "big.txt").write_text((CORPUS / "002_09a23be81b2d5379.txt").read_text("utf-8"),
                                    encoding="utf-8")
    stalled = subprocess.Popen([sys.executable, str(HELPERS / "stalled_ingest.py"),
                                str(tmp_path / "a" / "config.yaml")],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert stalled.stdout.readline().strip() == "stalled"
        # A second ingest meanwhile is refused, naming the one that holds the lock.
        with pytest.raises(IndexError_, match=rf"another `rag ingest` \(.*pid {stalled.pid}"):
            ingest(a, progress=False, embedder_factory=lambda: emb)
    finally:
        os.kill(stalled.pid, signal.SIGKILL)
        stalled.wait()

    assert SharedIndex(a.store).head() == 1
    assert replica.generation == 1
    assert citations(replica.ask(LETTER_Q).to_dict()) == citations(before)
    fresh = Assistant(load_settings(b_config), embedder=emb)  # a server starting now
    assert fresh.generation == 1 and "big.txt" not in fresh.documents()

    a.store.lock_wait_s = PATIENCE_S  # the dead ingest's lock lapses after lease_s
    report = ingest(a, progress=False, embedder_factory=lambda: emb)
    assert report.files == 3 and SharedIndex(a.store).head() == 2
    wait_for(lambda: replica.generation == 2, "the replica takes up generation 2")
    assert "big.txt" in replica.documents()
    assert citations(replica.ask(LETTER_Q).to_dict()) == citations(before)
    assert only_config(tmp_path / "b") == ["config.yaml"]


# -- the server away --------------------------------------------------------------------------
def test_a_stopped_server_is_named_in_one_line_and_answers_resume(server, tmp_path):
    corpus = tiny_corpus(tmp_path / "a")
    a = load_settings(config(tmp_path / "a", server.port, corpus))
    emb = FakeEmbedder()
    ingest(a, progress=False, embedder_factory=lambda: emb)
    b_config = config(tmp_path / "b", server.port, poll_s=0.5)
    replica = Assistant(load_settings(b_config), embedder=emb)
    replica.follow()
    before = citations(replica.ask(LETTER_Q).to_dict())

    server.stop()
    where = f"127.0.0.1:{server.port}"
    run = subprocess.run([sys.executable, "-m", "rag.cli", "--config", str(b_config), "ask",
                          LETTER_Q], capture_output=True, text=True, cwd=tmp_path / "b",
                         timeout=120)
    assert run.returncode == 1
    assert run.stderr.count("\n") == 1 and f"cannot reach the Chroma server at {where}" \
        in run.stderr, run.stderr
    with pytest.raises(IndexError_, match=f"cannot reach the Chroma server at {where}"):
        ingest(a, progress=False, embedder_factory=lambda: emb)
    # The serving replica answers on from the generation it holds.
    assert citations(replica.ask(LETTER_Q).to_dict()) == before

    server.start()
    (corpus / "trees.txt").write_text((corpus / "trees.txt").read_text("utf-8")
                                      .replace("油松、国槐", "油松、银杏、国槐"), encoding="utf-8")
    ingest(a, progress=False, embedder_factory=lambda: emb)
    wait_for(lambda: replica.generation == 2, "the replica takes up the ingest made after")
    fresh = Assistant(load_settings(b_config), embedder=emb)
    assert "银杏" in fresh.source_text("trees.txt") == replica.source_text("trees.txt")
    # The replica fetched only the new passages and kept the rest: the same as a full load.
    got, want = replica.retriever.store, fresh.retriever.store
    assert sorted(got.keys) == sorted(want.keys)
    everything = {k: 0 for k in want.keys}
    assert all(np.array_equal(v, got.vectors([k])[k]) for k, v in want.vectors(want.keys).items())
    mine = got.sentence_vectors(everything)
    assert all(np.array_equal(v, mine[k]) for k, v in want.sentence_vectors(everything).items())
    assert only_config(tmp_path / "b") == ["config.yaml"]


# -- real replicas, real model ----------------------------------------------------------------
def _serve(folder: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "RAG_SERVE_PORT": str(port)}
    return subprocess.Popen([sys.executable, "-m", "rag.cli", "--config", "config.yaml", "serve"],
                            cwd=folder, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def _ask(port: int, question: str) -> dict:
    body = json.dumps({"question": question}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/ask", data=body,
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def _up(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2):
            return True
    except (urllib.error.URLError, OSError):
        return False


def test_replicas_in_empty_folders_answer_as_embedded_mode_and_switch_together(server, tmp_path):
    if not (MODEL / "modules.json").exists():
        pytest.fail(f"the model folder {MODEL} is missing: run `make setup`")
    corpus = tiny_corpus(tmp_path / "a")
    a = load_settings(config(tmp_path / "a", server.port, corpus, model=str(MODEL)))
    ingest(a, progress=False)
    ports, replicas = [free_port(), free_port()], []
    for name, port in zip("bc", ports, strict=True):
        config(tmp_path / name, server.port, model=str(MODEL), poll_s=1)
        replicas.append(_serve(tmp_path / name, port))
    try:
        # The same documents in embedded mode, as one process on one machine would have them.
        embedded_config = tmp_path / "e" / "config.yaml"
        embedded_config.parent.mkdir()
        embedded_config.write_text(f"corpus:\n  path: {corpus}\nembedding:\n  model: {MODEL}\n"
                                   "answer:\n  abstain_strictness: -10\n", encoding="utf-8")
        embedded = load_settings(embedded_config)
        ingest(embedded, progress=False)
        local = Assistant(embedded)
        for port, proc in zip(ports, replicas, strict=True):
            wait_for(lambda p=port, r=proc: _up(p) or r.poll() is not None, "rag serve starts")
            assert proc.poll() is None, proc.stderr.read()
        for question in (LETTER_Q, TREES_Q):
            want = local.ask(question).to_dict()
            assert citations(want)
            for port in ports:
                got = _ask(port, question)
                assert citations(got) == citations(want) and got["answer"] == want["answer"]
        old = citations(_ask(ports[0], TREES_Q))

        # Change a document and ingest again while eight clients keep asking both replicas.
        stop, seen, failures = threading.Event(), [], []

        def client(port: int) -> None:
            mine = []
            seen.append(mine)
            while not stop.is_set():
                try:
                    mine.append(citations(_ask(port, TREES_Q)))
                except Exception as exc:  # noqa: BLE001 - counted: none may fail
                    failures.append(repr(exc))

        clients = [threading.Thread(target=client, args=(ports[i % 2],)) for i in range(8)]
        for t in clients:
            t.start()
        (corpus / "trees.txt").write_text((corpus / "trees.txt").read_text("utf-8")
                                          .replace("油松、国槐", "油松、银杏、国槐"),
                                          encoding="utf-8")
        ingest(a, progress=False, embedder_factory=lambda: local.embedder)
        new = None
        try:
            wait_for(lambda: all(any("银杏" in c[1] for c in citations(_ask(p, TREES_Q)))
                                 for p in ports), "both replicas answer from the new ingest")
            new = citations(_ask(ports[0], TREES_Q))
            time.sleep(1)
        finally:
            stop.set()
            for t in clients:
                t.join()
        assert not failures
        for answers in seen:  # each client saw the old answer, then the new one, nothing else
            assert answers
            switched = [a == new for a in answers]
            assert all(a in (old, new) for a in answers)
            assert switched == sorted(switched)
        assert citations(_ask(ports[1], TREES_Q)) == new
        for name in "bc":
            assert only_config(tmp_path / name) == ["config.yaml"]
    finally:
        for proc in replicas:
            proc.send_signal(signal.SIGINT)
        for proc in replicas:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    assert load_generation(a).number == 2
