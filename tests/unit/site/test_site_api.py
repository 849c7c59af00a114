"""The site's JSON schemas generated from the table definitions, and the downloads' formats, on
small inputs (tests/e2e/test_site_data.py checks them on a built site)."""

from __future__ import annotations

import csv
import io
import json

import duckdb
import jsonschema
import pytest

from trackrecord.db.tables import CLAIMS, TABLES
from trackrecord.site import api
from trackrecord.site.downloads import DownloadError, copy_database, csv_select, storage_header_version


def all_tables():
    return list(TABLES) + [p.table for k in api.KINDS for p in k.parts]


def test_every_column_type_of_every_table_has_a_json_type():
    for table in all_tables():
        schema = api.row_schema(table)
        assert list(schema["properties"]) == [n for n, _, _ in table.all_columns], table.name
        for name, _, description in table.all_columns:
            assert schema["properties"][name]["description"] == description


def test_sql_types_map_to_json_types():
    links = api.json_type(api.parse_sql_type('STRUCT("url" VARCHAR, "title" VARCHAR)[]'), nullable=True)
    assert links == {"type": ["array", "null"], "items": {
        "type": ["object", "null"], "properties": {"url": {"type": ["string", "null"]}, "title": {"type": ["string", "null"]}},
        "required": ["url", "title"], "additionalProperties": False}}
    assert api.json_type(api.parse_sql_type("DATE"), nullable=False) == {"type": "string", "format": "date"}
    assert api.json_type(api.parse_sql_type("BIGINT"), nullable=False) == {"type": "integer"}
    assert api.json_type(api.parse_sql_type("JSON"), nullable=True) == {}
    with pytest.raises(ValueError, match="no JSON type for the SQL type 'HUGEINT'"):
        api.parse_sql_type("HUGEINT")


def test_a_claim_document_that_departs_from_the_table_is_refused():
    schema = api.document_schema(next(k for k in api.KINDS if k.name == "claim"))
    jsonschema.Draft202012Validator.check_schema(schema)
    check = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    claim = {name: None for name, _, _ in CLAIMS.all_columns} | {"id": "x", "made_date": "2024-01-31", "topics": ["jobs"]}
    doc = {"kind": "claim", "id": "x", "page": "claims/x/", "api_version": api.API_VERSION, "claim": claim, "source": None,
           "evidence": [], "verifications": [], "collections": [], "data_resolution": None, "score": None,
           "trend_baseline": None, "thresholds": []}
    check.validate(doc)
    for broken in ({**claim, "made_date": "31/01/2024"}, {**claim, "topics": "jobs"}, {**claim, "id": None}, {**claim, "extra": 1},
                   {k: v for k, v in claim.items() if k != "statement"}):
        assert list(check.iter_errors({**doc, "claim": broken})), broken


def test_json_values_are_converted_by_their_sql_type():
    import datetime as dt

    assert api.json_value([{"url": "u", "title": None}], api.parse_sql_type('STRUCT("url" VARCHAR, "title" VARCHAR)[]')) == [{"url": "u", "title": None}]
    assert api.json_value(dt.date(2024, 2, 29), api.parse_sql_type("DATE")) == "2024-02-29"
    assert api.json_value('{"b": 1}', api.parse_sql_type("JSON")) == {"b": 1}
    assert api.json_value(float("nan"), api.parse_sql_type("DOUBLE")) is None


def test_csv_writes_lists_and_structs_as_json(tmp_path):
    con = duckdb.connect()
    con.execute("""CREATE TABLE t AS SELECT 1 AS n, ['a, b', 'say "hi"', NULL] AS tags,
                   [{'url': 'https://example.org/x,y', 'when': DATE '2024-01-02'}] AS links, NULL::VARCHAR[] AS empty""")
    target = tmp_path / "t.csv"
    con.execute(f"COPY ({csv_select(con, 't')}) TO '{target}' (FORMAT csv, HEADER)")
    (row,) = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert row["n"] == "1"
    assert json.loads(row["tags"]) == ["a, b", 'say "hi"', None]
    assert json.loads(row["links"]) == [{"url": "https://example.org/x,y", "when": "2024-01-02"}]
    assert row["empty"] == ""


def test_database_copy_is_written_for_duckdb_1(tmp_path):
    source = tmp_path / "source.duckdb"
    con = duckdb.connect(str(source))
    con.execute("""CREATE TABLE t AS SELECT [1, 2] AS l, {'a': 'x'} AS s, '{"k": 1}'::JSON AS j, DATE '2020-01-01' AS d""")
    con.execute("COMMENT ON TABLE t IS 'a table'")
    con.execute("CREATE VIEW v AS SELECT l FROM t")
    con.close()
    copy = copy_database(source, tmp_path / "copy.duckdb")
    assert (copy.storage_version, copy.opens_in, copy.header_version) == ("v1.0.0", "v1.0.0+", 64)
    assert storage_header_version(tmp_path / "copy.duckdb") == 64
    back = duckdb.connect(str(tmp_path / "copy.duckdb"), read_only=True)
    assert back.execute("SELECT l, s, d FROM t").fetchall() == [([1, 2], {"a": "x"}, __import__("datetime").date(2020, 1, 1))]
    assert back.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 't'").fetchone() == ("a table",)
    assert back.execute("SELECT * FROM v").fetchall() == [([1, 2],)]
    back.close()


def test_a_file_that_is_not_duckdb_is_a_clear_error(tmp_path):
    (tmp_path / "x.duckdb").write_bytes(b"not a database at all")
    with pytest.raises(DownloadError, match="is not a DuckDB database file"):
        storage_header_version(tmp_path / "x.duckdb")
