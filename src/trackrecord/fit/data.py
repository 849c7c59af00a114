"""What a fit sees: a series' frontier points on its model scale, and the anchors priors are relative to.

Trend models are fitted to the frontier (the running best by date, computed at build), because
the claims and the questions are about what the best systems can do, not the average release.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import numpy as np

from .curves import decimal_year
from .structures import BOUNDED_EPSILON


@dataclass(frozen=True)
class SeriesData:
    series_id: str
    paradigm_id: str
    scale: str  # log | bounded | linear
    higher_is_better: bool
    floor: float | None
    ceiling: float | None
    unit: str
    dates: tuple[dt.date, ...]
    values: np.ndarray  # metric units

    @property
    def sign(self) -> float:
        return 1.0 if self.higher_is_better else -1.0

    @property
    def t(self) -> np.ndarray:
        return np.array([decimal_year(d) for d in self.dates])

    @property
    def bound(self) -> float:
        return 1.0 if self.ceiling is None else float(self.ceiling)

    def to_model(self, values: np.ndarray) -> np.ndarray:
        values = np.asarray(values, float)
        if self.scale == "log":
            return self.sign * np.log(values)
        if self.scale == "bounded":
            return np.clip(values / self.bound, BOUNDED_EPSILON, 1.0 - BOUNDED_EPSILON)
        return self.sign * values

    def to_metric(self, y: np.ndarray) -> np.ndarray:
        y = np.asarray(y, float)
        if self.scale == "log":
            with np.errstate(over="ignore"):
                return np.exp(self.sign * y)
        if self.scale == "bounded":
            return y * self.bound
        return self.sign * y

    def before(self, cutoff: dt.date) -> SeriesData:
        """The points released before `cutoff` (the frontier is prefix-closed: no look-ahead)."""
        keep = [i for i, d in enumerate(self.dates) if d < cutoff]
        return self._subset(keep)

    def between(self, start: dt.date, end: dt.date) -> SeriesData:
        keep = [i for i, d in enumerate(self.dates) if start <= d < end]
        return self._subset(keep)

    def _subset(self, keep: list[int]) -> SeriesData:
        return SeriesData(
            self.series_id, self.paradigm_id, self.scale, self.higher_is_better, self.floor, self.ceiling, self.unit,
            tuple(self.dates[i] for i in keep), self.values[keep],
        )

    def model_data(self) -> dict:
        """t, y and the anchors the priors are written relative to."""
        t = self.t
        y = self.to_model(self.values)
        floor = 0.0 if self.floor is None else float(self.floor) / self.bound
        share = np.clip((y.mean() - floor) / (1.0 - floor), 1e-3, 1 - 1e-3) if self.scale == "bounded" else 0.5
        return {
            "t": t,
            "y": y,
            "t_centre": float(t.mean()),
            "t_first": float(t.min()),
            "t_last": float(t.max()),
            "y_mean": float(y.mean()),
            "y_max": float(y.max()),
            "floor": floor,
            "logit_mean": float(np.log(share / (1 - share))),
        }

    def fingerprint(self) -> list:
        """What the fit depends on, for the content hash."""
        return [self.series_id, self.scale, self.higher_is_better, self.floor, self.ceiling,
                [[d.isoformat(), repr(float(v))] for d, v in zip(self.dates, self.values)]]


@dataclass(frozen=True)
class ParadigmSpec:
    id: str
    families: tuple[str, ...]
    priors: dict  # family -> parameter -> prior dict
    series_priors: dict  # series id -> family -> parameter -> prior dict
    backtest_origins: tuple[dt.date, ...]
    backtest_horizons_years: tuple[float, ...]
    thresholds: tuple[dict, ...]

    def priors_for(self, series_id: str, family: str) -> dict:
        return {**self.priors.get(family, {}), **self.series_priors.get(series_id, {}).get(family, {})}


def load_series(con) -> dict[str, SeriesData]:
    rows = con.execute(
        """
        SELECT s.id, s.paradigm_id, s.scale, s.better, s.floor, s.ceiling, s.unit,
               list(p.date ORDER BY p.date, p.value), list(p.value ORDER BY p.date, p.value)
        FROM rec_metric_series AS s
        JOIN rec_metric_points AS p ON p.series_id = s.id AND p.is_frontier
        GROUP BY ALL ORDER BY s.id
        """
    ).fetchall()
    return {
        r[0]: SeriesData(r[0], r[1], r[2], r[3] == "higher", r[4], r[5], r[6], tuple(r[7]), np.array(r[8], float))
        for r in rows
    }


def load_paradigms(con) -> dict[str, ParadigmSpec]:
    rows = con.execute(
        "SELECT id, families, priors, series_priors, backtest_origins, backtest_horizons_years, thresholds FROM rec_paradigms ORDER BY id"
    ).fetchall()
    out = {}
    for pid, families, priors, series_priors, origins, horizons, thresholds in rows:
        out[pid] = ParadigmSpec(
            pid,
            tuple(families),
            _load_json(priors),
            _load_json(series_priors),
            tuple(origins or ()),
            tuple(float(h) for h in horizons or ()),
            tuple(thresholds or ()),
        )
    return out


def _load_json(value) -> dict:
    if value is None:
        return {}
    data = value
    while isinstance(data, str):  # DuckDB hands JSON columns back as text
        data = json.loads(data)
    return _drop_nulls(data)


def _drop_nulls(value):
    if isinstance(value, dict):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    return value
