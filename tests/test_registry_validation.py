"""Imported ClinicalTrials.gov records pass validation with their gaps reported honestly: what the
registry cannot give (Chinese names, MONDO/HP/outcome-measure concepts, units and time points as
concepts) is a warning or info on resources known only from the registry, while the same gap on a
curated resource stays a violation (shapes/registry.ttl and the curated-only constraints)."""
from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from livergraph.cli import cli
from livergraph.validate.shacl import load_shapes, validate, with_ontology
from conftest import DATA, ONTOLOGY, ROOT, SHARED

SAMPLES = SHARED / "ctgov-samples"
SAMPLE_FILES = sorted(SAMPLES.glob("*.json")) if SAMPLES.is_dir() else []
FIXTURES = ROOT / "tests" / "fixtures" / "ctgov"
GOOD_FIXTURES = [FIXTURES / "NCT01220492.json", FIXTURES / "search_page_liver.json"]

#: the registry gaps of the bundled data plus every real sample and the good fixtures, measured
#: (shape, property, severity) -> results
EXPECTED_GAPS = {
    ("lgsh:RegistryResultGapShape", "lg:measure", "info"): 206,
    ("lgsh:RegistryResultGapShape", "lg:unit", "info"): 206,
    ("lgsh:RegistryResultGapShape", "lg:timePoint", "info"): 107,
    ("lgsh:RegistryResultGapShape", "lg:value", "info"): 1,
    ("lgsh:RegistrySafetyGapShape", "lg:adverseEvent", "info"): 30,
    ("lgsh:RegistryLabelGapShape", "lg:name", "info"): 29,
    ("lgsh:RegistryLabelGapShape", "lg:title", "info"): 21,
    ("lgsh:RegistryArmGapShape", "lg:armRole", "info"): 11,
    ("lgsh:RegistryTrialGapShape", "lg:condition", "warning"): 21,
    ("lgsh:RegistryVersionGapShape", "lg:versionDate", "warning"): 10,
}

needs_samples = pytest.mark.skipif(not SAMPLE_FILES or not (DATA / "trials").is_dir(),
                                   reason="needs ../shared/ctgov-samples and the bundled data")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    """A copy of the bundled data with every real sample and the good fixtures imported."""
    data = tmp_path_factory.mktemp("registry") / "data"
    shutil.copytree(DATA, data)
    result = run("import", "ctgov", "--root", ROOT, "--data", data, *SAMPLE_FILES, *GOOD_FIXTURES)
    assert result.exit_code == 0, result.output[-3000:]
    assert ", 0 bad;" in result.output
    return data


@pytest.fixture(scope="module")
def report(imported):
    result = run("validate", "--root", ROOT, "--format", "json", imported)
    assert result.exit_code == 0, result.output[-3000:]
    return json.loads(result.output)


@needs_samples
def test_build_with_validation_accepts_the_imported_registry_records(imported, tmp_path):
    out = tmp_path / "graph.ttl"
    result = run("build", "--root", ROOT, "--data", imported, "-o", out)
    assert result.exit_code == 0, result.output[-3000:]
    assert out.is_file() and len(Graph().parse(out)) > 10_000
    assert "validated: 69 warning(s), 700 info" in result.output


@needs_samples
def test_registry_gaps_are_reported_as_warnings_and_info(report):
    assert report["conforms"] is True and report["counts"]["violation"] == 0
    gaps = Counter((r["shape"], r["path"], r["severity"]) for r in report["results"]
                   if r["shape"].startswith("lgsh:Registry") and r["shape"].endswith("GapShape"))
    assert dict(gaps) == EXPECTED_GAPS
    # every gap is on a resource the importer wrote, never on a curated one
    gap_files = {r["file"] for r in report["results"] if r["shape"].endswith("GapShape")}
    assert gap_files and all(f.startswith("data/registry/") for f in gap_files), gap_files


@needs_samples
def test_registry_gap_messages_say_what_the_registry_gives_and_what_a_curator_can_do(report):
    by_focus = {(r["focus"].rsplit("/", 1)[-1], r["path"]): r for r in report["results"]
                if r["shape"].endswith("GapShape")}
    albumin = by_focus[("NCT01220492-result-11", "lg:measure")]
    assert albumin["message"].startswith(
        "Registry import: ClinicalTrials.gov names the outcome measure only as text "
        "('Serum albumin'), not as an outcome-measure concept")
    assert by_focus[("NCT01220492-result-11", "lg:unit")]["message"].startswith(
        "Registry import: ClinicalTrials.gov gives the unit only as text ('g/L')")
    assert by_focus[("NCT01220492-result-11", "lg:timePoint")]["message"].startswith(
        "Registry import: ClinicalTrials.gov gives the time frame only as text ('48 weeks')")
    assert by_focus[("NCT01220492-result-11", "lg:value")]["message"].startswith(
        "Registry import: ClinicalTrials.gov gives no number for this result (as written: 'NA')")
    ae = by_focus[("NCT00763412-ae-1", "lg:adverseEvent")]
    assert "('Deaths, all causes'), not as an HP term" in ae["message"]
    org = by_focus[("affiliated-hospital-of-jiangnan-university", "lg:name")]
    assert org["severity"] == "info" and "data/organizations/ with name: {zh-Hant: ...}" \
        in org["message"]
    undated = by_focus[("NCT01525901-undated", "lg:versionDate")]
    assert undated["severity"] == "warning" and "fields=" in undated["message"]
    condition = [r for (focus, path), r in by_focus.items() if path == "lg:condition"][0]
    assert "a curator can add a curated record data/trials/NCT" in condition["message"]
    assert "condition: MONDO:..." in condition["message"]


@needs_samples
def test_curated_trials_merged_with_the_registry_get_no_registry_gaps(report):
    gap_focus = {r["focus"].rsplit("/", 1)[-1] for r in report["results"]
                 if r["shape"].endswith("GapShape")}
    # NCT01220492 and NCT05155657 are curated (data/trials/) and were imported too
    assert not {"NCT01220492", "NCT05155657"} & gap_focus


@needs_samples
def test_registry_disagreements_need_no_curator_note_and_show_their_values(report):
    issues = [r for r in report["results"] if "[registry-disagreement]" in r["message"]]
    assert len(issues) == 3
    assert {r["severity"] for r in issues} == {"warning", "info"}
    status = [r for r in issues if r["path"] == "lg:status"][0]
    assert status["severity"] == "warning"
    assert "ClinicalTrials.gov (version 2024-05-20) gives status 'RECRUITING'" in status["message"]
    assert "The curated value is kept." in status["message"]
    assert not [r for r in report["results"] if r["path"] == "lg:curatorNote"]


@needs_samples
def test_the_bundled_seed_errors_still_surface_after_an_import(report):
    messages = "\n".join(r["message"] for r in report["results"])
    assert "[mistranslation] 完全的 (\"complete, total\")" in messages
    assert "[off-topic] " in messages and "[contradiction] " in messages


# -- curated resources keep their violations -----------------------------------------------------

PREFIXES = """\
@prefix lg:   <https://w3id.org/livergraph/ontology#> .
@prefix lgc:  <https://w3id.org/livergraph/concept/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix obo:  <http://purl.obolibrary.org/obo/> .
@prefix source: <https://w3id.org/livergraph/id/source/> .
@prefix registry-record: <https://w3id.org/livergraph/id/registry-record/> .
@prefix org: <https://w3id.org/livergraph/id/org/> .
@prefix trial: <https://w3id.org/livergraph/id/trial/> .
@prefix intervention: <https://w3id.org/livergraph/id/intervention/> .
@prefix arm: <https://w3id.org/livergraph/id/arm/> .
@prefix measurement: <https://w3id.org/livergraph/id/measurement/> .
@prefix safety: <https://w3id.org/livergraph/id/safety/> .
@prefix issue: <https://w3id.org/livergraph/id/issue/> .
"""

MIXED = PREFIXES + """
source:seed a lg:SourceDocument ; rdfs:label "seed article"@en .
registry-record:NCT00000003-2024-08-27 a lg:RegistryRecordVersion ; rdfs:label "record"@en ;
    lg:ofTrial trial:NCT00000003 ; lg:versionDate "2024-08-27"^^xsd:date .
org:o a lg:Organization ; lg:name "Hospital"@en ;
    prov:wasDerivedFrom source:seed , registry-record:NCT00000003-2024-08-27 .
trial:NCT00000003 a lg:Trial ; lg:nctId "NCT00000003" ; lg:status lgc:status-COMPLETED ;
    lg:studyType lgc:study-type-INTERVENTIONAL ; lg:leadSponsor org:o ;
    lg:hasIntervention intervention:NCT00000003-i ; lg:title "Cells for cirrhosis"@en ;
    lg:registryRecord <https://clinicaltrials.gov/study/NCT00000003> ;
    prov:wasDerivedFrom source:seed , registry-record:NCT00000003-2024-08-27 .
intervention:NCT00000003-i a lg:CellTherapy ; lg:description "cells"@en .
arm:NCT00000003-a a lg:Arm ; prov:wasDerivedFrom registry-record:NCT00000003-2024-08-27 ,
    source:seed .
measurement:NCT00000003-m a lg:Measurement ; lg:value 1.0 ; lg:arm arm:NCT00000003-a ;
    lg:timePoint "P0D"^^xsd:duration ;
    prov:wasDerivedFrom source:seed , registry-record:NCT00000003-2024-08-27 .
safety:NCT00000003-s a lg:SafetyFinding ; lg:eventTerm "Fever" ;
    prov:wasDerivedFrom source:seed .
issue:i a lg:DataQualityIssue ; lg:about trial:NCT00000003 ;
    lg:issueType lgc:issue-registry-disagreement ; lg:issueSeverity lgc:severity-warning ;
    lg:registryValue "RECRUITING" .
"""


def test_a_resource_with_a_curated_source_keeps_every_violation():
    """Derived from the registry AND a curated source: the curated requirements hold, and no
    registry gap is reported instead; a registry-disagreement issue without its value pair
    still needs a curator's note."""
    g = with_ontology(Graph().parse(data=MIXED, format="turtle"), ONTOLOGY)
    report = validate(g, *load_shapes(ROOT / "shapes"))
    got = {(r.focus.rsplit("/", 1)[-1], r.path, r.severity) for r in report.results
           if r.severity == "violation"}
    assert {("NCT00000003", "lg:title", "violation"), ("NCT00000003", "lg:condition", "violation"),
            ("o", "lg:name", "violation"), ("NCT00000003-a", "lg:armRole", "violation"),
            ("NCT00000003-m", "lg:unit", "violation"), ("NCT00000003-m", "lg:measure", "violation"),
            ("NCT00000003-s", "lg:adverseEvent", "violation"),
            ("i", "lg:curatorNote", "violation")} <= got
    assert not [r for r in report.results if r.shape.endswith("GapShape")]
