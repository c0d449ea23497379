"""Views of a validation report for people (issue 19): ``Report.filter(severity=...)``,
``Report.summary()`` (counts by shape and by focus kind, with the first example of each) and
``livergraph validate --severity / --summary / --max`` in the text, json and turtle formats.

The small fixture tests/fixtures/validate/mixed.ttl has one result of each severity (its header
says which); the bundled data's counts are derived from its full report, never written here."""
from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner
from conftest import DATA, ONTOLOGY, ROOT
from rdflib import BNode, Graph
from rdflib.namespace import RDF, SH

from livergraph.cli import cli
from livergraph.validate.report import SEVERITY_ORDER
from livergraph.validate.shacl import load_shapes, read_graph, validate
from livergraph.validate.summary import write_summary

MIXED = ROOT / "tests" / "fixtures" / "validate" / "mixed.ttl"
#: (severity, shape, focus kind, record) of each result of the fixture, as its header says
MIXED_RESULTS = [
    ("violation", "lgsh:StudyShape", "lg:PublishedStudy", "s1"),
    ("info", "lgsh:MeasurementWholeFollowUpShape", "lg:TimeToEventResult", "s1/death"),
    ("warning", "lgsh:TrialConditionLiverShape", "lg:Trial", "NCT00000001"),
]


@pytest.fixture(scope="module")
def shapes():
    return load_shapes(ROOT / "shapes")


@pytest.fixture(scope="module")
def mixed(shapes):
    return validate(read_graph([MIXED], ONTOLOGY), *shapes)


def run(*args):
    return CliRunner(env={"COLUMNS": "100"}).invoke(cli, [str(a) for a in args])


@pytest.fixture
def validated(mixed, monkeypatch):
    """The command given the fixture's report without validating it again (the views, the
    formats and the exit code are what these tests check; one test runs it end to end)."""
    monkeypatch.setattr("livergraph.validate.shacl.validate_paths", lambda *a, **k: mixed)


# -- the library ----------------------------------------------------------------------------------

def test_fixture_gives_one_result_of_each_severity_with_its_record_class(mixed):
    assert [(r.severity, r.shape, r.kind, r.record) for r in mixed.results] == MIXED_RESULTS
    assert mixed.counts == {"violation": 1, "warning": 1, "info": 1}


def test_filter_keeps_results_at_or_above_and_counts_the_rest(mixed):
    warn = mixed.filter(severity="warning")
    assert [r.severity for r in warn.results] == ["violation", "warning"]
    assert warn.counts == {"violation": 1, "warning": 1, "info": 0}
    assert warn.hidden == {"info": 1}
    assert warn.total_counts == mixed.counts and warn.conforms is False
    assert "1 violation(s), 1 warning(s), 1 info; 1 not shown" in warn.headline()
    only = warn.filter(severity="violation")              # filters compose
    assert [r.record for r in only.results] == ["s1"] and only.hidden == {"warning": 1, "info": 1}
    assert mixed.filter(severity="info").results == mixed.results and not mixed.hidden
    with pytest.raises(ValueError, match="unknown severity 'error'"):
        mixed.filter(severity="error")


def test_filter_drops_the_results_from_the_standard_report_graph(mixed):
    g = mixed.filter(severity="warning").graph
    severities = sorted(str(g.value(r, SH.resultSeverity)).rsplit("#", 1)[1]
                        for r in g.subjects(RDF.type, SH.ValidationResult))
    assert severities == ["Violation", "Warning"]
    assert len(list(g.objects(None, SH.result))) == 2
    assert g.value(next(g.subjects(RDF.type, SH.ValidationReport)), SH.conforms).toPython() \
        is False
    # no blank node is left dangling (a dropped result's path or details)
    dangling = {s for s in g.subjects() if isinstance(s, BNode) and (None, None, s) not in g
                and (s, RDF.type, SH.ValidationReport) not in g}
    assert dangling == set()
    assert len(mixed.graph) > len(g)


def test_summary_groups_by_shape_and_kind_with_the_first_example(mixed):
    s = mixed.summary()
    assert s.total == 3 and s.conforms is False and str(s) == mixed.headline()
    # most severe group first
    assert [g.key for g in s.by_shape] == ["lgsh:StudyShape", "lgsh:TrialConditionLiverShape",
                                           "lgsh:MeasurementWholeFollowUpShape"]
    assert [g.key for g in s.by_kind] == ["lg:PublishedStudy", "lg:Trial", "lg:TimeToEventResult"]
    trial = s.by_kind[1]
    assert trial.counts == {"violation": 0, "warning": 1, "info": 0} and trial.worst == "warning"
    assert trial.example.path == "lg:condition" and "renal fibrosis" in trial.example.message
    d = s.to_dict()
    assert d["total"] == 3 and d["by_kind"][0]["example"]["record"] == "s1"
    assert mixed.filter(severity="warning").summary().hidden == {"info": 1}


def test_summary_text_fits_the_width_and_ends_with_the_headline(mixed):
    import io
    out = io.StringIO()
    write_summary(mixed.summary(), out, width=100)
    lines = out.getvalue().splitlines()
    assert lines[0].split()[:4] == ["violation", "warning", "info", "shape"]
    assert lines[1].split()[:4] == ["1", "0", "0", "lgsh:StudyShape"]
    assert "[s1] lg:totalParticipants: The arms'" in lines[1] and lines[1].endswith("…")
    assert all(len(line) <= 100 for line in lines[:-1])            # the headline is not cut
    assert lines[-2].split()[:5] == ["1", "1", "1", "total", "3"]
    assert lines[-1] == mixed.headline()


# -- the command ------------------------------------------------------------------------------

def test_severity_hides_lower_results_but_not_the_exit_code():
    result = run("validate", "--root", ROOT, "--severity", "warning", MIXED)
    assert result.exit_code == 1
    assert "violation lg:totalParticipants" in result.output
    assert "warning   lg:condition" in result.output
    assert "info " not in result.output and "[s1/death]" not in result.output
    assert result.output.splitlines()[-1].startswith(
        "does not conform: 1 violation(s), 1 warning(s), 1 info; 1 not shown")


def test_max_lists_n_results_and_says_how_many_more(validated):
    result = run("validate", "--root", ROOT, "--max", "1", MIXED)
    assert result.exit_code == 1
    assert "[s1] A study of UC-MSC" in result.output and "NCT00000001" not in result.output
    assert "... and 2 more result(s) not listed (--max 1; --summary counts them all)" \
        in result.output


def test_json_summary_and_max(validated):
    result = run("validate", "--root", ROOT, "--format", "json", "--summary", MIXED)
    doc = json.loads(result.output)
    assert result.exit_code == 1 and "results" not in doc
    assert doc["counts"] == {"violation": 1, "warning": 1, "info": 1}
    assert [(g["key"], g["total"]) for g in doc["summary"]["by_kind"]] == \
        [("lg:PublishedStudy", 1), ("lg:Trial", 1), ("lg:TimeToEventResult", 1)]
    result = run("validate", "--root", ROOT, "--format", "json", "--max", "1",
                 "--severity", "warning", MIXED)
    doc = json.loads(result.output)
    assert [r["record"] for r in doc["results"]] == ["s1"] and doc["more"] == 1
    assert doc["hidden"] == {"info": 1} and doc["summary"]["total"] == 2


def test_turtle_is_filtered_by_severity_and_refuses_the_text_views(tmp_path, validated):
    out = tmp_path / "report.ttl"
    result = run("validate", "--root", ROOT, "--format", "turtle", "--severity", "violation",
                 "-o", out, MIXED)
    assert result.exit_code == 1
    g = Graph().parse(out)
    assert len(list(g.subjects(RDF.type, SH.ValidationResult))) == 1
    for option in (("--summary",), ("--max", "3")):
        result = run("validate", "--root", ROOT, "--format", "turtle", *option, MIXED)
        assert result.exit_code == 2
        assert "--summary and --max are views of the text and json formats" in result.output


# -- the bundled data ------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.skipif(not (DATA / "trials").is_dir(), reason="the bundled data is not curated yet")
def test_bundled_data_summary_counts_every_result_on_one_screen(shapes):
    from livergraph.model.build import build
    report = validate(build(ONTOLOGY, DATA).graph, *shapes)
    s = report.summary()
    by_shape = Counter(r.shape for r in report.results)
    by_kind = Counter(r.kind for r in report.results)
    assert {g.key: g.total for g in s.by_shape} == dict(by_shape)
    assert {g.key: g.total for g in s.by_kind} == dict(by_kind)
    assert "" not in by_kind                       # every result names its record class
    assert s.total == len(report.results) == sum(report.counts.values())
    for g in s.by_shape:
        assert g.example == next(r for r in report.results if r.shape == g.key)
    severities = [SEVERITY_ORDER[g.worst] for g in s.by_kind]
    assert severities == sorted(severities)
    shown = report.filter(severity="warning")
    assert len(shown.results) == report.counts["violation"] + report.counts["warning"]

    result = run("validate", "--root", ROOT, "--summary")
    lines = result.output.splitlines()
    assert result.exit_code == (0 if report.conforms else 1)
    assert len(lines) == len(by_shape) + len(by_kind) + 6 and len(lines) < 40
    total = lines[-2].split()
    assert total[:4] == [str(report.counts[k]) for k in SEVERITY_ORDER] + ["total"]
    assert total[4] == str(len(report.results))
    assert lines[-1].startswith(report.headline().split(" (")[0])


# -- the documented examples ------------------------------------------------------------------

@pytest.mark.slow
def test_the_examples_docs_validation_md_shows_are_what_the_command_prints():
    import importlib.util
    path = ROOT / "tests" / "fixtures" / "validate" / "make_examples.py"
    spec = importlib.util.spec_from_file_location("make_examples", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    page = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    for name, args in mod.CASES.items():
        example = mod.EXAMPLES / name
        assert example.read_text(encoding="utf-8") == mod.render(args), \
            f"{example.name} is stale: run PYTHONPATH=src python {path.relative_to(ROOT)}"
        assert f'--8<-- "{example.relative_to(ROOT)}"' in page, f"the page omits {name}"
