from __future__ import annotations

from pathlib import Path

import click

from livergraph.cli.options import format_option, output_option, paths_for, root_option
from livergraph.errors import EXIT_INVALID


@click.command("validate", epilog="Exit codes: 0 the graph conforms (warnings and info allowed); "
               "1 it has violations (or the data cannot be built); 2 an input could not be read.")
@root_option
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--shapes", "shapes_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Directory of SHACL shapes (*.ttl) (default: ROOT/shapes).")
@format_option(("text", "turtle", "json"), "text",
               "text: a report grouped by data file and record; turtle (ttl): the standard "
               "SHACL validation report; json: for tools.", without_aliases=("json",))
@output_option("default: standard output")
@click.option("--plain", is_flag=True, hidden=True,
              help="run pySHACL over the whole graph, the reference the default engine is "
                   "tested against (the same results; much slower on large graphs)")
def command(root, files, shapes_dir, fmt, output, plain):
    """Check the knowledge graph against the SHACL shapes in shapes/.

    With no FILES, builds the bundled data (ROOT/data) in memory and validates it. FILES may be
    curated-data directories or RDF files (Turtle, N-Triples, RDF/XML, JSON-LD), for example a
    graph written by `livergraph build`; the ontology is added when they lack it.

    Every result names the record it comes from (data file and record path), the focus node
    with its label, the property, the offending value and a message saying what to fix.
    Data-quality issues flagged by the curators appear at their own severity with the
    curator's note. The last line counts results by severity.
    """
    from livergraph.io.atomic import write_atomic
    from livergraph.validate.shacl import WRITERS, validate_paths

    paths = paths_for(root)
    report = validate_paths(files or [paths.data], paths.ontology, shapes_dir or paths.shapes,
                            engine="plain" if plain else "auto")
    writer = WRITERS[fmt]
    if output is None:
        import io
        buf = io.StringIO()
        writer(report, buf)
        click.echo(buf.getvalue(), nl=False)
    else:
        write_atomic(output, lambda h: writer(report, h))
        click.echo(report.summary(), err=True)
    for note in getattr(report, "notes", None) or ():
        click.echo(f"note: {note}", err=True)   # what the libraries warned about, one line each
    if not report.conforms:
        raise click.exceptions.Exit(EXIT_INVALID)
