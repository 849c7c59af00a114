"""Downloads: retries with backoff, conditional requests, the size cap, and ingest over HTTP — all
against httpx.MockTransport, never the network."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest
import yaml

from conftest import TESTS

from trackrecord.ingest import SOURCES, IngestError, run_ingest
from trackrecord.ingest.fetch import Fetcher

FIXTURES = TESTS / "fixtures" / "upstream"
URL = "https://example.org/data.csv"


def fetcher(tmp_path: Path, handler, **kwargs) -> tuple[Fetcher, list[float]]:
    sleeps: list[float] = []
    client = httpx.Client(transport=httpx.MockTransport(handler))
    return Fetcher(tmp_path / "cache", client=client, sleep=sleeps.append, **kwargs), sleeps


def test_retries_server_errors_with_exponential_backoff(tmp_path: Path):
    statuses = iter([503, 502, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        status = next(statuses)
        return httpx.Response(status, content=b"a,b\n1,2\n" if status == 200 else b"busy")

    f, sleeps = fetcher(tmp_path, handler, backoff_seconds=0.5)
    assert f.get(URL).content == b"a,b\n1,2\n"
    assert sleeps == [0.5, 1.0]


def test_retry_after_header_is_honoured(tmp_path: Path):
    statuses = iter([429, 200])

    def handler(request):
        status = next(statuses)
        return httpx.Response(status, headers={"Retry-After": "7"} if status == 429 else {}, content=b"ok")

    f, sleeps = fetcher(tmp_path, handler)
    assert f.get(URL).content == b"ok" and sleeps == [7.0]


def test_gives_up_after_the_last_retry_with_a_clear_error(tmp_path: Path):
    def handler(request):
        raise httpx.ConnectTimeout("timed out", request=request)

    f, sleeps = fetcher(tmp_path, handler, retries=2)
    with pytest.raises(IngestError, match="ConnectTimeout after 3 attempts"):
        f.get(URL)
    assert len(sleeps) == 2
    f404, _ = fetcher(tmp_path, lambda request: httpx.Response(404))
    with pytest.raises(IngestError, match="HTTP 404"):
        f404.get(URL)


def test_conditional_request_serves_the_cache_on_304(tmp_path: Path):
    seen: list[dict] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.headers))
        if request.headers.get("If-None-Match") == '"v1"':
            return httpx.Response(304)
        return httpx.Response(200, headers={"ETag": '"v1"', "Last-Modified": "Mon, 02 Nov 2026 10:00:00 GMT"}, content=b"body")

    f, _ = fetcher(tmp_path, handler)
    first, second = f.get(URL), f.get(URL)
    assert (first.content, first.from_cache) == (b"body", False)
    assert (second.content, second.from_cache) == (b"body", True)
    assert "if-none-match" not in seen[0]
    assert seen[1]["if-none-match"] == '"v1"' and seen[1]["if-modified-since"] == "Mon, 02 Nov 2026 10:00:00 GMT"


def test_size_limit_applies_to_declared_and_streamed_lengths(tmp_path: Path):
    f, _ = fetcher(tmp_path, lambda r: httpx.Response(200, headers={"Content-Length": "5000"}, content=b"x" * 5000), max_bytes=1000)
    with pytest.raises(IngestError, match="over the 1,000-byte limit"):
        f.get(URL)

    def undeclared(request):
        return httpx.Response(200, content=iter([b"x" * 600, b"x" * 600]))  # streamed: no Content-Length

    f, _ = fetcher(tmp_path, undeclared, max_bytes=1000)
    with pytest.raises(IngestError, match="more than the 1,000-byte limit"):
        f.get(URL)
    assert not list((tmp_path / "cache").glob("*.body")) if (tmp_path / "cache").exists() else True


def serve_snapshot(folder: Path, requested: list[str]):
    def handler(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        name = request.url.path.rsplit("/", 1)[-1]
        path = folder / name
        return httpx.Response(200, content=path.read_bytes()) if path.exists() else httpx.Response(404)

    return handler


def test_ingest_from_a_base_url_matches_the_local_snapshot_but_for_the_date(tmp_path: Path):
    spec = SOURCES["epoch-llm-inference-prices"]
    requested: list[str] = []
    client = httpx.Client(transport=httpx.MockTransport(serve_snapshot(FIXTURES / spec.snapshot, requested)))
    make = lambda: Fetcher(tmp_path / "cache", client=client, sleep=lambda s: None)  # noqa: E731

    local = run_ingest(spec.name, FIXTURES / spec.snapshot, tmp_path / "local", today=dt.date(2026, 11, 23))
    remote = run_ingest(spec.name, "https://mirror.example.org/prices/", tmp_path / "remote", today=dt.date(2026, 12, 1), fetcher_factory=make)
    assert sorted(requested) == sorted(f"https://mirror.example.org/prices/{name}" for name in spec.files)
    for a, b in zip(local, remote):
        left, right = yaml.safe_load(a.read_text()), yaml.safe_load(b.read_text())
        assert right["origin"]["retrieved_date"] == dt.date(2026, 12, 1)
        right["origin"]["retrieved_date"] = left["origin"]["retrieved_date"]
        assert left == right

    # Unchanged upstream bytes on a later day: the file keeps its first retrieval date, no byte changes.
    before = {p: p.read_bytes() for p in remote}
    run_ingest(spec.name, "https://mirror.example.org/prices/", tmp_path / "remote", today=dt.date(2027, 1, 5), fetcher_factory=make)
    assert {p: p.read_bytes() for p in remote} == before


def test_ingest_without_from_downloads_the_pinned_urls(tmp_path: Path):
    spec = SOURCES["compute-trends"]
    requested: list[str] = []
    client = httpx.Client(transport=httpx.MockTransport(serve_snapshot(FIXTURES / spec.snapshot, requested)))
    run_ingest(spec.name, None, tmp_path, today=dt.date(2026, 11, 23), fetcher_factory=lambda: Fetcher(tmp_path / "c", client=client))
    assert sorted(requested) == sorted(spec.default_url(name) for name in spec.files)
    assert all(url.startswith("https://raw.githubusercontent.com/AABoyles/AIPredict/280bc135") for url in requested)


def test_a_failed_download_writes_no_series(tmp_path: Path):
    client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(500)))
    make = lambda: Fetcher(tmp_path / "cache", client=client, retries=1, sleep=lambda s: None)  # noqa: E731
    with pytest.raises(IngestError, match="HTTP 500"):
        run_ingest("compute-trends", None, tmp_path / "out", today=dt.date(2026, 11, 23), fetcher_factory=make)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
