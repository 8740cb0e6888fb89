"""Shared fixtures: a fake deterministic embedder for fast pipeline tests, settings pointed at
a temporary folder, and (for integration tests) the real model and a real index built once."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from rag.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"
MODEL = ROOT / "models" / "multilingual-e5-small"

# A paragraph cut by a page break: a long unfinished line, a page number, the rest.
PAGE_BREAK_SAMPLE = (
    "会议强调，当前经济发展面临的挑战前所未有，必须充分估计困难、风险和不确定性，切实增强紧迫感，抓实经济社\n"
    "\n"
    "12\n"
    "\n"
    "会发展各项工作。\n"
)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


class FakeEmbedder:
    """Bag of hashed character bigrams: similar texts get similar vectors, no model needed."""

    name = "fake"
    dims = 256

    def __init__(self):
        self.passages_embedded = 0

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dims, dtype=np.float32)
        for i in range(len(text) - 1):
            h = int.from_bytes(hashlib.md5(text[i:i + 2].encode()).digest()[:4], "little")
            v[h % self.dims] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def embed_passages(self, texts, progress=False):
        self.passages_embedded += len(texts)
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dims))

    def embed_query(self, text):
        return self._vector(text)

    def count_tokens(self, text):
        return len(text) + 2


@pytest.fixture
def fake_embedder():
    return FakeEmbedder()


def write_config(folder: Path, corpus: Path, **extra: str) -> Path:
    """A config.yaml in `folder` over `corpus`, its index inside `folder`."""
    text = (f"corpus:\n  path: {corpus}\nstore:\n  path: {folder / 'index' / 'chroma'}\n"
            f"embedding:\n  model: {extra.pop('model', 'fake')}\n")
    for section, body in extra.items():
        text += f"{section}:\n{body}\n"
    path = folder / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


SMALL_CORPUS = ("000_8ced48c5a6f24f61.txt", "002_09a23be81b2d5379.txt")


def copy_corpus(folder: Path, names: tuple[str, ...] = SMALL_CORPUS) -> Path:
    """`folder`/corpus holding copies of these real corpus files."""
    corpus = folder / "corpus"
    corpus.mkdir()
    for name in names:
        shutil.copy(CORPUS / name, corpus / name)
    return corpus


def fake_indexed_assistant(settings, strictness: float = -10.0):
    """An Assistant over an index built with the fake embedder. The abstention is calibrated
    for the real model, so `strictness` turns it (nearly) off by default."""
    from rag.assistant import Assistant
    from rag.ingest import ingest

    embedder = FakeEmbedder()
    ingest(settings, progress=False, embedder_factory=lambda: embedder)
    settings.answer.abstain_strictness = strictness
    return Assistant(settings, embedder=embedder)


@pytest.fixture
def small_corpus(tmp_path):
    """A copy of two real corpus files in a temporary folder."""
    return copy_corpus(tmp_path)


@pytest.fixture
def fake_settings(tmp_path, small_corpus):
    return load_settings(write_config(tmp_path, small_corpus))


# -- the real model and a real index, built once per test session ----------------------------
@pytest.fixture(scope="session")
def real_settings(tmp_path_factory):
    if not (MODEL / "modules.json").exists():
        pytest.fail(f"the model folder {MODEL} is missing: run `make setup`")
    folder = tmp_path_factory.mktemp("real")
    return load_settings(write_config(folder, CORPUS, model=str(MODEL)))


@pytest.fixture(scope="session")
def real_assistant(real_settings):
    from rag.assistant import Assistant
    from rag.ingest import ingest

    ingest(real_settings, progress=False)
    return Assistant(real_settings)


@pytest.fixture
def server():
    """An OpenAI-compatible chat server on a free port (tests/helpers/openai_server.py) that
    answers with the texts a test appends to `server.script`, in order ("" when none is left)."""
    from helpers.openai_server import OpenAIStub

    script: list[str] = []
    stub = OpenAIStub(lambda body: script.pop(0) if script else "")
    stub.script = script
    yield stub
    stub.close()
