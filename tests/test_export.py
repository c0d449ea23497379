"""Exports: every RDF format round-trips, independent parsers read it, the output is
deterministic, and TriG / N-Quads keep the ontology, the data and inferred statements apart."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import OWL, RDF

from livergraph.cli import cli
from livergraph.model.description import VOID, release_iri
from livergraph.export.formats import (FORMATS, build_parts, context_text, jsonld_context, split,
                               to_string)
from livergraph.namespaces import LG, LGC, record_iri
from livergraph.model.schema import load_ontology_graph, schema_from_graph
from conftest import FIXTURE_DATA, FIXTURE_TRIALS, ONTOLOGY, ROOT

RDF_FORMATS = tuple(FORMATS)                       # turtle nt jsonld trig nquads xml
RDFLIB_FORMAT = {"turtle": "turtle", "nt": "nt", "json-ld": "json-ld", "trig": "trig",
                 "nquads": "nquads", "xml": "xml"}
RAPPER_FORMAT = {"turtle": "turtle", "nt": "ntriples", "trig": "trig", "nquads": "nquads",
                 "xml": "rdfxml"}                  # Raptor has no JSON-LD parser
DATASET_FORMATS = ("trig", "nquads")
TRIAL = record_iri("trial", FIXTURE_TRIALS[0])
CONTEXT_FILE = ROOT / "ontology" / "context.jsonld"


@pytest.fixture(scope="module")
def parts():
    return build_parts(ONTOLOGY, FIXTURE_DATA)


@pytest.fixture(scope="module")
def merged(parts):
    return parts.merged()


@pytest.fixture(scope="module")
def exported(parts, tmp_path_factory):
    """format -> path of the fixture graph written in that format."""
    out = tmp_path_factory.mktemp("exports")
    paths = {}
    for fmt, spec in FORMATS.items():
        path = out / f"mini{spec.suffix}"
        path.write_text(to_string(parts, fmt), encoding="utf-8")
        paths[fmt] = path
    return paths


def normalised(graph: Graph) -> Graph:
    """Language tags are case-insensitive (pyld writes zh-hant, rdflib keeps zh-Hant)."""
    g = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.language:
            o = Literal(str(o), lang=o.language.lower())
        g.add((s, p, o))
    return g


def assert_same_graph(expected: Graph, actual: Graph) -> None:
    expected, actual = normalised(expected), normalised(actual)
    if not isomorphic(expected, actual):
        _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
        pytest.fail(f"graphs differ\nonly in expected ({len(only_expected)}):\n"
                    + "\n".join(map(str, sorted(only_expected)[:20]))
                    + f"\nonly in actual ({len(only_actual)}):\n"
                    + "\n".join(map(str, sorted(only_actual)[:20])))


def read_back(fmt: str, path) -> Graph:
    if fmt in DATASET_FORMATS:
        ds = Dataset()
        ds.parse(path, format=RDFLIB_FORMAT[fmt])
        g = Graph()
        for s, p, o, _ in ds.quads((None, None, None, None)):
            g.add((s, p, o))
        return g
    return Graph().parse(path, format=RDFLIB_FORMAT[fmt])


def graphs_of(fmt: str, path) -> dict[str, Graph]:
    ds = Dataset()
    ds.parse(path, format=RDFLIB_FORMAT[fmt])
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_every_format_round_trips_to_the_same_graph(fmt, exported, merged):
    assert_same_graph(merged, read_back(fmt, exported[fmt]))


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_pyoxigraph_reads_every_format_with_the_same_triple_count(fmt, exported, merged):
    pyoxigraph = pytest.importorskip("pyoxigraph")
    ox_format = {"turtle": "TURTLE", "nt": "N_TRIPLES", "json-ld": "JSON_LD", "trig": "TRIG",
                 "nquads": "N_QUADS", "xml": "RDF_XML"}[fmt]
    quads = list(pyoxigraph.parse(path=str(exported[fmt]),
                                  format=getattr(pyoxigraph.RdfFormat, ox_format)))
    assert len(quads) == len(merged)


@pytest.mark.parametrize("fmt", sorted(RAPPER_FORMAT))
def test_rapper_and_pyoxigraph_agree_on_the_triple_count(fmt, exported, merged):
    if shutil.which("rapper") is None:
        pytest.skip("rapper (Debian raptor2-utils) is not installed")
    proc = subprocess.run(["rapper", "-c", "-i", RAPPER_FORMAT[fmt], str(exported[fmt])],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert f"returned {len(merged)} triples" in proc.stderr, proc.stderr


def test_jsonld_expands_with_pyld_to_the_same_graph(exported, merged):
    jsonld = pytest.importorskip("pyld.jsonld")
    doc = json.loads(exported["json-ld"].read_text(encoding="utf-8"))
    expanded = jsonld.expand(doc)
    trial = next(n for n in expanded if n["@id"] == str(TRIAL))
    assert trial["@type"] == [str(LG.Trial)]
    assert trial[str(LG.status)] == [{"@id": str(LGC["status-COMPLETED"])}]
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    assert_same_graph(merged, Graph().parse(data=nquads, format="nquads"))


def test_jsonld_reads_like_the_curated_yaml(exported):
    doc = json.loads(exported["json-ld"].read_text(encoding="utf-8"))
    trial = next(n for n in doc["@graph"] if n["id"] == str(TRIAL))
    assert trial["type"] == "Trial"
    assert trial["status"] == "lgc:status-COMPLETED"
    assert trial["nctId"] == FIXTURE_TRIALS[0]
    assert trial["condition"] == "obo:MONDO_0005155"
    assert set(trial["statusAsWritten"]) == {"zh-Hant"}           # a language map
    measurement = next(n for n in doc["@graph"]
                       if n["id"].endswith("measurement/fixture-study-alb-treated-48w"))
    assert measurement["value"] == "33.9" and measurement["timePoint"] == "P336D"


def test_published_context_matches_the_ontology():
    expected = context_text(schema_from_graph(load_ontology_graph(ONTOLOGY)))
    if os.environ.get("LIVERGRAPH_REGEN_GOLDEN"):
        CONTEXT_FILE.write_text(expected, encoding="utf-8")
    assert CONTEXT_FILE.read_text(encoding="utf-8") == expected, (
        "ontology/context.jsonld is out of date with ontology/livergraph.ttl: regenerate it with "
        "`livergraph export --format context -o ontology/context.jsonld` (or "
        "LIVERGRAPH_REGEN_GOLDEN=1 pytest tests/test_export.py)")


def test_export_context_writes_the_published_context(tmp_path):
    out = tmp_path / "context.jsonld"
    result = run("export", "--format", "context", "-o", out, "--root", ROOT)
    assert result.exit_code == 0, result.output
    expected = context_text(schema_from_graph(load_ontology_graph(ONTOLOGY)))
    assert out.read_text(encoding="utf-8") == expected
    assert json.loads(expected)["@context"]["status"] == {"@id": "lg:status", "@type": "@id"}


def test_context_has_a_term_for_every_data_key_and_class():
    schema = schema_from_graph(load_ontology_graph(ONTOLOGY))
    ctx = jsonld_context(schema)
    assert set(schema.properties) <= set(ctx)
    assert ctx["title"] == {"@id": "lg:title", "@container": "@language"}
    assert ctx["leadSponsor"] == {"@id": "lg:leadSponsor", "@type": "@id"}
    assert ctx["value"] == {"@id": "lg:value", "@type": "xsd:decimal"}
    assert ctx["Trial"] == "lg:Trial" and ctx["id"] == "@id" and ctx["type"] == "@type"


@pytest.mark.parametrize("fmt", DATASET_FORMATS)
def test_named_graphs_separate_ontology_data_and_description(fmt, exported, parts):
    graphs = graphs_of(fmt, exported[fmt])
    base = f"https://w3id.org/livergraph/graph/{parts.version}"
    named = {k for k in graphs if not k.startswith("urn:x-rdflib:")}
    assert named == {f"{base}/ontology", f"{base}/article"}       # no inferred statements here
    ontology, data = graphs[f"{base}/ontology"], graphs[f"{base}/article"]
    default = next(g for k, g in graphs.items() if k.startswith("urn:x-rdflib:"))
    assert (URIRef("https://w3id.org/livergraph/ontology"), RDF.type, OWL.Ontology) in ontology
    assert (TRIAL, RDF.type, LG.Trial) in data and (TRIAL, None, None) not in ontology
    assert (release_iri(parts.version), RDF.type, VOID.Dataset) in default
    assert len(default) + len(ontology) + len(data) == len(parts.merged())


def test_inferred_statements_get_their_own_named_graph(parts):
    inferred = Graph()
    inferred.add((TRIAL, RDF.type, LG.Study))                  # as a reasoner would add
    inferred.add((TRIAL, RDF.type, LG.Trial))                  # already asserted: stays in data
    again = split(parts.merged(), parts.ontology, version=parts.version, inferred=inferred)
    assert set(again.inferred) == {(TRIAL, RDF.type, LG.Study)}
    assert (TRIAL, RDF.type, LG.Trial) in again.data
    trig = to_string(again, "trig")
    ds = Dataset().parse(data=trig, format="trig")
    name = URIRef(f"https://w3id.org/livergraph/graph/{parts.version}/inferred/article")
    assert set(ds.graph(name)) == {(TRIAL, RDF.type, LG.Study)}
    nquads = to_string(again, "nquads")
    assert f"<{TRIAL}> <{RDF.type}> <{LG.Study}> <{name}> .\n" in nquads


DETERMINISM_SCRIPT = """
import sys
from pathlib import Path
from livergraph.export.formats import FORMATS, build_parts, to_string
parts = build_parts(Path(sys.argv[1]), Path(sys.argv[2]))
out = Path(sys.argv[3])
for fmt, spec in FORMATS.items():
    (out / ("mini" + spec.suffix)).write_bytes(to_string(parts, fmt).encode("utf-8"))
"""


def test_every_format_is_byte_identical_across_processes(tmp_path, exported):
    """Two fresh interpreters with different hash seeds write the same bytes as this one."""
    for seed in ("1", "2"):
        out = tmp_path / seed
        out.mkdir()
        subprocess.run([sys.executable, "-c", DETERMINISM_SCRIPT, str(ONTOLOGY),
                        str(FIXTURE_DATA), str(out)], check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
    for fmt, spec in FORMATS.items():
        first = (tmp_path / "1" / f"mini{spec.suffix}").read_bytes()
        assert first == (tmp_path / "2" / f"mini{spec.suffix}").read_bytes(), fmt
        assert first == exported[fmt].read_bytes(), fmt


def test_line_formats_are_sorted(exported):
    for fmt in ("nt", "nquads"):
        lines = exported[fmt].read_text(encoding="utf-8").splitlines()
        assert lines == sorted(lines) and len(lines) == len(set(lines))


# -- the command -------------------------------------------------------------------------------

def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


FAST = ("--no-validate", "--no-reason")     # the fixture as built, without shapes or Java


@pytest.fixture(scope="module")
def fast_build(tmp_path_factory):
    """The fixture published without shapes or Java; exports read it (--no-rebuild)."""
    directory = tmp_path_factory.mktemp("fast-build")
    result = run("build", "--root", ROOT, "--data", FIXTURE_DATA, "--build-dir", directory,
                 *FAST)
    assert result.exit_code == 0, result.output
    return ("--build-dir", directory, "--no-rebuild")


def test_export_writes_to_stdout_by_default(merged, fast_build):
    result = run("export", "--format", "nt", "--root", ROOT, "--data", FIXTURE_DATA,
                 *fast_build)
    assert result.exit_code == 0, result.output
    assert len(Graph().parse(data=result.stdout, format="nt")) == len(merged)


def test_export_output_file_is_written_atomically_and_reported(tmp_path, merged, fast_build):
    out = tmp_path / "out" / "graph.jsonld"
    result = run("export", "--format", "jsonld", "-o", out, "--root", ROOT,
                 "--data", FIXTURE_DATA, *fast_build)
    assert result.exit_code == 0, result.output
    assert f"wrote {out}: {len(merged)} triples as JSON-LD" in result.output
    assert len(Graph().parse(out, format="json-ld")) == len(merged)
    assert list(out.parent.glob(".graph.jsonld.*")) == []


def test_export_of_bad_data_exits_1_and_writes_nothing(tmp_path, mini_data):
    path = mini_data / "trials" / f"{FIXTURE_TRIALS[0]}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "statuss: COMPLETED\n", encoding="utf-8")
    out = tmp_path / "graph.ttl"
    result = run("export", "-o", out, "--root", ROOT, "--data", mini_data, "--build-dir",
                 tmp_path / "build")
    assert result.exit_code == 1
    assert "'statuss' is not a property" in result.output and "Traceback" not in result.output
    assert not out.exists() and list(tmp_path.glob(".graph.ttl.*")) == []


def test_unknown_format_is_a_usage_error():
    result = run("export", "--format", "csv", "--root", ROOT, "--data", FIXTURE_DATA)
    assert result.exit_code == 2 and "'csv' is not one of" in result.output


@pytest.mark.parametrize("fmt", ("graphml", "gexf"))
def test_network_formats_are_written_by_the_network_module(fmt, tmp_path, fast_build):
    network = pytest.importorskip("livergraph.viz.view")
    import networkx as nx
    out = tmp_path / f"mini.{fmt}"
    result = run("export", "--format", fmt, "-o", out, "--root", ROOT, "--data", FIXTURE_DATA,
                 *fast_build)
    assert result.exit_code == 0, result.output
    G = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert any(FIXTURE_TRIALS[0] in str(data.get("label", "")) or FIXTURE_TRIALS[0] in str(n)
               for n, data in G.nodes(data=True))
    assert hasattr(network, "write_" + fmt)


def test_export_validates_and_reasons_like_the_build(tmp_path):
    """By default the export is what `livergraph build` writes: the reasoner's inferred types
    are in their own named graph, and void:triples counts them too."""
    if shutil.which("java") is None:
        pytest.skip("Java (for the HermiT reasoner) is not installed")
    out = tmp_path / "mini.trig"
    result = run("export", "--format", "trig", "-o", out, "--root", ROOT, "--data", FIXTURE_DATA,
                 "--build-dir", tmp_path / "build")
    assert result.exit_code == 0, result.output
    graphs = graphs_of("trig", out)
    version = build_parts(ONTOLOGY, FIXTURE_DATA).version
    inferred = graphs[f"https://w3id.org/livergraph/graph/{version}/inferred/article"]
    ucmsc = record_iri("intervention", f"{FIXTURE_TRIALS[0]}-ucmsc")
    assert (ucmsc, LG.inferredType, LG.MSCTherapy) in inferred
    assert (ucmsc, RDF.type, LG.MSCTherapy) in inferred
    # the reasoner's types, and the schema.org/PROV statements the alignments entail (issue 19)
    assert all(p in (RDF.type, LG.inferredType) or str(p).startswith("https://schema.org/")
               for _, p, _ in inferred)
    trial = record_iri("trial", FIXTURE_TRIALS[0])
    assert (trial, RDF.type, URIRef("https://schema.org/MedicalTrial")) in inferred
    total = sum(len(g) for g in graphs.values())
    default = next(g for k, g in graphs.items() if k.startswith("urn:x-rdflib:"))
    assert default.value(release_iri(version), VOID.triples).toPython() == total


def test_export_refuses_a_graph_with_violations(tmp_path):
    root = tmp_path / "root"
    (root / "ontology").mkdir(parents=True)
    shutil.copy(ONTOLOGY, root / "ontology" / "livergraph.ttl")
    (root / "shapes").mkdir()
    (root / "shapes" / "strict.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix lg: <https://w3id.org/livergraph/ontology#> .\n"
        "<urn:shape:trial-enrollment> a sh:NodeShape ; sh:targetClass lg:Trial ;\n"
        "  sh:property [ sh:path lg:enrollment ; sh:minCount 1 ;\n"
        "                sh:message \"a trial needs its enrollment\" ] .\n", encoding="utf-8")
    out = tmp_path / "graph.nt"
    result = run("export", "--format", "nt", "-o", out, "--root", root, "--data", FIXTURE_DATA,
                 "--build-dir", tmp_path / "build")
    assert result.exit_code == 1, result.output
    assert "does not conform to the shapes" in result.output
    assert "a trial needs its enrollment" in result.output
    assert not out.exists()


def test_blank_node_labels_come_from_content_not_parse_order():
    from livergraph.export.formats import canonical
    text = ONTOLOGY.read_text(encoding="utf-8")
    first, second = Graph().parse(data=text, format="turtle"), Graph().parse(data=text,
                                                                           format="turtle")
    a, b = canonical(first), canonical(second)
    assert set(a) == set(b) and isomorphic(a, first)
    blank = {x for t in a for x in t if type(x).__name__ == "BNode"}
    assert blank and all(str(x).startswith("b") for x in blank)


def test_identical_axioms_on_two_classes_keep_apart_and_shared_nodes_fall_back():
    from rdflib import BNode
    from livergraph.export.formats import canonical
    g = Graph()
    for cls in ("A", "B"):
        node = BNode()
        g.add((URIRef(f"urn:{cls}"), OWL.equivalentClass, node))
        g.add((node, OWL.onProperty, URIRef("urn:p")))
    assert len(canonical(g)) == 4 and isomorphic(canonical(g), g)
    shared = BNode()                      # one node used twice: rdflib's labelling takes over
    g.add((URIRef("urn:C"), OWL.equivalentClass, shared))
    g.add((URIRef("urn:D"), OWL.equivalentClass, shared))
    g.add((shared, OWL.onProperty, URIRef("urn:q")))
    assert isomorphic(canonical(g), g) and len(canonical(g)) == len(g)
