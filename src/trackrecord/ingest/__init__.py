"""Ingest upstream datasets into curated series YAML under data/series/, with an origin block.

One adapter per upstream dataset. An adapter reads its upstream files through an `Upstream`:
a local snapshot folder (such as ../shared/data/external/<source>/), a base URL, or — with
neither — the pinned upstream URLs it names, downloaded with `fetch.Fetcher`. It returns series
as plain dicts; this module writes them deterministically (the same input gives the same bytes)
and removes series files the source no longer produces.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import yaml


class IngestError(Exception):
    pass


@dataclass(frozen=True)
class UpstreamFile:
    name: str  # the file's name in the snapshot folder
    content: bytes
    upstream_path: str  # 'owner/repo@commit:path' or a URL: where the bytes originally come from
    url: str | None  # where this run read it, when it came over HTTP

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def text(self, encoding: str = "utf-8-sig") -> str:
        try:
            return self.content.decode(encoding)
        except UnicodeDecodeError as err:
            raise IngestError(f"{self.name}: not {encoding} at byte {err.start}; the adapter expects {encoding}") from None


@dataclass(frozen=True)
class Source:
    """An upstream dataset: its snapshot folder name and, per file, where the bytes come from."""

    name: str
    snapshot: str
    files: dict[str, str]  # snapshot file name -> 'owner/repo@commit:path' or an https URL
    build: Callable[[Upstream], list[dict]]
    description: str = ""

    def default_url(self, file_name: str) -> str | None:
        origin = self.files[file_name]
        if origin.startswith(("http://", "https://")):
            return origin
        match = re.fullmatch(r"([\w.-]+)/([\w.-]+)@([0-9a-f]{40}):(.+)", origin)
        if not match:
            return None  # derived files (e.g. a flattened JSON) have no URL of their own
        owner, repo, commit, path = match.groups()
        return f"https://raw.githubusercontent.com/{owner}/{repo}/{commit}/{quote(path)}"


SOURCES: dict[str, Source] = {}


def source(name: str, snapshot: str, files: dict[str, str], description: str = ""):
    def register(fn: Callable[[Upstream], list[dict]]):
        SOURCES[name] = Source(name, snapshot, files, fn, description or (fn.__doc__ or "").strip().splitlines()[0])
        return fn

    return register


@dataclass
class Upstream:
    """Reads a source's files from a local folder, a base URL, or the source's pinned URLs."""

    source: Source
    location: str | Path | None
    today: dt.date
    fetcher_factory: Callable[[], object] | None = None
    _fetcher: object | None = field(default=None, init=False)
    _read: dict[str, UpstreamFile] = field(default_factory=dict, init=False)

    @property
    def is_local(self) -> bool:
        return self.location is not None and not str(self.location).startswith(("http://", "https://"))

    def read(self, name: str) -> UpstreamFile:
        if name not in self.source.files:
            raise IngestError(f"{self.source.name}: adapter asked for {name!r}, which the source does not declare")
        if name in self._read:
            return self._read[name]
        origin = self.source.files[name]
        if self.is_local:
            path = Path(self.location) / name
            if not path.exists():
                raise IngestError(f"{path} not found; point --from at the {self.source.snapshot} snapshot folder")
            result = UpstreamFile(name, path.read_bytes(), origin, None)
        else:
            url = f"{str(self.location).rstrip('/')}/{quote(name)}" if self.location else self.source.default_url(name)
            if url is None:
                raise IngestError(f"{self.source.name}: {name} is a derived file with no upstream URL; use --from <snapshot folder>")
            fetched = self._get_fetcher().get(url)
            result = UpstreamFile(name, fetched.content, origin, url)
        self._read[name] = result
        return result

    def _get_fetcher(self):
        if self._fetcher is None:
            if self.fetcher_factory is None:
                raise IngestError("no fetcher configured for downloads")
            self._fetcher = self.fetcher_factory()
        return self._fetcher

    def retrieved_date(self) -> dt.date:
        """A snapshot's date comes from its SOURCE.md; a download's is today (kept if unchanged)."""
        if not self.is_local:
            return self.today
        return retrieved_date(Path(self.location))


def retrieved_date(source_dir: Path) -> dt.date:
    """The 'Retrieved: YYYY-MM-DD' line of a snapshot's SOURCE.md."""
    source_md = source_dir / "SOURCE.md"
    if source_md.exists():
        match = re.search(r"Retrieved:\s*(\d{4}-\d{2}-\d{2})", source_md.read_text(encoding="utf-8"))
        if match:
            return dt.date.fromisoformat(match.group(1))
    raise IngestError(f"{source_md}: no 'Retrieved: YYYY-MM-DD' line; cannot state when the data were retrieved")


class _SeriesDumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True  # records never use anchors or aliases (YAML004): a value used twice is written twice


def _str(dumper: yaml.SafeDumper, value: str):
    style = ">" if len(value) > 100 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _float(dumper: yaml.SafeDumper, value: float):
    # repr() is the shortest string that round-trips; YAML 1.2 needs a dot or exponent to stay a float.
    text = repr(value)
    if text in ("inf", "-inf", "nan"):
        raise IngestError(f"refusing to write non-finite value {text}")
    if "e" in text and "." not in text.split("e")[0]:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}.0e{exponent}"
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


def _list(dumper: yaml.SafeDumper, value: list):
    # Short lists of plain values (tags) read best inline; lists of points as blocks.
    flow = all(not isinstance(v, (dict, list)) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_SeriesDumper.add_representer(str, _str)
_SeriesDumper.add_representer(float, _float)
_SeriesDumper.add_representer(list, _list)


def dump_record(record: dict) -> str:
    """A record as block YAML in the layout `check --fix` keeps (long strings folded, tags inline)."""
    return yaml.dump(record, Dumper=_SeriesDumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


HEADER = "# yaml-language-server: $schema=../_schema/series.json\n# Written by `trackrecord ingest {name}`; edit the adapter, not this file.\n"


def dump_series(series: dict, source_name: str) -> str:
    from ..records.fix import canonical_or_as_is

    body = dump_record(series)
    return canonical_or_as_is(HEADER.format(name=source_name) + body, "series")


def _previous(path: Path) -> dict:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}


def _keep_disputes(series: dict, previous: dict) -> None:
    """Curators mark disputed points in the series file; a rewrite from upstream keeps each mark on
    the point with the same system and date."""
    marks = {(str(p.get("system")), str(p.get("date"))): p["disputed"] for p in previous.get("points") or [] if isinstance(p, dict) and p.get("disputed")}
    for point in series.get("points", []):
        mark = marks.get((str(point.get("system")), str(point.get("date"))))
        if mark is not None:
            point["disputed"] = mark


def run_ingest(
    name: str,
    location: str | Path | None,
    out_dir: Path,
    *,
    today: dt.date,
    fetcher_factory: Callable[[], object] | None = None,
) -> list[Path]:
    if name not in SOURCES:
        raise IngestError(f"unknown source {name!r}; known: {', '.join(sorted(SOURCES))}")
    spec = SOURCES[name]
    upstream = Upstream(spec, location, today, fetcher_factory)
    produced = spec.build(upstream)
    out_dir.mkdir(parents=True, exist_ok=True)
    texts: dict[Path, str] = {}
    for series in produced:
        path = out_dir / f"{series['id']}.yaml"
        if path in texts:
            raise IngestError(f"{name}: two series with id {series['id']!r}")
        origin = series["origin"]
        before = _previous(path)
        _keep_disputes(series, before)
        previous = before.get("origin") or {}
        # Unchanged upstream bytes keep the date they were first retrieved, so re-running a
        # download on an unchanged upstream changes no byte.
        if not upstream.is_local and previous.get("checksum_sha256") == origin.get("checksum_sha256"):
            origin["retrieved_date"] = previous.get("retrieved_date", origin["retrieved_date"])
        texts[path] = dump_series(series, name)
    # Render everything before writing anything: an adapter error leaves data/ untouched.
    for path, text in texts.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            tmp = path.with_name(f".tmp-{path.name}")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
    marker = f"# Written by `trackrecord ingest {name}`;"
    for stale in sorted(out_dir.glob("*.yaml")):
        if stale not in texts and marker in stale.read_text(encoding="utf-8").split("\n", 2)[1]:
            stale.unlink()
    return sorted(texts)


from . import (  # noqa: E402,F401  (each module registers its sources)
    compute_trends,
    epoch_benchmarks,
    epoch_hardware,
    epoch_models,
    epoch_prices,
    metr,
    swe_bench,
)
