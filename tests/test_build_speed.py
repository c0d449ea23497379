"""The fast paths of the build (bulk filling of the in-memory store, reading its indexes,
parallel YAML reading, the collector pause) give exactly what the plain ways give. No timings
are asserted here; benchmarks/build_speed.py measures them."""
from __future__ import annotations

import gc
import io
import sys
import weakref
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD

from livergraph.compat import fill_graph, sole_memory_index
from livergraph.model.description import _distinct_terms
from livergraph.errors import UnreadableInput
from livergraph.model.load import _read_parallel, load_records, paused_gc, record_files, records_in, \
    shown_path
from livergraph.io.turtle import write_turtle
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402

EX = "https://example.org/"
_STORE = ("spo", "pos", "osp", "contextTriples", "tripleContexts", "defaultContexts",
          "context_obj_map")


def sample_triples() -> list[tuple]:
    s1, s2 = URIRef(EX + "a"), URIRef(EX + "b")
    items = BNode("list1")
    triples = [
        (s1, RDF.type, URIRef(EX + "Thing")),
        (s1, RDFS.label, Literal("A", lang="en")),
        (s1, RDFS.label, Literal("甲", lang="zh-Hant")),
        (s1, URIRef(EX + "n"), Literal("3", datatype=XSD.integer)),
        (s1, URIRef(EX + "to"), s2),
        (s2, URIRef(EX + "to"), s1),
        (s2, URIRef(EX + "note"), Literal('say "hi"\n')),
        (s2, URIRef(EX + "parts"), items),
        (s2, URIRef(EX + "axiom"), BNode("x1")),
        (BNode("x1"), URIRef(EX + "p"), Literal("inner")),
    ]
    g = Graph()
    Collection(g, items, [Literal("one"), URIRef(EX + "two")])
    return triples + list(g)


def store_state(graph: Graph) -> dict:
    store = graph.store
    return {name: getattr(store, f"_Memory__{name}") for name in _STORE} | {
        "all_contexts": {c.identifier for c in store._Memory__all_contexts}}


def added_one_by_one(triples) -> Graph:
    g = Graph(identifier=URIRef(EX + "g"))
    for t in triples:
        g.add(t)
    return g


def filled(triples) -> Graph:
    g = Graph(identifier=URIRef(EX + "g"))
    fill_graph(g, set(triples))
    return g


def test_fill_graph_leaves_the_store_as_add_does():
    triples = sample_triples()
    one, bulk = added_one_by_one(triples + triples[:3]), filled(triples)
    assert store_state(bulk) == store_state(one)
    assert len(bulk) == len(triples) and set(bulk) == set(triples)
    # and it behaves the same afterwards
    for g in (one, bulk):
        g.remove((URIRef(EX + "a"), RDFS.label, None))
        g.add((URIRef(EX + "c"), RDFS.label, Literal("C")))
        g.set((URIRef(EX + "a"), URIRef(EX + "n"), Literal("4", datatype=XSD.integer)))
    assert store_state(bulk) == store_state(one)
    assert sorted(bulk) == sorted(one)
    assert set(bulk.predicate_objects(URIRef(EX + "a"))) == {
        (RDF.type, URIRef(EX + "Thing")), (URIRef(EX + "to"), URIRef(EX + "b")),
        (URIRef(EX + "n"), Literal("4", datatype=XSD.integer))}


def test_fill_graph_adds_to_a_graph_that_is_not_new():
    triples = sample_triples()
    g = Graph()
    first = (URIRef(EX + "z"), RDFS.label, Literal("Z"))
    g.add(first)
    fill_graph(g, set(triples))
    assert set(g) == set(triples) | {first}
    empty, plain = Graph(identifier=URIRef(EX + "e")), Graph(identifier=URIRef(EX + "e"))
    fill_graph(empty, set())
    assert len(empty) == len(plain) == 0 and store_state(empty) == store_state(plain)


def test_the_index_is_read_only_for_a_graph_alone_in_its_store():
    g = filled(sample_triples())
    assert sole_memory_index(g) is g.store._Memory__spo
    ds = Dataset()
    part = ds.graph(URIRef(EX + "g1"))
    part.add((URIRef(EX + "a"), RDFS.label, Literal("A")))
    ds.graph(URIRef(EX + "g2")).add((URIRef(EX + "b"), RDFS.label, Literal("B")))
    assert sole_memory_index(part) is None


def plain_terms(graph: Graph) -> tuple[set, set, set]:
    return (set(graph.subjects()), set(graph.predicates()), set(graph.objects(None, RDF.type)))


def test_distinct_terms_skip_what_was_removed():
    g = filled(sample_triples())
    g.remove((URIRef(EX + "a"), None, None))
    g.remove((None, RDF.type, None))
    assert sole_memory_index(g) is not None  # the graph is alone in its store
    found = _distinct_terms(g)
    assert found == plain_terms(g)
    assert URIRef(EX + "a") not in found[0] and RDF.type not in found[1] and not found[2]
    ds = Dataset()
    part = ds.graph(URIRef(EX + "g1"))
    for t in sample_triples():
        part.add(t)
    ds.graph(URIRef(EX + "g2")).add((URIRef(EX + "other"), RDF.type, URIRef(EX + "Other")))
    assert _distinct_terms(part) == plain_terms(part)


def turtle(graph: Graph) -> str:
    buf = io.StringIO()
    write_turtle(graph, buf)
    return buf.getvalue()


def test_turtle_from_the_index_equals_turtle_from_the_statements():
    triples = sample_triples()
    g = filled(triples)
    g.remove((URIRef(EX + "b"), URIRef(EX + "note"), None))
    ds = Dataset()
    part = ds.graph(URIRef(EX + "g1"))
    for t in g:
        part.add(t)
    ds.graph(URIRef(EX + "g2")).add((URIRef(EX + "other"), RDF.type, URIRef(EX + "Other")))
    assert sole_memory_index(g) is not None and sole_memory_index(part) is None
    text = turtle(g)
    assert text == turtle(part)
    assert '( "one" <https://example.org/two> )' in text
    assert '[ <https://example.org/p> "inner" ]' in text and "say" not in text


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return generate.generate(30, tmp_path_factory.mktemp("gen"), seed=3)


def serial(data: Path) -> list:
    return [r for p in record_files(data) for r in records_in(p, shown_path(p, data))]


def test_parallel_reading_gives_the_serial_records_in_order(generated, monkeypatch):
    files = record_files(generated)
    expected = serial(generated)
    assert len(files) > 30
    with paused_gc():
        got = _read_parallel(files, generated, 2)
    assert [(r.file, r.data) for r in got] == [(r.file, r.data) for r in expected]
    monkeypatch.setattr("livergraph.model.load.PARALLEL_FILES", 1)
    monkeypatch.setattr("livergraph.model.load._workers", lambda: 2)
    assert [(r.file, r.data) for r in load_records(generated)] == \
        [(r.file, r.data) for r in expected]


def test_parallel_reading_reports_the_first_bad_file(generated, tmp_path, monkeypatch):
    import shutil
    data = tmp_path / "data"
    shutil.copytree(generated, data)
    files = record_files(data)
    for bad in (files[7], files[-3]):
        bad.write_text("id: [unclosed\n", encoding="utf-8")
    monkeypatch.setattr("livergraph.model.load.PARALLEL_FILES", 1)
    monkeypatch.setattr("livergraph.model.load._workers", lambda: 2)
    with pytest.raises(UnreadableInput) as parallel:
        load_records(data)
    with pytest.raises(UnreadableInput) as plain:
        serial(data)
    assert parallel.value.file == plain.value.file == shown_path(files[7], data)
    assert str(parallel.value) == str(plain.value)


def test_workers_are_the_free_cores(monkeypatch):
    from livergraph.model import load
    monkeypatch.setattr(load.os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(load.os, "getloadavg", lambda: (0.2, 0.0, 0.0))
    assert load._workers() == 2
    monkeypatch.setattr(load.os, "getloadavg", lambda: (1.7, 0.0, 0.0))
    assert load._workers() == 1


def test_paused_gc_resumes_and_cycles_are_still_collected():
    class Node:
        pass

    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        a, b = Node(), Node()
        a.other, b.other = b, a
        ref = weakref.ref(a)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    del a, b
    gc.collect()
    assert ref() is None


TRICKY_YAML = [
    "base: &b {x: 1, y: [a, b]}\nother:\n  <<: *b\n  y: 2\n",            # merge key
    "a: &l [1, 2]\nb: *l\nc: *l\n",                                         # aliases
    "&r [1, *r]\n",                                                         # recursive alias
    "when: 2024-05-01\nat: 2024-05-01T10:00:00Z\nn: 0x1F\nf: .5\nx: ~\ny: yes\nz: 'yes'\n",
    "bin: !!binary aGVsbG8=\nset: !!set {a, b}\nstr: !!str 12\n",           # explicit tags
    "? [a, b]\n: complex key\n",                                            # unhashable key
    "dup: 1\ndup: 2\n'1': one\n1: int one\n",
    "- {id: x, nested: {deep: [1, {k: v}]}}\n- plain\n- 3.0\n- null\n",
    "=: value key\n",
    "",
]


def plain_load(text: str):
    """PyYAML's reference (pure Python) safe loader."""
    import yaml
    return yaml.load(text, Loader=yaml.SafeLoader)


def fast_load(text: str):
    """The loader livergraph reads data with: the strict loader (livergraph.model.yamlio, over
    PyYAML's C safe loader when it is built), which refuses what data must not hold (merge keys,
    recursive or excessive aliases, tags, duplicate or non-text keys ...) with an
    UnreadableInput and otherwise reads exactly what PyYAML's safe loader reads."""
    from livergraph.model.yamlio import load_text
    return load_text(text, "test.yaml")


@pytest.mark.parametrize("text", TRICKY_YAML)
def test_the_fast_loader_reads_what_the_safe_loader_reads_or_refuses(text):
    import yaml

    from livergraph.errors import UnreadableInput
    try:
        expected = plain_load(text)
    except yaml.YAMLError:
        with pytest.raises(UnreadableInput):   # not YAML: refused with a message, not a crash
            fast_load(text)
        return
    try:
        got = fast_load(text)
    except UnreadableInput as exc:             # refused, saying why: never another value
        assert exc.message and "test.yaml" in str(exc.file)
        return
    assert got == expected and repr(got) == repr(expected)
    if text.startswith("a: &l"):
        assert got["b"] is got["c"]


def test_the_strict_loader_refuses_what_data_must_not_hold():
    from livergraph.errors import UnreadableInput
    refused = {TRICKY_YAML[0]: "merge keys", TRICKY_YAML[2]: "alias",
               TRICKY_YAML[6]: "duplicate key"}
    for text, words in refused.items():
        with pytest.raises(UnreadableInput) as got:
            fast_load(text)
        assert words in got.value.message, (text, got.value.message)


def test_the_fast_loader_reads_every_data_file_as_the_safe_loader(generated):
    from livergraph.errors import UnreadableInput
    files = [p for folder in (ROOT / "data", ROOT / "tests", generated)
             for p in sorted(folder.rglob("*.yaml"))]
    assert len(files) > 50
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            expected = plain_load(text)
        except Exception:   # deliberately broken fixtures: both loaders refuse them
            with pytest.raises(Exception):
                fast_load(text)
            continue
        try:
            got = fast_load(text)
        except UnreadableInput:   # hostile fixtures (tests/hostile, duplicate keys ...)
            assert "hostile" in path.parts or "fixtures" in path.parts, path
            continue
        assert repr(got) == repr(expected), path
