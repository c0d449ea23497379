"""The command-line tool, through click's runner: help everywhere, exit codes, output content."""
from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner
from rdflib import Graph

from livergraph import __version__
from livergraph.cli import COMMANDS, cli
from conftest import FIXTURE_RECORDS, ROOT


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return invoke


def test_help_lists_every_command_with_its_help(run):
    result = run("--help")
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output
    assert "Exit codes: 0 ok; 1" in result.output


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_text(run, name):
    result = run(name, "--help")
    assert result.exit_code == 0
    body = result.output.split("\n\n", 2)[1].strip()
    assert len(body) > 20, f"{name} --help has no description"


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_build_writes_turtle_and_reports_counts(run, mini_data, tmp_path):
    out = tmp_path / "out" / "graph.ttl"
    result = run("build", "--root", ROOT, "--data", mini_data, "-o", out, "--build-dir",
                 tmp_path / "build")
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == (tmp_path / "build" / "current" / "livergraph.ttl").read_bytes()
    g = Graph().parse(out)
    assert f"wrote {out}: {len(g)} triples" in result.output
    assert f"from {FIXTURE_RECORDS} records" in result.output


def test_build_with_bad_data_exits_1_without_traceback_or_output(run, mini_data, tmp_path):
    path = mini_data / "trials" / "NCT01220492.yaml"
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    content["hasArmz"] = []
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "graph.ttl"
    result = CliRunner().invoke(cli, ["build", "--root", str(ROOT), "--data", str(mini_data),
                                      "-o", str(out), "--build-dir", str(tmp_path / "build")])
    assert result.exit_code == 1
    assert "error: data/trials/NCT01220492.yaml [NCT01220492]: 'hasArmz' is not a property" \
        in result.output
    assert "Traceback" not in result.output and result.exception is None or \
        isinstance(result.exception, SystemExit)
    assert not out.exists() and list(tmp_path.glob(".graph.ttl.*")) == []
    assert not (tmp_path / "build" / "current").exists()


def test_build_with_unreadable_yaml_exits_2(run, mini_data, tmp_path):
    (mini_data / "trials" / "NCT01220492.yaml").write_text("type: [\n")
    result = CliRunner().invoke(cli, ["build", "--root", str(ROOT), "--data", str(mini_data),
                                      "-o", str(tmp_path / "g.ttl")])
    assert result.exit_code == 2
    assert "not valid YAML" in result.output


def test_missing_data_directory_exits_2(run, tmp_path):
    result = CliRunner().invoke(cli, ["build", "--root", str(ROOT), "--data",
                                      str(tmp_path / "nope"), "-o", str(tmp_path / "g.ttl")])
    assert result.exit_code == 2 and "data directory not found" in result.output


def test_lint_check_reports_non_canonical_files(run, mini_data):
    (mini_data / "sources" / "seed-article.yaml").write_text(
        "id: seed-article\ntype: SourceDocument\n")
    result = CliRunner().invoke(cli, ["lint", "--data", str(mini_data), "--check"])
    assert result.exit_code == 1
    assert "not canonical: data/sources/seed-article.yaml" in result.output


def test_python_dash_m_works():
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, "-m", "livergraph", "--version"],
                          capture_output=True, text=True, check=True)
    assert __version__ in proc.stdout


def test_build_counts_every_statement_in_the_dataset_description(run, tmp_path):
    """void:triples of the written graph equals the number of statements in the file,
    the reasoner's inferred types included."""
    from rdflib import Literal, URIRef
    out = tmp_path / "graph.ttl"
    result = run("build", "--root", ROOT, "-o", out, "--build-dir", tmp_path / "build")
    assert result.exit_code == 0, result.output
    g = Graph().parse(out)
    void = "http://rdfs.org/ns/void#"
    subsets = set(g.objects(None, URIRef(void + "subset")))     # the source graphs count theirs
    counts = {o for s, o in g.subject_objects(URIRef(void + "triples")) if s not in subsets}
    assert counts == {Literal(len(g))}
    assert "inferred, " in result.output and "reasoned: consistent" in result.output
    assert "schema.org/PROV statements the alignments entail)" in result.output
