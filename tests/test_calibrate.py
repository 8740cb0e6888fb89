"""The abstention fit (eval/calibrate.py): a feature fitted on top leaves the rest as it was."""

from __future__ import annotations

import numpy as np

from eval.calibrate import fit_model, refit_on_top


def test_a_feature_fitted_on_top_keeps_the_other_weights_and_the_threshold():
    rng = np.random.default_rng(0)
    n = 200
    score = rng.normal(size=n)
    dated = np.where(rng.random(n) < 0.3, 1.0, 0.0)  # says something for 30% of the rows
    y = (score + 1.5 * dated + rng.normal(scale=0.5, size=n) > 0).astype(float)
    x = np.column_stack([np.ones(n), score, dated])
    counted = y > 0
    alone, threshold_alone = fit_model(x[:, :2], y, counted)
    both, threshold = fit_model(x, y, counted, on_top=1)
    assert np.allclose(both[:2], alone) and threshold == threshold_alone
    assert both[2] > 0.5  # the day agreeing is evidence of an answer
    undated = x[dated == 0]
    assert np.allclose(undated @ both, undated[:, :2] @ alone)  # undated rows: as without it


def test_a_new_feature_on_top_is_fitted_over_the_stored_weights():
    """`python -m eval.calibrate --on-top-only`: the stored weights of the other features stay
    (and with them every decision where the new features say nothing)."""
    rng = np.random.default_rng(1)
    n = 300
    score = rng.normal(size=n)
    counted = np.where(rng.random(n) < 0.3, np.where(rng.random(n) < 0.5, 1.0, -1.0), 0.0)
    y = (score + 2.0 * counted + rng.normal(scale=0.5, size=n) > 0).astype(float)
    x = np.column_stack([np.ones(n), score, counted])
    stored = [0.1, 1.3]  # an older model without the column
    w = refit_on_top(x, y, stored, on_top=1)
    assert list(w[:2]) == stored and w[2] > 0.5
    assert list(refit_on_top(x[:, :2], y, stored + [9.0], on_top=0)) == stored
