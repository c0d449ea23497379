"""`livergraph query` and `livergraph queries` on the mini fixture: sources of the query text,
every result format (checked with rdflib's own W3C result parsers, independent of pyoxigraph),
labels in the table, ASK exit codes, errors, the timeout and --endpoint. The published build
queries read is tested in tests/test_publish.py."""
from __future__ import annotations

import io
import json
import os
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.query import Result

from conftest import FIXTURE_ALBUMIN_48W, FIXTURE_DATA, FIXTURE_TRIALS, ONTOLOGY, ROOT
import livergraph
from livergraph.cli import cli
from livergraph.namespaces import LG, LGC, PREFIXES, record_iri
from livergraph.query.engine import (QueryError, analyse, check, find_named, named_queries, parse_named,
                              run_local)

TRIAL_A, TRIAL_B = FIXTURE_TRIALS
STATUS_QUERY = "SELECT ?trial ?status WHERE { ?trial lg:status ?status } ORDER BY ?trial"
SPONSOR_QUERY = ("SELECT ?trial ?sponsor WHERE { ?trial a lg:Trial ; lg:leadSponsor ?sponsor } "
                 "ORDER BY ?trial")
#: a cross product of the graph with itself three times: far too slow to finish
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """The build directory the fixture is published in (once for the module)."""
    return tmp_path_factory.mktemp("query-build")


@pytest.fixture
def run(cache):
    runner = CliRunner()

    def invoke(*args, data=FIXTURE_DATA, input=None):
        build = cache if data == FIXTURE_DATA else cache / "other"
        argv = ["query", "--data", str(data), "--build-dir", str(build), *map(str, args)]
        return runner.invoke(cli, argv, input=input, catch_exceptions=False)
    return invoke


def rows(result_text: str, fmt: str) -> list[dict]:
    """Parse W3C results with rdflib's parsers, as {variable: term} rows."""
    parsed = Result.parse(io.StringIO(result_text), format=fmt)
    return [{str(k): v for k, v in b.items()} for b in parsed.bindings]


# -- where the query comes from ------------------------------------------------------------

def test_query_text_as_argument_gives_a_table_with_labels(run):
    result = run(STATUS_QUERY)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["trial", "status"]
    assert lines[2].split() == [TRIAL_A, "completed"]
    assert lines[3].split() == [TRIAL_B, "recruiting"]
    assert lines[-1] == "(2 rows)"


def test_lang_zh_shows_traditional_chinese_labels(run):
    result = run(SPONSOR_QUERY, "--lang", "zh")
    assert result.exit_code == 0
    assert "北京302醫院" in result.stdout and "煙臺毓璜頂醫院" in result.stdout
    english = run(SPONSOR_QUERY)
    assert "Beijing 302 Hospital" in english.stdout and "北京302醫院" not in english.stdout


def test_table_aligns_wide_characters(run):
    lines = run(SPONSOR_QUERY, "--lang", "zh").stdout.splitlines()
    from livergraph.query.render import text_width
    header, rule, first, second = lines[:4]
    assert text_width(first.rstrip()) <= text_width(rule) and len(rule.split()) == 2
    assert first.index("北") == header.index("sponsor")


def test_iris_without_label_are_shown_as_curies(run):
    result = run("SELECT ?m WHERE { ?m a lg:Measurement } ORDER BY ?m")
    assert "measurement:fixture-study-alb-treated-48w" in result.stdout


def test_query_from_file_and_from_stdin(run, tmp_path):
    path = tmp_path / "q.rq"
    path.write_text(STATUS_QUERY, encoding="utf-8")
    from_file = run("-f", path, "--format", "csv")
    from_stdin = run("-", "--format", "csv", input=STATUS_QUERY)
    assert from_file.exit_code == from_stdin.exit_code == 0
    assert from_file.stdout == from_stdin.stdout
    assert from_file.stdout.splitlines()[0] == "trial,status"


def test_exactly_one_query_source(run, tmp_path):
    assert run().exit_code == 2
    path = tmp_path / "q.rq"
    path.write_text(STATUS_QUERY)
    result = run(STATUS_QUERY, "-f", path)
    assert result.exit_code == 2 and "exactly one query" in result.output


def test_missing_query_file_exits_2(run, tmp_path):
    result = run("-f", tmp_path / "nope.rq")
    assert result.exit_code == 2 and "nope.rq" in result.output


def test_empty_query_exits_2(run):
    result = run("-", input="  \n")
    assert result.exit_code == 2 and "empty" in result.output


# -- formats ----------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_json_and_xml_results_parse_with_rdflib(run, fmt):
    result = run(STATUS_QUERY, "--format", fmt)
    assert result.exit_code == 0
    got = rows(result.stdout, fmt)
    assert got == [{"trial": record_iri("trial", TRIAL_A), "status": LGC["status-COMPLETED"]},
                   {"trial": record_iri("trial", TRIAL_B), "status": LGC["status-RECRUITING"]}]


def test_json_results_keep_datatypes_and_languages(run):
    q = ("SELECT ?v ?title WHERE { ?m lg:timePoint 'P336D'^^xsd:duration ; lg:value ?v . "
         f"trial:{TRIAL_A} lg:title ?title FILTER(langMatches(lang(?title), 'zh-Hant')) }}")
    data = json.loads(run(q, "--format", "json").stdout)
    (binding,) = data["results"]["bindings"]
    assert binding["v"] == {"type": "literal", "value": FIXTURE_ALBUMIN_48W,
                            "datatype": "http://www.w3.org/2001/XMLSchema#decimal"}
    assert binding["title"]["xml:lang"].lower() == "zh-hant"
    parsed = rows(run(q, "--format", "xml").stdout, "xml")
    assert parsed[0]["v"] == Literal(FIXTURE_ALBUMIN_48W, datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#decimal"))


def test_sparql_csv_and_tsv_follow_the_w3c_formats(run):
    csv_out = run(STATUS_QUERY, "--format", "sparql-csv").stdout_bytes.decode("utf-8")
    assert csv_out.split("\r\n")[:2] == [
        "trial,status", f"{PREFIXES['trial']}{TRIAL_A},{PREFIXES['lgc']}status-COMPLETED"]
    tsv_out = run(STATUS_QUERY, "--format", "sparql-tsv").stdout
    assert tsv_out.splitlines()[:2] == [
        "?trial\t?status", f"<{PREFIXES['trial']}{TRIAL_A}>\t<{PREFIXES['lgc']}status-COMPLETED>"]
    parsed = rows(csv_out, "csv")
    assert [str(r["trial"]) for r in parsed] == [str(record_iri("trial", t)) for t in FIXTURE_TRIALS]


def test_ask_prints_true_or_false_and_sets_the_exit_code(run):
    yes = run(f"ASK {{ trial:{TRIAL_A} lg:status lgc:status-COMPLETED }}")
    no = run(f"ASK {{ trial:{TRIAL_A} lg:status lgc:status-RECRUITING }}")
    assert (yes.exit_code, yes.stdout) == (0, "true\n")
    assert (no.exit_code, no.stdout) == (1, "false\n")
    as_json = run(f"ASK {{ trial:{TRIAL_A} a lg:Trial }}", "--format", "json")
    assert json.loads(as_json.stdout)["boolean"] is True
    as_xml = run(f"ASK {{ trial:{TRIAL_A} a lg:Study }}", "--format", "xml")
    assert as_xml.exit_code == 1
    assert Result.parse(io.StringIO(as_xml.stdout), format="xml").askAnswer is False


CONSTRUCT = (f"CONSTRUCT {{ ?t lg:status ?s ; lg:title ?title }} WHERE {{ ?t lg:status ?s ; "
             f"lg:title ?title FILTER(?t = trial:{TRIAL_A}) }}")


@pytest.mark.parametrize("fmt,rdflib_format", [("turtle", "turtle"), ("nt", "nt"),
                                               ("json-ld", "json-ld"), ("table", "turtle")])
def test_construct_gives_rdf_in_each_format(run, fmt, rdflib_format):
    result = run(CONSTRUCT, "--format", fmt)
    assert result.exit_code == 0, result.output
    g = Graph().parse(data=result.stdout, format=rdflib_format)
    trial = record_iri("trial", TRIAL_A)
    assert len(g) == 3
    assert (trial, LG.status, LGC["status-COMPLETED"]) in g
    titles = {(str(o), o.language.lower()) for o in g.objects(trial, LG.title)}
    assert ("臍帶間充質干細胞治療肝硬化患者", "zh-hant") in titles


def test_describe_gives_rdf(run):
    result = run(f"DESCRIBE trial:{TRIAL_B}", "--format", "nt")
    g = Graph().parse(data=result.stdout, format="nt")
    assert (record_iri("trial", TRIAL_B), LG.leadSponsor,
            record_iri("org", "yantai-yuhuangding-hospital")) in g


def test_a_format_that_does_not_fit_the_query_exits_2(run):
    select = run(STATUS_QUERY, "--format", "turtle")
    assert select.exit_code == 2 and "use --format table, csv, tsv, json or xml" in select.output
    construct = run(CONSTRUCT, "--format", "csv")
    assert construct.exit_code == 2 and "turtle, nt or json-ld" in construct.output


def test_output_file_is_written_atomically(run, tmp_path):
    out = tmp_path / "answer.csv"
    result = run(STATUS_QUERY, "--format", "csv", "-o", out)
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("trial,status")
    bad = run("SELECT * WHERE { ?s nope:x ?o }", "-o", tmp_path / "bad.csv")
    assert bad.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answer.csv"]


# -- errors -----------------------------------------------------------------------------------

def test_syntax_error_gives_line_and_column_and_exits_2(run):
    result = run("SELECT ?s\nWHERE {\n  ?s ?p \n}")
    assert result.exit_code == 2
    assert "error: syntax error in the query at line 4, column" in result.output
    assert "Traceback" not in result.output


def test_unknown_prefix_is_named_with_the_known_ones(run):
    result = run("SELECT ?t WHERE {\n  ?t a lgx:Trial }")
    assert result.exit_code == 2
    assert "unknown prefix lgx: at line 2, column 8" in result.output
    assert "lg:, lgc:" in result.output and "trial:" in result.output


def test_prefix_declared_in_the_query_is_accepted(run):
    q = "PREFIX ex: <https://w3id.org/livergraph/ontology#>\nSELECT ?t WHERE { ?t a ex:Trial }"
    result = run(q, "--format", "csv")
    assert result.exit_code == 0 and len(result.stdout.strip().splitlines()) == 3


@pytest.mark.parametrize("update", [
    "INSERT DATA { trial:X lg:status lgc:status-COMPLETED }",
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX ex: <http://example.org/>\nCLEAR ALL",
    "LOAD <http://example.org/data.ttl>",
])
def test_sparql_update_is_refused(run, update):
    result = run(update)
    assert result.exit_code == 2
    assert "SPARQL Update" in result.output and "read-only" in result.output


def test_service_is_refused_unless_allowed(run):
    q = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    refused = run(q)
    assert refused.exit_code == 2 and "--allow-service" in refused.output
    allowed = run(q, "--allow-service")
    assert allowed.exit_code == 2 and "--allow-service" not in allowed.output
    assert "the query failed" in allowed.output


def test_timeout_stops_a_long_query(run):
    result = run(SLOW_QUERY, "--timeout", "0.5")
    assert result.exit_code == 2
    assert "stopped after 0.5 s (--timeout)" in result.output


def test_timeout_that_is_not_reached_gives_the_answer(run):
    result = run(STATUS_QUERY, "--timeout", "60", "--format", "csv")
    assert result.exit_code == 0 and result.stdout.startswith("trial,status")
    ask = run(f"ASK {{ trial:{TRIAL_A} a lg:Study }}", "--timeout", "60")
    assert ask.exit_code == 1 and ask.stdout == "false\n"
    bad = run("SELECT * WHERE { ?s ?p }", "--timeout", "60")
    assert bad.exit_code == 2 and "syntax error in the query at line 1" in bad.output


def test_bad_data_exits_1_with_the_builder_message(run, mini_data, tmp_path):
    path = mini_data / "trials" / f"{TRIAL_A}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "hasArmz: []\n", encoding="utf-8")
    result = run(STATUS_QUERY, data=mini_data)
    assert result.exit_code == 1 and "'hasArmz' is not a property" in result.output


# -- the analyser -----------------------------------------------------------------------------

def test_analyse_ignores_strings_iris_and_comments():
    q = ('# INSERT nothing: a comment with nope:x\nPREFIX ex: <http://e/#insert>\n'
         'SELECT ?s WHERE { ?s rdfs:label "SERVICE delete: x" ; ex:p <urn:x:y> }')
    info = analyse(q)
    assert info.form == "select" and info.service is None
    assert sorted(p for p, _, _ in info.used) == ["ex", "rdfs"]
    assert set(info.declared) == {"ex"}


def test_check_accepts_blank_nodes_and_keywords_in_names():
    info = check("SELECT ?insert WHERE { _:b lg:delete ?insert . ?s lg:has-select ?o }",
                 PREFIXES)
    assert info.form == "select"


# -- the published build ---------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("java") is None, reason="the HermiT reasoner needs Java")
def test_queries_see_the_inferred_types_of_a_reasoned_build_only(run, tmp_path):
    q = f"SELECT ?c WHERE {{ trial:{TRIAL_A} lg:inferredType ?c }} ORDER BY ?c"
    inferred = run(q, "--format", "sparql-csv").stdout.splitlines()[1:]
    assert f"{PREFIXES['lg']}PlaceboControlledStudy" in inferred
    assert f"{PREFIXES['lg']}UmbilicalCordDerivedStudy" in inferred
    by_class = run(f"ASK {{ trial:{TRIAL_A} a lg:PlaceboControlledStudy }}")
    assert by_class.exit_code == 0
    runner = CliRunner()
    built = runner.invoke(cli, ["build", "--data", str(FIXTURE_DATA), "--build-dir",
                                str(tmp_path), "--no-reason", "--no-validate"])
    assert built.exit_code == 0, built.output
    asserted = runner.invoke(cli, ["query", "--data", str(FIXTURE_DATA), "--build-dir",
                                   str(tmp_path), "--no-rebuild",
                                   f"ASK {{ trial:{TRIAL_A} a lg:PlaceboControlledStudy }}"])
    assert asserted.exit_code == 1 and asserted.stdout == "false\n"


def test_query_reports_a_rebuild_on_stderr_only_when_it_builds(tmp_path):
    runner = CliRunner()
    argv = ["query", "--data", str(FIXTURE_DATA), "--build-dir", str(tmp_path), STATUS_QUERY]
    first = runner.invoke(cli, argv)
    second = runner.invoke(cli, argv)
    assert first.stderr.count("rebuilding") == 1 and first.stderr.startswith("livergraph: ")
    assert second.stderr == "" and second.stdout == first.stdout


# -- engines agree ----------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["json", "table", "csv"])
def test_rdflib_engine_gives_the_same_answer(run, fmt):
    q = ("SELECT ?trial ?sponsor ?status WHERE { ?trial lg:leadSponsor ?sponsor ; "
         "lg:status ?status } ORDER BY ?trial")
    ox = run(q, "--format", fmt)
    rd = run(q, "--format", fmt, "--engine", "rdflib")
    assert ox.exit_code == rd.exit_code == 0
    if fmt == "json":
        assert rows(ox.stdout, "json") == rows(rd.stdout, "json")
    else:
        assert ox.stdout == rd.stdout


def test_rdflib_engine_reports_syntax_errors_with_position(run):
    result = run("SELECT ?s WHERE {\n ?s ?p }", "--engine", "rdflib")
    assert result.exit_code == 2 and "syntax error in the query at line" in result.output


# -- named queries ----------------------------------------------------------------------------

def write_named(directory, name, text):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}.rq").write_text(text, encoding="utf-8")


def test_named_query_header_is_read(tmp_path):
    write_named(tmp_path, "by-status", "# Trials by status\n# Counts trials.\n# More text.\n"
                "# param: status — a registry status concept\nSELECT * WHERE { ?s ?p ?o }\n")
    nq = parse_named(tmp_path / "by-status.rq")
    assert nq.name == "by-status" and nq.summary == "Trials by status"
    assert nq.description == "Counts trials.\nMore text."
    assert nq.params == (("status", "a registry status concept"),)


def test_unknown_named_query_lists_close_matches(tmp_path):
    for name in ("trials-by-status", "trials-by-route", "hcc-incidence"):
        write_named(tmp_path, name, "# x\n# param: none\nASK {}\n")
    with pytest.raises(Exception) as err:
        find_named(tmp_path, "trials-by-statu")
    assert "trials-by-status" in str(err.value) and "hcc-incidence" not in str(err.value)


def test_named_query_runs_by_name(run, tmp_path):
    root = tmp_path / "root"
    (root / "ontology").mkdir(parents=True)
    (root / "ontology" / "livergraph.ttl").write_bytes(ONTOLOGY.read_bytes())
    (root / "data").mkdir()
    shutil.copytree(ROOT / "shapes", root / "shapes")   # the same inputs: the same build
    write_named(root / "queries", "statuses", "# Statuses\n# param: none\n" + STATUS_QUERY)
    result = run("--name", "statuses", "--root", root, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "trial,status"
    unknown = run("--name", "statusez", "--root", root)
    assert unknown.exit_code == 2 and "did you mean: statuses?" in unknown.output


def test_queries_lists_every_named_query_with_its_summary(tmp_path):
    root = tmp_path / "root"
    (root / "ontology").mkdir(parents=True)
    (root / "ontology" / "livergraph.ttl").write_bytes(ONTOLOGY.read_bytes())
    (root / "data").mkdir()
    shutil.copytree(ROOT / "shapes", root / "shapes")   # the same inputs: the same build
    write_named(root / "queries", "b-query", "# The second\n# param: none\nASK {}\n")
    write_named(root / "queries", "a-query", "# The first\n# Longer words.\n"
                "# param: x — an x\nASK {}\n")
    write_named(root / "queries", "no-header", "ASK {}\n")
    (root / "queries" / "not-utf8.rq").write_bytes(b"# \xff\xfe\n")
    runner = CliRunner()
    listing = runner.invoke(cli, ["queries", "--root", str(root)])
    lines = listing.stdout.splitlines()
    assert lines[0].split(None, 1) == ["a-query", "The first"]
    assert lines[1].split(None, 1) == ["b-query", "The second"]
    assert lines[2].startswith("no-header") and "no summary" in lines[2]
    assert lines[3].startswith("not-utf8") and "no summary" in lines[3]
    long = runner.invoke(cli, ["queries", "--root", str(root), "--long"])
    assert "Longer words." in long.stdout and "param x (required): an x" in long.stdout
    assert "header problem" in long.stdout
    shown = runner.invoke(cli, ["queries", "--root", str(root), "b-query"])
    assert shown.stdout == "# The second\n# param: none\nASK {}\n"


def test_run_local_refuses_unknown_engine(run, cache):
    run("ASK {}")     # the module's build is there
    graph = livergraph.open(FIXTURE_DATA, root=ROOT, build_dir=cache).published
    with pytest.raises(QueryError):
        run_local(STATUS_QUERY, graph.path, graph.prefixes, engine="nope")


# -- --endpoint -------------------------------------------------------------------------------

class _Sparql(BaseHTTPRequestHandler):
    """A minimal SPARQL 1.1 Protocol server over a pyoxigraph store (for tests)."""

    store = None
    seen_accept: list = []

    def do_POST(self):
        import pyoxigraph as ox
        body = self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8")
        query = parse_qs(body)["query"][0]
        accept = self.headers.get("Accept", "")
        self.seen_accept.append(accept.split(",")[0])
        try:
            result = self.store.query(query)
        except SyntaxError as exc:
            self._send(400, "text/plain", str(exc).encode())
            return
        if isinstance(result, ox.QueryTriples):
            fmt = ox.RdfFormat.from_media_type(accept.split(",")[0]) or ox.RdfFormat.N_TRIPLES
            self._send(200, fmt.media_type, ox.serialize(result, format=fmt))
            return
        fmt = (ox.QueryResultsFormat.from_media_type(accept.split(",")[0])
               or ox.QueryResultsFormat.JSON)
        self._send(200, fmt.media_type, result.serialize(format=fmt))

    def _send(self, code, media, data):
        self.send_response(code)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def endpoint(cache):
    import pyoxigraph as ox
    graph = livergraph.open(FIXTURE_DATA, root=ROOT, build_dir=cache).published
    store = ox.Store()
    store.bulk_load(path=str(graph.turtle), format=ox.RdfFormat.TURTLE)
    handler = type("Handler", (_Sparql,), {"store": store, "seen_accept": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/query", handler
    server.shutdown()


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "tsv", "xml", "sparql-csv",
                                 "sparql-tsv"])
def test_endpoint_gives_the_same_answer_as_the_local_graph(run, endpoint, fmt):
    url, handler = endpoint
    local = run(SPONSOR_QUERY, "--format", fmt, "--lang", "zh")
    remote = run(SPONSOR_QUERY, "--format", fmt, "--lang", "zh", "--endpoint", url)
    assert remote.exit_code == 0, remote.output
    if fmt in ("json", "xml"):
        assert rows(remote.stdout, fmt) == rows(local.stdout, fmt)
    else:
        assert remote.stdout == local.stdout
    if fmt not in ("table", "csv", "tsv"):     # the tables for people are drawn from JSON
        from livergraph.query.render import RESULT_FORMATS
        assert RESULT_FORMATS[fmt] in handler.seen_accept


def test_endpoint_ask_and_construct(run, endpoint):
    url, _ = endpoint
    no = run(f"ASK {{ trial:{TRIAL_A} a lg:Study }}", "--endpoint", url)
    assert (no.exit_code, no.stdout) == (1, "false\n")
    for fmt in ("turtle", "nt", "json-ld"):
        remote = run(CONSTRUCT, "--endpoint", url, "--format", fmt)
        assert remote.exit_code == 0 and remote.stdout == run(CONSTRUCT, "--format", fmt).stdout


def test_endpoint_errors(run, endpoint):
    url, _ = endpoint
    unreachable = run(STATUS_QUERY, "--endpoint", "http://127.0.0.1:1/sparql")
    assert unreachable.exit_code == 2 and "cannot reach the SPARQL endpoint" in unreachable.output
    not_http = run(STATUS_QUERY, "--endpoint", "ftp://example.org/")
    assert not_http.exit_code == 2 and "not an HTTP URL" in not_http.output
    syntax = run("SELECT ?s WHERE {\n ?s ?p }", "--endpoint", url)
    assert syntax.exit_code == 2 and "syntax error in the query at line 2" in syntax.output
    update = run("CLEAR ALL", "--endpoint", url)
    assert update.exit_code == 2 and "SPARQL Update" in update.output


# -- parameters -------------------------------------------------------------------------------

def test_param_binds_a_variable_of_an_ad_hoc_query(run):
    result = run(STATUS_QUERY, "--param", f"trial=trial:{TRIAL_B}", "--format", "sparql-csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1:] == [
        f"{PREFIXES['trial']}{TRIAL_B},{PREFIXES['lgc']}status-RECRUITING"]
    text = run("SELECT ?org WHERE { ?org lg:name ?n }", "-p", "n=煙臺毓璜頂醫院",
               "--format", "sparql-csv")
    assert text.stdout.splitlines()[1:] == []          # a plain string does not match @zh-Hant
    tagged = run("SELECT ?org WHERE { ?org lg:name ?n }", "-p", 'n="煙臺毓璜頂醫院"@zh-Hant',
                 "--format", "sparql-csv")
    assert tagged.stdout.splitlines()[1:] == [f"{PREFIXES['org']}yantai-yuhuangding-hospital"]


def test_param_replaces_the_values_line_of_a_named_query(run, tmp_path):
    root = tmp_path / "root"
    (root / "ontology").mkdir(parents=True)
    (root / "ontology" / "livergraph.ttl").write_bytes(ONTOLOGY.read_bytes())
    (root / "data").mkdir()
    shutil.copytree(ROOT / "shapes", root / "shapes")   # the same inputs: the same build
    write_named(root / "queries", "status-of", "# Status of one trial\n"
                "# param: trial — the trial (default the first fixture trial)\n"
                f"SELECT ?status WHERE {{ VALUES ?trial {{ trial:{TRIAL_A} }} "
                "?trial lg:status ?status }\n")
    default = run("--name", "status-of", "--root", root, "--format", "sparql-csv")
    assert default.stdout.splitlines()[1:] == [f"{PREFIXES['lgc']}status-COMPLETED"]
    bound = run("--name", "status-of", "--root", root, "--format", "sparql-csv",
                "-p", f"trial=trial:{TRIAL_B}")
    assert bound.stdout.splitlines()[1:] == [f"{PREFIXES['lgc']}status-RECRUITING"]
    unknown = run("--name", "status-of", "--root", root, "-p", "trail=x")
    assert unknown.exit_code == 2 and "no parameter 'trail'" in unknown.output
    assert "its parameters: trial" in unknown.output


def test_param_errors(run):
    not_pair = run(STATUS_QUERY, "-p", "trial")
    assert not_pair.exit_code == 2 and "is not NAME=VALUE" in not_pair.output
    no_var = run(STATUS_QUERY, "-p", "nope=1")
    assert no_var.exit_code == 2 and "no variable ?nope" in no_var.output


@pytest.mark.parametrize("value,term", [
    ("trial:NCT01220492", "trial:NCT01220492"),
    ("https://example.org/x", "<https://example.org/x>"),
    ("<urn:x>", "<urn:x>"),
    ("42", "42"), ("-1.5", "-1.5"), ("true", "true"),
    ('"a"@en', '"a"@en'),
    ('say "hi"', '"say \\"hi\\""'),
    ("nope:x", '"nope:x"'),
])
def test_param_values_become_sparql_terms(value, term):
    from livergraph.query.engine import sparql_term
    assert sparql_term(value, PREFIXES) == term


def test_unwritable_build_directory_exits_2(run, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = CliRunner().invoke(cli, ["query", "--data", str(FIXTURE_DATA), "--build-dir",
                                      str(blocker / "build"), STATUS_QUERY])
    assert result.exit_code == 2 and "cannot write the build directory" in result.output


@pytest.mark.parametrize("name,first", [("a.csv", "trial,status"), ("a.tsv", "trial\tstatus"),
                                        ("a.json", '{"head":'), ("a.srx", "<?xml")])
def test_output_suffix_sets_the_format(run, tmp_path, name, first):
    out = tmp_path / name
    assert run(STATUS_QUERY, "-o", out).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith(first)
    as_table = tmp_path / ("table-" + name)
    assert run(STATUS_QUERY, "-o", as_table, "--format", "table").exit_code == 0
    assert as_table.read_text(encoding="utf-8").startswith("trial")


def test_output_suffix_json_means_json_ld_for_graph_results(run, tmp_path):
    out = tmp_path / "graph.json"
    assert run(CONSTRUCT, "-o", out).exit_code == 0
    assert len(Graph().parse(out, format="json-ld")) == 3


@pytest.mark.slow
def test_query_scale_benchmark_times_every_named_query(tmp_path):
    """benchmarks/query_scale.py on the fixture's graph: the install, the store's open and
    every named query, with the rows each gives."""
    import subprocess
    import sys
    kg = livergraph.open(FIXTURE_DATA, root=ROOT, build_dir=tmp_path / "c")
    graph = kg.published
    nt = tmp_path / "graph.nt"
    nt.write_text(kg.export("nt"), encoding="utf-8")
    out = tmp_path / "scale.json"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "query_scale.py"),
                           str(nt), "--runs", "1", "--cache-dir", str(tmp_path / "b"),
                           "--json", str(out)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["triples"] == graph.triples and report["mode"] == "store"
    assert report["store_bytes"] > 0 and report["bulk_load_s"] > 0
    names = {q.name for q in named_queries(ROOT / "queries")}
    assert set(report["queries"]) == names
    assert all(e["rows"] is not None and "note" not in e for e in report["queries"].values())
    # the status query lists both fixture trials
    expected = run_local(find_named(ROOT / "queries", "trials-by-status").text, graph.path,
                         graph.prefixes, fmt="csv").data
    assert report["queries"]["trials-by-status"]["rows"] == len(expected.splitlines()) - 1
    for name in names:
        assert name in done.stdout
