"""The modular reasoner input: one *representative* per kind of record, so HermiT's work does not
grow with the data (see ``modular_input``; tested against the whole graph by
tests/test_reason_modular.py)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from livergraph.compat import subject_objects
from livergraph.namespaces import ID_BASE

from livergraph.reason.input import (NON_LOCAL_PREDICATES, NON_LOCAL_TYPES, OWL_PREDICATES,
                                     REPRESENTATIVE, _Input)


class NotModular(Exception):
    """The ontology or the data use a construct through which records influence each other
    beyond what they link to; the reasoner must see the whole graph."""


#: below this many kinds a part, a second HermiT costs more (JVM start, the ontology) than it saves
MIN_KINDS_PER_PART = 100


@dataclass
class ModularInput:
    parts: list[bytes]                         # what HermiT reads: one N-Triples text a run
    members: dict[str, list[URIRef]]           # representative IRI -> the records it stands for
    records: int                               # records classified through representatives


def modular_input(graph: Graph, *, contradictions: bool = True, parts: int = 1) -> ModularInput:
    """N-Triples for HermiT in which records are replaced by one representative per *kind*.

    What OWL entails about a record (here: its membership of the defined classes, and whether it
    contradicts the ontology) depends, in an ontology without inverse properties, universal or
    cardinality restrictions, property chains or keys (checked: otherwise NotModular), only on
    the record's asserted types, the properties by which other records point to it (ranges),
    and what it points to: constants (concepts, ontology terms) as they are, and other records
    by what is entailed about them, recursively. Two records alike in all of that are
    classified alike; so each kind is handed to HermiT once, as a representative individual
    built with the same statements, and its classes are copied to every record of its kind.
    The ontology, the concepts and every other statement HermiT reads are given as they are.

    A thousand trials or a hundred thousand give the same few hundred kinds, so HermiT's work
    does not grow with the data; what grows is one pass over the records' types and links."""
    spec = _Input(graph, contradictions)
    owl_axioms = {p for p in OWL_PREDICATES if (None, p, None) in graph}
    if owl_axioms & NON_LOCAL_PREDICATES or any(
            (None, RDF.type, t) in graph for t in NON_LOCAL_TYPES):
        raise NotModular("the ontology uses a non-local construct")

    def is_record(node) -> bool:
        return isinstance(node, URIRef) and str(node).startswith(ID_BASE)

    # everything but the records, as the plain input has it
    out = Graph()
    candidates = [RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.range, RDF.first,
                  RDF.rest, *sorted(owl_axioms), *sorted(spec.relevant)]
    for p in dict.fromkeys(candidates):
        for s, o in subject_objects(graph, p):
            if is_record(s):
                if p in (OWL.sameAs, OWL.differentFrom) or (
                        p not in spec.relevant and p != RDF.type and spec.keep(s, p, o)):
                    raise NotModular(f"a record has an OWL statement ({p})")
                continue
            if is_record(o) and spec.keep(s, p, o):
                raise NotModular(f"a record is the value of {p} of a non-record")
            if spec.keep(s, p, o):
                out.add((s, p, o))
            if p in spec.relevant and isinstance(o, URIRef) and o not in spec.individuals:
                out.add((o, RDF.type, OWL.NamedIndividual))

    # the records: asserted types, the properties pointing to them, what they point to
    types: dict[URIRef, set] = defaultdict(set)
    for s, o in subject_objects(graph, RDF.type):
        if is_record(s) and not isinstance(o, Literal):
            types[s].add(o)
    links: dict[URIRef, list] = defaultdict(list)
    incoming: dict[URIRef, set] = defaultdict(set)
    for p in sorted(spec.relevant):
        for s, o in subject_objects(graph, p):
            if not is_record(s) or isinstance(o, Literal):
                continue
            links[s].append((p, o))
            if is_record(o):
                incoming[o].add(p)
                if o not in types:              # an untyped record, as the plain input types it
                    types[o].add(OWL.NamedIndividual)
            elif isinstance(o, URIRef) and o not in spec.individuals:
                out.add((o, RDF.type, OWL.NamedIndividual))

    kinds: dict[tuple, int] = {}
    kind_of: dict[URIRef, int] = {}
    kind_links: list[frozenset] = []
    kind_types: list[frozenset] = []
    constant_types: dict = {}
    stand_in: dict[tuple, URIRef] = {}     # (property, the value's types) -> one such value

    def value(p, o, single: bool):
        if p in spec.functional_only and single:
            ts = constant_types.get(o)
            if ts is None:
                ts = constant_types[o] = frozenset(graph.objects(o, RDF.type))
            key = (p, ts)
            if key not in stand_in or str(o) < str(stand_in[key]):
                stand_in[key] = o
            return ("value of", ts)
        return o

    def kind(node: URIRef, visiting: set) -> int:
        k = kind_of.get(node)
        if k is not None:
            return k
        if node in visiting:
            raise NotModular("records link to each other in a cycle")
        visiting.add(node)
        node_links = links.get(node, ())
        per_property = defaultdict(set)
        for p, o in node_links:
            per_property[p].add(o)
        out_links = frozenset(
            (p, ("kind", kind(o, visiting)) if is_record(o)
             else value(p, o, len(per_property[p]) == 1))
            for p, o in node_links)
        visiting.discard(node)
        key = (frozenset(types[node]), frozenset(incoming.get(node, ())), out_links)
        k = kinds.get(key)
        if k is None:
            k = kinds[key] = len(kinds)
            kind_types.append(key[0])
            kind_links.append(out_links)
        kind_of[node] = k
        return k

    for node in [*types, *(n for n in links if n not in types)]:
        kind(node, set())
    spec.all_different(out)

    def rep(k: int) -> str:
        return f"<{REPRESENTATIVE}{k}>"

    def statements(k: int) -> list[str]:
        lines = [f"{rep(k)} <{RDF.type}> {t.n3()} .\n" for t in sorted(kind_types[k])]
        for p, o in sorted(kind_links[k], key=str):
            if isinstance(o, tuple) and o[0] == "kind":
                target = rep(o[1])
            elif isinstance(o, tuple):
                target = stand_in[(p, o[1])].n3()
            else:
                target = o.n3()
            lines.append(f"{rep(k)} {p.n3()} {target} .\n")
        return lines

    def closure(k: int, seen: set) -> None:
        if k not in seen:
            seen.add(k)
            for _, o in kind_links[k]:
                if isinstance(o, tuple) and o[0] == "kind":
                    closure(o[1], seen)

    # the kinds no other kind points to, split over the processors: each part is handed to its
    # own HermiT with the kinds they point to
    pointed_to = {o[1] for links_ in kind_links for _, o in links_
                  if isinstance(o, tuple) and o[0] == "kind"}
    tops = [k for k in range(len(kind_types)) if k not in pointed_to]
    n_parts = max(1, min(parts, len(tops) // MIN_KINDS_PER_PART))
    common = out.serialize(format="nt", encoding="utf-8").decode("utf-8")
    texts = []
    for i in range(n_parts):
        chosen: set[int] = set()
        for k in tops[i::n_parts]:
            closure(k, chosen)
        texts.append((common + "".join(line for k in sorted(chosen) for line in statements(k)))
                     .encode("utf-8"))
    members: dict[str, list[URIRef]] = defaultdict(list)
    for node, k in kind_of.items():
        members[f"{REPRESENTATIVE}{k}"].append(node)
    return ModularInput(texts, dict(members), len(kind_of))

