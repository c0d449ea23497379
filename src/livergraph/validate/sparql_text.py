"""Reading and rewriting the text of SPARQL-based constraints for the scalable validator:
``$this`` bound by the shape's targets in a sub-select, whether a query may run once for all focus
nodes, whether it computes values, and which predicates it can match."""
from __future__ import annotations

import re

from rdflib import BNode, URIRef, Variable
from rdflib.namespace import RDF, RDFS

_AGGREGATE = re.compile(r"\b(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", re.I)
_GROUP_BY_THIS = re.compile(r"\bGROUP\s+BY\b[^{}]*[?$]this\b", re.I)
_UNSAFE = re.compile(r"\b(LIMIT|OFFSET|MINUS|VALUES|SERVICE)\b|[?$](PATH|currentShape|shapesGraph)\b")
_PROJECTS_THIS = re.compile(r"^\s*SELECT\s+(DISTINCT\s+|REDUCED\s+)?[^{]*?[?$]this\b", re.I | re.S)


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

