"""Chinese as people type it: search folds 幹/干 and traditional/simplified spellings, and
simplified labels are generated from the traditional ones and marked as machine converted."""
from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from conftest import DATA, ONTOLOGY
from livergraph.model.chinese_labels import add_simplified_labels
from livergraph.namespaces import LG
from livergraph.query.search import search


@lru_cache(maxsize=1)
def bundled() -> Graph:
    from livergraph.model.build import build
    return build(ONTOLOGY, DATA).graph


def trials(found: list[URIRef]) -> set[str]:
    return {str(s).rsplit("/", 1)[-1] for s in found if "/id/trial/" in str(s)}


def test_gan_variants_and_simplified_find_the_same_trials():
    g = bundled()
    found = {q: trials(search(g, q)) for q in ("幹細胞", "干細胞", "干细胞")}
    assert found["幹細胞"] == found["干細胞"] == found["干细胞"]
    assert len(found["干細胞"]) >= 20        # the seed's titles write 干細胞
    assert "NCT01342250" in found["幹細胞"]


def test_exact_matches_rank_before_substrings():
    g = Graph()
    a, b = URIRef("urn:x:a"), URIRef("urn:x:b")
    g.add((b, RDFS.label, Literal("臍帶間充質幹細胞", lang="zh-Hant")))
    g.add((a, RDFS.label, Literal("幹細胞治療肝硬化", lang="zh-Hant")))
    g.add((b, LG.alias, Literal("幹細胞", lang="zh-Hant")))
    assert search(g, "干细胞") == [b, a]
    assert search(g, "幹細胞", lang="en") == []
    assert search(g, "  ") == []


def test_simplified_labels_are_added_and_marked_machine_converted():
    g = Graph()
    org, done = URIRef("urn:x:org"), URIRef("urn:x:done")
    g.add((org, RDFS.label, Literal("沈陽軍區總醫院", lang="zh-Hant")))
    g.add((done, RDFS.label, Literal("幹細胞", lang="zh-Hant")))
    g.add((done, RDFS.label, Literal("干细胞", lang="zh-Hans")))
    assert add_simplified_labels(g) == 1
    simplified = Literal("沈阳军区总医院", lang="zh-Hans")
    assert (org, RDFS.label, simplified) in g
    assert (org, LG.machineConverted, simplified) in g
    assert not list(g.objects(done, LG.machineConverted))    # a curated zh-Hans label wins
    assert add_simplified_labels(g) == 0                      # idempotent


def test_search_answers_the_same_from_a_pyoxigraph_store_and_from_rows():
    import pyoxigraph as ox
    g = bundled()
    store = ox.Store()
    store.load(g.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    from_graph = search(g, "幹細胞", lang="zh")
    assert search(store, "干细胞", lang="zh") == from_graph
    rows = [("urn:x:1", "干細胞治療", "zh-Hant"), ("urn:x:2", "stem cells", "en")]
    assert search(rows, "幹細胞") == [URIRef("urn:x:1")]
