"""Find record files, read and validate each one, and collect every problem in one pass."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..errors import Problem
from ..schema import RECORD_KINDS
from ..schema.common import Record
from .codes import RULES
from .validate import format_loc, problems_from_validation
from .fix import fast_is_canonical
from .yaml_io import PositionIndex, RecordFileError, decode, parse_text

_YEAR = re.compile(r"^\d{4}$")
_MODELINE = re.compile(r"#\s*yaml-language-server:\s*\$schema=\S*?/([a-z-]+)\.json")
_KIND_BY_SCHEMA = {Path(k.schema_file).stem: name for name, k in RECORD_KINDS.items()}
SCANNED_DIRS = ("claims", "data/series", "data/reference", "models")


@dataclass(frozen=True)
class LoadedRecord:
    kind: str
    path: Path
    relpath: str
    record: Record
    sha256: str  # of the file's bytes, for the build's input hash
    known_canonical: bool = False  # the fast check, on the tree parsed while loading, found it canonical


@dataclass
class RecordSet:
    by_kind: dict[str, list[LoadedRecord]] = field(default_factory=lambda: {k: [] for k in RECORD_KINDS})
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0

    def __getitem__(self, kind: str) -> list[LoadedRecord]:
        return self.by_kind[kind]


def relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()  # cheap, and right for discovered files
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def kind_by_location(rel: str) -> str | None:
    parts = rel.split("/")
    if len(parts) == 3 and parts[0] == "claims" and parts[1] == "predictors":
        return "predictor"
    if len(parts) == 3 and parts[0] == "claims" and _YEAR.match(parts[1]):
        return "claim"
    if len(parts) == 3 and parts[:2] == ["data", "series"]:
        return "series"
    if rel == "data/reference/verbal-probability-scale.yaml":
        return "verbal_scale"
    if rel == "data/reference/publishers.yaml":
        return "publishers"
    if len(parts) == 4 and parts[:3] == ["data", "reference", "collections"]:
        return "collection"
    if len(parts) == 2 and parts[0] == "models":
        return "paradigm"
    return None


def kind_by_modeline(text: str) -> str | None:
    for line in text.splitlines()[:3]:
        match = _MODELINE.search(line)
        if match:
            return _KIND_BY_SCHEMA.get(match.group(1))
    return None


def discover(root: Path) -> list[Path]:
    """Every YAML file in the record folders, in a stable order. Generated schemas are skipped."""
    found: list[Path] = []
    for sub in SCANNED_DIRS:
        base = root.resolve() / sub
        if not base.is_dir():
            continue
        for path in base.rglob("*"):
            if path.suffix in (".yaml", ".yml") and path.is_file() and "_schema" not in path.parts:
                found.append(path)
    return sorted(set(found))


def load_records(root: Path, files: Iterable[Path]) -> RecordSet:
    root = root.resolve()
    result = RecordSet()
    for path in files:
        result.files_read += 1
        rel = relative(path, root)
        record, problems = load_one(path, rel)
        result.problems.extend(problems)
        if record is not None:
            result.by_kind[record.kind].append(record)
    return result


def load_one(path: Path, rel: str) -> tuple[LoadedRecord | None, list[Problem]]:
    def problem(code: str, message: str, line: int = 0, col: int = 0, fld: str = "", fix: str | None = None):
        return Problem(rel, line, col, code, fld, message, fix or RULES[code].fix)

    if path.suffix == ".yml":
        return None, [problem("LOC002", "record files end in .yaml")]
    raw = path.read_bytes()
    try:
        text = decode(raw)
    except RecordFileError as err:
        return None, [problem(err.code, err.message, err.line, err.col)]
    in_record_folder = any(rel.startswith(d + "/") for d in SCANNED_DIRS)
    # Inside the repository the folder decides; a file checked from elsewhere names its schema.
    kind = kind_by_location(rel) if in_record_folder else kind_by_modeline(text)
    if kind is None:
        return None, [problem("LOC001", "this file is not in a folder that holds records")]
    try:
        data, root = parse_text(text)
    except RecordFileError as err:
        return None, [problem(err.code, err.message, err.line, err.col)]
    model = RECORD_KINDS[kind].model
    todo = list(_placeholders(data, ())) if "TODO" in text else []
    problems = []
    if todo:
        index = PositionIndex(text)
        for loc in todo:
            pos = index.find(loc)
            problems.append(problem("TPL001", "still holds the template's TODO placeholder", pos.line, pos.col, format_loc(loc)))
    try:
        record = model.model_validate(data)
    except ValidationError as err:
        return None, problems + problems_from_validation(err, model, rel, text)
    return LoadedRecord(kind, path, rel, record, hashlib.sha256(raw).hexdigest(), fast_is_canonical(text, kind, root)), problems


def _placeholders(value: object, loc: tuple) -> Iterator[tuple]:
    """Locations of strings the template left as TODO (text starting 'TODO', or a TODO host)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _placeholders(v, (*loc, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _placeholders(v, (*loc, i))
    elif isinstance(value, str) and (value.startswith("TODO") or "://TODO." in value or value.startswith("TODO-")):
        yield loc
