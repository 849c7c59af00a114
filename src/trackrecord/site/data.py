"""What the site reads from build/trackrecord.duckdb. Queries select and join; they never compute a
score (the site formats, `score` and `fit` compute)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import duckdb
from ..db.lock import open_database


class SiteData:
    def __init__(self, database: Path) -> None:
        self.database = database
        self.con = open_database(database, read_only=True)
        self.tables = {name for (name,) in self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}

    def close(self) -> None:
        self.con.close()

    def rows(self, sql: str, params: list | None = None) -> list[dict]:
        cur = self.con.execute(sql, params or [])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def one(self, sql: str, params: list | None = None) -> dict:
        found = self.rows(sql, params)
        return found[0] if found else {}

    def has(self, *tables: str) -> bool:
        return all(t in self.tables for t in tables)

    # --- claims -------------------------------------------------------------------------------

    def claims(self) -> list[dict]:
        """Every claim with its predictor, role on the day, source and score (when not pending)."""
        score_cols = ", ".join(f"s.{c}" for c in (
            "is_scored", "exclusion_reason", "probability", "probability_low", "probability_high", "outcome",
            "brier", "log_score", "trend_baseline_probability", "trend_baseline_brier", "lateness_status", "lateness_years"))
        join = "LEFT JOIN score_claims s ON s.claim_id = c.id" if self.has("score_claims") else ""
        if not join:
            score_cols = "NULL AS is_scored"
        return self.rows(f"""
            SELECT c.*, {score_cols},
                   src.source_url, src.source_read_at, src.source_copy_reason, src.source_quality,
                   src.source_title, src.source_publisher, src.source_kind, src.source_format,
                   src.source_published_date, src.source_archive_url
            FROM v_claims c
            LEFT JOIN rec_sources src ON src.source_key = c.source_key
            {join}
            ORDER BY c.made_date, c.id""")

    FEED_COLUMNS = "id, statement, predictor_id, predictor_name, made_date, deadline_date, resolution_status, resolution_resolved_date"

    def recently_resolved(self, limit: int) -> list[dict]:
        """The `limit` claims resolved most recently (by resolution.resolved_date; ties by id)."""
        return self.rows(f"""
            SELECT {self.FEED_COLUMNS} FROM v_claims
            WHERE resolution_status <> 'pending' AND resolution_resolved_date IS NOT NULL
            ORDER BY resolution_resolved_date DESC, id LIMIT ?""", [limit])

    def coming_due(self, as_of, days: int) -> list[dict]:
        """Pending claims whose deadline falls on the as-of date or in the `days` days after it, soonest first."""
        return self.rows(f"""
            SELECT {self.FEED_COLUMNS} FROM v_claims
            WHERE resolution_status = 'pending' AND deadline_date BETWEEN ? AND ? + ?::INTEGER
            ORDER BY deadline_date, id""", [as_of, as_of, days])

    def overdue(self, as_of) -> list[dict]:
        """Pending claims whose deadline has passed (before the as-of date): awaiting resolution, oldest first."""
        return self.rows(f"""
            SELECT {self.FEED_COLUMNS} FROM v_claims
            WHERE resolution_status = 'pending' AND deadline_date < ?
            ORDER BY deadline_date, id""", [as_of])

    def evidence(self) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = defaultdict(list)
        for r in self.rows("SELECT * FROM rec_evidence ORDER BY claim_id, evidence_index"):
            out[r["claim_id"]].append(r)
        return out

    def verifications(self, kind: str) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = defaultdict(list)
        for r in self.rows("SELECT * FROM rec_verifications WHERE record_kind = ? ORDER BY record_id, verification_index", [kind]):
            out[r["record_id"]].append(r)
        return out

    def data_resolutions(self) -> dict[str, dict]:
        if not self.has("rec_data_resolutions"):
            return {}
        return {r["claim_id"]: r for r in self.rows("SELECT * FROM rec_data_resolutions")}

    def claim_collections(self) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = defaultdict(list)
        if self.has("rec_claim_collections"):
            for r in self.rows("""
                    SELECT m.claim_id, m.collection_id, m.item, k.name, k.kind FROM rec_claim_collections m
                    JOIN rec_collections k ON k.id = m.collection_id ORDER BY m.claim_id, k.name"""):
                out[r["claim_id"]].append(r)
        return out

    def collections(self) -> list[dict]:
        if not self.has("rec_collections"):
            return []
        return self.rows("SELECT * FROM rec_collections ORDER BY kind DESC, name")

    def source_quality(self) -> list[dict]:
        if "v_source_quality" not in self.views():
            return []
        return self.rows("SELECT * FROM v_source_quality")

    def record_numbers(self) -> list[dict]:
        """The record's reach and sources in numbers: each query of examples.RECORD_QUERIES, run."""
        from .examples import RECORD_QUERIES

        return [{"key": key, "label": label, "aim": aim, "sql": sql, "value": self.con.execute(sql).fetchone()[0]}
                for key, label, aim, sql in RECORD_QUERIES]

    def trend_baselines(self) -> dict[str, dict]:
        if not self.has("score_trend_baseline"):
            return {}
        return {r["claim_id"]: r for r in self.rows("SELECT * FROM score_trend_baseline")}

    def claim_thresholds(self) -> dict[str, dict]:
        if not self.has("fit_thresholds"):
            return {}
        return {r["claim_id"]: r for r in self.rows("SELECT * FROM fit_thresholds WHERE subject = 'claim'")}

    # --- predictors ---------------------------------------------------------------------------

    def predictors(self) -> list[dict]:
        return self.rows("""
            SELECT p.*, count(c.id) AS n_claims,
                   count(c.id) FILTER (WHERE c.resolution_status <> 'pending') AS n_resolved,
                   min(c.made_date) AS first_claim, max(c.made_date) AS last_claim
            FROM rec_predictors p LEFT JOIN rec_claims c ON c.predictor_id = p.id
            GROUP BY ALL ORDER BY p.name, p.id""")

    def affiliations(self) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = defaultdict(list)
        for r in self.rows("""
                SELECT a.*, rc.is_insider FROM rec_affiliations a
                LEFT JOIN rec_role_classes rc USING (role_class)
                ORDER BY predictor_id, start_date NULLS FIRST, affiliation_index"""):
            out[r["predictor_id"]].append(r)
        return out

    def group_scores(self, kind: str) -> dict[str, dict]:
        if not self.has("score_predictors"):
            return {}
        return {r["group_id"]: r for r in self.rows("SELECT * FROM score_predictors WHERE group_kind = ?", [kind])}

    def calibration_bins(self, kind: str) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = defaultdict(list)
        if self.has("score_calibration"):
            for r in self.rows("SELECT * FROM score_calibration WHERE group_kind = ? ORDER BY group_id, forecast", [kind]):
                out[r["group_id"]].append(r)
        return out

    def lateness(self, kind: str) -> dict[str, dict]:
        if not self.has("score_lateness"):
            return {}
        return {r["group_id"]: r for r in self.rows("SELECT * FROM score_lateness WHERE group_kind = ?", [kind])}

    def leaderboard(self) -> list[dict]:
        if "v_leaderboard" not in self.views():
            return []
        return self.rows("SELECT * FROM v_leaderboard ORDER BY position")

    def predictor_slices(self) -> list[dict]:
        if not self.has("score_predictor_slices"):
            return []
        return self.rows("""
            SELECT s.*, p.name AS predictor_name FROM score_predictor_slices s
            JOIN rec_predictors p ON p.id = s.predictor_id
            ORDER BY slice_kind, slice_value, brier, predictor_id""")

    def views(self) -> set[str]:
        return {name for (name,) in self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'VIEW'").fetchall()}

    # --- scores for the home page -------------------------------------------------------------

    def sensitivity(self) -> dict[tuple[str, str], dict]:
        if not self.has("score_sensitivity"):
            return {}
        return {(r["scenario"], r["metric"]): r for r in self.rows("SELECT * FROM score_sensitivity")}

    def comparisons(self) -> list[dict]:
        if not self.has("score_groups"):
            return []
        return self.rows("SELECT * FROM score_groups ORDER BY comparison, group_id, metric, method")

    def counts(self) -> dict:
        return self.one("""
            SELECT count(*) AS claims, count(DISTINCT predictor_id) AS predictors,
                   count(*) FILTER (WHERE resolution_status <> 'pending') AS resolved,
                   count(*) FILTER (WHERE resolution_status = 'pending') AS pending,
                   count(*) FILTER (WHERE operationalisation_series_id IS NOT NULL) AS operationalised,
                   count(*) FILTER (WHERE is_insider) AS by_insiders
            FROM v_claims""")

    def build_info(self) -> dict:
        return self.one("SELECT * FROM rec_build")

    # --- trends -------------------------------------------------------------------------------

    def paradigms(self) -> list[dict]:
        return self.rows("SELECT * FROM rec_paradigms ORDER BY name")

    def series(self) -> list[dict]:
        comparison = "LEFT JOIN fit_comparisons f ON f.series_id = s.id" if self.has("fit_comparisons") else ""
        cols = ", f.* EXCLUDE (series_id, paradigm_id)" if comparison else ""
        return self.rows(f"""
            SELECT s.*, (SELECT count(*) FROM rec_metric_points p WHERE p.series_id = s.id) AS n_points_all{cols}
            FROM rec_metric_series s {comparison} ORDER BY s.paradigm_id, s.name""")

    def points(self) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = defaultdict(list)
        for r in self.rows("SELECT * FROM rec_metric_points ORDER BY series_id, date, point_index"):
            out[r["series_id"]].append(r)
        return out

    def _by_series(self, table: str, order: str) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = defaultdict(list)
        if self.has(table):
            for r in self.rows(f"SELECT * FROM {table} ORDER BY series_id, {order}"):
                out[r["series_id"]].append(r)
        return out

    def projections(self) -> dict[str, list[dict]]:
        return self._by_series("fit_projections", "curve, date")

    def prior_predictive(self) -> dict[str, list[dict]]:
        return self._by_series("fit_prior_predictive", "family, date")

    def posteriors(self) -> dict[str, list[dict]]:
        return self._by_series("fit_posteriors", "family, method, parameter")

    def backtests(self) -> dict[str, list[dict]]:
        return self._by_series("fit_backtests", "origin_date, horizon_years, family")

    def verdict_history(self) -> dict[str, list[dict]]:
        return self._by_series("fit_verdict_history", "cutoff_date")

    def thresholds(self) -> dict[str, list[dict]]:
        return self._by_series("fit_thresholds", "subject, by_date, threshold_value")

    # --- data page ----------------------------------------------------------------------------

    def table_catalogue(self) -> list[dict]:
        """Every table and view with its comment and columns, read from the database itself."""
        comments = {r["name"]: r["comment"] for r in self.rows("""
            SELECT table_name AS name, comment FROM duckdb_tables() WHERE schema_name = 'main'
            UNION ALL SELECT view_name, comment FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal""")}
        columns: dict[str, list[dict]] = defaultdict(list)
        for r in self.rows("""
                SELECT table_name, column_name, data_type, comment FROM duckdb_columns()
                WHERE schema_name = 'main' ORDER BY table_name, column_index"""):
            columns[r["table_name"]].append(r)
        out = []
        for r in self.rows("""
                SELECT table_name, table_type FROM information_schema.tables
                WHERE table_schema = 'main' ORDER BY table_name"""):
            name = r["table_name"]
            rows = self.con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            out.append({"name": name, "kind": "view" if r["table_type"] == "VIEW" else "table",
                        "comment": comments.get(name), "columns": columns[name], "rows": rows})
        return out
