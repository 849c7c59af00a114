"""`trackrecord links`: check every URL the records cite, or add Wayback snapshots with --archive.

Output follows `trackrecord check`: one line per citing record on stdout,
`path:line: field: status url — detail`, and a summary on stderr.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from ..errors import Severity
from ..records.check import check_repository
from ..records.load import RecordSet, discover, load_records
from ..atomic import write_atomically
from .archive import WAYBACK_AVAILABILITY_API, ArchiveWriteError, SnapshotLookup, insert_archive_url, is_archive_url, lookup_snapshot
from .cache import LinkCache
from .checker import BROKEN, CheckSettings, LinkChecker, LinkResult, LinkStatus, Sleep, make_client
from .citations import Citation, collect_citations

Print = Callable[[str], None]
REPORT_ORDER = (LinkStatus.DEAD, LinkStatus.ERROR, LinkStatus.UNREACHABLE, LinkStatus.BLOCKED, LinkStatus.REDIRECTED)


@dataclass
class Options:
    today: dt.date
    max_age_days: int = 7
    refresh: bool = False
    verbose: bool = False  # also list redirected links with where they end
    settings: CheckSettings = field(default_factory=CheckSettings)
    wayback_api: str = WAYBACK_AVAILABILITY_API
    transport: httpx.AsyncBaseTransport | None = None  # tests: httpx.MockTransport
    sleep: Sleep = asyncio.sleep


@dataclass
class LinksReport:
    results: dict[str, LinkResult]
    citations: dict[str, list[Citation]]
    requested: int  # URLs asked over the network in this run
    from_cache: int

    @property
    def counts(self) -> Counter:
        return Counter(result.status for result in self.results.values())

    @property
    def dead(self) -> list[str]:
        return [url for url, result in self.results.items() if result.status is LinkStatus.DEAD]


def load_for_links(root: Path, paths: list[Path] | None, err: Print) -> RecordSet:
    """The records in `paths` (default: all); files that do not pass `check` are named and skipped."""
    files = discover(root) if not paths else _expand(paths)
    records = load_records(root, files)
    unreadable = sorted({problem.path for problem in records.problems if problem.severity is Severity.ERROR})
    for rel in unreadable:
        err(f"{rel}: skipped, it does not pass `trackrecord check {rel}`")
    missing = [p for p in (paths or []) if not p.exists()]
    for path in missing:
        err(f"{path}: no such file or folder")
    return records


def _expand(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        path = path.resolve()
        if path.is_dir():
            found.extend(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file() and "_schema" not in p.parts)
        elif path.is_file():
            found.append(path)
    return sorted(set(found))


def check_links(root: Path, paths: list[Path] | None, options: Options, cache_dir: Path, out: Print, err: Print) -> tuple[int, LinksReport]:
    records = load_for_links(root, paths, err)
    citations = collect_citations(records)
    cache = LinkCache(cache_dir).load()
    if cache.warning:
        err(cache.warning)
    results: dict[str, LinkResult] = {}
    stale: list[str] = []
    for url in citations:
        cached = None if options.refresh else cache.fresh(url, options.today, options.max_age_days)
        if cached is not None:
            results[url] = cached
        else:
            stale.append(url)
    if stale:
        err(f"checking {len(stale)} of {len(citations)} URLs ({len(citations) - len(stale)} checked in the last {options.max_age_days} days)")
        checked = asyncio.run(_check_urls(stale, options))
        results.update(checked)
        cache.update(checked)
        try:
            cache.save()
        except OSError as error:
            err(f"{cache.path}: could not save the link cache ({error}); the next run checks everything again")
    report = LinksReport({url: results[url] for url in citations}, citations, len(stale), len(citations) - len(stale))
    _print_report(report, options, out, err)
    return (1 if report.dead else 0), report


async def _check_urls(urls: list[str], options: Options) -> dict[str, LinkResult]:
    async with make_client(options.settings, options.transport) as client:
        checker = LinkChecker(client, options.today, options.settings, sleep=options.sleep)
        return await checker.check_all(urls)


def _print_report(report: LinksReport, options: Options, out: Print, err: Print) -> None:
    shown = REPORT_ORDER if options.verbose else BROKEN
    for status in shown:
        for url, result in report.results.items():
            if result.status is not status:
                continue
            cached = f" (as checked {result.checked_date})" if result.checked_date != options.today else ""
            for citation in report.citations[url]:
                out(f"{citation.where()}: {status} {url} — {result.detail}{cached}")
    counts = report.counts
    by_status = ", ".join(f"{counts.get(status, 0)} {status}" for status in LinkStatus)
    dead_cited = sum(len(report.citations[url]) for url in report.dead)
    verdict = f"{len(report.dead)} dead, cited {dead_cited} time{'s' if dead_cited != 1 else ''}" if report.dead else "no dead links"
    err(
        f"trackrecord links: {verdict}; {len(report.results)} URLs ({report.requested} checked now, "
        f"{report.from_cache} from the cache): {by_status}"
    )
    if counts.get(LinkStatus.BLOCKED):
        err("blocked links answered 401/403/429 to a script; open them in a browser before replacing them")


# --- --archive ---------------------------------------------------------------------------------


@dataclass
class ArchiveReport:
    lookups: dict[str, SnapshotLookup]
    written: list[str]  # files that got an archive_url
    refused: list[str]  # files that could not take one safely


def archive_sources(root: Path, paths: list[Path] | None, options: Options, out: Print, err: Print) -> tuple[int, ArchiveReport]:
    """For each claim source without archive_url, write the Wayback snapshot the API returns."""
    records = load_for_links(root, paths, err)
    wanting: dict[str, list] = {}
    for loaded in records["claim"]:
        source = loaded.record.source
        if source.url is not None and source.archive_url is None and not is_archive_url(source.url):
            wanting.setdefault(source.url, []).append(loaded)
    if not wanting:
        err("trackrecord links --archive: every source already has an archive_url")
        return 0, ArchiveReport({}, [], [])
    err(f"asking the Wayback Machine about {len(wanting)} source URLs")
    lookups = asyncio.run(_lookup_all(list(wanting), options))

    written: list[str] = []
    refused: list[str] = []
    for url, lookup in lookups.items():
        for loaded in wanting[url]:
            if lookup.snapshot_url is None:
                out(f"{loaded.relpath}: source.url: {'lookup failed' if lookup.failed else 'no snapshot'} for {url} — {lookup.detail}")
                continue
            try:
                text = loaded.path.read_text(encoding="utf-8")
                write_atomically(loaded.path, insert_archive_url(text, lookup.snapshot_url), fsync=True)
            except ArchiveWriteError as error:
                refused.append(loaded.relpath)
                out(f"{loaded.relpath}: source.archive_url: not written — {error}")
                continue
            except OSError as error:
                refused.append(loaded.relpath)
                out(f"{loaded.relpath}: source.archive_url: not written — {error}")
                continue
            written.append(loaded.relpath)
            out(f"{loaded.relpath}: source.archive_url: added {lookup.snapshot_url}")

    status = 0
    if written:
        # The promise to contributors: a record we rewrote still passes `trackrecord check`.
        checked = check_repository(root, options.today, [root / rel for rel in written])
        for problem in checked.errors:
            out(problem.format_text())
        if checked.errors:
            status = 1
    found = sum(1 for lookup in lookups.values() if lookup.snapshot_url)
    failed = sum(1 for lookup in lookups.values() if lookup.failed)
    err(
        f"trackrecord links --archive: {len(lookups)} source URLs: {found} with a snapshot, "
        f"{len(lookups) - found - failed} without, {failed} lookups failed; {len(written)} files written"
        + (f", {len(refused)} refused" if refused else "")
    )
    return (1 if refused else status), ArchiveReport(lookups, written, refused)


async def _lookup_all(urls: list[str], options: Options) -> dict[str, SnapshotLookup]:
    async with make_client(options.settings, options.transport) as client:
        checker = LinkChecker(client, options.today, options.settings, sleep=options.sleep)
        found = await asyncio.gather(*(lookup_snapshot(checker, url, options.wayback_api) for url in urls))
    return dict(zip(urls, found, strict=True))
