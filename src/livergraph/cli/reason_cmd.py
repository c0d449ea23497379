from __future__ import annotations

from pathlib import Path

import click

from livergraph.cli.options import output_option, paths_for, root_option


@click.command("reason", epilog="Exit codes: 0 consistent; 1 the graph is inconsistent (or the "
               "data cannot be built); 2 an input could not be read or Java is missing.")
@root_option
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@output_option("default: only print the summary; with -o, write the graph with its inferences "
               "as Turtle")
@click.option("--whole-graph", is_flag=True, hidden=True,
              help="hand HermiT every record rather than one representative per kind of record "
                   "(the same result, much slower on large data; for checking)")
def command(root, files, output, whole_graph):
    """Run the HermiT OWL reasoner: check consistency and classify into the defined classes.

    With no FILES, uses the bundled data (ROOT/data); FILES may be data directories or RDF
    files. Prints how many resources each defined class (MSC therapy, allogeneic cell therapy,
    umbilical-cord-derived, randomised controlled, placebo-controlled ...) has. An inconsistent
    graph (for example a cell product both autologous and allogeneic) is reported with the
    records and statements involved, and nothing is written.

    Inferred types are added as `?x a C` and marked `?x lg:inferredType C`.
    """
    from livergraph.io.atomic import write_atomic
    from livergraph.io.turtle import write_turtle
    from livergraph.reason.hermit import add_inferred, reason
    from livergraph.validate.shacl import compact, read_graph

    paths = paths_for(root)
    graph = read_graph(files or [paths.data], paths.ontology)
    result = reason(graph, modular=not whole_graph)
    for cls in result.defined_classes:
        click.echo(f"{result.counts.get(cls, 0):5d}  {compact(cls)}")
    click.echo(f"consistent: {len(result.inferred)} inferred type(s) in {result.seconds:.1f} s "
               f"({result.method})")
    if output is not None:
        add_inferred(graph, result)
        write_atomic(output, lambda h: write_turtle(graph, h))
        click.echo(f"wrote {output}: {len(graph)} triples")
