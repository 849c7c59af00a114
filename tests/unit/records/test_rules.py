"""Rules that need more than one field: deadline rules, insider computation inputs, phrases, ids."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import TODAY, run_cli

from trackrecord.records.rules import add_years, normalise_phrase
from trackrecord.records.codes import RULES


def test_add_years_keeps_day_and_clamps_leap_day():
    assert add_years(dt.date(2018, 5, 1), 5) == dt.date(2023, 5, 1)
    assert add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)


def test_phrases_match_regardless_of_case_and_spacing():
    assert normalise_phrase("  Very   Unlikely ") == "very unlikely"


def test_rule_codes_are_unique_and_documented():
    assert all(r.fix and r.name for r in RULES.values())
    assert len({r.name for r in RULES.values()}) == len(RULES)


@pytest.mark.parametrize("made_date,precision,ok", [
    ("2024-02-17", "day", True),   # the id was minted with the first of the month; the day is known now
    ("2024-02-01", "month", True),
    ("2024-03-17", "day", False),  # another month: the id no longer names the claim's date
    ("2023-02-01", "month", False),
])
def test_a_made_date_refined_to_the_day_keeps_its_id(good_repo, made_date, precision, ok):
    path = good_repo / "claims" / "2024" / "2024-02-01-ada-example-agents-week.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("made_date: 2024-02-01\nmade_date_precision: month", f"made_date: {made_date}\nmade_date_precision: {precision}")
    path.write_text(text, encoding="utf-8")
    run = run_cli("--root", str(good_repo), "--as-of", TODAY, "check")
    assert ("ID004" in run.out) is (not ok), run.out
