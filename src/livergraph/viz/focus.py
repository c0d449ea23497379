"""Finding a node and the neighbourhood around it (``livergraph viz --focus``).

What a reader means by "the trials around this one" is the records linked to it, not every
trial that shares a hub with it: nearly every trial has the condition "liver cirrhosis", most
use mesenchymal stem cells and many are given intravenously, so a walk through those terms
reaches almost the whole graph in two hops. The rule:

* a hop follows an edge between two *records*: trials, published studies, publications and
  sponsors or institutions (a trial and the study reporting it, a study and its paper, a trial
  and its sponsor, the sponsor and its other trials);
* terms (cell types, tissues, conditions, routes, outcome measures) and source documents are
  shown next to every record reached, as leaves, but a walk never passes through them;
* a focus that is itself a term starts the walk: ``--focus CL:0000134 --depth 1`` shows the
  records using that cell type.

So ``--depth 1`` is the focus with its sponsor, studies and papers; ``--depth 2`` adds the
sponsor's other trials and the other trials a study reports.
"""
from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

#: kinds a neighbourhood walk passes through (records); every other kind is a leaf
WALK_KINDS = frozenset({"trial", "study", "publication", "sponsor"})


def neighbourhood(G: nx.MultiDiGraph, centres: Iterable[str], depth: int) -> set[str]:
    """The nodes within ``depth`` record-to-record hops of ``centres`` (edges in either
    direction), with the terms and source documents of every record reached (see the module
    docstring)."""
    undirected = G.to_undirected(as_view=True)
    start = set(centres)
    seen = set(start)
    frontier = sorted(start)
    for _ in range(depth):
        nxt = []
        for node in frontier:
            for other in sorted(undirected.neighbors(node)):
                if other not in seen and G.nodes[other].get("kind") in WALK_KINDS:
                    seen.add(other)
                    nxt.append(other)
        frontier = nxt
    if depth == 0:
        return seen
    for node in list(seen):
        if G.nodes[node].get("kind") in WALK_KINDS or node in start:
            seen.update(o for o in undirected.neighbors(node)
                        if G.nodes[o].get("kind") not in WALK_KINDS)
    return seen


def find_node(G: nx.MultiDiGraph, text: str) -> str | None:
    """A node by IRI, CURIE (trial:NCT…), NCT number or exact label (case-insensitive, and
    traditional and simplified Chinese alike)."""
    if text in G:
        return text
    from livergraph.io.chinese import search_key
    from livergraph.namespaces import expand_curie
    iri = expand_curie(text)
    if iri is not None and str(iri) in G:
        return str(iri)
    wanted = search_key(text.strip())
    matches = sorted(n for n, d in G.nodes(data=True)
                     if search_key(str(d.get("label", ""))) == wanted
                     or wanted in (search_key(str(a)) for a in d.get("aliases", ())))
    return matches[0] if matches else None
