"""Archived copies of sources: ask the Wayback Machine, write what it answers into `source.archive_url`.

The availability API (https://archive.org/help/wayback_api.php) answers
`{"archived_snapshots": {"closest": {"available": true, "url": ..., "timestamp": ..., "status": "200"}}}`
for an archived URL and `{"archived_snapshots": {}}` otherwise. Only a snapshot that is available
and was captured with status 200 is written, exactly as the API gave it; nothing is ever made up.

Writing keeps the file as it was, byte for byte, apart from the one new line. ruamel.yaml reads the
file round-trip (with comments and positions) and renders the new value; the line is then
inserted where the schema's field order puts it. A full ruamel re-dump was tried and rejected:
it re-wraps long quoted scalars and re-indents lists, changing 60 of the 636 record files beyond
the inserted key, and it attaches a comment that precedes the next top-level key to the new key.
The result is parsed again and must equal the old record plus archive_url, or nothing is written.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from ..records.validate import format_loc
from ..records.yaml_io import RecordFileError, load_text
from ..schema.claim import Claim, Source
from .checker import LinkChecker

WAYBACK_AVAILABILITY_API = "https://archive.org/wayback/available"
ARCHIVE_HOSTS = ("web.archive.org", "archive.org")  # a source that is itself an archived copy needs none


class ArchiveWriteError(Exception):
    """A record that cannot take archive_url safely; the message names the field and the fix."""


@dataclass(frozen=True)
class SnapshotLookup:
    url: str
    snapshot_url: str | None  # only ever a URL the API returned
    timestamp: str | None
    detail: str
    failed: bool = False  # the lookup itself failed (network, HTTP status, unreadable answer)


async def lookup_snapshot(checker: LinkChecker, url: str, api_base: str = WAYBACK_AVAILABILITY_API) -> SnapshotLookup:
    try:
        request_url = str(httpx.URL(api_base, params={"url": url}))
    except (httpx.InvalidURL, ValueError) as err:
        return SnapshotLookup(url, None, None, f"availability API URL {api_base!r} is not usable: {err}", failed=True)
    answer = await checker.fetch(request_url, keep_body=True)
    if answer.failure is not None:
        return SnapshotLookup(url, None, None, f"Wayback lookup failed: {answer.detail}", failed=True)
    if answer.status_code != 200:
        extra = f" ({answer.detail})" if answer.detail else ""
        return SnapshotLookup(url, None, None, f"Wayback lookup failed: HTTP {answer.status_code}{extra}", failed=True)
    if answer.truncated:
        return SnapshotLookup(url, None, None, "Wayback lookup failed: the answer was larger than the size cap", failed=True)
    try:
        data = json.loads(answer.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return SnapshotLookup(url, None, None, "Wayback lookup failed: the answer is not JSON", failed=True)
    snapshots = data.get("archived_snapshots") if isinstance(data, dict) else None
    if not isinstance(snapshots, dict):
        return SnapshotLookup(url, None, None, "Wayback lookup failed: the answer has no archived_snapshots", failed=True)
    closest = snapshots.get("closest")
    if not isinstance(closest, dict):
        return SnapshotLookup(url, None, None, "not archived by the Wayback Machine")
    timestamp = closest.get("timestamp") if isinstance(closest.get("timestamp"), str) else None
    if closest.get("available") is not True:
        return SnapshotLookup(url, None, timestamp, "the closest Wayback snapshot is not available")
    if str(closest.get("status")) != "200":
        return SnapshotLookup(url, None, timestamp, f"the closest Wayback snapshot captured HTTP {closest.get('status')}, not 200")
    snapshot = closest.get("url")
    if not _is_web_url(snapshot):
        return SnapshotLookup(url, None, timestamp, f"Wayback lookup failed: unusable snapshot URL {snapshot!r}", failed=True)
    return SnapshotLookup(url, snapshot, timestamp, f"snapshot {timestamp or '(no timestamp)'}")


def is_archive_url(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host in ARCHIVE_HOSTS


def _is_web_url(value: object) -> bool:
    if not isinstance(value, str) or any(c.isspace() for c in value):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def insert_archive_url(text: str, archive_url: str) -> str:
    """`text` with `archive_url:` added to its `source` mapping, in the schema's field order.

    Raises ArchiveWriteError when the file's layout makes that unsafe; the caller then writes nothing.
    """
    yaml = YAML(typ="rt")
    try:
        document = yaml.load(text)
    except YAMLError as err:
        raise ArchiveWriteError(f"the file cannot be read as YAML ({str(err).splitlines()[0]}); run `trackrecord check` on it") from None
    source = document.get("source") if isinstance(document, CommentedMap) else None
    if not isinstance(source, CommentedMap) or not source:
        raise ArchiveWriteError("source: not a mapping of fields; run `trackrecord check` on the file")
    if "archive_url" in source:
        raise ArchiveWriteError("source.archive_url: already set; remove it first to replace it")
    if source.fa.flow_style():
        raise ArchiveWriteError("source: written in flow style ({...}); add archive_url by hand")

    lines = text.splitlines(keepends=True)
    key_col = source.lc.key(next(iter(source)))[1]
    at = _insertion_line(document, source, lines, key_col)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    if at == len(lines) and lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    lines.insert(at, " " * key_col + _render_entry(archive_url) + newline)
    new_text = "".join(lines)
    _verify(text, new_text, archive_url)
    return new_text


def _insertion_line(document: CommentedMap, source: CommentedMap, lines: list[str], key_col: int) -> int:
    order = list(Source.model_fields)
    after = order.index("archive_url")
    later = [key for key in source if key in order and order.index(key) > after]
    if later:
        # Before the first field that comes after archive_url, and before comment lines written
        # directly above that field (they describe it).
        at = source.lc.key(later[0])[0]
        while at > 0 and _is_comment(lines[at - 1]) and _indent(lines[at - 1]) == key_col:
            at -= 1
        return at
    # At the end of the block: before the next top-level key, and before the blank and comment
    # lines that precede that key (a comment less indented than source's fields belongs to it).
    top_keys = list(document)
    position = top_keys.index("source")
    at = document.lc.key(top_keys[position + 1])[0] if position + 1 < len(top_keys) else len(lines)
    while at > 0 and (not lines[at - 1].strip() or (_is_comment(lines[at - 1]) and _indent(lines[at - 1]) < key_col)):
        at -= 1
    return at


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _render_entry(url: str) -> str:
    # ruamel decides whether the URL needs quotes; the width keeps it on one line.
    yaml = YAML(typ="rt")
    yaml.width = 1_000_000
    out = io.StringIO()
    yaml.dump({"archive_url": url}, out)
    rendered = out.getvalue().rstrip("\n")
    if "\n" in rendered:  # pragma: no cover - a URL never needs more than one line
        raise ArchiveWriteError(f"archive URL {url!r} cannot be written on one line")
    return rendered


def _verify(old_text: str, new_text: str, archive_url: str) -> None:
    """The new file must read as the old record plus archive_url, and be a valid claim."""
    try:
        old, new = load_text(old_text), load_text(new_text)
    except RecordFileError as err:
        raise ArchiveWriteError(f"line {err.line}: inserting archive_url would break the file ({err.message}); add it by hand") from None
    expected = dict(old)
    expected["source"] = {**old["source"], "archive_url": archive_url}
    if new != expected:
        raise ArchiveWriteError("source: the file's layout defeats a safe insertion of archive_url; add it by hand")
    try:
        Claim.model_validate(new)
    except ValidationError as err:
        first = err.errors()[0]
        raise ArchiveWriteError(f"the record with archive_url does not validate ({format_loc(first['loc'])}: {first['msg']}); nothing written") from None
