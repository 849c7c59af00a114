"""Comparing the families of one series: differences in expected log predictive density, the
verdict rule, the convergence gate, and the one answer per series (site/methods/trend-models.md,
"Comparing the families").
"""

from __future__ import annotations

import math

import numpy as np

from .data import SeriesData


def psis_loo(structure, fit: dict, data: dict):
    """PSIS-LOO (ArviZ, pointwise) of one fit on the points it was fitted to (`data`: model_data())."""
    import arviz as az

    from . import posterior as P

    loglik = P.log_likelihood(structure, fit["draws"], data, data["t"], data["y"])
    chains = fit["chains"]
    idata = az.from_dict(posterior={n: v.reshape(chains, -1) for n, v in fit["draws"].items()},
                         log_likelihood={"obs": loglik.reshape(chains, -1, len(data["t"]))})
    with quiet_arviz():
        return az.loo(idata, pointwise=True)


def stacking_weights(loos: dict) -> dict[str, float]:
    """Each family's LOO stacking weight (its share in the projection mixture); 1 for a lone family."""
    if len(loos) == 1:
        return {family: 1.0 for family in loos}
    import arviz as az

    with quiet_arviz():
        compared = az.compare(loos, ic="loo", method="stacking")
    return {family: float(compared.loc[family, "weight"]) for family in loos}


DECISIVE_ELPD = 4.0  # |Δelpd| below this is small and its SE unreliable (CV-FAQ)


def compare_families(series: SeriesData, fits: dict, loos: dict) -> dict:
    """The verdicts of one set of fits: S-curve against exponential, the succession against the
    better single curve, the direction of a changepoint, and the one answer per series."""
    row: dict = {"elpd_diff": None, "elpd_diff_se": None, "verdict": None, "verdict_note": None}
    if "exponential" in loos and "logistic" in loos:
        diff, se = elpd_difference(loos["logistic"], loos["exponential"])
        row["elpd_diff"], row["elpd_diff_se"] = diff, se
        row["verdict"], row["verdict_note"] = gated_verdict(
            verdict(diff, se, "logistic_better", "exponential_better"), {f: fits[f] for f in ("exponential", "logistic")}
        )
    row["succession_elpd_diff"], row["succession_elpd_diff_se"], row["succession_verdict"] = None, None, None
    if "succession" in loos:
        singles = [f for f in ("exponential", "logistic") if f in loos]
        best = max(singles, key=lambda f: float(loos[f].elpd_loo))
        diff, se = elpd_difference(loos["succession"], loos[best])
        row["succession_elpd_diff"], row["succession_elpd_diff_se"] = diff, se
        row["succession_verdict"], succession_note = gated_verdict(
            verdict(diff, se, "succession_better", "single_better"), {f: fits[f] for f in ("succession", best)}
        )
    else:
        succession_note = None
    row["p_speeding_up"] = (
        float(np.mean(fits["succession"]["draws"]["slope_change"] > 0)) if series.scale == "log" and "succession" in fits else None
    )
    row["trend_verdict"], row["trend_verdict_note"] = trend_verdict(row, series.scale, succession_note)
    return row


# How sure the changepoint model must be of the direction of the change to call it speeding up.
DIRECTION_SURE = 0.95


def trend_verdict(row: dict, scale: str, succession_note: str | None) -> tuple[str | None, str | None]:
    """One answer per series: bending, steady, speeding_up, not_distinguishable or undetermined.

    Bending: the S-curve beats the exponential, or (bounded series) two S-curves beat one, or (log
    series) a changepoint beats both single curves and the rate surely fell. Speeding up: on a log
    series the changepoint model beats both single curves and the rate surely rose. Steady: the
    exponential beats the S-curve and no succession beats it. Any comparison that rests on a fit
    that did not converge makes the answer undetermined."""
    main, succession = row.get("verdict"), row.get("succession_verdict")
    if main is None:
        return None, None
    if main == "undetermined" or succession == "undetermined":
        notes = dict.fromkeys(n for n in (row.get("verdict_note"), succession_note) if n)  # one fit can fail both comparisons
        return "undetermined", " ".join(notes) or None
    if succession == "succession_better":
        if scale != "log":
            return "bending", None
        p = row.get("p_speeding_up")
        if p is not None and p >= DIRECTION_SURE:
            return "speeding_up", None
        if p is not None and p <= 1 - DIRECTION_SURE:
            return "bending", None
        return "not_distinguishable", None
    if main == "logistic_better":
        return "bending", None
    if main == "exponential_better":
        return "steady", None
    return "not_distinguishable", None


# A main fit speaks only when its sampler converged: no divergent transitions, R-hat at most 1.01,
# and at least 400 effective draws in the bulk and in the tails (Vehtari et al. 2021).
MAX_RHAT = 1.01


MIN_ESS = 400


def convergence_problem(fit: dict) -> str | None:
    """What failed in one fit's diagnostics, in words, or None when it converged."""
    problems = []
    if fit["divergences"]:
        problems.append(f"{fit['divergences']} divergent transition{'s' if fit['divergences'] != 1 else ''}")
    if fit["max_rhat"] > MAX_RHAT:
        problems.append(f"R-hat {fit['max_rhat']:.3f}")
    if fit["min_ess_bulk"] < MIN_ESS:
        problems.append(f"bulk ESS {fit['min_ess_bulk']:.0f}")
    if fit.get("min_ess_tail", MIN_ESS) < MIN_ESS:
        problems.append(f"tail ESS {fit['min_ess_tail']:.0f}")
    return ", ".join(problems) or None


def gated_verdict(raw: str, compared: dict[str, dict]) -> tuple[str, str | None]:
    """The comparison's verdict if every compared fit converged; otherwise `undetermined`, with
    which fit failed and how. A verdict from a fit that did not converge is never reported."""
    failed = [(family, problem) for family, fit in compared.items() if (problem := convergence_problem(fit))]
    if not failed:
        return raw, None
    return "undetermined", "The sampler did not converge for " + "; ".join(f"the {family} fit ({problem})" for family, problem in failed) + "."


def elpd_difference(a, b) -> tuple[float, float]:
    """elpd(a) − elpd(b) and its standard error from the pointwise differences."""
    d = np.asarray(a.loo_i) - np.asarray(b.loo_i)
    return float(d.sum()), float(math.sqrt(len(d) * d.var()))


def verdict(diff: float, se: float, better: str, worse: str) -> str:
    if abs(diff) > DECISIVE_ELPD and abs(diff) > 2 * se:
        return better if diff > 0 else worse
    return "not_distinguishable"


class quiet_arviz:
    """ArviZ warns (rightly) about high Pareto k; the counts are in the table, not on the terminal."""

    def __enter__(self):
        import warnings

        self._ctx = warnings.catch_warnings()
        self._ctx.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)
