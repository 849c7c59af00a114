"""Accessibility in headless Chromium: axe-core finds no WCAG 2.1 A/AA or best-practice violation on any
kind of page, in the light and the dark scheme, with every chart drawn; no table overflows the page at
laptop width (a wide one scrolls in its own box, which the keyboard can reach); sorting, filtering and
the charts' buttons work by keyboard; and the interactive charts follow the colour scheme.

axe-core is vendored under tests/browser/vendor/axe-core/ (see SOURCE.md) and injected into the page
as inline script text, so nothing is requested from another host (the `page` fixture checks that)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from .conftest import watched_page
from .test_site import KINDS, first, page_paths

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
LAPTOP = {"width": 1280, "height": 800}
MAX_TABS = 400  # more than any page has tab stops before the element a test tabs to


def draw_every_chart(page: Page) -> None:
    """Bring each chart into view (they are drawn near the viewport) and wait until it is drawn or static."""
    for figure in page.locator("figure.tr-chart").all():
        figure.scroll_into_view_if_needed()
        figure.locator("xpath=self::*[@data-tr-chart='interactive' or @data-tr-chart='static']").wait_for()
    page.evaluate("window.scrollTo(0, 0)")


def axe_violations(page: Page) -> list[dict]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return result.violations.map(v => ({id: v.id, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary.replace(/\\s+/g, " "))}));
        }""",
        AXE_TAGS,
    )


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['help']}):\n    " + "\n    ".join(v["nodes"][:5]) for v in violations)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", KINDS)
def test_axe_finds_no_violations(built_site, site_server, page, kind, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(site_server(built_site) + page_paths(built_site)[kind], wait_until="networkidle")
    expected = "slate" if scheme == "dark" else "default"
    assert page.evaluate("document.body.dataset.mdColorScheme") == expected
    draw_every_chart(page)
    violations = axe_violations(page)
    assert violations == [], f"{kind} ({scheme}):\n" + describe(violations)


def test_axe_is_able_to_fail(built_site, site_server, page):
    """The check above is not vacuous: an image without a text alternative is reported."""
    page.goto(site_server(built_site) + page_paths(built_site)["home"], wait_until="networkidle")
    page.evaluate("document.querySelector('article').insertAdjacentHTML('beforeend', '<img src=\"data:,\">')")
    assert "image-alt" in [v["id"] for v in axe_violations(page)]


@pytest.mark.parametrize("kind", KINDS)
def test_no_table_overflows_the_page_at_laptop_width(built_site, site_server, browser, kind):
    """Every table sits in a box that scrolls sideways (ours, or the theme's for Markdown tables), inside the
    content column; ours takes the focus exactly when it has something to scroll."""
    with watched_page(browser) as (page, record):
        page.set_viewport_size(LAPTOP)
        page.goto(site_server(built_site) + page_paths(built_site)[kind], wait_until="networkidle")
        layout = page.evaluate("""() => {
            // The content column: Material's own table boxes reach into the article's side margins.
            const content = document.querySelector(".md-content").getBoundingClientRect();
            const tables = [...document.querySelectorAll("article table")].filter(t => t.offsetParent !== null);
            return {
                page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
                tables: tables.map(t => {
                    const box = t.closest(".tr-table-wrap, .md-typeset__scrollwrap");
                    const shown = (box || t).getBoundingClientRect();
                    return {
                        table: t.id || t.className || "markdown table",
                        ours: box !== null && box.classList.contains("tr-table-wrap"),
                        boxed: box !== null,
                        inside: shown.left >= content.left - 1 && shown.right <= content.right + 1,
                        wide: box !== null && box.scrollWidth > box.clientWidth + 1,
                        scrolls: box !== null && ["auto", "scroll"].includes(getComputedStyle(box).overflowX),
                        focusable: box !== null && box.tabIndex === 0,
                    };
                }),
            };
        }""")
    assert record.problems() == []
    scroll_width, client_width = layout["page"]
    assert scroll_width <= client_width, f"{kind}: the page scrolls sideways ({scroll_width} > {client_width} px)"
    for table in layout["tables"]:
        assert table["boxed"] and table["inside"] and table["scrolls"], (kind, table)
        if table["ours"]:
            assert table["focusable"] == table["wide"], (kind, table)


def tab_to(page: Page, predicate_js: str, what: str) -> None:
    """Press Tab until the focused element satisfies `predicate_js` (a function of the element)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(f"({predicate_js})(document.activeElement)"):
            return
    pytest.fail(f"{what} cannot be reached with Tab (tried {MAX_TABS} times)")


def brier_column(page: Page) -> list[float]:
    values = page.eval_on_selector_all("#claims-table tbody tr td:nth-child(7)", "cells => cells.map(c => c.dataset.sort)")
    return [float(v) for v in values if v]


def test_sorting_and_filtering_by_keyboard(built_site, site_server, page):
    page.goto(site_server(built_site) + "claims/")
    tab_to(page, "e => e.tagName === 'TH' && e.textContent.trim() === 'Brier'", "the Brier column's header")
    page.keyboard.press("Enter")
    header = page.locator("#claims-table th", has_text="Brier")
    numbers = brier_column(page)
    assert header.get_attribute("aria-sort") in ("ascending", "descending")
    assert numbers and numbers in (sorted(numbers), sorted(numbers, reverse=True))
    first_order = header.get_attribute("aria-sort")
    page.keyboard.press("Enter")  # again: the other way
    assert header.get_attribute("aria-sort") not in (first_order, None)
    assert brier_column(page) == sorted(numbers, reverse=numbers == sorted(numbers))
    # The filters are ordinary form controls: Tab to the status filter and choose with the arrow keys.
    page.goto(site_server(built_site) + "claims/")
    tab_to(page, "e => e.name === 'status'", "the status filter")
    statuses = page.eval_on_selector("select[name=status]", "s => [...s.options].map(o => o.value)")
    page.keyboard.press("ArrowDown")
    chosen = page.eval_on_selector("select[name=status]", "s => s.value")
    assert chosen == statuses[1]
    expected = first(built_site, f"SELECT count(*) FROM rec_claims WHERE resolution_status = '{chosen}'")
    assert page.locator("#claims-table tbody tr:visible").count() == expected


def test_chart_buttons_work_by_keyboard(built_site, site_server, page):
    page.goto(site_server(built_site) + page_paths(built_site)["series"])
    draw_every_chart(page)
    plot = "document.querySelector('figure.tr-chart .js-plotly-plot')"
    before = page.evaluate(f"{plot}.layout.xaxis.range.slice()")
    tab_to(page, "e => e.classList.contains('modebar-btn') && e.dataset.title === 'Zoom in'", "the chart's zoom-in button")
    assert page.evaluate(f"{plot}.contains(document.activeElement)")
    page.keyboard.press("Enter")
    page.wait_for_function(f"(before) => {plot}.layout.xaxis.range[0] !== before[0]", arg=before)
    after = page.evaluate(f"{plot}.layout.xaxis.range.slice()")
    assert after[0] > before[0] or after[1] < before[1]  # narrower: zoomed in


def chart_colours(page: Page) -> dict:
    return page.evaluate("""() => {
        const plot = document.querySelector('figure.tr-chart .js-plotly-plot');
        const frontier = plot.data.find(t => t.name === 'frontier');
        return {paper: plot.layout.paper_bgcolor, text: plot.layout.font.color, frontier: frontier && frontier.marker.color};
    }""")


def test_charts_follow_the_colour_scheme(built_site, site_server, page):
    from trackrecord.site.charts import PALETTE, SCHEMES

    page.emulate_media(color_scheme="light")
    page.goto(site_server(built_site) + page_paths(built_site)["series"])
    draw_every_chart(page)
    light = {"paper": SCHEMES["light"]["background"], "text": SCHEMES["light"]["text"], "frontier": PALETTE["frontier"]}
    assert chart_colours(page) == light
    # The theme's own toggle switches to the dark scheme; the drawn chart follows without a reload.
    page.locator("form[data-md-component=palette] label:visible").first.click()
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    page.wait_for_function("() => document.querySelector('figure.tr-chart .js-plotly-plot').layout.paper_bgcolor !== 'white'")
    dark = chart_colours(page)
    assert dark["paper"] == SCHEMES["dark"]["background"] and dark["text"] == SCHEMES["dark"]["text"]
    assert dark["frontier"] != PALETTE["frontier"]  # black points would vanish on the dark page
    # A page opened in the dark scheme draws its charts dark from the start.
    page.goto(site_server(built_site) + page_paths(built_site)["leaderboard"])
    draw_every_chart(page)
    assert page.evaluate("document.querySelector('figure.tr-chart .js-plotly-plot').layout.paper_bgcolor") == SCHEMES["dark"]["background"]
