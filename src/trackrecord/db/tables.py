"""The rec_* tables, generated from the record models: DDL, column comments and rows.

A column is named after its YAML key; a key inside a nested block is prefixed with the block's
name (deadline.date -> deadline_date). Lists of blocks that analysts query on their own
(affiliations, points, evidence, verification) become child tables; other lists of blocks
become DuckDB STRUCT lists; mappings (priors) become JSON values.
"""

from __future__ import annotations

import datetime as dt
import enum
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from pydantic import BaseModel, Field
from pydantic.fields import FieldInfo

from ..schema import Claim, MetricSeries, Paradigm, Predictor, RoleClass, VerbalScale, INSIDER_ROLE_CLASSES
from ..schema.claim import CollectionMembership, Link, Source
from ..schema.common import Verification
from ..schema.introspect import unwrap as unwrap_optional
from ..schema.predictor import Affiliation
from ..schema.reference import Collection, Publisher, ScaleSource, VerbalPhrase
from ..schema.series import Point


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str
    description: str
    path: tuple[str, ...]  # attribute path in the model instance the row is made from


@dataclass(frozen=True)
class Extra:
    """A column that is not a field of the model: keys of the parent, computed flags."""

    name: str
    sql_type: str
    description: str


@dataclass(eq=False)
class Table:
    name: str
    description: str
    model: type[BaseModel]
    primary_key: tuple[str, ...]
    extras: tuple[Extra, ...] = ()
    exclude: frozenset[str] = frozenset()  # attribute paths joined by '.'
    columns: list[Column] = field(init=False)

    def __post_init__(self) -> None:
        self.columns = list(model_columns(self.model, (), self.exclude))

    @property
    def all_columns(self) -> list[tuple[str, str, str]]:
        return [(e.name, e.sql_type, e.description) for e in self.extras] + [
            (c.name, c.sql_type, c.description) for c in self.columns
        ]

    def ddl(self) -> str:
        cols = ",\n  ".join(f'"{n}" {t}' for n, t, _ in self.all_columns)
        pk = f",\n  PRIMARY KEY ({', '.join(self.primary_key)})" if self.primary_key else ""
        return f"CREATE TABLE {self.name} (\n  {cols}{pk}\n)"

    def comments(self) -> list[str]:
        out = [f"COMMENT ON TABLE {self.name} IS {sql_string(self.description)}"]
        out += [f'COMMENT ON COLUMN {self.name}."{n}" IS {sql_string(d)}' for n, _, d in self.all_columns]
        return out

    def row(self, obj: BaseModel, **extras: object) -> dict:
        # model_dump runs in pydantic-core (Rust); picking columns from its dict is cheap.
        dumped = obj.model_dump(mode="json")
        out = {e.name: extras[e.name] for e in self.extras}
        for c in self.columns:
            value: object = dumped
            for step in c.path:
                value = value.get(step) if value is not None else None
            # A mapping goes into its JSON column as the object itself (encoded once, by the bulk
            # load), with its keys sorted so equal records give equal bytes.
            out[c.name] = sorted_keys(value) if isinstance(value, dict) else value
        return out


def sorted_keys(value: object) -> object:
    if isinstance(value, dict):
        return {k: sorted_keys(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [sorted_keys(v) for v in value]
    return value


# Columns that recur across the derived tables (fit_*, score_*), each defined and described once
# and referred to by name (after PUDL's field metadata). A table's description says what its
# quantiles are quantiles of.
SHARED_COLUMNS: dict[str, tuple[type, str]] = {
    "series_id": (str, "The metric series (rec_metric_series.id)."),
    "paradigm_id": (str, "The paradigm (rec_paradigms.id; models/<id>.yaml)."),
    "claim_id": (str, "The claim (rec_claims.id)."),
    "predictor_id": (str, "The predictor (rec_predictors.id)."),
    "family": (str, "The curve family: exponential, logistic or succession."),
    "q05": (float, "5% quantile, in the row's unit."),
    "q25": (float, "25% quantile, in the row's unit."),
    "q50": (float, "Median, in the row's unit."),
    "q75": (float, "75% quantile, in the row's unit."),
    "q95": (float, "95% quantile, in the row's unit."),
}


def shared(*names: str, optional: bool = False) -> dict:
    """row_model fields for shared columns; `optional` makes them nullable (default NULL)."""
    from pydantic import Field

    out = {}
    for name in names:
        tp, description = SHARED_COLUMNS[name]
        out[name] = (tp | None, Field(None, description=description)) if optional else (tp, Field(description=description))
    return out


def row_model(name: str, doc: str, fields: dict) -> type[BaseModel]:
    """A typed row of a derived table (fit_*, score_*): the fields give names, types and descriptions."""
    from pydantic import create_model

    return create_model(name, __doc__=doc, **fields)


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def model_columns(model: type[BaseModel], path: tuple[str, ...], exclude: frozenset[str]) -> Iterator[Column]:
    for name, info in model.model_fields.items():
        here = (*path, name)
        if ".".join(here) in exclude:
            continue
        inner = unwrap(info.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            yield from model_columns(inner, here, exclude)
        else:
            yield Column("_".join(here), sql_type(inner), describe(info), here)


def describe(info: FieldInfo) -> str:
    return (info.description or "").strip()


def unwrap(tp: object) -> object:
    return unwrap_optional(tp)[0]


def sql_type(tp: object) -> str:
    tp = unwrap(tp)
    origin = typing.get_origin(tp)
    if origin is list:
        return sql_type(typing.get_args(tp)[0]) + "[]"
    if origin is dict:
        return "JSON"
    if isinstance(tp, type):
        if issubclass(tp, BaseModel):
            fields = ", ".join(f'"{n}" {sql_type(f.annotation)}' for n, f in tp.model_fields.items())
            return f"STRUCT({fields})"
        if issubclass(tp, bool):
            return "BOOLEAN"
        if issubclass(tp, enum.Enum) or issubclass(tp, str):
            return "VARCHAR"
        if issubclass(tp, int):
            return "BIGINT"
        if issubclass(tp, float):
            return "DOUBLE"
        if issubclass(tp, dt.date):
            return "DATE"
    raise TypeError(f"no SQL type for {tp!r}")


_VERIFY = frozenset({"verification"})

PREDICTORS = Table("rec_predictors", "Predictors: people, organisations, surveys and groups (claims/predictors/).", Predictor, ("id",), exclude=frozenset({"affiliations", "verification"}))
AFFILIATIONS = Table(
    "rec_affiliations",
    "Roles of predictors over time; a claim's role class is the role held on its made_date.",
    Affiliation,
    ("predictor_id", "affiliation_index"),
    extras=(
        Extra("predictor_id", "VARCHAR", "The predictor (rec_predictors.id)."),
        Extra("affiliation_index", "INTEGER", "Position of the affiliation in the record, from 0."),
    ),
)
SOURCE_KEY = Extra("source_key", "VARCHAR", "The address the source is known by: source_url, or source_read_at when the original's address was not seen (rec_sources.source_key).")
CLAIMS = Table(
    "rec_claims",
    "Claims: one prediction each, with deadline, confidence and resolution (claims/<year>/).",
    Claim,
    ("id",),
    extras=(SOURCE_KEY, Extra(
        "confidence_scale_phrase", "VARCHAR",
        "The phrase of the verbal-probability scale that confidence_phrase is, or is an alias of, matched as check matches it "
        "(case and spacing do not count; records.rules.normalise_phrase); NULL when the claim has no hedge or it is not on the scale.",
    )),
    exclude=frozenset({
        "verification", "resolution.evidence", "collections",
        "source.url", "source.read_at", "source.copy_reason", "source.title", "source.publisher", "source.kind", "source.format",
        "source.published_date", "source.archive_url",
    }),
)
SOURCES = Table(
    "rec_sources",
    "Sources cited by claims, one row per source (the same source is described alike everywhere), with the publishers registry's reading of its host.",
    Source,
    ("source_key",),
    extras=(
        SOURCE_KEY,
        Extra("source_host", "VARCHAR", "Host of source_url (lowercase, without 'www.'), or NULL when only a copy was read."),
        Extra("source_publisher_kind", "VARCHAR", "Kind of source_url's host in the publishers registry (own_site, original_publisher, platform, aggregator, mirror, archive), NULL if unknown or no url."),
        Extra("source_read_at_host", "VARCHAR", "Host of source_read_at, the copy read."),
        Extra("source_read_at_kind", "VARCHAR", "Kind of source_read_at's host in the publishers registry."),
        Extra("source_quality", "VARCHAR", "primary (the speaker's own words, read there), original_publisher (the original publisher's report, read there), original_via_copy (the original named, its words read at a copy), copy_only (only a copy: no original address, or an aggregator or mirror), unknown_publisher (a secondary source whose host the registry does not know)."),
    ),
    exclude=frozenset({"locator"}),
)
# Column names of rec_sources carry the 'source_' prefix, as in rec_claims.
SOURCES.columns = [Column("source_" + c.name, c.sql_type, c.description, c.path) for c in SOURCES.columns]
CLAIM_COLLECTIONS = Table(
    "rec_claim_collections",
    "Membership of claims in systematic collections, with the item of the collection's source each claim records.",
    CollectionMembership,
    ("claim_id", "collection_id"),
    extras=(Extra("claim_id", "VARCHAR", "The claim (rec_claims.id)."),),
)
COLLECTIONS = Table(
    "rec_collections",
    "Systematic collections (data/reference/collections/): the source, the inclusion rule, and completeness counted.",
    Collection,
    ("id",),
    extras=(Extra("items_recorded", "INTEGER", "Member claims in the record (items_in_source = items_recorded + items_left_out)."),
            Extra("items_left_out", "INTEGER", "Items of the source left out, each with its reason in left_out.")),
    exclude=frozenset({"verification"}),
)
PUBLISHERS = Table(
    "rec_publishers",
    "The publishers registry (data/reference/publishers.yaml): what each source host is.",
    Publisher,
    ("registry_version", "domain"),
    extras=(Extra("registry_version", "VARCHAR", "Version of the registry."),),
)


class DataResolutionRow(BaseModel):
    claim_id: str = Field(description="The claim (rec_claims.id).")
    series_id: str = Field(description="The series the claim's operationalisation names.")
    data_status: str = Field(description="What the data say of the claim: true, false, or pending (no point met the threshold and the data end before the deadline, or the deadline is ahead).")
    event_happened: bool | None = Field(description="Whether some point met the threshold on or before the deadline (NULL: the data cannot tell yet).")
    crossed_by_deadline: bool = Field(description="True when the first point that met the threshold is dated on or before the deadline.")
    crossing_date: dt.date | None = Field(description="Date of the first point that met the threshold, at any date (NULL if none has).")
    crossing_value: float | None = Field(description="Value of that point, in the series' unit.")
    crossing_system: str | None = Field(description="The system of that point.")
    crossing_source_url: str | None = Field(description="The point's own source link, if it has one.")
    data_through_date: dt.date | None = Field(description="Date of the series' last point.")
    explanation: str = Field(description="The resolution from the data in one sentence.")


DATA_RESOLUTIONS = Table(
    "rec_data_resolutions",
    "Every operationalised claim resolved from its series' points (any system, not only the frontier), as check verifies it.",
    DataResolutionRow,
    ("claim_id",),
)
EVIDENCE = Table(
    "rec_evidence",
    "Evidence links of claims' resolutions.",
    Link,
    ("claim_id", "evidence_index"),
    extras=(
        Extra("claim_id", "VARCHAR", "The claim (rec_claims.id)."),
        Extra("evidence_index", "INTEGER", "Position in resolution.evidence, from 0."),
    ),
)
VERIFICATIONS = Table(
    "rec_verifications",
    "Which fields of which record were checked against which source, and when.",
    Verification,
    ("record_kind", "record_id", "verification_index"),
    extras=(
        Extra("record_kind", "VARCHAR", "Kind of record: claim or predictor."),
        Extra("record_id", "VARCHAR", "Id of the record."),
        Extra("verification_index", "INTEGER", "Position in the record's verification list, from 0."),
    ),
)
METRIC_SERIES = Table("rec_metric_series", "Metric series with their origin and licence (data/series/).", MetricSeries, ("id",), exclude=frozenset({"points"}))
METRIC_POINTS = Table(
    "rec_metric_points",
    "Points of metric series; is_frontier marks the running best by date.",
    Point,
    ("series_id", "point_index"),
    extras=(
        Extra("series_id", "VARCHAR", "The series (rec_metric_series.id)."),
        Extra("point_index", "INTEGER", "Position of the point in the series file, from 0."),
        Extra("is_frontier", "BOOLEAN", "True if the point beats every earlier point of its series (ties on a date: the best one)."),
    ),
)
PARADIGMS = Table("rec_paradigms", "Paradigm specs: series, curve families, priors and backtests (models/).", Paradigm, ("id",))
VERBAL_PROBABILITIES = Table(
    "rec_verbal_probabilities",
    "The verbal-probability scale: phrases and their low, default and high probabilities.",
    VerbalPhrase,
    ("scale_version", "phrase"),
    extras=(Extra("scale_version", "VARCHAR", "Version of the scale (data/reference/verbal-probability-scale.yaml)."),),
)
VERBAL_SOURCES = Table(
    "rec_verbal_scale_sources",
    "Sources of the verbal-probability scale's numbers.",
    ScaleSource,
    ("scale_version", "id"),
    extras=(Extra("scale_version", "VARCHAR", "Version of the scale."),),
)


class RoleClassRow(BaseModel):
    role_class: str
    is_insider: bool
    precedence: int
    description: str


ROLE_CLASSES = Table("rec_role_classes", "Role classes, which of them count as industry insiders, and their precedence.", RoleClassRow, ("role_class",))
for _c, _d in zip(ROLE_CLASSES.columns, (
    "Role class of an affiliation.",
    "True for the classes that make a predictor an industry insider.",
    "When several roles are held on one date, the one with the lowest precedence is the role class at that date.",
    "What the class means.",
)):
    object.__setattr__(_c, "description", _d)

TABLES: list[Table] = [
    PREDICTORS, AFFILIATIONS, ROLE_CLASSES, CLAIMS, SOURCES, EVIDENCE, VERIFICATIONS,
    COLLECTIONS, CLAIM_COLLECTIONS, PUBLISHERS, DATA_RESOLUTIONS,
    METRIC_SERIES, METRIC_POINTS, PARADIGMS, VERBAL_PROBABILITIES, VERBAL_SOURCES,
]


def role_class_rows() -> Iterator[dict]:
    for i, rc in enumerate(RoleClass):
        yield ROLE_CLASSES.row(RoleClassRow(role_class=rc.value, is_insider=rc in INSIDER_ROLE_CLASSES, precedence=i, description=rc.description))


def frontier_flags(points: list[Point], higher_is_better: bool) -> list[bool]:
    """Running best by date: a point is on the frontier if it beats every earlier point. A disputed
    point is never on it and raises the bar for no later point."""
    sign = 1.0 if higher_is_better else -1.0
    order = sorted(range(len(points)), key=lambda i: (points[i].date, -sign * points[i].value, i))
    flags = [False] * len(points)
    best: float | None = None
    for i in order:
        if points[i].disputed is not None:
            continue
        score = sign * points[i].value
        if best is None or score > best:
            flags[i] = True
            best = score
    return flags


RowSink = Callable[[Table, dict], None]
