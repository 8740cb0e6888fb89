"""The JSON HTTP API (ui/api.py): every route, bad bodies, the login rule, history, and many
clients at once. Plumbing tests over a real index built with the fake embedder."""

from __future__ import annotations

import base64
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import copy_corpus, fake_indexed_assistant, write_config
from fastapi.testclient import TestClient

from rag.settings import load_settings
from ui.api import MAX_BODY_BYTES, build_api

QUESTION = "习近平给武汉哪个社区的全体社区工作者回了信？"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    folder = tmp_path_factory.mktemp("api")
    return fake_indexed_assistant(load_settings(write_config(folder, copy_corpus(folder))))


@pytest.fixture(scope="module")
def client(assistant):
    return TestClient(build_api(assistant))


def test_ask_returns_the_answer_object(client):
    r = client.post("/api/ask", json={"question": QUESTION, "top_k": 3})
    assert r.status_code == 200
    body = r.json()
    assert body["question"] == QUESTION and not body["abstained"]
    assert {"answer", "citations", "passages", "timings_ms"} <= set(body)
    assert len(body["passages"]) >= 3
    c = body["citations"][0]
    assert {"n", "source", "quote", "line_start", "char_start", "also_in"} <= set(c)


def test_ask_with_sources_and_unknown_source(client):
    r = client.post("/api/ask", json={"question": QUESTION,
                                      "sources": ["002_09a23be81b2d5379.txt"]})
    assert r.status_code == 200
    assert all(p["source"] == "002_09a23be81b2d5379.txt" for p in r.json()["passages"][:1])
    r = client.post("/api/ask", json={"question": QUESTION, "sources": ["nowhere.txt"]})
    assert r.status_code == 400 and "nowhere.txt" in r.json()["error"]


def test_ask_takes_history(client):
    first = client.post("/api/ask", json={"question": QUESTION}).json()
    r = client.post("/api/ask", json={"question": "这封信是哪天写的？",
                                      "history": [{"question": QUESTION, "answer": first}]})
    assert r.status_code == 200
    assert r.json()["question"] == "这封信是哪天写的？"


@pytest.mark.parametrize("body, status, words", [
    (b"not json", 400, "not valid JSON"),
    (b"[1, 2]", 400, "body"),
    (b"{}", 400, "'question' is required"),
    (b'{"question": ""}', 400, "empty"),
    (b'{"question": "   \\u0000 "}', 400, "empty"),
    (b'{"question": "?!"}', 400, "punctuation"),
    (b'{"question": 5}', 400, "question"),
    (b'{"question": "q", "top_k": "many"}', 400, "top_k"),
    (b'{"question": "q", "top_k": 0}', 400, "top_k"),
    (b'{"question": "q", "sources": "a.txt"}', 400, "sources"),
    (b'{"question": "q", "history": "nope"}', 400, "history"),
    (b'{"question": "q", "colour": "red"}', 400, "colour"),
])
def test_bad_bodies_get_a_message(client, body, status, words):
    r = client.post("/api/ask", content=body, headers={"content-type": "application/json"})
    assert r.status_code == status
    assert words in r.json()["error"]
    assert "Traceback" not in r.text


def test_a_10_mb_body_is_refused_before_it_is_read(client):
    big = json.dumps({"question": "疫" * (5 * 1024 * 1024)}).encode()
    assert len(big) > MAX_BODY_BYTES
    r = client.post("/api/ask", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "KB" in r.json()["error"]


def test_a_body_without_length_is_refused(client):
    r = client.post("/api/ask", content=iter([b'{"question": "q"}']),
                    headers={"content-type": "application/json"})
    assert r.status_code == 411 and "Content-Length" in r.json()["error"]


def test_documents_health_and_docs(client):
    docs = client.get("/api/documents").json()["documents"]
    assert [d["source"] for d in docs] == ["000_8ced48c5a6f24f61.txt", "002_09a23be81b2d5379.txt"]
    assert all(d["format"] == "txt" and d["articles"] for d in docs)
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["documents"] == 2 and health["passages"] > 50
    assert client.get("/api/docs").status_code == 200
    spec = client.get("/api/openapi.json").json()
    assert {"/api/ask", "/api/documents", "/api/health"} <= set(spec["paths"])
    assert client.get("/api/nothing").json() == {"error": "Not Found"}


def test_login_required_off_loopback(assistant):
    locked = TestClient(build_api(assistant, auth=("ana", "s3cret")))
    r = locked.post("/api/ask", json={"question": QUESTION})
    assert r.status_code == 401 and "login" in r.json()["error"]
    assert r.headers["www-authenticate"].startswith("Basic")
    bad = base64.b64encode(b"ana:wrong").decode()
    assert locked.get("/api/health", headers={"authorization": f"Basic {bad}"}).status_code == 401
    assert locked.get("/api/health", headers={"authorization": "Basic %%%"}).status_code == 401
    good = base64.b64encode(b"ana:s3cret").decode()
    r = locked.post("/api/ask", json={"question": QUESTION},
                    headers={"authorization": f"Basic {good}"})
    assert r.status_code == 200 and r.json()["citations"]


def test_sixteen_clients_at_once(client):
    """16 threads x 5 questions through one app: every answer whole, none an error."""
    questions = [QUESTION, "六保包括哪些？", "Who wrote to the community workers?", "复工复产"]
    barrier = threading.Barrier(16)

    def worker(i):
        barrier.wait()
        out = []
        for j in range(5):
            q = questions[(i + j) % len(questions)]
            r = client.post("/api/ask", json={"question": q})
            out.append((q, r.status_code, r.json()))
        return out

    with ThreadPoolExecutor(16) as pool:
        results = [row for rows in pool.map(worker, range(16)) for row in rows]
    assert len(results) == 80
    for q, status, body in results:
        assert status == 200 and body["question"] == q and "error" not in body
