"""Explaining an inconsistent graph: HermiT's own message is empty, so livergraph names the
individuals and statements involved."""
from __future__ import annotations

from collections import defaultdict

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF
from rdflib.term import Node

from livergraph.reason.input import _bnode_closure
from livergraph.namespaces import LG



def compact(node: object) -> str:
    """A term as a CURIE (the converter is imported only when an explanation is written)."""
    from livergraph.io.curies import compact as to_curie
    return to_curie(str(node))

def _where(graph: Graph, node: Node) -> str:
    place = graph.value(node, LG.curatedIn)
    return compact(node) + (f" ({place})" if place is not None else "")


def _disjoint_pairs(graph: Graph) -> set[tuple[URIRef, URIRef]]:
    pairs = set()
    for a, b in graph.subject_objects(OWL.disjointWith):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            pairs.add((min(a, b), max(a, b)))
    for node in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        head = graph.value(node, OWL.members)
        members = [m for m in (Collection(graph, head) if head is not None else [])
                   if isinstance(m, URIRef)]
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                pairs.add((min(a, b), max(a, b)))
    return pairs


def _definition_properties(graph: Graph, cls: URIRef) -> set[URIRef]:
    props: set[URIRef] = set()
    for eq in graph.objects(cls, OWL.equivalentClass):
        for node in {eq} | _bnode_closure(graph, eq):
            props.update(o for o in graph.objects(node, OWL.onProperty) if isinstance(o, URIRef))
    return props


def explain_inconsistency(graph: Graph) -> list[str]:
    """Name the individuals and statements that make ``graph`` inconsistent.

    Two checks: a functional property with two different values, and an individual that belongs
    (as asserted or as HermiT infers once the disjointness axioms are set aside) to two disjoint
    classes."""
    findings: list[str] = []
    for prop in sorted(graph.subjects(RDF.type, OWL.FunctionalProperty), key=str):
        if (prop, RDF.type, OWL.ObjectProperty) not in graph:
            continue
        values: dict[Node, set[Node]] = defaultdict(set)
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
        from livergraph.reason.hermit import classify
        members, _, _ = classify(graph, classes, contradictions=False)
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
