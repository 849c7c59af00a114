"""Run by mkdocs-gen-files during `mkdocs build` / `mkdocs serve` (see mkdocs.yml): generates the
pages from the database. `trackrecord site` sets TRACKRECORD_SITE_DB; by default it is the
repository's build/trackrecord.duckdb."""

from __future__ import annotations

import os
from pathlib import Path

import mkdocs_gen_files

from trackrecord.site.build import GenFilesWriter, generate_for_mkdocs

root = Path(os.environ.get("TRACKRECORD_SITE_ROOT", Path.cwd()))
generate_for_mkdocs(root, GenFilesWriter(mkdocs_gen_files))
