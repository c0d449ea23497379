"""Sources as scopes (issue 15, item 6): the article's curated facts and each registry import in
their own named graphs, described with their source and retrieval date, and ``--scope
article|registry|all|union`` on query, stats, viz, export and the evidence commands.

The mini fixture with the ClinicalTrials.gov fixture (a supplement for its curated trial
NCT01220492) and the ICTRP fixture imported gives three sources; the done-when test imports the
real registry samples from ../shared into a copy of the bundled data (skipped without them)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from conftest import DATA, FIXTURE_DATA, ONTOLOGY, ROOT, SHARED
from livergraph.cli import cli
from livergraph.errors import UnreadableInput
from livergraph.export.parts import split
from livergraph.model.description import VOID, release_iri
from livergraph.model.sources import source_of_file
from livergraph.namespaces import LG, record_iri

CTGOV_FIXTURE = ROOT / "tests" / "fixtures" / "ctgov" / "NCT01220492.json"
ICTRP_FIXTURE = ROOT / "tests" / "fixtures" / "ictrp" / "export-v1.xml"
CTGOV_SAMPLES = SHARED / "ctgov-samples"
ICTRP_SAMPLES = SHARED / "ictrp-samples"
TRIAL = record_iri("trial", "NCT01220492")
COUNT_TRIALS = "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a lg:Trial }"


def publish(data: Path, build_dir: Path):
    """Publish ``data`` without validation or reasoning (the ICTRP fixture carries deliberate
    defects that the shapes report, and no Java is needed); the opened KnowledgeGraph."""
    import livergraph
    from livergraph.publish import artifact
    from livergraph.publish.inputs import Inputs
    inputs = Inputs(ROOT, ONTOLOGY, ROOT / "shapes", data)
    published, _ = artifact.publish(inputs, build_dir, validate=False, reason=False)
    published.release()
    return livergraph.open(data, root=ROOT, build_dir=build_dir, rebuild="never")


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    """(data dir, build dir, KnowledgeGraph) of the mini fixture with both registry fixtures
    imported."""
    from livergraph.registry.ctgov.importer import import_files as import_ctgov
    from livergraph.registry.ictrp.importer import import_files as import_ictrp
    base = tmp_path_factory.mktemp("scopes")
    data = base / "data"
    shutil.copytree(FIXTURE_DATA, data)
    assert import_ctgov([CTGOV_FIXTURE], data, ONTOLOGY).imported == ["NCT01220492"]
    assert len(import_ictrp([ICTRP_FIXTURE], data).imported) == 7
    kg = publish(data, base / "build")
    yield data, base / "build", kg
    kg.close()


def run(*args) -> object:
    return CliRunner().invoke(cli, [str(a) for a in args])


def where(three) -> list[str]:
    data, build, _ = three
    return ["--root", str(ROOT), "--data", str(data), "--build-dir", str(build), "--no-rebuild"]


def graphs_of(nquads: str) -> dict[str, Graph]:
    ds = Dataset()
    ds.parse(data=nquads, format="nquads")
    return {str(g.identifier): g for g in ds.graphs()}


# -- which source a file belongs to --------------------------------------------------------------

@pytest.mark.parametrize("path,source", [
    ("data/trials/NCT01220492.yaml", "article"),
    ("data/vocabulary/mappings/route.yaml", "article"),
    ("mini/registry/trials/NCT01220492.yaml", "clinicaltrials.gov"),
    ("data/registry/agents/some-sponsor.yaml", "clinicaltrials.gov"),
    ("data/registry/ictrp/registrations/ChiCTR2100099001.yaml", "ictrp"),
    ("data/registry/ictrp/trials/EUCTR2020-001234-56.yaml", "ictrp"),
])
def test_a_records_source_is_where_its_file_lies(path, source):
    assert source_of_file(path) == source


# -- the named graphs ----------------------------------------------------------------------------

def test_the_nquads_have_a_graph_per_source(three):
    _, _, kg = three
    graphs = graphs_of(kg.published.nquads.read_text(encoding="utf-8"))
    base = f"https://w3id.org/livergraph/graph/{kg.manifest['version']}"
    named = {k[len(base) + 1:] for k in graphs if k.startswith(base)}
    assert named == {"ontology", "article", "registry/clinicaltrials.gov", "registry/ictrp"}
    article, ctgov, ictrp = (graphs[f"{base}/{p}"] for p in
                             ("article", "registry/clinicaltrials.gov", "registry/ictrp"))
    registration = record_iri("registration", "ChiCTR2100099001")
    assert (registration, RDF.type, LG.TrialRegistration) in ictrp
    assert (registration, None, None) not in article and (registration, None, None) not in ctgov
    study = record_iri("study", "fixture-study")
    assert (study, None, None) in article and (study, None, None) not in ictrp
    # the manifest lists every graph and each source with its counts
    assert set(kg.manifest["graphs"].values()) == {
        "description", "ontology", "article", "registry/clinicaltrials.gov", "registry/ictrp"}
    for source, graph in (("article", article), ("clinicaltrials.gov", ctgov), ("ictrp", ictrp)):
        assert kg.manifest["sources"][source]["triples"] == len(graph)


def test_a_curated_trial_with_an_imported_supplement_is_in_both_graphs(three):
    _, _, kg = three
    parts = kg.parts()
    article, ctgov = parts.sources["article"], parts.sources["clinicaltrials.gov"]
    assert (TRIAL, RDF.type, LG.Trial) in article and (TRIAL, RDF.type, LG.Trial) in ctgov
    curated_in = {str(o) for o in article.objects(TRIAL, LG.curatedIn)}
    assert curated_in == {"data/trials/NCT01220492.yaml#NCT01220492"}
    # the registry states what the curated record does not (the record's last update) ...
    assert (TRIAL, LG.lastUpdatePostedDate, Literal("2024-05-20", datatype=XSD.date)) in ctgov
    assert (TRIAL, LG.lastUpdatePostedDate, None) not in article
    # ... and the registry's MeSH terms are the registry's alone
    assert set(ctgov.objects(TRIAL, LG.meshTerm))
    assert not set(article.objects(TRIAL, LG.meshTerm))


def test_imported_statuses_are_dated_by_their_retrieval(three):
    _, _, kg = three
    ictrp = kg.parts().sources["ictrp"]
    dated = {str(s).rsplit("/", 2)[-2] + "/" + str(s).rsplit("/", 1)[1]: str(o)
             for s, o in ictrp.subject_objects(LG.statusAsOf)}
    assert dated["registration/ChiCTR2100099001"] == "2021-07-15"     # the export's date
    assert dated["trial/NCT09990001"] == "2021-07-15"
    assert all(date == "2021-07-15" for date in dated.values()) and len(dated) == 7
    assert set(ictrp.subjects(LG.statusAsOf, None)) <= set(ictrp.subjects(LG.status, None))
    # a curated status is the article's, never dated by an import
    article = kg.parts().sources["article"]
    assert not {str(o) for o in article.objects(None, LG.statusAsOf)} & {"2021-07-15"}


def test_the_description_describes_each_source_graph(three):
    _, _, kg = three
    parts = kg.parts()
    d = parts.description
    release = release_iri(kg.manifest["version"])
    subsets = set(d.objects(release, VOID.subset))
    assert len(subsets) == 3
    ictrp = parts.graph_name("registry/ictrp")
    assert (ictrp, DCTERMS.source, URIRef("https://trialsearch.who.int/")) in d
    assert d.value(ictrp, LG.retrievedOn) == Literal("2021-07-15", datatype=XSD.date)
    assert kg.manifest["sources"]["ictrp"]["retrieved"] == "2021-07-15"
    assert int(d.value(ictrp, VOID.triples)) == len(parts.sources["ictrp"])
    article = parts.graph_name("article")
    assert (article, DCTERMS.source, record_iri("source", "seed-article")) in d
    # the release counts every statement of every graph, as the N-Quads hold them
    lines = kg.published.nquads.read_text(encoding="utf-8").count("\n")
    assert int(d.value(release, VOID.triples)) == lines == kg.manifest["triples"]["total"]


def test_the_bundled_articles_graph_is_as_of_the_seeds_snapshot():
    from livergraph.export.formats import build_parts
    parts = build_parts(ONTOLOGY, DATA)
    assert parts.source_names() == ["article"]
    article = parts.graph_name("article")
    assert parts.description.value(article, LG.retrievedOn) == \
        Literal("2024-08-27", datatype=XSD.date)


def test_derived_statements_go_with_what_they_are_derived_from():
    onto = Graph()
    reg = record_iri("registration", "X1")
    trial = record_iri("trial", "T1")
    effect = record_iri("effect", "E1")          # derived: links to the registry's record
    term = URIRef("http://purl.obolibrary.org/obo/MONDO_0005155")
    article = {(trial, RDF.type, LG.Trial), (trial, LG.condition, term)}
    registry = {(reg, RDF.type, LG.TrialRegistration), (reg, LG.condition, term)}
    g = Graph()
    for t in article | registry | {(effect, LG.about, reg), (effect, RDF.type, LG.Claim),
                                   (term, LG.ucumCode, Literal("x"))}:
        g.add(t)
    parts = split(g, onto, version="t", sources={"article": article, "ictrp": registry})
    assert (effect, LG.about, reg) in parts.sources["ictrp"]
    assert (effect, None, None) not in parts.sources["article"]
    # an external term's label goes with every source that uses the term
    assert (term, LG.ucumCode, Literal("x")) in parts.sources["article"]
    assert (term, LG.ucumCode, Literal("x")) in parts.sources["ictrp"]


# -- queries -------------------------------------------------------------------------------------

def test_the_api_query_scopes(three):
    _, _, kg = three
    assert kg.query(COUNT_TRIALS)[0][0] == 7                       # the union: every source
    assert kg.query(COUNT_TRIALS, scope="union")[0][0] == 7
    assert kg.query(COUNT_TRIALS, scope="article")[0][0] == 2
    assert kg.query(COUNT_TRIALS, scope="registry")[0][0] == 6      # 1 ctgov + 5 ICTRP
    stacked = kg.query(COUNT_TRIALS, scope="all")
    assert stacked.columns == ("source", "n")
    assert list(stacked) == [("article", 2), ("clinicaltrials.gov", 1), ("ictrp", 5)]


def test_a_named_query_runs_in_the_scope_its_header_declares(three):
    _, _, kg = three
    from livergraph.publish.scopes import declared_scope
    text = (ROOT / "queries" / "headline-counts.rq").read_text(encoding="utf-8")
    assert declared_scope(text) == "article"
    trials = "registered trials in the graph"

    def count(rows):
        return {r[0]: r[2] for r in rows}[trials]
    assert count(kg.named_query("headline-counts")) == 2
    assert count(kg.named_query("headline-counts", scope="registry")) == 6
    assert count(kg.named_query("headline-counts", scope="union")) == 7
    rows = kg.named_query("headline-counts", scope="all")
    assert rows.columns[0] == "source"
    assert {(r[0], r[3]) for r in rows if r[1] == trials} == {
        ("article", 2), ("clinicaltrials.gov", 1), ("ictrp", 5)}


def test_every_declared_scope_is_a_scope():
    from livergraph.publish.scopes import SCOPES, declared_scope
    from livergraph.query.named import parse_named
    declared = {}
    for path in sorted((ROOT / "queries").glob("*.rq")):
        declared[path.stem] = declared_scope(path.read_text(encoding="utf-8"), path.stem)
        assert "scope:" not in parse_named(path).description
    assert set(declared.values()) <= set(SCOPES) | {None}
    assert declared["headline-counts"] == declared["seed-errors"] == "article"
    assert declared["registry-disagreements"] is None        # joins curated and imported


def test_the_query_list_shows_a_declared_scope():
    result = run("queries", "--long", "--root", ROOT)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("headline-counts "))
    block = lines[start + 1:next(i for i in range(start + 1, len(lines))
                                 if not lines[i].startswith(" "))]
    assert any(line.strip() == "scope: article (--scope to ask another)" for line in block)
    assert sum("scope: article" in line for line in lines) == 22


def test_cli_query_scope_all_shows_each_source_in_a_column(three):
    result = run("query", "--name", "headline-counts", "--scope", "all", "--format", "csv",
                 *where(three))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "source,what,seedSays,graphHolds,support"
    assert "article,registered trials in the graph,,2," in lines
    assert "clinicaltrials.gov,registered trials in the graph,,1," in lines
    assert "ictrp,registered trials in the graph,,5," in lines
    plain = run("query", "--name", "headline-counts", "--format", "csv", *where(three))
    assert "registered trials in the graph,,2," in plain.output.splitlines()
    adhoc = run("query", COUNT_TRIALS, "--format", "csv", *where(three))
    assert adhoc.output.splitlines() == ["n", "7"]                 # ad-hoc SPARQL: the union
    ask = run("query", "ASK { ?t a lg:Trial }", "--scope", "all", *where(three))
    assert ask.exit_code == 2 and "stacks the answers of a SELECT" in ask.output


def test_both_engines_give_the_same_scoped_answers(three):
    for scope in ("article", "registry", "all", "union"):
        answers = [run("query", "--name", "headline-counts", "--scope", scope, "--format", "csv",
                       "--engine", engine, *where(three)) for engine in ("oxigraph", "rdflib")]
        assert all(a.exit_code == 0 for a in answers), answers[1].output
        assert sorted(answers[0].output.splitlines()) == sorted(answers[1].output.splitlines())
        assert len(answers[0].output.splitlines()) == {"all": 13}.get(scope, 5)


def test_a_wrong_scope_is_refused_with_the_scopes(three):
    for command in (["query", COUNT_TRIALS], ["stats"], ["viz", "-o", "-"],
                    ["export", "--format", "nt"], ["effects"]):
        result = run(*command, "--scope", "articel", *where(three))
        assert result.exit_code == 2, (command, result.output)
        assert "error: --scope 'articel' is not a scope" in result.output
        assert "article, registry, all, union" in result.output
        assert "Traceback" not in result.output
    _, _, kg = three
    with pytest.raises(UnreadableInput, match="is not a scope") as caught:
        kg.query(COUNT_TRIALS, scope="everything")
    assert caught.value.exit_code == 2


# -- stats, export, viz, evidence ----------------------------------------------------------------

def test_stats_honour_the_scope(three):
    _, _, kg = three
    counts = {}
    for scope in ("article", "registry", "all"):
        result = run("stats", "--format", "json", "--scope", scope, *where(three))
        assert result.exit_code == 0, result.output
        counts[scope] = json.loads(result.output)
    m = kg.manifest
    ontology = m["triples"]["ontology"]
    assert counts["article"]["triples"] == ontology + m["sources"]["article"]["triples"] + \
        m["sources"]["article"]["inferred"]
    assert counts["article"]["classes"]["lg:Trial"] == 2
    assert counts["registry"]["classes"]["lg:Trial"] == 6
    assert counts["registry"]["classes"]["lg:TrialRegistration"] == 7
    assert "lg:TrialRegistration" not in counts["article"]["classes"]
    assert counts["all"]["triples"] == len(kg.graph)
    # the network is projected per scope (and kept in the build per scope)
    assert counts["registry"]["by_kind"].get("study", 0) == 0
    assert counts["article"]["by_kind"]["study"] == 1
    assert counts["article"]["nodes"] < counts["all"]["nodes"]
    assert counts["registry"]["nodes"] < counts["all"]["nodes"]
    assert kg.stats(scope="registry").classes["lg:Trial"] == 6


def test_export_honours_the_scope(three):
    _, _, kg = three
    base = f"https://w3id.org/livergraph/graph/{kg.manifest['version']}"
    article = kg.export("nquads", scope="article")
    graphs = graphs_of(article)
    assert f"{base}/article" in graphs and f"{base}/registry/ictrp" not in graphs
    d = next(g for k, g in graphs.items() if not k.startswith(base))
    release = release_iri(kg.manifest["version"])
    assert int(d.value(release, VOID.triples)) == article.count("\n")
    assert set(d.objects(release, VOID.subset)) == {URIRef(f"{base}/article")}
    result = run("export", "--format", "nquads", "--scope", "registry", *where(three))
    assert result.exit_code == 0, result.output
    registry = graphs_of(result.output)
    assert {f"{base}/registry/ictrp", f"{base}/registry/clinicaltrials.gov"} <= set(registry)
    assert f"{base}/article" not in registry
    everything = run("export", "--format", "nquads", *where(three)).output
    assert everything == kg.published.nquads.read_text(encoding="utf-8")


def test_viz_honours_the_scope_and_names_each_nodes_sources(three, tmp_path):
    page = tmp_path / "registry.html"
    result = run("viz", "--scope", "registry", "-o", page, *where(three))
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert "ChiCTR2100099001" in text and "fixture-study" not in text
    whole = tmp_path / "all.html"
    assert run("viz", "-o", whole, *where(three)).exit_code == 0
    text = whole.read_text(encoding="utf-8")
    assert "source graph" in text and "article, clinicaltrials.gov" in text
    _, _, kg = three
    assert kg.sources_of()[str(TRIAL)] == ["article", "clinicaltrials.gov"]


def test_the_evidence_commands_honour_the_scope(three, tmp_path):
    pages = {}
    for scope in ("article", "registry"):
        out = tmp_path / f"{scope}.html"
        result = run("report", "--scope", scope, "-o", out, *where(three))
        assert result.exit_code == 0, result.output
        pages[scope] = out.read_text(encoding="utf-8")
    assert "fixture-study" in pages["article"] and "fixture-study" not in pages["registry"]
    registry = run("effects", "--format", "json", "--scope", "registry", *where(three))
    assert registry.exit_code == 0 and json.loads(registry.output) == []


# -- the done-when test: the real registry samples ------------------------------------------------

@pytest.mark.slow
@pytest.mark.skipif(not (CTGOV_SAMPLES.is_dir() and ICTRP_SAMPLES.is_dir()),
                    reason="../shared/ctgov-samples or ictrp-samples absent")
def test_headline_counts_after_importing_the_registry_samples(tmp_path):
    from livergraph.registry.ctgov.importer import import_files as import_ctgov
    from livergraph.registry.ictrp.importer import import_files as import_ictrp
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    ctgov = import_ctgov(sorted(CTGOV_SAMPLES.glob("*.json")), data, ONTOLOGY)
    ictrp = import_ictrp([ICTRP_SAMPLES / "ICTRP-Results_2024-06-09_amyloidosis.xml",
                          ICTRP_SAMPLES / "ChiCTR2000034346.xml"], data, retrieved="2024-06-09")
    assert ctgov.errors == [] and ictrp.errors == []
    kg = publish(data, tmp_path / "build")
    try:
        trials = "registered trials in the graph"

        def graph_holds(rows, source=None):
            return {(r[0] if source else None): r[-2] for r in rows
                    if r[1 if source else 0] == trials}
        assert graph_holds(kg.named_query("headline-counts")) == {None: 37}
        imported = graph_holds(kg.named_query("headline-counts", scope="registry"))[None]
        assert imported == kg.query(COUNT_TRIALS, scope="registry")[0][0] > 37
        stacked = kg.named_query("headline-counts", scope="all")
        assert stacked.columns[0] == "source"
        by_source = graph_holds(stacked, source=True)
        assert by_source["article"] == 37
        assert by_source["clinicaltrials.gov"] == len(ctgov.imported) == 20
        assert by_source["clinicaltrials.gov"] + by_source["ictrp"] == imported
        assert kg.manifest["sources"]["article"]["retrieved"] == "2024-08-27"
        assert kg.manifest["sources"]["ictrp"]["retrieved"] == "2024-06-09"
        union = kg.query(COUNT_TRIALS)[0][0]
        assert 37 < union <= 37 + imported
        # the evidence commands: the article's effect estimates, none from the registry
        from livergraph.evidence.table import effect_rows
        article_effects = effect_rows(kg.graph_for("article"), "en")
        assert len(article_effects) == len(effect_rows(kg.graph, "en")) > 0
        assert effect_rows(kg.graph_for("registry"), "en") == []
    finally:
        kg.close()
