"""SHACL validation: every shape has a passing and a failing example (tests/shapes/), the bundled
and fixture data conform with the expected warnings, the report names records, and the
`livergraph validate` command keeps its exit-code contract."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDF, SH

from livergraph.cli import cli
from livergraph.validate.shacl import compact, load_shapes, read_graph, validate
from conftest import DATA, FIXTURE_DATA, ONTOLOGY, ROOT

SHAPES_DIR = ROOT / "shapes"
CASES_DIR = ROOT / "tests" / "shapes"
CASES = sorted(CASES_DIR.glob("*.ttl"))
EXPECT = re.compile(r"^# expect: (violation|warning|info) (\S+) (\S+)$")

#: the bundled data's flagged seed errors that must surface (issue id -> severity)
SEED_ISSUES = {
    "status-completed-mistranslated": "warning",
    "status-recruiting-mistranslated": "warning",
    "NCT03460223-off-topic-kidney-fibrosis": "warning",
    "NCT05442437-title-contradicts-intervention": "warning",
    "condition-kidney-cirrhosis-mistranslated": "warning",
}


@pytest.fixture(scope="module")
def shapes():
    return load_shapes(SHAPES_DIR)


_REPORTS: dict = {}


def report_for(case: Path, shapes):
    """Each case is validated once per test session (the shapes graph is the same)."""
    if case not in _REPORTS:
        _REPORTS[case] = validate(read_graph([case], ONTOLOGY), *shapes)
    return _REPORTS[case]


def expected(path: Path) -> set[tuple[str, str, str]]:
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        m = EXPECT.match(line)
        if m:
            out.add(m.groups())
    return out


def observed(report) -> set[tuple[str, str, str]]:
    return {(r.severity, compact_focus(r.focus), r.path or "-") for r in report.results}


def compact_focus(iri: str) -> str:
    from rdflib import URIRef
    return compact(URIRef(iri))


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_shape_case_gives_exactly_the_expected_results(case, shapes):
    report = report_for(case, shapes)
    assert observed(report) == expected(case), "\n".join(
        f"{r.severity} {compact_focus(r.focus)} {r.path}: {r.message}" for r in report.results)


def test_every_shape_has_a_passing_and_a_failing_case(shapes):
    graph, _ = shapes
    node_shapes = {compact(s) for s in graph.subjects(RDF.type, SH.NodeShape)}
    names = {p.name.split(".")[0] for p in CASES}
    for shape in sorted(node_shapes):
        name = shape.split(":", 1)[1]
        assert (CASES_DIR / f"{name}.pass.ttl").exists(), f"{shape} has no passing example"
        assert (CASES_DIR / f"{name}.fail.ttl").exists(), f"{shape} has no failing example"
    assert names == {s.split(":", 1)[1] for s in node_shapes}, "a case names no shape"


@pytest.mark.parametrize("case", sorted(CASES_DIR.glob("*.fail.ttl")), ids=lambda p: p.name)
def test_failing_case_fails_because_of_its_own_shape(case, shapes):
    """At least one result of a failing example comes from the shape it is named after."""
    graph, _ = shapes
    report = report_for(case, shapes)
    name = "lgsh:" + case.name.split(".")[0]
    owners = set()
    for r in report.results:
        owners.add(r.shape)
        from rdflib import URIRef
        shape_iri = URIRef("https://w3id.org/livergraph/shapes#" + r.shape.split(":", 1)[-1])
        for parent in graph.subjects(SH.property, shape_iri):
            owners.add(compact(parent))
    assert name in owners, f"{case.name}: results come from {sorted(owners)}"


def test_cases_are_what_the_generator_writes(tmp_path):
    import importlib.util
    spec = importlib.util.spec_from_file_location("make_cases", CASES_DIR / "make_cases.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for c in mod.CASES:
        for good, suffix in ((True, "pass"), (False, "fail")):
            path = CASES_DIR / f"{c['shape']}.{suffix}.ttl"
            assert path.read_text(encoding="utf-8") == mod.render(c, good), \
                f"{path.name} is stale: run python tests/shapes/make_cases.py"


def test_fixture_conforms_with_the_two_status_warnings(fixture_build, shapes):
    report = validate(fixture_build.graph, *shapes)
    assert report.conforms
    assert report.counts == {"violation": 0, "warning": 2, "info": 0}
    by_record = {(r.file, r.record): r for r in report.results}
    r = by_record[("data/trials/NCT01220492.yaml", "NCT01220492")]
    assert r.path == "lg:status" and r.value == '"完全的"@zh-Hant'
    assert r.message.startswith("[mistranslation] 完全的 (\"complete, total\")")
    assert "issue status-completed-mistranslated in data/vocabulary/mappings/status.yaml" \
        in r.message


@pytest.mark.skipif(not (DATA / "trials").is_dir(), reason="the bundled data is not curated yet")
def test_bundled_data_conforms_and_shows_the_seed_errors(shapes):
    from livergraph.model.build import build
    report = validate(build(ONTOLOGY, DATA).graph, *shapes)
    violations = [f"{r.where}: {r.message}" for r in report.results if r.severity == "violation"]
    assert violations == []
    found = {}
    for r in report.results:
        m = re.search(r"\| issue (\S+) in ", r.message)
        if m:
            found[m.group(1)] = r.severity
    for issue, severity in SEED_ISSUES.items():
        assert found.get(issue) == severity, f"{issue} not reported as a {severity}"
    # every flagged issue in the data surfaces in the report
    from livergraph.model.build import build as _b
    g = _b(ONTOLOGY, DATA).graph
    from livergraph.namespaces import LG
    flagged = {str(s).rsplit("/", 1)[1] for s in g.subjects(RDF.type, LG.DataQualityIssue)
               if g.value(s, LG.about) is not None}
    assert flagged <= set(found), sorted(flagged - set(found))


# -- the command ---------------------------------------------------------------------------------

def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_validate_fixture_text_report_exits_0(mini_data):
    result = run("validate", "--root", ROOT, mini_data)
    assert result.exit_code == 0, result.output
    assert "data/trials/NCT01220492.yaml\n  [NCT01220492] NCT01220492\n    warning   lg:status" \
        in result.output
    assert result.output.strip().splitlines()[-1].startswith(
        "conforms: 0 violation(s), 2 warning(s), 0 info")


def test_validate_failing_case_exits_1_and_names_the_record():
    result = run("validate", "--root", ROOT, CASES_DIR / "StudyShape.fail.ttl")
    assert result.exit_code == 1
    assert "data/studies/s1.yaml\n  [s1] A study of UC-MSC\n    violation lg:totalParticipants" \
        in result.output
    assert "The arms' participants add up to 20, but totalParticipants is 21" in result.output
    assert "does not conform: 1 violation(s)" in result.output


def test_validate_json_and_turtle_formats(tmp_path):
    case = CASES_DIR / "TrialShape.fail.ttl"
    result = run("validate", "--root", ROOT, "--format", "json", case)
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["conforms"] is False and doc["counts"]["violation"] == 4
    assert {r["path"] for r in doc["results"]} == {"lg:status", "lg:nctId", "lg:title"}
    assert {r["file"] for r in doc["results"]} == {"data/trials/NCT00000001.yaml"}
    out = tmp_path / "report.ttl"
    result = run("validate", "--root", ROOT, "--format", "turtle", "-o", out, case)
    assert result.exit_code == 1
    g = Graph().parse(out)
    assert len(list(g.subjects(RDF.type, SH.ValidationResult))) == 4
    assert (None, SH.conforms, None) in g


def test_validate_unreadable_input_exits_2(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix lg: <https://w3id.org/livergraph/ontology#> .\nlg:x lg:y \n")
    result = run("validate", "--root", ROOT, bad)
    assert result.exit_code == 2 and "error: " in result.output and "not valid turtle" \
        in result.output
    result = run("validate", "--root", ROOT, tmp_path / "missing.ttl")
    assert result.exit_code == 2 and "file not found" in result.output
    result = run("validate", "--root", ROOT, FIXTURE_DATA / "trials" / "NCT01220492.yaml")
    assert result.exit_code == 2 and "pass the data directory" in result.output


def test_validate_data_that_cannot_be_built_exits_1(mini_data):
    path = mini_data / "trials" / "NCT01220492.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("nctId:", "nctIdd:"),
                    encoding="utf-8")
    result = run("validate", "--root", ROOT, mini_data)
    assert result.exit_code == 1 and "'nctIdd' is not a property" in result.output


# -- an independent engine -----------------------------------------------------------------------
AGREEMENT_INPUTS = CASES + [FIXTURE_DATA] + ([DATA] if (DATA / "trials").is_dir() else [])


@pytest.mark.parametrize("path", AGREEMENT_INPUTS, ids=lambda p: p.name)
def test_pyrudof_reaches_the_same_results(path, shapes):
    """An independent engine (rudof, in Rust) finds the same focus nodes at the same severities,
    so the shapes do not depend on pySHACL's quirks."""
    pyrudof = pytest.importorskip("pyrudof")
    from rdflib import URIRef
    data = read_graph([path], ONTOLOGY)
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(data.serialize(format="turtle"), reader_mode=pyrudof.ReaderMode.Strict)
    rudof.read_shacl(_shapes_turtle(), reader_mode=pyrudof.ReaderMode.Strict)
    theirs = {(compact(URIRef(str(e.focus_node).strip("<>"))), str(e.severity).lower())
              for e in rudof.validate_shacl().violations}
    ours = report_for(path, shapes) if path in CASES else validate(data, *shapes)
    assert theirs == {(compact_focus(r.focus), r.severity) for r in ours.results}
    assert any(s == "violation" for _, s in theirs) == (not ours.conforms)


_SHAPES_TTL: list[str] = []


def _shapes_turtle() -> str:
    if not _SHAPES_TTL:
        g = Graph()
        for path in sorted(SHAPES_DIR.glob("*.ttl")):
            g.parse(path)
        _SHAPES_TTL.append(g.serialize(format="turtle"))
    return _SHAPES_TTL[0]


@pytest.mark.skipif(not (DATA / "trials").is_dir(), reason="the bundled data is not curated yet")
def test_validate_command_on_the_bundled_data_conforms_with_seed_warnings():
    result = run("validate", "--root", ROOT)
    assert result.exit_code == 0, result.output[-3000:]
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("conforms: 0 violation(s), ") and " warning(s), " in last
    assert "data/trials/NCT01220492.yaml\n  [NCT01220492] NCT01220492\n    warning   lg:status" \
        in result.output
    assert "[mistranslation] 完全的 (\"complete, total\")" in result.output
    assert "[off-topic] " in result.output and "[contradiction] " in result.output


@pytest.mark.skipif(not (DATA / "trials").is_dir(), reason="the bundled data is not curated yet")
def test_validate_plain_gives_the_same_report_as_the_default_engine(tmp_path):
    default = run("validate", "--root", ROOT, "--format", "json")
    plain = run("validate", "--root", ROOT, "--format", "json", "--plain")
    assert default.exit_code == plain.exit_code == 0
    a, b = json.loads(default.output), json.loads(plain.output)
    assert a["results"] == b["results"] and a["counts"] == b["counts"]
    assert a["counts"]["warning"] == 36 and a["counts"]["info"] == 88
