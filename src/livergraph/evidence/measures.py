"""Effect sizes of one two-group comparison, as metafor's ``escalc`` computes them.

Continuous outcomes (means, SDs, n per group): the mean difference (MD) and the standardized
mean difference with Hedges' small-sample correction (SMD, Hedges' g). Binary outcomes (events
and non-events per group, metafor's ``ai, bi, ci, di``): the log risk ratio (RR), the log odds
ratio (OR) and the risk difference (RD). Ratio measures are analysed on the log scale, as in
metafor; :func:`back_transform` gives the natural scale.

statsmodels computes the point estimates (``effectsize_smd``, ``effectsize_2proportions``).
The SMD's sampling variance is metafor's default large-sample formula (``vtype="LS"``),
``1/n1 + 1/n2 + g^2 / (2 (n1 + n2))``; statsmodels divides by ``2 (n1 + n2 - 4)`` instead,
which would not reproduce metafor's published numbers.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

from scipy.stats import norm

#: measures and whether they are pooled on the log scale
MEASURES: dict[str, bool] = {"MD": False, "SMD": False, "RR": True, "OR": True, "RD": False,
                             "HR": True}
CONTINUOUS = ("MD", "SMD")
BINARY = ("RR", "OR", "RD")

#: the continuity correction metafor's escalc adds (to every cell of a table with a zero cell)
CONTINUITY = 0.5

#: formula names recorded in the graph for each computed measure
FORMULAS: dict[str, str] = {
    "MD": "mean difference m1 - m2; variance sd1^2/n1 + sd2^2/n2 (metafor escalc MD)",
    "SMD": "Hedges' g = J (m1 - m2) / s_pooled, J = 1 - 3/(4(n1+n2-2)-1); variance "
           "1/n1 + 1/n2 + g^2/(2(n1+n2)) (metafor escalc SMD, vtype LS)",
    "RR": "log risk ratio log((a/n1)/(c/n2)); variance 1/a - 1/n1 + 1/c - 1/n2 "
          "(metafor escalc RR)",
    "OR": "log odds ratio log((a d)/(b c)); variance 1/a + 1/b + 1/c + 1/d (metafor escalc OR)",
    "RD": "risk difference a/n1 - c/n2; variance a b/n1^3 + c d/n2^3 (metafor escalc RD)",
}


class EffectSizeError(ValueError):
    """The inputs cannot give this effect size (say why)."""


@dataclass(frozen=True)
class EffectSize:
    """One effect size on its analysis scale (log for ratio measures)."""

    measure: str
    yi: float
    vi: float
    continuity: float = 0.0     # added to every cell (binary measures), 0 when none

    @property
    def se(self) -> float:
        return math.sqrt(self.vi)

    def ci(self, level: float = 0.95) -> tuple[float, float]:
        """The Wald confidence interval on the analysis scale."""
        z = float(norm.ppf(0.5 + level / 2))
        return self.yi - z * self.se, self.yi + z * self.se

    def p_value(self) -> float:
        """Two-sided Wald p-value against no effect."""
        return float(2 * norm.sf(abs(self.yi) / self.se)) if self.vi > 0 else float("nan")


def is_ratio(measure: str) -> bool:
    """Whether ``measure`` is pooled on the log scale."""
    return MEASURES[measure]


def back_transform(measure: str, value: float) -> float:
    """A value on the analysis scale, on the natural scale (exp for ratio measures)."""
    return math.exp(value) if is_ratio(measure) else value


def continuous(measure: str, m1: float, sd1: float, n1: int, m2: float, sd2: float,
               n2: int) -> EffectSize:
    """MD or SMD of group 1 against group 2 from means, SDs and group sizes."""
    if min(n1, n2) < 2:
        raise EffectSizeError(f"{measure} needs at least 2 patients per group (n {n1}, {n2})")
    if min(sd1, sd2) < 0:
        raise EffectSizeError("a standard deviation is negative")
    if measure == "MD":
        return EffectSize("MD", m1 - m2, sd1 ** 2 / n1 + sd2 ** 2 / n2)
    if measure == "SMD":
        from statsmodels.stats.meta_analysis import effectsize_smd
        if sd1 == 0 and sd2 == 0:
            raise EffectSizeError("both standard deviations are 0: no SMD")
        g, _ = effectsize_smd(m1, sd1, n1, m2, sd2, n2)
        g = float(g)
        return EffectSize("SMD", g, 1 / n1 + 1 / n2 + g ** 2 / (2 * (n1 + n2)))
    raise EffectSizeError(f"{measure} is not a measure for means (use MD or SMD)")


def binary(measure: str, ai: float, bi: float, ci: float, di: float) -> EffectSize:
    """RR, OR or RD of group 1 (ai events, bi non-events) against group 2 (ci, di).

    As metafor's escalc (``add=1/2, to="only0"``): a table with a zero cell gets 0.5 added to
    each of its four cells, and says so in ``continuity``.
    """
    if measure not in BINARY:
        raise EffectSizeError(f"{measure} is not a measure for counts (use RR, OR or RD)")
    if min(ai, bi, ci, di) < 0:
        raise EffectSizeError("a cell count is negative")
    if ai + bi == 0 or ci + di == 0:
        raise EffectSizeError("a group has no patients")
    add = CONTINUITY if min(ai, bi, ci, di) == 0 else 0.0
    if add and ((ai == 0 and ci == 0) or (bi == 0 and di == 0)) and measure != "RD":
        raise EffectSizeError("no events (or no non-events) in either group: the ratio is "
                              "not estimable")
    a, b, c, d = ai + add, bi + add, ci + add, di + add
    n1, n2 = a + b, c + d
    if measure == "RD":
        return EffectSize("RD", a / n1 - c / n2, a * b / n1 ** 3 + c * d / n2 ** 3, add)
    from statsmodels.stats.meta_analysis import effectsize_2proportions
    statistic = "rr" if measure == "RR" else "or"
    with warnings.catch_warnings():
        # statsmodels 0.15 renames the statistics; the old names work in 0.14 and 0.15
        warnings.simplefilter("ignore", FutureWarning)
        yi, vi = effectsize_2proportions(a, n1, c, n2, statistic=statistic)
    return EffectSize(measure, float(yi), float(vi), add)
