"""Types shared by every record: ids, dates, URLs, text, probabilities, provenance.

These annotated types are the only place where the format of a value is defined; the JSON
Schemas, the DuckDB DDL and the data dictionary are all generated from them.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic_core import PydanticCustomError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    WithJsonSchema,
)

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MAX_TEXT = 2_000  # names, titles, notes
MAX_LONG_TEXT = 10_000  # quotes and statements; the longest real quote is far below this
MAX_URL = 2_000


class Record(BaseModel):
    """Base of every record and block: unknown keys are refused, strings are stripped."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        use_enum_values=True,
        validate_default=False,
        frozen=True,
    )


class DocumentedEnum(StrEnum):
    """A string enum whose members carry a description (for the JSON Schema and the docs)."""

    description: str

    def __new__(cls, value: str, description: str = "") -> "DocumentedEnum":
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        return member

    @classmethod
    def describe(cls) -> str:
        return "; ".join(f"`{m.value}`: {m.description}" for m in cls)


def _parse_iso_date(value: Any) -> Any:
    # YAML timestamps are read as plain strings (see records.yaml_io), so a date arrives as text.
    # Anything but a strict YYYY-MM-DD is refused here, before pydantic's lax parsing would
    # accept an integer as a Unix timestamp.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as err:
            raise PydanticCustomError("invalid_date", "{value} is not a calendar date ({reason})", {"value": value, "reason": str(err)}) from None
    raise PydanticCustomError("invalid_date", "expected a date written YYYY-MM-DD")


IsoDate = Annotated[
    dt.date,
    BeforeValidator(_parse_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]


_SPACE = re.compile(r"\s")


def _check_http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        raise PydanticCustomError("invalid_url", "only http:// and https:// URLs are accepted")
    if not parts.netloc or _SPACE.search(value):
        raise PydanticCustomError("invalid_url", "not a complete URL (no host, or it contains spaces)")
    return value


HttpUrl = Annotated[
    str,
    Strict(),
    StringConstraints(strip_whitespace=True, max_length=MAX_URL),
    AfterValidator(_check_http_url),
]
Id = Annotated[str, Strict(), StringConstraints(pattern=ID_PATTERN, max_length=160)]
Text = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
LongText = Annotated[
    str, Strict(), StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_LONG_TEXT)
]
Tag = Annotated[str, Strict(), StringConstraints(pattern=ID_PATTERN, max_length=60)]
Flag = Annotated[bool, Strict()]
Number = Annotated[float, Strict()]
Probability = Annotated[float, Strict(), Field(gt=0, lt=1)]


class DatePrecision(DocumentedEnum):
    DAY = "day", "the exact day is known"
    MONTH = "month", "only the month is known; the date is the first of that month"
    YEAR = "year", "only the year is known; the date is 1 January of that year"


class Link(Record):
    url: HttpUrl = Field(description="Address of the page (http or https).")
    title: Text | None = Field(None, description="Title of the page as it appears there.")


class Verification(Record):
    """One check of some fields of a record against a source, by a person, on a date."""

    fields: list[Annotated[str, Strict(), StringConstraints(pattern=r"^[a-z_][a-z0-9_.\[\]]*$", max_length=80)]] = Field(
        min_length=1, description="The record's fields that were checked, e.g. [quote, made_date, source]."
    )
    url: HttpUrl = Field(description="The page the fields were checked against.")
    checked_date: IsoDate = Field(description="The day the check was done.")
    checked_by: Text | None = Field(None, description="Who checked (a name or handle), optional.")
    note: Text | None = Field(None, description="What was found, e.g. a discrepancy with a secondary source.")
