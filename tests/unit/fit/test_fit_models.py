"""The trend-model machinery without sampling: curves, likelihoods, verdicts, priors, crossings, caching keys."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from scipy import stats

from trackrecord.fit import cache, compare, curves, posterior as P, run
from trackrecord.fit.data import SeriesData
from trackrecord.fit.structures import STRUCTURES, NumpyOps, logistic_natural, structure_for

OPS = NumpyOps()


def series(scale="log", higher=True, floor=None, ceiling=None, values=(1.0, 2.0, 4.0, 8.0, 16.0)) -> SeriesData:
    dates = tuple(dt.date(2020 + i, 7, 2) for i in range(len(values)))
    return SeriesData("s", "p", scale, higher, floor, ceiling, "minutes", dates, np.array(values, float))


def test_structure_means_are_the_curve_functions():
    t = np.array([2019.0, 2022.5, 2027.0])
    a = {"t_centre": 2022.0, "t_last": 2024.0, "y_mean": 1.5, "y_max": 3.0, "floor": 0.25, "logit_mean": 0.4}
    exp = STRUCTURES["log", "exponential"].mean(t, {"level_offset": 0.2, "slope": 0.7}, a, OPS)
    assert exp == pytest.approx(curves.exponential_log(t, 1.7, 0.7, 2022.0))
    # Sampled in the level at the last point, the steepness and the bend (rate × years to the
    # inflection): ceiling ln K = 3 + 2 and inflection 2024 + 1.5 written that way.
    bend = 0.9 * 1.5
    logi = STRUCTURES["log", "logistic"].mean(t, {"level_last": 2.0 - np.logaddexp(0.0, bend), "rate": 0.9, "bend": bend}, a, OPS)
    assert logi == pytest.approx(curves.logistic_log(t, 5.0, 0.9, 2025.5))
    bounded = STRUCTURES["bounded", "logistic"].mean(t, {"ceiling_share": 0.8, "rate": 1.2, "inflection_offset": -1.0}, a, OPS)
    assert bounded == pytest.approx(curves.logistic_bounded(t, 0.25, 0.25 + 0.75 * 0.8, 1.2, 2023.0))
    # The odds-exponential is the bounded logistic with its ceiling at a perfect score.
    odds = STRUCTURES["bounded", "exponential"].mean(t, {"level_offset": -0.4 + 1.2 * (2022.0 - 2023.0), "slope": 1.2}, a, OPS)
    assert odds == pytest.approx(curves.logistic_bounded(t, 0.25, 1.0, 1.2, 2023.0))
    # Linear logistic: a line of slope b far before the bend, the ceiling far after it.
    lin = STRUCTURES["linear", "logistic"]
    p = {"level_last": 10.0 - 2.0 * np.log(2.0), "slope": 4.0, "rate": 2.0, "bend": 0.0}
    far = lin.mean(np.array([1990.0, 1991.0, 2100.0]), p, a, OPS)
    assert far[1] - far[0] == pytest.approx(4.0)
    assert far[2] == pytest.approx(13.0)
    # A succession with all the rise in its first step is that step's logistic.
    succ = STRUCTURES["bounded", "succession"].mean(
        t, {"ceiling_share": 0.8, "first_share": 1.0, "rate": 1.2, "second_rate": 3.0, "inflection_offset": -1.0, "step_gap": 2.0}, a, OPS
    )
    assert succ == pytest.approx(bounded)
    assert structure_for("linear", "succession") is None


def test_log_likelihoods_match_scipy():
    s = series()
    data = s.model_data()
    draws = {"level_offset": np.array([0.1, -0.2]), "slope": np.array([0.7, 0.6]), "noise": np.array([0.3, 0.5])}
    ll = P.log_likelihood(STRUCTURES["log", "exponential"], draws, data, data["t"], data["y"])
    mu = data["y_mean"] + draws["level_offset"][:, None] + draws["slope"][:, None] * (data["t"] - data["t_centre"])
    assert ll == pytest.approx(stats.norm.logpdf(data["y"], mu, draws["noise"][:, None]))

    b = series("bounded", floor=0.25, ceiling=1.0, values=(0.3, 0.45, 0.6, 0.8, 0.9))
    bd = b.model_data()
    draws = {"level_offset": np.array([0.0, 0.3]), "slope": np.array([1.0, 0.8]), "precision": np.array([20.0, 50.0])}
    ll = P.log_likelihood(STRUCTURES["bounded", "exponential"], draws, bd, bd["t"], bd["y"])
    mu = P.mean_curve(STRUCTURES["bounded", "exponential"], draws, bd, bd["t"])
    phi = draws["precision"][:, None]
    assert ll == pytest.approx(stats.beta.logpdf(bd["y"], mu * phi, (1 - mu) * phi))


def test_model_scale_round_trips_and_lower_is_better_is_flipped():
    price = series(higher=False, values=(30.0, 10.0, 3.0, 1.0, 0.3))
    y = price.to_model(price.values)
    assert np.all(np.diff(y) > 0)  # a falling price is a rising 1/price
    assert price.to_metric(y) == pytest.approx(price.values)
    acc = series("bounded", floor=0.25, ceiling=1.0, values=(0.0, 0.5, 1.0, 0.7, 0.9))
    assert acc.to_model(acc.values).min() > 0 and acc.to_model(acc.values).max() < 1  # kept off 0 and 1


def test_derived_doubling_time_and_ceiling():
    s = series()
    data = s.model_data()
    slope = np.log(2.0) / (200 / 365.25)
    out = P.derived(STRUCTURES["log", "exponential"], {"slope": np.full(4, slope), "level_offset": np.zeros(4), "noise": np.ones(4)}, data, s)
    assert out["doubling_time_days"][0] == pytest.approx(np.full(4, 200.0))
    assert out["growth_per_year"][0] == pytest.approx(np.full(4, np.exp(slope)))
    draws = {"level_last": np.array([1.0 - np.logaddexp(0.0, -0.5)]), "rate": np.array([1.0]), "bend": np.array([-0.5]), "noise": np.array([0.2])}
    out = P.derived(STRUCTURES["log", "logistic"], draws, data, s)
    assert out["ceiling"][0] == pytest.approx([16.0 * np.e])
    assert out["inflection_past"][0] == pytest.approx([1.0])


def test_verdict_needs_a_large_and_clear_difference():
    assert compare.verdict(10.0, 2.0, "logistic_better", "exponential_better") == "logistic_better"
    assert compare.verdict(-10.0, 2.0, "logistic_better", "exponential_better") == "exponential_better"
    assert compare.verdict(3.9, 0.1, "a", "b") == "not_distinguishable"  # small: SE unreliable
    assert compare.verdict(10.0, 6.0, "a", "b") == "not_distinguishable"  # within 2 SE


@pytest.mark.parametrize(
    "prior",
    [
        {"dist": "Normal", "mu": 1.0, "sigma": 2.0},
        {"dist": "LogNormal", "mu": 0.5, "sigma": 0.4},
        {"dist": "HalfNormal", "sigma": 1.5},
        {"dist": "Exponential", "lam": 2.0},
        {"dist": "Beta", "alpha": 18.0, "beta": 2.0},
    ],
)
def test_prior_variance_matches_draws(prior):
    draws = run.prior_draws(prior, 400_000, np.random.default_rng(3))
    assert run.prior_variance(prior) == pytest.approx(np.var(draws), rel=0.03)
    # The prior itself has no contraction; a posterior a tenth as wide contracts by 0.99.
    assert run.posterior_contraction(draws, prior) == pytest.approx(0.0, abs=0.03)
    assert run.posterior_contraction(draws[:1000] * 0.1, prior) == pytest.approx(0.99, abs=0.005)


def test_crossing_dates_from_known_trend_draws(tmp_path):
    """Exponential draws whose trend meets 100 minutes on a known month give that month and probability."""
    s = series(values=(1.0, 2.0, 4.0, 8.0, 16.0))  # doubling a year, 16 on 2024-07-02
    data = s.model_data()
    fitter = run.Fitter(tmp_path)
    # Half the draws grow 2x a year, half 4x a year, both through the data's centre.
    slope = np.repeat([np.log(2.0), np.log(4.0)], 50)
    draws = {"level_offset": np.zeros(100), "slope": slope, "noise": np.full(100, 0.1)}
    cache.save_unit(fitter.cache_dir / "k.npz", draws, {"divergences": 0, "key": "k"})
    result = {
        "weights": {"exponential": 1.0}, "fit_keys": {"exponential": "k"},
        "anchors": {k: v for k, v in data.items() if k not in ("t", "y")},
        "comparison": {"fit_key": "0" * 64},
    }
    spec = run.ParadigmSpec("p", ("exponential",), {}, {}, (), (), ())
    claims = [{"id": "c1", "series_id": "s", "comparator": ">=", "threshold_value": 100.0, "deadline": dt.date(2026, 6, 30), "label": "100 minutes"}]
    rows = run.threshold_rows(fitter, s, spec, result, claims)
    assert len(rows) == 1
    row = rows[0]
    # Centre 2022.5 at the geometric mean 4; 100 = 4·2^k → k = log2(25) = 4.64 years (2x) or 2.32 years (4x).
    assert row["p_crossed_by_date"] == pytest.approx(0.5, abs=0.06)
    assert row["crossing_q05"] <= dt.date(2025, 1, 1) < row["crossing_q95"]
    assert row["observed_crossing_date"] is None
    assert row["p_crossed_by_horizon_end"] == 1.0


def test_cache_key_changes_with_data_priors_and_settings():
    s = series()
    base = run.content_key(s.fingerprint(), {"slope": 1})
    moved = series(values=(1.0, 2.0, 4.0, 8.0, 17.0))
    assert run.content_key(moved.fingerprint(), {"slope": 1}) != base
    assert run.content_key(s.fingerprint(), {"slope": 2}) != base
    assert run.content_key(s.fingerprint(), {"slope": 1}) == base


def test_backtest_split_has_no_look_ahead():
    s = series(values=(1.0, 2.0, 4.0, 8.0, 16.0))
    train = s.before(dt.date(2023, 1, 1))
    assert max(train.dates) < dt.date(2023, 1, 1) and len(train.dates) == 3
    test = s.between(dt.date(2023, 1, 1), dt.date(2024, 1, 1))
    assert test.dates == (dt.date(2023, 7, 2),)


def test_month_grid():
    grid = run.month_grid(dt.date(2024, 11, 17), dt.date(2025, 2, 1))
    assert grid == [dt.date(2024, 11, 1), dt.date(2024, 12, 1), dt.date(2025, 1, 1), dt.date(2025, 2, 1)]


def test_a_verdict_is_given_only_when_every_compared_fit_converged():
    good = {"divergences": 0, "max_rhat": 1.004, "min_ess_bulk": 900.0, "min_ess_tail": 700.0}
    assert compare.convergence_problem(good) is None
    assert compare.gated_verdict("logistic_better", {"exponential": good, "logistic": good}) == ("logistic_better", None)
    bad = {"divergences": 11, "max_rhat": 1.039, "min_ess_bulk": 900.0, "min_ess_tail": 120.0}
    assert compare.convergence_problem(bad) == "11 divergent transitions, R-hat 1.039, tail ESS 120"
    verdict, note = compare.gated_verdict("logistic_better", {"exponential": good, "logistic": bad})
    assert verdict == "undetermined"
    assert note == "The sampler did not converge for the logistic fit (11 divergent transitions, R-hat 1.039, tail ESS 120)."
    # A failing fit never lets a "not distinguishable" through either: it is not evidence of no bend.
    assert compare.gated_verdict("not_distinguishable", {"exponential": {**good, "min_ess_bulk": 399.0}, "logistic": good})[0] == "undetermined"


def test_the_s_curve_is_sampled_in_what_the_data_identify():
    """level_last is the trend at the last point; the growth there is rate · sigmoid(bend) (all of it
    well before the bend, half at the inflection); bend < 0 means the inflection is past."""
    from scipy.special import expit

    a = {"t_centre": 2022.0, "t_last": 2024.0, "y_mean": 1.5, "y_max": 3.0, "floor": 0.0, "logit_mean": 0.0}
    logistic = STRUCTURES["log", "logistic"]
    for bend in (-3.0, 0.0, 4.0):
        p = {"level_last": -0.2, "rate": 1.3, "bend": bend}
        level, nudge = logistic.mean(np.array([2024.0, 2024.0 + 1e-6]), p, a, OPS)
        assert level == pytest.approx(3.0 - 0.2)
        assert (nudge - level) / 1e-6 == pytest.approx(1.3 * expit(bend), rel=1e-4)
        natural = logistic_natural("log", p, a, OPS)
        assert (natural["inflection_offset"] < 0) == (bend < 0)
        assert natural["headroom"] == pytest.approx(-0.2 + np.logaddexp(0.0, bend))


@pytest.mark.parametrize(("row", "scale", "expected"), [
    ({"verdict": "logistic_better", "succession_verdict": None}, "log", "bending"),
    ({"verdict": "exponential_better", "succession_verdict": "single_better"}, "log", "steady"),
    ({"verdict": "not_distinguishable", "succession_verdict": "succession_better", "p_speeding_up": 0.99}, "log", "speeding_up"),
    ({"verdict": "not_distinguishable", "succession_verdict": "succession_better", "p_speeding_up": 0.01}, "log", "bending"),
    ({"verdict": "not_distinguishable", "succession_verdict": "succession_better", "p_speeding_up": 0.6}, "log", "not_distinguishable"),
    ({"verdict": "exponential_better", "succession_verdict": "succession_better"}, "bounded", "bending"),  # two S-curves
    ({"verdict": "not_distinguishable", "succession_verdict": "not_distinguishable"}, "log", "not_distinguishable"),
    ({"verdict": "logistic_better", "succession_verdict": "undetermined"}, "log", "undetermined"),
    ({"verdict": "undetermined", "succession_verdict": None, "verdict_note": "x"}, "log", "undetermined"),
])
def test_one_answer_per_series(row, scale, expected):
    verdict, note = compare.trend_verdict(row, scale, "The sampler did not converge for the succession fit (R-hat 1.2).")
    assert verdict == expected
    assert (note is not None) == (expected == "undetermined")


def test_a_fit_that_fails_both_comparisons_is_named_once():
    note = "The sampler did not converge for the logistic fit (R-hat 1.012)."
    row = {"verdict": "undetermined", "verdict_note": note, "succession_verdict": "undetermined"}
    assert compare.trend_verdict(row, "log", note) == ("undetermined", note)
