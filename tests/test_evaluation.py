"""The evaluation: the dataset checker, metrics on hand-made answers with known scores, and the
quality gate on the test split with the real model."""

from __future__ import annotations

import json

import pytest
from conftest import CORPUS, ROOT

from eval.check_dataset import check
from rag.evaluation import aggregate, check_gate, load_dataset, score_answer

DATASET = ROOT / "eval" / "dataset.jsonl"
TEXT = "第一行。\n疫情防控要抓重点。\n第三行说的是别的事。\n"


def test_every_key_occurs_in_the_corpus_and_sources_are_right():
    assert check(DATASET, CORPUS) == []


def test_dataset_shape():
    rows = load_dataset(DATASET)
    assert len(rows) >= 150
    share = lambda f: sum(map(f, rows)) / len(rows)  # noqa: E731
    assert share(lambda r: r["lang"] == "en") >= 0.15
    assert share(lambda r: not r["keys"]) >= 0.15
    assert {r["split"] for r in rows} == {"dev", "test", "test2"}
    assert len({r["sources"][0] for r in rows if r["sources"]}) == 5


def cite(quote, start, end, line_start, line_end, source="a.txt", title="T"):
    return {"n": 1, "source": source, "title": title, "quote": quote, "char_start": start,
            "char_end": end, "line_start": line_start, "line_end": line_end}


def originals(source):
    return TEXT if source == "a.txt" else None


def test_scores_of_hand_made_answers():
    item = {"id": "x", "lang": "zh", "kind": "fact", "keys": ["抓重点"]}
    start = TEXT.index("疫情")
    good = cite("疫情防控要抓重点。", start, start + 9, 2, 2)
    fabricated = cite("疫情防控要抓住一切。", start, start + 10, 2, 2)  # not in the file
    wrong = cite("第三行说的是别的事。", TEXT.index("第三"), len(TEXT) - 1, 3, 3, title="U")
    answer = {"abstained": False, "citations": [wrong, good, fabricated],
              "passages": [{"text": "第三行说的是别的事。"}, {"text": "疫情防控要抓重点。"}]}
    row = score_answer(item, answer, originals, gold_articles={("a.txt", "T")})
    assert row["rank"] == 2 and not row["hit1"] and row["hit3"]
    assert row["verified"] == 2 and row["located_quotes"] == 3  # the fabricated one fails
    m = aggregate([row])
    assert m["recall@1"] == 0.0 and m["recall@3"] == 1.0 and m["mrr"] == 0.5
    assert m["verifiable"] == pytest.approx(2 / 3)
    assert m["citation_precision"] == pytest.approx(2 / 3)  # good + fabricated (gold article)
    assert m["false_abstain"] == 0.0


def test_the_answers_first_sentence_is_scored_for_holding_the_answer():
    item = {"id": "x", "lang": "zh", "kind": "fact", "keys": ["抓重点"]}
    start = TEXT.index("疫情")
    good = cite("疫情防控要抓重点。", start, start + 9, 2, 2)
    passages = [{"text": "疫情防控要抓重点。"}]

    def row(answer_text, abstained=False):
        return score_answer(item, {"abstained": abstained, "answer": answer_text,
                                   "citations": [] if abstained else [good],
                                   "passages": passages}, originals, set())

    says, buried = row("疫情防控要抓重点。[1]"), row("第三行说的是别的事。[1]疫情防控要抓重点。[2]")
    assert says["says"] and not buried["says"] and not row("", abstained=True)["says"]
    assert aggregate([says, buried])["answer_says"] == 0.5
    # a system that lists passages without marking its sentences is not scored on it
    listed = row("疫情防控要抓重点。")
    assert "says" not in listed and "answer_says" not in aggregate([listed])


def test_abstention_scores():
    una = {"id": "u", "lang": "en", "kind": "unanswerable", "keys": []}
    ans = {"id": "a", "lang": "zh", "kind": "fact", "keys": ["抓重点"]}
    silent = {"abstained": True, "citations": [], "passages": []}
    rows = [score_answer(una, silent, originals, set()),
            score_answer(ans, silent, originals, set())]
    m = aggregate(rows)
    assert m["abstain_ok"] == 1.0 and m["false_abstain"] == 1.0 and m["hit@1"] == 0.0


def test_gate_reports_each_metric_under_its_floor(tmp_path):
    gate = tmp_path / "gate.json"
    gate.write_text(json.dumps({"thresholds": {"hit@1": 0.5, "false_abstain": 0.1}}))
    assert check_gate({"hit@1": 0.6, "false_abstain": 0.05}, gate) == []
    problems = check_gate({"hit@1": 0.4, "false_abstain": 0.2}, gate)
    assert len(problems) == 2 and "hit@1" in problems[0]


@pytest.mark.integration
def test_quality_gate_on_the_test_split(real_assistant, tmp_path):
    from rag.evaluation import GATE_FILE, run_eval

    split = json.loads(GATE_FILE.read_text(encoding="utf-8"))["split"]
    code = run_eval(real_assistant.settings, dataset=DATASET, out=tmp_path, split=split,
                    baseline=False, gate=True, assistant=real_assistant)
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert code == 0, check_gate(report["ours"])
    assert (tmp_path / "report.md").exists() and (tmp_path / "recall_at_k.png").exists()


@pytest.mark.integration
def test_eval_with_baseline_end_to_end_on_a_small_subset(real_assistant, tmp_path):
    from rag.evaluation import run_eval

    dev = load_dataset(DATASET, "dev")
    ids = [r["id"] for r in dev if r["keys"]][:8] + [r["id"] for r in dev if not r["keys"]][:4]
    run_eval(real_assistant.settings, dataset=DATASET, out=tmp_path, split="dev", ids=ids,
             assistant=real_assistant)
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert set(report) >= {"ours", "baseline"}
    for name in ("recall@1", "hit@1", "hit@3", "citation_precision", "verifiable",
                 "location_accuracy", "abstain_ok", "false_abstain", "mrr"):
        assert name in report["ours"]
    assert report["ours"]["verifiable"] == 1.0
