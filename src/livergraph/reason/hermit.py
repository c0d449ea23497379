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

HermiT's cost grows fast with individuals (46 s for 1,000 synthetic trials here). So, when the
ontology allows it, HermiT is not given the records but one *representative* per kind of record
(``modular_input``): records alike in their types, the properties pointing to them and what
they point to are classified alike, so a few hundred representatives stand for any number of
trials, and the parts are classified on all processors at once. The result is the same as the
whole graph's (``reason(graph, modular=False)``, checked by tests/test_reason_modular.py).

owlready2 does not read Turtle, and HermiT rejects XML Schema dates and durations, so the reasoner
is given N-Triples of the ontology's axioms and the data's typed individuals and object-property
statements only; literals play no part in the defined classes. Controlled-vocabulary concepts
(``lgc:``) are declared pairwise different, one owl:AllDifferent per concept class, so two
different concepts on a functional property (two statuses, two donor types) are a contradiction.
"""
from __future__ import annotations

import os
import time
from collections import defaultdict
from dataclasses import dataclass, field
from io import BytesIO

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from livergraph.compat import subject_objects
from livergraph.errors import DataError, LivergraphError
from livergraph.namespaces import ID_BASE, LG, LGC, ONTOLOGY_IRI

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
    method: str = "whole graph"                      # or "modular": see reason.modular_input
    kinds: int | None = None                         # representatives HermiT classified (modular)


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


def _run_hermit_parts(parts: list[bytes]) -> list:
    """HermiT on each part, at the same time (each part is its own Java process)."""
    if len(parts) == 1:
        return [_run_hermit(parts[0])]
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(len(parts)) as pool:
        return list(pool.map(_run_hermit, parts))


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


def _memberships(world, classes: list[URIRef],
                 members: dict[str, list[URIRef]] | None = None) -> dict[URIRef, set[URIRef]]:
    """Individuals of each class, asserted or inferred; a representative stands for the
    records in ``members``."""
    found: dict[URIRef, set[URIRef]] = {}
    for cls in classes:
        entity = world[str(cls)]
        inds: set[URIRef] = set()
        for i in ([] if entity is None else entity.instances(world)):
            if members is not None and i.iri.startswith(REPRESENTATIVE):
                inds.update(members.get(i.iri, ()))
            else:
                inds.add(URIRef(i.iri))
        found[cls] = inds
    return found


def classify(graph: Graph, classes: list[URIRef], *, contradictions: bool = True,
             modular: bool = True) -> tuple[dict[URIRef, set[URIRef]], str, int | None]:
    """The members of ``classes`` as HermiT infers them, how it was asked: "modular" (one
    representative per kind of record, see ``modular_input``) or "whole graph", and how many
    kinds of record there were (None for the whole graph). Raises
    owlready2.OwlReadyInconsistentOntologyError when the graph is inconsistent."""
    if modular:
        from livergraph.model.load import paused_gc
        try:
            with paused_gc():   # millions of small objects, no cycles: see load.paused_gc
                given = modular_input(graph, contradictions=contradictions,
                                      parts=os.cpu_count() or 1)
        except NotModular:
            given = None
        if given is not None:
            found: dict[URIRef, set[URIRef]] = {c: set() for c in classes}
            for world in _run_hermit_parts(given.parts):
                for cls, inds in _memberships(world, classes, given.members).items():
                    found[cls] |= inds
            return found, "modular", len(given.members)
    world = _run_hermit(reasoner_input(graph, contradictions=contradictions))
    return _memberships(world, classes), "whole graph", None


def reason(graph: Graph, *, modular: bool = True) -> ReasoningResult:
    """Classify the individuals of ``graph`` into the ontology's defined classes.

    By default HermiT classifies one representative per kind of record (``modular_input``),
    which gives the same result as handing it every record (``modular=False``, the plain way)
    in time that does not grow with the data. Raises DataError when the graph is inconsistent,
    naming the individuals and statements."""
    import owlready2
    start = time.perf_counter()
    classes = defined_classes(graph)
    try:
        members, how, kinds = classify(graph, classes, modular=modular)
    except owlready2.OwlReadyInconsistentOntologyError:
        raise DataError("the graph is logically inconsistent (HermiT):\n"
                        + "\n".join("  - " + f for f in explain_inconsistency(graph)),
                        hint="correct the data record(s) named above; nothing was written") \
            from None
    inferred = sorted((ind, cls) for cls, inds in members.items() for ind in inds
                      if (ind, RDF.type, cls) not in graph or (ind, LG.inferredType, cls) in graph)
    counts = {cls: len(members[cls]) for cls in classes}
    return ReasoningResult(inferred, classes, time.perf_counter() - start, counts, how, kinds)


def add_inferred(graph: Graph, result: ReasoningResult) -> int:
    """Add the inferred types to ``graph``, each marked with lg:inferredType; return how many
    statements were added."""
    from livergraph.model.load import paused_gc
    before = len(graph)
    marked = LG.inferredType
    with paused_gc():
        graph.addN(t for ind, cls in result.inferred
                   for t in ((ind, RDF.type, cls, graph), (ind, marked, cls, graph)))
    return len(graph) - before


# -- explaining an inconsistency ---------------------------------------------------------------

def _where(graph: Graph, node) -> str:
    from livergraph.validate.shacl import compact
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
    from livergraph.validate.shacl import compact
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
