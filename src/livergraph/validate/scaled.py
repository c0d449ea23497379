"""SHACL validation that scales: the same results as pySHACL over the whole graph, in linear time.

pySHACL runs every SPARQL-based constraint (``sh:sparql``) once per focus node with rdflib's SPARQL
engine, which makes validation of a large graph take hours. This module splits the work, each part
with the engine that suits it (see ``livergraph.validate`` for the design in a paragraph):

* **SPARQL-based constraints** of shapes with targets run as *one* whole-graph SELECT each on a
  pyoxigraph store: the shape's targets become a sub-select binding ``$this`` (``sh:targetClass``
  with subclasses, ``sh:targetNode``, ``sh:targetSubjectsOf``/``ObjectsOf``) joined at the head of
  the query's WHERE clause. The store holds only the triples whose predicate a query can match.
  Each row becomes a validation result exactly as pySHACL makes it (de-duplication per focus node,
  ``?path``/``?value``/``$this`` handling, message substitution with ``{?var}``/``{$this}``).
* **Core constraints** run with pySHACL itself on partitions of the graph: each chunk holds the
  triples of a set of subjects, the ``rdf:type`` triples of every node those triples point to, and
  every ``rdfs:subClassOf`` triple, which is all a *local* shape reads. Results are kept only for
  focus nodes whose subject set the chunk owns, so no result is doubled or lost. Chunks run in
  forked worker processes that share the graph copy-on-write.
* Anything that cannot be split safely — a shape reading beyond a focus node's own triples (e.g.
  ``sh:node`` on a value, inverse or sequence paths), a SPARQL query whose meaning would change when
  evaluated once for all focus nodes (aggregates not grouped by ``$this``, LIMIT, sub-selects,
  ``$PATH``/``$currentShape``) — is validated by pySHACL on the whole graph, as before.
"""
from __future__ import annotations

import gc
import os
import re
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

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
_AGGREGATE = re.compile(r"\b(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", re.I)
_GROUP_BY_THIS = re.compile(r"\bGROUP\s+BY\b[^{}]*[?$]this\b", re.I)
_UNSAFE = re.compile(r"\b(LIMIT|OFFSET|MINUS|VALUES|SERVICE)\b|[?$](PATH|currentShape|shapesGraph)\b")
_PROJECTS_THIS = re.compile(r"^\s*SELECT\s+(DISTINCT\s+|REDUCED\s+)?[^{]*?[?$]this\b", re.I | re.S)
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
    from pyshacl.shapes_graph import ShapesGraph
    from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint

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


def _rewrite(select: str, shape) -> str | None:
    """The query with ``$this`` bound by the shape's targets, or None if evaluating it once for
    every focus node would not give what pySHACL gets by pre-binding ``$this`` per focus node."""
    text = _strip_comments_and_strings(select)
    if _UNSAFE.search(text) or not re.search(r"[?$]this\b", text):
        return None
    if not _PROJECTS_THIS.search(text) or re.match(r"^\s*SELECT\s+(DISTINCT\s+|REDUCED\s+)?\*", text, re.I):
        return None
    if text.upper().count("SELECT") != 1:
        return None         # sub-selects would not see the pre-bound $this
    if _AGGREGATE.search(text) and not _GROUP_BY_THIS.search(text):
        return None
    brace = _first_brace(select)
    if brace is None:
        return None
    targets = _target_pattern(shape)
    if targets is None:
        return None
    return select[:brace + 1] + " { SELECT DISTINCT ?this WHERE { " + targets + " } } " + \
        select[brace + 1:]


_EXPRESSION = re.compile(r"\bBIND\s*\(|\bAS\s+[?$]", re.I)
_CONSTANT_AS = re.compile(r"\(\s*(<[^>\s]*>|[A-Za-z][\w.-]*:[\w.-]*)\s+AS\s+[?$]\w+\s*\)", re.I)


def _computes(select: str) -> bool:
    """Whether the query computes values (BIND, aggregates, expressions in the projection other
    than a constant IRI such as ``(lg:title AS ?path)``). Engines write computed numbers
    differently (rdflib 90.0 and 365.2500 where the SPARQL standard gives 90 and 365.25), so
    such rows are recomputed by rdflib, as pySHACL computes them."""
    text = _CONSTANT_AS.sub(" ", _strip_comments_and_strings(select))
    return bool(_EXPRESSION.search(text) or _AGGREGATE.search(text))


def _target_pattern(shape) -> str | None:
    nodes, classes, implicit, objects_of, subjects_of = (list(x) for x in shape.target())
    parts = []
    for c in sorted(set(classes) | set(implicit), key=str):
        if not isinstance(c, URIRef):
            return None
        parts.append(f"?this <{RDF.type}>/<{RDFS.subClassOf}>* {c.n3()} .")
    for p in sorted(subjects_of, key=str):
        parts.append(f"?this {p.n3()} ?lgTargetAny .")
    for p in sorted(objects_of, key=str):
        parts.append(f"?lgTargetAny {p.n3()} ?this .")
    if nodes:
        if any(isinstance(n, BNode) for n in nodes):
            return None
        parts.append("VALUES ?this { " + " ".join(n.n3() for n in sorted(nodes, key=str)) + " }")
    if not parts:
        return None
    return " UNION ".join("{ " + p + " }" for p in parts)


def _strip_comments_and_strings(q: str) -> str:
    return _TOKENS.sub(lambda m: '""' if m.group(0)[0] in "'\"" else
                       ("<>" if m.group(0)[0] == "<" else " "), q)


_TOKENS = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|'
                     r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')


def _first_brace(q: str) -> int | None:
    pos = 0
    while True:
        m = _TOKENS.search(q, pos)
        end = m.start() if m else len(q)
        i = q.find("{", pos, end)
        if i >= 0:
            return i
        if m is None:
            return None
        pos = m.end()


def _predicates(queries: list[str]) -> set | None:
    """The predicates the queries can match (None: some pattern matches any predicate)."""
    from rdflib.paths import Path
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue
    preds: set = {RDF.type, RDFS.subClassOf}
    any_predicate = False
    prologue = None

    def path_terms(p):
        nonlocal any_predicate
        if isinstance(p, URIRef):
            preds.add(p)
        elif isinstance(p, Path):
            name = type(p).__name__
            if name == "NegatedPath":
                any_predicate = True
            for attr in ("args", "path", "arg"):
                sub = getattr(p, attr, None)
                if sub is None:
                    continue
                for x in (sub if isinstance(sub, (list, tuple)) else [sub]):
                    path_terms(x)
        else:
            any_predicate = True

    def walk(node, seen):
        if id(node) in seen:
            return
        seen.add(id(node))
        nonlocal any_predicate
        if isinstance(node, CompValue):
            if node.name == "BGP":
                for _, p, _ in node.triples:
                    path_terms(p)
            elif node.name == "TriplesBlock":
                # not translated (inside EXISTS): flat [s, p, o, s, p, o ...] lists; take every IRI
                for same_subject in node.triples:
                    for i, x in enumerate(same_subject):
                        if i % 3 == 1 and isinstance(x, Variable):
                            any_predicate = True
                    untranslated(same_subject)
            elif node.name.startswith("PathNegated"):
                any_predicate = True
            for v in node.values():
                walk(v, seen)
        elif isinstance(node, dict):
            for v in node.values():
                walk(v, seen)
        elif isinstance(node, (list, tuple, set)):
            for v in node:
                walk(v, seen)

    def untranslated(node):
        nonlocal any_predicate
        if isinstance(node, URIRef):
            preds.add(node)
        elif isinstance(node, Path):
            path_terms(node)
        elif isinstance(node, CompValue):
            if node.name.startswith("PathNegated"):
                any_predicate = True
            if node.name == "pname":    # a prefixed name inside a path, not yet resolved
                preds.add(prologue.absolutize(node))
                return
            for v in node.values():
                untranslated(v)
        elif isinstance(node, (list, tuple)):
            for v in node:
                untranslated(v)

    for q in queries:
        try:
            prepared = prepareQuery(q)
            prologue = prepared.prologue
            walk(prepared.algebra, set())
        except Exception:
            return None
        if any_predicate:
            return None
    return preds


# -- SPARQL constraints on pyoxigraph -----------------------------------------------------------

_LANGS: dict = {}


def load_store(graph: Graph, predicates: set | None):
    """A pyoxigraph store with the triples of ``graph`` whose predicate is in ``predicates``
    (every triple when None). Blank nodes keep their ids, so results name the same nodes.
    None when blank nodes occur outside OWL axioms (see _in_owl_axiom)."""
    import pyoxigraph as ox
    cache: dict = {}
    bnodes: list = []
    store_langs: dict = {}     # the store lowercases language tags: remember the data's own

    def conv(x):
        r = cache.get(x)
        if r is None:
            if isinstance(x, URIRef):
                r = ox.NamedNode(str(x))
            elif isinstance(x, BNode):
                r = ox.BlankNode(str(x))
                bnodes.append(x)
            elif x.language:
                r = ox.Literal(str(x), language=x.language)
                if x.language != x.language.lower():
                    store_langs.setdefault(x.language.lower(), set()).add(x.language)
            elif x.datatype is not None:
                r = ox.Literal(str(x), datatype=ox.NamedNode(str(x.datatype)))
            else:
                r = ox.Literal(str(x))
            cache[x] = r
        return r

    store = ox.Store()
    _LANGS[id(store)] = store_langs
    if predicates is None:
        triples = (t for t in graph)
    else:
        triples = (t for p in predicates for t in graph.triples((None, p, None)))
    store.bulk_extend(ox.Quad(conv(s), conv(p), conv(o)) for s, p, o in triples)
    if any(not _in_owl_axiom(graph, b) for b in bnodes):
        return None
    return store


_AXIOM_PREDICATES = {RDF.first, RDF.rest, RDF.type, RDFS.subClassOf, RDFS.domain, RDFS.range,
                     RDFS.subPropertyOf}


def _in_owl_axiom(graph: Graph, node) -> bool:
    """Whether a blank node only describes an OWL axiom or an RDF list (the ontology's class
    expressions): SPARQL engines disagree on blank nodes (rdflib's STR() gives their id, the
    SPARQL standard an error), so queries must never meet one as data."""
    for p, o in graph.predicate_objects(node):
        if not (p in _AXIOM_PREDICATES or str(p).startswith(str(OWL))):
            return False
        if p == RDF.type and not (str(o).startswith(str(OWL)) or o in (RDF.List, RDFS.Class, RDFS.Datatype)):
            return False
    for _, p in graph.subject_predicates(node):
        if not (p in _AXIOM_PREDICATES or str(p).startswith(str(OWL))):
            return False
    return True


def run_sparql(store, graph: Graph, job: SparqlJob) -> list[tuple]:
    """Rows of one rewritten constraint -> pySHACL's (focus, path, value, bound variables) tuples,
    de-duplicated per focus node as pySHACL does."""
    langs = _LANGS.get(id(store), {})
    if job.exact:
        focus = dict.fromkeys(_to_rdflib(row["this"], graph, langs)
                              for row in store.query(job.query) if row["this"] is not None)
        return [r for f in focus for r in _rdflib_rows(graph, job, f)]
    rows = store.query(job.query)
    names = [v.value for v in rows.variables]
    out, seen = [], set()
    for row in rows:
        var_dict = {}
        for name in names:
            v = row[name]
            if v is not None:
                var_dict[name] = v
        failure = var_dict.pop("failure", None)
        p = var_dict.pop("path", None)
        v = var_dict.pop("value", None)
        t = var_dict.pop("this", None)
        if t is None:
            continue        # the target sub-select binds ?this in every row
        t = _to_rdflib(t, graph, langs)
        if failure is not None:
            key = (t, True)
            if key not in seen:
                seen.add(key)
                out.append((t, None, None, {k: _to_rdflib(x, graph, langs) for k, x in var_dict.items()},
                            True))
            continue
        p = _to_rdflib(p, graph, langs) if p is not None else None
        v = _to_rdflib(v, graph, langs, t, p) if v is not None else None
        var_dict = {k: _to_rdflib(x, graph, langs) for k, x in var_dict.items()}
        key = (t, p, v, frozenset(var_dict.items()))
        if key in seen:
            continue
        seen.add(key)
        out.append((t, p, v, var_dict, False))
    return out


_PREPARED: dict = {}


def _rdflib_rows(graph: Graph, job: SparqlJob, focus) -> list[tuple]:
    """What pySHACL gets for one focus node: the query run by rdflib with $this pre-bound, its
    rows de-duplicated the way pySHACL's _validate_sparql_query does."""
    from rdflib.plugins.sparql import prepareQuery
    prepared = _PREPARED.get(job.original)
    if prepared is None:
        prepared = _PREPARED[job.original] = prepareQuery(job.original)
    out, seen_failure, seen = [], False, []
    for r in graph.query(prepared, initBindings={"this": focus}):
        var_dict = r.asdict()
        failure = var_dict.pop("failure", None)
        if failure is not None:
            if not seen_failure:
                seen_failure = True
                out.append((focus, None, None, var_dict, True))
            continue
        p = var_dict.pop("path", None)
        v = var_dict.pop("value", None)
        t = var_dict.pop("this", None)
        if p is None and v is None and t is None:
            continue
        key = (t, p, v, var_dict)
        if key in seen:
            continue
        seen.append(key)
        out.append((t or focus, p, v, var_dict, False))
    return out


def _to_rdflib(x, graph: Graph, langs: dict, focus=None, path=None):
    import pyoxigraph as ox
    if isinstance(x, ox.NamedNode):
        return URIRef(x.value)
    if isinstance(x, ox.BlankNode):
        return BNode(x.value)
    if x.language:
        tags = langs.get(x.language, ())
        for tag in sorted(tags):
            lit = Literal(x.value, lang=tag)
            if len(tags) == 1 or (None, None, lit) in graph:
                return lit
        return Literal(x.value, lang=x.language)
    dt = x.datatype.value
    if dt == str(XSD.string):
        plain = Literal(x.value)
        if focus is not None and (None, None, plain) not in graph:
            typed = Literal(x.value, datatype=XSD.string)
            if (None, None, typed) in graph:
                return typed
        return plain
    lit = Literal(x.value, datatype=URIRef(dt))
    if focus is not None:
        # the store writes numbers canonically ("1.50" becomes "1.5", nonNegativeInteger
        # becomes integer): give back the data's own literal, a value of the focus node
        candidates = [o for o in graph.objects(focus, path if isinstance(path, URIRef) else None)
                      if isinstance(o, Literal) and o.language is None and _same_value(o, lit)]
        for prefer in (lambda o: o.datatype == lit.datatype and str(o) == str(lit),
                       lambda o: o.datatype == lit.datatype, lambda o: True):
            for o in sorted(candidates, key=lambda o: (str(o.datatype), str(o))):
                if prefer(o):
                    return o
    return lit


def _same_value(a: Literal, b: Literal) -> bool:
    try:
        return a.eq(b)
    except TypeError:
        return False


def sparql_result_triples(job: SparqlJob, row, shapes: Graph, graph: Graph, report: Graph,
                          report_node):
    """Add one validation result to ``report`` exactly as pySHACL's make_v_result writes it."""
    from pyshacl.rdfutil import clone_blank_node
    t, p, v, var_dict, failure = row
    value = t if v is None else v          # a node shape's result value is the focus node
    if failure:
        bound = dict(var_dict)
    else:
        bound = (t, p, value, var_dict)
    r = BNode()
    report.add((report_node, SH.result, r))
    report.add((r, RDF.type, SH.ValidationResult))
    report.add((r, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
    report.add((r, SH.sourceShape, _clone(shapes, job.shape, report, clone_blank_node)))
    report.add((r, SH.resultSeverity, job.severity))
    report.add((r, SH.focusNode, _clone(graph, t, report, clone_blank_node)))
    report.add((r, SH.value, _clone(graph, value, report, clone_blank_node)))
    if p is not None and not failure:
        report.add((r, SH.resultPath, _clone(shapes, p, report, clone_blank_node)))
    report.add((r, SH.sourceConstraint, _clone(shapes, job.constraint, report, clone_blank_node)))
    messages = list(job.messages)
    for m in job.extra_messages:
        if m in messages:
            continue
        report.add((r, SH.resultMessage, _format(m, bound)))
    if not job.extra_messages and not messages:
        messages = [Literal("Parameterised SHACL Query generated constraint validation reports.")]
        for m in messages:
            report.add((r, SH.resultMessage, m))
        return
    for m in messages:
        report.add((r, SH.resultMessage, _format(m, bound)))


def _clone(source: Graph, node, report: Graph, clone_blank_node):
    if isinstance(node, BNode):
        return clone_blank_node(source, node, report, keepid=True)
    return node


def _format(m, bound):
    """pySHACL's _format_sparql_based_result_message, to the letter."""
    if not isinstance(m, Literal):
        return m
    msg = str(m.value)
    fdict = {}
    if isinstance(bound, tuple):
        fdict.update(bound[3])
        if bound[0] is not None:
            fdict["this"] = bound[0]
        if bound[1] is not None:
            fdict["path"] = bound[1]
        if bound[2] is not None:
            fdict["value"] = bound[2]
    else:
        fdict.update(bound)
    for var, val in fdict.items():
        msg = re.sub("{{[?$]{}}}".format(var), str(val), msg)
    return Literal(msg)


# -- core constraints on partitions -------------------------------------------------------------

_SHARED: dict = {}      # what forked workers read (set before the fork, never copied)


def subjects_of(graph: Graph) -> list:
    """The distinct subjects of ``graph``, in the store's order."""
    return list(graph.subjects(unique=True))


def _chunk_graph(graph: Graph, subjects, subclass_triples) -> Graph:
    g = Graph()
    add = g.add
    objects = set()
    for s in subjects:
        for p, o in graph.predicate_objects(s):
            add((s, p, o))
            if not isinstance(o, Literal):
                objects.add(o)
    owned = set(subjects)
    for o in objects:
        if o in owned:
            continue
        for c in graph.objects(o, RDF.type):
            add((o, RDF.type, c))
    for t in subclass_triples:
        add(t)
    return g


def validate_chunk(index: int) -> tuple[list, bool]:
    """pySHACL (core shapes) on chunk ``index``; the kept results as report triples.

    The chunk also holds the rdf:type of nodes it does not own (for sh:class); pySHACL targets
    them too, and they may fail for want of their other triples: only the results of the focus
    nodes the chunk owns are kept (the owner's chunk reports the others)."""
    import pyshacl
    graph, core, chunks, subclass = (_SHARED[k] for k in ("graph", "core", "chunks", "subclass"))
    subjects = chunks[index]
    g = _chunk_graph(graph, subjects, subclass)
    owned = set(subjects)
    _, rg, _ = pyshacl.validate(g, shacl_graph=core, inference="none", advanced=False,
                                allow_warnings=True, abort_on_first=False,
                                meta_shacl=False, debug=False)
    return _kept(rg, lambda focus: focus in owned)


def _kept(rg: Graph, keep) -> tuple[list, bool]:
    out, conforms = [], True
    for r in rg.objects(None, SH.result):      # top-level results (with their sh:detail)
        if not keep(rg.value(r, SH.focusNode)):
            continue
        if rg.value(r, SH.resultSeverity) not in _ALLOWED:
            conforms = False
        todo, done = [r], set()
        while todo:
            n = todo.pop()
            if n in done:
                continue
            done.add(n)
            for p, o in rg.predicate_objects(n):
                out.append((n, p, o))
                if isinstance(o, BNode):
                    todo.append(o)
        out.append((None, SH.result, r))
    return out, conforms


#: how the last core validation ran: chunks, and the process id that validated each
LAST_RUN: dict = {}


def run_core(graph: Graph, core: Graph, workers: int, chunk_size: int):
    """Start validating the core shapes chunk by chunk: in this process (``workers`` <= 1) or in
    ``workers`` forked processes, worker k taking chunks k, k + workers, ... (so every worker has
    work as soon as there are as many chunks). Returns a handle for finish_core."""
    subjects = subjects_of(graph)
    chunks = [subjects[i:i + chunk_size] for i in range(0, len(subjects), chunk_size)]
    subclass = list(graph.triples((None, RDFS.subClassOf, None)))
    _SHARED.update(graph=graph, core=core, chunks=chunks, subclass=subclass)
    LAST_RUN.clear()
    LAST_RUN.update(chunks=len(chunks), pids=[])
    workers = min(workers, len(chunks))
    if workers <= 1:
        return ("done", [_run_share(0, 1)])
    import multiprocessing as mp
    ctx = mp.get_context("fork")
    queue = ctx.SimpleQueue()
    gc.collect()
    gc.freeze()         # keep the collector from touching (and so copying) the shared graph
    procs = [ctx.Process(target=_worker_main, args=(k, workers, queue), daemon=True)
             for k in range(workers)]
    for proc in procs:
        proc.start()
    return ("procs", (procs, queue))


def _run_share(k: int, workers: int) -> tuple:
    out, conforms = [], True
    for index in range(k, len(_SHARED["chunks"]), workers):
        found, ok = validate_chunk(index)
        out.extend(found)
        conforms = conforms and ok
    return os.getpid(), out, conforms


def _worker_main(k: int, workers: int, queue) -> None:
    try:
        queue.put(("ok", _run_share(k, workers)))
    except BaseException:   # the parent raises it with the worker's traceback
        import traceback
        queue.put(("error", traceback.format_exc()))


def finish_core(handle) -> list[tuple[list, bool]]:
    """Wait for the core validation; [(report triples, conforms)] per worker."""
    kind, value = handle
    try:
        if kind == "done":
            shares = value
        else:
            procs, queue = value
            shares, errors = [], []
            for _ in procs:
                status, payload = queue.get()
                (shares if status == "ok" else errors).append(payload)
            for proc in procs:
                proc.join()
            if errors:
                raise RuntimeError("SHACL validation worker failed:\n" + errors[0])
    finally:
        if kind != "done":
            gc.unfreeze()
        _SHARED.clear()
    LAST_RUN["pids"] = sorted(pid for pid, _, _ in shares)
    return [(found, ok) for _, found, ok in shares]


def default_workers() -> int:
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:   # pragma: no cover - not Linux
        n = os.cpu_count() or 1
    return max(1, min(2, n))
