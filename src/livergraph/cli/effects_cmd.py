"""``livergraph effects``: every effect estimate the data support, as a table, CSV or JSON."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click

from livergraph.cli.viz_cmd import graph_options


def graph_with_effects(root, data_dir, graph_file, build_dir, no_rebuild):
    """The graph (built from the data, or read from --graph) with its effect estimates: derived
    here unless the graph already holds them (a published graph does)."""
    from livergraph.cli.viz_cmd import load_graph
    from livergraph.evidence import derive_effects
    from livergraph.namespaces import LG
    graph = load_graph(root, data_dir, graph_file, build_dir, no_rebuild)
    if next(graph.subjects(LG.hasEffectEstimate, None), None) is None \
            and next(graph.subjects(LG.hasEffectRefusal, None), None) is None:
        derive_effects(graph)
    return graph


def window_option(f):
    """--timepoint: a time point or window."""
    return click.option("--timepoint", "timepoint", default=None, metavar="WINDOW",
                        help="Time point or window: P336D, 48w, P300D..P400D, 40w..52w "
                             "(w weeks, m months, y years, d days).")(f)


def parse_window_option(text):
    from livergraph.errors import UnreadableInput
    from livergraph.evidence.table import parse_window
    try:
        return parse_window(text)
    except ValueError:
        raise UnreadableInput(f"--timepoint {text!r} is not a time point or window",
                              hint="write P336D, 48w, P300D..P400D or 40w..52w") from None


def _fmt(value, digits: int = 4) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def render(rows, fmt: str) -> str:
    """The rows as ``table``, ``csv`` or ``json`` text."""
    from livergraph.evidence.table import COLUMNS
    if fmt == "json":
        return json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(COLUMNS)
        for r in rows:
            d = r.as_dict()
            d["issues"] = ";".join(d["issues"])
            writer.writerow(["" if d[c] is None else d[c] for c in COLUMNS])
        return buf.getvalue()
    lines = [f"{'study':<11} {'outcome':<30} {'time':<7} {'measure':<4} {'estimate':>10} "
             f"{'95% CI':>23} {'p':>8}  derivation"]
    for r in rows:
        ci = f"[{_fmt(r.ci_lb)}, {_fmt(r.ci_ub)}]" if r.ci_lb is not None else ""
        flag = " (approximate)" if r.approximate else ""
        lines.append(f"{r.study:<11} {r.outcome[:30]:<30} {r.timepoint or '-':<7} "
                     f"{r.measure:<4} {_fmt(r.estimate):>10} {ci:>23} {_fmt(r.p):>8}  "
                     f"{r.derivation}{flag}")
    lines.append(f"{len(rows)} estimate(s); ratio measures on the natural scale")
    return "\n".join(lines) + "\n"


@click.command("effects")
@graph_options
@click.option("--outcome", default=None, help="Outcome: label, notation (LDH) or concept "
                                               "name (transplant-free-survival).")
@click.option("--study", default=None, help="Study id, e.g. fu-2018.")
@window_option
@click.option("--measure", type=click.Choice(["MD", "SMD", "RR", "OR", "RD", "HR"],
                                             case_sensitive=False), default=None,
              help="Only this effect measure: mean difference, standardised mean difference "
                   "(Hedges' g), risk ratio, odds ratio, risk difference or hazard ratio.")
@click.option("--refused", is_flag=True,
              help="List the comparisons no estimate is derived for, with the reason.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True,
              help="table for the terminal; csv; json: a list of objects with the keys study, "
                   "outcome, timepoint, comparison, measure, estimate, ci_lb, ci_ub, se, p, "
                   "derivation, numbers as numbers.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")
def command(root, data_dir, build_dir, no_rebuild, graph_file, lang, outcome, study, timepoint, measure, refused, fmt,
            output):
    """Every between-arm effect estimate the data support.

    Mean differences and Hedges' g from two arms' means, SDs and sizes at the same time point;
    risk ratios, odds ratios and risk differences from counts; reported hazard ratios as
    reported. Each row says how it was derived and which data-quality flags touch it. Nothing
    is derived from a whole-cohort value or from Kaplan-Meier percentages: --refused lists
    those comparisons with the reason. JSON keys: study, outcome, timepoint, comparison,
    measure, estimate, ci_lb, ci_ub, se, p, derivation (and more); ratio measures on the
    natural scale, se on the log scale.
    """
    from livergraph.evidence.table import effect_rows, filter_rows, refusal_rows
    graph = graph_with_effects(root, data_dir, graph_file, build_dir, no_rebuild)
    window = parse_window_option(timepoint)
    if refused:
        rows = [r for r in refusal_rows(graph, lang)
                if (study is None or r["study"] == study)]
        if fmt == "json":
            text = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
        else:
            text = "".join(f"{r['study']}\t{r['outcome']}\t{r['timepoint'] or '-'}\t"
                           f"{r['reason']}\n" for r in rows)
    else:
        rows = filter_rows(effect_rows(graph, lang), outcome=outcome, study=study,
                           window=window, measure=measure)
        text = render(rows, fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        from livergraph.io.atomic import write_atomic
        write_atomic(output, lambda fh: fh.write(text))
        click.echo(f"wrote {output}", err=True)
