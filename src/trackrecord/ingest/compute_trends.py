"""Long historical series with a known shape, used as controls: Moore's and Koomey's laws."""

from __future__ import annotations

from . import Upstream, source
from .common import csv_rows, number, year_date

REPO = "AABoyles/AIPredict@280bc135913d5f366c78fb117c6526e6d9a6d129"
JOULES_PER_KWH = 3.6e6


def _origin(upstream: Upstream, file, note: str) -> dict:
    return {
        "producer": "AIPredict R package (Anthony Boyles), compiling Wikipedia's transistor counts and Koomey et al.",
        "citation": "Boyles, AIPredict (R package), data-raw; Koomey's data from his 'computer trends' release v36 (Koomey et al. 2011, 'Implications of historical trends in the electrical efficiency of computing')",
        "url": "https://github.com/AABoyles/AIPredict",
        "licence": "GPL-2 (the AIPredict package); the underlying data's licences are not stated",
        "retrieved_date": upstream.retrieved_date(),
        "upstream_path": file.upstream_path,
        "checksum_sha256": file.sha256,
        "note": note,
    }


@source(
    "compute-trends",
    snapshot="aipredict-compute-trends",
    files={"moores_law.csv": f"{REPO}:data-raw/moores_law.csv", "koomeys_law.csv": f"{REPO}:data-raw/koomeys_law.csv"},
)
def ingest_compute_trends(upstream: Upstream) -> list[dict]:
    """Moore's law (transistors per chip) and Koomey's law (computations per kWh)."""
    moore = upstream.read("moores_law.csv")
    transistors = []
    for row in csv_rows(moore):
        date, value = year_date(row["Year"]), number(row["Transistors"])
        if date and value and value > 0:
            transistors.append({"date": date, "date_precision": "year", "value": value, "system": f"{row['Developer']} {row['Name']}".strip()})
    koomey = upstream.read("koomeys_law.csv", )
    efficiency = []
    for row in csv_rows(koomey, ):
        date, watts_per_mcps = year_date(row["Year"]), number(row["WattsPerMCPS"])
        if date and watts_per_mcps and watts_per_mcps > 0:
            # MCPS per watt = million computations per joule; times 3.6e6 J per kWh.
            value = float(f"{1e6 / watts_per_mcps * JOULES_PER_KWH:.4g}")
            efficiency.append({"date": date, "date_precision": "year", "value": value, "system": row["Model"]})
    for points in (transistors, efficiency):
        points.sort(key=lambda p: (p["date"], p["system"], p["value"]))
    return [
        {
            "id": "transistors-per-chip-count",
            "name": "Transistors per microprocessor (Moore's law)",
            "description": "Transistor count of microprocessors by year of introduction, 1971–2014: a control series whose exponential shape is well known.",
            "unit": "transistors",
            "scale": "log",
            "better": "higher",
            "points_cover": "all",
            "paradigm_id": "historical-controls",
            "origin": _origin(upstream, moore, "Columns Year and Transistors of moores_law.csv; dates are years (1 January)."),
            "points": transistors,
        },
        {
            "id": "koomey-computations-per-kwh",
            "name": "Computations per kilowatt-hour (Koomey's law)",
            "description": "Energy efficiency of computers at full load, in computations per kilowatt-hour, by year, 1946–2009: a control series.",
            "unit": "computations per kWh",
            "scale": "log",
            "better": "higher",
            "points_cover": "all",
            "paradigm_id": "historical-controls",
            "origin": _origin(
                upstream, koomey,
                "Computed here from column WattsPerMCPS of koomeys_law.csv as 1e6 / WattsPerMCPS × 3.6e6 J/kWh, "
                "rounded to 4 significant figures; dates are years (1 January).",
            ),
            "points": efficiency,
        },
    ]
