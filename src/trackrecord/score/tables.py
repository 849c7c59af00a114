"""The score_* tables `trackrecord score` writes: columns defined once here, DDL and comments generated.

Scores are losses (lower is better) unless a column says otherwise. Rows are plain dicts with
exactly these keys.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from ..db.tables import Table, row_model, shared

LEADERBOARD_MIN_SCORED = 3  # predictors with fewer scored claims are scored but not ranked


def _interval(name: str, what: str) -> dict:
    return {
        f"{name}_mean": (float | None, Field(None, description=f"Posterior mean of {what}.")),
        f"{name}_low": (float | None, Field(None, description=f"5% posterior quantile of {what}.")),
        f"{name}_high": (float | None, Field(None, description=f"95% posterior quantile of {what}.")),
    }


ClaimScoreRow = row_model(
    "ClaimScoreRow",
    "One row per claim whose resolution is not pending.",
    {
        **shared("claim_id"),
        **shared("predictor_id"),
        "made_date": (dt.date, Field(description="When it was made.")),
        "deadline_date": (dt.date, Field(description="Its deadline.")),
        "horizon_years": (float, Field(description="Years from made_date to deadline_date.")),
        "horizon_bucket": (str, Field(description="horizon_years grouped: under 2, 2-5, 5-10, 10-20, 20 or more.")),
        "direction": (str, Field(description="at_least (it happens by the deadline) or at_most (it does not).")),
        "topics": (list[str], Field(description="The claim's topic tags.")),
        "role_class_at_made": (str | None, Field(None, description="The predictor's role class on made_date (v_claims); empty if unknown.")),
        "insider_status": (str, Field(description="insider, outsider or unknown: from the role held on made_date.")),
        "question_key": (str, Field(description="The event the claim is about, shared by claims whose outcomes move together: series, comparator, threshold and deadline year for an operationalised claim, otherwise the first topic and the deadline year. The calibration model gives each question a shared effect.")),
        "resolution_status": (str, Field(description="true, false, partly, ambiguous or retracted.")),
        "is_scored": (bool, Field(description="True when the claim enters the scores (default scale, partly excluded).")),
        "exclusion_reason": (str | None, Field(None, description="Why it is not scored: ambiguous, retracted, unscorable (a hedge such as 'could'), or partly (scored only in the sensitivity scenarios).")),
        "probability_basis": (str, Field(description="stated, verbal, editorial or unscorable (confidence.basis).")),
        "confidence_phrase": (str | None, Field(None, description="The verbal phrase, for basis verbal.")),
        "verbal_phrase": (str | None, Field(None, description="The verbal scale's phrase that confidence_phrase is (an alias of).")),
        "probability": (float | None, Field(None, description="The probability scored: the stated or editorial value, or the phrase's default on the verbal scale.")),
        "probability_low": (float | None, Field(None, description="The phrase's low value on the verbal scale (same as probability for other bases).")),
        "probability_high": (float | None, Field(None, description="The phrase's high value on the verbal scale.")),
        "outcome": (int | None, Field(None, description="1 if the claim came true, 0 if not; empty when not scored.")),
        "brier": (float | None, Field(None, description="Brier score (probability − outcome)².")),
        "log_score": (float | None, Field(None, description="Log score −ln(probability of what happened), with probabilities clipped to [0.01, 0.99] (proper.LOG_SCORE_CLIP).")),
        "trend_baseline_probability": (float | None, Field(None, description="The trend baseline's probability that the claim comes true, from fits on points before made_date (score_trend_baseline).")),
        "trend_baseline_brier": (float | None, Field(None, description="Brier score of the trend baseline on this claim.")),
        "trend_baseline_log_score": (float | None, Field(None, description="Log score of the trend baseline on this claim.")),
        "lateness_status": (str | None, Field(None, description="For at_least claims resolved true, false or partly: on_time, late (came true after the deadline) or not_yet.")),
        "lateness_years": (float | None, Field(None, description="Years after the deadline it came true (0 if on time); for not_yet, the years since the deadline so far (censored).")),
        "collection_ids": (list[str], Field(description="The systematic collections the claim belongs to (rec_claim_collections).")),
        "selection": (str, Field(description="systematic when the claim belongs to at least one systematic collection, curated otherwise (chosen by the editors).")),
    },
)

_group_doc = "What the row describes: all, predictor, role_class, insider_status, topic, horizon, collection (one systematic collection), selection (systematic: claims in any systematic collection; curated: the rest), systematic_insider_status (insider status within the systematic claims), or trend_baseline (the trend models scored as a predictor)."

PredictorScoreRow = row_model(
    "PredictorScoreRow",
    "Scores per predictor and per group of claims.",
    {
        "group_kind": (str, Field(description=_group_doc)),
        "group_id": (str, Field(description="The predictor id, role class, status, topic, horizon bucket, collection id, or selection; 'all' for every scored claim.")),
        "n_claims": (int, Field(description="Claims not pending.")),
        "n_excluded": (int, Field(description="Of those, excluded from the scores (ambiguous, retracted, unscorable, partly).")),
        "n_scored": (int, Field(description="Claims scored.")),
        "n_true": (int | None, Field(None, description="Scored claims that came true.")),
        "mean_probability": (float | None, Field(None, description="Mean probability of the scored claims.")),
        "hit_rate": (float | None, Field(None, description="Share of scored claims that came true.")),
        "calibration_in_the_large": (float | None, Field(None, description="mean_probability − hit_rate: positive means too sure things would happen.")),
        "brier": (float | None, Field(None, description="Mean Brier score (0 perfect, 0.25 for always saying 0.5).")),
        "log_score": (float | None, Field(None, description="Mean log score (clipped at 0.01; ln 2 ≈ 0.69 for always saying 0.5).")),
        "brier_skill_vs_half": (float | None, Field(None, description="1 − brier / 0.25: skill over always saying 0.5 (higher is better; negative is worse).")),
        "brier_skill_vs_base_rate": (float | None, Field(None, description="1 − brier / Brier of the base rate (the share of all scored claims that came true) on the same claims (higher is better).")),
        "murphy_reliability": (float | None, Field(None, description="Murphy decomposition, binned by distinct probability: reliability (miscalibration; lower is better).")),
        "murphy_resolution": (float | None, Field(None, description="Murphy resolution (higher is better).")),
        "murphy_uncertainty": (float | None, Field(None, description="Murphy uncertainty, hit_rate·(1 − hit_rate). brier = reliability − resolution + uncertainty.")),
        "corp_brier_miscalibration": (float | None, Field(None, description="CORP decomposition of the Brier score: miscalibration (isotonic recalibration).")),
        "corp_brier_discrimination": (float | None, Field(None, description="CORP discrimination of the Brier score. brier = miscalibration − discrimination + uncertainty.")),
        "corp_log_miscalibration": (float | None, Field(None, description="CORP decomposition of the log score: miscalibration.")),
        "corp_log_discrimination": (float | None, Field(None, description="CORP discrimination of the log score.")),
        "corp_log_uncertainty": (float | None, Field(None, description="CORP uncertainty of the log score (the log score of the hit rate).")),
        **_interval("calibration_intercept", "the calibration intercept a averaged over the group's scored claims (hierarchical model; 0 is calibrated, above 0 is under-predicting)"),
        **_interval("calibration_slope", "the calibration slope b averaged over the group's scored claims (1 is calibrated; below 1 is overconfident)"),
        **_interval("expected_brier", "the expected Brier score with this calibration on the reference set (every scored claim's probability)"),
        **_interval("expected_log_score", "the expected log score with this calibration on the reference set"),
        "rank_median": (float | None, Field(None, description=f"Predictors with at least {LEADERBOARD_MIN_SCORED} scored claims: median posterior rank by expected_brier (1 is best).")),
        "rank_low": (float | None, Field(None, description="5% quantile of the posterior rank.")),
        "rank_high": (float | None, Field(None, description="95% quantile of the posterior rank.")),
        "n_shared_with_trend_baseline": (int | None, Field(None, description="Scored claims that also have a trend-baseline probability.")),
        "brier_on_shared": (float | None, Field(None, description="The group's mean Brier score on those claims.")),
        "trend_baseline_brier_on_shared": (float | None, Field(None, description="The trend baseline's mean Brier score on the same claims.")),
        "brier_minus_trend_baseline": (float | None, Field(None, description="brier_on_shared − trend_baseline_brier_on_shared: negative means the group beat the trend line on the claims they share. (A difference, not a skill ratio, because the trend line's Brier score can be near 0.)")),
    },
)

CalibrationBinRow = row_model(
    "CalibrationBinRow",
    "Reliability-diagram data: one row per group and distinct forecast probability.",
    {
        "group_kind": (str, Field(description="all, insider_status, phrase (the claims hedged with one verbal phrase: what it meant in practice), predictor, selection (systematic or curated), or trend_baseline.")),
        "group_id": (str, Field(description="The group: the status, the phrase, or the predictor id.")),
        "forecast": (float, Field(description="A distinct probability the group's claims stated.")),
        "n": (int, Field(description="Scored claims with that probability.")),
        "n_true": (int, Field(description="Of those, came true.")),
        "hit_rate": (float, Field(description="n_true / n.")),
        "hit_rate_low": (float, Field(description="Jeffreys 90% interval for the hit rate, lower end.")),
        "hit_rate_high": (float, Field(description="Jeffreys 90% interval, upper end.")),
        "consistency_low": (float, Field(description="5% quantile of the hit rate n such forecasts would show if perfectly calibrated (Binomial).")),
        "consistency_high": (float, Field(description="95% quantile of that hit rate.")),
        "corp_recalibrated": (float, Field(description="CORP: the isotonic recalibration of the outcomes at this probability (the reliability curve).")),
        "corp_consistency_low": (float, Field(description="5% quantile of the recalibrated value under perfect calibration (1000 resamples).")),
        "corp_consistency_high": (float, Field(description="95% quantile of that value.")),
    },
)

GroupComparisonRow = row_model(
    "GroupComparisonRow",
    "Insiders against outsiders, and each role class against the rest: differences with intervals.",
    {
        "comparison": (str, Field(description="insider_vs_outsider, systematic_insider_vs_outsider (the same, on the claims of systematic collections only), or role_class_vs_rest.")),
        "group_id": (str, Field(description="insider, or the role class.")),
        "rest_id": (str, Field(description="outsider, or 'rest' (every other scored claim with a known role).")),
        "metric": (str, Field(description="calibration_intercept, calibration_slope, expected_brier, expected_log_score (posterior of the hierarchical model), or brier (raw, bootstrap over claims).")),
        "method": (str, Field(description="posterior or bootstrap.")),
        "n_group": (int, Field(description="Scored claims in the group.")),
        "n_rest": (int, Field(description="Scored claims in the rest.")),
        "group_value": (float, Field(description="The group's value (posterior mean, or raw).")),
        "rest_value": (float, Field(description="The rest's value.")),
        "difference_mean": (float, Field(description="group − rest: mean.")),
        "difference_low": (float, Field(description="group − rest: 5% quantile.")),
        "difference_high": (float, Field(description="group − rest: 95% quantile.")),
        "p_group_better": (float, Field(description="Posterior (or bootstrap) probability that the group is better: lower score, slope nearer 1, intercept nearer 0.")),
    },
)

SensitivityRow = row_model(
    "SensitivityRow",
    "The headline numbers under each reading of the verbal scale and of 'partly' outcomes.",
    {
        "scenario": (str, Field(description="default, verbal_low, verbal_high, partly_as_true or partly_as_false.")),
        "verbal_variant": (str, Field(description="low, default or high: which value of each verbal phrase is used.")),
        "partly_rule": (str, Field(description="excluded (default), as_true or as_false: how claims resolved 'partly' are scored.")),
        "metric": (str, Field(description="The headline number (see the methods page).")),
        "value": (float | None, Field(None, description="Its value (posterior mean for model quantities).")),
        "low": (float | None, Field(None, description="5% posterior quantile, for model quantities.")),
        "high": (float | None, Field(None, description="95% posterior quantile, for model quantities.")),
    },
)

LatenessRow = row_model(
    "LatenessRow",
    "How late at_least claims came true, per group: a Kaplan-Meier summary of years from deadline to coming true, with claims not yet true censored at today.",
    {
        "group_kind": (str, Field(description="all, predictor, role_class, insider_status, topic, or topic_role (a topic's claims by one role class).")),
        "group_id": (str, Field(description="The group (a predictor id for predictor); topic_role is '<topic>/<role class>'.")),
        "n_claims": (int, Field(description="at_least claims resolved true, false or partly.")),
        "n_on_time": (int, Field(description="Came true by the deadline.")),
        "n_late": (int, Field(description="Came true after the deadline (came_true_date).")),
        "n_not_yet": (int, Field(description="Not (fully) true yet: censored at today.")),
        "median_years_late": (float | None, Field(None, description="Kaplan-Meier median of years late (0: half came true on time); empty when fewer than half have come true yet.")),
        "median_years_late_low": (float | None, Field(None, description="Lower end of the 90% confidence interval of the median (statsmodels).")),
        "median_years_late_high": (float | None, Field(None, description="Upper end; empty when unbounded.")),
        "share_true_within_5_years": (float | None, Field(None, description="Kaplan-Meier share that came true within 5 years after the deadline.")),
        "max_followup_years": (float, Field(description="The longest a claim has been followed past its deadline.")),
        "summary": (str, Field(description="The row in words.")),
    },
)

TrendBaselineRow = row_model(
    "TrendBaselineRow",
    "The trend baseline for every operationalised claim: trend models refitted on the points released before the claim was made.",
    {
        **shared("claim_id"),
        **shared("series_id"),
        "made_date": (dt.date, Field(description="The claim's date: the fit saw only points released before it.")),
        "deadline_date": (dt.date, Field(description="The claim's deadline.")),
        "comparator": (str, Field(description="How the series is compared with the threshold.")),
        "threshold_value": (float, Field(description="The threshold, in the series' unit.")),
        "direction": (str, Field(description="at_least or at_most.")),
        "n_points_used": (int, Field(description="Frontier points released before made_date.")),
        "last_point_date": (dt.date | None, Field(None, description="The latest of them.")),
        "basis": (str, Field(description="trend_models, observed_before_claim (a point before the claim already met the threshold), or too_few_points (fewer than 5: no baseline).")),
        "families": (list[str], Field(description="The families fitted and stacked.")),
        "weight_exponential": (float | None, Field(None, description="Stacking weight of the exponential on the points used.")),
        "weight_logistic": (float | None, Field(None, description="Stacking weight of the logistic.")),
        "p_crossed_exponential": (float | None, Field(None, description="Share of the exponential's trend draws meeting the threshold by the deadline.")),
        "p_crossed_logistic": (float | None, Field(None, description="The same for the logistic.")),
        "p_crossed_by_deadline": (float | None, Field(None, description="The stacked share meeting the threshold by the deadline.")),
        "p_claim_true": (float | None, Field(None, description="The baseline's probability that the claim comes true: p_crossed_by_deadline, or 1 minus it for at_most claims.")),
    },
)

# Taken from score_predictors' raw columns, with the same meaning.
SLICE_SCORE_COLUMNS = ("n_claims", "n_scored", "n_true", "mean_probability", "hit_rate", "brier", "log_score",
                       "n_shared_with_trend_baseline", "brier_minus_trend_baseline")

PredictorSliceRow = row_model(
    "PredictorSliceRow",
    "Raw scores of one predictor's claims in one slice, for filtering the leaderboard.",
    {
        **shared("predictor_id"),
        "slice_kind": (str, Field(description="all (every claim of the predictor), role_class (the role class on made_date), topic (each of the claim's topics) or decade (of made_date).")),
        "slice_value": (str, Field(description="'all', the role class ('unknown' if none), the topic, or the decade such as '2010s'.")),
        **{name: (PredictorScoreRow.model_fields[name].annotation, PredictorScoreRow.model_fields[name]) for name in SLICE_SCORE_COLUMNS},
        # Reworded: brier_on_shared is not a column here.
        "brier_minus_trend_baseline": (float | None, Field(None, description="On the slice's scored claims that have a trend-baseline probability: the predictor's mean Brier score minus the trend baseline's, as in score_predictors (negative means the predictor beat the trend line).")),
        "is_ranked": (bool, Field(description=f"True when the slice has at least {LEADERBOARD_MIN_SCORED} scored claims, as the leaderboard requires.")),
    },
)

CLAIMS = Table("score_claims", "Per claim not pending: the probability scored and its basis, the outcome, Brier and log scores, the trend baseline, lateness, or why it is excluded.", ClaimScoreRow, ("claim_id",))
PREDICTORS = Table("score_predictors", "Scores per predictor and per group (role class, insider status, topic, horizon), raw and from the hierarchical calibration model, with skill against the trend baseline.", PredictorScoreRow, ("group_kind", "group_id"))
PREDICTOR_SLICES = Table("score_predictor_slices", "Raw scores per predictor and slice of their claims (all, role class, topic, decade made), default scenario: the leaderboard's filters.", PredictorSliceRow, ("predictor_id", "slice_kind", "slice_value"))
CALIBRATION = Table("score_calibration", "Reliability-diagram data by distinct forecast value, with CORP recalibration and consistency bands.", CalibrationBinRow, ("group_kind", "group_id", "forecast"))
GROUPS = Table("score_groups", "Insiders vs outsiders and each role class against the rest: posterior and bootstrap differences.", GroupComparisonRow, ("comparison", "group_id", "metric"))
SENSITIVITY = Table("score_sensitivity", "Headline numbers under the low, default and high verbal-probability scales, and with 'partly' scored either way.", SensitivityRow, ("scenario", "metric"))
LATENESS = Table("score_lateness", "Lateness of at_least claims per group (Kaplan-Meier, censored at today).", LatenessRow, ("group_kind", "group_id"))
TREND_BASELINE = Table("score_trend_baseline", "The trend baseline per operationalised claim, without look-ahead.", TrendBaselineRow, ("claim_id",))

SCORE_TABLES = [CLAIMS, PREDICTORS, PREDICTOR_SLICES, CALIBRATION, GROUPS, SENSITIVITY, LATENESS, TREND_BASELINE]

LEADERBOARD_VIEW = f"""
CREATE VIEW v_leaderboard AS
SELECT
    row_number() OVER (ORDER BY s.expected_brier_mean, s.group_id) AS position,
    s.group_id AS predictor_id,
    p.name AS predictor_name,
    s.n_scored,
    s.n_true,
    s.brier,
    s.log_score,
    s.expected_brier_mean, s.expected_brier_low, s.expected_brier_high,
    s.calibration_slope_mean, s.calibration_slope_low, s.calibration_slope_high,
    s.calibration_intercept_mean, s.calibration_intercept_low, s.calibration_intercept_high,
    s.rank_median, s.rank_low, s.rank_high,
    s.n_shared_with_trend_baseline,
    s.brier_minus_trend_baseline
FROM score_predictors AS s
LEFT JOIN rec_predictors AS p ON p.id = s.group_id
WHERE s.group_kind = 'predictor' AND s.n_scored >= {LEADERBOARD_MIN_SCORED}
ORDER BY position
"""
LEADERBOARD_COMMENT = (
    f"COMMENT ON VIEW v_leaderboard IS 'Predictors with at least {LEADERBOARD_MIN_SCORED} scored claims, ranked by the expected Brier "
    "score of the hierarchical calibration model (partial pooling), with the posterior rank interval.'"
)
