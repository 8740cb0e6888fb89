"""The levers of the round tuned on fresh batch d76: follow-ups judged by the question-level
model their weights were fitted over (so that a refit of that model alone leaves them as they
were), the probability at which an answer is sure taken from the model, a sum asked in 亿元 and
English counts of workers."""

from __future__ import annotations

import json

import pytest

from rag.abstention import Evidence, answer_probability, load_weights, sure_threshold
from rag.question_type import english_count, english_measure, figure_asked


def test_a_sum_in_yi_yuan_asks_for_money():
    """"…累计发放了多少亿元？" (d76-023) needs a sum of money; "扶贫小额信贷…发挥了重要作用"
    states none."""
    money = figure_asked("截至当时扶贫小额信贷累计发放了多少亿元？")
    assert money is not None
    assert not money.search("这几年，扶贫小额信贷对支持贫困群众发展生产发挥了重要作用，要继续坚持。")
    assert money.search("累计发放扶贫小额信贷4500多亿元")
    assert figure_asked("一共捐赠了多少万美元？") is not None


def test_an_english_count_of_workers_needs_a_number_of_people():
    """"How many community grid workers did Wuhan have on duty?" (d76-026): "在24小时内" counts
    hours, not workers; "290多万名…干部" and "2729万…劳动力" count people."""
    q = "How many community grid workers did Wuhan have on duty at that time?"
    workers = english_measure(q)
    assert workers is not None
    assert not workers.search("新发确诊患者要在24小时内完成流行病学调查工作")
    assert workers.search("累计选派290多万名县级以上党政机关…干部")
    assert workers.search("2729万建档立卡贫困劳动力在外务工")
    assert english_measure("How many medical workers were infected?").search("超过2000名医务人员")


def test_the_sure_probability_is_the_models_own_unless_set():
    evidence = Evidence(chinese=True, dense=0.9, sentence=0.92, lexical=0.3, coverage=0.5,
                        coverage_top=0.5, unknown_names=())
    model = load_weights()
    assert sure_threshold(evidence) == model["zh"]["sure"]
    assert sure_threshold(evidence, 0.5) == 0.5
    english = Evidence(chinese=False, dense=0.8, sentence=0.8, lexical=0.0, coverage=0.0,
                       coverage_top=0.0, unknown_names=())
    assert sure_threshold(english) == model["en"]["sure"]
    # each above its model's threshold: a sure answer is one that is not abstained on
    assert all(model[lang]["sure"] > model[lang]["threshold"] for lang in ("zh", "en"))


def test_the_sure_share_is_kept_through_a_refit():
    """eval/calibrate.py sets "sure" where SURE_SHARE of the answerable rows reach it."""
    import numpy as np

    from eval.calibrate import SURE_SHARE, sure_probability

    rng = np.random.default_rng(0)
    x = np.column_stack([np.ones(500), rng.normal(size=500)])
    w = np.array([0.5, 2.0])
    counted = rng.random(500) < 0.7
    sure = sure_probability(x, w, counted)
    probs = 1 / (1 + np.exp(-(x[counted] @ w)))
    assert np.mean(probs >= sure) == pytest.approx(SURE_SHARE, abs=0.01)
    assert sure_probability(x * 3, w, counted) != sure  # another scale, another value


def test_follow_ups_are_judged_by_the_model_their_weights_were_fitted_over():
    """rag/follow_up_abstention.json keeps the question-level model its weights were fitted
    over: a refit of the question-level model (eval/calibrate.py) leaves follow-ups as they
    were, its own threshold included."""
    from rag.conversation import (
        FOLLOW_UP_WEIGHTS,
        Reading,
        follow_up_probability,
        follow_up_relief,
    )
    from rag.types import Chunk, Hit

    text = "建立交通运输绿色通道。"
    hit = Hit(Chunk(source="a.txt", text=text, title="讲话", section=None, attribution=None,
                    line_start=1, line_end=1, char_start=0, char_end=len(text), key="a"),
              score=1.0)
    outside = Reading(True, "q", [1], {})
    evidence = Evidence(chinese=True, dense=0.88, sentence=0.9, lexical=0.3, coverage=0.5,
                        coverage_top=0.5, unknown_names=())
    base = {"zh": {"weights": [2.0] + [0.0] * 8, "threshold": 0.5},
            "en": {"weights": [0.0] * 3, "threshold": 0.5}}
    weights = {"in_topic": 0.0, "question_model": base}
    q = "为了保物资运输，他说建立了什么？"
    p = follow_up_probability(q, evidence, [hit], outside, weights)
    assert p == pytest.approx(answer_probability(evidence, base))
    assert p != pytest.approx(answer_probability(evidence))
    # thresholds of the older file (numbers, not models) are no model: the current one judges
    old_file = {"in_topic": 0.0, "question_model": {"zh": 0.6, "en": 0.7}}
    assert follow_up_probability(q, evidence, [hit], outside, old_file) == \
        pytest.approx(answer_probability(evidence))
    # with the stored file: answered exactly when the follow-up's probability (its model's,
    # with the Chinese relief) reaches its model's threshold, whatever the current model says
    stored = json.loads(FOLLOW_UP_WEIGHTS.read_text(encoding="utf-8"))
    margin = answer_probability(evidence) - (load_weights()["zh"]["threshold"] -
                                             follow_up_relief(q, evidence, [hit], outside))
    own = follow_up_probability(q, evidence, [hit], outside, stored) + \
        stored["chinese_relief"] - stored["question_model"]["zh"]["threshold"]
    assert margin == pytest.approx(own)


def test_an_english_count_needs_the_thing_counted_in_an_english_passage():
    """"How many hospital beds does the East Campus have?" over an English passage whose only
    numbers count people and hospitals (foreign dev f-034): no number of beds, no answer; an
    English text counts people as people ("will employ about 1,100 people")."""
    beds = english_count("How many hospital beds does the East Campus have?")
    assert not beds.search("About 240 people will take part at four hospitals in China")
    assert beds.search("The East Campus has 1,200 beds.")
    staff = english_count("How many employees will the plant have?")
    assert staff.search("The plant will employ about 1,100 people.")
    # the people counted, not a thing of theirs
    assert english_measure("How many staff apartment units did he promise?") is None
