"""The model structures: one per (series scale, curve family), each defined once.

A structure names its parameters (what they mean, their unit, which prior distributions suit
their support) and gives its mean curve as one function written against an `ops` namespace, so
the same formula builds the PyMC graph (pytensor ops) and is evaluated on posterior draws
(NumPy ops) for log-likelihoods, projections and crossing dates. Importing this module is cheap:
`trackrecord check` uses it to validate the priors in models/*.yaml.

Every series is fitted on its *model scale* y:
- log series: y = s · ln(value), s = +1 when higher is better and −1 when lower is better (a
  price falling 10x a year is "1/price" growing 10x a year, so one pair of families serves both);
- bounded series: y = value / ceiling, the share of a perfect score, with floor f = chance / ceiling;
- linear series (an index): y = s · value.

Priors are written relative to anchors computed from the points the fit sees (centre date,
last date, mean and maximum of y), so that the same prior means the same thing for a series of
FLOP and one of minutes: "the ceiling is 1–20 e-folds above the best point so far", "the
inflection is within a few years of the last observation" (METHODS.md §1.1, taming the ridge).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Probability-scale values are kept this far from 0 and 1 so a Beta likelihood stays finite
# when a benchmark score is exactly 0 % or 100 %.
BOUNDED_EPSILON = 1e-3

REAL = "real"
POSITIVE = "positive"
UNIT = "unit interval"

DISTRIBUTIONS_BY_SUPPORT: dict[str, tuple[str, ...]] = {
    REAL: ("Normal",),
    POSITIVE: ("LogNormal", "HalfNormal", "Exponential"),
    UNIT: ("Beta",),
}

# The hyperparameters each prior distribution takes, in the order PyMC takes them.
DISTRIBUTION_ARGUMENTS: dict[str, tuple[str, ...]] = {
    "Normal": ("mu", "sigma"),
    "LogNormal": ("mu", "sigma"),
    "HalfNormal": ("sigma",),
    "Exponential": ("lam",),
    "Beta": ("alpha", "beta"),
}


@dataclass(frozen=True)
class Parameter:
    name: str
    meaning: str
    unit: str
    support: str

    @property
    def distributions(self) -> tuple[str, ...]:
        return DISTRIBUTIONS_BY_SUPPORT[self.support]


@dataclass(frozen=True)
class Structure:
    scale: str
    family: str
    label: str
    parameters: tuple[Parameter, ...]
    likelihood: str  # "normal" (noise = sd on the model scale) or "beta" (precision φ)
    mean: Callable[[Any, dict[str, Any], dict[str, Any], Any], Any]
    draws_factor: int = 1  # draws per chain are this multiple of the settings' (see the changepoint model)

    @property
    def name(self) -> str:
        return f"{self.scale}-{self.family}"

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)


# --- parameters, shared between structures where the meaning is the same --------------------

LEVEL_OFFSET = Parameter("level_offset", "the trend's value at the centre date minus the mean of the data", "model-scale units", REAL)
SLOPE = Parameter("slope", "growth per year on the model scale (log units, logit units or index points)", "model-scale units per year", REAL)
NOISE = Parameter("noise", "standard deviation of the points around the trend", "model-scale units", POSITIVE)
PRECISION = Parameter("precision", "Beta precision φ of the scores around the trend (larger = tighter)", "none", POSITIVE)
RATE = Parameter("rate", "steepness of the S-curve", "per year", POSITIVE)
# The log and linear S-curves are written in what the data identify: the trend's level at the last
# point, the curve's steepness, and how far that point lies before the bend. Written in ceiling,
# rate and inflection date instead, the three slide along a curved ridge before the inflection (any
# later bend with a higher ceiling fits as well), and the sampler diverges there. Before the bend
# the data fix the level and the steepness (the growth rate) and say little about the bend, which
# its prior then bounds; past the bend they fix all three.
LEVEL_LAST = Parameter("level_last", "the trend's value at the date of the last point minus the best point so far", "model-scale units", REAL)
BEND = Parameter(
    "bend",
    "how far the last point lies before the inflection, in the curve's own time: rate × (inflection date − last date); "
    "large = growth there is still exponential, 0 = at the inflection, negative = past it",
    "none", REAL,
)
INFLECTION_OFFSET = Parameter("inflection_offset", "inflection date minus the date of the last point", "years", REAL)
CEILING_SHARE = Parameter("ceiling_share", "where the curve levels off, as a share of the distance from chance to a perfect score", "share", UNIT)
SLOPE_CHANGE = Parameter("slope_change", "change of the growth rate at the changepoint (positive: faster after it)", "model-scale units per year", REAL)
CHANGE_SHARE = Parameter("change_share", "when the growth rate changed, as a share of the span from the first point to the last", "share", UNIT)
# The rate changes smoothly over about a quarter of a year: sharp on the scale of the data, smooth
# enough for the sampler's gradients.
CHANGE_WIDTH_YEARS = 0.25
FIRST_SHARE = Parameter("first_share", "share of the total rise made in the first S-curve", "share", UNIT)
SECOND_RATE = Parameter("second_rate", "steepness of the second S-curve", "per year", POSITIVE)
STEP_GAP = Parameter("step_gap", "years from the first inflection to the second", "years", POSITIVE)


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


STRUCTURES: dict[tuple[str, str], Structure] = {
    (s.scale, s.family): s
    for s in (
        Structure("log", "exponential", "exponential: straight line in log(metric)", (LEVEL_OFFSET, SLOPE, NOISE), "normal", _exponential),
        Structure("log", "logistic", "logistic: the metric saturates at a ceiling K", (LEVEL_LAST, RATE, BEND, NOISE), "normal", _logistic_log),
        Structure(
            "log", "succession", "two exponentials in succession: the growth rate changes once, at an unknown date",
            (LEVEL_OFFSET, SLOPE, SLOPE_CHANGE, CHANGE_SHARE, NOISE), "normal", _piecewise_log,
            # With no change in the data the changepoint's date is unidentified and mixes slowly
            # (bulk and tail ESS about 330-460 from 6,000 draws on steady synthetic series).
            draws_factor=2,
        ),
        Structure("linear", "exponential", "linear trend in the index (steady progress)", (LEVEL_OFFSET, SLOPE, NOISE), "normal", _exponential),
        Structure(
            "linear", "logistic", "a linear trend that levels off at a ceiling",
            (LEVEL_LAST, SLOPE, RATE, BEND, NOISE), "normal", _logistic_linear,
        ),
        Structure("bounded", "exponential", "exponential growth of the odds above chance, no ceiling below a perfect score", (LEVEL_OFFSET, SLOPE, PRECISION), "beta", _odds_exponential),
        Structure(
            "bounded", "logistic", "logistic from chance to a ceiling below a perfect score",
            (CEILING_SHARE, RATE, INFLECTION_OFFSET, PRECISION), "beta", _logistic_bounded,
        ),
        Structure(
            "bounded", "succession", "two S-curves in succession, from chance to a ceiling",
            (CEILING_SHARE, FIRST_SHARE, RATE, SECOND_RATE, INFLECTION_OFFSET, STEP_GAP, PRECISION), "beta", _succession_bounded,
        ),
    )
}


def structure_for(scale: str, family: str) -> Structure | None:
    """The structure fitting `family` to a series on `scale`, or None where the pair is not modelled
    (a succession is two S-curves on bounded series, two exponentials on log series, and not defined
    for the linear index)."""
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
