"""UI handlers and rendering with a fake assistant: no server, no model."""

from __future__ import annotations

import collections

import pytest

from rag.errors import ConfigError, QuestionError
from rag.settings import ServeSettings
from rag.types import Answer, Article, Chunk, Citation, Hit, Location
from ui import app as ui
from ui.render import answer_markdown, citation_card, source_view

XSS = '<img src=x onerror="window.__xss=1"><script>alert(1)</script>'
DOC = "标题\n\n第一行文字。\n" + XSS + "\n最后一行。\n"


class FakeAssistant:
    """Answers every question with one citation of DOC's hostile line."""

    class settings:  # noqa: N801 - mimics the attribute tree of Settings
        class retrieval:  # noqa: N801
            top_k = 5

    def __init__(self, abstain=False):
        self.abstain = abstain
        self.asked = []
        self.histories = []  # what each question was asked with (tests/test_conversation.py)

    def ask(self, question, top_k=None, sources=None, history=None):
        self.asked.append((question, top_k, sources))
        self.histories.append(history)
        if not question.strip():
            raise QuestionError("the question is empty: type a question in Chinese or English")
        start = DOC.index(XSS)
        chunk = Chunk("doc.txt", XSS, "标题<b>", None, None, 4, 4, start, start + len(XSS), "k")
        hit = Hit(chunk, 0.9, also_in=[Location("other.txt", 1, 2)])
        cites = [] if self.abstain else [Citation(1, "doc.txt", "标题<b>", "（2020年<i>）", XSS, 4, 4,
                                                  start, start + len(XSS), 0.9,
                                                  [Location("other.txt", 1, 2)])]
        text = "没有" if self.abstain else f"{XSS}[1]"
        return Answer(question, self.abstain, text, cites, [hit], {"total": 1.0})

    def source_text(self, source):
        return DOC if source == "doc.txt" else None

    def documents(self):
        return {"doc.txt": [Article("标题", 1)]}


def final(gen):
    """The last value a generator yields."""
    return collections.deque(gen, maxlen=1)[0]


def test_respond_streams_then_keeps_the_answer_with_its_message():
    steps = list(ui.respond(FakeAssistant(), "问题？", [], [], None, 5))
    assert len(steps) >= 2  # the answer streams in before the final render
    history, answers, cleared, cards, view = steps[-1]
    assert [m["role"] for m in history] == ["user", "assistant"]
    assert answers[0] is None and answers[1]["citations"][0]["n"] == 1
    assert cleared == ""
    assert "<mark>" in view


def test_history_keeps_each_answers_citations():
    fa = FakeAssistant()
    h, a, *_ = final(ui.respond(fa, "一？", [], [], None, 5))
    h, a, *_ = final(ui.respond(fa, "二？", h, a, None, 5))
    assert len(h) == len(a) == 4
    assert ui.select_message(a, 1)["question"] == "一？"
    assert ui.select_message(a, 3)["question"] == "二？"
    assert ui.select_message(a, 0) is None


def test_errors_become_a_message_not_a_traceback():
    history, answers, *_ = final(ui.respond(FakeAssistant(), "   ", [], [], None, 5))
    assert "empty" in history[-1]["content"]
    assert answers[-1] is None


def test_every_document_and_question_text_is_escaped():
    fa = FakeAssistant()
    history, answers, _, cards, view = final(ui.respond(fa, XSS, [], [], None, 5))
    for html in (history[0]["content"], history[1]["content"], cards, view,
                 citation_card(answers[1]["citations"][0])):
        assert "<img" not in html and "<script" not in html
    assert "&lt;img" in view and "&lt;script&gt;" in view


def test_quotes_in_a_question_are_shown_as_typed():
    from ui.render import escape_markdown

    shown = escape_markdown("What did Xi's letter say about \"the test\"? <b>")
    assert "Xi's" in shown and '"the test"' in shown and "&#x27;" not in shown
    assert "<b>" not in shown and "&lt;b&gt;" in shown


def test_source_viewer_highlights_the_quote_and_refuses_other_paths():
    start = DOC.index(XSS)
    html = source_view("doc.txt", DOC, start, start + len(XSS))
    assert html.count("<mark>") == 1 and 'id="rag-hit"' in html
    fa = FakeAssistant()
    for bad in ("../../etc/passwd", "/etc/passwd", "doc.txt/../../x"):
        assert "passwd" not in ui.view_source(fa, bad) or "No such" in ui.view_source(fa, bad)
        assert "root:" not in ui.view_source(fa, bad)


def test_abstention_shows_closest_passages_that_open_in_the_viewer():
    fa = FakeAssistant(abstain=True)
    history, answers, _, cards, _ = final(ui.respond(fa, "问？", [], [], None, 5))
    assert "do not answer" in cards
    assert "(1)" in answer_markdown(answers[-1])
    assert len(ui.citation_samples(answers[-1])) == 1
    assert "<mark>" in ui.view_citation(fa, answers[-1], 0)
    assert "Closest passages" in ui.cards_label(answers[-1])  # not "Click a citation"
    _, answered, _, _, _ = final(ui.respond(FakeAssistant(), "问？", [], [], None, 5))
    assert ui.cards_label(answered[-1]) == ui.CARDS_LABEL


def test_filters_reach_the_assistant():
    fa = FakeAssistant()
    final(ui.respond(fa, "问？", [], [], ["doc.txt"], 7))
    assert fa.asked[-1] == ("问？", 7, ["doc.txt"])


def test_api_handler_returns_the_contract_object():
    data = ui.ask_dict(FakeAssistant(), "问？")
    assert data["citations"][0]["quote"] == XSS and not data["abstained"]
    assert "error" in ui.ask_dict(FakeAssistant(), "  ")


def test_login_required_off_loopback():
    from ui.server import auth_for

    assert auth_for(ServeSettings(host="127.0.0.1")) is None
    with pytest.raises(ConfigError):
        auth_for(ServeSettings(host="0.0.0.0"))
    assert auth_for(ServeSettings(host="0.0.0.0", username="u", password="p")) == ("u", "p")


def test_app_builds_without_launching():
    app = ui.build_app(FakeAssistant())
    assert app is not None
    assert any(getattr(fn, "api_name", None) == "ask" for fn in app.fns.values())


def test_conversation_survives_a_reload_with_its_citations():
    fa = FakeAssistant()
    h, a, *_ = final(ui.respond(fa, "一？", [], [], None, 5))
    saved = ui.save_conversation(h, a)
    history, answers, _samples, _near, last = ui.restore_conversation(saved)
    assert history == h and answers == a
    assert last["citations"][0]["n"] == 1
    assert ui.restore_conversation(None)[0] == []
