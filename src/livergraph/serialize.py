"""A canonical Turtle writer: the same graph always gives the same bytes.

Subjects, predicates and objects are sorted; blank nodes (found only in ontology axioms) are
written inline as ``[ ... ]`` and RDF lists as ``( ... )``, so no generated label can differ
between runs. It runs in time linear in the triples (after the sort), which rdflib's own Turtle
serializer does not on folder-like IRIs.
"""
from __future__ import annotations

import os
import re
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import IO, Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from .namespaces import PREFIXES

_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
            "\f": "\\f"}
_ESCAPE_RE = re.compile(r'[\\"\n\r\t\b\f]')


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
        body = '"' + _escape(str(lit)) + '"'
        if lit.language:
            return f"{body}@{lit.language}"
        if lit.datatype and lit.datatype != XSD.string:
            return f"{body}^^{self.iri(lit.datatype)}"
        return body


def _sort_key(o) -> tuple:
    if isinstance(o, URIRef):
        return (0, str(o), "", "")
    if isinstance(o, Literal):
        return (2, str(o), str(o.datatype or ""), o.language or "")
    return (1, "", "", "")


def write_turtle(graph: Graph, out: IO[str], prefixes: dict[str, str] | None = None) -> int:
    """Write ``graph`` as canonical Turtle; return the number of triples written."""
    names = _Names(prefixes or PREFIXES)
    by_subject: dict = defaultdict(list)
    referenced: dict[BNode, int] = defaultdict(int)
    count = 0
    for s, p, o in graph:
        by_subject[s].append((p, o))
        if isinstance(o, BNode):
            referenced[o] += 1
        count += 1
    for b, n in referenced.items():
        if n > 1:
            raise TurtleError(f"blank node {b} is used as the object of {n} triples; "
                              "give it an IRI")

    def node(o, depth: int) -> str:
        if isinstance(o, URIRef):
            return names.iri(o)
        if isinstance(o, Literal):
            return names.literal(o)
        return bnode(o, depth)

    def as_list(b: BNode) -> list | None:
        items, cur, seen = [], b, set()
        while cur != RDF.nil:
            if not isinstance(cur, BNode) or cur in seen:
                return None
            seen.add(cur)
            po = by_subject.get(cur, [])
            firsts = [o for p, o in po if p == RDF.first]
            rests = [o for p, o in po if p == RDF.rest]
            if len(po) != 2 or len(firsts) != 1 or len(rests) != 1:
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
        body = predicate_list(by_subject.get(b, []), depth + 1)
        return "[ " + body + " ]" if body else "[]"

    def predicate_list(pos: Iterable, depth: int, indent: str = " ") -> str:
        grouped: dict = defaultdict(list)
        for p, o in pos:
            grouped[p].append(o)
        parts = []
        for p in sorted(grouped, key=lambda x: (x != RDF.type, str(x))):
            objs = sorted(grouped[p], key=_sort_key)
            rendered = [node(o, depth) for o in objs]
            if any(isinstance(o, BNode) for o in objs):
                rendered.sort()
            pname = "a" if p == RDF.type else names.iri(p)
            parts.append(f"{pname} " + " , ".join(rendered))
        sep = " ;\n" + "    " if depth == 0 else " ; "
        return sep.join(parts)

    for prefix in sorted(names.spaces, key=lambda x: x[1]):
        out.write(f"@prefix {prefix[1]}: <{prefix[0]}> .\n")
    out.write("\n")
    blocks = []
    for s in sorted((s for s in by_subject if isinstance(s, URIRef)), key=str):
        blocks.append(f"{names.iri(s)}\n    {predicate_list(by_subject[s], 0)} .\n")
    orphans = sorted(bnode(b, 0) + " .\n" for b in by_subject
                     if isinstance(b, BNode) and b not in referenced)
    out.write("\n".join(blocks + orphans))
    return count


def write_atomic(path: Path, writer) -> None:
    """Write a file through ``writer(handle)`` into a temporary file and rename it into place,
    so a failure never leaves a half-written output."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            writer(handle)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
