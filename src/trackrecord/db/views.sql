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
-- The build matched the hedge to the scale with check's own rule (rec_claims.confidence_scale_phrase).
LEFT JOIN rec_verbal_probabilities AS s ON s.phrase = c.confidence_scale_phrase;

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

-- Every claim's source, as the publishers registry reads it: its quality (primary, original
-- publisher, original read through a copy, copy only, unknown publisher) and whether an archived
-- copy is recorded.
CREATE VIEW v_claim_sources AS
SELECT
    c.id AS claim_id,
    c.made_date,
    c.topics,
    (year(c.made_date) // 10 * 10)::VARCHAR || 's' AS made_decade,
    s.source_key,
    s.source_url,
    s.source_read_at,
    s.source_copy_reason,
    s.source_host,
    s.source_publisher_kind,
    s.source_kind,
    s.source_quality,
    s.source_archive_url,
    s.source_archive_url IS NOT NULL AS has_archive
FROM rec_claims AS c
JOIN rec_sources AS s USING (source_key);

-- Shares of claims by source quality: overall, by topic and by decade made.
CREATE VIEW v_source_quality AS
WITH slices AS (
    SELECT 'all' AS slice_kind, 'all claims' AS slice, * FROM v_claim_sources
    UNION ALL
    SELECT 'decade', made_decade, * FROM v_claim_sources
    UNION ALL
    SELECT 'topic', t.topic, v.* FROM v_claim_sources AS v, unnest(v.topics) AS t(topic)
)
SELECT
    slice_kind,
    slice,
    count(*) AS claims,
    avg((source_kind = 'primary')::INTEGER) AS share_primary_kind,
    avg((source_quality = 'primary')::INTEGER) AS share_primary,
    avg((source_quality = 'original_publisher')::INTEGER) AS share_original_publisher,
    avg((source_quality = 'original_via_copy')::INTEGER) AS share_original_via_copy,
    avg((source_quality = 'copy_only')::INTEGER) AS share_copy_only,
    avg((source_quality = 'unknown_publisher')::INTEGER) AS share_unknown_publisher,
    avg(has_archive::INTEGER) AS share_archived
FROM slices
GROUP BY slice_kind, slice
ORDER BY CASE slice_kind WHEN 'all' THEN 0 WHEN 'decade' THEN 1 ELSE 2 END, slice_kind, claims DESC, slice;

-- Operationalised claims with what the data say of them, beside what the record says.
CREATE VIEW v_data_resolutions AS
SELECT
    d.*,
    c.resolution_status,
    c.direction,
    c.deadline_date,
    c.operationalisation_comparator,
    c.operationalisation_threshold_value,
    (c.resolution_status IN ('true', 'false') AND d.data_status <> 'pending') AS is_decided_by_data,
    (c.resolution_status IN ('true', 'false') AND d.data_status <> 'pending' AND d.data_status = c.resolution_status) AS agrees
FROM rec_data_resolutions AS d
JOIN rec_claims AS c ON c.id = d.claim_id;
