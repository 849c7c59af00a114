"""METR ingest: values and dates match the upstream file; re-running changes no byte."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from trackrecord.ingest import IngestError, run_ingest

SNAPSHOT = REPO.parent / "shared" / "data" / "external" / "metr-time-horizons"
FIXTURE = Path(__file__).parent.parent / "fixtures" / "metr"


def test_metr_adapter_reads_a_small_fixture(tmp_path: Path):
    (path,) = run_ingest("metr-horizons", FIXTURE, tmp_path)
    series = yaml.safe_load(path.read_text())
    point = next(p for p in series["points"] if p["system"] == "claude_3_5_sonnet")
    assert point["date"] == dt.date(2024, 6, 20)
    assert (point["value"], point["lower"], point["upper"]) == (18.683233, 9.466023, 34.387194)
    assert point["tags"] == ["metr-sota"]
    assert series["origin"]["retrieved_date"] == dt.date(2026, 11, 23)
    before = path.read_bytes()
    run_ingest("metr-horizons", FIXTURE, tmp_path)
    assert path.read_bytes() == before


def test_missing_snapshot_is_a_clear_error(tmp_path: Path):
    with pytest.raises(IngestError, match="not found"):
        run_ingest("metr-horizons", tmp_path, tmp_path)
    with pytest.raises(IngestError, match="unknown source"):
        run_ingest("nope", tmp_path, tmp_path)


@pytest.mark.skipif(not SNAPSHOT.exists(), reason="needs ../shared/data/external/metr-time-horizons")
def test_committed_series_is_reproduced_byte_for_byte(tmp_path: Path):
    (path,) = run_ingest("metr-horizons", SNAPSHOT, tmp_path)
    assert path.read_bytes() == (REPO / "data" / "series" / path.name).read_bytes()
