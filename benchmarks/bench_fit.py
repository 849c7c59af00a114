"""Benchmark: `trackrecord fit` over every curated series — cold, warm, one series changed — and
the same main fits done the naive way (a `pm.sample` per fit), in the same kind of process.

    .venv/bin/python benchmarks/bench_fit.py [--skip-naive]

Each step runs in a fresh process on a copy of the repository's records, so "cold" means an
empty fit cache *and* an empty PyTensor compile cache. The naive run builds a PyMC model per
series and family with the same priors and sampler settings, samples it with `pm.sample`
(chains=4, tune=draws=1000, target_accept=0.95), computes the pointwise log-likelihood with
`pm.compute_log_likelihood` and PSIS-LOO with ArviZ: what one would write without compiling once.
It is compared with the project's path over the same main fits (no backtests), also cold.

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
CHANGED_SERIES = "metr-horizon-p50-minutes"

MAIN_FITS = r"""
import sys, time, duckdb
from pathlib import Path
from trackrecord.fit import run
from trackrecord.fit.data import load_series, load_paradigms
from trackrecord.fit.structures import structure_for
build = Path(sys.argv[1])
con = duckdb.connect(str(build / "trackrecord.duckdb"), read_only=True)
series, paradigms = load_series(con), load_paradigms(con)
con.close()
start = time.perf_counter()
fitter = run.Fitter(build, use_cache=False)
n = 0
for s in series.values():
    if len(s.dates) < run.MIN_POINTS:
        continue
    spec = paradigms[s.paradigm_id]
    spec = run.ParadigmSpec(spec.id, spec.families, spec.priors, spec.series_priors, (), (), spec.thresholds)
    structures = [x for x in (structure_for(s.scale, f) for f in spec.families) if x is not None]
    priors = {x.family: spec.priors_for(s.series_id, x.family) for x in structures}
    run.compute_series(fitter, s, spec, structures, priors, "0" * 64)
    n += len(structures)
print(f"{n} {time.perf_counter() - start:.1f} {fitter.sampler.compile_seconds:.1f}")
"""

NAIVE = r"""
import sys, time, warnings, duckdb
warnings.filterwarnings("ignore")
from pathlib import Path
import numpy as np
start = time.perf_counter()
import pymc as pm, arviz as az
from trackrecord.fit import run
from trackrecord.fit.data import load_series, load_paradigms
from trackrecord.fit.structures import structure_for, DISTRIBUTION_ARGUMENTS, BOUNDED_EPSILON, PytensorOps
import pytensor.tensor as pt
build = Path(sys.argv[1])
con = duckdb.connect(str(build / "trackrecord.duckdb"), read_only=True)
series, paradigms = load_series(con), load_paradigms(con)
con.close()
ops = PytensorOps()
n = 0
for s in series.values():
    if len(s.dates) < run.MIN_POINTS:
        continue
    spec = paradigms[s.paradigm_id]
    data = s.model_data()
    for family in spec.families:
        st = structure_for(s.scale, family)
        if st is None:
            continue
        priors = spec.priors_for(s.series_id, family)
        with pm.Model():
            params = {p.name: getattr(pm, priors[p.name]["dist"])(p.name, **{a: priors[p.name][a] for a in DISTRIBUTION_ARGUMENTS[priors[p.name]["dist"]]}) for p in st.parameters}
            mu = st.mean(data["t"], params, data, ops)
            if st.likelihood == "normal":
                pm.Normal("obs", mu=mu, sigma=params["noise"], observed=data["y"])
            else:
                mu = pt.clip(mu, BOUNDED_EPSILON, 1 - BOUNDED_EPSILON)
                pm.Beta("obs", alpha=mu * params["precision"], beta=(1 - mu) * params["precision"], observed=data["y"])
            idata = pm.sample(chains=4, tune=1000, draws=1000, target_accept=0.95, random_seed=n, progressbar=False)
            pm.compute_log_likelihood(idata, progressbar=False)
        az.loo(idata)
        n += 1
print(f"{n} {time.perf_counter() - start:.1f} 0")
"""


def timed(cmd: list[str], env: dict) -> tuple[float, str]:
    """Wall time and the last line the step printed (its summary: stdout for scripts, stderr for the CLI)."""
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stderr[-3000:]}")
    return time.perf_counter() - start, (done.stdout.strip() or done.stderr.strip()).splitlines()[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--skip-naive", action="store_true", help="skip the naive pm.sample run (it takes minutes)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="trackrecord-bench-fit-") as tmp:
        root = Path(tmp) / "repo"
        root.mkdir()
        for name in ("claims", "data", "models", "pyproject.toml"):
            src = REPO / name
            (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / name)
        env = {**os.environ, "TRACKRECORD_TODAY": "2026-11-23"}
        env.pop("PYTENSOR_FLAGS", None)
        tr = TR + ["--root", str(root)]
        timed(tr + ["build"], env)
        cold, line = timed(tr + ["fit"], env)
        print(f"cold (empty fit and compile caches): {cold:6.1f} s  {line}")
        warm, line = timed(tr + ["fit"], env)
        print(f"warm (nothing changed):              {warm:6.1f} s  {line}")
        path = root / "data" / "series" / f"{CHANGED_SERIES}.yaml"
        text = path.read_text()
        path.write_text(text.replace("value: 288.904952", "value: 290.0", 1))
        timed(tr + ["build"], env)
        one, line = timed(tr + ["fit"], env)
        print(f"one series changed (warm compile):   {one:6.1f} s  {line}")

        # Same main fits, compile-once vs naive, each cold in a fresh process and compile cache.
        ours_env = {**env, "PYTENSOR_FLAGS": f"base_compiledir={Path(tmp) / 'pytensor-ours'}"}
        wall, line = timed([sys.executable, "-c", MAIN_FITS, str(root / "build")], ours_env)
        n, inner, compile_s = line.split()
        print(f"main fits, compile once + with_data: {wall:6.1f} s  ({n} fits; {inner} s in process, compile {compile_s} s)")
        if args.skip_naive:
            return
        naive_env = {**env, "PYTENSOR_FLAGS": f"base_compiledir={Path(tmp) / 'pytensor-naive'}"}
        naive_wall, line = timed([sys.executable, "-c", NAIVE, str(root / "build")], naive_env)
        print(f"main fits, naive pm.sample per fit:  {naive_wall:6.1f} s  ({line.split()[0]} fits)")
        print(f"ratio naive / ours (main fits, cold): {naive_wall / wall:.1f}x")


if __name__ == "__main__":
    main()
