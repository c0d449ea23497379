"""`viz --focus X --depth N` read from the published Oxigraph store (issue 18 item 5): the
neighbourhood read with ``viz.focus.read_neighbourhood`` draws the same nodes, edges and
attributes as cutting it out of the whole graph's network, on the mini fixture and the bundled
data, for records, a sponsor and a term as focus, at depths 0 to 3."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import DATA, FIXTURE_DATA, FIXTURE_TRIALS, ONTOLOGY, ROOT

import livergraph
from livergraph.cli import cli
from livergraph.viz.draw import draw
from livergraph.viz.focus import draw_focus, read_neighbourhood, store_node

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
    """The mini fixture published (the path ``livergraph viz --focus`` reads)."""
    return published(FIXTURE_DATA, tmp_path_factory.mktemp("mini-build"))


ONTOLOGY_GRAPH = "https://w3id.org/livergraph/graph/test/ontology"


@pytest.fixture(scope="module")
def mini_store(fixture_build):
    """The mini fixture's built graph in an in-memory store (the ontology also in its own
    named graph, as a build publishes it), and the graph itself."""
    import pyoxigraph as ox

    from livergraph.model.schema import load_ontology_graph
    store = ox.Store()
    store.load(fixture_build.graph.serialize(format="nt").encode("utf-8"),
               format=ox.RdfFormat.N_TRIPLES)
    store.load(load_ontology_graph(ONTOLOGY).serialize(format="nt").encode("utf-8"),
               format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(ONTOLOGY_GRAPH))
    return store, fixture_build.graph


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


def same_cut(store, graph, focus, depth, lang="en"):
    """The whole graph's cut and the store's neighbourhood draw the same network."""
    whole = draw(graph, focus=[focus], depth=depth, lang=lang)
    read = draw(read_neighbourhood(store, [focus], depth, ONTOLOGY_GRAPH), focus=[focus],
                depth=depth, lang=lang)
    assert network(read.graph) == network(whole.graph), f"{focus} ±{depth} differs"
    return whole.graph


@pytest.mark.parametrize("focus", [TRIAL + FIXTURE_TRIALS[0],
                                   "https://w3id.org/livergraph/id/org/beijing-302-hospital",
                                   "http://purl.obolibrary.org/obo/CL_0002569"])
def test_mini_fixture_neighbourhood_is_the_whole_graph_cut(mini_store, focus):
    store, graph = mini_store
    sizes = [same_cut(store, graph, focus, depth).number_of_nodes() for depth in (0, 1, 2)]
    assert sizes[0] == 1 and sizes[1] > 1


def test_mini_fixture_in_chinese(mini_store):
    same_cut(*mini_store, TRIAL + FIXTURE_TRIALS[1], 2, lang="zh")


def test_the_store_reads_less_than_the_whole_graph(mini_store):
    store, graph = mini_store
    sub = read_neighbourhood(store, [TRIAL + FIXTURE_TRIALS[0]], 0, ONTOLOGY_GRAPH)
    assert 0 < len(sub) < len(graph)
    assert len(read_neighbourhood(store, [TRIAL + FIXTURE_TRIALS[0]], 0, None)) < len(sub)


@pytest.mark.slow
def test_published_mini_fixture_is_drawn_from_its_store(mini):
    assert_same(mini, TRIAL + FIXTURE_TRIALS[0], 2)


@pytest.mark.slow
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


def test_store_terms_read_back_as_the_build_wrote_them():
    """Oxigraph keeps decimals canonical (2000000) and language tags lower-case (zh-hant); the
    neighbourhood reads them back as the build writes them (2000000.0, zh-Hant)."""
    import pyoxigraph as ox
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD
    store = ox.Store()
    store.load(b'<https://w3id.org/livergraph/id/trial/NCT00000009> '
               b'<https://w3id.org/livergraph/ontology#dose> '
               b'"2000000.0"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
               b'<https://w3id.org/livergraph/id/trial/NCT00000009> '
               b'<http://www.w3.org/2000/01/rdf-schema#label> '
               b'"\xe8\xa9\xa6\xe9\xa9\x97"@zh-Hant .\n'
               b'<https://w3id.org/livergraph/id/trial/NCT00000009> '
               b'<https://w3id.org/livergraph/ontology#nctId> "NCT00000009" .\n',
               format=ox.RdfFormat.N_TRIPLES)
    g = read_neighbourhood(store, [TRIAL + "NCT00000009"], 0)
    s = URIRef(TRIAL + "NCT00000009")
    dose = g.value(s, URIRef("https://w3id.org/livergraph/ontology#dose"))
    assert str(dose) == "2000000.0" and dose.datatype == XSD.decimal
    label = g.value(s, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    assert label == Literal("試驗", lang="zh-Hant") and label.language == "zh-Hant"
    nct = g.value(s, URIRef("https://w3id.org/livergraph/ontology#nctId"))
    assert nct == Literal("NCT00000009") and nct.datatype is None
