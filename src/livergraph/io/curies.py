"""The one CURIE converter: IRIs <-> ``prefix:local`` over the project's prefix map.

Built with the `curies` library from :data:`livergraph.namespaces.PREFIXES` (the prefixes
SPARQL and Turtle predeclare) and :data:`livergraph.namespaces.CURIE_BASES` (the prefixes
curated data may use, e.g. ``MONDO:0005155``). Where both name one namespace, the curated
spelling wins (``MESH:D008103``, not ``mesh:D008103``); the longest namespace always wins
(``MONDO:0005155`` rather than ``obo:MONDO_0005155``).

Use :func:`compact` to show an IRI and :func:`expand` to read one; nothing else in the package
should slice IRIs by hand.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import curies

#: A local part every RDF syntax and SPARQL accept without escaping.
_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")


@lru_cache(maxsize=1)
def converter() -> curies.Converter:
    """The project's converter (built once; the `curies` library, with pydantic beneath it,
    is imported only then, as is rdflib: a reader that never shows a CURIE does not pay for
    them)."""
    import curies

    from livergraph.namespaces import CURIE_BASES, PREFIXES   # (rdflib: also only then)
    by_uri: dict[str, list[str]] = {}
    for prefix, uri in CURIE_BASES.items():   # curated spellings first: they are canonical
        by_uri.setdefault(uri, []).append(prefix)
    for prefix, uri in PREFIXES.items():
        names = by_uri.setdefault(uri, [])
        if prefix not in names:
            names.append(prefix)
    records = [curies.Record(prefix=names[0], prefix_synonyms=names[1:], uri_prefix=uri)
               for uri, names in sorted(by_uri.items())]
    return curies.Converter(records)


def compact(iri: str, *, brackets: bool = True) -> str:
    """``prefix:local`` for an IRI under a known namespace whose local part needs no escaping;
    otherwise the IRI itself, in ``<...>`` when ``brackets`` (the SPARQL/Turtle spelling)."""
    text = str(iri)
    found = converter().compress(text)
    if found is not None:
        local = found.split(":", 1)[1]
        if _SAFE_LOCAL.match(local):
            return found
    return f"<{text}>" if brackets else text


def expand(curie: str) -> str | None:
    """The IRI for ``prefix:local`` with a known prefix (synonyms accepted), else None."""
    _prefix, sep, local = curie.partition(":")
    if not sep or not _SAFE_LOCAL.match(local):
        return None
    return converter().expand(curie)
