"""Proper scores and their decompositions: hand-worked cases, and a cross-check of the CORP
decomposition against an independent implementation (model-diagnostics' `decompose`)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from trackrecord.score import proper


def test_brier_and_log_score_by_hand():
    p = np.array([0.9, 0.7, 0.5, 0.1])
    o = np.array([1, 0, 1, 0])
    assert proper.brier(p, o).tolist() == pytest.approx([0.01, 0.49, 0.25, 0.01])
    assert proper.log_score(p, o).tolist() == pytest.approx([-math.log(0.9), -math.log(0.3), -math.log(0.5), -math.log(0.9)])


def test_log_score_clips_only_for_the_log_score():
    assert proper.LOG_SCORE_CLIP == 0.01
    # A probability of 1 for something that did not happen costs ln(100), not infinity.
    assert proper.log_score(np.array([1.0]), np.array([0]))[0] == pytest.approx(math.log(100))
    assert proper.log_score(np.array([0.0]), np.array([0]))[0] == pytest.approx(-math.log(0.99))
    # Brier is never clipped.
    assert proper.brier(np.array([1.0]), np.array([0]))[0] == 1.0
    # Unclipped (recalibrated frequencies): 0·ln 0 counts as 0.
    assert proper.log_score(np.array([1.0, 0.0]), np.array([1, 0]), clip=False).tolist() == [0.0, 0.0]


def test_murphy_decomposition_by_hand():
    # Two distinct forecasts: 0.8 said four times (3 came true), 0.2 twice (1 came true).
    p = np.array([0.8, 0.8, 0.8, 0.8, 0.2, 0.2])
    o = np.array([1, 1, 1, 0, 0, 1])
    m = proper.murphy(p, o)
    assert m["brier"] == pytest.approx(1.44 / 6)
    assert m["reliability"] == pytest.approx((4 * 0.05**2 + 2 * 0.3**2) / 6)
    assert m["resolution"] == pytest.approx((4 * (0.75 - 4 / 6) ** 2 + 2 * (0.5 - 4 / 6) ** 2) / 6)
    assert m["uncertainty"] == pytest.approx((4 / 6) * (2 / 6))
    assert m["brier"] == pytest.approx(m["reliability"] - m["resolution"] + m["uncertainty"])


def test_recalibration_pools_adjacent_violators():
    # Outcomes fall as the forecast rises: isotonic regression pools everything to the mean.
    assert proper.recalibrate(np.array([0.1, 0.2, 0.3]), np.array([1, 0, 0])).tolist() == pytest.approx([1 / 3] * 3)
    # Already monotone: each distinct forecast keeps its own hit rate; ties share one value.
    cal = proper.recalibrate(np.array([0.2, 0.2, 0.9, 0.9]), np.array([0, 1, 1, 1]))
    assert cal.tolist() == pytest.approx([0.5, 0.5, 1.0, 1.0])


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("score", ["brier", "log"])
def test_corp_decomposition_matches_model_diagnostics(seed, score):
    from model_diagnostics.scoring import LogLoss, SquaredError, decompose

    rng = np.random.default_rng(seed)
    # Verbal-style forecasts: few distinct values, many ties; outcomes from a miscalibrated truth.
    p = rng.choice([0.05, 0.25, 0.5, 0.7, 0.9, 0.97], size=120)
    o = (rng.random(120) < 0.3 + 0.4 * p).astype(float)
    mine = proper.corp(p, o, score)
    clipped = proper.clip_for_log(p) if score == "log" else p
    theirs = decompose(y_obs=o, y_pred=clipped, scoring_function=SquaredError() if score == "brier" else LogLoss())
    assert mine["score"] == pytest.approx(theirs["score"][0], rel=1e-9)
    assert mine["miscalibration"] == pytest.approx(theirs["miscalibration"][0], rel=1e-6, abs=1e-12)
    assert mine["discrimination"] == pytest.approx(theirs["discrimination"][0], rel=1e-6, abs=1e-12)
    assert mine["uncertainty"] == pytest.approx(theirs["uncertainty"][0], rel=1e-9)
    assert mine["score"] == pytest.approx(mine["miscalibration"] - mine["discrimination"] + mine["uncertainty"])


def test_murphy_and_corp_agree_when_hit_rates_rise_with_the_forecast():
    # With one forecast value per bin and hit rates already increasing, the isotonic recalibration
    # is the bin hit rate, so CORP's miscalibration is Murphy's reliability.
    p = np.array([0.2] * 5 + [0.6] * 5 + [0.9] * 5)
    o = np.array([0, 0, 0, 0, 1] + [1, 1, 0, 1, 0] + [1, 1, 1, 1, 0])
    m, c = proper.murphy(p, o), proper.corp(p, o, "brier")
    assert c["miscalibration"] == pytest.approx(m["reliability"])
    assert c["discrimination"] == pytest.approx(m["resolution"])


def test_reliability_bins_and_consistency_bands():
    p = np.array([0.9] * 20 + [0.5] * 10)
    o = np.array([1] * 10 + [0] * 10 + [1] * 5 + [0] * 5)
    rows = {r["forecast"]: r for r in proper.reliability_bins(p, o, resamples=400, seed=7)}
    high = rows[0.9]
    assert (high["n"], high["n_true"], high["hit_rate"]) == (20, 10, 0.5)
    assert high["hit_rate_low"] < 0.5 < high["hit_rate_high"]
    # A calibrated 0.9 forecaster would show 0.75–1.0 over 20 claims; 0.5 is outside: overconfident.
    assert high["consistency_low"] <= 0.9 <= high["consistency_high"]
    assert not high["consistency_low"] <= high["hit_rate"] <= high["consistency_high"]
    # The recalibrated curve pools the two (hit rates do not rise with the forecast).
    assert high["corp_recalibrated"] == pytest.approx(0.5) and rows[0.5]["corp_recalibrated"] == pytest.approx(0.5)
    assert high["corp_consistency_low"] <= 0.9 <= high["corp_consistency_high"]
    assert proper.reliability_bins(p, o, resamples=400, seed=7) == list(rows.values())  # deterministic


def test_summary_skill_scores():
    p = np.array([0.9, 0.9, 0.1, 0.1])
    o = np.array([1, 1, 0, 0])
    s = proper.summary(p, o, base_rate=0.5)
    assert s["brier"] == pytest.approx(0.01)
    assert s["brier_skill_vs_half"] == pytest.approx(1 - 0.01 / 0.25)
    assert s["brier_skill_vs_base_rate"] == pytest.approx(1 - 0.01 / 0.25)  # the base rate here is 0.5
    assert s["calibration_in_the_large"] == pytest.approx(0.0)
    worse = proper.summary(np.array([0.9, 0.9]), np.array([0, 0]), base_rate=0.25)
    assert worse["calibration_in_the_large"] == pytest.approx(0.9)
    assert worse["brier_skill_vs_base_rate"] < 0
