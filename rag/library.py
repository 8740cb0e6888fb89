"""Adding and removing documents: what the upload area of the UI and the HTTP API call.

`save_upload` stores one file in the corpus folder under a safe name (no path parts, never
over a different file of the same name; the same content already there is reported, not stored
twice). `remove_document` deletes an indexed file. `update_index` then brings the index up to
date incrementally and has the running assistant take it up, without a restart.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .catalog import load_catalog
from .errors import RagError
from .ingest import IngestReport, catalog_path, ingest
from .settings import ServeSettings, Settings

MAX_NAME_BYTES = 180  # file systems allow 255 bytes; room left for " (2)" and temp names


class LibraryError(RagError):
    """An upload or removal that cannot be done as asked (type, size, name, permission)."""


@dataclass
class Upload:
    """What became of one uploaded file."""

    name: str  # the name it was saved under (or the name of the copy already there)
    added: bool  # False: the same content is already in the corpus, nothing stored
    message: str


def uploads_allowed(serve: ServeSettings) -> bool:
    """serve.allow_upload, or by default: on loopback yes, elsewhere only behind a login."""
    if serve.allow_upload is not None:
        return bool(serve.allow_upload)
    if serve.host == "localhost":
        return True
    try:
        if ipaddress.ip_address(serve.host).is_loopback:
            return True
    except ValueError:
        pass
    return bool(serve.username and serve.password)


def accepted_suffixes(settings: Settings) -> list[str]:
    """The file endings corpus.patterns reads ('.pdf', '.docx', ...)."""
    found = []
    for pattern in settings.corpus.patterns:
        m = re.search(r"\*(\.[A-Za-z0-9]+)$", pattern)
        if m and m.group(1).lower() not in found:
            found.append(m.group(1).lower())
    return found


def safe_name(name: str) -> str:
    """A plain file name from whatever a browser sent: no folders, no control characters, no
    leading dots, at most MAX_NAME_BYTES bytes with the ending kept."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]  # "../../x.pdf", "a/b.pdf", "C:\\x\\y.docx": the last part
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[<>:"|?*]', "_", name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    stem, suffix = os.path.splitext(name)
    suffix = suffix.lower()
    if len(suffix.encode()) > 10:
        stem, suffix = name, ""
    stem = stem.strip() or "document"
    while len((stem + suffix).encode()) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem.rstrip() + suffix


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _same_content(settings: Settings, data: bytes, sha: str) -> str | None:
    """The name of a corpus file with exactly these bytes, if there is one."""
    catalog = load_catalog(catalog_path(settings))
    if catalog:
        for name, entry in catalog.files.items():
            if entry.sha256 == sha:
                return name
    root = settings.corpus.path
    for path in root.iterdir() if root.is_dir() else ():
        try:
            if path.is_file() and path.stat().st_size == len(data) and \
                    _sha256(path.read_bytes()) == sha:
                return path.name
        except OSError:
            continue
    return None


def _clear_stale_parts(root) -> None:
    """Delete half-written uploads left by a server killed mid-write (over an hour old)."""
    for part in root.glob(".upload-*.part"):
        try:
            if time.time() - part.stat().st_mtime > 3600:
                part.unlink()
        except OSError:
            continue


def save_upload(settings: Settings, name: str, data: bytes) -> Upload:
    """Store one uploaded file in the corpus folder (not yet indexed: see `update_index`)."""
    clean = safe_name(name)
    suffix = PurePosixPath(clean).suffix.lower()
    accepted = accepted_suffixes(settings)
    if suffix not in accepted:
        raise LibraryError(f"{clean}: only {', '.join(accepted)} files can be added")
    if len(data) > settings.corpus.max_file_mb * 1e6:
        raise LibraryError(f"{clean} is larger than corpus.max_file_mb "
                           f"({settings.corpus.max_file_mb:g} MB)")
    if not data:
        raise LibraryError(f"{clean} is empty")
    sha = _sha256(data)
    twin = _same_content(settings, data, sha)
    if twin is not None:
        return Upload(twin, False, f"{clean} is already in the library as {twin}; not stored "
                                   "twice")
    root = settings.corpus.path
    root.mkdir(parents=True, exist_ok=True)
    _clear_stale_parts(root)
    fd, tmp = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=root)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        stem, ext = os.path.splitext(clean)
        for n in range(1, 1000):
            candidate = clean if n == 1 else f"{stem} ({n}){ext}"
            try:
                os.link(tmp, root / candidate)  # fails if the name is taken: never overwrites
            except FileExistsError:
                continue
            except OSError:  # a file system without hard links: exclusive create instead
                try:
                    with open(root / candidate, "xb") as fh:
                        fh.write(data)
                except FileExistsError:
                    continue
            return Upload(candidate, True, f"{candidate} added")
        raise LibraryError(f"{clean}: too many files of that name in the corpus folder")
    finally:
        os.unlink(tmp)


def remove_document(settings: Settings, name: str) -> None:
    """Delete an indexed document's file (`update_index` then drops it from the index)."""
    catalog = load_catalog(catalog_path(settings))
    if catalog is None or name not in catalog.files:
        raise LibraryError(f"no indexed document named '{name}'")
    if len(catalog.files) == 1:
        raise LibraryError(f"{name} is the only indexed document: add another before removing it")
    root = settings.corpus.path.resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise LibraryError(f"{name} is not a file in the corpus folder {root}")
    path.unlink()


def indexed_file(settings: Settings, catalog, name: str) -> Path | None:
    """The path of an indexed document inside the corpus folder; None for any other name."""
    if catalog is None or name not in catalog.files:
        return None
    root = settings.corpus.path.resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def update_index(settings: Settings, assistant=None,
                 progress: bool = False,
                 embedder_factory: Callable[[], object] | None = None) -> IngestReport:
    """Index what changed (with the assistant's model when there is one), then have the
    assistant take up the new index."""
    if embedder_factory is None and assistant is not None:
        embedder_factory = lambda: assistant.embedder  # noqa: E731 - the model already loaded
    report = ingest(settings, progress=progress, embedder_factory=embedder_factory)
    if assistant is not None:
        assistant.reload()
    return report


def add_documents(settings: Settings, files: list[tuple[str, bytes]], assistant=None,
                  progress: bool = False) -> tuple[list[Upload], list[str]]:
    """Save each file, index them, and say what happened to each, one line per file.

    A file saved but found unreadable by the ingest (a scanned PDF, a broken DOCX) is deleted
    again and reported with the reason, so the folder holds only what is indexed."""
    uploads: list[Upload] = []
    messages: list[str] = []
    for name, data in files:
        try:
            upload = save_upload(settings, name, data)
        except LibraryError as exc:
            messages.append(str(exc))
            continue
        uploads.append(upload)
        if not upload.added:
            messages.append(upload.message)
    added = [u for u in uploads if u.added]
    if not added:
        return uploads, messages
    report = update_index(settings, assistant, progress)
    skipped = dict(report.skipped)
    for upload in added:
        reason = skipped.get(upload.name)
        if reason is None:
            messages.append(upload.message)
            continue
        upload.added = False
        (settings.corpus.path / upload.name).unlink(missing_ok=True)
        messages.append(f"{upload.name} not added: it {reason}")
    if any(not u.added for u in added):
        update_index(settings, assistant, progress)  # an empty file listed by the ingest leaves
    return uploads, messages
