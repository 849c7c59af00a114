"""`trackrecord new claim|predictor|series`: write a filled-in template with a valid new id."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from importlib import resources
from pathlib import Path
from string import Template

from ..paths import Layout
from ..schema.common import ID_PATTERN


class NewRecordError(Exception):
    pass


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def new_record(
    layout: Layout,
    kind: str,
    *,
    today: dt.date,
    predictor: str | None = None,
    date: str | None = None,
    slug: str | None = None,
    name: str | None = None,
    record_id: str | None = None,
) -> Path:
    values = {"today": today.isoformat()}
    if kind == "claim":
        if not predictor or not slug:
            raise NewRecordError("a claim needs --predictor ID and --slug WORDS (and --date YYYY-MM-DD if not today)")
        try:
            made = dt.date.fromisoformat(date) if date else today
        except ValueError:
            raise NewRecordError(f"--date {date!r} is not a date written YYYY-MM-DD") from None
        if not (layout.predictors_dir / f"{predictor}.yaml").exists():
            raise NewRecordError(f"no predictor {predictor!r}; add one first with `trackrecord new predictor --name ...`")
        base = f"{made.isoformat()}-{predictor}-{slugify(slug)}"
        folder = layout.claims_dir / str(made.year)
        values.update(predictor_id=predictor, made_date=made.isoformat())
    elif kind == "predictor":
        if not name:
            raise NewRecordError("a predictor needs --name 'Full Name'")
        base, folder = slugify(name), layout.predictors_dir
        values.update(name=_yaml_plain(name))
    elif kind == "series":
        if not record_id or not name:
            raise NewRecordError("a series needs --id ID (with the unit in it) and --name 'Name'")
        base, folder = slugify(record_id), layout.series_dir
        values.update(name=_yaml_plain(name))
    else:  # pragma: no cover - argparse restricts the choices
        raise NewRecordError(f"unknown kind {kind!r}")
    if not re.match(ID_PATTERN, base):
        raise NewRecordError(f"cannot make an id from {base!r}; use letters and digits")
    record_id = _free_id(folder, base)
    values["id"] = record_id
    text = Template(resources.files("trackrecord.templates").joinpath(f"{kind}.yaml").read_text(encoding="utf-8"))
    body = text.substitute(values)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{record_id}.yaml"
    with path.open("x", encoding="utf-8") as f:  # never overwrite
        f.write(body)
    return path


def _free_id(folder: Path, base: str) -> str:
    candidate, n = base, 2
    while (folder / f"{candidate}.yaml").exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _yaml_plain(text: str) -> str:
    """Quote a value for YAML only when it needs it."""
    import json

    return json.dumps(text, ensure_ascii=False)
