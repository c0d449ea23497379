"""Forest plots of one analysis: a row per study (estimate, CI, weight), the pooled diamond,
the prediction interval and the heterogeneity line, in English or Chinese; deterministic SVG
and PNG through matplotlib (see ``plotting``)."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from livergraph.evidence.plotting import effective_lang, style, svg_text, write_figure
from livergraph.evidence.pooling import MetaResult

TEXT = {
    "en": {"study": "Study", "estimate": "Estimate [95% CI]", "weight": "Weight",
           "pooled": "{method} model", "pi": "Prediction interval",
           "het": "Heterogeneity: tau\u00b2 = {tau2:.3g}, I\u00b2 = {I2:.1f}%, "
                  "Q({df}) = {Q:.2f}, p {Qp}",
           "single": "one study: nothing pooled", "favours": "favours {side}"},
    "zh": {"study": "研究", "estimate": "估計值 [95% 信賴區間]", "weight": "權重",
           "pooled": "{method}模型", "pi": "預測區間",
           "het": "異質性：tau\u00b2 = {tau2:.3g}，I\u00b2 = {I2:.1f}%，"
                  "Q({df}) = {Q:.2f}，p {Qp}",
           "single": "僅一項研究：未合併", "favours": "有利於 {side}"},
}
METHOD_NAMES = {
    "en": {"FE": "Fixed-effect", "DL": "Random-effects (DL)", "REML": "Random-effects (REML)"},
    "zh": {"FE": "固定效應", "DL": "隨機效應 (DL)", "REML": "隨機效應 (REML)"}}
REFERENCE = {"MD": 0.0, "SMD": 0.0, "RD": 0.0, "RR": 1.0, "OR": 1.0, "HR": 1.0}


def _fmt_p(p: float) -> str:
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "-"
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def forest_figure(res: MetaResult, *, lang: str = "en", title: str | None = None,
                  xlabel: str | None = None) -> Any:
    """The forest plot of ``res`` as a matplotlib Figure (ratio measures on a log axis)."""
    import matplotlib.pyplot as plt
    lang = effective_lang(lang)
    t = TEXT[lang]
    ratio = res.log_scale
    tr = math.exp if ratio else (lambda v: v)
    rows = res.studies
    n = len(rows)
    with plt.rc_context(style(lang)):  # type: ignore[arg-type]
        fig = plt.figure(figsize=(9.0, 1.9 + 0.32 * (n + 3)))
        ax = fig.add_axes((0.27, 0.18, 0.38, 0.72))
        ys = list(range(n + 2, 2, -1))
        wmax = max(r.weight for r in rows) or 1.0
        for y, r in zip(ys, rows):
            ax.plot([tr(r.ci_lb), tr(r.ci_ub)], [y, y], color="black", lw=1)
            size = 4 + 8 * math.sqrt(r.weight / wmax)
            ax.plot([tr(r.yi)], [y], marker="s", ms=size, color="#1f4e79", ls="none")
            ax.text(-0.02, y, r.study, transform=ax.get_yaxis_transform(), ha="right",
                    va="center")
            ax.text(1.03, y, f"{tr(r.yi):.2f} [{tr(r.ci_lb):.2f}, {tr(r.ci_ub):.2f}]",
                    transform=ax.get_yaxis_transform(), ha="left", va="center")
            ax.text(1.78, y, f"{r.weight:.1f}%", transform=ax.get_yaxis_transform(),
                    ha="right", va="center")
        y0 = 1.5
        if res.k >= 2:
            est, lo, hi = tr(res.estimate), tr(res.ci_lb), tr(res.ci_ub)
            ax.fill([lo, est, hi, est], [y0, y0 + 0.35, y0, y0 - 0.35], color="#c00000")
            ax.plot([tr(res.pi_lb), tr(res.pi_ub)], [y0 - 0.75, y0 - 0.75], color="#c00000",
                    lw=1.2, ls="--")
            label = t["pooled"].format(method=METHOD_NAMES[lang].get(res.method, res.method))
            ax.text(-0.02, y0, label, transform=ax.get_yaxis_transform(), ha="right",
                    va="center", weight="bold")
            ax.text(-0.02, y0 - 0.75, t["pi"], transform=ax.get_yaxis_transform(),
                    ha="right", va="center", style="italic")
            ax.text(1.03, y0, f"{est:.2f} [{lo:.2f}, {hi:.2f}]",
                    transform=ax.get_yaxis_transform(), ha="left", va="center",
                    weight="bold")
            ax.text(1.03, y0 - 0.75, f"[{tr(res.pi_lb):.2f}, {tr(res.pi_ub):.2f}]",
                    transform=ax.get_yaxis_transform(), ha="left", va="center")
            het = t["het"].format(tau2=res.tau2, I2=res.I2, df=res.k - 1, Q=res.Q,
                                  Qp=_fmt_p(res.Qp))
            fig.text(0.02, 0.03, het, ha="left", va="bottom")
        else:
            fig.text(0.02, 0.03, t["single"], ha="left", va="bottom")
        ax.axvline(REFERENCE.get(res.measure, 0.0), color="grey", lw=0.8, ls=":")
        if ratio:
            from matplotlib.ticker import FixedLocator, NullLocator, StrMethodFormatter
            ax.set_xscale("log")
            lo_x, hi_x = ax.get_xlim()
            ticks = [v for v in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)
                     if lo_x <= v <= hi_x]
            ax.xaxis.set_major_locator(FixedLocator(ticks))
            ax.xaxis.set_major_formatter(StrMethodFormatter("{x:g}"))
            ax.xaxis.set_minor_locator(NullLocator())
        ax.set_ylim(0.3, n + 3)
        ax.set_yticks([])
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        ax.text(-0.02, n + 2.75, t["study"], transform=ax.get_yaxis_transform(), ha="right",
                va="bottom", weight="bold")
        ax.text(1.03, n + 2.75, t["estimate"], transform=ax.get_yaxis_transform(),
                ha="left", va="bottom", weight="bold")
        ax.text(1.78, n + 2.75, t["weight"], transform=ax.get_yaxis_transform(),
                ha="right", va="bottom", weight="bold")
        ax.set_xlabel(xlabel or res.measure)
        if title:
            fig.suptitle(title, x=0.02, ha="left", weight="bold")
    return fig


def write_forest(res: MetaResult, path: Path, *, lang: str = "en",
                 title: str | None = None) -> None:
    """Write the forest plot as .svg or .png (by suffix), byte-identical across runs."""
    import matplotlib.pyplot as plt
    fig = forest_figure(res, lang=lang, title=title)
    try:
        write_figure(fig, Path(path))
    finally:
        plt.close(fig)


def forest_svg(res: MetaResult, *, lang: str = "en", title: str | None = None,
               xlabel: str | None = None) -> str:
    """The forest plot as an SVG document (for the report)."""
    import matplotlib.pyplot as plt
    fig = forest_figure(res, lang=lang, title=title, xlabel=xlabel)
    try:
        return svg_text(fig)
    finally:
        plt.close(fig)
