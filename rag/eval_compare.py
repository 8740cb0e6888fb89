"""`rag eval --compare A B [...]`: the same questions through each configuration (or from
earlier report.json runs), each metric with its interval, and B - A for each later one
against the first, with a paired interval, a paired randomisation test and the questions each
one gets right that the other gets wrong."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np

from .errors import RagError
from .eval_stats import Difference, correct, intervals, paired, questions_needed

SHOWN = ["recall@1", "recall@3", "recall@5", "recall@10", "mrr", "ndcg@10", "hit@1", "hit@3",
         "citation_precision", "location_accuracy", "verifiable", "abstain_ok", "false_abstain"]
LOWER_IS_BETTER = {"false_abstain"}
ALPHA = 0.05
DELTA = 0.05  # the difference in hit@1 whose sample size the report works out


def _label(spec: str, taken: set[str]) -> str:
    path = Path(spec)
    base = path.parent.name if path.name == "report.json" else path.stem
    label = re.sub(r"[^\w.-]+", "_", base) or "run"
    n, out = 2, label
    while out in taken:
        out, n = f"{label}-{n}", n + 1
    taken.add(out)
    return out


def _from_report(spec: str) -> dict:
    try:
        data = json.loads(Path(spec).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RagError(f"cannot read the report {spec}: {exc}") from None
    rows = data.get("ours_rows") if isinstance(data, dict) else None
    if not rows:
        raise RagError(f"{spec} has no per-question rows (`ours_rows`): it was written before "
                       "they were kept; run `rag eval` again to make one that has them")
    return data


def run_compare(specs: list[str], dataset: Path | str | None = None, split: str | None = None,
                out: Path = Path("eval/out/compare"), trec_out: Path | None = None,
                ids=None) -> int:
    """Evaluate each config (or read each report.json) on the same questions and compare."""
    from .evaluation import load_items, score_systems
    from .settings import load_settings

    if len(specs) < 2:
        raise RagError("--compare needs at least two configs or report.json files")
    taken: set[str] = set()
    systems: list[dict[str, Any]] = []
    items = None
    embedder = embedding = None
    for spec in specs:
        label = _label(spec, taken)
        if spec.endswith(".json"):
            data = _from_report(spec)
            systems.append({"label": label, "spec": spec, "rows": data["ours_rows"],
                            "run": data.get("ours_run"), "qrels": data.get("qrels", {})})
            continue
        from .assistant import Assistant

        settings = load_settings(spec)
        items = items if items is not None else load_items(settings, dataset, split, ids)
        # The model loads once when the configs share it (they usually differ elsewhere).
        shared = embedder if embedding == settings.embedding else None
        try:
            assistant = Assistant(settings, embedder=shared)
        except RagError as exc:
            raise RagError(f"{spec}: {exc} (with --config {spec})") from None
        embedder, embedding = assistant.embedder, settings.embedding
        print(f"asking {len(items)} questions through {spec} ...", file=sys.stderr, flush=True)
        report = score_systems(assistant, items, {
            "ours": lambda q, a=assistant: a.ask(q, top_k=10, generate=False).to_dict()})
        systems.append({"label": label, "spec": spec, "rows": report["ours_rows"],
                        "run": report.get("ours_run"), "qrels": report["qrels"],
                        "p50_ms": report["ours"]["p50_ms"]})
    common = set.intersection(*({r["id"] for r in s["rows"]} for s in systems))
    if not common:
        raise RagError("the runs share no question ids: compare runs of the same dataset")
    dropped = max(len(s["rows"]) for s in systems) - len(common)
    if dropped:
        print(f"note: {dropped} question(s) are not in every run and are left out",
              file=sys.stderr)
    for s in systems:
        s["rows"] = sorted((r for r in s["rows"] if r["id"] in common), key=lambda r: r["id"])
    result = compare(systems)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(result, ensure_ascii=False, indent=2),
                                     encoding="utf-8")
    (out / "report.md").write_text(markdown(result), encoding="utf-8")
    print(summary(result))
    print(f"\nwrote {out / 'report.json'} and {out / 'report.md'}")
    if trec_out is not None:
        print("wrote " + ", ".join(str(f) for f in write_trec(systems, trec_out)))
    return 0


def compare(systems: list[dict]) -> dict:
    """Metrics with intervals for each system; each later one against the first."""
    first = systems[0]
    out: dict[str, Any] = {
        "questions": len(first["rows"]),
        "systems": [{"label": s["label"], "spec": s["spec"], "ci": intervals(s["rows"]),
                     **({"p50_ms": s["p50_ms"]} if "p50_ms" in s else {})} for s in systems],
        "comparisons": [],
        "rows": {s["label"]: s["rows"] for s in systems},
    }
    for other in systems[1:]:
        diffs: dict[str, Difference] = paired(first["rows"], other["rows"])
        by_id = {r["id"]: r for r in other["rows"]}
        wins_b, wins_a = [], []
        for ra in first["rows"]:
            rb = by_id[ra["id"]]
            if correct(rb) and not correct(ra):
                wins_b.append(_brief(ra, rb))
            elif correct(ra) and not correct(rb):
                wins_a.append(_brief(ra, rb))
        hit = np.array([float(bool(by_id[r["id"]].get("hit1"))) - float(bool(r.get("hit1")))
                        for r in first["rows"] if r["answerable"]])
        out["comparisons"].append({
            "a": first["label"], "b": other["label"],
            "metrics": {m: d.to_dict() for m, d in diffs.items()},
            "verdicts": {m: verdict(d, m) for m, d in diffs.items()},
            "right_only_in_b": wins_b, "right_only_in_a": wins_a,
            "hit1_disagreement": round(float(np.mean(hit != 0)), 4) if len(hit) else None,
            "questions_for_0.05_hit@1": questions_needed(hit, DELTA),
            "questions_for_0.05_hit@1_power80": questions_needed(hit, DELTA, power=0.8),
        })
    return out


def _brief(ra: dict, rb: dict) -> dict:
    return {"id": ra["id"], "question": ra.get("question"), "answerable": ra["answerable"],
            "rank_a": ra.get("rank"), "rank_b": rb.get("rank"), "a": _outcome(ra),
            "b": _outcome(rb)}


def _outcome(row: dict) -> str:
    """What happened to one question, in words."""
    if not row["answerable"]:
        return "abstained" if row["abstained"] else "answered (wrongly: nothing answers it)"
    if row["abstained"]:
        what = "abstained"
    else:
        what = "first quote holds the answer" if row.get("hit1") else "first quote misses"
    rank = row.get("rank")
    return what + (f", answer passage at rank {rank}" if rank else ", answer passage not retrieved")


def verdict(d: Difference, metric: str) -> str:
    """In words: which is better, or that the difference is within noise."""
    if d.diff.value is None or d.p_value is None:
        return "n/a"
    if d.p_value >= ALPHA or d.diff.low is None or d.diff.low <= 0 <= d.diff.high:
        return "no significant difference"
    b_higher = d.diff.value > 0
    return "B better" if b_higher != (metric in LOWER_IS_BETTER) else "A better"


def _cell(ci: dict | None) -> str:
    if not ci or ci.get("value") is None:
        return "-"
    if ci.get("low") is None:
        return f"{ci['value']:.3f}"
    return f"{ci['value']:.3f} [{ci['low']:.3f}, {ci['high']:.3f}]"


def _signed(ci: dict) -> str:
    if ci.get("value") is None:
        return "-"
    return f"{ci['value']:+.3f} [{ci['low']:+.3f}, {ci['high']:+.3f}]"


def summary(result: dict) -> str:
    """The console table: each system's value, then each comparison's difference and p."""
    lines = []
    for c in result["comparisons"]:
        lines.append(f"A = {c['a']}, B = {c['b']}, {result['questions']} questions "
                     "(95% intervals; p: paired randomisation test)")
        lines.append(f"{'metric':<19}{'A':>24}{'B':>24}{'B - A':>27}{'p':>8}  verdict")
        for m in SHOWN:
            d = c["metrics"].get(m)
            if d is None or d["a"]["value"] is None:
                continue
            p = "-" if d["p_value"] is None else f"{d['p_value']:.3f}"
            lines.append(f"{m:<19}{_cell(d['a']):>24}{_cell(d['b']):>24}{_signed(d['diff']):>27}"
                         f"{p:>8}  {c['verdicts'][m]}")
        lines.append(f"right only in A: {len(c['right_only_in_a'])} questions; right only in B: "
                     f"{len(c['right_only_in_b'])}")
        if c["questions_for_0.05_hit@1"]:
            lines.append(f"A and B disagree on hit@1 for {c['hit1_disagreement']:.0%} of answerable "
                         f"questions; a {DELTA} difference in hit@1 needs about "
                         f"{c['questions_for_0.05_hit@1']} answerable questions to tell from noise")
        lines.append("")
    return "\n".join(lines).rstrip()


def markdown(result: dict) -> str:
    out = ["# Comparison", "",
           f"{result['questions']} questions, the same for every run. Values with 95% bootstrap "
           "intervals over questions; B - A with a paired bootstrap interval (the same resampled "
           "questions for both) and the two-sided p-value of a paired randomisation test "
           f"(2000 random swaps). A difference counts when p < {ALPHA} and its interval "
           "excludes 0.", ""]
    for s in result["systems"]:
        out.append(f"- **{s['label']}**: `{s['spec']}`")
    for c in result["comparisons"]:
        out += ["", f"## {c['b']} (B) against {c['a']} (A)", "",
                "| metric | A | B | B - A | p | verdict |", "|---|---|---|---|---|---|"]
        for m in SHOWN:
            d = c["metrics"].get(m)
            if d is None or d["a"]["value"] is None:
                continue
            p = "-" if d["p_value"] is None else f"{d['p_value']:.3f}"
            out.append(f"| {m} | {_cell(d['a'])} | {_cell(d['b'])} | {_signed(d['diff'])} | {p} "
                       f"| {c['verdicts'][m]} |")
        need, need80 = c["questions_for_0.05_hit@1"], c["questions_for_0.05_hit@1_power80"]
        if need:
            rate = c["hit1_disagreement"]
            at = f"At that rate a true difference of {DELTA} in hit@1 needs" if rate >= DELTA \
                else (f"A difference of {DELTA} in hit@1 needs them to disagree on at least "
                      f"{DELTA:.0%}; even then it needs")
            out += ["", f"The two disagree on hit@1 for {rate:.0%} of the answerable questions. "
                    f"{at} about {need} answerable questions before its 95% interval excludes 0 "
                    f"(about {need80} to find it 4 times out of 5)."]
        for title, key in (("Right in B, wrong in A", "right_only_in_b"),
                           ("Right in A, wrong in B", "right_only_in_a")):
            out += ["", f"### {title} ({len(c[key])})", ""]
            for q in c[key]:
                out.append(f"- `{q['id']}` {q.get('question') or ''}  \n  A: {q['a']}; "
                           f"B: {q['b']}")
            if not c[key]:
                out.append("(none)")
    return "\n".join(out) + "\n"


def write_trec(systems: list[dict], folder: Path) -> list[Path]:
    """A run file per configuration, with the qrels (one file, or one per system when their
    chunkings differ and so name their passages differently)."""
    from .eval_trec import write_qrels, write_run

    written = []
    located = [s for s in systems if s.get("run")]
    if not located:
        raise RagError("--trec-out: none of these runs names its passages by location")
    same = all(s["qrels"] == located[0]["qrels"] for s in located)
    for s in located:
        written.append(folder / f"{s['label']}.run")
        write_run(written[-1], s["run"], tag=s["label"])
        if not same:
            written.append(folder / f"{s['label']}.qrels.txt")
            write_qrels(written[-1], s["qrels"])
    if same:
        written.append(folder / "qrels.txt")
        write_qrels(written[-1], located[0]["qrels"])
    return written
