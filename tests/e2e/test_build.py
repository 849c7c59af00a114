"""`trackrecord build`: tables and views from the records, atomic replacement, reproducibility."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import TODAY, run_cli
from trackrecord.db import build as build_module
from trackrecord.db.tables import TABLES


def _build(root: Path):
    run = run_cli("--root", str(root), "--as-of", TODAY, "build")
    assert run.code == 0, run.out + run.err
    return root / "build" / "trackrecord.duckdb"


def _query(db: Path, sql: str):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_build_writes_every_table_with_documented_columns(good_repo: Path):
    db = _build(good_repo)
    names = {r[0] for r in _query(db, "SELECT table_name FROM duckdb_tables()")}
    assert {t.name for t in TABLES} | {"rec_build"} <= names
    undocumented = _query(db, "SELECT table_name, column_name FROM duckdb_columns() WHERE table_name LIKE 'rec_%' AND table_name <> 'rec_build' AND (comment IS NULL OR comment = '')")
    assert undocumented == []
    for name in names:
        assert (good_repo / "build" / "export" / f"{name}.parquet").exists()
    assert _query(db, "SELECT count(*) FROM rec_claims")[0][0] == 3
    assert _query(db, "SELECT deadline_date, deadline_rule, confidence_stated_prob FROM rec_claims WHERE id = '2024-02-01-ada-example-agents-week'") == [
        (__import__("datetime").date(2027, 12, 31), "by_year_end", 0.6)
    ]


def test_v_claims_computes_role_and_insider_from_the_claims_date(good_repo: Path):
    db = _build(good_repo)
    rows = dict((r[0], r[1:]) for r in _query(db, "SELECT id, role_class_at_made, is_insider, prob_default FROM v_claims"))
    # Ada was an academic until 2019 and a lab researcher from March 2020.
    assert rows["2018-05-01-ada-example-robots-walk"] == ("academic", False, 0.9)
    assert rows["2024-02-01-ada-example-agents-week"] == ("lab_researcher", True, 0.6)
    # Bo's phrase is matched to the scale regardless of case and spacing.
    assert rows["2022-03-10-bo-example-no-agents"] == ("critic", False, 0.1)


def test_claim_without_a_role_on_its_date_has_unknown_insider_status(good_repo: Path):
    claim = good_repo / "claims/2024/2024-02-01-ada-example-agents-week.yaml"
    claim.write_text(claim.read_text().replace("predictor_id: ada-example", "predictor_id: ada-example", 1))
    pred = good_repo / "claims/predictors/ada-example.yaml"
    pred.write_text(pred.read_text().replace("start_date: 2020-03-01", "start_date: 2024-06-01"))
    db = _build(good_repo)
    assert _query(db, "SELECT role_class_at_made, is_insider FROM v_claims WHERE id = '2024-02-01-ada-example-agents-week'") == [(None, None)]


def test_frontier_flags_are_stored(good_repo: Path):
    db = _build(good_repo)
    flags = [r[0] for r in _query(db, "SELECT system FROM rec_metric_points WHERE is_frontier ORDER BY point_index")]
    assert flags == ["a", "c", "e", "g", "h"]


def _table_digest(db: Path) -> str:
    digest = hashlib.sha256()
    for (name,) in _query(db, "SELECT table_name FROM duckdb_tables() ORDER BY 1"):
        for row in _query(db, f"SELECT * FROM {name} ORDER BY ALL"):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def test_same_inputs_give_same_tables(good_repo: Path, tmp_path: Path):
    first = _table_digest(_build(good_repo))
    other = tmp_path / "other"
    shutil.copytree(good_repo, other, ignore=shutil.ignore_patterns("build"))
    assert _table_digest(_build(other)) == first


def test_failed_build_leaves_previous_database_untouched(good_repo: Path, monkeypatch: pytest.MonkeyPatch):
    db = _build(good_repo)
    before = db.read_bytes()
    export_before = sorted(p.name for p in (good_repo / "build" / "export").iterdir())

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(build_module, "export_parquet", explode)
    claim = good_repo / "claims/2022/2022-03-10-bo-example-no-agents.yaml"
    claim.write_text(claim.read_text().replace("this decade", "in this decade"))
    with pytest.raises(RuntimeError):
        build_module.build_database(build_module.Layout(good_repo), __import__("datetime").date(2026, 11, 23))
    assert db.read_bytes() == before
    assert sorted(p.name for p in (good_repo / "build" / "export").iterdir()) == export_before
    assert not list((good_repo / "build").glob(".tmp-*")), "temporary files are cleaned up"


def test_stale_temporaries_of_a_killed_build_are_removed(good_repo: Path):
    (good_repo / "build").mkdir()
    (good_repo / "build" / ".tmp-999-trackrecord.duckdb").write_bytes(b"half written")
    _build(good_repo)
    assert not list((good_repo / "build").glob(".tmp-*"))


def test_build_info_records_inputs_hash_and_as_of(good_repo: Path):
    db = _build(good_repo)
    (as_of, sha, files) = _query(db, "SELECT as_of_date::VARCHAR, inputs_sha256, files FROM rec_build")[0]
    assert as_of == TODAY and len(sha) == 64 and files == 10


def test_role_with_only_an_attested_date_counts_from_that_date(good_repo: Path):
    pred = good_repo / "claims/predictors/bo-example.yaml"
    pred.write_text(pred.read_text().replace("    start_date: 2015-01-01\n    start_date_precision: year\n", "    attested_date: 2022-03-10\n"))
    db = _build(good_repo)
    assert _query(db, "SELECT role_class_at_made FROM v_claims WHERE predictor_id = 'bo-example'") == [("critic",)]
    pred.write_text(pred.read_text().replace("attested_date: 2022-03-10", "attested_date: 2022-03-11"))
    db = _build(good_repo)
    assert _query(db, "SELECT role_class_at_made FROM v_claims WHERE predictor_id = 'bo-example'") == [(None,)]


def test_json_columns_hold_one_json_value_queryable_from_sql_and_parquet(good_repo: Path):
    import pyarrow.parquet as pq

    db = _build(good_repo)
    assert _query(db, "SELECT json_type(priors), priors->>'$.exponential.slope.mu' FROM rec_paradigms WHERE id = 'example-agents'") == [("OBJECT", "0.9")]
    parquet = good_repo / "build" / "export" / "rec_paradigms.parquet"
    assert _query(db, f"SELECT (priors::JSON)->>'$.logistic.bend.sigma' FROM read_parquet('{parquet}')") == [("3.0",)]
    column = pq.read_table(parquet).column("priors")
    # Parquet readers see text marked as JSON, never bytes of a doubly encoded string.
    assert str(column.type) in {"string", "large_string", "extension<arrow.json>"}
    import json

    assert json.loads(column[0].as_py())["exponential"]["noise"]["dist"] == "HalfNormal"


def test_a_hedge_is_matched_to_the_scale_by_checks_own_rule(good_repo: Path):
    # The fixture writes "Very   Unlikely" (other case and spacing): check accepts it, and the
    # database scores it with the phrase check matched, by the same function.
    from trackrecord.records.rules import normalise_phrase

    db = _build(good_repo)
    rows = _query(db, "SELECT confidence_phrase, confidence_scale_phrase, verbal_phrase, prob_default FROM v_claims WHERE id = '2022-03-10-bo-example-no-agents'")
    assert rows == [("Very   Unlikely", "very unlikely", "very unlikely", _query(db, "SELECT default_prob FROM rec_verbal_probabilities WHERE phrase = 'very unlikely'")[0][0])]
    assert normalise_phrase(rows[0][0]) == rows[0][1]
    # A phrase not on the scale matches nothing.
    assert _query(db, "SELECT count(*) FROM rec_claims WHERE confidence_phrase IS NOT NULL AND confidence_scale_phrase IS NULL") == [(0,)]
