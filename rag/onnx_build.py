"""Export the built model folder to an ONNX graph, so asking needs no torch at run time.

The graph takes ``input_ids`` and ``attention_mask`` and returns the sentence embedding
itself: the encoder's last hidden state mean-pooled over the attention mask and L2-normalised,
exactly what the folder's sentence-transformers modules (Transformer, Pooling, Normalize)
compute. The export runs once at set-up (``make setup``) and needs torch, transformers and the
``onnx`` package; answering then needs only onnxruntime and sentencepiece (see rag/embedding.py).
The tokenizer's SentencePiece form is written beside the graph (rag/fast_tokenizer.py).

The weights are saved beside the graph as external data (``model.onnx.data``): onnxruntime
maps that file into memory instead of parsing 470 MB out of the graph, so a process loads the
model in well under a second instead of several.

Run ``python -m rag.onnx_build [MODEL_DIR]`` (default ``models/multilingual-e5-small``). It is
idempotent: an existing graph is kept unless ``--force``. The files are written to a temp
folder beside ``onnx/`` and moved into place with ``os.replace``, so a killed export leaves no
half-written graph behind.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

from .errors import ModelError

ONNX_FILE = Path("onnx") / "model.onnx"
DATA_FILE = "model.onnx.data"  # the weights, beside the graph
DEFAULT_MODEL_DIR = Path("models/multilingual-e5-small")
OPSET = 17


def onnx_path(model_dir: str | Path) -> Path:
    """Where the graph of a model folder lives."""
    return Path(model_dir) / ONNX_FILE


def is_exported(model_dir: str | Path) -> bool:
    """True when the graph and its weights file are both in place."""
    out = onnx_path(model_dir)
    return out.is_file() and (out.parent / DATA_FILE).is_file()


def export_onnx(model_dir: str | Path, force: bool = False) -> Path:
    """Write ``MODEL_DIR/onnx/model.onnx`` and its weights (or return at once when present)."""
    model_dir = Path(model_dir)
    out = onnx_path(model_dir)
    if is_exported(model_dir) and not force:
        return out
    if not (model_dir / "config.json").is_file():
        raise ModelError(f"no model folder at {model_dir} to export: run `make setup`")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    import transformers
    from transformers import AutoModel

    transformers.utils.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    model = AutoModel.from_pretrained(str(model_dir))
    model.eval()

    class SentenceEmbedding(torch.nn.Module):
        """Encoder + mean pooling over the mask + L2 normalisation, as one graph."""

        def __init__(self, encoder):
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(input_ids=input_ids,
                                  attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

    import shutil

    import onnx

    partial = model_dir / f".onnx.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    ids = torch.tensor([[0, 6, 5, 2], [0, 6, 2, 1]], dtype=torch.long)
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]], dtype=torch.long)
    try:
        single = partial / "single.onnx"
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer notes about constants that are constant
            torch.onnx.export(
                SentenceEmbedding(model), (ids, mask), str(single),
                input_names=["input_ids", "attention_mask"], output_names=["embedding"],
                dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                              "attention_mask": {0: "batch", 1: "sequence"},
                              "embedding": {0: "batch"}},
                opset_version=OPSET, dynamo=False,
            )
        graph = onnx.load(str(single))
        onnx.save_model(graph, str(partial / out.name), save_as_external_data=True,
                        all_tensors_to_one_file=True, location=DATA_FILE, size_threshold=1024)
        single.unlink()
        (partial / DATA_FILE).chmod(0o644)
        if out.parent.exists():  # an older or incomplete export: move it aside first
            old = model_dir / f".onnx.old-{os.getpid()}"
            os.replace(out.parent, old)
            shutil.rmtree(old, ignore_errors=True)
        os.replace(partial, out.parent)
    except OSError as exc:
        raise ModelError(f"cannot write the ONNX graph to {out}: {exc}") from exc
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rag.onnx_build", description=__doc__)
    parser.add_argument("model_dir", nargs="?", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--force", action="store_true", help="export again even if present")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    existed = is_exported(args.model_dir) and not args.force
    try:
        path = export_onnx(args.model_dir, force=args.force)
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    from .fast_tokenizer import write_sentencepiece

    tokenizer = args.model_dir / "tokenizer.json"
    if tokenizer.is_file():  # the quick-loading form of the tokenizer (rag/fast_tokenizer.py)
        write_sentencepiece(tokenizer)
    if existed:
        print(f"ONNX graph already exported at {path}")
    else:
        print(f"exported ONNX graph to {path} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
