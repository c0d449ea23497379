"""schema.org and PROV alignments materialised: `?t a schema:MedicalTrial` answers without RDFS."""
from __future__ import annotations

from conftest import FIXTURE_TRIALS
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS

from livergraph.namespaces import LG, SCHEMA, record_iri
from livergraph.reason.alignments import (
    alignment_maps,
    entailed,
    materialise_alignments,
)

EX = Namespace("http://example.org/")


def test_the_fixture_trials_become_schema_medical_trials(fixture_build):
    g = Graph()
    for t in fixture_build.graph:
        g.add(t)
    assert not set(g.subjects(RDF.type, SCHEMA.MedicalTrial))
    added = materialise_alignments(g)
    trials = {record_iri("trial", t) for t in FIXTURE_TRIALS}
    assert set(g.subjects(RDF.type, SCHEMA.MedicalTrial)) == trials
    assert trials <= set(g.subjects(RDF.type, SCHEMA.MedicalStudy))   # via lg:Study
    sponsors = set(g.subject_objects(SCHEMA.sponsor))
    assert {s for s, _ in sponsors} == trials
    assert set(g.subject_objects(SCHEMA.sponsor)) == set(g.subject_objects(LG.leadSponsor))
    assert added > 0 and materialise_alignments(g) == 0     # idempotent


def test_closure_is_transitive_and_limited_to_external_vocabularies():
    onto = Graph()
    onto.add((LG.A, RDFS.subClassOf, LG.B))
    onto.add((LG.B, RDFS.subClassOf, SCHEMA.Thing))
    onto.add((LG.C, OWL.equivalentClass, PROV.Entity))
    onto.add((LG.p, RDFS.subPropertyOf, LG.q))
    onto.add((LG.q, RDFS.subPropertyOf, SCHEMA.about))
    onto.add((LG.r, RDFS.subPropertyOf, URIRef("http://example.org/other")))
    classes, props = alignment_maps(onto)
    assert classes == {LG.A: {SCHEMA.Thing}, LG.B: {SCHEMA.Thing}, LG.C: {PROV.Entity}}
    assert props == {LG.p: {SCHEMA.about}, LG.q: {SCHEMA.about}}
    data = Graph()
    data.add((EX.x, RDF.type, LG.A))
    data.add((EX.x, LG.p, EX.y))
    data.add((EX.z, RDF.type, LG.C))
    assert entailed(data, onto) == {(EX.x, RDF.type, SCHEMA.Thing), (EX.x, SCHEMA.about, EX.y),
                                    (EX.z, RDF.type, PROV.Entity)}
    assert entailed(data, onto, vocabularies=[str(PROV)]) == {(EX.z, RDF.type, PROV.Entity)}
