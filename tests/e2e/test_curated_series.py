"""The committed curated series meet the bar the trend models need, and the database shows every
series' licence and attribution."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, TODAY, run_cli


@pytest.fixture(scope="module")
def series_db(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    root = tmp_path_factory.mktemp("curated")
    for folder in ("data", "models"):
        # Without claims the collections' counts cannot add up: they are not this test's subject.
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("collections"))
    (root / "claims" / "predictors").mkdir(parents=True)
    shutil.copytree(REPO / "claims" / "_schema", root / "claims" / "_schema")
    run = run_cli("--root", str(root), "--as-of", TODAY, "build")
    assert run.code == 0, run.err
    return duckdb.connect(str(root / "build" / "trackrecord.duckdb"), read_only=True)


def test_every_curated_series_and_paradigm_is_built(series_db):
    series, paradigms = series_db.execute("select count(*), count(distinct paradigm_id) from rec_metric_series").fetchone()
    assert series == len(list((REPO / "data" / "series").glob("*.yaml"))) >= 25
    assert paradigms == len(list((REPO / "models").glob("*.yaml"))) >= 6


def test_every_series_has_8_points_and_a_frontier_of_5(series_db):
    thin = series_db.execute(
        """select s.id, count(p.series_id) n, count(*) filter (where p.is_frontier) f
           from rec_metric_series s left join rec_metric_points p on p.series_id = s.id
           group by s.id having n < 8 or f < 5"""
    ).fetchall()
    assert thin == []


def test_every_series_shows_licence_and_attribution(series_db):
    missing = series_db.execute(
        """select id from rec_metric_series
           where coalesce(origin_licence, '') = '' or coalesce(origin_producer, '') = ''
              or coalesce(origin_citation, '') = '' or coalesce(origin_checksum_sha256, '') = ''"""
    ).fetchall()
    assert missing == []
    (licence,) = series_db.execute(
        "select origin_licence from rec_metric_series where id = 'swe-bench-verified-leaderboard-resolved-fraction'"
    ).fetchone()
    assert "CC BY-NC" in licence


def test_bounded_series_carry_floor_and_ceiling_and_every_paradigm_lists_its_series(series_db):
    assert series_db.execute("select id from rec_metric_series where scale = 'bounded' and (floor is null or ceiling is null)").fetchall() == []
    unlisted = series_db.execute(
        """select s.id from rec_metric_series s join rec_paradigms m on m.id = s.paradigm_id
           where not list_contains(m.series_ids, s.id)"""
    ).fetchall()
    assert unlisted == []


def test_reasoning_paradigm_holds_only_reasoning_model_points(series_db):
    (stray,) = series_db.execute(
        """select count(*) from rec_metric_points p join rec_metric_series s on s.id = p.series_id
           where s.paradigm_id = 'reasoning' and not list_contains(p.tags, 'reasoning-model')"""
    ).fetchone()
    assert stray == 0
