"""Where things live in a Track Record repository (see DESIGN.md, "Layout")."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATABASE_NAME = "trackrecord.duckdb"


@dataclass(frozen=True)
class Layout:
    root: Path

    @property
    def claims_dir(self) -> Path:
        return self.root / "claims"

    @property
    def predictors_dir(self) -> Path:
        return self.root / "claims" / "predictors"

    @property
    def series_dir(self) -> Path:
        return self.root / "data" / "series"

    @property
    def reference_dir(self) -> Path:
        return self.root / "data" / "reference"

    @property
    def models_dir(self) -> Path:
        return self.root / "models"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def database(self) -> Path:
        return self.build_dir / DATABASE_NAME

    @property
    def export_dir(self) -> Path:
        return self.build_dir / "export"

    def schema_path(self, kind: str) -> Path:
        from .schema import RECORD_KINDS

        return self.root / RECORD_KINDS[kind].schema_file


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` holding both `claims/` and `pyproject.toml`."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "claims").is_dir() and (folder / "pyproject.toml").is_file():
            return folder
    return here
