"""The curve families, as plain NumPy functions of decimal years.

On the log scale (compute, horizons, prices) the exponential is linear in log(metric) and the
logistic saturates the metric at K: log K − softplus(−r (t − t_m)); for t ≪ t_m the two coincide,
which is why they cannot be told apart before the inflection (site/methods/trend-models.md, "The families"). Bounded series
(accuracy) rise from a floor f (chance) to a ceiling c below 1; the rival of the logistic there is
an exponential approach to the ceiling, concave from the start.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

DAYS_PER_YEAR = 365.25


def decimal_year(day: dt.date) -> float:
    start = dt.date(day.year, 1, 1)
    length = (dt.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def softplus(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, x)  # log(1 + e^x) without overflow


def exponential_log(t: np.ndarray, intercept: float, slope: float, t_centre: float = 0.0) -> np.ndarray:
    """log(metric) = intercept + slope · (t − t_centre): constant growth."""
    return intercept + slope * (np.asarray(t, float) - t_centre)


def logistic_log(t: np.ndarray, log_ceiling: float, rate: float, t_mid: float) -> np.ndarray:
    """log(metric) of a logistic saturating at K = exp(log_ceiling), inflection (K/2) at t_mid."""
    return log_ceiling - softplus(-rate * (np.asarray(t, float) - t_mid))


def logistic_bounded(t: np.ndarray, floor: float, ceiling: float, rate: float, t_mid: float) -> np.ndarray:
    """Accuracy rising from floor to ceiling, halfway at t_mid."""
    return floor + (ceiling - floor) / (1.0 + np.exp(-rate * (np.asarray(t, float) - t_mid)))


def exponential_approach(t: np.ndarray, floor: float, ceiling: float, rate: float, t_start: float) -> np.ndarray:
    """Accuracy closing the gap to the ceiling at a constant rate from t_start (floor before it)."""
    elapsed = np.clip(np.asarray(t, float) - t_start, 0.0, None)
    return ceiling - (ceiling - floor) * np.exp(-rate * elapsed)


def doubling_time_days(slope_per_year: float) -> float:
    """Doubling time of exp(slope · t) in days; infinite for no growth, negative for decline (halving)."""
    return float(np.log(2.0) / slope_per_year * DAYS_PER_YEAR) if slope_per_year else float("inf")


def growth_per_year(slope_per_year: float) -> float:
    """The multiplicative factor per year of exp(slope · t)."""
    return float(np.exp(slope_per_year))
