"""Proper scores of probability forecasts of binary outcomes, and their decompositions.

Scores are losses: lower is better. `p` is the probability the forecaster gave that the claim
comes true, `o` the outcome (1 true, 0 false).

- Brier score (p − o)², with Murphy's decomposition BS = REL − RES + UNC, binned by distinct
  forecast value so that it is exact (Murphy 1973; verbal claims take only a handful of values).
- Log score −ln p(outcome). It is infinite at p ∈ {0, 1}, so probabilities are clipped to
  [LOG_SCORE_CLIP, 1 − LOG_SCORE_CLIP] for the log score only; stored records are never changed.
- CORP (Dimitriadis, Gneiting & Jordan 2021): recalibrate by isotonic regression
  (pool-adjacent-violators, SciPy) and split any proper score S into
  S(p) = MCB − DSC + UNC, with MCB = S(p) − S(p̂), DSC = S(ō) − S(p̂), UNC = S(ō).
"""

from __future__ import annotations

import numpy as np
from scipy import stats
from scipy.optimize import isotonic_regression

# The log score of a probability p is computed at min(max(p, LOG_SCORE_CLIP), 1 − LOG_SCORE_CLIP).
# 0.01 bounds one claim's log score by ln(100) ≈ 4.6; the verbal scale never maps beyond it.
LOG_SCORE_CLIP = 0.01


def brier(p: np.ndarray, o: np.ndarray) -> np.ndarray:
    """Brier score of each forecast."""
    p, o = np.asarray(p, float), np.asarray(o, float)
    return (p - o) ** 2


def clip_for_log(p: np.ndarray) -> np.ndarray:
    return np.clip(np.asarray(p, float), LOG_SCORE_CLIP, 1.0 - LOG_SCORE_CLIP)


def log_score(p: np.ndarray, o: np.ndarray, *, clip: bool = True) -> np.ndarray:
    """Log score −ln(probability given to what happened), natural log, each forecast.

    With clip=False, probabilities are used as they are and 0·ln 0 counts as 0 (for recalibrated
    forecasts, which are exact frequencies and may be 0 or 1).
    """
    p = clip_for_log(p) if clip else np.asarray(p, float)
    o = np.asarray(o, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        yes = np.where(o > 0, -o * np.log(p), 0.0)
        no = np.where(o < 1, -(1 - o) * np.log1p(-p), 0.0)
    return yes + no


SCORES = {"brier": lambda p, o: brier(p, o), "log": lambda p, o: log_score(p, o)}


def murphy(p: np.ndarray, o: np.ndarray) -> dict[str, float]:
    """Murphy's decomposition of the mean Brier score, binned by distinct forecast value (exact)."""
    p, o = np.asarray(p, float), np.asarray(o, float)
    n = len(p)
    base = o.mean()
    values, inverse, counts = np.unique(p, return_inverse=True, return_counts=True)
    hit = np.bincount(inverse, weights=o) / counts
    return {
        "brier": float(brier(p, o).mean()),
        "reliability": float(np.sum(counts * (values - hit) ** 2) / n),
        "resolution": float(np.sum(counts * (hit - base) ** 2) / n),
        "uncertainty": float(base * (1 - base)),
    }


def recalibrate(p: np.ndarray, o: np.ndarray) -> np.ndarray:
    """CORP recalibration: isotonic (non-decreasing) regression of the outcomes on the forecasts.

    Ties in p are pooled first, so equal forecasts always get the same recalibrated value.
    """
    p, o = np.asarray(p, float), np.asarray(o, float)
    values, inverse, counts = np.unique(p, return_inverse=True, return_counts=True)
    means = np.bincount(inverse, weights=o) / counts
    fitted = isotonic_regression(means, weights=counts, increasing=True).x
    return fitted[inverse]


def corp(p: np.ndarray, o: np.ndarray, score: str) -> dict[str, float]:
    """CORP decomposition of the mean `score` ('brier' or 'log'): score = MCB − DSC + UNC."""
    p, o = np.asarray(p, float), np.asarray(o, float)
    recalibrated = recalibrate(p, o)
    base = np.full_like(p, o.mean())
    if score == "brier":
        s_raw, s_cal, s_base = brier(p, o).mean(), brier(recalibrated, o).mean(), brier(base, o).mean()
    elif score == "log":
        s_raw = log_score(p, o).mean()
        s_cal = log_score(recalibrated, o, clip=False).mean()
        s_base = log_score(base, o, clip=False).mean()
    else:
        raise ValueError(f"unknown score {score!r}")
    return {"score": float(s_raw), "miscalibration": float(s_raw - s_cal), "discrimination": float(s_base - s_cal), "uncertainty": float(s_base)}


def reliability_bins(p: np.ndarray, o: np.ndarray, *, level: float = 0.9, resamples: int = 1000, seed: int = 0) -> list[dict]:
    """Reliability-diagram data, one row per distinct forecast value.

    - hit rate with a Jeffreys interval;
    - the consistency band: where the hit rate of that many forecasts would fall if they were
      perfectly calibrated (Binomial quantiles; exact, as the bin holds one forecast value);
    - the CORP recalibrated value, with its consistency band from `resamples` sets of outcomes
      drawn as o* ~ Bernoulli(p) and recalibrated the same way (Dimitriadis et al. 2021).
    """
    from statsmodels.stats.proportion import proportion_confint

    p, o = np.asarray(p, float), np.asarray(o, float)
    alpha = 1 - level
    values, inverse, counts = np.unique(p, return_inverse=True, return_counts=True)
    hits = np.bincount(inverse, weights=o)
    recalibrated = recalibrate(p, o)
    rng = np.random.default_rng(seed)
    simulated = np.empty((resamples, len(values)))
    for r in range(resamples):
        fake = (rng.random(len(p)) < p).astype(float)
        cal = recalibrate(p, fake)
        simulated[r] = np.bincount(inverse, weights=cal) / counts
    band = np.quantile(simulated, [alpha / 2, 1 - alpha / 2], axis=0)
    rows = []
    for k, value in enumerate(values):
        n, h = int(counts[k]), float(hits[k])
        low, high = proportion_confint(h, n, alpha=alpha, method="jeffreys")
        rows.append({
            "forecast": float(value),
            "n": n,
            "n_true": int(round(h)),
            "hit_rate": h / n,
            "hit_rate_low": float(low),
            "hit_rate_high": float(high),
            "consistency_low": float(stats.binom.ppf(alpha / 2, n, value) / n),
            "consistency_high": float(stats.binom.ppf(1 - alpha / 2, n, value) / n),
            "corp_recalibrated": float(recalibrated[inverse == k][0]),
            "corp_consistency_low": float(band[0, k]),
            "corp_consistency_high": float(band[1, k]),
        })
    return rows


def summary(p: np.ndarray, o: np.ndarray, base_rate: float) -> dict[str, float | int | None]:
    """The raw scores of a set of forecasts: means, skill scores and calibration-in-the-large.

    Brier skill is 1 − BS/BS_ref: against a constant 0.5 (BS_ref = 0.25) and against `base_rate`,
    the share of all scored claims that came true.
    """
    p, o = np.asarray(p, float), np.asarray(o, float)
    if len(p) == 0:
        return {"n_scored": 0}
    bs = float(brier(p, o).mean())
    bs_base = float(brier(np.full_like(p, base_rate), o).mean())
    return {
        "n_scored": int(len(p)),
        "n_true": int(o.sum()),
        "mean_probability": float(p.mean()),
        "hit_rate": float(o.mean()),
        "calibration_in_the_large": float(p.mean() - o.mean()),
        "brier": bs,
        "log_score": float(log_score(p, o).mean()),
        "brier_skill_vs_half": 1.0 - bs / 0.25,
        "brier_skill_vs_base_rate": (1.0 - bs / bs_base) if bs_base > 0 else None,
    }
