from __future__ import annotations

import sys
from pathlib import Path

import click

from livergraph.cli.options import graph_source_options, lang_option, open_graph


def graph_options(f):
    """--root / --data / --build-dir / --no-rebuild / --graph / --lang, shared by viz and stats."""
    f = lang_option("Language of labels")(f)
    f = click.option("--graph", "graph_file", type=click.Path(dir_okay=False, path_type=Path),
                     default=None, help="Read a graph from this Turtle file instead of the "
                                        "published build.")(f)
    return graph_source_options(f)


def load_graph(root, data_dir, graph_file, build_dir=None, no_rebuild=False):
    """The RDF graph: parsed from --graph, else the published build's (rebuilt when stale)."""
    if graph_file is not None:
        from rdflib import Graph

        from livergraph.errors import UnreadableInput
        if not graph_file.is_file():
            raise UnreadableInput("no such file", file=str(graph_file),
                                  hint="run `livergraph build` first, or leave out --graph")
        try:
            return Graph().parse(graph_file, format="turtle")
        except Exception as exc:  # rdflib raises many kinds for a bad file
            raise UnreadableInput(f"not readable as Turtle: {exc}", file=str(graph_file),
                                  hint="pass a file written by `livergraph build`") from None
    return open_graph(root, data_dir, build_dir, no_rebuild).graph


def construct_subgraph(rdf_graph, query: str):
    """Run a CONSTRUCT (or DESCRIBE) query; the result graph. Exit 2 for anything else."""
    from livergraph.errors import UnreadableInput
    from livergraph.namespaces import PREFIXES
    text = query
    candidate = Path(query)
    if "\n" not in query and len(query) < 4096 and candidate.suffix == ".rq" \
            and candidate.is_file():
        text = candidate.read_text(encoding="utf-8")
    try:
        result = rdf_graph.query(text, initNs=PREFIXES)
    except Exception as exc:
        raise UnreadableInput(f"the query does not parse or run: {exc}",
                              hint="write a SPARQL CONSTRUCT query; the prefixes lg:, lgc:, "
                                   "trial: ... are predeclared") from None
    if result.type not in ("CONSTRUCT", "DESCRIBE"):
        raise UnreadableInput(f"--query needs a CONSTRUCT or DESCRIBE query, not {result.type}",
                              hint="CONSTRUCT { ?t lg:leadSponsor ?s } WHERE "
                                   "{ ?t lg:leadSponsor ?s }")
    return result.graph


def select_nodes(projection, subgraph) -> set[str]:
    """The network nodes a query result mentions (collapsed resources count for their owner)."""
    from rdflib import URIRef
    chosen = set()
    for triple in subgraph:
        for term in triple:
            if isinstance(term, URIRef):
                node = projection.node_for(term)
                if node is not None:
                    chosen.add(node)
    return chosen


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
def command(root, data_dir, build_dir, no_rebuild, graph_file, lang, output, open_page, focus,
            depth, query):
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
    """
    from livergraph.errors import DataError, UnreadableInput
    from livergraph.viz.page import render_html
    from livergraph.viz.view import KINDS, find_node, kind_name, neighbourhood, project

    rdf_graph = load_graph(root, data_dir, graph_file, build_dir, no_rebuild)
    projection = project(rdf_graph, lang)
    G = projection.graph
    heading = "livergraph"
    if query:
        chosen = select_nodes(projection, construct_subgraph(rdf_graph, query))
        if not chosen:
            raise DataError("the query's result mentions no trial, study, organization, "
                            "publication or term of the network",
                            hint="CONSTRUCT triples about records such as ?trial or ?sponsor")
        G = G.subgraph(chosen).copy()
        heading += " · query"
    if focus:
        centres = []
        for text in focus:
            node = find_node(G, text)
            if node is None:
                raise UnreadableInput(f"--focus {text!r} is not a node of the graph",
                                      hint="give an NCT number (NCT01220492), a CURIE "
                                           "(org:beijing-302-hospital) or an exact label")
            centres.append(node)
        G = G.subgraph(neighbourhood(G, centres, depth)).copy()
        heading += " · " + ", ".join(G.nodes[c]["label"] for c in centres) + f" (±{depth})"
    kind_names = {k: kind_name(k, lang, rdf_graph) for k in KINDS}
    page = render_html(G, lang=lang, heading=heading, kind_names=kind_names)
    if str(output) == "-":
        sys.stdout.write(page)
        return
    from livergraph.io.atomic import write_atomic
    write_atomic(output, lambda h: h.write(page))
    click.echo(f"wrote {output}: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges",
               err=False)
    if open_page:
        click.launch(output.resolve().as_uri())
