"""Gold from use and runs other tools read, on a fake embedder: judgements recorded, checked
and scored by location (also after re-chunking), exported as a dataset, drafted question files,
TREC files read back by ir-measures, and a comparison of two earlier reports."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import CORPUS, ROOT, fake_indexed_assistant, write_config

from rag.assistant import Assistant
from rag.eval_trec import read_back
from rag.evaluation import load_dataset, run_eval
from rag.feedback import FIELDS, FeedbackError, dataset_items, export, feedback_path, load, record
from rag.ingest import ingest
from rag.settings import load_settings

DATASET = ROOT / "eval" / "dataset.jsonl"
SOURCE = "000_8ced48c5a6f24f61.txt"
QUESTION = "习近平给武汉东湖新城社区全体社区工作者的回信"


def build(settings):
    return fake_indexed_assistant(settings)


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One index of two corpus files for the module (building one takes a few seconds)."""
    folder = tmp_path_factory.mktemp("fb")
    corpus = folder / "corpus"
    corpus.mkdir()
    for name in (SOURCE, "002_09a23be81b2d5379.txt"):
        shutil.copy(CORPUS / name, corpus / name)
    settings = load_settings(write_config(folder, corpus))
    return settings, build(settings)


@pytest.fixture
def fake_settings(shared):
    settings, _ = shared
    feedback_path(settings).unlink(missing_ok=True)
    settings.retrieval.lexical_weight = 1.0
    return settings


@pytest.fixture
def fake_assistant(shared, fake_settings):
    return shared[1]


def report_of(folder):
    return json.loads((folder / "report.json").read_text(encoding="utf-8"))


def test_record_keeps_only_the_judgement(fake_assistant, fake_settings):
    c = fake_assistant.ask(QUESTION).to_dict()["citations"][0]
    row = record(fake_settings, {"question": f"  {QUESTION} ", "source": c["source"],
                                 "char_start": c["char_start"], "char_end": c["char_end"],
                                 "verdict": "answers"})
    assert set(row) == set(FIELDS)
    assert row["question"] == QUESTION
    assert (row["line_start"], row["line_end"]) == (c["line_start"], c["line_end"])
    stored = [json.loads(line) for line in feedback_path(fake_settings).read_text().splitlines()]
    assert stored == [row]
    assert feedback_path(fake_settings).parent == fake_settings.state_dir  # beside the index


@pytest.mark.parametrize("payload, says", [
    ({"question": "q", "source": SOURCE, "char_start": 0, "char_end": 5, "verdict": "maybe"},
     "verdict"),
    ({"question": "", "source": SOURCE, "char_start": 0, "char_end": 5, "verdict": "answers"},
     "question"),
    ({"question": "q", "source": "../config.yaml", "char_start": 0, "char_end": 5,
      "verdict": "answers"}, "no indexed document"),
    ({"question": "q", "source": SOURCE, "char_start": 5, "char_end": 5, "verdict": "answers"},
     "not inside"),
    ({"question": "q", "source": SOURCE, "char_start": 0, "char_end": 10**9,
      "verdict": "answers"}, "not inside"),
    ({"question": "q", "source": SOURCE, "char_start": "0", "char_end": 5, "verdict": "answers"},
     "whole number"),
    ({"question": "q", "source": SOURCE, "verdict": "answers"}, "char_start"),
    ({"question": "q", "source": SOURCE, "char_start": 0, "char_end": 5, "verdict": "answers",
      "user": "me"}, "unknown feedback field 'user'"),
    (["not", "an", "object"], "JSON object"),
])
def test_bad_judgements_are_refused_with_a_reason(fake_assistant, fake_settings, payload, says):
    with pytest.raises(FeedbackError, match=says):
        record(fake_settings, payload)
    assert not feedback_path(fake_settings).exists()


def test_line_ranges_are_accepted_and_turned_into_characters(fake_assistant, fake_settings):
    row = record(fake_settings, {"question": "q", "source": SOURCE, "line_start": 3,
                                 "line_end": 4, "verdict": "does_not"})
    text = fake_assistant.source_text(SOURCE)
    assert text[row["char_start"]:row["char_end"]] == "\n".join(text.split("\n")[2:4])


def test_judgements_score_by_location_and_survive_rechunking(tmp_path, small_corpus):
    fake_settings = load_settings(write_config(tmp_path, small_corpus))
    fake_assistant = build(fake_settings)
    answer = fake_assistant.ask(QUESTION).to_dict()
    first = answer["citations"][0]
    # A few words inside the first citation answer it; a passage of another article does not.
    record(fake_settings, {"question": QUESTION, "source": first["source"],
                           "char_start": first["char_start"] + 2,
                           "char_end": first["char_start"] + 8, "verdict": "answers"})
    far = answer["passages"][-1]
    record(fake_settings, {"question": "2020年的新年贺词", "source": far["source"],
                           "char_start": far["char_start"], "char_end": far["char_end"],
                           "verdict": "does_not"})
    other = "4月17日中共中央政治局会议提出的六保"
    text = fake_assistant.source_text(SOURCE)
    spot = text.index("保居民就业")
    record(fake_settings, {"question": other, "source": SOURCE, "char_start": spot,
                           "char_end": spot + 5, "verdict": "answers"})
    assert run_eval(fake_settings, dataset="feedback", out=tmp_path / "a", baseline=False,
                    assistant=fake_assistant) == 0
    report = report_of(tmp_path / "a")
    rows = {r["question"]: r for r in report["ours_rows"]}
    assert set(rows) == {QUESTION, other}  # the "doesn't"-only question cannot be scored
    assert rows[QUESTION]["hit1"] and rows[QUESTION]["rank"] == 1
    expected = fake_assistant.ask(other, top_k=10).to_dict()
    in_span = [p["char_start"] < spot + 5 and spot < p["char_end"] and p["source"] == SOURCE
               for p in expected["passages"]]
    assert rows[other]["rank"] == (in_span.index(True) + 1 if any(in_span) else None)

    # Chunked again, twice as coarse: the same judgements still find the same places.
    fake_settings.chunking.max_chars = 400
    ingest(fake_settings, rebuild=True, progress=False,
           embedder_factory=lambda: fake_assistant.embedder)
    coarse = Assistant(fake_settings, embedder=fake_assistant.embedder)
    run_eval(fake_settings, dataset="feedback", out=tmp_path / "b", baseline=False,
             assistant=coarse)
    rows = {r["question"]: r for r in report_of(tmp_path / "b")["ours_rows"]}
    assert rows[QUESTION]["hit1"]


def test_export_writes_a_dataset_that_scores_the_same(fake_assistant, fake_settings, tmp_path):
    c = fake_assistant.ask(QUESTION).to_dict()["citations"][0]
    for verdict, shift in (("does_not", 0), ("answers", 0)):  # the later judgement wins
        record(fake_settings, {"question": QUESTION, "source": c["source"],
                               "char_start": c["char_start"] + shift,
                               "char_end": c["char_end"], "verdict": verdict})
    out = tmp_path / "fb.jsonl"
    assert export(fake_settings, out) == (1, 0)
    [item] = load_dataset(out)
    assert set(item) >= {"id", "question", "lang", "kind", "keys", "sources", "split", "spans"}
    text = fake_assistant.source_text(c["source"])
    assert item["keys"] == [text[c["char_start"]:c["char_end"]].strip()]
    assert item["lang"] == "zh" and item["sources"] == [c["source"]]
    run_eval(fake_settings, dataset=out, split="all", out=tmp_path / "f", baseline=False,
             assistant=fake_assistant)
    run_eval(fake_settings, dataset="feedback", out=tmp_path / "g", baseline=False,
             assistant=fake_assistant)
    from_file, from_feedback = report_of(tmp_path / "f")["ours"], report_of(tmp_path / "g")["ours"]
    from_file.pop("p50_ms"), from_feedback.pop("p50_ms")
    assert from_file == from_feedback and from_file["hit@1"] == 1.0


def test_feedback_from_the_ui_and_the_api_is_scored(fake_assistant, fake_settings, tmp_path):
    """What a card's buttons and the viewer's "mark the selected words" post, through the HTTP
    API route, recorded beside the index, then scored."""
    import html
    import re

    from fastapi.testclient import TestClient

    from ui import app as ui
    from ui.api import build_api

    answer = ui.ask_dict(fake_assistant, QUESTION)
    card = ui.citation_samples(answer)[0][0]
    m = re.search(r'class="rag-fb" data-q="([^"]*)" data-source="([^"]*)" '
                  r'data-start="(\d+)" data-end="(\d+)"', card)
    c = answer["citations"][0]
    assert html.unescape(m[1]) == QUESTION and html.unescape(m[2]) == c["source"]
    assert (int(m[3]), int(m[4])) == (c["char_start"], c["char_end"])
    assert 'data-verdict="answers"' in card and 'data-verdict="does_not"' in card
    client = TestClient(build_api(fake_assistant))
    sent = {"question": html.unescape(m[1]), "source": html.unescape(m[2]),
            "char_start": int(m[3]), "char_end": int(m[4]), "verdict": "answers"}
    r = client.post("/api/feedback", json=sent)
    assert r.status_code == 200 and r.json()["line_start"] == c["line_start"]
    r = client.post("/api/feedback", json={**sent, "verdict": "yes"})
    assert r.status_code == 400 and "verdict" in r.json()["error"]
    r = client.post("/api/feedback", json={**sent, "source": "nowhere.txt"})
    assert r.status_code == 400 and "no indexed document" in r.json()["error"]

    # The viewer: each line carries its offset in the file, so selected words map to characters.
    view = ui.view_citation(fake_assistant, answer, 0)
    assert 'data-select="1"' in view and f'data-q="{html.escape(QUESTION)}"' in view
    text = fake_assistant.source_text(c["source"])
    offsets = [int(o) for o in re.findall(r'class="rag-lt" data-o="(\d+)"', view)]
    assert offsets[c["line_start"] - 1] == text.index(text.split("\n")[c["line_start"] - 1])
    line = text.split("\n")[c["line_start"] - 1]
    picked = line.index(c["quote"][2:8])  # six characters a person selected inside the quote
    other = "东湖新城社区工作者收到了谁的回信？"
    r = client.post("/api/feedback", json={
        "question": other, "source": c["source"], "verdict": "answers",
        "char_start": offsets[c["line_start"] - 1] + picked,
        "char_end": offsets[c["line_start"] - 1] + picked + 6})
    assert r.status_code == 200
    assert text[r.json()["char_start"]:r.json()["char_end"]] == c["quote"][2:8]

    run_eval(fake_settings, dataset="feedback", out=tmp_path, baseline=False,
             assistant=fake_assistant)
    rows = {r["question"]: r for r in report_of(tmp_path)["ours_rows"]}
    assert set(rows) == {QUESTION, other} and rows[QUESTION]["hit1"]


def test_no_feedback_yet_says_how_to_give_some(fake_assistant, fake_settings):
    with pytest.raises(FeedbackError, match="answers it"):
        load(fake_settings)
    assert dataset_items([]) == ([], 0)


def test_cli_draft_and_export_and_their_errors(fake_assistant, fake_settings, tmp_path, capsys):
    from rag.cli import main

    cfg = str(fake_settings.base_dir / "config.yaml")
    assert main(["--config", cfg, "eval", "draft", "--n", "5", "--out",
                 str(tmp_path / "d.jsonl")]) == 0
    assert len((tmp_path / "d.jsonl").read_text().splitlines()) == 5
    assert main(["--config", cfg, "eval", "export", "--out", str(tmp_path / "e.jsonl")]) == 1
    err = capsys.readouterr().err
    assert "no feedback recorded yet" in err and len(err.strip().splitlines()) == 1
    record(fake_settings, {"question": QUESTION, "source": SOURCE, "char_start": 0,
                           "char_end": 20, "verdict": "answers"})
    assert main(["--config", cfg, "eval", "export", "--out", str(tmp_path / "e.jsonl")]) == 0
    assert "wrote 1 questions" in capsys.readouterr().out
    assert main(["--config", cfg, "eval", "--compare", cfg]) == 1
    assert "at least two" in capsys.readouterr().err


def small_dataset_ids():
    rows = load_dataset(DATASET, "dev")
    mine = [r for r in rows if not r["sources"] or r["sources"][0] in
            ("000_8ced48c5a6f24f61.txt", "002_09a23be81b2d5379.txt")]
    return [r["id"] for r in mine if r["keys"]][:10] + [r["id"] for r in mine if not r["keys"]][:3]


def test_every_report_has_intervals_and_trec_files_read_back_the_same(fake_assistant,
                                                                      fake_settings, tmp_path):
    ids = small_dataset_ids()
    run_eval(fake_settings, dataset=DATASET, split="dev", ids=ids, out=tmp_path / "r",
             baseline=False, assistant=fake_assistant, trec_out=tmp_path / "trec")
    report = report_of(tmp_path / "r")
    ours, ci = report["ours"], report["ours_ci"]
    for metric in ("hit@1", "recall@5", "mrr", "ndcg@10", "abstain_ok"):
        assert ci[metric]["low"] <= ours[metric] <= ci[metric]["high"], metric
    assert len(report["ours_rows"]) == len(ids)
    md = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert f"{ours['hit@1']:.3f} [{ci['hit@1']['low']:.3f}, {ci['hit@1']['high']:.3f}]" in md

    run_line = (tmp_path / "trec" / "ours.run").read_text().splitlines()[0].split()
    assert len(run_line) == 6 and run_line[1] == "Q0" and run_line[3] == "1"
    assert run_line[2].startswith(("000_8ced48c5a6f24f61.txt:", "002_09a23be81b2d5379.txt:"))
    measured = read_back(tmp_path / "trec" / "ours.run", tmp_path / "trec" / "qrels.txt")
    rows = {r["id"]: r for r in report["ours_rows"]}
    assert measured
    for qid, m in measured.items():
        rank = rows[qid]["rank"]
        for k in (1, 3, 5, 10):
            assert m[f"recall@{k}"] == float(rank is not None and rank <= k), (qid, k)
        assert m["mrr"] == pytest.approx(1 / rank if rank else 0.0)
        assert m["ndcg@10"] == pytest.approx(rows[qid]["ndcg@10"], abs=1e-4)
    answerable = [r for r in report["ours_rows"] if r["answerable"]]
    assert set(measured) <= {r["id"] for r in answerable}


def test_compare_two_earlier_reports(fake_assistant, fake_settings, tmp_path):
    from rag.eval_compare import run_compare

    ids = small_dataset_ids()
    run_eval(fake_settings, dataset=DATASET, split="dev", ids=ids, out=tmp_path / "lex",
             baseline=False, assistant=fake_assistant)
    fake_settings.retrieval.lexical_weight = 0.0
    dense_only = Assistant(fake_settings, embedder=fake_assistant.embedder)
    run_eval(fake_settings, dataset=DATASET, split="dev", ids=ids, out=tmp_path / "dense",
             baseline=False, assistant=dense_only)
    assert run_compare([str(tmp_path / "lex" / "report.json"),
                        str(tmp_path / "dense" / "report.json")], out=tmp_path / "cmp",
                       trec_out=tmp_path / "trec") == 0
    result = report_of(tmp_path / "cmp")
    [c] = result["comparisons"]
    assert (c["a"], c["b"]) == ("lex", "dense")
    a = {r["id"]: r for r in result["rows"]["lex"]}
    b = {r["id"]: r for r in result["rows"]["dense"]}
    hit = c["metrics"]["hit@1"]
    assert hit["a"]["value"] == report_of(tmp_path / "lex")["ours"]["hit@1"]
    assert hit["diff"]["value"] == pytest.approx(hit["b"]["value"] - hit["a"]["value"], abs=1e-4)
    assert 0 < hit["p_value"] <= 1
    gained = {q["id"] for q in c["right_only_in_b"]}
    assert all(b[q]["hit1"] and not a[q]["hit1"] for q in gained if a[q]["answerable"])
    md = (tmp_path / "cmp" / "report.md").read_text(encoding="utf-8")
    assert "## dense (B) against lex (A)" in md and "Right in A, wrong in B" in md
    assert (tmp_path / "trec" / "lex.run").exists() and (tmp_path / "trec" / "dense.run").exists()


def test_old_reports_without_rows_are_refused(tmp_path):
    from rag.errors import RagError
    from rag.eval_compare import run_compare

    old = tmp_path / "old.json"
    old.write_text(json.dumps({"ours": {"hit@1": 0.7}}))
    with pytest.raises(RagError, match="no per-question rows"):
        run_compare([str(old), str(old)], out=tmp_path / "cmp")


def test_draft_spreads_over_files_and_articles(fake_assistant, fake_settings, tmp_path):
    from rag.eval_draft import draft

    out = tmp_path / "draft.jsonl"
    assert draft(fake_settings, n=12, out=out) == 12
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["sources"][0] for r in rows} == {"000_8ced48c5a6f24f61.txt",
                                               "002_09a23be81b2d5379.txt"}
    assert len({(r["sources"][0], r["title"]) for r in rows}) >= 8  # many articles, not one
    text = fake_assistant.source_text(rows[0]["location"]["source"])
    loc = rows[0]["location"]
    assert rows[0]["question"] == "" and rows[0]["keys"] == []
    assert rows[0]["passage"][:5] in text[loc["char_start"]:loc["char_end"]]
    with pytest.raises(Exception, match="exists"):
        draft(fake_settings, n=3, out=out)

    # Blank questions are not asked; a filled one is, its keys the words that answer it.
    rows[0]["question"] = "这段话说了什么？"
    rows[0]["keys"] = [rows[0]["passage"][:12]]
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    run_eval(fake_settings, dataset=out, split="all", out=tmp_path / "d", baseline=False,
             assistant=fake_assistant)
    assert report_of(tmp_path / "d")["questions"] == 1


@pytest.mark.integration
def test_compare_two_lexical_weights_end_to_end(real_assistant, real_settings, tmp_path):
    """Two configs differing only in retrieval.lexical_weight, through the real model, on ten
    dev questions: the same questions, every metric with an interval, a verdict."""
    from rag.eval_compare import run_compare

    configs = []
    for name, weight in (("hybrid", 1.0), ("dense", 0.0)):
        path = tmp_path / f"{name}.yaml"
        path.write_text(
            f"corpus:\n  path: {real_settings.corpus.path}\n"
            f"store:\n  path: {real_settings.store.path}\n"
            f"embedding:\n  model: {real_settings.embedding.model}\n"
            f"retrieval:\n  lexical_weight: {weight}\n", encoding="utf-8")
        configs.append(str(path))
    dev = load_dataset(DATASET, "dev")
    zh = [r["id"] for r in dev if r["keys"] and r["lang"] == "zh"][:8]
    ids = zh + [r["id"] for r in dev if not r["keys"]][:2]
    assert run_compare(configs, dataset=DATASET, split="dev", ids=ids, out=tmp_path / "cmp",
                       trec_out=tmp_path / "trec") == 0
    result = report_of(tmp_path / "cmp")
    assert result["questions"] == 10
    [c] = result["comparisons"]
    for metric in ("hit@1", "recall@5", "mrr", "ndcg@10", "abstain_ok"):
        d = c["metrics"][metric]
        assert d["a"]["low"] <= d["a"]["value"] <= d["a"]["high"]
        assert d["diff"]["low"] <= d["diff"]["value"] <= d["diff"]["high"]
        assert c["verdicts"][metric] in ("A better", "B better", "no significant difference")
    assert result["rows"]["hybrid"][0]["id"] == result["rows"]["dense"][0]["id"]
    for name in ("hybrid", "dense"):
        measured = read_back(tmp_path / "trec" / f"{name}.run", tmp_path / "trec" / "qrels.txt")
        rows = {r["id"]: r for r in result["rows"][name]}
        for qid, m in measured.items():
            assert m["recall@5"] == float(rows[qid]["rank"] is not None and rows[qid]["rank"] <= 5)
