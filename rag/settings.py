"""One settings object, read from config.yaml once. Each stage is handed its own section.

Unknown keys and wrong types are refused with a message naming the key. Any setting can be
overridden by an environment variable `RAG_<SECTION>_<KEY>` (e.g. `RAG_SERVE_PORT=7861`).
"""

from __future__ import annotations

import dataclasses
import os
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError


@dataclass
class CorpusSettings:
    path: Path = Path("data/corpus")
    patterns: list[str] = field(default_factory=lambda: [
        "**/*.txt", "**/*.md", "**/*.pdf", "**/*.docx", "**/*.html", "**/*.htm"])
    max_file_mb: float = 10.0


@dataclass
class StoreSettings:
    mode: str = "embedded"
    path: Path = Path(".rag/chroma")
    host: str = "127.0.0.1"
    port: int = 8000
    collection: str = "rag_passages"
    # http mode (rag/shared_index.py): how often `rag serve` checks the server for a new ingest,
    poll_s: float = 2.0
    # how long an ingest's lock lasts unless renewed (a killed ingest frees it after this),
    lease_s: float = 60.0
    # and how long a second ingest waits for that lock before stopping (0: stop at once).
    lock_wait_s: float = 0.0


@dataclass
class EmbeddingSettings:
    model: str = "models/multilingual-e5-small"
    backend: str = "onnx"  # onnx (exported at set-up, no torch at run time) | sentence-transformers
    query_prompt: str = "query: "
    passage_prompt: str = "passage: "
    batch_size: int = 32
    threads: int = 0  # 0: let the runtime decide


@dataclass
class ChunkingSettings:
    max_chars: int = 200
    max_tokens: int = 480
    min_chars: int = 6


@dataclass
class RetrievalSettings:
    top_k: int = 5
    candidates: int = 40
    rrf_k: int = 60
    lexical_weight: float = 1.0
    dictionary_weight: float = 0.5
    dictionary_in_query: int = 2
    glossary: str | None = None
    date_penalty: float = 0.25
    focus_weight: float = 0.1
    focus_weight_en: float = 0.2
    speaker_penalty: float = 0.25
    lead_in_penalty: float = 0.15
    speaker_bonus: float = 0.2
    position_weight: float = 0.3
    count_weight: float = 0.15
    role_weight: float = 0.3
    range_weight: float = 0.15
    kind_weight: float = 0.05
    event_day_weight: float = 0.2
    quote_weight: float = 0.3


@dataclass
class GeneratorSettings:
    """The optional generated answer: an OpenAI-compatible chat endpoint, off when base_url is
    None. Its sentences are checked against the quotes before any is shown (rag/generator.py)."""

    base_url: str | None = None  # e.g. http://127.0.0.1:11434/v1 (Ollama); None: off
    model: str | None = None
    api_key_env: str = "OPENAI_API_KEY"  # the environment variable holding the key, if any
    timeout_s: float = 30.0  # longest wait for the server to answer, and between streamed parts


@dataclass
class AnswerSettings:
    max_citations: int = 3
    token_budget: int = 600
    context_budget: int = 1500
    abstain_strictness: float = 0.0
    min_citation_ratio: float = 0.9
    other_article_ratio: float = 0.98
    # None: the abstention model's own value for the question's language ("sure" in
    # rag/abstention.json); a number overrides it for both languages
    sure_answer: float | None = None
    generator: GeneratorSettings = field(default_factory=GeneratorSettings)


@dataclass
class ServeSettings:
    host: str = "127.0.0.1"
    port: int = 7860
    username: str | None = None
    password: str | None = None
    # Adding and removing documents from the browser and the API. None: allowed on loopback,
    # elsewhere only with a login (rag.library.uploads_allowed).
    allow_upload: bool | None = None


@dataclass
class Settings:
    corpus: CorpusSettings = field(default_factory=CorpusSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    embedding: EmbeddingSettings = field(default_factory=EmbeddingSettings)
    chunking: ChunkingSettings = field(default_factory=ChunkingSettings)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    answer: AnswerSettings = field(default_factory=AnswerSettings)
    serve: ServeSettings = field(default_factory=ServeSettings)
    base_dir: Path = Path(".")

    @property
    def state_dir(self) -> Path:
        """Where the catalog, lock and lexical data live: beside the Chroma folder."""
        return self.store.path.parent


def _coerce(value: Any, kind: Any, key: str) -> Any:
    if dataclasses.is_dataclass(kind):  # a nested section, such as answer.generator
        return _build_section(kind, value, key)
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        if value is None:
            return None
        return _coerce(value, options[0], key)
    if kind is Path:
        if not isinstance(value, str | Path):
            raise ConfigError(f"{key} must be a path, got {value!r}")
        return Path(value)
    if origin is list:
        if not isinstance(value, list):
            raise ConfigError(f"{key} must be a list, got {value!r}")
        return [str(v) for v in value]
    if kind is bool:
        if isinstance(value, str):
            return value.lower() in ("1", "true", "yes", "on")
        return bool(value)
    if kind in (int, float):
        if isinstance(value, bool):
            raise ConfigError(f"{key} must be a number, got {value!r}")
        if kind is int and isinstance(value, float) and not value.is_integer():
            raise ConfigError(f"{key} must be a whole number, got {value!r}")
        try:
            return kind(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{key} must be a number, got {value!r}") from None
    if kind is str:
        if isinstance(value, dict | list):
            raise ConfigError(f"{key} must be text, got {value!r}")
        return str(value)
    return value


def _build_section(cls: type, data: Any, name: str) -> Any:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"config section '{name}' must be a mapping of keys, got {data!r}")
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(
            f"unknown config key '{name}.{unknown[0]}': remove it or use one of {sorted(known)}"
        )
    kwargs = {k: _coerce(v, hints[k], f"{name}.{k}") for k, v in data.items()}
    for k in known:
        if dataclasses.is_dataclass(hints[k]) and k not in kwargs:  # for its env overrides
            kwargs[k] = _build_section(hints[k], {}, f"{name}.{k}")
            continue
        env = os.environ.get(f"RAG_{name.upper().replace('.', '_')}_{k.upper()}")
        if env is not None:
            kwargs[k] = _coerce(yaml.safe_load(env) if env else env, hints[k], f"{name}.{k}")
    return cls(**kwargs)


def load_settings(path: str | Path | None = None) -> Settings:
    """Read config.yaml (or PATH, or $RAG_CONFIG); relative paths resolve against its folder."""
    path = Path(path or os.environ.get("RAG_CONFIG") or "config.yaml")
    if not path.exists():
        raise ConfigError(f"config file not found: {path} (pass --config PATH or set RAG_CONFIG)")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot parse {path}: {str(exc).splitlines()[0]}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path} must hold a mapping of sections (corpus, store, embedding, ...)")
    sections = {f.name: f.type for f in dataclasses.fields(Settings) if f.name != "base_dir"}
    unknown = sorted(set(raw) - set(sections))
    if unknown:
        raise ConfigError(
            f"unknown config section '{unknown[0]}' in {path}: use one of {sorted(sections)}"
        )
    hints = typing.get_type_hints(Settings)
    built = {name: _build_section(hints[name], raw.get(name), name) for name in sections}
    settings = Settings(**built, base_dir=path.resolve().parent)
    return resolve_paths(settings)


def resolve_paths(settings: Settings) -> Settings:
    """Make the corpus, store, model and glossary paths absolute against the config file's
    folder."""
    base = settings.base_dir
    settings.corpus.path = (base / settings.corpus.path).resolve()
    settings.store.path = (base / settings.store.path).resolve()
    model = settings.embedding.model
    local = base / model
    if local.exists() or model.startswith((".", "/")) or model.startswith("models/"):
        settings.embedding.model = str(local.resolve())
    if settings.retrieval.glossary:
        settings.retrieval.glossary = str((base / settings.retrieval.glossary).resolve())
    if settings.store.mode not in ("embedded", "http"):
        raise ConfigError(f"store.mode must be 'embedded' or 'http', got '{settings.store.mode}'")
    return settings
