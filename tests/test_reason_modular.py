"""Reasoning that scales: HermiT classifies one representative per kind of record, and the result
is the same as handing it every record (the plain way) — on the bundled data, on synthetic trials
and on data made inconsistent. No timings are asserted; benchmarks/bench.py measures them."""
from __future__ import annotations

import shutil
import sys

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from livergraph.model.build import build
from livergraph.errors import DataError
from livergraph.namespaces import LG, LGC, record_iri
from livergraph.reason.hermit import REPRESENTATIVE, modular_input, reason
from conftest import FIXTURE_DATA, ONTOLOGY, ROOT

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402


def copy(graph: Graph) -> Graph:
    g = Graph()
    for t in graph:
        g.add(t)
    return g


def assert_same(graph: Graph):
    modular = reason(graph)
    plain = reason(graph, modular=False)
    assert modular.method == "modular" and plain.method == "whole graph"
    assert modular.inferred == plain.inferred
    assert modular.counts == plain.counts
    return modular


@pytest.fixture(scope="module")
def bundled() -> Graph:
    return build(ONTOLOGY, ROOT / "data").graph


def test_bundled_data_gives_the_same_inferences_as_the_whole_graph(bundled):
    result = assert_same(bundled)
    assert len(result.inferred) == 211                      # as `livergraph build` reports
    assert result.counts[LG.MSCTherapy] == 39
    assert (record_iri("trial", "NCT01220492"), LG.MSCStudy) in result.inferred


def test_synthetic_trials_give_the_same_inferences(tmp_path):
    data = generate.generate(120, tmp_path / "gen", seed=3)
    result = assert_same(build(ONTOLOGY, data).graph)
    assert result.counts[LG.MSCStudy] > 0 and result.counts[LG.AllogeneicCellTherapy] > 0


def test_records_of_one_kind_share_a_representative(bundled):
    given = modular_input(bundled)
    kinds, records = len(given.members), given.records
    assert records == sum(len(v) for v in given.members.values())
    assert kinds < records / 3                              # 331 records, 69 kinds today
    text = b"".join(given.parts).decode()
    # records are not handed to HermiT, their representatives are; the ontology is
    assert "https://w3id.org/livergraph/id/" not in text
    assert REPRESENTATIVE in text and "#MSCTherapy>" in text
    # one status tells nothing about a trial: trials differing only in their status are one kind
    statuses = {s: o for s, o in bundled.subject_objects(LG.status)}
    assert len(set(statuses.values())) > 1
    kind_of = {m: k for k, ms in given.members.items() for m in ms}
    trials_by_kind = {}
    for t, status in statuses.items():
        trials_by_kind.setdefault(kind_of[t], set()).add(status)
    assert any(len(s) > 1 for s in trials_by_kind.values())


def test_parts_on_several_processors_give_the_same_inferences(bundled, monkeypatch):
    import livergraph.reason.hermit as r
    import livergraph.reason.modules as modules
    monkeypatch.setattr(modules, "MIN_KINDS_PER_PART", 5)
    given = modular_input(bundled, parts=2)
    assert len(given.parts) == 2
    monkeypatch.setattr(r.os, "cpu_count", lambda: 2)
    split = reason(bundled)
    monkeypatch.undo()
    whole = reason(bundled, modular=False)
    assert split.inferred == whole.inferred and split.counts == whole.counts


def test_two_statuses_are_still_a_contradiction(bundled):
    g = copy(bundled)
    trial = record_iri("trial", "NCT01220492")
    assert (trial, LG.status, LGC["status-COMPLETED"]) in g
    g.add((trial, LG.status, LGC["status-UNKNOWN"]))
    with pytest.raises(DataError) as info:
        reason(g)
    assert "has 2 values for lg:status (lgc:status-COMPLETED, lgc:status-UNKNOWN)" in str(info.value)


def test_a_contradiction_in_one_record_of_many_is_found_and_named():
    graph = build(ONTOLOGY, FIXTURE_DATA).graph
    g = copy(graph)
    low = record_iri("intervention", "NCT05155657-low")
    g.add((low, LG.donorType, LGC["donor-autologous"]))
    g.add((low, LG.donorType, LGC["donor-allogeneic"]))
    with pytest.raises(DataError) as info:
        reason(g)
    text = str(info.value)
    assert "intervention:NCT05155657-low" in text and "has 2 values for lg:donorType" in text
    assert "is both lg:AllogeneicCellTherapy and lg:AutologousCellTherapy" in text


def test_an_ontology_with_inverse_properties_is_reasoned_over_the_whole_graph():
    graph = build(ONTOLOGY, FIXTURE_DATA).graph
    g = copy(graph)
    inverse = URIRef(str(LG) + "interventionOf")
    g.add((inverse, RDF.type, OWL.ObjectProperty))
    g.add((inverse, OWL.inverseOf, LG.hasIntervention))
    result = reason(g)
    assert result.method == "whole graph"
    assert set(result.inferred) == set(reason(graph).inferred)


def test_records_linked_in_a_cycle_are_reasoned_over_the_whole_graph():
    graph = build(ONTOLOGY, FIXTURE_DATA).graph
    g = copy(graph)
    study = record_iri("study", "fixture-study")
    arm = record_iri("arm", "fixture-study-treated")
    assert (study, LG.hasArm, arm) in g
    g.add((arm, LG.hasArm, arm))                           # nonsense, but OWL allows it
    result = reason(g)
    assert result.method == "whole graph"
    assert (study, LG.ControlledStudy) in result.inferred
