"""Ingest upstream datasets into curated series YAML under data/series/, with an origin block.

Each adapter reads an upstream file (a snapshot such as ../shared/data/external/<source>/) and
writes series files deterministically: the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import yaml

ADAPTERS: dict[str, Callable[[Path], list[dict]]] = {}


class IngestError(Exception):
    pass


def adapter(name: str):
    def register(fn: Callable[[Path], list[dict]]):
        ADAPTERS[name] = fn
        return fn

    return register


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def retrieved_date(source_dir: Path) -> dt.date:
    """The 'Retrieved: YYYY-MM-DD' line of a snapshot's SOURCE.md."""
    source_md = source_dir / "SOURCE.md"
    if source_md.exists():
        match = re.search(r"Retrieved:\s*(\d{4}-\d{2}-\d{2})", source_md.read_text(encoding="utf-8"))
        if match:
            return dt.date.fromisoformat(match.group(1))
    raise IngestError(f"{source_md}: no 'Retrieved: YYYY-MM-DD' line; cannot state when the data were retrieved")


class _SeriesDumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str):
    style = ">" if len(value) > 100 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper: yaml.SafeDumper, value: list):
    # Short lists of plain values (tags) read best inline; lists of points as blocks.
    flow = all(not isinstance(v, (dict, list)) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_SeriesDumper.add_representer(str, _str)
_SeriesDumper.add_representer(list, _list)


def dump_series(series: dict) -> str:
    body = yaml.dump(series, Dumper=_SeriesDumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return "# yaml-language-server: $schema=../_schema/series.json\n# Written by `trackrecord ingest`; edit the adapter, not this file.\n" + body


def run_ingest(name: str, source: Path, out_dir: Path) -> list[Path]:
    if name not in ADAPTERS:
        raise IngestError(f"unknown source {name!r}; known: {', '.join(sorted(ADAPTERS))}")
    written = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for series in ADAPTERS[name](source):
        path = out_dir / f"{series['id']}.yaml"
        text = dump_series(series)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            tmp = path.with_suffix(".yaml.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
        written.append(path)
    return written


from . import metr  # noqa: E402,F401  (registers the adapter)
