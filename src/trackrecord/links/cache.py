"""Link results kept between runs: one JSON file keyed by URL, each result with its check date.

A result younger than the maximum age is reused; older ones (and all of them with --refresh) are
asked again. The file is replaced atomically, so an interrupted run never leaves half a cache.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ..atomic import write_atomically
from .checker import LinkResult

CACHE_VERSION = 1
CACHE_FILE = "links.json"


class LinkCache:
    def __init__(self, folder: Path) -> None:
        self.path = folder / CACHE_FILE
        self.results: dict[str, LinkResult] = {}
        self.warning: str | None = None  # why an existing cache file was ignored, if it was

    def load(self) -> LinkCache:
        if not self.path.exists():
            return self
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") != CACHE_VERSION:
                raise ValueError(f"version {data.get('version')!r}, expected {CACHE_VERSION}")
            self.results = {url: LinkResult.from_json(url, entry) for url, entry in data["results"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
            # A damaged cache costs only a re-check; it must never stop the command.
            self.warning = f"{self.path}: ignored an unreadable link cache ({err}); every link will be checked"
            self.results = {}
        return self

    def fresh(self, url: str, today: dt.date, max_age_days: int) -> LinkResult | None:
        """The cached result for `url` if it was checked less than `max_age_days` days ago."""
        result = self.results.get(url)
        if result is None or (today - result.checked_date).days >= max_age_days:
            return None
        return result

    def update(self, results: dict[str, LinkResult]) -> None:
        self.results.update(results)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": CACHE_VERSION, "results": {url: self.results[url].as_json() for url in sorted(self.results)}}
        write_atomically(self.path, json.dumps(data, indent=1, ensure_ascii=False) + "\n", fsync=True)
