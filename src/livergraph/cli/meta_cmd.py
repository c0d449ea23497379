"""``livergraph meta``: pool one outcome at one time window (or a metafor-style CSV)."""
from __future__ import annotations

import json
from pathlib import Path

import click

from livergraph.cli.effects_cmd import parse_window_option, window_option
from livergraph.cli.viz_cmd import graph_options

BY = {"cell-source": "cell_source", "route": "route", "design": "design", "donor": "donor"}


def _text(res) -> str:
    scale = " (log scale)" if res.log_scale else ""
    lines = [f"{res.method} model, k = {res.k}, measure {res.measure}{scale}",
             f"  estimate {res.estimate:.4f}  se {res.se:.4f}  "
             f"{int(res.level * 100)}% CI [{res.ci_lb:.4f}, {res.ci_ub:.4f}]  "
             f"p {res.pval:.4g}",
             f"  prediction interval [{res.pi_lb:.4f}, {res.pi_ub:.4f}]",
             f"  heterogeneity: tau2 {res.tau2:.4f}, I2 {res.I2:.2f}%, "
             f"Q({res.k - 1}) = {res.Q:.4f}, p {res.Qp:.4g}"]
    if res.log_scale:
        n = res.natural()
        lines.append(f"  exp: {n['estimate']:.4f} [{n['ci_lb']:.4f}, {n['ci_ub']:.4f}], "
                     f"PI [{n['pi_lb']:.4f}, {n['pi_ub']:.4f}]")
    lines.append(f"  {'study':<28} {'yi':>10} {'vi':>10} {'ci_lb':>10} {'ci_ub':>10} "
                 f"{'weight %':>9}")
    for s in res.studies:
        lines.append(f"  {s.study[:28]:<28} {s.yi:>10.4f} {s.vi:>10.4f} {s.ci_lb:>10.4f} "
                     f"{s.ci_ub:>10.4f} {s.weight:>9.2f}")
    for name, sub in res.subgroups.items():
        lines.append(f"  subgroup {name}: k = {sub.k}, estimate {sub.estimate:.4f} "
                     f"[{sub.ci_lb:.4f}, {sub.ci_ub:.4f}], tau2 {sub.tau2:.4f}")
    if res.QM is not None:
        lines.append(f"  test for subgroup differences: Q_M({res.QMdf}) = {res.QM:.4f}, "
                     f"p {res.QMp:.4g}")
    return "\n".join(lines) + "\n"


@click.command("meta")
@graph_options
@click.option("--outcome", default=None, help="Outcome to pool (label, notation or concept "
                                               "name), from the graph's effect estimates.")
@window_option
@click.option("--measure", type=click.Choice(["MD", "SMD", "RR", "OR", "RD"],
                                             case_sensitive=False), default=None,
              help="Effect measure (default: MD for means, RR for counts).")
@click.option("--method", type=click.Choice(["FE", "DL", "REML"], case_sensitive=False),
              default="REML", show_default=True, help="Fixed effect, DerSimonian-Laird or "
                                                       "REML random effects.")
@click.option("--by", type=click.Choice(sorted(BY)), default=None,
              help="Subgroups, with the test for subgroup differences.")
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Pool a CSV with metafor's columns instead: "
                                 "study,n1i,m1i,sd1i,n2i,m2i,sd2i (MD/SMD) or "
                                 "study,ai,bi,ci,di (RR/OR/RD).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True,
              help="text for the terminal; json: one object with k, estimate, se, ci_lb, ci_ub, "
                   "pi_lb, pi_ub, tau2, I2, Q, Qp and the per-study rows.")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the forest plot to this .svg or .png file.")
def command(root, data_dir, build_dir, no_rebuild, graph_file, lang, outcome, timepoint, measure, method, by,
            csv_file, fmt, plot):
    """Pool effect estimates: k, estimate, se, CI, prediction interval, tau2, I2 (%), Q, Qp,
    and per study yi, vi, CI and weight (%), as R's metafor rma() reports them.

    Ratio measures are pooled on the log scale, with back-transformed values alongside
    ("exp" in JSON). Refuses (exit 1) when fewer than 2 studies remain; warns when fewer than
    5, and when study designs are mixed.
    """
    from livergraph.errors import DataError, UnreadableInput
    from livergraph.evidence.pooling import pool, pool_subgroups
    method = method.upper()
    warnings: list[str] = []
    if csv_file is not None:
        from livergraph.evidence.csvinput import read_effects
        from livergraph.io.regular import require_regular
        require_regular(csv_file, "CSV file")      # a FIFO or a device would never end
        measure = (measure or "MD").upper()
        studies, yi, vi = read_effects(csv_file, measure)
        groups = None
        if by is not None:
            raise UnreadableInput("--by needs the graph's studies, not --csv",
                                  hint="leave out --by, or --csv")
    else:
        if outcome is None:
            raise UnreadableInput("say which outcome to pool", hint="--outcome LDH, or --csv")
        from livergraph.cli.effects_cmd import graph_with_effects
        from livergraph.evidence.studyinfo import study_facets
        from livergraph.evidence.table import effect_rows, filter_rows
        graph = graph_with_effects(root, data_dir, graph_file, build_dir, no_rebuild)
        rows = filter_rows(effect_rows(graph, lang), outcome=outcome,
                           window=parse_window_option(timepoint))
        if measure is None:
            kinds = sorted({r.measure for r in rows} & {"MD", "RR"})
            measure = kinds[0] if kinds else (rows[0].measure if rows else "MD")
        measure = measure.upper()
        rows = [r for r in rows if r.measure == measure and r.vi]
        if len({r.study for r in rows}) != len(rows):
            raise DataError(f"{len(rows)} estimates from fewer studies for {outcome}",
                            hint="narrow --timepoint so that each study gives one estimate")
        facets = study_facets(graph)
        studies = [r.study for r in rows]
        yi = [r.yi for r in rows]
        vi = [float(r.vi) for r in rows]
        designs = {facets.get(s, {}).get("design", "?") for s in studies}
        if len(designs) > 1:
            warnings.append(f"study designs are mixed ({', '.join(sorted(designs))})")
        groups = [facets.get(s, {}).get(BY[by], "unknown") for s in studies] if by else None
    k = len(studies)
    if k < 2:
        where = f" for {outcome}" if outcome else ""
        raise DataError(f"{k} {'study has' if k == 1 else 'studies have'} an {measure} estimate{where}"
                        f"{' in ' + timepoint if timepoint else ''}: a meta-analysis needs "
                        "at least 2", hint="`livergraph effects` lists what there is")
    if k < 5:
        warnings.append(f"only {k} studies: tau2 and the prediction interval are imprecise")
    for w in warnings:
        click.echo(f"warning: {w}", err=True)
    if groups is not None:
        res = pool_subgroups(studies, yi, vi, groups, measure=measure, method=method)
    else:
        res = pool(studies, yi, vi, measure=measure, method=method)
    if plot is not None:
        from livergraph.evidence.forest import write_forest
        write_forest(res, plot, lang=lang, title=outcome or csv_file.name)
    if fmt == "json":
        out = res.to_dict()
        out["warnings"] = warnings
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        click.echo(_text(res), nl=False)
