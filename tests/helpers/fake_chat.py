"""`rag chat` with the fake model, for the pseudo-terminal test: python fake_chat.py CONFIG.

The real command line, readline and Assistant; only the embedding model is the fake one the
index was built with (tests/conftest.py), so the chat starts in a second."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from conftest import FakeEmbedder  # noqa: E402

import rag.assistant  # noqa: E402
from rag import cli  # noqa: E402

_Real = rag.assistant.Assistant


def _with_fake_model(settings):
    return _Real(settings, embedder=FakeEmbedder())


rag.assistant.Assistant = _with_fake_model

if __name__ == "__main__":
    sys.exit(cli.main(["--config", sys.argv[1], "chat"]))
