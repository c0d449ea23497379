"""Hostile queries and parameters (issue 17, items 6 and 7): SERVICE is refused from the parsed
algebra wherever a query runs locally (``query``, ``viz --query``, the Python API), rdflib never
downloads a ``FROM`` graph, and ``--param`` values are bound as one typed term or refused, so no
value changes the query's structure. A server on 127.0.0.1 counts every connection: none may
arrive."""
from __future__ import annotations


import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURE_DATA
from counting_server import counting_server
from livergraph.cli import cli
from livergraph.namespaces import PREFIXES
from livergraph.query.checks import QueryError, bind_params, refuse_service, sparql_term

STATUS = "SELECT ?trial ?status WHERE { ?trial lg:status ?status } ORDER BY ?trial"


@pytest.fixture(scope="module")
def counter():
    """(url, hits): a SPARQL-looking server on 127.0.0.1 recording every request."""
    with counting_server(b'{"head":{"vars":[]},"results":{"bindings":[]}}',
                         "application/sparql-results+json") as (url, hits):
        yield f"{url}/sparql", hits


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("hostile-query-build")


@pytest.fixture
def run(build_dir):
    def invoke(*args: str):
        argv = [args[0], "--data", str(FIXTURE_DATA), "--build-dir", str(build_dir), *args[1:]]
        return CliRunner().invoke(cli, argv)
    return invoke


def service_queries(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?x }} }} }}",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        # codepoint escapes are expanded before parsing (SPARQL 1.1, 19.2): the keyword hides
        f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERV\\u0049CE <{url}> {{ ?s ?p ?o }} }} }}",
        f"PREFIX x: <{url.rsplit('/', 1)[0]}/> SELECT * WHERE {{ SERVICE x:sparql {{ ?s ?p ?o }} }}",
    ]


def test_service_is_refused_in_query_from_the_algebra(run, counter):
    url, hits = counter
    before = len(hits)
    for text in service_queries(url):
        result = run("query", text)
        assert result.exit_code == 2, (text, result.output)
        assert "SERVICE" in result.output and "--allow-service" in result.output, text
        assert "Traceback" not in result.output
    assert len(hits) == before, "a refused SERVICE query reached the server"


def test_service_is_refused_in_viz_query(run, counter, tmp_path):
    url, hits = counter
    before = len(hits)
    for text in service_queries(url):
        construct = text.replace("SELECT *", "CONSTRUCT { ?s ?p ?o }").replace(
            "select *", "CONSTRUCT { ?s ?p ?o }")
        result = run("viz", "-o", str(tmp_path / "v.html"), "--query", construct)
        assert result.exit_code == 2, (construct, result.output)
        assert "SERVICE" in result.output and "remote endpoints" in result.output
        assert not (tmp_path / "v.html").exists()
    assert len(hits) == before, "viz --query called a remote endpoint"


def test_the_word_service_in_strings_iris_and_comments_is_not_a_call():
    for text in ['SELECT * WHERE { ?s ?p "SERVICE <http://x/> { }" }',
                 "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
                 "# SERVICE <http://x/> {}\nSELECT * WHERE { ?s ?p ?o }",
                 'SELECT * WHERE { ?s ?p "\\u0053ERVICE" }']:
        refuse_service(text, dict(PREFIXES))          # no error


def test_query_with_service_in_a_string_runs(run):
    result = run("query", 'SELECT ?s WHERE { ?s rdfs:label "SERVICE <http://x/> {}" }')
    assert result.exit_code == 0, result.output
    assert "(0 rows)" in result.output


def test_rdflib_engine_never_downloads_a_from_graph(run, counter):
    url, hits = counter
    before = len(hits)
    result = run("query", "--engine", "rdflib",
                 f"SELECT (COUNT(*) AS ?n) FROM <{url}> WHERE {{ ?s ?p ?o }}")
    assert "Traceback" not in result.output
    assert len(hits) == before, "rdflib downloaded the FROM graph"


def test_api_refuses_service(build_dir):
    import livergraph
    kg = livergraph.open(FIXTURE_DATA, build_dir=build_dir)
    with pytest.raises(QueryError, match="SERVICE"):
        kg.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }")


# -- --param ---------------------------------------------------------------------------------

INJECTIONS = [
    '"x"^^<http://www.w3.org/2001/XMLSchema#string> UNDEF',
    '"x"^^<http://www.w3.org/2001/XMLSchema#string>}FILTER(false)#',
    '"x"^^xsd:string}UNDEF',
    '"a"@en}',
    '"a"@en } FILTER(false) #',
    '<http://a b>',
    '<http://a>b>',
    '<http://x/> } UNION { ?trial ?p ?status',
    'http://a>b',
    'http://a b',
    'https://x/}',
    '"\\"',
    '"x" . <urn:a> <urn:b> "y"',
    '"x" , "y"',
    "'it''s'",
]

#: values that become a plain string: each character is data
STRINGS = [
    'x" } FILTER(false) #',
    "x' } FILTER(false) #",
    "} UNION { ?trial ?p ?status }",
    "lg:a}",
    "1e5}",
    "trial:NCT1){",
    "nope:x",
    "VALUES ?x { 1 }",
    "a\\u0022 } #",
    "#",
    "completed\n} UNION {",
    "( 1 2 )",
    "[]",
]


@pytest.mark.parametrize("value", INJECTIONS)
def test_hostile_param_values_are_refused(run, value):
    result = run("query", STATUS, "-p", f"status={value}")
    assert result.exit_code == 2, (value, result.output)
    assert "is not one SPARQL term" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("value", STRINGS)
def test_hostile_param_values_bind_as_one_string(run, value):
    result = run("query", STATUS, "-p", f"status={value}", "--format", "csv")
    assert result.exit_code == 0, (value, result.output)
    assert result.stdout.splitlines() == ["trial,status"], "the value changed the query"
    bound = bind_params("SELECT ?x WHERE { }", {"x": value}, dict(PREFIXES))
    assert _one_binding(bound) == ox.Literal(value.strip())


def test_typed_values_still_bind(run):
    result = run("query", STATUS, "-p", "status=lgc:status-RECRUITING", "--format", "csv")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 2
    assert sparql_term('"1"^^xsd:integer', dict(PREFIXES)) == \
        '"1"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert sparql_term('"x" # a comment', dict(PREFIXES)) == '"x"'
    assert sparql_term("<urn:x>", dict(PREFIXES)) == "<urn:x>"


def _one_binding(query: str) -> ox.Term:
    """The value of ?x in the only solution of ``query`` on an empty store."""
    solutions = list(ox.Store().query(query))
    assert len(solutions) == 1, query
    return solutions[0]["x"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_text_binds_as_one_term_or_is_refused(value):
    """Hypothesis: for any text, the bound query parses and has exactly one solution with ?x
    bound to one term; a value that is not an IRI, number, boolean, prefixed name or quoted
    literal binds as exactly that text."""
    try:
        bound = bind_params("SELECT ?x WHERE { }", {"x": value}, dict(PREFIXES))
    except QueryError as exc:
        assert "not one SPARQL term" in str(exc)
        return
    term = _one_binding(bound)
    assert isinstance(term, (ox.NamedNode, ox.Literal))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_plain_text_binds_as_exactly_that_literal(text):
    value = "z " + text          # never an IRI, number, boolean, prefixed name or quoted literal
    bound = bind_params("SELECT ?x WHERE { }", {"x": value}, dict(PREFIXES))
    assert _one_binding(bound) == ox.Literal(value.strip())
