"""The site's Atom feeds and "Cite this" blocks, on hand-made rows: feeds parse with feedparser (an
independent reader) and ElementTree, keep hostile text as text, replace characters XML cannot carry,
and give the same bytes for the same rows; BibTeX fields stay brace-balanced and read back to the
text, CSL-JSON loads; CITATION.cff problems are clear errors; a declared site URL is found."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest

from bibtex_reader import parse_bibtex, unescape_bibtex
from conftest import REPO

from trackrecord.site import citations, feeds
from trackrecord.site.build import SiteError, dataset, declared_site_url

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = "<script>alert('x')</script> & \"quotes\" ]]> {unbalanced} \\ % $ # _ ^ ~ {"
AS_OF = dt.date(2026, 11, 23)


def claim(i: int, **kw) -> dict:
    row = {"id": f"2020-01-0{i}-ada-example-c{i}", "statement": f"Statement {i}.", "predictor_id": "ada-example",
           "predictor_name": "Ada Example", "made_date": dt.date(2020, 1, i), "deadline_date": dt.date(2026, 12, i),
           "resolution_status": "true", "resolution_resolved_date": dt.date(2026, 1, i)}
    return {**row, **kw}


def test_resolved_feed_parses_with_its_entries_dates_and_links():
    rows = [claim(2), claim(1, resolution_status="false")]
    xml = feeds.atom(feeds.resolved_feed(rows, AS_OF), authors=["Track Record contributors"], site_url=None)
    parsed = feedparser.parse(xml)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Track Record: claims newly resolved"
    assert parsed.feed.updated == "2026-01-02T00:00:00Z"  # the newest resolution
    assert parsed.feed.author == "Track Record contributors"
    assert parsed.feed.id.startswith("urn:uuid:")
    assert [e.id for e in parsed.entries] == [feeds.urn("resolved", r["id"]) for r in rows]
    assert [e.updated for e in parsed.entries] == ["2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z"]
    assert [e.link for e in parsed.entries] == [f"../claims/{r['id']}/" for r in rows]
    assert [e.summary for e in parsed.entries] == ["Statement 2.", "Statement 1."]
    assert parsed.entries[1].title == "Did not come true: Ada Example — Statement 1."
    links = {l.rel: l.href for l in parsed.feed.links}
    assert links == {"self": "resolved.xml", "alternate": "../claims/"}


def test_coming_due_entries_are_dated_when_they_entered_the_window():
    rows = [claim(1, resolution_status="pending", resolution_resolved_date=None, deadline_date=dt.date(2027, 1, 15)),
            claim(2, resolution_status="pending", resolution_resolved_date=None, made_date=dt.date(2026, 11, 1), deadline_date=dt.date(2027, 1, 20))]
    parsed = feedparser.parse(feeds.atom(feeds.coming_due_feed(rows, AS_OF), authors=["A"], site_url="https://example.org/tr/"))
    assert not parsed.bozo
    assert parsed.feed.updated == "2026-11-23T00:00:00Z"
    # 90 days before the deadline, but never before the claim was made.
    assert [e.updated for e in parsed.entries] == ["2026-10-17T00:00:00Z", "2026-11-01T00:00:00Z"]
    assert parsed.entries[0].title == "Due 2027-01-15: Ada Example — Statement 1."
    assert parsed.entries[0].link == f"https://example.org/tr/claims/{rows[0]['id']}/"  # absolute under a declared site URL
    assert {l.rel: l.href for l in parsed.feed.links}["self"] == "https://example.org/tr/feeds/coming-due.xml"


def test_empty_feeds_are_valid_and_dated_by_the_build():
    for feed in (feeds.resolved_feed([], AS_OF), feeds.coming_due_feed([], AS_OF)):
        parsed = feedparser.parse(feeds.atom(feed, authors=["A"], site_url=None))
        assert not parsed.bozo and parsed.entries == [] and parsed.feed.updated == "2026-11-23T00:00:00Z"


def test_hostile_text_stays_text_and_unrepresentable_characters_are_replaced():
    text = HOSTILE + " bell\x07 nul\x00 line\u2028sep"
    rows = [claim(1, statement=text, predictor_name="</title><b>O'Brien</b>")]
    xml = feeds.atom(feeds.resolved_feed(rows, AS_OF), authors=["A & B <c>"], site_url=None)
    root = ElementTree.fromstring(xml)  # well-formed XML
    assert {el.tag.removeprefix(ATOM) for el in root.iter()} <= {"feed", "id", "title", "subtitle", "updated", "link", "author", "name",
                                                                  "generator", "entry", "summary", "category"}
    expected = HOSTILE + " bell\ufffd nul\ufffd line sep"  # on one line: U+2028 is whitespace
    assert root.find(f"{ATOM}entry/{ATOM}summary").text == expected
    assert root.find(f"{ATOM}author/{ATOM}name").text == "A & B <c>"
    parsed = feedparser.parse(xml)
    assert not parsed.bozo
    assert parsed.entries[0].summary_detail.type == "text/plain"
    assert b"<script>" not in xml and b"<b>" not in xml


def test_same_rows_same_bytes():
    rows = [claim(1), claim(2)]
    one = feeds.atom(feeds.resolved_feed(rows, AS_OF), authors=["A"], site_url=None, generator_version="0.1.0")
    two = feeds.atom(feeds.resolved_feed([dict(r) for r in rows], AS_OF), authors=["A"], site_url=None, generator_version="0.1.0")
    assert one == two and one.startswith(b"<?xml")


# --- citations -----------------------------------------------------------------------------------

def write_cff(tmp_path: Path, text: str) -> Path:
    (tmp_path / "CITATION.cff").write_text(text, encoding="utf-8")
    return tmp_path


CFF = """cff-version: 1.2.0
title: "Track Record: who predicted?"
authors:
  - name: "Track Record contributors"
  - family-names: Lovelace
    given-names: Ada
version: 0.1.0
date-released: 2026-11-23
"""
BUILD = {"inputs_sha256": "ab" * 32, "as_of_date": AS_OF}


def test_bibtex_and_csl_json_carry_hostile_titles_exactly(tmp_path):
    cited = dataset(write_cff(tmp_path, CFF))
    c = citations.page_citation(cited, BUILD, page="claims/2020-01-01-ada-example-c1.md", title=HOSTILE, site_url=None)
    kind, key, fields = parse_bibtex(citations.bibtex(c))
    assert (kind, key) == ("misc", "trackrecord-claims-2020-01-01-ada-example-c1")
    assert unescape_bibtex(fields["title"]) == "{" + HOSTILE + "}"  # one pair of braces keeps the title's case
    assert fields["author"] == "{Track Record contributors} and Lovelace, Ada"
    assert fields["version"] == "0.1.0" and fields["year"] == "2026"
    assert unescape_bibtex(fields["note"]) == f"Page claims/2020-01-01-ada-example-c1/. Build inputs SHA-256 {'ab' * 32}, as of 2026-11-23"
    assert "url" not in fields  # no public site declared: no address invented
    (item,) = json.loads(citations.csl_json(c))
    assert item["title"] == HOSTILE and item["container-title"] == "Track Record: who predicted?"
    assert item["author"] == [{"literal": "Track Record contributors"}, {"family": "Lovelace", "given": "Ada"}]
    assert item["version"] == "0.1.0" and item["issued"] == {"date-parts": [[2026, 11, 23]]} and "URL" not in item
    assert "ab" * 32 in item["note"] and "claims/2020-01-01-ada-example-c1/" in item["note"]
    text = citations.plain_text(c)
    assert "Track Record contributors and Ada Lovelace (2026)." in text and "version 0.1.0" in text and "2026-11-23" in text


def test_a_declared_site_url_makes_citations_absolute(tmp_path):
    cited = dataset(write_cff(tmp_path, CFF + "url: https://example.org/tr/\n"))
    assert declared_site_url(tmp_path) == "https://example.org/tr/"
    c = citations.page_citation(cited, BUILD, page="trends/series/x.md", title="X", site_url=declared_site_url(tmp_path))
    assert parse_bibtex(citations.bibtex(c))[2]["url"] == "https://example.org/tr/trends/series/x/"
    assert json.loads(citations.csl_json(c))[0]["URL"] == "https://example.org/tr/trends/series/x/"
    (tmp_path / "mkdocs.yml").write_text("site_name: T\nsite_url: https://site.example/\nmarkdown_extensions:\n"
                                         "  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n")
    assert declared_site_url(tmp_path) == "https://site.example/"  # mkdocs.yml first; its python tags do not stop the read


def test_the_repository_declares_no_site_url():
    root = REPO
    assert declared_site_url(root) is None


@pytest.mark.parametrize("text, message", [
    (None, "CITATION.cff is missing"),
    ("title: [unclosed\n", "is not valid YAML"),
    ("authors:\n  - name: A\nversion: 1\n", "`title` is missing or empty"),
    ("title: T\nversion: 1\n", "`authors` is missing or empty"),
    ("title: T\nversion: 1\nauthors:\n  - given-names: Ada\n", "authors[0] has neither `family-names` nor `name`"),
])
def test_citation_cff_problems_are_clear_errors(tmp_path, text, message):
    if text is not None:
        write_cff(tmp_path, text)
    with pytest.raises(SiteError) as error:
        dataset(tmp_path)
    assert message in str(error.value)
