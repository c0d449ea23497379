"""SPARQL-based constraints on pyoxigraph: one whole-graph query per constraint, each row turned
into the validation result pySHACL would make (see ``livergraph.validate.scaled``)."""
from __future__ import annotations

import re

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from livergraph.validate.plan import _ALLOWED, SparqlJob  # noqa: F401  (_ALLOWED: re-exported)

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

