"""Hostile record text for the site's escaping tests: written straight into a copy of a built
database, as if a record with it had slipped past `trackrecord check` (defence in depth: the site
must render any string inert, whatever the checks let through)."""

from __future__ import annotations

from pathlib import Path

import duckdb

MARK = "PWNED"  # every payload would call alert/print/fetch with this word if it ran

SEARCH_WORD = "Zanzibar"  # a plain word beside the payloads, for finding them through the site's search
STATEMENT = f'<img src=x onerror="alert(\'{MARK}-statement\')"> {SEARCH_WORD} claim <b>bold</b> & more'
QUOTE = f"<script>alert('{MARK}-quote')</script> {SEARCH_WORD}\n\n**Markdown** [link](javascript:alert('{MARK}')) <!-- comment -->\n\n    indented code\n\n# heading"
NAME = f"</title><script>alert('{MARK}-name')</script> O'Brien & \"Co\""
SOURCE_URL = f"javascript:alert('{MARK}-source')"
EVIDENCE_URL = f"javascript:alert('{MARK}-evidence')"
EVIDENCE_TITLE = f"<a href=\"javascript:alert('{MARK}')\">evidence</a>"
SYSTEM = f"<img src=x onerror=alert('{MARK}-system')>"
SERIES_NAME = f"<svg onload=alert('{MARK}-series')>Horizon</svg>"
NOTE = f"]]></script><script>alert('{MARK}-note')</script>\u2028"


def inject(database: Path) -> dict[str, str]:
    """Put the payloads on the first scored claim, its predictor, source and evidence, on the
    first series, and the statement also on the first pending claim not yet past its deadline (so
    the coming-due page and feed carry it). Returns the ids touched."""
    con = duckdb.connect(str(database))
    try:
        claim_id, predictor_id, source_key = con.execute("""
            SELECT c.id, c.predictor_id, c.source_key FROM rec_claims c JOIN score_claims s ON s.claim_id = c.id
            WHERE s.is_scored ORDER BY c.id LIMIT 1""").fetchone()
        (due_id,) = con.execute("""
            SELECT id FROM rec_claims WHERE resolution_status = 'pending' AND deadline_date >= (SELECT as_of_date FROM rec_build)
            ORDER BY deadline_date, id LIMIT 1""").fetchone()
        con.execute("UPDATE rec_claims SET statement = ? WHERE id = ?", [STATEMENT, due_id])
        series_id = con.execute("SELECT series_id FROM rec_metric_points ORDER BY series_id LIMIT 1").fetchone()[0]
        con.execute("UPDATE rec_claims SET statement = ?, quote = ?, resolution_note = ?, deadline_note = ?, source_key = ? WHERE id = ?",
                    [STATEMENT, QUOTE, NOTE, NOTE, SOURCE_URL, claim_id])
        con.execute("UPDATE rec_sources SET source_key = ?, source_url = ?, source_title = ? WHERE source_key = ?", [SOURCE_URL, SOURCE_URL, EVIDENCE_TITLE, source_key])
        con.execute("UPDATE rec_evidence SET url = ?, title = ? WHERE claim_id = ?", [EVIDENCE_URL, EVIDENCE_TITLE, claim_id])
        con.execute("UPDATE rec_predictors SET name = ?, description = ? WHERE id = ?", [NAME, NOTE, predictor_id])
        con.execute("UPDATE rec_metric_series SET name = ? WHERE id = ?", [SERIES_NAME, series_id])
        con.execute("UPDATE rec_metric_points SET system = ? WHERE series_id = ?", [SYSTEM, series_id])
        con.execute("UPDATE rec_affiliations SET organisation = ?, source_url = ? WHERE predictor_id = ?", [NAME, EVIDENCE_URL, predictor_id])
    finally:
        con.close()
    return {"claim": claim_id, "predictor": predictor_id, "series": series_id, "due_claim": due_id}
