from __future__ import annotations

from pathlib import Path

import click

from ..errors import EXIT_INVALID
from .options import output_option, paths_for, root_option


@click.command("build")
@root_option
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Curated data directory (default: ROOT/data).")
@output_option("default: ROOT/dist/livergraph.ttl")
@click.option("--no-validate", is_flag=True,
              help="Skip SHACL validation (the graph is written even if it has violations).")
@click.option("--no-reason", is_flag=True,
              help="Skip OWL reasoning: no consistency check, no inferred types (no Java needed).")
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
    from ..build import build
    from ..serialize import write_atomic, write_turtle

    paths = paths_for(root)
    data_dir = data_dir or paths.data
    out = output or paths.graph
    result = build(paths.ontology, data_dir)
    notes = []
    if not no_validate:
        from ..validate import load_shapes, validate, write_text
        shapes, files = load_shapes(paths.shapes)
        report = validate(result.graph, shapes, files)
        if not report.conforms:
            import io
            buf = io.StringIO()
            write_text(report, buf, severities=["violation"])
            click.echo(buf.getvalue(), err=True, nl=False)
            click.echo(f"error: {out} not written: the graph has violations (above); "
                       "`livergraph validate` shows the whole report", err=True)
            raise click.exceptions.Exit(EXIT_INVALID)
        n = report.counts
        notes.append(f"validated: {n['warning']} warning(s), {n['info']} info")
    inferred = 0
    if not no_reason:
        from ..reason import add_inferred, reason
        reasoning = reason(result.graph)
        inferred = add_inferred(result.graph, reasoning)
        notes.append(f"reasoned: consistent, {len(reasoning.inferred)} inferred type(s)")
    write_atomic(out, lambda h: write_turtle(result.graph, h))
    ontology = len(result.graph) - result.data_triples - inferred
    click.echo(f"wrote {out}: {len(result.graph)} triples ({result.data_triples} from "
               f"{result.records} records, {ontology} from the ontology, {inferred} inferred)")
    for note in notes:
        click.echo(note)
