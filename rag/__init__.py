"""Citation-first question answering over a folder of documents."""

import os

# numpy's BLAS threads spin after each call and fight onnxruntime's own threads for the two
# cores: a query's embedding took 49 ms instead of 16 (bench/results.md). The matrix products
# here are tiny, so one BLAS thread is all they need. Set before numpy is first imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from .types import Answer, Citation  # noqa: E402

__all__ = ["Assistant", "Answer", "Citation"]


def __getattr__(name: str):
    # Imported lazily so `import rag` stays light (no model, no Chroma) until it is used.
    if name == "Assistant":
        from .assistant import Assistant

        return Assistant
    raise AttributeError(name)
