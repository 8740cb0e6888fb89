"""Check the evaluation question set and the conversation set against the corpus.

Each line of eval/dataset.jsonl is one question:
  id, question, lang (zh|en), kind, keys (1-3 short verbatim answer strings, [] for
  unanswerable), sources (files where a key occurs; computed here),
  split (dev|test|test2; test2 is a frozen split written before the system saw it).

Each line of eval/conversations.jsonl is one turn of a conversation:
  conversation (id), turn (1, 2, ... in file order), lang, question, keys,
  kind (first|follow-up|follow-up-unanswerable; turn 1 is "first", a later "first" is a
  change of topic), sources (computed here), split (dev|test|test2, the same for every turn;
  test2 is a frozen held-out split written from the documents before any system run).

Keys are matched with all whitespace removed on both sides, so a key may span a line
wrap in the corpus (file 003 is hard-wrapped).

    python eval/check_dataset.py          # print problems and exit 1, or a summary per file
    python eval/check_dataset.py --fix    # first rewrite `sources` from the corpus
    python eval/check_dataset.py --conversations PATH   # another conversation file

Both files are checked by default (the conversation file when it exists).
Importable: load_dataset, corpus_texts, find_sources, check, check_conversations.
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
DEFAULT_CONVERSATIONS = ROOT / "eval" / "conversations.jsonl"
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
SPLITS = ("dev", "test", "test2")
FIELDS = ("id", "question", "lang", "kind", "keys", "sources", "split")
CONV_KINDS = ("first", "follow-up", "follow-up-unanswerable")
CONV_SPLITS = ("dev", "test", "test2")
CONV_FIELDS = ("conversation", "turn", "lang", "question", "keys", "kind", "sources", "split")
CORPUS_PATTERNS = ("*.txt", "*.md")
# A key is the whole answer phrase: an enumeration ("出行难、用电难、上学难、看病难、通信难")
# may run to 30 characters.
KEY_MIN, KEY_MAX, KEYS_MAX = 2, 30, 3

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


def _lang_problems(question, lang, bad) -> None:
    if isinstance(question, str) and question.strip() and lang in LANGS:
        cjk, latin = len(_CJK.findall(question)), len(_LATIN.findall(question))
        if lang == "zh" and cjk == 0:
            bad("lang is 'zh' but the question has no Chinese characters")
        if lang == "en" and cjk > latin:
            bad("lang is 'en' but the question is mostly Chinese")


def _key_problems(keys, answerable: bool | None, texts: dict[str, str], bad) -> bool:
    """Report bad keys; answerable None means the kind is unknown (count not checked).

    Returns whether keys is a list of strings (so sources can be recomputed)."""
    keys_ok = isinstance(keys, list) and all(isinstance(k, str) for k in keys)
    if not keys_ok:
        bad("keys must be a list of strings")
        return False
    if answerable is False and keys:
        bad("unanswerable question must have keys []")
    if answerable:
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
    return True


def _sources_problems(item: dict, keys_ok: bool, texts: dict[str, str], bad) -> list[str] | None:
    """Report a `sources` that is not the recomputed one; returns the recomputed list, or None
    when there is nothing to compare."""
    sources = item.get("sources")
    want = None
    if "sources" in item:
        if not (isinstance(sources, list) and all(isinstance(s, str) for s in sources)):
            bad("sources must be a list of file names")
        elif keys_ok:
            want = find_sources(item["keys"], texts)
            if sources != want:
                bad(f"sources {sources} != recomputed {want} (run with --fix)")
    return want


def _text_problems(item: dict, kinds, splits, unanswerable: str, texts: dict[str, str],
                   bad) -> bool:
    """The checks a question and a conversation turn share: question, lang, kind and split
    values, the question's language, its keys. True when the keys are sound."""
    question = item.get("question")
    if "question" in item and not (isinstance(question, str) and question.strip()):
        bad("question must be a non-empty string")
    lang, kind, split = item.get("lang"), item.get("kind"), item.get("split")
    if "lang" in item and lang not in LANGS:
        bad(f"lang {lang!r} not one of {', '.join(LANGS)}")
    if "kind" in item and kind not in kinds:
        bad(f"kind {kind!r} not one of {', '.join(kinds)}")
    if "split" in item and split not in splits:
        bad(f"split {split!r} not one of {', '.join(splits)}")
    _lang_problems(question, lang, bad)
    if "keys" not in item:
        return False
    answerable = (kind != unanswerable) if kind in kinds else None
    return _key_problems(item["keys"], answerable, texts, bad)


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
    kind = item.get("kind")
    keys_ok = _text_problems(item, KINDS, SPLITS, "unanswerable", texts, bad)
    want = _sources_problems(item, keys_ok, texts, bad)
    if want is not None and kind == "multi-source" and len(want) < 2:
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


def _turn_label(item: dict) -> str:
    cid, turn = item.get("conversation"), item.get("turn")
    cid = cid if isinstance(cid, str) and cid.strip() else "?"
    return f"{cid} turn {turn if isinstance(turn, int) else '?'}"


def _turn_problems(item: dict, texts: dict[str, str]) -> list[str]:
    label = _turn_label(item)
    out = []

    def bad(msg):
        out.append(f"{label}: {msg}")

    for field in CONV_FIELDS:
        if field not in item:
            bad(f"missing field '{field}'")
    cid, turn = item.get("conversation"), item.get("turn")
    if "conversation" in item and not (isinstance(cid, str) and cid.strip()):
        bad("conversation must be a non-empty string")
    if "turn" in item and not (isinstance(turn, int) and not isinstance(turn, bool) and turn >= 1):
        bad("turn must be an integer from 1")
    keys_ok = _text_problems(item, CONV_KINDS, CONV_SPLITS, "follow-up-unanswerable", texts,
                             bad)
    _sources_problems(item, keys_ok, texts, bad)
    return out


def _conversation_problems(items: list[dict]) -> list[str]:
    """Turn numbering, first-turn kind and split, conversation by conversation (file order)."""
    by_id: dict[str, list[dict]] = {}
    for item in items:
        cid = item.get("conversation")
        if isinstance(cid, str) and cid.strip():
            by_id.setdefault(cid, []).append(item)
    problems = []
    firsts = Counter()
    for cid, turns in by_id.items():
        numbers = [t.get("turn") for t in turns]
        if numbers != list(range(1, len(turns) + 1)):
            problems.append(f"{cid}: turns {numbers} are not 1..{len(turns)} in file order")
        if turns[0].get("kind") != "first":
            problems.append(f"{cid}: the first turn's kind is {turns[0].get('kind')!r}, not 'first'")
        splits = {t.get("split") for t in turns}
        if len(splits) > 1:
            problems.append(f"{cid}: turns in more than one split {sorted(map(str, splits))}")
        questions = Counter(squeeze(t["question"]) for t in turns
                            if isinstance(t.get("question"), str))
        for q, n in questions.items():
            if q and n > 1:
                problems.append(f"{cid}: question asked {n} times: {q[:40]}")
        firsts.update(squeeze(t["question"]) for t in turns
                      if t.get("kind") == "first" and isinstance(t.get("question"), str))
    for q, n in firsts.items():
        if q and n > 1:
            problems.append(f"duplicate first question ({n} times): {q[:40]}")
    return problems


def check_conversations(path, corpus_dir) -> list[str]:
    """Every problem found in the conversation set at path, one line each; [] when clean."""
    try:
        items = load_dataset(path)
    except (OSError, ValueError) as e:
        return [str(e)]
    texts = corpus_texts(corpus_dir)
    if not texts:
        return [f"no documents in {corpus_dir}"]
    problems = [] if items else [f"{path}: no turns"]
    for item in items:
        problems.extend(_turn_problems(item, texts))
    problems.extend(_conversation_problems(items))
    return problems


def fix_conversations(path, corpus_dir) -> int:
    """Rewrite `sources` of every turn from the corpus; returns how many changed."""
    return _rewrite_sources(path, corpus_dir, ("conversation", "turn", "lang", "question",
                                               "keys", "kind"))


def summary_conversations(path, corpus_dir) -> str:
    items = load_dataset(path)
    texts = corpus_texts(corpus_dir)

    def fmt(counter, order):
        return " ".join(f"{k}={counter[k]}" for k in order if counter[k])

    convs = {i["conversation"] for i in items}
    lang = Counter(i["lang"] for i in items)
    kind = Counter(i["kind"] for i in items)
    split = Counter(sp for _, sp in {(i["conversation"], i["split"]) for i in items})
    covered = sorted({s for i in items for s in i["sources"]})
    return (
        f"{len(convs)} conversations, {len(items)} turns | lang: {fmt(lang, LANGS)} | "
        f"kind: {fmt(kind, CONV_KINDS)} | conversations by split: {fmt(split, CONV_SPLITS)} | "
        f"files covered: {len(covered)}/{len(texts)}"
    )


def fix(path, corpus_dir) -> int:
    """Rewrite `sources` of every question from the corpus; returns how many changed."""
    return _rewrite_sources(path, corpus_dir, ("id", "question", "lang", "kind", "keys"))


def _rewrite_sources(path, corpus_dir, head: tuple[str, ...]) -> int:
    """Recompute `sources` of every line; fields in `head` first, then sources, then the rest."""
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
    ap = argparse.ArgumentParser(
        description="Check eval/dataset.jsonl and eval/conversations.jsonl against the corpus.")
    ap.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    ap.add_argument("--conversations", type=Path, default=None,
                    help=f"conversation set (default {DEFAULT_CONVERSATIONS.relative_to(ROOT)}, "
                         "checked when it exists)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--fix", action="store_true", help="rewrite `sources` from the corpus first")
    args = ap.parse_args(argv)
    conversations = args.conversations
    if conversations is None and DEFAULT_CONVERSATIONS.exists():
        conversations = DEFAULT_CONVERSATIONS
    if args.fix:
        try:
            n = fix(args.dataset, args.corpus)
            m = fix_conversations(conversations, args.corpus) if conversations else 0
        except (OSError, ValueError) as e:
            print(f"cannot fix: {e}", file=sys.stderr)
            return 1
        print(f"fixed sources of {n} question(s)"
              + (f" and {m} conversation turn(s)" if conversations else ""))
    problems = check(args.dataset, args.corpus)
    if conversations:
        problems += check_conversations(conversations, args.corpus)
    if problems:
        for p in problems:
            print(p)
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(summary(args.dataset, args.corpus))
    if conversations:
        print(summary_conversations(conversations, args.corpus))
    return 0


if __name__ == "__main__":
    sys.exit(main())
