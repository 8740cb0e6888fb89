"""How sure a score is: bootstrap confidence intervals over questions, paired differences
between two systems on the same questions, and a paired randomisation test.

Every metric of `rag eval` is a ratio of sums over questions (hit@1 is hits / answerable
questions, citation precision is right quotes / quotes, ...), so each is kept here as a pair of
per-question arrays (numerator, denominator) and a resample is `num[idx].sum() / den[idx].sum()`.
That makes one bootstrap serve every metric, and resampling whole questions keeps the
quotes of a question together.

References: Efron & Tibshirani, *An Introduction to the Bootstrap* (1993), percentile interval;
Smucker, Allan & Carterette, "A comparison of statistical significance tests for information
retrieval evaluation" (CIKM 2007), the paired randomisation test.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

KS = (1, 3, 5, 10)
RESAMPLES = 2000
LEVEL = 0.95
SEED = 20261125  # fixed: the same rows give the same interval on every run


class Interval(NamedTuple):
    """A value with its confidence interval."""

    value: float | None
    low: float | None
    high: float | None

    def to_dict(self) -> dict[str, float | None]:
        return {"value": _round(self.value), "low": _round(self.low), "high": _round(self.high)}


class Difference(NamedTuple):
    """B minus A on the same questions: the difference, its interval and a two-sided p-value."""

    a: Interval
    b: Interval
    diff: Interval
    p_value: float | None
    wins_b: int  # questions where B scores higher than A
    wins_a: int

    def to_dict(self) -> dict:
        return {"a": self.a.to_dict(), "b": self.b.to_dict(), "diff": self.diff.to_dict(),
                "p_value": _round(self.p_value), "wins_b": self.wins_b, "wins_a": self.wins_a}


def _round(v: float | None) -> float | None:
    return None if v is None or math.isnan(v) else round(float(v), 4)


# -- per-question parts of each metric (mirrors rag.evaluation.aggregate) -----------------------
def metric_parts(rows: list[dict]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """For each metric, per-question (numerator, denominator) whose sums' ratio is the metric.

    A question outside a metric's population (an unanswerable one for hit@1) has 0 / 0.
    """
    n = len(rows)

    def arr(values: Iterable[float]) -> np.ndarray:
        return np.fromiter(values, dtype=float, count=n)

    ans = arr(r["answerable"] for r in rows)
    una = 1.0 - ans
    parts: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    rank = [r.get("rank") if r["answerable"] else None for r in rows]
    for k in KS:
        parts[f"recall@{k}"] = (arr(x is not None and x <= k for x in rank), ans)
    parts["mrr"] = (arr(1.0 / x if x else 0.0 for x in rank), ans)
    if any("ndcg@10" in r for r in rows):
        parts["ndcg@10"] = (arr(r.get("ndcg@10") or 0.0 for r in rows), ans)
    parts["hit@1"] = (arr(bool(r.get("hit1")) for r in rows), ans)
    parts["hit@3"] = (arr(bool(r.get("hit3")) for r in rows), ans)
    parts["citation_precision"] = (arr(r.get("precise", 0) * r["answerable"] for r in rows),
                                   arr(r["quotes"] * r["answerable"] for r in rows))
    if any("says" in r for r in rows):
        parts["answer_says"] = (arr(bool(r.get("says")) for r in rows),
                                arr("says" in r for r in rows))
    parts["location_accuracy"] = (
        arr(r.get("located", 0) * r["answerable"] for r in rows),
        arr(r.get("keyed", 0) * r["answerable"] * bool(r["located_quotes"]) for r in rows))
    parts["false_abstain"] = (arr(r["abstained"] for r in rows) * ans, ans)
    parts["verifiable"] = (arr(r["verified"] for r in rows), arr(r["located_quotes"] for r in rows))
    parts["abstain_ok"] = (arr(r["abstained"] for r in rows) * una, una)
    return parts


def ratio(num: np.ndarray, den: np.ndarray) -> float | None:
    """The metric from its parts; None when no question counts towards it."""
    d = float(den.sum())
    return float(num.sum()) / d if d else None


def correct(row: dict) -> bool:
    """Whether one question was handled right: the first quote answers it, or it abstained
    on a question the documents do not answer."""
    return bool(row.get("hit1")) and not row["abstained"] if row["answerable"] \
        else bool(row["abstained"])


# -- bootstrap ------------------------------------------------------------------------------------
def _indices(n: int, resamples: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, n, size=(resamples, n))


def _resampled(num: np.ndarray, den: np.ndarray, idx: np.ndarray) -> np.ndarray:
    d = den[idx].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(d > 0, num[idx].sum(axis=1) / np.where(d > 0, d, 1), np.nan)


def _percentile(stats: np.ndarray, level: float) -> tuple[float | None, float | None]:
    stats = stats[~np.isnan(stats)]
    if not len(stats):
        return None, None
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(stats, [tail, 100 - tail])
    return float(low), float(high)


def bootstrap(num: np.ndarray, den: np.ndarray, resamples: int = RESAMPLES, level: float = LEVEL,
              seed: int = SEED) -> Interval:
    """The metric num.sum()/den.sum() with a percentile bootstrap interval over questions."""
    value = ratio(num, den)
    if value is None or len(num) < 2:
        return Interval(value, value, value)
    low, high = _percentile(_resampled(num, den, _indices(len(num), resamples, seed)), level)
    return Interval(value, low, high)


def intervals(rows: list[dict], resamples: int = RESAMPLES, level: float = LEVEL,
              seed: int = SEED) -> dict[str, dict]:
    """Every metric of a run with its interval, for report.json (`{metric: {value, low, high}}`)."""
    return {name: bootstrap(num, den, resamples, level, seed).to_dict()
            for name, (num, den) in metric_parts(rows).items()}


# -- two systems on the same questions ---------------------------------------------------------
def paired(rows_a: list[dict], rows_b: list[dict], resamples: int = RESAMPLES,
           level: float = LEVEL, seed: int = SEED) -> dict[str, Difference]:
    """Each metric of A and B with intervals, B - A with a paired bootstrap interval, and a
    paired randomisation test. Rows are matched by question id; both must hold the same ids."""
    by_id = {r["id"]: r for r in rows_b}
    if set(by_id) != {r["id"] for r in rows_a}:
        raise ValueError("the two runs did not answer the same questions")
    rows_b = [by_id[r["id"]] for r in rows_a]
    pa, pb = metric_parts(rows_a), metric_parts(rows_b)
    n = len(rows_a)
    idx = _indices(n, resamples, seed) if n > 1 else None
    flips = np.random.default_rng(seed + 1).random((resamples, n)) < 0.5 if n > 1 else None
    out = {}
    for name in pa:
        if name not in pb:
            continue
        (na, da), (nb, db) = pa[name], pb[name]
        a, b = bootstrap(na, da, resamples, level, seed), bootstrap(nb, db, resamples, level, seed)
        diff_value = None if a.value is None or b.value is None else b.value - a.value
        low = high = p = diff_value
        if diff_value is not None and idx is not None:
            low, high = _percentile(_resampled(nb, db, idx) - _resampled(na, da, idx), level)
            p = randomisation_p(na, da, nb, db, flips)
        # Who wins a question: its own ratio (a question counts only if both give it weight).
        qa = np.divide(na, da, out=np.full(n, np.nan), where=da > 0)
        qb = np.divide(nb, db, out=np.full(n, np.nan), where=db > 0)
        both = ~np.isnan(qa) & ~np.isnan(qb)
        out[name] = Difference(a, b, Interval(diff_value, low, high), p,
                               int(np.sum(both & (qb > qa))), int(np.sum(both & (qa > qb))))
    return out


def randomisation_p(na: np.ndarray, da: np.ndarray, nb: np.ndarray, db: np.ndarray,
                    flips: np.ndarray) -> float | None:
    """Two-sided p-value of a paired randomisation test: under "no difference" each question's
    two results are exchangeable, so swap them at random and count differences at least as
    large as the one observed. (count + 1) / (resamples + 1), so never exactly 0."""
    observed = ratio(nb, db)
    base = ratio(na, da)
    if observed is None or base is None:
        return None
    observed -= base

    def side(num_keep, num_swap, f):
        return np.where(f, num_swap, num_keep).sum(axis=1)

    a_num, a_den = side(na, nb, flips), side(da, db, flips)
    b_num, b_den = side(nb, na, flips), side(db, da, flips)
    with np.errstate(invalid="ignore", divide="ignore"):
        diffs = b_num / b_den - a_num / a_den
    diffs = diffs[~np.isnan(diffs)]
    extreme = int(np.sum(np.abs(diffs) >= abs(observed) - 1e-12))
    return (extreme + 1) / (len(diffs) + 1)


def questions_needed(per_question_diffs: np.ndarray, delta: float, level: float = LEVEL,
                     power: float | None = None) -> int | None:
    """How many questions a true paired difference of `delta` needs before its interval
    excludes 0, at the rate the two systems disagree on a question in these diffs (each -1, 0
    or 1). A difference of delta means wins - losses = delta and wins + losses = d, the
    disagreement, so the per-question variance is d - delta^2 and (normal approximation)
    n = z^2 (d - delta^2) / delta^2; with `power`, z is z_level + z_power. d is at least delta.
    None without any question to go by."""
    if not len(per_question_diffs):
        return None
    d = max(float(np.mean(np.asarray(per_question_diffs) != 0)), delta)
    z = _z(level) + (_z(2 * power - 1) if power else 0.0)
    return math.ceil(z * z * (d - delta * delta) / (delta * delta))


def _z(level: float) -> float:
    from statistics import NormalDist

    return NormalDist().inv_cdf(0.5 + level / 2)
