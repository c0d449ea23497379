"""Records + ontology -> RDF graph, schema first.

Every key of a record is a property the ontology declares (or one of the few external ones in
``schema.EXTERNAL_PROPERTIES``); its ``rdfs:range`` decides how the value is read:

* a datatype: the value becomes a typed literal (``xsd:decimal``, ``xsd:duration`` ...);
  ``rdf:langString`` values are written ``{en: ..., zh-Hant: ...}``;
* a class of controlled terms: the value is a ``skos:notation`` of one of its concepts
  (``status: RECRUITING``) or a CURIE of a verified external term;
* a record class: the value is a nested record (a mapping with an ``id``), the id of another
  record (``leadSponsor: beijing-302-hospital``), a local id inside the same file
  (``arm: treated``), or a CURIE (``trial:NCT01220492``).

Properties annotated ``lg:mappedTo`` (``statusAsWritten``) are mapped through the vocabulary
mappings to the normalised property (``status``). Errors are collected per record, so one bad
record does not hide the others, and reported with the file and record they come from.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef

from livergraph.compat import fill_graph, library_warnings
from livergraph.errors import DataErrors
from livergraph.model.load import Record, load_records, require_data_dir, paused_gc
from livergraph.model.sources import ARTICLE
from livergraph.model.schema import Schema, load_ontology_graph, schema_from_graph
from livergraph.model.vocabulary import Vocabulary, load_vocabulary
from livergraph.model.statements import Builder
from livergraph.model.values import LG, RDF, RDFS, decimal_lexical, duration_days  # noqa: F401
from livergraph.model.records_index import _locate  # noqa: F401


@dataclass
class BuildResult:
    graph: Graph
    records: int
    data_triples: int
    used_terms: set[URIRef] = field(default_factory=set)
    #: the statements of each source (``model.sources``), when records of more than one source
    #: were read; empty when every record is the article's (then every data statement is)
    sources: dict[str, set[tuple[Any, ...]]] = field(default_factory=dict)

def build(ontology_path: Path, data_dir: Path, *, include_ontology: bool = True) -> BuildResult:
    """Read the ontology and the curated data and return the graph, or raise DataErrors."""
    require_data_dir(data_dir)
    with library_warnings():   # rdflib's logged tracebacks (ill-typed literals) never print
        return _build(ontology_path, data_dir, include_ontology)


def _build(ontology_path: Path, data_dir: Path, include_ontology: bool) -> BuildResult:
    onto = load_ontology_graph(ontology_path)
    schema = schema_from_graph(onto)
    vocab = load_vocabulary(data_dir)
    add_generated_terms(vocab, data_dir)
    records = load_records(data_dir)
    with paused_gc():
        # the records are this function's own: they are let go once their statements are made
        return _build_from(schema, vocab, records, include_ontology=include_ontology,
                           release=True)


def add_generated_terms(vocab: Vocabulary, data_dir: Path) -> None:
    """Add the term lists a command generated (``data/vocabulary/terms-*.yaml``, such as the
    MeSH descriptors ``livergraph import ctgov`` read from the registry) to the vocabulary; a
    term the curated ``terms.yaml`` lists keeps its curated entry."""
    from livergraph.model.load import shown_path
    from livergraph.model.vocabulary import _terms
    folder = data_dir / "vocabulary"
    for path in sorted(folder.glob("terms-*.yaml")) if folder.is_dir() else []:
        extra = Vocabulary()
        _terms(path, shown_path(path, data_dir), extra)
        for iri, term in extra.terms.items():
            vocab.terms.setdefault(iri, term)


def build_from(schema: Schema, vocab: Vocabulary, records: list[Record], *,
               include_ontology: bool = True) -> BuildResult:
    # millions of small objects and no cycles: the cyclic garbage collector would re-scan
    # the growing graph again and again, for nothing
    with paused_gc():
        return _build_from(schema, vocab, records, include_ontology=include_ontology)


def _build_from(schema: Schema, vocab: Vocabulary, records: list[Record], *,
                include_ontology: bool, release: bool = False,
                describe: bool = True) -> BuildResult:
    """``release``: empty ``records`` (and drop the builder's references to them) once every
    statement is made, so their memory is free before the graph's indexes are built.
    ``describe=False`` leaves the description out (benchmarks/build_speed.py times it apart)."""
    b = Builder(schema, vocab)
    b.index(records)
    if not b.errors:
        b.emit_all()
    if b.errors:
        raise DataErrors(b.errors)
    n_records = len(records)
    if release:
        records.clear()
        b.top.clear()
        b.supplements.clear()
        b.locals.clear()
        b.by_id.clear()
    sources: dict[str, set[tuple[Any, ...]]] = {}
    if b.source_triples:     # the terms' labels below belong to every source that uses them
        sources = {ARTICLE: set(b.triples), **b.source_triples}
        for triples in b.source_triples.values():
            b.triples |= triples
        b.source_triples = {}
    add = b.triples.add
    for iri in sorted(b.used_terms):
        term = vocab.terms[iri]
        for lang, text in sorted(term.label.items()):
            add((iri, RDFS.label, Literal(text, lang=lang)))
        if term.type:
            add((iri, RDF.type, LG[term.type]))
        if term.ucum:
            add((iri, LG.ucumCode, Literal(term.ucum)))
    data_triples = len(b.triples)
    if include_ontology:
        b.triples.update(schema.graph)
    triples, b.triples = b.triples, set()
    fill_graph(b.graph, triples)
    del triples
    if include_ontology and describe:
        # the published release describes itself (VoID / DCAT); see livergraph.describe
        from livergraph import __version__
        from livergraph.model.description import add_description
        add_description(b.graph, version=__version__)
    return BuildResult(b.graph, n_records, data_triples, b.used_terms, sources)
