"""``livergraph report``: the offline HTML evidence report."""
from __future__ import annotations

from pathlib import Path

import click

from livergraph.cli.viz_cmd import graph_options


@click.command("report")
@graph_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("report.html"), show_default=True, help="HTML file to write.")
def command(root, data_dir, build_dir, no_rebuild, graph_file, lang, output):
    """Write one self-contained HTML evidence report: the included studies (design, n, cells,
    donor, route, dose, follow-up), per-outcome effect tables and forest plots, the comparisons
    with no estimate and why, the evidence-gap map, the data-quality flags touching each
    number and the 388-patient reconciliation.

    It works offline (no scripts, fonts or images from elsewhere) and is byte-identical across
    runs on the same inputs: it records their SHA-256, not the time (set SOURCE_DATE_EPOCH to
    print a date).
    """
    from livergraph.cli.effects_cmd import graph_with_effects
    from livergraph.cli.options import paths_for
    from livergraph.evidence.report import input_digest, render_report
    from livergraph.io.atomic import write_atomic
    paths = paths_for(root)
    graph = graph_with_effects(root, data_dir, graph_file, build_dir, no_rebuild)
    sources = [graph_file] if graph_file is not None else [paths.ontology,
                                                            data_dir or paths.data]
    html = render_report(graph, input_digest(sources, paths.root), paths.root, lang=lang)
    write_atomic(output, lambda fh: fh.write(html))
    click.echo(f"wrote {output} ({len(html) // 1024} KiB)", err=True)
