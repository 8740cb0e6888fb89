"""An exact, in-memory copy of the embedded index's vectors, for answering without Chroma.

Importing chromadb costs about 2 s of every process start, more than a whole answer's work, and
the bundled corpus has a few thousand vectors: an exact dot product over them takes well under
a millisecond. So `rag ingest` (and the first answering process that finds none) writes the
passage and sentence vectors it stored in Chroma to one `.npz` file beside the catalog, and
answering processes in embedded mode search that file with numpy. Chroma stays the store ingest
writes to and the one a server in http mode queries (see docs/scaling.md).

The snapshot is used only when it holds exactly the passages the catalog names, embedded by the
same model with the same prompts: passage keys are hashes of the passage text, so equal key sets
mean equal texts. Anything else (a half-written file, another model) is ignored and answering
falls back to Chroma. It is written to a temp file and moved into place.

Each snapshot's file is named by a digest of the model and the passages it holds, so an ingest
writes the new catalog's snapshot beside the old catalog's and removes the old one only after
the new catalog is saved: a kill at any moment leaves the saved catalog with its own snapshot,
and answering never has to read a Chroma store that the kill may have left inconsistent.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

import numpy as np

log = logging.getLogger("rag.snapshot")

PREFIX = "vectors"
FORMAT = 1


def snapshot_path(state_dir: Path, label: str, keys: set[str]) -> Path:
    """Where the snapshot of these passages (`keys`, a catalog's) from this model is kept."""
    digest = hashlib.sha256("\n".join([label, *sorted(keys)]).encode()).hexdigest()[:16]
    return Path(state_dir) / f"{PREFIX}-{digest}.npz"


def remove_other_snapshots(state_dir: Path, keep: Path) -> None:
    """Delete every snapshot file in `state_dir` but `keep` (the saved catalog's), including
    the single `vectors.npz` of earlier versions and temp files a killed writer left."""
    for path in Path(state_dir).glob(f"*{PREFIX}*.npz"):
        if path != keep:
            path.unlink(missing_ok=True)


def model_label(embedding) -> str:
    """What the vectors depend on besides the text: the model and its prompts."""
    return json.dumps([FORMAT, str(embedding.model), embedding.query_prompt,
                       embedding.passage_prompt])


def write_snapshot(path: Path, label: str, store, keys: set[str]) -> None:
    """Copy the vectors of the passages `keys` (a catalog's) and of their sentences from a
    Chroma-backed store into `path`; the store may still hold others (stale ones an ingest
    deletes after the catalog is saved)."""
    stored, vectors = store.all_vectors()
    sentence_ids, sentence_vectors = store.all_sentence_vectors()
    chosen = [i for i, k in enumerate(stored) if k in keys]
    stored, vectors = [stored[i] for i in chosen], np.asarray(vectors)[chosen]
    owners, positions, kept = [], [], []
    for i, sid in enumerate(sentence_ids):
        key, index = sid.rsplit(":", 1)
        if key in keys:
            owners.append(key)
            positions.append(int(index))
            kept.append(i)
    sentence_vectors = np.asarray(sentence_vectors)[kept]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}.npz")
    try:
        np.savez(partial, label=np.array(label), keys=np.array(stored, dtype=str),
                 vectors=np.asarray(vectors, dtype=np.float32).reshape(len(stored), -1),
                 sentence_keys=np.array(owners, dtype=str),
                 sentence_positions=np.array(positions, dtype=np.int32),
                 sentence_vectors=np.asarray(sentence_vectors, dtype=np.float32)
                 .reshape(len(owners), -1))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


class SnapshotStore:
    """The read side of VectorStore (search, vectors, counts) over a snapshot file."""

    def __init__(self, keys: list[str], vectors: np.ndarray, sentence_keys: list[str],
                 sentence_positions: np.ndarray, sentence_vectors: np.ndarray):
        self.keys = keys
        self.row = {k: i for i, k in enumerate(keys)}
        self.matrix = vectors
        self.sentence_keys = sentence_keys
        self.sentence_matrix = sentence_vectors
        self._sentence_rows: dict[str, list[int]] = {}
        order = np.lexsort((sentence_positions, np.array(sentence_keys, dtype=str)))
        for i in order:
            self._sentence_rows.setdefault(sentence_keys[i], []).append(int(i))

    @classmethod
    def load(cls, path: Path, label: str, expected_keys: set[str]) -> SnapshotStore | None:
        """The snapshot at `path` if it matches the model and exactly these passages, else None."""
        try:
            with np.load(path, allow_pickle=False) as data:
                if str(data["label"]) != label:
                    return None
                keys = [str(k) for k in data["keys"]]
                if set(keys) != expected_keys:
                    return None
                return cls(keys, data["vectors"], [str(k) for k in data["sentence_keys"]],
                           data["sentence_positions"], data["sentence_vectors"])
        except FileNotFoundError:
            return None
        except Exception as exc:  # noqa: BLE001 - damaged or foreign file: fall back to Chroma
            log.info("ignoring the vector snapshot %s: %s", path, exc)
            return None

    def count(self) -> int:
        return len(self.keys)

    def extract(self, keys: list[str]) -> tuple[np.ndarray, list[str], list[int], np.ndarray]:
        """The vectors of `keys` (held here), in that order, and their sentences: (passage
        matrix, sentence owners, sentence positions, sentence matrix). For a new generation
        of the index in a Chroma server, which fetches only the passages it does not share
        with the one in memory (rag/shared_index.py)."""
        rows = [self.row[k] for k in keys]
        owners: list[str] = []
        positions: list[int] = []
        sentence_rows: list[int] = []
        for k in keys:
            mine = self._sentence_rows.get(k, [])
            owners += [k] * len(mine)
            positions += range(len(mine))
            sentence_rows += mine
        return (self.matrix[rows], owners, positions, self.sentence_matrix[sentence_rows])

    def search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The k nearest passages as (key, cosine similarity), best first."""
        return [(self.keys[i], s) for i, s in _top(self.matrix @ vector, k)]

    def search_sentences(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The passages of the k nearest sentences as (key, best sentence cosine), best first."""
        best: dict[str, float] = {}
        for i, s in _top(self.sentence_matrix @ vector, k):
            best.setdefault(self.sentence_keys[i], s)
        return list(best.items())

    def vectors(self, keys: list[str]) -> dict[str, np.ndarray]:
        return {k: self.matrix[self.row[k]] for k in keys if k in self.row}

    def sentence_vectors(self, counts: dict[str, int]) -> dict[str, np.ndarray]:
        out = {}
        for k in counts:
            rows = self._sentence_rows.get(k)
            if rows:
                out[k] = self.sentence_matrix[rows]
        return out


def _top(scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    if len(scores) == 0 or k <= 0:
        return []
    k = min(k, len(scores))
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [(int(i), float(scores[i])) for i in top]


def open_answering_store(settings, expected_keys: set[str]):
    """The store an answering process searches: the snapshot in embedded mode when it matches
    the catalog (no chromadb import), else Chroma itself (and a snapshot written for next time)."""
    from .store import VectorStore

    if settings.store.mode != "embedded":
        return VectorStore(settings.store)
    label = model_label(settings.embedding)
    path = snapshot_path(settings.state_dir, label, expected_keys)
    snapshot = SnapshotStore.load(path, label, expected_keys)
    if snapshot is not None:
        return snapshot
    from chromadb.errors import ChromaError

    from .errors import IndexError_

    store = VectorStore(settings.store)
    try:
        write_snapshot(path, label, store, expected_keys)
        (Path(settings.state_dir) / f"{PREFIX}.npz").unlink(missing_ok=True)  # earlier versions'
    except OSError as exc:  # a read-only index folder: answer from Chroma, every time
        log.info("cannot write the vector snapshot %s: %s", path, exc)
    except ChromaError as exc:
        # ids whose vectors Chroma never stored: a process killed while it wrote
        raise IndexError_(f"the vector store in {settings.store.path} is inconsistent ({exc}), "
                          "most likely after an interrupted ingest: run `rag ingest` to "
                          "rebuild it") from None
    return store
