"""Atom feeds (RFC 4287) of the site: claims newly resolved, and claims coming due.

A feed is built from the database alone, so the same database gives the same bytes: every date in
it is a record's date or the build's as-of date (rec_build), never the clock, and the XML is
serialised by ElementTree in a fixed order. Ids are `urn:uuid:` names (UUID 5 of the feed and the
claim id under a fixed namespace): absolute and stable without a public site address, which the
project does not declare (a `tag:` URI would need a domain or e-mail address the project owns).
Links are relative to the feed's own address unless a public site URL is declared, then absolute.
Record text is XML-escaped by ElementTree; characters XML 1.0 cannot carry at all (most control
characters) are replaced by U+FFFD first, since no escape exists for them.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import uuid
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from .render import page_url

ATOM = "http://www.w3.org/2005/Atom"
# Fixed forever: every feed and entry id is derived from it, and feed readers know entries by id.
ID_NAMESPACE = uuid.UUID("8f6f3f0e-3c1b-5b7a-9a52-6c2d8e1f4b90")
RESOLVED_LIMIT = 50  # the resolved feed holds the most recent claims by resolution date
COMING_DUE_DAYS = 90  # the coming-due feed and page: deadlines up to this many days after the as-of date
RESOLUTION_WORDS = {"true": "Came true", "false": "Did not come true", "partly": "Partly came true", "ambiguous": "Ambiguous"}
# Characters outside XML 1.0's Char production: no escape can represent them.
NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: dt.date
    page: str  # the claim's page, a .md path
    summary: str
    category: str | None = None


@dataclass
class Feed:
    path: str  # where the feed is written, e.g. feeds/resolved.xml
    id: str
    title: str
    subtitle: str
    updated: dt.date
    page: str  # the HTML page the feed is the alternate of, a .md path
    entries: list[Entry] = field(default_factory=list)


def urn(*parts: str) -> str:
    return uuid.uuid5(ID_NAMESPACE, "/".join(parts)).urn


def one_line(text: object) -> str:
    return NOT_XML.sub("\ufffd", " ".join(str(text or "").split()))


def timestamp(day: dt.date) -> str:
    """An RFC 3339 date-time, as Atom requires: the day at midnight UTC."""
    return f"{day.isoformat()}T00:00:00Z"


def href(feed_path: str, target: str, site_url: str | None) -> str:
    """A link from the feed to a page (.md) or file: absolute under the public site URL, else relative."""
    goal = page_url(target)
    if site_url:
        return site_url.rstrip("/") + "/" + goal
    rel = posixpath.relpath(goal or ".", posixpath.dirname(feed_path) or ".")
    return rel + "/" if target.endswith(".md") and not rel.endswith("/") else rel


def resolved_feed(claims: list[dict], as_of: dt.date) -> Feed:
    """Claims newly resolved: `claims` are the most recent by resolution date (SiteData.recently_resolved)."""
    entries = [Entry(id=urn("resolved", c["id"]),
                     title=f"{RESOLUTION_WORDS.get(c['resolution_status'], c['resolution_status'])}: {c['predictor_name']} — {c['statement']}",
                     updated=c["resolution_resolved_date"], page=f"claims/{c['id']}.md", summary=c["statement"],
                     category=c["resolution_status"]) for c in claims]
    return Feed(path="feeds/resolved.xml", id=urn("feed", "resolved"), title="Track Record: claims newly resolved",
                subtitle=f"The {RESOLVED_LIMIT} claims most recently resolved, newest first.",
                updated=max((e.updated for e in entries), default=as_of), page="claims/index.md", entries=entries)


def coming_due_feed(claims: list[dict], as_of: dt.date) -> Feed:
    """Pending claims whose deadline falls in the next COMING_DUE_DAYS days (SiteData.coming_due).
    An entry is dated the day its claim entered that window (not before the claim was made), so it
    keeps its date from build to build; the feed is dated the as-of date its window is counted from."""
    window = dt.timedelta(days=COMING_DUE_DAYS)
    entries = [Entry(id=urn("coming-due", c["id"]), title=f"Due {c['deadline_date'].isoformat()}: {c['predictor_name']} — {c['statement']}",
                     updated=max(c["made_date"], c["deadline_date"] - window), page=f"claims/{c['id']}.md", summary=c["statement"])
               for c in claims]
    return Feed(path="feeds/coming-due.xml", id=urn("feed", "coming-due"), title="Track Record: claims coming due",
                subtitle=f"Pending claims whose deadline falls from {as_of.isoformat()} to {(as_of + window).isoformat()}, soonest first.",
                updated=as_of, page="coming-due.md", entries=entries)


# Material for MkDocs reads every <link rel="alternate"> as a language version of the site and fetches
# sitemap.xml beside its href (squidfunk/mkdocs-material#8576): this empty one, written beside the
# feeds, answers that request instead of a 404 on every page load.
FEEDS_SITEMAP = (b'<?xml version="1.0" encoding="utf-8"?>\n'
                 b"<!-- Not the site's sitemap (that is /sitemap.xml): Material for MkDocs asks for a sitemap.xml beside every "
                 b"link rel=alternate in a page's head, here the Atom feeds, and this answers it. -->\n"
                 b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n')
FEEDS_SITEMAP_PATH = "feeds/sitemap.xml"


def atom(feed: Feed, *, authors: list[str], site_url: str | None, generator_version: str | None = None) -> bytes:
    """The feed as an Atom document (UTF-8 bytes)."""
    root = ET.Element("feed", {"xmlns": ATOM, "{http://www.w3.org/XML/1998/namespace}lang": "en"})

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, tag, attrs)
        if text is not None:
            element.text = one_line(text)
        return element

    add(root, "id", feed.id)
    add(root, "title", feed.title, type="text")
    add(root, "subtitle", feed.subtitle, type="text")
    add(root, "updated", timestamp(feed.updated))
    add(root, "link", rel="self", type="application/atom+xml", href=href(feed.path, feed.path, site_url))
    add(root, "link", rel="alternate", type="text/html", href=href(feed.path, feed.page, site_url))
    for name in authors:
        add(add(root, "author"), "name", name)
    generator = add(root, "generator", "trackrecord")
    if generator_version:
        generator.set("version", generator_version)
    for e in feed.entries:
        entry = add(root, "entry")
        add(entry, "id", e.id)
        add(entry, "title", e.title, type="text")
        add(entry, "updated", timestamp(e.updated))
        add(entry, "link", rel="alternate", type="text/html", href=href(feed.path, e.page, site_url))
        add(entry, "summary", e.summary, type="text")
        if e.category:
            add(entry, "category", term=e.category)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
