"""The trend baseline: what the trend models said, on the day a claim was made, about its threshold.

For each operationalised claim, every family of its paradigm is refitted on the series' frontier
points released *before* the claim's made_date (`SeriesData.before`, so there is no look-ahead:
moving the date earlier can only remove points). The families are mixed by their LOO stacking
weights on those points, and the baseline probability is the share of stacked trend draws that
meet the threshold by the deadline (for an at_most claim, the share that do not). If a point
before the claim already met the threshold, the trend needs no extrapolation: the probability
is 1 (0 for at_most).

Fits are cached like `trackrecord fit`'s (same content hash), so a claim made after the last
point shares the main fit and an unchanged claim costs nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..atomic import write_atomically
from ..fit import posterior as P
from ..fit.curves import decimal_year
from ..fit.data import ParadigmSpec, SeriesData
from ..fit.cache import code_version, content_key
from ..fit.compare import psis_loo, stacking_weights
from ..fit.run import MIN_POINTS, STACKED_DRAWS, Fitter, meets_threshold, month_grid, priors_fingerprint, take_draws
from ..fit.structures import structure_for


@dataclass(frozen=True)
class OperationalisedClaim:
    claim_id: str
    made_date: dt.date
    deadline: dt.date
    series_id: str
    comparator: str
    threshold_value: float
    direction: str  # at_least | at_most


def training_points(series: SeriesData, made_date: dt.date) -> SeriesData:
    """The points the baseline may see: those released strictly before the claim was made."""
    return series.before(made_date)


def baseline_for(fitter: Fitter, claim: OperationalisedClaim, series: SeriesData, spec: ParadigmSpec) -> dict:
    """One row of score_trend_baseline (see tables.TrendBaselineRow)."""
    train = training_points(series, claim.made_date)
    row = {
        "claim_id": claim.claim_id,
        "series_id": claim.series_id,
        "made_date": claim.made_date,
        "deadline_date": claim.deadline,
        "comparator": claim.comparator,
        "threshold_value": float(claim.threshold_value),
        "direction": claim.direction,
        "n_points_used": len(train.dates),
        "last_point_date": train.dates[-1] if train.dates else None,
        "basis": None,
        "p_crossed_by_deadline": None,
        "p_claim_true": None,
        "p_crossed_exponential": None,
        "p_crossed_logistic": None,
        "weight_exponential": None,
        "weight_logistic": None,
        "families": [],
    }
    already = [d for d, v in zip(train.dates, train.values) if meets_threshold(np.array([v]), claim.comparator, claim.threshold_value)[0]]
    if already:
        row.update(basis="observed_before_claim", p_crossed_by_deadline=1.0)
    elif len(train.dates) < MIN_POINTS:
        row.update(basis="too_few_points")
    else:
        row.update(_stacked_probability(fitter, claim, train, spec))
        row["basis"] = "trend_models"
    if row["p_crossed_by_deadline"] is not None:
        crossed = row["p_crossed_by_deadline"]
        row["p_claim_true"] = crossed if claim.direction == "at_least" else 1.0 - crossed
    return row


def _code_version() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def _stacked_probability(fitter: Fitter, claim: OperationalisedClaim, train: SeriesData, spec: ParadigmSpec) -> dict:
    structures = [s for s in (structure_for(train.scale, f) for f in spec.families) if s is not None]
    priors = {s.family: spec.priors_for(train.series_id, s.family) for s in structures}
    key = content_key(code_version(), fitter.settings.as_dict(), train.fingerprint(),
                      {s.family: priors_fingerprint(s, priors[s.family]) for s in structures},
                      claim.comparator, float(claim.threshold_value), claim.deadline.isoformat(), _code_version())
    path = fitter.build_dir / "cache" / "baseline" / f"{key}.json"
    if fitter.use_cache and path.exists():
        return json.loads(path.read_text())

    data = train.model_data()
    fits = {}
    for s in structures:
        fitter.progress(f"trend baseline {claim.claim_id}: {s.family}")
        fits[s.family] = fitter.unit_fit(train, s, priors[s.family])
    weights = _stacking_weights(structures, fits, data)
    grid = month_grid(train.dates[0], max(claim.deadline, train.dates[-1]))
    tgrid = np.array([decimal_year(d) for d in grid])
    n_by = sum(1 for d in grid if d <= claim.deadline)
    rng = np.random.default_rng(int(key[:8], 16))
    per_family = {}
    stacked = []
    for s in structures:
        trend = train.to_metric(P.mean_curve(s, fits[s.family]["draws"], data, tgrid))
        crossed = meets_threshold(trend[:, :n_by], claim.comparator, claim.threshold_value).any(axis=1)
        per_family[s.family] = float(crossed.mean())
        stacked.append(take_draws(crossed.astype(float), round(weights[s.family] * STACKED_DRAWS), rng))
    result = {
        "p_crossed_by_deadline": float(np.concatenate(stacked).mean()),
        "p_crossed_exponential": per_family.get("exponential"),
        "p_crossed_logistic": per_family.get("logistic"),
        "weight_exponential": weights.get("exponential"),
        "weight_logistic": weights.get("logistic"),
        "families": sorted(weights),
    }
    write_atomically(path, json.dumps(result, sort_keys=True))
    return result


def _stacking_weights(structures, fits: dict, data: dict) -> dict[str, float]:
    return stacking_weights({s.family: psis_loo(s, fits[s.family], data) for s in structures})
