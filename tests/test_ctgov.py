"""Importing ClinicalTrials.gov API v2 records: mapping, merge with curated data (curated wins,
disagreements recorded), provenance, idempotent re-import, bad input, and the real samples in
../shared/ctgov-samples (read from there, never copied)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from livergraph.model.build import build
from livergraph.cli import cli
from livergraph.registry.ctgov.importer import import_files, normalise_name
from livergraph.namespaces import LG, LGC, record_iri, sparql_prefixes
from conftest import ONTOLOGY, ROOT, SHARED

FIXTURES = ROOT / "tests" / "fixtures" / "ctgov"
SAMPLES = SHARED / "ctgov-samples"
SAMPLE_FILES = sorted(SAMPLES.glob("*.json")) if SAMPLES.is_dir() else []
GOOD = [FIXTURES / "NCT01220492.json", FIXTURES / "search_page_liver.json"]
BAD = {"not_json.json": ("not JSON", None),
       "missing_nct.json": ("missing NCT ID", "study 2"),
       "wrong_type.json": ("enrollmentInfo.count is \"many\"", "NCT09999904"),
       "unknown_enum.json": ("unknown value 'HALF_DONE'", "NCT09999905")}
CURATED_TRIAL = "NCT01220492"       # curated in the mini fixture; status 完全的 -> COMPLETED
VERSION = "NCT01220492-2024-05-20"
NEW_TRIAL = "NCT09999901"           # only in the registry fixture
MESH_CIRRHOSIS = URIRef("http://id.nlm.nih.gov/mesh/D008103")
QUERY = ROOT / "queries" / "registry-disagreements.rq"


def run_import(data: Path, files, **kw):
    return import_files(list(files), data, ONTOLOGY, **kw)


def trial_yaml(data: Path, nct: str) -> tuple[dict, dict]:
    """The current version record and the trial (earlier snapshots, if any, come first)."""
    *_, version, trial = yaml.safe_load((data / "registry" / "trials" / f"{nct}.yaml")
                                        .read_text())
    return version, trial


def snapshot(data: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(data).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(data.rglob("*")) if p.is_file()}


@pytest.fixture
def imported(mini_data):
    result = run_import(mini_data, GOOD)
    assert result.errors == []
    return mini_data, result


@pytest.fixture
def imported_graph(imported):
    data, _ = imported
    return build(ONTOLOGY, data).graph


# -- mapping -----------------------------------------------------------------------------------

def test_study_maps_to_a_trial_record_with_its_version(imported):
    data, result = imported
    assert sorted(result.imported) == [CURATED_TRIAL, "NCT05155657", NEW_TRIAL]
    version, t = trial_yaml(data, CURATED_TRIAL)
    tracked = {k: version.pop(k) for k in ("registryStatusText", "enrollment", "startDate",
                                            "primarySponsorText", "primaryOutcomeText")
               if k in version}
    # the fields the history tracks, as this version gives them
    assert tracked["registryStatusText"] == "RECRUITING"
    assert tracked["startDate"] == t["startDate"]
    assert version == {"type": "RegistryRecordVersion", "id": VERSION,
                       "label": {"en": f"ClinicalTrials.gov record {CURATED_TRIAL}, version "
                                       "2024-05-20"},
                       "ofTrial": f"trial:{CURATED_TRIAL}",
                       "sourceLocation": f"data/registry/raw/{CURATED_TRIAL}.json",
                       "url": f"https://clinicaltrials.gov/study/{CURATED_TRIAL}",
                       "versionDate": "2024-05-20"}
    assert t["supplement"] is True and t["source"] == VERSION
    assert (t["status"], t["studyType"], t["phase"]) == ("RECRUITING", "INTERVENTIONAL",
                                                         ["PHASE1", "PHASE2"])
    assert (t["startDate"], t["primaryCompletionDate"], t["completionDate"]) == (
        "2010-10", "2013-06", "2013-12-31")
    assert "startDateType" not in t and t["completionDateType"] == "ACTUAL"
    assert (t["allocation"], t["interventionModel"], t["masking"]) == ("RANDOMIZED", "PARALLEL",
                                                                       "DOUBLE")
    assert t["whoMasked"] == ["PARTICIPANT", "INVESTIGATOR"]
    assert (t["enrollment"], t["enrollmentType"]) == (200, "ACTUAL")
    assert t["leadSponsor"] == "beijing-302-hospital"          # matched to the curated record
    assert t["collaborator"] == ["liver-research-foundation-fixture"]
    assert t["registryCondition"] == ["Liver Cirrhosis"]
    assert t["keyword"] == ["stem cell", "umbilical cord"]
    assert t["meshTerm"] == ["MESH:D008103", "MESH:D005355"]


def test_arms_interventions_outcomes_references_locations(imported):
    data, _ = imported
    _, t = trial_yaml(data, CURATED_TRIAL)
    arms = {a["id"]: a for a in t["hasArm"]}
    assert arms["arm-1"]["label"] == {"en": "UC-MSC"}
    assert arms["arm-1"]["armRole"] == "EXPERIMENTAL"
    assert arms["arm-1"]["receives"] == ["intervention-1", "intervention-2"]
    assert arms["arm-2"]["armRole"] == "PLACEBO_COMPARATOR"
    assert arms["arm-2"]["receives"] == ["intervention-2"]
    assert arms["arm-1"]["participants"] == 100               # participant flow: STARTED
    ucmsc = t["hasIntervention"][0]
    assert (ucmsc["interventionType"], ucmsc["label"], ucmsc["otherName"]) == (
        "BIOLOGICAL", {"en": "UC-MSC"}, ["umbilical cord mesenchymal stem cells"])
    assert [(o["outcomeType"], o["measureText"], o["timeFrame"]) for o in t["hasOutcome"]] == [
        ("PRIMARY", "Survival", "48 weeks"),
        ("SECONDARY", "Serum albumin", "baseline, 4, 12, 24 and 48 weeks")]
    assert [(r.get("pmid"), r["referenceType"]) for r in t["hasReference"]] == [
        ("22497243", "RESULT"), (None, "BACKGROUND")]
    assert t["hasLocation"] == [{"id": "location-1", "city": "Beijing", "country": "China",
                                 "facility": "Beijing 302 Hospital"}]


def test_posted_results_keep_values_units_and_groups(imported):
    data, _ = imported
    _, t = trial_yaml(data, CURATED_TRIAL)
    rows = t["hasMeasurement"]
    albumin = [m for m in rows if m.get("measureText") == "Serum albumin"]
    assert albumin[0] | {"id": None} == {
        "id": None, "arm": "arm-1", "value": "33.9", "sd": "5.7", "statistic": "mean",
        "paramType": "MEAN", "dispersionType": "STANDARD_DEVIATION", "unitText": "g/L",
        "timeFrame": "48 weeks", "numberAnalysed": 95, "outcomeType": "SECONDARY",
        "measureText": "Serum albumin"}
    assert albumin[1]["valueAsWritten"] == "NA" and "value" not in albumin[1]
    age = [m for m in rows if m.get("measureText") == "Age, Continuous"]
    assert [(m.get("arm"), m["value"], m["timePoint"]) for m in age] == [
        ("arm-1", "48.2", "P0D"), ("arm-2", "47.5", "P0D"),
        (["arm-1", "arm-2"], "47.9", "P0D")]           # the Total column pools both arms
    flow = [(m["category"], m["arm"], m["value"]) for m in rows
            if m["measureText"] == "Participant flow"]
    assert ("Overall Study: COMPLETED", "arm-2", 90) in flow
    assert ("Overall Study: not completed: Lost to Follow-up", "arm-2", 10) in flow
    serious = [f for f in t["hasSafetyFinding"] if f.get("eventTerm") == "Variceal bleeding"]
    assert [(f["arm"], f["patientsAffected"], f["numberOfEvents"], f["denominator"],
             f["severity"], f["organSystem"]) for f in serious] == [
        ("arm-1", 1, 1, 100, "serious", "Gastrointestinal disorders"),
        ("arm-2", 2, 3, 100, "serious", "Gastrointestinal disorders")]
    deaths = [f for f in t["hasSafetyFinding"] if f.get("eventTerm") == "Deaths, all causes"]
    assert [(f["arm"], f["patientsAffected"]) for f in deaths] == [("arm-1", 2), ("arm-2", 6)]


def test_unmatched_sponsors_become_organizations_with_provenance(imported):
    data, _ = imported
    agents = data / "registry" / "agents"
    assert sorted(p.name for p in agents.glob("*.yaml")) == [
        "liver-research-foundation-fixture.yaml", "yuhuangding-hospital-of-yantai.yaml"]
    org = yaml.safe_load((agents / "yuhuangding-hospital-of-yantai.yaml").read_text())
    assert org == {"type": "Organization", "id": "yuhuangding-hospital-of-yantai",
                   "agencyClass": "OTHER", "name": {"en": "Yuhuangding Hospital of Yantai"},
                   "source": ["NCT05155657-2024-06-01"]}
    # "beijing 302 hospital" (lower case) matches the curated organization's name
    assert trial_yaml(data, NEW_TRIAL)[1]["leadSponsor"] == "beijing-302-hospital"


def test_names_are_matched_ignoring_case_accents_and_punctuation():
    assert normalise_name("Hôpital  Saint-Louis, Paris") == normalise_name("hopital saint louis "
                                                                           "paris")
    assert normalise_name("A & B") == normalise_name("a and b")


def test_raw_json_is_kept_for_offline_builds(imported):
    data, _ = imported
    raw = json.loads((data / "registry" / "raw" / f"{CURATED_TRIAL}.json").read_text())
    assert raw == json.loads((FIXTURES / "NCT01220492.json").read_text())
    terms = yaml.safe_load((data / "vocabulary" / "terms-registry-mesh.yaml").read_text())
    assert {"curie": "MESH:D008103", "label": {"en": "Liver Cirrhosis"}} == {
        k: v for k, v in terms[[t["curie"] for t in terms].index("MESH:D008103")].items()
        if k != "evidence"}


# -- the graph: merge, provenance ---------------------------------------------------------------

def test_curated_values_win_and_imported_facts_are_added(imported_graph):
    g = imported_graph
    trial = record_iri("trial", CURATED_TRIAL)
    assert list(g.objects(trial, LG.status)) == [LGC["status-COMPLETED"]]     # curated kept
    titles = {str(t) for t in g.objects(trial, LG.title) if t.language == "en"}
    assert titles == {"Umbilical cord mesenchymal stem cells for patients with liver cirrhosis"}
    assert g.value(trial, LG.enrollment) == Literal("200", datatype=XSD.nonNegativeInteger)
    assert g.value(trial, LG.startDate) == Literal("2010-10", datatype=XSD.gYearMonth)
    assert g.value(trial, LG.masking) == LGC["masking-DOUBLE"]
    assert MESH_CIRRHOSIS in set(g.objects(trial, LG.meshTerm))
    assert g.value(MESH_CIRRHOSIS, RDFS.label) == Literal("Liver Cirrhosis", lang="en")
    # both the curated and the imported interventions are there
    interventions = {str(i).rsplit("-", 1)[-1] for i in g.objects(trial, LG.hasIntervention)}
    assert {"ucmsc", "placebo", "1", "2"} <= interventions
    assert set(g.objects(trial, PROV.wasDerivedFrom)) == {
        record_iri("source", "seed-article"), record_iri("registry-record", VERSION)}
    # the node is named by the curated file only; imported nested records name theirs
    assert [str(f) for f in g.objects(trial, LG.curatedIn)] == [
        f"data/trials/{CURATED_TRIAL}.yaml#{CURATED_TRIAL}"]


def test_imported_statements_carry_the_registry_version(imported_graph):
    g = imported_graph
    version = record_iri("registry-record", VERSION)
    assert (version, RDF.type, LG.RegistryRecordVersion) in g
    assert g.value(version, LG.versionDate) == Literal("2024-05-20", datatype=XSD.date)
    assert g.value(version, LG.ofTrial) == record_iri("trial", CURATED_TRIAL)
    arm = record_iri("arm", f"{CURATED_TRIAL}-arm-1")
    assert list(g.objects(arm, PROV.wasDerivedFrom)) == [version]        # not the seed article
    result = record_iri("measurement", f"{CURATED_TRIAL}-result-1")
    assert list(g.objects(result, PROV.wasDerivedFrom)) == [version]
    curated_arm_source = g.value(record_iri("intervention", f"{CURATED_TRIAL}-ucmsc"),
                                 PROV.wasDerivedFrom)
    assert curated_arm_source == record_iri("source", "seed-article")
    assert str(g.value(arm, LG.curatedIn)) == (
        f"data/registry/trials/{CURATED_TRIAL}.yaml#{CURATED_TRIAL}/arm-1")


def test_a_trial_with_no_curated_record_stands_alone(imported_graph):
    g = imported_graph
    trial = record_iri("trial", NEW_TRIAL)
    assert g.value(trial, LG.status) == LGC["status-NOT_YET_RECRUITING"]
    assert g.value(trial, LG.completionDate) == Literal("2026", datatype=XSD.gYear)
    assert g.value(trial, LG.leadSponsor) == record_iri("org", "beijing-302-hospital")


# -- disagreements ---------------------------------------------------------------------------

def test_disagreements_with_curated_data_are_recorded_not_overwritten(imported):
    data, result = imported
    found = {nct: [(i["onProperty"], i["curatedValue"], i["registryValue"]) for i in issues]
             for nct, issues in result.disagreements.items()}
    assert found == {
        CURATED_TRIAL: [("lg:status", "COMPLETED", "RECRUITING")],
        "NCT05155657": [("lg:leadSponsor", "yantai-yuhuangding-hospital",
                         "Yuhuangding Hospital of Yantai (matched to "
                         "yuhuangding-hospital-of-yantai)")]}
    curated = (data / "trials" / f"{CURATED_TRIAL}.yaml").read_text()
    assert "RECRUITING" not in curated                     # the curated file is never touched


def test_named_query_lists_the_disagreements(imported_graph):
    text = QUERY.read_text()
    lines = text.splitlines()
    assert lines[0].startswith("# ") and "# param: none" in lines
    rows = [tuple(str(v).rsplit("#", 1)[-1].rsplit("/", 1)[-1] for v in row)
            for row in imported_graph.query(sparql_prefixes() + text)]
    assert rows == [
        ("NCT01220492", CURATED_TRIAL, "status", "COMPLETED", "RECRUITING", "warning", VERSION),
        ("NCT05155657", "NCT05155657", "leadSponsor", "yantai-yuhuangding-hospital",
         "Yuhuangding Hospital of Yantai (matched to yuhuangding-hospital-of-yantai)",
         "warning", "NCT05155657-2024-06-01")]


# -- re-import, versions ---------------------------------------------------------------------

def test_reimporting_the_same_records_changes_nothing(imported):
    data, _ = imported
    before = snapshot(data)
    again = run_import(data, GOOD)
    assert again.imported == [] and again.written == []
    assert sorted(again.unchanged) == [CURATED_TRIAL, "NCT05155657", NEW_TRIAL]
    assert snapshot(data) == before                        # byte-identical, not even rewritten


def _with_version(tmp_path: Path, date: str, status: str) -> Path:
    study = json.loads((FIXTURES / "NCT01220492.json").read_text())
    study["derivedSection"]["miscInfoModule"]["versionHolder"] = date
    study["protocolSection"]["statusModule"]["overallStatus"] = status
    study["protocolSection"]["sponsorCollaboratorsModule"]["collaborators"] = []
    path = tmp_path / f"v{date}.json"
    path.write_text(json.dumps(study))
    return path


def test_an_older_version_is_skipped_and_a_newer_one_replaces(imported, tmp_path):
    data, _ = imported
    older = run_import(data, [_with_version(tmp_path, "2023-01-01", "COMPLETED")])
    assert older.skipped == [CURATED_TRIAL] and older.written == []
    newer = run_import(data, [_with_version(tmp_path, "2025-02-03", "COMPLETED")])
    assert newer.imported == [CURATED_TRIAL] and newer.disagreements == {}
    records = yaml.safe_load((data / "registry" / "trials" / f"{CURATED_TRIAL}.yaml")
                             .read_text(encoding="utf-8"))
    old, version, t = records
    assert version["id"] == "NCT01220492-2025-02-03" and "hasIssue" not in t
    assert t["source"] == version["id"]
    # the earlier version stays as a dated snapshot (history), with the status it gave then
    assert old["id"] == VERSION and old["registryStatusText"] == "RECRUITING"
    assert old["sourceLocation"] == f"data/registry/snapshots/{CURATED_TRIAL}/2024-05-20.json"
    assert version["registryStatusText"] == "COMPLETED"
    # the collaborator only the old version named is gone; the trial derives from the new one
    assert not (data / "registry" / "agents" / "liver-research-foundation-fixture.yaml").exists()
    g = build(ONTOLOGY, data).graph
    assert (None, PROV.wasDerivedFrom, record_iri("registry-record", VERSION)) not in g
    assert (record_iri("registry-record", VERSION), RDF.type, LG.RegistryRecordVersion) in g


# -- bad input -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_reported_with_file_and_record(mini_data, name):
    message, record = BAD[name]
    before = snapshot(mini_data)
    result = run_import(mini_data, [FIXTURES / name])
    assert len(result.errors) == 1
    error = result.errors[0]
    assert name in error.file and message in str(error)
    assert error.record == record
    if name != "missing_nct.json":
        assert snapshot(mini_data) == before


def test_good_records_import_next_to_bad_ones(mini_data):
    result = run_import(mini_data, [FIXTURES / n for n in sorted(BAD)] + GOOD)
    assert len(result.errors) == 4 and result.exit_code == 2
    assert sorted(result.imported) == [CURATED_TRIAL, "NCT05155657", NEW_TRIAL, "NCT09999902"]
    build(ONTOLOGY, mini_data)                              # what was written builds


def test_strict_imports_nothing_when_any_input_is_bad(mini_data):
    before = snapshot(mini_data)
    result = run_import(mini_data, GOOD + [FIXTURES / "unknown_enum.json"], strict=True)
    assert len(result.errors) == 1 and result.imported == []
    assert snapshot(mini_data) == before


# -- the command ------------------------------------------------------------------------------

def test_cli_imports_and_lists_disagreements(mini_data):
    runner = CliRunner()
    args = ["import", "ctgov", "--root", str(ROOT), "--data", str(mini_data)]
    res = runner.invoke(cli, args + [str(p) for p in GOOD])
    assert res.exit_code == 0, res.output
    assert ("disagreement: NCT01220492 lg:status: curated 'COMPLETED', registry 'RECRUITING' "
            "(curated kept)") in res.output
    assert "3 record(s) read: 3 imported or updated, 0 unchanged" in res.output
    again = runner.invoke(cli, args + [str(p) for p in GOOD])
    assert "0 imported or updated, 3 unchanged" in again.output and "0 file(s) written" in \
        again.output


def test_cli_reports_bad_files_and_exits_nonzero(mini_data):
    res = CliRunner().invoke(cli, ["import", "ctgov", "--root", str(ROOT), "--data",
                                   str(mini_data), str(FIXTURES / "wrong_type.json")])
    assert res.exit_code == 1
    assert "wrong_type.json [NCT09999904]: protocolSection.designModule.enrollmentInfo.count" \
        in res.output
    assert "Traceback" not in res.output
    strict = CliRunner().invoke(cli, ["import", "ctgov", "--root", str(ROOT), "--data",
                                      str(mini_data), "--strict", str(FIXTURES / "not_json.json"),
                                      str(GOOD[0])])
    assert strict.exit_code == 2 and "nothing imported (--strict)" in strict.output
    assert not (mini_data / "registry").exists()


# -- the real samples in ../shared/ctgov-samples ---------------------------------------------

def _studies(path: Path) -> list[dict]:
    content = json.loads(path.read_text())
    return content["studies"] if "studies" in content else [content]


@pytest.fixture(scope="module")
def samples_imported(tmp_path_factory):
    if not SAMPLE_FILES:
        pytest.skip("../shared/ctgov-samples is not present")
    from conftest import FIXTURE_DATA
    data = tmp_path_factory.mktemp("samples") / "data"
    shutil.copytree(FIXTURE_DATA, data)
    result = run_import(data, SAMPLE_FILES)
    return data, result


def test_every_real_sample_imports_without_error(samples_imported):
    _, result = samples_imported
    assert [str(e) for e in result.errors] == []
    expected = {s["protocolSection"]["identificationModule"]["nctId"]
                for f in SAMPLE_FILES for s in _studies(f)}
    assert sorted(result.imported) == sorted(expected) and len(expected) == 20


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_real_sample_fields_survive_the_import(samples_imported, path):
    data, _ = samples_imported
    for study in _studies(path):
        ps = study["protocolSection"]
        nct = ps["identificationModule"]["nctId"]
        version, t = trial_yaml(data, nct)
        assert t["nctId"] == nct and t["title"] == {"en": ps["identificationModule"]["briefTitle"]}
        assert t.get("status") == ps.get("statusModule", {}).get("overallStatus")
        design = ps.get("designModule", {})
        assert t.get("enrollment") == design.get("enrollmentInfo", {}).get("count")
        assert t.get("phase", []) == design.get("phases", [])
        start = ps.get("statusModule", {}).get("startDateStruct", {}).get("date")
        assert t.get("startDate") == start
        arms = ps.get("armsInterventionsModule", {})
        assert len([a for a in t.get("hasArm", []) if a["id"].startswith("arm-")]) == len(
            arms.get("armGroups", []))
        assert len(t.get("hasIntervention", [])) == len(arms.get("interventions", []))
        locations = ps.get("contactsLocationsModule", {}).get("locations", [])
        assert len(t.get("hasLocation", [])) == len(locations)
        pmids = [r["pmid"] for r in ps.get("referencesModule", {}).get("references", [])
                 if "pmid" in r]
        assert [r["pmid"] for r in t.get("hasReference", []) if "pmid" in r] == pmids
        holder = study.get("derivedSection", {}).get("miscInfoModule", {}).get("versionHolder")
        assert version["id"] == f"{nct}-{holder or 'undated'}"
        assert version.get("versionDate") == holder
        assert bool(t.get("hasMeasurement")) == ("resultsSection" in study)


def test_real_samples_build_with_the_mini_fixture(samples_imported):
    data, _ = samples_imported
    result = build(ONTOLOGY, data)
    g = result.graph
    trial = record_iri("trial", "NCT00763412")           # posted results
    values = [g.value(m, LG.value) for m in g.objects(trial, LG.hasMeasurement)]
    assert len(values) > 50 and all(v is None or v.datatype == XSD.decimal for v in values)
    assert g.value(record_iri("trial", "NCT00973089"), LG.status) == LGC["status-WITHDRAWN"]
    assert g.value(record_iri("trial", "NCT00973089"), LG.enrollment).toPython() == 0
    start = g.value(record_iri("trial", "NCT00711542"), LG.startDate)
    assert start.datatype in (XSD.gYearMonth, XSD.date, XSD.gYear)


def test_real_samples_reimport_is_a_no_op(samples_imported):
    data, _ = samples_imported
    before = snapshot(data)
    again = run_import(data, SAMPLE_FILES)
    assert again.written == [] and snapshot(data) == before


def test_imported_files_are_canonical(imported):
    from livergraph.model.lint import lint
    data, _ = imported
    assert [f for f in lint(data, check=True).changed if "registry" in f] == []


def test_reimport_restores_an_imported_file_edited_by_hand(imported):
    data, _ = imported
    path = data / "registry" / "trials" / f"{NEW_TRIAL}.yaml"
    original = path.read_bytes()
    path.write_text(original.decode().replace("NOT_YET_RECRUITING", "COMPLETED"))
    again = run_import(data, GOOD)
    assert again.imported == [NEW_TRIAL] and path.read_bytes() == original


def test_dry_run_reports_and_writes_nothing(mini_data):
    before = snapshot(mini_data)
    result = run_import(mini_data, GOOD, dry_run=True)
    assert snapshot(mini_data) == before
    assert f"data/registry/trials/{CURATED_TRIAL}.yaml" in result.added
    assert f"data/registry/snapshots/{CURATED_TRIAL}/2024-05-20.json" in result.added
    out = CliRunner().invoke(cli, ["import", "ctgov", "--data", str(mini_data), "--dry-run",
                                   *map(str, GOOD)])
    assert out.exit_code == 0, out.output
    assert f"would add: data/registry/trials/{CURATED_TRIAL}.yaml" in out.output
    assert "nothing was written" in out.output and snapshot(mini_data) == before


# -- the retrieval date ------------------------------------------------------------------------

def test_the_retrieval_date_dates_the_imported_status(mini_data):
    # without --retrieved, the imported status is undated (the API's JSON does not say when
    # it was downloaded); with it, the version records it and the build dates the status
    res = CliRunner().invoke(cli, ["import", "ctgov", "--root", str(ROOT), "--data",
                                   str(mini_data), *map(str, GOOD)])
    assert res.exit_code == 0, res.output
    version, _ = trial_yaml(mini_data, NEW_TRIAL)
    assert "retrievedOn" not in version
    trial = record_iri("trial", NEW_TRIAL)
    assert build(ONTOLOGY, mini_data).graph.value(trial, LG.statusAsOf) is None
    res = CliRunner().invoke(cli, ["import", "ctgov", "--root", str(ROOT), "--data",
                                   str(mini_data), "--retrieved", "2024-09-01",
                                   *map(str, GOOD)])
    assert res.exit_code == 0, res.output
    version, _ = trial_yaml(mini_data, NEW_TRIAL)
    assert str(version["retrievedOn"]) == "2024-09-01"
    g = build(ONTOLOGY, mini_data).graph
    assert g.value(trial, LG.status) == LGC["status-NOT_YET_RECRUITING"]
    assert g.value(trial, LG.statusAsOf) == Literal("2024-09-01", datatype=XSD.date)


@pytest.mark.parametrize("text, message", [("2024-02-30", "2024-02-30"),
                                           ("2024-09", "not a day"),
                                           ("yesterday", "yesterday")])
def test_a_retrieval_date_that_is_not_a_day_is_refused(mini_data, text, message):
    before = snapshot(mini_data)
    res = CliRunner().invoke(cli, ["import", "ctgov", "--root", str(ROOT), "--data",
                                   str(mini_data), "--retrieved", text, *map(str, GOOD)])
    assert res.exit_code == 2 and message in res.output and "--retrieved" in res.output
    assert "Traceback" not in res.output
    assert snapshot(mini_data) == before
