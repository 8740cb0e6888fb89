"""Citation-first question answering over a folder of plain-text documents."""

from .types import Answer, Citation

__all__ = ["Assistant", "Answer", "Citation"]


def __getattr__(name: str):
    # Imported lazily so `import rag` stays light (no model, no Chroma) until it is used.
    if name == "Assistant":
        from .assistant import Assistant

        return Assistant
    raise AttributeError(name)
