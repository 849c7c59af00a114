"""Writing derived tables (fit_*, score_*) into the database built from the records.

The build writes rec_* from scratch (db/build.py); the later stages replace their own tables here,
through the same bulk load, so every stage's rows reach DuckDB the same way.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Sequence
from pathlib import Path

from .build import insert_rows
from .lock import open_database
from .tables import Table


def write_tables(db_path: Path, build_dir: Path, rows: dict[str, list[dict]], tables: Sequence[Table], *,
                 replace_series: Sequence[str] = (), partial: bool = False, after: tuple[str, ...] = ()) -> None:
    """Replace `tables` (the fit_* or score_* tables) in one transaction: readers see the old tables
    or the new ones, never half. With `partial`, a table that exists keeps its rows except those of
    `replace_series`. `after` runs in the same transaction (views over the new tables). Every row
    must have exactly its table's columns."""
    staging = build_dir / f".tmp-tables-{os.getpid()}"
    staging.mkdir(parents=True, exist_ok=True)
    con = open_database(db_path, read_only=False)
    try:
        con.execute("BEGIN TRANSACTION")
        existing = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        for table in tables:
            names = [n for n, _, _ in table.all_columns]
            for row in rows[table.name]:
                if list(row) != names and set(row) != set(names):
                    raise ValueError(f"{table.name}: row keys {sorted(set(row) ^ set(names))} differ from the columns")
            if partial and table.name in existing:
                con.execute(f"DELETE FROM {table.name} WHERE series_id IN (SELECT unnest(?))", [list(replace_series)])
            else:
                con.execute(f"DROP TABLE IF EXISTS {table.name}")
                con.execute(table.ddl())
                con.execute(";\n".join(table.comments()))
            if rows[table.name]:
                clean = [{k: json_safe(v) for k, v in row.items()} for row in rows[table.name]]
                insert_rows(con, table, clean, staging / f"{table.name}.ndjson")
        for statement in after:
            con.execute(statement)
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.close()
        for p in staging.glob("*"):
            p.unlink()
        staging.rmdir()


def json_safe(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (dt.date,)):
        return value.isoformat()
    if hasattr(value, "item") and type(value).__module__ == "numpy":  # a NumPy scalar, without importing NumPy
        return json_safe(value.item())
    return value
