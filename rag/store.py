"""The vector store: Chroma, embedded on disk or a server, through langchain-chroma.

The only module that imports chromadb and LangChain's vector store. One record per unique
passage, id = passage key; vectors are always computed by our embedder, never by Chroma.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import numpy as np

from .errors import IndexError_
from .settings import StoreSettings

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


class _NoEmbeddings:
    """LangChain needs an embeddings object; ours are passed in precomputed, so this refuses."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        raise RuntimeError("the store is given vectors; it never embeds")

    def embed_query(self, text: str) -> list[float]:
        raise RuntimeError("the store is given vectors; it never embeds")


class VectorStore:
    """Passage vectors keyed by passage key."""

    def __init__(self, settings: StoreSettings):
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        try:
            if settings.mode == "http":
                client = chromadb.HttpClient(
                    host=settings.host, port=settings.port, settings=chroma_settings
                )
                client.heartbeat()
            else:
                settings.path.mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(settings.path), settings=chroma_settings)
        except PermissionError as exc:
            raise IndexError_(f"cannot write the index folder {settings.path}: {exc.strerror}; "
                              "set store.path to a writable folder") from None
        except Exception as exc:
            where = (f"the Chroma server at {settings.host}:{settings.port}"
                     if settings.mode == "http" else f"the index at {settings.path}")
            raise IndexError_(f"cannot open {where}: {str(exc).splitlines()[0]}; "
                              "if the folder is corrupt, run `rag ingest --rebuild`") from None
        self.client = client
        self.langchain = Chroma(
            client=client,
            collection_name=settings.collection,
            embedding_function=_NoEmbeddings(),
            collection_metadata={"hnsw:space": "cosine"},
        )
        self.collection = self.langchain._collection

    def keys(self) -> set[str]:
        result = self.collection.get(include=[])
        return set(result["ids"])

    def add(self, keys: list[str], texts: list[str], vectors: np.ndarray) -> None:
        """Upsert passages with their vectors, in batches Chroma accepts."""
        step = 1000
        for i in range(0, len(keys), step):
            self.collection.upsert(
                ids=keys[i : i + step],
                embeddings=vectors[i : i + step].tolist(),
                documents=texts[i : i + step],
            )

    def delete(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        for i in range(0, len(keys), 1000):
            self.collection.delete(ids=keys[i : i + 1000])

    def search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The k nearest passages as (key, cosine similarity), best first."""
        count = self.collection.count()
        if count == 0:
            return []
        result = self.collection.query(
            query_embeddings=[vector.tolist()], n_results=min(k, count), include=["distances"]
        )
        return [(key, 1.0 - float(d)) for key, d in zip(result["ids"][0], result["distances"][0],
                                                        strict=True)]

    def vectors(self, keys: list[str]) -> dict[str, np.ndarray]:
        result = self.collection.get(ids=keys, include=["embeddings"])
        return {k: np.asarray(v, dtype=np.float32)
                for k, v in zip(result["ids"], result["embeddings"], strict=True)}

    def reset(self) -> None:
        """Drop every passage (for `rag ingest --rebuild`)."""
        name = self.collection.name
        self.client.delete_collection(name)
        self.collection = self.client.get_or_create_collection(
            name, metadata={"hnsw:space": "cosine"}
        )
