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
    scope_option,
)

FORMAT_CHOICES = ("table", "csv", "tsv", "xlsx", "json", "xml", "sparql-csv", "sparql-tsv",
                  "turtle", "nt", "json-ld")
#: the tables for people (labels in --lang, --ids, --columns, --excel)
PEOPLE = ("table", "csv", "tsv", "xlsx")


@click.command("query")
@click.argument("query_text", metavar="[QUERY]", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Read the query from this file.")
@click.option("-n", "--name", "name", metavar="NAME",
              help="Run a named query from queries/ (see `livergraph queries`).")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind the variable ?NAME to VALUE (a CURIE such as study:cui-2022, an IRI, "
                   "a number or text). A named query checks VALUE against the parameter's "
                   "declared type: a record id may leave out its prefix (study=fu-2018), an "
                   "unknown one is an error listing the valid values. Repeatable.")
@format_option(FORMAT_CHOICES, "table", without_aliases=("xml",),
               help_text="Tables for people, with labels instead of IRIs (--lang, --ids, "
                   "--columns): table, csv, tsv, xlsx. The W3C SPARQL 1.1 results formats for "
                   "programs, with full IRIs and typed values (--lang does not apply): json, "
                   "xml, sparql-csv, sparql-tsv. For CONSTRUCT and DESCRIBE: turtle, nt, "
                   "json-ld (the table becomes Turtle).")
@lang_option("Language of the labels in table, csv, tsv and xlsx")
@output_option("default: standard output; its suffix (.csv, .tsv, .xlsx, .txt, .json, .srx, "
               ".ttl, ...) sets the format when --format is not given")
@click.option("--timeout", type=float, default=None, metavar="SECONDS",
              help="Stop the query after this many seconds.")
@click.option("--allow-service", is_flag=True,
              help="Let the query call remote endpoints with SERVICE (off by default).")
@click.option("--endpoint", metavar="URL",
              help="Send the query to this SPARQL 1.1 endpoint instead of the local graph.")
@click.option("--engine", type=click.Choice(("oxigraph", "rdflib")), default="oxigraph",
              show_default=True, hidden=True,
              help="SPARQL engine for the local graph; rdflib gives the same answers, slower.")
@click.option("--columns", metavar="A,B,C", default=None,
              help="Only these columns of a SELECT answer, in this order (an unknown name is "
                   "an error that lists the columns there are).")
@click.option("--ids", is_flag=True,
              help="CURIEs (trial:NCT01220492) instead of labels in table, csv, tsv and xlsx.")
@click.option("--excel", is_flag=True,
              help="CSV for Excel: labels and a UTF-8 byte-order mark, so Chinese text opens "
                   "correctly (the default format becomes csv). `-o answer.xlsx` writes a "
                   "real workbook.")
@scope_option("Which sources to ask: article (the seed article's curated facts), registry (the "
              "registry imports), all (each source apart: a SELECT's answers stacked under a "
              "leading source column) or union (every graph as one). Default: the scope a "
              "named query declares, else union.")
@graph_source_options
@click.option("--rebuild", is_flag=True, hidden=True,
              help="Rebuild the published graph first.")
@click.pass_context
def command(ctx, query_text, query_file, name, params, fmt, lang, output, timeout, allow_service,
            endpoint, engine, columns, ids, excel, scope, root, data_dir, build_dir, no_rebuild,
            rebuild):
    """Ask the knowledge graph a question in SPARQL.

    Give the query as an argument, with -f FILE, as - to read standard input, or by --name from
    the library of named queries (`livergraph queries`). The prefixes lg:, lgc:, rdf:, rdfs:,
    owl:, xsd:, skos:, schema:, prov:, dcterms:, obo:, trial:, study:, org: ... are predeclared.

    \b
    livergraph query 'SELECT ?trial ?status WHERE { ?trial lg:status ?status }'
    livergraph query --name trials-by-sponsor --format csv -o sponsors.csv
    livergraph query --name study-outcome-table -o outcomes.xlsx --lang zh
    livergraph query --name trials-by-sponsor --excel -o sponsors.csv
    livergraph query --name study-measurements -p study=fu-2018 --columns measure,arm,value
    livergraph query -f my-question.rq --format sparql-csv > answer.csv
    echo 'ASK { trial:NCT01220492 lg:status lgc:status-COMPLETED }' | livergraph query -

    SELECT answers: table, csv, tsv and xlsx show each resource by its label in --lang (en,
    zh = traditional Chinese, zh-Hans = simplified), its CURIE where it has none (or always
    with --ids), and values as the source reported them. json, xml, sparql-csv and sparql-tsv
    are the W3C SPARQL 1.1 results formats unchanged (full IRIs; the W3C CSV has no place for
    labels), for programs. On a terminal the table is fitted to its width and a line on stderr
    says when cells were cut or the answer is long; piped or written to a file it is plain and
    complete.

    The query runs on the graph `livergraph build` published (the Oxigraph store in
    build/current/, opened read-only); when an input changed since, it is rebuilt once first
    (--no-rebuild: exit 3 instead). ASK prints true or false and exits 0 or 1. SPARQL Update is
    refused.
    """
    from livergraph.errors import UnreadableInput
    from livergraph.io.http import check_timeout
    check_timeout(timeout)
    text, nq = _query_text(query_text, query_file, name,
                           paths_for(root) if name is not None else None)
    from livergraph.publish.scopes import declared_scope
    given, scope = scope, scope or (declared_scope(text, name) if name else None)
    fmt_given = ctx.get_parameter_source("fmt") is not click.core.ParameterSource.DEFAULT
    if output is not None and not fmt_given:
        from livergraph.io.tables import format_for_path
        from livergraph.query.engine import SUFFIX_FORMATS, format_for_output
        if output.suffix.lower() not in SUFFIX_FORMATS:
            format_for_path(output, sorted(set(SUFFIX_FORMATS.values())))  # refuses
        fmt = format_for_output(output, text) or fmt
    if excel and fmt == "table" and not fmt_given:
        fmt = "csv"
    if excel and fmt not in ("csv", "tsv", "xlsx"):
        raise UnreadableInput(f"--excel writes CSV (or TSV) for Excel, not {fmt}",
                              hint="leave out --format, or write -o FILE.csv or FILE.xlsx")
    if (columns or ids) and fmt not in PEOPLE:
        raise UnreadableInput(f"--columns and --ids shape a table for people (table, csv, tsv, "
                              f"xlsx), not {fmt}", hint="leave out --format, or use --format csv")
    if fmt == "xlsx" and output is None:
        raise UnreadableInput("an .xlsx workbook is written to a file", hint="add -o FILE.xlsx")
    if output is not None and (fmt == "xlsx") != (output.suffix.lower() == ".xlsx"):
        raise UnreadableInput(f"--format {fmt} cannot be written to {output.name}: a workbook "
                              "goes to an .xlsx file, and only a workbook does",
                              hint="leave out --format (the suffix sets it), or change the "
                                   "suffix")
    if fmt in ("json", "xml", "sparql-csv", "sparql-tsv") and \
            ctx.get_parameter_source("lang") is click.core.ParameterSource.COMMANDLINE:
        click.echo(f"note: --lang does not apply to {fmt}: the W3C results keep IRIs "
                   "(use --format csv for labels)", err=True)
    from livergraph.io.tables import stdout_width
    from livergraph.query.render import Layout
    width = stdout_width() if fmt == "table" and output is None else None
    layout = Layout(ids=ids, excel=excel, width=width,
                    columns=tuple(c.strip() for c in columns.split(",") if c.strip())
                    if columns else None)
    bound = None
    if params:
        from livergraph.query.engine import parse_param_options
        bound = parse_param_options(params)
    if endpoint and given not in (None, "union"):   # a named query's own scope: ignored
        raise UnreadableInput(f"--scope {given} applies to the local graph, not to --endpoint",
                              hint="leave out --scope (or --endpoint)")
    declared = tuple(p for p, _ in nq.params) if nq is not None else None
    kg = None
    if not endpoint:
        kg = open_graph(root, data_dir, build_dir, no_rebuild, rebuild=rebuild)
    if nq is not None:
        from livergraph.query.params import resolve
        terms, notes = resolve(nq, bound or {}, kg.store if kg is not None else None,
                               kg.prefixes if kg is not None else _prefixes())
        for note in notes:
            click.echo(f"note: {note}", err=True)
        bound = {n: str(t) for n, t in terms.items()} or None
    elif bound and kg is not None:
        from livergraph.query.params import text_note
        for pname, value in bound.items():
            note = text_note(pname, value, kg.store, kg.prefixes)
            if note:
                click.echo(f"note: {note}", err=True)
    if endpoint:
        from livergraph.query.endpoint import run_endpoint
        from livergraph.query.engine import bind_params
        if bound:
            text = bind_params(text, bound, _prefixes(), declared)
        answer = run_endpoint(endpoint, text, _prefixes(), fmt=fmt, lang=lang,
                              allow_service=allow_service, timeout=timeout, layout=layout)
    else:
        answer = kg.answer(text, fmt=fmt, lang=lang, params=bound, declared=declared,
                           engine=engine, allow_service=allow_service, timeout=timeout,
                           layout=layout, scope=scope)
    if output is not None:
        from livergraph.io.atomic import write_bytes
        write_bytes(output, answer.data)
        if fmt in PEOPLE and answer.rows is not None:
            click.echo(f"wrote {output}: {answer.rows} row(s)", err=True)
    else:
        sys.stdout.buffer.write(answer.data)
        sys.stdout.flush()
    if answer.hint and width is not None:
        click.echo(answer.hint, err=True)
    if answer.boolean is False:
        ctx.exit(1)


def _prefixes() -> dict[str, str]:
    from livergraph.namespaces import PREFIXES
    return dict(PREFIXES)


def _query_text(query_text, query_file, name, paths):
    """The query's text and, for a named query, the named query (None otherwise)."""
    from livergraph.errors import UnreadableInput
    given = [x for x in (query_text, query_file, name) if x is not None]
    if len(given) != 1:
        raise UnreadableInput("give exactly one query: QUERY text, - for standard input, "
                              "-f FILE or --name NAME" + (f" (got {len(given)})" if given else ""),
                              hint="`livergraph queries` lists the named queries")
    if name is not None:
        from livergraph.query.engine import find_named
        nq = find_named(paths.queries, name)
        return nq.text, nq
    if query_file is not None:
        from livergraph.io.regular import read_text
        text = read_text(Path(query_file), "query file")
    elif query_text == "-":
        text = sys.stdin.read()
    else:
        text = query_text
    if not text.strip():
        raise UnreadableInput("the query is empty")
    return text, None
