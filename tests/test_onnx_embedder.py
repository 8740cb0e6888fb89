"""The ONNX embedder (the default) against sentence-transformers on the real built model, and
the promise that answering never imports torch, transformers, sentence-transformers or gradio."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from conftest import CORPUS, MODEL

from rag.embedding import OnnxEmbedder, SentenceTransformerEmbedder, make_embedder
from rag.errors import ModelError
from rag.settings import EmbeddingSettings

pytestmark = pytest.mark.integration

HEAVY = ("torch", "transformers", "sentence_transformers", "gradio", "chromadb",
         "langchain_chroma")


def _texts() -> list[str]:
    lines = (CORPUS / "004_4de1f6b1edcc37eb.txt").read_text(encoding="utf-8").splitlines()
    passages = [ln.strip() for ln in lines if len(ln.strip()) > 20][:40]
    return passages + ["习近平给武汉哪个社区的全体社区工作者回了信？", "Which trees did Xi plant?",
                       "短", "疫" * 900]  # the last one is over the 512-token window


@pytest.fixture(scope="module")
def settings():
    return EmbeddingSettings(model=str(MODEL))


def test_same_vectors_as_sentence_transformers(settings):
    onnx, st = OnnxEmbedder(settings), SentenceTransformerEmbedder(settings)
    texts = _texts()
    a, b = onnx.embed_passages(texts), st.embed_passages(texts)
    assert a.shape == b.shape == (len(texts), 384)
    assert float((a * b).sum(axis=1).min()) >= 0.9999
    for t in texts[-4:]:
        assert float(onnx.embed_query(t) @ st.embed_query(t)) >= 0.9999
        assert onnx.count_tokens(t) == min(st.count_tokens(t), 512)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert onnx.embed_passages([]).shape[0] == 0
    # Idle workers sleep rather than spin, leaving the core to the rest of the answer.
    options = onnx.parts[0].get_session_options()
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"


def test_backend_setting_and_missing_graph(tmp_path, settings):
    assert isinstance(make_embedder(settings), OnnxEmbedder)
    st = EmbeddingSettings(model=str(MODEL), backend="sentence-transformers")
    assert isinstance(make_embedder(st), SentenceTransformerEmbedder)
    with pytest.raises(ModelError, match="backend"):
        make_embedder(EmbeddingSettings(model=str(MODEL), backend="tensorflow"))
    empty = tmp_path / "model"
    empty.mkdir()
    with pytest.raises(ModelError, match="make setup"):
        OnnxEmbedder(EmbeddingSettings(model=str(empty))).embed_query("x")


def test_answering_imports_nothing_heavy(real_assistant, real_settings):
    """`rag ask` in a fresh process: the answer comes without torch & co. being imported."""
    config = real_settings.base_dir / "config.yaml"
    script = (
        "import sys, json, io, contextlib\n"
        "from rag.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    code = main(['ask', '习近平给武汉哪个社区回了信？', '--json', '--config', {str(config)!r}])\n"
        f"print(json.dumps({{'code': code, 'loaded': [m for m in {HEAVY!r} if m in sys.modules],"
        " 'answer': json.loads(out.getvalue())['abstained']}))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["code"] == 0 and result["answer"] is False
    assert result["loaded"] == []
