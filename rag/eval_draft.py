"""`rag eval draft --n 50`: a question file to fill in for a new corpus.

Passages are drawn across the corpus's files and, within each file, across its articles (round
robin, so a long file does not take every slot), skipping headings and scraps. Each line is a
dataset row of eval/dataset.jsonl's format with the question and keys left empty, plus the
passage and its location to write them from. Rows still blank are not asked by `rag eval`.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path

from .errors import IndexError_, RagError

MIN_CHARS = 40  # shorter passages rarely hold something worth asking about


def sample(chunks, n: int, seed: int = 0) -> list:
    """Up to n distinct passages spread over files, then articles, in a reproducible order."""
    rng = random.Random(seed)
    by_file: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    seen: set[str] = set()
    for c in chunks:
        if len(c.text) >= MIN_CHARS and c.key not in seen:  # a repeated passage only once
            seen.add(c.key)
            by_file[c.source][c.title or ""].append(c)
    queues = {}
    for source, articles in by_file.items():
        titles = list(articles)
        rng.shuffle(titles)
        for t in titles:
            rng.shuffle(articles[t])
        queues[source] = [articles[t] for t in titles]
    files = sorted(queues)
    rng.shuffle(files)
    picked: list = []
    turn = defaultdict(int)  # per file: which of its articles gives the next passage
    while len(picked) < n and any(queues[f] for f in files):
        for f in files:
            articles = queues[f]
            while articles:
                i = turn[f] % len(articles)
                if articles[i]:
                    picked.append(articles[i].pop())
                    turn[f] = i + 1
                    break
                articles.pop(i)
            if len(picked) >= n:
                break
    return picked


def draft(settings, n: int = 50, out: Path = Path("eval/draft.jsonl"), seed: int = 0) -> int:
    """Write `n` drafted rows to `out`; returns how many were written."""
    from .catalog import load_catalog
    from .ingest import catalog_path

    if n < 1:
        raise RagError("--n must be at least 1")
    catalog = load_catalog(catalog_path(settings))
    if catalog is None or not catalog.files:
        raise IndexError_(f"no index at {settings.state_dir}: run `rag ingest` first")
    if out.exists():
        raise RagError(f"{out} exists: it may hold questions already written; pass --out for "
                       "another file or move it away")
    picked = sample(catalog.all_chunks(), n, seed)
    lines = []
    for i, c in enumerate(picked, start=1):
        lines.append(json.dumps({
            "id": f"d{i:03d}", "question": "", "keys": [], "lang": "", "kind": "fact",
            "sources": [c.source], "split": "dev" if i % 2 else "test",
            "title": c.title, "passage": c.text,
            "location": {"source": c.source, "line_start": c.line_start, "line_end": c.line_end,
                         "char_start": c.char_start, "char_end": c.char_end},
        }, ensure_ascii=False))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(lines)
