"""Judgements people make while using the assistant, kept as gold for `rag eval`.

Each judgement says of a place in a document whether it answers a question. It is one JSON
line in `feedback.jsonl` beside the index, holding the question, the source, the character span
and line range, the verdict (`answers` or `does_not`) and the time: nothing about the person.

The gold is a location, not a chunk: a citation is right when it overlaps a span marked as
answering, so the judgements still score a run after the corpus is chunked differently.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import RagError
from .lexical import has_cjk
from .reading import UnreadableFile, line_starts, read_source

VERDICTS = ("answers", "does_not")
FIELDS = ("question", "source", "char_start", "char_end", "line_start", "line_end", "verdict",
          "time")
MAX_QUESTION_CHARS = 2000
_write_lock = threading.Lock()


class FeedbackError(RagError):
    """A judgement that cannot be recorded or read as given."""


def feedback_path(settings) -> Path:
    """Where the judgements live: beside the index (the catalog's folder)."""
    return settings.state_dir / "feedback.jsonl"


_catalog_cache: dict[Path, tuple[int | None, set[str]]] = {}


def _catalog_files(settings) -> set[str]:
    """The indexed file names (re-read only when the catalog changes)."""
    from .catalog import load_catalog
    from .ingest import catalog_path

    path = catalog_path(settings)
    stamp = path.stat().st_mtime_ns if path.exists() else None
    cached = _catalog_cache.get(path)
    if cached is None or cached[0] != stamp:
        catalog = load_catalog(path)
        cached = (stamp, set(catalog.files) if catalog else set())
        _catalog_cache[path] = cached
    return cached[1]


def _whole_number(payload: dict, key: str) -> int | None:
    value = payload.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise FeedbackError(f"'{key}' must be a whole number, got {value!r}")
    return value


def record(settings, payload: Any) -> dict:
    """Check one judgement and append it to the feedback file; returns what was stored.

    `payload`: {question, source, char_start, char_end, verdict} (or line_start/line_end
    instead of the characters), as the UI and `POST /api/feedback` send it.
    """
    if not isinstance(payload, dict):
        raise FeedbackError("feedback must be a JSON object with question, source, char_start, "
                            "char_end and verdict")
    unknown = sorted(set(payload) - set(FIELDS[:-1]))
    if unknown:
        raise FeedbackError(f"unknown feedback field '{unknown[0]}': use question, source, "
                            "char_start, char_end (or line_start, line_end) and verdict")
    question = payload.get("question")
    if not isinstance(question, str) or not question.strip():
        raise FeedbackError("'question' is required: the question the passage was judged for")
    question = " ".join(question.split())[:MAX_QUESTION_CHARS]
    verdict = payload.get("verdict")
    if verdict not in VERDICTS:
        raise FeedbackError(f"'verdict' must be 'answers' or 'does_not', got {verdict!r}")
    source = payload.get("source")
    if not isinstance(source, str) or not source:
        raise FeedbackError("'source' is required: the indexed file the passage is in")
    if source not in _catalog_files(settings):
        raise FeedbackError(f"no indexed document named '{source}': judge a passage of an indexed "
                            "file (see `rag ingest`)")
    text = _text(settings, source)
    span = locate(text, _whole_number(payload, "char_start"), _whole_number(payload, "char_end"),
                  _whole_number(payload, "line_start"), _whole_number(payload, "line_end"))
    row = {"question": question, "source": source, **span, "verdict": verdict,
           "time": datetime.now(UTC).isoformat(timespec="seconds")}
    path = feedback_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")
    with _write_lock:  # one write() of one line, appended: readers never see half a judgement
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
    return row


def _text(settings, source: str) -> str:
    try:
        return read_source(settings.corpus.path / source, source).text
    except (UnreadableFile, OSError) as exc:
        raise FeedbackError(f"cannot read '{source}' to check the span: {exc}") from None


def locate(text: str, char_start: int | None, char_end: int | None, line_start: int | None,
           line_end: int | None) -> dict[str, int]:
    """A span in both terms (characters and 1-based lines), checked against the file's text."""
    starts = line_starts(text)
    if char_start is not None or char_end is not None:
        if char_start is None or char_end is None:
            raise FeedbackError("give both 'char_start' and 'char_end'")
        if not 0 <= char_start < char_end <= len(text):
            raise FeedbackError(f"the span {char_start}-{char_end} is not inside the document "
                                f"(0-{len(text)}), or is empty")
        return {"char_start": char_start, "char_end": char_end,
                "line_start": bisect.bisect_right(starts, char_start),
                "line_end": bisect.bisect_right(starts, char_end - 1)}
    if line_start is None or line_end is None:
        raise FeedbackError("give the span as 'char_start' and 'char_end' (or 'line_start' and "
                            "'line_end')")
    if not 1 <= line_start <= line_end <= len(starts):
        raise FeedbackError(f"lines {line_start}-{line_end} are not inside the document "
                            f"(1-{len(starts)})")
    end = starts[line_end] - 1 if line_end < len(starts) else len(text)
    return {"char_start": starts[line_start - 1], "char_end": max(end, starts[line_start - 1] + 1),
            "line_start": line_start, "line_end": line_end}


def load(settings, path: Path | None = None) -> list[dict]:
    """Every judgement recorded, oldest first."""
    path = path or feedback_path(settings)
    if not path.exists():
        raise FeedbackError(f"no feedback recorded yet at {path}: mark citations in the chat UI "
                            "(\"answers it\" / \"doesn't\") or POST /api/feedback")
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if row["verdict"] not in VERDICTS or not row["question"] or not row["source"]:
                raise ValueError
            int(row["char_start"]), int(row["char_end"])
        except (ValueError, KeyError, TypeError):
            raise FeedbackError(f"{path}:{number} is not a judgement (question, source, "
                                "char_start, char_end, verdict): fix or delete that line") from None
        rows.append(row)
    return rows


def dataset_items(rows: list[dict]) -> tuple[list[dict], int]:
    """Judgements as dataset questions (eval/dataset.jsonl's fields plus `spans`), and how many
    questions were left out because nothing was marked as answering them.

    A later judgement of the same span for the same question replaces an earlier one.
    """
    latest: dict[tuple, dict] = {}
    for row in rows:
        latest[(row["question"], row["source"], row["char_start"], row["char_end"])] = row
    by_question: dict[str, list[dict]] = {}
    for row in latest.values():
        by_question.setdefault(row["question"], []).append(row)
    items, unanswered = [], 0
    for question, judged in by_question.items():
        good = [r for r in judged if r["verdict"] == "answers"]
        if not good:
            unanswered += 1  # only "doesn't": the answer's place is not known, so it can't score
            continue
        digest = hashlib.sha1(question.encode("utf-8")).hexdigest()
        items.append({
            "id": f"fb-{digest[:10]}", "question": question,
            "lang": "zh" if has_cjk(question) else "en", "kind": "feedback",
            "keys": [], "sources": sorted({r["source"] for r in good}),
            "split": "dev" if int(digest[10:12], 16) % 2 else "test",
            "spans": [{k: r[k] for k in ("source", "char_start", "char_end", "line_start",
                                         "line_end")} for r in sorted(
                good, key=lambda r: (r["source"], r["char_start"]))],
            "not_spans": [{k: r[k] for k in ("source", "char_start", "char_end")}
                          for r in judged if r["verdict"] == "does_not"],
        })
    return items, unanswered


def export(settings, out: Path, rows: list[dict] | None = None) -> tuple[int, int]:
    """Write the judgements as a dataset file; its keys are the marked words themselves.
    Returns (questions written, questions left out)."""
    items, unanswered = dataset_items(load(settings) if rows is None else rows)
    texts: dict[str, str] = {}
    lines = []
    for item in items:
        keys = []
        for s in item["spans"]:
            if s["source"] not in texts:
                texts[s["source"]] = _text(settings, s["source"])
            words = texts[s["source"]][s["char_start"]:s["char_end"]].strip()
            if words and words not in keys:
                keys.append(words)
        lines.append(json.dumps({**item, "keys": keys}, ensure_ascii=False))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(items), unanswered


# -- location-based gold ------------------------------------------------------------------------
def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


class SpanGold:
    """Judges passages and quotes of one question by where they are: right when they (or the
    same passage where the corpus repeats it) overlap a span marked as answering."""

    def __init__(self, spans: list[dict], copies: dict[tuple[str, int], list[tuple[str, int, int]]]):
        self.spans: dict[str, list[tuple[int, int]]] = {}
        for s in spans:
            self.spans.setdefault(s["source"], []).append((s["char_start"], s["char_end"]))
        self.copies = copies

    def at(self, source: str, start: int | None, end: int | None) -> bool:
        if start is None or end is None:
            return False  # a system that gives no location cannot be matched to one
        places = [(source, start, end), *self.copies.get((source, start), [])]
        return any(_overlaps(a, b, s0, s1) for src, a, b in places
                   for s0, s1 in self.spans.get(src, ()))

    def passage(self, p: dict) -> bool:
        return self.at(p["source"], p.get("char_start"), p.get("char_end"))

    def quote(self, c: dict) -> bool:
        return self.at(c["source"], c.get("char_start"), c.get("char_end"))

    def lines(self, c: dict, _text: str) -> bool:
        """Whether the quote's location is right: by place, that is whether it overlaps."""
        return self.quote(c)


def copies_of(chunks) -> dict[tuple[str, int], list[tuple[str, int, int]]]:
    """For each place a passage starts, the other places the same passage occurs."""
    by_key: dict[str, list] = {}
    for c in chunks:
        by_key.setdefault(c.key, []).append(c)
    out = {}
    for group in by_key.values():
        if len(group) > 1:
            for c in group:
                out[(c.source, c.char_start)] = [(o.source, o.char_start, o.char_end)
                                                 for o in group if o is not c]
    return out
