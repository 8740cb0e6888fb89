"""`rag eval`: how often the assistant cites the words that answer, how often it is right to
stay silent, and how far ahead of the tutorial LangChain pipeline it is, on the same questions.

Scores are computed from answer objects (the contract's JSON), so they apply to any system
that produces them; the baseline is turned into the same shape (its top passages as citations).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .errors import RagError
from .reading import read_source
from .verify import check_quote, squeeze

KS = (1, 3, 5, 10)
DEFAULT_DATASET = Path(__file__).resolve().parent.parent / "eval" / "dataset.jsonl"


def load_dataset(path: Path, split: str = "all", ids: Iterable[str] | None = None) -> list[dict]:
    """Questions of a dataset file, optionally one split or a list of ids."""
    if not path.exists():
        raise RagError(f"dataset not found: {path} (pass --dataset PATH)")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    if split != "all":
        rows = [r for r in rows if r.get("split") == split]
    if ids is not None:
        wanted = set(ids)
        rows = [r for r in rows if r["id"] in wanted]
    return rows


def contains_key(text: str, keys: list[str]) -> bool:
    s = squeeze(text)
    return any(squeeze(k) in s for k in keys)


# -- scoring one answer ------------------------------------------------------------------------
def score_answer(item: dict, answer: dict, originals: Callable[[str], str | None],
                 gold_articles: set[tuple[str, str]]) -> dict[str, Any]:
    """Per-question scores. `originals(source)` gives a file's text for re-verification."""
    keys = item["keys"]
    answerable = bool(keys)
    cites = answer.get("citations", [])
    passages = answer.get("passages", [])
    row: dict[str, Any] = {"id": item["id"], "lang": item["lang"], "kind": item["kind"],
                           "answerable": answerable, "abstained": bool(answer.get("abstained"))}
    verified = []
    for c in cites:
        if c.get("line_start") is None:
            continue  # a system that gives no location has nothing to verify against
        text = originals(c["source"])
        verified.append(text is not None and check_quote(
            text, c["quote"], c["char_start"], c["char_end"], c["line_start"], c["line_end"]
        ) is None)
    row["quotes"] = len(cites)
    row["located_quotes"] = len(verified)
    row["verified"] = sum(verified)
    if not answerable:
        return row
    rank = next((i for i, p in enumerate(passages, 1) if contains_key(p["text"], keys)), None)
    row["rank"] = rank
    hits = [contains_key(c["quote"], keys) for c in cites]
    row["hit1"] = bool(hits[:1] and hits[0])
    row["hit3"] = any(hits[:3])
    row["precise"] = sum(
        1 for c, h in zip(cites, hits, strict=True)
        if h or (c["source"], c.get("title")) in gold_articles
    )
    located = 0
    for c, h in zip(cites, hits, strict=True):
        text = originals(c["source"])
        if h and text is not None and c.get("line_start") is not None:
            lines = text.split("\n")[c["line_start"] - 1 : c["line_end"]]
            located += contains_key("\n".join(lines), keys)
    row["located"] = located
    row["keyed"] = sum(hits)
    return row


def aggregate(rows: list[dict]) -> dict[str, Any]:
    """The metrics over a list of per-question rows (names as in the issue and report.json)."""
    ans = [r for r in rows if r["answerable"]]
    una = [r for r in rows if not r["answerable"]]
    out: dict[str, Any] = {"n": len(rows), "n_answerable": len(ans), "n_unanswerable": len(una)}
    if ans:
        for k in KS:
            out[f"recall@{k}"] = _mean(r["rank"] is not None and r["rank"] <= k for r in ans)
        out["mrr"] = _mean(1.0 / r["rank"] if r["rank"] else 0.0 for r in ans)
        out["hit@1"] = _mean(r["hit1"] for r in ans)
        out["hit@3"] = _mean(r["hit3"] for r in ans)
        quotes = sum(r["quotes"] for r in ans)
        out["citation_precision"] = sum(r["precise"] for r in ans) / quotes if quotes else None
        keyed = sum(r["keyed"] for r in ans if r["located_quotes"])
        out["location_accuracy"] = sum(r["located"] for r in ans) / keyed if keyed else None
        out["false_abstain"] = _mean(r["abstained"] for r in ans)
    located = sum(r["located_quotes"] for r in rows)
    out["verifiable"] = sum(r["verified"] for r in rows) / located if located else None
    if una:
        out["abstain_ok"] = _mean(r["abstained"] for r in una)
    return out


def _mean(values: Iterable[Any]) -> float:
    values = [float(v) for v in values]
    return sum(values) / len(values) if values else 0.0


def breakdown(rows: list[dict]) -> dict[str, dict[str, dict]]:
    groups: dict[str, dict[str, list]] = {"lang": defaultdict(list), "kind": defaultdict(list)}
    for r in rows:
        groups["lang"][r["lang"]].append(r)
        groups["kind"][r["kind"]].append(r)
    return {g: {k: aggregate(v) for k, v in sorted(d.items())} for g, d in groups.items()}


def failures(items: list[dict], rows: list[dict], answers: list[dict]) -> list[dict]:
    out = []
    for item, r, a in zip(items, rows, answers, strict=True):
        bad = (r["answerable"] and (not r.get("hit1") or r["abstained"])) or \
              (not r["answerable"] and not r["abstained"])
        if bad:
            first = a["citations"][0]["quote"][:80] if a.get("citations") else None
            out.append({"id": item["id"], "kind": item["kind"], "lang": item["lang"],
                        "question": item["question"], "keys": item["keys"],
                        "abstained": r["abstained"], "rank": r.get("rank"), "first_quote": first})
    return out


# -- the run -----------------------------------------------------------------------------------
def run_eval(settings, dataset: Path | None = None, out: Path = Path("eval/out"),
             split: str = "test", baseline: bool = True, gate: bool = False,
             ids: Iterable[str] | None = None, assistant=None) -> int:
    """Evaluate, print a table, write DIR/report.json, report.md and plots. Returns exit code."""
    from .assistant import Assistant

    items = load_dataset(dataset or DEFAULT_DATASET, split, ids)
    if not items:
        raise RagError(f"no questions in split '{split}' of {dataset or DEFAULT_DATASET}")
    assistant = assistant or Assistant(settings)
    report = evaluate(assistant, items, baseline=baseline)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2),
                                     encoding="utf-8")
    (out / "report.md").write_text(markdown_report(report), encoding="utf-8")
    try:
        plots(report, out)
    except Exception as exc:  # plots are a convenience; the numbers are already written
        print(f"warning: plots not drawn: {exc}", file=sys.stderr)
    print(table(report))
    print(f"\nwrote {out / 'report.json'}, {out / 'report.md'} and plots")
    if gate:
        problems = check_gate(report["ours"])
        for p in problems:
            print(f"gate: {p}", file=sys.stderr)
        return 1 if problems else 0
    return 0


def evaluate(assistant, items: list[dict], baseline: bool = True, top_k: int = 10) -> dict:
    """Answers for every question from ours (and the baseline), scored the same way."""
    gold = gold_articles(assistant, items)
    cache: dict[str, str | None] = {}

    def originals(source: str) -> str | None:
        if source not in cache:
            path = assistant.settings.corpus.path / source
            try:
                cache[source] = read_source(path, source).text
            except Exception:
                cache[source] = None
        return cache[source]

    report: dict[str, Any] = {"questions": len(items)}
    systems: dict[str, Callable[[str], dict]] = {
        "ours": lambda q: assistant.ask(q, top_k=top_k).to_dict()}
    if baseline:
        t = time.perf_counter()
        base = Baseline(assistant.settings.corpus.path, assistant.embedder)
        report["baseline_index_seconds"] = round(time.perf_counter() - t, 1)
        systems["baseline"] = lambda q: base.ask(q, top_k)
    for name, ask in systems.items():
        answers, latencies = [], []
        for item in items:
            t = time.perf_counter()
            answers.append(ask(item["question"]))
            latencies.append((time.perf_counter() - t) * 1000)
        rows = [score_answer(i, a, originals, gold.get(i["id"], set()))
                for i, a in zip(items, answers, strict=True)]
        metrics = aggregate(rows)
        metrics["p50_ms"] = round(statistics.median(latencies), 1)
        report[name] = metrics
        report[f"{name}_breakdown"] = breakdown(rows)
        report[f"{name}_failures"] = failures(items, rows, answers)
    return report


def gold_articles(assistant, items: list[dict]) -> dict[str, set[tuple[str, str]]]:
    """For each question, the (source, title) of every chunk whose text holds one of its keys."""
    chunks = assistant.catalog.all_chunks()
    squeezed = [(c.source, c.title, squeeze(c.text)) for c in chunks]
    out = {}
    for item in items:
        keys = [squeeze(k) for k in item["keys"]]
        out[item["id"]] = {(s, t) for s, t, text in squeezed if any(k in text for k in keys)}
    return out


class Baseline:
    """The tutorial LangChain pipeline: 500/50 recursive chunks of the raw files, the same
    embedding model with its prompts, Chroma, similarity top-k. No abstention, no lines."""

    def __init__(self, corpus: Path, embedder):
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma
        from langchain_core.documents import Document
        from langchain_core.embeddings import Embeddings
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        class Adapter(Embeddings):
            def embed_documents(self, texts):
                return embedder.embed_passages(list(texts)).tolist()

            def embed_query(self, text):
                return embedder.embed_query(text).tolist()

        splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)
        docs = []
        for path in sorted(corpus.rglob("*.txt")):
            text = path.read_text(encoding="utf-8", errors="replace")
            docs += [Document(page_content=t, metadata={"source": path.name})
                     for t in splitter.split_text(text)]
        client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        self.store = Chroma(client=client, collection_name="baseline", embedding_function=Adapter(),
                            collection_metadata={"hnsw:space": "cosine"})
        self.store.add_documents(docs)

    def ask(self, question: str, k: int) -> dict:
        found = self.store.similarity_search_with_score(question, k=k)
        passages = [{"source": d.metadata["source"], "title": None, "text": d.page_content,
                     "score": 1 - s} for d, s in found]
        cites = [{"n": i, "source": p["source"], "title": None, "quote": p["text"],
                  "line_start": None, "line_end": None, "char_start": None, "char_end": None}
                 for i, p in enumerate(passages[:3], 1)]
        return {"question": question, "abstained": False, "citations": cites,
                "passages": passages}


# -- output ------------------------------------------------------------------------------------
METRICS = ["recall@1", "recall@3", "recall@5", "recall@10", "mrr", "hit@1", "hit@3",
           "citation_precision", "verifiable", "location_accuracy", "abstain_ok",
           "false_abstain", "p50_ms"]


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    return f"{v:.3f}" if isinstance(v, float) and v <= 1.0 else str(v)


def table(report: dict) -> str:
    systems = [s for s in ("ours", "baseline") if s in report]
    lines = [f"{'metric':<20}" + "".join(f"{s:>12}" for s in systems)]
    for m in METRICS:
        lines.append(f"{m:<20}" + "".join(f"{_fmt(report[s].get(m)):>12}" for s in systems))
    lines.append("")
    lines.append("ours by language and kind (hit@1 / hit@3 / abstain_ok / n):")
    for group, parts in report["ours_breakdown"].items():
        for name, m in parts.items():
            lines.append(f"  {group}={name:<14} {_fmt(m.get('hit@1')):>6} {_fmt(m.get('hit@3')):>6}"
                         f" {_fmt(m.get('abstain_ok')):>6} {m['n']:>4}")
    return "\n".join(lines)


def markdown_report(report: dict) -> str:
    systems = [s for s in ("ours", "baseline") if s in report]
    out = ["# Evaluation report", "", f"{report['questions']} questions.", "",
           "| metric | " + " | ".join(systems) + " |", "|---|" + "---|" * len(systems)]
    for m in METRICS:
        out.append(f"| {m} | " + " | ".join(_fmt(report[s].get(m)) for s in systems) + " |")
    out += ["", "## Ours by language and kind", "",
            "| group | n | recall@3 | hit@1 | hit@3 | abstain_ok | false_abstain |",
            "|---|---|---|---|---|---|---|"]
    for group, parts in report["ours_breakdown"].items():
        for name, m in parts.items():
            out.append(f"| {group}={name} | {m['n']} | {_fmt(m.get('recall@3'))} | "
                       f"{_fmt(m.get('hit@1'))} | {_fmt(m.get('hit@3'))} | "
                       f"{_fmt(m.get('abstain_ok'))} | {_fmt(m.get('false_abstain'))} |")
    out += ["", "## Failures (ours)", ""]
    for f in report["ours_failures"]:
        what = "answered an unanswerable question" if not f["keys"] else (
            "abstained" if f["abstained"] else f"first quote misses the key (rank {f['rank']})")
        out.append(f"- `{f['id']}` [{f['lang']}/{f['kind']}] {f['question']} — {what}; "
                   f"keys {f['keys']}; first quote: {f['first_quote']}")
    return "\n".join(out) + "\n"


def plots(report: dict, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.5))
    for name, style in (("ours", "o-"), ("baseline", "s--")):
        if name in report:
            ax.plot(KS, [report[name].get(f"recall@{k}", 0) for k in KS], style, label=name)
    ax.set_xlabel("k")
    ax.set_ylabel("recall@k (passage holds the answer)")
    ax.set_ylim(0, 1.02)
    ax.set_xticks(KS)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "recall_at_k.png", dpi=120)
    plt.close(fig)

    kinds = report["ours_breakdown"]["kind"]
    names = list(kinds)
    fig, ax = plt.subplots(figsize=(7, 3.5))
    xs = range(len(names))
    vals = [kinds[n].get("hit@1", kinds[n].get("abstain_ok", 0)) for n in names]
    ax.bar(xs, vals, color="#4c78a8")
    if "baseline_breakdown" in report:
        bk = report["baseline_breakdown"]["kind"]
        ax.plot(xs, [bk[n].get("hit@1", 0) for n in names], "s", color="#e45756",
                label="baseline hit@1")
        ax.legend()
    ax.set_xticks(list(xs), names, rotation=30, ha="right")
    ax.set_ylabel("hit@1 (unanswerable: abstain_ok)")
    ax.set_ylim(0, 1.02)
    fig.tight_layout()
    fig.savefig(out / "by_kind.png", dpi=120)
    plt.close(fig)


GATE_FILE = Path(__file__).resolve().parent.parent / "eval" / "gate.json"


def check_gate(metrics: dict, gate_file: Path = GATE_FILE) -> list[str]:
    """Metrics under their gate thresholds, in words (empty when all pass)."""
    gate = json.loads(gate_file.read_text(encoding="utf-8"))["thresholds"]
    problems = []
    for name, floor in gate.items():
        value = metrics.get(name)
        if name == "false_abstain":
            if value is not None and value > floor:
                problems.append(f"{name} = {value:.3f} is above its ceiling {floor}")
        elif value is None or value < floor:
            problems.append(f"{name} = {value} is under its floor {floor}")
    return problems


