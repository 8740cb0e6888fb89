"""Benchmarks: `make bench` (or `python -m bench.run [--quick]`).

Prints a table per section and writes bench/results.md. Every speed is compared with a baseline
measured in the same run on the same machine: ingest against the pure model-encoding time of
the same texts and against the sentence-transformers backend, whole-process start-up against
the code of earlier commits (`--before REV…`; by default the commit before the fast start and
the one this session started from),
ours against the tutorial LangChain pipeline, the JSON API against the Gradio route, the index
at 10k and 100k chunks against the bundled corpus.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.assistant import Assistant  # noqa: E402
from rag.catalog import load_catalog  # noqa: E402
from rag.chunking import context_text, sentence_texts  # noqa: E402
from rag.embedding import OnnxEmbedder, SentenceTransformerEmbedder  # noqa: E402
from rag.evaluation import Baseline, load_dataset  # noqa: E402
from rag.ingest import catalog_path, ingest  # noqa: E402
from rag.settings import load_settings  # noqa: E402

QUESTIONS = [r["question"] for r in load_dataset(ROOT / "eval" / "dataset.jsonl", "all")]
# The landed code before the ONNX embedder and the fast start (issue 12), and the landed code
# before the SentencePiece tokenizer and the sorted jieba table.
BEFORE = ("984f298", "9cc6ff7")
LINES: list[str] = []


def out(line: str = "") -> None:
    print(line, flush=True)
    LINES.append(line)


def table(title: str, header: list[str], rows: list[list]) -> None:
    out(f"\n### {title}\n")
    out("| " + " | ".join(header) + " |")
    out("|" + "---|" * len(header))
    for row in rows:
        out("| " + " | ".join(_fmt(v) for v in row) + " |")


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:,.1f}" if abs(v) >= 10 else f"{v:.2f}"
    return str(v)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else 0.0


def temp_settings(folder: Path, **store):
    folder.mkdir(parents=True, exist_ok=True)
    cfg = folder / "config.yaml"
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    text = text.replace("path: data/corpus", f"path: {ROOT / 'data' / 'corpus'}")
    text = text.replace("path: .rag/chroma", f"path: {folder / 'index' / 'chroma'}")
    text = text.replace("model: models/multilingual-e5-small",
                        f"model: {ROOT / 'models' / 'multilingual-e5-small'}")
    cfg.write_text(text, encoding="utf-8")
    return load_settings(cfg), cfg


# -- ingest ------------------------------------------------------------------------------------
def bench_ingest(work: Path, embedders: dict) -> None:
    """Ingest of the bundled corpus with each backend, against encoding the same texts."""
    rows = []
    noop_s = 0.0
    for label, embedder in embedders.items():
        settings, cfg = temp_settings(work / f"ingest-{label}")
        t = time.perf_counter()
        report = ingest(settings, progress=False, embedder_factory=lambda e=embedder: e)
        ingest_s = time.perf_counter() - t
        catalog = load_catalog(catalog_path(settings))
        firsts = {}
        for c in catalog.all_chunks():
            firsts.setdefault(c.key, c)
        texts = [context_text(c) for c in firsts.values()]
        texts += [s for c in firsts.values() for s in sentence_texts(c.text)]
        t = time.perf_counter()
        embedder.embed_passages(texts)
        floor_s = time.perf_counter() - t
        rows.append([f"{label}: ingest wall time (s)", ingest_s, f"{ingest_s / floor_s:.2f} x"])
        rows.append([f"{label}: floor, encoding the same texts (s)", floor_s, "1.00 x"])
        if label == "onnx":
            env = {**os.environ, "RAG_CONFIG": str(cfg)}
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "rag.cli", "ingest", "--quiet"], env=env,
                           cwd=ROOT, check=True, capture_output=True)
            noop_s = time.perf_counter() - t
            shutil.copytree(work / "ingest-onnx", work / "ingest", dirs_exist_ok=True)
    rows += [
        ["unique passages embedded", report.embedded, ""],
        ["repeats merged (not embedded again)", report.merged, ""],
        ["texts embedded (passages in context + sentences)", len(texts), ""],
        ["no-op `rag ingest`, whole process (s)", noop_s, ""],
        ["peak memory of this process so far (MB)", peak_mb(), ""],
    ]
    table("Ingest (bundled corpus, model already loaded)", ["measure", "value", "vs floor"], rows)


def bench_formats(work: Path, embedder) -> None:
    """Ingest of the same text as .txt and as a Chromium-printed PDF (and DOCX, HTML): what
    extraction adds to an ingest, and what reading a file costs before and after its cache."""
    from rag.reading import read_source
    from tests.helpers.documents import CHROMIUM, flowing_html, make_docx, page_html, print_pdf

    stems = ["000_8ced48c5a6f24f61", "002_09a23be81b2d5379"]
    texts = {s: (ROOT / "data" / "corpus" / f"{s}.txt").read_text(encoding="utf-8") for s in stems}
    made = work / "formats-made"
    made.mkdir(parents=True)
    kinds: dict[str, list[Path]] = {"txt": [], "pdf": [], "docx": [], "html": []}
    for stem, text in texts.items():
        paras = [p.strip() for p in text.split("\n") if p.strip()]
        kinds["txt"].append(made / f"{stem}.txt")
        kinds["txt"][-1].write_text("\n".join(paras), encoding="utf-8")
        kinds["docx"].append(make_docx(made / f"{stem}.docx", [("p", 0, p) for p in paras]))
        kinds["html"].append(made / f"{stem}.html")
        kinds["html"][-1].write_text(page_html([paras], header=""), encoding="utf-8")
        if CHROMIUM:
            kinds["pdf"].append(print_pdf(flowing_html(paras), made / f"{stem}.pdf"))
    rows = []
    base = None
    for kind, paths in kinds.items():
        if not paths:
            rows.append([f"{kind}: skipped (no chromium with a CJK font)", "", ""])
            continue
        t = time.perf_counter()
        for path in paths:
            read_source(path, path.name)
        read_s = time.perf_counter() - t
        corpus = work / f"formats-{kind}" / "corpus"
        corpus.mkdir(parents=True)
        for path in paths:
            shutil.copy(path, corpus / path.name)
        settings, _ = temp_settings(work / f"formats-{kind}")
        settings.corpus.path = corpus
        t = time.perf_counter()
        report = ingest(settings, progress=False, embedder_factory=lambda: embedder)
        ingest_s = time.perf_counter() - t
        base = base or ingest_s
        t = time.perf_counter()
        for path in paths:  # what verification pays per file: a hash, then the cache
            read_source(path, path.name, settings.state_dir / "extracted")
        cached_s = time.perf_counter() - t
        rows.append([f"{kind}: ingest wall time (s), {report.added} chunks", ingest_s,
                     f"{ingest_s / base:.2f} x"])
        rows.append([f"{kind}: reading/extraction alone (ms)", read_s * 1000,
                     f"{cached_s * 1000:.1f} ms"])
    table("Formats: the same two corpus files as .txt, PDF, DOCX, HTML",
          ["measure", "value", "vs .txt / read again (hash + cache)"], rows)


# -- answers -----------------------------------------------------------------------------------
def bench_answers(work: Path, embedders: dict, before: dict[str, Path], quick: bool) -> Assistant:
    settings, cfg = temp_settings(work / "ingest")
    questions = QUESTIONS[: 60 if quick else 200]
    rows = []
    assistant = None
    for label, embedder in embedders.items():
        assistant = Assistant(settings, embedder=embedder)
        for q in questions[:5]:
            assistant.ask(q)
        parts: dict[str, list[float]] = {"embed": [], "search": [], "answer": [], "total": []}
        for q in questions:
            t = assistant.ask(q).timings_ms
            for k in parts:
                parts[k].append(t.get(k, 0.0))
        rows += [[f"{label}: {k}", pct(v, 50), pct(v, 95)] for k, v in parts.items()]
    base = Baseline(ROOT / "data" / "corpus", embedders["onnx"])
    base_ms = []
    for q in questions:
        t = time.perf_counter()
        base.ask(q, 5)
        base_ms.append((time.perf_counter() - t) * 1000)
    rows.append(["baseline (LangChain similarity top-5): total", pct(base_ms, 50), pct(base_ms, 95)])
    table(f"Warm `ask` over {len(questions)} questions (ms)", ["stage", "p50", "p95"], rows)

    bench_warm_alone(cfg, before, questions)

    runs = 3
    env = {**os.environ, "RAG_CONFIG": str(cfg)}
    cold = _cold_asks(env, ROOT, questions[:runs])
    cold_rows = [["now: cold `rag ask --json`, whole process", statistics.median(cold),
                  min(cold), max(cold)]]
    for rev, folder in before.items():
        old = _cold_asks({**os.environ, "RAG_CONFIG": str(folder / "config.yaml")}, folder,
                         questions[:runs])
        cold_rows.append([f"before ({rev}): the same", statistics.median(old), min(old),
                          max(old)])
    table(f"Whole-process `rag ask` (s, {runs} runs)", ["measure", "median", "min", "max"],
          cold_rows)
    return assistant


_WARM_SCRIPT = """
import json, sys
from rag.assistant import Assistant
from rag.settings import load_settings
questions = json.loads(sys.stdin.read())
assistant = Assistant(load_settings(sys.argv[1]))
for q in questions[:5]:
    assistant.ask(q)
print(json.dumps([assistant.ask(q).timings_ms["total"] for q in questions]))
"""


def bench_warm_alone(cfg: Path, before: dict[str, Path], questions: list[str],
                     rounds: int = 3) -> None:
    """The issue's warm target is for a process that answers and does nothing else (the bench's
    own process also holds torch, whose idle threads take cycles), so each code is measured
    alone, in `rounds` rounds that alternate which code goes first: one pass of each moved
    by 30% between two runs on this 2-core machine. Medians over the rounds."""
    codes = {"now": (cfg, ROOT), **{f"before ({rev})": (folder / "config.yaml", folder)
                                    for rev, folder in before.items()}}
    runs: dict[str, list[list[float]]] = {label: [] for label in codes}
    for r in range(rounds):
        order = list(codes) if r % 2 == 0 else list(reversed(codes))
        for label in order:
            runs[label].append(_warm_alone(*codes[label], questions))
    rows = [[label, statistics.median(p[0] for p in got), statistics.median(p[1] for p in got),
             f"{min(p[0] for p in got):.1f}-{max(p[0] for p in got):.1f}"]
            for label, got in runs.items()]
    table(f"Warm `ask` in a process of its own, default backend, {len(questions)} questions "
          f"(timings_ms.total, ms; median of {rounds} alternating rounds)",
          ["code", "p50", "p95", "p50 range"], rows)


def _warm_alone(cfg: Path, cwd: Path, questions: list[str]) -> list[float]:
    """p50 and p95 of warm answers in a fresh process running the code in `cwd`."""
    import json

    done = subprocess.run([sys.executable, "-c", _WARM_SCRIPT, str(cfg)], cwd=cwd, check=True,
                          input=json.dumps(questions), capture_output=True, text=True,
                          env={**os.environ, "RAG_CONFIG": str(cfg)})
    totals = json.loads(done.stdout.strip().splitlines()[-1])
    return [pct(totals, 50), pct(totals, 95)]


def _cold_asks(env: dict, cwd: Path, questions: list[str]) -> list[float]:
    times = []
    for q in questions:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "rag.cli", "ask", q, "--json"], env=env, cwd=cwd,
                       check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return times


def prepare_before(work: Path, revs: list[str]) -> dict[str, Path]:
    """Each earlier commit's code unpacked beside the work folder with its own index."""
    folders = {}
    for rev in revs:
        folder = _prepare_commit(work, rev)
        if folder is not None:
            folders[rev] = folder
    return folders


def _prepare_commit(work: Path, rev: str) -> Path | None:
    """The code of commit `rev`, unpacked beside the work folder with its own index, run by
    this venv (its folder first on sys.path), for start-up figures of the same run."""
    folder = work / f"before-{rev}"
    folder.mkdir()
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True)
    if archive.returncode != 0:
        out(f"\n(no baseline: commit {rev} is not in this clone)")
        return None
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    (folder / "models").symlink_to(ROOT / "models")
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "rag.cli", "ingest", "--quiet"], cwd=folder,
                   env={**os.environ, "RAG_CONFIG": str(folder / "config.yaml")}, check=True,
                   capture_output=True)
    out(f"\nBaseline code: commit {rev}, indexed in {time.perf_counter() - t:.0f} s.")
    return folder


def _start_server(cfg: Path, cwd: Path, log_path: Path) -> tuple[subprocess.Popen, str, float]:
    """`rag serve` on a free port; returns the process, its URL and seconds until the page
    answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "RAG_CONFIG": str(cfg)}
    t = time.perf_counter()
    log = open(log_path, "w")  # noqa: SIM115 - the server's lifetime
    proc = subprocess.Popen([sys.executable, "-m", "rag.cli", "serve", "--port", str(port)],
                            env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            if time.perf_counter() - t > 240 or proc.poll() is not None:
                raise RuntimeError(f"rag serve did not start: {log_path.read_text()[-2000:]}") \
                    from None
            time.sleep(0.05)
    return proc, url, time.perf_counter() - t


def _server_peak_mb(proc: subprocess.Popen) -> float:
    for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _load(ask, clients: int, per_client: int) -> tuple[list[float], list[str], float]:
    """`clients` threads asking `per_client` questions each through `ask(client_state, q)`."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def worker(i: int) -> None:
        rnd = random.Random(i)
        state = None
        barrier.wait()
        for _ in range(per_client):
            q = rnd.choice(QUESTIONS)
            t0 = time.perf_counter()
            try:
                state, data = ask(state, q)
                if not (isinstance(data, dict) and data.get("question") == q):
                    raise ValueError(f"mixed-up or bad answer for {q!r}")
            except Exception as exc:  # noqa: BLE001 - counted and reported
                with lock:
                    errors.append(str(exc)[:80])
                continue
            with lock:
                latencies.append((time.perf_counter() - t0) * 1000)

    t = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return latencies, errors, time.perf_counter() - t


def _api_ask(url: str):
    import json as _json

    def ask(state, q):
        body = _json.dumps({"question": q}).encode()
        req = urllib.request.Request(url + "api/ask", data=body,
                                     headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return state, _json.loads(r.read())

    return ask


def _gradio_ask(url: str):
    from gradio_client import Client

    def ask(state, q):
        state = state or Client(url, verbose=False)
        return state, state.predict(q, api_name="/ask")

    return ask


def bench_serve(cfg: Path, before: dict[str, Path], quick: bool, runs: int = 3) -> None:
    codes = {"now": (cfg, ROOT), **{f"before ({rev})": (folder / "config.yaml", folder)
                                    for rev, folder in before.items()}}
    starts: dict[str, list[float]] = {label: [] for label in codes}
    for _ in range(runs):  # interleaved, so a noisy moment does not land on one code only
        for label, (config, cwd) in codes.items():
            proc, _, seconds = _start_server(config, cwd, config.parent / "serve.log")
            proc.terminate()
            proc.wait(timeout=30)
            starts[label].append(seconds)
    rows = [[f"{label}: start until the page answers (s, median of {runs})",
             statistics.median(values), f"{min(values):.2f}-{max(values):.2f}"]
            for label, values in starts.items()]
    proc, url, _ = _start_server(cfg, ROOT, cfg.parent / "serve.log")
    clients, per_client = 16, 20
    try:
        for label, ask in (("JSON API POST /api/ask", _api_ask(url)),
                           ("Gradio route /ask (gradio_client)", _gradio_ask(url))):
            latencies, errors, wall = _load(ask, clients, per_client)
            rows += [[f"{label}: {clients} clients x {per_client} questions", "", ""],
                     ["  throughput (answers/s)", len(latencies) / wall, ""],
                     ["  latency p50 / p95 (ms)", pct(latencies, 50), pct(latencies, 95)],
                     ["  errors", len(errors), ""]]
        rows.append(["peak memory of the server process (MB)", _server_peak_mb(proc), ""])
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    table("`rag serve`", ["measure", "value", "p95 or range"], rows)


# -- growth ------------------------------------------------------------------------------------
def bench_growth(work: Path, assistant: Assistant, sizes: list[int]) -> None:
    """Synthetic corpora of shuffled real sentences; vectors reused from real passages plus
    noise (the point is the index, not the model)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from rag.lexical import LexicalIndex, tokens

    store = assistant.retriever.store
    keys = assistant.retriever.keys
    real = store.vectors(keys)
    base_vectors = np.stack([real[k] for k in keys])
    sentences = [s for k in keys for s in sentence_texts(assistant.retriever.locations[k][0].text)]
    rnd = np.random.default_rng(0)
    queries = [assistant.embedder.embed_query(q) for q in QUESTIONS[:50]]
    q_tokens = [tokens(q, query=True) for q in QUESTIONS[:50]]
    rows = []
    for n in sizes:
        texts = ["".join(random.Random(i).sample(sentences, 2)) for i in range(n)]
        vectors = base_vectors[rnd.integers(0, len(base_vectors), n)]
        vectors = vectors + rnd.normal(0, 0.02, vectors.shape).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        folder = work / f"growth-{n}"
        before = rss_mb()
        client = chromadb.PersistentClient(path=str(folder), settings=ChromaSettings(
            anonymized_telemetry=False))
        col = client.get_or_create_collection("growth", metadata={"hnsw:space": "cosine"})
        t = time.perf_counter()
        for i in range(0, n, 2000):
            col.add(ids=[str(j) for j in range(i, min(n, i + 2000))],
                    embeddings=vectors[i : i + 2000].tolist())
        add_s = time.perf_counter() - t
        dense_ms = []
        for v in queries:
            t = time.perf_counter()
            col.query(query_embeddings=[v.tolist()], n_results=40, include=["distances"])
            dense_ms.append((time.perf_counter() - t) * 1000)
        dense_mem = rss_mb() - before
        before = rss_mb()
        t = time.perf_counter()
        lex = LexicalIndex(texts)
        lex_build = time.perf_counter() - t
        lex_ms = []
        for qt in q_tokens:
            t = time.perf_counter()
            scores = lex.scores(qt)
            top = np.argpartition(-scores, 40)[:40]
            top[np.argsort(-scores[top])]
            lex_ms.append((time.perf_counter() - t) * 1000)
        lex_mem = rss_mb() - before
        rows.append([n, add_s, pct(dense_ms, 50), pct(dense_ms, 95), dense_mem, lex_build,
                     pct(lex_ms, 50), pct(lex_ms, 95), lex_mem])
        del lex, col, client
        shutil.rmtree(folder, ignore_errors=True)
    table("Growth: index size against query time (ms) and memory (MB)",
          ["chunks", "chroma add (s)", "dense p50", "dense p95", "dense +MB", "bm25 build (s)",
           "lexical p50", "lexical p95", "lexical +MB"], rows)


def run_section(name: str, work: Path, args) -> None:
    """One section alone (`--only`): its tables are printed, results.md is left as it is."""
    if name == "formats":
        bench_formats(work, OnnxEmbedder(load_settings(ROOT / "config.yaml").embedding))
        return
    settings, cfg = temp_settings(work / "ingest")
    ingest(settings, progress=False)
    before = prepare_before(work, args.before)
    if name == "serve":
        bench_serve(cfg, before, args.quick)
    else:
        bench_warm_alone(cfg, before, QUESTIONS[: 60 if args.quick else 200])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer questions, 10k only")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md")
    parser.add_argument("--only", choices=["serve", "formats", "warm"],
                        help="run one section (results not written)")
    parser.add_argument("--before", nargs="*", default=list(BEFORE), metavar="REV",
                        help=f"earlier commits to measure start-up against (default: "
                             f"{' '.join(BEFORE)}; none: --before)")
    args = parser.parse_args()
    out("# Benchmarks")
    out(f"\nMachine: {os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}; "
        f"python {sys.version.split()[0]}.")
    work = Path(tempfile.mkdtemp(prefix="rag-bench-"))
    if args.only:
        try:
            run_section(args.only, work, args)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return 0
    try:
        config = load_settings(ROOT / "config.yaml").embedding
        embedders = {"onnx": OnnxEmbedder(config),
                     "sentence-transformers": SentenceTransformerEmbedder(config)}
        for label, embedder in embedders.items():
            t = time.perf_counter()
            embedder.embed_query("warm up")
            out(f"\nModel load ({label}): {time.perf_counter() - t:.1f} s.")
        before = prepare_before(work, args.before)
        bench_ingest(work, embedders)
        bench_formats(work, embedders["onnx"])
        assistant = bench_answers(work, embedders, before, args.quick)
        bench_growth(work, assistant, [10_000] if args.quick else [10_000, 100_000])
        bench_serve(work / "ingest" / "config.yaml", before, args.quick)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
