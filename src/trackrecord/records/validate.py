"""Validate one record file against its schema, turning every pydantic error into a Problem."""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Problem
from ..schema.introspect import unwrap
from .codes import RULES
from .yaml_io import PositionIndex

# pydantic error type -> our rule code
_CODE_BY_TYPE = {
    "extra_forbidden": "FLD001",
    "missing": "FLD002",
    "enum": "FLD004",
    "literal_error": "FLD004",
    "string_pattern_mismatch": "FLD004",
    "invalid_date": "FLD005",
    "date_from_datetime_parsing": "FLD005",
    "date_parsing": "FLD005",
    "greater_than": "FLD006",
    "greater_than_equal": "FLD006",
    "less_than": "FLD006",
    "less_than_equal": "FLD006",
    "finite_number": "FLD006",
    "string_too_long": "FLD007",
    "too_long": "FLD007",
    "string_too_short": "FLD008",
    "too_short": "FLD008",
    "invalid_url": "FLD009",
}


def format_loc(loc: tuple) -> str:
    out = ""
    for step in loc:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += ("." if out else "") + str(step)
    return out


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def problems_from_validation(
    err: ValidationError, model: type[BaseModel], relpath: str, text: str
) -> list[Problem]:
    index = PositionIndex(text)
    problems = []
    for e in err.errors(include_url=False):
        loc = _clean_loc(e["loc"])
        kind = e["type"]
        code = _CODE_BY_TYPE.get(kind) or ("FLD003" if kind.endswith("_type") or kind.endswith("_parsing") else "FLD010")
        fix = RULES[code].fix
        message = e["msg"]
        if code == "FLD001":
            allowed = _allowed_keys(model, loc[:-1])
            near = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
            message = f"unknown key {str(loc[-1])!r}"
            fix = f"did you mean {near[0]!r}? " + fix if near else fix + f" (allowed here: {', '.join(allowed)})"
        elif code == "FLD002":
            message = "required field is missing"
        elif code == "FLD007":
            message = f"{message} (it has {len(e['input']):,})" if isinstance(e.get("input"), (str, list)) else message
        elif code in ("FLD003", "FLD004", "FLD006", "FLD010"):
            message = f"{message}, got {_short(e.get('input'))}"
        position = index.find(loc, at_key=code in ("FLD001", "FLD002"))
        problems.append(Problem(relpath, position.line, position.col, code, format_loc(loc), message, fix))
    return problems


def _clean_loc(loc: tuple) -> tuple:
    # pydantic adds the name of the validator branch for unions and function validators
    # (e.g. 'function-after[...]'); they are not keys in the file.
    return tuple(s for s in loc if not (isinstance(s, str) and ("[" in s and "]" in s and s.split("[")[0] in _BRANCHES)))


_BRANCHES = {"function-after", "function-before", "function-wrap", "function-plain", "constrained-str", "str", "float", "date", "int", "bool"}


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    current: Any = model
    for step in loc:
        current = _unwrap(current)
        if isinstance(step, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel) and step in current.model_fields:
            current = current.model_fields[step].annotation
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    return unwrap(tp)[0]
