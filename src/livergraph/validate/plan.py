"""Planning the scalable SHACL validation: which engine validates which shape.

See ``livergraph.validate.scaled`` for the design. ``plan(shapes)`` reads the shapes graph once
and decides, shape by shape: SPARQL-based constraints that can run once over the whole graph
(``SparqlJob``, rewritten by ``livergraph.validate.sparql_text``), core shapes that read only a
focus node's own triples (validated chunk by chunk), and the rest (pySHACL on the whole graph).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from livergraph.validate.sparql_text import _computes, _predicates, _rewrite

#: constraint parameters that read only the value nodes themselves (and their rdf:type for sh:class)
_VALUE_LOCAL = {SH["class"], SH.datatype, SH.nodeKind, SH.minExclusive, SH.minInclusive,
                SH.maxExclusive, SH.maxInclusive, SH.minLength, SH.maxLength, SH.pattern,
                SH.flags, SH.languageIn, SH["in"], SH.hasValue}
#: parameters that read the set of value nodes of a focus node (local when the path is local)
_SET_LOCAL = {SH.minCount, SH.maxCount, SH.uniqueLang, SH.equals, SH.disjoint, SH.lessThan,
              SH.lessThanOrEquals, SH.closed, SH.ignoredProperties, SH.hasValue,
              SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint}
#: parameters whose objects are shapes (or lists of shapes) evaluated on the value nodes
_SHAPE_PARAMS = {SH["not"], SH["and"], SH["or"], SH.xone, SH.node, SH.qualifiedValueShape,
                 SH.property}
_LIST_PARAMS = {SH["and"], SH["or"], SH.xone}
#: shape description predicates that never make a shape non-local
_HARMLESS = {RDF.type, SH.message, SH.severity, SH.deactivated, SH.name, SH.description,
             SH.order, SH.group, SH.defaultValue, RDFS.label, RDFS.comment, SH.path,
             SH.targetClass, SH.targetSubjectsOf, SH.targetNode, SH.targetObjectsOf,
             SH.sparql, SH.prefixes, SH.declare}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
_ALLOWED = (SH.Info, SH.Warning)   # allow_warnings=True: these severities do not break conformance


@dataclass
class SparqlJob:
    """One SPARQL-based constraint of one shape, rewritten to run once over the whole graph."""
    shape: URIRef | BNode
    constraint: URIRef | BNode
    query: str                      # prefixes + query with the target sub-select
    severity: URIRef
    messages: list                  # the shape's own sh:message values
    extra_messages: list            # the constraint's sh:message values
    original: str = ""              # prefixes + the query as pySHACL runs it (per focus node)
    exact: bool = False             # computes values: take them from rdflib (see run_sparql)


@dataclass
class Plan:
    jobs: list[SparqlJob] = field(default_factory=list)
    core: Graph | None = None       # shapes with their sparql removed, local shapes' targets only
    residual: Graph | None = None   # shapes validated by pySHACL on the whole graph (or None)
    residual_shapes: list = field(default_factory=list)
    predicates: set | None = None   # what the SPARQL store needs (None = every triple)
    sparql_only: Graph | None = None  # the jobs' shapes for pySHACL, when the store cannot


# -- planning -----------------------------------------------------------------------------------

def plan(shapes: Graph) -> Plan:
    """Decide, shape by shape, which engine validates what."""
    from pyshacl.constraints.sparql.sparql_based_constraints import (
        SPARQLBasedConstraint,
    )
    from pyshacl.shapes_graph import ShapesGraph

    sg = ShapesGraph(shapes)
    targeted = [s for s in sg.shapes if any(list(t) for t in s.target())
                or any(True for _ in shapes.objects(s.node, SH.target))]
    referenced = {o for p in _SHAPE_PARAMS for o in shapes.objects(None, p)}
    for lst in [o for p in _LIST_PARAMS for o in shapes.objects(None, p)]:
        referenced.update(shapes.items(lst))
    residual, jobs, handled_sparql = [], [], []
    for shape in targeted:
        ok = not any(True for _ in shapes.objects(shape.node, SH.target)) \
            and _is_local(shapes, shape.node, set())
        shape_jobs: list[SparqlJob] = []
        has_sparql = any(True for _ in shapes.objects(shape.node, SH.sparql))
        if ok and has_sparql:
            if shape.is_property_shape or shape.node in referenced:
                ok = False
            elif not shape.deactivated:
                try:
                    helpers = SPARQLBasedConstraint(shape).sparql_constraints
                except Exception:   # pySHACL reports the broken constraint itself
                    helpers = None
                if helpers is None:
                    ok = False
                else:
                    for h in sorted(helpers, key=lambda h: str(h.node)):
                        if h.deactivated:
                            continue
                        query = _rewrite(h.select_text, shape)
                        if query is None:
                            ok = False
                            break
                        shape_jobs.append(SparqlJob(
                            shape.node, h.node, h.apply_prefixes(query), shape.severity,
                            list(shape.message), list(h.messages or []),
                            h.apply_prefixes(h.select_text), _computes(h.select_text)))
        if ok:
            jobs.extend(shape_jobs)
            if has_sparql:
                handled_sparql.append(shape.node)
        else:
            residual.append(shape.node)
    out = Plan(jobs=jobs, residual_shapes=residual)
    residual_set = set(residual)
    out.core = _copy_without(shapes, drop_sparql=handled_sparql,
                             drop_targets=[s for s in (t.node for t in targeted) if s in residual_set])
    if residual:
        out.residual = _copy_without(shapes, drop_sparql=[], drop_targets=[
            t.node for t in targeted if t.node not in residual_set])
    out.predicates = _predicates([j.query for j in jobs])
    out.sparql_only = _sparql_only(shapes, {j.shape for j in jobs})
    return out


def _sparql_only(shapes: Graph, job_shapes: set) -> Graph:
    """The shapes graph reduced to the SPARQL constraints of ``job_shapes`` (their targets,
    severity and messages kept; every other shape without targets), for pySHACL to validate
    when the store cannot (see load_store)."""
    g = FrozenGraph()
    for prefix, ns in shapes.namespaces():
        g.bind(prefix, ns, override=True)
    keep = _HARMLESS - {SH.path}
    for s, p, o in shapes:
        if s in job_shapes:
            if p not in keep:
                continue
        elif p in _TARGETS:
            continue
        g.add((s, p, o))
    return g


class FrozenGraph(Graph):
    """A shapes graph that is not changed while validating: pySHACL asks it the same questions
    (a shape's parameters, its path, its messages) for every focus node, so the answers are
    remembered. Only the lookups pySHACL repeats are cached; the store stays the source."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._memo: dict = {}

    def triples(self, triple, *args, **kwargs):
        s, p, o = triple
        if args or kwargs or not (p is None or type(p) is URIRef):
            yield from super().triples(triple, *args, **kwargs)     # paths, contexts
            return
        hit = self._memo.get(triple)
        if hit is None:
            hit = self._memo[triple] = list(super().triples(triple))
        yield from hit

    def add(self, triple):
        self._memo.clear()
        return super().add(triple)

    def remove(self, triple):
        self._memo.clear()
        return super().remove(triple)


def _copy_without(shapes: Graph, drop_sparql, drop_targets) -> Graph:
    g = FrozenGraph()
    for prefix, ns in shapes.namespaces():
        g.bind(prefix, ns, override=True)
    drop_sparql, drop_targets = set(drop_sparql), set(drop_targets)
    for s, p, o in shapes:
        if p == SH.sparql and s in drop_sparql:
            continue
        if p in _TARGETS and s in drop_targets:
            continue
        g.add((s, p, o))
    if drop_targets:   # a shape that is also a class targets its instances implicitly
        for s in drop_targets:
            for cls in (RDFS.Class, OWL.Class):
                g.remove((s, RDF.type, cls))
    return g


def _is_local(shapes: Graph, shape, seen: set, on_value: bool = False) -> bool:
    """Whether validating ``shape`` on a node reads only that node's own triples, the values'
    rdf:type, and rdfs:subClassOf (what a chunk holds). ``on_value``: the shape is applied to value
    nodes (which a chunk does not describe), so it may only test the value term itself."""
    if shape in seen:
        return False        # recursive shapes: leave them to pySHACL on the whole graph
    seen = seen | {shape}
    path = shapes.value(shape, SH.path)
    if path is not None:
        if on_value or not isinstance(path, URIRef):
            return False    # only predicate paths from the chunk's own subjects
    for p, o in shapes.predicate_objects(shape):
        if p in _HARMLESS or p in _VALUE_LOCAL:
            continue
        if p in _SET_LOCAL:
            if on_value and p not in (SH.hasValue,):
                return False
            continue
        if p == SH.property:
            if on_value or not _is_local(shapes, o, seen, False):
                return False
            continue
        if p in _SHAPE_PARAMS:
            members = list(shapes.items(o)) if p in _LIST_PARAMS else [o]
            # in a property shape the nested shapes apply to the value nodes
            nested_on_value = on_value or path is not None
            if p == SH.node and nested_on_value:
                return False
            if not all(_is_local(shapes, m, seen, nested_on_value) for m in members):
                return False
            continue
        if p.startswith(str(SH)):
            return False    # a constraint this analysis does not know: be safe
        # any other predicate may be a parameter of a custom constraint component
        if any(True for _ in shapes.triples((None, SH.parameter, None))):
            return False
    if any(True for _ in shapes.objects(shape, SH.sparql)) and (on_value or len(seen) > 1):
        return False        # nested SPARQL constraints stay with pySHACL
    return True


