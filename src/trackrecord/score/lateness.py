"""Lateness: for claims that said something *would* happen by a date, how late it came, if at all.

Each at_least claim resolved true, false or partly is a survival-time observation measured from
its deadline: 0 if it came true on time, the years to its came_true_date if it came true late,
and, if it has not (fully) come true, censored at the years from the deadline to today. The
Kaplan-Meier estimator (statsmodels) then gives the median lateness per group, or says it is not
reached yet. A claim without a probability still has a lateness, so unscorable hedges count here.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

YEAR_DAYS = 365.25
WITHIN_YEARS = 5.0
MIN_GROUP = 3  # smaller groups get no Kaplan-Meier row


def claim_lateness(direction: str, status: str, deadline: dt.date, came_true: dt.date | None, today: dt.date) -> tuple[str | None, float | None]:
    """(lateness_status, years) of one claim; (None, None) when lateness does not apply."""
    if direction != "at_least" or status not in ("true", "false", "partly"):
        return None, None
    if status == "true":
        return "on_time", 0.0
    if came_true is not None:
        return "late", max(0.0, (came_true - deadline).days / YEAR_DAYS)
    return "not_yet", max(0.0, (today - deadline).days / YEAR_DAYS)


def summarise(group_kind: str, group_id: str, statuses: list[str], years: list[float]) -> dict | None:
    if len(statuses) < MIN_GROUP:
        return None
    from statsmodels.duration.survfunc import SurvfuncRight

    time = np.array(years, float)
    event = np.array([s != "not_yet" for s in statuses], int)
    n_on_time = statuses.count("on_time")
    n_late = statuses.count("late")
    n_not_yet = statuses.count("not_yet")
    median = low = high = None
    share_within = 0.0
    if event.any():
        # Kaplan-Meier on the time to coming true: the "survival" is the share not yet true.
        fit = SurvfuncRight(time, event)
        times, surv = fit.surv_times, fit.surv_prob
        q = float(fit.quantile(0.5))
        if np.isfinite(q):
            median = q
            with np.errstate(divide="ignore", invalid="ignore"):  # log(-log S) at S = 1 gives an open bound
                lo, hi = fit.quantile_ci(0.5, alpha=0.1)
            low = float(lo) if np.isfinite(lo) else None
            high = float(hi) if np.isfinite(hi) else None
        within = surv[times <= WITHIN_YEARS]
        share_within = float(1.0 - within[-1]) if within.size else 0.0
    follow = float(time[event == 0].max()) if (event == 0).any() else float(time.max())
    return {
        "group_kind": group_kind,
        "group_id": group_id,
        "n_claims": len(statuses),
        "n_on_time": n_on_time,
        "n_late": n_late,
        "n_not_yet": n_not_yet,
        "median_years_late": median,
        "median_years_late_low": low,
        "median_years_late_high": high,
        "share_true_within_5_years": share_within,
        "max_followup_years": follow,
        "summary": _sentence(group_id, len(statuses), n_on_time, n_late, n_not_yet, median, follow),
    }


def _sentence(group: str, n: int, on_time: int, late: int, not_yet: int, median: float | None, follow: float) -> str:
    counts = f"{n} claims that something would happen by a date ({group}): {on_time} on time, {late} late, {not_yet} not yet"
    if median is None:
        return f"{counts}. At the median, not yet: fewer than half have come true, up to {follow:.1f} years past their deadlines."
    if median == 0:
        return f"{counts}. At the median, on time."
    return f"{counts}. At the median, {median:.1f} years late."
