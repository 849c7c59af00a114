"""The fit_* tables `trackrecord fit` writes: columns defined once here, DDL and comments generated.

Rows are plain dicts with exactly these keys; `write_tables` refuses any other.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from ..db.tables import Table, row_model, shared

FAMILIES = ("exponential", "logistic", "succession")


def _family_fields(family: str) -> dict:
    f = family
    return {
        f"elpd_loo_{f}": (float | None, Field(None, description=f"PSIS-LOO expected log predictive density of the {f} family (higher is better); empty if not fitted.")),
        f"elpd_loo_se_{f}": (float | None, Field(None, description=f"Standard error of elpd_loo_{f}.")),
        f"p_loo_{f}": (float | None, Field(None, description=f"Effective number of parameters of the {f} fit (PSIS-LOO).")),
        f"pareto_k_bad_{f}": (int | None, Field(None, description=f"Points whose Pareto k of the {f} fit exceeds the sample-size-dependent threshold (LOO unreliable for them).")),
        f"divergences_{f}": (int | None, Field(None, description=f"Divergent transitions in the {f} fit (any is a warning).")),
        f"max_rhat_{f}": (float | None, Field(None, description=f"Largest R-hat over the {f} fit's parameters (want <= 1.01).")),
        f"min_ess_bulk_{f}": (float | None, Field(None, description=f"Smallest bulk effective sample size over the {f} fit's parameters (want >= 400).")),
        f"min_ess_tail_{f}": (float | None, Field(None, description=f"Smallest tail effective sample size over the {f} fit's parameters (want >= 400).")),
        f"weight_{f}": (float | None, Field(None, description=f"Stacking weight of the {f} family (LOO stacking): its share in the projection mixture, not a probability that it is true.")),
        f"lfo_elpd_{f}": (float | None, Field(None, description=f"Leave-future-out score of the {f} family: summed log predictive density of the points in the first horizon after each backtest origin.")),
    }


ComparisonRow = row_model(
    "ComparisonRow",
    "One row per fitted series.",
    {
        **shared("series_id"),
        **shared("paradigm_id"),
        "scale": (str, Field(description="log, bounded or linear: how the series is modelled (site/methods/trend-models.md).")),
        "n_points": (int, Field(description="Frontier points fitted.")),
        "first_date": (dt.date, Field(description="Date of the first frontier point.")),
        "last_date": (dt.date, Field(description="Date of the last frontier point.")),
        "families": (list[str], Field(description="The curve families fitted.")),
        **{k: v for f in FAMILIES for k, v in _family_fields(f).items()},
        "lfo_points": (int, Field(description="Held-out points summed in the lfo_elpd_* columns (the same points for every family).")),
        "elpd_diff": (float | None, Field(None, description="elpd_loo_logistic minus elpd_loo_exponential: positive favours the logistic.")),
        "elpd_diff_se": (float | None, Field(None, description="Standard error of elpd_diff, from the pointwise differences; unreliable when |elpd_diff| < 4.")),
        "verdict": (str | None, Field(None, description="logistic_better or exponential_better when |elpd_diff| > 4 and > 2 standard errors, otherwise not_distinguishable; undetermined when the exponential or the logistic fit did not converge (divergences, R-hat > 1.01, bulk or tail ESS < 400).")),
        "verdict_note": (str | None, Field(None, description="Why the verdict is undetermined: which fit's sampler did not converge, and how; empty otherwise.")),
        "succession_elpd_diff": (float | None, Field(None, description="elpd_loo_succession (two S-curves on bounded series, two exponentials with a changepoint on log series) minus the better of the exponential and logistic; empty where no succession is fitted.")),
        "succession_elpd_diff_se": (float | None, Field(None, description="Standard error of succession_elpd_diff.")),
        "succession_verdict": (str | None, Field(None, description="succession_better, single_better or not_distinguishable, by the same rule as verdict (undetermined when the succession or the better single fit did not converge).")),
        "p_speeding_up": (float | None, Field(None, description="Log series: posterior probability, under the succession (changepoint) model, that the growth rate rose at its changepoint; empty elsewhere.")),
        "trend_verdict": (str | None, Field(None, description="The series' answer: bending (an S-curve, two S-curves, or a changepoint to slower growth fits better), steady (the exponential fits better and no succession beats it), speeding_up (log series: a changepoint to faster growth beats both single curves, P(speeding up) >= 0.95), not_distinguishable, or undetermined (a compared fit did not converge).")),
        "trend_verdict_note": (str | None, Field(None, description="Why the answer is undetermined: which fit's sampler did not converge, and how; empty otherwise.")),
        "logistic_prior_driven": (bool | None, Field(None, description="True when where the logistic bends (bend, or inflection_offset) or its ceiling (ceiling_share) is driven by its prior: the data shrink the prior variance by less than half (posterior contraction < 0.5).")),
        "logistic_prior_driven_parameters": (list[str], Field(description="Which of bend, inflection_offset or ceiling_share are prior-driven.")),
        "prior_check_coverage": (float, Field(description="Prior predictive check: the smallest share, over the families, of the observed points inside the 90% band the priors alone predict (fit_prior_predictive); near 1, the priors allow the data.")),
        "divergences": (int, Field(description="Divergent transitions over all families' main fits.")),
        "max_rhat": (float, Field(description="Largest R-hat over all families' main fits.")),
        "min_ess_bulk": (float, Field(description="Smallest bulk ESS over all families' main fits.")),
        "min_ess_tail": (float, Field(description="Smallest tail ESS over all families' main fits.")),
        "diagnostics_ok": (bool, Field(description="No divergences, R-hat <= 1.01 and bulk and tail ESS >= 400 in every main fit; when false, a verdict that rests on a failing fit is undetermined.")),
        "baseline_slope_per_year": (float | None, Field(None, description="Baseline (statsmodels OLS with HAC errors): slope of the exponential on the model scale, per year.")),
        "baseline_slope_se": (float | None, Field(None, description="Baseline: HAC standard error of that slope.")),
        "baseline_in_bayes_interval": (bool | None, Field(None, description="Sanity check: the baseline slope lies inside the Bayesian exponential's 90% interval.")),
        "fit_key": (str, Field(description="Content hash of the data, priors, settings and code this row was computed from.")),
    },
)

PosteriorRow = row_model(
    "PosteriorRow",
    "Per series, family and parameter.",
    {
        **shared("series_id"),
        **shared("family"),
        "method": (str, Field(description="bayesian (PyMC posterior) or baseline (statsmodels/SciPy estimate, labelled as such; sd is its standard error where there is one).")),
        "parameter": (str, Field(description="Model parameter (site/methods/trend-models.md) or derived quantity: growth_per_year, doubling_time_days, ceiling, inflection_year, inflection_past.")),
        "unit": (str, Field(description="Unit of the values.")),
        "mean": (float | None, Field(None, description="Posterior mean (for inflection_past: the probability that the inflection is at or before the last point).")),
        "sd": (float | None, Field(None, description="Posterior standard deviation.")),
        **shared("q05", "q50", "q95", optional=True),
        "mcse_mean": (float | None, Field(None, description="Monte Carlo standard error of the mean (ArviZ, from the chains); the site prints no more digits than it supports. Empty for the baseline.")),
        "mcse_q05": (float | None, Field(None, description="Monte Carlo standard error of q05.")),
        "mcse_q50": (float | None, Field(None, description="Monte Carlo standard error of q50.")),
        "mcse_q95": (float | None, Field(None, description="Monte Carlo standard error of q95.")),
    },
)

ProjectionRow = row_model(
    "ProjectionRow",
    "Per series, curve and date.",
    {
        **shared("series_id"),
        "curve": (str, Field(description="stacked (families mixed by stacking weight), one family's name, or baseline (OLS exponential prediction interval).")),
        "date": (dt.date, Field(description="First day of the month, from the first point to the projection end.")),
        **shared("q05", "q25", "q50", "q75", "q95"),
    },
)

PriorPredictiveRow = row_model(
    "PriorPredictiveRow",
    "Per series, family and date: what the priors alone imply, for the prior predictive checks.",
    {
        **shared("series_id"),
        **shared("family"),
        "date": (dt.date, Field(description="First day of the month.")),
        **shared("q05", "q50", "q95"),
    },
)

ThresholdRow = row_model(
    "ThresholdRow",
    "Per threshold and date.",
    {
        **shared("series_id"),
        "subject": (str, Field(description="claim (an operationalised claim) or paradigm (a threshold named in models/<paradigm>.yaml).")),
        **shared("claim_id", optional=True),
        "label": (str, Field(description="What crossing means.")),
        "comparator": (str, Field(description="How the series is compared with the threshold.")),
        "threshold_value": (float, Field(description="The threshold, in the series' unit.")),
        "by_date": (dt.date, Field(description="The claim's deadline, or (paradigm thresholds) the end of each year to the projection end.")),
        "p_crossed_by_date": (float, Field(description="Share of stacked posterior trend draws that meet the threshold on or before by_date.")),
        "p_crossed_by_horizon_end": (float, Field(description="The same by the projection end.")),
        "crossing_q05": (dt.date | None, Field(None, description="5% quantile of the trend's crossing date; empty when it falls after the projection end.")),
        "crossing_q50": (dt.date | None, Field(None, description="Median crossing date; empty when after the projection end.")),
        "crossing_q95": (dt.date | None, Field(None, description="95% quantile of the crossing date; empty when after the projection end.")),
        "observed_crossing_date": (dt.date | None, Field(None, description="Date of the first frontier point that meets the threshold, if any.")),
    },
)

BacktestRow = row_model(
    "BacktestRow",
    "Leave-future-out refits: per series, origin, horizon and family.",
    {
        **shared("series_id"),
        "origin_date": (dt.date, Field(description="The fit saw only points released before this date.")),
        "horizon_years": (float, Field(description="Held-out points from the origin up to this many years after it are scored.")),
        **shared("family"),
        "n_train": (int, Field(description="Points the refit saw.")),
        "n_test": (int, Field(description="Held-out points scored.")),
        "lpd": (float, Field(description="Summed log predictive density of the held-out points (higher is better).")),
        "lpd_mean": (float, Field(description="lpd per held-out point.")),
        "coverage_50": (float, Field(description="Share of held-out points inside the 50% predictive interval (calibrated: 0.5).")),
        "coverage_90": (float, Field(description="Share inside the 90% predictive interval (calibrated: 0.9).")),
        "divergences": (int, Field(description="Divergent transitions in the refit.")),
    },
)

def _as_in(model, *names: str) -> dict:
    """Columns that mean the same in another table, taken from it: defined and described once."""
    return {n: (model.model_fields[n].annotation, model.model_fields[n]) for n in names}


VerdictHistoryRow = row_model(
    "VerdictHistoryRow",
    "When could we have known? The verdict the points before each cutoff supported.",
    {
        **shared("series_id"),
        "cutoff_date": (dt.date, Field(description="The fits saw only points released before this date: a backtest origin, or, on the last row, the day after the last point (every point).")),
        "n_points": (int, Field(description="Points the fits saw.")),
        "last_point_date": (dt.date, Field(description="Date of the last point the fits saw.")),
        **_as_in(ComparisonRow, "trend_verdict", "trend_verdict_note", "verdict", "elpd_diff", "elpd_diff_se", "p_speeding_up"),
        "p_inflection_past": (float | None, Field(None, description="Posterior probability, under the logistic fit, that the inflection is at or before the last point the fits saw; empty where no logistic is fitted.")),
        "p_inflection_past_mcse": (float | None, Field(None, description="Monte Carlo standard error of p_inflection_past.")),
        "diagnostics_ok": (bool, Field(description="Every fit behind this row converged (no divergences, R-hat <= 1.01, bulk and tail ESS >= 400).")),
    },
)

COMPARISONS = Table("fit_comparisons", "Exponential vs logistic (and succession) per series: PSIS-LOO, leave-future-out scores, stacking weights, verdict and diagnostics.", ComparisonRow, ("series_id",))
POSTERIORS = Table("fit_posteriors", "Posterior summaries per series, family and parameter (q05, q50, q95: posterior quantiles in the parameter's unit), with the statsmodels baseline labelled method = 'baseline'.", PosteriorRow, ("series_id", "family", "method", "parameter"))
PROJECTIONS = Table("fit_projections", "Posterior predictive bands per series and month, to the projection end: q05 to q95 are quantiles of the posterior predictive (observation noise included), in the series' unit.", ProjectionRow, ("series_id", "curve", "date"))
PRIOR_PREDICTIVE = Table("fit_prior_predictive", "Prior predictive bands per series, family and month (what the priors alone allow): q05, q50, q95 are quantiles of the prior predictive, in the series' unit.", PriorPredictiveRow, ("series_id", "family", "date"))
THRESHOLDS = Table("fit_thresholds", "Probability that the trend crosses a threshold by a date, and the distribution of the crossing date.", ThresholdRow, ())
BACKTESTS = Table("fit_backtests", "Leave-future-out backtests: refits on the points before each origin, scored on the points after it.", BacktestRow, ("series_id", "origin_date", "horizon_years", "family"))

VERDICT_HISTORY = Table("fit_verdict_history", "The verdict at each backtest origin and with every point: when the bend (or the speed-up) first became distinguishable, or that it never has.", VerdictHistoryRow, ("series_id", "cutoff_date"))

FIT_TABLES = [COMPARISONS, POSTERIORS, PROJECTIONS, PRIOR_PREDICTIVE, THRESHOLDS, BACKTESTS, VERDICT_HISTORY]
