"""Epoch AI benchmark scores: externally reported scores (benchmark-stitching), the Benchmarking
Hub's own runs, and the Epoch Capabilities Index."""

from __future__ import annotations

from . import Upstream, UpstreamFile, source
from .common import REASONING_NOTE, best_per_system, csv_rows, dated_points, finish_points, first_url, fraction, iso_date

EPOCH_BENCHMARKS_ORIGIN = {
    "producer": "Epoch AI",
    "citation": "Epoch AI, 'Data on AI Benchmarking'. Published online at epoch.ai.",
    "licence": "CC BY 4.0 (Epoch AI data); benchmark-stitching repository code MIT. Attribute Epoch AI.",
}
STITCH_COMMIT = "epoch-research/benchmark-stitching@f87d3cc8e8a8f8471be475ebce58fb9a73b4e756"
HUB_MIRROR = "Pietro-Panizza/Data-Visualization-Final-Project@07f2f47e3a22d385977f961e6021906a352435e6"
VERSIONS = "model_versions.csv"


def _bounded(upstream: Upstream, file: UpstreamFile, points: list[dict], *, floor: float, how: str, **fields) -> dict:
    points, duplicates = best_per_system(points)
    url = fields.pop("url")
    return {
        **fields,
        "unit": "fraction correct",
        "scale": "bounded",
        "floor": floor,
        "ceiling": 1.0,
        "better": "higher",
        "points_cover": "all",
        "origin": {
            **EPOCH_BENCHMARKS_ORIGIN,
            "url": url,
            "retrieved_date": upstream.retrieved_date(),
            "upstream_path": file.upstream_path,
            "checksum_sha256": file.sha256,
            "note": f"{how} Where a system has several scores ({duplicates} here), the best is kept. {REASONING_NOTE}",
        },
        "points": finish_points(points),
    }


# --- benchmark-stitching: scores reported elsewhere, collected by Epoch, joined to release dates


STITCHED = {
    # file: (series id, name, score column, floor (chance), what the benchmark is)
    "external_benchmark_mmlu.csv": ("mmlu-accuracy-fraction", "MMLU", "EM", 0.25,
        "Massive Multitask Language Understanding: 57 subjects of four-choice questions"),
    "external_benchmark_gsm8k.csv": ("gsm8k-accuracy-fraction", "GSM8K", "EM", 0.0,
        "Grade-school maths word problems"),
    "external_benchmark_hellaswag.csv": ("hellaswag-accuracy-fraction", "HellaSwag", "Overall accuracy", 0.25,
        "Commonsense sentence completion, four candidate endings"),
    "external_benchmark_winogrande.csv": ("winogrande-accuracy-fraction", "WinoGrande", "Accuracy", 0.5,
        "Winograd-schema pronoun resolution, two options"),
    "external_benchmark_arc_agi.csv": ("arc-agi-1-score-fraction", "ARC-AGI", "Score", 0.0,
        "Abstraction and Reasoning Corpus puzzles as reported on the ARC Prize leaderboard. Epoch's file names no "
        "version; it is taken to be ARC-AGI-1 — verify before relying on the version"),
}


@source(
    "epoch-benchmark-stitching",
    snapshot="epoch-benchmark-stitching",
    files={
        VERSIONS: f"{STITCH_COMMIT}:data/{VERSIONS}",
        "external_benchmark_os_world.csv": f"{STITCH_COMMIT}:data/external_benchmark_os_world.csv",
        **{name: f"{STITCH_COMMIT}:data/{name}" for name in STITCHED},
    },
)
def ingest_stitching(upstream: Upstream) -> list[dict]:
    """Epoch benchmark-stitching: MMLU, GSM8K, HellaSwag, WinoGrande, ARC-AGI, OSWorld."""
    versions_file = upstream.read(VERSIONS)
    release = {row["id"]: iso_date(row["Version release date"]) for row in csv_rows(versions_file)}
    join_note = (
        f"Release dates joined from model_versions.csv (sha256 {versions_file.sha256[:16]}…) on 'Model version'; "
        "scores without a model version or release date are left out."
    )
    out = []
    for name, (series_id, label, column, floor, what) in STITCHED.items():
        file = upstream.read(name)
        points = []
        for row in csv_rows(file):
            date, value = release.get(row["Model version"]), fraction(row[column])
            if date is None or value is None:
                continue
            point = {"date": date, "value": value, "system": row["Model version"]}
            if url := first_url(row.get("Source link", "")):
                point["source_url"] = url
            points.append(point)
        out.append(_bounded(
            upstream, file, points, floor=floor, how=f"Column '{column}' of {name}. {join_note}",
            id=series_id, name=f"{label} accuracy", paradigm_id="benchmark-saturation",
            description=f"{what}. Fraction correct of each model as reported (various shot settings), by model release date.",
            url="https://github.com/epoch-research/benchmark-stitching",
        ))

    file = upstream.read("external_benchmark_os_world.csv")
    points = dated_points(file, date="Date added", value="Score", system="Agent", convert=fraction)
    out.append(_bounded(
        upstream, file, points, floor=0.0,
        how="Column 'Score' (percent of tasks) of external_benchmark_os_world.csv, dated by 'Date added' (when the "
        "agent was added to the OSWorld leaderboard, not a model release date).",
        id="osworld-success-fraction", name="OSWorld task success", paradigm_id="agents",
        description=(
            "OSWorld: computer-use tasks; fraction of tasks an agent system completes, by the date the result "
            "was added to the leaderboard."
        ),
        url="https://github.com/epoch-research/benchmark-stitching",
    ))
    return out


# --- Benchmarking Hub: Epoch's own evaluation runs

HUB = {
    "gpqa_diamond.csv": ("gpqa-diamond-accuracy-fraction", "GPQA Diamond", 0.25,
        "Graduate-level, 'Google-proof' four-choice science questions (the 198-question Diamond set)"),
    "otis_mock_aime_2024_2025.csv": ("math-competition-aime-accuracy-fraction", "OTIS Mock AIME 2024–2025", 0.0,
        "Competition mathematics: AIME-style problems from the OTIS mock AIME (2024–2025)"),
    "frontiermath.csv": ("frontiermath-accuracy-fraction", "FrontierMath", 0.0,
        "Research-level mathematics problems (Epoch AI's FrontierMath)"),
    "swe_bench_verified.csv": ("swe-bench-verified-resolved-fraction", "SWE-bench Verified", 0.0,
        "Real GitHub issues from 12 Python repositories, the human-validated subset of 500; fraction resolved with Epoch's harness"),
}
REASONING_ONLY = {"gpqa_diamond.csv", "otis_mock_aime_2024_2025.csv", "frontiermath.csv"}


@source(
    "epoch-benchmarking-hub",
    snapshot="epoch-benchmarking-hub-2026-01",
    files={name: f"{HUB_MIRROR}:data/benchmark_data/{name}" for name in HUB},
)
def ingest_hub(upstream: Upstream) -> list[dict]:
    """Epoch Benchmarking Hub: GPQA Diamond, mock AIME, FrontierMath, SWE-bench Verified (+ reasoning-only)."""
    out = []
    for name, (series_id, label, floor, what) in HUB.items():
        file = upstream.read(name)
        points = dated_points(file, date="Release date", value="Best score (across scorers)", system="Model version", digits=6)
        how = f"Column 'Best score (across scorers)' of {name}, dated by 'Release date'. Epoch's own runs."
        common = dict(floor=floor, how=how, url="https://epoch.ai/benchmarks")
        out.append(_bounded(
            upstream, file, points, **common, id=series_id, name=f"{label} accuracy", paradigm_id="benchmark-saturation",
            description=f"{what}. Fraction correct by model release date.",
        ))
        if name in REASONING_ONLY:
            reasoning = [p for p in out[-1]["points"] if "reasoning-model" in p.get("tags", [])]
            out.append(_bounded(
                upstream, file, [dict(p) for p in reasoning], **common,
                id=f"reasoning-models-{series_id}", name=f"{label} accuracy, reasoning models only",
                paradigm_id="reasoning",
                description=f"{what}. Only systems tagged reasoning-model (test-time reasoning); fraction correct by release date.",
            ))
    return out


@source(
    "epoch-capabilities-index",
    snapshot="epoch-capabilities-index",
    files={"epoch_capabilities_index_2026-03-09.csv": "peterhurford/metr_graph@5c4780a433f7a40cf3536f7a17e66afcf152466a:epoch_capabilities_index.csv"},
)
def ingest_eci(upstream: Upstream) -> list[dict]:
    """Epoch Capabilities Index: one stitched capability score per model."""
    file = upstream.read("epoch_capabilities_index_2026-03-09.csv")
    points = dated_points(file, date="Release date", value="ECI Score", system="Model version", digits=4)
    points, duplicates = best_per_system(points)
    return [{
        "id": "epoch-capabilities-index-score",
        "name": "Epoch Capabilities Index",
        "description": (
            "Epoch AI's Capabilities Index: benchmark scores of many benchmarks stitched onto one scale by an "
            "item-response model, one score per model, by release date. Unbounded; Epoch recomputes it on every release."
        ),
        "unit": "ECI points",
        "scale": "linear",
        "better": "higher",
        "points_cover": "all",
        "paradigm_id": "benchmark-saturation",
        "origin": {
            "producer": "Epoch AI",
            "citation": "Epoch AI, 'Epoch Capabilities Index'. Published online at epoch.ai.",
            "url": "https://epoch.ai/benchmarks",
            "licence": "CC BY 4.0 (Epoch AI); attribute Epoch AI",
            "retrieved_date": upstream.retrieved_date(),
            "upstream_path": file.upstream_path,
            "checksum_sha256": file.sha256,
            "note": (
                f"Export of 2026-03-09 from a third-party mirror, before that mirror's later hand-added rows. "
                f"Duplicated systems ({duplicates}) keep their best score. {REASONING_NOTE}"
            ),
        },
        "points": finish_points(points),
    }]
