"""Benchmark: `trackrecord score` on the curated record — cold, warm — and the calibration model's
three verbal-scale scenarios compiled once (nutpie `with_data`) against a `pm.sample` per scenario.

    .venv/bin/python benchmarks/bench_score.py [--skip-naive]

Each step runs in a fresh process on a copy of the repository's records and its freshly built
database. "Cold" means empty score, trend-baseline, fit and PyTensor caches, so the trend-baseline
refits and the model compile are included. The naive comparison builds the same PyMC model for
the default, low and high verbal scales and samples each with `pm.sample` (chains=4,
tune=draws=1000, target_accept=0.95, cores=1 as the project's 2-core default would run them).

This is a benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TR = [sys.executable, "-m", "trackrecord.cli"]

SCENARIO_MODELS = r"""
import sys, time, warnings
warnings.filterwarnings("ignore")
from pathlib import Path
import duckdb, numpy as np
from trackrecord.score import run as R, calibration_model as CM
build = Path(sys.argv[1]); naive = sys.argv[2] == "naive"
con = duckdb.connect(str(build / "trackrecord.duckdb"), read_only=True)
cur = con.execute(R.CLAIM_QUERY); names = [d[0] for d in cur.description]
claims = [dict(zip(names, r)) for r in cur.fetchall()]; con.close()
rows = R.claim_rows(claims, {}, __import__("datetime").date(2026, 11, 23))
datas = [CM.encode(R.model_rows(R.scenario_items(rows, v, "excluded"))) for v in ("default", "low", "high")]
start = time.perf_counter()
if naive:
    import pymc as pm, pytensor.tensor as pt
    # The naive path: the same model, with the data as constants, sampled with pm.sample per scenario.
    for d in datas:
        n_claims, n_pred, n_roles, n_q = d.shape_key
        with pm.Model():
            alpha = pm.Normal("alpha", 0.0, 1.0, shape=3); beta = pm.Normal("beta", 1.0, 0.5, shape=3)
            tau = pm.HalfNormal("tau_role", 0.5, shape=2); rz = pm.Normal("role_z", 0, 1, shape=(n_roles, 2))
            chol, corr, sds = pm.LKJCholeskyCov("pred_chol", n=2, eta=2.0, sd_dist=pm.HalfNormal.dist(np.array([1.0, 0.5]), shape=2), compute_corr=True)
            pz = pm.Normal("pred_z", 0, 1, shape=(n_pred, 2)); pred = pt.dot(pz, chol.T)
            sq = pm.HalfNormal("sigma_question", 1.0); qz = pm.Normal("question_z", 0, 1, shape=n_q)
            st = d.role_status[d.role]
            a = alpha[st] + rz[d.role, 0] * tau[0] + pred[d.predictor, 0]
            b = beta[st] + rz[d.role, 1] * tau[1] + pred[d.predictor, 1]
            pm.Bernoulli("obs", logit_p=a + b * CM.logit(d.p) + d.question_sign * sq * qz[d.question], observed=d.outcome)
            pm.sample(draws=1000, tune=1000, chains=4, cores=1, target_accept=0.95, progressbar=False, random_seed=1)
else:
    model = CM.CalibrationModel(build / "bench-cache", build / "pytensor")
    for d in datas:
        model.fit(d)
print(f"{len(datas)} {time.perf_counter() - start:.1f}")
"""


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        for name in ("claims", "data", "models"):
            shutil.copytree(REPO / name, root / name)
        env = {**os.environ, "TRACKRECORD_TODAY": "2026-11-23", "PYTENSOR_FLAGS": f"base_compiledir={root / 'build' / 'pytensor'}"}
        run([*TR, "--root", str(root), "build"], root, env)
        cold = run([*TR, "--root", str(root), "score"], root, env)
        warm = run([*TR, "--root", str(root), "score"], root, env)
        print(f"score cold (empty caches: trend-baseline refits, model compile, 3 scenario fits): {cold:.1f} s")
        print(f"score warm (nothing changed): {warm:.1f} s")
        shutil.rmtree(root / "build" / "pytensor")
        out = subprocess.run([sys.executable, "-c", SCENARIO_MODELS, str(root / "build"), "once"], env=env, check=True, capture_output=True, text=True).stdout.split()
        print(f"calibration model, 3 scenarios, compile once + with_data (cold compile cache): {out[1]} s")
        if not args.skip_naive:
            out = subprocess.run([sys.executable, "-c", SCENARIO_MODELS, str(root / "build"), "naive"], env=env, check=True, capture_output=True, text=True).stdout.split()
            print(f"calibration model, 3 scenarios, pm.sample each: {out[1]} s")


if __name__ == "__main__":
    main()
