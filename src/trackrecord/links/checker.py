"""Ask every URL whether it still answers, politely, and turn every outcome into a status.

Politeness and robustness, in the order a request meets them:
- a limit on requests in flight per host (a Semaphore per host) and overall;
- a User-Agent naming the project and where to reach it;
- GET only: many servers refuse HEAD (405), or answer it differently from GET (403, 404), so a
  HEAD result would need a GET to confirm it anyway;
- redirects followed by hand, at most `max_redirects`, so that a loop is named as a loop;
- a timeout per network operation and a deadline per request (a server dripping one byte every
  few seconds never trips the per-read timeout);
- the body streamed and abandoned after `max_body_bytes`, whatever Content-Length says;
- retries with exponential backoff on 429 and 5xx, honouring Retry-After (seconds or an HTTP
  date) up to `max_wait_seconds`; a server asking for longer is not retried early.

Every exception a request can raise becomes a `LinkResult`; nothing here raises for one bad URL.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

import httpx

from ..ingest.fetch import PROJECT_URL

USER_AGENT = f"trackrecord-links (+{PROJECT_URL})"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
DEAD_STATUSES = frozenset({404, 410})
# 401/403/429 are what bot protection answers a script with; 999 is LinkedIn's own "go away".
# The page may well be there for a person with a browser, so these are never called dead.
BLOCKED_STATUSES = frozenset({401, 403, 429, 999})


class LinkStatus(StrEnum):
    OK = "ok"  # answered 2xx at the URL itself
    REDIRECTED = "redirected"  # answered 2xx after redirects; final_url says where
    DEAD = "dead"  # 404 Not Found or 410 Gone
    ERROR = "error"  # another HTTP status, a redirect loop, or a malformed answer
    UNREACHABLE = "unreachable"  # DNS, connection refused or reset, timeout
    BLOCKED = "blocked"  # 401/403/429 (after retries): often bot protection, not a dead page


BROKEN = (LinkStatus.DEAD, LinkStatus.ERROR, LinkStatus.UNREACHABLE, LinkStatus.BLOCKED)


@dataclass(frozen=True)
class LinkResult:
    url: str
    status: LinkStatus
    detail: str  # one human-readable phrase: "HTTP 404 Not Found", "redirect loop: a → b → a"
    checked_date: dt.date
    http_status: int | None = None
    final_url: str | None = None  # where redirects ended, when they did
    attempts: int = 1

    def as_json(self) -> dict:
        return {
            "status": str(self.status),
            "detail": self.detail,
            "checked_date": self.checked_date.isoformat(),
            "http_status": self.http_status,
            "final_url": self.final_url,
            "attempts": self.attempts,
        }

    @classmethod
    def from_json(cls, url: str, data: dict) -> LinkResult:
        return cls(
            url=url,
            status=LinkStatus(data["status"]),
            detail=str(data["detail"]),
            checked_date=dt.date.fromisoformat(data["checked_date"]),
            http_status=data.get("http_status"),
            final_url=data.get("final_url"),
            attempts=int(data.get("attempts", 1)),
        )


@dataclass(frozen=True)
class CheckSettings:
    timeout_seconds: float = 15.0  # per connect, read or write
    request_deadline_seconds: float = 45.0  # per request, body included
    max_body_bytes: int = 2 * 1024 * 1024
    max_redirects: int = 10
    retries: int = 3  # after the first attempt, on 429 and 5xx only
    backoff_seconds: float = 1.0  # waits 1, 2, 4 s … unless Retry-After says otherwise
    max_wait_seconds: float = 60.0  # the longest Retry-After honoured
    per_host_limit: int = 2
    global_limit: int = 16


@dataclass
class Answer:
    """What a URL said at the end of its redirects, or why it said nothing."""

    url: str
    final_url: str
    status_code: int | None = None
    headers: httpx.Headers = field(default_factory=httpx.Headers)
    body: bytes = b""
    bytes_read: int = 0
    truncated: bool = False
    failure: LinkStatus | None = None  # set when there is no usable HTTP status
    detail: str = ""
    attempts: int = 1


Sleep = Callable[[float], Awaitable[None]]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def make_client(settings: CheckSettings = CheckSettings(), transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    timeout = httpx.Timeout(settings.timeout_seconds)
    # Connection-pool limits follow the global limit so that waiting happens in our semaphores.
    limits = httpx.Limits(max_connections=settings.global_limit, max_keepalive_connections=settings.global_limit)
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,application/pdf,*/*;q=0.8"}
    return httpx.AsyncClient(timeout=timeout, limits=limits, headers=headers, follow_redirects=False, transport=transport)


class LinkChecker:
    def __init__(
        self,
        client: httpx.AsyncClient,
        today: dt.date,
        settings: CheckSettings = CheckSettings(),
        *,
        sleep: Sleep = asyncio.sleep,
        now: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        self.client = client
        self.today = today
        self.settings = settings
        self.sleep = sleep  # injectable: tests record the waits instead of sleeping
        self.now = now  # for Retry-After given as an HTTP date
        self._global = asyncio.Semaphore(settings.global_limit)
        self._per_host: dict[str, asyncio.Semaphore] = {}

    async def check_all(self, urls: Iterable[str], progress: Callable[[LinkResult], None] | None = None) -> dict[str, LinkResult]:
        async def one(url: str) -> LinkResult:
            result = await self.check(url)
            if progress is not None:
                progress(result)
            return result

        results = await asyncio.gather(*(one(url) for url in dict.fromkeys(urls)))
        return {result.url: result for result in results}

    async def check(self, url: str) -> LinkResult:
        answer = await self.fetch(url, keep_body=False)
        return self.classify(answer)

    def classify(self, answer: Answer) -> LinkResult:
        result = LinkResult(answer.url, LinkStatus.ERROR, answer.detail, self.today, answer.status_code, None, answer.attempts)
        if answer.failure is not None:
            return replace(result, status=answer.failure)
        code = answer.status_code
        assert code is not None
        moved = answer.final_url != answer.url
        where = f" at {answer.final_url}" if moved else ""
        phrase = f"HTTP {code} {httpx.codes.get_reason_phrase(code)}".rstrip()
        tries = f" after {answer.attempts} attempts" if answer.attempts > 1 else ""
        if 200 <= code < 300:
            note = f"; stopped reading after {answer.bytes_read:,} bytes" if answer.truncated else ""
            if moved:
                return replace(result, status=LinkStatus.REDIRECTED, final_url=answer.final_url, detail=f"{phrase}{where}{note}")
            return replace(result, status=LinkStatus.OK, detail=f"{phrase}{note}")
        final = answer.final_url if moved else None
        extra = f"; {answer.detail}" if answer.detail else ""
        if code in DEAD_STATUSES:
            return replace(result, status=LinkStatus.DEAD, final_url=final, detail=f"{phrase}{where}")
        if code in BLOCKED_STATUSES:
            why = "often bot protection; open it in a browser before calling it dead"
            return replace(result, status=LinkStatus.BLOCKED, final_url=final, detail=f"{phrase}{where}{tries}{extra} ({why})")
        return replace(result, status=LinkStatus.ERROR, final_url=final, detail=f"{phrase}{where}{tries}{extra}")

    async def fetch(self, url: str, *, keep_body: bool) -> Answer:
        """GET `url` through its redirects, retrying 429 and 5xx; keep the (capped) body if asked."""
        settings = self.settings
        for attempt in range(settings.retries + 1):
            answer = await self._follow(url, keep_body)
            answer.attempts = attempt + 1
            code = answer.status_code
            if code is None or not (code == 429 or 500 <= code < 600) or attempt == settings.retries:
                return answer
            asked = parse_retry_after(answer.headers.get("Retry-After"), self.now())
            if asked is not None and asked > settings.max_wait_seconds:
                # Retrying earlier than the server asked would be impolite; give up and say why.
                answer.detail = f"asked to retry after {asked:.0f} s, more than the {settings.max_wait_seconds:.0f} s cap"
                return answer
            wait = asked if asked is not None else min(settings.backoff_seconds * 2**attempt, settings.max_wait_seconds)
            await self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover - the loop always returns

    async def _follow(self, url: str, keep_body: bool) -> Answer:
        chain = [url]
        seen: set[tuple[str, str | None]] = set()
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            try:
                request = self.client.build_request("GET", current)
            except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as err:
                return Answer(url, current, failure=LinkStatus.ERROR, detail=f"not a URL that can be fetched: {_text(err)}")
            # The same URL asked with the same cookies again is a loop; with a new cookie it is
            # the common "set a cookie and redirect to yourself" dance, which is not.
            state = (current, request.headers.get("Cookie"))
            if state in seen:
                return Answer(url, current, failure=LinkStatus.ERROR, detail="redirect loop: " + " → ".join(chain))
            seen.add(state)
            answer = await self._send_once(url, request, keep_body)
            if answer.failure is not None or answer.status_code not in REDIRECT_STATUSES:
                return answer
            location = answer.headers.get("Location")
            if not location:
                return Answer(url, current, failure=LinkStatus.ERROR, detail=f"HTTP {answer.status_code} redirect without a Location header")
            try:
                target = request.url.join(location.strip())
            except (httpx.InvalidURL, ValueError) as err:
                return Answer(url, current, failure=LinkStatus.ERROR, detail=f"redirect to an invalid URL {location!r}: {_text(err)}")
            if target.scheme not in ("http", "https"):
                return Answer(url, current, failure=LinkStatus.ERROR, detail=f"redirect to a non-web URL {str(target)!r}")
            current = str(target)
            chain.append(current)
        limit = self.settings.max_redirects
        return Answer(url, current, failure=LinkStatus.ERROR, detail=f"more than {limit} redirects: " + " → ".join(chain[:3] + ["…", chain[-1]]))

    def _host_limit(self, host: str) -> asyncio.Semaphore:
        if host not in self._per_host:
            self._per_host[host] = asyncio.Semaphore(self.settings.per_host_limit)
        return self._per_host[host]

    async def _send_once(self, url: str, request: httpx.Request, keep_body: bool) -> Answer:
        settings = self.settings
        answer = Answer(url, str(request.url))
        # The host slot first, then a global one: a request waiting for its busy host must not
        # hold a global slot that a request to an idle host could use.
        async with self._host_limit(request.url.host.lower()), self._global:
            try:
                async with asyncio.timeout(settings.request_deadline_seconds):
                    response = await self.client.send(request, stream=True)
                    try:
                        answer.status_code = response.status_code
                        answer.headers = response.headers
                        if 200 <= response.status_code < 300:
                            await _read_capped(response, answer, settings.max_body_bytes, keep_body)
                    finally:
                        await response.aclose()
            except Exception as err:  # noqa: BLE001 - every failure of one URL becomes a report line
                answer.status_code = None
                answer.failure, answer.detail = describe_failure(err, settings)
        return answer


async def _read_capped(response: httpx.Response, answer: Answer, max_bytes: int, keep_body: bool) -> None:
    # Raw bytes as they arrive, so the cap is on what crosses the wire, not on what gzip makes of it.
    chunks: list[bytes] = []
    try:
        async for chunk in response.aiter_raw():
            answer.bytes_read += len(chunk)
            if keep_body:
                chunks.append(chunk)
            if answer.bytes_read >= max_bytes:
                answer.truncated = True
                break  # closing the response drops the connection; the server stops sending
    except httpx.StreamConsumed:  # a transport that hands over bodies already read (MockTransport)
        chunks = [response.content]
        answer.bytes_read = len(response.content)
        answer.truncated = answer.bytes_read > max_bytes
    answer.body = b"".join(chunks)[:max_bytes] if keep_body else b""


def describe_failure(err: BaseException, settings: CheckSettings) -> tuple[LinkStatus, str]:
    """The status and a plain phrase for an exception raised while asking a URL."""
    if isinstance(err, TimeoutError):  # our per-request deadline
        return LinkStatus.UNREACHABLE, f"no complete answer within {settings.request_deadline_seconds:g} s"
    if isinstance(err, httpx.TimeoutException):
        what = {httpx.ConnectTimeout: "connecting", httpx.ReadTimeout: "waiting for data", httpx.WriteTimeout: "sending", httpx.PoolTimeout: "waiting for a connection"}
        return LinkStatus.UNREACHABLE, f"timed out {what.get(type(err), 'waiting')} (limit {settings.timeout_seconds:g} s)"
    if isinstance(err, httpx.ConnectError):
        return LinkStatus.UNREACHABLE, f"could not connect: {_text(err)}"
    if isinstance(err, httpx.RemoteProtocolError):
        message = _text(err)
        if "disconnect" in message.lower() or "closed" in message.lower():
            return LinkStatus.UNREACHABLE, f"connection closed by the server: {message}"
        return LinkStatus.ERROR, f"malformed HTTP answer: {message}"
    if isinstance(err, (httpx.ReadError, httpx.WriteError, httpx.NetworkError)):
        return LinkStatus.UNREACHABLE, f"connection broken: {_text(err)}"
    if isinstance(err, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
        return LinkStatus.ERROR, f"not a URL that can be fetched: {_text(err)}"
    if isinstance(err, httpx.HTTPError):
        return LinkStatus.ERROR, f"{type(err).__name__}: {_text(err)}"
    if isinstance(err, OSError):
        return LinkStatus.UNREACHABLE, f"{type(err).__name__}: {_text(err)}"
    return LinkStatus.ERROR, f"unexpected {type(err).__name__}: {_text(err)}"


def parse_retry_after(value: str | None, now: dt.datetime) -> float | None:
    """Seconds to wait from a Retry-After header: delay-seconds or an HTTP date (RFC 9110 10.2.3)."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None  # unreadable: fall back to our own backoff
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())


def _text(err: BaseException) -> str:
    # httpx often wraps the OS error with an empty message ("ReadError"); the cause says "reset by peer".
    seen: BaseException | None = err
    while seen is not None:
        if str(seen).strip():
            return str(seen).strip()
        seen = seen.__cause__ or seen.__context__
    return type(err).__name__
