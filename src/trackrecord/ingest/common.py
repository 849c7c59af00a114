"""Small parsing helpers shared by the adapters: CSV rows, numbers, dates, reasoning tags."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re

from . import IngestError, UpstreamFile


def csv_rows(file: UpstreamFile, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(file.text(encoding), newline=""))
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]


def number(text: str) -> float | None:
    """A finite float from '1.2e25', '77.0%' (as 77.0) or '' (None); 'Infinity'/'NaN' are None."""
    text = text.replace(",", "").rstrip("%").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def fraction(text: str) -> float | None:
    """'77.0%' or '77.0' (percent) -> 0.77; values already in [0, 1] without a % sign stay."""
    value = number(text)
    if value is None:
        return None
    if text.strip().endswith("%") or value > 1.0:
        value = value / 100.0
    return round(value, 6)


def iso_date(text: str) -> dt.date | None:
    """YYYY-MM-DD (optionally followed by a time), or D/M/YYYY as OSWorld writes it."""
    text = text.strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text[:10])
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if match:
        day, month, year = map(int, match.groups())
        return dt.date(year, month, day)
    return None


def first_url(text: str) -> str | None:
    """The first http(s) address in a cell, which sometimes holds several or a note after it."""
    match = re.search(r"https?://[^\s()<>\"';]+[^\s()<>\"'.,;]", text)
    return match.group(0) if match else None


def year_date(text: str) -> dt.date | None:
    value = number(text)
    return dt.date(int(value), 1, 1) if value is not None else None


def require(value, what: str):
    if value is None:
        raise IngestError(f"expected {what}")
    return value


# Reasoning models: trained to think at length before answering (test-time compute). Upstream
# files do not flag them, so we match model identifiers. The list is a heuristic, kept here in
# one place and documented on the series: OpenAI o-series and GPT-5 (except its chat variant),
# DeepSeek R1/reasoner, Claude with an extended-thinking budget (Epoch writes e.g. '_32K'),
# Gemini 2.5/3 and the Flash Thinking preview, Grok 3 mini / Grok 4, QwQ and '-thinking' models,
# Magistral, Phi-4-reasoning, and any identifier with a reasoning-effort suffix (_low … _xhigh).
_REASONING = re.compile(
    r"""(^|[/\s(])o[1-9](?![0-9])|gpt-5(?!-chat)(?!.*chat-latest)|deepseek-r1|deepseek-reasoner|\br1\b
    |claude.*_\d+k\b|thinking|gemini-2\.5|gemini-3|gemini\s2\.5|gemini\s3|grok-3-mini|grok-4|grok\s4|qwq
    |magistral|reasoning|_(minimal|low|medium|high|xhigh)$|\((low|medium|high)\)""",
    re.IGNORECASE | re.VERBOSE,
)


def is_reasoning_model(identifier: str) -> bool:
    return bool(_REASONING.search(identifier.strip()))


REASONING_NOTE = (
    "Points tagged reasoning-model are systems trained to reason at length before answering "
    "(OpenAI o-series, GPT-5, DeepSeek-R1, Claude with extended thinking, Gemini 2.5/3, Grok 4, ...), "
    "recognised by model identifier with the documented heuristic in trackrecord.ingest.common."
)


def dated_points(file: UpstreamFile, *, date: str, value: str, system: str, convert=number, digits: int | None = None) -> list[dict]:
    """One point per row with a parseable date and value: {date, value, system}."""
    points = []
    for row in csv_rows(file):
        day, amount = iso_date(row[date]), convert(row[value])
        if day is None or amount is None:
            continue
        points.append({"date": day, "value": round(amount, digits) if digits is not None else amount, "system": row[system]})
    return points


def best_per_system(points: list[dict]) -> tuple[list[dict], int]:
    """One point per system: the best score reported (several shots, scaffolds or runs)."""
    best: dict[str, dict] = {}
    for point in points:
        kept = best.get(point["system"])
        if kept is None or point["value"] > kept["value"]:
            best[point["system"]] = point
    return list(best.values()), len(points) - len(best)


def finish_points(points: list[dict], *, reasoning_from: str = "system") -> list[dict]:
    """Tag reasoning models and sort deterministically (date, system, value)."""
    for point in points:
        if is_reasoning_model(point[reasoning_from]):
            point["tags"] = sorted(set(point.get("tags", [])) | {"reasoning-model"})
    return sorted(points, key=lambda p: (p["date"], p["system"], p["value"]))
