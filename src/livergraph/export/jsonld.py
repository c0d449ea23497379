"""JSON-LD: the published ``@context`` generated from the ontology, and compact documents.

The context (``ontology/context.jsonld``, ``jsonld_context``) has one term per data key (its YAML
name), coerced as its rdfs:range says, and one per class; language strings are language maps.
Documents (``jsonld_document``) hold one node object per subject, sorted, with full IRIs.
"""
from __future__ import annotations

import json
from typing import IO

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from livergraph.export.formats import EXPORT_PREFIXES, _term_key
from livergraph.namespaces import LG, RECORD_SEGMENTS


def write_jsonld(parts, out: IO[str], context: dict | None = None) -> None:
    from livergraph.export.formats import canonical
    from livergraph.model.schema import schema_from_graph
    if context is None:
        context = jsonld_context(schema_from_graph(parts.ontology))
    doc = jsonld_document(canonical(parts.merged()), context)
    out.write(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")


# -- JSON-LD -------------------------------------------------------------------------------------

_GEN_DELIMS = tuple(":/?#[]@")
_RANGE_TYPES = (XSD.decimal, XSD.integer, XSD.nonNegativeInteger, XSD.boolean, XSD.duration,
                XSD.date, XSD.anyURI)


def _context_prefixes() -> dict[str, str]:
    """Prefixes usable in compact IRIs: JSON-LD 1.1 only treats a term as a prefix when its IRI
    ends with a general delimiter. Record segments (trial:, arm:, issue: …) are left out: three
    of them (arm, issue, source) are also data keys, and a term cannot be both."""
    return {p: ns for p, ns in sorted(EXPORT_PREFIXES.items())
            if p not in RECORD_SEGMENTS and ns.endswith(_GEN_DELIMS)}


def jsonld_context(schema) -> dict:
    """The JSON-LD @context generated from the ontology: one term per data key (its YAML name),
    coerced as its rdfs:range says, and one per class; language strings as language maps."""
    prefixes = _context_prefixes()
    ctx: dict = {"id": "@id", "type": "@type"}
    ctx.update(prefixes)
    terms: dict[str, object] = {}
    for cls in sorted(schema.classes):
        if str(cls).startswith(str(LG)):
            terms[str(cls)[len(str(LG)):]] = _curie(cls, prefixes)
    for key, prop in sorted(schema.properties.items()):
        if key in prefixes or key in ("id", "type"):
            raise ValueError(f"data key {key!r} clashes with a JSON-LD prefix")
        definition: dict = {"@id": _curie(prop.iri, prefixes)}
        if prop.kind == "object":
            definition["@type"] = "@id"
        elif prop.range == RDF.langString:
            definition["@container"] = "@language"
        elif prop.range in _RANGE_TYPES:
            definition["@type"] = _curie(prop.range, prefixes)
        terms[key] = definition
    ctx.update(sorted(terms.items()))
    return ctx


def _curie(iri, prefixes: dict[str, str]) -> str:
    s = str(iri)
    best = ""
    for p, ns in prefixes.items():
        if s.startswith(ns) and len(ns) > len(prefixes.get(best, "")) and len(s) > len(ns):
            best = p
    return f"{best}:{s[len(prefixes[best]):]}" if best else s


class _Compactor:
    def __init__(self, context: dict):
        self.prefixes = {k: v for k, v in context.items()
                         if isinstance(v, str) and not k.startswith("@") and v.endswith(_GEN_DELIMS)
                         and k not in ("id", "type")}
        self.by_iri: dict[str, tuple[str, dict]] = {}
        self.classes: dict[str, str] = {}
        for key, value in context.items():
            if isinstance(value, dict):
                self.by_iri[self.expand(value["@id"])] = (key, value)
            elif isinstance(value, str) and key not in self.prefixes and not key.startswith("@") \
                    and key not in ("id", "type"):
                self.classes[self.expand(value)] = key

    def expand(self, text: str) -> str:
        prefix, sep, rest = text.partition(":")
        if sep and prefix in self.prefixes:
            return self.prefixes[prefix] + rest
        return text

    def iri(self, node) -> str:
        """An IRI or blank node as written in an @id position (relative to @base, or a CURIE)."""
        if isinstance(node, BNode):
            return f"_:{node}"
        return _curie(node, self.prefixes)

    def vocab(self, iri) -> str:
        """An IRI in a vocabulary position (a key, a type)."""
        return self.classes.get(str(iri)) or _curie(iri, self.prefixes)

    def value(self, o, coerce: str | None):
        if isinstance(o, (URIRef, BNode)):
            return self.iri(o) if coerce == "@id" else {"@id": self.iri(o)}
        if o.language:
            return {"@value": str(o), "@language": o.language}
        dt = o.datatype
        if dt is None or dt == XSD.string:
            return str(o) if coerce is None else {"@value": str(o)}
        if coerce is not None and coerce != "@id" and self.expand(coerce) == str(dt):
            return str(o)
        return {"@value": str(o), "@type": self.vocab(dt)}

    def node(self, s, pos: list) -> dict:
        out: dict = {"id": self.iri(s)}
        types = sorted(self.vocab(o) for p, o in pos if p == RDF.type)
        if types:
            out["type"] = types if len(types) > 1 else types[0]
        grouped: dict = {}
        for p, o in pos:
            if p != RDF.type:
                grouped.setdefault(p, []).append(o)
        entries: dict[str, object] = {}
        for p, objs in grouped.items():
            objs = sorted(objs, key=_term_key)
            term = self.by_iri.get(str(p))
            fallback = []
            if term is not None and term[1].get("@container") == "@language":
                langmap: dict[str, list[str]] = {}
                for o in objs:
                    if isinstance(o, Literal) and o.language:
                        langmap.setdefault(o.language, []).append(str(o))
                    else:
                        fallback.append(o)
                if langmap:
                    entries[term[0]] = {lang: v if len(v) > 1 else v[0]
                                        for lang, v in sorted(langmap.items())}
            elif term is not None:
                entries[term[0]] = _one_or_many([self.value(o, term[1].get("@type"))
                                                 for o in objs])
            else:
                fallback = objs
            if fallback:
                entries[_curie(p, self.prefixes)] = _one_or_many(
                    [self.value(o, None) for o in fallback])
        out.update(sorted(entries.items()))
        return out


def _one_or_many(values: list):
    return values[0] if len(values) == 1 else values


def jsonld_document(graph: Graph, context: dict) -> dict:
    """A compact JSON-LD document of ``graph``: one node object per subject, sorted."""
    comp = _Compactor(context)
    by_subject: dict = {}
    for s, p, o in graph:
        by_subject.setdefault(s, []).append((p, o))
    nodes = [comp.node(s, by_subject[s]) for s in sorted(by_subject, key=_term_key)]
    return {"@context": context, "@graph": nodes}


def context_text(schema) -> str:
    """The published context file (ontology/context.jsonld): one term a line."""
    ctx = jsonld_context(schema)
    lines = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in ctx.items()]
    return '{\n "@context": {\n' + ",\n".join(lines) + "\n }\n}\n"
