"""METR time horizons (Time Horizon 1.0): the 50% task-completion horizon of AI agents."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from . import IngestError, adapter, retrieved_date, sha256_file

UPSTREAM_FILE = "benchmark_results_1_0.yaml"
UPSTREAM_PATH = "IAPS-AI/METR-Time-Horizons@0ce992b83d3dd31df443a84f6f9b79eff7143f4b:benchmark_results_1_0.yaml"


@adapter("metr-horizons")
def ingest_metr(source_dir: Path) -> list[dict]:
    path = source_dir / UPSTREAM_FILE
    if not path.exists():
        raise IngestError(f"{path} not found; point --from at the metr-time-horizons snapshot folder")
    upstream = yaml.safe_load(path.read_text(encoding="utf-8"))
    points = []
    for key, entry in upstream["results"].items():
        p50 = entry["metrics"]["p50_horizon_length"]
        release = entry["release_date"]
        release = release if isinstance(release, dt.date) else dt.date.fromisoformat(str(release))
        point = {
            "date": release,
            "value": float(p50["estimate"]),
            "lower": float(p50["ci_low"]),
            "upper": float(p50["ci_high"]),
            "system": key,
        }
        if entry["metrics"].get("is_sota"):
            point["tags"] = ["metr-sota"]
        points.append(point)
    points.sort(key=lambda p: (p["date"], p["system"]))
    return [
        {
            "id": "metr-horizon-p50-minutes",
            "name": "METR time horizon, 50% success (TH 1.0)",
            "description": (
                "Length of software tasks, in minutes a skilled human takes, that the model completes with 50% "
                "probability (logistic fit of success against log task length), with METR's confidence interval. "
                "Time Horizon 1.0 task suite."
            ),
            "unit": "minutes",
            "scale": "log",
            "better": "higher",
            "points_cover": "all",
            "paradigm_id": "agents",
            "origin": {
                "producer": "METR",
                "citation": "Kwa et al. (2025), Measuring AI Ability to Complete Long Tasks, arXiv:2503.14499",
                "url": "https://metr.org/assets/benchmark_results_1_0.yaml",
                "licence": "MIT (METR/eval-analysis-public); the YAML carries no separate licence. Attribute METR.",
                "retrieved_date": retrieved_date(source_dir),
                "upstream_path": UPSTREAM_PATH,
                "checksum_sha256": sha256_file(path),
                "note": "Tag metr-sota marks the points METR flags is_sota. System names are METR's keys.",
            },
            "points": points,
        }
    ]
