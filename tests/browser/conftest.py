"""Browser tests: serve a built site on 127.0.0.1 and drive Debian's headless Chromium at it.

Fixtures:
    site_server(directory) -> "http://127.0.0.1:PORT/"   session-scoped factory
    browser                                              Playwright Browser, one per run of tests/browser/
    page                                                 a fresh watched Page; its problems fail the test
    screenshot(name) -> Path                             full-page PNG of `page` in SCREENSHOTS

A watched page records console errors, uncaught errors, dialogs (alert/confirm/prompt: the XSS
tests rely on it) and every request for a host other than 127.0.0.1/localhost, which is aborted
before it leaves the machine. `watched_page(browser)` gives the page and its `PageRecord` for
tests that inspect the problems themselves.

Chromium is Debian's (`make browser` installs it); Playwright's own browser download is not used.
Without it these tests fail rather than skip, so CI cannot pass by skipping them;
TRACKRECORD_SKIP_BROWSER=1 skips them on purpose.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Route, WebError, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # we run as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium calls Google hosts on its own (updates, sync, field trials).
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Backstop for connections Playwright cannot route (preconnect, DNS prefetch): no other host
    # resolves. Routed requests are recorded and aborted before they get this far.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
SKIP_VARIABLE = "TRACKRECORD_SKIP_BROWSER"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "test-artifacts" / "screenshots"
PAGE_TIMEOUT_MS = 15_000
BROWSER_TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = os.environ.get(SKIP_VARIABLE) == "1"
    for item in items:
        if BROWSER_TESTS in item.path.resolve().parents:
            item.add_marker(pytest.mark.browser)
            if skip:
                item.add_marker(pytest.mark.skip(reason=f"{SKIP_VARIABLE}=1"))


# ---------------------------------------------------------------------------------------------
# Serving a directory


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # Chromium drops connections it no longer needs (navigation, aborted loads); not news.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serving(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (a free port) in a background thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    with _SiteServer(("127.0.0.1", 0), handler) as server:
        # A short poll interval: shutdown() waits up to one interval, once per server at session end.
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"serving {directory}", daemon=True
        )
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}/"
        finally:
            server.shutdown()
            thread.join()


@pytest.fixture(scope="session")
def site_server() -> Iterator[Callable[[Path], str]]:
    """`site_server(directory)` serves a built site until the session ends and returns its base
    URL, e.g. "http://127.0.0.1:40123/"; asking again for the same directory returns the same URL."""
    with ExitStack() as servers:
        urls: dict[Path, str] = {}

        def serve(directory: Path) -> str:
            directory = Path(directory).resolve()
            if not directory.is_dir():
                raise FileNotFoundError(f"cannot serve {directory}: no such directory (build the site first)")
            if directory not in urls:
                urls[directory] = servers.enter_context(serving(directory))
            return urls[directory]

        yield serve


# ---------------------------------------------------------------------------------------------
# The browser


def require_chromium(executable: Path = CHROMIUM) -> None:
    if not executable.exists():
        pytest.fail(
            f"{executable} not found: the browser tests drive Debian's chromium. Install it with "
            f"`make browser` (runs `apt-get install chromium` as root or through sudo), "
            f"or set {SKIP_VARIABLE}=1 to skip these tests.",
            pytrace=False,
        )


# Package scope, not session: while Playwright's sync API is open it marks its event loop as running
# in this thread, so the other directories' asyncio.run() calls would fail.
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    require_chromium()
    # launch() gives Chromium a fresh, empty temporary profile (--user-data-dir) and deletes it on close.
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# ---------------------------------------------------------------------------------------------
# Watched pages


@dataclass
class PageRecord:
    """What went wrong on the pages of one browser context, in the order it happened."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    offsite_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"console error: {text}" for text in self.console_errors]
            + [f"uncaught error: {text}" for text in self.page_errors]
            + [f"offsite request (aborted): {request}" for request in self.offsite_requests]
            + [f"dialog opened: {dialog}" for dialog in self.dialogs]
        )


def is_local(url: str) -> bool:
    return urlsplit(url).hostname in LOCAL_HOSTS


def _console(record: PageRecord, message: ConsoleMessage) -> None:
    if message.type == "error":
        where = message.location  # lineNumber counts from 0
        record.console_errors.append(f"{message.text} ({where['url']}:{where['lineNumber'] + 1})")


def _uncaught(record: PageRecord, web_error: WebError) -> None:
    error = web_error.error
    record.page_errors.append(f"{error.name}: {error.message}")


def _dialog(record: PageRecord, dialog: Dialog) -> None:
    record.dialogs.append(f"{dialog.type} {dialog.message!r}")
    dialog.dismiss()  # an unanswered dialog would block the page


def _local_only(record: PageRecord, route: Route) -> None:
    request = route.request
    if is_local(request.url):
        route.continue_()
    else:
        record.offsite_requests.append(f"{request.method} {request.url}")
        route.abort("blockedbyclient")


@contextmanager
def watched_page(browser: Browser) -> Iterator[tuple[Page, PageRecord]]:
    """A page in a new browser context, and the record of its problems (complete once the block
    has exited and the context is closed)."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 800},
        locale="en-US",
        timezone_id="UTC",
        service_workers="block",  # a service worker's requests would bypass the routing below
    )
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    record = PageRecord()
    # Context-wide, so popups and workers are watched too.
    context.route("**/*", functools.partial(_local_only, record))
    context.on("console", functools.partial(_console, record))
    context.on("weberror", functools.partial(_uncaught, record))
    context.on("dialog", functools.partial(_dialog, record))
    try:
        yield context.new_page(), record
    finally:
        context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page; console errors, uncaught errors, dialogs or offsite requests fail the test."""
    with watched_page(browser) as (fresh_page, record):
        yield fresh_page
    problems = record.problems()
    if problems:
        pytest.fail("the page had problems:\n  " + "\n  ".join(problems), pytrace=False)


def save_screenshot(page: Page, name: str, directory: Path = SCREENSHOTS) -> Path:
    """Save a full-page PNG of `page` as `directory/<name>.png` and return its path."""
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        raise ValueError(f"screenshot name {name!r}: use letters, digits, '_', '.' and '-' only")
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.png"
    partial = path.with_suffix(".png.partial")
    partial.write_bytes(page.screenshot(full_page=True, animations="disabled"))
    partial.replace(path)
    return path


@pytest.fixture
def screenshot(page: Page) -> Callable[[str], Path]:
    """`screenshot(name)` saves the `page` fixture's page to build/test-artifacts/screenshots/<name>.png."""
    return functools.partial(save_screenshot, page)
