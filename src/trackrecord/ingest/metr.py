"""METR time horizons: how long a software task (in skilled-human minutes) agents complete."""

from __future__ import annotations

import datetime as dt

import yaml

from . import IngestError, Upstream, source
from .common import REASONING_NOTE, finish_points

METR_ORIGIN = {
    "producer": "METR",
    "citation": "Kwa et al. (2025), Measuring AI Ability to Complete Long Tasks, arXiv:2503.14499",
    "licence": "MIT (METR/eval-analysis-public); the YAML carries no separate licence. Attribute METR.",
}
TH10 = "benchmark_results_1_0.yaml"
TH11 = "benchmark_results_1_1_2026-03-03.yaml"


def _points(upstream: Upstream, file_name: str, metric: str) -> list[dict]:
    try:
        data = yaml.safe_load(upstream.read(file_name).text("utf-8"))
        results = data["results"]
    except (yaml.YAMLError, KeyError, TypeError) as err:
        raise IngestError(f"{file_name}: not METR's results layout ({err})") from None
    points = []
    for key, entry in results.items():
        horizon = entry["metrics"][metric]
        release = entry["release_date"]
        point = {
            "date": release if isinstance(release, dt.date) else dt.date.fromisoformat(str(release)),
            "value": float(horizon["estimate"]),
            "lower": float(horizon["ci_low"]),
            "upper": float(horizon["ci_high"]),
            "system": key,
        }
        if entry["metrics"].get("is_sota"):
            point["tags"] = ["metr-sota"]
        points.append(point)
    return finish_points(points)


def _series(upstream: Upstream, file_name: str, metric: str, **fields) -> dict:
    upstream_file = upstream.read(file_name)
    return {
        **fields,
        "unit": "minutes",
        "scale": "log",
        "better": "higher",
        "points_cover": "all",
        "paradigm_id": "agents",
        "origin": {
            **METR_ORIGIN,
            "url": f"https://metr.org/assets/{'benchmark_results_1_0.yaml' if file_name == TH10 else 'benchmark_results_1_1.yaml'}",
            "retrieved_date": upstream.retrieved_date(),
            "upstream_path": upstream_file.upstream_path,
            "checksum_sha256": upstream_file.sha256,
            "note": "Tag metr-sota marks the points METR flags is_sota. System names are METR's keys. " + REASONING_NOTE,
        },
        "points": _points(upstream, file_name, metric),
    }


@source(
    "metr-horizons",
    snapshot="metr-time-horizons",
    files={
        TH10: "IAPS-AI/METR-Time-Horizons@0ce992b83d3dd31df443a84f6f9b79eff7143f4b:benchmark_results_1_0.yaml",
        TH11: "peterhurford/metr_graph@0a397e8a5c57e1eac7590e8268ef3997a9cd1fad:benchmark_results_1_1.yaml",
    },
)
def ingest_metr(upstream: Upstream) -> list[dict]:
    """METR time horizons 1.0 (50% and 80%) and 1.1 (50%)."""
    return [
        _series(
            upstream, TH10, "p50_horizon_length",
            id="metr-horizon-p50-minutes",
            name="METR time horizon, 50% success (TH 1.0)",
            description=(
                "Length of software tasks, in minutes a skilled human takes, that the model completes with 50% "
                "probability (logistic fit of success against log task length), with METR's confidence interval. "
                "Time Horizon 1.0 task suite."
            ),
        ),
        _series(
            upstream, TH10, "p80_horizon_length",
            id="metr-horizon-p80-minutes",
            name="METR time horizon, 80% success (TH 1.0)",
            description=(
                "Length of software tasks, in minutes a skilled human takes, that the model completes with 80% "
                "probability, from the same logistic fit as the 50% horizon, with METR's confidence interval. "
                "Time Horizon 1.0 task suite."
            ),
        ),
        _series(
            upstream, TH11, "p50_horizon_length",
            id="metr-horizon-p50-minutes-th11",
            name="METR time horizon, 50% success (TH 1.1, March 2026)",
            description=(
                "Length of software tasks, in minutes a skilled human takes, that the model completes with 50% "
                "probability, on METR's Time Horizon 1.1 task suite, as mirrored on 2026-03-03 by a third-party "
                "repository whose commit cites METR's announcement of prior overestimates."
            ),
        ),
    ]
