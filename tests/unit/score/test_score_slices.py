"""Per-predictor slices (score_predictor_slices), and the predictor groups of the calibration and
lateness tables, on a small hand-worked record."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from trackrecord.score import lateness as L
from trackrecord.score import proper
from trackrecord.score import run as R
from trackrecord.score.tables import LEADERBOARD_MIN_SCORED, PREDICTOR_SLICES

TODAY = dt.date(2026, 11, 23)


def _claim(claim_id: str, predictor: str, made: str, topics: list[str], role: str | None, status: str,
           prob: float | None = None, came_true: str | None = None) -> dict:
    """A v_claims row as CLAIM_QUERY reads it: stated probability, deadline three years on."""
    made_date = dt.date.fromisoformat(made)
    return {
        "id": claim_id, "predictor_id": predictor, "made_date": made_date, "deadline_date": made_date.replace(year=made_date.year + 3),
        "direction": "at_least", "topics": topics, "role_class_at_made": role, "is_insider": None if role is None else role == "lab_researcher",
        "resolution_status": status, "resolution_came_true_date": dt.date.fromisoformat(came_true) if came_true else None,
        "confidence_basis": "stated", "confidence_phrase": None, "verbal_phrase": None,
        "prob_default": prob, "prob_low": prob, "prob_high": prob,
        "operationalisation_series_id": None, "operationalisation_comparator": None, "operationalisation_threshold_value": None,
        "systematic_collection_ids": [],
    }


# Cy: two claims in the 2010s, three in the 2020s (one ambiguous), one pending; topics agi and robotics.
CLAIMS = [
    _claim("c1", "cy", "2015-06-01", ["agi"], "academic", "true", 0.8),                                # Brier 0.04
    _claim("c2", "cy", "2018-01-01", ["agi", "robotics"], "academic", "false", 0.6),                   # 0.36
    _claim("c3", "cy", "2021-03-01", ["robotics"], "lab_researcher", "false", 0.9, came_true="2025-01-01"),  # 0.81, late
    _claim("c4", "cy", "2022-05-01", ["robotics"], "lab_researcher", "false", 0.3),                    # 0.09; baseline 0.1 → 0.01
    _claim("c5", "cy", "2023-01-01", ["agi"], None, "ambiguous", 0.7),                                 # not pending, not scored
    _claim("c6", "cy", "2024-01-01", ["agi"], None, "pending", 0.7),                                   # not in any slice
    _claim("d1", "dee", "2019-09-01", ["agi"], "critic", "true", 0.5),                                 # 0.25
]
BASELINES = {"c4": {"p_claim_true": 0.1}}


@pytest.fixture
def record() -> tuple[list[dict], list[dict]]:
    rows = R.claim_rows(CLAIMS, BASELINES, TODAY)
    return rows, R.scenario_items(rows, "default", "excluded")


def _slices(record) -> dict[tuple[str, str, str], dict]:
    rows = R.predictor_slice_rows(*record)
    return {(r["predictor_id"], r["slice_kind"], r["slice_value"]): r for r in rows}


def test_each_slice_counts_and_scores_its_own_claims(record):
    s = _slices(record)
    assert sorted(k for k in s if k[0] == "cy") == [
        ("cy", "all", "all"), ("cy", "decade", "2010s"), ("cy", "decade", "2020s"),
        ("cy", "role_class", "academic"), ("cy", "role_class", "lab_researcher"), ("cy", "role_class", "unknown"),
        ("cy", "topic", "agi"), ("cy", "topic", "robotics"),
    ]
    by_hand = {  # (n_claims, n_scored, n_true, brier)
        ("cy", "all", "all"): (5, 4, 1, (0.04 + 0.36 + 0.81 + 0.09) / 4),
        ("cy", "decade", "2010s"): (2, 2, 1, (0.04 + 0.36) / 2),
        ("cy", "decade", "2020s"): (3, 2, 0, (0.81 + 0.09) / 2),
        ("cy", "topic", "agi"): (3, 2, 1, (0.04 + 0.36) / 2),
        ("cy", "topic", "robotics"): (3, 3, 0, (0.36 + 0.81 + 0.09) / 3),
        ("cy", "role_class", "academic"): (2, 2, 1, (0.04 + 0.36) / 2),
        ("cy", "role_class", "lab_researcher"): (2, 2, 0, (0.81 + 0.09) / 2),
        ("dee", "all", "all"): (1, 1, 1, 0.25),
        ("dee", "decade", "2010s"): (1, 1, 1, 0.25),
    }
    for key, (n_claims, n_scored, n_true, brier) in by_hand.items():
        row = s[key]
        assert (row["n_claims"], row["n_scored"], row["n_true"]) == (n_claims, n_scored, n_true), key
        assert row["brier"] == pytest.approx(brier), key
    decade = s[("cy", "decade", "2010s")]
    assert decade["mean_probability"] == pytest.approx(0.7) and decade["hit_rate"] == pytest.approx(0.5)
    assert decade["log_score"] == pytest.approx((-math.log(0.8) - math.log(0.4)) / 2)
    # Only the ambiguous claim has no role: counted, not scored, no scores.
    unknown = s[("cy", "role_class", "unknown")]
    assert (unknown["n_claims"], unknown["n_scored"], unknown["brier"], unknown["is_ranked"]) == (1, 0, None, False)


def test_is_ranked_needs_enough_scored_claims_not_claims(record):
    assert LEADERBOARD_MIN_SCORED == 3
    s = _slices(record)
    assert s[("cy", "topic", "robotics")]["n_scored"] == 3 and s[("cy", "topic", "robotics")]["is_ranked"]
    # Three claims, but the ambiguous one is not scored: two, below the threshold.
    assert s[("cy", "decade", "2020s")]["n_claims"] == 3 and not s[("cy", "decade", "2020s")]["is_ranked"]
    assert s[("cy", "all", "all")]["is_ranked"] and not s[("dee", "all", "all")]["is_ranked"]


def test_trend_baseline_difference_uses_only_the_shared_claims(record):
    s = _slices(record)
    for key in [("cy", "all", "all"), ("cy", "decade", "2020s"), ("cy", "topic", "robotics"), ("cy", "role_class", "lab_researcher")]:
        assert s[key]["n_shared_with_trend_baseline"] == 1
        assert s[key]["brier_minus_trend_baseline"] == pytest.approx(0.09 - 0.01)
    assert s[("cy", "decade", "2010s")]["n_shared_with_trend_baseline"] == 0
    assert s[("cy", "decade", "2010s")]["brier_minus_trend_baseline"] is None


def test_rows_have_the_table_columns_in_a_fixed_order(record):
    rows = R.predictor_slice_rows(*record)
    names = [n for n, _, _ in PREDICTOR_SLICES.all_columns]
    assert all(list(r) == names for r in rows)
    keys = [(r["predictor_id"], r["slice_kind"], r["slice_value"]) for r in rows]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    rows_reversed = list(reversed(record[0]))
    assert R.predictor_slice_rows(rows_reversed, R.scenario_items(rows_reversed, "default", "excluded")) == rows


def test_calibration_has_each_predictor_with_a_scored_claim(record):
    _, items = record
    bins = R.calibration_rows(items, seed=11)
    cy = [b for b in bins if (b["group_kind"], b["group_id"]) == ("predictor", "cy")]
    p = np.array([0.8, 0.6, 0.9, 0.3])
    o = np.array([1, 0, 0, 0])
    assert [{k: v for k, v in b.items() if k not in ("group_kind", "group_id")} for b in cy] == proper.reliability_bins(p, o, seed=11)
    assert [b["forecast"] for b in cy] == [0.3, 0.6, 0.8, 0.9]
    assert [b["n"] for b in bins if b["group_id"] == "dee"] == [1]


def test_lateness_has_predictors_with_enough_claims(record):
    rows, _ = record
    late = {(r["group_kind"], r["group_id"]): r for r in R.lateness_rows(rows)}
    cy = late[("predictor", "cy")]
    # c1 on time; c3 came true 0.8 years after its 2024-03-01 deadline; c2 and c4 not yet.
    assert (cy["n_claims"], cy["n_on_time"], cy["n_late"], cy["n_not_yet"]) == (4, 1, 1, 2)
    assert ("predictor", "dee") not in late  # one claim: below lateness.MIN_GROUP, like every other group
    assert L.MIN_GROUP == 3
