"""Download upstream files politely: timeouts, retries with backoff, a size cap, and a
conditional-request cache under build/ so an unchanged upstream is not downloaded twice.

The client is injectable so tests run against httpx.MockTransport and never touch the network.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from . import IngestError

DEFAULT_TIMEOUT_SECONDS = 30.0
DEFAULT_MAX_BYTES = 200 * 1024 * 1024  # the largest snapshot (Epoch's full model list) is ~5 MB
DEFAULT_RETRIES = 4
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
PROJECT_URL = "https://github.com/track-record/track-record"  # the contact named in every User-Agent we send
USER_AGENT = f"trackrecord-ingest (+{PROJECT_URL})"


@dataclass(frozen=True)
class Fetched:
    url: str
    content: bytes
    from_cache: bool


class Fetcher:
    """GET with a cache keyed by URL: the body plus the ETag / Last-Modified it came with."""

    def __init__(
        self,
        cache_dir: Path,
        *,
        client: httpx.Client | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        retries: int = DEFAULT_RETRIES,
        backoff_seconds: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.cache_dir = cache_dir
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(DEFAULT_TIMEOUT_SECONDS, connect=10.0),
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT},
        )
        self.max_bytes = max_bytes
        self.retries = retries
        self.backoff_seconds = backoff_seconds
        self.sleep = sleep

    def _cache_paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode()).hexdigest()[:24]
        return self.cache_dir / f"{key}.body", self.cache_dir / f"{key}.json"

    def get(self, url: str) -> Fetched:
        body_path, meta_path = self._cache_paths(url)
        headers = {}
        if body_path.exists() and meta_path.exists():
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("etag"):
                headers["If-None-Match"] = meta["etag"]
            if meta.get("last_modified"):
                headers["If-Modified-Since"] = meta["last_modified"]

        for attempt in range(self.retries + 1):
            try:
                status, response_headers, content = self._get_once(url, headers)
            except httpx.TransportError as err:  # timeouts, refused connections, resets
                if attempt == self.retries:
                    raise IngestError(f"{url}: {type(err).__name__} after {attempt + 1} attempts: {err}") from None
                self.sleep(self.backoff_seconds * 2**attempt)
                continue
            if status in RETRY_STATUSES and attempt < self.retries:
                self.sleep(_retry_after(response_headers) or self.backoff_seconds * 2**attempt)
                continue
            break

        if status == 304:
            return Fetched(url, body_path.read_bytes(), from_cache=True)
        if status != 200:
            raise IngestError(f"{url}: HTTP {status}; check the URL or try again later")
        self._store(body_path, meta_path, url, content, response_headers)
        return Fetched(url, content, from_cache=False)

    def _get_once(self, url: str, headers: dict[str, str]) -> tuple[int, httpx.Headers, bytes]:
        with self.client.stream("GET", url, headers=headers) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > self.max_bytes:
                raise IngestError(f"{url}: {int(declared):,} bytes is over the {self.max_bytes:,}-byte limit")
            if response.status_code != 200:
                return response.status_code, response.headers, b""
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.max_bytes:  # a server may not declare the length, or lie about it
                    raise IngestError(f"{url}: more than the {self.max_bytes:,}-byte limit; refusing the rest")
                chunks.append(chunk)
            return 200, response.headers, b"".join(chunks)

    def _store(self, body_path: Path, meta_path: Path, url: str, content: bytes, headers: httpx.Headers) -> None:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        meta = {"url": url, "etag": headers.get("ETag"), "last_modified": headers.get("Last-Modified")}
        for path, data in ((body_path, content), (meta_path, json.dumps(meta).encode())):
            tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
            tmp.write_bytes(data)
            tmp.replace(path)


def _retry_after(headers: httpx.Headers) -> float | None:
    value = headers.get("Retry-After", "")
    return min(float(value), 60.0) if value.isdigit() else None
