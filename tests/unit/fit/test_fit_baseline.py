"""Curve functions against closed forms, and the baseline recovering known trends (fixed seeds)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from trackrecord.fit import baseline, curves


def test_curves_match_closed_forms():
    t = np.array([-3.0, 0.0, 2.0])
    assert curves.exponential_log(t, 1.0, 0.5) == pytest.approx(1.0 + 0.5 * t)
    # Far before the inflection the log-logistic is the exponential with slope r; at t_mid it is log(K/2).
    assert curves.logistic_log(np.array([-40.0]), 5.0, 0.7, 0.0)[0] == pytest.approx(5.0 + 0.7 * -40.0)
    assert curves.logistic_log(np.array([0.0]), 5.0, 0.7, 0.0)[0] == pytest.approx(5.0 - np.log(2.0))
    assert curves.logistic_bounded(np.array([1.0]), 0.25, 0.95, 2.0, 1.0)[0] == pytest.approx(0.60)
    assert curves.exponential_approach(np.array([0.0, 1.0]), 0.25, 0.95, np.log(2.0), 0.0) == pytest.approx([0.25, 0.60])
    assert curves.softplus(np.array([1000.0]))[0] == pytest.approx(1000.0)  # no overflow


def test_doubling_time_and_growth():
    assert curves.doubling_time_days(np.log(2.0)) == pytest.approx(365.25)
    assert curves.growth_per_year(np.log(10.0)) == pytest.approx(10.0)
    assert curves.doubling_time_days(0.0) == float("inf")
    assert curves.decimal_year(dt.date(2024, 7, 2)) == pytest.approx(2024 + 183 / 366)


def test_ols_hac_recovers_a_known_doubling_time():
    rng = np.random.default_rng(7)
    t = np.sort(rng.uniform(2018, 2026, 40))
    slope = np.log(2.0) / (210 / 365.25)  # doubling every 210 days
    y = 1.0 + slope * (t - 2022) + rng.normal(0, 0.3, t.size)
    fit = baseline.fit_exponential(t, y)
    low, high = fit.slope_interval()
    assert low < slope < high
    assert fit.doubling_time_days == pytest.approx(210, rel=0.1)
    with pytest.raises(ValueError, match="at least 3 points"):
        baseline.fit_exponential(t[:2], y[:2])


def test_least_squares_logistics_recover_their_parameters():
    rng = np.random.default_rng(11)
    t = np.linspace(2015, 2025, 30)
    y = curves.logistic_log(t, 8.0, 1.2, 2020.0) + rng.normal(0, 0.05, t.size)
    fit = baseline.fit_logistic_log(t, y)
    assert fit.converged
    assert fit.params["t_mid"] == pytest.approx(2020.0, abs=0.3)
    assert fit.params["log_ceiling"] == pytest.approx(8.0, abs=0.2)

    acc = curves.logistic_bounded(t, 0.25, 0.9, 1.5, 2021.0) + rng.normal(0, 0.01, t.size)
    bounded = baseline.fit_logistic_bounded(t, acc, floor=0.25)
    assert bounded.params["ceiling"] == pytest.approx(0.9, abs=0.03)
    assert bounded.params["t_mid"] == pytest.approx(2021.0, abs=0.3)
