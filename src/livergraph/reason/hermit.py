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
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from livergraph.errors import DataError, LivergraphError
from livergraph.namespaces import LG, ONTOLOGY_IRI


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


# the parts of the reasoner, importable from here as before
from livergraph.reason.input import (  # noqa: E402,F401
    CONTRADICTION_PREDICATES, CONTRADICTION_TYPES, NON_LOCAL_PREDICATES, NON_LOCAL_TYPES,
    OWL_PREDICATES, REPRESENTATIVE, _bnode_closure, _Input, reasoner_input)
from livergraph.reason.modules import (  # noqa: E402,F401
    MIN_KINDS_PER_PART, ModularInput, NotModular, modular_input)
from livergraph.reason.explain import explain_inconsistency  # noqa: E402,F401


def _run_hermit_parts(parts: list[bytes]) -> list[Any]:
    """HermiT on each part, at the same time (each part is its own Java process)."""
    if len(parts) == 1:
        return [_run_hermit(parts[0])]
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(len(parts)) as pool:
        return list(pool.map(_run_hermit, parts))


def _run_hermit(nt: bytes) -> Any:
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


def _memberships(world: Any, classes: list[URIRef],
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


