"""Importing WHO ICTRP exports and ChiCTR XML: mapping, registrations joined into trials on id
evidence (never on look-alikes), duplicate candidates, idempotent re-import, dry run, bad and
hostile input; the real samples in ../shared/ictrp-samples (read from there, never copied)."""
from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from rdflib import URIRef
from rdflib.namespace import RDF

from livergraph.cli import cli
from livergraph.model.build import build
from livergraph.namespaces import LG, record_iri, sparql_prefixes
from livergraph.registry.ictrp import fields as F
from livergraph.registry.ictrp.importer import import_files
from conftest import ONTOLOGY, ROOT, SHARED

FIX = ROOT / "tests" / "fixtures" / "ictrp"
SAMPLES = SHARED / "ictrp-samples"
REAL = [SAMPLES / "ICTRP-Results_2020-03-18_covid.xml",
        SAMPLES / "ICTRP-Results_2024-06-09_amyloidosis.xml", SAMPLES / "ChiCTR2000034346.xml"]
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/ictrp-samples absent")


def tree_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def load(path: Path) -> list[dict]:
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    return content if isinstance(content, list) else [content]


def registration(data: Path, tid: str) -> dict:
    return load(data / "registry" / "ictrp" / "registrations" / f"{tid}.yaml")[-1]


# -- field parsers -----------------------------------------------------------------------------

@pytest.mark.parametrize("text,field,expected", [
    ("20240408", "Date_registration3", "2024-04-08"),
    ("08/04/2024", "Date_registration", "2024-04-08"),
    ("2024-04-08", "Date_registration", "2024-04-08"),
    ("2024/04/08", "Date_enrollement", "2024-04-08"),
    ("April 25, 2024", "Date_enrollement", "2024-04-25"),
    ("January 2022", "Date_enrollement", "2022-01"),
    ("20 May 2024", "Last_Refreshed_on", "2024-05-20"),
    ("09-09-2009", "Date_registration", "2009-09-09"),
])
def test_dates_in_every_ictrp_format(text, field, expected):
    assert F.parse_date(text, field) == expected


@pytest.mark.parametrize("text,message", [
    ("01/01/1900", "placeholder"), ("2024-02-30", "not a real date"),
    ("soon", "not a date in a format ICTRP uses"), ("１２/０１/２０２０", "not a date")])
def test_bad_dates_refused(text, message):
    from livergraph.errors import DataError
    with pytest.raises(DataError, match=message):
        F.parse_date(text, "Date_enrollement")


def test_export_date_is_month_first():
    assert F.parse_export_date("06/09/2024 16:01:13") == "2024-06-09"
    assert F.parse_export_date("3/18/2020 6:53:35 PM") == "2020-03-18"


def test_text_clean_up_and_lists():
    assert F.clean("a\r<br>b<br />c<p>d</p>  e   f ") == "a\nb\nc\nd\ne f"
    assert F.split_list("control group:50;sepsis group:50;;") == ["control group:50",
                                                                    "sepsis group:50"]


def test_status_phase_type_wording():
    assert F.status_of("Not Recruiting") is None       # ambiguous: kept as written only
    assert F.status_of("recruiting") == "RECRUITING"
    assert F.phases_of("Phase 2/Phase 3", "ClinicalTrials.gov") == ["PHASE2", "PHASE3"]
    assert F.phases_of("1-2", "ChiCTR") == ["PHASE1", "PHASE2"]
    assert F.phases_of("0", "ChiCTR") == []
    assert F.phases_of("Human pharmacology (Phase I): no\nTherapeutic exploratory (Phase II): "
                       "yes\nTherapeutic confirmatory - (Phase III): yes", "EUCTR") == \
        ["PHASE2", "PHASE3"]
    assert F.study_type_of("Interventional clinical trial of medicinal product") == \
        "INTERVENTIONAL"
    assert F.study_type_of("Health services reaserch") is None


# -- the hand-made fixture ---------------------------------------------------------------------

@pytest.fixture
def imported(mini_data):
    result = import_files([FIX / "export-v1.xml"], mini_data)
    return mini_data, result


def test_fixture_import_counts_and_errors(imported):
    data, result = imported
    assert any("CL:0010004 is not in data/vocabulary/terms.yaml" in w for w in result.warnings)
    assert result.records == 8
    assert sorted(result.imported) == ["ChiCTR2100099001", "ChiCTR2100099002",
                                       "ChiCTR2100099003", "ChiCTR2100099010",
                                       "EUCTR2020-001234-56-DE", "EUCTR2020-001234-56-FR",
                                       "NCT09990001"]
    [error] = result.errors
    assert error.record == "record 7 (ChiCTR2100099009)"
    assert "'2021-02-30' is not a real date" in str(error)
    assert any("ChiCTR2100099010" in w and "placeholder" in w for w in result.warnings)
    assert "startDate" not in registration(data, "ChiCTR2100099010")


def test_fixture_mapping(imported):
    data, _ = imported
    reg = registration(data, "ChiCTR2100099001")
    assert reg["register"] == "ChiCTR"
    assert reg["registryStatusText"] == "Recruiting" and reg["status"] == "RECRUITING"
    assert reg["phase"] == ["PHASE2"] and reg["registryPhaseText"] == "2"
    assert reg["studyType"] == "INTERVENTIONAL"
    assert reg["registrationDate"] == "2021-01-10" and reg["startDate"] == "2021-02-01"
    assert reg["enrollment"] == 60
    assert reg["primaryOutcomeText"] == ["MELD score at 24 weeks"]
    assert reg["secondaryId"] == ["NCT09990001", "HOSP-2021-07"]
    assert reg["prospectiveRegistration"] is True and reg["retrospectiveFlagText"] == "Yes"
    cells = reg["hasIntervention"][0]
    assert (cells["type"], cells["cellType"], cells["tissueSource"], cells["donorType"]) == \
        ("CellTherapy", "CL:0002569", "UBERON:0002331", "allogeneic")
    assert "type" not in reg["hasIntervention"][1]
    eu = registration(data, "EUCTR2020-001234-56-DE")
    assert eu["registryStatusText"] == "Authorised" and "status" not in eu
    assert eu["prospectiveRegistration"] is False          # the flag is inverted: No = late
    assert eu["phase"] == ["PHASE2"]
    # the mini fixture's vocabulary lacks CL:0010004 / UBERON:0002371: left out, said so
    assert eu["hasIntervention"][0]["type"] == "CellTherapy"
    assert eu["hasIntervention"][0]["donorType"] == "autologous"
    assert "cellType" not in eu["hasIntervention"][0]
    from livergraph.registry.ictrp.celltherapy import cell_therapy
    assert cell_therapy("Autologous bone marrow mononuclear cells") == {
        "cellType": "CL:0010004", "tissueSource": "UBERON:0002371", "donorType": "autologous"}
    assert cell_therapy("Wharton's jelly MSC") == {"cellType": "CL:0002568",
                                                   "tissueSource": "UBERON:0003422"}
    assert cell_therapy("exosomes from stem cells") is None
    assert eu["registryStudyDesignText"] == "Controlled: yes\nRandomised: yes\nOpen: yes"


def test_id_linked_registrations_are_one_trial_with_evidence(imported):
    data, _ = imported
    a, b = registration(data, "ChiCTR2100099001"), registration(data, "NCT09990001")
    assert a["registrationOf"] == b["registrationOf"] == "NCT09990001"
    assert "Secondary_ID of ChiCTR2100099001 names NCT09990001" in a["sameTrialEvidence"]
    trials = sorted(p.stem for p in (data / "registry" / "ictrp" / "trials").glob("*.yaml"))
    assert trials == ["ChiCTR2100099002", "ChiCTR2100099003", "ChiCTR2100099010",
                      "EUCTR2020-001234-56", "NCT09990001"]


def test_eu_per_country_records_are_one_trial(imported):
    data, _ = imported
    for cc in ("DE", "FR"):
        reg = registration(data, f"EUCTR2020-001234-56-{cc}")
        assert reg["registrationOf"] == "EUCTR2020-001234-56"
        assert any("EudraCT 2020-001234-56" in e for e in reg["sameTrialEvidence"])


def test_near_duplicates_are_candidates_not_merged(imported):
    data, _ = imported
    [cand] = load(data / "registry" / "ictrp" / "duplicate-candidates.yaml")
    assert cand["candidateRegistration"] == ["ChiCTR2100099002", "ChiCTR2100099003"]
    assert 0.7 <= cand["duplicateScore"] <= 1
    assert "same primary sponsor" in cand["duplicateEvidence"]
    assert registration(data, "ChiCTR2100099002")["registrationOf"] == "ChiCTR2100099002"
    assert registration(data, "ChiCTR2100099003")["registrationOf"] == "ChiCTR2100099003"


def test_reimport_and_dry_run_change_nothing(imported):
    data, _ = imported
    before = tree_hashes(data)
    again = import_files([FIX / "export-v1.xml"], data)
    assert again.written == [] and len(again.unchanged) == 7
    dry = import_files([FIX / "export-v2.xml"], data, dry_run=True)
    assert tree_hashes(data) == before
    assert dry.changes is not None
    assert "data/registry/snapshots/ChiCTR2100099001/2021-06-01.xml" in dry.changes.added
    assert "data/registry/ictrp/registrations/ChiCTR2100099001.yaml" in dry.changes.changed


def test_strict_writes_nothing(mini_data):
    before = tree_hashes(mini_data)
    result = import_files([FIX / "export-v1.xml"], mini_data, strict=True)
    assert len(result.errors) == 1 and tree_hashes(mini_data) == before


def test_fixture_builds_and_counts_trials_not_registrations(imported):
    data, _ = imported
    graph = build(ONTOLOGY, data).graph
    regs = set(graph.subjects(RDF.type, LG.TrialRegistration))
    assert len(regs) == 7
    trial = record_iri("trial", "NCT09990001")
    assert set(graph.subjects(LG.registrationOf, trial)) == {
        record_iri("registration", "ChiCTR2100099001"), record_iri("registration", "NCT09990001")}
    rows = list(graph.query(sparql_prefixes() + (ROOT / "queries" / "registrations.rq")
                            .read_text(encoding="utf-8")))
    kinds = sorted({(str(r.kind), str(r.registration).rsplit("/", 1)[1]) for r in rows})
    assert ("duplicate candidate", "ChiCTR2100099002") in kinds
    assert ("same trial", "EUCTR2020-001234-56-DE") in kinds
    assert ("same trial", "NCT09990001") in kinds
    trials = {s for s in graph.subjects(RDF.type, LG.Trial)}
    assert record_iri("trial", "EUCTR2020-001234-56") in trials
    assert record_iri("trial", "EUCTR2020-001234-56-DE") not in trials


@pytest.mark.parametrize("name,message", [
    ("xxe.xml", "unsafe XML refused"), ("bomb.xml", "unsafe XML refused"),
    ("not-ictrp.xml", "neither <Trials_downloaded_from_ICTRP>")])
def test_hostile_and_foreign_xml_refused(mini_data, name, message):
    result = CliRunner().invoke(cli, ["import", "ictrp", "--data", str(mini_data),
                                      str(FIX / name)])
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not (mini_data / "registry").exists()


def test_cli_import_and_dry_run(mini_data):
    runner = CliRunner()
    dry = runner.invoke(cli, ["import", "ictrp", "--data", str(mini_data), "--dry-run",
                              str(FIX / "export-v1.xml")])
    assert "would add: data/registry/ictrp/registrations/NCT09990001.yaml" in dry.output
    assert "nothing was written" in dry.output and not (mini_data / "registry").exists()
    run = runner.invoke(cli, ["import", "ictrp", "--data", str(mini_data),
                              str(FIX / "export-v1.xml")])
    assert run.exit_code == 1
    assert "8 record(s) read: 7 new snapshot(s)" in run.output
    assert "5 trial(s), 1 duplicate candidate(s)" in run.output


# -- the real samples --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real(tmp_path_factory):
    import shutil
    data = tmp_path_factory.mktemp("ictrp") / "data"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini" / "data", data)
    start = time.perf_counter()
    result = import_files(REAL, data, retrieved="2020-07-03")
    return data, result, time.perf_counter() - start


@needs_samples
@pytest.mark.slow
def test_real_samples_import_without_errors(real):
    data, result, seconds = real
    assert result.errors == [] and result.records == 95 + 578 + 1
    assert seconds < 30            # a few seconds on a quiet machine (see the report)


@needs_samples
@pytest.mark.slow
def test_real_id_links_and_eu_records(real):
    data, _, _ = real
    for cc in ("ES", "PL", "PT", "HU", "DK"):
        assert registration(data, f"EUCTR2021-000037-14-{cc}")["registrationOf"] == \
            registration(data, "EUCTR2021-000037-14-ES")["registrationOf"]
    trial = registration(data, "EUCTR2021-000037-14-ES")["registrationOf"]
    members = [p.stem for p in (data / "registry" / "ictrp" / "registrations").glob("*.yaml")
               if registration(data, p.stem)["registrationOf"] == trial]
    assert len(members) >= 5
    assert registration(data, "EUCTR2017-005115-13-DE" if (
        data / "registry/ictrp/registrations/EUCTR2017-005115-13-DE.yaml").exists() else
        "EUCTR2021-000037-14-ES")["sameTrialEvidence"]


@needs_samples
@pytest.mark.slow
def test_real_candidates_not_merged_and_reimport_is_noop(real):
    data, _, _ = real
    cands = load(data / "registry" / "ictrp" / "duplicate-candidates.yaml")
    assert cands, "the COVID-19 export has look-alike ChiCTR registrations"
    for cand in cands:
        a, b = cand["candidateRegistration"]
        assert registration(data, a)["registrationOf"] != registration(data, b)["registrationOf"]
    before = tree_hashes(data)
    again = import_files(REAL, data, retrieved="2020-07-03")
    assert again.written == [] and tree_hashes(data) == before


@needs_samples
@pytest.mark.slow
def test_every_real_trial_id_is_in_the_built_graph(real):
    from livergraph.registry.ictrp.parse import read_records
    data, _, _ = real
    graph = build(ONTOLOGY, data).graph
    ids = {r.trial_id for path in REAL for r in read_records(path)}
    regs = {str(s).rsplit("/", 1)[1] for s in graph.subjects(RDF.type, LG.TrialRegistration)}
    assert ids <= regs and len(ids) == 674 - 1 + 1 or ids <= regs
    assert URIRef(record_iri("registration", "ChiCTR2000034346")) in set(
        graph.subjects(RDF.type, LG.TrialRegistration))


def test_a_registration_naming_a_trial_already_in_data_joins_it(mini_data, tmp_path):
    xml = (FIX / "export-v1.xml").read_text(encoding="utf-8")
    start = xml.index("  <Trial>")
    end = xml.index("  </Trial>") + len("  </Trial>\n")
    one = xml[start:end].replace("NCT09990001;HOSP-2021-07", "NCT01220492")
    path = tmp_path / "one.xml"
    path.write_text(xml[:start] + one + "</Trials_downloaded_from_ICTRP>\n", encoding="utf-8")
    result = import_files([path], mini_data)
    assert result.errors == []
    reg = registration(mini_data, "ChiCTR2100099001")
    assert reg["registrationOf"] == "NCT01220492"          # the curated trial
    assert reg["sameTrialEvidence"] == [
        "Secondary_ID of ChiCTR2100099001 names NCT01220492 (a trial already in data/)"]
    assert not list((mini_data / "registry" / "ictrp" / "trials").glob("*.yaml"))
    graph = build(ONTOLOGY, mini_data).graph
    assert (record_iri("registration", "ChiCTR2100099001"), LG.registrationOf,
            record_iri("trial", "NCT01220492")) in graph


def test_chictr_record_xml_and_the_2020_element_set(mini_data):
    result = import_files([FIX / "chictr-record.xml", FIX / "export-2020.xml"], mini_data,
                          retrieved="2022-07-01")
    assert result.errors == [] and sorted(result.imported) == ["ChiCTR2200099020",
                                                               "ChiCTR2000099030"][::-1]
    assert any("Some_new_element" in w and "not read" in w for w in result.warnings)
    chictr = registration(mini_data, "ChiCTR2200099020")
    assert chictr["registrationDate"] == "2022-05-06" and chictr["startDate"] == "2022-06-01"
    assert chictr["status"] == "NOT_YET_RECRUITING" and chictr["registryStatusText"] == "Pending"
    assert chictr["targetSizeText"] == "treatment:30;control:30;" and "enrollment" not in chictr
    assert "phase" not in chictr
    assert chictr["primaryOutcomeText"] == ["Transplant-free survival"]
    assert chictr["country"] == ["China"] and "secondaryId" not in chictr
    # MSC (CL:0000134; no tissue identifier for menstrual blood): the mini vocabulary lacks it
    assert chictr["hasIntervention"][0]["type"] == "CellTherapy"
    assert any("CL:0000134 is not in data/vocabulary" in w for w in result.warnings)
    assert chictr["source"] == "ictrp-ChiCTR2200099020-2022-07-01"       # --retrieved dates it
    old = registration(mini_data, "ChiCTR2000099030")
    assert old["lastRefreshed"] == "2020-03-16"
    assert old["officialTitle"] == {"en": "A trial of umbilical cord MSC in severe pneumonia"}
    assert old["registryStatusText"] == "Not Recruiting" and "status" not in old
    assert old["registryStudyTypeText"] == "Epidemilogical research" and "studyType" not in old
    assert old["registryPhaseText"] == "0" and "phase" not in old
    assert old["prospectiveRegistration"] is False
    assert old["hasIntervention"][0]["cellType"] == "CL:0002569"
    snap = load(mini_data / "registry" / "ictrp" / "registrations" / "ChiCTR2000099030.yaml")[0]
    assert snap["retrievedOn"] == "2020-03-18" and snap["versionDate"] == "2020-03-16"
    build(ONTOLOGY, mini_data)


def test_ctgov_import_of_a_trial_made_by_ictrp_takes_its_place(mini_data, tmp_path):
    import json
    from livergraph.registry.ctgov.importer import import_files as import_ctgov
    import_files([FIX / "export-v1.xml"], mini_data)
    made = mini_data / "registry" / "ictrp" / "trials" / "NCT09990001.yaml"
    assert made.exists() and "nctId" not in load(made)[0]
    study = json.loads((ROOT / "tests" / "fixtures" / "ctgov" / "NCT01220492.json")
                       .read_text(encoding="utf-8"))
    study["protocolSection"]["identificationModule"]["nctId"] = "NCT09990001"
    path = tmp_path / "NCT09990001.json"
    path.write_text(json.dumps(study), encoding="utf-8")
    result = import_ctgov([path], mini_data, ONTOLOGY)
    assert "data/registry/ictrp/trials/NCT09990001.yaml" in result.removed and not made.exists()
    again = import_files([FIX / "export-v1.xml"], mini_data)
    assert again.written == [] and not made.exists()      # ICTRP leaves it to ctgov now
    graph = build(ONTOLOGY, mini_data).graph
    trial = record_iri("trial", "NCT09990001")
    assert (trial, LG.nctId, None) in graph
    assert set(graph.subjects(LG.registrationOf, trial)) == {
        record_iri("registration", "ChiCTR2100099001"), record_iri("registration", "NCT09990001")}


def test_the_viewer_shows_each_trials_registrations_with_their_register(imported):
    """Issue 20: the network view shows the registry of each registration (on its trial)."""
    from livergraph.viz.view import to_networkx
    data, _ = imported
    G = to_networkx(build(ONTOLOGY, data).graph, "en")
    eu = G.nodes["https://w3id.org/livergraph/id/trial/EUCTR2020-001234-56"]
    regs = sorted(text for kind, text in eu["facts"] if kind == "registration")
    assert len(regs) == 2
    assert regs[0].startswith("EU Clinical Trials Register: EUCTR2020-001234-56-DE (")
    assert "EudraCT 2020-001234-56" in regs[0] and regs[1].startswith(
        "EU Clinical Trials Register: EUCTR2020-001234-56-FR")
    linked = G.nodes["https://w3id.org/livergraph/id/trial/NCT09990001"]
    assert any(text.startswith("ChiCTR: ChiCTR2100099001 (Secondary_ID of ChiCTR2100099001")
               for kind, text in linked["facts"] if kind == "registration")
    # registrations are folded into their trial, never nodes of their own
    assert not any("/registration/" in n for n in G.nodes)
