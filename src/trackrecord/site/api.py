"""The site's machine-readable data: one JSON document per claim, predictor and series, an index of
them, and a JSON Schema per kind.

Rule: a page generated from `<folder>/<id>.md` (served at `<folder>/<id>/`) has its data at
`<folder>/<id>.json`, beside the page's folder: `claims/<id>.json`, `predictors/<id>.json`,
`trends/series/<id>.json`. `api/index.json` lists every document with its kind and id, and
`api/schema/<kind>.json` describes each kind (`api/schema/index.json` the index).

A document is made of rows of the database's tables, each as an object with exactly the table's
columns. The schemas are generated from the same definitions as the tables (`db/tables.py`,
`fit/tables.py`, `score/tables.py`: each column's SQL type and description), so they cannot
drift from the database; the SQL types map to JSON types in `json_type`. Every column may be null
except those of the table's primary key, as in the database.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass

from ..db import tables as rec_tables
from ..fit import tables as fit_tables
from ..score import tables as score_tables
from ..db.tables import Table

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"  # a name, never fetched
API_VERSION = "1"  # bump when a document's shape changes other than by a column added to a table
INDEX_PATH = "api/index.json"


def schema_path(kind: str) -> str:
    return f"api/schema/{kind}.json"


# --- SQL types to JSON ------------------------------------------------------------------------------

SCALARS: dict[str, dict] = {
    "VARCHAR": {"type": "string"},
    "BIGINT": {"type": "integer"},
    "INTEGER": {"type": "integer"},
    "DOUBLE": {"type": "number"},
    "BOOLEAN": {"type": "boolean"},
    "DATE": {"type": "string", "format": "date"},
    "JSON": {},  # any JSON value: the column holds the record's mapping itself
}


@dataclass(frozen=True)
class SqlType:
    """A column's SQL type as the tables write it (tables.sql_type): a scalar, `T[]`, or
    `STRUCT("name" T, ...)`."""

    name: str  # a SCALARS key, "LIST" or "STRUCT"
    item: SqlType | None = None  # of a LIST
    fields: tuple[tuple[str, SqlType], ...] = ()  # of a STRUCT


def parse_sql_type(text: str) -> SqlType:
    text = text.strip()
    if text.endswith("[]"):
        return SqlType("LIST", item=parse_sql_type(text[:-2]))
    if text.startswith("STRUCT(") and text.endswith(")"):
        fields = []
        for part in split_top_level(text[len("STRUCT("):-1]):
            found = re.fullmatch(r'\s*"([^"]+)"\s+(.+)', part, flags=re.S)
            if not found:
                raise ValueError(f"cannot read the STRUCT field {part!r} of {text!r}")
            fields.append((found[1], parse_sql_type(found[2])))
        return SqlType("STRUCT", fields=tuple(fields))
    if text not in SCALARS:
        raise ValueError(f"no JSON type for the SQL type {text!r}: add it to api.SCALARS")
    return SqlType(text)


def split_top_level(text: str) -> list[str]:
    """Split at the commas outside parentheses and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
        elif not quoted and depth == 0 and ch == ",":
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p for p in parts if p.strip()]


def json_type(t: SqlType, *, nullable: bool) -> dict:
    if t.name == "LIST":
        out: dict = {"type": "array", "items": json_type(t.item, nullable=True)}
    elif t.name == "STRUCT":
        out = {"type": "object", "properties": {n: json_type(f, nullable=True) for n, f in t.fields},
               "required": [n for n, _ in t.fields], "additionalProperties": False}
    else:
        out = dict(SCALARS[t.name])
    if nullable and "type" in out:
        out["type"] = [out["type"], "null"]
    return out


def json_value(value: object, t: SqlType) -> object:
    """A value as DuckDB's Python client returns it, as JSON data of the type `json_type` gives."""
    if value is None:
        return None
    if t.name == "LIST":
        return [json_value(v, t.item) for v in value]
    if t.name == "STRUCT":
        return {n: json_value(value.get(n), f) for n, f in t.fields}
    if t.name == "JSON":
        return json.loads(value) if isinstance(value, str) else value
    if t.name == "DATE":
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if t.name == "DOUBLE":
        value = float(value)
        return value if math.isfinite(value) else None  # the fit stages write none; JSON has no NaN
    return value


def row_schema(table: Table) -> dict:
    return {
        "title": table.name,
        "description": f"One row of the table {table.name}: {table.description}",
        "type": "object",
        "properties": {name: {"description": description, **json_type(parse_sql_type(sql), nullable=name not in table.primary_key)}
                       for name, sql, description in table.all_columns},
        "required": [name for name, _, _ in table.all_columns],
        "additionalProperties": False,
    }


# --- documents --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One key of a document: the rows of `table` that belong to the document, as one object (or
    null when there is none) or, with `many`, a list in `order`."""

    key: str
    table: Table
    id_column: str  # the column holding the document's id
    many: bool = False
    where: str = ""  # SQL condition on the table's columns, besides the id
    order: tuple[str, ...] = ()
    via: str = ""  # a join, when the id is in another table: FROM <table> t <via>; id_column then names its column
    description: str = ""


@dataclass(frozen=True)
class Kind:
    name: str
    folder: str  # the page is <folder>/<id>.md, the document <folder>/<id>.json
    id_table: Table  # the table whose primary key is the document's id
    parts: tuple[Part, ...]
    description: str

    def path(self, record_id: str) -> str:
        return f"{self.folder}/{record_id}.json"

    def page(self, record_id: str) -> str:
        return f"{self.folder}/{record_id}/"


KINDS: tuple[Kind, ...] = (
    Kind("claim", "claims", rec_tables.CLAIMS, (
        Part("claim", rec_tables.CLAIMS, "id", description="The claim as recorded."),
        Part("source", rec_tables.SOURCES, "c.id", via="JOIN rec_claims c ON c.source_key = t.source_key", description="Its source."),
        Part("evidence", rec_tables.EVIDENCE, "claim_id", many=True, order=("evidence_index",), description="Evidence of its resolution."),
        Part("verifications", rec_tables.VERIFICATIONS, "record_id", many=True, where="record_kind = 'claim'", order=("verification_index",),
             description="Which of its fields were checked against which source."),
        Part("collections", rec_tables.CLAIM_COLLECTIONS, "claim_id", many=True, order=("collection_id",), description="The systematic collections it belongs to."),
        Part("data_resolution", rec_tables.DATA_RESOLUTIONS, "claim_id", description="Its resolution from its series' points, when operationalised."),
        Part("score", score_tables.CLAIMS, "claim_id", description="Its score, when resolved."),
        Part("trend_baseline", score_tables.TREND_BASELINE, "claim_id", description="The trend baseline's forecast of it, when operationalised."),
        Part("thresholds", fit_tables.THRESHOLDS, "claim_id", many=True, where="subject = 'claim'", order=("by_date",),
             description="The fitted trend's probability of crossing its threshold by its deadline, when operationalised."),
    ), "A claim with its source, evidence, verifications, collections, resolution from the data, score and trend baseline."),
    Kind("predictor", "predictors", rec_tables.PREDICTORS, (
        Part("predictor", rec_tables.PREDICTORS, "id", description="The predictor as recorded."),
        Part("affiliations", rec_tables.AFFILIATIONS, "predictor_id", many=True, order=("affiliation_index",), description="Roles over time."),
        Part("verifications", rec_tables.VERIFICATIONS, "record_id", many=True, where="record_kind = 'predictor'", order=("verification_index",),
             description="Which of its fields were checked against which source."),
        Part("scores", score_tables.PREDICTORS, "group_id", where="group_kind = 'predictor'", description="Scores of its claims, raw and from the calibration model."),
        Part("slices", score_tables.PREDICTOR_SLICES, "predictor_id", many=True, order=("slice_kind", "slice_value"), description="Raw scores per slice of its claims."),
        Part("calibration", score_tables.CALIBRATION, "group_id", many=True, where="group_kind = 'predictor'", order=("forecast",), description="Its reliability diagram."),
        Part("lateness", score_tables.LATENESS, "group_id", where="group_kind = 'predictor'", description="Lateness of its at_least claims."),
    ), "A predictor with affiliations, verifications, scores, slices, calibration and lateness (its claims: the claim documents with its predictor_id)."),
    Kind("series", "trends/series", rec_tables.METRIC_SERIES, (
        Part("series", rec_tables.METRIC_SERIES, "id", description="The series as recorded, with its origin and licence."),
        Part("points", rec_tables.METRIC_POINTS, "series_id", many=True, order=("point_index",), description="Its points, in the order of the file."),
        Part("comparison", fit_tables.COMPARISONS, "series_id", description="The curve families compared, and the verdict."),
        Part("posteriors", fit_tables.POSTERIORS, "series_id", many=True, order=("family", "method", "parameter"), description="Posterior summaries."),
        Part("projections", fit_tables.PROJECTIONS, "series_id", many=True, order=("curve", "date"), description="Posterior predictive bands per month."),
        Part("prior_predictive", fit_tables.PRIOR_PREDICTIVE, "series_id", many=True, order=("family", "date"), description="What the priors alone allow."),
        Part("backtests", fit_tables.BACKTESTS, "series_id", many=True, order=("origin_date", "horizon_years", "family"), description="Leave-future-out backtests."),
        Part("thresholds", fit_tables.THRESHOLDS, "series_id", many=True, order=("subject", "claim_id", "by_date", "threshold_value"),
             description="Threshold-crossing probabilities on the series."),
    ), "A metric series with its points, the curve-family comparison, posteriors, projections, prior predictive bands, backtests and thresholds."),
)


def document_schema(kind: Kind) -> dict:
    properties: dict = {
        "kind": {"const": kind.name, "description": "The kind of document."},
        "id": {"type": "string", "description": f"The id: {kind.id_table.name}.{kind.id_table.primary_key[0]}."},
        "page": {"type": "string", "description": "The page showing the record, relative to the site's root."},
        "api_version": {"const": API_VERSION, "description": "Version of the documents' shape."},
    }
    defs = {}
    for part in kind.parts:
        defs[part.table.name] = row_schema(part.table)
        ref = {"$ref": f"#/$defs/{part.table.name}"}
        if part.many:
            properties[part.key] = {"description": f"{part.description} Rows of {part.table.name}.", "type": "array", "items": ref}
        elif part.table is kind.id_table:  # the record itself is always there
            properties[part.key] = {"description": f"{part.description} A row of {part.table.name}.", **ref}
        else:
            properties[part.key] = {"description": f"{part.description} A row of {part.table.name}, or null.", "anyOf": [ref, {"type": "null"}]}
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": f"Track Record {kind.name}",
        "description": f"{kind.description} Written at {kind.folder}/<id>.json, beside the page {kind.folder}/<id>/.",
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
        "$defs": defs,
    }


def index_schema() -> dict:
    entry = {
        "type": "object",
        "properties": {
            "kind": {"enum": [k.name for k in KINDS], "description": "The kind of document."},
            "id": {"type": "string", "description": "The record's id."},
            "path": {"type": "string", "description": "The document, relative to the site's root."},
            "page": {"type": "string", "description": "The record's page, relative to the site's root."},
            "schema": {"type": "string", "description": "The JSON Schema of the document, relative to the site's root."},
        },
        "required": ["kind", "id", "path", "page", "schema"],
        "additionalProperties": False,
    }
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": "Track Record data index",
        "description": f"Every JSON document of the site ({INDEX_PATH}). Paths are relative to the site's root, the folder holding api/.",
        "type": "object",
        "properties": {
            "api_version": {"const": API_VERSION, "description": "Version of the documents' shape."},
            "as_of_date": {"type": ["string", "null"], "format": "date", "description": "The day the database was built as of (rec_build.as_of_date)."},
            "schemas": {"type": "object", "description": "The schema of each kind.", "additionalProperties": {"type": "string"}},
            "files": {"type": "array", "items": entry, "description": "Every document, by kind and id."},
        },
        "required": ["api_version", "as_of_date", "schemas", "files"],
        "additionalProperties": False,
    }


class ApiError(Exception):
    pass


def part_rows(con, part: Part) -> dict[str, list[dict]]:
    """The part's rows grouped by document id: one query per part, not one per document."""
    columns = part.table.all_columns
    types = [parse_sql_type(sql) for _, sql, _ in columns]
    id_expr = part.id_column if part.via else f't."{part.id_column}"'
    select = ", ".join(f't."{name}"' for name, _, _ in columns)
    where = f"WHERE {part.where}" if part.where else ""
    order = ", ".join(f't."{c}"' for c in part.order) or "1"
    sql = f"SELECT {id_expr} AS document_id, {select} FROM {part.table.name} t {part.via} {where} ORDER BY document_id, {order}"
    out: dict[str, list[dict]] = defaultdict(list)
    for row in con.execute(sql).fetchall():
        out[row[0]].append({name: json_value(v, t) for (name, _, _), t, v in zip(columns, types, row[1:])})
    return out


def documents(con) -> dict[str, list[dict]]:
    """Every document of every kind, by kind name, in id order."""
    have = {name for (name,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    missing = sorted({p.table.name for k in KINDS for p in k.parts} - have)
    if missing:
        raise ApiError("the JSON documents need the tables " + ", ".join(missing) + " (run: trackrecord build, fit and score)")
    out: dict[str, list[dict]] = {}
    for kind in KINDS:
        rows = {part.key: part_rows(con, part) for part in kind.parts}
        key = kind.id_table.primary_key[0]
        ids = [r for (r,) in con.execute(f'SELECT "{key}" FROM {kind.id_table.name} ORDER BY "{key}"').fetchall()]
        docs = []
        for record_id in ids:
            doc: dict = {"kind": kind.name, "id": record_id, "page": kind.page(record_id), "api_version": API_VERSION}
            for part in kind.parts:
                found = rows[part.key].get(record_id, [])
                if not part.many and len(found) > 1:
                    raise ApiError(f"{kind.name} {record_id}: {len(found)} rows of {part.table.name} where one at most was expected")
                doc[part.key] = found if part.many else (found[0] if found else None)
            docs.append(doc)
        out[kind.name] = docs
    return out


def dumps(value: object, *, indent: int | None = None) -> str:
    # ensure_ascii off: record text stays readable; allow_nan off: NaN is not JSON (json_value drops it).
    separators = None if indent else (",", ":")
    return json.dumps(value, ensure_ascii=False, allow_nan=False, indent=indent, separators=separators) + "\n"


def write_api(con, out, *, as_of_date: dt.date | None) -> dict[str, int]:
    """Every document, the index and the schemas through the site's Writer; returns the count per kind."""
    docs = documents(con)
    files = []
    for kind in KINDS:
        out.text(schema_path(kind.name), dumps(document_schema(kind), indent=2))
        for doc in docs[kind.name]:
            path = kind.path(doc["id"])
            out.text(path, dumps(doc))
            files.append({"kind": kind.name, "id": doc["id"], "path": path, "page": doc["page"], "schema": schema_path(kind.name)})
    out.text(schema_path("index"), dumps(index_schema(), indent=2))
    out.text(INDEX_PATH, dumps({"api_version": API_VERSION, "as_of_date": as_of_date.isoformat() if as_of_date else None,
                                "schemas": {k.name: schema_path(k.name) for k in KINDS}, "files": files}, indent=1))
    return {k.name: len(docs[k.name]) for k in KINDS}
