"""A canonical Turtle writer: the same graph always gives the same bytes.

Subjects, predicates and objects are sorted; blank nodes (found only in ontology axioms) are
written inline as ``[ ... ]`` and RDF lists as ``( ... )``, so no generated label can differ
between runs. It runs in time linear in the triples (after the sort), which rdflib's own Turtle
serializer does not on folder-like IRIs.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import IO, Any, cast

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from livergraph.namespaces import PREFIXES

_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
            "\f": "\\f"}
_ESCAPE_RE = re.compile(r'[\\"\n\r\t\b\f]')
# looked up once: rdflib's namespace attributes build a new term on every access
_TYPE, _FIRST, _REST, _NIL, _STRING = RDF.type, RDF.first, RDF.rest, RDF.nil, XSD.string
_SHORT = 48   # rendered literals up to this length are kept for reuse


class TurtleError(ValueError):
    pass


def _escape(text: str) -> str:
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], text)


class _Names:
    def __init__(self, prefixes: dict[str, str]):
        # longest namespace first, so lgc: wins over a shorter match
        self.spaces = sorted(((ns, p) for p, ns in prefixes.items()), key=lambda x: -len(x[0]))
        self.cache: dict[URIRef, str] = {}

    def iri(self, u: URIRef) -> str:
        text = self.cache.get(u)
        if text is None:
            s = str(u)
            text = None
            for ns, p in self.spaces:
                if s.startswith(ns) and _LOCAL.match(s[len(ns):]):
                    text = f"{p}:{s[len(ns):]}"
                    break
            if text is None:
                text = "<" + s.replace("\\", "\\u005C").replace(">", "\\u003E") + ">"
            self.cache[u] = text
        return text

    def literal(self, lit: Literal) -> str:
        text = str(lit)
        body = '"' + (_escape(text) if _ESCAPE_RE.search(text) else text) + '"'
        lang = lit.language
        if lang:
            return f"{body}@{lang}"
        datatype = lit.datatype
        if datatype and datatype != _STRING:
            return f"{body}^^{self.iri(datatype)}"
        return body


def _sort_key(o: Node) -> tuple[int, str, str, str]:
    kind = type(o)
    if kind is URIRef:   # the common cases first, without isinstance's ABC machinery
        return (0, str(o), "", "")
    if kind is Literal:
        lit = cast(Literal, o)
        return (2, str(lit), str(lit.datatype or ""), lit.language or "")
    if isinstance(o, URIRef):
        return (0, str(o), "", "")
    if isinstance(o, Literal):
        return (2, str(o), str(o.datatype or ""), o.language or "")
    return (1, "", "", "")


def write_turtle(graph: Graph, out: IO[str], prefixes: dict[str, str] | None = None) -> int:
    """Write ``graph`` as canonical Turtle; return the number of triples written."""
    from livergraph.model.load import paused_gc
    with paused_gc():   # many small lists next to a large graph: see load.paused_gc
        return _write_turtle(graph, out, prefixes)


def _write_turtle(graph: Graph, out: IO[str], prefixes: dict[str, str] | None) -> int:
    names = _Names(prefixes or PREFIXES)
    referenced: dict[BNode, int] = defaultdict(int)
    # subject -> predicate -> its objects
    by_subject: dict[Node, dict[Node, Any]] = {}
    count = 0
    for s, p, o in graph:
        po = by_subject.get(s)
        if po is None:
            by_subject[s] = {p: [o]}
        else:
            objs = po.get(p)
            if objs is None:
                po[p] = [o]
            else:
                objs.append(o)
        if type(o) is not URIRef and type(o) is not Literal and isinstance(o, BNode):
            referenced[o] += 1
        count += 1
    for b, n in referenced.items():
        if n > 1:
            raise TurtleError(f"blank node {b} is used as the object of {n} triples; "
                              "give it an IRI")

    def node(o: Node, depth: int) -> str:
        if isinstance(o, URIRef):
            return names.iri(o)
        if isinstance(o, Literal):
            return names.literal(o)
        return bnode(cast(BNode, o), depth)

    def as_list(b: BNode) -> list[Node] | None:
        items, cur, seen = [], b, set()
        while cur != _NIL:
            if not isinstance(cur, BNode) or cur in seen:
                return None
            seen.add(cur)
            po = by_subject.get(cur, {})
            firsts = list(po.get(_FIRST, ()))
            rests = list(po.get(_REST, ()))
            if sum(len(objs) for objs in po.values()) != 2 or len(firsts) != 1 \
                    or len(rests) != 1:
                return None
            if cur is not b and referenced.get(cur, 0) != 1:
                return None
            items.append(firsts[0])
            cur = rests[0]
        return items

    def bnode(b: BNode, depth: int) -> str:
        if depth > 50:
            raise TurtleError("blank-node nesting is too deep")
        items = as_list(b)
        if items is not None:
            return "( " + " ".join(node(i, depth + 1) for i in items) + " )"
        body = predicate_list(by_subject.get(b, {}), depth + 1)
        return "[ " + body + " ]" if body else "[]"

    iri, literal = names.iri, names.literal
    # per predicate: its place in the order (rdf:type first, then by IRI) and its name
    predicates: dict[Node, tuple[tuple[bool, str], str]] = {}

    def predicate(p: Node) -> tuple[tuple[bool, str], str]:
        info = predicates.get(p)
        if info is None:
            info = predicates[p] = ((p != _TYPE, str(p)), "a " if p == _TYPE else iri(cast(URIRef, p)) + " ")
        return info

    # short literals recur (codes, numbers, dates): their text is kept, by object identity
    # (the graph holds every object while it is written, so an id is never reused meanwhile)
    short: dict[int, tuple[Literal, str]] = {}

    def predicate_list(grouped: dict[Node, Any], depth: int) -> str:
        parts = []
        for key, pname, objs in sorted((*predicate(p), objs) for p, objs in grouped.items()
                                       if objs):
            if len(objs) > 1:
                objs = sorted(objs, key=_sort_key)
            rendered = []
            blank = False
            for o in objs:
                kind = type(o)
                if kind is URIRef:
                    rendered.append(iri(o))
                elif kind is Literal:
                    hit = short.get(id(o))
                    if hit is not None and hit[0] is o:
                        rendered.append(hit[1])
                    else:
                        text = literal(o)
                        if len(text) <= _SHORT:
                            short[id(o)] = (o, text)
                        rendered.append(text)
                else:
                    rendered.append(node(o, depth))
                    blank = blank or isinstance(o, BNode)
            if blank:
                rendered.sort()
            parts.append(pname + " , ".join(rendered))
        sep = " ;\n" + "    " if depth == 0 else " ; "
        return sep.join(parts)

    for prefix in sorted(names.spaces, key=lambda x: x[1]):
        out.write(f"@prefix {prefix[1]}: <{prefix[0]}> .\n")
    out.write("\n")
    # blocks are separated by an empty line and written as they are made (no copy of the whole
    # document in memory)
    first = True
    for s in sorted((s for s, po in by_subject.items()
                     if isinstance(s, URIRef) and any(po.values())), key=str):
        out.write(("" if first else "\n") + f"{iri(s)}\n    {predicate_list(by_subject[s], 0)} .\n")
        first = False
    for orphan in sorted(bnode(b, 0) + " .\n" for b, po in by_subject.items()
                         if isinstance(b, BNode) and b not in referenced and any(po.values())):
        out.write(("" if first else "\n") + orphan)
        first = False
    return count
