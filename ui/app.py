"""The chat app. `build_app(assistant)` returns the Blocks without launching them; handlers
are thin functions over `Assistant.ask` and the renderers, testable without a server."""

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from rag.errors import RagError
from rag.library import uploads_allowed

from .render import (
    FEEDBACK_JS,
    answer_markdown,
    citation_card,
    escape_markdown,
    generated_markdown,
    outline,
    passage_card,
    source_view,
)

log = logging.getLogger("rag.ui")

EXAMPLES = [
    "习近平给武汉哪个社区的全体社区工作者回了信？",
    "习近平在2020年首都义务植树活动中种下了哪些树？",
    "How many confirmed cases did Hubei still have on March 9?",
    "What did Xi's letter to Bill Gates call the most powerful weapon against the epidemic?",
]

SCROLL_JS = """() => { setTimeout(() => {
  const el = document.querySelector('#rag-viewer mark');
  if (el) el.scrollIntoView({block: 'center'}); }, 150); }"""


# -- handlers (pure over an assistant) ---------------------------------------------------------
def ask_dict(assistant, question: str, sources: list[str] | None = None,
             top_k: int | None = None, history: list | None = None) -> dict[str, Any]:
    """The contract's answer object, or {"error": message} for a question it cannot take."""
    try:
        return assistant.ask(question, top_k=top_k, sources=sources or None,
                             history=history or None).to_dict()
    except RagError as exc:
        return {"question": question, "error": str(exc)}


def ask_streaming(assistant, question: str, sources: list[str] | None = None,
                  top_k: int | None = None,
                  history: list | None = None) -> Iterator[str | dict[str, Any]]:
    """With a generator configured: the checked generated answer as markdown each time a
    sentence passes, then the answer object. Without one: just the answer object."""
    if getattr(assistant, "generator", None) is None:
        yield ask_dict(assistant, question, sources, top_k, history)
        return
    try:
        answer = assistant.ask(question, top_k=top_k, sources=sources or None,
                               history=history or None, generate=False)
        for text in assistant.write(answer):
            yield generated_markdown(text, assistant.generator.name)
    except RagError as exc:
        yield {"question": question, "error": str(exc)}
        return
    yield answer.to_dict()


def respond(assistant, question: str, history: list[dict], answers: list[Any],
            sources: list[str] | None, top_k: int | None) -> Iterator[tuple]:
    """Add the question and its answer to the chat, streaming the answer text in.

    `answers` runs parallel to `history`: the answer object for each assistant message (None for
    user messages), so citations stay attached to their message across re-renders.
    """
    question = question or ""
    earlier = conversation(answers)  # a cleared chat has none: it starts afresh
    history = [*history, {"role": "user", "content": _plain(question)}]
    answers = [*answers, None]
    result: dict = {}
    for step in ask_streaming(assistant, question, sources, top_k, earlier):  # generated: streams
        if isinstance(step, str):
            yield [*history, {"role": "assistant", "content": step}], answers, "", "", ""
        else:
            result = step
    if "error" in result:
        history.append({"role": "assistant", "content": f"⚠️ {_plain(result['error'])}"})
        answers.append(None)
        yield history, answers, "", _cards(None), ""
        return
    full = answer_markdown(result)
    head = "" if result.get("generated") else full.split("\n\n", 1)[0]  # that one streamed
    answers.append(result)
    step = max(8, len(head) // 8)
    for end in range(step, len(head), step):  # stream the answer sentence in
        yield [*history, {"role": "assistant", "content": head[:end]}], answers, "", "", ""
    history.append({"role": "assistant", "content": full})
    yield history, answers, "", _cards(result), _first_view(assistant, result)


def conversation(answers: list[Any]) -> list[dict]:
    """The chat so far as the assistant's history: each kept answer with its question."""
    return [{"question": a["question"], "answer": a} for a in answers
            if isinstance(a, dict) and a.get("question") and "error" not in a]


def _plain(text: str) -> str:
    return escape_markdown(text)


def _cards(answer: dict | None) -> str:
    if not answer:
        return '<div class="rag-empty">Citations appear here.</div>'
    if answer["abstained"]:
        return ('<div class="rag-abstain"><b>The documents do not answer this.</b> '
                'The closest passages below are not an answer.</div>')
    return "".join(citation_card(c) for c in answer["citations"])


def _items(answer: dict | None) -> list[dict]:
    """What the cards show: the citations, or for an abstention the closest passages."""
    if not answer:
        return []
    return answer["passages"][:3] if answer["abstained"] else answer["citations"]


CARDS_LABEL = "Click a citation to open it in its source"


def cards_label(answer: dict | None) -> str:
    """The cards' label: an abstention's cards are passages, not citations."""
    if answer and answer["abstained"]:
        return "Closest passages: click one to read it in its source"
    return CARDS_LABEL


def citation_samples(answer: dict | None) -> list[list[str]]:
    question = answer.get("question") if answer else None  # for the feedback buttons
    if answer and answer["abstained"]:
        return [[passage_card(i, p, question)] for i, p in enumerate(_items(answer), start=1)]
    return [[citation_card(c, question)] for c in _items(answer)]


def view_citation(assistant, answer: dict | None, index: int) -> str:
    """The source viewer for card `index` (0-based) of an answer, its words highlighted."""
    items = _items(answer)
    if not 0 <= index < len(items):
        return ""
    c = items[index]
    return view_source(assistant, c["source"], c.get("char_start"), c.get("char_end"),
                       answer.get("question"))


def view_source(assistant, source: str, char_start: int | None = None,
                char_end: int | None = None, question: str | None = None) -> str:
    """An indexed document in the viewer; any other name shows nothing. With the question it
    was opened for, the words a person selects can be marked as answering it."""
    text = assistant.source_text(source) if source else None
    if text is None:
        return '<div class="rag-empty">No such indexed document.</div>' if source else ""
    pages = assistant.source_pages(source) if hasattr(assistant, "source_pages") else None
    return source_view(source, text, char_start, char_end, question, pages=pages)


UPLOAD_TYPES = [".pdf", ".docx", ".html", ".htm", ".txt", ".md"]


def can_upload(assistant) -> bool:
    """Whether the upload area is shown (serve.allow_upload; an assistant without serve
    settings, such as a test's stand-in, has none)."""
    serve = getattr(assistant.settings, "serve", None)
    return serve is not None and uploads_allowed(serve)


def upload_documents(assistant, paths: list[str] | None) -> str:
    """Save uploaded files into the corpus and index them; one line per file, as markdown."""
    from rag.library import add_documents

    settings = assistant.settings
    if not uploads_allowed(settings.serve):
        return "Adding documents is turned off here (serve.allow_upload)."
    files, messages = [], []
    for p in paths or []:
        path = Path(p)
        if path.stat().st_size > settings.corpus.max_file_mb * 1e6:  # not read into memory
            messages.append(f"{path.name} is larger than corpus.max_file_mb "
                            f"({settings.corpus.max_file_mb:g} MB)")
            continue
        files.append((path.name, path.read_bytes()))
    try:
        messages += add_documents(settings, files, assistant, progress=True)[1]
    except RagError as exc:
        messages.append(str(exc))
    return "\n".join(f"- {escape_markdown(m)}" for m in messages)


def remove_documents(assistant, name: str | None) -> str:
    """Delete an indexed document (file and index); a one-line message."""
    from rag.library import remove_document, update_index

    if not uploads_allowed(assistant.settings.serve):
        return "Removing documents is turned off here (serve.allow_upload)."
    if not name:
        return "Pick a document to remove."
    try:
        remove_document(assistant.settings, name)
        update_index(assistant.settings, assistant)
    except RagError as exc:
        return escape_markdown(str(exc))
    return f"{escape_markdown(name)} removed"


def _first_view(assistant, answer: dict) -> str:
    return view_citation(assistant, answer, 0)


def select_message(answers: list[Any], index: int) -> dict | None:
    """The answer object behind a clicked chat message."""
    if 0 <= index < len(answers) and answers[index]:
        return answers[index]
    return None


def save_conversation(history: list[dict], answers: list[Any]) -> dict:
    """What the browser keeps: the messages and, beside each, its answer object."""
    return {"history": history, "answers": answers}


def restore_conversation(saved: dict | None):
    """Messages and citations as they were before a reload; the last answer's cards shown."""
    saved = saved or {}
    history, answers = saved.get("history") or [], saved.get("answers") or []
    if len(history) != len(answers):  # from an older version: keep the text, drop the rest
        answers = [None] * len(history)
    last = next((a for a in reversed(answers) if a), None)
    return (history, answers, gr.Dataset(samples=citation_samples(last)),
            _cards(last) if last and last["abstained"] else ("" if last else _cards(None)), last)


# -- layout and wiring -------------------------------------------------------------------------
def build_app(assistant):
    """The Gradio Blocks app over an assistant, not launched."""
    documents = assistant.documents()
    names = list(documents)
    with gr.Blocks(title="Cited answers") as app:
        gr.Markdown("## Cited answers\nEvery answer is made of verbatim quotations from your "
                    "documents, each checked against its source before it is shown.")
        answers = gr.State([])
        # The conversation, citations included, survives a reload: it is kept in the browser.
        saved = gr.BrowserState({"history": [], "answers": []}, storage_key="rag-conversation")
        current = gr.State(None)
        with gr.Row():
            with gr.Column(scale=5):
                chat = gr.Chatbot(label="Chat", height=520, buttons=["copy", "copy_all"],
                                  sanitize_html=True, elem_id="rag-chat")
                with gr.Row():
                    box = gr.Textbox(placeholder="Ask in Chinese or English…", show_label=False,
                                     scale=8, max_lines=4, elem_id="rag-question")
                    send = gr.Button("Ask", variant="primary", scale=1, elem_id="rag-ask")
                gr.Examples(EXAMPLES, inputs=box, label="Examples")
                with gr.Accordion("Search settings", open=False):
                    sources = gr.Dropdown(names, multiselect=True, label="Only these documents")
                    top_k = gr.Slider(1, 20, value=assistant.settings.retrieval.top_k, step=1,
                                      label="Passages retrieved (top-k)")
            with gr.Column(scale=4):
                with gr.Tabs() as tabs:
                    with gr.Tab("Citations", id="cites"):
                        # above the cards: an abstention says so before its closest passages
                        near = gr.HTML(_cards(None), elem_id="rag-near")
                        cards = gr.Dataset(components=[gr.HTML(visible=False)], samples=[],
                                           label=CARDS_LABEL,
                                           type="index", elem_id="rag-cards")
                    with gr.Tab("Source", id="source"):
                        viewer = gr.HTML(elem_id="rag-source")
                    with gr.Tab("Documents", id="docs"):
                        doc_pick = gr.Dropdown(names, label="Open a document")
                        if can_upload(assistant):
                            mb = assistant.settings.corpus.max_file_mb
                            upload = gr.File(label=f"Add documents (PDF, Word .docx, web page, "
                                                   f"text; at most {mb:g} MB each)",
                                             file_count="multiple", file_types=UPLOAD_TYPES,
                                             type="filepath", elem_id="rag-upload")
                            upload_status = gr.Markdown(elem_id="rag-upload-status")
                            with gr.Row():
                                remove_pick = gr.Dropdown(names, label="Remove a document",
                                                          scale=3, elem_id="rag-remove-pick")
                                remove = gr.Button("Remove", variant="stop", scale=1,
                                                   elem_id="rag-remove")
                        docs_html = gr.HTML(outline(documents))
        api_q = gr.Textbox(visible=False)
        api_out = gr.JSON(visible=False)

        def on_ask(question, history, ans, srcs, k):
            for hist, new_ans, cleared, cards_html, view in respond(assistant, question, history,
                                                                      ans, srcs, int(k)):
                last = next((a for a in reversed(new_ans) if a), None) if cards_html else None
                samples = gr.Dataset(samples=citation_samples(last), label=cards_label(last)) \
                    if cards_html else gr.skip()
                nearby = (_cards(last) if last and last["abstained"] else "") if cards_html \
                    else gr.skip()
                yield hist, new_ans, cleared, samples, nearby, view or gr.skip(), last or gr.skip()

        outs = [chat, answers, box, cards, near, viewer, current]
        for trigger in (send.click, box.submit):
            trigger(on_ask, [box, chat, answers, sources, top_k], outs, api_name=False) \
                .then(save_conversation, [chat, answers], [saved], api_name=False) \
                .then(None, js=SCROLL_JS)

        def on_card(index, ans):
            return view_citation(assistant, ans, index), gr.Tabs(selected="source")

        cards.click(on_card, [cards, current], [viewer, tabs], api_name=False) \
            .then(None, js=SCROLL_JS)

        def on_select(ans_list, evt: gr.SelectData):
            ans = select_message(ans_list, evt.index if isinstance(evt.index, int) else -1)
            if ans is None:
                return gr.skip(), gr.skip(), gr.skip()
            near_html = _cards(ans) if ans["abstained"] else ""
            return gr.Dataset(samples=citation_samples(ans)), near_html, ans

        chat.select(on_select, [answers], [cards, near, current], api_name=False)
        doc_pick.change(lambda s: (view_source(assistant, s), gr.Tabs(selected="source")),
                        [doc_pick], [viewer, tabs], api_name=False)
        app.load(restore_conversation, [saved], [chat, answers, cards, near, current],
                 api_name=False)
        app.load(None, js=FEEDBACK_JS)  # "answers it" / "doesn't" post to /api/feedback
        chat.clear(lambda: ([], {"history": [], "answers": []}, gr.Dataset(samples=[]),
                            _cards(None), None), None, [answers, saved, cards, near, current],
                   api_name=False)
        api_q.submit(lambda q: ask_dict(assistant, q), [api_q], [api_out], api_name="ask")
        if can_upload(assistant):
            def listing():
                docs = assistant.documents()
                pick = list(docs)
                return (gr.Dropdown(choices=pick), gr.Dropdown(choices=pick),
                        gr.Dropdown(choices=pick, value=None), outline(docs))

            def on_upload(paths, progress=gr.Progress(track_tqdm=True)):
                progress(0, desc="saving and indexing")
                return (upload_documents(assistant, paths), *listing(), None)

            def on_remove(name):
                return (remove_documents(assistant, name), *listing())

            listed = [doc_pick, sources, remove_pick, docs_html]
            upload.upload(on_upload, [upload], [upload_status, *listed, upload], api_name=False)
            remove.click(on_remove, [remove_pick], [upload_status, *listed], api_name=False)
    return app


def serve(settings) -> int:
    """Serve the API and the UI (see ui/server.py)."""
    from .server import serve as serve_all

    return serve_all(settings)
