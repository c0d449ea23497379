"""The library API (livergraph.open, KnowledgeGraph, Rows): values come back typed, parameters
are bound as terms (never spliced as text), and the module's doctest runs on the bundled data."""
from __future__ import annotations

import datetime as dt
import doctest
import os
import shutil
import subprocess
import sys
from decimal import Decimal

import pytest
from conftest import FIXTURE_ALBUMIN_48W, FIXTURE_DATA, FIXTURE_TRIALS, ROOT

import livergraph
from livergraph.query.rows import IRI, Rows, to_python, to_term

TRIAL_A, TRIAL_B = FIXTURE_TRIALS
LG = "https://w3id.org/livergraph/ontology#"
LGC = "https://w3id.org/livergraph/concept/"


@pytest.fixture(scope="module")
def kg(tmp_path_factory):
    directory = tmp_path_factory.mktemp("api-build")
    told: list[str] = []
    graph = livergraph.open(FIXTURE_DATA, root=ROOT, build_dir=directory,
                            on_rebuild=told.append, on_warning=told.append)
    assert told[0] == "no build yet"
    yield graph
    graph.close()


def test_import_livergraph_is_cheap():
    code = ("import sys, livergraph\n"
            "print(sorted(m for m in ('rdflib', 'pyoxigraph', 'livergraph.api', 'networkx') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT / "src")), check=True)
    assert done.stdout.strip() == "[]"


def test_open_reuses_the_build_and_refuses_a_stale_one_when_told(kg, tmp_path):
    again = livergraph.open(FIXTURE_DATA, root=ROOT, build_dir=kg.directory.parent,
                            on_rebuild=lambda why: pytest.fail(f"rebuilt: {why}"))
    assert again.directory == kg.directory and again.manifest == kg.manifest
    # a build directory opens as it is
    direct = livergraph.open(kg.directory.parent)
    assert direct.directory == kg.directory
    from livergraph.publish.artifact import StaleBuild
    with pytest.raises(StaleBuild) as err:
        livergraph.open(FIXTURE_DATA, root=ROOT, build_dir=tmp_path / "none", rebuild="never")
    assert err.value.exit_code == 3 and "no build yet" in str(err.value)


def test_select_gives_typed_python_values(kg):
    rows = kg.query(f"""SELECT ?trial ?status ?value ?n ?start WHERE {{
        BIND (trial:{TRIAL_A} AS ?trial) ?trial lg:status ?status .
        OPTIONAL {{ ?m lg:value ?value FILTER (STR(?value) = "{FIXTURE_ALBUMIN_48W}") }}
        BIND (3 AS ?n) BIND ("2011-01-02"^^xsd:date AS ?start) }}""")
    assert rows.columns == ("trial", "status", "value", "n", "start")
    (trial, status, value, n, start), = rows
    assert trial == f"https://w3id.org/livergraph/id/trial/{TRIAL_A}" and isinstance(trial, IRI)
    assert status == IRI(LGC + "status-COMPLETED")
    assert value == Decimal(FIXTURE_ALBUMIN_48W) and isinstance(value, Decimal)
    assert n == 3 and type(n) is int
    assert start == dt.date(2011, 1, 2)
    assert rows.to_records() == [{"trial": trial, "status": status, "value": value, "n": 3,
                                  "start": start}]


def test_ask_and_construct_come_back_as_rows(kg):
    yes = kg.query(f"ASK {{ trial:{TRIAL_A} a lg:Trial }}")
    assert yes.boolean is True and list(yes) == [(True,)]
    graph = kg.query(f"CONSTRUCT {{ trial:{TRIAL_A} lg:status ?s }} WHERE "
                     f"{{ trial:{TRIAL_A} lg:status ?s }}")
    assert graph.columns == ("subject", "predicate", "object")
    assert list(graph) == [(f"https://w3id.org/livergraph/id/trial/{TRIAL_A}", LG + "status",
                            LGC + "status-COMPLETED")]


def test_parameters_are_bound_as_terms(kg):
    q = "SELECT ?status WHERE { ?t lg:status ?status }"
    by_curie = kg.query(q, t=f"trial:{TRIAL_B}")
    by_iri = kg.query(q, t=IRI(f"https://w3id.org/livergraph/id/trial/{TRIAL_B}"))
    assert by_curie == by_iri and by_curie.column("status") == [LGC + "status-RECRUITING"]
    # text that tries to break out of the value is a string literal: no rows, no error
    evil = 'x" } ?t ?p ?status { "'
    assert len(kg.query(q, t=evil)) == 0
    assert len(kg.query("SELECT ?t WHERE { ?t lg:status ?s }", s="lgc:status-COMPLETED")) == 1
    with pytest.raises(Exception, match="no variable"):
        kg.query(q, nope=1)


def test_named_query_with_parameters(kg):
    rows = kg.named_query("trials-by-status")
    assert set(rows.column("status")) == {LGC + "status-COMPLETED", LGC + "status-RECRUITING"}
    assert sum(rows.column("trials")) == 2
    with pytest.raises(livergraph.api.UnreadableInput, match="did you mean"):
        kg.named_query("trials-by-stats")


def test_rows_print_as_a_table_and_write_csv(kg, tmp_path):
    rows = kg.query("SELECT ?t ?s WHERE { ?t lg:status ?s } ORDER BY ?t")
    text = str(rows)
    lines = text.splitlines()
    assert lines[0].split() == ["t", "s"] and set(lines[1]) <= {"-", " "}
    assert f"trial:{TRIAL_A}" in lines[2] and "lgc:status-COMPLETED" in lines[2]
    assert lines[-1] == "(2 rows)"
    out = tmp_path / "rows.csv"
    csv_text = rows.to_csv(out)
    assert out.read_text(encoding="utf-8") == csv_text
    assert csv_text.splitlines()[1] == (f"https://w3id.org/livergraph/id/trial/{TRIAL_A},"
                                        f"{LGC}status-COMPLETED")
    assert repr(rows).startswith("<Rows columns=['t', 's'] rows=2>")


def test_term_conversions_round_trip():
    import pyoxigraph as ox
    prefixes = {"lg": LG}
    for value in (1, -7, 2.5, Decimal("0.10"), True, dt.date(2020, 2, 29), "text", IRI(LG + "x")):
        assert to_python(to_term(value, prefixes)) == value
    assert to_term("lg:status", prefixes) == ox.NamedNode(LG + "status")
    assert to_term("unknown:thing", prefixes) == ox.Literal("unknown:thing")
    with pytest.raises(ValueError):
        to_term("http://bad iri", prefixes)
    assert Rows(("a",), [(1,)]) == Rows(("a",), [(1,)])


def test_validate_returns_the_published_report(kg):
    report = kg.validate()
    assert report.conforms is True
    assert report.counts == {k: v for k, v in kg.manifest["validation"].items()
                             if k != "conforms"}
    for r in report.results:
        assert r.severity in ("warning", "info") and r.message


def test_network_stats_and_export(kg, tmp_path):
    G = kg.network()
    trial = next(n for n, d in G.nodes(data=True) if TRIAL_A in str(n) or
                 TRIAL_A in str(d.get("label", "")))
    assert G.degree(trial) > 0
    stats = kg.stats()
    assert stats.triples == kg.manifest["triples"]["total"]
    assert stats.classes and stats.network.nodes == G.number_of_nodes()
    assert kg.export("jsonld") == kg.export("json-ld")
    out = tmp_path / "g.ttl"
    assert kg.export("ttl", out) is None
    assert out.read_bytes() == (kg.directory / "livergraph.ttl").read_bytes()
    with pytest.raises(livergraph.api.UnreadableInput, match="unknown export format"):
        kg.export("csv")


def test_graph_and_store_are_the_same_statements(kg):
    assert len(kg.graph) == kg.manifest["triples"]["total"] == len(kg.store)


def test_a_pickle_others_could_write_is_not_loaded(kg):
    """The graph then comes from the Turtle: the same statements."""
    from rdflib.compare import isomorphic
    path = kg.directory / "graph.pickle"
    mode = path.stat().st_mode
    path.chmod(mode | 0o022)
    try:
        assert kg._pickled("graph.pickle") is None
        fresh = livergraph.open(kg.directory.parent)
        assert isomorphic(fresh.graph, kg.graph)
    finally:
        path.chmod(mode)
    assert kg._pickled("graph.pickle") is not None


@pytest.mark.slow
def test_the_module_doctest_runs_on_the_bundled_data(tmp_path, monkeypatch):
    """The example in livergraph.api's docstring, on the project's own data (built into a
    temporary build directory)."""
    import livergraph.api as api
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("LIVERGRAPH_BUILD_DIR", str(tmp_path / "build"))
    if shutil.which("java") is None:
        pytest.skip("the bundled data's build reasons with HermiT (Java)")
    failures, tried = doctest.testmod(api, raise_on_error=False, verbose=False)
    assert tried >= 5 and failures == 0


@pytest.mark.slow
def test_the_one_liner_from_the_issue_works(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), LIVERGRAPH_BUILD_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", "import livergraph; kg = livergraph.open("
                           "'data'); print(kg.named_query('trials-by-status'))"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "lgc:status-RECRUITING" in done.stdout or "recruiting" in done.stdout
