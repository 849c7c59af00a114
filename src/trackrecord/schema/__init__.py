"""The record schemas: the only place where fields are defined.

Each record kind says where its files live, which model validates them and where its generated
JSON Schema is committed. The DuckDB DDL (trackrecord.db.tables) and the data dictionary are
generated from the same models.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from pydantic import BaseModel

from .claim import Claim
from .common import Record
from .paradigm import Paradigm
from .predictor import INSIDER_ROLE_CLASSES, Predictor, RoleClass
from .reference import COPY_KINDS, Collection, PublisherKind, PublisherRegistry, VerbalScale
from .series import MetricSeries


@dataclass(frozen=True)
class RecordKind:
    name: str
    model: type[Record]
    location: str  # where files of this kind live, for humans
    schema_file: str  # the committed JSON Schema, relative to the repository root


RECORD_KINDS: dict[str, RecordKind] = {
    k.name: k
    for k in (
        RecordKind("predictor", Predictor, "claims/predictors/<id>.yaml", "claims/_schema/predictor.json"),
        RecordKind("claim", Claim, "claims/<year made>/<id>.yaml", "claims/_schema/claim.json"),
        RecordKind("series", MetricSeries, "data/series/<id>.yaml", "data/_schema/series.json"),
        RecordKind("verbal_scale", VerbalScale, "data/reference/verbal-probability-scale.yaml", "data/_schema/verbal-scale.json"),
        RecordKind("paradigm", Paradigm, "models/<id>.yaml", "models/_schema/paradigm.json"),
        RecordKind("publishers", PublisherRegistry, "data/reference/publishers.yaml", "data/_schema/publishers.json"),
        RecordKind("collection", Collection, "data/reference/collections/<id>.yaml", "data/_schema/collection.json"),
    )
}

SCHEMA_BASE_URL = "https://trackrecord.example/schema/"


def json_schema(kind: str) -> dict:
    model: type[BaseModel] = RECORD_KINDS[kind].model
    schema = model.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_BASE_URL + RECORD_KINDS[kind].schema_file.rsplit("/", 1)[1],
        **schema,
    }


def json_schema_text(kind: str) -> str:
    """The committed form: stable key order, two-space indent, trailing newline."""
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


__all__ = [
    "COPY_KINDS",
    "Claim",
    "Collection",
    "PublisherKind",
    "PublisherRegistry",
    "INSIDER_ROLE_CLASSES",
    "MetricSeries",
    "Paradigm",
    "Predictor",
    "RECORD_KINDS",
    "RecordKind",
    "RoleClass",
    "VerbalScale",
    "json_schema",
    "json_schema_text",
]
