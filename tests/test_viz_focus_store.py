"""`viz --focus X --depth N` read from the published Oxigraph store (issue 18 item 5): the
neighbourhood read with ``viz.focus.read_neighbourhood`` draws the same nodes, edges and
attributes as cutting it out of the whole graph's network, on the mini fixture and the bundled
data, for records, a sponsor and a term as focus, at depths 0 to 3."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

import livergraph
from livergraph.cli import cli
from livergraph.viz.draw import draw
from livergraph.viz.focus import draw_focus, read_neighbourhood, store_node
from conftest import DATA, FIXTURE_DATA, FIXTURE_TRIALS, ROOT

TRIAL = "https://w3id.org/livergraph/id/trial/"


def published(data, directory):
    """``data`` published without shapes or Java into ``directory``, opened read-only."""
    result = CliRunner().invoke(cli, ["build", "--root", str(ROOT), "--data", str(data),
                                      "--build-dir", str(directory), "--no-validate",
                                      "--no-reason"])
    assert result.exit_code == 0, result.output
    return livergraph.open(data, build_dir=directory, rebuild="never")


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    return published(FIXTURE_DATA, tmp_path_factory.mktemp("mini-build"))


def _facts(value):
    # view.py joins a safety finding's arms in the RDF graph's own order (g.objects, unsorted),
    # which differs between a graph parsed from the build and one read from the store: compare
    # the arms as a set
    return [(k, "; ".join(sorted(t.split("; "))) if k == "safety" else t) for k, t in value]


def network(G):
    nodes = {n: {k: _facts(v) if k == "facts" else v for k, v in d.items()}
             for n, d in G.nodes(data=True)}
    edges = {(u, v, k): d for u, v, k, d in G.edges(keys=True, data=True)}
    return nodes, edges


def assert_same(kg, focus, depth, lang="en"):
    whole = draw(kg.graph, focus=[focus], depth=depth, lang=lang)
    read = draw_focus(kg, [focus], depth, lang=lang)
    assert read is not None
    assert read.focus == whole.focus
    w_nodes, w_edges = network(whole.graph)
    r_nodes, r_edges = network(read.graph)
    assert sorted(r_nodes) == sorted(w_nodes), f"{focus} ±{depth}: different nodes"
    assert sorted(r_edges) == sorted(w_edges), f"{focus} ±{depth}: different edges"
    for n in w_nodes:
        assert r_nodes[n] == w_nodes[n], f"{focus} ±{depth}: node {n} differs"
    assert r_edges == w_edges
    return whole.graph


@pytest.mark.parametrize("depth", [0, 1, 2, 3])
@pytest.mark.parametrize("focus", [FIXTURE_TRIALS[0], "org:beijing-302-hospital",
                                   "CL:0002569"])
def test_mini_fixture_neighbourhood_is_the_whole_graph_cut(mini, focus, depth):
    if store_node(mini.store, focus) is None:
        pytest.skip(f"{focus} is not in the fixture")
    G = assert_same(mini, store_node(mini.store, focus), depth)
    assert G.number_of_nodes() >= 1


def test_mini_fixture_in_chinese(mini):
    assert_same(mini, TRIAL + FIXTURE_TRIALS[1], 2, lang="zh")


def test_the_store_reads_less_than_the_whole_graph(mini):
    onto = next(i for i, part in mini.manifest["graphs"].items() if part == "ontology")
    sub = read_neighbourhood(mini.store, [TRIAL + FIXTURE_TRIALS[0]], 0, onto)
    assert 0 < len(sub) < len(mini.graph)
    assert len(read_neighbourhood(mini.store, [TRIAL + FIXTURE_TRIALS[0]], 0, None)) < len(sub)


def test_store_node_resolves_ids_and_leaves_labels_to_the_network(mini):
    iri = TRIAL + FIXTURE_TRIALS[0]
    assert store_node(mini.store, FIXTURE_TRIALS[0]) == iri
    assert store_node(mini.store, f"trial:{FIXTURE_TRIALS[0]}") == iri
    assert store_node(mini.store, iri) == iri
    assert store_node(mini.store, "NCT99999999") is None
    label = mini.network().nodes[iri]["label"]
    assert store_node(mini.store, "Some exact label") is None
    assert draw_focus(mini, ["Some exact label"], 2) is None
    assert draw_focus(mini, [label], 1) is not None      # the label is the NCT number here


@pytest.mark.slow
@pytest.mark.skipif(not (DATA / "trials").is_dir(), reason="the bundled data is not curated yet")
def test_bundled_data_neighbourhoods_are_the_whole_graph_cut(tmp_path):
    kg = published(DATA, tmp_path / "build")
    for focus in ("NCT01220492", "org:beijing-302-hospital", "CL:0000134", "study:cui-2022"):
        iri = store_node(kg.store, focus)
        assert iri is not None, focus
        for depth in (0, 1, 2, 3):
            assert_same(kg, iri, depth)
    # the case: two hops around NCT01220492 are its own records, not 34 of 37 trials
    G = assert_same(kg, TRIAL + "NCT01220492", 2)
    trials = [n for n, d in G.nodes(data=True) if d["kind"] == "trial"]
    assert TRIAL + "NCT01220492" in trials and len(trials) < 10
