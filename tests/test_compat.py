"""livergraph.compat, the one module that reads library internals: each hack's internals are still
where it expects them (a failure names the upstream version the hack was written against), on any
other version it takes the public path, and the fast paths give exactly what the public ones give:
the same graph, and the same validation results as pySHACL over the whole graph on the bundled data
and on a fault corpus (every failing shape case plus injected faults)."""
from __future__ import annotations

import logging
from dataclasses import asdict
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD
from rdflib.plugins.stores.memory import Memory

from livergraph import compat
from livergraph.model.build import build
from livergraph.validate.shacl import load_shapes, read_graph, validate, validate_plain
from conftest import DATA, FIXTURE_DATA, ONTOLOGY, ROOT

RDFLIB = compat.TESTED["rdflib"]
EX = "https://example.org/"


@pytest.fixture
def untested(monkeypatch):
    """Pretend an rdflib version the hacks were not written against is installed."""
    real = compat.installed

    def fake(dist: str) -> str:
        return "999.0.0" if dist == "rdflib" else real(dist)
    monkeypatch.setattr(compat, "installed", fake)


# -- the internals are where the hacks expect them ------------------------------------------

def test_the_installed_rdflib_is_the_version_compat_was_written_against():
    import rdflib
    assert compat.installed("rdflib") == RDFLIB == rdflib.__version__, (
        f"livergraph.compat was written against rdflib {RDFLIB}; rdflib "
        f"{compat.installed('rdflib')} is installed: check the hacks (this file) against it, then "
        "update compat.TESTED and the pin in pyproject.toml")


def test_rdflib_memory_store_internals_have_the_expected_shape():
    store = Graph().store
    why = (f"rdflib's Memory store no longer looks as it did in rdflib {RDFLIB} "
           f"(installed: {compat.installed('rdflib')}); compat.fill_graph, sole_memory_index and "
           "subject_objects read it")
    assert type(store) is Memory, why
    for name in compat.MEMORY_ATTRIBUTES:
        assert hasattr(store, name), f"{why}: {name} is gone"
    assert store._Memory__spo == {} and store._Memory__pos == {} and store._Memory__osp == {}, why
    assert store._Memory__contextTriples == {None: set()}, why
    assert store._Memory__defaultContexts is None, why
    assert store._Memory__tripleContexts == {} and store._Memory__all_contexts == set(), why
    g = Graph()
    s, p, o = URIRef(EX + "s"), URIRef(EX + "p"), Literal("o")
    g.add((s, p, o))
    st = g.store
    assert st._Memory__spo == {s: {p: {o: 1}}} and st._Memory__pos == {p: {o: {s: 1}}}, why
    assert st._Memory__osp == {o: {s: {p: 1}}}, why
    ctx = st._Memory__ctx_to_str(g)
    assert ctx == f"URIRef:{g.identifier}" or ctx == f"BNode:{g.identifier}", why
    assert st._Memory__contextTriples == {None: {(s, p, o)}, ctx: {(s, p, o)}}, why
    assert st._Memory__defaultContexts == {ctx: False, None: False}, why
    assert compat.sole_memory_index(g) is st._Memory__spo, why


def test_fill_graph_leaves_the_store_exactly_as_add_does_on_the_bundled_data():
    triples = set(build(ONTOLOGY, FIXTURE_DATA).graph)
    one = Graph(identifier=URIRef(EX + "g"))
    for t in triples:
        one.add(t)
    bulk = Graph(identifier=URIRef(EX + "g"))
    compat.fill_graph(bulk, set(triples))
    state = lambda g: {n: getattr(g.store, n) for n in compat.MEMORY_ATTRIBUTES[:-2]}  # noqa: E731
    assert state(bulk) == state(one), (
        f"compat.fill_graph no longer fills rdflib's store as Graph.add does (written against "
        f"rdflib {RDFLIB}, installed {compat.installed('rdflib')})")
    assert {c.identifier for c in bulk.store._Memory__all_contexts} == {URIRef(EX + "g")}
    assert len(bulk) == len(triples) > 100


# -- another version: the public path, the same results -------------------------------------

def test_on_another_rdflib_the_public_path_is_taken(untested):
    assert not compat.tested("rdflib")
    g = Graph()
    triples = {(URIRef(EX + "a"), RDF.type, URIRef(EX + "T")),
               (URIRef(EX + "b"), RDF.type, URIRef(EX + "T")),
               (URIRef(EX + "a"), URIRef(EX + "n"), Literal(3))}
    calls: list[list] = []

    def add_n(quads):       # the public path: Graph.addN
        calls.append(list(quads))
        return Graph.addN(g, iter(calls[-1]))
    g.addN = add_n
    compat.fill_graph(g, set(triples))
    assert set(g) == triples and len(calls) == 1 and len(calls[0]) == 3
    assert compat.sole_memory_index(g) is None
    assert sorted(compat.subject_objects(g, RDF.type)) == sorted(g.subject_objects(RDF.type))


def test_the_fast_and_the_public_build_give_the_same_graph(monkeypatch):
    fast = build(ONTOLOGY, DATA).graph
    assert compat.sole_memory_index(fast) is not None    # filled directly
    for p in (RDF.type, URIRef("https://w3id.org/livergraph/ontology#status")):
        pairs = sorted(compat.subject_objects(fast, p))     # read from the store's index
        assert pairs and pairs == sorted(fast.subject_objects(p))
    monkeypatch.setattr(compat, "installed", lambda dist: "999.0.0")
    public = build(ONTOLOGY, DATA).graph
    assert compat.sole_memory_index(public) is None
    assert len(fast) == len(public) and isomorphic(fast, public)   # blank nodes: new ids


# -- same validation results as pySHACL -----------------------------------------------------

@pytest.fixture(scope="module")
def shapes():
    return load_shapes(ROOT / "shapes")


def rows(report) -> list[dict]:
    return [asdict(r) for r in report.results]


@pytest.mark.slow
def test_fast_path_validation_equals_pyshacl_on_the_bundled_data(shapes):
    graph = build(ONTOLOGY, DATA).graph          # built through compat.fill_graph
    assert compat.sole_memory_index(graph) is not None
    fast = validate(graph, *shapes, engine="scale", workers=1, chunk_size=200)
    plain = validate_plain(graph, *shapes)
    assert rows(fast) == rows(plain) and fast.counts == plain.counts
    assert plain.results      # the bundled data carries warnings (documented issues)


@pytest.mark.slow
def test_fast_path_validation_equals_pyshacl_on_a_fault_corpus(shapes):
    from test_validate_scale import injected
    cases = sorted((ROOT / "tests" / "shapes").glob("*.fail.ttl"))
    corpus = read_graph(cases, ONTOLOGY)
    faults = injected(build(ONTOLOGY, DATA).graph)
    both = Graph()
    compat.fill_graph(both, set(corpus) | set(faults))
    fast = validate(both, *shapes, engine="scale", workers=1, chunk_size=300)
    plain = validate_plain(both, *shapes)
    assert rows(fast) == rows(plain) and fast.counts == plain.counts
    assert len(cases) > 40 and plain.counts["violation"] >= 50
    assert len({r.constraint for r in plain.results}) >= 10


# -- library loggers ------------------------------------------------------------------------

def test_an_ill_typed_literal_prints_no_library_traceback(capfd):
    logging.getLogger("rdflib.term")      # as rdflib has it
    with compat.library_warnings() as notes:
        Literal("not a number", datatype=XSD.decimal)
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    assert notes == [f"a literal is not a valid {XSD.decimal} (rdflib keeps it as text)"]
    assert logging.getLogger("rdflib").propagate is True      # restored


def test_validating_an_ill_typed_literal_prints_nothing_and_reports_it(tmp_path: Path, shapes,
                                                                       capfd):
    case = ROOT / "tests" / "shapes" / "MeasurementShape.pass.ttl"
    text = case.read_text(encoding="utf-8")
    bad = tmp_path / "bad.ttl"
    bad.write_text(text.replace("lg:value 33.9", 'lg:value "about 34"^^xsd:decimal', 1),
                   encoding="utf-8")
    assert bad.read_text(encoding="utf-8") != text
    capfd.readouterr()
    report = validate(read_graph([bad], ONTOLOGY), *shapes)
    out, err = capfd.readouterr()
    assert "Traceback" not in err and "Failed to convert" not in err and err == ""
    assert any(r.value == '"about 34"^^xsd:decimal' and r.severity == "violation"
               for r in report.results), [(r.value, r.message) for r in report.results]


# -- pySHACL: the scalable engine only on the version it reproduces -------------------------

def test_the_installed_pyshacl_is_the_version_the_scalable_engine_reproduces():
    import pyshacl
    assert compat.installed("pyshacl") == compat.TESTED["pyshacl"] == pyshacl.__version__, (
        f"the scalable validator rebuilds results as pySHACL {compat.TESTED['pyshacl']} writes "
        f"them; pySHACL {compat.installed('pyshacl')} is installed: run tests/test_validate_scale.py"
        " and this file, then update compat.TESTED and the pin in pyproject.toml")
    assert compat.scalable_engine_usable()


def test_on_another_pyshacl_validation_falls_back_to_pyshacl_itself(monkeypatch, shapes):
    from livergraph.validate import scaled
    graph = read_graph([ROOT / "tests" / "shapes" / "TrialShape.fail.ttl"], ONTOLOGY)
    reference = validate_plain(graph, *shapes)
    real = compat.installed
    monkeypatch.setattr(compat, "installed",
                        lambda dist: "0.99.0" if dist == "pyshacl" else real(dist))
    scaled.LAST_RUN.clear()
    report = validate(graph, *shapes, engine="scale")
    assert not scaled.LAST_RUN                      # the scalable engine did not run
    assert rows(report) == rows(reference) and reference.results
    assert report.notes == ["pySHACL 0.99.0 is not the version the scalable engine was written "
                            f"against ({compat.TESTED['pyshacl']}): validated with pySHACL over "
                            "the whole graph"]
