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
