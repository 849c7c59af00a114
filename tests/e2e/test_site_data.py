"""The site's data for analysts, end to end on the small scored repository: a JSON document per
claim, predictor and series valid against its generated schema and equal to the database, the
database download in a storage format DuckDB 1.x opens, and CSV list columns as JSON."""

from __future__ import annotations

import csv
import json
import struct
from pathlib import Path

import duckdb
import jsonschema
import pytest

from conftest import site_query as query

pytestmark = pytest.mark.slow


def storage_header_version(path: Path) -> int:
    """The storage version number in a DuckDB file's header, read as DuckDB documents it
    (duckdb.org/docs/internals/storage): a checksum, b"DUCK", then the number."""
    magic, version = struct.unpack("<8x4sQ", path.read_bytes()[:20])
    assert magic == b"DUCK", path
    return version


def as_json(site: Path, sql: str, params: list | None = None) -> list:
    """Rows as DuckDB itself writes them in JSON (to_json), independently of the site's converter."""
    return [json.loads(r[0]) for r in query(site, sql, params)]


def load(site: Path, path: str):
    return json.loads((site / path).read_text(encoding="utf-8"))


def validator(site: Path, schema_path: str) -> jsonschema.Draft202012Validator:
    schema = load(site, schema_path)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_every_json_document_is_listed_and_valid_against_its_schema(built_site):
    index = load(built_site, "api/index.json")
    validator(built_site, "api/schema/index.json").validate(index)
    expected = {("claim", i) for (i,) in query(built_site, "SELECT id FROM rec_claims")}
    expected |= {("predictor", i) for (i,) in query(built_site, "SELECT id FROM rec_predictors")}
    expected |= {("series", i) for (i,) in query(built_site, "SELECT id FROM rec_metric_series")}
    listed = [(f["kind"], f["id"]) for f in index["files"]]
    assert len(listed) == len(set(listed)) and set(listed) == expected
    validators = {kind: validator(built_site, path) for kind, path in index["schemas"].items()}
    for entry in index["files"]:
        doc = load(built_site, entry["path"])
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validators[entry["kind"]].iter_errors(doc)]
        assert not errors, (entry["path"], errors[:5])
        assert (doc["kind"], doc["id"]) == (entry["kind"], entry["id"])
        # The document sits beside its page: <folder>/<id>.json next to <folder>/<id>/index.html.
        assert entry["path"] == entry["page"].rstrip("/") + ".json"
        assert (built_site / entry["page"] / "index.html").is_file(), entry


def test_schemas_describe_the_databases_columns(built_site):
    """Each table a schema describes has exactly the database's columns, with their comments."""
    columns: dict[str, list[tuple[str, str]]] = {}
    for table, column, comment in query(built_site, "SELECT table_name, column_name, comment FROM duckdb_columns() ORDER BY table_name, column_index"):
        columns.setdefault(table, []).append((column, comment or ""))
    for kind in ("claim", "predictor", "series"):
        schema = load(built_site, f"api/schema/{kind}.json")
        assert schema["$defs"], kind
        for table, row in schema["$defs"].items():
            assert [(name, p["description"]) for name, p in row["properties"].items()] == columns[table], table
            assert row["required"] == [name for name, _ in columns[table]]
    claim = load(built_site, "api/schema/claim.json")["$defs"]["rec_claims"]["properties"]
    assert claim["topics"]["type"] == ["array", "null"] and claim["topics"]["items"]["type"] == ["string", "null"]
    assert claim["made_date"]["format"] == "date" and claim["id"]["type"] == "string"  # the primary key is never null


def test_documents_hold_the_databases_values(built_site):
    claim_id = "2025-03-01-ada-example-four-hours"  # operationalised, resolved, scored: every part filled
    doc = load(built_site, f"claims/{claim_id}.json")
    assert doc["claim"] == as_json(built_site, "SELECT to_json(t) FROM rec_claims t WHERE id = ?", [claim_id])[0]
    assert doc["source"] == as_json(built_site, "SELECT to_json(s) FROM rec_sources s JOIN rec_claims c USING (source_key) WHERE c.id = ?", [claim_id])[0]
    assert doc["evidence"] == as_json(built_site, "SELECT to_json(t) FROM rec_evidence t WHERE claim_id = ? ORDER BY evidence_index", [claim_id])
    assert doc["score"] == as_json(built_site, "SELECT to_json(t) FROM score_claims t WHERE claim_id = ?", [claim_id])[0]
    assert doc["data_resolution"] == as_json(built_site, "SELECT to_json(t) FROM rec_data_resolutions t WHERE claim_id = ?", [claim_id])[0]
    assert doc["thresholds"] and doc["thresholds"] == as_json(
        built_site, "SELECT to_json(t) FROM fit_thresholds t WHERE claim_id = ? AND subject = 'claim' ORDER BY by_date", [claim_id])
    assert doc["score"]["brier"] is not None and doc["claim"]["topics"] == ["robotics"]

    pending = load(built_site, "claims/" + query(built_site, "SELECT id FROM rec_claims WHERE resolution_status = 'pending' ORDER BY id LIMIT 1")[0][0] + ".json")
    assert pending["score"] is None and pending["claim"]["resolution_status"] == "pending"

    predictor = load(built_site, "predictors/ada-example.json")
    assert predictor["predictor"] == as_json(built_site, "SELECT to_json(t) FROM rec_predictors t WHERE id = 'ada-example'")[0]
    assert predictor["affiliations"] == as_json(built_site, "SELECT to_json(t) FROM rec_affiliations t WHERE predictor_id = 'ada-example' ORDER BY affiliation_index")
    assert predictor["scores"] == as_json(built_site, "SELECT to_json(t) FROM score_predictors t WHERE group_kind = 'predictor' AND group_id = 'ada-example'")[0]
    assert len(predictor["calibration"]) == query(built_site, "SELECT count(*) FROM score_calibration WHERE group_kind = 'predictor' AND group_id = 'ada-example'")[0][0] > 0

    (series_id,) = query(built_site, "SELECT series_id FROM fit_comparisons ORDER BY series_id LIMIT 1")[0]
    series = load(built_site, f"trends/series/{series_id}.json")
    assert series["series"] == as_json(built_site, "SELECT to_json(t) FROM rec_metric_series t WHERE id = ?", [series_id])[0]
    assert series["points"] == as_json(built_site, "SELECT to_json(t) FROM rec_metric_points t WHERE series_id = ? ORDER BY point_index", [series_id])
    assert series["comparison"] == as_json(built_site, "SELECT to_json(t) FROM fit_comparisons t WHERE series_id = ?", [series_id])[0]
    assert series["projections"] == as_json(built_site, "SELECT to_json(t) FROM fit_projections t WHERE series_id = ? ORDER BY curve, date", [series_id])


def test_the_database_download_is_in_the_oldest_storage_format_that_keeps_it(built_site, tmp_path):
    download = built_site / "download" / "trackrecord.duckdb"
    source = built_site.parent / "trackrecord.duckdb"
    tables = [t for (t,) in query(built_site, "SELECT table_name FROM duckdb_tables()")]
    con = duckdb.connect(str(download), read_only=True)
    try:
        for t in tables:
            assert con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] == query(built_site, f'SELECT count(*) FROM "{t}"')[0][0], t
        assert con.execute("SELECT count(*) FROM duckdb_views() WHERE NOT internal").fetchone()[0] == query(
            built_site, "SELECT count(*) FROM duckdb_views() WHERE NOT internal")[0][0]
        (tags,) = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    finally:
        con.close()
    # DuckDB 1.0 to 1.1 read storage version 64 only; the build's own file (DuckDB 2.0) has a newer one.
    assert storage_header_version(download) == 64 < storage_header_version(source)
    assert tags["storage_version"] == "v1.0.0+"
    # The header is the one the chosen STORAGE_VERSION writes (the Data page names the choice).
    page = (built_site / "data" / "index.html").read_text(encoding="utf-8")
    assert "STORAGE_VERSION &#39;v1.0.0&#39;" in page or "STORAGE_VERSION 'v1.0.0'" in page
    assert 'data-duckdb-versions="v1.0.0+"' in page and "opens in DuckDB v1.0.0 and every later release" in page
    fresh = duckdb.connect()
    fresh.execute(f"ATTACH '{tmp_path / 'fresh.duckdb'}' AS fresh (STORAGE_VERSION 'v1.0.0')")
    fresh.execute("CREATE TABLE fresh.t (x INTEGER)")
    fresh.close()
    assert storage_header_version(tmp_path / "fresh.duckdb") == storage_header_version(download)


def test_csv_list_and_struct_columns_are_json(built_site):
    with (built_site / "download" / "csv" / "rec_claims.csv").open(encoding="utf-8", newline="") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    topics = dict(query(built_site, "SELECT id, topics FROM rec_claims"))
    assert rows and set(rows) == set(topics)
    for claim_id, row in rows.items():
        assert json.loads(row["topics"]) == topics[claim_id], claim_id
    with (built_site / "download" / "csv" / "rec_collections.csv").open(encoding="utf-8", newline="") as f:
        left_out = {r["id"]: json.loads(r["left_out"]) for r in csv.DictReader(f)}
    assert left_out["bo-measured-list"] == [{"item": "Item 9", "reason": "No probability."}, {"item": "Item 10", "reason": "No deadline."}]
