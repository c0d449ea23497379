"""A VoID / DCAT description of the built dataset: what linked-data catalogues and tools expect.

``describe_dataset(graph, version=...)`` returns a small graph about the dataset
``https://w3id.org/livergraph/dataset/<version>``: title and description (English and traditional
Chinese), version, licence, creator, creation date, its sources (the seed article and every
publication), its triple count, the vocabularies its statements use and an example resource.
The build adds it to the graph it publishes (``build_from(..., include_ontology=True)``).

Everything is derived from the inputs, never from the clock, so the same inputs give the same
description byte for byte:

* ``dcterms:created`` is the newest full date (``xsd:date``) on which a source the data was read
  from was published, posted, updated or retrieved (``lg:publicationDate``, ``lg:firstPostedDate``,
  ``lg:lastUpdatePostedDate``, ``lg:versionDate``, ``lg:retrievedOn``, ``lg:asOf``): the data is as
  new as its newest dated source. Planned dates (a trial's completion date) are not used, as they
  may lie in the future. With no such date the description has no ``dcterms:created``.
* ``void:triples`` counts every statement of the described graph *including the description
  itself*, so it equals what ``rapper -c`` counts in the file. Statements added after the
  description was made (the reasoner's inferred types) are counted by ``set_triple_count``,
  which ``livergraph export`` and ``livergraph push`` call.
* The licence and creator are the ontology's own (``dcterms:license``, ``dcterms:creator`` on
  ``<https://w3id.org/livergraph/ontology>``).
"""
from __future__ import annotations

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from livergraph.namespaces import BASE, ID_BASE, LG, ONTOLOGY_IRI, PREFIXES

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")

#: The unversioned dataset; each release is ``<DATASET_IRI>/<version>``.
DATASET_IRI = URIRef(BASE + "dataset")
#: The named graph a release is pushed to (``livergraph push``) and its prefix.
GRAPH_BASE = BASE + "graph/"
DEFAULT_LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")

TITLE = {
    "en": "livergraph: stem-cell therapy trials for liver cirrhosis",
    "zh-Hant": "livergraph:肝硬化幹細胞治療臨床試驗知識圖譜",
}
DESCRIPTION = {
    "en": ("A knowledge graph of stem-cell therapy trials for liver cirrhosis: registered "
           "trials, their sponsors, the cells they infuse (source, donor, route, dose) and the "
           "outcomes measured in patients, each fact typed, linked to standard identifiers "
           "(MONDO, CL, UBERON, NCIT, LOINC, UO) and traced to the source it was read from."),
    "zh-Hant": ("肝硬化幹細胞治療臨床試驗的知識圖譜:登記試驗、申辦者、輸注的細胞(來源、供者、途徑、"
                "劑量)以及病人的療效指標;每項事實皆有型別、連結至標準識別碼(MONDO、CL、UBERON、"
                "NCIT、LOINC、UO),並可追溯至其來源。"),
}
KEYWORDS = ("liver cirrhosis", "stem-cell therapy", "mesenchymal stem cells", "clinical trials",
            "knowledge graph")

#: Dates of sources (published, posted, updated, retrieved), never planned dates.
SOURCE_DATE_PROPERTIES = (LG.publicationDate, LG.firstPostedDate, LG.lastUpdatePostedDate,
                          LG.versionDate, LG.retrievedOn, LG.asOf)

#: Vocabularies a statement can use, namespace -> the IRI that names the vocabulary.
_VOCABULARIES = {
    str(LG): ONTOLOGY_IRI,
    PREFIXES["lgc"]: URIRef(PREFIXES["lgc"]),
    str(RDF): URIRef(str(RDF)), str(RDFS): URIRef(str(RDFS)), str(OWL): URIRef(str(OWL)),
    str(XSD): URIRef(str(XSD)), str(SKOS): URIRef(str(SKOS)),
    str(DCTERMS): URIRef(str(DCTERMS)), str(PROV): URIRef(str(PROV)),
    PREFIXES["schema"]: URIRef(PREFIXES["schema"]), PREFIXES["obo"]: URIRef(PREFIXES["obo"]),
    str(VOID): URIRef(str(VOID)), str(DCAT): URIRef(str(DCAT)),
}


def release_iri(version: str) -> URIRef:
    return URIRef(f"{DATASET_IRI}/{version}")


def graph_iri(version: str) -> URIRef:
    """The named graph of a release in a triple store: https://w3id.org/livergraph/graph/<version>."""
    return URIRef(f"{GRAPH_BASE}{version}")


def is_description_subject(graph: Graph, s: Node) -> bool:
    """True for the nodes a description is about (a void:Dataset and its parts)."""
    return (s, RDF.type, VOID.Dataset) in graph or (s, RDF.type, DCAT.Dataset) in graph


def describe_dataset(graph: Graph, *, version: str, sources: list[URIRef] | None = None
                     ) -> Graph:
    """The VoID / DCAT description of ``graph`` as a new graph (``graph`` is not changed).

    ``sources`` defaults to every lg:SourceDocument (or subclass, as the graph's ontology says)
    and every object of prov:wasDerivedFrom in ``graph``.
    """
    ds = release_iri(version)
    d = Graph(bind_namespaces="none")
    add = d.add
    add((ds, RDF.type, VOID.Dataset))
    add((ds, RDF.type, DCAT.Dataset))
    for lang, text in TITLE.items():
        add((ds, DCTERMS.title, Literal(text, lang=lang)))
    for lang, text in DESCRIPTION.items():
        add((ds, DCTERMS.description, Literal(text, lang=lang)))
    for kw in KEYWORDS:
        add((ds, DCAT.keyword, Literal(kw, lang="en")))
    add((ds, DCAT.version, Literal(version)))
    add((ds, OWL.versionInfo, Literal(version)))
    add((ds, DCTERMS.isVersionOf, DATASET_IRI))
    add((ds, DCTERMS.license, graph.value(ONTOLOGY_IRI, DCTERMS.license) or DEFAULT_LICENSE))
    for creator in sorted(graph.objects(ONTOLOGY_IRI, DCTERMS.creator), key=str):
        add((ds, DCTERMS.creator, creator))
    add((ds, DCTERMS.conformsTo, ONTOLOGY_IRI))
    add((ds, VOID.uriSpace, Literal(ID_BASE)))
    created = creation_date(graph)
    if created is not None:
        add((ds, DCTERMS.created, created))
    for src in sorted(sources if sources is not None else source_documents(graph)):
        add((ds, DCTERMS.source, src))
    subjects, predicates, classes = _distinct_terms(graph)
    for vocab in sorted(_vocabularies_of(predicates, classes)
                        | {URIRef(str(VOID)), URIRef(str(DCAT))}):
        add((ds, VOID.vocabulary, vocab))
    example = example_resource(graph)
    if example is not None:
        add((ds, VOID.exampleResource, example))
    counts = {
        VOID.entities: sum(1 for s in subjects if str(s).startswith(ID_BASE)),
        VOID.classes: len(classes),
        VOID.properties: len(predicates),
    }
    for p, n in counts.items():
        add((ds, p, Literal(n)))
    # every statement of the published graph, the description included (this one too)
    total = len(graph) + len(d) + 1
    add((ds, VOID.triples, Literal(total)))
    return d


def set_triple_count(graph: Graph, total: int) -> None:
    """Set void:triples of every release described in ``graph`` to ``total`` (after statements
    such as the reasoner's were added to the described graph); the source graphs' own counts
    (``describe_sources``) are left alone."""
    subsets = set(graph.objects(None, VOID.subset))
    for ds in list(graph.subjects(RDF.type, VOID.Dataset)):
        if ds not in subsets:
            graph.set((ds, VOID.triples, Literal(total)))


def describe_sources(description: Graph, version: str,
                     graphs: list[tuple[str, URIRef, Graph]]) -> None:
    """Describe each source graph in ``description``: ``(source name, graph IRI, its
    statements)``. Each graph is a ``void:subset`` of the
    release, typed void:Dataset, with a title, its ``dcterms:source`` (the seed article's
    source document, or the register), the date its facts are as of (``lg:retrievedOn``: the
    seed's snapshot date, the newest ``lg:statusAsOf`` / ``lg:asOf`` of the article; the newest
    ``lg:retrievedOn`` of a registry import's record versions) and its triple count
    (``void:triples``, the statements inferred about it not included)."""
    from livergraph.model.sources import ARTICLE, SOURCE_IRIS, TITLES
    release = release_iri(version)
    for name, iri, graph in graphs:
        for p in (DCTERMS.title, DCTERMS.source, LG.retrievedOn, VOID.triples):
            description.remove((iri, p, None))
        description.add((release, VOID.subset, iri))
        description.add((iri, RDF.type, VOID.Dataset))
        en, zh = TITLES.get(name, (name, name))
        description.add((iri, DCTERMS.title, Literal(en, lang="en")))
        description.add((iri, DCTERMS.title, Literal(zh, lang="zh-Hant")))
        if name == ARTICLE:
            found = sorted(s for s in graph.subjects(RDF.type, LG.SourceDocument)
                           if isinstance(s, URIRef))
            dates: tuple[URIRef, ...] = (LG.statusAsOf, LG.asOf)
        else:
            found = [URIRef(SOURCE_IRIS[name])] if name in SOURCE_IRIS else []
            dates = (LG.retrievedOn,)
        for src in found:
            description.add((iri, DCTERMS.source, src))
        newest = max((str(o) for p in dates for o in graph.objects(None, p)
                      if isinstance(o, Literal) and o.datatype == XSD.date), default=None)
        if newest is not None:
            description.add((iri, LG.retrievedOn, Literal(newest, datatype=XSD.date)))
        description.add((iri, VOID.triples, Literal(len(graph))))


def add_description(graph: Graph, *, version: str) -> Graph:
    """Add the description of ``graph`` to it; return the description."""
    d = describe_dataset(graph, version=version)
    for t in d:
        graph.add(t)
    return d


def source_documents(graph: Graph) -> set[URIRef]:
    classes = {LG.SourceDocument} | set(graph.transitive_subjects(RDFS.subClassOf,
                                                                  LG.SourceDocument))
    found = {s for c in classes for s in graph.subjects(RDF.type, c)}
    found |= set(graph.objects(None, PROV.wasDerivedFrom))
    return {s for s in found if isinstance(s, URIRef)}


def creation_date(graph: Graph) -> Literal | None:
    dates = [o for p in SOURCE_DATE_PROPERTIES for o in graph.objects(None, p)
             if isinstance(o, Literal) and o.datatype == XSD.date]
    if not dates:
        return None
    return Literal(max(str(o) for o in dates), datatype=XSD.date)


def _distinct_terms(graph: Graph) -> tuple[set[Node], set[Node], set[Node]]:
    """The distinct subjects, predicates and objects of rdf:type of ``graph``, in one pass over
    its statements."""
    subjects: set[Node] = set()
    predicates: set[Node] = set()
    classes: set[Node] = set()
    add_s, add_p, add_c = subjects.add, predicates.add, classes.add
    rdf_type = RDF.type
    for s, p, o in graph:
        add_s(s)
        add_p(p)
        if p == rdf_type:
            add_c(o)
    return subjects, predicates, classes


def vocabularies(graph: Graph) -> set[URIRef]:
    """The vocabularies whose properties and classes the statements of ``graph`` use."""
    _, predicates, classes = _distinct_terms(graph)
    return _vocabularies_of(predicates, classes)


def _vocabularies_of(predicates: set[Node], classes: set[Node]) -> set[URIRef]:
    spaces = sorted(_VOCABULARIES, key=len, reverse=True)
    used = set()
    terms = predicates | {o for o in classes if isinstance(o, URIRef)}
    for term in terms:
        for ns in spaces:
            if str(term).startswith(ns):
                used.add(_VOCABULARIES[ns])
                break
    return used


def example_resource(graph: Graph) -> URIRef | None:
    """The first registered trial (by IRI), else the first record of any kind."""
    trials = sorted(s for s in graph.subjects(RDF.type, LG.Trial) if isinstance(s, URIRef))
    if trials:
        return trials[0]
    records = sorted(s for s in graph.subjects(LG.curatedIn, None) if isinstance(s, URIRef))
    return records[0] if records else None
