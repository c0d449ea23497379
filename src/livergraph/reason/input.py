"""What the HermiT reasoner is given of a graph: the ontology's class and property axioms and,
of the data, only the individuals' types and the links the defined classes and consistency
checks read (see ``livergraph.reason.hermit``)."""
from __future__ import annotations


from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from livergraph.compat import subject_objects
from livergraph.namespaces import LG, LGC

#: axioms that make data inconsistent; stripped when livergraph explains an inconsistency
CONTRADICTION_PREDICATES = {OWL.disjointWith, OWL.differentFrom, OWL.propertyDisjointWith}
CONTRADICTION_TYPES = {OWL.AllDisjointClasses, OWL.AllDifferent, OWL.FunctionalProperty,
                       OWL.InverseFunctionalProperty}


def _bnode_closure(graph: Graph, start) -> set:
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        for _, _, o in graph.triples((node, None, None)):
            if isinstance(o, BNode) and o not in seen:
                seen.add(o)
                todo.append(o)
    return seen


#: every predicate of the OWL 2 vocabulary: the class and property axioms the reasoner reads
OWL_PREDICATES = tuple(OWL[name] for name in (
    "allValuesFrom", "annotatedProperty", "annotatedSource", "annotatedTarget",
    "assertionProperty", "cardinality", "complementOf", "datatypeComplementOf", "differentFrom",
    "disjointUnionOf", "disjointWith", "distinctMembers", "equivalentClass",
    "equivalentProperty", "hasKey", "hasSelf", "hasValue", "intersectionOf", "inverseOf",
    "maxCardinality", "maxQualifiedCardinality", "members", "minCardinality",
    "minQualifiedCardinality", "onClass", "onDataRange", "onDatatype", "oneOf", "onProperties",
    "onProperty", "propertyChainAxiom", "propertyDisjointWith", "qualifiedCardinality",
    "sameAs", "someValuesFrom", "sourceIndividual", "targetIndividual", "targetValue",
    "unionOf", "withRestrictions"))
#: constructs through which one record's types could depend on the records that point to it
#: (or on records it is not linked to); with any of them, the reasoner sees the whole graph
NON_LOCAL_PREDICATES = {OWL.inverseOf, OWL.allValuesFrom, OWL.propertyChainAxiom, OWL.hasSelf,
                        OWL.hasKey, OWL.cardinality, OWL.minCardinality, OWL.maxCardinality,
                        OWL.qualifiedCardinality, OWL.minQualifiedCardinality,
                        OWL.maxQualifiedCardinality, OWL.equivalentProperty,
                        OWL.propertyDisjointWith}
NON_LOCAL_TYPES = {OWL.InverseFunctionalProperty, OWL.SymmetricProperty,
                   OWL.TransitiveProperty, OWL.AsymmetricProperty, OWL.ReflexiveProperty,
                   OWL.IrreflexiveProperty}
#: IRIs of the stand-in individuals the reasoner classifies (one per kind of record)
REPRESENTATIVE = "urn:livergraph:reasoner:representative:"


def _with_subproperties(graph: Graph, props: set) -> set:
    """``props`` and every property declared a subproperty of one of them, at any depth."""
    found, todo = set(props), list(props)
    while todo:
        for sub in graph.subjects(RDFS.subPropertyOf, todo.pop()):
            if isinstance(sub, URIRef) and sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


class _Input:
    """What the reasoner is given of ``graph``, decided once: the ontology's class and property
    axioms (without datatypes), and of the data only what the defined classes and the
    consistency checks use: the individuals' types and their values for properties that occur
    in a class definition or are functional (or are subproperties of those).

    Leaving out literals (HermiT rejects xsd:date and xsd:duration), annotations and the other
    statements keeps HermiT fast; the builder already checks every other statement against the
    schema. Each concept class's concepts are declared different (owl:AllDifferent)."""

    def __init__(self, graph: Graph, contradictions: bool):
        self.graph = graph
        self.contradictions = contradictions
        self.ontology_props = set(graph.subjects(RDF.type, OWL.ObjectProperty))
        self.functional = set(graph.subjects(RDF.type, OWL.FunctionalProperty)) \
            & self.ontology_props
        restricted = {o for o in graph.objects(None, OWL.onProperty) if isinstance(o, URIRef)}
        # a statement of a subproperty is one of its superproperty too
        relevant = _with_subproperties(graph, self.functional | restricted)
        self.relevant = relevant
        restricted = _with_subproperties(graph, restricted)
        # functional properties no class definition reads (such as lg:status): one value tells
        # nothing about the record but that it has one; two different values contradict
        self.functional_only = {p for p in self.functional - restricted
                                if not any(q in relevant for q in graph.subjects(RDFS.subPropertyOf, p))
                                and not any(q in relevant for q in graph.objects(p, RDFS.subPropertyOf))}
        self.datatype_props = set(graph.subjects(RDF.type, OWL.DatatypeProperty))
        self.skip_nodes = {LG.PartialDate} | _bnode_closure(graph, LG.PartialDate)
        owl_ns, rdfs_ns = str(OWL), str(RDFS)
        self.individuals = {s for s, o in subject_objects(graph, RDF.type)
                            if isinstance(o, URIRef) and not str(o).startswith((owl_ns, rdfs_ns))}
        # concepts matter only where the data or a class expression names them
        used = {o for p in relevant for _, o in subject_objects(graph, p)}
        used |= set(graph.objects(None, OWL.hasValue)) | set(graph.objects(None, RDF.first))
        self.unused_concepts = {c for c in self.individuals
                                if str(c).startswith(str(LGC)) and c not in used}

    def keep(self, s, p, o) -> bool:
        if isinstance(o, Literal) or s in self.skip_nodes or s in self.datatype_props \
                or s in self.unused_concepts:
            return False
        if s in self.individuals:
            return p == RDF.type or p in self.relevant
        if s in self.ontology_props and s not in self.relevant and p != RDF.type:
            return False
        if not (p in (RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.range, RDF.first,
                      RDF.rest) or str(p).startswith(str(OWL))):
            return False  # annotations (skos mappings, labels, provenance) play no part
        if not self.contradictions and (p in CONTRADICTION_PREDICATES or
                                        (p == RDF.type and o in CONTRADICTION_TYPES)):
            return False
        return True

    def untyped_values(self, triples) -> Graph:
        """Values of the relevant properties that have no type: declared individuals."""
        out = Graph()
        for s, p, o in triples:
            if p in self.relevant and isinstance(o, URIRef) and o not in self.individuals:
                out.add((o, RDF.type, OWL.NamedIndividual))
        return out

    def all_different(self, out: Graph) -> None:
        if not self.contradictions:
            return
        graph = self.graph
        ranges = {graph.value(p, RDFS.range) for p in self.functional}
        for cls in sorted(r for r in ranges if isinstance(r, URIRef)):
            concepts = sorted(c for c in graph.subjects(RDF.type, cls)
                              if isinstance(c, URIRef) and str(c).startswith(str(LGC))
                              and c not in self.unused_concepts)
            if len(concepts) > 1:
                node, items = BNode(), BNode()
                out.add((node, RDF.type, OWL.AllDifferent))
                out.add((node, OWL.members, items))
                Collection(out, items, concepts)


def reasoner_input(graph: Graph, *, contradictions: bool = True) -> bytes:
    """N-Triples for HermiT of the whole graph: every individual as it is (the plain way; see
    ``modular_input`` for what ``reason`` hands HermiT when the ontology allows it)."""
    spec = _Input(graph, contradictions)
    out = Graph()
    for t in graph:
        if spec.keep(*t):
            out.add(t)
    for t in spec.untyped_values(graph):
        out.add(t)
    spec.all_different(out)
    return out.serialize(format="nt", encoding="utf-8")

