"""The catalogue of trend-model families: for each (series scale, curve family), its parameters
(what they mean, their unit, which prior distributions suit their support) and the hyperparameters
each prior distribution takes. Defined once, here beside the paradigm schema: `check` validates the
priors in models/*.yaml against it, the fit stage builds its models from it (fit/structures.py
adds each family's mean curve), and the methods pages list it.
"""

from __future__ import annotations

from dataclasses import dataclass

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
FIRST_SHARE = Parameter("first_share", "share of the total rise made in the first S-curve", "share", UNIT)
SECOND_RATE = Parameter("second_rate", "steepness of the second S-curve", "per year", POSITIVE)
STEP_GAP = Parameter("step_gap", "years from the first inflection to the second", "years", POSITIVE)


@dataclass(frozen=True)
class FamilySpec:
    scale: str
    family: str
    label: str
    parameters: tuple[Parameter, ...]
    likelihood: str  # "normal" (noise = sd on the model scale) or "beta" (precision φ)
    draws_factor: int = 1  # draws per chain are this multiple of the settings' (see the changepoint model)

    @property
    def name(self) -> str:
        return f"{self.scale}-{self.family}"

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)


CATALOGUE: dict[tuple[str, str], FamilySpec] = {
    (s.scale, s.family): s
    for s in (
        FamilySpec("log", "exponential", "exponential: straight line in log(metric)", (LEVEL_OFFSET, SLOPE, NOISE), "normal"),
        FamilySpec("log", "logistic", "logistic: the metric saturates at a ceiling K", (LEVEL_LAST, RATE, BEND, NOISE), "normal"),
        FamilySpec(
            "log", "succession", "two exponentials in succession: the growth rate changes once, at an unknown date",
            (LEVEL_OFFSET, SLOPE, SLOPE_CHANGE, CHANGE_SHARE, NOISE), "normal",
            # With no change in the data the changepoint's date is unidentified and mixes slowly
            # (bulk and tail ESS about 330-460 from 6,000 draws on steady synthetic series).
            draws_factor=2,
        ),
        FamilySpec("linear", "exponential", "linear trend in the index (steady progress)", (LEVEL_OFFSET, SLOPE, NOISE), "normal"),
        FamilySpec(
            "linear", "logistic", "a linear trend that levels off at a ceiling",
            (LEVEL_LAST, SLOPE, RATE, BEND, NOISE), "normal",
        ),
        FamilySpec("bounded", "exponential", "exponential growth of the odds above chance, no ceiling below a perfect score", (LEVEL_OFFSET, SLOPE, PRECISION), "beta"),
        FamilySpec(
            "bounded", "logistic", "logistic from chance to a ceiling below a perfect score",
            (CEILING_SHARE, RATE, INFLECTION_OFFSET, PRECISION), "beta",
        ),
        FamilySpec(
            "bounded", "succession", "two S-curves in succession, from chance to a ceiling",
            (CEILING_SHARE, FIRST_SHARE, RATE, SECOND_RATE, INFLECTION_OFFSET, STEP_GAP, PRECISION), "beta",
        ),
    )
}


def family_spec(scale: str, family: str) -> FamilySpec | None:
    """The family fitted to a series on `scale`, or None where the pair is not modelled (a
    succession is two S-curves on bounded series, two exponentials on log series, and not defined
    for the linear index)."""
    return CATALOGUE.get((scale, family))
