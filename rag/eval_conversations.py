"""Scoring conversations (eval/conversations.jsonl): are follow-up questions read in context?

Each conversation is asked turn by turn, every turn with the answers before it as history (as
the chat does). In the same run, every follow-up is asked again **without** history: the
baseline that shows what the conversation adds. First turns are also asked once more with
the previous conversation as history, as if someone changed the subject without starting a
new chat: a self-contained question must not get worse for it.

Scoring reuses rag/evaluation.py (the same gold, hit@1/hit@3, abstention), per kind of turn:
`first`, `follow-up`, `follow-up-unanswerable`.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from .errors import RagError

DEFAULT_CONVERSATIONS = Path(__file__).resolve().parent.parent / "eval" / "conversations.jsonl"
KINDS = ("first", "follow-up", "follow-up-unanswerable")
# The gate's section of eval/gate.json for these numbers.
GATE_SECTION = "conversation"


def load_conversations(path: Path = DEFAULT_CONVERSATIONS, split: str = "all") -> list[list[dict]]:
    """The conversations of a file (one line a turn), each a list of turns in order."""
    if not path.exists():
        raise RagError(f"conversation set not found: {path}")
    chats: dict[str, list[dict]] = defaultdict(list)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            chats[str(row["conversation"])].append(row)
        except (ValueError, KeyError, TypeError):
            raise RagError(f"{path}:{number} is not a conversation turn "
                           "(a JSON object with conversation, turn, question)") from None
    out = []
    for cid, turns in chats.items():
        turns.sort(key=lambda r: int(r.get("turn", 0)))
        if split != "all" and turns[0].get("split", split) != split:
            continue
        for r in turns:
            r["id"] = f"{cid}.{r.get('turn')}"
            r.setdefault("keys", [])
            r["kind"] = r.get("kind") or ("first" if r is turns[0] else "follow-up")
            r.setdefault("lang", "en")
        out.append(turns)
    return out


def evaluate_conversations(assistant, chats: list[list[dict]], top_k: int = 10) -> dict[str, Any]:
    """Every conversation asked with history, its follow-ups again without, all scored."""
    from .eval_stats import intervals, paired
    from .evaluation import aggregate, judges, score_answer
    from .reading import read_source

    items = [t for chat in chats for t in chat]
    golds, articles, _ = judges(assistant, items)
    cache: dict[str, str | None] = {}

    def originals(source: str) -> str | None:
        if source not in cache:
            try:
                cache[source] = read_source(assistant.settings.corpus.path / source, source).text
            except Exception:
                cache[source] = None
        return cache[source]

    def score(item: dict, answer: dict) -> dict:
        return score_answer(item, answer, originals, articles[item["id"]], golds[item["id"]])

    rows = {"with": [], "without": [], "after_other": []}
    examples, failures = [], []
    previous: list[dict] = []
    for chat in chats:
        history: list[dict] = []
        for item in chat:
            answer = assistant.ask(item["question"], top_k=top_k, history=history).to_dict()
            row = score(item, answer)
            row["search_query"] = answer.get("search_query", item["question"])
            row["context_from"] = answer.get("context_from", [])
            rows["with"].append(row)
            if item["kind"] != "first":
                alone = assistant.ask(item["question"], top_k=top_k).to_dict()
                rows["without"].append(score(item, alone))
                examples.append({"id": item["id"], "lang": item["lang"], "kind": item["kind"],
                                 "question": item["question"],
                                 "search_query": row["search_query"],
                                 "context_from": row["context_from"],
                                 "hit@1": row.get("hit1"), "rank": row.get("rank"),
                                 "abstained": row["abstained"]})
            elif previous and item is chat[0]:  # a new subject in an old chat: standalone
                moved = assistant.ask(item["question"], top_k=top_k, history=previous).to_dict()
                moved_row = score(item, moved)
                moved_row["context_from"] = moved.get("context_from", [])
                rows["after_other"].append(moved_row)
            if _failed(row):
                first = answer["citations"][0]["quote"][:80] if answer.get("citations") else None
                failures.append({"id": item["id"], "kind": item["kind"], "lang": item["lang"],
                                 "question": item["question"], "keys": item["keys"],
                                 "search_query": row["search_query"],
                                 "abstained": row["abstained"], "rank": row.get("rank"),
                                 "first_quote": first})
            history.append({"question": item["question"], "answer": answer})
        previous = history
    report: dict[str, Any] = {"conversations": len(chats), "turns": len(items)}
    for name, group in rows.items():
        by_kind = defaultdict(list)
        for r in group:
            by_kind[r["kind"]].append(r)
        report[name] = {k: aggregate(v) for k, v in sorted(by_kind.items())}
        report[f"{name}_ci"] = {k: intervals(v) for k, v in sorted(by_kind.items())}
    by_lang = defaultdict(lambda: defaultdict(list))
    for r in rows["with"]:
        by_lang[r["lang"]][r["kind"]].append(r)
    report["with_by_lang"] = {lang: {k: aggregate(v) for k, v in sorted(kinds.items())}
                              for lang, kinds in sorted(by_lang.items())}
    asked_again = {r["id"] for r in rows["without"]}
    follow = [r for r in rows["with"] if r["id"] in asked_again]
    if follow:
        report["with_vs_without"] = {m: d.to_dict() for m, d in
                                     paired(rows["without"], follow).items()}
    report["topic_change_read_as_new"] = (
        sum(not r["context_from"] for r in rows["after_other"]) / len(rows["after_other"])
        if rows["after_other"] else None)
    if rows["after_other"]:  # the same first turns, asked alone and after another chat
        moved = {r["id"] for r in rows["after_other"]}
        alone = [r for r in rows["with"] if r["id"] in moved]
        report["after_other_vs_alone"] = {m: d.to_dict() for m, d in
                                          paired(alone, rows["after_other"]).items()}
        by_id = {r["id"]: r for r in alone}
        report["topic_change_worse"] = [
            r["id"] for r in rows["after_other"]
            if by_id[r["id"]].get("hit1") and not r.get("hit1")]
    report["examples"] = examples
    report["failures"] = failures
    report["summary"] = summary(report)
    return report


def _failed(row: dict) -> bool:
    if row["answerable"]:
        return not row.get("hit1") or row["abstained"]
    return not row["abstained"]


def summary(report: dict) -> dict[str, float | None]:
    """The headline numbers, flat (what the gate checks): `<kind> <metric>` with history,
    `<kind> <metric> (no history)` without, `first hit@1 (after another topic)`."""
    out: dict[str, float | None] = {}
    for side, suffix in (("with", ""), ("without", " (no history)"),
                         ("after_other", " (after another topic)")):
        for kind, m in report.get(side, {}).items():
            for metric in ("hit@1", "hit@3", "abstain_ok", "false_abstain"):
                if metric in m:
                    out[f"{kind} {metric}{suffix}"] = m[metric]
    return out


# -- output ------------------------------------------------------------------------------------
def _fmt(v: Any) -> str:
    return "-" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)


def _cell(report: dict, side: str, kind: str, metric: str) -> str:
    value = report.get(side, {}).get(kind, {}).get(metric)
    ci = report.get(f"{side}_ci", {}).get(kind, {}).get(metric) or {}
    if value is None:
        return "-"
    if ci.get("low") is None:
        return _fmt(value)
    return f"{value:.3f} [{ci['low']:.2f}, {ci['high']:.2f}]"


def table(report: dict) -> str:
    """The conversation numbers as a text table."""
    lines = [f"conversations: {report['conversations']}, turns: {report['turns']}",
             f"{'turns':<26}{'n':>4}{'hit@1':>8}{'hit@3':>8}{'abstain_ok':>12}{'false_abst':>12}"]
    for side, label in (("with", ""), ("without", " (no history)"),
                        ("after_other", " (after other topic)")):
        for kind, m in report.get(side, {}).items():
            lines.append(f"{kind + label:<26}{m['n']:>4}{_fmt(m.get('hit@1')):>8}"
                         f"{_fmt(m.get('hit@3')):>8}{_fmt(m.get('abstain_ok')):>12}"
                         f"{_fmt(m.get('false_abstain')):>12}")
    return "\n".join(lines)


def markdown(report: dict) -> str:
    """The report.md section on conversations."""
    out = ["", "## Conversations", "",
           f"{report['conversations']} conversations, {report['turns']} turns, each asked with "
           "the earlier answers as history; every follow-up asked again without history (the "
           "baseline), and every first turn again after another conversation (a change of "
           "subject). 95% bootstrap intervals in brackets.", "",
           "| turns | n | hit@1 | hit@3 | abstain_ok | false_abstain |", "|---|---|---|---|---|---|"]
    for side, label in (("with", ""), ("without", " — no history"),
                        ("after_other", " — after another topic")):
        for kind, m in report.get(side, {}).items():
            out.append(f"| {kind}{label} | {m['n']} | {_cell(report, side, kind, 'hit@1')} | "
                       f"{_cell(report, side, kind, 'hit@3')} | "
                       f"{_cell(report, side, kind, 'abstain_ok')} | "
                       f"{_fmt(m.get('false_abstain'))} |")
    if report.get("topic_change_read_as_new") is not None:
        out += ["", f"First turns asked after another conversation and read as a new topic: "
                    f"{report['topic_change_read_as_new']:.0%}."]
    diff = report.get("with_vs_without", {})
    if diff.get("hit@1"):
        out += ["", f"Follow-ups, history minus no history, hit@1: {_signed(diff['hit@1'])}; "
                    f"hit@3: {_signed(diff.get('hit@3') or {})}."]
    moved = report.get("after_other_vs_alone", {})
    if moved.get("hit@1"):
        out += ["", f"First turns after another conversation minus the same asked alone, hit@1: "
                    f"{_signed(moved['hit@1'])}; worse: {report.get('topic_change_worse') or 'none'}."]
    out += ["", "### How follow-ups were read", "",
            "| id | question | understood as | hit@1 |", "|---|---|---|---|"]
    for e in report.get("examples", []):
        out.append(f"| `{e['id']}` | {_md(e['question'])} | {_md(e['search_query'])} | "
                   f"{'abstained' if e['abstained'] else _fmt(e['hit@1'])} |")
    out += ["", "### Conversation failures", ""]
    for f in report.get("failures", []):
        what = "answered an unanswerable follow-up" if not f["keys"] else (
            "abstained" if f["abstained"] else f"first quote misses the key (rank {f['rank']})")
        out.append(f"- `{f['id']}` [{f['lang']}/{f['kind']}] {_md(f['question'])} — {what}; "
                   f"searched: {_md(f['search_query'])}; first quote: {_md(f['first_quote'])}")
    return "\n".join(out) + "\n"


def _signed(d: dict) -> str:
    diff = d.get("diff") or {}
    if diff.get("value") is None:
        return "-"
    text = f"{diff['value']:+.3f}"
    if diff.get("low") is not None:
        text += f" [{diff['low']:+.3f}, {diff['high']:+.3f}]"
    if d.get("p_value") is not None:
        text += f", p = {d['p_value']:.3f}"
    return text


def _md(text: Any) -> str:
    return str(text if text is not None else "-").replace("|", "\\|").replace("\n", " ")


def plot(report: dict, out: Path) -> None:
    """conversation.png: hit@1 and hit@3 of first turns and follow-ups, with and without
    history, and abstention on unanswerable follow-ups."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    bars = [("first\nhit@1", "with", "first", "hit@1"), ("first\nhit@3", "with", "first", "hit@3"),
            ("follow-up\nhit@1", "with", "follow-up", "hit@1"),
            ("follow-up\nhit@3", "with", "follow-up", "hit@3"),
            ("unanswerable\nabstain_ok", "with", "follow-up-unanswerable", "abstain_ok")]
    with_vals = [report.get(s, {}).get(k, {}).get(m) or 0.0 for _, s, k, m in bars]
    without = [report.get("without", {}).get(k, {}).get(m) if s == "with" and k != "first"
               else None for _, s, k, m in bars]
    fig, ax = plt.subplots(figsize=(7, 3.5))
    xs = list(range(len(bars)))
    ax.bar(xs, with_vals, color="#4c78a8", label="with history")
    pts = [(x, v) for x, v in zip(xs, without, strict=True) if v is not None]
    if pts:
        ax.plot([x for x, _ in pts], [v for _, v in pts], "s", color="#e45756",
                label="same follow-ups, no history")
    ax.set_xticks(xs, [b[0] for b in bars])
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("share of turns")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "conversation.png", dpi=120)
    plt.close(fig)


def add_to_report(report: dict, assistant, split: str | None,
                  path: Path = DEFAULT_CONVERSATIONS) -> None:
    """Score the conversation set of `split` into report["conversation"] (nothing when the
    file or the split has no conversations)."""
    if not path.exists():
        return
    chats = load_conversations(path, split or "test")
    if chats:
        report["conversation"] = evaluate_conversations(assistant, chats)


def write(report: dict, out: Path) -> None:
    """Append the conversation section to report.md and draw its plot, when there is one."""
    conv = report.get("conversation")
    if not conv:
        return
    md = out / "report.md"
    md.write_text(md.read_text(encoding="utf-8") + markdown(conv), encoding="utf-8")
    try:
        plot(conv, out)
    except Exception as exc:  # a convenience, as the other plots
        print(f"warning: conversation plot not drawn: {exc}", file=sys.stderr)


def check_gate(report: dict, gate_file: Path) -> list[str]:
    """The conversation numbers under their floors in gate.json's `conversation` section."""
    conv = report.get("conversation")
    gate = json.loads(gate_file.read_text(encoding="utf-8")).get(GATE_SECTION, {})
    floors = gate.get("thresholds", {})
    if not floors or conv is None:
        return []
    problems = []
    for name, floor in floors.items():
        value = conv["summary"].get(name)
        if value is None or value < floor:
            problems.append(f"conversation {name} = {value} is under its floor {floor}")
    return problems


# -- calibration --------------------------------------------------------------------------------
def follow_up_samples(assistant, chats: list[list[dict]], top_k: int = 10
                      ) -> list[tuple[float, tuple[float, float], bool]]:
    """(question-level log-odds, (share of the first passages in the article under discussion,
    dated referent), answerable) for every follow-up read in context, as `Assistant.ask` sees
    it (`Assistant.search_in_context`)."""
    from .abstention import answer_probability
    from .assistant import clean_question
    from .conversation import _logit, dated_referent, topic_share

    rows = []
    for chat in chats:
        history: list[dict] = []
        for item in chat:
            if item["kind"] != "first" and history:
                text = clean_question(item["question"])
                found, evidence, reading = assistant.search_in_context(text, history, top_k)
                if reading is not None and not evidence.unknown_names:  # else abstained anyway
                    rows.append((_logit(answer_probability(evidence)),
                                 (topic_share(found.hits, reading),
                                  dated_referent(text, found.hits, reading)),
                                 bool(item["keys"])))
            answer = assistant.ask(item["question"], top_k=top_k, history=history)
            history.append({"question": item["question"], "answer": answer.to_dict()})
    return rows


def calibrate(assistant, chats: list[list[dict]]) -> dict:
    """The follow-up abstention weight fitted on `chats` (the dev conversations)."""
    from .abstention import WEIGHTS_FILE, fit_logistic

    rows = follow_up_samples(assistant, chats)
    in_topic, dated = fit_logistic([f for _, f, _ in rows], [a for *_, a in rows],
                                   offset=[z for z, _, _ in rows], free_first=False) \
        if rows else (0.0, 0.0)
    question_model = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    return {"fitted_on": "dev split of eval/conversations.jsonl",
            "in_topic": round(in_topic, 4), "dated_referent": round(dated, 4),
            "follow_ups": len(rows),
            "answerable": sum(a for *_, a in rows),
            # the model the weights are fitted over, by which follow-ups are then judged
            "question_model": {lang: {"weights": question_model[lang]["weights"],
                                      "threshold": question_model[lang]["threshold"]}
                               for lang in ("zh", "en")}}


def main(argv: list[str] | None = None) -> int:
    """Only the conversations, quicker than `rag eval` when tuning follow-ups:
    `python -m rag.eval_conversations --split dev [--out report.json] [--config PATH]`."""
    import argparse
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = argparse.ArgumentParser(description=main.__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("dev", "test", "test2", "all"))
    parser.add_argument("--conversations", type=Path, default=DEFAULT_CONVERSATIONS)
    parser.add_argument("--out", type=Path, default=None, help="write the report here as JSON")
    parser.add_argument("--config", default=None)
    parser.add_argument("--calibrate", action="store_true",
                        help="fit the follow-up abstention weight on the dev conversations and "
                             "write it beside rag/conversation.py")
    args = parser.parse_args(argv)
    from .assistant import Assistant

    if args.calibrate and args.split != "dev":
        raise RagError("the follow-up abstention is fitted on the dev split only")
    chats = load_conversations(args.conversations, args.split)
    if not chats:
        raise RagError(f"no conversations in split '{args.split}' of {args.conversations}")
    if args.calibrate:
        from .conversation import FOLLOW_UP_WEIGHTS, load_follow_up_weights

        fitted = calibrate(Assistant.from_config(args.config), chats)
        # the relief for Chinese follow-ups is set by hand (its note says on what): kept
        fitted.update({k: v for k, v in load_follow_up_weights().items()
                       if k.startswith("chinese_relief")})
        FOLLOW_UP_WEIGHTS.write_text(json.dumps(fitted, indent=2) + "\n", encoding="utf-8")
        print(f"in_topic weight {fitted['in_topic']}, dated_referent {fitted['dated_referent']} "
              f"from {fitted['follow_ups']} follow-ups "
              f"({fitted['answerable']} answerable); wrote {FOLLOW_UP_WEIGHTS}")
        return 0
    report = evaluate_conversations(Assistant.from_config(args.config), chats)
    print(table(report))
    for lang, kinds in report["with_by_lang"].items():
        for kind, m in kinds.items():
            print(f"{lang} {kind:<24}{m['n']:>4}{_fmt(m.get('hit@1')):>8}{_fmt(m.get('hit@3')):>8}"
                  f"{_fmt(m.get('abstain_ok')):>12}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
