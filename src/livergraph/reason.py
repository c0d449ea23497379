"""OWL reasoning with owlready2 and its bundled HermiT reasoner: consistency and classification.

The ontology declares *defined classes* (``owl:equivalentClass``: lg:MSCTherapy,
lg:AllogeneicCellTherapy, lg:RandomisedControlledStudy, lg:PlaceboControlledStudy ...) and
disjointness axioms (a cell product cannot be both autologous and allogeneic; a study cannot be
both randomised and non-randomised, nor single-arm and controlled). ``reason(graph)`` hands the
graph to HermiT and returns the inferred memberships of the defined classes;
``add_inferred(graph, result)`` adds each as two statements::

    ?x rdf:type C .          # so queries by class find it
    ?x lg:inferredType C .   # so a query can tell it was inferred (FILTER NOT EXISTS to exclude)

An inconsistent graph raises ``DataError`` naming the individuals and statements involved
(HermiT's own message is empty, so livergraph explains it, see ``explain_inconsistency``).

owlready2 does not read Turtle, and HermiT rejects XML Schema dates and durations, so the reasoner
is given N-Triples of the ontology's axioms and the data's typed individuals and object-property
statements only; literals play no part in the defined classes. Controlled-vocabulary concepts
(``lgc:``) are declared pairwise different, one owl:AllDifferent per concept class, so two
different concepts on a functional property (two statuses, two donor types) are a contradiction.
"""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from io import BytesIO

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from .errors import DataError, LivergraphError
from .namespaces import LG, LGC, ONTOLOGY_IRI

#: axioms that make data inconsistent; stripped when livergraph explains an inconsistency
CONTRADICTION_PREDICATES = {OWL.disjointWith, OWL.differentFrom, OWL.propertyDisjointWith}
CONTRADICTION_TYPES = {OWL.AllDisjointClasses, OWL.AllDifferent, OWL.FunctionalProperty,
                       OWL.InverseFunctionalProperty}


@dataclass
class ReasoningResult:
    inferred: list[tuple[URIRef, URIRef]]            # (individual, defined class), sorted
    defined_classes: list[URIRef]
    seconds: float
    counts: dict[URIRef, int] = field(default_factory=dict)


class ReasonerUnavailable(LivergraphError):
    """Java (needed by HermiT) is missing or failed (exit 2)."""


def defined_classes(graph: Graph) -> list[URIRef]:
    return sorted(c for c in graph.subjects(OWL.equivalentClass, None)
                  if isinstance(c, URIRef) and str(c).startswith(str(LG))
                  and (c, RDF.type, OWL.Class) in graph)


def _bnode_closure(graph: Graph, start) -> set:
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        for _, _, o in graph.triples((node, None, None)):
            if isinstance(o, BNode) and o not in seen:
                seen.add(o)
                todo.append(o)
    return seen


def reasoner_input(graph: Graph, *, contradictions: bool = True) -> bytes:
    """N-Triples for HermiT: the ontology's class and property axioms (without datatypes), and of
    the data only what the defined classes and the consistency checks use: the individuals'
    types and their values for properties that occur in a class definition or are functional.

    Leaving out literals (HermiT rejects xsd:date and xsd:duration), annotations and the other
    statements keeps HermiT fast; the builder already checks every other statement against the
    schema. Each concept class's concepts are declared different (owl:AllDifferent)."""
    ontology_props = set(graph.subjects(RDF.type, OWL.ObjectProperty))
    functional = set(graph.subjects(RDF.type, OWL.FunctionalProperty)) & ontology_props
    relevant = functional | {o for o in graph.objects(None, OWL.onProperty) if isinstance(o, URIRef)}
    datatype_props = set(graph.subjects(RDF.type, OWL.DatatypeProperty))
    skip_nodes = {LG.PartialDate} | _bnode_closure(graph, LG.PartialDate)
    owl_ns, rdfs_ns = str(OWL), str(RDFS)
    individuals = {s for s, o in graph.subject_objects(RDF.type)
                   if isinstance(o, URIRef) and not str(o).startswith((owl_ns, rdfs_ns))}
    # concepts matter only where the data or a class expression names them
    used = {o for p in relevant for o in graph.objects(None, p)}
    used |= {o for o in graph.objects(None, OWL.hasValue)} | {o for o in graph.objects(None, RDF.first)}
    unused_concepts = {c for c in individuals if str(c).startswith(str(LGC)) and c not in used}
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) or s in skip_nodes or s in datatype_props or s in unused_concepts:
            continue
        if s in individuals:
            if p == RDF.type or p in relevant:
                out.add((s, p, o))
            continue
        if s in ontology_props and s not in relevant and p != RDF.type:
            continue
        if not (p in (RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.range, RDF.first,
                      RDF.rest) or str(p).startswith(owl_ns)):
            continue  # annotations (skos mappings, labels, provenance) play no part
        if not contradictions and (p in CONTRADICTION_PREDICATES or
                                   (p == RDF.type and o in CONTRADICTION_TYPES)):
            continue
        out.add((s, p, o))
    for s, p, o in graph:
        if p in relevant and isinstance(o, URIRef) and o not in individuals:
            out.add((o, RDF.type, OWL.NamedIndividual))
    if contradictions:
        ranges = {graph.value(p, RDFS.range) for p in functional}
        for cls in sorted(r for r in ranges if isinstance(r, URIRef)):
            concepts = sorted(c for c in graph.subjects(RDF.type, cls)
                              if isinstance(c, URIRef) and str(c).startswith(str(LGC))
                              and c not in unused_concepts)
            if len(concepts) > 1:
                node, items = BNode(), BNode()
                out.add((node, RDF.type, OWL.AllDifferent))
                out.add((node, OWL.members, items))
                Collection(out, items, concepts)
    return out.serialize(format="nt", encoding="utf-8")


def _run_hermit(nt: bytes):
    """Load N-Triples into a fresh owlready2 world and run HermiT; return the world."""
    import owlready2
    world = owlready2.World()
    world.get_ontology(str(ONTOLOGY_IRI)).load(fileobj=BytesIO(nt), format="ntriples")
    try:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        raise
    except (owlready2.OwlReadyJavaError, FileNotFoundError, OSError) as exc:
        raise ReasonerUnavailable(f"the HermiT reasoner could not run: {str(exc).strip()[:300]}",
                                  hint="install Java 11 or newer (Debian: apt-get install "
                                       "default-jre-headless), or skip reasoning with --no-reason") \
            from None
    return world


def _memberships(world, classes: list[URIRef]) -> dict[URIRef, set[URIRef]]:
    """Individuals of each class, asserted or inferred."""
    found: dict[URIRef, set[URIRef]] = {}
    for cls in classes:
        entity = world[str(cls)]
        found[cls] = set() if entity is None else {URIRef(i.iri) for i in entity.instances(world)}
    return found


def reason(graph: Graph) -> ReasoningResult:
    """Classify the individuals of ``graph`` into the ontology's defined classes.

    Raises DataError when the graph is inconsistent, naming the individuals and statements."""
    import owlready2
    start = time.perf_counter()
    classes = defined_classes(graph)
    try:
        world = _run_hermit(reasoner_input(graph))
    except owlready2.OwlReadyInconsistentOntologyError:
        raise DataError("the graph is logically inconsistent (HermiT):\n"
                        + "\n".join("  - " + f for f in explain_inconsistency(graph)),
                        hint="correct the data record(s) named above; nothing was written") \
            from None
    members = _memberships(world, classes)
    inferred = sorted((ind, cls) for cls, inds in members.items() for ind in inds
                      if (ind, RDF.type, cls) not in graph or (ind, LG.inferredType, cls) in graph)
    counts = {cls: len(members[cls]) for cls in classes}
    return ReasoningResult(inferred, classes, time.perf_counter() - start, counts)


def add_inferred(graph: Graph, result: ReasoningResult) -> int:
    """Add the inferred types to ``graph``, each marked with lg:inferredType; return how many
    statements were added."""
    before = len(graph)
    for ind, cls in result.inferred:
        graph.add((ind, RDF.type, cls))
        graph.add((ind, LG.inferredType, cls))
    return len(graph) - before


# -- explaining an inconsistency ---------------------------------------------------------------

def _where(graph: Graph, node) -> str:
    from .validate import compact
    place = graph.value(node, LG.curatedIn)
    return compact(node) + (f" ({place})" if place is not None else "")


def _disjoint_pairs(graph: Graph) -> set[tuple[URIRef, URIRef]]:
    pairs = set()
    for a, b in graph.subject_objects(OWL.disjointWith):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            pairs.add(tuple(sorted((a, b))))
    for node in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = [m for m in Collection(graph, graph.value(node, OWL.members))
                   if isinstance(m, URIRef)]
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                pairs.add(tuple(sorted((a, b))))
    return pairs


def _definition_properties(graph: Graph, cls: URIRef) -> set[URIRef]:
    props = set()
    for eq in graph.objects(cls, OWL.equivalentClass):
        for node in {eq} | _bnode_closure(graph, eq):
            props.update(o for o in graph.objects(node, OWL.onProperty) if isinstance(o, URIRef))
    return props


def explain_inconsistency(graph: Graph) -> list[str]:
    """Name the individuals and statements that make ``graph`` inconsistent.

    Two checks: a functional property with two different values, and an individual that belongs
    (as asserted or as HermiT infers once the disjointness axioms are set aside) to two disjoint
    classes."""
    from .validate import compact
    findings: list[str] = []
    for prop in sorted(graph.subjects(RDF.type, OWL.FunctionalProperty)):
        if (prop, RDF.type, OWL.ObjectProperty) not in graph:
            continue
        values: dict = defaultdict(set)
        for s, o in graph.subject_objects(prop):
            values[s].add(o)
        for s, objs in sorted(values.items()):
            if len(objs) > 1:
                findings.append(f"{_where(graph, s)} has {len(objs)} values for {compact(prop)} "
                                f"({', '.join(sorted(compact(o) for o in objs))}), but it takes "
                                "only one")
    pairs = _disjoint_pairs(graph)
    classes = sorted({c for pair in pairs for c in pair})
    try:
        world = _run_hermit(reasoner_input(graph, contradictions=False))
        members = _memberships(world, classes)
    except Exception:  # the relaxed graph should be consistent; if not, say what we know
        members = {c: {s for s in graph.subjects(RDF.type, c) if isinstance(s, URIRef)}
                   for c in classes}
    for a, b in sorted(pairs):
        for ind in sorted(members.get(a, set()) & members.get(b, set())):
            props = _definition_properties(graph, a) | _definition_properties(graph, b)
            statements = sorted(f"{compact(p)} {compact(o)}" for p in props
                                for o in graph.objects(ind, p))
            because = f"; its statements: {'; '.join(statements)}" if statements else ""
            findings.append(f"{_where(graph, ind)} is both {compact(a)} and {compact(b)}, which "
                            f"are disjoint{because}")
    if not findings:
        findings.append("no single cause found by livergraph's checks (functional properties, "
                        "disjoint classes); look for records typed with two disjoint classes")
    return findings
