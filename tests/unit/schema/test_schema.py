"""Schemas: committed JSON Schemas are current, describe every field, and agree with pydantic."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from pydantic import BaseModel

from conftest import GOOD, REPO
from trackrecord.records.load import discover, kind_by_location, relative
from trackrecord.records.yaml_io import load_text
from trackrecord.schema import RECORD_KINDS, json_schema, json_schema_text


@pytest.mark.parametrize("kind", sorted(RECORD_KINDS))
def test_committed_json_schema_is_current(kind: str):
    path = REPO / RECORD_KINDS[kind].schema_file
    assert path.exists(), f"{path} missing: run `trackrecord schemas`"
    assert path.read_text(encoding="utf-8") == json_schema_text(kind), f"{path} is stale: run `trackrecord schemas`"


def _fields(model: type[BaseModel], seen: set) -> list[tuple[str, str, object]]:
    out = []
    if model in seen:
        return out
    seen.add(model)
    for name, info in model.model_fields.items():
        out.append((model.__name__, name, info.description))
        for tp in _types(info.annotation):
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                out.extend(_fields(tp, seen))
    return out


def _types(tp):
    import typing

    yield tp
    for arg in typing.get_args(tp):
        yield from _types(arg)


def test_every_field_is_described():
    seen: set = set()
    for spec in RECORD_KINDS.values():
        for model, name, description in _fields(spec.model, seen):
            assert description, f"{model}.{name} has no description"


@pytest.mark.parametrize("root", [GOOD, REPO], ids=["fixture", "repository"])
def test_json_schema_accepts_the_valid_records(root: Path):
    checked = 0
    for path in discover(root):
        kind = kind_by_location(relative(path, root))
        data = load_text(path.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator(json_schema(kind)).validate(data)
        checked += 1
    # Every record file, counted independently of discover(): the YAML files in the record folders.
    folders = ("claims", "data/series", "data/reference", "models")
    expected = sum(1 for f in folders for p in (root / f).rglob("*.yaml") if "_schema" not in p.parts)
    assert checked == expected and checked >= 10


def test_json_schema_refuses_unknown_keys_like_pydantic():
    data = load_text((GOOD / "claims/2024/2024-02-01-ada-example-agents-week.yaml").read_text())
    data["confidance"] = 1
    errors = list(jsonschema.Draft202012Validator(json_schema("claim")).iter_errors(data))
    assert any("confidance" in e.message for e in errors)


def test_templates_reference_the_schemas():
    from importlib import resources

    for kind in ("claim", "predictor", "series"):
        # `$$` is string.Template's escape for a literal `$`.
        first = resources.files("trackrecord.templates").joinpath(f"{kind}.yaml").read_text().splitlines()[0]
        target = RECORD_KINDS[kind].schema_file.rsplit("/", 1)[1]
        assert first == f"# yaml-language-server: $$schema=../_schema/{target}"


def test_the_prior_distributions_are_the_family_catalogues():
    from trackrecord.schema.families import CATALOGUE, DISTRIBUTION_ARGUMENTS, DISTRIBUTIONS_BY_SUPPORT
    from trackrecord.schema.paradigm import Distribution

    assert {d.value for d in Distribution} == set(DISTRIBUTION_ARGUMENTS)
    assert {d for ds in DISTRIBUTIONS_BY_SUPPORT.values() for d in ds} == set(DISTRIBUTION_ARGUMENTS)
    # Every family the fit stage models is in the catalogue, and nothing else.
    from trackrecord.fit.structures import STRUCTURES

    assert set(STRUCTURES) == set(CATALOGUE)
    assert all(STRUCTURES[k].spec is CATALOGUE[k] for k in CATALOGUE)
