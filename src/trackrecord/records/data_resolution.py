"""Resolve an operationalised claim from its series, as `check` verifies and the claim page shows.

The event of a claim with an operationalisation happened by a date when some point of the series
dated on or before that date meets the threshold (comparator '>=' or '<='). Every point counts,
not only the frontier: the question is whether any system reached the threshold. What the data say
about the claim follows from its direction: an `at_least` claim is true when the event happened by
the deadline, an `at_most` claim when it did not. When no point met the threshold and the series'
last point is before the deadline, the data cannot tell yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..schema import Claim, MetricSeries


@dataclass(frozen=True)
class DataResolution:
    series_id: str
    status: str  # what the data say of the claim: 'true', 'false' or 'pending'
    event_happened: bool | None  # the threshold met by the deadline (None: the data cannot tell yet)
    crossing_date: dt.date | None  # the first point that met the threshold (at any date), if any
    crossing_value: float | None
    crossing_system: str | None
    crossing_source_url: str | None
    crossed_by_deadline: bool
    data_through_date: dt.date | None  # the last point of the series
    explanation: str


def _meets(value: float, comparator: str, threshold: float) -> bool:
    return value >= threshold if comparator == ">=" else value <= threshold


def resolve_from_data(claim: Claim, series: MetricSeries, today: dt.date) -> DataResolution:
    op = claim.operationalisation
    assert op is not None
    comparator = getattr(op.comparator, "value", op.comparator)
    direction = getattr(claim.direction, "value", claim.direction)
    deadline = claim.deadline.date
    # The first crossing: earliest date; on one date the point that goes furthest past the threshold.
    sign = 1.0 if comparator == ">=" else -1.0
    crossings = sorted((p for p in series.points if p.disputed is None and _meets(p.value, comparator, op.threshold_value)),
                       key=lambda p: (p.date, -sign * p.value, p.system))
    first = crossings[0] if crossings else None
    through = max((p.date for p in series.points), default=None)
    crossed_by_deadline = first is not None and first.date <= deadline
    if crossed_by_deadline:
        happened: bool | None = True
    elif deadline <= today and through is not None and through >= deadline:
        happened = False
    else:
        happened = None
    if happened is None:
        status = "pending"
    else:
        status = "true" if happened == (direction == "at_least") else "false"
    unit = series.unit
    if first is not None and crossed_by_deadline:
        explanation = f"{first.system} reached {first.value:g} {unit} on {first.date}, on or before the deadline {deadline} (threshold {comparator} {op.threshold_value:g})"
    elif first is not None:
        explanation = f"no point met {comparator} {op.threshold_value:g} {unit} by the deadline {deadline}; {first.system} did on {first.date}"
    elif happened is False:
        explanation = f"no point met {comparator} {op.threshold_value:g} {unit} by the deadline {deadline} (data through {through})"
    else:
        explanation = f"no point has met {comparator} {op.threshold_value:g} {unit} yet (data through {through}, deadline {deadline})"
    return DataResolution(
        series_id=series.id,
        status=status,
        event_happened=happened,
        crossing_date=first.date if first else None,
        crossing_value=first.value if first else None,
        crossing_system=first.system if first else None,
        crossing_source_url=first.source_url if first else None,
        crossed_by_deadline=crossed_by_deadline,
        data_through_date=through,
        explanation=explanation,
    )
