"""SWE-bench leaderboards (CC BY-NC 4.0): resolved rate of submitted agent systems over time."""

from __future__ import annotations

from . import Upstream, source
from .common import best_per_system, first_url, REASONING_NOTE, csv_rows, finish_points, fraction, iso_date

FLAT = "swebench_leaderboards_2025-12-10.csv"


@source(
    "swe-bench-leaderboards",
    snapshot="swe-bench-leaderboards",
    # The snapshot is a flattened subset of data/leaderboards.json at this commit: there is no
    # upstream URL for the CSV itself, so this source reads only from a local snapshot.
    files={FLAT: "derived from SWE-bench/swe-bench.github.io@f1176b65ae29d14f4f52208b48e3d8cfc972bc17:data/leaderboards.json"},
)
def ingest_swe_bench(upstream: Upstream) -> list[dict]:
    """SWE-bench Verified leaderboard submissions (non-commercial licence)."""
    file = upstream.read(FLAT)
    points = []
    for row in csv_rows(file):
        if row["leaderboard"] != "Verified":
            continue
        date, value = iso_date(row["date"]), fraction(row["resolved"] + "%")
        if date is None or value is None:
            continue
        point = {"date": date, "value": value, "system": row["name"]}
        if url := first_url(row["site"]):
            point["source_url"] = url
        tags = ["open-source-system"] if row["os_system"] == "True" else []
        if row["checked"] == "True":
            tags.append("checked")
        if tags:
            point["tags"] = tags
        points.append(point)
    points, duplicates = best_per_system(points)
    return [{
        "id": "swe-bench-verified-leaderboard-resolved-fraction",
        "name": "SWE-bench Verified leaderboard",
        "description": (
            "Fraction of the 500 SWE-bench Verified issues resolved by each agent system submitted to the official "
            "leaderboard, by submission date (not model release date). Systems combine a model and a scaffold."
        ),
        "unit": "fraction resolved",
        "scale": "bounded",
        "floor": 0.0,
        "ceiling": 1.0,
        "better": "higher",
        "points_cover": "all",
        "paradigm_id": "benchmark-saturation",
        "origin": {
            "producer": "SWE-bench (swebench.com)",
            "citation": "SWE-bench: Can Language Models Resolve Real-World GitHub Issues? (ICLR 2024); leaderboards at https://www.swebench.com",
            "url": "https://www.swebench.com",
            "licence": "CC BY-NC 4.0 (non-commercial use only). Kept out of any product whose licence would conflict.",
            "retrieved_date": upstream.retrieved_date(),
            "upstream_path": file.upstream_path,
            "checksum_sha256": file.sha256,
            "note": (
                f"The snapshot flattens leaderboards.json to one row per submission without altering values; only the "
                f"Verified leaderboard is used here; a system submitted more than once ({duplicates} here) keeps its best result. Tag checked marks submissions the maintainers verified. "
                + REASONING_NOTE
            ),
        },
        "points": finish_points(points),
    }]
