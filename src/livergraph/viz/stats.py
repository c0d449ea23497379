"""What the network holds: counts by class and kind, connected components, and hubs by degree
and betweenness centrality (``livergraph stats``).

Centrality and components run on the *domain network*: the projection without source
documents, since every record links to the article it was read from and that one hub would
otherwise dominate every path.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from livergraph.namespaces import ID_BASE
from livergraph.viz.styles import KINDS, PROVENANCE_KINDS
from livergraph.viz.text import curie


def domain_network(G: nx.MultiDiGraph) -> nx.Graph:
    """An undirected simple graph of ``G`` without provenance nodes (a new graph)."""
    H = nx.Graph()
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True)
                     if d.get("kind") not in PROVENANCE_KINDS)
    H.add_edges_from((u, v) for u, v in G.edges() if u in H and v in H and u != v)
    return H


def counts_by_class(rdf_graph: Graph) -> Counter[str]:
    """Instances of each class among the data records (IRIs under the livergraph id space),
    keyed by the class CURIE; classes outside livergraph's ontology are counted too."""
    counts: Counter[str] = Counter()
    for s, cls in rdf_graph.subject_objects(RDF.type):
        if isinstance(s, URIRef) and str(s).startswith(ID_BASE):
            counts[curie(cls)] += 1
    return counts


@dataclass
class Hub:
    node: str
    label: str
    kind: str
    degree: int
    betweenness: float


@dataclass
class NetworkStats:
    nodes: int
    edges: int
    by_kind: dict[str, int]
    by_relation: dict[str, int]
    by_status: dict[str, int]
    components: list[int]              # sizes of the domain network's components, largest first
    hubs: dict[str, list[Hub]]         # kind -> top nodes by degree, then betweenness
    top_betweenness: list[Hub]


HUB_KINDS = ("sponsor", "cell-type", "tissue", "condition", "route", "outcome")


def network_stats(G: nx.MultiDiGraph, top: int = 5) -> NetworkStats:
    """Counts, components and centrality hubs of the projected network."""
    H = domain_network(G)
    betweenness = nx.betweenness_centrality(H, normalized=True) if len(H) > 2 else {
        n: 0.0 for n in H}
    degree = dict(H.degree())

    def hub(n: str) -> Hub:
        d = G.nodes[n]
        return Hub(n, d.get("label", n), d.get("kind", ""), degree.get(n, 0),
                   round(betweenness.get(n, 0.0), 4))

    hubs = {}
    for kind in HUB_KINDS:
        members = [n for n in H if H.nodes[n].get("kind") == kind]
        members.sort(key=lambda n: (-degree[n], -betweenness[n], G.nodes[n].get("label", n)))
        if members:
            hubs[kind] = [hub(n) for n in members[:top]]
    ranked = sorted(H, key=lambda n: (-betweenness[n], -degree[n], G.nodes[n].get("label", n)))
    by_kind = Counter(d.get("kind") for _, d in G.nodes(data=True))
    by_relation = Counter(k for _, _, k in G.edges(keys=True))
    by_status = Counter(d.get("status") for _, d in G.nodes(data=True)
                        if d.get("kind") == "trial")
    components = sorted((len(c) for c in nx.connected_components(H)), reverse=True)
    return NetworkStats(
        nodes=G.number_of_nodes(), edges=G.number_of_edges(),
        by_kind={k: by_kind[k] for k in KINDS if by_kind[k]},
        by_relation=dict(sorted(by_relation.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_status=dict(sorted(by_status.items(), key=lambda kv: (-kv[1], kv[0]))),
        components=components, hubs=hubs, top_betweenness=[hub(n) for n in ranked[:top]])