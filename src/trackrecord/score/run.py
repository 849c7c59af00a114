"""`trackrecord score`: proper scores, calibration, the hierarchical model, lateness and the trend baseline.

Reads the claims (v_claims), the series and the trend-model settings from the database, and writes
the score_* tables and v_leaderboard in one transaction. Sampled work (the calibration model, the
trend-baseline refits) is cached by content hash under build/cache/, so an unchanged run imports
neither PyMC nor ArviZ.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import calibration_model as CM
from . import lateness as L
from . import proper
from . import tables as ST
from .trend_baseline import OperationalisedClaim, baseline_for
from ..db.lock import open_database

HORIZON_BUCKETS = ((2.0, "under 2"), (5.0, "2-5"), (10.0, "5-10"), (20.0, "10-20"), (float("inf"), "20 or more"))
BOOTSTRAP = 2000
CI = (0.05, 0.95)
VERBAL_VARIANTS = {"low": "probability_low", "default": "probability", "high": "probability_high"}
SCENARIOS = (  # (name, verbal variant, partly rule, fit the hierarchical model)
    ("default", "default", "excluded", True),
    ("verbal_low", "low", "excluded", True),
    ("verbal_high", "high", "excluded", True),
    ("partly_as_true", "default", "as_true", False),
    ("partly_as_false", "default", "as_false", False),
)


@dataclass
class ScoreReport:
    claims_scored: int = 0
    claims_excluded: dict[str, int] = field(default_factory=dict)
    models_sampled: int = 0
    baseline_fits_sampled: int = 0
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)


# --- claims ----------------------------------------------------------------------------------------

CLAIM_QUERY = """
SELECT id, predictor_id, made_date, deadline_date, direction, topics, role_class_at_made, is_insider,
       resolution_status, resolution_came_true_date, confidence_basis, confidence_phrase, verbal_phrase,
       prob_default, prob_low, prob_high, operationalisation_series_id, operationalisation_comparator,
       operationalisation_threshold_value,
       coalesce((SELECT list(m.collection_id ORDER BY m.collection_id) FROM rec_claim_collections AS m
                 JOIN rec_collections AS k ON k.id = m.collection_id
                 WHERE m.claim_id = v_claims.id AND k.kind = 'systematic'), []) AS systematic_collection_ids
FROM v_claims ORDER BY id
"""


def horizon_bucket(years: float) -> str:
    return next(label for limit, label in HORIZON_BUCKETS if years < limit)


def question_key(claim: dict) -> str:
    """Claims about the same event share a question (and its effect in the calibration model)."""
    year = claim["deadline_date"].year
    if claim["operationalisation_series_id"]:
        return f"{claim['operationalisation_series_id']} {claim['operationalisation_comparator']} {claim['operationalisation_threshold_value']:g} by {year}"
    if claim["topics"]:
        return f"{claim['topics'][0]} by {year}"
    return f"claim {claim['id']}"


def exclusion_reason(claim: dict) -> str | None:
    if claim["resolution_status"] in ("ambiguous", "retracted"):
        return claim["resolution_status"]
    if claim["confidence_basis"] == "unscorable" or claim["prob_default"] is None:
        return "unscorable"
    if claim["resolution_status"] == "partly":
        return "partly"
    return None


def claim_rows(claims: list[dict], baselines: dict[str, dict], today: dt.date) -> list[dict]:
    rows = []
    for c in claims:
        if c["resolution_status"] == "pending":
            continue
        reason = exclusion_reason(c)
        outcome = None if reason else int(c["resolution_status"] == "true")
        horizon = (c["deadline_date"] - c["made_date"]).days / L.YEAR_DAYS
        base = baselines.get(c["id"], {}).get("p_claim_true")
        late_status, late_years = L.claim_lateness(c["direction"], c["resolution_status"], c["deadline_date"], c["resolution_came_true_date"], today)
        p = c["prob_default"]
        rows.append({
            "claim_id": c["id"],
            "predictor_id": c["predictor_id"],
            "made_date": c["made_date"],
            "deadline_date": c["deadline_date"],
            "horizon_years": horizon,
            "horizon_bucket": horizon_bucket(horizon),
            "direction": c["direction"],
            "topics": list(c["topics"] or []),
            "role_class_at_made": c["role_class_at_made"],
            "insider_status": _status(c["is_insider"]),
            "question_key": question_key(c),
            "resolution_status": c["resolution_status"],
            "is_scored": reason is None,
            "exclusion_reason": reason,
            "probability_basis": c["confidence_basis"],
            "confidence_phrase": c["confidence_phrase"],
            "verbal_phrase": c["verbal_phrase"],
            "probability": p,
            "probability_low": c["prob_low"],
            "probability_high": c["prob_high"],
            "outcome": outcome,
            "brier": float(proper.brier(p, outcome)) if outcome is not None else None,
            "log_score": float(proper.log_score(p, outcome)) if outcome is not None else None,
            "trend_baseline_probability": base,
            "trend_baseline_brier": float(proper.brier(base, outcome)) if outcome is not None and base is not None else None,
            "trend_baseline_log_score": float(proper.log_score(base, outcome)) if outcome is not None and base is not None else None,
            "lateness_status": late_status,
            "lateness_years": late_years,
            "collection_ids": list(c["systematic_collection_ids"]),
            "selection": "systematic" if c["systematic_collection_ids"] else "curated",
        })
    return rows


def _status(is_insider: bool | None) -> str:
    return "unknown" if is_insider is None else ("insider" if is_insider else "outsider")


def scenario_items(rows: list[dict], variant: str, partly_rule: str) -> list[dict]:
    """The scored claims of one scenario: the claim row plus p and o for that scenario."""
    column = VERBAL_VARIANTS[variant]
    out = []
    for r in rows:
        if r["exclusion_reason"] is None:
            o = r["outcome"]
        elif r["exclusion_reason"] == "partly" and partly_rule != "excluded":
            o = int(partly_rule == "as_true")
        else:
            continue
        out.append({**r, "p": r[column], "o": o})
    return out


# --- groups ------------------------------------------------------------------------------------------

def group_memberships(row: dict) -> list[tuple[str, str]]:
    groups = [("all", "all"), ("predictor", row["predictor_id"]), ("insider_status", row["insider_status"]),
              ("role_class", row["role_class_at_made"] or "unknown"), ("horizon", row["horizon_bucket"])]
    groups += [("topic", t) for t in row["topics"]]
    # How much the answers depend on selection: every systematic collection, all of them together
    # (a claim in two collections counts once), and insiders against outsiders within them.
    groups += [("collection", c) for c in row["collection_ids"]]
    groups.append(("selection", row["selection"]))
    if row["selection"] == "systematic":
        groups.append(("systematic_insider_status", row["insider_status"]))
    return groups


def slice_memberships(row: dict) -> list[tuple[str, str, str]]:
    """The (predictor, slice kind, slice value) slices a claim counts in: score_predictor_slices."""
    who = row["predictor_id"]
    slices = [(who, "all", "all"), (who, "role_class", row["role_class_at_made"] or "unknown"),
              (who, "decade", f"{row['made_date'].year // 10 * 10}s")]
    return slices + [(who, "topic", t) for t in row["topics"]]


def _members(rows: list[dict], items: list[dict], memberships: Callable[[dict], list[tuple]]) -> tuple[dict, dict]:
    """Each group's claims (rows not pending) and the indices of its scored items."""
    claims_in: dict[tuple, list[dict]] = defaultdict(list)
    scored_in: dict[tuple, list[int]] = defaultdict(list)
    for r in rows:
        for g in memberships(r):
            claims_in[g].append(r)
    for k, i in enumerate(items):
        for g in memberships(i):
            scored_in[g].append(k)
    return claims_in, scored_in


def model_rows(items: list[dict]) -> list[dict]:
    return [
        {"p": i["p"], "outcome": i["o"], "predictor_id": i["predictor_id"], "role": i["role_class_at_made"],
         "is_insider": None if i["insider_status"] == "unknown" else i["insider_status"] == "insider",
         "question": i["question_key"], "sign": 1 if i["direction"] == "at_least" else -1}
        for i in items
    ]


@dataclass
class Posterior:
    """The calibration model's draws, indexed like the scenario's items."""

    a: np.ndarray  # (draws, claims)
    b: np.ndarray
    reference_p: np.ndarray
    diagnostics: dict

    def group(self, index: list[int]) -> dict[str, np.ndarray]:
        a = self.a[:, index].mean(axis=1)
        b = self.b[:, index].mean(axis=1)
        brier, log = CM.expected_scores(a, b, self.reference_p)
        return {"calibration_intercept": a, "calibration_slope": b, "expected_brier": brier, "expected_log_score": log}


def fit_posterior(model: CM.CalibrationModel, items: list[dict]) -> Posterior:
    data = CM.encode(model_rows(items))
    draws = model.fit(data)
    a, b = CM.claim_coefficients(draws, data)
    diagnostics = {k: float(draws[k]) for k in ("divergences", "max_rhat", "min_ess_bulk")}
    return Posterior(a, b, data.p, diagnostics)


def _summ(values: np.ndarray) -> tuple[float, float, float]:
    lo, hi = np.quantile(values, CI)
    return float(values.mean()), float(lo), float(hi)


def predictor_rows(rows: list[dict], items: list[dict], posterior: Posterior) -> list[dict]:
    base_rate = float(np.mean([i["o"] for i in items]))
    claims_in, members = _members(rows, items, group_memberships)
    eligible = sorted(g for g in members if g[0] == "predictor" and len(members[g]) >= ST.LEADERBOARD_MIN_SCORED)
    ranks = {}
    if eligible:
        expected = np.column_stack([posterior.group(members[g])["expected_brier"] for g in eligible])
        order = expected.argsort(axis=1).argsort(axis=1) + 1.0
        for n, g in enumerate(eligible):
            lo, med, hi = np.quantile(order[:, n], [CI[0], 0.5, CI[1]])
            ranks[g] = {"rank_median": float(med), "rank_low": float(lo), "rank_high": float(hi)}
    out = []
    for g in sorted(claims_in):
        idx = members.get(g, [])
        sub = [items[k] for k in idx]
        row = _raw_row(g, claims_in[g], sub, base_rate)
        if idx:
            for name, values in posterior.group(idx).items():
                row[f"{name}_mean"], row[f"{name}_low"], row[f"{name}_high"] = _summ(values)
        row.update(ranks.get(g, {}))
        out.append(row)
    baseline_items = [{**i, "p": i["trend_baseline_probability"]} for i in items if i["trend_baseline_probability"] is not None]
    baseline_claims = [r for r in rows if r["trend_baseline_probability"] is not None]
    out.append(_raw_row(("trend_baseline", "trend-baseline"), baseline_claims, baseline_items, base_rate))
    return out


def predictor_slice_rows(rows: list[dict], items: list[dict]) -> list[dict]:
    """Raw scores of each predictor's claims by role class, topic and decade (the leaderboard's filters)."""
    base_rate = float(np.mean([i["o"] for i in items]))
    claims_in, scored_in = _members(rows, items, slice_memberships)
    out = []
    for key in sorted(claims_in):
        who, kind, value = key
        raw = _raw_row(("predictor", who), claims_in[key], [items[k] for k in scored_in.get(key, [])], base_rate)
        out.append({"predictor_id": who, "slice_kind": kind, "slice_value": value,
                    **{name: raw[name] for name in ST.SLICE_SCORE_COLUMNS}, "is_ranked": raw["n_scored"] >= ST.LEADERBOARD_MIN_SCORED})
    return out


def _raw_row(group: tuple[str, str], claims: list[dict], scored: list[dict], base_rate: float) -> dict:
    row = {name: None for name, _, _ in ST.PREDICTORS.all_columns}
    row.update(group_kind=group[0], group_id=group[1], n_claims=len(claims), n_excluded=len(claims) - len(scored), n_scored=len(scored))
    if not scored:
        return row
    p = np.array([i["p"] for i in scored], float)
    o = np.array([i["o"] for i in scored], float)
    row.update(proper.summary(p, o, base_rate))
    m = proper.murphy(p, o)
    row.update(murphy_reliability=m["reliability"], murphy_resolution=m["resolution"], murphy_uncertainty=m["uncertainty"])
    cb, cl = proper.corp(p, o, "brier"), proper.corp(p, o, "log")
    row.update(corp_brier_miscalibration=cb["miscalibration"], corp_brier_discrimination=cb["discrimination"],
               corp_log_miscalibration=cl["miscalibration"], corp_log_discrimination=cl["discrimination"], corp_log_uncertainty=cl["uncertainty"])
    shared = [i for i in scored if i.get("trend_baseline_probability") is not None]
    row["n_shared_with_trend_baseline"] = len(shared)
    if shared and group[0] != "trend_baseline":
        own = float(np.mean([proper.brier(i["p"], i["o"]) for i in shared]))
        base = float(np.mean([proper.brier(i["trend_baseline_probability"], i["o"]) for i in shared]))
        row.update(brier_on_shared=own, trend_baseline_brier_on_shared=base, brier_minus_trend_baseline=own - base)
    return row


def calibration_rows(items: list[dict], seed: int) -> list[dict]:
    groups: dict[tuple[str, str], list[tuple[float, int]]] = defaultdict(list)
    for i in items:
        groups[("all", "all")].append((i["p"], i["o"]))
        groups[("predictor", i["predictor_id"])].append((i["p"], i["o"]))
        groups[("selection", i["selection"])].append((i["p"], i["o"]))
        if i["insider_status"] != "unknown":
            groups[("insider_status", i["insider_status"])].append((i["p"], i["o"]))
        if i["probability_basis"] == "verbal":
            # What a phrase, and a bare "will" above all, has meant in practice (site/methods/verbal-scale.md, "A bare 'will'").
            groups[("phrase", i["verbal_phrase"])].append((i["p"], i["o"]))
        if i["trend_baseline_probability"] is not None:
            groups[("trend_baseline", "trend-baseline")].append((i["trend_baseline_probability"], i["o"]))
    out = []
    for (kind, gid), pairs in sorted(groups.items()):
        p, o = np.array(pairs, float).T
        for b in proper.reliability_bins(p, o, seed=seed):
            out.append({"group_kind": kind, "group_id": gid, **b})
    return out


def group_comparison_rows(items: list[dict], posterior: Posterior, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    comparisons = [("insider_vs_outsider", "insider", "outsider",
                    [k for k, i in enumerate(items) if i["insider_status"] == "insider"],
                    [k for k, i in enumerate(items) if i["insider_status"] == "outsider"]),
                   # The same question asked only of the systematic collections: does the answer survive selection?
                   ("systematic_insider_vs_outsider", "insider", "outsider",
                    [k for k, i in enumerate(items) if i["insider_status"] == "insider" and i["selection"] == "systematic"],
                    [k for k, i in enumerate(items) if i["insider_status"] == "outsider" and i["selection"] == "systematic"])]
    known = [k for k, i in enumerate(items) if i["role_class_at_made"]]
    for role in sorted({items[k]["role_class_at_made"] for k in known}):
        group = [k for k in known if items[k]["role_class_at_made"] == role]
        comparisons.append(("role_class_vs_rest", role, "rest", group, [k for k in known if items[k]["role_class_at_made"] != role]))
    out = []
    for name, gid, rid, group, rest in comparisons:
        if not group or not rest:
            continue
        g, r = posterior.group(group), posterior.group(rest)
        for metric in ("calibration_intercept", "calibration_slope", "expected_brier", "expected_log_score"):
            diff = g[metric] - r[metric]
            if metric == "calibration_slope":
                better = np.abs(g[metric] - 1) < np.abs(r[metric] - 1)
            elif metric == "calibration_intercept":
                better = np.abs(g[metric]) < np.abs(r[metric])
            else:
                better = diff < 0
            mean, lo, hi = _summ(diff)
            out.append({"comparison": name, "group_id": gid, "rest_id": rid, "metric": metric, "method": "posterior",
                        "n_group": len(group), "n_rest": len(rest), "group_value": float(g[metric].mean()), "rest_value": float(r[metric].mean()),
                        "difference_mean": mean, "difference_low": lo, "difference_high": hi, "p_group_better": float(better.mean())})
        bg = np.array([proper.brier(items[k]["p"], items[k]["o"]) for k in group])
        br = np.array([proper.brier(items[k]["p"], items[k]["o"]) for k in rest])
        boot = np.array([rng.choice(bg, len(bg)).mean() - rng.choice(br, len(br)).mean() for _ in range(BOOTSTRAP)])
        lo, hi = np.quantile(boot, CI)
        out.append({"comparison": name, "group_id": gid, "rest_id": rid, "metric": "brier", "method": "bootstrap",
                    "n_group": len(group), "n_rest": len(rest), "group_value": float(bg.mean()), "rest_value": float(br.mean()),
                    "difference_mean": float(bg.mean() - br.mean()), "difference_low": float(lo), "difference_high": float(hi),
                    "p_group_better": float((boot < 0).mean())})
    return out


def headline_rows(scenario: tuple, items: list[dict], posterior: Posterior | None) -> list[dict]:
    name, variant, partly, _ = scenario
    p = np.array([i["p"] for i in items], float)
    o = np.array([i["o"] for i in items], float)
    base_rate = float(o.mean())
    metrics: list[tuple[str, float | None, float | None, float | None]] = []

    def raw(keep: np.ndarray) -> float | None:
        return float(proper.brier(p[keep], o[keep]).mean()) if keep.any() else None

    status = np.array([i["insider_status"] for i in items])
    role = np.array([i["role_class_at_made"] or "unknown" for i in items])
    s = proper.summary(p, o, base_rate)
    metrics += [("n_scored", len(items), None, None), ("hit_rate", s["hit_rate"], None, None), ("mean_probability", s["mean_probability"], None, None),
                ("brier_all", s["brier"], None, None), ("log_score_all", s["log_score"], None, None),
                ("calibration_in_the_large_all", s["calibration_in_the_large"], None, None)]
    ins, out = raw(status == "insider"), raw(status == "outsider")
    metrics += [("brier_insiders", ins, None, None), ("brier_outsiders", out, None, None),
                ("brier_critics", raw(role == "critic"), None, None)]
    metrics.append(("brier_insider_minus_outsider", None if ins is None or out is None else ins - out, None, None))
    if posterior is not None:
        everyone = posterior.group(list(range(len(items))))
        metrics += [("model_calibration_slope_all", *_summ(everyone["calibration_slope"])),
                    ("model_calibration_intercept_all", *_summ(everyone["calibration_intercept"]))]
        insiders = [k for k, st in enumerate(status) if st == "insider"]
        outsiders = [k for k, st in enumerate(status) if st == "outsider"]
        if insiders and outsiders:
            gi, go = posterior.group(insiders), posterior.group(outsiders)
            metrics += [("model_expected_brier_insider_minus_outsider", *_summ(gi["expected_brier"] - go["expected_brier"])),
                        ("model_calibration_slope_insider_minus_outsider", *_summ(gi["calibration_slope"] - go["calibration_slope"]))]
        metrics += [(f"model_{k}", v, None, None) for k, v in posterior.diagnostics.items()]
    return [{"scenario": name, "verbal_variant": variant, "partly_rule": partly, "metric": m, "value": None if v is None else float(v), "low": lo, "high": hi}
            for m, v, lo, hi in metrics]


def lateness_rows(rows: list[dict]) -> list[dict]:
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        if r["lateness_status"] is None:
            continue
        role = r["role_class_at_made"] or "unknown"
        groups[("all", "all")].append(r)
        groups[("predictor", r["predictor_id"])].append(r)
        groups[("role_class", role)].append(r)
        groups[("insider_status", r["insider_status"])].append(r)
        for t in r["topics"]:
            groups[("topic", t)].append(r)
            groups[("topic_role", f"{t}/{role}")].append(r)
    out = []
    for (kind, gid), members in sorted(groups.items()):
        row = L.summarise(kind, gid, [m["lateness_status"] for m in members], [m["lateness_years"] for m in members])
        if row is not None:
            out.append(row)
    return out


# --- the command ---------------------------------------------------------------------------------------

def score_all(db_path: Path, build_dir: Path, today: dt.date, *, settings: CM.ModelSettings | None = None,
              fit_settings=None, progress: Callable[[str], None] = lambda _: None) -> ScoreReport:
    import duckdb

    from ..fit.data import load_paradigms, load_series
    from ..db.write import write_tables
    from ..fit.run import Fitter
    from ..fit.sampler import SamplerSettings

    started = time.perf_counter()
    report = ScoreReport()
    con = open_database(db_path, read_only=True)
    try:
        cursor = con.execute(CLAIM_QUERY)
        names = [d[0] for d in cursor.description]
        claims = [dict(zip(names, r)) for r in cursor.fetchall()]
        series = load_series(con)
        paradigms = load_paradigms(con)
    finally:
        con.close()

    fitter = Fitter(build_dir, fit_settings or SamplerSettings(), True, progress)
    baselines = {}
    operationalised = [c for c in claims if c["operationalisation_series_id"]]
    for n, c in enumerate(operationalised, 1):
        s = series.get(c["operationalisation_series_id"])
        if s is None or s.paradigm_id not in paradigms:
            continue
        progress(f"[{n}/{len(operationalised)}] trend baseline {c['id']}")
        claim = OperationalisedClaim(c["id"], c["made_date"], c["deadline_date"], s.series_id, c["operationalisation_comparator"],
                                     float(c["operationalisation_threshold_value"]), c["direction"])
        baselines[c["id"]] = baseline_for(fitter, claim, s, paradigms[s.paradigm_id])
    report.baseline_fits_sampled = fitter.fits_sampled

    rows = claim_rows(claims, baselines, today)
    seed = int(hashlib.sha256(repr(sorted((r["claim_id"], r["outcome"]) for r in rows)).encode()).hexdigest()[:8], 16)
    model = CM.CalibrationModel(build_dir / "cache" / "score", build_dir / "pytensor", settings or CM.ModelSettings())
    tables: dict[str, list[dict]] = {t.name: [] for t in ST.SCORE_TABLES}
    tables["score_claims"] = rows
    tables["score_trend_baseline"] = [baselines[k] for k in sorted(baselines)]
    tables["score_lateness"] = lateness_rows(rows)
    for scenario in SCENARIOS:
        name, variant, partly, with_model = scenario
        items = scenario_items(rows, variant, partly)
        posterior = None
        if with_model:
            progress(f"calibration model ({name}, {len(items)} claims)")
            posterior = fit_posterior(model, items)
        if name == "default":
            report.claims_scored = len(items)
            tables["score_predictors"] = predictor_rows(rows, items, posterior)
            tables["score_predictor_slices"] = predictor_slice_rows(rows, items)
            tables["score_calibration"] = calibration_rows(items, seed)
            tables["score_groups"] = group_comparison_rows(items, posterior, seed)
        tables["score_sensitivity"] += headline_rows(scenario, items, posterior)
    report.models_sampled = model.samples_drawn
    for r in rows:
        if r["exclusion_reason"]:
            report.claims_excluded[r["exclusion_reason"]] = report.claims_excluded.get(r["exclusion_reason"], 0) + 1
    write_tables(db_path, build_dir, tables, ST.SCORE_TABLES,
                 after=("DROP VIEW IF EXISTS v_leaderboard", ST.LEADERBOARD_VIEW, ST.LEADERBOARD_COMMENT))
    report.rows = {k: len(v) for k, v in tables.items()}
    report.seconds = time.perf_counter() - started
    return report
