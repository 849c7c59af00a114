"""Hosts and the publishers registry, and resolving operationalised claims from their series."""

from __future__ import annotations

import datetime as dt

import pytest

from trackrecord.records.data_resolution import resolve_from_data
from trackrecord.records.publishers import Registry, host_of, normal_url, url_problems
from trackrecord.schema import Claim, MetricSeries, PublisherRegistry

TODAY = dt.date(2026, 11, 23)


def test_host_is_lowercase_without_www_or_trailing_dot():
    assert host_of("https://WWW.Example.COM./a?b=1") == "example.com"
    assert host_of("https://news.ycombinator.com./item?id=1") == "news.ycombinator.com"


@pytest.mark.parametrize("url, problems, fixed", [
    ("https://news.ycombinator.com./item?id=1", ["the host 'news.ycombinator.com.' ends with a dot"], "https://news.ycombinator.com/item?id=1"),
    ("https://a.org/p?utm_source=x&id=3&fbclid=y", ["tracking parameters fbclid, utm_source"], "https://a.org/p?id=3"),
    ("https://a.org.:8080/p", ["the host 'a.org.' ends with a dot"], "https://a.org:8080/p"),
    ("https://a.org/p?ref=home", [], "https://a.org/p?ref=home"),
])
def test_url_problems_and_their_fix(url, problems, fixed):
    assert url_problems(url) == problems
    assert normal_url(url) == fixed
    assert url_problems(normal_url(url)) == []


def registry() -> Registry:
    return Registry(PublisherRegistry.model_validate({
        "id": "publishers", "version": "1", "version_date": "2026-01-01", "description": "test",
        "publishers": [
            {"domain": "substack.com", "name": "Substack", "kind": "platform"},
            {"domain": "copycat.substack.com", "name": "Copycat", "kind": "aggregator"},
            {"domain": "reuters.com", "name": "Reuters", "kind": "original_publisher"},
        ],
    }))


def test_registry_covers_subdomains_and_the_longest_entry_wins():
    r = registry()
    assert r.lookup("https://www.reuters.com/x").name == "Reuters"
    assert r.lookup("https://author.substack.com/p/x").kind == "platform"
    assert r.lookup("https://copycat.substack.com/p/x").kind == "aggregator"
    assert r.is_copy("https://copycat.substack.com/p/x") and not r.is_copy("https://reuters.com/x")
    assert r.lookup("https://unknown.example/x") is None and r.lookup(None) is None


SERIES = MetricSeries.model_validate({
    "id": "s", "name": "S", "description": "d", "unit": "minutes", "scale": "log", "points_cover": "all", "paradigm_id": "p",
    "origin": {"producer": "x", "citation": "x", "url": "https://example.org", "licence": "CC0", "retrieved_date": "2026-01-01"},
    "points": [{"date": "2020-01-01", "value": 1.0, "system": "a"}, {"date": "2023-06-01", "value": 30.0, "system": "b"},
               {"date": "2023-06-01", "value": 50.0, "system": "c"}, {"date": "2025-01-01", "value": 60.0, "system": "d"}],
})


def claim(threshold: float, deadline: str, direction: str = "at_least", comparator: str = ">=") -> Claim:
    return Claim.model_validate({
        "id": "2021-01-01-x-y", "predictor_id": "x", "made_date": "2021-01-01", "quote": "q", "statement": "s",
        "source": {"url": "https://example.org", "title": "t", "kind": "primary", "format": "post"},
        "deadline": {"date": deadline, "rule": "explicit_date"}, "confidence": {"basis": "stated", "stated_prob": 0.5},
        "direction": direction, "operationalisation": {"series_id": "s", "comparator": comparator, "threshold_value": threshold},
    })


def test_first_crossing_is_the_earliest_and_on_a_tie_the_furthest():
    r = resolve_from_data(claim(25, "2024-12-31"), SERIES, TODAY)
    assert (r.status, r.event_happened, r.crossing_date, r.crossing_system, r.crossing_value) == ("true", True, dt.date(2023, 6, 1), "c", 50.0)


def test_at_most_claim_is_false_when_the_threshold_was_met():
    assert resolve_from_data(claim(25, "2024-12-31", "at_most"), SERIES, TODAY).status == "false"


def test_not_met_by_a_covered_deadline_is_false_and_later_crossings_are_named():
    r = resolve_from_data(claim(55, "2024-12-31"), SERIES, TODAY)
    assert (r.status, r.event_happened, r.crossed_by_deadline, r.crossing_system) == ("false", False, False, "d")
    assert "d did on 2025-01-01" in r.explanation


def test_the_data_cannot_tell_when_they_end_before_the_deadline_or_it_is_ahead():
    assert resolve_from_data(claim(100, "2025-06-30"), SERIES, TODAY).status == "pending"  # data end 2025-01-01
    assert resolve_from_data(claim(100, "2030-12-31"), SERIES, TODAY).status == "pending"  # deadline ahead
    assert resolve_from_data(claim(55, "2030-12-31"), SERIES, TODAY).status == "true"  # came true early


def test_falling_metrics_use_le():
    assert resolve_from_data(claim(0.5, "2021-12-31", comparator="<="), SERIES, TODAY).status == "false"


def test_a_disputed_point_resolves_no_claim():
    points = [dict(p) for p in SERIES.model_dump(mode="json")["points"]]
    for p in points:
        if p["system"] in ("b", "c"):  # both 2023 crossings of 25 are disputed
            p["disputed"] = {"reason": "withdrawn", "source_url": "https://example.org/w", "source_title": "W", "checked_date": "2026-12-02"}
    disputed = MetricSeries.model_validate({**SERIES.model_dump(mode="json"), "points": points})
    r = resolve_from_data(claim(25, "2024-12-31"), disputed, TODAY)
    assert r.status == "false" and r.crossing_system == "d"  # the next undisputed crossing, after the deadline
