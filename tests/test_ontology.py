"""The ontology: parses, is labelled in both languages, uses only verified identifiers, and
loads in owlready2."""
from __future__ import annotations

import csv
from io import BytesIO

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from livergraph.namespaces import LG, LGC, ONTOLOGY_IRI
from conftest import ONTOLOGY, TERMS_CSV

ONTO = Graph().parse(ONTOLOGY)
OWN_TERMS = sorted({s for s in ONTO.subjects() if isinstance(s, URIRef)
                    and (str(s).startswith(str(LG)) or str(s).startswith(str(LGC)))})


def test_ontology_has_version_licence_description():
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ONTO
    version = ONTO.value(ONTOLOGY_IRI, OWL.versionIRI)
    assert str(version) == "https://w3id.org/livergraph/ontology/0.1.0"
    assert ONTO.value(ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/license")) is not None
    assert ONTO.value(ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/description")) is not None


def test_ontology_version_matches_package_version():
    import tomllib
    from conftest import ROOT
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert str(ONTO.value(ONTOLOGY_IRI, OWL.versionInfo)) == meta["project"]["version"]


def test_there_are_many_terms():
    assert len(OWN_TERMS) > 250


@pytest.mark.parametrize("term", OWN_TERMS, ids=lambda t: str(t).rsplit("/", 1)[-1])
def test_every_term_has_english_and_chinese_label_and_definition(term):
    langs = {lbl.language for lbl in ONTO.objects(term, RDFS.label)}
    assert {"en", "zh-Hant"} <= langs, f"{term} labels: {langs}"
    assert ONTO.value(term, SKOS.definition) is not None, f"{term} has no skos:definition"


def test_concepts_of_registry_schemes_carry_api_enumeration_values():
    statuses = {str(n) for c in ONTO.subjects(RDF.type, LG.RegistryStatus)
                for n in ONTO.objects(c, SKOS.notation)}
    assert statuses == {"ACTIVE_NOT_RECRUITING", "COMPLETED", "ENROLLING_BY_INVITATION",
                        "NOT_YET_RECRUITING", "RECRUITING", "SUSPENDED", "TERMINATED",
                        "WITHDRAWN", "AVAILABLE", "NO_LONGER_AVAILABLE",
                        "TEMPORARILY_NOT_AVAILABLE", "APPROVED_FOR_MARKETING", "WITHHELD",
                        "UNKNOWN"}
    phases = {str(ONTO.value(c, SKOS.notation)) for c in ONTO.subjects(RDF.type, LG.TrialPhase)}
    assert phases == {"NA", "EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4"}


def test_every_concept_is_in_a_scheme():
    for cls in ONTO.transitive_subjects(RDFS.subClassOf, LG.Term):
        for concept in ONTO.subjects(RDF.type, cls):
            assert ONTO.value(concept, SKOS.inScheme) is not None, concept


@pytest.mark.skipif(not TERMS_CSV.exists(), reason="../shared/reference is not present")
def test_external_identifiers_are_verified_in_the_reference_table():
    verified = set()
    with TERMS_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["verified"] == "yes" and row["iri"]:
                verified.add(row["iri"])
    external = {o for _, _, o in ONTO if isinstance(o, URIRef)
                and str(o).startswith(("http://purl.obolibrary.org/obo/", "https://loinc.org/"))}
    assert external, "the ontology aligns to no external identifiers"
    assert sorted(map(str, external - {URIRef(v) for v in verified})) == []


def test_ontology_loads_in_owlready2():
    owlready2 = pytest.importorskip("owlready2")
    world = owlready2.World()
    data = ONTO.serialize(format="nt", encoding="utf-8")
    onto = world.get_ontology(str(ONTOLOGY_IRI)).load(fileobj=BytesIO(data), format="ntriples")
    names = {c.name for c in onto.classes()}
    assert {"Trial", "PublishedStudy", "CellTherapy", "Measurement", "DataQualityIssue"} <= names
    assert "ontology#" in onto.Trial.iri
