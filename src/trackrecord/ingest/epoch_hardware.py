"""Epoch AI's machine-learning hardware database: peak FLOP/s and FLOP/s per dollar of accelerators."""

from __future__ import annotations

from . import Upstream, source
from .common import csv_rows, iso_date, number

HARDWARE = "ml_hardware.csv"
FP32 = "FP32 (single precision) performance (FLOP/s)"
TENSOR16 = "Tensor-FP16/BF16 performance (FLOP/s)"
PRICE = "Release price (USD)"


def _series(upstream: Upstream, value_of, column_note: str, **fields) -> dict:
    file = upstream.read(HARDWARE)
    points = []
    for row in csv_rows(file):
        date, value = iso_date(row["Release date"]), value_of(row)
        if date is None or value is None or value <= 0:
            continue
        points.append({"date": date, "value": value, "system": row["Hardware name"], "tags": [row["Type"].lower() or "unknown"]})
    points.sort(key=lambda p: (p["date"], p["system"], p["value"]))
    return {
        **fields,
        "scale": "log",
        "better": "higher",
        "points_cover": "all",
        "paradigm_id": "hardware",
        "origin": {
            "producer": "Epoch AI",
            "citation": "Epoch AI, Machine Learning Hardware database, https://epoch.ai/data/machine-learning-hardware",
            "url": "https://epoch.ai/data/machine-learning-hardware",
            "licence": "CC BY 4.0 (Epoch AI); attribute Epoch AI",
            "retrieved_date": upstream.retrieved_date(),
            "upstream_path": file.upstream_path,
            "checksum_sha256": file.sha256,
            "note": column_note + " Tags give the accelerator type (gpu, tpu, ...). Snapshot from a third-party mirror (Nov 2025).",
        },
        "points": points,
    }


def _per_dollar(row: dict) -> float | None:
    flops, price = number(row[FP32]), number(row[PRICE])
    return round(flops / price, 3) if flops and price else None


@source(
    "epoch-ml-hardware",
    snapshot="epoch-ml-hardware",
    files={HARDWARE: "syedalijabir/gpu-performance@68b75a317349e9dfaea72048b3c706e8f94fa890:data/ml_hardware.csv"},
)
def ingest_hardware(upstream: Upstream) -> list[dict]:
    """Epoch AI ML hardware: FP32 and tensor FP16 FLOP/s, FP32 FLOP/s per dollar."""
    return [
        _series(
            upstream, lambda row: number(row[FP32]), f"Column '{FP32}'.",
            id="ml-hardware-flops-fp32",
            name="Peak FP32 performance of ML accelerators",
            description="Peak single-precision (FP32) performance, in FLOP per second, of each accelerator by release date.",
            unit="FLOP/s",
        ),
        _series(
            upstream, lambda row: number(row[TENSOR16]), f"Column '{TENSOR16}'.",
            id="ml-hardware-flops-tensor-fp16",
            name="Peak tensor FP16/BF16 performance of ML accelerators",
            description=(
                "Peak 16-bit tensor-core (FP16 or BF16) performance, in FLOP per second, of each accelerator by "
                "release date: the precision most large training runs use."
            ),
            unit="FLOP/s",
        ),
        _series(
            upstream, _per_dollar, f"Computed here as '{FP32}' divided by '{PRICE}'; rows without a release price are left out.",
            id="ml-hardware-flops-per-usd",
            name="FP32 FLOP/s per dollar of ML accelerators",
            description=(
                "Peak FP32 performance per dollar of launch price (FLOP/s per US dollar, nominal) of each accelerator "
                "with a known release price, by release date."
            ),
            unit="FLOP/s per USD",
        ),
    ]
