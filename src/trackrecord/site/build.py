"""`trackrecord site`: generate the pages from the database and build build/site/ with MkDocs.

MkDocs runs in a subprocess (its logging and strict-mode counting stay its own); mkdocs-gen-files
calls gen_pages.py inside it, which calls `generate_for_mkdocs` here. The site is built into a
temporary folder next to build/site and swapped in only when the build succeeded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import yaml

from ..paths import Layout
from .citations import CitationError, Dataset, read_dataset
from .generate import generate
from ..db.lock import open_database

DB_ENV = "TRACKRECORD_SITE_DB"
ROOT_ENV = "TRACKRECORD_SITE_ROOT"
QUIET_ENV = "TRACKRECORD_SITE_QUIET"
NEEDED = {
    "rec_claims": "trackrecord build",
    "fit_comparisons": "trackrecord fit",
    "score_claims": "trackrecord score",
    "score_predictor_slices": "trackrecord score",
}


class SiteError(Exception):
    pass


class GenFilesWriter:
    """Writes through mkdocs-gen-files, which adds the files to the MkDocs build (and to `serve`)."""

    def __init__(self, gen_files) -> None:
        self.gen_files = gen_files

    def text(self, path: str, content: str) -> None:
        with self.gen_files.open(path, "w", encoding="utf-8") as f:
            f.write(content)

    def binary(self, path: str, content: bytes) -> None:
        with self.gen_files.open(path, "wb") as f:
            f.write(content)


def missing_tables(database: Path) -> list[str]:
    """What is missing from the database for a site, as 'table (run: command)'."""
    if not database.is_file():
        return [f"{database} (run: make, or trackrecord build, fit and score)"]
    con = open_database(database, read_only=True)
    try:
        have = {n for (n,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    finally:
        con.close()
    return [f"{t} (run: {cmd})" for t, cmd in NEEDED.items() if t not in have]


def dataset(root: Path) -> Dataset:
    """CITATION.cff, which every page's citation names; a SiteError saying what is wrong with it."""
    try:
        return read_dataset(root / "CITATION.cff")
    except CitationError as error:
        raise SiteError(str(error)) from None


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for one key: tags such as !!python/name (allowed there) load as None."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def declared_site_url(root: Path) -> str | None:
    """The public site's address if the project declares one: mkdocs.yml `site_url`, else
    CITATION.cff `url`. Read from the files, not from MkDocs' config, because `mkdocs serve` sets
    site_url to its own local address."""
    config = root / "mkdocs.yml"
    if config.is_file():
        declared = (yaml.load(config.read_text(encoding="utf-8"), Loader=_AnyTagLoader) or {}).get("site_url")
        if isinstance(declared, str) and declared.strip():
            return declared.strip()
    return dataset(root).url if (root / "CITATION.cff").is_file() else None


def generate_for_mkdocs(root: Path, writer) -> None:
    database = Path(os.environ.get(DB_ENV) or Layout(root).database)
    problems = missing_tables(database)
    if problems:
        raise SiteError("the site needs a built, fitted and scored database; missing: " + "; ".join(problems))
    cited = dataset(root)
    contributing = root / "CONTRIBUTING.md"
    if contributing.is_file():
        writer.text("contribute.md", contributing.read_text(encoding="utf-8"))
    generate(database, writer, dataset=cited, site_url=declared_site_url(root), cache_dir=Layout(root).build_dir / "cache" / "site",
             quiet=bool(os.environ.get(QUIET_ENV)))


def _env(layout: Layout, database: Path, quiet: bool) -> dict:
    env = dict(os.environ)
    # Material and a plugin print banners about MkDocs 2 on every build; they are not about this site.
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    env.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
    env[DB_ENV] = str(database)
    env[ROOT_ENV] = str(layout.root)
    if quiet:
        env[QUIET_ENV] = "1"
    return env


def build_site(layout: Layout, *, database: Path | None = None, out: Path | None = None, quiet: bool = False) -> Path:
    database = database or layout.database
    problems = missing_tables(database)
    if problems:
        raise SiteError("the site needs a built, fitted and scored database; missing: " + "; ".join(problems))
    dataset(layout.root)  # a broken CITATION.cff is reported here, in one line, not from inside MkDocs
    target = out or layout.build_dir / "site"
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=target.parent))
    try:
        cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--config-file", str(layout.root / "mkdocs.yml"),
               "--site-dir", str(staging)]
        result = subprocess.run(cmd, env=_env(layout, database, quiet), cwd=layout.root)
        if result.returncode != 0:
            raise SiteError(f"mkdocs build failed (exit {result.returncode}); its messages are above")
        old = None
        if target.exists():
            old = target.with_name(target.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
        staging.rename(target)
        if old:
            shutil.rmtree(old, ignore_errors=True)
        return target
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def serve_site(layout: Layout, *, address: str = "127.0.0.1:8000") -> int:
    problems = missing_tables(layout.database)
    if problems:
        raise SiteError("the site needs a built, fitted and scored database; missing: " + "; ".join(problems))
    dataset(layout.root)
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--config-file", str(layout.root / "mkdocs.yml"), "--dev-addr", address]
    return subprocess.run(cmd, env=_env(layout, layout.database, False), cwd=layout.root).returncode
