"""Turning query results into page text: the Jinja environment, its filters, and links between pages.

Every string from a record is untrusted. Templates are rendered with autoescape on, URLs become
links only when they are http(s), and a page is written as one raw-HTML block with no blank line
in it, so Markdown never parses record text (a blank line would end the HTML block and hand the
rest of the page to the Markdown parser).
"""

from __future__ import annotations

import datetime as dt
import math
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import yaml
from markupsafe import Markup, escape

TEMPLATES = Path(__file__).parent / "templates"
SAFE_SCHEMES = ("http", "https")


def page_url(path: str) -> str:
    """The URL folder MkDocs gives a Markdown page with directory URLs: a/b.md -> a/b/, a/index.md -> a/."""
    stem = path[:-3] if path.endswith(".md") else path
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/" if path.endswith(".md") else stem


def relative(from_page: str, target: str) -> str:
    """A link from the page at `from_page` (a .md path) to `target` (a .md page or an asset path)."""
    start = page_url(from_page) or "."
    goal = page_url(target)
    rel = posixpath.relpath(goal or ".", start.rstrip("/") or ".")
    if target.endswith(".md"):
        return "./" if rel == "." else rel + "/"
    return rel


def safe_url(url: object) -> str | None:
    """The URL if it is an absolute http(s) URL without whitespace or quotes; otherwise None (shown as text)."""
    if not isinstance(url, str) or not url or any(c.isspace() or c in "\"'<>`\\" for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in SAFE_SCHEMES and parts.netloc else None


def external_link(url: object, text: object = None) -> Markup:
    """<a> to a safe URL (rel=noopener, opens in place), or the escaped text when the URL is unsafe."""
    label = escape(text if text not in (None, "") else (url or ""))
    href = safe_url(url)
    if href is None:
        return Markup('<span class="tr-unsafe-url" title="not a web address">{}</span>').format(label)
    return Markup('<a href="{}" rel="nofollow noopener noreferrer">{}</a>').format(href, label)


def number(value: object, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.{digits}f}"


def percent(value: object, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{100 * value:.{digits}f}%"


def capitalize_first(text: object) -> str:
    """The first letter upper case, the rest as written (str.capitalize would lower system names)."""
    text = "" if text is None else str(text)
    return text[:1].upper() + text[1:]


def interval(low: object, high: object, digits: int = 3) -> str:
    if low is None or high is None:
        return ""
    return f"{number(low, digits)} to {number(high, digits)}"


def metric(value: object) -> str:
    """A metric value in a readable number of significant digits (3), with thousands separators."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    v = float(value)
    if v != 0 and (abs(v) >= 1e6 or abs(v) < 1e-3):
        return f"{v:.3g}"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.3g}"


# A printed figure's last digit must hold across seeds and machines: half its unit exceeds this
# many Monte Carlo standard errors (two: another run lands within the unit about 95% of the time).
MCSE_MARGIN = 2.0


def stable_unit(mcse: float) -> float:
    """The finest printing unit (1, 2 or 5 times a power of ten) whose half exceeds MCSE_MARGIN
    Monte Carlo standard errors: a figure printed to it changes with the seed or the machine by at
    most one unit, rarely."""
    if mcse <= 0 or not math.isfinite(mcse):
        return 0.0
    needed = 2 * MCSE_MARGIN * mcse
    exponent = math.floor(math.log10(needed))
    for step in (1, 2, 5, 10):
        unit = step * 10.0**exponent
        if unit > needed:
            return unit
    return 10.0 ** (exponent + 1)  # pragma: no cover - the loop always returns


def _rounded(value: float, unit: float) -> tuple[float, int]:
    digits = max(0, -math.floor(math.log10(unit))) if unit < 1 else 0
    return round(value / unit) * unit, digits


def stable(value: object, mcse: object = None, *, scale: float = 1.0, suffix: str = "", max_digits: int | None = None) -> str:
    """A Monte Carlo figure printed to no more digits than its MCSE supports (a figure without an
    MCSE, such as the least-squares baseline's, prints as `metric` does). `scale` turns a share
    into a percentage (100, with suffix '%'); `max_digits` caps the decimals where more would be
    noise to a reader (days: 0), since fewer digits are always stable."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if mcse is None:
        return f"{100 * float(value):.0f}%" if scale == 100 else metric(value)
    unit = stable_unit(float(mcse) * scale)
    if unit == 0:
        return metric(float(value) * scale) + suffix
    if max_digits is not None and unit < 10.0**-max_digits:
        unit = 10.0**-max_digits
    shown, digits = _rounded(float(value) * scale, unit)
    return f"{shown:,.{digits}f}{suffix}"


def stable_year(value: object, mcse: object = None) -> str:
    """A decimal year as YYYY-MM when its MCSE supports the month, as YYYY when it supports the year,
    and as a decade ('2030s') otherwise."""
    if value is None:
        return "–"
    v = float(value)
    err = 0.0 if mcse is None else MCSE_MARGIN * float(mcse)
    if err < 1 / 24:
        year = int(v // 1)
        return f"{year}-{min(12, int((v - year) * 12) + 1):02d}"
    if err < 0.5:
        return f"{round(v):d}"
    return f"{int(round(v) // 10 * 10)}s"


def date(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)


def sort_key(value: object) -> str:
    """data-sort value for tablesort: numbers as plain numbers, missing values last."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)


def paragraphs(text: object) -> Markup:
    """Record text as escaped <p> paragraphs (blank lines in the record separate them)."""
    if not text:
        return Markup("")
    parts = [p.strip() for p in re.split(r"\n\s*\n", str(text)) if p.strip()]
    return Markup("").join(Markup("<p>{}</p>").format(" ".join(p.split())) for p in parts)


def words(code: object) -> str:
    """A code such as 'not_distinguishable' as words."""
    return "" if code is None else str(code).replace("_", " ")


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(
        number=number, percent=percent, metric=metric, date=date, sort_key=sort_key,
        paragraphs=paragraphs, words=words, safe_url=safe_url, capitalize_first=capitalize_first,
        stable=stable, stable_year=stable_year,
    )
    env.globals.update(external_link=external_link, interval=interval)
    return env


def collapse_blank_lines(html: str) -> str:
    return re.sub(r"\n[ \t]*(?=\n)", "", html).strip("\n")


def title_text(text: str) -> str:
    """A page title for the front matter. MkDocs and Material insert page titles without escaping
    (<title>, the header), so the title is escaped here, once."""
    return str(escape(" ".join(str(text).split())))


class Renderer:
    def __init__(self) -> None:
        self.env = environment()

    def page(self, path: str, template: str, *, title: str, hide: tuple[str, ...] = (), social: dict | None = None, **context) -> str:
        """The Markdown source of a generated page: front matter, then one raw-HTML block.

        `social` (title, description, type, image, url) goes into the front matter as it is, for the
        theme override (src/trackrecord/site/overrides/main.html) to write as OpenGraph and Twitter-card tags; the
        override escapes each value, since MkDocs' templates do not."""

        def link(target: str) -> str:
            return relative(path, target)

        body = self.env.get_template(template).render(link=link, page_path=path, **context)
        meta: dict = {"title": title_text(title)}
        if hide:
            meta["hide"] = list(hide)
        if social:
            meta["social"] = {k: v for k, v in social.items() if v is not None}
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
        return f"---\n{front}---\n\n{collapse_blank_lines(body)}\n"
