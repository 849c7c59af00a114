"""`trackrecord build`: check, then write build/trackrecord.duckdb and build/export/*.parquet.

The database is written to a temporary file in build/ and renamed over the old one only when it is
complete, so a failed or killed build leaves the previous database in place. The same goes for the
Parquet export folder. Nothing at all is written when the check finds an error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import duckdb

from .. import __version__
from ..errors import Problem
from ..paths import Layout
from ..records.check import check_repository
from ..records.data_resolution import resolve_from_data
from ..records.load import RecordSet
from ..records.publishers import Registry, host_of
from ..records.rules import phrase_index, scale_phrase, source_key
from ..schema import COPY_KINDS
from . import tables as T
from .lock import owner_pid, pid_alive

TEMP_PREFIX = ".tmp-"


class BuildRefused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} errors")
        self.problems = problems


def build_database(layout: Layout, today: dt.date, progress: Callable[[str], None] = lambda _: None) -> str:
    started = time.perf_counter()
    result = check_repository(layout.root, today)
    if result.errors:
        raise BuildRefused(result.errors)
    records = result.records
    progress(f"checked {records.files_read} files in {time.perf_counter() - started:.1f}s")

    rows = collect_rows(records, today)
    inputs_sha256 = hash_inputs(layout.root, records)
    layout.build_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(layout.build_dir)
    tag = f"{TEMP_PREFIX}{os.getpid()}"
    tmp_db = layout.build_dir / f"{tag}-{layout.database.name}"
    tmp_export = layout.build_dir / f"{tag}-export"
    staging = layout.build_dir / f"{tag}-rows"
    try:
        write_database(tmp_db, staging, rows, build_info(records, inputs_sha256, today))
        export_parquet(tmp_db, tmp_export)
        os.replace(tmp_db, layout.database)
        swap_folder(tmp_export, layout.export_dir)
    finally:
        for leftover in (tmp_db, tmp_export, staging):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            elif leftover.exists():
                leftover.unlink()
    counts = ", ".join(f"{t.name} {len(r)}" for t, r in rows.items())
    return f"built {layout.database.relative_to(layout.root)} in {time.perf_counter() - started:.1f}s: {counts}"


def collect_rows(records: RecordSet, today: dt.date) -> dict[T.Table, list[dict]]:
    rows: dict[T.Table, list[dict]] = {t: [] for t in T.TABLES}
    rows[T.ROLE_CLASSES].extend(T.role_class_rows())
    for item in sorted(records["predictor"], key=lambda r: r.record.id):
        p = item.record
        rows[T.PREDICTORS].append(T.PREDICTORS.row(p))
        for i, a in enumerate(p.affiliations):
            rows[T.AFFILIATIONS].append(T.AFFILIATIONS.row(a, predictor_id=p.id, affiliation_index=i))
        for i, v in enumerate(p.verification):
            rows[T.VERIFICATIONS].append(T.VERIFICATIONS.row(v, record_kind="predictor", record_id=p.id, verification_index=i))
    registries = records["publishers"]
    registry = Registry(registries[0].record if registries else None)
    if registries:
        for p in registries[0].record.publishers:
            rows[T.PUBLISHERS].append(T.PUBLISHERS.row(p, registry_version=registry.version))
    series = {item.record.id: item.record for item in records["series"]}
    phrases = phrase_index(item.record for item in records["verbal_scale"])
    members: dict[str, int] = {}
    sources: dict[str, dict] = {}
    for item in sorted(records["claim"], key=lambda r: r.record.id):
        c = item.record
        key = source_key(c.source)
        rows[T.CLAIMS].append(T.CLAIMS.row(c, source_key=key, confidence_scale_phrase=scale_phrase(c.confidence.phrase, phrases)))
        sources.setdefault(key, source_row(c, key, registry))
        for m in c.collections:
            rows[T.CLAIM_COLLECTIONS].append(T.CLAIM_COLLECTIONS.row(m, claim_id=c.id))
            members[m.collection_id] = members.get(m.collection_id, 0) + 1
        op = c.operationalisation
        if op is not None and op.series_id in series:
            data = resolve_from_data(c, series[op.series_id], today)
            rows[T.DATA_RESOLUTIONS].append(T.DATA_RESOLUTIONS.row(T.DataResolutionRow(
                claim_id=c.id, series_id=data.series_id, data_status=data.status, event_happened=data.event_happened,
                crossed_by_deadline=data.crossed_by_deadline, crossing_date=data.crossing_date, crossing_value=data.crossing_value,
                crossing_system=data.crossing_system, crossing_source_url=data.crossing_source_url,
                data_through_date=data.data_through_date, explanation=data.explanation,
            )))
        for i, e in enumerate(c.resolution.evidence):
            rows[T.EVIDENCE].append(T.EVIDENCE.row(e, claim_id=c.id, evidence_index=i))
        for i, v in enumerate(c.verification):
            rows[T.VERIFICATIONS].append(T.VERIFICATIONS.row(v, record_kind="claim", record_id=c.id, verification_index=i))
    rows[T.SOURCES].extend(sources[key] for key in sorted(sources))
    for item in sorted(records["collection"], key=lambda r: r.record.id):
        col = item.record
        rows[T.COLLECTIONS].append(T.COLLECTIONS.row(col, items_recorded=members.get(col.id, 0), items_left_out=len(col.left_out)))
        for i, v in enumerate(col.verification):
            rows[T.VERIFICATIONS].append(T.VERIFICATIONS.row(v, record_kind="collection", record_id=col.id, verification_index=i))
    for item in sorted(records["series"], key=lambda r: r.record.id):
        s = item.record
        rows[T.METRIC_SERIES].append(T.METRIC_SERIES.row(s))
        flags = T.frontier_flags(s.points, s.better == "higher")
        for i, (point, flag) in enumerate(zip(s.points, flags)):
            rows[T.METRIC_POINTS].append(T.METRIC_POINTS.row(point, series_id=s.id, point_index=i, is_frontier=flag))
    for item in sorted(records["paradigm"], key=lambda r: r.record.id):
        rows[T.PARADIGMS].append(T.PARADIGMS.row(item.record))
    for item in records["verbal_scale"]:
        scale = item.record
        for phrase in scale.phrases:
            rows[T.VERBAL_PROBABILITIES].append(T.VERBAL_PROBABILITIES.row(phrase, scale_version=scale.version))
        for source in scale.sources:
            rows[T.VERBAL_SOURCES].append(T.VERBAL_SOURCES.row(source, scale_version=scale.version))
    return rows


def source_row(claim, key: str, registry: Registry) -> dict:
    s = claim.source
    entry, copy = registry.lookup(s.url), registry.lookup(s.read_at)
    kind = getattr(s.kind, "value", s.kind)
    if s.url is None or (entry is not None and entry.kind in COPY_KINDS):
        quality = "copy_only"
    elif s.read_at is not None:
        quality = "original_via_copy"
    elif kind == "primary":
        quality = "primary"
    elif entry is None:
        quality = "unknown_publisher"
    else:
        quality = "original_publisher"
    return T.SOURCES.row(
        s, source_key=key, source_host=host_of(s.url) if s.url else None, source_publisher_kind=entry.kind if entry else None,
        source_read_at_host=host_of(s.read_at) if s.read_at else None, source_read_at_kind=copy.kind if copy else None,
        source_quality=quality,
    )


def hash_inputs(root: Path, records: RecordSet) -> str:
    """SHA-256 over every record file's path and bytes: equal inputs, equal hash."""
    digest = hashlib.sha256()
    for item in sorted((i for items in records.by_kind.values() for i in items), key=lambda i: i.relpath):
        digest.update(f"{item.relpath}\0{item.sha256}\0".encode())
    return digest.hexdigest()


def build_info(records: RecordSet, inputs_sha256: str, today: dt.date) -> dict:
    return {
        "trackrecord_version": __version__,
        "duckdb_version": duckdb.__version__,
        "as_of_date": today.isoformat(),
        "inputs_sha256": inputs_sha256,
        "files": records.files_read,
    }


def write_database(path: Path, staging: Path, rows: dict[T.Table, list[dict]], info: dict) -> None:
    staging.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        # One transaction for all DDL and comments: a commit per statement costs more than the data.
        con.execute("BEGIN TRANSACTION")
        for table in rows:
            con.execute(table.ddl())
            con.execute(";\n".join(table.comments()))
        con.execute("COMMIT")
        for table, table_rows in rows.items():
            if table_rows:
                insert_rows(con, table, table_rows, staging / f"{table.name}.ndjson")
        con.execute(
            "CREATE TABLE rec_build (trackrecord_version VARCHAR, duckdb_version VARCHAR, as_of_date DATE, inputs_sha256 VARCHAR, files INTEGER)"
        )
        con.execute("COMMENT ON TABLE rec_build IS 'The build that wrote this database: versions, as-of date and a hash of the input records.'")
        con.execute("INSERT INTO rec_build VALUES (?, ?, ?, ?, ?)", list(info.values()))
        con.execute(resources.files("trackrecord.db").joinpath("views.sql").read_text(encoding="utf-8"))
        con.execute("CHECKPOINT")
    finally:
        con.close()


def insert_rows(con: duckdb.DuckDBPyConnection, table: T.Table, table_rows: list[dict], path: Path) -> None:
    # One bulk read of newline-delimited JSON is far faster than row-by-row inserts.
    encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
    path.write_text("\n".join(map(encode, table_rows)) + "\n", encoding="utf-8")
    types = ", ".join(f"{T.sql_string(n)}: {T.sql_string(t)}" for n, t, _ in table.all_columns)
    names = ", ".join(f'"{n}"' for n, _, _ in table.all_columns)
    con.execute(
        f"INSERT INTO {table.name} ({names}) SELECT {names} FROM read_json(?, format='newline_delimited', columns={{{types}}}, maximum_object_size=67108864)",
        [str(path)],
    )


def export_parquet(db_path: Path, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY table_name").fetchall()]
        for name in names:
            con.execute(f"COPY (SELECT * FROM {name}) TO ? (FORMAT parquet)", [str(folder / f"{name}.parquet")])
    finally:
        con.close()


def swap_folder(new: Path, target: Path) -> None:
    old = target.with_name(f"{TEMP_PREFIX}old-{os.getpid()}-{target.name}")
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def remove_stale_temporaries(build_dir: Path) -> None:
    """Leftovers of a killed build are ours to remove; they never replace good files. A temporary
    whose owner (the pid in its name) is still running is left alone."""
    for path in build_dir.glob(f"{TEMP_PREFIX}*"):
        owner = owner_pid(path.name)
        if owner is not None and owner != os.getpid() and pid_alive(owner):
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
