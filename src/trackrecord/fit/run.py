"""`trackrecord fit`: every curated series, every family, compared, backtested and projected.

The work per series (main fits, LOO, stacking, leave-future-out refits, projections) is cached
under a content hash of the series' points, its priors, the sampler settings and the fit code: an
unchanged series is never refitted, and a warm run imports neither PyMC nor ArviZ. Draws are keyed
only on the code that shapes them (DRAW_CODE_FILES), so a change elsewhere in fit/ recomputes the
rows from cached draws without sampling.
Crossing probabilities are recomputed every run from the cached draws, because they also depend
on the claims, which change more often than the data.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import posterior as P
from .curves import decimal_year
from .data import ParadigmSpec, SeriesData, load_paradigms, load_series
from .sampler import Sampler, SamplerSettings
from .structures import DISTRIBUTION_ARGUMENTS, Structure, structure_for
from . import tables as FT
from .cache import code_version, content_key, draws_code_version, json_default, load_unit, netcdf_current, save_unit
from .compare import DECISIVE_ELPD, compare_families, convergence_problem, psis_loo, quiet_arviz, stacking_weights, trend_verdict  # noqa: F401 (public API of the fit stage)
from ..atomic import replacing, write_atomically
from ..db.lock import open_database
from ..db.write import write_tables

PROJECTION_END = dt.date(2035, 12, 1)  # last month projected
MIN_POINTS = 5  # fewer frontier points than this: too few to fit a curve
MIN_BACKTEST_TRAIN = 5  # a backtest origin needs this many points before it
PRIOR_DRAWS = 1000
STACKED_DRAWS = 4000
CONTRACTION_FLAG = 0.5  # posterior contraction below this: the parameter is "prior-driven"


@dataclass
class FitReport:
    series_fitted: int = 0
    series_cached: int = 0
    series_skipped: list[str] = field(default_factory=list)
    fits_sampled: int = 0
    compile_seconds: float = 0.0
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)


@dataclass
class Fitter:
    build_dir: Path
    settings: SamplerSettings = field(default_factory=SamplerSettings)
    use_cache: bool = True
    progress: Callable[[str], None] = lambda _: None
    _sampler: Sampler | None = None
    fits_sampled: int = 0

    @property
    def cache_dir(self) -> Path:
        return self.build_dir / "cache" / "fits"

    @property
    def fits_dir(self) -> Path:
        return self.build_dir / "fits"

    @property
    def sampler(self) -> Sampler:
        if self._sampler is None:
            self._sampler = Sampler(self.build_dir / "pytensor", self.settings)
        return self._sampler

    # --- one sampled fit, cached by content ---------------------------------------------------

    def unit_fit(self, series: SeriesData, structure: Structure, priors: dict, *, save_netcdf: Path | None = None) -> dict:
        """Draws (flat arrays per parameter) and diagnostics of one fit of `structure` to `series`."""
        data = series.model_data()
        key = content_key(draws_code_version(), self.settings.as_dict(), structure.name, priors_fingerprint(structure, priors), series.fingerprint())
        path = self.cache_dir / f"{key}.npz"
        if self.use_cache and path.exists() and (save_netcdf is None or netcdf_current(save_netcdf, key)):
            return load_unit(path)
        import arviz as az

        idata = self.sampler.sample(structure, priors, data, seed=int(key[:8], 16))
        self.fits_sampled += 1
        posterior = idata.posterior
        names = list(structure.parameter_names)
        diagnostics = {
            "divergences": int(idata.sample_stats["diverging"].values.sum()),
            "max_rhat": float(max(az.rhat(idata, var_names=names)[n].values.max() for n in names)),
            "min_ess_bulk": float(min(az.ess(idata, var_names=names, method="bulk")[n].values.min() for n in names)),
            "min_ess_tail": float(min(az.ess(idata, var_names=names, method="tail")[n].values.min() for n in names)),
            "chains": int(posterior.sizes["chain"]),
            "key": key,
        }
        draws = {n: posterior[n].values.reshape(-1).astype(float) for n in names}
        if save_netcdf is not None:
            loglik = P.log_likelihood(structure, draws, data, data["t"], data["y"])
            with quiet_arviz():  # "default dims chain and draw will be added": they are, as intended
              idata.add_groups(
                log_likelihood={"obs": loglik.reshape(posterior.sizes["chain"], posterior.sizes["draw"], -1)},
                observed_data={"obs": data["y"]},
                constant_data={"t": data["t"]},
              )
            idata.attrs.update({"trackrecord_key": key, "series_id": series.series_id, "structure": structure.name})
            with replacing(save_netcdf) as temp:
                idata.to_netcdf(str(temp))
            write_atomically(save_netcdf.with_suffix(".key"), key + "\n")
        save_unit(path, draws, diagnostics)
        return {"draws": draws, **diagnostics}

    # --- one series ----------------------------------------------------------------------------

    def series_result(self, series: SeriesData, spec: ParadigmSpec) -> tuple[dict, bool]:
        """All rows for one series (except thresholds) and the keys of its main fits; (result, was_cached)."""
        structures = [s for s in (structure_for(series.scale, f) for f in spec.families) if s is not None]
        priors = {s.family: spec.priors_for(series.series_id, s.family) for s in structures}
        key = content_key(
            code_version(), self.settings.as_dict(), series.fingerprint(),
            {s.family: priors_fingerprint(s, priors[s.family]) for s in structures},
            [o.isoformat() for o in spec.backtest_origins], list(spec.backtest_horizons_years),
        )
        path = self.build_dir / "cache" / "series" / f"{key}.json"
        if self.use_cache and path.exists():
            result = json.loads(path.read_text())
            if all(netcdf_current(self.fits_dir / series.series_id / f"{f}.nc", k) for f, k in result["fit_keys"].items()):
                return result, True
        result = compute_series(self, series, spec, structures, priors, key)
        write_atomically(path, json.dumps(result, sort_keys=True, default=json_default))
        return result, False


def priors_fingerprint(structure: Structure, priors: dict) -> list:
    return [[p.name, priors[p.name]["dist"], [float(priors[p.name][a]) for a in DISTRIBUTION_ARGUMENTS[priors[p.name]["dist"]]]] for p in structure.parameters]


def compute_series(fitter: Fitter, series: SeriesData, spec: ParadigmSpec, structures: list[Structure], priors: dict, key: str) -> dict:
    data = series.model_data()
    fits = {}
    loos = {}
    for s in structures:
        fitter.progress(f"{series.series_id}: {s.family}")
        fit = fitter.unit_fit(series, s, priors[s.family], save_netcdf=fitter.fits_dir / series.series_id / f"{s.family}.nc")
        fits[s.family] = fit
        loos[s.family] = psis_loo(s, fit, data)
    weights = stacking_weights(loos)

    backtests = run_backtests(fitter, series, spec, structures, priors)
    comparison = comparison_row(series, structures, fits, loos, weights, backtests, priors, key)
    history = verdict_history(fitter, series, spec, structures, priors)
    # The last row: every point (the cutoff is the day after the last one, as for an origin).
    history.append(history_row(series, series.dates[-1] + dt.timedelta(days=1), len(series.dates), comparison, fits, data))
    rng = np.random.default_rng(int(key[:8], 16))
    grid = month_grid(series.dates[0], PROJECTION_END)
    tgrid = np.array([decimal_year(d) for d in grid])
    projections = []
    family_predictive = {}
    for s in structures:
        pred = P.predictive(s, fits[s.family]["draws"], data, tgrid, rng)
        family_predictive[s.family] = pred
        projections += band_rows(series, s.family, grid, series.to_metric(pred))
    stacked = np.concatenate([take_draws(family_predictive[f], round(w * STACKED_DRAWS), rng) for f, w in weights.items()])
    projections += band_rows(series, "stacked", grid, series.to_metric(stacked))
    baseline = baseline_rows(series, grid)
    projections += baseline["projections"]
    comparison.update(baseline["comparison"])
    exp_fit = fits.get("exponential")
    if exp_fit is not None and comparison["baseline_slope_per_year"] is not None:
        lo, hi = np.quantile(exp_fit["draws"]["slope"], [0.05, 0.95])
        comparison["baseline_in_bayes_interval"] = bool(lo <= comparison["baseline_slope_per_year"] <= hi)
    prior_rows, coverage = prior_predictive_check(series, structures, priors, data, grid, tgrid, rng)
    comparison["prior_check_coverage"] = coverage
    return {
        "comparison": comparison,
        "posteriors": posterior_rows(series, structures, fits, data) + baseline["posteriors"],
        "projections": projections,
        "prior_predictive": prior_rows,
        "backtests": backtests,
        "verdict_history": history,
        "weights": weights,
        "fit_keys": {f: fit["key"] for f, fit in fits.items()},
        "anchors": {k: v for k, v in data.items() if k not in ("t", "y")},
    }


def verdict_history(fitter: Fitter, series: SeriesData, spec: ParadigmSpec, structures: list[Structure], priors: dict) -> list[dict]:
    """When could we have known? The verdict the points released before each backtest origin
    supported, from the backtests' own refits (cached draws: nothing more is sampled)."""
    rows = []
    for origin in spec.backtest_origins:
        train = series.before(origin)
        if len(train.dates) < MIN_BACKTEST_TRAIN:
            continue
        anchors = train.model_data()
        fits = {s.family: fitter.unit_fit(train, s, priors[s.family]) for s in structures}
        loos = {s.family: psis_loo(s, fits[s.family], anchors) for s in structures}
        verdicts = compare_families(train, fits, loos)
        rows.append(history_row(series, origin, len(train.dates), verdicts, fits, anchors))
    return rows


def history_row(series: SeriesData, cutoff: dt.date, n_points: int, verdicts: dict, fits: dict, anchors: dict) -> dict:
    logistic = fits.get("logistic")
    p_past = p_past_mcse = None
    if logistic is not None:
        structure = structure_for(series.scale, "logistic")
        derived = P.derived(structure, logistic["draws"], anchors, series)
        if "inflection_past" in derived:
            summary = summary_row(series.series_id, "logistic", "bayesian", "inflection_past", "probability", derived["inflection_past"][0], chains=logistic["chains"])
            p_past, p_past_mcse = summary["mean"], summary["mcse_mean"]
    return {
        "series_id": series.series_id,
        "cutoff_date": cutoff,
        "n_points": n_points,
        "last_point_date": series.dates[n_points - 1],
        "trend_verdict": verdicts["trend_verdict"],
        "trend_verdict_note": verdicts["trend_verdict_note"],
        "verdict": verdicts["verdict"],
        "elpd_diff": verdicts["elpd_diff"],
        "elpd_diff_se": verdicts["elpd_diff_se"],
        "p_speeding_up": verdicts["p_speeding_up"],
        "p_inflection_past": p_past,
        "p_inflection_past_mcse": p_past_mcse,
        "diagnostics_ok": all(convergence_problem(f) is None for f in fits.values()),
    }


def run_backtests(fitter: Fitter, series: SeriesData, spec: ParadigmSpec, structures: list[Structure], priors: dict) -> list[dict]:
    rows = []
    for origin in spec.backtest_origins:
        train = series.before(origin)
        if len(train.dates) < MIN_BACKTEST_TRAIN:
            continue
        tests = []
        for horizon in spec.backtest_horizons_years:
            end = origin + dt.timedelta(days=round(horizon * 365.25))
            test = series.between(origin, end)
            if test.dates:
                tests.append((horizon, test))
        if not tests:
            continue
        anchors = train.model_data()
        for s in structures:
            fitter.progress(f"{series.series_id}: {s.family} backtest from {origin}")
            fit = fitter.unit_fit(train, s, priors[s.family])
            rng = np.random.default_rng(int(fit["key"][8:16], 16))
            for horizon, test in tests:
                ty = test.to_model(test.values)
                loglik = P.log_likelihood(s, fit["draws"], anchors, test.t, ty)
                lpd = P.log_predictive_density(loglik)
                pred = P.predictive(s, fit["draws"], anchors, test.t, rng)
                q = np.quantile(pred, [0.05, 0.25, 0.75, 0.95], axis=0)
                rows.append({
                    "series_id": series.series_id,
                    "origin_date": origin,
                    "horizon_years": float(horizon),
                    "family": s.family,
                    "n_train": len(train.dates),
                    "n_test": len(test.dates),
                    "lpd": float(lpd.sum()),
                    "lpd_mean": float(lpd.mean()),
                    "coverage_50": float(np.mean((ty >= q[1]) & (ty <= q[2]))),
                    "coverage_90": float(np.mean((ty >= q[0]) & (ty <= q[3]))),
                    "divergences": fit["divergences"],
                })
    return rows


def comparison_row(series, structures, fits, loos, weights, backtests, priors, key) -> dict:
    row: dict = {
        "series_id": series.series_id,
        "paradigm_id": series.paradigm_id,
        "scale": series.scale,
        "n_points": len(series.dates),
        "first_date": series.dates[0],
        "last_date": series.dates[-1],
        "families": [s.family for s in structures],
        "fit_key": key,
    }
    for family in FT.FAMILIES:
        loo, fit = loos.get(family), fits.get(family)
        row |= {
            f"elpd_loo_{family}": None if loo is None else float(loo.elpd_loo),
            f"elpd_loo_se_{family}": None if loo is None else float(loo.se),
            f"p_loo_{family}": None if loo is None else float(loo.p_loo),
            f"pareto_k_bad_{family}": None if loo is None else int((loo.pareto_k.values > loo.good_k).sum()),
            f"divergences_{family}": None if fit is None else fit["divergences"],
            f"max_rhat_{family}": None if fit is None else fit["max_rhat"],
            f"min_ess_bulk_{family}": None if fit is None else fit["min_ess_bulk"],
            f"min_ess_tail_{family}": None if fit is None else fit["min_ess_tail"],
            f"weight_{family}": weights.get(family),
            f"lfo_elpd_{family}": None,
        }
    # LFO: the first horizon after every origin where all families were refitted, same points for all.
    first_horizon = min((b["horizon_years"] for b in backtests), default=None)
    per_origin: dict = {}
    for b in backtests:
        if b["horizon_years"] == first_horizon:
            per_origin.setdefault(b["origin_date"], {})[b["family"]] = b
    complete = [o for o in per_origin.values() if len(o) == len(structures)]
    row["lfo_points"] = sum(next(iter(o.values()))["n_test"] for o in complete)
    for s in structures:
        if complete:
            row[f"lfo_elpd_{s.family}"] = float(sum(o[s.family]["lpd"] for o in complete))
    row |= compare_families(series, fits, loos)
    flagged = []
    logistic = next((s for s in structures if s.family == "logistic"), None)
    if logistic is not None:
        for name in ("bend", "inflection_offset", "ceiling_share"):
            if name in logistic.parameter_names and posterior_contraction(fits["logistic"]["draws"][name], priors["logistic"][name]) < CONTRACTION_FLAG:
                flagged.append(name)
        row["logistic_prior_driven"] = bool(flagged)
    else:
        row["logistic_prior_driven"] = None
    row["logistic_prior_driven_parameters"] = flagged
    row["divergences"] = sum(f["divergences"] for f in fits.values())
    row["max_rhat"] = max(f["max_rhat"] for f in fits.values())
    row["min_ess_bulk"] = min(f["min_ess_bulk"] for f in fits.values())
    row["min_ess_tail"] = min(f["min_ess_tail"] for f in fits.values())
    row["diagnostics_ok"] = all(convergence_problem(f) is None for f in fits.values())
    return row


def prior_variance(prior: dict) -> float:
    d = prior["dist"]
    if d == "Normal":
        return prior["sigma"] ** 2
    if d == "LogNormal":
        s2 = prior["sigma"] ** 2
        return (math.exp(s2) - 1) * math.exp(2 * prior["mu"] + s2)
    if d == "HalfNormal":
        return prior["sigma"] ** 2 * (1 - 2 / math.pi)
    if d == "Exponential":
        return 1 / prior["lam"] ** 2
    if d == "Beta":
        a, b = prior["alpha"], prior["beta"]
        return a * b / ((a + b) ** 2 * (a + b + 1))
    raise ValueError(d)


def posterior_contraction(draws: np.ndarray, prior: dict) -> float:
    """1 − posterior variance / prior variance: near 1 the data decide, near 0 the prior does."""
    return float(1.0 - np.var(draws) / prior_variance(prior))


def prior_draws(prior: dict, n: int, rng: np.random.Generator) -> np.ndarray:
    d = prior["dist"]
    if d == "Normal":
        return rng.normal(prior["mu"], prior["sigma"], n)
    if d == "LogNormal":
        return rng.lognormal(prior["mu"], prior["sigma"], n)
    if d == "HalfNormal":
        return np.abs(rng.normal(0.0, prior["sigma"], n))
    if d == "Exponential":
        return rng.exponential(1 / prior["lam"], n)
    if d == "Beta":
        return rng.beta(prior["alpha"], prior["beta"], n)
    raise ValueError(d)


def posterior_rows(series, structures, fits, data) -> list[dict]:
    rows = []
    for s in structures:
        draws = fits[s.family]["draws"]
        quantities = {p.name: (draws[p.name], p.unit) for p in s.parameters}
        quantities |= P.derived(s, draws, data, series)
        for name, (values, unit) in quantities.items():
            rows.append(summary_row(series.series_id, s.family, "bayesian", name, unit, values, chains=fits[s.family]["chains"]))
    return rows


SUMMARY_QUANTILES = {"q05": 0.05, "q50": 0.5, "q95": 0.95}


def _no_mcse(row: dict) -> dict:
    """A baseline estimate is not a Monte Carlo figure: its MCSE columns stay empty."""
    return row | {"mcse_mean": None, **{f"mcse_{name}": None for name in SUMMARY_QUANTILES}}


def summary_row(series_id, family, method, parameter, unit, values, chains: int | None = None) -> dict:
    """Mean, sd and quantiles of draws; with `chains` (posterior draws, chain-major) also each
    figure's Monte Carlo standard error, which decides how many digits the site may print."""
    values = np.asarray(values, float)
    finite = values[np.isfinite(values)]
    q = np.quantile(values, list(SUMMARY_QUANTILES.values())) if len(values) else [None] * 3
    all_finite = len(finite) == len(values) and len(values) > 0
    row = {
        "series_id": series_id, "family": family, "method": method, "parameter": parameter, "unit": unit,
        "mean": _num(finite.mean()) if all_finite else None,
        "sd": _num(finite.std()) if all_finite and len(values) > 1 else None,
        **{name: _num(v) for name, v in zip(SUMMARY_QUANTILES, q)},
        "mcse_mean": None, **{f"mcse_{name}": None for name in SUMMARY_QUANTILES},
    }
    if chains and all_finite and len(values) % chains == 0 and len(values) // chains >= 4 and finite.std() > 0:
        import arviz as az

        by_chain = values.reshape(chains, -1)
        with quiet_arviz():
            row["mcse_mean"] = _num(np.ravel(az.mcse(by_chain, method="mean"))[0])
            for name, prob in SUMMARY_QUANTILES.items():
                row[f"mcse_{name}"] = _num(np.ravel(az.mcse(by_chain, method="quantile", prob=prob))[0])
    elif chains and all_finite and len(values) > 1 and finite.std() == 0:
        row["mcse_mean"] = 0.0
        row.update({f"mcse_{name}": 0.0 for name in SUMMARY_QUANTILES})
    return row


def baseline_rows(series: SeriesData, grid: list[dt.date]) -> dict:
    """The statsmodels/SciPy baseline for the same tables, labelled method/curve = baseline."""
    from .baseline import fit_exponential, fit_logistic_bounded, fit_logistic_log

    data = series.model_data()
    t = data["t"]
    y = data["y"]
    rows, projections, comparison = [], [], {"baseline_slope_per_year": None, "baseline_slope_se": None, "baseline_in_bayes_interval": None}
    if len(t) < 3:
        return {"posteriors": rows, "projections": projections, "comparison": comparison}
    floor = data["floor"]
    # On a bounded series the baseline's exponential is OLS on the log-odds of the share above chance.
    target = np.log(np.clip((y - floor) / (1 - floor), 1e-3, 1 - 1e-3) / (1 - np.clip((y - floor) / (1 - floor), 1e-3, 1 - 1e-3))) if series.scale == "bounded" else y
    exp = fit_exponential(t, target)
    comparison["baseline_slope_per_year"] = exp.slope_per_year
    comparison["baseline_slope_se"] = exp.slope_se
    lo, hi = exp.slope_interval()
    rows.append(_no_mcse({"series_id": series.series_id, "family": "exponential", "method": "baseline", "parameter": "slope",
                 "unit": "model-scale units per year", "mean": exp.slope_per_year, "sd": exp.slope_se, "q05": lo, "q50": exp.slope_per_year, "q95": hi}))
    if series.scale == "log":
        for name, fn, unit in (("growth_per_year", lambda b: math.exp(series.sign * b), "multiplicative factor per year"),
                               ("doubling_time_days", lambda b: math.log(2) / (series.sign * b) * 365.25 if b else None, "days (negative: halving time)")):
            ends = sorted(v for v in (fn(lo), fn(hi)) if v is not None) if lo * hi > 0 or name == "growth_per_year" else [None, None]
            rows.append(_no_mcse({"series_id": series.series_id, "family": "exponential", "method": "baseline", "parameter": name, "unit": unit,
                         "mean": _num(fn(exp.slope_per_year)), "sd": None, "q05": _num(ends[0]), "q50": _num(fn(exp.slope_per_year)), "q95": _num(ends[-1])}))
    if series.scale in ("log", "bounded"):
        logistic = fit_logistic_log(t, y) if series.scale == "log" else fit_logistic_bounded(t, y, floor=floor)
        if logistic.converged:
            for name, value in logistic.params.items():
                if name == "floor":
                    continue
                rows.append(_no_mcse({"series_id": series.series_id, "family": "logistic", "method": "baseline", "parameter": name,
                             "unit": "least-squares estimate", "mean": _num(value), "sd": None, "q05": None, "q50": _num(value), "q95": None}))
    # OLS prediction band (mean uncertainty plus residual noise), normal quantiles.
    tgrid = np.array([decimal_year(d) for d in grid])
    centre = tgrid - exp.t_centre
    mean = exp.intercept + exp.slope_per_year * centre
    sd = np.sqrt(exp.sigma**2 + exp.cov[0, 0] + 2 * centre * exp.cov[0, 1] + centre**2 * exp.cov[1, 1])
    z = {"q05": -1.6449, "q25": -0.6745, "q50": 0.0, "q75": 0.6745, "q95": 1.6449}
    bands = {k: mean + v * sd for k, v in z.items()}
    if series.scale == "bounded":
        bands = {k: floor + (1 - floor) / (1 + np.exp(-v)) for k, v in bands.items()}
    bands = {k: series.to_metric(v) for k, v in bands.items()}
    if series.scale == "log" and series.sign < 0:
        bands = {"q05": bands["q95"], "q25": bands["q75"], "q50": bands["q50"], "q75": bands["q25"], "q95": bands["q05"]}
    for i, day in enumerate(grid):
        projections.append({"series_id": series.series_id, "curve": "baseline", "date": day, **{k: _num(v[i]) for k, v in bands.items()}})
    return {"posteriors": rows, "projections": projections, "comparison": comparison}


def band_rows(series: SeriesData, curve: str, grid: list[dt.date], values: np.ndarray) -> list[dict]:
    q = np.quantile(values, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    return [
        {"series_id": series.series_id, "curve": curve, "date": day,
         "q05": _num(q[0, i]), "q25": _num(q[1, i]), "q50": _num(q[2, i]), "q75": _num(q[3, i]), "q95": _num(q[4, i])}
        for i, day in enumerate(grid)
    ]


def prior_predictive_check(series, structures, priors, data, grid, tgrid, rng) -> tuple[list[dict], float]:
    """Bands of what each family's priors alone predict, and the smallest share (over families) of
    the observed points inside the prior's 90% band: near 1, the priors allow the data."""
    rows, coverage = [], 1.0
    for s in structures:
        draws = {p.name: prior_draws(priors[s.family][p.name], PRIOR_DRAWS, rng) for p in s.parameters}
        at_data = P.predictive(s, draws, data, data["t"], rng)
        lo, hi = np.quantile(at_data, [0.05, 0.95], axis=0)
        coverage = min(coverage, float(np.mean((data["y"] >= lo) & (data["y"] <= hi))))
        values = series.to_metric(P.predictive(s, draws, data, tgrid, rng))
        q = np.quantile(values, [0.05, 0.5, 0.95], axis=0)
        rows += [
            {"series_id": series.series_id, "family": s.family, "date": day, "q05": _num(q[0, i]), "q50": _num(q[1, i]), "q95": _num(q[2, i])}
            for i, day in enumerate(grid)
        ]
    return rows, coverage


# --- thresholds: recomputed every run from the cached draws ------------------------------------

def threshold_rows(fitter: Fitter, series: SeriesData, spec: ParadigmSpec, result: dict, claims: list[dict]) -> list[dict]:
    subjects = [
        {"subject": "paradigm", "claim_id": None, "label": t["label"], "comparator": t["comparator"], "threshold_value": float(t["threshold_value"]), "by_dates": None}
        for t in spec.thresholds if t["series_id"] == series.series_id
    ]
    subjects += [
        {"subject": "claim", "claim_id": c["id"], "label": c["label"], "comparator": c["comparator"], "threshold_value": float(c["threshold_value"]), "by_dates": [c["deadline"]]}
        for c in claims if c["series_id"] == series.series_id
    ]
    if not subjects:
        return []
    structures = {s.family: s for s in (structure_for(series.scale, f) for f in result["weights"]) if s is not None}
    anchors = result["anchors"]
    rng = np.random.default_rng(int(result["comparison"]["fit_key"][:8], 16))
    grid = month_grid(series.dates[0], PROJECTION_END)
    tgrid = np.array([decimal_year(d) for d in grid])
    curves = []
    for family, weight in result["weights"].items():
        draws = load_unit(fitter.cache_dir / f"{result['fit_keys'][family]}.npz")["draws"]
        trend = series.to_metric(P.mean_curve(structures[family], draws, anchors, tgrid))
        curves.append(take_draws(trend, round(weight * STACKED_DRAWS), rng))
    trend = np.concatenate(curves)
    rows = []
    last_year = series.dates[-1].year
    for sub in subjects:
        meets = meets_threshold(trend, sub["comparator"], sub["threshold_value"])
        crossed = meets.any(axis=1)
        first = np.where(crossed, meets.argmax(axis=1), len(grid))  # index of the first month meeting it
        observed = next((d for d, v in zip(series.dates, series.values) if meets_threshold(np.array([v]), sub["comparator"], sub["threshold_value"])[0]), None)
        by_dates = sub["by_dates"] or [dt.date(y, 12, 31) for y in range(last_year, PROJECTION_END.year + 1)]
        quantiles = {}
        for name, q in (("crossing_q05", 0.05), ("crossing_q50", 0.5), ("crossing_q95", 0.95)):
            idx = int(np.quantile(first, q, method="inverted_cdf"))
            quantiles[name] = grid[idx] if idx < len(grid) else None
        for by in by_dates:
            n_by = sum(1 for d in grid if d <= by)
            rows.append({
                "series_id": series.series_id, "subject": sub["subject"], "claim_id": sub["claim_id"], "label": sub["label"],
                "comparator": sub["comparator"], "threshold_value": sub["threshold_value"], "by_date": by,
                "p_crossed_by_date": float(np.mean(first < n_by)), "p_crossed_by_horizon_end": float(np.mean(crossed)),
                **quantiles, "observed_crossing_date": observed,
            })
    return rows


def meets_threshold(values: np.ndarray, comparator: str, threshold: float) -> np.ndarray:
    return {">=": values >= threshold, ">": values > threshold, "<=": values <= threshold, "<": values < threshold}[comparator]


# --- the command --------------------------------------------------------------------------------

def fit_all(db_path: Path, build_dir: Path, paradigm_ids: list[str] | None = None, *, settings: SamplerSettings | None = None,
            use_cache: bool = True, progress: Callable[[str], None] = lambda _: None, series_ids: list[str] | None = None) -> FitReport:
    import duckdb

    started = time.perf_counter()
    report = FitReport()
    fitter = Fitter(build_dir, settings or SamplerSettings(), use_cache, progress)
    con = open_database(db_path, read_only=True)
    try:
        all_series = load_series(con)
        paradigms = load_paradigms(con)
        claims = [
            {"id": r[0], "series_id": r[1], "comparator": r[2], "threshold_value": r[3], "deadline": r[4], "label": r[5]}
            for r in con.execute(
                "SELECT id, operationalisation_series_id, operationalisation_comparator, operationalisation_threshold_value, deadline_date, statement "
                "FROM rec_claims WHERE operationalisation_series_id IS NOT NULL ORDER BY id"
            ).fetchall()
        ]
    finally:
        con.close()
    unknown = sorted(set(paradigm_ids or ()) - set(paradigms))
    if unknown:
        raise ValueError(f"no paradigm {', '.join(unknown)} (have {', '.join(sorted(paradigms))})")
    chosen = [
        s for s in all_series.values()
        if (not paradigm_ids or s.paradigm_id in paradigm_ids) and (not series_ids or s.series_id in series_ids) and s.paradigm_id in paradigms
    ]
    rows: dict[str, list[dict]] = {t.name: [] for t in FT.FIT_TABLES}
    for i, series in enumerate(chosen, 1):
        spec = paradigms[series.paradigm_id]
        if len(series.dates) < MIN_POINTS:
            report.series_skipped.append(f"{series.series_id} ({len(series.dates)} frontier points, need {MIN_POINTS})")
            continue
        progress(f"[{i}/{len(chosen)}] {series.series_id}")
        result, cached = fitter.series_result(series, spec)
        report.series_cached += cached
        report.series_fitted += not cached
        rows["fit_comparisons"].append(result["comparison"])
        rows["fit_posteriors"] += result["posteriors"]
        rows["fit_projections"] += result["projections"]
        rows["fit_prior_predictive"] += result["prior_predictive"]
        rows["fit_backtests"] += result["backtests"]
        rows["fit_verdict_history"] += result["verdict_history"]
        rows["fit_thresholds"] += threshold_rows(fitter, series, spec, result, claims)
    write_tables(db_path, build_dir, rows, FT.FIT_TABLES, replace_series=[s.series_id for s in chosen], partial=bool(paradigm_ids or series_ids))
    report.fits_sampled = fitter.fits_sampled
    report.compile_seconds = fitter._sampler.compile_seconds if fitter._sampler else 0.0
    report.rows = {name: len(r) for name, r in rows.items()}
    report.seconds = time.perf_counter() - started
    return report


# --- helpers --------------------------------------------------------------------------------------

def month_grid(start: dt.date, end: dt.date) -> list[dt.date]:
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(dt.date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def take_draws(values: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    if n <= 0:
        return values[:0]
    return values[rng.choice(len(values), size=n, replace=n > len(values))]


def _num(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


