from __future__ import annotations

import sys
from pathlib import Path

import click

from livergraph.cli.options import data_option, output_option, paths_for, root_option

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
@click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="table",
              show_default=True,
              help="table, or the W3C SPARQL results formats csv, tsv, json, xml for SELECT and "
                   "ASK; turtle, nt or json-ld for CONSTRUCT and DESCRIBE (the table becomes "
                   "Turtle for those).")
@click.option("--lang", type=click.Choice(("en", "zh")), default="en", show_default=True,
              help="Language of the labels the table shows instead of IRIs (zh: zh-Hant).")
@output_option("default: standard output; its suffix, such as .csv or .ttl, sets the format "
               "when --format is not given")
@click.option("--timeout", type=float, default=None, metavar="SECONDS",
              help="Stop the query after this many seconds.")
@click.option("--allow-service", is_flag=True,
              help="Let the query call remote endpoints with SERVICE (off by default).")
@click.option("--endpoint", metavar="URL",
              help="Send the query to this SPARQL 1.1 endpoint instead of the local graph.")
@click.option("--engine", type=click.Choice(("oxigraph", "rdflib")), default="oxigraph",
              show_default=True,
              help="SPARQL engine for the local graph; rdflib gives the same answers, slower.")
@root_option
@data_option
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the built graph is cached (default: ROOT/dist/cache).")
@click.option("--rebuild", is_flag=True, help="Rebuild the cached graph first.")
@click.option("--no-reason", is_flag=True,
              help="Query the asserted graph: no inferred types, no reasoning when the cache "
                   "is built (no Java needed).")
@click.pass_context
def command(ctx, query_text, query_file, name, params, fmt, lang, output, timeout, allow_service,
            endpoint, engine, root, data_dir, cache_dir, rebuild, no_reason):
    """Ask the knowledge graph a question in SPARQL.

    Give the query as an argument, with -f FILE, as - to read standard input, or by --name from
    the library of named queries (`livergraph queries`). The prefixes lg:, lgc:, rdf:, rdfs:,
    owl:, xsd:, skos:, schema:, prov:, dcterms:, obo:, trial:, study:, org: ... are predeclared.

    \b
    livergraph query 'SELECT ?trial ?status WHERE { ?trial lg:status ?status }'
    livergraph query -f my-question.rq --format csv > answer.csv
    livergraph query --name recruiting-umbilical-cord-trials
    echo 'ASK { trial:NCT01220492 lg:status lgc:status-COMPLETED }' | livergraph query -

    The graph (with the reasoner's inferred types, as `livergraph build` makes it) is built once
    and cached under dist/cache as an Oxigraph store that each query opens read-only; it is
    rebuilt only when the ontology, shapes or data change. ASK prints true or false and exits 0
    or 1. SPARQL Update is refused.
    """
    from livergraph.errors import UnreadableInput

    text, declared = _query_text(query_text, query_file, name,
                                 paths_for(root) if name else None)
    if output is not None and \
            ctx.get_parameter_source("fmt") is click.core.ParameterSource.DEFAULT:
        from livergraph.query.engine import format_for_output
        fmt = format_for_output(output, text) or fmt
    if params:
        from livergraph.query.engine import bind_params, parse_param_options
        text = bind_params(text, parse_param_options(params), _prefixes(root, endpoint),
                           declared)
    if endpoint:
        from livergraph.query.endpoint import run_endpoint
        from livergraph.namespaces import PREFIXES
        answer = run_endpoint(endpoint, text, dict(PREFIXES), fmt=fmt, lang=lang,
                              allow_service=allow_service, timeout=timeout)
    else:
        from livergraph.publish.store import cache_dir_for, cached_graph
        from livergraph.query.engine import run_local
        paths = paths_for(root)
        data = data_dir or paths.data
        if not Path(data).is_dir():
            raise UnreadableInput("data directory not found", file=str(data),
                                  hint="pass --data DIR or run from the repository")
        directory = cache_dir_for(cache_dir or paths.dist / "cache", data, paths.data)
        if no_reason:
            directory = directory / "asserted"
        graph = cached_graph(paths.ontology, paths.shapes, data, directory, rebuild=rebuild,
                             reason=not no_reason,
                             on_rebuild=lambda why: click.echo(
                                 f"building the graph for queries ({why}) ...", err=True),
                             on_warning=lambda text: click.echo(f"warning: {text}", err=True))
        # oxigraph opens the cached store read-only; rdflib parses the cached N-Triples
        source = graph.store if engine == "oxigraph" and graph.store else graph.path
        answer = run_local(text, source, graph.prefixes, fmt=fmt, lang=lang, engine=engine,
                           allow_service=allow_service, timeout=timeout)
    if output is not None:
        from livergraph.io.atomic import write_atomic
        write_atomic(output, lambda h: h.write(answer.data.decode("utf-8")))
    else:
        click.echo(answer.data, nl=False)
    if answer.boolean is False:
        ctx.exit(1)


def _query_text(query_text, query_file, name, paths) -> str:
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


def _prefixes(root, endpoint) -> dict[str, str]:
    """The predeclared prefixes, from the graph cache when there is one (no rdflib import)."""
    if not endpoint:
        from livergraph.publish.store import load_meta
        try:
            meta = load_meta(paths_for(root).dist / "cache")
        except Exception:  # noqa: BLE001 - fall back to the module below
            meta = None
        if meta and isinstance(meta.get("prefixes"), dict):
            return meta["prefixes"]
    from livergraph.namespaces import PREFIXES
    return dict(PREFIXES)
