"""The generated answer against a real OpenAI-compatible HTTP server on loopback (scripted
replies, streamed as server-sent events), and the sentence support check on hand-written
sentences (tests/data/support_sentences.json)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from conftest import FakeEmbedder
from helpers.openai_server import HANG, OpenAIStub

from rag.assistant import Assistant
from rag.generator import Draft, Generator, prompt
from rag.ingest import ingest
from rag.settings import GeneratorSettings, load_settings
from rag.support_check import check_sentence, quote_context, split_sentences
from rag.types import Citation

DATA = json.loads((Path(__file__).parent / "data" / "support_sentences.json")
                  .read_text(encoding="utf-8"))
TREES = DATA["quotes"]["1"]
GATES = DATA["quotes"]["3"]
CITATIONS = [
    Citation(1, "003.txt", TREES["title"], TREES["attribution"], TREES["quote"], 1504, 1510, 0,
             10, 0.9),
    Citation(2, "000.txt", GATES["title"], GATES["attribution"], GATES["quote"], 58, 60, 0, 10,
             0.8),
]
QUESTION = "习近平在首都义务植树活动中种下了哪些树？"


def generator(stub, timeout=10.0, model="qwen-test"):
    return Generator(GeneratorSettings(base_url=stub.base_url, model=model, timeout_s=timeout))


def run(gen, question=QUESTION, citations=CITATIONS):
    draft = Draft()
    steps = list(gen.write(question, citations, draft))
    return draft, steps


def test_faithful_answer_is_kept_and_streams_sentence_by_sentence(server):
    server.script.append("习近平接连种下了油松、国槐、杏梅等树木。[1]参加劳动的领导同志同大家一起培土浇水。[1]")
    draft, steps = run(generator(server))
    assert draft.text == "习近平接连种下了油松、国槐、杏梅等树木。[1]参加劳动的领导同志同大家一起培土浇水。[1]"
    assert draft.dropped == 0 and draft.note is None
    assert len(steps) == 2 and steps[0] == "习近平接连种下了油松、国槐、杏梅等树木。[1]"
    sent = server.requests[0]
    assert sent["model"] == "qwen-test" and sent["stream"] is True
    user = sent["messages"][-1]["content"]
    assert "[1] 《习近平在参加首都义务植树活动时强调》" in user and TREES["quote"] in user
    assert QUESTION in user


def test_a_sentence_with_a_number_not_in_its_quote_is_dropped(server):
    server.script.append("习近平接连种下了油松和国槐。[1]他一共种下了十二种树。[1]")
    draft, _ = run(generator(server))
    assert draft.text == "习近平接连种下了油松和国槐。[1]"
    assert draft.dropped == 1


def test_a_sentence_citing_a_quote_not_given_is_dropped(server):
    server.script.append("Xi Jinping planted Chinese red pine. [1] He also planted trees in "
                         "Wuhan. [4]")
    draft, _ = run(generator(server), question="Which trees did Xi plant?")
    assert draft.text == "Xi Jinping planted Chinese red pine. [1]"
    assert draft.dropped == 1


def test_no_markers_at_all_falls_back_to_the_extractive_answer(server):
    server.script.append("习近平种下了油松和国槐。参加劳动的领导同志同大家一起培土浇水。")
    draft, steps = run(generator(server))
    assert draft.text is None and steps == [] and draft.dropped == 2
    assert "did not cite the quotes" in draft.note and "extractive" in draft.note


def test_a_hanging_server_times_out_into_the_extractive_answer(server):
    server.script.append(HANG)
    t0 = time.perf_counter()
    draft, steps = run(generator(server, timeout=1.0))
    assert time.perf_counter() - t0 < 4.5  # gave up at the time-out, not when the server did
    assert draft.text is None and steps == []
    assert "did not answer within 1 s" in draft.note and "\n" not in draft.note


def test_refused_connection_and_wrong_key_become_a_note():
    gen = Generator(GeneratorSettings(base_url="http://127.0.0.1:9/v1", model="m", timeout_s=2))
    draft, _ = run(gen)
    assert draft.text is None and draft.note.startswith("cannot reach the model server")
    stub = OpenAIStub(lambda body: "习近平接连种下了油松。[1]", key="right")
    try:
        draft, _ = run(generator(stub))
        assert draft.text is None and "refused the key" in draft.note
    finally:
        stub.close()


def test_the_key_comes_from_the_environment_variable_named(monkeypatch):
    monkeypatch.setenv("MY_KEY", "right")
    stub = OpenAIStub(lambda body: "习近平接连种下了油松。[1]", key="right")
    try:
        gen = Generator(GeneratorSettings(base_url=stub.base_url, model="m", api_key_env="MY_KEY"))
        draft, _ = run(gen)
        assert draft.text == "习近平接连种下了油松。[1]"
    finally:
        stub.close()


def test_the_prompt_numbers_only_the_verified_quotes():
    text = prompt("问题？", CITATIONS)
    assert text.startswith("Quotes:\n\n[1] ") and "\n\n[2] 《" in text and "[3]" not in text
    assert "（2020年2月20日给比尔·盖茨的回信）" in text and text.endswith("Question: 问题？")


def test_assistant_adds_the_checked_answer_and_falls_back_with_a_note(tmp_path, small_corpus,
                                                                       server):
    from conftest import write_config

    path = write_config(tmp_path, small_corpus,
                        answer="  abstain_strictness: -10.0\n"  # the fake model is uncalibrated
                               f"  generator:\n    base_url: {server.base_url}\n    model: qwen-test"
                               "\n    timeout_s: 5")
    settings = load_settings(path)
    emb = FakeEmbedder()
    ingest(settings, progress=False, embedder_factory=lambda: emb)
    assistant = Assistant(settings, embedder=emb)
    question = "习近平给武汉东湖新城社区全体社区工作者的回信"
    plain = assistant.ask(question, generate=False)
    assert plain.citations and plain.generated is None
    # A faithful sentence built from the first verified quote, and one with an invented number.
    first = plain.citations[0].quote.split("。")[0] + "。[1]"
    server.script.append(first + "社区工作者一共有3000名。[1]")
    answer = assistant.ask(question)
    d = answer.to_dict()
    assert d["generated"] == first and d["dropped_sentences"] == 1
    assert d["generator"] == "qwen-test" and d["answer"] == plain.answer  # extractive kept
    server.script.append("no markers here at all")
    d = assistant.ask(question).to_dict()
    assert d["generated"] is None and "extractive" in d["generator_note"]


def test_without_a_generator_the_answer_object_is_unchanged(fake_settings):
    assert fake_settings.answer.generator.base_url is None
    emb = FakeEmbedder()
    ingest(fake_settings, progress=False, embedder_factory=lambda: emb)
    d = Assistant(fake_settings, embedder=emb).ask("武汉社区工作者").to_dict()
    assert "generated" not in d and "generator" not in d


# -- the support check on hand-written sentences -------------------------------------------
QUOTES = {int(k): quote_context(v["quote"], v["title"], v["attribution"])
          for k, v in DATA["quotes"].items()}


def test_support_check_on_hand_written_sentences():
    """Catches most unfaithful sentences and drops no faithful one (figures in the README)."""
    items = DATA["sentences"]
    assert len(items) >= 30
    assert {i["lang"] for i in items} == {"zh", "en"}
    faithful = [i for i in items if i["faithful"]]
    unfaithful = [i for i in items if not i["faithful"]]
    dropped = [i["sentence"] for i in faithful if not check_sentence(i["sentence"], QUOTES).supported]
    caught = [i for i in unfaithful if not check_sentence(i["sentence"], QUOTES).supported]
    assert dropped == []
    assert len(caught) >= len(unfaithful) - 2
    for kind in ("number", "name", "no marker", "quote not given"):  # these, always
        assert all(not check_sentence(i["sentence"], QUOTES).supported
                   for i in unfaithful if i["kind"] == kind), kind


def test_support_check_on_held_out_sentences_does_no_worse_than_measured():
    """Sentences written after the check was tuned (figures in the README): a guard that a
    change does not make it worse where nobody tuned it."""
    items = DATA["held_out"]
    faithful = [i for i in items if i["faithful"]]
    unfaithful = [i for i in items if not i["faithful"]]
    dropped = sum(not check_sentence(i["sentence"], QUOTES).supported for i in faithful)
    caught = sum(not check_sentence(i["sentence"], QUOTES).supported for i in unfaithful)
    assert (len(faithful), len(unfaithful)) == (13, 14)
    assert dropped <= 3 and caught >= 9


def test_sentences_split_with_their_markers():
    assert split_sentences("第一句。[1]第二句[2]。Third one [1]. Fourth.[2][3]\n- fifth [1]") == [
        "第一句。[1]", "第二句[2]。", "Third one [1].", "Fourth.[2][3]", "fifth [1]"]


def test_abbreviations_do_not_end_a_sentence():
    assert split_sentences("Mr. Xi wrote to Bill Gates on Feb. 20. [3] U.S. aid came. [1]") == [
        "Mr. Xi wrote to Bill Gates on Feb. 20. [3]", "U.S. aid came. [1]"]


def test_numbers_match_however_they_are_written():
    quote = {1: "城市绿化覆盖率达到百分之四十三点六，新建公园十七座，贫困人口减到551万人。"}
    for sentence in ("覆盖率达到43.6%。[1]", "The coverage rate reached 43.6%. [1]",
                     "新建公园17座。[1]", "The poor population fell to 5.51 million. [1]"):
        assert check_sentence(sentence, quote).supported, sentence
    for sentence in ("覆盖率达到46.3%。[1]", "新建公园十八座。[1]",
                     "The poor population fell to 5.5 million. [1]"):
        assert not check_sentence(sentence, quote).supported, sentence


def test_english_names_are_checked_against_chinese_quotes_by_pinyin_and_dictionary():
    quote = {1: "武汉东湖新城社区全体社区工作者：你们好，来信收悉。"}
    assert check_sentence("He wrote to the community workers of Donghu Xincheng in Wuhan. [1]",
                          quote).supported
    assert not check_sentence("He wrote to the community workers of Donghu in Nanjing. [1]",
                              quote).supported
