"""The real model and real Chroma over the bundled corpus: answers in both languages, each
citation re-verified here against the original file, and an honest abstention."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from conftest import CORPUS, ROOT

pytestmark = pytest.mark.integration


def squeeze(text: str) -> str:
    return "".join(text.split())


def assert_verifiable(answer) -> None:
    """Re-verify here, independently of rag.verify: each quote, whitespace removed, occurs in its
    cited lines (less lines that hold only a page number), and its offsets lie in those lines."""
    for c in answer.citations:
        original = (CORPUS / c.source).read_text(encoding="utf-8")
        lines = original.split("\n")[c.line_start - 1 : c.line_end]
        kept = [re.sub(r"\[bookmark: [^\]]*\]|\*\*", "", line) for line in lines]
        region = squeeze("\n".join(line for line in kept if not line.strip().isdigit()))
        assert squeeze(c.quote) in region, (c.source, c.line_start, c.quote[:40])
        first_line_start = sum(len(line) + 1 for line in original.split("\n")[: c.line_start - 1])
        assert first_line_start <= c.char_start < c.char_end
        assert c.char_end <= first_line_start + sum(len(line) + 1 for line in lines)


CASES = [
    ("习近平给武汉哪个社区的全体社区工作者回了信？", "东湖新城社区"),
    ("3月9日湖北全省现有确诊病例多少例？", "17151"),
    ("习近平在2020年首都义务植树活动中种下了哪些树？", "油松、国槐、杏梅"),
    # A known miss since the English dictionary route (issue 10): "plant" and "tree-planting"
    # translate to nothing useful, and the listing sentence falls out of the top three.
    pytest.param("Which trees did Xi Jinping plant in the 2020 Beijing tree-planting event?",
                 "油松", marks=pytest.mark.xfail(strict=True, reason="known English miss")),
    ("习近平在给比尔·盖茨的回信中说，战胜疫病最有力的武器是什么？", "团结合作是最有力的武器"),
    ("How many confirmed cases did Hubei still have on March 9?", "17151"),
    ("What did Xi say is the most powerful weapon against the epidemic in his letter to Bill Gates?",
     "团结合作"),
    # a frame naming the meeting at length: the asking clause's own words find the passage
    # (`ASKING_SHARE`)
    ("At the 12th meeting of the Central Commission for Comprehensively Deepening Reform, which "
     "law did Xi urge be introduced as soon as possible?", "生物安全法"),
]


@pytest.mark.parametrize("question,expected", CASES)
def test_cited_quote_contains_the_answer(real_assistant, question, expected):
    answer = real_assistant.ask(question)
    assert not answer.abstained, answer.answer
    quotes = [squeeze(c.quote) for c in answer.citations[:3]]
    assert any(squeeze(expected) in q for q in quotes), quotes
    assert_verifiable(answer)


@pytest.mark.parametrize("question", [
    "2022年上海封控期间单日新增感染者最多达到多少？",
    "习近平同日本首相安倍晋三通电话时谈了哪些内容？",
    "What is the capital of Australia?",
])
def test_unanswerable_questions_abstain_and_still_show_passages(real_assistant, question):
    answer = real_assistant.ask(question)
    assert answer.abstained
    assert answer.citations == []
    assert len(answer.passages) >= 5
    assert "没有" in answer.answer or "do not" in answer.answer


def test_repeated_passage_is_one_citation_with_also_in(real_assistant):
    answer = real_assistant.ask("习近平在给武汉东湖新城社区全体社区工作者的回信中说社区是什么防线？")
    first = answer.citations[0]
    assert first.also_in, "the letter appears in 000 and 003"
    sources = {first.source} | {loc.source for loc in first.also_in}
    assert {"000_8ced48c5a6f24f61.txt", "003_6730130ec87af471.txt"} <= sources


def test_answer_object_follows_the_contract(real_assistant):
    data = real_assistant.ask("习近平给武汉哪个社区的全体社区工作者回了信？", top_k=7).to_dict()
    assert set(data) >= {"question", "abstained", "answer", "citations", "passages", "timings_ms"}
    c = data["citations"][0]
    assert set(c) >= {"n", "source", "title", "attribution", "quote", "line_start", "line_end",
                      "char_start", "char_end", "score", "also_in"}
    assert "[1]" in data["answer"]
    assert len(data["passages"]) >= 7
    assert set(data["timings_ms"]) >= {"retrieve", "answer", "total"}
    json.dumps(data, ensure_ascii=False)


def test_context_budget_packs_labelled_passages(real_assistant):
    block = real_assistant.context("3月9日湖北全省现有确诊病例多少例？", budget=400)
    assert block.startswith("[1] ")
    from rag.tokens import count_tokens

    assert count_tokens(block) <= 400


def run_cli(*args, settings=None):
    env_config = ["--config", str(settings.base_dir / "config.yaml")] if settings else []
    return subprocess.run([sys.executable, "-m", "rag.cli", *env_config, *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_cli_ask_json_and_batch(real_settings, real_assistant, tmp_path):
    out = run_cli("ask", "习近平给武汉哪个社区的全体社区工作者回了信？", "--json",
                  settings=real_settings)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert "东湖新城" in "".join(c["quote"] for c in data["citations"])
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"id": "a", "question": "3月9日湖北全省现有确诊病例多少例？"}\n'
                     '{"id": "b", "question": ""}\n'
                     '{"id": "c", "question": "What is the capital of Australia?"}\n',
                     encoding="utf-8")
    out = run_cli("ask", "--batch", str(batch), "--json", settings=real_settings)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    assert "error" in rows[1] and rows[2]["abstained"]


def test_cli_errors_are_one_line(real_settings):
    out = run_cli("ask", "   ", settings=real_settings)
    assert out.returncode == 1
    assert out.stderr.strip().startswith("error:") and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    out = run_cli("--config", "/nonexistent/config.yaml", "ask", "x")
    assert out.returncode == 1 and "config file not found" in out.stderr
