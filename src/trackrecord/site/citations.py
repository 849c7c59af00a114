""""Cite this" on claim, predictor and series pages: plain text, BibTeX and CSL-JSON.

The dataset's title, authors and version come from CITATION.cff, read at build time (it stays the
one source of truth); the page adds its own title and URL path, and the build its inputs hash and
as-of date (rec_build), so a citation names exactly the data it saw. Record text goes into every
format escaped for that format: BibTeX with its special characters written as commands (braces
stay balanced whatever the text holds), CSL-JSON through json.dumps.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .render import page_url


class CitationError(Exception):
    """CITATION.cff is missing or lacks what a citation needs."""


@dataclass(frozen=True)
class Author:
    """A CITATION.cff author: a person (family and given names) or an entity (one name)."""

    family: str | None = None
    given: str | None = None
    name: str | None = None

    @property
    def display(self) -> str:
        return self.name or " ".join(p for p in (self.given, self.family) if p)


@dataclass(frozen=True)
class Dataset:
    """What CITATION.cff says about the dataset."""

    title: str
    authors: tuple[Author, ...]
    version: str
    url: str | None  # the public site, when the project declares one (CITATION.cff `url`)
    doi: str | None


def read_dataset(path: Path) -> Dataset:
    """The dataset as CITATION.cff describes it; a clear CitationError when it cannot be cited."""
    if not path.is_file():
        raise CitationError(f"{path} is missing: the site's citations name the dataset as CITATION.cff describes it")
    try:
        cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CitationError(f"{path} is not valid YAML: {error}") from None
    if not isinstance(cff, dict):
        raise CitationError(f"{path}: expected a mapping of CITATION.cff keys")
    problems = [f"`{key}` is missing or empty" for key in ("title", "version") if not str(cff.get(key) or "").strip()]
    authors = []
    if not isinstance(cff.get("authors"), list) or not cff["authors"]:
        problems.append("`authors` is missing or empty")
    for i, a in enumerate(cff.get("authors") if isinstance(cff.get("authors"), list) else []):
        if not isinstance(a, dict):
            problems.append(f"authors[{i}] is not a mapping")
            continue
        author = Author(family=_text(a.get("family-names")), given=_text(a.get("given-names")), name=_text(a.get("name")))
        if not (author.family or author.name):
            problems.append(f"authors[{i}] has neither `family-names` nor `name`")
        authors.append(author)
    if problems:
        raise CitationError(f"{path}: " + "; ".join(problems))
    return Dataset(title=_text(cff["title"]), authors=tuple(authors), version=_text(cff["version"]),
                   url=_text(cff.get("url")), doi=_text(cff.get("doi")))


def _text(value: object) -> str | None:
    """A CITATION.cff string on one line; None when absent or blank."""
    if value is None:
        return None
    return " ".join(str(value).split()) or None


@dataclass(frozen=True)
class Citation:
    """One page of one build of the dataset."""

    dataset: Dataset
    page_title: str
    page_path: str  # the page's URL path from the site root, e.g. claims/<id>/
    key: str  # the BibTeX key and CSL id
    inputs_sha256: str
    as_of: dt.date
    site_url: str | None  # absolute base of the public site; None when the project declares none

    @property
    def url(self) -> str | None:
        return self.site_url.rstrip("/") + "/" + self.page_path if self.site_url else None

    @property
    def where(self) -> str:
        """The page, as an address when the public site is known, else as a path from the site root."""
        return self.url or f"Page {self.page_path or '/'} of the site"


def page_citation(dataset: Dataset, build: dict, *, page: str, title: str, site_url: str | None) -> Citation:
    """The citation of the generated page `page` (a .md path) as of the build in rec_build."""
    path = page_url(page)
    key = "trackrecord-" + re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")
    return Citation(dataset=dataset, page_title=" ".join(title.split()), page_path=path, key=key,
                    inputs_sha256=str(build["inputs_sha256"]), as_of=build["as_of_date"], site_url=site_url)


def authors_text(authors: tuple[Author, ...]) -> str:
    names = [a.display for a in authors]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def build_note(c: Citation) -> str:
    return f"Build inputs SHA-256 {c.inputs_sha256}, as of {c.as_of.isoformat()}"


def plain_text(c: Citation) -> str:
    d = c.dataset
    title = c.page_title if c.page_title.endswith((".", "?", "!")) else c.page_title + "."
    return (f"{authors_text(d.authors)} ({c.as_of.year}). “{title}” In {d.title} (version {d.version}) [Data set]. "
            f"{c.where}. {build_note(c)}." + (f" https://doi.org/{d.doi}" if d.doi else ""))


# BibTeX counts braces even after a backslash, so `\{` would unbalance a field: braces and the
# backslash become commands whose own braces are balanced; the other specials are escaped as LaTeX asks.
BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
}
BIBTEX_SPECIAL = re.compile("[" + re.escape("".join(BIBTEX_ESCAPES)) + "]")


def bibtex_escape(text: str) -> str:
    return BIBTEX_SPECIAL.sub(lambda m: BIBTEX_ESCAPES[m.group(0)], " ".join(text.split()))


def bibtex_author(a: Author) -> str:
    # An entity's name in its own braces, so BibTeX does not split it into first and last names.
    if a.name and not a.family:
        return "{" + bibtex_escape(a.name) + "}"
    return bibtex_escape(a.family or "") + (", " + bibtex_escape(a.given) if a.given else "")


def bibtex(c: Citation) -> str:
    d = c.dataset
    fields = [
        ("author", " and ".join(bibtex_author(a) for a in d.authors)),
        ("title", "{" + bibtex_escape(c.page_title) + "}"),
        ("howpublished", f"In {bibtex_escape(d.title)}, version {bibtex_escape(d.version)} [Data set]"),
        ("year", str(c.as_of.year)),
        ("version", bibtex_escape(d.version)),
    ]
    if c.url:
        fields.append(("url", bibtex_escape(c.url)))
    if d.doi:
        fields.append(("doi", bibtex_escape(d.doi)))
    fields.append(("note", bibtex_escape(("" if c.url else f"Page {c.page_path or '/'}. ") + build_note(c))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{c.key},\n{body}\n}}"


def csl_author(a: Author) -> dict:
    if a.name and not a.family:
        return {"literal": a.name}
    return {"family": a.family, **({"given": a.given} if a.given else {})}


def csl_json(c: Citation) -> str:
    d = c.dataset
    item: dict = {
        "id": c.key,
        "type": "dataset",
        "title": c.page_title,
        "container-title": d.title,
        "author": [csl_author(a) for a in d.authors],
        "version": d.version,
        "issued": {"date-parts": [[c.as_of.year, c.as_of.month, c.as_of.day]]},
        "note": ("" if c.url else f"Page {c.page_path or '/'}. ") + build_note(c),
    }
    if c.url:
        item["URL"] = c.url
    if d.doi:
        item["DOI"] = d.doi
    return json.dumps([item], ensure_ascii=False, indent=2)


def formats(c: Citation) -> list[dict]:
    """The three formats as a page shows them: name, a label, the text."""
    return [
        {"format": "text", "label": "Plain text", "text": plain_text(c)},
        {"format": "bibtex", "label": "BibTeX", "text": bibtex(c)},
        {"format": "csl-json", "label": "CSL-JSON", "text": csl_json(c)},
    ]
