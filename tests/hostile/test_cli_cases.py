"""The hostile-input suite for the command line (issue 17): every command with hostile arguments
and files — bad paths, outputs that would destroy inputs or are not files, unknown formats,
injected parameters, bad timeouts, bad and credential-carrying URLs, queries that update, call
out or do not parse, damaged import files.

Each case is a command line, the exit code it must end with and a fragment its message must hold.
Every case also checks that nothing ends in a traceback (no exception escapes the command), that
no file of the project (ontology/, shapes/, queries/, data/) changed, and that no secret of a URL
is printed. The families are generated (every command x every bad value of a kind), run
in-process with click's CliRunner against a copy of the mini fixture project."""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURE_DATA, ROOT
from livergraph.cli import cli

SECRET = "s3cr3t-pa55"
CASE_SECONDS = 30


@dataclass(frozen=True)
class Case:
    id: str
    argv: tuple[str, ...]
    code: int
    fragment: str


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PORT = _closed_port()      # nothing listens: connections are refused at once

# -- the project and the hostile files ---------------------------------------------------------

@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the mini fixture project, built once, with a folder of hostile files."""
    root = tmp_path_factory.mktemp("hostile-project")
    for name in ("ontology", "shapes", "queries"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copytree(FIXTURE_DATA, root / "data")
    _hostile_files(root / "h", root)
    result = CliRunner(env={"LIVERGRAPH_ROOT": str(root)}).invoke(
        cli, ["query", "ASK { ?s ?p ?o }"])
    assert result.exit_code == 0, result.output
    return root


def _hostile_files(h: Path, root: Path) -> None:
    h.mkdir()
    (h / "empty.ttl").write_bytes(b"")
    (h / "garbage.ttl").write_bytes(bytes(range(256)) * 4)
    (h / "broken.ttl").write_text("<http://x/a> <http://x/p> ", encoding="utf-8")
    (h / "bad-escape.ttl").write_text('<http://x/a> <http://x/p> "\\ud800" .\n', encoding="utf-8")
    (h / "latin1.ttl").write_bytes('<http://x/a> <http://x/p> "caf\xe9" .\n'.encode("latin-1"))
    (h / "garbage.jsonld").write_text("{ not json", encoding="utf-8")
    (h / "remote.jsonld").write_text(
        f'{{"@context": "http://127.0.0.1:{PORT}/ctx", "@id": "http://x/a"}}', encoding="utf-8")
    (h / "deep.jsonld").write_text("[" * 50_000 + "]" * 50_000, encoding="utf-8")
    (h / "xxe.rdf").write_text(
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "http://127.0.0.1:{PORT}/e">]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&e;</rdf:RDF>',
        encoding="utf-8")
    (h / "garbage.rdf").write_text("<rdf:RDF", encoding="utf-8")
    (h / "data.xyz").write_text("x", encoding="utf-8")
    (h / "one.yaml").write_text("type: Trial\n", encoding="utf-8")
    (h / "dir.ttl").mkdir()
    (h / "dir.rq").mkdir()
    (h / "dir.json").mkdir()
    (h / "loop.ttl").symlink_to(h / "loop.ttl")
    (h / "dangling.ttl").symlink_to(h / "nowhere.ttl")
    (h / "to-ontology.ttl").symlink_to(root / "ontology" / "livergraph.ttl")
    (h / "to-trial.yaml").symlink_to(root / "data" / "trials" / "NCT01220492.yaml")
    (h / "garbage.rq").write_bytes(b"\xff\xfe\x00SELECT")
    (h / "update.rq").write_text("DELETE WHERE { ?s ?p ?o }", encoding="utf-8")
    (h / "empty.json").write_bytes(b"")
    (h / "garbage.json").write_bytes(b"\x00\x01\x02{")
    (h / "deep.json").write_text("[" * 50_000 + "]" * 50_000, encoding="utf-8")
    (h / "array.json").write_text("[1, 2, 3]", encoding="utf-8")
    (h / "string.json").write_text('"just a string"', encoding="utf-8")
    (h / "nulls.json").write_text('{"studies": [null, 1, "x"]}', encoding="utf-8")
    (h / "empty.xml").write_bytes(b"")
    (h / "garbage.xml").write_bytes(b"<Trials><Trial>")
    (h / "bomb.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        "<Trials><Trial><TrialID>&c;</TrialID></Trial></Trials>", encoding="utf-8")
    (h / "xxe.xml").write_text(
        f'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY e SYSTEM "http://127.0.0.1:{PORT}/e">]>'
        "<Trials><Trial><TrialID>&e;</TrialID></Trial></Trials>", encoding="utf-8")
    (h / "garbage.csv").write_bytes(b"\x00\x01,\x02\n\xff")
    (h / "empty.csv").write_bytes(b"")
    (h / "nan.csv").write_text("study,yi,vi\na,nan,0.1\nb,inf,0.2\n", encoding="utf-8")
    (h / "negvar.csv").write_text("study,yi,vi\na,0.5,-1\nb,0.2,0\n", encoding="utf-8")
    os.mkfifo(h / "fifo.ttl")
    os.mkfifo(h / "fifo.out")


# -- the families --------------------------------------------------------------------------------

URLS = {
    "not-a-url": "not a url",
    "ftp": f"ftp://127.0.0.1:{PORT}/x",
    "file": "file:///etc/passwd",
    "javascript": "javascript:alert(1)",
    "no-host": "http://",
    "bad-bracket": "http://[::1",
    "port-too-big": "http://127.0.0.1:99999/x",
    "space-in-host": "http://a b/x",
    "header-injection": f"http://127.0.0.1:{PORT}/x\r\nX-Evil: 1",
    "refused": f"http://127.0.0.1:{PORT}/sparql",
    "credentials": f"http://user:{SECRET}@127.0.0.1:{PORT}/sparql",
    "nul": f"http://127.0.0.1:{PORT}/\x00",
}
TIMEOUTS = ["nan", "inf", "-inf", "-1", "0", "abc", "1e400", ""]
OUTPUT_TARGETS = {    # -o value (relative to the project) -> message fragment
    "directory": ("h", "directory"),
    "device-null": ("/dev/null", "device"),
    "ontology": ("ontology/livergraph.ttl", "input"),
    "curated-yaml": ("data/trials/NCT01220492.yaml", "input"),
    "data-dir-new-file": ("data/trials/new.yaml", "input"),
    "symlink-to-input": ("h/to-ontology.ttl", "symbolic link"),
    "fifo": ("h/fifo.out", "FIFO"),
    "device": ("/dev/full", "device"),
    "too-long": ("h/" + "x" * 300 + ".txt", ""),
    "shapes": ("shapes/x.ttl", "input"),
}
WRITERS = {           # command line writing to -o
    "query": ("query", "SELECT ?s WHERE { ?s a lg:Trial }", "--format", "csv"),
    "query-construct": ("query", "CONSTRUCT { ?s a lg:Trial } WHERE { ?s a lg:Trial }",
                        "--format", "turtle"),
    "export-turtle": ("export", "--format", "turtle"),
    "export-graphml": ("export", "--format", "graphml"),
    "viz": ("viz",),
    "effects": ("effects", "--format", "csv"),
}
QUERIES = {           # query text -> (exit code, fragment)
    "empty": ("", 2, ""),
    "blank": ("   \n\t ", 2, "the query is empty"),
    "comment-only": ("# SELECT * WHERE {}", 2, "not a SPARQL query"),
    "insert": ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", 2, "read-only"),
    "delete": ("DELETE WHERE { ?s ?p ?o }", 2, "read-only"),
    "load": (f"LOAD <http://127.0.0.1:{PORT}/x>", 2, "read-only"),
    "clear": ("CLEAR ALL", 2, "read-only"),
    "drop": ("DROP GRAPH <urn:x>", 2, "read-only"),
    "service": (f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{PORT}/> {{ ?s ?p ?o }} }}",
                2, "--allow-service"),
    "service-escaped": (f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERV\\u0049CE "
                        f"<http://127.0.0.1:{PORT}/> {{ ?s ?p ?o }} }} }}", 2, "SERVICE"),
    "unclosed": ("SELECT * WHERE { ?s ?p ?o", 2, "syntax error"),
    "unknown-prefix": ("SELECT * WHERE { ?s nope:p ?o }", 2, "unknown prefix nope:"),
    "deep-parens": ("SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }", 2, ""),
    "deep-groups": ("SELECT * WHERE " + "{" * 3000 + "}" * 3000, 2, ""),
    "huge-literal": ('SELECT * WHERE { ?s ?p "' + "x" * 2_000_000 + '" }', 0, "(0 rows)"),
    "nul": ("SELECT * WHERE { ?s ?p \x00 }", 2, ""),
    "control-chars": ("SELECT * WHERE { ?s ?p \x1b[2J }", 2, ""),
    "huge-limit": ("SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999999", 2, ""),
    "binary": ("\ufffd\ufffd\x01\x02", 2, ""),
    "values-injection": ("SELECT ?x WHERE { VALUES ?x { } }", 0, "(0 rows)"),
}
PARAMS = {            # -p value -> (exit code, fragment)
    "typed-undef": ('status="x"^^<http://www.w3.org/2001/XMLSchema#string> UNDEF', 2,
                    "not one SPARQL term"),
    "close-brace": ('status=x" } FILTER(false) #', 0, "trial"),
    "typed-brace": ('status="x"^^<urn:a>}FILTER(false)#', 2, "not one SPARQL term"),
    "lang-brace": ('status="a"@en}', 2, "not one SPARQL term"),
    "iri-space": ("status=<http://a b>", 2, "not one SPARQL term"),
    "iri-gt": ("status=http://a>b", 2, "not one SPARQL term"),
    "iri-brace": ("status=<http://x/>}", 2, "not one SPARQL term"),
    "two-terms": ('status="x" , "y"', 2, "not one SPARQL term"),
    "no-equals": ("status", 2, "is not NAME=VALUE"),
    "empty-name": ("=x", 2, "is not NAME=VALUE"),
    "unknown-var": ("nope=1", 2, "no variable ?nope"),
    "var-injection": ("status }=1", 2, "no variable"),
    "newline": ("status=a\n} UNION {", 0, "trial"),
    "unicode": ("status=肝硬化", 0, "trial"),
    "long": ("status=" + "x" * 100_000, 0, "trial"),
}
QUERY_SOURCES = {     # -f / -n values -> (argv, code, fragment)
    "file-missing": (("-f", "h/missing.rq"), 2, ""),
    "file-dir": (("-f", "h/dir.rq"), 2, ""),
    "file-binary": (("-f", "h/garbage.rq"), 2, ""),
    "file-update": (("-f", "h/update.rq"), 2, "read-only"),
    "file-fifo": (("-f", "h/fifo.ttl"), 2, ""),
    "name-traversal": (("-n", "../../etc/passwd"), 2, ""),
    "name-traversal-data": (("-n", "../data/trials/NCT01220492"), 2, ""),
    "name-absolute": (("-n", "/etc/passwd"), 2, ""),
    "name-missing": (("-n", "no-such-query"), 2, "no named query"),
    "name-empty": (("-n", ""), 2, ""),
    "name-nul": (("-n", "a\x00b"), 2, ""),
    "both-sources": (("-n", "trials-by-status", "SELECT * {}"), 2, ""),
    "columns-unknown": (("--columns", "nope", "SELECT ?s WHERE { ?s a lg:Trial }"), 2, "nope"),
    "format-mismatch": (("--format", "turtle", "SELECT ?s WHERE { ?s a lg:Trial }"), 2,
                        "gives results, not RDF"),
    "format-mismatch-graph": (("--format", "csv", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"),
                              2, "gives RDF"),
    "format-unknown": (("--format", "yaml", "ASK {}"), 2, "Invalid value"),
    "lang-unknown": (("--lang", "fr", "ASK {}"), 2, "Invalid value"),
    "engine-unknown": (("--engine", "virtuoso", "ASK {}"), 2, "Invalid value"),
}
VALIDATE_FILES = {    # file -> (exit code, fragment)
    "missing": ("h/missing.ttl", 2, "file not found"),
    "garbage": ("h/garbage.ttl", 2, "not valid turtle"),
    "broken": ("h/broken.ttl", 2, "not valid turtle"),
    "latin1": ("h/latin1.ttl", 2, ""),
    "garbage-jsonld": ("h/garbage.jsonld", 2, "not valid JSON"),
    "remote-context": ("h/remote.jsonld", 2, "remote contexts are not fetched"),
    "deep-jsonld": ("h/deep.jsonld", 2, "nested too deeply"),
    "xxe": ("h/xxe.rdf", 2, "declares entities"),
    "garbage-rdf": ("h/garbage.rdf", 2, ""),
    "unknown-suffix": ("h/data.xyz", 2, "unknown RDF file type"),
    "yaml": ("h/one.yaml", 2, "a single YAML file"),
    "loop": ("h/loop.ttl", 2, ""),
    "dangling": ("h/dangling.ttl", 2, ""),
    "fifo": ("h/fifo.ttl", 2, ""),
    "dev-null": ("/dev/null", 2, ""),
    # (a NUL in a file argument cannot come from a shell; click's own Path type fails on it)
}
IMPORT_FILES = {      # registry -> {file: (exit code, fragment)}
    "ctgov": {"h/missing.json": (2, "file not found"), "h/dir.json": (2, "directory"),
              "h/empty.json": (2, ""), "h/garbage.json": (2, ""),
              "h/deep.json": (2, "nested too deeply"),
              "h/string.json": (2, ""), "h/nulls.json": (1, "expected an object"),
              "h/array.json": (1, "expected an object"), "/dev/null": (2, "device"),
              "h/fifo.ttl": (2, "FIFO"), "h/garbage.xml": (2, "")},
    "ictrp": {"h/missing.xml": (2, ""), "h/empty.xml": (2, ""), "h/garbage.xml": (2, ""),
              "h/bomb.xml": (2, ""), "h/xxe.xml": (2, ""), "h/dir.json": (2, ""),
              "h/garbage.json": (2, ""), "/dev/null": (2, "device"),
              "h/fifo.ttl": (2, "FIFO")},
}


def cases() -> list[Case]:
    found: list[Case] = []

    def add(id_: str, argv: tuple[str, ...], code: int, fragment: str = "") -> None:
        found.append(Case(id_, argv, code, fragment))

    # outputs that are not files, or are inputs, for every writer
    for wname, wargv in WRITERS.items():
        for tname, (target, fragment) in OUTPUT_TARGETS.items():
            add(f"output-{wname}-{tname}", (*wargv, "-o", target), 2, fragment)
    # every export format into a FIFO: refused before anything is opened (it would block)
    from livergraph.io.formats import EXPORT_FORMATS
    for fmt in EXPORT_FORMATS:
        add(f"export-{fmt}-fifo", ("export", "--format", fmt, "-o", "h/fifo.out"), 2, "FIFO")
    # bad timeouts: query, push, fetch
    for t in TIMEOUTS:
        add(f"timeout-query-{t or 'empty'}", ("query", "--timeout", t, "ASK {}"), 2)
        add(f"timeout-push-{t or 'empty'}", ("push", "--endpoint", URLS["refused"],
                                             "--timeout", t), 2)
        add(f"timeout-fetch-{t or 'empty'}", ("fetch", "ctgov", "--condition", "x", "-o",
                                              "h/fetch-out", "--timeout", t), 2)
    # bad URLs: query --endpoint, push --endpoint, fetch --base-url
    for uname, url in URLS.items():
        add(f"url-query-{uname}", ("query", "--endpoint", url, "ASK {}"), 2)
        add(f"url-push-{uname}", ("push", "--endpoint", url, "--timeout", "5"), 2)
        add(f"url-fetch-{uname}", ("fetch", "ctgov", "--condition", "x", "-o", "h/fetch-out",
                                   "--base-url", url, "--retries", "0", "--delay", "0",
                                   "--timeout", "5"), 2)
    # queries
    for qname, (text, code, fragment) in QUERIES.items():
        add(f"query-{qname}", ("query", text), code, fragment)
        if qname not in ("huge-literal", "values-injection"):   # rdflib: slow; no empty VALUES
            add(f"query-rdflib-{qname}", ("query", "--engine", "rdflib", text), code,
                fragment)
    for qname in ("service", "insert", "unclosed", "deep-groups", "nul"):
        text, _, _ = QUERIES[qname]
        construct = text.replace("SELECT *", "CONSTRUCT { ?s ?p ?o }")
        add(f"viz-query-{qname}", ("viz", "-o", "h/v.html", "--query", construct), 2)
    add("viz-query-select", ("viz", "-o", "h/v.html", "--query",
                             "SELECT * WHERE { ?s ?p ?o }"), 2, "CONSTRUCT")
    add("viz-query-missing-rq", ("viz", "-o", "h/v.html", "--query", "h/missing.rq"), 2)
    add("viz-focus-unknown", ("viz", "-o", "h/v.html", "--focus", "NCT00000000"), 2)
    add("viz-focus-empty", ("viz", "-o", "h/v.html", "--focus", ""), 2)
    add("viz-depth", ("viz", "-o", "h/v.html", "--depth", "11"), 2, "Invalid value")
    for f in ("h/missing.ttl", "h/garbage.ttl", "h/dir.ttl", "h/loop.ttl", "h/fifo.ttl"):
        for cmd in ("viz", "stats", "effects"):
            extra = ("-o", "h/v.html") if cmd == "viz" else ()
            add(f"graph-{cmd}-{Path(f).name}", (cmd, *extra, "--graph", f), 2)
    for pname, (value, code, fragment) in PARAMS.items():
        add(f"param-{pname}", ("query", "SELECT ?trial ?status WHERE { ?trial lg:status "
                                         "?status }", "--format", "csv", "-p", value),
            code, fragment)
        if value.startswith("status"):   # the same value for a named query's parameter
            # study is typed (a published study): a value the ad-hoc query takes as text is
            # no study of the graph there, refused with the valid ones
            add(f"param-named-{pname}", ("query", "-n", "study-measurements", "--format",
                                         "csv", "-p", "study" + value[len("status"):]),
                2 if code == 0 else code, "no published study" if code == 0 else
                fragment if "no variable" not in fragment else "no parameter")
    for sname, (argv, code, fragment) in QUERY_SOURCES.items():
        add(f"source-{sname}", ("query", *argv), code, fragment)
    for vname, (path, code, fragment) in VALIDATE_FILES.items():
        add(f"validate-{vname}", ("validate", path), code, fragment)
    add("validate-shapes-missing", ("validate", "--shapes", "h/no-shapes", "h/empty.ttl"), 2)
    add("validate-shapes-garbage", ("validate", "--shapes", "h", "h/empty.ttl"), 2)
    add("validate-format", ("validate", "--format", "yaml", "h/empty.ttl"), 2, "Invalid value")
    for registry, files in IMPORT_FILES.items():
        for path, (code, fragment) in files.items():
            add(f"import-{registry}-{Path(path).name}", ("import", registry, path), code,
                fragment)
    add("import-ctgov-data-missing", ("import", "ctgov", "--data", "h/no-data",
                                      str(ROOT / "tests/fixtures/ctgov/NCT01220492.json")), 2)
    add("import-ictrp-retrieved", ("import", "ictrp", "--retrieved", "2024-02-30",
                                   str(ROOT / "tests/fixtures/ictrp/export-v1.xml")), 2)
    # effects, meta, history, queries, stats, export
    add("effects-timepoint", ("effects", "--timepoint", "forever"), 2)
    add("effects-measure", ("effects", "--measure", "xx"), 2, "Invalid value")
    for csv in ("h/missing.csv", "h/garbage.csv", "h/empty.csv", "h/nan.csv", "h/negvar.csv",
                "h/dir.json", "h/fifo.ttl"):
        add(f"meta-csv-{Path(csv).name}", ("meta", "--csv", csv), 2)
    add("meta-plot-suffix", ("meta", "--csv", str(ROOT / "tests/fixtures/meta/dat.bcg.csv"),
                             "--plot", "h/plot.gif"), 2)
    add("meta-method", ("meta", "--method", "bayes"), 2, "Invalid value")
    for reg in ("NCT00000000", "../../etc/passwd", "", "NCT0122\x00"):
        add(f"history-{reg[:12] or 'empty'}", ("history", reg), 2)
    for name in ("../../etc/passwd", "no-such-query", "a\x00b"):
        add(f"queries-{name[:12]}", ("queries", name), 2)
    add("stats-top", ("stats", "--top", "-1"), 2, "Invalid value")
    add("export-format", ("export", "--format", "yaml"), 2, "Invalid value")
    add("export-lang", ("export", "--lang", "fr"), 2, "Invalid value")
    add("surrogate-query", ("query", 'SELECT * WHERE { ?s ?p "\ud800" }'), 2, "lone surrogate")
    add("surrogate-param", ("query", "SELECT ?s WHERE { ?s lg:status ?status }", "-p",
                            "status=\ud800"), 2, "lone surrogate")
    add("surrogate-focus", ("viz", "-o", "h/v.html", "--focus", "NCT\udcff"), 2, "not UTF-8")
    add("unknown-command", ("frobnicate",), 2, "No such command")
    add("unknown-option", ("query", "--frobnicate", "ASK {}"), 2, "No such option")
    add("root-missing", ("query", "--root", "h/no-root", "ASK {}"), 2)
    add("data-missing", ("query", "--data", "h/no-data", "ASK {}"), 2)
    add("build-dir-is-file", ("query", "--build-dir", "h/empty.ttl", "ASK {}"), 2)
    return found


CASES = cases()


def _fingerprint(root: Path) -> dict[str, str]:
    """A hash of every project input file (ontology, shapes, queries, data)."""
    out = {}
    for top in ("ontology", "shapes", "queries", "data"):
        for path in sorted((root / top).rglob("*")):
            if path.is_file() and not path.is_symlink():
                out[path.relative_to(root).as_posix()] = \
                    hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def test_the_suite_is_large_and_every_id_unique():
    assert len(CASES) >= 300, len(CASES)
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_case(project, case, monkeypatch):
    monkeypatch.chdir(project)
    before = _fingerprint(project)

    def hung(*args: object) -> None:
        raise TimeoutError(f"{case.id} still running after {CASE_SECONDS} s")
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(CASE_SECONDS)         # a command that waits forever fails, not hangs
    try:
        result = CliRunner(env={"LIVERGRAPH_ROOT": str(project)}).invoke(cli, list(case.argv))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    output = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"{case.id}: {type(result.exception).__name__}: {result.exception}"
    assert "Traceback" not in output, output
    assert result.exit_code == case.code, f"{case.id}: exit {result.exit_code}\n{output}"
    assert case.fragment in output, f"{case.id}: {case.fragment!r} not in\n{output}"
    assert SECRET not in output, "a URL's password was printed"
    assert _fingerprint(project) == before, f"{case.id} changed a project file"
