"""The embedding model, behind one interface with two backends (`embedding.backend`).

- `onnx` (the default): the graph exported at set-up (rag/onnx_build.py) run by onnxruntime,
  tokenised by SentencePiece (rag/fast_tokenizer.py: the same ids as tokenizer.json, loaded in
  a third of the time). No torch, transformers or sentence-transformers is
  imported: a process starts in a fraction of a second and a query embeds in about half the time.
- `sentence-transformers`: any sentence-transformers folder or model id (this is the only
  module that imports it, and so torch).

Both load lazily, on the first text they embed, so commands that need no model (a no-op ingest,
`--help`) start fast. Passages and queries get the model's own prompts. Both give the same
vectors for the built model (cosine >= 0.9999, tests/test_onnx_embedder.py).
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


def make_embedder(settings: EmbeddingSettings) -> Embedder:
    """The embedder `embedding.backend` names."""
    if settings.backend == "onnx":
        return OnnxEmbedder(settings)
    if settings.backend == "sentence-transformers":
        return SentenceTransformerEmbedder(settings)
    raise ModelError(f"embedding.backend must be 'onnx' or 'sentence-transformers', "
                     f"got '{settings.backend}'")


class OnnxEmbedder:
    """The built model folder's ONNX graph (`onnx/model.onnx`) with its tokenizer.json."""

    def __init__(self, settings: EmbeddingSettings):
        self.settings = settings
        self.name = settings.model
        self._parts = None  # (session, tokenizer, pad id, max length)
        self._lock = threading.Lock()
        self._encode_lock = threading.Lock()  # one forward pass at a time (see below)

    def _load(self):
        from .onnx_build import onnx_path

        folder = Path(self.name)
        graph = onnx_path(folder)
        if not graph.is_file():
            hint = ("run `make setup` to build and export it" if folder.exists() else
                    "set embedding.model to a built folder, or embedding.backend: "
                    "sentence-transformers for a model id")
            raise ModelError(f"no ONNX embedding model at {graph}: {hint}")
        import onnxruntime as ort

        from .fast_tokenizer import FastTokenizer

        options = ort.SessionOptions()
        options.log_severity_level = 3
        options.inter_op_num_threads = 1
        # Worker threads sleep between passes instead of spinning: a spinning worker holds a
        # core while the rest of the answer (search, ranking) runs in Python, and on two cores
        # that slowed a whole warm answer from 24 to 39 ms (p50). Ingest's batches are no
        # slower (bench/results.md).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        if self.settings.threads:
            options.intra_op_num_threads = self.settings.threads
        # The graph and the tokenizer load side by side: both let go of Python's lock.
        loaded: dict[str, object] = {}

        def load_session() -> None:
            try:
                loaded["session"] = ort.InferenceSession(str(graph), options,
                                                         providers=["CPUExecutionProvider"])
            except Exception as exc:  # noqa: BLE001 - reported below, in this thread
                loaded["error"] = exc

        worker = threading.Thread(target=load_session, name="rag-onnx-load")  # see _warm_up
        worker.start()
        max_length = _max_seq_length(folder)
        try:
            tokenizer = FastTokenizer(folder / "tokenizer.json", max_length)
        except Exception as exc:  # noqa: BLE001 - a damaged tokenizer: one line naming it
            loaded.setdefault("error", exc)
        worker.join()
        if "error" in loaded:  # a damaged graph or tokenizer: one line naming it
            raise ModelError(f"cannot load the ONNX embedding model at {graph}: "
                             f"{loaded['error']}. Run `python -m rag.onnx_build --force` to "
                             "export it again")
        return loaded["session"], tokenizer, tokenizer.pad, max_length

    def preload(self) -> None:
        """Load the graph and tokenizer now rather than on the first text."""
        self.parts  # noqa: B018 - loading is the point

    @property
    def parts(self):
        with self._lock:
            if self._parts is None:
                self._parts = self._load()
        return self._parts

    def _encode(self, texts: list[str], prompt: str, progress: bool) -> np.ndarray:
        session, tokenizer, pad, _ = self.parts
        if not texts:
            dims = session.get_outputs()[0].shape[-1]
            return np.zeros((0, dims if isinstance(dims, int) else 0), dtype=np.float32)
        encodings = tokenizer.encode_batch([prompt + t for t in texts])
        lengths = np.array([len(ids) for ids in encodings])
        order = np.argsort(-lengths, kind="stable")  # similar lengths share a batch: less padding
        out: np.ndarray | None = None
        size = max(1, self.settings.batch_size)
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(texts), unit="text", desc="embedding")
        for begin in range(0, len(texts), size):
            batch = order[begin:begin + size]
            width = int(lengths[batch].max())
            ids = np.full((len(batch), width), pad, dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                n = lengths[i]
                ids[row, :n] = encodings[i]
                mask[row, :n] = 1
            with self._encode_lock:
                vectors = session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            if out is None:
                out = np.empty((len(texts), vectors.shape[1]), dtype=np.float32)
            out[batch] = vectors
            if bar is not None:
                bar.update(len(batch))
        if bar is not None:
            bar.close()
        return out

    def embed_passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        return self._encode(texts, self.settings.passage_prompt, progress)

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([text], self.settings.query_prompt, False)[0]

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for a passage, prompt and special tokens included (counted up
        to the model's window: a longer text counts as the window, which is over any limit)."""
        _, tokenizer, _, _ = self.parts
        return len(tokenizer.encode(self.settings.passage_prompt + text))

    @property
    def max_tokens(self) -> int:
        return self.parts[3]


def _max_seq_length(folder: Path) -> int:
    """The window sentence-transformers uses for this folder (512 when not stated)."""
    import json

    try:
        config = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
        return int(config.get("max_seq_length") or 512)
    except (OSError, ValueError):
        return 512


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

    def preload(self) -> None:
        """Load the model now rather than on the first text."""
        self.model  # noqa: B018 - loading is the point

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
