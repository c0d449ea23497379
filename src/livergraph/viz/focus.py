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
from typing import Any

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from livergraph.namespaces import ID_BASE

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


# -- the neighbourhood read from the published store -------------------------------------------
#
# ``livergraph viz --focus`` used to project the whole graph and cut the neighbourhood out of it.
# On the published Oxigraph store the neighbourhood can be read directly: the records within
# ``depth`` hops (a superset of the network's hops: any record a record's own statements or its
# parts' statements point to, or that point to it), with everything the projection reads about
# them; then the same projection and the same cut (``neighbourhood``) run on that small graph and
# give the same nodes, edges and attributes as the whole-graph way.

#: a record's parts: nodes folded into it by the projection, reached by these predicates
_PART_PREDICATES = ("hasIntervention", "hasArm", "hasMeasurement", "hasComparison",
                    "hasSafetyFinding", "hasOutcome", "trialLink", "hasLocation", "hasReference",
                    "hasClaim", "hasIssue", "receives")
#: statements pointing *to* a record or part that the projection reads (registrations, issues,
#: trial links)
_INCOMING_PREDICATES = ("registrationOf", "about", "linkedTrial")
#: the record classes of the projection (viz.view._RECORD_KINDS), by kind
_RECORD_CLASSES = {"trial": ("Trial",), "study": ("PublishedStudy",),
                   "publication": ("Publication",), "sponsor": ("Organization", "Person"),
                   "source": ("RegistryRecordVersion", "SourceDocument")}


class _StoreReader:
    """Statements of a pyoxigraph store (every graph) as rdflib terms, with the kind of each
    record it has met."""

    def __init__(self, store: Any) -> None:
        import pyoxigraph as ox

        from livergraph.namespaces import LG
        self.ox = ox
        self.store = store
        self.rdf_type = ox.NamedNode(str(RDF.type))
        self.lg = {name: ox.NamedNode(str(LG[name]))
                   for name in (*_PART_PREDICATES, *_INCOMING_PREDICATES)}
        self.parts = {self.lg[name] for name in _PART_PREDICATES}
        self.classes = {ox.NamedNode(str(LG[c])): kind for kind, cs in _RECORD_CLASSES.items()
                        for c in cs}
        self._kinds: dict[Any, str | None] = {}

    def kind(self, node: Any) -> str | None:
        """The projection's kind of a record (``trial`` ...), None for anything else."""
        if node not in self._kinds:
            found = None
            if isinstance(node, self.ox.NamedNode) and node.value.startswith(ID_BASE):
                kinds = {self.classes.get(q.object)
                         for q in self.store.quads_for_pattern(node, self.rdf_type, None)}
                found = next((k for k in _RECORD_CLASSES if k in kinds), None)
            self._kinds[node] = found
        return self._kinds[node]

    def out(self, node: Any) -> list[Any]:
        return list(self.store.quads_for_pattern(node, None, None))

    def into(self, node: Any, predicates: Iterable[str]) -> list[Any]:
        return [q for p in predicates
                for q in self.store.quads_for_pattern(None, self.lg[p], node)]


def read_neighbourhood(store: Any, centres: Iterable[str], depth: int,
                       ontology_graph: str | None = None) -> Graph:
    """The part of a published store that the projection of ``centres``' ``depth``-hop
    neighbourhood reads, as an rdflib graph.

    The records within ``depth`` hops (hops from record to record, as ``neighbourhood`` walks,
    over every statement of a record or its parts that links it to another record) come with
    their parts, what points to them (registrations, issues, trial links) and the description of
    every term they use; so do the records one hop further (the border, whose presence decides
    what is drawn as an edge and what as a fact, and the leaves such as source documents), and
    the records those point to with their own statements; and the ontology (``ontology_graph``,
    its named graph) for the labels of relations and classes."""
    import pyoxigraph as ox
    r = _StoreReader(store)
    start = [ox.NamedNode(c) for c in centres]
    quads: set[Any] = set()
    described: set[Any] = set()
    full: set[Any] = set()

    def owners(node: Any, seen: set[Any]) -> set[Any]:
        """The records a part belongs to (a trial link's study, an arm's study ...)."""
        found: set[Any] = set()
        todo = [node]
        while todo:
            for q in r.into(todo.pop(), _PART_PREDICATES):
                if r.kind(q.subject) is not None:
                    found.add(q.subject)
                elif q.subject not in seen:
                    seen.add(q.subject)
                    todo.append(q.subject)
        return found

    def whole(record: Any, incoming: bool) -> tuple[set[Any], set[Any]]:
        """Load a record (or a term) with its parts; the records they point to, and (with
        ``incoming``) the records pointing to it."""
        full.add(record)
        out: set[Any] = set()
        into: set[Any] = set()
        # (node, owned): the record's own parts link it to other records; what points to it
        # (an issue about many records, a registration) is read, never walked through
        todo, seen = [(record, True)], {record}
        while todo:
            node, owned = todo.pop()
            for q in r.out(node):
                quads.add(q)
                o = q.object
                if isinstance(o, ox.Literal) or o in seen:
                    continue
                if r.kind(o) is not None:
                    if owned:
                        out.add(o)
                elif isinstance(o, ox.BlankNode) or (
                        q.predicate in r.parts and o.value.startswith(ID_BASE)):
                    seen.add(o)
                    todo.append((o, owned))         # a part (intervention, arm, issue ...)
                else:
                    described.add(o)                # a term, concept, class or value node
            if not owned:
                continue
            for q in r.into(node, _INCOMING_PREDICATES):
                if q.subject not in seen and r.kind(q.subject) is None:
                    seen.add(q.subject)
                    todo.append((q.subject, False))  # a registration, an issue, a link
        if incoming:
            for q in store.quads_for_pattern(None, None, record):
                s = q.subject
                if r.kind(s) is not None:
                    into.add(s)                     # a trial naming this sponsor ...
                elif isinstance(s, ox.NamedNode) and s.value.startswith(ID_BASE):
                    into |= owners(s, set())        # ... a study's trial link to this trial
        out.discard(record)
        into.discard(record)
        return out, into

    frontier = set(start)
    ring: set[Any] = set()      # one hop past the walk: loaded whole, not walked from
    for step in range(depth + 1):
        nxt: set[Any] = set()
        for record in sorted(frontier, key=str):
            walk = r.kind(record) in WALK_KINDS or record in start
            out, into = whole(record, incoming=walk)
            if step < depth and walk:
                nxt |= out | into
            else:
                # a term as focus is drawn by the records using it, even at depth 0
                ring |= out | {n for n in into
                               if r.kind(n) not in WALK_KINDS or r.kind(record) is None}
        frontier = nxt - full
    outer: set[Any] = set()     # two hops past: their own statements only
    for record in sorted(ring - full, key=str):
        out, _ = whole(record, incoming=False)
        outer |= out
    for record in outer - full:
        quads.update(r.out(record))
    for node in described - full:
        quads.update(r.out(node))
        for q in r.into(node, ("about",)):      # an issue about a term
            quads.update(r.out(q.subject))
            quads.add(q)
    return _to_rdflib(quads, store, ontology_graph)


def _to_rdflib(quads: Iterable[Any], store: Any, ontology_graph: str | None) -> Graph:
    """An rdflib graph of pyoxigraph quads (their graph names dropped) and of the ontology's
    named graph."""
    import pyoxigraph as ox
    g = Graph()
    terms: dict[Any, Any] = {}

    def term(t: Any) -> Any:
        found = terms.get(t)
        if found is None:
            found = terms[t] = _rdflib_term(t)
        return found
    for q in quads:
        g.add((term(q.subject), term(q.predicate), term(q.object)))
    if ontology_graph is not None:
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(ontology_graph)):
            g.add((term(q.subject), term(q.predicate), term(q.object)))
    return g


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


def _rdflib_term(t: Any) -> Any:
    """A pyoxigraph term as rdflib's, language tags in their usual case (pyoxigraph gives
    ``zh-hant``; the labels are picked by ``zh-Hant``)."""
    import pyoxigraph as ox
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if t.language:
        return Literal(t.value, lang=_tag_case(t.language))
    datatype = t.datatype.value
    if datatype == _XSD_DECIMAL:
        # Oxigraph keeps decimals in XSD 1.1's canonical form (2000000); the build writes
        # them with a decimal point (2000000.0), as the whole graph shows them
        from decimal import Decimal

        from livergraph.model.values import decimal_lexical
        return Literal(decimal_lexical(Decimal(t.value)), datatype=URIRef(datatype))
    return Literal(t.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))


def _tag_case(tag: str) -> str:
    """A BCP 47 tag in its conventional case: ``zh-hant-tw`` -> ``zh-Hant-TW``."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def store_node(store: Any, text: str) -> str | None:
    """The IRI a ``--focus`` names when it is an IRI, a CURIE or an NCT number of a resource
    the store describes; None otherwise (an exact label is looked up in the whole network)."""
    import re

    import pyoxigraph as ox

    from livergraph.namespaces import expand_curie, record_iri
    text = text.strip()
    candidates = [text] if re.match(r"https?://", text) else []
    iri = expand_curie(text)
    if iri is not None:
        candidates.append(str(iri))
    if re.fullmatch(r"NCT\d{8}", text):
        candidates.append(str(record_iri("trial", text)))
    for candidate in candidates:
        node = ox.NamedNode(candidate)
        if next(iter(store.quads_for_pattern(node, None, None)), None) is not None:
            return candidate
    return None


def draw_focus(kg: Any, focus: Iterable[str], depth: int, *, lang: str = "en",
               report_link: str | None = None) -> Any:
    """``livergraph viz --focus`` read from the published store of ``kg`` (a
    ``livergraph.api.KnowledgeGraph``): the same page as ``viz.draw.draw`` on the whole graph,
    without loading it. None when a focus is not an IRI, CURIE or NCT number the store knows
    (an exact label): then draw from the whole graph."""
    iris = [store_node(kg.store, text) for text in focus]
    if not iris or any(i is None for i in iris):
        return None
    ontology = next((iri for iri, part in kg.manifest.get("graphs", {}).items()
                     if part == "ontology"), None)
    from livergraph.viz.draw import draw
    sub = read_neighbourhood(kg.store, [i for i in iris if i is not None], depth, ontology)
    return draw(sub, lang=lang, focus=[i for i in iris if i is not None], depth=depth,
                report_link=report_link)
