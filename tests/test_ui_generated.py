"""The UI with a generated answer: it streams in sentence by sentence, checked, above the
quotes, against a real OpenAI-compatible server on loopback; a failure leaves a note."""

from __future__ import annotations

import pytest
from conftest import FakeEmbedder, write_config
from helpers.openai_server import HANG

from rag.assistant import Assistant
from rag.ingest import ingest
from rag.settings import load_settings
from ui import app as ui

QUESTION = "习近平给武汉东湖新城社区全体社区工作者的回信"


@pytest.fixture
def assistant(tmp_path, small_corpus, server):
    path = write_config(tmp_path, small_corpus,
                        answer="  abstain_strictness: -10.0\n"  # the fake model is uncalibrated
                               f"  generator:\n    base_url: {server.base_url}\n"
                               "    model: qwen-test\n    timeout_s: 1")
    settings = load_settings(path)
    emb = FakeEmbedder()
    ingest(settings, progress=False, embedder_factory=lambda: emb)
    return Assistant(settings, embedder=emb)


def faithful(assistant) -> list[str]:
    """Two sentences copied from the first verified quote, each marked [1]."""
    quote = assistant.ask(QUESTION, generate=False).citations[0].quote
    return [s + "。[1]" for s in quote.split("。") if len(s) > 4][:2]


def test_generated_answer_streams_in_checked_then_sits_above_the_quotes(assistant, server):
    first, second = faithful(assistant)
    server.script.append(first + "社区一共有5000名工作者。[1]" + second)
    steps = list(ui.respond(assistant, QUESTION, [], [], None, 5))
    streamed = [s[0][-1]["content"] for s in steps[:-1]]
    assert any(first.replace("[1]", "\\[1\\]") in m and second[:6] not in m for m in streamed)
    assert all("5000" not in m for m in streamed)  # the unsupported sentence is never shown
    history, answers, _, cards, _ = steps[-1]
    message = history[-1]["content"]
    generated = (first + second).replace("[", "\\[").replace("]", "\\]")
    assert message.startswith(generated)
    assert "written by qwen-test, checked against the quotes; 1 sentence" in message
    assert message.index("written by") < message.index("**[1]**")  # above the quotes
    assert answers[-1]["generated"] == first + second and answers[-1]["dropped_sentences"] == 1
    assert cards


def test_a_hanging_server_leaves_the_extractive_answer_and_a_note(assistant, server):
    server.script.append(HANG)
    history, answers, *_ = list(ui.respond(assistant, QUESTION, [], [], None, 5))[-1]
    message = history[-1]["content"]
    assert message.startswith("*⚠️ the model server at") and "did not answer within 1 s" in message
    extractive = answers[-1]["answer"].replace("[", "\\[").replace("]", "\\]")
    assert extractive[:20] in message and answers[-1]["generated"] is None
