"""Shared fixtures: a copy of the small valid repository, and running the CLI in-process."""

from __future__ import annotations

import contextlib
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from trackrecord.cli import main

TESTS = Path(__file__).parent
GOOD = TESTS / "records" / "good"
BAD = TESTS / "records" / "bad"
REPO = TESTS.parent
TODAY = "2026-11-23"
# The day the real record was last curated: tests that check the repository itself run as of then,
# since a resolution recorded that day is after TODAY.
RECORD_TODAY = "2026-12-02"


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*args: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse errors
            code = int(exit_.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def good_repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(GOOD, root)
    return root


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(scope="session")
def scored_repo(tmp_path_factory) -> Path:
    """The small scored repository (tests/scored_repo.py), built, fitted and scored once per session."""
    from scored_repo import build_scored_repo

    root = build_scored_repo(tmp_path_factory.mktemp("scored") / "repo")
    add_site_sources(root)
    return root


def add_site_sources(root: Path) -> None:
    """What `trackrecord site` needs besides the records, as in the project repository: mkdocs.yml,
    the hand-written pages under site/, CONTRIBUTING.md, CITATION.cff (the citations name it), and
    the gen-files script and theme overrides mkdocs.yml names."""
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copy2(REPO / "CONTRIBUTING.md", root / "CONTRIBUTING.md")
    shutil.copy2(REPO / "CITATION.cff", root / "CITATION.cff")
    shutil.copytree(REPO / "site", root / "site", dirs_exist_ok=True)
    script = Path("src/trackrecord/site/gen_pages.py")
    (root / script).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / script, root / script)
    shutil.copytree(REPO / script.parent / "overrides", root / script.parent / "overrides", dirs_exist_ok=True)


def site_query(site: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of a query on the database a built site (build/site) was made from."""
    import duckdb

    con = duckdb.connect(str(site.parent / "trackrecord.duckdb"), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="session")
def built_site(scored_repo) -> Path:
    """`trackrecord site` run on the scored repository: returns build/site."""
    result = run_cli("--root", str(scored_repo), "--as-of", TODAY, "site", "--quiet")
    assert result.code == 0, result.err
    return scored_repo / "build" / "site"


@pytest.fixture(scope="session")
def hostile_site(scored_repo, tmp_path_factory) -> tuple[Path, dict]:
    """The scored repository with hostile text injected into its database (tests/site_hostile.py),
    built into a site: returns (build/site, the ids of the records carrying the payloads)."""
    from site_hostile import inject

    root = tmp_path_factory.mktemp("hostile") / "repo"
    def built_site_folders(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if Path(folder).name == "build" and (n == "site" or n.startswith(".site-"))]

    shutil.copytree(scored_repo, root, ignore=built_site_folders)
    touched = inject(root / "build" / "trackrecord.duckdb")
    result = run_cli("--root", str(root), "--as-of", TODAY, "site", "--quiet")
    assert result.code == 0, result.err
    return root / "build" / "site", touched
