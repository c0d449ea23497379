from __future__ import annotations

import sys
from pathlib import Path

import click

from livergraph.cli.options import (
    format_option,
    graph_source_options,
    lang_option,
    open_graph,
    output_option,
    paths_for,
)

FORMAT_CHOICES = ("table", "csv", "tsv", "json", "xml", "turtle", "nt", "json-ld")


@click.command("query")
@click.argument("query_text", metavar="[QUERY]", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Read the query from this file.")
@click.option("-n", "--name", "name", metavar="NAME",
              help="Run a named query from queries/ (see `livergraph queries`).")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind the variable ?NAME to VALUE (a CURIE such as study:cui-2022, an IRI, "
                   "a number or text); a named query lists its parameters. Repeatable.")
@format_option(FORMAT_CHOICES, "table", without_aliases=("xml",),
               help_text="table, or the W3C SPARQL results formats csv, tsv, json, xml for SELECT and "
                   "ASK; turtle, nt or json-ld for CONSTRUCT and DESCRIBE (the table becomes "
                   "Turtle for those).")
@lang_option("Language of the labels the table shows instead of IRIs")
@output_option("default: standard output; its suffix, such as .csv or .ttl, sets the format "
               "when --format is not given")
@click.option("--timeout", type=float, default=None, metavar="SECONDS",
              help="Stop the query after this many seconds.")
@click.option("--allow-service", is_flag=True,
              help="Let the query call remote endpoints with SERVICE (off by default).")
@click.option("--endpoint", metavar="URL",
              help="Send the query to this SPARQL 1.1 endpoint instead of the local graph.")
@click.option("--engine", type=click.Choice(("oxigraph", "rdflib")), default="oxigraph",
              show_default=True, hidden=True,
              help="SPARQL engine for the local graph; rdflib gives the same answers, slower.")
@graph_source_options
@click.option("--rebuild", is_flag=True, hidden=True,
              help="Rebuild the published graph first.")
@click.pass_context
def command(ctx, query_text, query_file, name, params, fmt, lang, output, timeout, allow_service,
            endpoint, engine, root, data_dir, build_dir, no_rebuild, rebuild):
    """Ask the knowledge graph a question in SPARQL.

    Give the query as an argument, with -f FILE, as - to read standard input, or by --name from
    the library of named queries (`livergraph queries`). The prefixes lg:, lgc:, rdf:, rdfs:,
    owl:, xsd:, skos:, schema:, prov:, dcterms:, obo:, trial:, study:, org: ... are predeclared.

    \b
    livergraph query 'SELECT ?trial ?status WHERE { ?trial lg:status ?status }'
    livergraph query -f my-question.rq --format csv > answer.csv
    livergraph query --name recruiting-umbilical-cord-trials
    echo 'ASK { trial:NCT01220492 lg:status lgc:status-COMPLETED }' | livergraph query -

    The query runs on the graph `livergraph build` published (the Oxigraph store in
    build/current/, opened read-only); when an input changed since, it is rebuilt once first
    (--no-rebuild: exit 3 instead). ASK prints true or false and exits 0 or 1. SPARQL Update is
    refused.
    """
    from livergraph.io.http import check_timeout
    check_timeout(timeout)
    text, declared = _query_text(query_text, query_file, name,
                                 paths_for(root) if name else None)
    if output is not None and \
            ctx.get_parameter_source("fmt") is click.core.ParameterSource.DEFAULT:
        from livergraph.query.engine import format_for_output
        fmt = format_for_output(output, text) or fmt
    bound = None
    if params:
        from livergraph.query.engine import parse_param_options
        bound = parse_param_options(params)
    if endpoint:
        from livergraph.namespaces import PREFIXES
        from livergraph.query.endpoint import run_endpoint
        from livergraph.query.engine import bind_params
        if bound:
            text = bind_params(text, bound, dict(PREFIXES), declared)
        answer = run_endpoint(endpoint, text, dict(PREFIXES), fmt=fmt, lang=lang,
                              allow_service=allow_service, timeout=timeout)
    else:
        kg = open_graph(root, data_dir, build_dir, no_rebuild, rebuild=rebuild)
        answer = kg.answer(text, fmt=fmt, lang=lang, params=bound, declared=declared,
                           engine=engine, allow_service=allow_service, timeout=timeout)
    if output is not None:
        from livergraph.io.atomic import write_atomic
        write_atomic(output, lambda h: h.write(answer.data.decode("utf-8")))
    else:
        click.echo(answer.data, nl=False)
    if answer.boolean is False:
        ctx.exit(1)


def _query_text(query_text, query_file, name, paths) -> str:
    """The query's text and, for a named query, its declared parameters."""
    from livergraph.errors import UnreadableInput
    given = [x for x in (query_text, query_file, name) if x is not None]
    if len(given) != 1:
        raise UnreadableInput("give exactly one query: QUERY text, - for standard input, "
                              "-f FILE or --name NAME" + (f" (got {len(given)})" if given else ""),
                              hint="`livergraph queries` lists the named queries")
    if name is not None:
        from livergraph.query.engine import find_named
        nq = find_named(paths.queries, name)
        return nq.text, tuple(p for p, _ in nq.params)
    if query_file is not None:
        try:
            text = Path(query_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UnreadableInput(f"cannot read the query file: {exc.__class__.__name__}: "
                                  f"{getattr(exc, 'strerror', None) or exc}",
                                  file=str(query_file)) from None
    elif query_text == "-":
        text = sys.stdin.read()
    else:
        text = query_text
    if not text.strip():
        raise UnreadableInput("the query is empty")
    return text, None
