""""Today", injectable so that checks and tests are deterministic.

`--as-of DATE` on the command line or the environment variable TRACKRECORD_TODAY override the
system date (the idea of congress-legislators' NOW and `os-people lint --date`).
"""

from __future__ import annotations

import datetime as dt
import os

ENV_VAR = "TRACKRECORD_TODAY"
_override: dt.date | None = None


def parse_date(text: str) -> dt.date:
    """Parse a strict YYYY-MM-DD date, or raise ValueError saying what is expected."""
    try:
        return dt.date.fromisoformat(text.strip()) if len(text.strip()) == 10 else _bad(text)
    except ValueError:
        return _bad(text)


def _bad(text: str) -> dt.date:
    raise ValueError(f"{text!r} is not a date written YYYY-MM-DD")


def set_today(day: dt.date | None) -> None:
    """Pin today's date for this process (None goes back to the environment / system clock)."""
    global _override
    _override = day


def today() -> dt.date:
    if _override is not None:
        return _override
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return parse_date(env)
    return dt.date.today()
