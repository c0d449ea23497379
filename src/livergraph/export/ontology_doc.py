"""Human-readable documentation of the ontology: one offline HTML page from ontology/livergraph.ttl.

The page lists every class, property and concept scheme of the ``lg:``/``lgc:`` namespaces with
its English and traditional Chinese labels, definition, super-classes/-properties, domain and
range, and the standard identifiers it aligns to; each term has an anchor named after its local
name, so ``https://w3id.org/livergraph/ontology#Trial`` lands on the right entry once the
redirect rules in ``ontology/w3id/.htaccess`` send browsers to this page. The page is the same
bytes for the same ontology (sorted, no timestamps).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from livergraph.io.curies import compact
from livergraph.namespaces import LG, LGC, ONTOLOGY_IRI

_KINDS = ((OWL.Class, "Classes"), (OWL.ObjectProperty, "Object properties"),
          (OWL.DatatypeProperty, "Data properties"), (OWL.AnnotationProperty,
                                                      "Annotation properties"))


@dataclass
class Term:
    """One documented term."""
    iri: str
    curie: str
    anchor: str
    label_en: str
    label_zh: str
    definition: str
    parents: list[tuple[str, str]] = field(default_factory=list)   # (href, text)
    domain: list[tuple[str, str]] = field(default_factory=list)
    range: list[tuple[str, str]] = field(default_factory=list)
    members: list[Term] = field(default_factory=list)


def _text(g: Graph, s: URIRef, p: URIRef, lang: str | None) -> str:
    values = sorted(str(o) for o in g.objects(s, p)
                    if isinstance(o, Literal) and (lang is None or o.language == lang))
    return values[0] if values else ""


def _anchor(iri: str) -> str:
    for ns in (str(LG), str(LGC)):
        if iri.startswith(ns):
            return iri[len(ns):]
    return ""


def _link(iri: URIRef) -> tuple[str, str]:
    text = compact(str(iri), brackets=False)
    anchor = _anchor(str(iri))
    return (f"#{anchor}" if anchor else str(iri), text)


def _term(g: Graph, s: URIRef) -> Term:
    iri = str(s)
    parents = sorted({_link(o) for p in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass,
                                          SKOS.exactMatch, SKOS.closeMatch)
                      for o in g.objects(s, p) if isinstance(o, URIRef)}, key=lambda x: x[1])
    return Term(iri=iri, curie=compact(iri, brackets=False), anchor=_anchor(iri),
                label_en=_text(g, s, RDFS.label, "en") or _text(g, s, SKOS.prefLabel, "en"),
                label_zh=_text(g, s, RDFS.label, "zh-Hant") or _text(g, s, SKOS.prefLabel,
                                                                     "zh-Hant"),
                definition=_text(g, s, SKOS.definition, "en") or _text(g, s, RDFS.comment, "en"),
                parents=parents,
                domain=sorted({_link(o) for o in g.objects(s, RDFS.domain)
                               if isinstance(o, URIRef)}, key=lambda x: x[1]),
                range=sorted({_link(o) for o in g.objects(s, RDFS.range)
                              if isinstance(o, URIRef)}, key=lambda x: x[1]))


def sections(g: Graph) -> list[tuple[str, list[Term]]]:
    """(heading, terms) for classes, each kind of property, and the concept schemes."""
    out: list[tuple[str, list[Term]]] = []
    seen: set[URIRef] = set()
    for kind, heading in _KINDS:
        terms = sorted((s for s in set(g.subjects(RDF.type, kind))
                        if isinstance(s, URIRef) and str(s).startswith(str(LG)) and s not in seen),
                       key=str)
        seen.update(terms)
        out.append((heading, [_term(g, s) for s in terms]))
    schemes = []
    for scheme in sorted((s for s in g.subjects(RDF.type, SKOS.ConceptScheme)
                          if isinstance(s, URIRef)), key=str):
        t = _term(g, scheme)
        t.members = [_term(g, c) for c in sorted((c for c in g.subjects(SKOS.inScheme, scheme)
                                                  if isinstance(c, URIRef)), key=str)]
        schemes.append(t)
    out.append(("Concept schemes", schemes))
    return out


def render(g: Graph) -> str:
    """The documentation page for the ontology graph ``g``."""
    import jinja2
    template_text = resources.files("livergraph.export").joinpath(
        "assets/ontology.html.j2").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    return env.from_string(template_text).render(
        title=_text(g, ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/title"), "en"),
        description=_text(g, ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/description"), "en"),
        version=_text(g, ONTOLOGY_IRI, OWL.versionInfo, None),
        iri=str(ONTOLOGY_IRI), sections=sections(g))


def write_ontology_doc(ontology: Path, output: Path) -> int:
    """Write the documentation page of ``ontology`` (Turtle) to ``output``; return the number of
    terms documented."""
    from livergraph.io.atomic import write_atomic
    g = Graph()
    g.parse(ontology, format="turtle")
    page = render(g)
    write_atomic(output, lambda h: h.write(page))
    return sum(len(terms) + sum(len(t.members) for t in terms) for _, terms in sections(g))
