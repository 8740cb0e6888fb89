"""Runs other tools can read: TREC run and qrels files, and the ranking measures computed from
them by trec_eval's own code (through ir-measures, imported only here, only by `rag eval`).

A passage is named by where it is: `SOURCE:LINE_START-LINE_END:CHAR_START-CHAR_END`. The line
range is what a person reads; the character range keeps apart passages that share a line (a
long paragraph is one line and several passages). Characters that would break the
whitespace-separated format are percent-escaped in the source name.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

# trec_eval measure names for the figures `rag eval` reports under its own names.
MEASURES = {"recall@1": "Success@1", "recall@3": "Success@3", "recall@5": "Success@5",
            "recall@10": "Success@10", "mrr": "RR", "ndcg@10": "nDCG@10"}

Run = dict[str, dict[str, float]]  # question id -> passage id -> score
Qrels = dict[str, dict[str, int]]  # question id -> passage id -> relevance (1 answers, 0 not)


def passage_id(source: str, line_start: int, line_end: int, char_start: int | None = None,
               char_end: int | None = None) -> str:
    """The name of a passage in run and qrels files."""
    name = f"{quote(source, safe='/._-()')}:{line_start}-{line_end}"
    return name if char_start is None else f"{name}:{char_start}-{char_end}"


def ranking(passages: list[dict]) -> dict[str, float]:
    """A ranked list of answer passages as {id: score}, scores made strictly decreasing so every
    tool reads the same order (trec_eval sorts by score and breaks ties by name)."""
    out: dict[str, float] = {}
    last = None
    for p in passages:
        if p.get("line_start") is None:
            continue  # a system without locations has nothing to name its passages by
        pid = passage_id(p["source"], p["line_start"], p["line_end"], p.get("char_start"),
                         p.get("char_end"))
        if pid in out:
            continue
        score = float(p.get("score") or 0.0)
        if last is not None and score >= last:
            score = last - 1e-4
        out[pid] = last = round(score, 6)
    return out


def write_run(path: Path, run: Run, tag: str) -> None:
    """`qid Q0 docid rank score tag`, one line per retrieved passage, best first."""
    lines = []
    for qid, docs in run.items():
        for rank, (doc, score) in enumerate(sorted(docs.items(), key=lambda d: -d[1]), start=1):
            lines.append(f"{qid} Q0 {doc} {rank} {score:.6f} {tag}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def write_qrels(path: Path, qrels: Qrels) -> None:
    """`qid 0 docid relevance`, one line per judged passage."""
    lines = [f"{qid} 0 {doc} {rel}" for qid, docs in qrels.items()
             for doc, rel in sorted(docs.items())]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def per_question(qrels: Qrels, run: Run, names: tuple[str, ...] = tuple(MEASURES)) -> dict[str, dict]:
    """Each question's measures by trec_eval's code: {qid: {our metric name: value}}.
    Questions without a passage marked relevant are left out, as trec_eval leaves them out."""
    import ir_measures

    measures = {ir_measures.parse_measure(MEASURES[n]): n for n in names}
    judged = {q: d for q, d in qrels.items() if any(r > 0 for r in d.values())}
    out: dict[str, dict] = {q: {n: 0.0 for n in names} for q in judged}
    runs = {q: d for q, d in run.items() if q in judged and d}
    if runs:
        for m in ir_measures.iter_calc(list(measures), judged, runs):
            out[m.query_id][measures[m.measure]] = float(m.value)
    return out


def read_back(run_file: Path, qrels_file: Path) -> dict[str, dict]:
    """Per-question measures of a run and qrels read from disk (checks the files are readable)."""
    import ir_measures

    qrels: Qrels = {}
    for q in ir_measures.read_trec_qrels(str(qrels_file)):
        qrels.setdefault(q.query_id, {})[q.doc_id] = q.relevance
    run: Run = {}
    for r in ir_measures.read_trec_run(str(run_file)):
        run.setdefault(r.query_id, {})[r.doc_id] = r.score
    return per_question(qrels, run)
