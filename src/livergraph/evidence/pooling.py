"""Meta-analysis of effect sizes: fixed effect (FE), DerSimonian-Laird (DL) and REML random
effects, as R's metafor ``rma()`` computes them with its defaults (Wald-type z tests and
intervals).

The between-study variance comes from well-kept libraries: statsmodels' ``combine_effects``
(``method_re="chi2"`` is DerSimonian-Laird) and PyMARE's ``VarianceBasedLikelihoodEstimator``
(``method="REML"``). Everything else follows metafor's definitions:

- weights ``w_i = 1 / (v_i + tau2)``; estimate ``sum(w y) / sum(w)``; ``se = sqrt(1 / sum(w))``;
- ``Q = sum((y - est_FE)^2 / v)`` on ``k - 1`` degrees of freedom, ``Qp`` its chi-square p;
- I2 (percent): FE ``100 (Q - (k - 1)) / Q`` (at least 0); random effects
  ``100 tau2 / (tau2 + s2)`` with the typical within-study variance
  ``s2 = (k - 1) sum(1/v) / (sum(1/v)^2 - sum(1/v^2))``;
- prediction interval ``est -/+ z sqrt(se^2 + tau2)`` (equal to the CI for FE);
- subgroups: each pooled on its own (own tau2), then the test for subgroup differences
  ``Q_M = sum(w_g (est_g - est_w)^2)``, ``w_g = 1 / se_g^2``, on ``G - 1`` degrees of freedom
  (the fixed-effect test of the subgroup estimates, as RevMan reports it).
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from scipy.stats import chi2, norm

from livergraph.evidence.measures import back_transform, is_ratio

METHODS = ("FE", "DL", "REML")


class PoolingError(ValueError):
    """The effect sizes cannot be pooled (say why)."""


@dataclass(frozen=True)
class StudyRow:
    """One study's effect size and its share of the pooled estimate."""

    study: str
    yi: float
    vi: float
    ci_lb: float
    ci_ub: float
    weight: float       # percent


@dataclass
class MetaResult:
    """A pooled estimate with its heterogeneity, as metafor prints it."""

    measure: str
    method: str
    k: int
    estimate: float
    se: float
    ci_lb: float
    ci_ub: float
    pi_lb: float
    pi_ub: float
    tau2: float
    I2: float
    Q: float
    Qp: float
    z: float
    pval: float
    studies: list[StudyRow]
    level: float = 0.95
    subgroups: dict[str, MetaResult] = field(default_factory=dict)
    QM: float | None = None
    QMdf: int | None = None
    QMp: float | None = None

    @property
    def log_scale(self) -> bool:
        return is_ratio(self.measure)

    def natural(self) -> dict[str, float]:
        """Estimate, CI and PI back-transformed (exp for ratio measures)."""
        return {key: back_transform(self.measure, getattr(self, key))
                for key in ("estimate", "ci_lb", "ci_ub", "pi_lb", "pi_ub")}

    def to_dict(self) -> dict[str, Any]:
        """The keys of ``livergraph meta --format json``; numbers as numbers."""
        out: dict[str, Any] = {
            "measure": self.measure, "method": self.method, "scale":
                "log" if self.log_scale else "natural", "level": self.level, "k": self.k}
        for key in ("estimate", "se", "ci_lb", "ci_ub", "pi_lb", "pi_ub", "tau2", "I2", "Q",
                    "Qp", "z", "pval"):
            out[key] = _num(getattr(self, key))
        if self.log_scale:
            out["exp"] = {k: _num(v) for k, v in self.natural().items()}
        out["studies"] = [{k: (_num(v) if isinstance(v, float) else v)
                           for k, v in asdict(row).items()} for row in self.studies]
        if self.subgroups:
            out["subgroups"] = {name: sub.to_dict() for name, sub in self.subgroups.items()}
            out["QM"], out["QMdf"], out["QMp"] = _num(self.QM), self.QMdf, _num(self.QMp)
        return out


def _num(value: float | None) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def tau2_estimate(y: np.ndarray, v: np.ndarray, method: str) -> float:
    """Between-study variance by ``method`` (0 for FE)."""
    if method == "FE" or len(y) < 2:
        return 0.0
    if method == "DL":
        from statsmodels.stats.meta_analysis import combine_effects
        res = combine_effects(y, v, method_re="chi2")
        return max(0.0, float(res.tau2))
    if method == "REML":
        from pymare import Dataset
        from pymare.estimators import VarianceBasedLikelihoodEstimator
        est = VarianceBasedLikelihoodEstimator(method="REML")
        est.fit_dataset(Dataset(y=y, v=v))
        return max(0.0, float(np.asarray(est.params_["tau2"]).ravel()[0]))
    raise PoolingError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")


def pool(studies: Sequence[str], yi: Sequence[float], vi: Sequence[float], *, measure: str,
         method: str = "REML", level: float = 0.95) -> MetaResult:
    """Pool ``yi`` (analysis scale) with sampling variances ``vi``; at least one study."""
    if method not in METHODS:
        raise PoolingError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    y = np.asarray(yi, dtype=float)
    v = np.asarray(vi, dtype=float)
    k = len(y)
    if k == 0:
        raise PoolingError("no effect sizes to pool")
    if len(v) != k or len(studies) != k:
        raise PoolingError("studies, yi and vi differ in length")
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(v)) and np.all(v > 0)):
        raise PoolingError("every effect size needs a finite estimate and a positive variance")
    z = float(norm.ppf(0.5 + level / 2))
    w_fe = 1 / v
    est_fe = float(np.sum(w_fe * y) / np.sum(w_fe))
    q = float(np.sum(w_fe * (y - est_fe) ** 2))
    qp = float(chi2.sf(q, k - 1)) if k > 1 else float("nan")
    tau2 = tau2_estimate(y, v, method)
    w = 1 / (v + tau2)
    est = float(np.sum(w * y) / np.sum(w))
    se = math.sqrt(1 / float(np.sum(w)))
    if method == "FE":
        i2 = max(0.0, 100 * (q - (k - 1)) / q) if k > 1 and q > 0 else 0.0
    else:
        s2 = (k - 1) * np.sum(w_fe) / (np.sum(w_fe) ** 2 - np.sum(w_fe ** 2)) if k > 1 else 0
        i2 = float(100 * tau2 / (tau2 + s2)) if tau2 + s2 > 0 else 0.0
    pi_half = z * math.sqrt(se ** 2 + tau2)
    zval = est / se
    rows = [StudyRow(str(s), float(yv), float(vv), float(yv - z * math.sqrt(vv)),
                     float(yv + z * math.sqrt(vv)), float(100 * wv / np.sum(w)))
            for s, yv, vv, wv in zip(studies, y, v, w)]
    return MetaResult(measure=measure, method=method, k=k, estimate=est, se=se,
                      ci_lb=est - z * se, ci_ub=est + z * se, pi_lb=est - pi_half,
                      pi_ub=est + pi_half, tau2=tau2, I2=i2, Q=q, Qp=qp, z=zval,
                      pval=float(2 * norm.sf(abs(zval))), studies=rows, level=level)


def pool_subgroups(studies: Sequence[str], yi: Sequence[float], vi: Sequence[float],
                   groups: Sequence[str], *, measure: str, method: str = "REML",
                   level: float = 0.95) -> MetaResult:
    """Pool all studies, each subgroup on its own, and test for subgroup differences."""
    overall = pool(studies, yi, vi, measure=measure, method=method, level=level)
    names = sorted(set(groups))
    for name in names:
        idx = [i for i, g in enumerate(groups) if g == name]
        overall.subgroups[name] = pool([studies[i] for i in idx], [yi[i] for i in idx],
                                       [vi[i] for i in idx], measure=measure, method=method,
                                       level=level)
    if len(names) >= 2:
        ests = np.array([overall.subgroups[n].estimate for n in names])
        wts = np.array([1 / overall.subgroups[n].se ** 2 for n in names])
        mean = float(np.sum(wts * ests) / np.sum(wts))
        overall.QM = float(np.sum(wts * (ests - mean) ** 2))
        overall.QMdf = len(names) - 1
        overall.QMp = float(chi2.sf(overall.QM, overall.QMdf))
    return overall
