"""Epoch AI's LLM inference prices: the price of tokens from models at or above a fixed capability."""

from __future__ import annotations

from . import Upstream, source
from .common import csv_rows, iso_date, number

REPO = "epoch-research/llm-benchmark-efficiency@34b923314338360d1b1bbed6ec30d9299e54fdae"
AA = "data__aa_data_with_math5.csv"
EPOCH = "data__epoch_ai_price_data_not_in_aa_with_benchmarks.csv"
LEVELS = {
    # series id: (MMLU threshold, the reference model at that level, name)
    "inference-price-usd-per-mtok-gpt4-level": (86.0, "GPT-4 (0314)", "GPT-4 level"),
    "inference-price-usd-per-mtok-gpt35-level": (68.0, "GPT-3.5 Turbo", "GPT-3.5 level"),
}


@source(
    "epoch-llm-inference-prices",
    snapshot="epoch-llm-inference-prices",
    files={AA: f"{REPO}:data/aa_data_with_math5.csv", EPOCH: f"{REPO}:data/epoch_ai_price_data_not_in_aa_with_benchmarks.csv"},
)
def ingest_prices(upstream: Upstream) -> list[dict]:
    """Epoch AI LLM inference prices at GPT-4 and GPT-3.5 level (MMLU thresholds)."""
    aa, epoch = upstream.read(AA), upstream.read(EPOCH)
    rows = [(AA, row) for row in csv_rows(aa)] + [(EPOCH, row) for row in csv_rows(epoch)]
    out = []
    for series_id, (threshold, reference, label) in LEVELS.items():
        points = []
        for file_name, row in rows:
            date, price, mmlu = iso_date(row["Release Date"]), number(row["USD per 1M Tokens"]), number(row["MMLU"])
            if date is None or price is None or mmlu is None or mmlu < threshold or price <= 0:
                continue
            points.append({
                "date": date,
                "value": price,
                "system": row["Model Name"],
                "note": f"MMLU {mmlu:g}; {'Artificial Analysis data' if file_name == AA else 'Epoch AI price data'}",
            })
        points.sort(key=lambda p: (p["date"], p["system"], p["value"]))
        out.append({
            "id": series_id,
            "name": f"Price of LLM inference at {label}",
            "description": (
                f"Price in US dollars per million tokens (the upstream column 'USD per 1M Tokens') of each "
                f"model scoring at least {threshold:g}% on MMLU — the score of {reference} in this data — by release "
                "date. The frontier is the running minimum: the cheapest way to buy that capability."
            ),
            "unit": "USD per million tokens",
            "scale": "log",
            "better": "lower",
            "points_cover": "all",
            "paradigm_id": "inference-cost",
            "origin": {
                "producer": "Epoch AI (prices and scores largely from Artificial Analysis)",
                "citation": "Epoch AI, LLM inference price trends (data insight), https://epoch.ai/data-insights/llm-inference-price-trends; data and code: github.com/epoch-research/llm-benchmark-efficiency",
                "url": "https://epoch.ai/data-insights/llm-inference-price-trends",
                "licence": (
                    "No licence stated in the repository; Epoch publishes its data under CC BY 4.0. Much of the "
                    "price data originates with Artificial Analysis, whose terms should be checked before redistribution."
                ),
                "retrieved_date": upstream.retrieved_date(),
                "upstream_path": f"{aa.upstream_path}; {epoch.upstream_path}",
                "checksum_sha256": aa.sha256,
                "note": (
                    f"Rows of {AA} (checksum above) and {EPOCH} (sha256 {epoch.sha256[:16]}…) with an MMLU score of at "
                    f"least {threshold:g}."
                ),
            },
            "points": points,
        })
    return out
