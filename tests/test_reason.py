"""OWL reasoning with HermiT: the defined classes are inferred on the fixture, inferred types are
marked, and an inconsistent graph is refused with the records and statements named."""
from __future__ import annotations

import shutil

import pytest
import yaml
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from livergraph.model.build import build
from livergraph.cli import cli
from livergraph.errors import DataError
from livergraph.namespaces import LG, LGC, record_iri
from conftest import FIXTURE_DATA, ONTOLOGY, ROOT

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")

UCMSC = record_iri("intervention", "NCT01220492-ucmsc")
LOW = record_iri("intervention", "NCT05155657-low")
TRIAL = record_iri("trial", "NCT01220492")
OTHER_TRIAL = record_iri("trial", "NCT05155657")
STUDY = record_iri("study", "fixture-study")

#: what HermiT infers on the mini fixture, and nothing else
FIXTURE_INFERENCES = {
    (UCMSC, LG.AllogeneicCellTherapy), (UCMSC, LG.MSCTherapy),
    (UCMSC, LG.UmbilicalCordDerivedTherapy),
    (LOW, LG.MSCTherapy), (LOW, LG.UmbilicalCordDerivedTherapy),
    (record_iri("intervention", "NCT05155657-high"), LG.MSCTherapy),
    (record_iri("intervention", "NCT05155657-high"), LG.UmbilicalCordDerivedTherapy),
    (TRIAL, LG.MSCStudy), (TRIAL, LG.UmbilicalCordDerivedStudy),
    (TRIAL, LG.AllogeneicCellTherapyStudy), (TRIAL, LG.PlaceboControlledStudy),
    (TRIAL, LG.ControlledStudy),
    (OTHER_TRIAL, LG.MSCStudy), (OTHER_TRIAL, LG.UmbilicalCordDerivedStudy),
    (STUDY, LG.ControlledStudy),
}


@pytest.fixture(scope="module")
def fixture_reasoning():
    from livergraph.reason.hermit import reason
    graph = build(ONTOLOGY, FIXTURE_DATA).graph
    return graph, reason(graph)


def test_reasoner_infers_the_defined_classes_on_the_fixture(fixture_reasoning):
    _, result = fixture_reasoning
    assert set(result.inferred) == FIXTURE_INFERENCES
    assert result.counts[LG.MSCTherapy] == 3 and result.counts[LG.RandomisedStudy] == 0


def test_inferred_types_are_added_and_marked(fixture_reasoning):
    from livergraph.reason.hermit import add_inferred
    graph, result = fixture_reasoning
    g = Graph()
    for t in graph:
        g.add(t)
    added = add_inferred(g, result)
    assert added == 2 * len(FIXTURE_INFERENCES)
    assert (UCMSC, RDF.type, LG.MSCTherapy) in g and (UCMSC, LG.inferredType, LG.MSCTherapy) in g
    asserted_only = {row[0] for row in g.query(
        "SELECT ?c WHERE { ?x a ?c FILTER NOT EXISTS { ?x lg:inferredType ?c } }",
        initBindings={"x": UCMSC}, initNs={"lg": LG})}
    assert asserted_only == {LG.CellTherapy}


def _edit(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_randomised_placebo_trial_is_a_randomised_controlled_study(mini_data):
    from livergraph.reason.hermit import reason
    _edit(mini_data / "trials" / "NCT01220492.yaml",
          lambda d: d.update(allocation="RANDOMIZED"))
    result = reason(build(ONTOLOGY, mini_data).graph)
    classes = {c for x, c in result.inferred if x == TRIAL}
    assert {LG.RandomisedStudy, LG.RandomisedControlledStudy, LG.PlaceboControlledStudy} <= classes


def test_two_donor_types_are_inconsistent_and_explained(fixture_reasoning):
    from livergraph.reason.hermit import reason
    graph, _ = fixture_reasoning
    g = Graph()
    for t in graph:
        g.add(t)
    g.add((UCMSC, LG.donorType, LGC["donor-autologous"]))
    with pytest.raises(DataError) as info:
        reason(g)
    text = str(info.value)
    assert "logically inconsistent" in text
    assert ("intervention:NCT01220492-ucmsc (data/trials/NCT01220492.yaml#NCT01220492/ucmsc) "
            "has 2 values for lg:donorType (lgc:donor-allogeneic, lgc:donor-autologous)") in text
    assert "is both lg:AllogeneicCellTherapy and lg:AutologousCellTherapy" in text


# -- through the command line -------------------------------------------------------------------

def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_build_refuses_an_inconsistent_graph_and_writes_nothing(mini_data, tmp_path):
    _edit(mini_data / "studies" / "fixture-study.yaml",
          lambda d: d.update(designFeature=["randomized", "non-randomized"]))
    out = tmp_path / "graph.ttl"
    result = run("build", "--root", ROOT, "--data", mini_data, "-o", out)
    assert result.exit_code == 1, result.output
    assert "study:fixture-study (data/studies/fixture-study.yaml#fixture-study) is both " \
           "lg:NonRandomisedStudy and lg:RandomisedStudy" in result.output
    assert "lg:designFeature lgc:design-non-randomized; lg:designFeature lgc:design-randomized" \
        in result.output
    assert not out.exists() and list(tmp_path.glob(".graph.ttl.*")) == []
    # the escape hatch writes it anyway
    result = run("build", "--root", ROOT, "--data", mini_data, "-o", out, "--no-reason")
    assert result.exit_code == 0 and out.exists()


def test_build_refuses_a_graph_with_violations(mini_data, tmp_path):
    _edit(mini_data / "studies" / "fixture-study.yaml", lambda d: d.update(totalParticipants=35))
    out = tmp_path / "graph.ttl"
    result = run("build", "--root", ROOT, "--data", mini_data, "-o", out)
    assert result.exit_code == 1
    assert "The arms' participants add up to 34, but totalParticipants is 35" in result.output
    assert "does not conform: 1 violation(s), 2 warning(s), 0 info" in result.output
    assert "warning   lg:status" not in result.output   # only the violations are listed
    assert f"error: {out} not written" in result.output and not out.exists()
    result = run("build", "--root", ROOT, "--data", mini_data, "-o", out, "--no-validate",
                 "--no-reason")
    assert result.exit_code == 0 and out.exists()


def test_build_adds_marked_inferences(mini_data, tmp_path):
    out = tmp_path / "graph.ttl"
    result = run("build", "--root", ROOT, "--data", mini_data, "-o", out)
    assert result.exit_code == 0, result.output
    assert f"{len(FIXTURE_INFERENCES) * 2} inferred, " in result.output
    assert "schema.org/PROV statements the alignments entail)" in result.output
    assert "validated: 2 warning(s), 0 info" in result.output
    g = Graph().parse(out)
    assert set(g.subject_objects(LG.inferredType)) == FIXTURE_INFERENCES
    # and the written graph still validates, inferred types included
    result = run("validate", "--root", ROOT, out)
    assert result.exit_code == 0, result.output


def test_reason_command_reports_counts_and_exit_codes(tmp_path):
    result = run("reason", "--root", ROOT, FIXTURE_DATA)
    assert result.exit_code == 0, result.output
    assert "    3  lg:MSCTherapy" in result.output
    assert f"consistent: {len(FIXTURE_INFERENCES)} inferred type(s)" in result.output
    assert result.output.rstrip().endswith("(modular)")
    whole = run("reason", "--root", ROOT, FIXTURE_DATA, "--whole-graph")
    assert whole.exit_code == 0 and whole.output.rstrip().endswith("(whole graph)")
    assert whole.output.splitlines()[:-1] == result.output.splitlines()[:-1]   # same counts
    bad = tmp_path / "bad.ttl"
    g = build(ONTOLOGY, FIXTURE_DATA).graph
    g.add((UCMSC, LG.donorType, LGC["donor-autologous"]))
    g.serialize(bad, format="turtle")
    out = tmp_path / "out.ttl"
    result = run("reason", "--root", ROOT, bad, "-o", out)
    assert result.exit_code == 1 and "has 2 values for lg:donorType" in result.output
    assert not out.exists()
    result = run("reason", "--root", ROOT, tmp_path / "missing.ttl")
    assert result.exit_code == 2 and "file not found" in result.output


def test_reasoner_input_leaves_out_what_hermit_rejects():
    from livergraph.reason.hermit import reasoner_input
    nt = reasoner_input(build(ONTOLOGY, FIXTURE_DATA).graph).decode()
    assert "XMLSchema#date" not in nt and "XMLSchema#duration" not in nt
    assert "PartialDate" not in nt
    assert str(URIRef(str(LGC) + "donor-allogeneic")) in nt
