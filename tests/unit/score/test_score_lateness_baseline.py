"""Lateness (Kaplan-Meier, censored at today), grouping rules, and the trend baseline's
no-look-ahead rule and the cases it decides without sampling."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from trackrecord.fit.data import ParadigmSpec, SeriesData
from trackrecord.score import lateness as L
from trackrecord.score import run as R
from trackrecord.score.trend_baseline import OperationalisedClaim, baseline_for, training_points

TODAY = dt.date(2026, 11, 23)


def test_claim_lateness_cases():
    d = dt.date(2020, 12, 31)
    assert L.claim_lateness("at_least", "true", d, None, TODAY) == ("on_time", 0.0)
    status, years = L.claim_lateness("at_least", "false", d, dt.date(2022, 12, 31), TODAY)
    assert status == "late" and years == pytest.approx(730 / 365.25)
    status, years = L.claim_lateness("at_least", "false", d, None, TODAY)
    assert status == "not_yet" and years == pytest.approx((TODAY - d).days / 365.25)
    assert L.claim_lateness("at_least", "partly", d, None, TODAY)[0] == "not_yet"
    # An at_most claim that failed means it happened early; lateness does not apply.
    assert L.claim_lateness("at_most", "false", d, None, TODAY) == (None, None)
    assert L.claim_lateness("at_least", "ambiguous", d, None, TODAY) == (None, None)


def test_kaplan_meier_median_by_hand():
    # Times from the deadline: two on time (0), late 1.5 and 3 years, two not yet (censored at 2 and 4).
    # Share not yet true: 4/6 after 0; 4/6·3/4 = 1/2 after 1.5; 1/2·1/2 = 1/4 after 3.
    statuses = ["on_time", "on_time", "late", "not_yet", "late", "not_yet"]
    years = [0.0, 0.0, 1.5, 2.0, 3.0, 4.0]
    row = L.summarise("all", "all", statuses, years)
    # statsmodels' convention: the first time the share not yet true falls *below* one half.
    assert row["median_years_late"] == pytest.approx(3.0)
    assert (row["n_on_time"], row["n_late"], row["n_not_yet"]) == (2, 2, 2)
    assert row["share_true_within_5_years"] == pytest.approx(0.75)
    assert row["max_followup_years"] == 4.0
    assert "3.0 years late" in row["summary"]


def test_median_not_reached_says_not_yet():
    row = L.summarise("topic", "agi", ["not_yet"] * 4 + ["late"], [10.0, 20.0, 30.0, 40.0, 2.0])
    assert row["median_years_late"] is None
    assert row["share_true_within_5_years"] == pytest.approx(0.2)
    assert "not yet" in row["summary"] and "40.0 years" in row["summary"]
    assert L.summarise("topic", "tiny", ["on_time", "late"], [0.0, 1.0]) is None  # below MIN_GROUP


def test_question_key_and_horizon_bucket():
    base = {"id": "x", "deadline_date": dt.date(2020, 12, 31), "operationalisation_series_id": None, "topics": ["self-driving", "tesla"]}
    assert R.question_key(base) == "self-driving by 2020"
    op = {**base, "operationalisation_series_id": "s", "operationalisation_comparator": ">=", "operationalisation_threshold_value": 2400.0}
    assert R.question_key(op) == "s >= 2400 by 2020"
    assert R.question_key({**base, "topics": []}) == "claim x"
    assert [R.horizon_bucket(y) for y in (0.5, 2.0, 7.0, 19.9, 50)] == ["under 2", "2-5", "5-10", "10-20", "20 or more"]


def test_scenarios_pick_the_probability_and_partly_rule():
    rows = [
        {"exclusion_reason": None, "outcome": 1, "probability": 0.9, "probability_low": 0.8, "probability_high": 0.97},
        {"exclusion_reason": "partly", "outcome": None, "probability": 0.7, "probability_low": 0.65, "probability_high": 0.75},
        {"exclusion_reason": "ambiguous", "outcome": None, "probability": 0.7, "probability_low": 0.65, "probability_high": 0.75},
    ]
    assert [(i["p"], i["o"]) for i in R.scenario_items(rows, "default", "excluded")] == [(0.9, 1)]
    assert [(i["p"], i["o"]) for i in R.scenario_items(rows, "low", "excluded")] == [(0.8, 1)]
    assert [(i["p"], i["o"]) for i in R.scenario_items(rows, "high", "as_true")] == [(0.97, 1), (0.75, 1)]
    assert [(i["p"], i["o"]) for i in R.scenario_items(rows, "default", "as_false")] == [(0.9, 1), (0.7, 0)]


# --- the trend baseline ---------------------------------------------------------------------------

def _series(dates, values) -> SeriesData:
    return SeriesData("s", "p", "log", True, None, None, "minutes", tuple(dates), np.array(values, float))


DATES = [dt.date(2019, 1, 1) + dt.timedelta(days=97 * i) for i in range(20)]
SERIES = _series(DATES, np.exp(0.3 * np.arange(20)))


def test_moving_the_claim_date_earlier_only_removes_points():
    days = [DATES[0] - dt.timedelta(days=1)] + [d + dt.timedelta(days=k) for d in DATES for k in (-1, 0, 1)]
    for later in days:
        seen_later = set(training_points(SERIES, later).dates)
        assert all(d < later for d in seen_later)  # nothing on or after the claim's day
        for earlier in (d for d in days if d <= later):
            seen_earlier = set(training_points(SERIES, earlier).dates)
            assert seen_earlier <= seen_later


class NeedsFit(Exception):
    pass


class _NoSampling:
    """A Fitter stand-in: any use of it means the baseline went on to fit the trend."""

    def __getattr__(self, name):
        raise NeedsFit(name)


SPEC = ParadigmSpec("p", ("exponential", "logistic"), {}, {}, (), (), ())


def _claim(made, threshold, direction="at_least", comparator=">="):
    return OperationalisedClaim("c", made, dt.date(2030, 12, 31), "s", comparator, threshold, direction)


def test_a_threshold_met_before_the_claim_needs_no_trend():
    made = DATES[10]
    met = float(SERIES.values[5])
    row = baseline_for(_NoSampling(), _claim(made, met), SERIES, SPEC)
    assert row["basis"] == "observed_before_claim" and row["p_claim_true"] == 1.0 and row["n_points_used"] == 10
    row = baseline_for(_NoSampling(), _claim(made, met, direction="at_most"), SERIES, SPEC)
    assert row["p_claim_true"] == 0.0
    # A point on the claim's own day is not "before" it: the baseline may not use it.
    with pytest.raises(NeedsFit):
        baseline_for(_NoSampling(), _claim(DATES[10], float(SERIES.values[10])), SERIES, SPEC)


def test_too_few_points_gives_no_baseline():
    row = baseline_for(_NoSampling(), _claim(DATES[4], 1e9), SERIES, SPEC)
    assert row["basis"] == "too_few_points" and row["p_claim_true"] is None and row["n_points_used"] == 4
