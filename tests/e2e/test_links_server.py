"""`trackrecord links` against a local server that misbehaves on purpose: slow answers, resets,
redirect loops, huge bodies, 429 with Retry-After, 503 then 200, malformed answers, 404.

Nothing here touches the network: the server listens on 127.0.0.1 on a port the OS picks, and the
CLI tests point every URL of a copied fixture repository at it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import socket
import struct
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from conftest import TODAY, run_cli
from trackrecord.links.checker import CheckSettings, LinkChecker, LinkResult, LinkStatus, make_client

HUGE_BYTES = 64 * 1024 * 1024
RETRY_DATE = "Wed, 21 Oct 2015 07:28:30 GMT"
SERVER_NOW = dt.datetime(2015, 10, 21, 7, 28, 0, tzinfo=dt.UTC)  # 30 s before RETRY_DATE


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), FaultHandler)
        self.lock = threading.Lock()
        self.requests: Counter[str] = Counter()  # path (without query) → requests received
        self.user_agents: set[str] = set()
        self.in_flight = 0
        self.max_in_flight = 0
        self.huge_sent = 0
        self.huge_done = threading.Event()
        self.release = threading.Event()  # lets the slow handler finish at teardown

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def total_requests(self) -> int:
        with self.lock:
            return sum(self.requests.values())

    def handle_error(self, request, client_address) -> None:
        pass  # the faults are on purpose; their broken pipes are not news


class FaultHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FaultServer

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: C901 - one branch per fault, read as a table
        parts = urlsplit(self.path)
        path = parts.path
        with self.server.lock:
            self.server.requests[path] += 1
            seen = self.server.requests[path]
            self.server.user_agents.add(self.headers.get("User-Agent", ""))
        if path.startswith("/gone"):
            self._send(404, b"not here")
        elif path == "/slow":
            self.server.release.wait(5)
            self._send(200, b"too late")
        elif path == "/reset":
            # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif path == "/loop/a":
            self._send(302, b"", {"Location": "/loop/b"})
        elif path == "/loop/b":
            self._send(302, b"", {"Location": "/loop/a"})
        elif path == "/moved":
            self._send(301, b"", {"Location": "/ok/new-home"})
        elif path == "/huge":
            self._send_huge()
        elif path == "/retry-after":
            self._send(429, b"slow down", {"Retry-After": "7"}) if seen == 1 else self._send(200, b"ok")
        elif path == "/retry-after-date":
            self._send(503, b"busy", {"Retry-After": RETRY_DATE}) if seen == 1 else self._send(200, b"ok")
        elif path == "/retry-after-long":
            self._send(429, b"come back tomorrow", {"Retry-After": "3600"})
        elif path == "/flaky":
            self._send(503, b"busy") if seen == 1 else self._send(200, b"ok")
        elif path == "/always-503":
            self._send(503, b"down")
        elif path == "/always-429":
            self._send(429, b"no")
        elif path == "/forbidden":
            self._send(403, b"are you a robot?")
        elif path == "/malformed-status":
            self._raw(b"HTTP/1.1 2OO OK\r\nContent-Length: 2\r\n\r\nok")
        elif path == "/garbage-header":
            self._raw(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\x00\x01\xff garbage without a colon\r\n\r\nok")
        elif path.startswith("/count/"):
            with self.server.lock:
                self.server.in_flight += 1
                self.server.max_in_flight = max(self.server.max_in_flight, self.server.in_flight)
            time.sleep(0.05)
            with self.server.lock:
                self.server.in_flight -= 1
            self._send(200, b"counted")
        elif path == "/wayback/available":
            self._send_wayback(parse_qs(parts.query).get("url", [""])[0])
        else:
            self._send(200, b"<html><body>hello</body></html>")

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _raw(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()
        self.close_connection = True

    def _send_huge(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(HUGE_BYTES))
        self.end_headers()
        chunk = b"x" * 65536
        try:
            while self.server.huge_sent < HUGE_BYTES:
                self.wfile.write(chunk)
                self.server.huge_sent += len(chunk)
        except OSError:  # the checker hung up, as it should
            pass
        finally:
            self.close_connection = True
            self.server.huge_done.set()

    def _send_wayback(self, url: str) -> None:
        # The documented shape of the availability API (https://archive.org/help/wayback_api.php).
        if "never-archived" in url:
            answer: dict = {"archived_snapshots": {}}
        else:
            snapshot = f"http://web.archive.org/web/20240101000000/{url}"
            answer = {"archived_snapshots": {"closest": {"available": True, "url": snapshot, "timestamp": "20240101000000", "status": "200"}}}
        self._send(200, json.dumps(answer).encode(), {"Content-Type": "application/json"})


@pytest.fixture
def server():
    srv = FaultServer()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield srv
    srv.release.set()
    srv.shutdown()
    srv.server_close()


FAST = CheckSettings(timeout_seconds=0.3, request_deadline_seconds=1.0, max_body_bytes=1024 * 1024, retries=2, backoff_seconds=0.01)


def check(urls: list[str], settings: CheckSettings = FAST) -> tuple[dict[str, LinkResult], list[float]]:
    waits: list[float] = []

    async def record_wait(seconds: float) -> None:  # the injected sleep: note the wait, do not sleep
        waits.append(seconds)

    async def run() -> dict[str, LinkResult]:
        async with make_client(settings) as client:
            checker = LinkChecker(client, dt.date(2026, 11, 23), settings, sleep=record_wait, now=lambda: SERVER_NOW)
            return await checker.check_all(urls)

    return asyncio.run(run()), waits


@pytest.mark.parametrize(
    ("path", "status", "detail"),
    [
        ("/ok/page", LinkStatus.OK, "HTTP 200 OK"),
        ("/gone/page", LinkStatus.DEAD, "HTTP 404 Not Found"),
        ("/moved", LinkStatus.REDIRECTED, "/ok/new-home"),
        ("/slow", LinkStatus.UNREACHABLE, "timed out waiting for data"),
        ("/reset", LinkStatus.UNREACHABLE, "reset by peer"),
        ("/loop/a", LinkStatus.ERROR, "redirect loop: "),
        ("/malformed-status", LinkStatus.ERROR, "malformed HTTP answer"),
        ("/garbage-header", LinkStatus.ERROR, "malformed HTTP answer"),
        ("/forbidden", LinkStatus.BLOCKED, "HTTP 403 Forbidden"),
        ("/always-429", LinkStatus.BLOCKED, "HTTP 429 Too Many Requests after 3 attempts"),
        ("/always-503", LinkStatus.ERROR, "HTTP 503 Service Unavailable after 3 attempts"),
    ],
)
def test_each_fault_becomes_a_status_with_a_plain_reason(server: FaultServer, path: str, status: LinkStatus, detail: str):
    url = server.base + path
    results, _ = check([url])
    assert results[url].status is status, results[url]
    assert detail in results[url].detail
    if path == "/loop/a":
        assert results[url].detail == f"redirect loop: {url} → {server.base}/loop/b → {url}"
    if path == "/moved":
        assert results[url].final_url == f"{server.base}/ok/new-home"


def test_reading_a_huge_body_stops_at_the_cap(server: FaultServer):
    url = server.base + "/huge"
    results, _ = check([url])
    assert results[url].status is LinkStatus.OK
    assert "stopped reading after" in results[url].detail
    assert server.huge_done.wait(5)
    # The server could push only what fits in the socket buffers after the checker hung up.
    assert server.huge_sent < HUGE_BYTES // 4


def test_429_with_retry_after_seconds_waits_as_asked_then_succeeds(server: FaultServer):
    url = server.base + "/retry-after"
    results, waits = check([url])
    assert results[url].status is LinkStatus.OK and results[url].attempts == 2
    assert waits == [7.0]
    assert server.requests["/retry-after"] == 2


def test_503_with_retry_after_as_an_http_date_waits_until_that_date(server: FaultServer):
    url = server.base + "/retry-after-date"
    results, waits = check([url])
    assert results[url].status is LinkStatus.OK
    assert waits == [30.0]


def test_503_then_200_is_retried_with_backoff(server: FaultServer):
    url = server.base + "/flaky"
    results, waits = check([url])
    assert results[url].status is LinkStatus.OK and results[url].attempts == 2
    assert waits == [FAST.backoff_seconds]


def test_a_retry_after_beyond_the_cap_is_not_retried_early(server: FaultServer):
    url = server.base + "/retry-after-long"
    results, waits = check([url])
    assert waits == [] and server.requests["/retry-after-long"] == 1
    assert results[url].status is LinkStatus.BLOCKED
    assert "asked to retry after 3600 s, more than the 60 s cap" in results[url].detail


def test_the_per_host_limit_holds_however_many_urls_a_host_has(server: FaultServer):
    urls = [f"{server.base}/count/{i}" for i in range(8)]
    settings = CheckSettings(timeout_seconds=2, per_host_limit=2, global_limit=16)
    results, _ = check(urls, settings)
    assert all(result.status is LinkStatus.OK for result in results.values())
    assert server.max_in_flight == 2


def test_requests_name_the_project_in_their_user_agent(server: FaultServer):
    check([server.base + "/ok/ua"])
    (agent,) = server.user_agents
    assert agent.startswith("trackrecord-links (+https://")


# --- the command line, on a copy of the fixture repository pointed at the server ---------------

DEAD_EVIDENCE = "claims/2018/2018-05-01-ada-example-robots-walk.yaml"


def point_repo_at(repo: Path, base: str) -> list[str]:
    """Rewrite every example.org URL of the copied repository to the server; one evidence URL is dead."""
    for path in repo.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = text.replace("https://example.org/news/robot-walks", f"{base}/gone/robot-walks")
        path.write_text(text.replace("https://example.org/", f"{base}/ok/"), encoding="utf-8")
    leftover = [p for p in repo.rglob("*.yaml") if "://example.org" in p.read_text(encoding="utf-8")]
    assert leftover == [], "a URL would leave the machine"
    return [str(p) for p in repo.rglob("*.yaml")]


def test_cli_names_the_file_and_field_citing_a_dead_link_and_the_cache_spares_a_rerun(server: FaultServer, good_repo: Path):
    point_repo_at(good_repo, server.base)
    links = ("--root", str(good_repo), "--as-of", TODAY, "links", "--timeout", "2")

    first = run_cli(*links)
    assert first.code == 1, first.err
    line = next(line for line in first.out.splitlines() if "/gone/robot-walks" in line)
    assert line.startswith(f"{DEAD_EVIDENCE}:31: resolution.evidence[0].url: dead {server.base}/gone/robot-walks — HTTP 404 Not Found")
    assert first.out.count("dead ") == 1 and "Traceback" not in first.err
    assert "1 dead, cited 1 time;" in first.err
    asked = server.total_requests()
    assert asked > 1
    assert (good_repo / "build/cache/links/links.json").is_file()

    again = run_cli(*links)
    assert again.code == 1 and server.total_requests() == asked  # every answer came from the cache
    assert line in again.out and "0 checked now" in again.err

    refreshed = run_cli(*links, "--refresh")
    assert refreshed.code == 1 and server.total_requests() == 2 * asked

    week_later = ("--root", str(good_repo), "--as-of", "2026-11-30", "links", "--timeout", "2")
    assert run_cli(*week_later).code == 1 and server.total_requests() == 3 * asked  # 7 days old: stale


def test_cli_only_reports_the_paths_asked_about(server: FaultServer, good_repo: Path):
    point_repo_at(good_repo, server.base)
    run = run_cli("--root", str(good_repo), "--as-of", TODAY, "links", str(good_repo / "claims/2022"))
    assert run.code == 0, run.out
    assert "no dead links" in run.err and "/gone/" not in run.out


ARCHIVE_TARGET = "claims/2018/2018-05-01-ada-example-robots-walk.yaml"


def test_archive_writes_the_snapshot_the_api_returned_and_keeps_the_file_otherwise(server: FaultServer, good_repo: Path):
    point_repo_at(good_repo, server.base)
    target = good_repo / ARCHIVE_TARGET
    # Comments in and after the source block must survive, and stay where they were.
    before = target.read_text(encoding="utf-8")
    before = before.replace("  format: talk\n", "  format: talk  # a recording exists\n")
    before = before.replace("deadline:\n", "# the deadline follows from 'within five years'\ndeadline:\n")
    target.write_text(before, encoding="utf-8")
    never = good_repo / "claims/2022/2022-03-10-bo-example-no-agents.yaml"
    never_text = never.read_text(encoding="utf-8")
    source_url = next(line.split("url: ")[1] for line in never_text.splitlines() if line.startswith("  url: "))
    never.write_text(never_text.replace(source_url, source_url + "/never-archived"), encoding="utf-8")
    never_before = never.read_bytes()

    run = run_cli("--root", str(good_repo), "--as-of", TODAY, "links", "--archive", "--wayback-api", f"{server.base}/wayback/available")
    assert run.code == 0, run.out + run.err

    after = target.read_text(encoding="utf-8")
    snapshot = f"http://web.archive.org/web/20240101000000/{server.base}/ok/ada/talk-2018"
    expected = before.replace("  format: talk  # a recording exists\n", f"  format: talk  # a recording exists\n  archive_url: {snapshot}\n")
    assert after == expected  # one line added, between format and locator as the schema orders them
    assert f"{ARCHIVE_TARGET}: source.archive_url: added {snapshot}" in run.out
    assert never.read_bytes() == never_before  # no snapshot, so nothing invented
    assert "no snapshot for" in run.out and "not archived by the Wayback Machine" in run.out
    checked = run_cli("--root", str(good_repo), "--as-of", TODAY, "check", str(target))
    assert checked.code == 0, checked.out

    # Sources that now have an archived copy are not looked up again.
    looked_up = server.requests["/wayback/available"]
    run_cli("--root", str(good_repo), "--as-of", TODAY, "links", "--archive", "--wayback-api", f"{server.base}/wayback/available")
    assert server.requests["/wayback/available"] == looked_up + 1  # only the never-archived one


def test_archive_reports_an_unreachable_api_without_writing(good_repo: Path):
    # A port nobody listens on: the connection is refused at once.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    before = {p: p.read_bytes() for p in good_repo.rglob("*.yaml")}
    run = run_cli("--root", str(good_repo), "--as-of", TODAY, "links", "--archive", "--wayback-api", f"http://127.0.0.1:{port}/wayback/available")
    assert run.code == 0 and "Traceback" not in run.err
    assert "lookup failed" in run.out and "could not connect" in run.out
    assert {p: p.read_bytes() for p in good_repo.rglob("*.yaml")} == before
