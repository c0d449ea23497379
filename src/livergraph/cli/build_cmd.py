from __future__ import annotations

from pathlib import Path

import click

from .options import output_option, paths_for, root_option


@click.command("build")
@root_option
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Curated data directory (default: ROOT/data).")
@output_option("default: ROOT/dist/livergraph.ttl")
def command(root, data_dir, output):
    """Build the knowledge graph from the ontology and the curated data, as Turtle.

    Refuses classes and properties the ontology does not declare, and reports every bad
    record with its file. The same inputs always give byte-identical output; the file is
    written atomically (never half-written).
    """
    from ..build import build
    from ..serialize import write_atomic, write_turtle

    paths = paths_for(root)
    data_dir = data_dir or paths.data
    out = output or paths.graph
    result = build(paths.ontology, data_dir)
    write_atomic(out, lambda h: write_turtle(result.graph, h))
    click.echo(f"wrote {out}: {len(result.graph)} triples ({result.data_triples} from "
               f"{result.records} records, {len(result.graph) - result.data_triples} from the "
               f"ontology)")
