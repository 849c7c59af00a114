"""The built site's feeds, "Coming due" page, citations and sharing metadata, against the database:
the feeds hold exactly the claims their SQL selects (read back by feedparser) and are the bytes the
database gives; the Coming due page lists exactly the pending claims due in the window and past
their deadline; every claim, predictor and series page cites the dataset as CITATION.cff and
rec_build say, in three formats that parse; claim and series pages carry OpenGraph and Twitter
tags with their chart; hostile record text stays text in all of them."""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest
import yaml

from bibtex_reader import parse_bibtex, unescape_bibtex
from conftest import site_query as query
from site_hostile import MARK, NAME, STATEMENT
from trackrecord.site import feeds
from trackrecord.site.data import SiteData

pytestmark = pytest.mark.slow
REPO = Path(__file__).parents[2]


class Head(HTMLParser):
    """The <meta> and <link> tags of a page, the rows of its tables, and its "Cite this" blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.links: list[dict] = []
        self.rows: dict[str, list[str]] = {}
        self.cites: dict[str, str] = {}
        self._table: str | None = None
        self._cite: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and (a.get("property") or a.get("name")):
            self.meta[a.get("property") or a["name"]] = a.get("content") or ""
        if tag == "link":
            self.links.append(a)
        if tag == "table":
            self._table = a.get("id")
        if tag == "tr" and self._table and a.get("data-claim"):
            self.rows.setdefault(self._table, []).append(a["data-claim"])
        if tag == "pre" and a.get("data-cite-format"):
            self._cite = a["data-cite-format"]
            self.cites[self._cite] = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        if tag == "pre":
            self._cite = None

    def handle_data(self, data):
        if self._cite:
            self.cites[self._cite] += data


def head(path: Path) -> Head:
    h = Head()
    h.feed(path.read_text(encoding="utf-8"))
    return h


def as_of(site: Path) -> dt.date:
    return query(site, "SELECT as_of_date FROM rec_build")[0][0]


def test_resolved_feed_is_the_latest_resolutions(built_site):
    parsed = feedparser.parse((built_site / "feeds" / "resolved.xml").read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    expected = query(built_site, """SELECT id, resolution_resolved_date, statement FROM rec_claims
                                    WHERE resolution_status <> 'pending' AND resolution_resolved_date IS NOT NULL
                                    ORDER BY resolution_resolved_date DESC, id LIMIT 50""")
    assert len(expected) > 10
    assert [e.id for e in parsed.entries] == [feeds.urn("resolved", i) for i, _, _ in expected]
    assert [e.updated for e in parsed.entries] == [f"{d.isoformat()}T00:00:00Z" for _, d, _ in expected]
    assert [e.summary for e in parsed.entries] == [s for _, _, s in expected]
    assert parsed.feed.updated == f"{expected[0][1].isoformat()}T00:00:00Z"
    for e in parsed.entries:  # each entry links to its claim page, relative to the feed
        assert (built_site / "feeds" / e.link / "index.html").resolve().is_file(), e.link


def test_coming_due_feed_and_page_are_the_sql_window(built_site):
    day = as_of(built_site)
    due = [i for (i,) in query(built_site, """SELECT id FROM rec_claims WHERE resolution_status = 'pending'
                                              AND deadline_date >= ? AND deadline_date <= ? ORDER BY deadline_date, id""",
                               [day, day + dt.timedelta(days=90)])]
    overdue = [i for (i,) in query(built_site, "SELECT id FROM rec_claims WHERE resolution_status = 'pending' AND deadline_date < ? "
                                                "ORDER BY deadline_date, id", [day])]
    # The fixture's boundary claims (tests/scored_repo.py): today and the window's last day are in, the day after is not.
    assert [i.rsplit("-example-", 1)[1] for i in due] == ["due-today", "due-soon", "due-last-day"]
    assert [i.rsplit("-example-", 1)[1] for i in overdue] == ["overdue"]
    page = head(built_site / "coming-due" / "index.html")
    assert page.rows == {"coming-due-table": due, "overdue-table": overdue}
    parsed = feedparser.parse((built_site / "feeds" / "coming-due.xml").read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    assert [e.id for e in parsed.entries] == [feeds.urn("coming-due", i) for i in due]
    assert parsed.feed.updated == f"{day.isoformat()}T00:00:00Z"
    html = (built_site / "coming-due" / "index.html").read_text(encoding="utf-8")
    assert 'href="../feeds/coming-due.xml"' in html and 'href="../feeds/resolved.xml"' in html
    assert 'href="../feeds/coming-due.xml"' in (built_site / "claims" / "index.html").read_text(encoding="utf-8")


def test_feeds_are_the_bytes_the_database_gives(built_site):
    data = SiteData(built_site.parent / "trackrecord.duckdb")
    try:
        day = data.build_info()["as_of_date"]
        version = data.build_info()["trackrecord_version"]
        for feed in (feeds.resolved_feed(data.recently_resolved(feeds.RESOLVED_LIMIT), day),
                     feeds.coming_due_feed(data.coming_due(day, feeds.COMING_DUE_DAYS), day)):
            again = feeds.atom(feed, authors=["Track Record contributors"], site_url=None, generator_version=version)
            assert (built_site / feed.path).read_bytes() == again, feed.path
    finally:
        data.close()


def test_every_page_names_the_feeds_in_its_head(built_site):
    for page in [built_site / "index.html", built_site / "claims" / "index.html", built_site / "methods" / "scoring" / "index.html"]:
        alternates = [l for l in head(page).links if l.get("rel") == "alternate" and l.get("type") == "application/atom+xml"]
        assert sorted(Path(l["href"]).name for l in alternates) == ["coming-due.xml", "resolved.xml"], page
        for link in alternates:
            assert (page.parent / link["href"]).resolve().is_file(), (page, link)
            # Material fetches sitemap.xml beside every alternate link (feeds.FEEDS_SITEMAP): it must answer, and parse.
            ElementTree.parse((page.parent / link["href"]).resolve().parent / "sitemap.xml")


def test_claim_predictor_and_series_pages_cite_the_build(built_site):
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    sha, day = query(built_site, "SELECT inputs_sha256, as_of_date FROM rec_build")[0]
    pages = {f"claims/{i}/": i for (i,) in query(built_site, "SELECT id FROM rec_claims ORDER BY id LIMIT 3")}
    pages.update({f"predictors/{i}/": i for (i,) in query(built_site, "SELECT id FROM rec_predictors")})
    pages.update({f"trends/series/{i}/": i for (i,) in query(built_site, "SELECT id FROM rec_metric_series")})
    for path in pages:
        cites = head(built_site / path / "index.html").cites
        assert set(cites) == {"text", "bibtex", "csl-json"}, path
        (item,) = json.loads(cites["csl-json"])
        assert item["container-title"] == cff["title"] and item["version"] == cff["version"], path
        assert item["author"] == [{"literal": a["name"]} for a in cff["authors"]]
        assert f"Page {path}." in item["note"] and sha in item["note"] and day.isoformat() in item["note"], path
        assert item["issued"] == {"date-parts": [[day.year, day.month, day.day]]}
        kind, key, fields = parse_bibtex(cites["bibtex"])
        assert kind == "misc" and key == item["id"]
        assert unescape_bibtex(fields["title"]) == "{" + item["title"] + "}"
        assert unescape_bibtex(fields["note"]) == item["note"] and fields["version"] == cff["version"]
        assert sha in cites["text"] and path in cites["text"] and cff["title"] in cites["text"]


def test_claim_and_series_pages_have_sharing_metadata_with_their_chart(built_site):
    charted = query(built_site, "SELECT id, statement FROM rec_claims WHERE operationalisation_series_id IS NOT NULL ORDER BY id LIMIT 1")[0]
    plain = query(built_site, "SELECT id, statement FROM rec_claims WHERE operationalisation_series_id IS NULL ORDER BY id LIMIT 1")[0]
    series = query(built_site, "SELECT s.id, s.name FROM rec_metric_series s WHERE EXISTS (SELECT 1 FROM rec_metric_points p "
                               "WHERE p.series_id = s.id) ORDER BY s.id LIMIT 1")[0]
    for path, description, chart in ((f"claims/{charted[0]}", charted[1], f"claim-{charted[0]}"), (f"claims/{plain[0]}", plain[1], None),
                                     (f"trends/series/{series[0]}", series[1], f"series-{series[0]}")):
        page = built_site / path / "index.html"
        meta = head(page).meta
        assert meta["og:description"] == description == meta["twitter:description"], path
        assert meta["og:type"] == "article" and meta["og:site_name"] == "Track Record"
        assert meta["og:title"] == meta["twitter:title"] and description in meta["og:title"] or meta["og:title"] == description
        assert "og:url" not in meta and not [l for l in head(page).links if l.get("rel") == "canonical"]  # no public site URL declared
        if chart:
            assert meta["twitter:card"] == "summary_large_image"
            image = (page.parent / meta["og:image"]).resolve()
            assert image == (built_site / "charts" / f"{chart}.svg").resolve() and image.is_file(), path
            assert meta["twitter:image"] == meta["og:image"]
        else:
            assert meta["twitter:card"] == "summary" and "og:image" not in meta
    assert "og:title" not in head(built_site / "predictors" / "index.html").meta


def test_hostile_text_in_feeds_citations_and_metadata_stays_text(hostile_site):
    site, touched = hostile_site
    for name, claim_id in (("resolved.xml", touched["claim"]), ("coming-due.xml", touched["due_claim"])):
        xml = (site / "feeds" / name).read_bytes()
        assert b"<script" not in xml and b"<img" not in xml
        root = ElementTree.fromstring(xml)
        assert {el.tag.split("}")[1] for el in root.iter()} <= {"feed", "id", "title", "subtitle", "updated", "link", "author", "name",
                                                                "generator", "entry", "summary", "category"}
        parsed = feedparser.parse(xml)
        assert not parsed.bozo, parsed.bozo_exception
        (entry,) = [e for e in parsed.entries if e.id == feeds.urn(name.removesuffix(".xml"), claim_id)]
        summary = root.find(f".//{{http://www.w3.org/2005/Atom}}entry[{{http://www.w3.org/2005/Atom}}id='{entry.id}']/{{http://www.w3.org/2005/Atom}}summary")
        assert summary.text == STATEMENT  # the exact text, read back
        assert " ".join(NAME.split()) in entry.title
    due_page = (site / "coming-due" / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=" in due_page and f"<script>alert('{MARK}" not in due_page
    claim_page = site / "claims" / touched["claim"] / "index.html"
    h = head(claim_page)
    assert h.meta["og:description"] == STATEMENT  # escaped in the attribute, the text itself when read back
    raw = claim_page.read_text(encoding="utf-8")
    head_html = raw[: raw.index("</head>")]
    assert "<img" not in head_html and f"<script>alert('{MARK}" not in head_html
    assert not re.search(r"<meta[^>]*content=\"[^\"]*\"[^>]*\son\w+=", head_html)
    (item,) = json.loads(h.cites["csl-json"])
    assert STATEMENT in item["title"]
    assert unescape_bibtex(parse_bibtex(h.cites["bibtex"])[2]["title"]) == "{" + item["title"] + "}"
    assert "&lt;img src=x" in raw[raw.index('data-cite-format="csl-json"'):]  # shown as text inside <pre>
    predictor = head(site / "predictors" / touched["predictor"] / "index.html")
    assert json.loads(predictor.cites["csl-json"])[0]["title"] == " ".join(NAME.split())
