"""Two commands at once: a second writing stage says who holds build/ and exits; temporaries of a
running owner are left alone; a busy database gets a one-line answer naming its holder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import GOOD, TODAY, run_cli


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(GOOD, root)
    return root


def hold(code: str) -> subprocess.Popen:
    """A helper process that runs `code`, prints 'held' and sleeps until killed."""
    script = textwrap.dedent(code) + "\nprint('held', flush=True)\nimport time\ntime.sleep(120)\n"
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_build_while_one_runs_says_who_holds_it(repo: Path):
    build = repo / "build"
    holder = hold(f"""
        from pathlib import Path
        from trackrecord.db.lock import writer_lock
        lock = writer_lock(Path({str(build)!r}), "fit")
        lock.__enter__()
    """)
    try:
        run = run_cli("--root", str(repo), "--as-of", TODAY, "build")
        assert run.code == 2, run.err
        assert f"another `trackrecord fit` is running (pid {holder.pid})" in run.err
        assert "Traceback" not in run.err and len(run.err.strip().splitlines()) == 1
        assert not (build / "trackrecord.duckdb").exists()  # nothing was written
    finally:
        holder.kill()
        holder.wait()
    assert run_cli("--root", str(repo), "--as-of", TODAY, "build").code == 0  # the lock died with its owner


def test_temporaries_of_a_running_owner_are_left_alone(repo: Path):
    build = repo / "build"
    build.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    stale = build / f".tmp-{dead.stdout.strip()}-rows"
    stale.mkdir()
    owner = hold("")
    live = build / f".tmp-{owner.pid}-rows"
    live.mkdir()
    try:
        assert run_cli("--root", str(repo), "--as-of", TODAY, "build").code == 0
        assert not stale.exists()  # its owner is gone
        assert live.exists()  # its owner is still running
    finally:
        owner.kill()
        owner.wait()


def test_sql_while_another_process_holds_the_database(repo: Path):
    assert run_cli("--root", str(repo), "--as-of", TODAY, "build").code == 0
    database = repo / "build" / "trackrecord.duckdb"
    holder = hold(f"""
        import duckdb
        con = duckdb.connect({str(database)!r})
    """)
    try:
        run = run_cli("--root", str(repo), "--as-of", TODAY, "sql", "SELECT count(*) FROM rec_claims")
        assert run.code == 2
        assert f"is in use by process {holder.pid}" in run.err and "wait for it to finish" in run.err
        assert "Traceback" not in run.err and len(run.err.strip().splitlines()) == 1
        fit = run_cli("--root", str(repo), "--as-of", TODAY, "fit")
        assert fit.code == 2 and f"process {holder.pid}" in fit.err and "Traceback" not in fit.err
    finally:
        holder.kill()
        holder.wait()
    assert run_cli("--root", str(repo), "--as-of", TODAY, "sql", "SELECT 1").code == 0
