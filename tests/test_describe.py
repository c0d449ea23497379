"""The VoID / DCAT description the build adds: what it says, and that it is derived from the
inputs only (no clock), so rebuilding gives the same bytes."""
from __future__ import annotations

import io
import shutil
import subprocess

import pytest
import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from livergraph import __version__
from livergraph.model.build import build
from livergraph.model.description import DCAT, VOID, describe_dataset, graph_iri, release_iri
from livergraph.namespaces import ONTOLOGY_IRI, record_iri
from livergraph.io.turtle import write_turtle
from conftest import FIXTURE_DATA, FIXTURE_TRIALS, ONTOLOGY

DATASET = release_iri(__version__)
SEED = record_iri("source", "seed-article")
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")


def test_the_build_describes_the_dataset(fixture_build):
    g = fixture_build.graph
    assert (DATASET, RDF.type, VOID.Dataset) in g and (DATASET, RDF.type, DCAT.Dataset) in g
    titles = {t.language: str(t) for t in g.objects(DATASET, DCTERMS.title)}
    assert set(titles) == {"en", "zh-Hant"} and "liver cirrhosis" in titles["en"]
    assert {d.language for d in g.objects(DATASET, DCTERMS.description)} == {"en", "zh-Hant"}
    assert g.value(DATASET, DCAT.version) == Literal(__version__)
    assert g.value(DATASET, DCTERMS.license) == CC_BY == g.value(ONTOLOGY_IRI, DCTERMS.license)
    assert set(g.objects(DATASET, DCTERMS.source)) == {SEED}
    assert g.value(DATASET, VOID.exampleResource) == record_iri("trial", FIXTURE_TRIALS[0])
    vocabularies = set(g.objects(DATASET, VOID.vocabulary))
    assert {ONTOLOGY_IRI, URIRef("http://www.w3.org/ns/prov#"),
            URIRef("http://www.w3.org/2004/02/skos/core#")} <= vocabularies
    assert g.value(DATASET, VOID.uriSpace) == Literal("https://w3id.org/livergraph/id/")


def test_triple_count_is_that_of_the_published_graph(fixture_build, tmp_path):
    g = fixture_build.graph
    count = g.value(DATASET, VOID.triples)
    assert count.datatype == XSD.integer and count.toPython() == len(g)
    if shutil.which("rapper"):
        path = tmp_path / "graph.ttl"
        with open(path, "w", encoding="utf-8") as handle:
            write_turtle(g, handle)
        proc = subprocess.run(["rapper", "-c", "-i", "turtle", str(path)], capture_output=True,
                              text=True)
        assert f"returned {count} triples" in proc.stderr


def test_the_data_only_build_has_no_description():
    """The golden file holds the data part only; the description comes with the release."""
    g = build(ONTOLOGY, FIXTURE_DATA, include_ontology=False).graph
    assert not list(g.subjects(RDF.type, VOID.Dataset))


def set_dates(data_dir, **dates):
    path = data_dir / "sources" / "seed-article.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record.update(dates)
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")


def test_creation_date_is_the_newest_source_date_not_the_clock(mini_data):
    assert build(ONTOLOGY, mini_data).graph.value(DATASET, DCTERMS.created) is None  # no dates
    set_dates(mini_data, retrievedOn="2024-09-01", publicationDate="2024-08-27")
    trial = mini_data / "trials" / f"{FIXTURE_TRIALS[0]}.yaml"
    record = yaml.safe_load(trial.read_text(encoding="utf-8"))
    record["completionDate"] = "2031-12-31"        # planned: not a date the data is as of
    trial.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    g = build(ONTOLOGY, mini_data).graph
    assert g.value(DATASET, DCTERMS.created) == Literal("2024-09-01", datatype=XSD.date)


def test_rebuilding_gives_a_byte_identical_description(mini_data):
    set_dates(mini_data, retrievedOn="2024-09-01")

    def turtle():
        buf = io.StringIO()
        write_turtle(build(ONTOLOGY, mini_data).graph, buf)
        return buf.getvalue()
    first = turtle()
    assert first == turtle() and "2024-09-01" in first


def test_describe_dataset_leaves_the_graph_alone(fixture_build):
    g = build(ONTOLOGY, FIXTURE_DATA, include_ontology=False).graph
    before = len(g)
    d = describe_dataset(g, version="9.9.9", sources=[SEED])
    assert len(g) == before
    ds = release_iri("9.9.9")
    assert d.value(ds, VOID.triples).toPython() == before + len(d)
    assert d.value(ds, DCTERMS.isVersionOf) == URIRef("https://w3id.org/livergraph/dataset")
    assert graph_iri("9.9.9") == URIRef("https://w3id.org/livergraph/graph/9.9.9")


@pytest.mark.parametrize("key", ["publicationDate", "lastUpdatePostedDate"])
def test_partial_dates_do_not_count_as_creation_dates(mini_data, key):
    set_dates(mini_data, **{key: "2025-03"})             # a year and month: xsd:gYearMonth
    assert build(ONTOLOGY, mini_data).graph.value(DATASET, DCTERMS.created) is None
