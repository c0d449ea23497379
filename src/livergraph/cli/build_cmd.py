from __future__ import annotations

import time

import click

from livergraph.errors import EXIT_INVALID
from livergraph.cli.options import check_options, data_option, output_option, paths_for, root_option


@click.command("build")
@root_option
@data_option
@output_option("default: ROOT/dist/livergraph.ttl")
@check_options
def command(root, data_dir, output, no_validate, no_reason):
    """Build the knowledge graph from the ontology and the curated data, as Turtle.

    Refuses classes and properties the ontology does not declare, and reports every bad
    record with its file. Then validates the graph against the SHACL shapes (shapes/) and
    refuses to write it if there are violations (warnings are allowed; `livergraph validate`
    shows them), and runs the HermiT reasoner: an inconsistent graph is refused, and the
    inferred types of the defined classes are added, each marked `lg:inferredType`.

    The same inputs always give byte-identical output; the file is written atomically (never
    half-written, and not at all when a check fails).
    """
    from livergraph.publish.pipeline import GraphDoesNotConform, build_checked
    from livergraph.io.turtle import write_turtle
    from livergraph.io.atomic import write_atomic

    paths = paths_for(root)
    data_dir = data_dir or paths.data
    out = output or paths.graph
    try:
        checked = build_checked(paths.ontology, data_dir,
                                shapes_dir=None if no_validate else paths.shapes,
                                reason=not no_reason)
    except GraphDoesNotConform as exc:
        click.echo(exc.violations_text(), err=True, nl=False)
        click.echo(f"error: {out} not written: the graph has violations (above); "
                   "`livergraph validate` shows the whole report", err=True)
        raise click.exceptions.Exit(EXIT_INVALID) from None
    result, graph = checked.result, checked.graph
    start = time.perf_counter()
    write_atomic(out, lambda h: write_turtle(graph, h))
    checked.seconds["write"] = time.perf_counter() - start
    ontology = len(graph) - result.data_triples - checked.inferred
    click.echo(f"wrote {out}: {len(graph)} triples ({result.data_triples} from "
               f"{result.records} records, {ontology} from the ontology and the dataset "
               f"description, {checked.inferred} inferred)")
    if checked.report is not None:
        n = checked.report.counts
        click.echo(f"validated: {n['warning']} warning(s), {n['info']} info")
    if checked.reasoning is not None:
        click.echo(f"reasoned: consistent, {len(checked.reasoning.inferred)} inferred type(s)")
    click.echo(f"took {checked.timings()}")
