"""Check the evaluation question set against the corpus.

Each line of eval/dataset.jsonl is one question:
  id, question, lang (zh|en), kind, keys (1-3 short verbatim answer strings, [] for
  unanswerable), sources (files where a key occurs; computed here), split (dev|test).

Keys are matched with all whitespace removed on both sides, so a key may span a line
wrap in the corpus (file 003 is hard-wrapped).

    python eval/check_dataset.py          # print problems and exit 1, or a one-line summary
    python eval/check_dataset.py --fix    # first rewrite `sources` from the corpus

Importable: load_dataset, corpus_texts, find_sources, check.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from rag.verify import squeeze  # noqa: E402  (the one definition of "whitespace removed")

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATASET = ROOT / "eval" / "dataset.jsonl"
DEFAULT_CORPUS = ROOT / "data" / "corpus"

LANGS = ("zh", "en")
KINDS = (
    "fact",
    "paraphrase",
    "attribution",
    "multi-source",
    "number",
    "cross-lingual",
    "list",
    "unanswerable",
)
SPLITS = ("dev", "test")
FIELDS = ("id", "question", "lang", "kind", "keys", "sources", "split")
CORPUS_PATTERNS = ("*.txt", "*.md")
KEY_MIN, KEY_MAX, KEYS_MAX = 2, 15, 3

_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def load_dataset(path) -> list[dict]:
    """The questions of a JSONL file, in order; blank lines are skipped.

    Raises ValueError naming the line when a line is not a JSON object.
    """
    items = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{n}: not valid JSON ({e.msg})") from None
            if not isinstance(obj, dict):
                raise ValueError(f"{path}:{n}: not a JSON object")
            items.append(obj)
    return items


def corpus_texts(corpus_dir) -> dict[str, str]:
    """{file name relative to corpus_dir: whitespace-free text} for the corpus documents."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {corpus_dir}")
    paths = sorted({p for pat in CORPUS_PATTERNS for p in corpus_dir.rglob(pat) if p.is_file()})
    return {
        p.relative_to(corpus_dir).as_posix(): squeeze(
            p.read_text(encoding="utf-8", errors="replace")
        )
        for p in paths
    }


def find_sources(keys, texts: dict[str, str]) -> list[str]:
    """Sorted names of the files in which any key occurs (whitespace removed on both sides)."""
    wanted = [squeeze(k) for k in keys if isinstance(k, str) and squeeze(k)]
    return sorted(name for name, text in texts.items() if any(k in text for k in wanted))


def _problems(item: dict, texts: dict[str, str]) -> list[str]:
    qid = item.get("id") if isinstance(item.get("id"), str) and item.get("id") else "?"
    out = []

    def bad(msg):
        out.append(f"{qid}: {msg}")

    for field in FIELDS:
        if field not in item:
            bad(f"missing field '{field}'")
    if "id" in item and not (isinstance(item["id"], str) and item["id"].strip()):
        bad("id must be a non-empty string")
    question = item.get("question")
    if "question" in item and not (isinstance(question, str) and question.strip()):
        bad("question must be a non-empty string")
    lang, kind, split = item.get("lang"), item.get("kind"), item.get("split")
    if "lang" in item and lang not in LANGS:
        bad(f"lang {lang!r} not one of {', '.join(LANGS)}")
    if "kind" in item and kind not in KINDS:
        bad(f"kind {kind!r} not one of {', '.join(KINDS)}")
    if "split" in item and split not in SPLITS:
        bad(f"split {split!r} not one of {', '.join(SPLITS)}")
    if isinstance(question, str) and question.strip() and lang in LANGS:
        cjk, latin = len(_CJK.findall(question)), len(_LATIN.findall(question))
        if lang == "zh" and cjk == 0:
            bad("lang is 'zh' but the question has no Chinese characters")
        if lang == "en" and cjk > latin:
            bad("lang is 'en' but the question is mostly Chinese")

    keys = item.get("keys")
    keys_ok = isinstance(keys, list) and all(isinstance(k, str) for k in keys)
    if "keys" in item and not keys_ok:
        bad("keys must be a list of strings")
    if keys_ok:
        if kind == "unanswerable" and keys:
            bad("unanswerable question must have keys []")
        if kind in KINDS and kind != "unanswerable":
            if not keys:
                bad("answerable question has no keys")
            elif len(keys) > KEYS_MAX:
                bad(f"{len(keys)} keys (at most {KEYS_MAX})")
        seen = set()
        for k in keys:
            s = squeeze(k)
            if not (KEY_MIN <= len(s) <= KEY_MAX):
                bad(f"key {k!r} has {len(s)} characters (want {KEY_MIN}-{KEY_MAX})")
            if s in seen:
                bad(f"key {k!r} repeated")
            seen.add(s)
            if s and not any(s in t for t in texts.values()):
                bad(f"key {k!r} not found in the corpus")

    sources = item.get("sources")
    if "sources" in item:
        if not (isinstance(sources, list) and all(isinstance(s, str) for s in sources)):
            bad("sources must be a list of file names")
        elif keys_ok:
            want = find_sources(keys, texts)
            if sources != want:
                bad(f"sources {sources} != recomputed {want} (run with --fix)")
            if kind == "multi-source" and len(want) < 2:
                bad(f"multi-source question but its keys occur in {len(want)} file(s)")
    return out


def check(path, corpus_dir) -> list[str]:
    """Every problem found in the dataset at path, as one line each; [] when it is clean."""
    try:
        items = load_dataset(path)
    except (OSError, ValueError) as e:
        return [str(e)]
    texts = corpus_texts(corpus_dir)
    if not texts:
        return [f"no documents in {corpus_dir}"]
    problems = []
    if not items:
        problems.append(f"{path}: no questions")
    ids = Counter(i.get("id") for i in items if isinstance(i.get("id"), str))
    for qid, n in sorted(ids.items()):
        if n > 1:
            problems.append(f"{qid}: duplicate id ({n} times)")
    questions = Counter(squeeze(i["question"]) for i in items if isinstance(i.get("question"), str))
    for q, n in questions.items():
        if q and n > 1:
            problems.append(f"duplicate question ({n} times): {q[:40]}")
    for item in items:
        problems.extend(_problems(item, texts))
    return problems


def fix(path, corpus_dir) -> int:
    """Rewrite `sources` of every question from the corpus; returns how many changed."""
    items = load_dataset(path)
    texts = corpus_texts(corpus_dir)
    changed = 0
    out = []
    for item in items:
        keys = item.get("keys")
        if isinstance(keys, list) and all(isinstance(k, str) for k in keys):
            want = find_sources(keys, texts)
            if item.get("sources") != want:
                changed += 1
            head = ("id", "question", "lang", "kind", "keys")
            item = {
                **{f: item[f] for f in head if f in item},
                "sources": want,
                **{f: v for f, v in item.items() if f not in head and f != "sources"},
            }
        out.append(json.dumps(item, ensure_ascii=False))
    Path(path).write_text("\n".join(out) + "\n", encoding="utf-8")
    return changed


def summary(path, corpus_dir) -> str:
    items = load_dataset(path)
    texts = corpus_texts(corpus_dir)

    def fmt(counter, order):
        return " ".join(f"{k}={counter[k]}" for k in order if counter[k])

    lang = Counter(i["lang"] for i in items)
    kind = Counter(i["kind"] for i in items)
    split = Counter(i["split"] for i in items)
    covered = sorted({s for i in items for s in i["sources"]})
    return (
        f"{len(items)} questions | lang: {fmt(lang, LANGS)} | kind: {fmt(kind, KINDS)} | "
        f"split: {fmt(split, SPLITS)} | files covered: {len(covered)}/{len(texts)}"
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Check eval/dataset.jsonl against the corpus.")
    ap.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--fix", action="store_true", help="rewrite `sources` from the corpus first")
    args = ap.parse_args(argv)
    if args.fix:
        try:
            n = fix(args.dataset, args.corpus)
        except (OSError, ValueError) as e:
            print(f"cannot fix: {e}", file=sys.stderr)
            return 1
        print(f"fixed sources of {n} question(s)")
    problems = check(args.dataset, args.corpus)
    if problems:
        for p in problems:
            print(p)
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(summary(args.dataset, args.corpus))
    return 0


if __name__ == "__main__":
    sys.exit(main())
