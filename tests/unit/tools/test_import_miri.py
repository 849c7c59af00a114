"""The MIRI/AI Impacts importer: one claim per prediction (per stated chance), honest sourcing,
resolutions only where the evidence covers the deadline, and curators' files left alone."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml

from conftest import GOOD, TESTS, TODAY, run_cli
from trackrecord.importers.miri import run_import

FIXTURE = TESTS / "fixtures" / "upstream" / "miri-aiimpacts-ai-predictions"


def imported(root: Path) -> dict[str, dict]:
    run_import(FIXTURE, root, today=dt.date(2026, 11, 23))
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (root / "claims").rglob("*.yaml") if "_schema" not in str(p)}


def test_rows_become_claims_and_quantiles_become_separate_stated_claims(tmp_path: Path):
    records = imported(tmp_path)
    simon = records["1965-01-01-simon-aiimpacts-human-level-ai-by-1985"]
    assert simon["quote"] == "machines will be capable, within twenty years, of doing any work that a man can do."
    assert simon["source"]["kind"] == "secondary" and simon["confidence"]["basis"] == "editorial"
    assert simon["resolution"]["status"] == "false" and simon["resolution"]["evidence"]
    nilsson = sorted(k for k in records if k.startswith("2012-01-01-nilsson"))
    assert nilsson == [
        "2012-01-01-nilsson-aiimpacts-p10-human-level-ai-by-2030",
        "2012-01-01-nilsson-aiimpacts-p50-human-level-ai-by-2050",
        "2012-01-01-nilsson-aiimpacts-p90-human-level-ai-by-2100",
    ]
    p10 = records[nilsson[0]]
    assert p10["confidence"] == {"basis": "stated", "stated_prob": 0.1, "note": p10["confidence"]["note"]}
    assert p10["is_paraphrase"] is True and p10["paraphrase_reason"]  # the dataset gives no quote for this row
    assert p10["resolution"] == {"status": "pending"}  # 2030 is still ahead


def test_no_earlier_than_predictions_are_at_most_and_long_bet_rows_are_left_to_curators(tmp_path: Path):
    records = imported(tmp_path)
    brooks = records["2008-01-01-rodney-brooks-no-human-level-ai-before-2030"]
    assert brooks["direction"] == "at_most" and brooks["predictor_id"] == "rodney-brooks"
    assert not any("kapor" in k for k in records)  # curated from longbets.org directly
    assert not any("changizi" in k for k in records)  # no predicted year in the row


def test_imported_records_pass_check_and_rerun_changes_nothing(tmp_path: Path):
    root = tmp_path / "repo"
    shutil.copytree(GOOD, root)
    run_import(FIXTURE, root, today=dt.date(2026, 11, 23))
    run = run_cli("--root", str(root), "--as-of", TODAY, "check")
    assert run.code == 0, run.out
    files = {p: p.read_bytes() for p in (root / "claims").rglob("*aiimpacts*.yaml")}
    assert files
    run_import(FIXTURE, root, today=dt.date(2026, 11, 23))
    assert {p: p.read_bytes() for p in files} == files


def test_a_file_taken_over_by_a_curator_is_never_overwritten(tmp_path: Path):
    imported(tmp_path)
    path = tmp_path / "claims" / "1965" / "1965-01-01-simon-aiimpacts-human-level-ai-by-1985.yaml"
    edited = "\n".join(line for line in path.read_text().splitlines() if not line.startswith("# Written by")) + "\n# curated\n"
    path.write_text(edited)
    imported(tmp_path)
    assert path.read_text() == edited
