"""The link checker's logic against httpx.MockTransport, the cache, the citations, and the archive
writer. No network: every answer is made up here."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

import httpx
import pytest

from conftest import GOOD
from trackrecord.links.archive import ArchiveWriteError, insert_archive_url, lookup_snapshot
from trackrecord.links.cache import LinkCache
from trackrecord.links.checker import CheckSettings, LinkChecker, LinkResult, LinkStatus, make_client, parse_retry_after
from trackrecord.links.citations import collect_citations
from trackrecord.records.load import discover, load_records
from trackrecord.records.yaml_io import load_text

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 12, 0, 0, tzinfo=dt.UTC)
SETTINGS = CheckSettings(retries=2, backoff_seconds=0.5, max_body_bytes=1000)


def run(handler, urls: list[str], settings: CheckSettings = SETTINGS) -> tuple[dict[str, LinkResult], list[float]]:
    waits: list[float] = []

    async def record_wait(seconds: float) -> None:
        waits.append(seconds)

    async def main():
        async with make_client(settings, httpx.MockTransport(handler)) as client:
            return await LinkChecker(client, TODAY, settings, sleep=record_wait, now=lambda: NOW).check_all(urls)

    return asyncio.run(main()), waits


# --- Retry-After ----------------------------------------------------------------------------------


def test_retry_after_reads_seconds_and_http_dates():
    assert parse_retry_after("120", NOW) == 120.0
    assert parse_retry_after("Mon, 23 Nov 2026 12:00:45 GMT", NOW) == 45.0
    assert parse_retry_after("Mon, 23 Nov 2026 11:00:00 GMT", NOW) == 0.0  # already past: retry now
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after("", NOW) is None and parse_retry_after(None, NOW) is None


def test_backoff_doubles_without_retry_after_and_follows_it_when_given():
    calls: list[int] = []

    def handler(request):
        calls.append(1)
        if len(calls) == 1:
            return httpx.Response(502)
        if len(calls) == 2:
            return httpx.Response(500)
        if len(calls) == 3:
            return httpx.Response(200)
        return httpx.Response(404)

    results, waits = run(handler, ["https://a.example/x"], CheckSettings(retries=3, backoff_seconds=0.5))
    assert results["https://a.example/x"].status is LinkStatus.OK and waits == [0.5, 1.0]

    dated = iter([httpx.Response(503, headers={"Retry-After": "Mon, 23 Nov 2026 12:00:10 GMT"}), httpx.Response(200)])
    results, waits = run(lambda request: next(dated), ["https://a.example/y"])
    assert results["https://a.example/y"].status is LinkStatus.OK and waits == [10.0]


# --- classification ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "expected"),
    [(200, LinkStatus.OK), (204, LinkStatus.OK), (404, LinkStatus.DEAD), (410, LinkStatus.DEAD), (401, LinkStatus.BLOCKED),
     (403, LinkStatus.BLOCKED), (999, LinkStatus.BLOCKED), (400, LinkStatus.ERROR), (405, LinkStatus.ERROR), (500, LinkStatus.ERROR)],
)
def test_statuses_are_classified_and_blocked_is_never_dead(status: int, expected: LinkStatus):
    results, _ = run(lambda request: httpx.Response(status), ["https://a.example/"])
    assert results["https://a.example/"].status is expected
    assert results["https://a.example/"].http_status == status


@pytest.mark.parametrize(
    ("error", "status", "detail"),
    [
        (httpx.ConnectError("[Errno -2] Name or service not known"), LinkStatus.UNREACHABLE, "could not connect: [Errno -2] Name or service not known"),
        (httpx.ConnectTimeout(""), LinkStatus.UNREACHABLE, "timed out connecting"),
        (httpx.ReadTimeout(""), LinkStatus.UNREACHABLE, "timed out waiting for data"),
        (httpx.RemoteProtocolError("Server disconnected without sending a response."), LinkStatus.UNREACHABLE, "connection closed by the server"),
        (httpx.RemoteProtocolError("illegal status line"), LinkStatus.ERROR, "malformed HTTP answer: illegal status line"),
        (httpx.UnsupportedProtocol("Request URL has an unsupported protocol 'gopher://'."), LinkStatus.ERROR, "not a URL that can be fetched"),
        (RuntimeError("a bug in a transport"), LinkStatus.ERROR, "unexpected RuntimeError: a bug in a transport"),
    ],
)
def test_every_exception_becomes_a_result_not_a_traceback(error: Exception, status: LinkStatus, detail: str):
    def handler(request):
        raise error

    results, waits = run(handler, ["https://a.example/"])
    assert results["https://a.example/"].status is status
    assert results["https://a.example/"].detail.startswith(detail)
    assert waits == []  # transport failures are reported, not retried


def test_redirects_report_where_they_end_and_resolve_relative_locations():
    def handler(request):
        if request.url.path == "/x/old":
            return httpx.Response(301, headers={"Location": "../new/page"})
        return httpx.Response(200)

    results, _ = run(handler, ["https://a.example/x/old"])
    result = results["https://a.example/x/old"]
    assert result.status is LinkStatus.REDIRECTED and result.final_url == "https://a.example/new/page"


def test_a_redirect_to_a_dead_page_is_dead_and_says_where():
    def handler(request):
        return httpx.Response(302, headers={"Location": "https://b.example/gone"}) if request.url.host == "a.example" else httpx.Response(404)

    result = run(handler, ["https://a.example/"])[0]["https://a.example/"]
    assert result.status is LinkStatus.DEAD and result.detail == "HTTP 404 Not Found at https://b.example/gone"


def test_redirect_chains_are_limited_and_broken_redirects_named():
    def endless(request):
        n = int(request.url.path.strip("/") or 0)
        return httpx.Response(302, headers={"Location": f"/{n + 1}"})

    settings = CheckSettings(max_redirects=4)
    result = run(endless, ["https://a.example/0"], settings)[0]["https://a.example/0"]
    assert result.status is LinkStatus.ERROR and result.detail.startswith("more than 4 redirects: https://a.example/0 →")

    no_location = run(lambda request: httpx.Response(302), ["https://a.example/"])[0]["https://a.example/"]
    assert no_location.detail == "HTTP 302 redirect without a Location header"
    to_ftp = run(lambda request: httpx.Response(301, headers={"Location": "ftp://a.example/f"}), ["https://a.example/"])[0]["https://a.example/"]
    assert to_ftp.status is LinkStatus.ERROR and "non-web URL" in to_ftp.detail


def test_a_redirect_to_itself_that_sets_a_cookie_is_not_a_loop():
    def handler(request):
        if "seen=1" in request.headers.get("Cookie", ""):
            return httpx.Response(200)
        return httpx.Response(302, headers={"Location": "/page", "Set-Cookie": "seen=1; Path=/"})

    result = run(handler, ["https://a.example/page"])[0]["https://a.example/page"]
    assert result.status is LinkStatus.OK


def test_urls_are_asked_once_each_and_the_global_limit_holds():
    in_flight = 0
    peak = 0
    asked: list[str] = []

    async def handler(request):
        nonlocal in_flight, peak
        asked.append(str(request.url))
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return httpx.Response(200)

    urls = [f"https://host{i % 6}.example/{i}" for i in range(30)]
    settings = CheckSettings(global_limit=4, per_host_limit=3)
    results, _ = run(handler, urls + urls[:5], settings)
    assert len(results) == 30 and sorted(asked) == sorted(urls)
    assert peak == 4


def test_the_body_cap_applies_to_bodies_already_in_memory_too():
    result = run(lambda request: httpx.Response(200, content=b"x" * 5000), ["https://a.example/"])[0]["https://a.example/"]
    assert result.status is LinkStatus.OK and "stopped reading after 5,000 bytes" in result.detail


# --- cache -------------------------------------------------------------------------------------------


def test_cache_keeps_results_for_max_age_days_and_survives_damage(tmp_path: Path):
    cache = LinkCache(tmp_path / "links")
    old = LinkResult("https://a.example/", LinkStatus.DEAD, "HTTP 404 Not Found", dt.date(2026, 11, 16), 404)
    cache.update({old.url: old})
    cache.save()
    assert [p.name for p in (tmp_path / "links").iterdir()] == ["links.json"]  # no temporary file left behind

    reread = LinkCache(tmp_path / "links").load()
    assert reread.results[old.url] == old
    assert reread.fresh(old.url, dt.date(2026, 11, 22), max_age_days=7) == old  # 6 days old
    assert reread.fresh(old.url, dt.date(2026, 11, 23), max_age_days=7) is None  # 7 days old
    assert reread.fresh("https://other.example/", TODAY, 7) is None

    (tmp_path / "links" / "links.json").write_text("{not json", encoding="utf-8")
    damaged = LinkCache(tmp_path / "links").load()
    assert damaged.results == {} and "ignored an unreadable link cache" in damaged.warning


# --- citations ----------------------------------------------------------------------------------------


def test_citations_name_file_and_field_for_every_kind_of_url():
    records = load_records(GOOD, discover(GOOD))
    cited = collect_citations(records)
    talk = [(c.relpath, c.field, c.line) for c in cited["https://example.org/ada/talk-2018"]]
    assert talk == [
        ("claims/2018/2018-05-01-ada-example-robots-walk.yaml", "source.url", 10),
        ("claims/2018/2018-05-01-ada-example-robots-walk.yaml", "verification[0].url", 35),
    ]
    fields = {c.field for found in cited.values() for c in found}
    assert {"source.url", "resolution.evidence[0].url", "affiliations[0].source_url", "links[0].url", "origin.url"} <= fields


# --- archive ------------------------------------------------------------------------------------------

CLAIM = (GOOD / "claims/2018/2018-05-01-ada-example-robots-walk.yaml").read_text(encoding="utf-8")
SNAPSHOT = "http://web.archive.org/web/20240101000000/https://example.org/ada/talk-2018"


def test_archive_url_goes_before_locator_as_the_schema_orders_fields():
    text = CLAIM.replace("  format: talk\n", "  format: talk\n  # minutes and seconds into the recording\n")
    new = insert_archive_url(text, SNAPSHOT)
    assert new == text.replace("  format: talk\n", f"  format: talk\n  archive_url: {SNAPSHOT}\n")
    assert list(load_text(new)["source"]) == ["url", "title", "publisher", "kind", "format", "archive_url", "locator"]


def test_archive_url_at_the_end_of_source_stays_above_the_next_keys_comment():
    text = CLAIM.replace('  locator: "12:30"\n', "  published_date: 2018-05-01\n\n# derived from the words\n")
    new = insert_archive_url(text, SNAPSHOT)
    assert new == text.replace("  published_date: 2018-05-01\n", f"  published_date: 2018-05-01\n  archive_url: {SNAPSHOT}\n")


def test_archive_writer_keeps_crlf_and_the_url_exactly():
    crlf = CLAIM.replace("\n", "\r\n")
    assert insert_archive_url(crlf, SNAPSHOT).count("\r\n") == crlf.count("\r\n") + 1
    odd = "https://web.archive.org/web/2024id_/https://example.org/a?q=1&r=%20#part"
    assert load_text(insert_archive_url(CLAIM, odd))["source"]["archive_url"] == odd


def test_archive_writer_refuses_what_it_cannot_do_safely():
    with pytest.raises(ArchiveWriteError, match="already set"):
        insert_archive_url(insert_archive_url(CLAIM, SNAPSHOT), SNAPSHOT)
    flow = CLAIM.replace(
        'source:\n  url: https://example.org/ada/talk-2018\n  title: Ada\'s 2018 talk\n  publisher: Example University\n  kind: primary\n  format: talk\n  locator: "12:30"\n',
        "source: {url: 'https://example.org/ada/talk-2018', title: Ada's 2018 talk, kind: primary, format: talk}\n",
    )
    assert flow != CLAIM
    with pytest.raises(ArchiveWriteError, match="flow style"):
        insert_archive_url(flow, SNAPSHOT)
    with pytest.raises(ArchiveWriteError, match=r"does not validate \(source.archive_url: "):
        insert_archive_url(CLAIM, "http://web.archive.org/" + "x" * 2100)  # longer than a URL may be
    with pytest.raises(ArchiveWriteError, match="does not validate"):
        insert_archive_url(CLAIM, "https://web.archive.org/web/2024/https://example.org/a b")  # a space


def lookup(answer) -> object:
    async def main():
        transport = httpx.MockTransport(answer)
        async with make_client(SETTINGS, transport) as client:
            checker = LinkChecker(client, TODAY, SETTINGS, sleep=lambda s: asyncio.sleep(0))
            return await lookup_snapshot(checker, "https://example.org/a", "https://wayback.test/available")

    return asyncio.run(main())


def test_wayback_lookup_only_accepts_an_available_200_snapshot():
    def api(closest):
        def handler(request):
            assert request.url.params["url"] == "https://example.org/a"
            return httpx.Response(200, json={"archived_snapshots": {"closest": closest} if closest else {}})

        return handler

    good = {"available": True, "url": "http://web.archive.org/web/2013/https://example.org/a", "timestamp": "2013", "status": "200"}
    assert lookup(api(good)).snapshot_url == good["url"]
    assert lookup(api(None)).snapshot_url is None and not lookup(api(None)).failed
    assert lookup(api({**good, "available": False})).snapshot_url is None
    assert lookup(api({**good, "status": "404"})).detail == "the closest Wayback snapshot captured HTTP 404, not 200"
    assert lookup(api({**good, "url": "javascript:alert(1)"})).failed
    assert lookup(lambda request: httpx.Response(200, content=b"<html>")).detail == "Wayback lookup failed: the answer is not JSON"
    assert lookup(lambda request: httpx.Response(404)).failed


def test_cache_file_is_plain_json_keyed_by_url(tmp_path: Path):
    cache = LinkCache(tmp_path)
    cache.update({"https://a.example/": LinkResult("https://a.example/", LinkStatus.OK, "HTTP 200 OK", TODAY, 200)})
    cache.save()
    data = json.loads((tmp_path / "links.json").read_text(encoding="utf-8"))
    assert data["results"]["https://a.example/"]["checked_date"] == "2026-11-23"
