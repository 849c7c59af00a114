"""Hosts and the publishers registry (data/reference/publishers.yaml).

One place decides what a URL's host is and which registry entry covers it, so `check`, `build`
and the site agree: lowercase, no trailing dot, no leading 'www.'; an entry covers its subdomains
unless a subdomain has an entry of its own (the longest match wins).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from ..schema import COPY_KINDS, PublisherRegistry

# Query parameters that track the reader and never select the content.
TRACKING_PARAMETER = re.compile(r"^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|_hsenc|_hsmi|mkt_tok|yclid|twclid|ref_src|ref_url)$", re.I)


def raw_host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def host_of(url: str) -> str:
    host = raw_host(url).rstrip(".")
    return host[4:] if host.startswith("www.") else host


def url_problems(url: str) -> list[str]:
    """What keeps a URL from being in normal form: a trailing dot in the host, tracking parameters."""
    problems = []
    if raw_host(url).endswith("."):
        problems.append(f"the host {raw_host(url)!r} ends with a dot")
    tracking = sorted({k for k, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True) if TRACKING_PARAMETER.match(k)})
    if tracking:
        problems.append(f"tracking parameters {', '.join(tracking)}")
    return problems


def normal_url(url: str) -> str:
    """The URL with its host's trailing dot and its tracking parameters removed (the fix).
    Everything else is kept byte for byte, so the result is the same page's address."""
    parts = urlsplit(url)
    netloc = re.sub(r"\.(?=(:\d+)?$)", "", parts.netloc)
    query = "&".join(pair for pair in parts.query.split("&") if pair and not TRACKING_PARAMETER.match(pair.partition("=")[0]))
    return parts._replace(netloc=netloc, query=query).geturl()


@dataclass(frozen=True)
class PublisherEntry:
    domain: str
    name: str
    kind: str


class Registry:
    def __init__(self, registry: PublisherRegistry | None):
        self.version = registry.version if registry else None
        self.entries: dict[str, PublisherEntry] = {}
        for p in registry.publishers if registry else ():
            kind = getattr(p.kind, "value", p.kind)
            self.entries[p.domain] = PublisherEntry(p.domain, p.name, kind)

    def lookup(self, url: str | None) -> PublisherEntry | None:
        if not url:
            return None
        host = host_of(url)
        labels = host.split(".")
        for i in range(len(labels) - 1):
            entry = self.entries.get(".".join(labels[i:]))
            if entry is not None:
                return entry
        return None

    def is_copy(self, url: str | None) -> bool:
        entry = self.lookup(url)
        return entry is not None and entry.kind in COPY_KINDS
