"""`trackrecord sql`: run a query against the built database, or an interactive prompt."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import duckdb

from .lock import Busy, open_database


def run_query(database: Path, query: str, fmt: str = "table") -> int:
    try:
        con = open_database(database, read_only=True)
    except Busy as err:
        print(f"trackrecord sql: {err}", file=sys.stderr)
        return 2
    try:
        try:
            rel = con.sql(query)
        except duckdb.Error as err:
            print(f"trackrecord sql: {err}", file=sys.stderr)
            return 1
        if rel is None:  # a statement without a result
            return 0
        if fmt == "table":
            print(rel)
        else:
            names = rel.columns
            rows = rel.fetchall()
            if fmt == "csv":
                w = csv.writer(sys.stdout, lineterminator="\n")
                w.writerow(names)
                w.writerows(rows)
            else:
                for row in rows:
                    print(json.dumps(dict(zip(names, row)), default=str, ensure_ascii=False))
        return 0
    finally:
        con.close()


def run_shell(database: Path) -> int:
    if not sys.stdin.isatty():
        return run_query(database, sys.stdin.read())
    print(f"Connected to {database} (read-only). End statements with ';'. Tables: SHOW TABLES; quit: .quit or Ctrl-D")
    buffer = ""
    while True:
        try:
            line = input("trackrecord> " if not buffer else "        ...> ")
        except EOFError:
            print()
            return 0
        if line.strip() in (".quit", ".exit") and not buffer:
            return 0
        buffer += line + "\n"
        if buffer.strip().endswith(";"):
            run_query(database, buffer)
            buffer = ""
