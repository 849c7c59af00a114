"""NumPy on posterior draws: pointwise log-likelihood, predictive draws, derived parameters.

Draws are a dict of flat arrays (one entry per parameter, S draws each). Computing the
log-likelihood here costs milliseconds and no compile (`pm.compute_log_likelihood` recompiles on
every call); the formulas are the same `Structure.mean` the PyMC graph was built from.
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln

from .curves import DAYS_PER_YEAR
from .data import SeriesData
from .structures import BOUNDED_EPSILON, NumpyOps, Structure, logistic_natural

_OPS: NumpyOps | None = None


def _ops() -> NumpyOps:
    global _OPS
    if _OPS is None:
        _OPS = NumpyOps()
    return _OPS


def mean_curve(structure: Structure, draws: dict[str, np.ndarray], anchors: dict, t: np.ndarray) -> np.ndarray:
    """The trend on the model scale: shape (draws, len(t))."""
    params = {name: np.asarray(draws[name])[:, None] for name in structure.parameter_names}
    with np.errstate(over="ignore"):
        mu = structure.mean(np.asarray(t, float)[None, :], params, anchors, _ops())
    mu = np.broadcast_to(mu, (len(next(iter(params.values()))), len(t)))
    if structure.likelihood == "beta":
        mu = np.clip(mu, BOUNDED_EPSILON, 1.0 - BOUNDED_EPSILON)
    return mu


def log_likelihood(structure: Structure, draws: dict[str, np.ndarray], anchors: dict, t: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pointwise log-likelihood: shape (draws, len(t))."""
    mu = mean_curve(structure, draws, anchors, t)
    y = np.asarray(y, float)[None, :]
    if structure.likelihood == "normal":
        sigma = np.asarray(draws["noise"])[:, None]
        return -0.5 * np.log(2 * np.pi) - np.log(sigma) - 0.5 * ((y - mu) / sigma) ** 2
    phi = np.asarray(draws["precision"])[:, None]
    a, b = mu * phi, (1.0 - mu) * phi
    return gammaln(phi) - gammaln(a) - gammaln(b) + (a - 1.0) * np.log(y) + (b - 1.0) * np.log1p(-y)


def predictive(structure: Structure, draws: dict[str, np.ndarray], anchors: dict, t: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Posterior predictive draws on the model scale, observation noise included."""
    mu = mean_curve(structure, draws, anchors, t)
    if structure.likelihood == "normal":
        return mu + np.asarray(draws["noise"])[:, None] * rng.standard_normal(mu.shape)
    phi = np.asarray(draws["precision"])[:, None]
    return rng.beta(mu * phi, (1.0 - mu) * phi)


def log_predictive_density(loglik: np.ndarray) -> np.ndarray:
    """log of the mean likelihood over draws, per point (the lpd of held-out points)."""
    m = loglik.max(axis=0)
    return m + np.log(np.mean(np.exp(loglik - m), axis=0))


def derived(structure: Structure, draws: dict[str, np.ndarray], anchors: dict, series: SeriesData) -> dict[str, tuple[np.ndarray, str]]:
    """Quantities a reader asks for, as draws with their unit: growth per year and doubling time for
    the exponential on a log scale; ceiling and inflection date for the S-curves."""
    out: dict[str, tuple[np.ndarray, str]] = {}
    if structure.family == "exponential" and series.scale == "log":
        slope = series.sign * np.asarray(draws["slope"])  # per year, in ln(metric)
        out["growth_per_year"] = (np.exp(slope), "multiplicative factor per year")
        with np.errstate(divide="ignore"):
            out["doubling_time_days"] = (np.log(2.0) / slope * DAYS_PER_YEAR, "days (negative: halving time)")
    if structure.family == "succession" and series.scale == "log":
        slope = series.sign * np.asarray(draws["slope"])
        after = slope + series.sign * np.asarray(draws["slope_change"])
        out["growth_per_year_after_change"] = (np.exp(after), "multiplicative factor per year")
        with np.errstate(divide="ignore"):
            out["doubling_time_days_after_change"] = (np.log(2.0) / after * DAYS_PER_YEAR, "days (negative: halving time)")
        span = anchors["t_last"] - anchors["t_first"]
        out["change_year"] = (anchors["t_first"] + np.asarray(draws["change_share"]) * span, "decimal year")
        out["p_speeding_up"] = ((np.asarray(draws["slope_change"]) > 0).astype(float), "probability")
    if series.scale == "log":
        # Average growth of the family's own trend over the two years before the last point, the
        # figure readers ask of agent horizons and compute, beside the all-time one.
        ends = np.array([anchors["t_last"] - 2.0, anchors["t_last"]])
        with np.errstate(over="ignore", invalid="ignore"):
            mu = mean_curve(structure, draws, anchors, ends)
            recent = series.sign * (mu[:, 1] - mu[:, 0]) / 2.0
        with np.errstate(divide="ignore"):
            out["doubling_time_days_last_2y"] = (np.log(2.0) / recent * DAYS_PER_YEAR, "days (negative: halving time), over the two years to the last point")
    if "bend" in draws:  # log and linear S-curves: ceiling and inflection follow from level, growth and bend
        with np.errstate(over="ignore"):
            natural = logistic_natural(series.scale, {k: np.asarray(v) for k, v in draws.items()}, anchors, _ops())
        draws = {**draws, "headroom": natural["headroom"], "inflection_offset": natural["inflection_offset"]}
    if "inflection_offset" in draws:
        inflection = anchors["t_last"] + np.asarray(draws["inflection_offset"])
        out["inflection_year"] = (inflection, "decimal year")
        out["inflection_past"] = ((inflection <= anchors["t_last"]).astype(float), "probability")
    if "headroom" in draws:
        out["ceiling"] = (series.to_metric(anchors["y_max"] + np.asarray(draws["headroom"])), series.unit)
    if "ceiling_share" in draws:
        share = anchors["floor"] + (1.0 - anchors["floor"]) * np.asarray(draws["ceiling_share"])
        out["ceiling"] = (series.to_metric(share), series.unit)
    return out
