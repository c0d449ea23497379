"""The ontology read as a schema: which classes and properties exist, their ranges, and the
controlled concepts by notation. The builder refuses anything this schema does not declare."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from livergraph.errors import UnreadableInput
from livergraph.namespaces import LG

DATATYPE_RANGES = {XSD.string, RDF.langString, XSD.decimal, XSD.integer, XSD.nonNegativeInteger,
                   XSD.boolean, XSD.duration, XSD.date, XSD.anyURI, LG.PartialDate}


@dataclass(frozen=True)
class Property:
    iri: URIRef
    key: str                 # the key used in curated data
    kind: str                # "object" or "datatype"
    range: URIRef | None     # class or datatype; None means any
    functional: bool = False
    mapped_to: URIRef | None = None


#: Properties from other vocabularies that curated data may use, with livergraph's expectation
#: of their values. They are declared here rather than re-declared in the ontology.
EXTERNAL_PROPERTIES = {
    "label": Property(RDFS.label, "label", "datatype", RDF.langString),
    "comment": Property(RDFS.comment, "comment", "datatype", RDF.langString),
    "source": Property(PROV.wasDerivedFrom, "source", "object", LG.SourceDocument),
}


@dataclass
class Schema:
    graph: Graph
    properties: dict[str, Property] = field(default_factory=dict)    # data key -> property
    classes: set[URIRef] = field(default_factory=set)
    segments: dict[URIRef, str] = field(default_factory=dict)        # class -> IRI segment
    superclasses: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    concepts: dict[URIRef, URIRef] = field(default_factory=dict)     # concept -> its class
    notations: dict[URIRef, dict[str, URIRef]] = field(default_factory=dict)  # class -> notation -> concept

    @cached_property
    def property_iris(self) -> set[URIRef]:
        return {p.iri for p in self.properties.values()}

    def is_subclass(self, cls: URIRef, ancestor: URIRef) -> bool:
        return cls == ancestor or ancestor in self.superclasses.get(cls, ())

    def is_concept_class(self, cls: URIRef | None) -> bool:
        return cls is not None and self.is_subclass(cls, LG.Term)

    def segment_of(self, cls: URIRef) -> str | None:
        for c in [cls, *sorted(self.superclasses.get(cls, ()))]:
            if c in self.segments:
                return self.segments[c]
        return None

    def class_by_key(self, key: str) -> URIRef | None:
        iri = LG[key]
        return iri if iri in self.classes else None

    def concept_for(self, cls: URIRef, notation: str) -> URIRef | None:
        """The concept of class ``cls`` (or a subclass) with this skos:notation."""
        for c, table in self.notations.items():
            if self.is_subclass(c, cls) and notation in table:
                return table[notation]
        return None

    def notations_of(self, cls: URIRef) -> list[str]:
        return sorted(n for c, t in self.notations.items() if self.is_subclass(c, cls) for n in t)


def load_ontology_graph(path: Path) -> Graph:
    try:
        return Graph().parse(path, format="turtle")
    except FileNotFoundError:
        raise UnreadableInput("ontology file not found", file=str(path),
                              hint="run livergraph from the repository root or pass --ontology") from None
    except Exception as exc:  # rdflib raises several parser exception types
        raise UnreadableInput(f"ontology is not valid Turtle: {exc}", file=str(path)) from None


def schema_from_graph(g: Graph) -> Schema:
    s = Schema(graph=g)
    for cls in g.subjects(RDF.type, OWL.Class):
        if isinstance(cls, URIRef):
            s.classes.add(cls)
    for cls in s.classes:
        seg = g.value(cls, LG.iriSegment)
        if seg is not None:
            s.segments[cls] = str(seg)
        s.superclasses[cls] = {c for c in g.transitive_objects(cls, RDFS.subClassOf)
                               if isinstance(c, URIRef) and c != cls}
    functional = set(g.subjects(RDF.type, OWL.FunctionalProperty))
    for kind, owl_type in (("object", OWL.ObjectProperty), ("datatype", OWL.DatatypeProperty)):
        for p in g.subjects(RDF.type, owl_type):
            if not isinstance(p, URIRef) or not str(p).startswith(str(LG)):
                continue
            key = str(p)[len(str(LG)):]
            rng = g.value(p, RDFS.range)
            s.properties[key] = Property(p, key, kind, rng if isinstance(rng, URIRef) else None,
                                         p in functional, g.value(p, LG.mappedTo))
    s.properties.update(EXTERNAL_PROPERTIES)
    for cls in s.classes:
        if not s.is_subclass(cls, LG.Term):
            continue
        for concept in g.subjects(RDF.type, cls):
            s.concepts[concept] = cls
            notation = g.value(concept, SKOS.notation)
            if notation is not None:
                s.notations.setdefault(cls, {})[str(notation)] = concept
    return s


def load_schema(path: Path) -> Schema:
    return schema_from_graph(load_ontology_graph(path))
