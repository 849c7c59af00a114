"""Benchmark: `trackrecord site` on the curated record (cold and warm chart cache) and on 2,000
generated claims.

    .venv/bin/python benchmarks/bench_site.py

Needs a built, fitted and scored database (`make`). Each run is a fresh process on a scratch copy
of the repository's site sources and database. "Cold" starts with an empty chart cache
(build/cache/site/), so every static SVG is drawn by matplotlib; "warm" reuses it. The 2,000-claim
database is the curated one with its claims (and their scores, evidence and sources) repeated
under new ids until there are 2,000: each generated claim gets its own page, and the
operationalised ones their own chart, so the build does the work 2,000 real claims would need.

This is a benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
TR = [sys.executable, "-m", "trackrecord.cli"]
GENERATED_CLAIMS = 2_000


def scratch_repo(tmp: Path) -> Path:
    root = tmp / "repo"
    root.mkdir()
    for name in ("mkdocs.yml", "CONTRIBUTING.md", "pyproject.toml"):
        shutil.copy2(REPO / name, root / name)
    for folder in ("site", "overrides"):
        shutil.copytree(REPO / folder, root / folder)
    script = Path("src/trackrecord/site/gen_pages.py")
    (root / script).parent.mkdir(parents=True)
    shutil.copy2(REPO / script, root / script)
    (root / "build").mkdir()
    shutil.copy2(REPO / "build" / "trackrecord.duckdb", root / "build" / "trackrecord.duckdb")
    return root


def grow_claims(database: Path, target: int) -> int:
    """Repeat the curated claims under new ids (suffix -gN) until there are `target` claims."""
    con = duckdb.connect(str(database))
    try:
        have = con.execute("SELECT count(*) FROM rec_claims").fetchone()[0]
        con.execute("CREATE TEMP TABLE originals AS SELECT id FROM rec_claims")
        copies = -(-(target - have) // have)
        for n in range(1, copies + 1):
            limit = min(have, target - have * n)
            if limit <= 0:
                break
            con.execute(f"""
                CREATE OR REPLACE TEMP TABLE picked AS SELECT id FROM originals ORDER BY id LIMIT {limit}""")
            con.execute(f"INSERT INTO rec_claims SELECT * REPLACE (id || '-g{n}' AS id) FROM rec_claims WHERE id IN (SELECT id FROM picked)")
            con.execute(f"INSERT INTO rec_evidence SELECT * REPLACE (claim_id || '-g{n}' AS claim_id) FROM rec_evidence WHERE claim_id IN (SELECT id FROM picked)")
            con.execute(f"INSERT INTO score_claims SELECT * REPLACE (claim_id || '-g{n}' AS claim_id) FROM score_claims WHERE claim_id IN (SELECT id FROM picked)")
        return con.execute("SELECT count(*) FROM rec_claims").fetchone()[0]
    finally:
        con.close()


def timed_site(root: Path) -> tuple[float, int]:
    env = dict(os.environ, PYTHONHASHSEED="0")
    start = time.perf_counter()
    subprocess.run([*TR, "--root", str(root), "site", "--quiet"], check=True, env=env, cwd=root)
    seconds = time.perf_counter() - start
    pages = sum(1 for _ in (root / "build" / "site").rglob("index.html"))
    return seconds, pages


def main() -> int:
    if not (REPO / "build" / "trackrecord.duckdb").is_file():
        print("bench_site: no build/trackrecord.duckdb; run `make` first", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        root = scratch_repo(Path(tmp))
        cold, pages = timed_site(root)
        print(f"curated record, cold chart cache: {cold:6.1f} s ({pages} pages)")
        warm, _ = timed_site(root)
        print(f"curated record, warm chart cache: {warm:6.1f} s")
        n = grow_claims(root / "build" / "trackrecord.duckdb", GENERATED_CLAIMS)
        grown, pages = timed_site(root)
        print(f"{n:,} claims (curated repeated), warm cache for the curated charts: {grown:6.1f} s ({pages} pages)")
        shutil.rmtree(root / "build" / "cache", ignore_errors=True)
        grown_cold, _ = timed_site(root)
        print(f"{n:,} claims, cold chart cache: {grown_cold:6.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
