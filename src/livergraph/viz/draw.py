"""``livergraph viz`` as one call: the network of a built graph, narrowed to what a SPARQL
CONSTRUCT query selects and/or to the neighbourhood of focus nodes, drawn as one page."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from livergraph.viz.focus import find_node, neighbourhood
from livergraph.viz.network_view import NetworkView, project_view
from livergraph.viz.page import render_html

if TYPE_CHECKING:
    from rdflib import Graph

    from livergraph.viz.view import Projection


@dataclass
class Drawing:
    """The page and the network it draws."""
    page: str
    graph: nx.MultiDiGraph
    focus: list[str]


def construct_subgraph(rdf_graph: Graph, query: str) -> Graph:
    """Run a CONSTRUCT (or DESCRIBE) query (its text, or a .rq file); the result graph.
    Exit 2 for anything else."""
    from livergraph.errors import UnreadableInput
    from livergraph.namespaces import PREFIXES
    text = query
    candidate = Path(query)
    if "\n" not in query and len(query) < 4096 and candidate.suffix == ".rq" \
            and candidate.is_file():
        text = candidate.read_text(encoding="utf-8")
    from livergraph.query.checks import (QueryError, check_nesting, offline_sparql,
                                         refuse_service)
    try:
        check_nesting(text)
        refuse_service(text, PREFIXES)
    except QueryError as exc:
        raise UnreadableInput(exc.message, hint=exc.hint if "SERVICE" not in exc.message else
                              "viz --query runs on the local graph only; remove the SERVICE "
                              "clause") from None
    offline_sparql()
    try:
        result = rdf_graph.query(text, initNs=PREFIXES)
    except Exception as exc:  # noqa: BLE001 - rdflib raises many kinds for a bad query
        raise UnreadableInput(f"the query does not parse or run: {exc}",
                              hint="write a SPARQL CONSTRUCT query; the prefixes lg:, lgc:, "
                                   "trial: ... are predeclared") from None
    if result.type not in ("CONSTRUCT", "DESCRIBE") or result.graph is None:
        raise UnreadableInput(f"--query needs a CONSTRUCT or DESCRIBE query, not {result.type}",
                              hint="CONSTRUCT { ?t lg:leadSponsor ?s } WHERE "
                                   "{ ?t lg:leadSponsor ?s }")
    return result.graph


def select_nodes(projection: Projection, subgraph: Graph) -> set[str]:
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


def draw(rdf_graph: Graph, *, lang: str = "en", focus: Iterable[str] = (), depth: int = 2,
         query: str | None = None, report_link: str | None = None,
         sources: dict[str, list[str]] | None = None) -> Drawing:
    """The page of ``rdf_graph``'s network: only what ``query`` (a CONSTRUCT) mentions, only
    the ``depth``-hop neighbourhood of ``focus`` (NCT numbers, CURIEs, IRIs or exact labels;
    see :mod:`livergraph.viz.focus` for what a hop is), with a link to ``report_link``.
    ``sources`` (record IRI -> the sources stating it) adds a "source graph" line to each
    node's panel."""
    return draw_view(project_view(rdf_graph, lang), rdf_graph=lambda: rdf_graph, lang=lang,
                     focus=focus, depth=depth, query=query, report_link=report_link,
                     sources=sources)


def draw_view(view: NetworkView, *, rdf_graph: Callable[[], Graph] | None = None,
              lang: str = "en", focus: Iterable[str] = (), depth: int = 2,
              query: str | None = None, report_link: str | None = None,
              sources: dict[str, list[str]] | None = None) -> Drawing:
    """:func:`draw` from a network already projected (:mod:`livergraph.viz.network_view`);
    ``rdf_graph`` gives the RDF graph it was projected from, needed (and called) only to run
    ``query``; ``sources`` as in :func:`draw`."""
    from livergraph.errors import DataError, UnreadableInput

    G = view.graph
    if sources:      # a copy: the view may be shared (kept in the build)
        G = G.copy()
        word = "來源圖" if lang.startswith("zh") else "source graph"
        for node, data in G.nodes(data=True):
            if node in sources:
                data["facts"] = [*data.get("facts", ()), (word, ", ".join(sources[node]))]
    heading = "livergraph"
    if query:
        if rdf_graph is None:
            raise ValueError("a query needs the RDF graph")
        chosen = select_nodes(view.projection(), construct_subgraph(rdf_graph(), query))
        if not chosen:
            raise DataError("the query's result mentions no trial, study, organization, "
                            "publication or term of the network",
                            hint="CONSTRUCT triples about records such as ?trial or ?sponsor")
        G = G.subgraph(chosen).copy()
        heading += " · query"
    centres: list[str] = []
    for text in focus:
        node = find_node(G, text)
        if node is None:
            raise UnreadableInput(f"--focus {text!r} is not a node of the graph",
                                  hint="give an NCT number (NCT01220492), a CURIE "
                                       "(org:beijing-302-hospital) or an exact label")
        centres.append(node)
    if centres:
        G = G.subgraph(neighbourhood(G, centres, depth)).copy()
        heading += " · " + ", ".join(G.nodes[c]["label"] for c in centres) + f" (±{depth})"
    page = render_html(G, lang=lang, heading=heading, kind_names=dict(view.kind_names),
                       focus=centres, report_link=report_link)
    return Drawing(page, G, centres)
