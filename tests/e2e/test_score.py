"""`trackrecord score` end to end on a small generated record, and recovery of calibration by the
hierarchical model from synthetic predictors (real nutpie sampling, small draws, fixed seeds)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pytest

from conftest import TODAY, run_cli
from scored_repo import DRAWS
from trackrecord.score import calibration_model as CM
from trackrecord.score.tables import LEADERBOARD_MIN_SCORED, SCORE_TABLES



@pytest.fixture
def scored(scored_repo) -> Path:
    return scored_repo


def query(root: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(root / "build" / "trackrecord.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def all_tables(root: Path) -> dict[str, list[tuple]]:
    return {t.name: query(root, f"SELECT * FROM {t.name} ORDER BY ALL") for t in SCORE_TABLES} | {"v_leaderboard": query(root, "SELECT * FROM v_leaderboard")}


def test_claims_are_scored_or_excluded_and_counted(scored):
    rows = dict(query(scored, "SELECT claim_id, coalesce(exclusion_reason, 'scored') FROM score_claims"))
    assert rows["2016-10-01-bo-example-vague"] == "unscorable"
    assert rows["2016-11-01-bo-example-murky"] == "ambiguous"
    assert rows["2016-12-01-bo-example-halfway"] == "partly"
    assert sum(v == "scored" for v in rows.values()) == 8 + 8 + 3 + 1  # the fixture's resolved claim too
    # Brier and log score per claim are what the formulas give.
    bad = query(scored, "SELECT count(*) FROM score_claims WHERE is_scored AND (abs(brier - (probability - outcome)^2) > 1e-12 "
                        "OR abs(log_score + ln(CASE WHEN outcome = 1 THEN greatest(probability, 0.01) ELSE greatest(1 - probability, 0.01) END)) > 1e-12)")
    assert bad == [(0,)]
    n, brier = query(scored, "SELECT n_scored, brier FROM score_predictors WHERE group_kind = 'all'")[0]
    assert n == 20
    assert brier == pytest.approx(query(scored, "SELECT avg(brier) FROM score_claims WHERE is_scored")[0][0])


def test_groups_predictors_and_leaderboard(scored):
    rows = {r[0]: r[1:] for r in query(scored, "SELECT group_id, n_scored, calibration_in_the_large, calibration_slope_mean, murphy_reliability, "
                                               "corp_brier_miscalibration FROM score_predictors WHERE group_kind = 'predictor'")}
    ada, bo = rows["ada-example"], rows["bo-example"]
    assert ada[1] > 0.4  # says 0.8–0.9 and is mostly wrong: far too sure
    assert abs(bo[1]) < 0.15
    assert ada[3] > bo[3]  # more miscalibrated by Murphy's reliability
    board = query(scored, "SELECT predictor_id, n_scored, rank_low, rank_high FROM v_leaderboard ORDER BY position")
    assert [r[0] for r in board] == ["bo-example", "ada-example"]
    assert all(r[1] >= LEADERBOARD_MIN_SCORED and 1 <= r[2] <= r[3] <= 2 for r in board)
    insider = query(scored, "SELECT metric, difference_mean, p_group_better FROM score_groups WHERE comparison = 'insider_vs_outsider'")
    metrics = {m: (d, p) for m, d, p in insider}
    assert set(metrics) == {"calibration_intercept", "calibration_slope", "expected_brier", "expected_log_score", "brier"}
    assert metrics["brier"][0] > 0 and metrics["expected_brier"][0] > 0  # the insider here did worse
    scenarios = {r[0] for r in query(scored, "SELECT DISTINCT scenario FROM score_sensitivity")}
    assert scenarios == {"default", "verbal_low", "verbal_high", "partly_as_true", "partly_as_false"}
    n_partly = dict(query(scored, "SELECT scenario, value FROM score_sensitivity WHERE metric = 'n_scored'"))
    assert n_partly["partly_as_true"] == n_partly["default"] + 1


def test_trend_baseline_sees_only_earlier_points(scored):
    rows = {r[0]: r[1:] for r in query(scored, "SELECT claim_id, basis, n_points_used, last_point_date, p_claim_true FROM score_trend_baseline")}
    fitted = rows["2025-03-01-ada-example-four-hours"]
    assert fitted[0] == "trend_models" and 0.0 <= fitted[3] <= 1.0
    before = query(scored, "SELECT count(*), max(date) FROM rec_metric_points WHERE series_id = 'example-horizon-minutes' AND is_frontier AND date < DATE '2025-03-01'")[0]
    assert (fitted[1], fitted[2]) == before
    assert rows["2024-06-01-ada-example-day-long"][0] == "too_few_points" and rows["2024-06-01-ada-example-day-long"][3] is None
    assert rows["2025-03-01-ada-example-ten-minutes"][0] == "observed_before_claim" and rows["2025-03-01-ada-example-ten-minutes"][3] == 1.0
    # Scored like a predictor, and compared with Ada on the claims they share.
    base = query(scored, "SELECT n_scored FROM score_predictors WHERE group_kind = 'trend_baseline'")[0][0]
    assert base == 2  # the fitted and the already-met claims (the pending fixture claim is not scored)
    shared = query(scored, "SELECT n_shared_with_trend_baseline, brier_minus_trend_baseline FROM score_predictors WHERE group_id = 'ada-example'")[0]
    assert shared[0] == 2 and shared[1] is not None


def test_lateness(scored):
    late = dict(query(scored, "SELECT claim_id, lateness_status FROM score_claims WHERE lateness_status IS NOT NULL"))
    assert late["2021-03-01-ada-example-bold-2"] == "late"
    assert late["2021-01-01-ada-example-bold-0"] == "on_time"
    assert late["2021-04-01-ada-example-bold-3"] == "not_yet"
    row = query(scored, "SELECT n_on_time, n_late, n_not_yet, median_years_late FROM score_lateness WHERE group_kind = 'topic' AND group_id = 'self-driving'")[0]
    assert row == (2, 1, 5, None)  # fewer than half came true: "not yet"


def test_predictor_pages_have_calibration_lateness_and_slices(scored):
    # Ada: one reliability bin per distinct probability; 0.9 holds her eight stated 0.9s and the fixture's "will" (0.9).
    bins = query(scored, "SELECT forecast, n, n_true FROM score_calibration WHERE group_kind = 'predictor' AND group_id = 'ada-example' ORDER BY forecast")
    assert bins == query(scored, "SELECT probability, count(*), sum(outcome) FROM score_claims WHERE is_scored AND predictor_id = 'ada-example' "
                                 "GROUP BY probability ORDER BY probability")
    assert [b[0] for b in bins] == [0.5, 0.7, 0.8, 0.9] and bins[-1][1:] == (9, 3)
    with_scored = query(scored, "SELECT DISTINCT predictor_id FROM score_claims WHERE is_scored ORDER BY 1")
    assert query(scored, "SELECT DISTINCT group_id FROM score_calibration WHERE group_kind = 'predictor' ORDER BY 1") == with_scored
    # Ada's lateness: the fixture's robot claim, her eight self-driving claims and the three operationalised ones.
    late = query(scored, "SELECT n_claims, n_on_time, n_late, n_not_yet FROM score_lateness WHERE group_kind = 'predictor' AND group_id = 'ada-example'")
    assert late == query(scored, "SELECT count(*), count(*) FILTER (lateness_status = 'on_time'), count(*) FILTER (lateness_status = 'late'), "
                                 "count(*) FILTER (lateness_status = 'not_yet') FROM score_claims WHERE predictor_id = 'ada-example' AND lateness_status IS NOT NULL")
    assert late == [(12, 4, 1, 7)]
    # The 'all' slice of each predictor is its score_predictors row.
    whole = query(scored, "SELECT predictor_id, n_claims, n_scored, brier, n_shared_with_trend_baseline, brier_minus_trend_baseline, is_ranked "
                          "FROM score_predictor_slices WHERE slice_kind = 'all' ORDER BY 1")
    assert whole == query(scored, f"SELECT group_id, n_claims, n_scored, brier, n_shared_with_trend_baseline, brier_minus_trend_baseline, n_scored >= {LEADERBOARD_MIN_SCORED} "
                                  "FROM score_predictors WHERE group_kind = 'predictor' ORDER BY 1")
    assert {r[0] for r in whole} >= {"ada-example", "bo-example"}
    # Ada's resolved claims: the fixture's from 2018, the rest from the 2020s; Bo's resolved claims are all from 2016.
    decades = query(scored, "SELECT predictor_id, slice_value, n_scored FROM score_predictor_slices WHERE slice_kind = 'decade' AND predictor_id IN ('ada-example', 'bo-example') ORDER BY 1, 2")
    assert decades == [("ada-example", "2010s", 1), ("ada-example", "2020s", 11), ("bo-example", "2010s", 8)]
    topics = dict(query(scored, "SELECT slice_value, n_claims FROM score_predictor_slices WHERE predictor_id = 'bo-example' AND slice_kind = 'topic'"))
    assert topics == {"robotics": 11}  # the pending 2022 agents claim is in no slice


def test_warm_run_samples_nothing_and_gives_identical_tables(scored):
    before = all_tables(scored)
    result = run_cli("--root", str(scored), "--as-of", TODAY, "score", "--draws", DRAWS)
    assert result.code == 0
    assert "0 calibration models and 0 trend-baseline fits sampled" in result.err
    assert all_tables(scored) == before


def test_score_without_a_database_is_a_clear_error(tmp_path):
    result = run_cli("--root", str(tmp_path), "score")
    assert result.code == 1 and "run `trackrecord build`" in result.err and "Traceback" not in result.err


# --- recovery ---------------------------------------------------------------------------------------

def test_hierarchical_model_recovers_calibrated_and_overconfident_predictors(tmp_path):
    """40 predictors: half calibrated (insiders here), half overconfident, their true probability
    being expit(0.35·logit p). The model must put the calibrated group's slope near 1 and the
    overconfident group's well below it, and tell the groups apart."""
    rng = np.random.default_rng(20261123)
    values = np.array([0.1, 0.3, 0.5, 0.7, 0.9, 0.97])
    rows = []
    for j in range(40):
        over = j % 2 == 1
        for k in range(12):
            p = float(rng.choice(values))
            q = CM.expit(0.35 * CM.logit(p)) if over else p
            rows.append({"p": p, "outcome": int(rng.random() < q), "predictor_id": f"p{j:02d}", "role": "critic" if over else "lab_executive",
                         "is_insider": not over, "question": f"q{rng.integers(80)}", "sign": 1})
    data = CM.encode(rows)
    model = CM.CalibrationModel(tmp_path / "cache", tmp_path / "pytensor", CM.ModelSettings(draws=500, tune=500))
    draws = model.fit(data)
    a, b = CM.claim_coefficients(draws, data)
    calibrated = [i for i, r in enumerate(rows) if r["is_insider"]]
    over = [i for i, r in enumerate(rows) if not r["is_insider"]]
    slope_cal, slope_over = b[:, calibrated].mean(axis=1), b[:, over].mean(axis=1)
    lo, hi = np.quantile(slope_cal, [0.05, 0.95])
    assert lo < 1.0 < hi
    assert np.quantile(slope_over, 0.95) < 0.8
    assert np.mean(slope_over < slope_cal) > 0.95
    # Per predictor, shrinkage keeps every calibrated predictor's slope interval over 1 or near it.
    assert float(draws["divergences"]) < 20 and float(draws["max_rhat"]) < 1.05
    # The same data again comes from the cache, without sampling.
    again = CM.CalibrationModel(tmp_path / "cache", tmp_path / "pytensor", CM.ModelSettings(draws=500, tune=500))
    assert np.array_equal(again.fit(data)["beta"], draws["beta"]) and again.samples_drawn == 0


def test_scores_per_collection_and_for_systematic_collections_only(scored):
    rows = {(k, g): (n, b) for k, g, n, b in query(scored, """
        SELECT group_kind, group_id, n_scored, brier FROM score_predictors
        WHERE group_kind IN ('selection', 'collection', 'systematic_insider_status', 'all')""")}
    members = query(scored, """SELECT s.brier FROM score_claims s JOIN rec_claim_collections m USING (claim_id)
                               WHERE s.is_scored AND m.collection_id = 'bo-measured-list'""")
    assert len(members) == 8
    assert rows[("collection", "bo-measured-list")] == rows[("selection", "systematic")]
    n, brier = rows[("selection", "systematic")]
    assert n == 8 and brier == pytest.approx(np.mean([b for (b,) in members]))
    assert rows[("selection", "curated")][0] + n == rows[("all", "all")][0]
    # Bo is a critic, an outsider: the systematic claims have no insiders, so no systematic comparison.
    assert ("systematic_insider_status", "outsider") in rows and ("systematic_insider_status", "insider") not in rows
    assert not query(scored, "SELECT * FROM score_groups WHERE comparison = 'systematic_insider_vs_outsider'")
    assert query(scored, "SELECT count(*) FROM score_calibration WHERE group_kind = 'selection' AND group_id = 'systematic'")[0][0] > 0
