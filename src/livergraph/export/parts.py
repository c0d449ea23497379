"""The built graph split into the named graphs TriG, N-Quads and the published store keep apart.

* the default graph: the dataset description (VoID / DCAT, ``model.description``), with one
  ``void:subset`` per source graph (its source, retrieval date and triple count);
* ``https://w3id.org/livergraph/graph/<version>/ontology``: the ontology;
* ``…/<version>/article``: the statements built from the article's curated records (every file
  under ``data/`` except ``data/registry/``);
* ``…/<version>/registry/clinicaltrials.gov`` and ``…/registry/ictrp``: the statements built from
  each registry import's records (``data/registry/``), when there are any;
* ``…/<version>/inferred/article``, ``…/inferred/registry/<register>``: what the reasoner and
  the ontology's alignments inferred about each source's records.

A statement belongs to the source whose record file emitted it (``BuildResult.sources``), not
to whatever its IRI looks like: a curated trial and its imported supplement each state
``trial:NCT… a lg:Trial``, so that statement is in both graphs. Statements no record emitted
(derived values such as effect estimates, labels in another script, the labels of external
terms, inferred statements) belong to the sources of what they are derived from: the sources
whose records state their subject; else those of the records their subject links to; else those
whose records link to their subject (an external term's label goes with every source using the
term); else the article.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from dataclasses import dataclass, field

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF

from livergraph.model.description import describe_sources, graph_iri, is_description_subject
from livergraph.model.sources import ARTICLE, SOURCES, graph_path, inferred_path
from livergraph.namespaces import LG

#: a statement (subject, predicate, object)
Triple = tuple[Any, Any, Any]


@dataclass
class Parts:
    """The built graph split into its named graphs (see the module docstring)."""

    version: str
    description: Graph = field(default_factory=Graph)
    ontology: Graph = field(default_factory=Graph)
    #: source name (``model.sources``) -> the statements of its records
    sources: dict[str, Graph] = field(default_factory=dict)
    #: source name -> the statements inferred about its records
    inferred_by: dict[str, Graph] = field(default_factory=dict)

    def source(self, name: str) -> Graph:
        """The statements of source ``name`` (an empty graph, kept, when it has none yet)."""
        return self.sources.setdefault(name, Graph())

    def inferred_of(self, name: str) -> Graph:
        return self.inferred_by.setdefault(name, Graph())

    @property
    def data(self) -> Graph:
        """Every source's statements (the article's graph itself when it is the only one)."""
        present = [g for g in self.sources.values() if len(g)]
        if len(present) == 1 and ARTICLE in self.sources and present[0] is self.sources[ARTICLE]:
            return present[0]
        return _union(present)

    @property
    def inferred(self) -> Graph:
        """Every inferred statement, whatever its source."""
        present = [g for g in self.inferred_by.values() if len(g)]
        return present[0] if len(present) == 1 else _union(present)

    def graph_name(self, path: str) -> URIRef:
        """``…/graph/<version>/<path>``: ``ontology``, ``article``, ``registry/ictrp``, …"""
        return URIRef(f"{graph_iri(self.version)}/{path}")

    def source_names(self) -> list[str]:
        """The sources with statements, in ``SOURCES`` order."""
        return [s for s in _ordered(self.sources) if len(self.sources[s])]

    def named(self) -> list[tuple[URIRef, Graph]]:
        """(graph IRI, graph) for every non-empty named graph, in a fixed order."""
        found = [(self.graph_name("ontology"), self.ontology)] if len(self.ontology) else []
        found += [(self.graph_name(graph_path(s)), self.sources[s])
                  for s in _ordered(self.sources) if len(self.sources[s])]
        found += [(self.graph_name(inferred_path(s)), self.inferred_by[s])
                  for s in _ordered(self.inferred_by) if len(self.inferred_by[s])]
        return found

    def graph_names(self) -> dict[str, str]:
        """Graph IRI -> what it holds (``ontology``, ``article``, ``inferred/article``, …)."""
        found = {str(self.graph_name("ontology")): "ontology"}
        found.update({str(self.graph_name(graph_path(s))): graph_path(s)
                      for s in _ordered(self.sources)})
        found.update({str(self.graph_name(inferred_path(s))): inferred_path(s)
                      for s in _ordered(self.inferred_by)})
        return found

    def merged(self) -> Graph:
        return _union([self.description, self.ontology, *self.sources.values(),
                       *self.inferred_by.values()])

    def scoped(self, sources: Iterable[str]) -> Parts:
        """These parts with only the statements of ``sources`` (and what was inferred about
        them) and the ontology; the description keeps the subsets of those sources, and its
        triple count counts what is kept."""
        from livergraph.model.description import VOID, set_triple_count
        wanted = set(sources)
        kept = Parts(self.version, Graph(), self.ontology,
                     {s: g for s, g in self.sources.items() if s in wanted},
                     {s: g for s, g in self.inferred_by.items() if s in wanted})
        dropped = {self.graph_name(graph_path(s)) for s in self.sources if s not in wanted}
        for t in self.description:
            if t[0] not in dropped and not (t[1] == VOID.subset and t[2] in dropped):
                kept.description.add(t)
        set_triple_count(kept.description,
                         len(kept.description) + sum(len(g) for _, g in kept.named()))
        return kept

    def graph(self) -> Graph:
        """The ontology, every source's statements and what was inferred about them, as one
        graph (the description left out)."""
        return _union([self.ontology, *self.sources.values(), *self.inferred_by.values()])


def _ordered(graphs: dict[str, Graph]) -> list[str]:
    return sorted(graphs, key=lambda s: (SOURCES.index(s) if s in SOURCES else len(SOURCES), s))


def _union(graphs: list[Graph]) -> Graph:
    g = Graph(bind_namespaces="none")
    for part in graphs:
        for t in part:
            g.add(t)
    return g


def split(graph: Graph, ontology: Graph, *, version: str, inferred: Graph | None = None,
          sources: dict[str, set[Triple]] | None = None) -> Parts:
    """Split a built ``graph`` into the description (nodes typed void:Dataset / dcat:Dataset),
    the ontology (statements of ``ontology``; blank nodes occur only in its axioms), the
    inferred statements (the reasoner's, marked ``?x lg:inferredType C``: that statement and
    ``?x rdf:type C``; see livergraph.reason; and the schema.org/PROV statements the ontology's
    alignments entail, see livergraph.reason.alignments) and the data (the rest), each of the
    last two by source (``sources``: ``BuildResult.sources``; without it every statement is the
    article's). The statements of ``inferred`` that ``graph`` does not hold are added to the
    inferred part. The description gets a ``void:subset`` for every source graph."""
    parts = Parts(version)
    onto = {t for t in ontology if not any(isinstance(x, BNode) for x in t)}
    described = {s for s in graph.subjects(RDF.type, None) if is_description_subject(graph, s)}
    marked: set[Triple] = set()      # the reasoner's types: (x lg:inferredType C) and (x rdf:type C)
    for x, _, c in graph.triples((None, LG.inferredType, None)):
        marked |= {(x, LG.inferredType, c), (x, RDF.type, c)}
    from livergraph.reason.alignments import entailed_all
    marked |= entailed_all(graph, ontology)   # schema.org / PROV statements the alignments entail
    data: list[Triple] = []
    inferences: list[Triple] = []
    for t in graph:
        if t[0] in described:
            parts.description.add(t)
        elif t in onto or any(isinstance(x, BNode) for x in t):
            parts.ontology.add(t)
        elif t in marked:
            inferences.append(t)
        else:
            data.append(t)
    for t in inferred if inferred is not None else ():
        if t not in graph and not any(isinstance(x, BNode) for x in t):
            inferences.append(t)
    if not sources or set(sources) == {ARTICLE}:
        _fill(parts.source(ARTICLE), data)
        _fill(parts.inferred_of(ARTICLE), inferences)
    else:
        _attribute(parts, data, inferences, sources)
    describe_sources(parts.description, version,
                     [(s, parts.graph_name(graph_path(s)), parts.sources[s])
                      for s in parts.source_names()])
    return parts


def _fill(graph: Graph, triples: list[Triple]) -> None:
    graph.addN((s, p, o, graph) for s, p, o in triples)


def _attribute(parts: Parts, data: list[Triple], inferences: list[Triple],
               sources: dict[str, set[Triple]]) -> None:
    """Place each statement in the graphs of its sources (see the module docstring)."""
    names = _ordered({s: Graph() for s in sources})
    of_subject: dict[Any, set[str]] = {}
    for name in names:
        for s, _, _ in sources[name]:
            of_subject.setdefault(s, set()).add(name)
    by_source: dict[str, list[Triple]] = {name: [] for name in names}
    leftovers: list[Triple] = []
    for t in data:
        found = [name for name in names if t in sources[name]]
        for name in found:
            by_source[name].append(t)
        if not found:
            leftovers.append(t)
    resolve = _resolver(of_subject, leftovers + inferences, sources, names)
    for t in leftovers:
        for name in resolve(t[0]):
            by_source[name].append(t)
    inferred_by: dict[str, list[Triple]] = {}
    for t in inferences:
        for name in resolve(t[0]):
            inferred_by.setdefault(name, []).append(t)
    for name in names:
        _fill(parts.source(name), by_source[name])
    for name, triples in inferred_by.items():
        _fill(parts.inferred_of(name), triples)


def _resolver(of_subject: dict[Any, set[str]], extra: list[Triple],
              sources: dict[str, set[Triple]], names: list[str]) -> Callable[[Any], list[str]]:
    """subject -> the sources its statements go to, for statements no record emitted."""
    pending = {t[0] for t in extra if t[0] not in of_subject}
    links: dict[Any, set[Any]] = {}     # unresolved subject -> IRIs it links to
    for s, _, o in extra:
        if s in pending and isinstance(o, URIRef):
            links.setdefault(s, set()).add(o)
    resolved: dict[Any, set[str]] = {}
    changed = True
    while changed and pending:    # derived nodes may link to derived nodes
        changed = False
        for s in sorted(pending):
            found: set[str] = set()
            for o in links.get(s, ()):
                found |= of_subject.get(o, set()) | resolved.get(o, set())
            if found:
                resolved[s] = found
                pending.discard(s)
                changed = True
    if pending:               # linked to by records (an external term): their sources
        for name in names:
            for s, _, o in sources[name]:
                if o in pending:
                    resolved.setdefault(o, set()).add(name)
    default = {ARTICLE}

    def resolve(subject: Any) -> list[str]:
        found = of_subject.get(subject) or resolved.get(subject) or default
        return [n for n in names if n in found] or [ARTICLE]
    return resolve
