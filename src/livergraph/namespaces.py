"""IRIs and prefixes used across livergraph.

Code says ``LG.status`` rather than a string; the CURIE prefixes here are the only ones curated
data may use (see ``expand_curie``).
"""
from __future__ import annotations

import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/livergraph/"
ID_BASE = BASE + "id/"
LG = Namespace(BASE + "ontology#")
LGC = Namespace(BASE + "concept/")
ONTOLOGY_IRI = URIRef(BASE + "ontology")
SCHEMA = Namespace("https://schema.org/")
OBO = Namespace("http://purl.obolibrary.org/obo/")
CTGOV_STUDY = "https://clinicaltrials.gov/study/"
DOI_BASE = "https://doi.org/"
PUBMED_BASE = "https://identifiers.org/pubmed:"

#: OBO-library prefixes whose CURIEs expand to http://purl.obolibrary.org/obo/{PREFIX}_{id}
OBO_PREFIXES = ("MONDO", "CL", "UBERON", "NCIT", "HP", "OBI", "CTO", "STATO", "OBCS", "OAE",
                "UO", "DOID", "OMIABIS", "CHEBI", "IAO")

#: Standard prefixes, predeclared for SPARQL and written at the top of every Turtle file.
PREFIXES: dict[str, str] = {
    "lg": str(LG),
    "lgc": str(LGC),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "obo": str(OBO),
    "mesh": "http://id.nlm.nih.gov/mesh/",
    "loinc": "https://loinc.org/",
    "efo": "http://www.ebi.ac.uk/efo/EFO_",
}

#: Prefixes of livergraph's own records, one per IRI segment (``trial:NCT01220492``).
RECORD_SEGMENTS = ("trial", "study", "publication", "source", "registry-record", "org", "person",
                   "arm", "intervention", "measurement", "comparison", "safety", "outcome",
                   "location", "reference", "link", "claim", "issue", "effect", "effect-refusal",
                   "registration", "duplicate")
for _segment in RECORD_SEGMENTS:
    PREFIXES[_segment] = f"{ID_BASE}{_segment}/"

#: CURIE prefixes accepted in curated data, mapped to the IRI they expand to.
CURIE_BASES: dict[str, str] = {p: f"{OBO}{p}_" for p in OBO_PREFIXES}
CURIE_BASES.update({"MESH": "http://id.nlm.nih.gov/mesh/", "LOINC": "https://loinc.org/",
                    "EFO": "http://www.ebi.ac.uk/efo/EFO_"})
CURIE_BASES.update({k: v for k, v in PREFIXES.items() if k not in ("obo", "mesh", "loinc", "efo")})


_CURIE_LOCAL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")


def expand_curie(curie: str) -> URIRef | None:
    """Expand ``PREFIX:local`` with a known prefix; None when the prefix is unknown."""
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in CURIE_BASES or not _CURIE_LOCAL.match(local):
        return None
    return URIRef(CURIE_BASES[prefix] + local)


def record_iri(segment: str, local_id: str) -> URIRef:
    return URIRef(f"{ID_BASE}{segment}/{local_id}")


def sparql_prefixes() -> str:
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
