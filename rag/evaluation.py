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
from .lexical import has_cjk
from .verify import check_quote, squeeze

KS = (1, 3, 5, 10)
DEFAULT_DATASET = Path(__file__).resolve().parent.parent / "eval" / "dataset.jsonl"


def load_dataset(path: Path, split: str = "all", ids: Iterable[str] | None = None) -> list[dict]:
    """Questions of a dataset file, optionally one split or a list of ids."""
    if not path.exists():
        raise RagError(f"dataset not found: {path} (pass --dataset PATH)")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    if split != "all":  # a question with no split belongs to every split
        rows = [r for r in rows if r.get("split", split) == split]
    if ids is not None:
        wanted = set(ids)
        rows = [r for r in rows if r["id"] in wanted]
    return rows


def contains_key(text: str, keys: list[str]) -> bool:
    s = squeeze(text)
    return any(squeeze(k) in s for k in keys)


# -- scoring one answer ------------------------------------------------------------------------
class KeyGold:
    """Judges by words: a passage or quote is right when it holds one of the question's keys."""

    def __init__(self, keys: list[str]):
        self.keys = keys

    def passage(self, p: dict) -> bool:
        return contains_key(p["text"], self.keys)

    def quote(self, c: dict) -> bool:
        return contains_key(c["quote"], self.keys)

    def lines(self, c: dict, text: str) -> bool:
        """The quote's line range of the original file holds the key."""
        return contains_key("\n".join(text.split("\n")[c["line_start"] - 1 : c["line_end"]]),
                            self.keys)


def gold_for(item: dict, copies: dict | None = None):
    """How a question's answers are judged: by its keys, or by the places marked as answering
    it (`spans`, from feedback: see rag/feedback.py)."""
    if item.get("spans"):
        from .feedback import SpanGold

        return SpanGold(item["spans"], copies or {})
    return KeyGold(item["keys"])


def score_answer(item: dict, answer: dict, originals: Callable[[str], str | None],
                 gold_articles: set[tuple[str, str]], gold=None) -> dict[str, Any]:
    """Per-question scores. `originals(source)` gives a file's text for re-verification;
    `gold` judges passages and quotes (default: by the item's keys)."""
    keys = item["keys"]
    gold = gold or gold_for(item)
    answerable = bool(keys) or bool(item.get("spans"))
    cites = answer.get("citations", [])
    passages = answer.get("passages", [])
    row: dict[str, Any] = {"id": item["id"], "lang": item["lang"], "kind": item["kind"],
                           "answerable": answerable, "abstained": bool(answer.get("abstained")),
                           "question": item.get("question")}
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
    rank = next((i for i, p in enumerate(passages, 1) if gold.passage(p)), None)
    row["rank"] = rank
    hits = [gold.quote(c) for c in cites]
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
            located += gold.lines(c, text)
    row["located"] = located
    row["keyed"] = sum(hits)
    text = answer.get("answer") or ""
    if isinstance(gold, KeyGold) and (row["abstained"] or "[1]" in text):
        # The answer's first sentence, the one before the first quote's marker, holds the
        # answer (only for a system that writes its answer so; the baseline lists passages).
        row["says"] = not row["abstained"] and contains_key(text.split("[1]")[0], gold.keys)
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
        says = [r["says"] for r in ans if "says" in r]
        if says:
            out["answer_says"] = _mean(says)
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
                        "answerable": r["answerable"],
                        "abstained": r["abstained"], "rank": r.get("rank"), "first_quote": first})
    return out


# -- the run -----------------------------------------------------------------------------------
def run_eval(settings, dataset: Path | str | None = None, out: Path = Path("eval/out"),
             split: str | None = None, baseline: bool = True, gate: bool = False,
             ids: Iterable[str] | None = None, assistant=None, trec_out: Path | None = None) -> int:
    """Evaluate, print a table, write DIR/report.json, report.md and plots (and TREC files to
    `trec_out`). Returns the exit code."""
    from .assistant import Assistant

    items = load_items(settings, dataset, split, ids)
    assistant = assistant or Assistant(settings)
    report = evaluate(assistant, items, baseline=baseline)
    if ids is None and str(dataset) != "feedback" and \
            Path(dataset or DEFAULT_DATASET).resolve() == DEFAULT_DATASET.resolve():
        from .eval_conversations import add_to_report  # the bundled chats, the same split

        add_to_report(report, assistant, split)
    write_report(report, out)
    print(table(report))
    if report.get("conversation"):
        from .eval_conversations import table as conversation_table

        print("\n" + conversation_table(report["conversation"]))
    print(f"\nwrote {out / 'report.json'}, {out / 'report.md'} and plots")
    if trec_out is not None:
        print("wrote " + ", ".join(str(f) for f in write_trec(report, trec_out)))
    if gate:
        problems = check_gate(report["ours"])
        if report.get("conversation"):
            from .eval_conversations import check_gate as conversation_gate

            problems += conversation_gate(report, GATE_FILE)
        for p in problems:
            print(f"gate: {p}", file=sys.stderr)
        return 1 if problems else 0
    return 0


def load_items(settings, dataset: Path | str | None, split: str | None,
               ids: Iterable[str] | None = None) -> list[dict]:
    """The questions to ask: a dataset file (default: the bundled one, its test split), or
    `feedback`: the judgements recorded beside the index (all of them unless a split is given).
    Questions still blank (a draft not yet filled in) are left out with a note."""
    if str(dataset) == "feedback":
        from .feedback import dataset_items, feedback_path, load

        items, unanswered = dataset_items(load(settings))
        if unanswered:
            print(f"note: {unanswered} judged question(s) have no passage marked as answering "
                  "them and are not scored", file=sys.stderr)
        if split not in (None, "all"):
            items = [i for i in items if i["split"] == split]
        if ids is not None:
            items = [i for i in items if i["id"] in set(ids)]
        where = feedback_path(settings)
    else:
        where = Path(dataset) if dataset else DEFAULT_DATASET
        items = load_dataset(where, split or "test", ids)
    blank = [i for i in items if not str(i.get("question") or "").strip()]
    if blank:
        print(f"note: {len(blank)} question(s) of {where} are blank (fill them in) and are not "
              "asked", file=sys.stderr)
        items = [i for i in items if str(i.get("question") or "").strip()]
    if not items:
        raise RagError(f"no questions to ask in split '{split or 'test'}' of {where}")
    for item in items:  # a drafted file may leave these to be worked out
        item.setdefault("keys", [])
        item["kind"] = item.get("kind") or "fact"
        item["lang"] = item.get("lang") or ("zh" if has_cjk(item["question"]) else "en")
    return items


def write_report(report: dict, out: Path) -> None:
    """report.json, report.md and the plots in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2),
                                     encoding="utf-8")
    (out / "report.md").write_text(markdown_report(report), encoding="utf-8")
    try:
        plots(report, out)
    except Exception as exc:  # plots are a convenience; the numbers are already written
        print(f"warning: plots not drawn: {exc}", file=sys.stderr)
    if report.get("conversation"):
        from .eval_conversations import write as write_conversation

        write_conversation(report, out)


def write_trec(report: dict, folder: Path) -> list[Path]:
    """qrels.txt and one run file per system that names its passages by location."""
    from .eval_trec import write_qrels, write_run

    written = [folder / "qrels.txt"]
    write_qrels(written[0], report["qrels"])
    for key, run in report.items():
        if key.endswith("_run"):
            name = key[: -len("_run")]
            written.append(folder / f"{name}.run")
            write_run(written[-1], run, tag=name)
    return written


def evaluate(assistant, items: list[dict], baseline: bool = True, top_k: int = 10) -> dict:
    """Answers for every question from ours (and the baseline), scored the same way, each metric
    with a bootstrap interval, and the per-question rows and ranked passages kept."""
    systems: dict[str, Callable[[str], dict]] = {
        "ours": lambda q: assistant.ask(q, top_k=top_k, generate=False).to_dict()}
    report: dict[str, Any] = {"questions": len(items)}
    if baseline:
        t = time.perf_counter()
        base = Baseline(assistant.settings.corpus.path, assistant.embedder)
        report["baseline_index_seconds"] = round(time.perf_counter() - t, 1)
        systems["baseline"] = lambda q: base.ask(q, top_k)
    return score_systems(assistant, items, systems, report)


def score_systems(assistant, items: list[dict], systems: dict[str, Callable[[str], dict]],
                  report: dict | None = None) -> dict:
    """Ask every question of each system (name -> question -> answer object) and score them
    against the same gold: `report[name]` the metrics, `[name_ci]` their intervals,
    `[name_rows]` per question, `[name_run]` the ranked passages; `qrels` the gold passages."""
    from .eval_stats import intervals
    from .eval_trec import passage_id, per_question, ranking

    report = report if report is not None else {"questions": len(items)}
    golds, articles, qrels = judges(assistant, items)
    # The texts as indexed (from the corpus, or in http mode from the Chroma server), read
    # once and checked against the catalog by the assistant.
    originals = assistant.source_text

    runs, latency, answered = {}, {}, {}
    for name, ask in systems.items():
        answers, latencies = [], []
        for item in items:
            t = time.perf_counter()
            answers.append(ask(item["question"]))
            latencies.append((time.perf_counter() - t) * 1000)
        rows = [score_answer(i, a, originals, articles[i["id"]], golds[i["id"]])
                for i, a in zip(items, answers, strict=True)]
        runs[name] = {i["id"]: ranking(a.get("passages", [])) for i, a in zip(items, answers,
                                                                              strict=True)}
        for item, answer in zip(items, answers, strict=True):  # what was judged in the run
            for p in answer.get("passages", []):
                if p.get("line_start") is not None and golds[item["id"]].passage(p):
                    qrels.setdefault(item["id"], {})[passage_id(
                        p["source"], p["line_start"], p["line_end"], p.get("char_start"),
                        p.get("char_end"))] = 1
        report[f"{name}_rows"] = rows
        latency[name], answered[name] = latencies, answers
    # Scored after every system has run: the qrels then hold every passage any of them found.
    for name in systems:
        rows, answers = report[f"{name}_rows"], answered[name]
        metrics = aggregate(rows)
        if any(runs[name].values()):  # the ranking measures need passages with locations
            scored = per_question(qrels, runs[name], ("ndcg@10",))
            for r in rows:
                if r["answerable"]:
                    r["ndcg@10"] = round(scored.get(r["id"], {}).get("ndcg@10", 0.0), 4)
            metrics["ndcg@10"] = _mean(r["ndcg@10"] for r in rows if r["answerable"]) \
                if any(r["answerable"] for r in rows) else None
            report[f"{name}_run"] = runs[name]
        metrics["p50_ms"] = round(statistics.median(latency[name]), 1)
        report[name] = metrics
        report[f"{name}_ci"] = intervals(rows)
        report[f"{name}_breakdown"] = breakdown(rows)
        report[f"{name}_failures"] = failures(items, rows, answers)
    report["qrels"] = qrels
    return report


def judges(assistant, items: list[dict]):
    """For each question: how its answers are judged, the (source, title) of every article that
    holds its answer (for citation precision), and the passages that answer it (TREC qrels,
    each passage named once, at the place retrieval returns it)."""
    from .eval_trec import passage_id
    from .feedback import copies_of

    chunks = assistant.catalog.all_chunks()
    copies = copies_of(chunks)
    primary: dict[str, Any] = {}
    for c in chunks:
        primary.setdefault(c.key, c)
    squeezed: list[str] | None = None
    golds, articles, qrels = {}, {}, {}
    for item in items:
        gold = golds[item["id"]] = gold_for(item, copies)
        if isinstance(gold, KeyGold):
            if not item["keys"]:
                found = []
            else:
                squeezed = squeezed or [squeeze(c.text) for c in chunks]
                keys = [squeeze(k) for k in item["keys"]]
                found = [c for c, t in zip(chunks, squeezed, strict=True)
                         if any(k in t for k in keys)]
        else:
            found = [c for c in chunks if gold.at(c.source, c.char_start, c.char_end)]
        articles[item["id"]] = {(c.source, c.title) for c in found}
        firsts = {primary[c.key] for c in found}
        if firsts:
            qrels[item["id"]] = {passage_id(c.source, c.line_start, c.line_end, c.char_start,
                                            c.char_end): 1 for c in firsts}
    return golds, articles, qrels


def gold_articles(assistant, items: list[dict]) -> dict[str, set[tuple[str, str]]]:
    """For each question, the (source, title) of every chunk that holds its answer."""
    return judges(assistant, items)[1]


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
METRICS = ["recall@1", "recall@3", "recall@5", "recall@10", "mrr", "ndcg@10", "hit@1", "hit@3",
           "citation_precision", "answer_says", "verifiable", "location_accuracy", "abstain_ok",
           "false_abstain", "p50_ms"]


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    return f"{v:.3f}" if isinstance(v, float) and v <= 1.0 else str(v)


def _with_ci(report: dict, system: str, metric: str) -> str:
    """`0.690 [0.612, 0.767]`: the value and its 95% bootstrap interval over questions."""
    ci = report.get(f"{system}_ci", {}).get(metric)
    value = _fmt(report[system].get(metric))
    if not ci or ci.get("low") is None or value == "-":
        return value
    return f"{value} [{ci['low']:.3f}, {ci['high']:.3f}]"


def table(report: dict) -> str:
    systems = [s for s in ("ours", "baseline") if s in report]
    lines = [f"{'metric':<20}" + "".join(f"{s:>24}" for s in systems)]
    for m in METRICS:
        lines.append(f"{m:<20}" + "".join(f"{_with_ci(report, s, m):>24}" for s in systems))
    lines.append("(95% bootstrap intervals over questions in brackets)")
    lines.append("")
    lines.append("ours by language and kind (hit@1 / hit@3 / abstain_ok / n):")
    for group, parts in report["ours_breakdown"].items():
        for name, m in parts.items():
            lines.append(f"  {group}={name:<14} {_fmt(m.get('hit@1')):>6} {_fmt(m.get('hit@3')):>6}"
                         f" {_fmt(m.get('abstain_ok')):>6} {m['n']:>4}")
    return "\n".join(lines)


def markdown_report(report: dict) -> str:
    systems = [s for s in ("ours", "baseline") if s in report]
    out = ["# Evaluation report", "",
           f"{report['questions']} questions. Each value has its 95% confidence interval in "
           "brackets (percentile bootstrap over questions, 2000 resamples): a difference smaller "
           "than the interval's half-width is not evidence of a change (use `rag eval --compare`).",
           "", "| metric | " + " | ".join(systems) + " |", "|---|" + "---|" * len(systems)]
    for m in METRICS:
        out.append(f"| {m} | " + " | ".join(_with_ci(report, s, m) for s in systems) + " |")
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
        what = "answered an unanswerable question" if not f.get("answerable", f["keys"]) else (
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


