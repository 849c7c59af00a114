"""Example queries shown on the Data page. A test runs every one against a built database."""

EXAMPLE_QUERIES: tuple[tuple[str, str], ...] = (
    ("Claims, predictors, and how many are resolved", """\
SELECT count(*) AS claims,
       count(DISTINCT predictor_id) AS predictors,
       count(*) FILTER (WHERE resolution_status <> 'pending') AS resolved
FROM v_claims;"""),
    ("Share made by insiders and by critics (the role held on the day)", """\
SELECT avg(CASE WHEN is_insider THEN 1 ELSE 0 END) AS insider_share,
       avg(CASE WHEN role_class_at_made = 'critic' THEN 1 ELSE 0 END) AS critic_share
FROM v_claims;"""),
    ("The leaderboard", """\
SELECT position, predictor_name, n_scored, brier,
       expected_brier_mean, expected_brier_low, expected_brier_high, rank_low, rank_high
FROM v_leaderboard ORDER BY position;"""),
    ("Insiders against outsiders, with the model's 90% intervals", """\
SELECT group_id, n_scored, hit_rate, mean_probability, brier,
       expected_brier_mean, expected_brier_low, expected_brier_high
FROM score_predictors WHERE group_kind = 'insider_status';"""),
    ("A predictor's scored claims", """\
SELECT c.made_date, c.statement, s.probability, s.outcome, s.brier
FROM v_claims c JOIN score_claims s ON s.claim_id = c.id
WHERE c.predictor_id = 'gary-marcus' AND s.is_scored ORDER BY c.made_date;"""),
    ("Claims that came true late, and by how much", """\
SELECT claim_id, deadline_date, lateness_years
FROM score_claims WHERE lateness_status = 'late' ORDER BY lateness_years DESC;"""),
    ("Which curves are bending", """\
SELECT series_id, paradigm_id, verdict, elpd_diff, elpd_diff_se, weight_logistic, diagnostics_ok
FROM fit_comparisons ORDER BY verdict, series_id;"""),
    ("Frontier points of one series", """\
SELECT date, system, value FROM v_frontier_points
WHERE series_id = 'frontier-training-compute-flop' AND is_frontier ORDER BY date;"""),
    ("Metric series and their licences", """\
SELECT paradigm_id, id, unit, origin_producer, origin_licence, origin_retrieved_date
FROM rec_metric_series ORDER BY paradigm_id, id;"""),
)


# The record's reach and sources in numbers, each one query returning one number. The Data page
# shows every value beside its query and the second edition's aim (issues 15 and 16); a test runs them.
_SCORED = """resolution_status IN ('true', 'false') AND is_scorable AND prob_default IS NOT NULL"""
RECORD_QUERIES: tuple[tuple[str, str, str, str], ...] = (
    ("claims", "Claims", "≥ 800", "SELECT count(*) FROM rec_claims;"),
    ("resolved", "Resolved true, false or partly", "≥ 300",
     "SELECT count(*) FROM rec_claims WHERE resolution_status IN ('true', 'false', 'partly');"),
    ("scored", "Scored with a probability (true or false, with a stated, editorial or verbal probability)", "≥ 300",
     f"SELECT count(*) FROM v_claims WHERE {_SCORED};"),
    ("operationalised", "Operationalised against a curated series", "≥ 120",
     "SELECT count(*) FROM rec_claims c JOIN rec_metric_series s ON s.id = c.operationalisation_series_id;"),
    ("trend_baseline", "… of which scored and with a trend baseline (at least 5 frontier points before the claim, or the threshold already met)", "≥ 60",
     f"""SELECT count(*) FROM v_claims c
WHERE {_SCORED} AND c.operationalisation_series_id IS NOT NULL
  AND ((SELECT count(*) FROM v_frontier_points f
        WHERE f.series_id = c.operationalisation_series_id AND f.date < c.made_date) >= 5
    OR EXISTS (SELECT 1 FROM v_frontier_points f
        WHERE f.series_id = c.operationalisation_series_id AND f.date < c.made_date
          AND CASE c.operationalisation_comparator WHEN '>=' THEN f.value >= c.operationalisation_threshold_value
                                                    ELSE f.value <= c.operationalisation_threshold_value END));"""),
    ("predictors_3_scored", "Predictors with 3 or more scored claims", "≥ 30",
     f"SELECT count(*) FROM (SELECT predictor_id FROM v_claims WHERE {_SCORED} GROUP BY predictor_id HAVING count(*) >= 3);"),
    ("systematic_collections", "Systematic collections, completeness counted", "≥ 4",
     "SELECT count(*) FROM rec_collections WHERE kind = 'systematic' AND items_in_source = items_recorded + items_left_out;"),
    ("share_primary", "Share of claims citing a primary source (the speaker's own words)", "≥ 45%",
     "SELECT avg((source_kind = 'primary')::INTEGER) FROM v_claim_sources;"),
    ("share_primary_read", "… of which read at the primary itself, not a copy (share of all claims)", "",
     "SELECT avg((source_quality = 'primary')::INTEGER) FROM v_claim_sources;"),
    ("share_copy_only", "Share of claims resting only on a copy or aggregator (each with its reason)", "≤ 5%",
     "SELECT avg((source_quality = 'copy_only')::INTEGER) FROM v_claim_sources;"),
    ("trailing_dot_hosts", "Source, evidence and verification URLs whose host ends with a dot", "0",
     """SELECT count(*) FROM (
    SELECT source_url AS url FROM rec_sources UNION ALL SELECT source_read_at FROM rec_sources
    UNION ALL SELECT url FROM rec_evidence UNION ALL SELECT url FROM rec_verifications)
WHERE regexp_matches(url, '^https?://[^/?#]+[.](:[0-9]+)?([/?#]|$)');"""),
    ("archived", "Claims whose source has an archived copy recorded", "every one seen",
     "SELECT count(*) FROM v_claim_sources WHERE has_archive;"),
)
