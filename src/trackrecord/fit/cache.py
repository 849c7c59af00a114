"""The fit cache: what keys a sampled fit's draws and a series' rows, and how cached fits are
stored (build/cache/fits/<key>.npz, build/cache/series/<key>.json, build/fits/<series>/<family>.nc
with its .key marker).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import cache
from pathlib import Path

import numpy as np

from ..atomic import replacing

# What a sampled fit's draws depend on: the models, the sampler, the data they are given and the
# log-likelihood saved beside them (posterior.py), plus
# the format of a cached fit (bump it when unit_fit stores something new). Editing anything else in
# fit/ (tables, LOO, projections, a column description) recomputes the rows from the cached draws
# instead of sampling again.
DRAW_CODE_FILES = ("structures.py", "sampler.py", "data.py", "posterior.py")


UNIT_FIT_FORMAT = 1


def hash_files(names) -> str:
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for name in names:
        digest.update(name.encode() + b"\0" + (here / name).read_bytes())
    return digest.hexdigest()


@cache  # the fit code cannot change while a run is in progress
def draws_code_version() -> str:
    """Keys the cached draws of one fit."""
    return content_key(hash_files(DRAW_CODE_FILES), UNIT_FIT_FORMAT)


@cache
def code_version() -> str:
    """Keys a series' rows (and the trend baseline's): every file of the fit stage."""
    return hash_files(sorted(p.name for p in Path(__file__).parent.glob("*.py")))


def content_key(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def json_default(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(type(value))


def save_unit(path: Path, draws: dict, diagnostics: dict) -> None:
    """One fit's flat draws and diagnostics, as one .npz (written whole or not at all)."""
    with replacing(path) as temp, open(temp, "wb") as fh:
        np.savez(fh, __diagnostics__=np.array(json.dumps(diagnostics)), **{f"draw__{k}": v for k, v in draws.items()})


def load_unit(path: Path) -> dict:
    with np.load(path) as npz:
        diagnostics = json.loads(str(npz["__diagnostics__"]))
        draws = {k.removeprefix("draw__"): npz[k] for k in npz.files if k.startswith("draw__")}
    return {"draws": draws, **diagnostics}


def netcdf_current(path: Path, key: str) -> bool:
    marker = path.with_suffix(".key")
    return path.exists() and marker.exists() and marker.read_text().strip() == key
