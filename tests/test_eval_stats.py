"""Confidence intervals and paired tests on hand-made rows whose answer is known in advance."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rag.eval_stats import (
    bootstrap,
    intervals,
    metric_parts,
    paired,
    questions_needed,
    ratio,
)
from rag.evaluation import aggregate


def row(i, hit1=False, rank=None, answerable=True, abstained=False, quotes=1, precise=None):
    r = {"id": f"q{i:03d}", "lang": "zh", "kind": "fact", "answerable": answerable,
         "abstained": abstained, "quotes": quotes, "located_quotes": quotes, "verified": quotes}
    if answerable:
        r.update(rank=rank if rank is not None else (1 if hit1 else None), hit1=hit1,
                 hit3=hit1, precise=quotes if precise is None else precise,
                 located=quotes if hit1 else 0, keyed=quotes if hit1 else 0)
    return r


def test_parts_give_back_every_metric_of_aggregate():
    rows = [row(1, True), row(2, False, rank=4, precise=0), row(3, True, quotes=3, precise=2),
            row(4, answerable=False, abstained=True, quotes=0), row(5, answerable=False),
            row(6, False, abstained=True, quotes=0)]
    expected = aggregate(rows)
    for name, (num, den) in metric_parts(rows).items():
        assert ratio(num, den) == pytest.approx(expected[name]), name


def test_all_right_has_no_width():
    rows = [row(i, True) for i in range(50)]
    ci = intervals(rows)["hit@1"]
    assert ci == {"value": 1.0, "low": 1.0, "high": 1.0}


def test_a_coin_flip_on_100_questions_is_about_plus_minus_ten_points():
    # Half right: the normal approximation gives 0.5 +- 1.96 * sqrt(0.25 / 100) = +-0.098.
    rows = [row(i, hit1=i % 2 == 0) for i in range(100)]
    ci = intervals(rows)["hit@1"]
    assert ci["value"] == 0.5
    assert ci["low"] == pytest.approx(0.402, abs=0.02)
    assert ci["high"] == pytest.approx(0.598, abs=0.02)


def test_same_interval_as_scipy_percentile_bootstrap():
    from scipy import stats

    rng = np.random.default_rng(1)
    x = (rng.random(80) < 0.7).astype(float)
    ours = bootstrap(x, np.ones_like(x), resamples=4000)
    ref = stats.bootstrap((x,), np.mean, n_resamples=4000, method="percentile",
                          confidence_level=0.95, rng=np.random.default_rng(2))
    assert ours.low == pytest.approx(ref.confidence_interval.low, abs=0.015)
    assert ours.high == pytest.approx(ref.confidence_interval.high, abs=0.015)


def test_ratio_metrics_resample_whole_questions():
    # Citation precision 3/6 from one question with 4 quotes (1 right) and two with 1 right each.
    rows = [row(1, True, quotes=4, precise=1), row(2, True), row(3, True)]
    ci = intervals(rows)["citation_precision"]
    assert ci["value"] == 0.5
    assert ci["low"] == pytest.approx(0.25) and ci["high"] == 1.0  # all-q1 and no-q1 resamples


def test_identical_runs_differ_by_nothing():
    rows = [row(i, hit1=i % 3 == 0) for i in range(60)]
    d = paired(rows, [dict(r) for r in rows])["hit@1"]
    assert d.diff == (0.0, 0.0, 0.0) and d.p_value == 1.0 and d.wins_a == d.wins_b == 0


def test_ten_questions_gained_and_none_lost_is_significant():
    a = [row(i, hit1=i < 50) for i in range(100)]
    b = [row(i, hit1=i < 60) for i in range(100)]
    d = paired(a, b)["hit@1"]
    assert d.diff.value == pytest.approx(0.1)
    # Per-question differences: ten 1s and ninety 0s, sd 0.30, so +-1.96 * 0.03.
    assert d.diff.low == pytest.approx(0.04, abs=0.02)
    assert d.diff.high == pytest.approx(0.16, abs=0.02)
    # Exact answer: all ten discordant pairs fall one way, 2 * 0.5**10 = 0.002.
    assert d.p_value < 0.01
    assert (d.wins_b, d.wins_a) == (10, 0)


def test_gains_cancelled_by_losses_are_noise():
    a = [row(i, hit1=i < 50) for i in range(100)]
    b = [row(i, hit1=5 <= i < 55) for i in range(100)]  # five lost, five gained
    d = paired(a, b)["hit@1"]
    assert d.diff.value == 0.0
    assert d.diff.low < 0 < d.diff.high
    assert d.p_value > 0.5


def test_runs_of_different_questions_are_not_paired():
    a = [row(i) for i in range(5)]
    with pytest.raises(ValueError):
        paired(a, a[:4])


def test_questions_needed_for_a_difference():
    # Disagreeing on 20% of questions: a true 0.05 difference is 12.5% wins, 7.5% losses, a
    # per-question variance of 0.2 - 0.05^2, so (1.96^2 * 0.1975 / 0.05^2) = 304 questions.
    diffs = np.array([1.0] * 10 + [-1.0] * 10 + [0.0] * 80)
    assert questions_needed(diffs, 0.05) == math.ceil(1.959964 ** 2 * 0.1975 / 0.0025)
    assert questions_needed(diffs, 0.05) == 304
    assert questions_needed(diffs, 0.05, power=0.8) == math.ceil(
        (1.959964 + 0.841621) ** 2 * 0.1975 / 0.0025)
    # Systems that never disagree cannot differ by 0.05: the least disagreement that can is 5%.
    assert questions_needed(np.zeros(10), 0.05) == math.ceil(1.959964 ** 2 * 0.0475 / 0.0025)


def test_randomisation_p_agrees_with_scipy_permutation_test():
    from scipy import stats

    rng = np.random.default_rng(3)
    a_hits = rng.random(120) < 0.6
    b_hits = np.where(rng.random(120) < 0.15, ~a_hits, a_hits) | (rng.random(120) < 0.05)
    a = [row(i, hit1=bool(h)) for i, h in enumerate(a_hits)]
    b = [row(i, hit1=bool(h)) for i, h in enumerate(b_hits)]
    ours = paired(a, b, resamples=5000)["hit@1"].p_value
    ref = stats.permutation_test(
        (a_hits.astype(float), b_hits.astype(float)),
        lambda x, y, axis: np.mean(y, axis=axis) - np.mean(x, axis=axis),
        permutation_type="samples", n_resamples=5000, rng=np.random.default_rng(4)).pvalue
    assert ours == pytest.approx(ref, abs=0.03)


def test_the_ir_library_is_loaded_only_by_rag_eval():
    import subprocess
    import sys

    code = ("import sys, rag.cli, rag.assistant, rag.feedback, rag.evaluation; "
            "print(sorted(m for m in ('ir_measures', 'pytrec_eval', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "ir_measures" not in out.stdout and "pytrec_eval" not in out.stdout
