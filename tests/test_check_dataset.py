"""The dataset checker on the conversation set and the frozen test2 split: the real files are
clean and have the promised shape, and hand-made broken conversations are caught."""

from __future__ import annotations

import json
from collections import Counter

from conftest import CORPUS, ROOT

from eval.check_dataset import check, check_conversations, fix_conversations, load_dataset, main

CONVERSATIONS = ROOT / "eval" / "conversations.jsonl"
DATASET = ROOT / "eval" / "dataset.jsonl"


def turn(cid, n, kind, question, keys, lang="zh", split="dev", sources=None):
    return {"conversation": cid, "turn": n, "lang": lang, "question": question, "keys": keys,
            "kind": kind, "sources": ["000_8ced48c5a6f24f61.txt"] if sources is None else sources,
            "split": split}


def write(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def test_conversation_set_is_clean_and_has_the_promised_shape():
    assert check_conversations(CONVERSATIONS, CORPUS) == []
    rows = load_dataset(CONVERSATIONS)
    convs = {r["conversation"] for r in rows}
    assert len(convs) >= 40 and len(rows) >= 100
    assert sum(r["lang"] == "en" for r in rows) / len(rows) >= 0.25
    kinds = Counter(r["kind"] for r in rows)
    assert kinds["follow-up"] >= len(convs) and kinds["follow-up-unanswerable"] >= 10
    assert len({s for r in rows for s in r["sources"]}) == 5
    split_of = {r["conversation"]: r["split"] for r in rows}
    assert {"dev", "test", "test2"} == set(split_of.values())
    frozen = [r for r in rows if r["split"] == "test2"]  # written before any system run
    assert len({r["conversation"] for r in frozen}) >= 16 and len(frozen) >= 40
    assert sum(r["lang"] == "en" for r in frozen) / len(frozen) >= 1 / 3
    # held out: test (22 conversations) and the frozen test2 (16); dev grows batch by batch
    held_out = Counter(split_of.values())
    assert held_out["test"] >= 20 and held_out["dev"] >= held_out["test"] + held_out["test2"]
    # some conversations mix languages, some change topic
    langs = {}
    for r in rows:
        langs.setdefault(r["conversation"], set()).add(r["lang"])
    assert sum(len(v) == 2 for v in langs.values()) >= 5
    assert sum(r["kind"] == "first" and r["turn"] > 1 for r in rows) >= 2


def test_frozen_test2_split_has_the_promised_shape():
    assert check(DATASET, CORPUS) == []
    rows = [r for r in load_dataset(DATASET) if r["split"] == "test2"]
    assert len(rows) >= 84 and all(r["id"].startswith("t2-") for r in rows)
    assert sum(r["lang"] == "en" for r in rows) / len(rows) >= 0.30
    assert sum(r["kind"] == "unanswerable" for r in rows) / len(rows) >= 0.15
    assert len({s for r in rows for s in r["sources"]}) == 5


def test_broken_conversations_are_reported(tmp_path):
    rows = [
        turn("a", 1, "follow-up", "那次会议还说了什么？", ["扩大内需战略"]),  # turn 1 not "first"
        turn("a", 3, "follow-up", "还有呢？", ["支持企业出口转内销"], split="test"),  # gap, split
        turn("b", 1, "first", "What did the meeting say?", ["今年一季度极不寻常"], lang="zh"),
        turn("b", 2, "follow-up-unanswerable", "回信收到了吗？", ["扩大内需战略"]),
        turn("b", 3, "follow-up", "还有呢？", ["语料里没有的答案"]),
        turn("b", 4, "chat", "还有别的吗？", ["支持企业出口转内销"], sources=[]),
    ]
    problems = "\n".join(check_conversations(write(tmp_path / "c.jsonl", rows), CORPUS))
    for expected in ("a: the first turn's kind is 'follow-up'", "a: turns [1, 3]",
                     "a: turns in more than one split", "b turn 1: lang is 'zh'",
                     "b turn 2: unanswerable question must have keys []",
                     "b turn 3: key '语料里没有的答案' not found", "b turn 4: kind 'chat'",
                     "b turn 4: sources [] != recomputed"):
        assert expected in problems, expected


def test_fix_recomputes_turn_sources_and_main_checks_both_files(tmp_path, capsys):
    rows = [turn("c", 1, "first", "4月17日政治局会议要坚定实施什么战略？", ["扩大内需战略"], sources=[]),
            turn("c", 2, "follow-up-unanswerable", "那封信的回信收到了吗？", [], sources=["x"])]
    path = write(tmp_path / "c.jsonl", rows)
    assert check_conversations(path, CORPUS) != []
    assert fix_conversations(path, CORPUS) == 2
    assert check_conversations(path, CORPUS) == []
    assert load_dataset(path)[0]["sources"] == ["000_8ced48c5a6f24f61.txt"]
    assert list(load_dataset(path)[0]) == ["conversation", "turn", "lang", "question", "keys",
                                           "kind", "sources", "split"]
    assert main(["--conversations", str(path)]) == 0
    out = capsys.readouterr().out
    assert "questions" in out and "1 conversations, 2 turns" in out
    write(path, [turn("c", 2, "first", "q?", ["扩大内需战略"])])
    assert main(["--conversations", str(path)]) == 1
