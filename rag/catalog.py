"""The catalog: the record of what is indexed. For each file: its hash, articles and chunks.

Chroma holds one vector per unique passage (keyed by `Chunk.key`); the catalog says where each
passage occurs. The catalog file is replaced atomically, so after any crash it is the old or the
new one, and it only ever names passages whose vectors were written before it.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import IndexError_
from .types import Article, Chunk

# Bump when what the store holds changes shape (v2: passages in context plus their sentences).
VERSION = 2


class CatalogVersionError(IndexError_):
    """The index was built by another version of this program."""


@dataclass
class FileEntry:
    sha256: str
    size: int
    mtime_ns: int
    articles: list[Article]
    chunks: list[Chunk]


@dataclass
class Catalog:
    model: str
    chunker: str = ""  # fingerprint of the chunking code and settings that made the chunks
    context: int = 0  # the version of `chunking.context_text` the stored vectors embed
    files: dict[str, FileEntry] = field(default_factory=dict)

    def all_chunks(self) -> list[Chunk]:
        return [c for name in sorted(self.files) for c in self.files[name].chunks]

    def keys(self) -> set[str]:
        return {c.key for entry in self.files.values() for c in entry.chunks}


def load_catalog(path: Path) -> Catalog | None:
    """The catalog at `path`, or None if there is none yet."""
    if not path.exists():
        return None
    return catalog_from_json(path.read_text(encoding="utf-8"), f"the index at {path.parent}",
                             f"the index catalog {path}")


def catalog_from_json(text: str, where: str, what: str) -> Catalog:
    """A catalog from its JSON text (a file, or the parts stored in a Chroma server). `where`
    names the index and `what` the catalog itself in the messages of errors."""
    try:
        data = json.loads(text)
        if isinstance(data, dict) and data.get("version") != VERSION:
            raise CatalogVersionError(
                f"{where} was built by another version (layout "
                f"{data.get('version')}, this program uses {VERSION}); run `rag ingest` to rebuild it"
            )
        files = {
            name: FileEntry(
                sha256=f["sha256"],
                size=f["size"],
                mtime_ns=f["mtime_ns"],
                articles=[Article(**a) for a in f["articles"]],
                chunks=[Chunk(**c) for c in f["chunks"]],
            )
            for name, f in data["files"].items()
        }
        return Catalog(model=data["model"], chunker=data.get("chunker", ""),
                       context=data.get("context", 0), files=files)
    except (ValueError, KeyError, TypeError) as exc:
        raise IndexError_(
            f"{what} is corrupt or from another version ({exc}); "
            "run `rag ingest --rebuild`"
        ) from None


def catalog_to_json(catalog: Catalog) -> str:
    """The catalog as JSON text (what `catalog_from_json` reads back)."""
    data: dict[str, Any] = {
        "version": VERSION,
        "model": catalog.model,
        "chunker": catalog.chunker,
        "context": catalog.context,
        "files": {
            name: {
                "sha256": e.sha256,
                "size": e.size,
                "mtime_ns": e.mtime_ns,
                "articles": [a.__dict__ for a in e.articles],
                "chunks": [c.to_dict() for c in e.chunks],
            }
            for name, e in sorted(catalog.files.items())
        },
    }
    return json.dumps(data, ensure_ascii=False)


def save_catalog(catalog: Catalog, path: Path) -> None:
    """Write the catalog atomically (temp file, fsync, rename)."""
    text = catalog_to_json(catalog)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".catalog-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
