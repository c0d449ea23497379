"""Building the graph: content, golden file, determinism and schema-first refusals."""
from __future__ import annotations

import io
import os
from decimal import Decimal

import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import PROV, RDF, RDFS, XSD

from livergraph.model.build import build, duration_days
from livergraph.errors import DataErrors, UnreadableInput
from livergraph.namespaces import LG, LGC, record_iri
from livergraph.io.turtle import write_turtle
from conftest import (FIXTURE_ALBUMIN_48W, FIXTURE_DATA, FIXTURE_RECORDS, FIXTURE_TRIALS, GOLDEN,
                      ONTOLOGY)

TRIAL = record_iri("trial", FIXTURE_TRIALS[0])
ALB_48W = record_iri("measurement", "fixture-study-alb-treated-48w")


def turtle(graph) -> str:
    buf = io.StringIO()
    write_turtle(graph, buf)
    return buf.getvalue()


def test_fixture_builds_with_expected_content(fixture_build):
    g = fixture_build.graph
    assert fixture_build.records == FIXTURE_RECORDS
    assert {str(g.value(t, LG.nctId)) for t in g.subjects(RDF.type, LG.Trial)} == set(FIXTURE_TRIALS)
    assert g.value(TRIAL, LG.status) == LGC["status-COMPLETED"]          # mapped from 完全的
    assert g.value(TRIAL, LG.registryRecord) == URIRef(
        "https://clinicaltrials.gov/study/NCT01220492")
    assert g.value(TRIAL, LG.condition) == URIRef("http://purl.obolibrary.org/obo/MONDO_0005155")
    value = g.value(ALB_48W, LG.value)
    assert value.datatype == XSD.decimal and value.toPython() == Decimal(FIXTURE_ALBUMIN_48W)
    assert g.value(ALB_48W, LG.timePoint) == Literal("P336D", datatype=XSD.duration)
    assert g.value(ALB_48W, LG.timePointDays).toPython() == Decimal(336)
    assert g.value(ALB_48W, LG.unit) == URIRef("http://purl.obolibrary.org/obo/UO_0000175")
    # nested records inherit the source of the record they sit in
    assert g.value(ALB_48W, PROV.wasDerivedFrom) == record_iri("source", "seed-article")
    assert str(g.value(ALB_48W, LG.curatedIn)) == (
        "data/studies/fixture-study.yaml#fixture-study/alb-treated-48w")


def test_mapping_issue_is_flagged_on_every_record_that_uses_it(fixture_build):
    g = fixture_build.graph
    issue = record_iri("issue", "status-completed-mistranslated")
    assert set(g.objects(issue, LG.about)) == {TRIAL}
    assert g.value(issue, LG.seedText) == Literal("完全的", lang="zh-Hant")
    assert g.value(issue, LG.issueType) == LGC["issue-mistranslation"]
    assert g.value(issue, LG.onProperty) == LG.status


def test_used_external_terms_carry_their_labels(fixture_build):
    g = fixture_build.graph
    cl = URIRef("http://purl.obolibrary.org/obo/CL_0002569")
    labels = {(str(lbl), lbl.language) for lbl in g.objects(cl, RDFS.label)}
    assert ("臍帶間充質幹細胞", "zh-Hant") in labels
    assert g.value(URIRef("http://purl.obolibrary.org/obo/UO_0000175"), LG.ucumCode) == Literal("g/L")


def test_build_matches_golden_file():
    """The data part of the fixture's graph (the ontology is tested on its own)."""
    actual = build(ONTOLOGY, FIXTURE_DATA, include_ontology=False).graph
    golden = GOLDEN / "mini.ttl"
    if os.environ.get("LIVERGRAPH_REGEN_GOLDEN"):
        golden.write_text(turtle(actual), encoding="utf-8")
    expected = Graph().parse(golden)
    if not isomorphic(expected, actual):
        _, only_expected, only_actual = graph_diff(to_isomorphic(expected),
                                                   to_isomorphic(actual))
        pytest.fail("graph differs from tests/golden/mini.ttl (regenerate with "
                    "LIVERGRAPH_REGEN_GOLDEN=1 if intended)\nonly in expected:\n"
                    + "\n".join(map(str, sorted(only_expected)))[:3000]
                    + "\nonly in actual:\n" + "\n".join(map(str, sorted(only_actual)))[:3000])


def test_rebuild_is_byte_identical():
    first = turtle(build(ONTOLOGY, FIXTURE_DATA).graph)
    second = turtle(build(ONTOLOGY, FIXTURE_DATA).graph)
    assert first == second
    assert Graph().parse(data=first, format="turtle")  # and it is valid Turtle


def test_turtle_round_trips_to_the_same_graph(fixture_build):
    parsed = Graph().parse(data=turtle(fixture_build.graph), format="turtle")
    assert isomorphic(parsed, fixture_build.graph)


def edit(data_dir, rel, change):
    path = data_dir / rel
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(content)
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")


def errors_of(data_dir) -> str:
    with pytest.raises(DataErrors) as info:
        build(ONTOLOGY, data_dir)
    return str(info.value)


def test_undeclared_predicate_is_refused_with_file_and_record(mini_data):
    edit(mini_data, "trials/NCT01220492.yaml", lambda c: c.update({"sponsorr": "x"}))
    text = errors_of(mini_data)
    assert "data/trials/NCT01220492.yaml [NCT01220492]: 'sponsorr' is not a property declared" in text
    assert "did you mean" in text


def test_undeclared_class_is_refused(mini_data):
    edit(mini_data, "trials/NCT05155657.yaml", lambda c: c.update({"type": "Trail"}))
    text = errors_of(mini_data)
    assert "data/trials/NCT05155657.yaml" in text and "'Trail' is not a class" in text


def test_every_bad_record_is_reported_not_only_the_first(mini_data):
    edit(mini_data, "trials/NCT01220492.yaml", lambda c: c.update({"status": "RECRUTING"}))
    edit(mini_data, "trials/NCT05155657.yaml", lambda c: c.update({"leadSponsor": "nobody"}))
    text = errors_of(mini_data)
    assert "'status': 'RECRUTING' is not a RegistryStatus" in text
    assert "use one of ACTIVE_NOT_RECRUITING" in text
    assert "'leadSponsor': no record with id 'nobody'" in text
    assert "2 error(s)" in text


def test_unverified_external_identifier_is_refused(mini_data):
    edit(mini_data, "trials/NCT01220492.yaml",
         lambda c: c["hasIntervention"][0].update({"cellType": "CL:9999999"}))
    text = errors_of(mini_data)
    assert "CL:9999999 is not a verified term" in text
    assert "data/vocabulary/terms.yaml" in text


def test_unmapped_text_names_the_mapping_file(mini_data):
    edit(mini_data, "trials/NCT01220492.yaml",
         lambda c: c.update({"statusAsWritten": {"zh-Hant": "暫停"}}))
    text = errors_of(mini_data)
    assert "no mapping for '暫停'@zh-Hant to 'status'" in text
    assert "data/vocabulary/mappings/status.yaml" in text


def test_weeks_are_refused_with_a_hint(mini_data):
    edit(mini_data, "studies/fixture-study.yaml",
         lambda c: c["hasMeasurement"][1].update({"timePoint": "P48W"}))
    text = errors_of(mini_data)
    assert "fixture-study/alb-treated-48w" in text and "write 48 weeks as P336D" in text


def test_wrong_kind_of_reference_is_refused(mini_data):
    edit(mini_data, "studies/fixture-study.yaml",
         lambda c: c["hasMeasurement"][0].update({"arm": "alb-treated-48w"}))
    assert "'arm' expects a Arm, but 'alb-treated-48w' is a Measurement" in errors_of(mini_data)


def test_negative_count_is_refused(mini_data):
    edit(mini_data, "studies/fixture-study.yaml",
         lambda c: c["hasArm"][0].update({"participants": -3}))
    assert "'participants' must be 0 or more, got -3" in errors_of(mini_data)


def test_invalid_yaml_is_unreadable_with_position(mini_data):
    (mini_data / "trials" / "broken.yaml").write_text("type: Trial\nid: [unclosed\n")
    with pytest.raises(UnreadableInput) as info:
        build(ONTOLOGY, mini_data)
    assert "data/trials/broken.yaml" in str(info.value) and "line 3" in str(info.value)


def test_duplicate_ids_are_refused(mini_data):
    (mini_data / "trials" / "copy.yaml").write_text(
        (mini_data / "trials" / "NCT01220492.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert "already used by a trial record in data/trials/" in errors_of(mini_data)


@pytest.mark.parametrize("text,days", [("P0D", 0), ("P336D", 336), ("P1Y", Decimal("365.25")),
                                       ("P6M", Decimal("182.625")), ("PT12H", Decimal("0.5"))])
def test_duration_days(text, days):
    assert duration_days(text) == Decimal(days)


def test_written_files_get_ordinary_permissions(tmp_path):
    from livergraph.io.atomic import write_atomic
    out = tmp_path / "graph.ttl"
    old = os.umask(0o022)
    try:
        write_atomic(out, lambda h: h.write("x"))
    finally:
        os.umask(old)
    assert out.read_text() == "x" and (out.stat().st_mode & 0o777) == 0o644
