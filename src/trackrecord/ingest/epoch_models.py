"""Epoch AI's notable AI models: training compute, parameters and training data of each model."""

from __future__ import annotations

import datetime as dt

from . import Upstream, source
from .common import csv_rows, iso_date, number

NOTABLE = "notable_ai_models.csv"
DEEP_LEARNING_ERA = dt.date(2010, 1, 1)
EPOCH_MODELS_ORIGIN = {
    "producer": "Epoch AI",
    "citation": "Epoch AI, AI Models database (notable models), https://epoch.ai/data/ai-models",
    "url": "https://epoch.ai/data/ai-models",
    "licence": "CC BY 4.0 (Epoch AI); attribute Epoch AI",
}


def _series(upstream: Upstream, column: str, *, language_only: bool = False, **fields) -> dict:
    file = upstream.read(NOTABLE)
    points, skipped = [], 0
    for row in csv_rows(file):
        date, value = iso_date(row["Publication date"]), number(row[column])
        if language_only and "Language" not in row["Domain"]:
            continue
        if date is None or value is None or value <= 0 or date < DEEP_LEARNING_ERA:
            skipped += 1
            continue
        point = {"date": date, "value": value, "system": row["Model"]}
        if row["Frontier model"] == "True":
            point["tags"] = ["epoch-frontier-model"]
        if row["Confidence"] in ("Speculative", "Likely"):
            point["note"] = f"Epoch confidence: {row['Confidence']}"
        points.append(point)
    points.sort(key=lambda p: (p["date"], p["system"], p["value"]))
    return {
        **fields,
        "scale": "log",
        "better": "higher",
        "points_cover": "all",
        "paradigm_id": "pretraining-scale",
        "origin": {
            **EPOCH_MODELS_ORIGIN,
            "url_download": "https://epoch.ai/data/ai_models.zip",
            "retrieved_date": upstream.retrieved_date(),
            "upstream_path": file.upstream_path,
            "checksum_sha256": file.sha256,
            "note": (
                f"Column '{column}' of notable_ai_models.csv, models published from 2010 on (the deep-learning era); "
                "tag epoch-frontier-model marks Epoch's own frontier flag; Epoch's confidence is noted where it is "
                "'Likely' or 'Speculative'. The snapshot is a third-party mirror of Epoch's export (January 2026)."
            ),
        },
        "points": points,
    }


@source(
    "epoch-ai-models",
    snapshot="epoch-ai-models-2026-01",
    files={NOTABLE: "Pietro-Panizza/Data-Visualization-Final-Project@07f2f47e3a22d385977f961e6021906a352435e6:data/ai_models/notable_ai_models.csv"},
)
def ingest_epoch_models(upstream: Upstream) -> list[dict]:
    """Epoch AI notable models: training compute, parameters, training tokens."""
    return [
        _series(
            upstream, "Training compute (FLOP)",
            id="frontier-training-compute-flop",
            name="Training compute of notable AI models",
            description=(
                "Total training compute, in floating-point operations, of each notable AI model Epoch AI records, "
                "by publication date, from 2010. The frontier (running maximum) is computed at build time."
            ),
            unit="FLOP",
        ),
        _series(
            upstream, "Parameters",
            id="frontier-parameters-count",
            name="Parameters of notable AI models",
            description=(
                "Number of trainable parameters of each notable AI model Epoch AI records (total, including all "
                "experts of mixture-of-experts models), by publication date, from 2010."
            ),
            unit="parameters",
        ),
        _series(
            upstream, "Training dataset size (gradients)",
            language_only=True,
            id="frontier-training-tokens-count",
            name="Training data of notable language models",
            description=(
                "Training dataset size of notable language models, in datapoints per Epoch AI's definition "
                "(tokens for language models; Epoch's column 'Training dataset size (gradients)'), by publication "
                "date, from 2010."
            ),
            unit="tokens",
        ),
    ]
