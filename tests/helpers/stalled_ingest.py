"""`rag ingest` that stops for good half-way through writing vectors, for the kill -9 test of
the index in a Chroma server: python stalled_ingest.py CONFIG. Prints "stalled" when it has
written the sentence vectors and half of the passages, then sleeps until killed. Real Chroma,
real lease; only the model is the fake one."""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from conftest import FakeEmbedder  # noqa: E402

from rag.ingest import ingest  # noqa: E402
from rag.settings import load_settings  # noqa: E402
from rag.store import VectorStore  # noqa: E402


class StallingStore(VectorStore):
    def add(self, keys, texts, vectors, sentence_keys, sentence_vectors):
        half = len(keys) // 2
        super().add(keys[:half], texts[:half], vectors[:half], sentence_keys, sentence_vectors)
        print("stalled", flush=True)
        time.sleep(3600)


if __name__ == "__main__":
    settings = load_settings(sys.argv[1])
    ingest(settings, progress=False, embedder_factory=FakeEmbedder,
           store_factory=lambda: StallingStore(settings.store))
