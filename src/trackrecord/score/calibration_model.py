"""The hierarchical Bayesian calibration model (site/methods/scoring.md, "The hierarchical calibration model").

For claim i by predictor j, on question q, with stated probability p:

    logit P(claim i comes true) = a_i + b_i · logit(p_i) + s_i · u_q
    a_i = α[status_i] + ρ_a[role_i] + δ_a[j]
    b_i = β[status_i] + ρ_b[role_i] + δ_b[j]

- status: insider, outsider or unknown (the role held on the claim's date); role: its role class.
  Role classes are nested in status, with partially pooled effects (scale τ).
- (δ_a, δ_b) per predictor ~ MVN(0, Σ), an LKJ prior on the correlation: partial pooling, so a
  predictor with two resolved claims is pulled towards their group, one with twenty much less.
- u_q is a shared shock for claims about the same event ("question"), because claims about the
  same milestone come true or fail together; s_i is +1 for at_least claims and −1 for at_most
  ones, whose truth is the event *not* happening.
- Perfect calibration is a = 0, b = 1; b < 1 is overconfidence (stated probabilities too extreme).

Compiled once per data shape with nutpie and re-sampled with the data swapped in (the verbal-scale
sensitivity runs reuse it). Draws are cached by a content hash; PyMC is imported only to sample.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..atomic import replacing
from ..fit.sampler import SamplerSettings

STATUSES = ("insider", "outsider", "unknown")
PARAMETERS = ("alpha", "beta", "role_a", "role_b", "pred_a", "pred_b", "sigma_question", "tau_role", "pred_sd", "pred_corr")


# The same sampler settings as the trend models (4 chains, 1000 + 1000, target_accept 0.95).
ModelSettings = SamplerSettings


@dataclass(frozen=True)
class CalibrationData:
    """Index-coded claims. Arrays are per claim; names give the levels of each index."""

    p: np.ndarray
    outcome: np.ndarray
    predictor: np.ndarray
    role: np.ndarray
    role_status: np.ndarray  # status index of each role level
    question: np.ndarray
    question_sign: np.ndarray
    predictor_names: tuple[str, ...]
    role_names: tuple[str, ...]
    question_names: tuple[str, ...]

    @property
    def shape_key(self) -> tuple[int, int, int, int]:
        return (len(self.p), len(self.predictor_names), len(self.role_names), len(self.question_names))

    def fingerprint(self) -> str:
        parts = [self.p.round(12).tolist(), self.outcome.tolist(), self.predictor.tolist(), self.role.tolist(),
                 self.role_status.tolist(), self.question.tolist(), self.question_sign.tolist(),
                 list(self.predictor_names), list(self.role_names), list(self.question_names)]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def encode(rows: list[dict]) -> CalibrationData:
    """rows: dicts with p, outcome, predictor_id, role (role class or None), is_insider, question, sign."""
    predictors = tuple(sorted({r["predictor_id"] for r in rows}))
    roles = tuple(sorted({r["role"] or "unknown" for r in rows}))
    questions = tuple(sorted({r["question"] for r in rows}))
    status_of_role: dict[str, int] = {}
    for r in rows:
        status = "unknown" if r["is_insider"] is None else ("insider" if r["is_insider"] else "outsider")
        status_of_role[r["role"] or "unknown"] = STATUSES.index(status)
    return CalibrationData(
        p=np.array([r["p"] for r in rows], float),
        outcome=np.array([r["outcome"] for r in rows], int),
        predictor=np.array([predictors.index(r["predictor_id"]) for r in rows], int),
        role=np.array([roles.index(r["role"] or "unknown") for r in rows], int),
        role_status=np.array([status_of_role[name] for name in roles], int),
        question=np.array([questions.index(r["question"]) for r in rows], int),
        question_sign=np.array([r["sign"] for r in rows], float),
        predictor_names=predictors,
        role_names=roles,
        question_names=questions,
    )


def logit(p: np.ndarray) -> np.ndarray:
    p = np.asarray(p, float)
    return np.log(p) - np.log1p(-p)


def expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


# Compiled models live as long as the process, keyed by the data's shape.
_COMPILED: dict[tuple, Any] = {}


@dataclass
class CalibrationModel:
    cache_dir: Path
    compile_dir: Path
    settings: ModelSettings = ModelSettings()
    samples_drawn: int = 0

    def fit(self, data: CalibrationData, *, seed_text: str = "") -> dict[str, np.ndarray]:
        """Posterior draws (chains × draws flattened first) of every parameter; cached by content."""
        key = hashlib.sha256(json.dumps([data.fingerprint(), self.settings.as_dict(), _code_version(), seed_text]).encode()).hexdigest()
        path = self.cache_dir / f"{key}.npz"
        if path.exists():
            with np.load(path) as stored:
                return {k: stored[k] for k in stored.files}
        draws = self._sample(data, seed=int(key[:8], 16))
        self.samples_drawn += 1
        with replacing(path) as temp, open(temp, "wb") as handle:
            np.savez_compressed(handle, **draws)
        return draws

    def _sample(self, data: CalibrationData, seed: int) -> dict[str, np.ndarray]:
        self.compile_dir.mkdir(parents=True, exist_ok=True)
        flags = os.environ.get("PYTENSOR_FLAGS", "")
        if "base_compiledir" not in flags:
            os.environ["PYTENSOR_FLAGS"] = ",".join(filter(None, [flags, f"base_compiledir={self.compile_dir}"]))
        import arviz as az
        import nutpie

        if data.shape_key not in _COMPILED:
            _COMPILED[data.shape_key] = _compile(*data.shape_key)
        compiled = _COMPILED[data.shape_key].with_data(
            x=logit(data.p), outcome=data.outcome, predictor=data.predictor, role=data.role,
            role_status=data.role_status, question=data.question, question_sign=data.question_sign,
        )
        s = self.settings
        idata = nutpie.sample(compiled, chains=s.chains, tune=s.tune, draws=s.draws, seed=seed,
                              progress_bar=False, save_warmup=False, target_accept=s.target_accept)
        post = idata.posterior
        draws = {name: _flat(post[name].values) for name in PARAMETERS}
        draws["divergences"] = np.array(int(idata.sample_stats["diverging"].values.sum()))
        names = ["alpha", "beta", "sigma_question", "tau_role", "pred_sd"]
        draws["max_rhat"] = np.array(max(float(az.rhat(idata, var_names=[n])[n].values.max()) for n in names))
        draws["min_ess_bulk"] = np.array(min(float(az.ess(idata, var_names=[n], method="bulk")[n].values.min()) for n in names))
        return draws


def _flat(values: np.ndarray) -> np.ndarray:
    return values.reshape(-1, *values.shape[2:])


def _code_version() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def _compile(n_claims: int, n_predictors: int, n_roles: int, n_questions: int):
    import warnings

    warnings.filterwarnings("ignore", message=".*BLAS.*", category=UserWarning)
    import nutpie
    import pymc as pm
    import pytensor.tensor as pt

    with pm.Model() as model:
        x = pm.Data("x", np.zeros(n_claims))
        outcome = pm.Data("outcome", np.zeros(n_claims, dtype="int64"))
        predictor = pm.Data("predictor", np.zeros(n_claims, dtype="int64"))
        role = pm.Data("role", np.zeros(n_claims, dtype="int64"))
        role_status = pm.Data("role_status", np.zeros(n_roles, dtype="int64"))
        question = pm.Data("question", np.zeros(n_claims, dtype="int64"))
        question_sign = pm.Data("question_sign", np.ones(n_claims))

        # Group levels, centred on perfect calibration (a = 0, b = 1).
        alpha = pm.Normal("alpha", 0.0, 1.0, shape=len(STATUSES))
        beta = pm.Normal("beta", 1.0, 0.5, shape=len(STATUSES))
        tau_role = pm.HalfNormal("tau_role", 0.5, shape=2)
        role_z = pm.Normal("role_z", 0.0, 1.0, shape=(n_roles, 2))
        role_a = pm.Deterministic("role_a", role_z[:, 0] * tau_role[0])
        role_b = pm.Deterministic("role_b", role_z[:, 1] * tau_role[1])
        chol, corr, sds = pm.LKJCholeskyCov("pred_chol", n=2, eta=2.0, sd_dist=pm.HalfNormal.dist(np.array([1.0, 0.5]), shape=2), compute_corr=True)
        pm.Deterministic("pred_sd", sds)
        pm.Deterministic("pred_corr", corr[0, 1])
        pred_z = pm.Normal("pred_z", 0.0, 1.0, shape=(n_predictors, 2))
        pred = pt.dot(pred_z, chol.T)
        pred_a = pm.Deterministic("pred_a", pred[:, 0])
        pred_b = pm.Deterministic("pred_b", pred[:, 1])
        sigma_question = pm.HalfNormal("sigma_question", 1.0)
        question_z = pm.Normal("question_z", 0.0, 1.0, shape=n_questions)

        status = role_status[role]
        a = alpha[status] + role_a[role] + pred_a[predictor]
        b = beta[status] + role_b[role] + pred_b[predictor]
        eta = a + b * x + question_sign * sigma_question * question_z[question]
        pm.Bernoulli("obs", logit_p=eta, observed=outcome, shape=x.shape)
    return nutpie.compile_pymc_model(model)


# --- what the draws say -------------------------------------------------------------------------

def claim_coefficients(draws: dict[str, np.ndarray], data: CalibrationData) -> tuple[np.ndarray, np.ndarray]:
    """(a, b) per draw and claim, without the question shock: shape (draws, claims)."""
    status = data.role_status[data.role]
    a = draws["alpha"][:, status] + draws["role_a"][:, data.role] + draws["pred_a"][:, data.predictor]
    b = draws["beta"][:, status] + draws["role_b"][:, data.role] + draws["pred_b"][:, data.predictor]
    return a, b


def expected_scores(a: np.ndarray, b: np.ndarray, reference_p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Expected Brier and log score per draw of a forecaster with calibration (a, b) per draw,
    stating the reference set's probabilities: the outcome comes true with q = expit(a + b·logit p)."""
    from .proper import clip_for_log

    p = np.asarray(reference_p, float)[None, :]
    q = expit(a[:, None] + b[:, None] * logit(p))
    brier = q * (1 - p) ** 2 + (1 - q) * p**2
    pc = clip_for_log(p)
    log = -(q * np.log(pc) + (1 - q) * np.log1p(-pc))
    return brier.mean(axis=1), log.mean(axis=1)
