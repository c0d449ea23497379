from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import click

from livergraph.cli.options import format_option, output_option, paths_for, root_option
from livergraph.errors import EXIT_INVALID

#: --severity's choices, most severe first
SEVERITIES = ("violation", "warning", "info")


@click.command("validate", epilog="Exit codes: 0 the graph conforms (warnings and info allowed); "
               "1 it has violations (or the data cannot be built); 2 an input could not be read, "
               "or --summary or --max was asked of the turtle format.")
@root_option
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--shapes", "shapes_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Directory of SHACL shapes (*.ttl) (default: ROOT/shapes).")
@format_option(("text", "turtle", "json"), "text",
               "text: a report grouped by data file and record; turtle (ttl): the standard "
               "SHACL validation report (every result, or those --severity keeps; no --summary "
               "or --max); json: for tools, with a \"summary\" object.",
               without_aliases=("json",))
@output_option("default: standard output")
@click.option("--severity", type=click.Choice(SEVERITIES), default="info", show_default=True,
              help="Show results at this severity or above (violation > warning > info). The "
                   "exit code and the last line still count every result.")
@click.option("--summary", "summary", is_flag=True,
              help="Counts by shape and by focus kind (the record class), each with its first "
                   "example, and the total, instead of every result (text: tables; json: the "
                   "\"summary\" object without \"results\").")
@click.option("--max", "limit", type=click.IntRange(min=0), default=None, metavar="N",
              help="List at most N results, then say how many more there are (text and json).")
@click.option("--plain", is_flag=True, hidden=True,
              help="run pySHACL over the whole graph, the reference the default engine is "
                   "tested against (the same results; much slower on large graphs)")
def command(root, files, shapes_dir, fmt, output, severity, summary, limit, plain):
    """Check the knowledge graph against the SHACL shapes in shapes/.

    With no FILES, builds the bundled data (ROOT/data) in memory and validates it. FILES may be
    curated-data directories or RDF files (Turtle, N-Triples, RDF/XML, JSON-LD), for example a
    graph written by `livergraph build`; the ontology is added when they lack it.

    Every result names the record it comes from (data file and record path), the focus node
    with its label, the property, the offending value and a message saying what to fix.
    Data-quality issues flagged by the curators appear at their own severity with the
    curator's note. The last line counts results by severity.

    \b
    livergraph validate --summary                  # one screen: counts by shape and record class
    livergraph validate --severity warning --max 20
    livergraph validate --format json --summary    # the same counts for tools
    """
    from livergraph.io.atomic import write_atomic
    from livergraph.validate.shacl import validate_paths

    if fmt == "turtle" and (summary or limit is not None):
        raise click.UsageError("--summary and --max are views of the text and json formats; "
                               "the turtle report is the standard SHACL report (--severity "
                               "filters it)")
    paths = paths_for(root)
    report = validate_paths(files or [paths.data], paths.ontology, shapes_dir or paths.shapes,
                            engine="plain" if plain else "auto").filter(severity)
    writer = _writer(fmt, summary, limit)
    if output is None:
        import io
        buf = io.StringIO()
        writer(report, buf)
        click.echo(buf.getvalue(), nl=False)
    else:
        write_atomic(output, lambda h: writer(report, h))
        click.echo(report.headline(), err=True)
    for note in getattr(report, "notes", None) or ():
        click.echo(f"note: {note}", err=True)   # what the libraries warned about, one line each
    if not report.conforms:
        raise click.exceptions.Exit(EXIT_INVALID)


def _writer(fmt: str, summary: bool, limit: int | None) -> Callable[[Any, IO[str]], None]:
    """The writer for a format and view (--summary, --max)."""
    from livergraph.validate import report as rp
    if fmt == "json":
        return lambda report, out: rp.write_json(report, out, limit=limit, summary_only=summary)
    if fmt == "turtle":
        return rp.write_report_turtle
    if summary:
        import shutil

        from livergraph.validate.summary import write_summary
        width = max(60, shutil.get_terminal_size((100, 24)).columns)
        return lambda report, out: write_summary(report.summary(), out, width)
    return lambda report, out: rp.write_text(report, out, limit=limit)
