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
@click.option("--columns", metavar="A,B,C", default=None,
              help="Only these columns of a SELECT answer, in this order (an unknown name is "
                   "an error that lists the columns there are).")
@click.option("--ids", is_flag=True,
              help="Show IRIs as CURIEs (trial:NCT01220492) rather than labels, in the "
                   "spreadsheet outputs (.xlsx, --excel, --columns).")
@click.option("--excel", is_flag=True,
              help="CSV for Excel: labels instead of IRIs and a UTF-8 byte-order mark, so "
                   "Chinese text opens correctly. `-o answer.xlsx` writes a real workbook.")
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
    livergraph query -f my-question.rq --format csv > answer.csv
    livergraph query --name recruiting-umbilical-cord-trials
    livergraph query --name study-outcome-table -o outcomes.xlsx --lang zh
    livergraph query --name trials-by-sponsor --excel -o sponsors.csv
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
    from livergraph.publish.scopes import declared_scope
    given, scope = scope, scope or (declared_scope(text, name) if name else None)
    sheet = None           # a spreadsheet-style answer: xlsx, or CSV/TSV/table with labels
    if output is not None and output.suffix.lower() == ".xlsx":
        sheet = "xlsx"
    elif output is not None and \
            ctx.get_parameter_source("fmt") is click.core.ParameterSource.DEFAULT:
        from livergraph.io.tables import format_for_path
        from livergraph.query.engine import SUFFIX_FORMATS, format_for_output
        if output.suffix.lower() not in SUFFIX_FORMATS:
            format_for_path(output, sorted(set(SUFFIX_FORMATS.values())) + ["xlsx"])  # refuses
        fmt = format_for_output(output, text) or fmt
    if sheet is None and (excel or columns or ids):
        sheet = "csv" if excel and fmt == "table" else fmt
    if sheet is not None and sheet not in ("xlsx", "csv", "tsv", "table"):
        from livergraph.errors import UnreadableInput
        raise UnreadableInput(f"--columns, --ids and --excel give a table, CSV, TSV or .xlsx, "
                              f"not {sheet}", hint="leave out --format, or use --format csv")
    bound = None
    if params:
        from livergraph.query.engine import parse_param_options
        bound = parse_param_options(params)
    if endpoint and given not in (None, "union"):   # a named query's own scope: ignored
        from livergraph.errors import UnreadableInput
        raise UnreadableInput(f"--scope {given} applies to the local graph, not to --endpoint",
                              hint="leave out --scope (or --endpoint)")
    if endpoint:
        from livergraph.namespaces import PREFIXES
        from livergraph.query.endpoint import run_endpoint
        from livergraph.query.engine import bind_params
        if bound:
            text = bind_params(text, bound, dict(PREFIXES), declared)
        answer = run_endpoint(endpoint, text, dict(PREFIXES), fmt=fmt, lang=lang,
                              allow_service=allow_service, timeout=timeout)
    elif sheet is not None:
        kg = open_graph(root, data_dir, build_dir, no_rebuild, rebuild=rebuild)
        _write_sheet(kg, text, bound, declared, sheet, lang=lang, ids=ids, excel=excel,
                     columns=columns, output=output, scope=scope)
        return
    else:
        kg = open_graph(root, data_dir, build_dir, no_rebuild, rebuild=rebuild)
        answer = kg.answer(text, fmt=fmt, lang=lang, params=bound, declared=declared,
                           engine=engine, allow_service=allow_service, timeout=timeout,
                           scope=scope)
    if output is not None:
        from livergraph.io.atomic import write_atomic
        write_atomic(output, lambda h: h.write(answer.data.decode("utf-8")))
    else:
        click.echo(answer.data, nl=False)
    if answer.boolean is False:
        ctx.exit(1)


def _write_sheet(kg, text, bound, declared, sheet, *, lang, ids, excel, columns, output,
                 scope=None):
    """A SELECT answer with labels, as .xlsx, CSV/TSV (BOM with --excel) or a fitted table."""
    from livergraph.errors import UnreadableInput
    from livergraph.query.checks import bind_params
    from livergraph.query.sheets import display, sheet_bytes
    if bound:
        text = bind_params(text, bound, kg.prefixes, declared)
    rows = kg.query(text, scope=scope)
    if getattr(rows, "boolean", None) is not None or not rows.columns:
        raise UnreadableInput("a spreadsheet needs a SELECT query",
                              hint="leave out -o FILE.xlsx, --excel, --columns and --ids")
    wanted = [c.strip() for c in columns.split(",") if c.strip()] if columns else None
    names, cells = display(rows, kg.store, lang=lang, ids=ids, columns=wanted)
    if sheet == "table":
        from livergraph.io.tables import to_terminal
        data = to_terminal(names, cells).encode("utf-8")
    else:
        data = sheet_bytes(sheet, names, cells, excel=excel)
    if output is None:
        if sheet == "xlsx":
            raise UnreadableInput("an .xlsx workbook is written to a file", hint="add -o FILE.xlsx")
        sys.stdout.buffer.write(data)
        return
    from livergraph.io.atomic import write_bytes
    write_bytes(output, data)
    click.echo(f"wrote {output}: {len(cells)} row(s), {len(names)} column(s)", err=True)


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
