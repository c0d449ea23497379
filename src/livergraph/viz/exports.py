"""The network written for other tools: GraphML (Gephi, Cytoscape, yEd) and GEXF (Gephi)."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import networkx as nx
from rdflib import Graph


def exportable(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy holding only the scalar attributes GraphML and GEXF can store."""
    H = nx.MultiDiGraph()
    for node, data in G.nodes(data=True):
        attrs: dict[str, Any] = {k: v for k, v in data.items() if isinstance(v, (str, int, float, bool))}
        attrs["facts"] = "\n".join(f"{k}: {v}" for k, v in data.get("facts", ()))
        attrs["links"] = " ".join(url for _, url in data.get("links", ()))
        H.add_node(node, **attrs)
    for u, v, k, data in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=k, **{a: b for a, b in data.items()
                                   if isinstance(b, (str, int, float, bool))})
    return H


def _write_lines(out_path: str | Path, lines: Iterable[str]) -> None:
    from livergraph.io.atomic import write_atomic

    def writer(handle: IO[str]) -> None:
        for line in lines:
            handle.write(line if line.endswith("\n") else line + "\n")
    write_atomic(Path(out_path), writer)


def write_graphml(rdf_graph: Graph, out_path: str | Path, lang: str = "en") -> nx.MultiDiGraph:
    """Write the network as GraphML (Gephi, Cytoscape, yEd) with node ``kind`` and ``label``
    attributes; atomically. Returns the graph written."""
    from livergraph.viz.view import to_networkx
    H = exportable(to_networkx(rdf_graph, lang))
    _write_lines(out_path, nx.generate_graphml(H, encoding="utf-8", prettyprint=True))
    return H


def write_gexf(rdf_graph: Graph, out_path: str | Path, lang: str = "en") -> nx.MultiDiGraph:
    """Write the network as GEXF 1.2 (Gephi) with node ``kind`` and ``label`` attributes;
    atomically. Returns the graph written."""
    from livergraph.viz.view import to_networkx
    H = exportable(to_networkx(rdf_graph, lang))
    _write_lines(out_path, nx.generate_gexf(H, encoding="utf-8", prettyprint=True,
                                            version="1.2draft"))
    return H

