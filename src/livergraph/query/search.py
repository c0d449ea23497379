"""Search entities by label or title, whichever Chinese variant is typed.

SPARQL cannot fold 幹/干 or traditional/simplified spellings, so :func:`search` reads the labels
(``rdfs:label``, ``lg:title``, ``lg:name``, ``lg:alias``, ``lg:formerName``) and compares them
under :func:`livergraph.io.chinese.search_key`: 幹細胞, 干細胞 and 干细胞 find the same trials.
Exact matches rank before substring matches; ties are ordered by IRI, so results are stable.
"""
from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from livergraph.io.chinese import search_key
from livergraph.namespaces import LG

#: the properties whose text is searched
TEXT_PROPERTIES = (RDFS.label, LG.title, LG.name, LG.alias, LG.formerName)


def labelled_texts(graph: Graph, lang: str | None = None) -> Iterable[tuple[URIRef, str]]:
    """(entity, text) for every searched text of ``graph``; ``lang`` keeps only texts whose
    language tag starts with it (``zh`` covers zh-Hant and zh-Hans)."""
    for prop in TEXT_PROPERTIES:
        for subject, text in graph.subject_objects(prop):
            if not isinstance(subject, URIRef) or not isinstance(text, Literal):
                continue
            if lang and not (text.language or "").lower().startswith(lang.lower()):
                continue
            yield subject, str(text)


def search(graph: Graph, text: str, lang: str | None = None) -> list[URIRef]:
    """Entities whose label, title or name matches ``text`` under the search key: those with
    an exact match first, then those containing it; each entity once."""
    key = search_key(text.strip())
    if not key:
        return []
    rank: dict[URIRef, int] = {}
    for subject, label in labelled_texts(graph, lang):
        label_key = search_key(label)
        if label_key == key:
            rank[subject] = 0
        elif key in label_key:
            rank.setdefault(subject, 1)
    return sorted(rank, key=lambda s: (rank[s], str(s)))
