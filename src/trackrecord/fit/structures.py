"""The model structures: one per (series scale, curve family) of the catalogue in
schema/families.py, which names each family's parameters (what they mean, their unit, which prior
distributions suit their support).

A structure adds its mean curve as one function written against an `ops` namespace, so the same
formula builds the PyMC graph (pytensor ops) and is evaluated on posterior draws (NumPy ops) for
log-likelihoods, projections and crossing dates.

Every series is fitted on its *model scale* y:
- log series: y = s · ln(value), s = +1 when higher is better and −1 when lower is better (a
  price falling 10x a year is "1/price" growing 10x a year, so one pair of families serves both);
- bounded series: y = value / ceiling, the share of a perfect score, with floor f = chance / ceiling;
- linear series (an index): y = s · value.

Priors are written relative to anchors computed from the points the fit sees (centre date,
last date, mean and maximum of y), so that the same prior means the same thing for a series of
FLOP and one of minutes: "the ceiling is 1–20 e-folds above the best point so far", "the
inflection is within a few years of the last observation" (site/methods/trend-models.md, "Priors").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..schema.families import CATALOGUE, DISTRIBUTION_ARGUMENTS, FamilySpec, Parameter  # noqa: F401 (re-exported for the fit stage)

# Probability-scale values are kept this far from 0 and 1 so a Beta likelihood stays finite
# when a benchmark score is exactly 0 % or 100 %.
BOUNDED_EPSILON = 1e-3

# The rate changes smoothly over about a quarter of a year: sharp on the scale of the data, smooth
# enough for the sampler's gradients.
CHANGE_WIDTH_YEARS = 0.25


@dataclass(frozen=True)
class Structure:
    """A family of the catalogue (schema/families.py) with its mean curve."""

    spec: FamilySpec
    mean: Callable[[Any, dict[str, Any], dict[str, Any], Any], Any]

    scale = property(lambda self: self.spec.scale)
    family = property(lambda self: self.spec.family)
    label = property(lambda self: self.spec.label)
    parameters = property(lambda self: self.spec.parameters)
    likelihood = property(lambda self: self.spec.likelihood)
    draws_factor = property(lambda self: self.spec.draws_factor)
    name = property(lambda self: self.spec.name)
    parameter_names = property(lambda self: self.spec.parameter_names)


def _exponential(t, p, a, ops):
    return a["y_mean"] + p["level_offset"] + p["slope"] * (t - a["t_centre"])


def logistic_natural(scale: str, p, a, ops) -> dict:
    """The S-curve's ceiling (as headroom above the best point so far), steepness, early slope and
    inflection offset from the parameters it is sampled in (the level at the last point, the
    steepness and the bend). The share of the peak growth rate still present at the last point is
    sigmoid(bend)."""
    rate = p["rate"]
    early_slope = rate if scale == "log" else p["slope"]  # log: y = ln K − softplus(−r (t − t_m)); linear: y = c − (b/r)·softplus(...)
    offset = p["bend"] / rate
    headroom = p["level_last"] + early_slope / rate * ops.softplus(p["bend"])
    return {"rate": rate, "slope": early_slope, "inflection_offset": offset, "headroom": headroom}


def _logistic_log(t, p, a, ops):
    # ln K − softplus(−r (t − t_m)): for t ≪ t_m exactly the exponential with slope r.
    n = logistic_natural("log", p, a, ops)
    return a["y_max"] + n["headroom"] - ops.softplus(-n["rate"] * (t - a["t_last"] - n["inflection_offset"]))


def _logistic_linear(t, p, a, ops):
    # c − (b/r)·softplus(−r (t − t_m)): a straight line of slope b that levels off at c.
    n = logistic_natural("linear", p, a, ops)
    return a["y_max"] + n["headroom"] - n["slope"] / n["rate"] * ops.softplus(-n["rate"] * (t - a["t_last"] - n["inflection_offset"]))


def _odds_exponential(t, p, a, ops):
    # Constant growth of the odds of success above chance; reaches a perfect score, no plateau.
    return a["floor"] + (1.0 - a["floor"]) * ops.sigmoid(a["logit_mean"] + p["level_offset"] + p["slope"] * (t - a["t_centre"]))


def _logistic_bounded(t, p, a, ops):
    t_mid = a["t_last"] + p["inflection_offset"]
    return a["floor"] + (1.0 - a["floor"]) * p["ceiling_share"] * ops.sigmoid(p["rate"] * (t - t_mid))


def _piecewise_log(t, p, a, ops):
    # A straight line in log(metric) whose slope changes once, by slope_change, at an unknown date
    # inside the data: the growth rate speeds up (slope_change > 0) or slows down.
    change = a["t_first"] + p["change_share"] * (a["t_last"] - a["t_first"])
    kink = CHANGE_WIDTH_YEARS * ops.softplus((t - change) / CHANGE_WIDTH_YEARS)
    return a["y_mean"] + p["level_offset"] + p["slope"] * (t - a["t_centre"]) + p["slope_change"] * kink


def _succession_bounded(t, p, a, ops):
    first_mid = a["t_last"] + p["inflection_offset"]
    second_mid = first_mid + p["step_gap"]  # ordered by construction: no label switching
    steps = p["first_share"] * ops.sigmoid(p["rate"] * (t - first_mid)) + (1.0 - p["first_share"]) * ops.sigmoid(
        p["second_rate"] * (t - second_mid)
    )
    return a["floor"] + (1.0 - a["floor"]) * p["ceiling_share"] * steps


MEANS: dict[tuple[str, str], Callable] = {
    ("log", "exponential"): _exponential,
    ("log", "logistic"): _logistic_log,
    ("log", "succession"): _piecewise_log,
    ("linear", "exponential"): _exponential,
    ("linear", "logistic"): _logistic_linear,
    ("bounded", "exponential"): _odds_exponential,
    ("bounded", "logistic"): _logistic_bounded,
    ("bounded", "succession"): _succession_bounded,
}

STRUCTURES: dict[tuple[str, str], Structure] = {key: Structure(spec, MEANS[key]) for key, spec in CATALOGUE.items()}


def structure_for(scale: str, family: str) -> Structure | None:
    """The structure fitting `family` to a series on `scale`, or None where the catalogue does not
    model the pair."""
    return STRUCTURES.get((scale, family))


class NumpyOps:
    """The ops namespace for evaluating mean curves on arrays of posterior draws."""

    def __init__(self) -> None:
        import numpy as np
        from scipy.special import expit

        self.exp = np.exp
        self.log = np.log
        self.sigmoid = expit
        self.softplus = lambda x: np.logaddexp(0.0, x)


class PytensorOps:
    """The ops namespace for building the PyMC graph."""

    def __init__(self) -> None:
        import pytensor.tensor as pt

        self.exp = pt.exp
        self.log = pt.log
        self.sigmoid = pt.sigmoid
        self.softplus = pt.softplus
