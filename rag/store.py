"""The vector store: Chroma, embedded on disk or a server, through langchain-chroma.

The only module that imports chromadb and LangChain's vector store. One record per unique
passage, id = passage key; vectors are always computed by our embedder, never by Chroma.
"""

from __future__ import annotations

import os
import shutil
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


CHROMA_FILES = {"chroma.sqlite3"}


def clear_embedded_store(settings: StoreSettings) -> None:
    """For --rebuild: remove an embedded Chroma folder, even a corrupt one, but only if it holds
    nothing but Chroma's own files (never a folder of someone else's data)."""
    folder = settings.path
    if settings.mode != "embedded" or not folder.exists():
        return
    ours = all(
        e.name in CHROMA_FILES or (e.is_dir() and len(e.name) == 36 and e.name.count("-") == 4)
        for e in folder.iterdir()
    )
    if not ours:
        raise IndexError_(f"{folder} holds files that are not a Chroma index; set store.path to "
                          "an empty or index-only folder")
    shutil.rmtree(folder)
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()  # Chroma keeps one open client per path


def server_name(settings: StoreSettings) -> str:
    """How messages name the Chroma server: host:port."""
    return f"{settings.host}:{settings.port}"


def unreachable(settings: StoreSettings, exc: BaseException) -> IndexError_:
    """The one-line error for a Chroma server that cannot be used, naming it."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return IndexError_(f"cannot reach the Chroma server at {server_name(settings)}: {text}; "
                       "start it (`chroma run`) or set store.host and store.port")


def connect(settings: StoreSettings):
    """A client of the Chroma server of `settings` (http mode), checked with a heartbeat."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    try:
        client = chromadb.HttpClient(host=settings.host, port=settings.port,
                                     settings=ChromaSettings(anonymized_telemetry=False))
        client.heartbeat()
    except Exception as exc:  # noqa: BLE001 - refused, timed out, not Chroma: one line
        raise unreachable(settings, exc) from None
    return client


class VectorStore:
    """Passage vectors keyed by passage key."""

    def __init__(self, settings: StoreSettings, client=None):
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if settings.mode == "http":
            client = client or connect(settings)
        else:
            try:
                settings.path.mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(settings.path),
                                                   settings=chroma_settings)
            except PermissionError as exc:
                raise IndexError_(f"cannot write the index folder {settings.path}: "
                                  f"{exc.strerror}; set store.path to a writable folder") from None
            except Exception as exc:
                raise IndexError_(f"cannot open the index at {settings.path}: "
                                  f"{str(exc).splitlines()[0]}; if the folder is corrupt, run "
                                  "`rag ingest --rebuild`") from None
        self.client = client
        self.name = settings.collection
        try:
            self._open(Chroma)
        except Exception as exc:  # noqa: BLE001 - the server went away between the calls
            if settings.mode != "http":
                raise
            raise unreachable(settings, exc) from None

    def _open(self, chroma_class) -> None:
        # Passages are read, searched and deleted through LangChain's Chroma wrapper, by its
        # public API. Chroma's own client (its public API too) is used where the wrapper cannot
        # do a thing: writing vectors we computed ourselves (the wrapper's add_texts always
        # embeds with its embedding function), counting records (the wrapper has no count, and
        # get() would fetch every id), and the sentence vectors, which are stored without text
        # (the wrapper turns results into Documents and skips records that have none).
        self.langchain = chroma_class(
            client=self.client,
            collection_name=self.name,
            embedding_function=_NoEmbeddings(),
            collection_metadata={"hnsw:space": "cosine"},
        )
        self.collection = self.client.get_or_create_collection(
            self.name, metadata={"hnsw:space": "cosine"}
        )
        self.sentences = self.client.get_or_create_collection(
            f"{self.name}_sentences", metadata={"hnsw:space": "cosine"}
        )

    def keys(self) -> set[str]:
        """The passage keys stored (a passage counts once its sentences are stored too)."""
        result = self.langchain.get(include=[])
        return set(result["ids"])

    def add(self, keys: list[str], texts: list[str], vectors: np.ndarray,
            sentence_keys: list[str], sentence_vectors: np.ndarray) -> None:
        """Store passages and their sentences. Sentences are written first, so a stored passage
        always has its sentences, whatever moment a crash comes at."""
        counters: dict[str, int] = {}
        ids = []
        for key in sentence_keys:
            counters[key] = counters.get(key, -1) + 1
            ids.append(f"{key}:{counters[key]}")
        for i in range(0, len(ids), 1000):
            self.sentences.upsert(
                ids=ids[i : i + 1000],
                embeddings=sentence_vectors[i : i + 1000].tolist(),
                metadatas=[{"key": k} for k in sentence_keys[i : i + 1000]],
            )
        for i in range(0, len(keys), 1000):
            self.collection.upsert(
                ids=keys[i : i + 1000],
                embeddings=vectors[i : i + 1000].tolist(),
                documents=texts[i : i + 1000],
            )

    def delete(self, keys: Iterable[str]) -> None:
        """Remove passages and their sentences."""
        keys = list(keys)
        for i in range(0, len(keys), 500):
            batch = keys[i : i + 500]
            self.langchain.delete(ids=batch)
            self.sentences.delete(where={"key": {"$in": batch}})

    def search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The k nearest passages as (key, cosine similarity), best first."""
        count = self.collection.count()
        if count == 0:
            return []
        found = self.langchain.similarity_search_by_vector_with_relevance_scores(
            vector.tolist(), k=min(k, count))
        best: dict[str, float] = {}
        for doc, distance in found:  # the wrapper returns cosine distances, lowest first
            best.setdefault(str(doc.id), 1.0 - float(distance))
        return list(best.items())

    def search_sentences(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The passages of the k nearest sentences as (key, best sentence cosine), best first."""
        count = self.sentences.count()
        if count == 0:
            return []
        result = self.sentences.query(query_embeddings=[vector.tolist()],
                                      n_results=min(k, count), include=["distances", "metadatas"])
        best: dict[str, float] = {}
        for meta, distance in zip(result["metadatas"][0], result["distances"][0], strict=True):
            best.setdefault(meta["key"], 1.0 - float(distance))
        return list(best.items())

    def vectors(self, keys: list[str]) -> dict[str, np.ndarray]:
        """Stored passage vectors by key."""
        result = self.langchain.get(ids=keys, include=["embeddings"])
        return {k: np.asarray(v, dtype=np.float32)
                for k, v in zip(result["ids"], result["embeddings"], strict=True)}

    def sentence_vectors(self, counts: dict[str, int]) -> dict[str, np.ndarray]:
        """Stored sentence vectors of passages, one row per sentence in order. `counts` gives
        each passage's number of sentences, so they are fetched by id (fast) not by filter."""
        ids = [f"{k}:{i}" for k, n in counts.items() for i in range(n)]
        if not ids:
            return {}
        result = self.sentences.get(ids=ids, include=["embeddings"])
        rows: dict[str, list] = {}
        for sid, v in zip(result["ids"], result["embeddings"], strict=True):
            key, index = sid.rsplit(":", 1)
            rows.setdefault(key, []).append((int(index), v))
        return {k: np.asarray([v for _, v in sorted(r, key=lambda x: x[0])], dtype=np.float32)
                for k, r in rows.items()}

    def count(self) -> int:
        """How many passages are stored."""
        return self.collection.count()

    def all_vectors(self) -> tuple[list[str], np.ndarray]:
        """Every stored passage key and vector (for rag/vector_snapshot.py)."""
        result = self.collection.get(include=["embeddings"])
        return list(result["ids"]), np.asarray(result["embeddings"], dtype=np.float32)

    def all_sentence_vectors(self) -> tuple[list[str], np.ndarray]:
        """Every stored sentence id (`key:position`) and vector."""
        result = self.sentences.get(include=["embeddings"])
        return list(result["ids"]), np.asarray(result["embeddings"], dtype=np.float32)

    def reset(self) -> None:
        """Drop every passage and sentence (for `rag ingest --rebuild`)."""
        from langchain_chroma import Chroma

        for name in (self.name, f"{self.name}_sentences"):
            try:
                self.client.delete_collection(name)
            except Exception:  # noqa: BLE001 - absent already: nothing to drop
                pass
        self._open(Chroma)
