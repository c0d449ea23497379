"""Linked-data conventions: the schema.org and PROV statements the ontology's alignments entail.

The ontology says ``lg:Trial rdfs:subClassOf schema:MedicalTrial`` and ``lg:leadSponsor
rdfs:subPropertyOf schema:sponsor``, but a store without RDFS reasoning answers
``?t a schema:MedicalTrial`` with nothing. :func:`materialise_alignments` adds, for every
resource and statement of the data, the types and properties of the *external* vocabularies
(schema.org, PROV by default) that the ontology's ``rdfs:subClassOf`` / ``owl:equivalentClass`` /
``rdfs:subPropertyOf`` / ``owl:equivalentProperty`` axioms entail (transitively). These are RDFS
entailments, not curated facts: the publisher keeps them with the other inferred statements, and
``--no-alignments`` leaves them out.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS

from livergraph.namespaces import LG, SCHEMA

#: the external vocabularies whose terms are materialised, by default
DEFAULT_VOCABULARIES: tuple[str, ...] = (str(SCHEMA), str(PROV))


def _closure(graph: Graph, sub: URIRef, equivalent: URIRef, local: str,
             external: tuple[str, ...]) -> dict[URIRef, set[URIRef]]:
    """local term -> every external term it is (transitively) a sub-term of or equivalent to."""
    up: dict[URIRef, set[URIRef]] = defaultdict(set)
    for s, o in graph.subject_objects(sub):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            up[s].add(o)
    for s, o in graph.subject_objects(equivalent):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            up[s].add(o)
            up[o].add(s)
    result: dict[URIRef, set[URIRef]] = {}
    for term in list(up):
        if not str(term).startswith(local):
            continue
        seen: set[URIRef] = set()
        todo = [term]
        while todo:
            for parent in up.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        found = {t for t in seen if str(t).startswith(external)}
        if found:
            result[term] = found
    return result


def alignment_maps(ontology: Graph, vocabularies: Iterable[str] = DEFAULT_VOCABULARIES
                   ) -> tuple[dict[URIRef, set[URIRef]], dict[URIRef, set[URIRef]]]:
    """(class map, property map): each lg: class/property -> the external terms it entails."""
    external = tuple(vocabularies)
    classes = _closure(ontology, RDFS.subClassOf, OWL.equivalentClass, str(LG), external)
    properties = _closure(ontology, RDFS.subPropertyOf, OWL.equivalentProperty, str(LG),
                          external)
    return classes, properties


def entailed(graph: Graph, ontology: Graph | None = None,
             vocabularies: Iterable[str] = DEFAULT_VOCABULARIES) -> set[tuple]:
    """The schema.org/PROV statements the alignments entail that ``graph`` does not hold."""
    return {t for t in entailed_all(graph, ontology, vocabularies) if t not in graph}


def entailed_all(graph: Graph, ontology: Graph | None = None,
                 vocabularies: Iterable[str] = DEFAULT_VOCABULARIES) -> set[tuple]:
    """Every schema.org/PROV statement the alignments entail from ``graph``'s lg: statements,
    whether ``graph`` holds it already or not (the publisher files these as inferred)."""
    classes, properties = alignment_maps(ontology if ontology is not None else graph,
                                         vocabularies)
    new: set[tuple] = set()
    for cls, targets in classes.items():
        for resource in graph.subjects(RDF.type, cls):
            for target in targets:
                new.add((resource, RDF.type, target))
    for prop, targets in properties.items():
        for s, o in graph.subject_objects(prop):
            for target in targets:
                new.add((s, target, o))
    return new


def materialise_alignments(graph: Graph, ontology: Graph | None = None,
                           vocabularies: Iterable[str] = DEFAULT_VOCABULARIES) -> int:
    """Add the entailed schema.org/PROV types and properties to ``graph``; return how many."""
    new = entailed(graph, ontology, vocabularies)
    graph.addN((s, p, o, graph) for s, p, o in sorted(new))
    return len(new)
