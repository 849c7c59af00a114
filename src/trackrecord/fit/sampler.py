"""PyMC models compiled once per structure and refitted with the data swapped in (nutpie).

`pm.sample` recompiles on every call, and compiling costs seconds; sampling one of these small
models costs a fraction of a second. So each structure (and choice of prior distributions) is
compiled once per process, with the data, the anchors and the prior hyperparameters as `pm.Data`,
and every series and backtest origin is a `compiled.with_data(...)` (site/methods/trend-models.md, "Sampling"; the figures are in the README).
PyMC, nutpie and ArviZ are imported here only, and only when something has to be sampled.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .structures import DISTRIBUTION_ARGUMENTS, BOUNDED_EPSILON, PytensorOps, Structure

ANCHORS = ("t_centre", "t_first", "t_last", "y_mean", "y_max", "floor", "logit_mean")


@dataclass(frozen=True)
class SamplerSettings:
    chains: int = 4  # on 2 cores the default would be 2 chains run one after the other
    # Measured on synthetic series (12 of 12 logistic fits converged at these settings, 9 of 12 at
    # 1000/1000 and 0.95): a logistic fitted to data from before its bend has a soft wall where
    # curvature would appear, and small steps avoid the odd divergence there.
    tune: int = 1500
    draws: int = 1500
    target_accept: float = 0.98
    # Seeds follow from each fit's content key; another seed_salt gives every fit other seeds (the
    # test that printed figures do not depend on the seed uses it). 0 keeps the keys as they were.
    seed_salt: int = 0

    def as_dict(self) -> dict:
        settings = {"chains": self.chains, "tune": self.tune, "draws": self.draws, "target_accept": self.target_accept}
        return settings | ({"seed_salt": self.seed_salt} if self.seed_salt else {})


# Compiled models live as long as the process: every Sampler (and every test) shares them.
_COMPILED: dict[tuple, Any] = {}


@dataclass
class Sampler:
    compile_dir: Path
    settings: SamplerSettings = field(default_factory=SamplerSettings)
    compile_seconds: float = 0.0

    def __post_init__(self) -> None:
        # PyTensor reads its flags once, on first import: set the cache folder before that.
        self.compile_dir.mkdir(parents=True, exist_ok=True)
        flags = os.environ.get("PYTENSOR_FLAGS", "")
        if "base_compiledir" not in flags:
            os.environ["PYTENSOR_FLAGS"] = ",".join(filter(None, [flags, f"base_compiledir={self.compile_dir}"]))

    def compiled(self, structure: Structure, dists: tuple[str, ...]):
        key = (structure.name, dists)
        if key not in _COMPILED:
            import time

            start = time.perf_counter()
            _COMPILED[key] = _compile(structure, dists)
            self.compile_seconds += time.perf_counter() - start
        return _COMPILED[key]

    def sample(self, structure: Structure, priors: dict[str, dict], data: dict[str, Any], seed: int):
        """Sample `structure` on `data` (t, y and the anchors) under `priors`; returns InferenceData."""
        import nutpie
        import numpy as np

        dists = tuple(priors[p.name]["dist"] for p in structure.parameters)
        compiled = self.compiled(structure, dists)
        values = {"t": np.asarray(data["t"], float), "y": np.asarray(data["y"], float)}
        values |= {name: np.asarray(float(data[name])) for name in ANCHORS}
        for param in structure.parameters:
            prior = priors[param.name]
            for arg in DISTRIBUTION_ARGUMENTS[prior["dist"]]:
                values[f"{param.name}__{arg}"] = np.asarray(float(prior[arg]))
        # A structure that does not use an anchor (the exponential has no t_last) has no such variable.
        values = {k: v for k, v in values.items() if k in compiled.shared_data}
        s = self.settings
        return nutpie.sample(
            compiled.with_data(**values),
            chains=s.chains,
            tune=s.tune,
            draws=s.draws * structure.draws_factor,
            seed=seed,
            progress_bar=False,
            save_warmup=False,
            target_accept=s.target_accept,
        )


def _compile(structure: Structure, dists: tuple[str, ...]):
    import warnings

    # PyTensor's C backend warns that pip-installed NumPy has no BLAS it can link; these models
    # do no matrix algebra and sample through nutpie's Numba backend, so the warning says nothing.
    warnings.filterwarnings("ignore", message=".*BLAS.*", category=UserWarning)
    import numpy as np
    import nutpie
    import pymc as pm
    import pytensor.tensor as pt

    ops = PytensorOps()
    with pm.Model() as model:
        t = pm.Data("t", np.linspace(0.0, 1.0, 5))
        y = pm.Data("y", np.full(5, 0.5))
        anchors = {name: pm.Data(name, 0.5) for name in ANCHORS}
        params = {}
        for param, dist in zip(structure.parameters, dists):
            hyper = {arg: pm.Data(f"{param.name}__{arg}", 1.0) for arg in DISTRIBUTION_ARGUMENTS[dist]}
            params[param.name] = getattr(pm, dist)(param.name, **hyper)
        mu = structure.mean(t, params, anchors, ops)
        if structure.likelihood == "normal":
            pm.Normal("obs", mu=mu, sigma=params["noise"], observed=y, shape=t.shape)
        else:
            mu = pt.clip(mu, BOUNDED_EPSILON, 1.0 - BOUNDED_EPSILON)
            phi = params["precision"]
            pm.Beta("obs", alpha=mu * phi, beta=(1.0 - mu) * phi, observed=y, shape=t.shape)
    return nutpie.compile_pymc_model(model)
