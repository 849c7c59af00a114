"""`trackrecord site` end to end on the small scored repository: every page is there, every internal
link resolves, nothing is loaded from another host, the numbers are the database's, hostile record
text comes out inert, and a failed build leaves the previous site in place."""

from __future__ import annotations

import html as html_module
import json
import re
import shutil
from html import escape as html_escape
from html.parser import HTMLParser
from xml.etree import ElementTree
from pathlib import Path
from urllib.parse import unquote, urlsplit

import duckdb
import pytest

from conftest import TODAY, run_cli, site_query as query
from site_hostile import MARK
from trackrecord.site.examples import EXAMPLE_QUERIES

pytestmark = pytest.mark.slow


class Page(HTMLParser):
    """Links, scripts, resources, ids and event-handler attributes of one built HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.resources: list[str] = []
        self.scripts: list[dict] = []
        self.ids: set[str] = set()
        self.handlers: list[tuple[str, str]] = []
        self.data_metric: dict[str, str] = {}
        self._metric: str | None = None
        self._script: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "id" in a and a["id"]:
            self.ids.add(a["id"])
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "script":
            self._script = {**a, "text": ""}
            self.scripts.append(self._script)
            if a.get("src"):
                self.resources.append(a["src"])
        if tag in ("img", "iframe", "source", "embed", "video", "audio") and a.get("src"):
            self.resources.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") not in ("canonical",):
            self.resources.append(a["href"])
        if a.get("data-metric"):
            self._metric = a["data-metric"]

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script["text"] += data
        if self._metric:
            self.data_metric[self._metric] = self.data_metric.get(self._metric, "") + data

    def handle_endtag(self, tag: str) -> None:
        self._metric = None
        if tag == "script":
            self._script = None


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page




def test_every_record_has_its_page_and_every_table_its_downloads(built_site):
    for (claim_id,) in query(built_site, "SELECT id FROM rec_claims"):
        assert (built_site / "claims" / claim_id / "index.html").is_file(), claim_id
    for (pid,) in query(built_site, "SELECT id FROM rec_predictors"):
        assert (built_site / "predictors" / pid / "index.html").is_file(), pid
    for (sid,) in query(built_site, "SELECT id FROM rec_metric_series"):
        assert (built_site / "trends" / "series" / sid / "index.html").is_file(), sid
    for (pid,) in query(built_site, "SELECT id FROM rec_paradigms"):
        assert (built_site / "trends" / pid / "index.html").is_file(), pid
    for page in ("index.html", "leaderboard/index.html", "claims/index.html", "predictors/index.html", "trends/index.html",
                 "data/index.html", "contribute/index.html", "methods/scoring/index.html", "reference/tables/index.html"):
        assert (built_site / page).is_file(), page
    tables = [t for (t,) in query(built_site, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")]
    assert "score_predictor_slices" in tables and "v_leaderboard" in tables
    for t in tables:
        assert (built_site / "download" / "parquet" / f"{t}.parquet").stat().st_size > 0, t
        assert (built_site / "download" / "csv" / f"{t}.csv").read_text(encoding="utf-8").splitlines()[0], t
    con = duckdb.connect()
    n = con.execute(f"SELECT count(*) FROM '{built_site / 'download' / 'parquet' / 'rec_claims.parquet'}'").fetchone()[0]
    assert n == len(query(built_site, "SELECT id FROM rec_claims"))
    downloaded = duckdb.connect(str(built_site / "download" / "trackrecord.duckdb"), read_only=True)
    try:  # the same database (the file's bytes change whenever a later test rewrites a table)
        assert sorted(r[0] for r in downloaded.execute("SELECT table_name FROM information_schema.tables").fetchall()) == sorted(
            r[0] for r in query(built_site, "SELECT table_name FROM information_schema.tables"))
        assert downloaded.execute("SELECT * FROM rec_claims ORDER BY id").fetchall() == query(built_site, "SELECT * FROM rec_claims ORDER BY id")
    finally:
        downloaded.close()
    assert (built_site / "assets" / "vendor" / "tablesort" / "tablesort.min.js").is_file()
    assert not (built_site / "assets" / "vendor" / "tablesort" / "SOURCE.md").exists()


def test_internal_links_resolve_and_nothing_loads_from_another_host(built_site):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 20
    broken, offsite = [], []
    for path in pages:
        page = parse(path)
        for url in page.resources:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                offsite.append((path.relative_to(built_site), url))
        for url in page.links:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith("#") or url.startswith("mailto:"):
                continue
            base = built_site if parts.path.startswith("/") else path.parent  # 404.html links from the site root
            target = (base / unquote(parts.path).lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append((str(path.relative_to(built_site)), url))
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in parse(target).ids:
                broken.append((str(path.relative_to(built_site)), url))
    assert not offsite, offsite[:10]
    assert not broken, broken[:10]
    for css in built_site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"@import\s+url\(\s*['\"]?https?:|url\(\s*['\"]?https?://", text), css


def test_home_numbers_are_the_databases(built_site):
    metrics = parse(built_site / "index.html").data_metric
    claims, resolved = query(built_site, "SELECT count(*), count(*) FILTER (WHERE resolution_status <> 'pending') FROM rec_claims")[0]
    assert metrics["claims"] == f"{claims:,}"
    assert metrics["resolved"] == f"{resolved:,}"
    (scored,) = query(built_site, "SELECT count(*) FROM score_claims WHERE is_scored")[0]
    assert metrics["scored"] == f"{scored:,}"
    (brier_all,) = query(built_site, "SELECT value FROM score_sensitivity WHERE scenario = 'default' AND metric = 'brier_all'")[0]
    assert metrics["brier_all"] == f"{brier_all:.3f}"
    for group in ("insider", "outsider"):
        rows = query(built_site, f"SELECT brier FROM score_predictors WHERE group_kind = 'insider_status' AND group_id = '{group}'")
        if rows and rows[0][0] is not None:
            assert metrics[f"brier_{group}"] == f"{rows[0][0]:.3f}"
    verdicts = dict(query(built_site, "SELECT trend_verdict, count(*) FROM fit_comparisons GROUP BY trend_verdict"))
    assert metrics["verdict_not_distinguishable"] == str(verdicts.get("not_distinguishable", 0))
    assert metrics["verdict_undetermined"] == str(verdicts.get("undetermined", 0))


def test_leaderboard_order_and_claim_scores_are_the_databases(built_site):
    html = (built_site / "leaderboard" / "index.html").read_text(encoding="utf-8")
    table = html[html.index('id="leaderboard-table"'):]
    table = table[: table.index("</table>")]
    shown = re.findall(r'<tr data-predictor="([^"]+)"', table)
    assert shown == [pid for (pid,) in query(built_site, "SELECT predictor_id FROM v_leaderboard ORDER BY position")]
    assert shown, "the fixture has ranked predictors"
    for claim_id, brier in query(built_site, "SELECT claim_id, brier FROM score_claims WHERE is_scored LIMIT 5"):
        text = (built_site / "claims" / claim_id / "index.html").read_text(encoding="utf-8")
        assert f"Brier {brier:.3f}" in text


def test_operationalised_claim_page_has_the_trend_chart(built_site):
    claim_id, threshold = query(built_site, """
        SELECT id, operationalisation_threshold_value FROM rec_claims
        WHERE operationalisation_series_id IS NOT NULL ORDER BY id LIMIT 1""")[0]
    page = built_site / "claims" / claim_id / "index.html"
    html = page.read_text(encoding="utf-8")
    svg_src = re.search(r'<img src="([^"]+\.svg)"', html).group(1)
    svg = (page.parent / svg_src).resolve().read_text(encoding="utf-8")
    assert "deadline" in svg and "threshold" in svg
    assert 'class="tr-chart-spec"' in html


def test_example_queries_on_the_data_page_run(built_site):
    con = duckdb.connect(str(built_site.parent / "trackrecord.duckdb"), read_only=True)
    try:
        for title, sql in EXAMPLE_QUERIES:
            con.execute(sql).fetchall()
    finally:
        con.close()
    text = (built_site / "data" / "index.html").read_text(encoding="utf-8")
    for column in query(built_site, "SELECT column_name FROM duckdb_columns() WHERE table_name = 'score_predictor_slices'"):
        assert f"<code>{column[0]}</code>" in text


def test_hostile_record_text_is_escaped_everywhere(hostile_site):
    site, touched = hostile_site
    pages = [site / "claims" / touched["claim"] / "index.html", site / "predictors" / touched["predictor"] / "index.html",
             site / "trends" / "series" / touched["series"] / "index.html", site / "claims" / "index.html", site / "index.html",
             site / "leaderboard" / "index.html", site / "predictors" / "index.html", site / "coming-due" / "index.html"]
    for path in pages:
        page = parse(path)
        text = path.read_text(encoding="utf-8")
        assert not page.handlers, (path, page.handlers)
        assert not [u for u in page.links if u.lower().startswith("javascript:")], path
        for script in page.scripts:
            if script.get("type") == "application/json":
                json.loads(script["text"])  # record text stays data inside the chart spec
            else:
                assert MARK not in script["text"] and MARK not in (script.get("src") or ""), (path, script)
        markup = re.sub(r'<script type="application/json"[^>]*>.*?</script>', "", text, flags=re.S)  # chart data, checked above
        # Inside a quoted attribute value (the sharing metadata's description) the payload is text: drop the values first.
        tags = re.sub(r'=\s*"[^"]*"', '=""', markup)
        assert f"<script>alert('{MARK}" not in markup and not re.search(r"<[^>]*\sonerror=", tags), path
    claim_html = (site / "claims" / touched["claim"] / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=" in claim_html  # shown as text
    assert "<strong>Markdown</strong>" not in claim_html and "<h1>heading" not in claim_html  # not parsed as Markdown
    assert "tr-unsafe-url" in claim_html  # the javascript: source shown as text, not a link
    for svg in site.rglob("*.svg"):
        for element in ElementTree.parse(svg).iter():
            assert not element.tag.endswith("}script") and element.tag != "script", svg
            assert not [name for name in element.attrib if name.lower().startswith("on")], (svg, element.attrib)
            assert not [v for v in element.attrib.values() if v.strip().lower().startswith("javascript:")], svg
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "<script>" not in index


def test_site_without_scores_is_a_clear_error(good_repo):
    assert run_cli("--root", str(good_repo), "--as-of", TODAY, "build").code == 0
    result = run_cli("--root", str(good_repo), "--as-of", TODAY, "site")
    assert result.code == 1
    assert "fit_comparisons (run: trackrecord fit)" in result.err and "Traceback" not in result.err


def test_a_failed_build_keeps_the_previous_site(scored_repo, built_site, tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(scored_repo, root, ignore=lambda d, names: [n for n in names if n == "cache"])
    before = sorted(p.relative_to(root / "build" / "site") for p in (root / "build" / "site").rglob("*"))
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nnot_a_real_setting: [\n", encoding="utf-8")
    result = run_cli("--root", str(root), "--as-of", TODAY, "site", "--quiet")
    assert result.code == 1 and "mkdocs build failed" in result.err
    assert sorted(p.relative_to(root / "build" / "site") for p in (root / "build" / "site").rglob("*")) == before
    assert not list((root / "build").glob(".site-*"))


def test_record_numbers_on_the_data_page_are_their_queries(built_site):
    from trackrecord.site.examples import RECORD_QUERIES

    html = (built_site / "data" / "index.html").read_text(encoding="utf-8")
    con = duckdb.connect(str(built_site.parent / "trackrecord.duckdb"), read_only=True)
    try:
        for key, _, _, sql in RECORD_QUERIES:
            value = con.execute(sql).fetchone()[0]
            shown = re.search(rf'<tr data-number="{key}"><td>[^<]*</td><td class="tr-num">([^<]*)</td>', html).group(1)
            assert shown == (f"{100 * value:.1f}%" if key.startswith("share_") else f"{value:,.0f}"), key
        # The fixture's counts, worked by hand: two systematic collections whose counts add up; no copies.
        numbers = {key: con.execute(sql).fetchone()[0] for key, _, _, sql in RECORD_QUERIES}
    finally:
        con.close()
    assert numbers["systematic_collections"] == 2  # the good fixture's survey and Bo's list
    assert numbers["share_copy_only"] == 0 and numbers["trailing_dot_hosts"] == 0
    assert numbers["claims"] == query(built_site, "SELECT count(*) FROM rec_claims")[0][0]
    assert 'id="collection-bo-measured-list"' in html and "8 of 10 items recorded" in html
    assert 'data-slice="all:all claims"' in html


def test_selection_scores_on_home_and_claim_data_resolution(built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    (n_systematic, brier) = query(built_site, "SELECT n_scored, brier FROM score_predictors WHERE group_kind = 'selection' AND group_id = 'systematic'")[0]
    row = re.search(r'<tr data-selection="systematic">(.*?)</tr>', home).group(1)
    assert f'<td class="tr-num">{n_systematic}</td>' in row and f"{brier:.3f}" in row
    for claim_id, status, explanation in query(built_site, "SELECT claim_id, data_status, explanation FROM rec_data_resolutions"):
        html = (built_site / "claims" / claim_id / "index.html").read_text(encoding="utf-8")
        assert f'data-status="{status}"' in html
        assert html_escape(explanation[:1].upper() + explanation[1:]) in html


def test_a_disputed_point_is_shown_with_its_source_and_left_out_of_the_frontier(built_site):
    rows = query(built_site, """SELECT series_id, system, is_frontier, disputed_reason, disputed_source_url FROM rec_metric_points
                                WHERE disputed_reason IS NOT NULL""")
    assert [(r[1], r[2]) for r in rows] == [("b", False)]
    series_id, _, _, reason, url = rows[0]
    html = (built_site / "trends" / "series" / series_id / "index.html").read_text(encoding="utf-8")
    section = html[html.index('id="disputed"'):html.index('id="points"')]
    assert html_module.escape(reason, quote=False) in section and f'href="{url}"' in section
    # The fits never saw it: the frontier points they were given exclude it.
    assert query(built_site, f"SELECT count(*) FROM v_frontier_points WHERE series_id = '{series_id}' AND system = 'b'") == [(0,)]


def test_series_page_has_the_verdict_history(built_site):
    series_id, n = query(built_site, "SELECT series_id, count(*) FROM fit_verdict_history GROUP BY 1 ORDER BY 1 LIMIT 1")[0]
    html = (built_site / "trends" / "series" / series_id / "index.html").read_text(encoding="utf-8")
    section = html[html.index('id="history"'):html.index('id="parameters"')]
    assert section.count("<tr><td>") == n
