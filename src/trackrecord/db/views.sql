-- Views over the rec_* tables. Generated columns belong in the build; these views only join.

-- Claims with their predictor, the role held on the day the claim was made, whether that made the
-- predictor an industry insider (NULL when no role is recorded for that day), the scale's phrase the
-- claim's hedge is an alias of, and the probability the claim is scored with under the default
-- verbal-probability scale.
CREATE VIEW v_claims AS
WITH roles_on_day AS (
    SELECT
        c.id AS claim_id,
        a.role_class,
        a.organisation,
        a.title,
        r.is_insider,
        row_number() OVER (PARTITION BY c.id ORDER BY r.precedence, coalesce(a.start_date, a.attested_date) DESC, a.affiliation_index) AS pick
    FROM rec_claims AS c
    JOIN rec_affiliations AS a
      ON a.predictor_id = c.predictor_id
     AND coalesce(a.start_date, a.attested_date) <= c.made_date
     AND (a.end_date IS NULL OR c.made_date <= CASE a.end_date_precision
            WHEN 'year' THEN make_date(year(a.end_date), 12, 31)
            WHEN 'month' THEN last_day(a.end_date)
            ELSE a.end_date END)
    JOIN rec_role_classes AS r USING (role_class)
),
spellings AS (
    SELECT phrase, is_scorable, low_prob, default_prob, high_prob,
           unnest(list_prepend(phrase, aliases)) AS spelling
    FROM rec_verbal_probabilities
)
SELECT
    c.*,
    p.name AS predictor_name,
    p.kind AS predictor_kind,
    rod.role_class AS role_class_at_made,
    rod.organisation AS organisation_at_made,
    rod.title AS title_at_made,
    rod.is_insider,
    s.phrase AS verbal_phrase,
    CASE c.confidence_basis
        WHEN 'stated' THEN c.confidence_stated_prob
        WHEN 'editorial' THEN c.confidence_stated_prob
        WHEN 'verbal' THEN s.default_prob
    END AS prob_default,
    CASE WHEN c.confidence_basis = 'verbal' THEN s.low_prob ELSE c.confidence_stated_prob END AS prob_low,
    CASE WHEN c.confidence_basis = 'verbal' THEN s.high_prob ELSE c.confidence_stated_prob END AS prob_high,
    c.confidence_basis <> 'unscorable' AS is_scorable
FROM rec_claims AS c
LEFT JOIN rec_predictors AS p ON p.id = c.predictor_id
LEFT JOIN roles_on_day AS rod ON rod.claim_id = c.id AND rod.pick = 1
LEFT JOIN spellings AS s
  ON c.confidence_phrase IS NOT NULL
 AND s.spelling = lower(regexp_replace(trim(c.confidence_phrase), '\s+', ' ', 'g'));

-- The frontier of every series: the running best points.
CREATE VIEW v_frontier_points AS
SELECT p.*, s.name AS series_name, s.unit, s.scale
FROM rec_metric_points AS p
JOIN rec_metric_series AS s ON s.id = p.series_id
WHERE p.is_frontier;

-- Claims whose outcome is known and scorable.
CREATE VIEW v_resolved_claims AS
SELECT * FROM v_claims
WHERE resolution_status IN ('true', 'false', 'partly') AND is_scorable;
