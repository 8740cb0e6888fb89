"""Measure the scale-out topology: python deploy/switchover.py [--switches 5] [--clients 8].

Starts what deploy/run-local.sh starts (a `chroma run`, an ingest folder holding a copy of the
corpus, two `rag serve` replicas in empty folders), then, in one run:

- warm p50 of an answer in this process, store.mode http against embedded, the same questions
  and the same loaded model (the http assistant loads the generation from the server);
- the same through a replica's JSON API (/api/ask, one client at a time);
- `--switches` times: one document changed (a tree added to or taken from a list) and
  ingested again while `--clients` threads keep asking both replicas the question whose
  answer quotes that list. Reported: switch-over (head switched -> each replica's first new
  answer), failed requests, and mixed answers (neither the answer before nor the one after),
  and answers that went back to the old one after a replica had given the new.

Prints a markdown summary (pasted into docs/scaling.md). Everything it starts it stops.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from helpers.chroma_server import free_port, start_chroma, stop_chroma  # noqa: E402

from rag.assistant import Assistant  # noqa: E402
from rag.ingest import ingest  # noqa: E402
from rag.settings import load_settings  # noqa: E402
from rag.shared_index import SharedIndex  # noqa: E402

QUESTION = "习近平在首都义务植树活动中种下了哪些树？"
CHANGED = "003_6730130ec87af471.txt"
PLAIN, ADDED = "习近平接连种下油松、国槐", "习近平接连种下油松、银杏、国槐"
WARM_QUESTIONS = [
    "习近平给武汉哪个社区的全体社区工作者回了信？",
    "How many confirmed cases did Hubei still have on March 9?",
    "习近平在首都义务植树活动中种下了哪些树？",
    "中共中央政治局常务委员会会议强调了什么？",
    "What did Xi Jinping say about wildlife trade?",
    "复工复产要注意哪些问题？",
]
MODEL = ROOT / "models" / "multilingual-e5-small"


def write_config(folder: Path, chroma_port: int | None, corpus: Path | None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = f"embedding:\n  model: {MODEL}\n"
    if chroma_port:
        text += f"store:\n  mode: http\n  host: 127.0.0.1\n  port: {chroma_port}\n  poll_s: 2\n"
    if corpus:
        text += f"corpus:\n  path: {corpus}\n"
    (folder / "config.yaml").write_text(text, encoding="utf-8")
    return folder / "config.yaml"


def ask(port: int, question: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/ask", data=json.dumps({"question": question}).encode(),
        headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        if response.status != 200:
            raise RuntimeError(f"status {response.status}")
        return json.loads(response.read())


def key(answer: dict) -> str:
    return json.dumps([answer["answer"]] + [(c["source"], c["quote"], c["line_start"],
                                             c["line_end"]) for c in answer["citations"]],
                      ensure_ascii=False)


def p50_ms(runs: list, questions: list[str], rounds: int = 5) -> list[float]:
    """Warm p50 of each way of answering; interleaved question by question, so that the
    load of the machine (shared here) falls on all of them alike."""
    for run in runs:
        for q in questions:  # warm
            run(q)
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(rounds):
        for q in questions:
            for run, mine in zip(runs, times, strict=True):
                t0 = time.perf_counter()
                run(q)
                mine.append((time.perf_counter() - t0) * 1000)
    return [statistics.median(t) for t in times]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--switches", type=int, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--work", type=Path, default=None, help="folder (default: a temp one)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="rag-switchover-"))
    corpus = work / "ingest" / "corpus"
    if not corpus.is_dir():  # a --work folder of an earlier run keeps its indexes
        shutil.copytree(ROOT / "data" / "corpus", corpus)
    changed = corpus / CHANGED
    changed.write_text(changed.read_text(encoding="utf-8").replace(ADDED, PLAIN),
                       encoding="utf-8")
    chroma, chroma_port = start_chroma(work / "chroma")
    replicas, ports = [], [free_port(), free_port()]
    try:
        a = load_settings(write_config(work / "ingest", chroma_port, corpus))
        t0 = time.perf_counter()
        first = ingest(a, progress=False)
        print(f"first ingest: {first.summary()} ({time.perf_counter() - t0:.1f} s)")
        for i, port in enumerate(ports):
            folder = work / f"replica-{i + 1}"
            write_config(folder, chroma_port, None)
            replicas.append(subprocess.Popen(
                [str(ROOT / ".venv" / "bin" / "rag"), "--config", "config.yaml", "serve",
                 "--port", str(port)], cwd=folder, stdout=subprocess.DEVNULL,
                stderr=open(work / f"replica-{i + 1}.log", "w")))  # noqa: SIM115
        embedded = load_settings(write_config(work / "embedded", None, corpus))
        ingest(embedded, progress=False)
        local = Assistant(embedded)
        shared = Assistant(load_settings(work / "replica-1" / "config.yaml"),
                           embedder=local.embedder)
        same = all(key(local.ask(q).to_dict()) == key(shared.ask(q).to_dict())
                   for q in WARM_QUESTIONS)
        for port in ports:
            deadline = time.time() + 300
            while True:
                try:
                    ask(port, "warm up")
                    break
                except OSError:
                    if time.time() > deadline:
                        raise RuntimeError(f"the replica on port {port} did not start") from None
                    time.sleep(0.5)
        p50_embedded, p50_http, p50_api = p50_ms(
            [local.ask, shared.ask, lambda q: ask(ports[0], q)], WARM_QUESTIONS)

        records: list[tuple[int, float, float, str | None]] = []  # port, start, end, key
        stop = threading.Event()

        def client(port: int) -> None:
            while not stop.is_set():
                start = time.time()
                try:
                    got = key(ask(port, QUESTION))
                except Exception:  # noqa: BLE001 - counted as failed
                    got = None
                records.append((port, start, time.time(), got))

        before = key(ask(ports[0], QUESTION))
        threads = [threading.Thread(target=client, args=(ports[i % 2],))
                   for i in range(args.clients)]
        for t in threads:
            t.start()
        time.sleep(2)
        path = changed
        switches = []
        answers = {0: before}
        went_back = 0  # answers from the old generation after a replica gave the new one
        for n in range(1, args.switches + 1):
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace(PLAIN, ADDED) if n % 2 else text.replace(ADDED, PLAIN),
                            encoding="utf-8")
            started = time.time()
            report = ingest(a, progress=False, embedder_factory=lambda: local.embedder)
            done = time.time()
            head = SharedIndex(a.store)._get(["head"])["metadatas"][0]
            deadline = time.time() + 60
            while time.time() < deadline:
                got = [key(ask(p, QUESTION)) for p in ports]
                if all(("银杏" in g) == bool(n % 2) for g in got):
                    break
                time.sleep(0.1)
            if not all(g == got[0] for g in got):
                print(f"switch {n}: the replicas disagree after switching", file=sys.stderr)
            answers[n % 2] = got[0]
            switched = head["switched"]
            time.sleep(3)
            firsts = []
            for port in ports:
                news = [end for p, start, end, k in list(records)
                        if p == port and k == got[0] and start >= started]
                first_new = min(news) if news else float("inf")
                firsts.append(first_new - switched)
                went_back += sum(1 for p, start, end, k in list(records)
                                 if p == port and start > first_new and k == answers[1 - n % 2])
            switches.append({"ingest_s": done - started, "embedded": report.embedded,
                             "switch_s": firsts})
        stop.set()
        for t in threads:
            t.join()
        failed = sum(1 for r in records if r[3] is None)
        known = {answers[0], answers.get(1)}
        mixed = sum(1 for r in records if r[3] is not None and r[3] not in known)
        print()
        print(f"- warm p50 in-process, same run, same questions ({len(WARM_QUESTIONS)} x 5, interleaved): "
              f"embedded {p50_embedded:.1f} ms, http (generation in memory) {p50_http:.1f} ms; "
              f"identical answers: {same}")
        print(f"- warm p50 through a replica's /api/ask: {p50_api:.1f} ms")
        for i, s in enumerate(switches, start=1):
            print(f"- switch {i}: ingest {s['ingest_s']:.1f} s ({s['embedded']} passages "
                  f"embedded); switch-over per replica "
                  + ", ".join(f"{x:.1f} s" for x in s["switch_s"]))
        print(f"- {len(records)} answers under {args.clients} clients: {failed} failed, "
              f"{mixed} mixed (neither the old nor the new answer), {went_back} old after new")
        return 0
    finally:
        for proc in replicas:
            proc.terminate()
        for proc in replicas:
            proc.wait(timeout=30)
        stop_chroma(chroma)
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    sys.exit(main())
