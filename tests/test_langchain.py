"""rag.integrations.langchain: the retriever inside a real LCEL chain (langchain_core's fake
chat model), the embedder as Embeddings, and the loader of our structured text."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import FakeEmbedder
from helpers.documents import make_docx, make_html
from langchain_core.language_models.fake_chat_models import ParrotFakeChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnablePassthrough
from langchain_core.vectorstores import InMemoryVectorStore

from rag.assistant import Assistant
from rag.ingest import ingest
from rag.integrations.langchain import AssistantRetriever, RagDocumentLoader, RagEmbeddings
from rag.settings import EmbeddingSettings

QUESTION = "习近平给武汉东湖新城社区全体社区工作者的回信"


@pytest.fixture
def assistant(fake_settings):
    emb = FakeEmbedder()
    ingest(fake_settings, progress=False, embedder_factory=lambda: emb)
    fake_settings.answer.abstain_strictness = -10.0  # the fake model's scores are not calibrated
    return Assistant(fake_settings, embedder=emb)


def squeeze(text: str) -> str:
    return "".join(text.split())


def test_retriever_feeds_verified_quotes_into_an_lcel_chain(assistant):
    retriever = AssistantRetriever(assistant=assistant, top_k=5)
    prompt = ChatPromptTemplate.from_messages([
        ("system", "Answer from the quotes only, with [n] after each sentence."),
        ("human", "Quotes:\n{context}\n\nQuestion: {question}"),
    ])

    def numbered(docs):
        return "\n\n".join(f"[{d.metadata['n']}] {d.page_content}" for d in docs)

    # The parrot model answers with the last message it was given: the prompt it saw.
    chain = ({"context": retriever | numbered, "question": RunnablePassthrough()}
             | prompt | ParrotFakeChatModel() | StrOutputParser())
    seen = chain.invoke(QUESTION)
    docs = retriever.invoke(QUESTION)
    assert docs and seen.endswith(f"Question: {QUESTION}")
    for d in docs:
        assert f"[{d.metadata['n']}] {d.page_content}" in seen


def test_each_document_is_a_verified_quote_with_its_place(assistant):
    docs = AssistantRetriever(assistant=assistant).invoke(QUESTION)
    assert docs
    for d in docs:
        m = d.metadata
        assert m["verified"] is True and isinstance(m["score"], float)
        assert {"source", "title", "attribution", "line_start", "line_end", "char_start",
                "char_end", "also_in"} <= set(m)
        original = (assistant.settings.corpus.path / m["source"]).read_text(encoding="utf-8")
        lines = "".join(original.split("\n")[m["line_start"] - 1 : m["line_end"]])
        assert squeeze(d.page_content) in squeeze(lines)
        assert squeeze(original[m["char_start"]:m["char_end"]]) == squeeze(d.page_content)


def test_an_abstention_retrieves_nothing(assistant):
    assistant.settings.answer.abstain_strictness = 10.0
    assert AssistantRetriever(assistant=assistant).invoke(QUESTION) == []


class SpyAssistant:
    def __init__(self, inner):
        self.inner, self.calls = inner, []

    def ask(self, question, **kwargs):
        self.calls.append(dict(kwargs))
        kwargs.pop("history", None)  # what the assistant makes of it is the chat tests' business
        return self.inner.ask(question, **kwargs)


def test_history_top_k_and_sources_pass_through_and_nothing_is_generated(assistant):
    spy = SpyAssistant(assistant)
    retriever = AssistantRetriever(assistant=spy, sources=["000_8ced48c5a6f24f61.txt"])
    earlier = assistant.ask(QUESTION)
    docs = retriever.invoke("那封信还说了什么？", history=[earlier], top_k=3)
    assert spy.calls[-1]["history"] == [earlier] and spy.calls[-1]["top_k"] == 3
    assert spy.calls[-1]["sources"] == ["000_8ced48c5a6f24f61.txt"]
    assert spy.calls[-1]["generate"] is False
    assert all(d.metadata["source"] == "000_8ced48c5a6f24f61.txt" for d in docs)
    retriever.invoke(QUESTION)
    assert "history" not in spy.calls[-1]  # no history: the plain question


def test_embeddings_wrap_our_embedder_in_a_langchain_vector_store(small_corpus):
    fake = FakeEmbedder()
    embeddings = RagEmbeddings(fake)
    vectors = embeddings.embed_documents(["武汉社区", "植树"])
    assert len(vectors) == 2 and all(isinstance(x, float) for x in vectors[0])
    assert np.allclose(embeddings.embed_query("武汉社区"), fake.embed_query("武汉社区"))
    docs = RagDocumentLoader(small_corpus).load()
    store = InMemoryVectorStore.from_documents(docs, embedding=embeddings)
    best = store.similarity_search("武汉东湖新城社区全体社区工作者", k=1)[0]
    assert "武汉东湖新城社区" in best.page_content


def test_loader_yields_clean_paragraphs_with_offsets_into_the_file(small_corpus):
    docs = RagDocumentLoader(small_corpus).load()
    assert {d.metadata["source"] for d in docs} == {p.name for p in small_corpus.iterdir()}
    for d in docs:
        m = d.metadata
        original = (small_corpus / m["source"]).read_text(encoding="utf-8")
        assert squeeze(original[m["char_start"]:m["char_end"]]).startswith(
            squeeze(d.page_content)[:10])
        lines = original.split("\n")[m["line_start"] - 1 : m["line_end"]]
        assert squeeze(d.page_content)[:10] in squeeze("".join(lines))
        assert m["title"] and "\n" not in d.page_content


def test_loader_reads_docx_and_html_with_their_locators(tmp_path):
    make_docx(tmp_path / "rules.docx")
    make_html(tmp_path / "notice.html")
    docs = RagDocumentLoader(tmp_path).load()
    by = {d.metadata["source"]: [] for d in docs}
    for d in docs:
        by[d.metadata["source"]].append(d)
    assert set(by) == {"rules.docx", "notice.html"}
    fund = next(d for d in by["rules.docx"] if "三亿元" in d.page_content)
    assert fund.metadata["format"] == "docx" and "第一章 总则" in fund.metadata["locator"]
    hours = next(d for d in by["notice.html"] if "闭馆" in d.page_content)
    assert "开放时间" in hours.metadata["locator"]
    assert not any("广告" in d.page_content for d in by["notice.html"])


@pytest.mark.integration
def test_real_model_embeddings_rank_the_answering_passage_first(real_settings):
    embeddings = RagEmbeddings.from_settings(EmbeddingSettings(**{
        **real_settings.embedding.__dict__}))
    passages = ["习近平接连种下油松、国槐、杏梅、元宝枫、西府海棠、金银木、红瑞木。",
                "中国已经宣布向世卫组织捐款2000万美元。",
                "武汉东湖新城社区全体社区工作者：你们好，来信收悉。"]
    vectors = np.asarray(embeddings.embed_documents(passages))
    assert vectors.shape == (3, 384)
    for question, want in (("Which trees did Xi Jinping plant?", 0),
                           ("中国向世卫组织捐了多少钱？", 1)):
        q = np.asarray(embeddings.embed_query(question))
        assert int(np.argmax(vectors @ q)) == want


@pytest.mark.integration
def test_real_retriever_finds_the_letter_in_the_bundled_corpus(real_assistant):
    docs = AssistantRetriever(assistant=real_assistant).invoke(
        "习近平给武汉哪个社区的全体社区工作者回了信？")
    assert docs and docs[0].metadata["verified"] is True
    assert any("武汉东湖新城社区" in d.page_content for d in docs)
