"""Search entities by label or title, whichever Chinese variant is typed.

SPARQL cannot fold 幹/干 or traditional/simplified spellings, so :func:`search` reads the labels
(``rdfs:label``, ``lg:title``, ``lg:name``, ``lg:alias``, ``lg:formerName``) and compares them
under :func:`livergraph.io.chinese.search_key`: 幹細胞, 干細胞 and 干细胞 find the same trials.
Exact matches rank before substring matches; ties are ordered by IRI, so results are stable.

The labels can come from an rdflib graph, a pyoxigraph store (the published graph that
``livergraph query`` answers from) or any iterable of ``(iri, text, language)`` rows.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Union

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from livergraph.io.chinese import search_key
from livergraph.namespaces import LG

#: the properties whose text is searched
TEXT_PROPERTIES = (RDFS.label, LG.title, LG.name, LG.alias, LG.formerName)

Row = tuple[str, str, Union[str, None]]


def _store_rows(store: Any) -> Iterator[Row]:
    """(iri, text, language) of the searched texts of a pyoxigraph store."""
    props = ", ".join(f"<{p}>" for p in TEXT_PROPERTIES)
    query = ("SELECT ?s ?o WHERE { ?s ?p ?o . "
             f"FILTER (?p IN ({props}) && isIRI(?s) && isLiteral(?o)) }}")
    for solution in store.query(query):
        subject, text = solution["s"], solution["o"]
        yield subject.value, text.value, text.language


def _graph_rows(graph: Graph) -> Iterator[Row]:
    """(iri, text, language) of the searched texts of an rdflib graph."""
    for prop in TEXT_PROPERTIES:
        for subject, text in graph.subject_objects(prop):
            if isinstance(subject, URIRef) and isinstance(text, Literal):
                yield str(subject), str(text), text.language


def labelled_texts(source: Graph | Any | Iterable[Row], lang: str | None = None) -> Iterator[Row]:
    """The searched texts of ``source``; ``lang`` keeps only those whose language tag starts
    with it (``zh`` covers zh-Hant and zh-Hans)."""
    if isinstance(source, Graph):
        rows: Iterable[Row] = _graph_rows(source)
    elif hasattr(source, "query") and hasattr(source, "quads_for_pattern"):
        rows = _store_rows(source)
    else:
        rows = source
    for iri, text, language in rows:
        if lang and not (language or "").lower().startswith(lang.lower()):
            continue
        yield iri, text, language


def search(source: Graph | Any | Iterable[Row], text: str,
           lang: str | None = None) -> list[URIRef]:
    """Entities whose label, title or name matches ``text`` under the search key: those with
    an exact match first, then those containing it; each entity once, as an IRI."""
    key = search_key(text.strip())
    if not key:
        return []
    rank: dict[str, int] = {}
    for iri, label, _ in labelled_texts(source, lang):
        label_key = search_key(label)
        if label_key == key:
            rank[iri] = 0
        elif key in label_key:
            rank.setdefault(iri, 1)
    return [URIRef(iri) for iri in sorted(rank, key=lambda s: (rank[s], s))]
