from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from livergraph.cli.options import (
    current_scope,
    graph_source_options,
    lang_option,
    open_graph,
    scope_option,
)


def graph_options(f):
    """--root / --data / --build-dir / --no-rebuild / --graph / --lang / --scope, shared by viz,
    stats and the evidence commands (effects, report, meta)."""
    f = scope_option("Which sources to read: article (the seed article's curated facts), "
                     "registry (the registry imports), all or union (everything; the "
                     "default).", expose=False)(f)
    f = lang_option("Language of labels")(f)
    f = click.option("--graph", "graph_file", type=click.Path(dir_okay=False, path_type=Path),
                     default=None, help="Read a graph from this Turtle file instead of the "
                                        "published build.")(f)
    return graph_source_options(f)


def load_graph(root, data_dir, graph_file, build_dir=None, no_rebuild=False):
    """The RDF graph: parsed from --graph, else the published build's (rebuilt when stale),
    narrowed to the sources of --scope."""
    scope = current_scope()
    if graph_file is not None:
        from rdflib import Graph

        from livergraph.errors import UnreadableInput
        if scope in ("article", "registry"):
            raise UnreadableInput(f"--scope {scope} needs the published build's named graphs; "
                                  "a --graph file has none", file=str(graph_file),
                                  hint="leave out --graph, or --scope")
        if not graph_file.is_file():
            raise UnreadableInput("no such file", file=str(graph_file),
                                  hint="run `livergraph build` first, or leave out --graph")
        try:
            return Graph().parse(graph_file, format="turtle")
        except Exception as exc:  # rdflib raises many kinds for a bad file
            raise UnreadableInput(f"not readable as Turtle: {exc}", file=str(graph_file),
                                  hint="pass a file written by `livergraph build`") from None
    return open_graph(root, data_dir, build_dir, no_rebuild).graph_for(scope)


@click.command("viz")
@graph_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("livergraph.html"), show_default=True,
              help="HTML file to write ('-' for standard output).")
@click.option("--open", "open_page", is_flag=True, help="Open the page in the web browser.")
@click.option("--focus", multiple=True, metavar="NCT…",
              help="Show only this node and its neighbourhood: an NCT number, a CURIE "
                   "(study:…, org:…), an IRI or an exact label. Repeatable.")
@click.option("--depth", type=click.IntRange(0, 10), default=2, show_default=True,
              help="Hops around --focus.")
@click.option("--query", metavar="'CONSTRUCT …'",
              help="Show only what a SPARQL CONSTRUCT query selects (text, or a .rq file): the "
                   "records and terms its result mentions, and the relations among them.")
@click.option("--report-link", metavar="PATH|URL", default=None,
              help="Link the page to the evidence report (e.g. report.html, as written by "
                   "`livergraph report`): a path relative to the page, or an http(s) URL.")
def command(root, data_dir, build_dir, no_rebuild, graph_file, lang, output, open_page, focus,
            depth, query, report_link):
    """Draw the graph as one interactive HTML page that works offline.

    Trials, studies, sponsors, cell sources, conditions, routes, outcome measures and
    publications are nodes of distinct colours and shapes (trials coloured by status);
    measurements are summarised on the study-to-outcome edges. In the page: hover or click a
    node for its facts and links (ClinicalTrials.gov, DOI), search by NCT number or name,
    filter by kind, status, cell source and sponsor, toggle physics. Every script is inlined:
    the file needs no network and no other file.

    \b
    livergraph viz -o livergraph.html --open
    livergraph viz --focus NCT01220492 --depth 2
    livergraph viz --query 'CONSTRUCT { ?t lg:leadSponsor ?s } WHERE { ?t lg:leadSponsor ?s }'
    livergraph viz --report-link report.html

    With --focus, a hop goes from record to record (trial, study, publication, sponsor); shared
    terms such as a condition or a cell type are shown but never walked through. The focus is
    selected and centred in the page.
    """
    for value in focus:
        if not _is_text(value):
            from livergraph.errors import UnreadableInput
            raise UnreadableInput(f"--focus {value!r} holds bytes that are not UTF-8 text",
                                  hint="give an NCT number, a record id or a name")
    options = {"lang": lang, "focus": focus, "depth": depth, "query": query,
               "report_link": report_link}
    if graph_file is not None:
        from livergraph.viz.draw import draw
        drawing = draw(load_graph(root, data_dir, graph_file), **options)
    else:   # the published build's network, projected once per build, language and scope
        from livergraph.viz.draw import draw_view
        kg = open_graph(root, data_dir, build_dir, no_rebuild)
        scope = current_scope()
        sources = kg.sources_of() if len(kg.manifest.get("sources", {})) > 1 else None
        drawing = None
        from livergraph.viz.network_view import kept_view
        if focus and not query and scope in (None, "union") and sources is None and \
                kept_view(kg.directory, lang) is None:
            # only the neighbourhood, read from the store (at scale, loading and projecting
            # the whole graph is slow); a network already kept in the build is quicker still
            from livergraph.viz.focus import draw_focus
            drawing = draw_focus(kg, focus, depth, lang=lang, report_link=report_link)
        if drawing is None:
            drawing = draw_view(kg.network_view(lang, scope=scope),
                                rdf_graph=lambda: kg.graph_for(scope), sources=sources,
                                **options)
    page = drawing.page
    G = drawing.graph
    if str(output) == "-":
        sys.stdout.write(page)
        return
    from livergraph.io.atomic import write_atomic
    write_atomic(output, lambda h: h.write(page))
    # a file name that is not UTF-8 (undecodable bytes from the shell) is shown with U+FFFD
    shown = os.fsencode(str(output)).decode("utf-8", "replace")
    click.echo(f"wrote {shown}: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges",
               err=False)
    if open_page:
        click.launch(output.resolve().as_uri())


def _is_text(value: str) -> bool:
    """Whether ``value`` is valid Unicode text (no lone surrogates from undecodable bytes)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
