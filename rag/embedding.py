"""The embedding model: the only module that imports sentence-transformers (and so torch).

The model loads lazily, on the first text it embeds, so commands that need no model (a no-op
ingest, `--help`) start fast. Passages and queries get the model's own prompts.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import ModelError
from .settings import EmbeddingSettings


class Embedder(Protocol):
    """What the pipeline needs of a model: vectors for passages and queries, a token count."""

    name: str

    def embed_passages(self, texts: list[str], progress: bool = False) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...

    def count_tokens(self, text: str) -> int: ...


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a folder (built at set-up) or a model id."""

    def __init__(self, settings: EmbeddingSettings):
        self.settings = settings
        self.name = settings.model
        self._model = None
        self._lock = threading.Lock()
        # One forward pass at a time: torch already uses every core for one, and concurrent
        # passes on two cores only thrash (see bench/results.md, load section).
        self._encode_lock = threading.Lock()

    @property
    def model(self):
        with self._lock:
            if self._model is None:
                self._model = self._load()
        return self._model

    def _load(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        path = Path(self.name)
        if (path.is_absolute() or self.name.startswith(".")) and not path.exists():
            raise ModelError(
                f"embedding model folder not found: {path}. Run `make setup` to build it, "
                "or set embedding.model in config.yaml to another model."
            )
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.utils.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()

        if self.settings.threads:
            torch.set_num_threads(self.settings.threads)
        try:
            return SentenceTransformer(self.name, device="cpu")
        except Exception as exc:  # any load failure becomes one line naming the model
            raise ModelError(f"cannot load embedding model '{self.name}': {exc}") from None

    def _encode(self, texts: list[str], prompt: str, progress: bool) -> np.ndarray:
        model = self.model
        with self._encode_lock:
            vectors = model.encode(
                texts,
                prompt=prompt,
                batch_size=self.settings.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=progress,
            )
        return np.asarray(vectors, dtype=np.float32)

    def embed_passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        return self._encode(texts, self.settings.passage_prompt, progress)

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([text], self.settings.query_prompt, False)[0]

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for a passage, prompt and special tokens included."""
        tok = self.model.tokenizer
        return len(tok(self.settings.passage_prompt + text, add_special_tokens=True)["input_ids"])

    @property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length)
