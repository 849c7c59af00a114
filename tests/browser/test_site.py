"""The built site in headless Chromium: every kind of page loads without console errors or requests
to other hosts (the `page` fixture fails the test otherwise), the numbers shown are the database's,
filters, sorting and search work, charts become interactive and read without JavaScript, hostile
record text stays inert, and a headline number leads to a claim's source in three clicks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from site_hostile import MARK, SEARCH_WORD

from conftest import site_query as db_rows

from .conftest import save_screenshot, watched_page




def first(site: Path, sql: str) -> str:
    return db_rows(site, sql)[0][0]


def page_paths(site: Path) -> dict[str, str]:
    return {
        "home": "",
        "leaderboard": "leaderboard/",
        "claims": "claims/",
        "claim": f"claims/{first(site, 'SELECT id FROM rec_claims WHERE operationalisation_series_id IS NOT NULL ORDER BY id')}/",
        "predictors": "predictors/",
        "predictor": f"predictors/{first(site, 'SELECT predictor_id FROM v_leaderboard ORDER BY position')}/",
        "trends": "trends/",
        "paradigm": f"trends/{first(site, 'SELECT id FROM rec_paradigms ORDER BY id')}/",
        "series": f"trends/series/{first(site, 'SELECT series_id FROM fit_comparisons ORDER BY series_id')}/",
        "data": "data/",
        "coming-due": "coming-due/",
        "methods": "methods/scoring/",
        "contribute": "contribute/",
    }


KINDS = ("home", "leaderboard", "claims", "claim", "predictors", "predictor", "trends", "paradigm", "series", "data", "coming-due",
         "methods", "contribute")


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_page_loads_clean(built_site, site_server, page, kind):
    url = site_server(built_site) + page_paths(built_site)[kind]
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.status == 200
    assert page.locator("article h1").first.is_visible()
    save_screenshot(page, f"site-{kind}")


def test_home_numbers_are_the_databases(built_site, site_server, page):
    page.goto(site_server(built_site))
    claims, resolved = db_rows(built_site, "SELECT count(*), count(*) FILTER (WHERE resolution_status <> 'pending') FROM rec_claims")[0]
    assert page.locator('[data-metric="claims"]').inner_text() == f"{claims:,}"
    assert page.locator('[data-metric="resolved"]').inner_text() == f"{resolved:,}"
    brier = first(built_site, "SELECT brier FROM score_predictors WHERE group_kind = 'insider_status' AND group_id = 'insider'")
    assert page.locator('[data-metric="brier_insider"]').inner_text() == f"{brier:.3f}"
    hit_rate = first(built_site, "SELECT value FROM score_sensitivity WHERE scenario = 'default' AND metric = 'hit_rate'")
    assert page.locator('[data-metric="hit_rate"]').inner_text() == f"{100 * hit_rate:.0f}%"


def visible_rows(page, table: str = "#claims-table") -> int:
    return page.locator(f"{table} tbody tr:visible").count()


def test_claims_filters_search_and_the_address_bar(built_site, site_server, page):
    base = site_server(built_site) + "claims/"
    page.goto(base)
    total = first(built_site, "SELECT count(*) FROM rec_claims")
    assert visible_rows(page) == total
    page.select_option("select[name=status]", "false")
    assert visible_rows(page) == first(built_site, "SELECT count(*) FROM rec_claims WHERE resolution_status = 'false'")
    assert "status=false" in page.url
    page.select_option("select[name=status]", "")
    statement, claim_id = db_rows(built_site, "SELECT statement, id FROM rec_claims WHERE statement LIKE '%measured-3%'")[0]
    page.fill("input[name=q]", "measured-3")
    assert visible_rows(page) == 1
    assert page.locator("#claims-table tbody tr:visible a").nth(1).inner_text() == statement
    page.fill("input[name=q]", "")
    assert visible_rows(page) == total
    # A linked, filtered view (the home page's links) opens filtered.
    page.goto(base + "?insider=insider&scored=yes")
    expected = first(built_site, """SELECT count(*) FROM v_claims c JOIN score_claims s ON s.claim_id = c.id
                                   WHERE c.is_insider AND s.is_scored""")
    assert visible_rows(page) == expected
    assert page.locator(".tr-filters__count").inner_text() == f"showing {expected} of {total}"


def test_sorting_a_column(built_site, site_server, page):
    page.goto(site_server(built_site) + "claims/")
    page.locator("#claims-table th", has_text="Brier").click()
    values = page.eval_on_selector_all("#claims-table tbody tr td:nth-child(7)", "cells => cells.map(c => c.dataset.sort)")
    numbers = [float(v) for v in values if v]
    assert numbers and (numbers == sorted(numbers) or numbers == sorted(numbers, reverse=True))
    page.locator("#claims-table th", has_text="Brier").click()  # a second click reverses the order
    again = [float(v) for v in page.eval_on_selector_all("#claims-table tbody tr td:nth-child(7)", "cells => cells.map(c => c.dataset.sort)") if v]
    assert again == sorted(numbers, reverse=numbers == sorted(numbers))


def test_leaderboard_order_and_slices(built_site, site_server, page):
    page.goto(site_server(built_site) + "leaderboard/")
    shown = page.eval_on_selector_all("#leaderboard-table tbody tr", "rows => rows.map(r => r.dataset.predictor)")
    assert shown == [r[0] for r in db_rows(built_site, "SELECT predictor_id FROM v_leaderboard ORDER BY position")]
    kind, value = db_rows(built_site, "SELECT slice_kind, slice_value FROM score_predictor_slices WHERE is_ranked AND slice_kind = 'decade' ORDER BY 2")[0]
    page.select_option("select[name=slice]", f"{kind}:{value}")
    section = page.locator(f'section.tr-slice[data-slice="{kind}:{value}"]')
    assert section.is_visible() and not page.locator('section.tr-slice[data-slice="all"]').is_visible()
    ranked = [r[0] for r in db_rows(built_site, "SELECT predictor_id FROM score_predictor_slices WHERE is_ranked AND slice_kind = ? AND slice_value = ?", [kind, value])]
    rows = section.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.predictor)")
    assert sorted(rows) == sorted(ranked)
    assert f"slice={kind}%3A{value}" in page.url or f"slice={kind}:{value}" in page.url


def test_charts_are_interactive_and_read_without_javascript(built_site, site_server, page, browser):
    path = page_paths(built_site)["series"]
    page.goto(site_server(built_site) + path)
    figure = page.locator("figure.tr-chart").first
    figure.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('figure.tr-chart .js-plotly-plot') !== null", timeout=15_000)
    assert figure.locator(".modebar").count() == 1  # zoom, pan and reset
    assert not figure.locator("img").is_visible()
    points = page.evaluate("() => document.querySelector('figure.tr-chart .js-plotly-plot').data.map(t => t.name)")
    assert "frontier" in points
    context = browser.new_context(java_script_enabled=False)
    try:
        still = context.new_page()
        still.goto(site_server(built_site) + path)
        image = still.locator("figure.tr-chart img").first
        assert image.is_visible()
        assert still.evaluate("img => img.naturalWidth", image.element_handle()) > 0
        assert still.locator("table").count() >= 2
    finally:
        context.close()


def test_material_search_finds_a_claim(built_site, site_server, page):
    page.goto(site_server(built_site))
    page.keyboard.press("/")
    page.fill("input.md-search__input", "halfway")
    result = page.locator(".md-search-result__item a").first
    result.wait_for(timeout=10_000)
    assert "halfway" in result.get_attribute("href")


def test_three_clicks_from_a_headline_number_to_a_claims_source(built_site, site_server, page):
    page.goto(site_server(built_site))
    page.locator("a.tr-headline", has=page.locator('[data-metric="scored"]')).click()  # 1: the scored claims
    page.wait_for_url("**/claims/?scored=yes")
    scored = first(built_site, "SELECT count(*) FROM score_claims WHERE is_scored")
    assert visible_rows(page) == scored
    row = page.locator("#claims-table tbody tr:visible").first
    row.locator("td:nth-child(3) a").click()  # 2: a claim behind the number
    page.wait_for_url("**/claims/*/")
    claim_id = page.url.rstrip("/").rsplit("/", 1)[1]
    source_url = first(built_site, f"SELECT source_url FROM rec_claims JOIN rec_sources USING (source_key) WHERE id = '{claim_id}'")
    link = page.locator("dl.tr-facts dd a").filter(has_text=first(built_site, f"SELECT coalesce(source_title, source_url) FROM v_claims c LEFT JOIN rec_sources USING (source_key) WHERE id = '{claim_id}'")).first
    assert link.get_attribute("href") == source_url and link.is_visible()  # 3: the source (not followed: another host)


def test_hostile_record_text_is_inert_in_the_browser(hostile_site, site_server, browser):
    site, touched = hostile_site
    base = site_server(site)
    paths = [f"claims/{touched['claim']}/", f"predictors/{touched['predictor']}/", f"trends/series/{touched['series']}/",
             "claims/", "predictors/", "leaderboard/", ""]
    for path in paths:
        with watched_page(browser) as (page, record):
            page.goto(base + path, wait_until="networkidle")
            for chart in page.locator("figure.tr-chart").all():
                chart.scroll_into_view_if_needed()
                chart.hover()
            injected = page.evaluate(f"""() => ({{
                images: [...document.querySelectorAll('img[src="x"]')].length,
                svgs: [...document.querySelectorAll('svg[onload]')].length,
                scripts: [...document.scripts].filter(s => s.type !== 'application/json' && s.textContent.includes('{MARK}')).length,
                js_links: [...document.querySelectorAll('a[href]')].filter(a => a.href.startsWith('javascript:')).length,
                handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
            }})""")
            assert injected == {"images": 0, "svgs": 0, "scripts": 0, "js_links": 0, "handlers": 0}, (path, injected)
            if path.startswith("claims/2"):
                assert "<img src=x onerror=" in page.locator("article h1").inner_text()  # shown as text
                assert "**Markdown**" in page.locator("blockquote").inner_text()  # not turned into Markdown
        assert record.problems() == [], (path, record.problems())
    with watched_page(browser) as (page, record):
        page.goto(base)
        page.keyboard.press("/")
        page.fill("input.md-search__input", SEARCH_WORD)
        page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
        page.wait_for_timeout(300)
        assert page.evaluate("() => document.querySelectorAll('.md-search-result img[src=\"x\"], .md-search-result script').length") == 0
    assert record.problems() == []
    assert json.dumps(record.dialogs) == "[]"
