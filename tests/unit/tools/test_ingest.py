"""Ingest: every source's adapter on small fixtures cut from the upstream snapshots, spot checks of
known systems against the upstream rows, determinism, and the committed curated files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from conftest import REPO, TESTS, run_cli
from trackrecord.ingest import SOURCES, IngestError, run_ingest
from trackrecord.schema import MetricSeries

FIXTURES = TESTS / "fixtures" / "upstream"
SNAPSHOTS = REPO.parent / "shared" / "data" / "external"
TODAY = dt.date(2026, 11, 23)
CURATED = REPO / "data" / "series"


def ingest_fixture(name: str, out: Path) -> dict[str, dict]:
    paths = run_ingest(name, FIXTURES / SOURCES[name].snapshot, out, today=TODAY)
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in paths}


def point(series: dict, system: str) -> dict:
    matches = [p for p in series["points"] if p["system"] == system]
    assert len(matches) == 1, f"{system} appears {len(matches)} times in {series['id']}"
    return matches[0]


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_source_writes_valid_series_with_provenance(name: str, tmp_path: Path):
    written = ingest_fixture(name, tmp_path)
    assert written
    for series in written.values():
        MetricSeries.model_validate(series, strict=False)  # the schema check also runs in `trackrecord check`
        origin = series["origin"]
        assert origin["licence"] and origin["producer"] and origin["citation"]
        assert len(origin["checksum_sha256"]) == 64
        assert origin["retrieved_date"] == dt.date(2026, 11, 23)  # from the fixture's SOURCE.md
        dates = [(p["date"], p["system"], p["value"]) for p in series["points"]]
        assert dates == sorted(dates)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_rerunning_changes_no_byte(name: str, tmp_path: Path):
    paths = run_ingest(name, FIXTURES / SOURCES[name].snapshot, tmp_path, today=TODAY)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in paths}
    run_ingest(name, FIXTURES / SOURCES[name].snapshot, tmp_path, today=TODAY + dt.timedelta(days=30))
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in paths} == before


# Spot checks: (source, series, system, date, value) as in the upstream row of the fixture.
SPOT_CHECKS = [
    ("epoch-ai-models", "frontier-training-compute-flop", "GPT-3 175B (davinci)", dt.date(2020, 5, 28), 3.14e23),
    ("epoch-ai-models", "frontier-parameters-count", "GPT-3 175B (davinci)", dt.date(2020, 5, 28), 174600000000.0),
    ("epoch-ai-models", "frontier-training-tokens-count", "GPT-3 175B (davinci)", dt.date(2020, 5, 28), 238000000000.0),
    ("epoch-ml-hardware", "ml-hardware-flops-fp32", "NVIDIA H100 SXM5 80GB", dt.date(2022, 9, 20), 66910000000000.0),
    ("epoch-ml-hardware", "ml-hardware-flops-per-usd", "NVIDIA H100 SXM5 80GB", dt.date(2022, 9, 20), round(66910000000000.0 / 33600.0, 3)),
    ("epoch-benchmark-stitching", "mmlu-accuracy-fraction", "gpt-4-0314", dt.date(2023, 3, 14), 0.864),
    ("epoch-benchmarking-hub", "gpqa-diamond-accuracy-fraction", "o3-2025-04-16_high", dt.date(2025, 4, 16), 0.818182),
    ("epoch-benchmarking-hub", "reasoning-models-gpqa-diamond-accuracy-fraction", "o3-2025-04-16_high", dt.date(2025, 4, 16), 0.818182),
    ("epoch-llm-inference-prices", "inference-price-usd-per-mtok-gpt4-level", "GPT-4-0314", dt.date(2023, 3, 14), 37.5),
    ("epoch-capabilities-index", "epoch-capabilities-index-score", "gpt-5.4-2026-03-05_high", dt.date(2026, 3, 5), 155.9739),
    ("swe-bench-leaderboards", "swe-bench-verified-leaderboard-resolved-fraction", "TRAE + Doubao-Seed-Code", dt.date(2025, 9, 28), 0.788),
    ("compute-trends", "transistors-per-chip-count", "Intel 4004", dt.date(1971, 1, 1), 2250.0),
    ("compute-trends", "koomey-computations-per-kwh", "Dell Optiplex 960", dt.date(2009, 1, 1), float(f"{1e6 / 4.02e-03 * 3.6e6:.4g}")),
    ("metr-horizons", "metr-horizon-p50-minutes", "claude_3_5_sonnet", dt.date(2024, 6, 20), 18.683233),
    ("metr-horizons", "metr-horizon-p80-minutes", "claude_3_5_sonnet", dt.date(2024, 6, 20), 3.145649),
    ("metr-horizons", "metr-horizon-p50-minutes-th11", "claude_3_5_sonnet_20240620_inspect", dt.date(2024, 6, 20), 11.395377),
]


@pytest.mark.parametrize("source,series_id,system,date,value", [c for c in SPOT_CHECKS if c[2]])
def test_known_system_matches_the_upstream_row(source, series_id, system, date, value, tmp_path: Path):
    found = point(ingest_fixture(source, tmp_path)[series_id], system)
    assert (found["date"], found["value"]) == (date, pytest.approx(value, rel=1e-9))


@pytest.mark.parametrize("source,series_id,system,date,value", [c for c in SPOT_CHECKS if c[2]])
def test_committed_curated_series_carry_the_same_value(source, series_id, system, date, value):
    curated = yaml.safe_load((CURATED / f"{series_id}.yaml").read_text(encoding="utf-8"))
    found = point(curated, system)
    assert (found["date"], found["value"]) == (date, pytest.approx(value, rel=1e-9))


def test_swe_bench_keeps_only_verified_and_its_non_commercial_licence(tmp_path: Path):
    series = ingest_fixture("swe-bench-leaderboards", tmp_path)["swe-bench-verified-leaderboard-resolved-fraction"]
    # The fixture holds a bash-only and a Multimodal row besides two Verified ones.
    assert [p["system"] for p in series["points"]] == ["TRAE + Doubao-Seed-Code", "live-SWE-agent + Gemini 3 Pro Preview (2025-11-18)"]
    assert series["points"][0]["source_url"] == "https://github.com/bytedance/trae-agent"
    assert series["points"][1]["tags"] == ["open-source-system", "reasoning-model"]
    assert "CC BY-NC 4.0" in series["origin"]["licence"]


def test_reasoning_models_are_tagged_and_get_their_own_series(tmp_path: Path):
    written = ingest_fixture("epoch-benchmarking-hub", tmp_path)
    gpqa = written["gpqa-diamond-accuracy-fraction"]
    assert "reasoning-model" in point(gpqa, "o3-2025-04-16_high").get("tags", [])
    assert "reasoning-model" not in point(gpqa, "gpt-4-0314").get("tags", [])
    only = written["reasoning-models-gpqa-diamond-accuracy-fraction"]
    assert {p["system"] for p in only["points"]} == {p["system"] for p in gpqa["points"] if "reasoning-model" in p.get("tags", [])}
    assert only["paradigm_id"] == "reasoning"


def test_stitched_scores_take_release_dates_from_model_versions(tmp_path: Path):
    mmlu = ingest_fixture("epoch-benchmark-stitching", tmp_path)["mmlu-accuracy-fraction"]
    # claude-3-opus is in model_versions.csv in the fixture; a version without a date is left out.
    assert point(mmlu, "claude-3-opus-20240229")["date"] == dt.date(2024, 2, 29)
    assert all(p["system"] != "" for p in mmlu["points"])


def test_stale_series_of_a_source_are_removed_and_others_kept(tmp_path: Path):
    (tmp_path / "metr-horizon-p99-minutes.yaml").write_text(
        "# yaml-language-server: $schema=../_schema/series.json\n# Written by `trackrecord ingest metr-horizons`; edit the adapter, not this file.\nid: x\n"
    )
    (tmp_path / "hand-made.yaml").write_text("id: hand-made\n")
    ingest_fixture("metr-horizons", tmp_path)
    assert not (tmp_path / "metr-horizon-p99-minutes.yaml").exists()
    assert (tmp_path / "hand-made.yaml").exists()


def test_missing_snapshot_and_unknown_source_are_clear_errors(tmp_path: Path):
    with pytest.raises(IngestError, match="not found; point --from at the metr-time-horizons snapshot"):
        run_ingest("metr-horizons", tmp_path, tmp_path / "out", today=TODAY)
    with pytest.raises(IngestError, match="unknown source 'nope'"):
        run_ingest("nope", tmp_path, tmp_path, today=TODAY)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_default_urls_are_pinned_raw_github_files():
    spec = SOURCES["epoch-benchmark-stitching"]
    assert spec.default_url("model_versions.csv") == (
        "https://raw.githubusercontent.com/epoch-research/benchmark-stitching/"
        "f87d3cc8e8a8f8471be475ebce58fb9a73b4e756/data/model_versions.csv"
    )
    assert SOURCES["swe-bench-leaderboards"].default_url("swebench_leaderboards_2025-12-10.csv") is None


def test_cli_lists_sources_and_refuses_bad_combinations(tmp_path: Path):
    listed = run_cli("--root", str(tmp_path), "ingest", "--list")
    assert listed.code == 0 and "metr-horizons\tmetr-time-horizons" in listed.out
    assert run_cli("--root", str(tmp_path), "ingest").code == 2
    both = run_cli("--root", str(tmp_path), "ingest", "metr-horizons", "compute-trends", "--from", str(tmp_path))
    assert both.code == 2 and "--from names one source" in both.err
    unknown = run_cli("--root", str(tmp_path), "ingest", "nope")
    assert unknown.code == 2 and "unknown source(s) nope" in unknown.err


@pytest.mark.skipif(not SNAPSHOTS.exists(), reason="needs the upstream snapshots in ../shared/data/external")
@pytest.mark.parametrize("name", sorted(SOURCES))
def test_committed_series_are_reproduced_byte_for_byte(name: str, tmp_path: Path):
    for path in run_ingest(name, SNAPSHOTS / SOURCES[name].snapshot, tmp_path, today=TODAY):
        assert path.read_bytes() == (CURATED / path.name).read_bytes(), path.name


def test_reingest_keeps_a_curators_dispute_mark(tmp_path: Path):
    written = ingest_fixture("metr-horizons", tmp_path)
    series_id, series = next(iter(sorted(written.items())))
    path = tmp_path / f"{series_id}.yaml"
    target = series["points"][0]
    mark = {"reason": "The producer withdrew this score.", "source_url": "https://example.org/withdrawn",
            "source_title": "Withdrawn", "checked_date": dt.date(2026, 12, 2)}
    text = yaml.safe_load(path.read_text(encoding="utf-8"))
    text["points"][0]["disputed"] = mark
    path.write_text(yaml.safe_dump(text, sort_keys=False), encoding="utf-8")
    again = ingest_fixture("metr-horizons", tmp_path)[series_id]
    kept = [p for p in again["points"] if p.get("disputed")]
    assert [(p["system"], p["date"]) for p in kept] == [(target["system"], target["date"])]
    assert kept[0]["disputed"] == mark
