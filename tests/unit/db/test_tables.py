"""The database's table machinery (db/tables.py): the frontier, rows, JSON columns and DDL."""

from __future__ import annotations

import datetime as dt

from trackrecord.db.tables import CLAIMS, PARADIGMS, Table, frontier_flags, row_model, sorted_keys, sql_string
from trackrecord.schema.series import Point


def _points(values, dates=None):
    dates = dates or [dt.date(2020 + i, 1, 1) for i in range(len(values))]
    return [Point(date=d, value=v, system=f"s{i}") for i, (d, v) in enumerate(zip(dates, values))]


def test_frontier_is_running_best_by_date():
    assert frontier_flags(_points([1, 0.5, 2, 2, 3]), higher_is_better=True) == [True, False, True, False, True]


def test_frontier_for_lower_is_better():
    assert frontier_flags(_points([10, 12, 5, 7, 1]), higher_is_better=False) == [True, False, True, False, True]


def test_frontier_ties_on_one_date_flag_only_the_best():
    d = dt.date(2021, 1, 1)
    pts = _points([1, 0.5, 2], [dt.date(2020, 1, 1), d, d])
    assert frontier_flags(pts, higher_is_better=True) == [True, False, True]


def test_a_disputed_point_is_never_on_the_frontier_and_raises_no_bar():
    from trackrecord.schema.series import Dispute

    pts = _points([1, 5, 2, 3])
    pts[1] = pts[1].model_copy(update={"disputed": Dispute(
        reason="Trained on the test set.", source_url="https://example.org/notice", source_title="Notice", checked_date=dt.date(2026, 12, 2))})
    # Without the dispute 5 would be the frontier and hide 2 and 3.
    assert frontier_flags(pts, higher_is_better=True) == [True, False, True, True]


def test_a_mapping_goes_into_its_json_column_as_one_object_with_sorted_keys():
    assert sorted_keys({"b": 1, "a": {"d": [{"f": 1, "e": 2}], "c": 3}}) == {"a": {"c": 3, "d": [{"e": 2, "f": 1}]}, "b": 1}
    assert list(sorted_keys({"b": 1, "a": 2})) == ["a", "b"]
    priors = next(c for c in PARADIGMS.columns if c.name == "priors")
    assert priors.sql_type == "JSON"


def test_ddl_has_the_primary_key_and_comments_quote_safely():
    from pydantic import Field

    Row = row_model("Row", "A test row.", {"series_id": (str, Field(description="It's the series.")), "value": (float | None, Field(None, description="A value."))})
    table = Table("t_test", "Rows for 'tests'.", Row, ("series_id",))
    assert 'PRIMARY KEY (series_id)' in table.ddl() and '"value" DOUBLE' in table.ddl()
    assert table.comments()[0] == "COMMENT ON TABLE t_test IS 'Rows for ''tests''.'"
    assert sql_string("a'b") == "'a''b'"
    assert Row(series_id="s").value is None  # typed rows are checked when made


def test_claims_table_names_its_extra_columns_first():
    names = [n for n, _, _ in CLAIMS.all_columns]
    assert names[:2] == ["source_key", "confidence_scale_phrase"] and "deadline_date" in names


def test_a_shared_column_is_described_once_wherever_it_appears():
    from trackrecord.db.tables import SHARED_COLUMNS
    from trackrecord.fit.tables import FIT_TABLES
    from trackrecord.score.tables import SCORE_TABLES

    seen = {}
    for table in FIT_TABLES + SCORE_TABLES:
        for name, _, description in table.all_columns:
            if name in SHARED_COLUMNS:
                seen.setdefault(name, set()).add(description)
    assert {"series_id", "claim_id", "predictor_id", "family", "q05", "q50", "q95"} <= set(seen)
    assert all(descriptions == {SHARED_COLUMNS[name][1]} for name, descriptions in seen.items()), seen
