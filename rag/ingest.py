"""Ingestion: corpus folder -> chunks -> vectors in Chroma, incrementally and crash-safely.

Order of writes: new vectors first, then the catalog (atomically), then vectors no longer
named are deleted. A kill at any moment leaves the old catalog or the new one, each with all
its vectors present. A lock file keeps two ingests from running at once.

In `store.mode: http` the same steps write a new generation into the Chroma server instead
(rag/shared_index.py): vectors, then the texts of new files, then the catalog, then the head
record that serving processes poll; the lock is a lease stored in the server; nothing is
written beside config.yaml.
"""

from __future__ import annotations

import fcntl
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import Catalog, CatalogVersionError, FileEntry, load_catalog, save_catalog
from .chunking import CONTEXT_VERSION, context_text, sentence_texts
from .documents import chunk_source, chunker_fingerprint
from .errors import ConfigError, IndexError_
from .formats import prune_cache
from .reading import UnreadableFile, read_source
from .settings import Settings
from .vector_snapshot import model_label, remove_other_snapshots, snapshot_path, write_snapshot

log = logging.getLogger("rag.ingest")


@dataclass
class IngestReport:
    files: int = 0
    added: int = 0
    kept: int = 0
    removed: int = 0
    embedded: int = 0
    merged: int = 0  # chunks whose passage was already embedded for another place
    skipped: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        """Whether this ingest changed the index at all."""
        return bool(self.added or self.removed or self.embedded)

    def summary(self) -> str:
        text = (f"{self.files} files, chunks: {self.added} added, {self.kept} kept, "
                f"{self.removed} removed; {self.embedded} passages embedded "
                f"({self.merged} repeats merged); {self.seconds:.1f} s")
        if self.skipped:
            text += f"; {len(self.skipped)} skipped"
        return text


def catalog_path(settings: Settings) -> Path:
    return settings.state_dir / "catalog.json"


def extraction_dir(settings: Settings) -> Path:
    """Where PDF, DOCX and HTML extractions are cached by content hash."""
    return settings.state_dir / "extracted"


@contextmanager
def ingest_lock(settings: Settings) -> Iterator[None]:
    """Hold the index's lock, or stop at once with a clear message."""
    folder = settings.state_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fh = open(folder / "ingest.lock", "a+")
    except OSError as exc:
        raise IndexError_(f"cannot write the index folder {folder}: {exc.strerror}; "
                          "set store.path in config.yaml to a writable folder") from None
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        raise IndexError_(f"another `rag ingest` is updating {folder}; wait for it to finish "
                          "and run again") from None
    try:
        yield
    finally:
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


def list_files(root: Path, patterns: list[str]) -> list[tuple[str, Path]]:
    """(name relative to root, path) of every matching file, not leaving the root folder."""
    if not root.is_dir():
        raise ConfigError(f"corpus folder not found: {root} (set corpus.path in config.yaml "
                          "or pass a folder to `rag ingest`)")
    real_root = root.resolve()
    found: dict[str, Path] = {}
    for pattern in patterns:
        for path in root.glob(pattern):
            try:
                real = path.resolve(strict=True)
            except (OSError, RuntimeError):  # broken link or a symlink loop
                log.warning("skipped %s: broken link or symlink loop", path)
                continue
            if not real.is_file() or not real.is_relative_to(real_root):
                continue
            found[path.relative_to(root).as_posix()] = path
    return sorted(found.items())


def ingest(
    settings: Settings,
    rebuild: bool = False,
    progress: bool = True,
    embedder_factory: Callable[[], object] | None = None,
    store_factory: Callable[[], object] | None = None,
) -> IngestReport:
    """Bring the index up to date with the corpus folder. Loads the model only if needed."""
    if settings.store.mode == "http":
        from .shared_index import SharedIndex

        shared = SharedIndex(settings.store)
        with shared.lease(settings.store.lease_s, settings.store.lock_wait_s) as lease:
            return _update(settings, rebuild, progress, embedder_factory, store_factory,
                           (shared, lease))
    with ingest_lock(settings):
        return _update(settings, rebuild, progress, embedder_factory, store_factory, None)


def _update(settings: Settings, rebuild: bool, progress: bool,
            embedder_factory: Callable[[], object] | None,
            store_factory: Callable[[], object] | None, shared) -> IngestReport:
    """The ingest itself, under the lock; `shared`: (SharedIndex, Lease) in http mode."""
    start = time.perf_counter()
    report = IngestReport()
    path = catalog_path(settings)
    head = shared[0].head() if shared else 0
    previous = None  # http: the generation served now, whose data stays until the next ingest
    try:
        if shared:
            previous = shared[0].catalog(head)
            old = None if rebuild else previous
        else:
            old = None if rebuild else load_catalog(path)
    except CatalogVersionError as exc:
        log.warning("%s: rebuilding", str(exc).split(";")[0])
        old, rebuild = None, True
    # http: another machine may keep the same model in another folder: compare by name.
    if old is not None and (Path(old.model).name != Path(settings.embedding.model).name
                            if shared else old.model != settings.embedding.model):
        log.warning("the embedding model changed (%s -> %s): re-embedding everything",
                    old.model, settings.embedding.model)
        old, rebuild = None, True
    elif old is not None and old.context != CONTEXT_VERSION:
        log.warning("passages are now embedded with other context: re-embedding everything")
        old, rebuild = None, True
    old_files = old.files if old else {}
    fingerprint = chunker_fingerprint(settings.chunking)
    rechunk = old is not None and old.chunker != fingerprint
    files = list_files(settings.corpus.path, settings.corpus.patterns)
    new = Catalog(model=settings.embedding.model, chunker=fingerprint, context=CONTEXT_VERSION)
    changed: list[str] = []
    read: dict[str, object] = {}  # http mode: texts read, to store those the server lacks
    cache = None if shared else extraction_dir(settings)
    embedder = None

    def get_embedder():
        nonlocal embedder
        if embedder is None:
            embedder = embedder_factory() if embedder_factory else _default_embedder(settings)
        return embedder

    for name, file_path in files:
        try:
            stat = file_path.stat()
        except OSError as exc:
            report.skipped.append((name, f"cannot be read ({exc.strerror})"))
            continue
        prev = old_files.get(name)
        if prev and not rechunk and (prev.size, prev.mtime_ns) == (stat.st_size,
                                                                    stat.st_mtime_ns):
            new.files[name] = prev
            continue
        if stat.st_size > settings.corpus.max_file_mb * 1e6:
            report.skipped.append((name, f"is larger than corpus.max_file_mb "
                                         f"({settings.corpus.max_file_mb} MB)"))
            continue
        try:
            source = read_source(file_path, name, cache)
        except UnreadableFile as exc:
            report.skipped.append((name, str(exc)))
            continue
        read[name] = source
        if prev and not rechunk and prev.sha256 == source.sha256:
            new.files[name] = FileEntry(prev.sha256, stat.st_size, stat.st_mtime_ns,
                                        prev.articles, prev.chunks)
            continue
        articles, chunks = chunk_source(source, settings.chunking,
                                        _too_long_check(settings, get_embedder))
        if not chunks:
            report.skipped.append((name, "holds no text to index"))
        new.files[name] = FileEntry(source.sha256, stat.st_size, stat.st_mtime_ns,
                                    articles, chunks)
        changed.append(name)
    for name, reason in report.skipped:
        log.warning("%s %s, skipped", name, reason)
    removed = [n for n in old_files if n not in new.files]
    report.files = len(new.files)
    report.added = sum(len(new.files[n].chunks) for n in changed)
    report.kept = sum(len(e.chunks) for n, e in new.files.items() if n not in changed)
    report.removed = sum(len(old_files[n].chunks) for n in removed + changed if n in old_files)
    if not changed and not removed and old is not None and not rechunk:
        report.seconds = time.perf_counter() - start
        return report  # nothing to do: the model and the store are never opened

    if rebuild and store_factory is None:
        from .store import clear_embedded_store

        clear_embedded_store(settings.store)
    store = store_factory() if store_factory else _default_store(settings)
    if rebuild and not shared:
        store.reset()
    # http: never drop the shared vectors (servers load them); a rebuild re-embeds them all.
    present = set() if rebuild and shared else store.keys()
    firsts: dict[str, object] = {}
    for name in changed:
        for c in new.files[name].chunks:
            firsts.setdefault(c.key, c)
    if rechunk:
        present -= _context_changed(old_files, firsts)
    todo = [k for k in firsts if k not in present]
    report.merged = sum(len(new.files[n].chunks) for n in changed) - len(todo)
    if todo:
        embed_passages(get_embedder(), store, [firsts[k] for k in todo], progress)
    report.embedded = len(todo)
    if shared:
        _publish(settings, shared, head, previous, new, read)
        # Vectors the previous generation names stay: servers may still be loading it.
        stale = store.keys() - new.keys() - (previous.keys() if previous else set())
        if stale:
            store.delete(stale)
        report.seconds = time.perf_counter() - start
        return report
    snapshot = None
    if settings.store.mode == "embedded" and hasattr(store, "all_vectors"):
        # The snapshot of the new passages is written beside the old catalog's before the
        # catalog that names them; the old snapshot and the store's stale passages go after:
        # a kill at any point leaves a catalog whose own snapshot is whole.
        from chromadb.errors import ChromaError

        label = model_label(settings.embedding)
        snapshot = snapshot_path(settings.state_dir, label, new.keys())
        try:
            write_snapshot(snapshot, label, store, new.keys())
        except ChromaError as exc:
            # A process killed while Chroma wrote can leave ids whose vectors it never stored
            # ("Error finding id" on reading them all): the old catalog and snapshot are whole,
            # the store is not.
            if rebuild or store_factory is not None:
                raise
            log.warning("the vector store is inconsistent (%s), most likely after an "
                        "interrupted ingest: rebuilding it", exc)
            return _update(settings, True, progress, embedder_factory, None, shared)
    save_catalog(new, path)
    if snapshot is not None:
        remove_other_snapshots(settings.state_dir, snapshot)
    prune_cache(extraction_dir(settings), {e.sha256 for e in new.files.values()})
    stale = present - new.keys()
    if stale:
        store.delete(stale)
    report.seconds = time.perf_counter() - start
    return report


def _publish(settings: Settings, shared, head: int, previous: Catalog | None, new: Catalog,
             read: dict) -> None:
    """http mode: store the texts the server lacks, write the new generation, switch the head
    to it, then delete what neither it nor the one before uses."""
    index, lease = shared
    shas = {e.sha256 for e in new.files.values()}
    missing = shas - index.stored_texts(shas)
    texts = []
    for name, entry in sorted(new.files.items()):
        if entry.sha256 not in missing:
            continue
        source = read.get(name)
        if source is None or source.sha256 != entry.sha256:
            source = read_source(settings.corpus.path / name, name)
        if source.sha256 != entry.sha256:
            raise IndexError_(f"{name} changed while it was being indexed: run `rag ingest` "
                              "again")
        texts.append(source)
        missing.discard(entry.sha256)
    number = head + 1
    index.write_generation(number, new, texts)
    index.switch(number, lease)
    kept = {e.sha256 for e in previous.files.values()} if previous else set()
    index.prune({number, head}, shas | kept)


def _context_changed(old_files: dict, firsts: dict) -> set[str]:
    """Passages the new chunker cuts alike but places differently (another article title,
    attribution or list lead-in): a passage's vector embeds its context (`context_text`) and
    is stored under a key of its text alone, so these are embedded again."""
    before: dict[str, str] = {}
    for entry in old_files.values():
        for chunk in entry.chunks:
            before.setdefault(chunk.key, context_text(chunk))
    return {k for k, chunk in firsts.items() if k in before and before[k] != context_text(chunk)}


def embed_passages(embedder, store, chunks: list, progress: bool) -> None:
    """Embed passages (in their article's context) and their sentences, and store them."""
    texts = [context_text(c) for c in chunks]
    sentence_keys: list[str] = []
    sentences: list[str] = []
    for c in chunks:
        for sentence in sentence_texts(c.text):
            sentence_keys.append(c.key)
            sentences.append(sentence)
    vectors = embedder.embed_passages(texts + sentences, progress=progress)
    store.add([c.key for c in chunks], [c.text for c in chunks], vectors[: len(texts)],
              sentence_keys, vectors[len(texts):])


def _too_long_check(settings: Settings, get_embedder):
    """A check of the model's window, run only for pieces long enough to be at risk."""
    limit = settings.chunking.max_tokens

    def too_long(text: str) -> bool:
        # XLM-R tokens each cover at least one character or one space-separated word start.
        if len(text) + text.count(" ") + 8 <= limit:
            return False
        return get_embedder().count_tokens(text) > limit

    return too_long


def _default_embedder(settings: Settings):
    from .embedding import make_embedder

    return make_embedder(settings.embedding)


def _default_store(settings: Settings):
    from .store import VectorStore

    return VectorStore(settings.store)
