"""The fast frequentist baseline, labelled as such wherever it is shown: OLS on the log scale with
HAC (Newey–West) errors for the exponential, and a maximum-likelihood (least-squares) logistic. It
sanity-checks the Bayesian fits and gives them initial values; milliseconds per series."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .curves import doubling_time_days, growth_per_year, logistic_bounded, logistic_log

BASELINE_LABEL = "baseline (statsmodels OLS with HAC errors; SciPy least-squares logistic)"


@dataclass(frozen=True)
class ExponentialBaseline:
    slope_per_year: float
    slope_se: float  # HAC standard error: trend residuals are autocorrelated
    intercept: float
    t_centre: float
    sigma: float
    n: int
    cov: np.ndarray  # HAC covariance of (intercept, slope), for prediction bands

    @property
    def doubling_time_days(self) -> float:
        return doubling_time_days(self.slope_per_year)

    @property
    def growth_per_year(self) -> float:
        return growth_per_year(self.slope_per_year)

    def slope_interval(self, z: float = 1.645) -> tuple[float, float]:
        return self.slope_per_year - z * self.slope_se, self.slope_per_year + z * self.slope_se


def fit_exponential(t_years: np.ndarray, log_values: np.ndarray, *, hac_lags: int | None = None) -> ExponentialBaseline:
    """OLS of log(metric) on centred decimal years, with Newey–West standard errors."""
    import statsmodels.api as sm

    t = np.asarray(t_years, float)
    y = np.asarray(log_values, float)
    if len(t) < 3:
        raise ValueError("an exponential baseline needs at least 3 points")
    centre = float(t.mean())
    lags = hac_lags if hac_lags is not None else max(1, int(np.floor(4 * (len(t) / 100) ** (2 / 9))))
    result = sm.OLS(y, sm.add_constant(t - centre)).fit(cov_type="HAC", cov_kwds={"maxlags": lags})
    return ExponentialBaseline(
        slope_per_year=float(result.params[1]),
        slope_se=float(result.bse[1]),
        intercept=float(result.params[0]),
        t_centre=centre,
        sigma=float(np.sqrt(result.scale)),
        n=len(t),
        cov=np.asarray(result.cov_params(), float),
    )


@dataclass(frozen=True)
class LogisticBaseline:
    params: dict[str, float]
    sigma: float
    converged: bool


def fit_logistic_log(t_years: np.ndarray, log_values: np.ndarray) -> LogisticBaseline:
    """Least-squares log-scale logistic (ML under Gaussian noise); the ceiling starts one unit above the data."""
    t = np.asarray(t_years, float)
    y = np.asarray(log_values, float)
    start = [y.max() + 1.0, 0.8, t.max()]
    bounds = ([y.max() - 1e-6, 1e-3, t.min() - 50.0], [y.max() + 50.0, 20.0, t.max() + 50.0])
    params, sigma, converged = _least_squares(logistic_log, t, y, start, bounds)
    return LogisticBaseline(dict(zip(("log_ceiling", "rate", "t_mid"), params)), sigma, converged)


def fit_logistic_bounded(t_years: np.ndarray, values: np.ndarray, *, floor: float, ceiling_max: float = 1.0) -> LogisticBaseline:
    """Least-squares bounded logistic with the floor fixed at chance and the ceiling at most ceiling_max."""
    t = np.asarray(t_years, float)
    y = np.asarray(values, float)

    def curve(tt, ceiling, rate, t_mid):
        return logistic_bounded(tt, floor, ceiling, rate, t_mid)

    start = [min(ceiling_max, max(y.max() + 0.05, floor + 0.1)), 1.0, float(np.median(t))]
    bounds = ([max(floor + 1e-3, y.max() - 0.05), 1e-3, t.min() - 20.0], [ceiling_max, 30.0, t.max() + 20.0])
    start[0] = min(max(start[0], bounds[0][0]), bounds[1][0])
    params, sigma, converged = _least_squares(curve, t, y, start, bounds)
    return LogisticBaseline({"floor": floor, **dict(zip(("ceiling", "rate", "t_mid"), params))}, sigma, converged)


def _least_squares(curve, t: np.ndarray, y: np.ndarray, start: list[float], bounds) -> tuple[list[float], float, bool]:
    """Bounded least squares from `start`; (params, residual RMS, converged). No warnings leak."""
    from scipy.optimize import curve_fit

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            params, _ = curve_fit(curve, t, y, p0=start, bounds=bounds, maxfev=20000)
            converged = True
        except RuntimeError:
            params, converged = np.array(start), False
    residual = y - curve(t, *params)
    return [float(p) for p in params], float(np.sqrt(np.mean(residual**2))), converged
