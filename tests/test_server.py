"""`livergraph push` against a real triple store: an Oxigraph server (PyPI `oxigraph`) started on
127.0.0.1 with a free port and stopped afterwards."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURE_DATA, ONTOLOGY, ROOT

from livergraph import __version__
from livergraph.cli import cli
from livergraph.errors import UnreadableInput
from livergraph.export.formats import build_parts
from livergraph.export.push import credentials, push, store_url
from livergraph.model.description import graph_iri

GRAPH = str(graph_iri(__version__))
START_TIMEOUT = 20.0     # seconds to wait for the server to listen (it takes ~30 ms)


def oxigraph_binary() -> str | None:
    here = Path(sys.executable).parent / "oxigraph"
    return str(here) if here.exists() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """An Oxigraph server process on 127.0.0.1."""

    def __init__(self, location: Path, *, read_only: bool = False,
                 union_default_graph: bool = False):
        self.binary = oxigraph_binary()
        if self.binary is None:
            pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
        self.location, self.read_only, self.union = location, read_only, union_default_graph
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    @property
    def store(self) -> str:
        return self.base + "/store"

    @property
    def query_url(self) -> str:
        return self.base + "/query"

    def start(self) -> Server:
        args = [self.binary, "serve-read-only" if self.read_only else "serve",
                "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"]
        if self.union:
            args.append("--union-default-graph")
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("oxigraph exited: " + self.proc.stderr.read().decode())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"oxigraph did not listen on port {self.port}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc is not None and self.proc.stderr:
            self.proc.stderr.close()

    def select(self, query: str) -> list[dict]:
        request = urllib.request.Request(
            self.query_url, data=query.encode("utf-8"), method="POST",
            headers={"Content-Type": "application/sparql-query",
                     "Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)["results"]["bindings"]

    def count(self, graph: str = GRAPH) -> int:
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(rows[0]["n"]["value"])


@pytest.fixture
def server(tmp_path):
    srv = Server(tmp_path / "store").start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def fixture_graph():
    return build_parts(ONTOLOGY, FIXTURE_DATA).merged()


def run(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


FAST = ("--no-validate", "--no-reason")     # the fixture as built, without shapes or Java
#: where the fixture is published (built once for the module, without shapes or Java)
FIXTURE_BUILD: dict = {}


@pytest.fixture(scope="module", autouse=True)
def fixture_build(tmp_path_factory):
    directory = tmp_path_factory.mktemp("fixture-build")
    result = run("build", "--root", ROOT, "--data", FIXTURE_DATA, "--build-dir", directory,
                 *FAST)
    assert result.exit_code == 0, result.output
    FIXTURE_BUILD["dir"] = directory
    return directory


def push_cli(endpoint, *extra, env=None):
    return run("push", "--endpoint", endpoint, "--root", ROOT, "--data", FIXTURE_DATA,
               "--build-dir", FIXTURE_BUILD["dir"], *extra, env=env)


def test_push_loads_the_graph_into_its_named_graph(server, fixture_graph):
    result = push_cli(server.store)
    assert result.exit_code == 0, result.output
    assert f"replaced <{GRAPH}> at {server.store}: {len(fixture_graph)} triples" in result.output
    assert server.count() == len(fixture_graph)
    rows = server.select("SELECT ?s WHERE { GRAPH ?g { ?s a <http://rdfs.org/ns/void#Dataset> "
                         "FILTER NOT EXISTS { ?r <http://rdfs.org/ns/void#subset> ?s } } }")
    assert [r["s"]["value"] for r in rows] == [f"https://w3id.org/livergraph/dataset/{__version__}"]


def test_push_by_default_validates_and_includes_the_inferred_types(server, fixture_graph):
    if shutil.which("java") is None:
        pytest.skip("Java (for the HermiT reasoner) is not installed")
    result = run("push", "--endpoint", server.store, "--root", ROOT, "--data", FIXTURE_DATA)
    assert result.exit_code == 0, result.output
    inferred = server.select(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?x "
        "<https://w3id.org/livergraph/ontology#inferredType> ?c } }")
    n = int(inferred[0]["n"]["value"])
    aligned = server.select(   # the schema.org / PROV statements the ontology's alignments entail
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o "
        "FILTER (STRSTARTS(STR(?p), 'https://schema.org/') || "
        "(?p = <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> && "
        "(STRSTARTS(STR(?o), 'https://schema.org/') || "
        "STRSTARTS(STR(?o), 'http://www.w3.org/ns/prov#')))) } }")
    a = int(aligned[0]["n"]["value"])
    asserted_external = sum(1 for s, p, o in fixture_graph
                            if str(p).startswith("https://schema.org/")
                            or (str(p).endswith("#type") and str(o).startswith(
                                ("https://schema.org/", "http://www.w3.org/ns/prov#"))))
    assert n > 0 and a > asserted_external
    assert server.count() == len(fixture_graph) + 2 * n + a - asserted_external
    total = server.select(f"SELECT ?n WHERE {{ GRAPH <{GRAPH}> {{ ?d "
                          "<http://rdfs.org/ns/void#triples> ?n FILTER NOT EXISTS "
                          "{ ?r <http://rdfs.org/ns/void#subset> ?d } } }")
    assert int(total[0]["n"]["value"]) == server.count()


def test_pushing_again_replaces_without_duplicates(server, fixture_graph):
    for _ in range(2):
        assert push_cli(server.store).exit_code == 0
    assert server.count() == len(fixture_graph)
    rows = server.select(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{GRAPH}> "
                         "{ ?s a <https://w3id.org/livergraph/ontology#Trial> } }")
    assert int(rows[0]["n"]["value"]) == 2


def test_replace_touches_only_its_own_graph(server, fixture_graph):
    other = "https://example.org/other-graph"
    assert push_cli(server.store, "--graph", other).exit_code == 0
    assert push_cli(server.store).exit_code == 0
    assert server.count(other) == len(fixture_graph) == server.count(GRAPH)


def test_append_adds_and_only_blank_nodes_repeat(server, fixture_graph):
    """RDF statements are a set: appending the same release again adds only fresh copies of
    the ontology's blank-node axioms, which is why --replace is the default."""
    blank = sum(1 for t in fixture_graph if any(type(x).__name__ == "BNode" for x in t))
    assert push_cli(server.store, "--append").exit_code == 0
    assert server.count() == len(fixture_graph)
    result = push_cli(server.store, "--append")
    assert result.exit_code == 0 and "added to" in result.output
    assert server.count() == len(fixture_graph) + blank


def test_a_stopped_server_is_a_clear_error(server, fixture_graph):
    assert push_cli(server.store).exit_code == 0
    server.stop()
    result = push_cli(server.store)
    assert result.exit_code == 2
    assert f"error: cannot reach the store at {server.store}" in result.output
    assert "is the server running" in result.output and "Traceback" not in result.output


def test_an_endpoint_where_nothing_listens_fails_before_the_build(tmp_path, monkeypatch):
    import livergraph.cli.push_cmd
    monkeypatch.setattr(livergraph.cli.push_cmd, "open_graph",
                        lambda *a, **k: pytest.fail("opened the graph"))
    endpoint = f"http://127.0.0.1:{free_port()}/store"
    result = push_cli(endpoint)
    assert result.exit_code == 2 and f"cannot reach the store at {endpoint}" in result.output


def test_a_refusing_server_shows_status_and_what_it_said(tmp_path):
    writable = Server(tmp_path / "store").start()   # create the store, then serve it read-only
    writable.stop()
    srv = Server(tmp_path / "store", read_only=True).start()
    try:
        result = push_cli(srv.store)
    finally:
        srv.stop()
    assert result.exit_code == 2
    assert "refused the PUT: HTTP 403" in result.output
    assert "it said: The server is read-only" in result.output


def test_a_wrong_path_hints_at_the_graph_store_url(server):
    result = push_cli(server.base + "/sparql")
    assert result.exit_code == 2 and "HTTP 404" in result.output
    assert "Graph Store Protocol URL" in result.output


# -- credentials: environment only ---------------------------------------------------------------

def test_credentials_come_from_the_environment_only():
    assert credentials({}) == ("none", None, None)
    assert credentials({"LIVERGRAPH_TOKEN": "t0k"}) == ("bearer", "t0k", None)
    assert credentials({"LIVERGRAPH_USER": "u", "LIVERGRAPH_PASSWORD": "p"}) == ("basic", "u", "p")
    with pytest.raises(UnreadableInput, match="LIVERGRAPH_PASSWORD is not"):
        credentials({"LIVERGRAPH_USER": "u"})
    with pytest.raises(UnreadableInput, match="both LIVERGRAPH_TOKEN and LIVERGRAPH_USER"):
        credentials({"LIVERGRAPH_TOKEN": "t", "LIVERGRAPH_USER": "u", "LIVERGRAPH_PASSWORD": "p"})
    help_text = run("push", "--help").output
    for word in ("--token", "--password", "--user"):
        assert word not in help_text


def test_credentials_in_the_url_are_refused_and_not_echoed():
    result = push_cli("http://admin:s3cret@127.0.0.1:1/store")
    assert result.exit_code == 2
    assert "holds a user name or password" in result.output and "s3cret" not in result.output


def test_the_token_is_sent_as_a_bearer_header(server, fixture_graph):
    """Oxigraph ignores the header; the request still succeeds and the header is built."""
    from livergraph.export.push import _opener
    _, headers = _opener(server.store, credentials({"LIVERGRAPH_TOKEN": "abc"}))
    assert headers == {"Authorization": "Bearer abc"}
    _, headers = _opener(server.store, credentials({"LIVERGRAPH_USER": "u",
                                                    "LIVERGRAPH_PASSWORD": "p"}))
    assert headers == {"Authorization": "Basic dTpw"}
    result = push_cli(server.store, env={"LIVERGRAPH_TOKEN": "abc"})
    assert result.exit_code == 0 and "abc" not in result.output
    assert server.count() == len(fixture_graph)


def test_store_url_identifies_the_graph_indirectly():
    assert store_url("http://h/store", "https://w3id.org/livergraph/graph/1.0") == (
        "http://h/store?graph=https%3A%2F%2Fw3id.org%2Flivergraph%2Fgraph%2F1.0")
    assert store_url("http://h/data?x=1", "urn:g") == "http://h/data?x=1&graph=urn%3Ag"


def test_library_push_returns_what_was_sent(server):
    body = b"<urn:a> <urn:b> <urn:c> .\n"
    result = push(body, endpoint=server.store, graph="urn:g", content_type="application/n-triples")
    assert (result.method, result.bytes_sent) == ("PUT", len(body)) and result.status in (201, 204)
    assert server.count("urn:g") == 1
    assert urllib.parse.unquote(result.url).endswith("graph=urn:g")


# -- the named queries answer the same against the server as on the embedded graph ---------------

def named_query_names() -> list[str]:
    try:
        from livergraph.query.engine import named_queries
    except ImportError:
        return []
    return [nq.name for nq in named_queries(ROOT / "queries")] if (ROOT / "queries").is_dir() \
        else []


@pytest.fixture(scope="module")
def project_build(tmp_path_factory):
    """The project's own graph, published (with the reasoner's types when Java is there)."""
    directory = tmp_path_factory.mktemp("project-build")
    reason = () if shutil.which("java") else ("--no-reason",)
    result = run("build", "--root", ROOT, "--build-dir", directory, *reason)
    assert result.exit_code == 0, result.output
    return directory


@pytest.fixture(scope="module")
def loaded_server(tmp_path_factory, project_build):
    """The project's own graph pushed to a server whose default graph is the union of its named
    graphs (as the named queries ask the default graph)."""
    srv = Server(tmp_path_factory.mktemp("union") / "store", union_default_graph=True).start()
    try:
        result = run("push", "--endpoint", srv.store, "--root", ROOT, "--build-dir",
                     project_build, "--no-rebuild")
        assert result.exit_code == 0, result.output
        yield srv
    finally:
        srv.stop()


@pytest.mark.parametrize("name", named_query_names())
def test_named_queries_answer_the_same_remotely(name, loaded_server, project_build):
    local = run("query", "--name", name, "--format", "csv", "--root", ROOT,
                "--build-dir", project_build, "--no-rebuild")
    remote = run("query", "--name", name, "--format", "csv", "--root", ROOT,
                 "--endpoint", loaded_server.query_url)
    assert local.exit_code == remote.exit_code == 0, local.output + remote.output

    def rows(text: str) -> tuple[str, list[str]]:
        lines = text.replace("\r\n", "\n").strip("\n").split("\n")
        return lines[0], sorted(lines[1:])
    assert rows(remote.stdout) == rows(local.stdout)


def test_the_server_holds_the_project_graph(loaded_server):
    trials = loaded_server.select(
        "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a <https://w3id.org/livergraph/ontology#Trial> }")
    assert int(trials[0]["n"]["value"]) > 0


def test_library_push_to_a_stopped_server_raises_a_clear_error(server):
    server.stop()
    with pytest.raises(UnreadableInput) as info:
        push(b"<urn:a> <urn:b> <urn:c> .\n", endpoint=server.store, graph="urn:g")
    assert f"cannot reach the store at {server.store}" in str(info.value)
    assert info.value.exit_code == 2


def test_a_store_whose_default_graph_is_not_the_union_is_named_not_answered_with_nothing(
        tmp_path):
    """Issue 19: a remote Oxigraph without a union default graph silently answered 0 rows."""
    srv = Server(tmp_path / "plain-store").start()
    try:
        pushed = run("push", "--endpoint", srv.store, "--root", ROOT, "--data", FIXTURE_DATA,
                     "--build-dir", FIXTURE_BUILD["dir"], "--no-rebuild")
        assert pushed.exit_code == 0, pushed.output
        result = run("query", "--endpoint", srv.query_url,
                     "SELECT ?t WHERE { ?t a lg:Trial }")
        assert result.exit_code == 2
        assert "default graph" in result.output and "is empty" in result.output
        assert "--union-default-graph" in result.output
        named = run("query", "--endpoint", srv.query_url,
                    "SELECT ?t WHERE { GRAPH ?g { ?t a lg:Trial } } ORDER BY ?t")
        assert named.exit_code == 0 and "NCT01220492" in named.output
    finally:
        srv.stop()
