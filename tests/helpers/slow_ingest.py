"""Run `ingest` with a slow fake embedder, for the kill -9 test: python slow_ingest.py CONFIG.

Real Chroma, real catalog writes, real lock; only the model is a stand-in that takes its time,
so a kill lands while vectors are being written, the catalog replaced, or stale ones deleted."""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from conftest import FakeEmbedder  # noqa: E402

from rag.ingest import ingest  # noqa: E402
from rag.settings import load_settings  # noqa: E402


class SlowFake(FakeEmbedder):
    def embed_passages(self, texts, progress=False):
        out = []
        for i in range(0, len(texts), 50):
            time.sleep(0.05)
            out.append(super().embed_passages(texts[i : i + 50]))
        import numpy as np

        return np.concatenate(out) if out else super().embed_passages([])


if __name__ == "__main__":
    print(ingest(load_settings(sys.argv[1]), progress=False,
                 embedder_factory=SlowFake).summary(), flush=True)
