"""The index kept whole inside a Chroma server, in generations (`store.mode: http`).

Why: several answering processes, on several machines, share one index; each takes up a new
ingest without a restart and never answers from half of one. So in http mode everything an
answering process needs is in the server, and nothing is written beside config.yaml:

- passage and sentence vectors, in the collections of rag/store.py, keyed by content hash and
  shared by every generation. A vector no generation names is deleted one ingest later, so the
  generation before the served one keeps all of its vectors (a server still loading it is safe);
- in the collection `{collection}_blobs`, records whose vector means nothing:
  `gen:N:catalog:I`  generation N's catalog (rag/catalog.py) as JSON, in parts
  `gen:N:info`       how many parts; written after them
  `orig:SHA:I`       the text of an indexed file by content hash (for PDF, DOCX and HTML its
                     extraction, with the page and heading map): what quotes are checked against
                     and placed in, and what header dates are read from. A file whose content is
                     already there is never sent again
  `orig:SHA`         how many parts; written after them, so it marks the text complete
- in `{collection}_meta`, two kinds of small records, apart from the large ones because
  every write to a collection holding megabytes of documents costs Chroma seconds:
  `head`             the generation served: switched last, in one write
  `lease:N`          the ingest lock: holder and expiry, renewed while the ingest runs.

An ingest writes vectors, texts and catalog of generation N+1, switches the head, then deletes
what neither N+1 nor N uses. A kill at any moment leaves the head on a complete generation.
A serving process polls the head every `store.poll_s` seconds; on a change it loads the new
generation whole (catalog, every vector into memory, every text) and only then swaps it in
(Assistant.reload), so an answer never mixes two generations. Vectors are searched in memory
by rag/vector_snapshot.py exactly as in embedded mode: the answers are the same.

The lock: Chroma has no compare-and-swap, but `add` with an id that exists already is ignored,
so of two ingests adding `lease:N+1` the first wins, and each reads back who did. A lease not
renewed for `store.lease_s` seconds (its holder died) is taken over by the next ingest. Expiry
uses the clocks of the ingesting machines: keep them in sync (NTP) when ingests run on several.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from .catalog import Catalog, catalog_from_json, catalog_to_json
from .errors import IndexError_
from .formats import Extracted
from .reading import SourceText, UnreadableFile
from .settings import Settings, StoreSettings
from .store import connect, server_name, unreachable

log = logging.getLogger("rag.shared")

PART_CHARS = 400_000  # characters per stored document: Chroma indexes each one's text
_BATCH = 100  # records per write
_NO_VECTOR = [0.0]  # meta records mean nothing as vectors, but Chroma wants one


def meta_name(settings: StoreSettings) -> str:
    return f"{settings.collection}_meta"


def _lease_id(number: int) -> str:
    return f"lease:{number}"


def _text_record(source: SourceText) -> str:
    """A file's text and its page or heading map, as stored (read back by `texts`)."""
    found = source.extracted
    return json.dumps({"text": source.text, "encoding": source.encoding,
                       "format": found.format if found else None,
                       "pages": found.pages if found else None,
                       "locators": found.locators if found else None}, ensure_ascii=False)


def _parts(text: str) -> list[str]:
    return [text[i : i + PART_CHARS] for i in range(0, len(text), PART_CHARS)] or [""]


@dataclass
class Lease:
    """The ingest lock, held: `check` before switching the head."""

    index: SharedIndex
    number: int
    holder: str
    ttl: float

    def check(self) -> None:
        """Stop when another ingest took the lock over (this one was not renewed in time)."""
        if self.index._get([_lease_id(self.number + 1)])["ids"]:
            raise IndexError_(f"this ingest lost its lock on the Chroma server at "
                              f"{self.index.where} (not renewed for {self.ttl:g} s); the served "
                              "index is unchanged: run `rag ingest` again")


@dataclass
class Generation:
    """One generation, loaded whole for answering: catalog, vectors in memory, file texts."""

    number: int
    catalog: Catalog
    store: object  # a rag.vector_snapshot.SnapshotStore over exactly the catalog's passages
    sources: dict[str, SourceText]

    def read(self, name: str) -> SourceText:
        """The text of an indexed file, as indexed (what Assistant verifies quotes against)."""
        if name not in self.sources:
            raise UnreadableFile(f"its text is not in generation {self.number} on the server")
        return self.sources[name]

    def text_of(self, name: str) -> str | None:
        found = self.sources.get(name)
        return found.text if found else None


class SharedIndex:
    """The generations and texts (`{collection}_blobs`), head and lock (`{collection}_meta`) of
    a Chroma server."""

    def __init__(self, settings: StoreSettings, client=None):
        self.settings = settings
        self.where = server_name(settings)
        self.client = client or connect(settings)
        self.meta = self._call(lambda: self.client.get_or_create_collection(
            meta_name(settings), embedding_function=None))
        self.blobs = self._call(lambda: self.client.get_or_create_collection(
            f"{settings.collection}_blobs", embedding_function=None))

    # -- records -----------------------------------------------------------------------------
    def _call(self, job: Callable):
        try:
            return job()
        except IndexError_:
            raise
        except Exception as exc:  # noqa: BLE001 - refused, reset, timed out: one line naming it
            raise unreachable(self.settings, exc) from None

    def _get(self, ids: list[str] | None = None, where: dict | None = None,
             documents: bool = False, blobs: bool = False) -> dict:
        include = ["metadatas", "documents"] if documents else ["metadatas"]
        if ids is not None and not ids:
            return {"ids": [], "metadatas": [], "documents": []}
        collection = self.blobs if blobs else self.meta
        return self._call(lambda: collection.get(ids=ids, where=where, include=include))

    def _put(self, ids: list[str], metadatas: list[dict],
             documents: list[str] | None = None, blobs: bool = False) -> None:
        collection = self.blobs if blobs else self.meta
        for i in range(0, len(ids), _BATCH):
            batch = slice(i, i + _BATCH)
            self._call(lambda b=batch: collection.upsert(
                ids=ids[b], embeddings=[_NO_VECTOR] * len(ids[b]), metadatas=metadatas[b],
                documents=documents[b] if documents is not None else None))

    def _delete(self, ids: list[str] | None = None, where: dict | None = None,
                blobs: bool = False) -> None:
        collection = self.blobs if blobs else self.meta
        if ids is not None:
            for i in range(0, len(ids), 500):
                self._call(lambda i=i: collection.delete(ids=ids[i : i + 500]))
        else:
            self._call(lambda: collection.delete(where=where))

    # -- generations -------------------------------------------------------------------------
    def head(self) -> int:
        """The generation served (0: none yet)."""
        found = self._get(["head"])
        return int(found["metadatas"][0]["generation"]) if found["ids"] else 0

    def catalog(self, number: int) -> Catalog | None:
        """Generation `number`'s catalog (None for 0, the generation before the first)."""
        if number <= 0:
            return None
        info = self._get([f"gen:{number}:info"], blobs=True)
        ids = [f"gen:{number}:catalog:{i}"
               for i in range(int(info["metadatas"][0]["parts"]) if info["ids"] else 0)]
        found = self._get(ids, documents=True, blobs=True)
        parts = dict(zip(found["ids"], found["documents"], strict=True))
        if not ids or len(parts) != len(ids):
            raise IndexError_(f"generation {number} on the Chroma server at {self.where} is "
                              "incomplete (removed by a later ingest?); try again, or run "
                              "`rag ingest`")
        return catalog_from_json("".join(parts[i] for i in ids),
                                 f"the index on the Chroma server at {self.where}",
                                 f"the catalog of generation {number} on the Chroma server at "
                                 f"{self.where}")

    def write_generation(self, number: int, catalog: Catalog,
                         texts: list[SourceText] = ()) -> None:
        """Store a catalog as generation `number` (not yet served: see `switch`), with the
        texts of files the server lacks. Every part first, then what marks them complete:
        two writes however many files (each write costs Chroma about a second here)."""
        left = self._get(where={"generation": number}, blobs=True)["ids"]
        self._delete(left, blobs=True)  # what a killed ingest left of this number
        ids, metas, docs, marks = [], [], [], []
        for source in texts:
            parts = _parts(_text_record(source))
            sha = source.sha256
            ids += [f"orig:{sha}:{i}" for i in range(len(parts))]
            metas += [{"kind": "original-part", "sha": sha, "part": i}
                      for i in range(len(parts))]
            docs += parts
            marks.append((f"orig:{sha}", {"kind": "original", "sha": sha, "parts": len(parts)}))
        parts = _parts(catalog_to_json(catalog))
        ids += [f"gen:{number}:catalog:{i}" for i in range(len(parts))]
        metas += [{"kind": "catalog", "generation": number, "part": i} for i in range(len(parts))]
        docs += parts
        marks.append((f"gen:{number}:info", {"kind": "info", "generation": number,
                                             "parts": len(parts), "files": len(catalog.files),
                                             "written": time.time()}))
        self._put(ids, metas, docs, blobs=True)
        self._put([i for i, _ in marks], [m for _, m in marks], blobs=True)

    def switch(self, number: int, lease: Lease) -> None:
        """Serve generation `number` from now on: the one write that makes an ingest visible."""
        lease.check()
        self._put(["head"], [{"kind": "head", "generation": number, "switched": time.time(),
                              "by": lease.holder}])

    def prune(self, generations: set[int], shas: set[str]) -> None:
        """Delete the catalogs of every other generation and every text no kept file has."""
        found = self._get(blobs=True)
        stale = [i for i, m in zip(found["ids"], found["metadatas"], strict=True)
                 if (m["kind"] in ("catalog", "info") and m["generation"] not in generations)
                 or (m["kind"].startswith("original") and m["sha"] not in shas)]
        self._delete(stale, blobs=True)

    # -- file texts --------------------------------------------------------------------------
    def stored_texts(self, shas: set[str]) -> set[str]:
        """Which of these contents have their text stored completely."""
        found = self._get([f"orig:{s}" for s in sorted(shas)], blobs=True)
        return {m["sha"] for m in found["metadatas"]}

    def texts(self, catalog: Catalog, reuse: dict[str, SourceText] | None = None
              ) -> dict[str, SourceText]:
        """The stored text of every file of a catalog, by file name. `reuse`: texts held now;
        those of the same content are taken from it, not fetched."""
        held = {s.sha256: s for s in (reuse or {}).values()}
        out: dict[str, SourceText] = {}
        for name, entry in catalog.files.items():
            if entry.sha256 in held:
                same = held[entry.sha256]
                out[name] = SourceText(name, same.text, same.encoding, same.sha256,
                                       same.extracted)
        shas = {e.sha256 for n, e in catalog.files.items() if n not in out}
        markers = self._get([f"orig:{s}" for s in sorted(shas)], blobs=True)
        ids = [f"orig:{m['sha']}:{i}" for m in markers["metadatas"] for i in range(m["parts"])]
        parts: dict[str, str] = {}
        for i in range(0, len(ids), _BATCH):
            found = self._get(ids[i : i + _BATCH], documents=True, blobs=True)
            parts.update(zip(found["ids"], found["documents"], strict=True))
        by_sha: dict[str, dict] = {}
        for m in markers["metadatas"]:
            pieces = [parts.get(f"orig:{m['sha']}:{i}") for i in range(m["parts"])]
            if None not in pieces:
                by_sha[m["sha"]] = json.loads("".join(pieces))
        for name, entry in catalog.files.items():
            if name in out:
                continue
            raw = by_sha.get(entry.sha256)
            if raw is None:
                log.warning("the text of %s is not on the Chroma server at %s: its quotes "
                            "cannot be checked and are not shown", name, self.where)
                continue
            found = None
            if raw["format"]:
                found = Extracted(raw["text"], raw["format"],
                                  tuple(raw["pages"]) if raw["pages"] is not None else None,
                                  tuple((o, s) for o, s in raw["locators"])
                                  if raw["locators"] is not None else None)
            out[name] = SourceText(name, raw["text"], raw["encoding"], entry.sha256, found)
        return out

    # -- vectors -----------------------------------------------------------------------------
    def vectors(self, catalog: Catalog, number: int, reuse=None):
        """Every passage and sentence vector of a catalog, in memory (rag/vector_snapshot.py).
        `reuse`: the SnapshotStore of the generation held now; vectors are keyed by content,
        so those it has are taken from it and only the others fetched."""
        from .store import VectorStore
        from .vector_snapshot import SnapshotStore

        store = VectorStore(self.settings, client=self.client)
        wanted = catalog.keys()
        kept = sorted(k for k in wanted if k in reuse.row) if reuse is not None else []
        if len(kept) < len(wanted) / 2:
            return self._all_vectors(store, wanted, number)
        missing = sorted(wanted - set(kept))
        matrix, owners, positions, sentence_matrix = reuse.extract(kept)
        fetched = self._call(lambda: store.vectors(missing)) if missing else {}
        if len(fetched) != len(missing):
            raise IndexError_(f"generation {number} on the Chroma server at {self.where} lacks "
                              f"{len(missing) - len(fetched)} passage vectors; run `rag ingest`")
        rows: dict[str, list] = {}
        for i in range(0, len(missing), 200):
            batch = missing[i : i + 200]
            found = self._call(lambda b=batch: store.sentences.get(
                where={"key": {"$in": b}}, include=["embeddings"]))
            for sid, vector in zip(found["ids"], found["embeddings"], strict=True):
                key, index = sid.rsplit(":", 1)
                rows.setdefault(key, []).append((int(index), vector))
        if len(rows) != len(missing):
            raise IndexError_(f"generation {number} on the Chroma server at {self.where} lacks "
                              "the sentence vectors of some passages; run `rag ingest`")
        more = [v for k in sorted(rows) for _, v in sorted(rows[k], key=lambda r: r[0])]
        dims = matrix.shape[1]
        return SnapshotStore(
            kept + missing,
            np.vstack([matrix] + [fetched[k][None, :] for k in missing]),
            owners + [k for k in sorted(rows) for _ in rows[k]],
            np.asarray(positions + [i for k in sorted(rows)
                                    for i, _ in sorted(rows[k], key=lambda r: r[0])],
                       dtype=np.int32),
            np.vstack([sentence_matrix, np.asarray(more, dtype=np.float32).reshape(-1, dims)]))

    def _all_vectors(self, store, wanted: set[str], number: int):
        from .vector_snapshot import SnapshotStore

        keys, matrix = self._call(store.all_vectors)
        rows = [i for i, k in enumerate(keys) if k in wanted]
        if len(rows) != len(wanted):
            raise IndexError_(f"generation {number} on the Chroma server at {self.where} lacks "
                              f"{len(wanted) - len(rows)} passage vectors; run `rag ingest`")
        ids, sentence_matrix = self._call(store.all_sentence_vectors)
        owners, positions, sentence_rows = [], [], []
        for i, sid in enumerate(ids):
            key, index = sid.rsplit(":", 1)
            if key in wanted:
                owners.append(key)
                positions.append(int(index))
                sentence_rows.append(i)
        dims = matrix.shape[1] if len(keys) else 0
        return SnapshotStore([keys[i] for i in rows], matrix[rows].reshape(len(rows), dims),
                             owners, np.asarray(positions, dtype=np.int32),
                             sentence_matrix[sentence_rows].reshape(len(owners), dims))

    # -- the ingest lock ---------------------------------------------------------------------
    def _latest_lease(self) -> tuple[int, dict | None]:
        found = self._get(where={"kind": "lease"})
        if not found["ids"]:
            return 0, None
        meta = max(found["metadatas"], key=lambda m: m["number"])
        return int(meta["number"]), meta

    @contextmanager
    def lease(self, ttl: float, wait: float = 0.0, holder: str | None = None) -> Iterator[Lease]:
        """Hold the ingest lock: wait up to `wait` seconds for another holder, else stop with
        a message naming it. Renewed in the background every ttl/3 seconds until released."""
        holder = holder or f"{socket.gethostname()} pid {os.getpid()} ({uuid.uuid4().hex[:6]})"
        lease = Lease(self, self._acquire(holder, ttl, wait), holder, ttl)
        stop = threading.Event()

        def renew() -> None:
            while not stop.wait(ttl / 3):
                try:
                    self._put([_lease_id(lease.number)], [self._lease_record(lease.number,
                                                                             holder, ttl)])
                except IndexError_ as exc:
                    log.warning("could not renew the ingest lock: %s", exc)

        thread = threading.Thread(target=renew, name="rag-lease", daemon=True)
        thread.start()
        try:
            yield lease
        finally:
            stop.set()
            thread.join()
            try:
                self._put([_lease_id(lease.number)],
                          [{**self._lease_record(lease.number, holder, 0), "released": True}])
            except IndexError_ as exc:
                log.warning("could not release the ingest lock (it lapses in %g s): %s", ttl, exc)

    @staticmethod
    def _lease_record(number: int, holder: str, ttl: float) -> dict:
        return {"kind": "lease", "number": number, "holder": holder,
                "expires": time.time() + ttl, "released": False}

    def _acquire(self, holder: str, ttl: float, wait: float) -> int:
        deadline = time.monotonic() + wait
        while True:
            number, meta = self._latest_lease()
            if meta is None or meta["released"] or meta["expires"] <= time.time():
                if meta is not None and not meta["released"]:
                    log.warning("the ingest lock of %s lapsed (that ingest died?): taking it over",
                                meta["holder"])
                mine = self._lease_record(number + 1, holder, ttl)
                # `add` leaves an existing id alone: the first of two ingests here wins.
                self._call(lambda n=number, m=mine: self.meta.add(
                    ids=[_lease_id(n + 1)], embeddings=[_NO_VECTOR], metadatas=[m]))
                found = self._get([_lease_id(number + 1)])
                if found["ids"] and found["metadatas"][0]["holder"] == holder:
                    self._delete(where={"$and": [{"kind": "lease"},
                                                 {"number": {"$lt": number + 1}}]})
                    return number + 1
                continue
            if time.monotonic() >= deadline:
                left = max(0.0, meta["expires"] - time.time())
                raise IndexError_(f"another `rag ingest` ({meta['holder']}) is updating the index "
                                  f"on the Chroma server at {self.where}; wait for it and run "
                                  f"again (a dead one's lock lapses within {left:.0f} s; "
                                  "store.lock_wait_s makes an ingest wait)")
            time.sleep(max(0.05, min(1.0, deadline - time.monotonic())))


_clients: dict[tuple, SharedIndex] = {}  # one client per server, kept between reloads


def shared_index(settings: StoreSettings, fresh: bool = False) -> SharedIndex:
    """The SharedIndex of a server, connected once per process (again when `fresh`)."""
    where = (settings.host, settings.port, settings.collection)
    if fresh or where not in _clients:
        _clients[where] = SharedIndex(settings)
    return _clients[where]


def load_generation(settings: Settings, reuse: Generation | None = None) -> Generation:
    """The generation the server serves now, loaded whole. `reuse`: the one held now, whose
    vectors and texts (keyed by content) need not be fetched again."""
    try:
        shared = shared_index(settings.store)
        number = shared.head()
    except IndexError_:
        shared = shared_index(settings.store, fresh=True)  # a server restarted: reconnect
        number = shared.head()
    if number == 0:
        raise IndexError_(f"no index on the Chroma server at {shared.where} yet: run "
                          "`rag ingest` with store.mode: http first")
    catalog = shared.catalog(number)
    if catalog is None or not catalog.files:
        raise IndexError_(f"generation {number} on the Chroma server at {shared.where} "
                          "indexes no files: run `rag ingest` over a folder of documents")
    return Generation(number, catalog,
                      shared.vectors(catalog, number, reuse.store if reuse else None),
                      shared.texts(catalog, reuse.sources if reuse else None))


def follow(assistant, interval: float, stop: threading.Event | None = None) -> threading.Thread:
    """Poll the head every `interval` seconds; on a new generation, `assistant.reload()` (which
    loads it whole, then swaps). A server that cannot be reached is logged once per outage,
    never fatal: the assistant keeps answering from the generation it holds."""
    stop = stop or threading.Event()
    settings = assistant.settings.store

    def run() -> None:
        failing = False
        while not stop.wait(interval):
            try:
                head = shared_index(settings, fresh=failing).head()
                if head != assistant.generation:
                    t0 = time.perf_counter()
                    assistant.reload()
                    log.info("now serving generation %s (loaded in %.1f s)",
                             assistant.generation, time.perf_counter() - t0)
                    # English questions need the dictionary of the new corpus: built here,
                    # after the swap, so that the first one does not wait for it.
                    assistant.retriever.dictionary()
                if failing:
                    log.warning("the Chroma server at %s answers again", server_name(settings))
                failing = False
            except Exception as exc:  # noqa: BLE001 - logged; answers go on from memory
                if not failing:
                    log.warning("%s; still answering from generation %s", exc,
                                assistant.generation)
                failing = True

    thread = threading.Thread(target=run, name="rag-follow", daemon=True)
    thread.start()
    return thread
