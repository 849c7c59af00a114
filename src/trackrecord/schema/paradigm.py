"""Paradigm spec (models/<id>.yaml): the series it covers, the curve families, priors, backtests."""

from __future__ import annotations

from pydantic import Field

from .common import DocumentedEnum, Id, IsoDate, Number, Record, Text
from .claim import Comparator


class CurveFamily(DocumentedEnum):
    EXPONENTIAL = "exponential", "linear in log (log-scale series), or its stated rival for bounded series"
    LOGISTIC = "logistic", "saturates at a ceiling; on bounded series, floor at chance and ceiling below 1"
    SUCCESSION = "succession", "a succession: two logistics on bounded series, two exponentials (the growth rate changes once) on log series"


class Distribution(DocumentedEnum):
    """The prior distributions of the family catalogue (schema/families.py), with their arguments."""

    NORMAL = "Normal", "mu, sigma"
    LOGNORMAL = "LogNormal", "mu, sigma (of the log)"
    HALFNORMAL = "HalfNormal", "sigma"
    EXPONENTIAL = "Exponential", "lam"
    BETA = "Beta", "alpha, beta"


class Prior(Record):
    dist: Distribution = Field(description=f"PyMC distribution. {Distribution.describe()}.")
    mu: Number | None = Field(None, description="Location.")
    sigma: Number | None = Field(None, gt=0, description="Scale.")
    lam: Number | None = Field(None, gt=0, description="Rate of an Exponential.")
    alpha: Number | None = Field(None, gt=0, description="Beta alpha.")
    beta: Number | None = Field(None, gt=0, description="Beta beta.")
    lower: Number | None = Field(None, description="Lower bound.")
    upper: Number | None = Field(None, description="Upper bound.")
    note: Text | None = Field(None, description="Why this prior.")


class Threshold(Record):
    series_id: Id = Field(description="The series the threshold is on.")
    comparator: Comparator = Field(description=f"{Comparator.describe()}.")
    threshold_value: Number = Field(description="The threshold, in the series' unit.")
    label: Text = Field(description="What crossing it means, e.g. 'one working week (2,400 minutes)'.")


class Paradigm(Record):
    id: Id = Field(description="Stable id, e.g. 'agents'; the file name.")
    name: Text = Field(description="Human-readable name.")
    description: Text = Field(description="What the paradigm is, and which series it covers.")
    series_ids: list[Id] = Field(default_factory=list, description="The metric series fitted under this paradigm.")
    families: list[CurveFamily] = Field(min_length=1, description="The curve families compared.")
    priors: dict[CurveFamily, dict[str, Prior]] = Field(
        default_factory=dict,
        description="Priors per family and parameter, as data; every parameter of every family fitted to a series of this paradigm needs one (site/methods/trend-models.md lists them).",
    )
    series_priors: dict[Id, dict[CurveFamily, dict[str, Prior]]] = Field(
        default_factory=dict,
        description="Priors for one series that replace the paradigm's, parameter by parameter, e.g. for an index on a linear scale among bounded series.",
    )
    backtest_origins: list[IsoDate] = Field(default_factory=list, description="Leave-future-out origins: refit on the points released before each date and score the points that follow.")
    backtest_horizons_years: list[Number] = Field(
        default_factory=lambda: [1.0, 2.0], description="How far past each origin the held-out points are scored, in years."
    )
    thresholds: list[Threshold] = Field(default_factory=list, description="Named thresholds whose crossing dates are reported.")
