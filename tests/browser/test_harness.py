"""The browser harness itself, on small sites the tests write: what the watched page records, what
it lets through, and that a real MkDocs-Material build works with no network."""

from __future__ import annotations

import struct
import textwrap
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from .conftest import require_chromium, watched_page

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TALL_PX = 3000

HEAD = '<meta charset="utf-8"><link rel="icon" href="data:,"><link rel="stylesheet" href="style.css">'
TINY_SITE = {
    "style.css": "h1 { color: rgb(1, 2, 3); }",
    "clean.html": f"<!doctype html><html><head>{HEAD}<title>clean</title></head><body><h1>Clean</h1>"
    "<script>document.body.dataset.ran = 'yes';</script></body></html>",
    "tall.html": f"<!doctype html><html><head>{HEAD}<title>tall</title></head><body>"
    f'<div style="height: {TALL_PX}px">Tall</div></body></html>',
    "console-error.html": f"<!doctype html><html><head>{HEAD}<title>console</title></head><body>"
    "<script>console.error('logged on purpose');</script></body></html>",
    "thrown.html": f"<!doctype html><html><head>{HEAD}<title>thrown</title></head><body>"
    "<script>throw new TypeError('thrown on purpose');</script></body></html>",
    "offsite.html": f"<!doctype html><html><head>{HEAD}<title>offsite</title></head><body>"
    '<img src="http://example.com/x.png" alt=""></body></html>',
    "alert.html": f"<!doctype html><html><head>{HEAD}<title>alert</title></head><body>"
    "<script>alert('xss'); document.body.dataset.after = 'yes';</script></body></html>",
}


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory, site_server) -> str:
    root = tmp_path_factory.mktemp("tiny")
    for name, text in TINY_SITE.items():
        (root / name).write_text(text, encoding="utf-8")
    return site_server(root)


def test_clean_page_loads_with_no_problems(browser, tiny_site):
    with watched_page(browser) as (page, record):
        page.goto(tiny_site + "clean.html")
        assert page.inner_text("h1") == "Clean"
        assert page.evaluate("document.body.dataset.ran") == "yes"
        # style.css came through the routing from the local server
        assert page.eval_on_selector("h1", "h => getComputedStyle(h).color") == "rgb(1, 2, 3)"
    assert record.problems() == []


def test_console_error_is_a_problem(browser, tiny_site):
    with watched_page(browser) as (page, record):
        page.goto(tiny_site + "console-error.html")
    assert record.console_errors == [f"logged on purpose ({tiny_site}console-error.html:1)"]
    assert record.problems() == [f"console error: logged on purpose ({tiny_site}console-error.html:1)"]


def test_uncaught_error_is_a_problem(browser, tiny_site):
    with watched_page(browser) as (page, record):
        page.goto(tiny_site + "thrown.html")
    assert record.page_errors == ["TypeError: thrown on purpose"]
    assert record.problems() == ["uncaught error: TypeError: thrown on purpose"]


def test_offsite_request_is_recorded_and_aborted(browser, tiny_site):
    with watched_page(browser) as (page, record):
        with page.expect_event("requestfailed") as failed:
            page.goto(tiny_site + "offsite.html")
    assert failed.value.url == "http://example.com/x.png"
    # aborted by the route ("Inspector": the DevTools protocol Playwright drives), not by DNS
    assert failed.value.failure == "net::ERR_BLOCKED_BY_CLIENT.Inspector"
    assert record.offsite_requests == ["GET http://example.com/x.png"]
    assert "offsite request (aborted): GET http://example.com/x.png" in record.problems()


def test_alert_is_recorded_and_dismissed(browser, tiny_site):
    with watched_page(browser) as (page, record):
        page.goto(tiny_site + "alert.html")
        assert page.evaluate("document.body.dataset.after") == "yes"  # the page went on
    assert record.problems() == ["dialog opened: alert 'xss'"]


def test_screenshot_is_a_full_page_png(page, screenshot, tiny_site):
    page.goto(tiny_site + "tall.html")
    path = screenshot("harness-tall")
    header = path.read_bytes()[:24]
    width, height = struct.unpack(">II", header[16:24])  # the IHDR chunk
    assert header[:8] == PNG_SIGNATURE
    assert (width, height) == (1280, TALL_PX + 16)  # plus the body's default 8px margins
    assert not path.with_suffix(".png.partial").exists()


def test_missing_chromium_fails_and_names_the_fix(tmp_path):
    with pytest.raises(pytest.fail.Exception, match=r"make browser.*apt-get install chromium"):
        require_chromium(tmp_path / "no-chromium")


def test_site_server_refuses_a_missing_directory(site_server, tmp_path):
    with pytest.raises(FileNotFoundError, match="no such directory"):
        site_server(tmp_path / "not-built")


# ---------------------------------------------------------------------------------------------
# A real MkDocs-Material build

SEARCH_WORD = "quokka"


def build_material_site(root: Path, theme_options: str) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n\nThe front page of a test site.\n", encoding="utf-8")
    (root / "docs" / "notes.md").write_text(
        f"# Notes\n\nOnly this page mentions the {SEARCH_WORD}.\n", encoding="utf-8"
    )
    (root / "mkdocs.yml").write_text(
        textwrap.dedent(
            """\
            site_name: Harness
            nav: [index.md, notes.md]
            theme:
              name: material
            """
        )
        + textwrap.indent(theme_options, "  "),
        encoding="utf-8",
    )
    site = root / "site"
    build(load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site)))
    return site


@pytest.fixture(scope="module")
def offline_material(tmp_path_factory, site_server) -> str:
    return site_server(build_material_site(tmp_path_factory.mktemp("offline"), "font: false\n"))


def test_material_site_makes_no_offsite_request(browser, offline_material):
    with watched_page(browser) as (page, record):
        page.goto(offline_material, wait_until="networkidle")
        assert page.title() == "Harness"
        page.goto(offline_material + "notes/", wait_until="networkidle")
        assert page.inner_text("article h1") == "Notes"
    assert record.problems() == []


def test_material_search_works_offline(browser, offline_material):
    with watched_page(browser) as (page, record):
        page.goto(offline_material, wait_until="networkidle")
        page.keyboard.press("/")  # Material's shortcut: opens and focuses the search box
        page.locator("input.md-search__input").press_sequentially(SEARCH_WORD)
        results = page.locator(".md-search-result__item a.md-search-result__link")
        results.first.wait_for()
        assert [link.get_attribute("href") for link in results.all()] == [offline_material + "notes/"]
    assert record.problems() == []


def test_material_with_google_fonts_is_caught(browser, site_server, tmp_path):
    # Material's default theme.font loads Roboto from Google Fonts: the harness must notice.
    url = site_server(build_material_site(tmp_path, ""))
    with watched_page(browser) as (page, record):
        page.goto(url, wait_until="networkidle")
    assert any(request.startswith("GET https://fonts.googleapis.com/") for request in record.offsite_requests)
