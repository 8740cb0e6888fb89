"""LangChain-native pieces over the assistant: a retriever of verified quotes, the embedding
model as `Embeddings`, and a document loader of our cleaned, structured text.

```python
from rag.integrations.langchain import AssistantRetriever
retriever = AssistantRetriever.from_config("config.yaml")
retriever.invoke("习近平给武汉哪个社区回了信？")          # -> [Document(quote, metadata)]
retriever.invoke("那封信还说了什么？", history=[earlier])  # a follow-up in a conversation
```
Imported only when used (it needs langchain-core, which the store already brings).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.document_loaders import BaseLoader
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from ..reading import UnreadableFile, line_starts, read_source
from ..settings import CorpusSettings, EmbeddingSettings, load_settings
from ..structure import structure
from ..types import Answer, Citation

log = logging.getLogger("rag.langchain")


def citation_document(c: Citation) -> Document:
    """One verified quote as a LangChain Document: the quote, and where it is."""
    metadata: dict[str, Any] = {
        "n": c.n, "source": c.source, "title": c.title, "attribution": c.attribution,
        "line_start": c.line_start, "line_end": c.line_end,
        "char_start": c.char_start, "char_end": c.char_end, "score": c.score,
        "also_in": [loc.to_dict() for loc in c.also_in], "verified": True,
    }
    for key in ("page", "page_end", "locator"):  # PDF pages, DOCX/HTML heading paths
        value = getattr(c, key, None)
        if value is not None:
            metadata[key] = value
    return Document(page_content=c.quote, metadata=metadata)


def answer_documents(answer: Answer) -> list[Document]:
    """The verified quotes of an answer; none when it abstained."""
    return [] if answer.abstained else [citation_document(c) for c in answer.citations]


class AssistantRetriever(BaseRetriever):
    """Retrieves verified quotes: each Document is a quote that was checked against its
    original file, with its place in it. An abstention gives no Documents.

    `invoke(question, history=[...])` reads a follow-up in the context of earlier turns
    (Answer objects, their dicts, or {"question", "answer"} items), as `Assistant.ask` does.
    """

    assistant: Any
    top_k: int | None = None
    sources: list[str] | None = None

    model_config = ConfigDict(arbitrary_types_allowed=True)

    @classmethod
    def from_config(cls, path: str | Path | None = None, **kwargs: Any) -> AssistantRetriever:
        from ..assistant import Assistant

        return cls(assistant=Assistant.from_config(path), **kwargs)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                history: Sequence[Any] | None = None, top_k: int | None = None,
                                sources: Sequence[str] | None = None) -> list[Document]:
        extra: dict[str, Any] = {"history": list(history)} if history else {}
        answer = self.assistant.ask(query, top_k=top_k or self.top_k,
                                    sources=list(sources or self.sources or []) or None,
                                    generate=False, **extra)
        return answer_documents(answer)


class RagEmbeddings(Embeddings):
    """The assistant's embedding model as LangChain `Embeddings` (with its passage and query
    prompts applied, so vectors match the index)."""

    def __init__(self, embedder):
        self.embedder = embedder

    @classmethod
    def from_settings(cls, settings: EmbeddingSettings) -> RagEmbeddings:
        from ..embedding import make_embedder

        return cls(make_embedder(settings))

    @classmethod
    def from_config(cls, path: str | Path | None = None) -> RagEmbeddings:
        return cls.from_settings(load_settings(path).embedding)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return [[float(x) for x in row] for row in self.embedder.embed_passages(list(texts))]

    def embed_query(self, text: str) -> list[float]:
        return [float(x) for x in self.embedder.embed_query(text)]


class RagDocumentLoader(BaseLoader):
    """Our cleaned, structured text of any format we read (text, Markdown, PDF, DOCX, HTML):
    one Document per paragraph, with its article title, section, attribution, and where it is
    in the file (character and line range; page for PDF, heading path for DOCX and HTML).

    `paths`: files, or folders searched with `patterns` (default: the corpus patterns).
    Sources are named relative to the folder given, as the index names them.
    """

    def __init__(self, paths: str | Path | Sequence[str | Path],
                 patterns: Sequence[str] | None = None, headings: bool = False):
        self.paths = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
        self.patterns = list(patterns or CorpusSettings().patterns)
        self.headings = headings  # also yield headings, datelines and attribution lines

    def _files(self) -> Iterator[tuple[Path, str]]:
        for root in self.paths:
            if root.is_dir():
                found = {p for pattern in self.patterns for p in root.glob(pattern) if p.is_file()}
                for path in sorted(found):
                    yield path, path.relative_to(root).as_posix()
            else:
                yield root, root.name

    def lazy_load(self) -> Iterator[Document]:
        for path, name in self._files():
            try:
                source = read_source(path, name)
            except UnreadableFile as exc:
                log.warning("skipped %s: %s", name, exc)
                continue
            yield from self._paragraphs(source)

    def _paragraphs(self, source) -> Iterator[Document]:
        starts = line_starts(source.text)
        extracted = getattr(source, "extracted", None)
        for para in structure(source.text).paragraphs:
            if not para.text.strip() or (not para.quotable and not self.headings):
                continue
            start, end = para.offsets[0], para.offsets[-1] + 1
            metadata: dict[str, Any] = {
                "source": source.name, "title": para.title, "section": para.section,
                "attribution": para.attribution, "char_start": start, "char_end": end,
                "line_start": _line(starts, start), "line_end": _line(starts, end - 1),
                "quotable": para.quotable,
            }
            if extracted is not None:
                metadata["format"] = extracted.format
                page, page_end = extracted.page_at(start), extracted.page_at(end - 1)
                if page is not None:
                    metadata["page"] = page
                    if page_end != page:
                        metadata["page_end"] = page_end
                locator = extracted.locator_at(start)
                if locator is not None:
                    metadata["locator"] = locator
            yield Document(page_content=para.text, metadata=metadata)


def _line(starts: list[int], offset: int) -> int:
    import bisect

    return bisect.bisect_right(starts, offset)
