"""The ForecastBench importer: one claim per AI question at its first freeze, the crowd's stated
probability, the platform's outcome, a collection whose completeness is counted, and curators'
files left alone."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import GOOD, REPO, TESTS, TODAY, run_cli
from trackrecord.importers.forecastbench import COLLECTION_ID, probability, run_import
from trackrecord.ingest import IngestError

FIXTURE = TESTS / "fixtures" / "upstream" / "forecastbench-datasets"
IMPORT_DAY = dt.date(2026, 12, 1)


def imported(root: Path) -> tuple[dict[str, dict], dict]:
    run_import(FIXTURE, root, today=IMPORT_DAY)
    claims = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (root / "claims").rglob("20*/*.yaml")}
    collection = yaml.safe_load((root / "data" / "reference" / "collections" / f"{COLLECTION_ID}.yaml").read_text(encoding="utf-8"))
    return claims, collection


def by_quote(claims: dict[str, dict], quote: str) -> list[dict]:
    return [c for c in claims.values() if c["quote"] == quote]


def test_each_ai_question_once_at_its_first_freeze_with_the_crowds_probability(tmp_path: Path):
    claims, _ = imported(tmp_path)
    google = by_quote(claims, "Will Google have the top AI model on December 31?")
    assert len(google) == 1  # the question appears in two sets; the first freeze is kept
    g = google[0]
    assert g["made_date"] == dt.date(2025, 10, 16) and g["predictor_id"] == "polymarket-market"
    assert g["confidence"]["basis"] == "stated" and g["confidence"]["stated_prob"] == 0.725
    assert g["source"]["url"] == "https://polymarket.com/market/which-company-has-best-ai-model-end-of-2025"
    assert g["source"]["kind"] == "primary" and "9abcac9f" in g["source"]["read_at"] and g["source"]["copy_reason"]
    assert g["resolution"]["status"] == "true" and g["resolution"]["resolved_date"] == dt.date(2025, 12, 31)
    assert g["collections"][0]["collection_id"] == COLLECTION_ID
    assert not any("bond" in c["quote"].lower() for c in claims.values())  # not about AI


def test_outcomes_deadlines_and_pending_questions(tmp_path: Path):
    claims, _ = imported(tmp_path)
    (xai,) = by_quote(claims, "Will xAI have the best AI model on October 31?")
    assert xai["resolution"]["status"] == "false" and xai["deadline"]["date"] == dt.date(2025, 10, 31)
    (jobs,) = by_quote(claims, "Will AI cause the US Unemployment Rate to exceed 10% before 2030?")
    assert jobs["resolution"] == {"status": "pending"}  # the resolution set marks it unresolved
    (november,) = by_quote(claims, "Gemini 3.0 Flash released by November 30?")
    assert november["resolution"] == {"status": "pending"} and november["deadline"]["date"] == dt.date(2025, 12, 31)
    (claude,) = by_quote(claims, "Will Claude 5 be released by March 15, 2026?")
    # Resolved No before the market group's close date (2026-04-30): its window ended the day it resolved.
    assert claude["resolution"]["status"] == "false"
    assert claude["deadline"]["date"] == claude["resolution"]["resolved_date"] == dt.date(2026, 3, 16)
    assert "2026-04-30" in claude["deadline"]["note"]


def test_collection_counts_members_and_states_each_left_out_item(tmp_path: Path):
    claims, collection = imported(tmp_path)
    members = [c for c in claims.values() if c.get("collections")]
    assert collection["kind"] == "systematic"
    assert collection["items_in_source"] == len(members) + len(collection["left_out"]) == 7
    assert [o["reason"] for o in collection["left_out"]] == ["a band of a share price at a date, not a prediction about AI"]
    assert "2024-07-21-llm.json" in collection["description"]  # the set SOURCE.md says is absent
    assert "2025-03-02-llm.json" in collection["description"]  # an LFS pointer in the folder


def test_imported_records_pass_check_rerun_changes_nothing_and_curated_files_stay(tmp_path: Path):
    root = tmp_path / "repo"
    shutil.copytree(GOOD, root)
    run_import(FIXTURE, root, today=IMPORT_DAY)
    run = run_cli("--root", str(root), "--as-of", TODAY, "check")
    assert run.code == 0, run.out
    files = {p: p.read_bytes() for p in (root / "claims").rglob("*-polymarket-market-*.yaml")}
    assert len(files) == 5
    taken_over = next(iter(files))
    text = taken_over.read_text(encoding="utf-8").replace("# Written by `trackrecord import-claims", "# Curated; was written by `import-claims", 1)
    taken_over.write_text(text.replace("resolves Yes.", "resolves Yes (edited).", 1), encoding="utf-8")
    run_import(FIXTURE, root, today=IMPORT_DAY)
    assert "(edited)" in taken_over.read_text(encoding="utf-8")
    assert all(p.read_bytes() == b for p, b in files.items() if p != taken_over)


def test_a_folder_without_question_sets_is_refused_with_the_fix(tmp_path: Path):
    with pytest.raises(IngestError, match="forecastbench-datasets snapshot folder"):
        run_import(tmp_path, tmp_path, today=IMPORT_DAY)


@pytest.mark.parametrize(("text", "expected"), [("0.013000000000000001", 0.013), ("0.9357811764477981", 0.9358), ("0.00004", 0.00004), ("0.99997", 0.99997)])
def test_probabilities_keep_four_decimals_unless_that_would_make_them_certain(text: str, expected: float):
    assert probability(text) == expected


def test_benchmark_questions_carry_their_operationalisation(tmp_path: Path, monkeypatch):
    from trackrecord.importers import forecastbench

    google = ("polymarket", "0x7d98815be880769be11a63b4df815b9bdcbf6ae007a8caaba9a2909816a8d1c6")
    mapping = {"series_id": "example-horizon-minutes", "comparator": ">=", "threshold_value": 2400.0, "note": "test mapping"}
    monkeypatch.setitem(forecastbench.OPERATIONALISATIONS, google, mapping)
    claims, _ = imported(tmp_path)
    (g,) = by_quote(claims, "Will Google have the top AI model on December 31?")
    assert g["operationalisation"] == mapping
    assert sum("operationalisation" in c for c in claims.values()) == 1


def test_every_curated_operationalisation_names_a_curated_series():
    series = {p.stem for p in (REPO / "data" / "series").glob("*.yaml")}
    from trackrecord.importers.forecastbench import OPERATIONALISATIONS

    assert OPERATIONALISATIONS and all(o["series_id"] in series for o in OPERATIONALISATIONS.values())
