"""The Data page's downloads under download/: the database in a storage format older DuckDBs read,
and every table and view as Parquet and as CSV.

The database is copied (ATTACH with STORAGE_VERSION, then COPY FROM DATABASE) rather than served
as built: DuckDB 2.0 writes a storage format that DuckDB 1.x refuses to open. In the CSV files a
LIST, STRUCT, MAP or ARRAY column is written as JSON (`["medicine","radiology"]`), not as DuckDB's
literal (`[medicine, radiology]`), which no CSV reader can take apart.
"""

from __future__ import annotations

import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import duckdb

# Storage versions to try, oldest first: the download gets the first one the installed DuckDB can
# write that keeps every table, column type, comment and view. DuckDB also accepts older names, but
# writes the same file for all of them up to v1.1 (header version 64), which it labels "v1.0.0+":
# v1.0.0 is the first release whose files every later DuckDB promises to read. None, last: the
# installed DuckDB's own format (a DuckDB without the STORAGE_VERSION option writes an old one).
STORAGE_VERSIONS: tuple[str | None, ...] = ("v1.0.0", "v1.1.0", "v1.2.0", "v1.3.0", "v1.4.0", "v1.5.0", None)
NESTED_TYPE_IDS = frozenset({"list", "struct", "map", "array", "union"})
HEADER = struct.Struct("<8x4sQ")  # checksum, b"DUCK", storage version number (duckdb.org/docs/internals/storage)


class Writer(Protocol):
    def binary(self, path: str, content: bytes) -> None: ...


class DownloadError(Exception):
    pass


@dataclass(frozen=True)
class DatabaseCopy:
    storage_version: str | None  # the STORAGE_VERSION it was written with (None: the installed DuckDB's default)
    opens_in: str  # the DuckDB releases that open it, as DuckDB itself names them ("v1.0.0+")
    header_version: int  # the storage version number in the file's header
    written_by: str  # the DuckDB that wrote it


@dataclass(frozen=True)
class Downloads:
    sizes: dict[str, int]  # bytes per path under download/
    database: DatabaseCopy


def storage_header_version(path: Path) -> int:
    """The storage version number in a DuckDB file's header."""
    with path.open("rb") as f:
        head = f.read(HEADER.size)
    if len(head) < HEADER.size or HEADER.unpack(head)[0] != b"DUCK":
        raise DownloadError(f"{path} is not a DuckDB database file")
    return HEADER.unpack(head)[1]


def catalogue(con: duckdb.DuckDBPyConnection, database: str) -> list[tuple]:
    """What a copy must keep: every table and view with its comment, every column with its type and comment."""
    return con.execute("""
        SELECT 'table', table_name, NULL, comment FROM duckdb_tables() WHERE database_name = $db
        UNION ALL SELECT 'view', view_name, sql, comment FROM duckdb_views() WHERE database_name = $db AND NOT internal
        UNION ALL SELECT 'column', table_name || '.' || column_name, data_type, comment FROM duckdb_columns() WHERE database_name = $db
        ORDER BY ALL""", {"db": database}).fetchall()


def copy_database(source: Path, target: Path) -> DatabaseCopy:
    """`source` copied to `target` in the oldest storage format that keeps everything (STORAGE_VERSIONS)."""
    con = duckdb.connect()
    tried = []
    try:
        con.execute(f"ATTACH '{sql_path(source)}' AS source (READ_ONLY)")
        wanted = catalogue(con, "source")
        for version in STORAGE_VERSIONS:
            target.unlink(missing_ok=True)
            option = f" (STORAGE_VERSION '{version}')" if version else ""
            try:
                con.execute(f"ATTACH '{sql_path(target)}' AS download{option}")
            except duckdb.Error as error:  # a name this DuckDB does not know
                tried.append(f"{version}: {error}")
                continue
            try:
                con.execute("COPY FROM DATABASE source TO download")
                kept = catalogue(con, "download") == wanted
                tags = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = 'download'").fetchone()[0] or {}
            except duckdb.Error as error:  # a type this storage version cannot hold
                kept, tags = False, {}
                tried.append(f"{version}: {error}")
            finally:
                con.execute("DETACH download")
            if kept:
                return DatabaseCopy(version, tags.get("storage_version") or f"v{duckdb.__version__}+",
                                    storage_header_version(target), duckdb.__version__)
            tried.append(f"{version}: the copy lost a table, column type, comment or view")
    finally:
        con.close()
    target.unlink(missing_ok=True)
    raise DownloadError("no storage version keeps the whole database: " + "; ".join(tried))


def sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def csv_select(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """SELECT every column of `name`, the nested ones (LIST, STRUCT, ...) as JSON text."""
    relation = con.sql(f'SELECT * FROM "{name}"')
    columns = []
    for column, kind in zip(relation.columns, relation.types):
        quoted = '"' + column.replace('"', '""') + '"'
        columns.append(f"to_json({quoted}) AS {quoted}" if kind.id in NESTED_TYPE_IDS else quoted)
    return f"SELECT {', '.join(columns)} FROM \"{name}\""


def export_downloads(con: duckdb.DuckDBPyConnection, database: Path, tables: list[str], out: Writer) -> Downloads:
    """The database file, and every table and view as Parquet and CSV, under download/."""
    sizes: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "trackrecord.duckdb"
        info = copy_database(database, copy)
        content = copy.read_bytes()
        out.binary("download/trackrecord.duckdb", content)
        sizes["trackrecord.duckdb"] = len(content)
        for name in tables:
            for fmt, select, options in (("parquet", f'SELECT * FROM "{name}"', "FORMAT parquet"),
                                         ("csv", csv_select(con, name), "FORMAT csv, HEADER")):
                target = Path(tmp) / f"{name}.{fmt}"
                con.execute(f"COPY ({select}) TO '{sql_path(target)}' ({options})")
                content = target.read_bytes()
                out.binary(f"download/{fmt}/{name}.{fmt}", content)
                sizes[f"{fmt}/{name}.{fmt}"] = len(content)
    return Downloads(sizes, info)
