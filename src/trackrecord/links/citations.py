"""Which records cite which URL, and in which field: every URL field of every kind of record."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..records.load import RecordSet
from ..records.validate import format_loc
from ..records.yaml_io import PositionIndex


@dataclass(frozen=True, order=True)
class Citation:
    relpath: str  # the record file, relative to the repository root
    field: str  # dotted path such as 'resolution.evidence[0].url'
    loc: tuple  # the same path as a tuple, for finding the line
    path: Path

    @property
    def line(self) -> int:
        return _position_index(self.path, self.path.stat().st_mtime_ns).find(self.loc).line

    def where(self) -> str:
        return f"{self.relpath}:{self.line}: {self.field}"


def is_url_field(name: str) -> bool:
    # url, read_at, source_url, archive_url, url_download: the schema's naming for every HttpUrl field.
    return name in ("url", "read_at") or name.endswith("_url") or name.startswith("url_")


def collect_citations(records: RecordSet) -> dict[str, list[Citation]]:
    """URL → the citations of it, URLs in first-cited order and citations sorted by file and field."""
    cited: dict[str, list[Citation]] = {}
    everything = sorted((r for loaded in records.by_kind.values() for r in loaded), key=lambda r: r.relpath)
    for loaded in everything:
        data = loaded.record.model_dump(mode="json", exclude_none=True)
        for loc, url in _url_values(data, ()):
            cited.setdefault(url, []).append(Citation(loaded.relpath, format_loc(loc), loc, loaded.path))
    return {url: sorted(found) for url, found in cited.items()}


def _url_values(value: object, loc: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and is_url_field(key):
                yield (*loc, key), item
            else:
                yield from _url_values(item, (*loc, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _url_values(item, (*loc, i))


@lru_cache(maxsize=256)
def _position_index(path: Path, mtime_ns: int) -> PositionIndex:
    # Positions are only needed for the few links reported, so files are parsed for them lazily;
    # the modification time in the key keeps a rewritten file from answering with old lines.
    return PositionIndex(path.read_text(encoding="utf-8-sig"))
