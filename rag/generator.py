"""The optional generated answer: a chat model writes a short answer from the verified quotes
only, and every sentence is checked (rag/support_check.py) before it is shown.

Off unless `answer.generator.base_url` is set; then any OpenAI-compatible server (Ollama, vLLM,
llama.cpp, a hosted API) through LangChain's chat-model integration (langchain-openai). The
extractive answer is always there underneath: a server that times out, refuses the connection
or the key, or a model that ignores the format, leaves it as the answer with a one-line note.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .errors import ConfigError
from .settings import GeneratorSettings
from .support_check import (
    MARKER,
    cedict,
    check_sentence,
    has_cjk,
    quote_context,
    split_sentences,
)
from .types import Citation

log = logging.getLogger("rag.generator")

SYSTEM = (
    "You answer questions using only the numbered quotes you are given.\n"
    "- Answer in the language of the question: a Chinese question in Chinese, an English "
    "question in English.\n"
    "- Write one to four short sentences. End every sentence with the number of the quote it "
    "comes from in square brackets, like [1] or [1][2].\n"
    "- Say only what the quotes say. Keep names, dates and numbers exactly as the quotes give "
    "them; add nothing from anywhere else.\n"
    "- If the quotes do not answer the question, say so in one sentence."
)


def prompt(question: str, citations: Sequence[Citation]) -> str:
    """The user message: the numbered quotes with their article and attribution, then the
    question."""
    blocks = []
    for c in citations:
        label = f"[{c.n}] 《{c.title}》" + (f" {c.attribution}" if c.attribution else "")
        blocks.append(f"{label}\n{c.quote}")
    return "Quotes:\n\n" + "\n\n".join(blocks) + f"\n\nQuestion: {question}"


@dataclass
class Draft:
    """What the generator made of one answer: the checked text (None if nothing passed), how
    many sentences failed the check, and a one-line note when it fell back or was cut short."""

    text: str | None = None
    dropped: int = 0
    note: str | None = None


class Generator:
    """An OpenAI-compatible chat model behind the sentence check."""

    def __init__(self, settings: GeneratorSettings, chat_model=None):
        if not settings.base_url:
            raise ConfigError("answer.generator.base_url is not set: the generator is off")
        if not settings.model:
            raise ConfigError("answer.generator.model is not set: name the model to use at "
                              f"{settings.base_url} (e.g. qwen2.5:7b-instruct for Ollama)")
        self.settings = settings
        self.name = settings.model
        self._chat_model = chat_model
        # The dictionary the check reads for English sentences over Chinese quotes takes a few
        # seconds to load: load it now, in the background, not while the first answer waits.
        threading.Thread(target=cedict, daemon=True, name="cedict").start()

    @property
    def chat_model(self):
        """The LangChain chat model, made on first use (langchain-openai is imported here)."""
        if self._chat_model is None:
            from langchain_openai import ChatOpenAI

            s = self.settings
            key = os.environ.get(s.api_key_env or "") or "not-needed"  # local servers need none
            self._chat_model = ChatOpenAI(
                model=s.model, base_url=s.base_url, api_key=key, timeout=s.timeout_s,
                max_retries=0, temperature=0,
            )
        return self._chat_model

    def write(self, question: str, citations: Sequence[Citation],
              draft: Draft | None = None) -> Iterator[str]:
        """Stream the checked answer: yields the text that has passed the check so far, each
        time a sentence passes. `draft` (if given) is filled in as it goes."""
        draft = draft if draft is not None else Draft()
        quotes = {c.n: quote_context(c.quote, c.title, c.attribution) for c in citations}
        joiner = "" if has_cjk(question) else " "
        kept: list[str] = []
        seen = failed = unmarked = 0
        pending = ""

        def take(sentences: list[str]) -> bool:
            nonlocal seen, failed, unmarked
            grew = False
            for sentence in sentences:
                seen += 1
                verdict = check_sentence(sentence, quotes)
                if verdict.supported:
                    kept.append(sentence)
                    grew = True
                else:
                    failed += 1
                    unmarked += not verdict.cited
                    log.info("dropped generated sentence (%s): %s", verdict.reason, sentence)
            draft.text = joiner.join(kept) or None
            draft.dropped = failed
            return grew

        from langchain_core.messages import HumanMessage, SystemMessage

        messages = [SystemMessage(SYSTEM), HumanMessage(prompt(question, citations))]
        try:
            for chunk in self.chat_model.stream(messages):
                pending += _text(chunk.content)
                done, pending = _complete(pending)
                if done and take(done):
                    yield draft.text
        except Exception as exc:  # noqa: BLE001 - any failure falls back, with a note
            draft.note = self._failure(exc, bool(kept))
            log.warning("generator: %s", draft.note)
            return
        if take(split_sentences(pending)):
            yield draft.text
        if not kept:
            if seen and unmarked == seen:
                draft.note = (f"{self.name} did not cite the quotes as asked ([n] after each "
                              "sentence); showing the extractive answer")
            elif seen:
                draft.note = (f"none of the {seen} sentences {self.name} wrote is supported by "
                              "the quotes; showing the extractive answer")
            else:
                draft.note = f"{self.name} wrote nothing; showing the extractive answer"

    def _failure(self, exc: Exception, partial: bool) -> str:
        """One line on what went wrong with the server."""
        import openai

        s = self.settings
        if isinstance(exc, openai.APITimeoutError) or "timeout" in type(exc).__name__.lower():
            what = f"the model server at {s.base_url} did not answer within {s.timeout_s:g} s"
        elif isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
            what = (f"the model server at {s.base_url} refused the key (set the environment "
                    f"variable {s.api_key_env})")
        elif isinstance(exc, openai.NotFoundError):
            what = f"the model server at {s.base_url} has no model '{s.model}' (or no such path)"
        elif isinstance(exc, openai.APIConnectionError):
            what = f"cannot reach the model server at {s.base_url}"
        elif isinstance(exc, openai.APIStatusError):
            what = f"the model server at {s.base_url} answered with status {exc.status_code}"
        else:
            first = (str(exc).splitlines() or [""])[0][:200]
            what = f"the generator failed ({type(exc).__name__}: {first})"
        tail = "the answer was cut short" if partial else "showing the extractive answer"
        return f"{what}; {tail}"


def _text(content) -> str:
    """A chunk's text (some servers send a list of parts)."""
    if isinstance(content, str):
        return content
    return "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content or [])


def _complete(text: str) -> tuple[list[str], str]:
    """The sentences of streamed text that are surely finished, and the rest. A sentence is
    finished once something other than its [n] markers follows it."""
    sentences = split_sentences(text)
    if len(sentences) < 2:
        return [], text
    last = sentences[-1]
    keep = 1
    if last.lstrip().startswith(("[", "【")) and not MARKER.fullmatch(last.strip()):
        keep = 2  # a marker still arriving may belong to the sentence before it
    done = sentences[:-keep]
    if not done:
        return [], text
    # The rest is everything after the last finished sentence, as it was written.
    cut = 0
    for sentence in done:
        found = text.find(sentence, cut)
        if found < 0:  # rejoined across a line break: wait for the end of the stream
            return [], text
        cut = found + len(sentence)
    return done, text[cut:]
