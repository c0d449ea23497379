"""The RDF -> networkx projection and its analytics, on the mini fixture (and an enriched copy
of it holding every node kind, including text crafted to look like HTML)."""
from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
import yaml
from conftest import FIXTURE_TRIALS, ONTOLOGY
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import RDF

from livergraph.namespaces import ID_BASE, LGC, OBO
from livergraph.viz.view import (
    KINDS,
    counts_by_class,
    domain_network,
    find_node,
    human_duration,
    neighbourhood,
    network_stats,
    project,
    to_networkx,
    write_gexf,
    write_graphml,
)

TRIAL = ID_BASE + "trial/NCT01220492"
OTHER_TRIAL = ID_BASE + "trial/NCT05155657"
STUDY = ID_BASE + "study/fixture-study"
SPONSOR = ID_BASE + "org/beijing-302-hospital"
OTHER_SPONSOR = ID_BASE + "org/yantai-yuhuangding-hospital"
SOURCE = ID_BASE + "source/seed-article"
PUBLICATION = ID_BASE + "publication/fixture-pub"
UC_MSC = str(OBO) + "CL_0002569"
UMBILICAL_CORD = str(OBO) + "UBERON_0002331"
CIRRHOSIS = str(OBO) + "MONDO_0005155"
ALCOHOLIC_CIRRHOSIS = str(OBO) + "MONDO_0006644"
ALBUMIN = str(LGC) + "measure-albumin"
INTRAVENOUS = str(LGC) + "route-intravenous"
ALBUMIN_LABEL = "serum albumin 28.9 → 33.9 g/L at 48 w, P<0.05"            # on the edge
ALBUMIN_SUMMARY = "serum albumin 28.9 → 33.9 g/L at 48 w (treated), P<0.05"  # in its details
FIXTURE_NODES = 11   # 2 trials, 1 study, 2 sponsors, 1 source, CL, UBERON, 2 MONDO, 1 outcome
FIXTURE_EDGES = 11

#: crafted text: must show as text in the page and never run
XSS_TITLE = "<img src=x onerror=window.__xss=1>"
XSS_SPONSOR = "<script>window.__xss=2</script>"
RICH_NODES = FIXTURE_NODES + 2   # + the publication and the route


def enrich(data: Path) -> Path:
    """Add to a copy of the mini data what the fixture lacks: a publication (with a DOI) that
    the study is published in, the trial the study reports, the institution that performed it,
    a route; and two labels crafted as HTML/script."""
    (data / "publications").mkdir(exist_ok=True)
    (data / "publications" / "fixture-pub.yaml").write_text(yaml.safe_dump({
        "type": "Publication", "id": "fixture-pub", "authors": "Zhang Z, Lin H, Shi M",
        "title": {"en": "Human umbilical cord MSC improve liver function (fixture)"},
        "publicationDate": "2012-02", "doi": "10.1111/fixture.2012.001",
        "source": "seed-article"}, allow_unicode=True), encoding="utf-8")
    study_path = data / "studies" / "fixture-study.yaml"
    study = yaml.safe_load(study_path.read_text(encoding="utf-8"))
    study.update(publishedIn="fixture-pub", reportsTrial="trial:NCT01220492",
                 performedBy="beijing-302-hospital")
    study_path.write_text(yaml.safe_dump(study, allow_unicode=True), encoding="utf-8")
    trial_path = data / "trials" / "NCT01220492.yaml"
    trial = yaml.safe_load(trial_path.read_text(encoding="utf-8"))
    trial["hasIntervention"][0]["route"] = "intravenous"
    trial_path.write_text(yaml.safe_dump(trial, allow_unicode=True), encoding="utf-8")
    other_path = data / "trials" / "NCT05155657.yaml"
    other = yaml.safe_load(other_path.read_text(encoding="utf-8"))
    other["title"]["en"] = XSS_TITLE
    other_path.write_text(yaml.safe_dump(other, allow_unicode=True), encoding="utf-8")
    orgs_path = data / "organizations" / "organizations.yaml"
    orgs = yaml.safe_load(orgs_path.read_text(encoding="utf-8"))
    for org in orgs:
        if org["id"] == "yantai-yuhuangding-hospital":
            org["label"]["en"] = XSS_SPONSOR
            org["name"]["en"] = XSS_SPONSOR
    orgs_path.write_text(yaml.safe_dump(orgs, allow_unicode=True), encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def rich_graph(tmp_path_factory):
    import shutil

    from conftest import FIXTURE_DATA

    from livergraph.model.build import build
    data = tmp_path_factory.mktemp("rich") / "data"
    shutil.copytree(FIXTURE_DATA, data)
    return build(ONTOLOGY, enrich(data)).graph


@pytest.fixture(scope="module")
def G(fixture_build):
    return to_networkx(fixture_build.graph)


def test_projection_keeps_records_and_terms_as_nodes_of_their_kind(G):
    kinds = {n: d["kind"] for n, d in G.nodes(data=True)}
    assert kinds == {TRIAL: "trial", OTHER_TRIAL: "trial", STUDY: "study", SPONSOR: "sponsor",
                     OTHER_SPONSOR: "sponsor", SOURCE: "source", UC_MSC: "cell-type",
                     UMBILICAL_CORD: "tissue", CIRRHOSIS: "condition",
                     ALCOHOLIC_CIRRHOSIS: "condition", ALBUMIN: "outcome"}
    assert G.number_of_nodes() == FIXTURE_NODES and G.number_of_edges() == FIXTURE_EDGES
    assert set(kinds.values()) <= set(KINDS)


def test_trials_carry_status_and_labels(G):
    assert G.nodes[TRIAL]["label"] == FIXTURE_TRIALS[0]
    assert G.nodes[TRIAL]["status"] == "COMPLETED"
    assert G.nodes[OTHER_TRIAL]["status"] == "RECRUITING"
    assert G.nodes[TRIAL]["name"].startswith("Umbilical cord mesenchymal stem cells")
    assert G.nodes[SPONSOR]["label"] == "Beijing 302 Hospital"
    assert G.nodes[UC_MSC]["label"] == "mesenchymal stem cell of umbilical cord"
    assert G.nodes[SPONSOR]["aliases"] == ["北京302醫院"]     # searchable by its other names
    assert "臍帶間充質干細胞治療肝硬化患者" in G.nodes[TRIAL]["aliases"]


def test_interventions_are_collapsed_into_labelled_edges(G):
    relations = {(u, v): set(G[u][v]) for u, v in G.edges()}
    assert relations[(TRIAL, SPONSOR)] == {"lg:leadSponsor"}
    assert relations[(TRIAL, UC_MSC)] == {"lg:cellType"}
    assert relations[(TRIAL, UMBILICAL_CORD)] == {"lg:tissueSource"}
    assert relations[(TRIAL, CIRRHOSIS)] == {"lg:condition"}
    assert relations[(OTHER_TRIAL, UC_MSC)] == {"lg:cellType"}   # two arms, one edge
    assert G.edges[TRIAL, SPONSOR, "lg:leadSponsor"]["label"] == "lead sponsor"
    interventions = [v for k, v in G.nodes[OTHER_TRIAL]["facts"] if k == "intervention"]
    assert any("high dose" in text for text in interventions)
    assert not any("/intervention/" in n for n in G)


def test_measurements_are_summarised_on_one_edge_per_study_and_outcome(G):
    edge = G.edges[STUDY, ALBUMIN, "lg:hasMeasurement"]
    assert edge["label"] == ALBUMIN_LABEL
    assert edge["details"] == ALBUMIN_SUMMARY
    assert not any("/measurement/" in n or "/comparison/" in n for n in G)
    assert ("result", ALBUMIN_SUMMARY) in G.nodes[STUDY]["facts"]


def test_facts_links_and_issues(G):
    facts = dict(G.nodes[TRIAL]["facts"])
    assert facts["status"] == "completed"
    assert facts["curated in"] == "data/trials/NCT01220492.yaml#NCT01220492"
    assert "machine translation" in facts["data-quality issue"]
    assert G.nodes[TRIAL]["issues"] == 1
    assert G.nodes[TRIAL]["links"] == [("registry record",
                                        "https://clinicaltrials.gov/study/NCT01220492")]
    assert G.nodes[UC_MSC]["links"] == [("CL:0002569", UC_MSC)]


def test_collapsed_resources_map_to_their_owner(fixture_build):
    projection = project(fixture_build.graph)
    assert projection.node_for(ID_BASE + "intervention/NCT01220492-ucmsc") == TRIAL
    assert projection.node_for(ID_BASE + "measurement/fixture-study-alb-treated-48w") == STUDY
    assert projection.node_for(ID_BASE + "arm/fixture-study-treated") == STUDY
    assert projection.node_for(TRIAL) == TRIAL
    assert projection.node_for(ID_BASE + "trial/NCT99999999") is None


def test_projection_does_not_change_the_rdf_graph(fixture_build):
    g = fixture_build.graph
    before = to_isomorphic(g)
    size = len(g)
    to_networkx(g)
    chinese = project(g, lang="zh").graph
    assert chinese.number_of_nodes() == FIXTURE_NODES
    assert len(g) == size and to_isomorphic(g) == before


def test_inferred_super_properties_and_unknown_classes_are_ignored(fixture_build):
    schema = Namespace("https://schema.org/")
    g = Graph()
    for triple in fixture_build.graph:
        g.add(triple)
    g.add((URIRef(TRIAL), schema.sponsor, URIRef(SPONSOR)))       # as a reasoner would add
    g.add((URIRef(TRIAL), RDF.type, URIRef("https://w3id.org/livergraph/ontology#UcMscTrial")))
    G = to_networkx(g)
    assert G.number_of_nodes() == FIXTURE_NODES and G.number_of_edges() == FIXTURE_EDGES
    assert G.nodes[TRIAL]["kind"] == "trial"


def test_chinese_labels(fixture_build):
    G = to_networkx(fixture_build.graph, lang="zh")
    assert G.nodes[SPONSOR]["label"] == "北京302醫院"
    assert G.nodes[CIRRHOSIS]["label"] == "肝硬化"
    assert G.nodes[TRIAL]["label"] == "NCT01220492"        # untagged: the same in every language
    assert G.nodes[TRIAL]["name"] == "臍帶間充質干細胞治療肝硬化患者"
    assert G.nodes[STUDY]["label"] == "UC-MSC in HBV decompensated cirrhosis (fixture)"  # en only
    assert G.edges[TRIAL, SPONSOR, "lg:leadSponsor"]["label"] == "主要贊助者"
    assert G.edges[STUDY, ALBUMIN, "lg:hasMeasurement"]["label"].startswith(
        "血清白蛋白 28.9 → 33.9 g/L 於 48 週")


def test_every_kind_in_the_enriched_fixture(rich_graph):
    G = to_networkx(rich_graph)
    assert {d["kind"] for _, d in G.nodes(data=True)} == set(KINDS)
    assert G.number_of_nodes() == RICH_NODES
    assert G.nodes[PUBLICATION]["label"] == "Zhang Z 2012"
    doi = ("DOI link", "https://doi.org/10.1111/fixture.2012.001")
    registry = ("registry record", "https://clinicaltrials.gov/study/NCT01220492")
    assert G.nodes[PUBLICATION]["links"] == [doi]
    assert G.nodes[STUDY]["links"] == [doi, registry]   # from the paper and the trial
    assert set(G[STUDY][TRIAL]) == {"lg:reportsTrial"}
    assert set(G[STUDY][PUBLICATION]) == {"lg:publishedIn"}
    assert set(G[STUDY][SPONSOR]) == {"lg:performedBy"}
    assert set(G[TRIAL][INTRAVENOUS]) == {"lg:route"}
    assert G.nodes[OTHER_SPONSOR]["label"] == XSS_SPONSOR     # kept as data, escaped on the page


SUMMARY_STUDY = {
    "type": "PublishedStudy", "id": "summary-study", "source": "seed-article",
    "title": {"en": "Summaries (fixture)"},
    "hasArm": [{"id": "ucmsc", "label": {"en": "UC-MSC"}, "armRole": "EXPERIMENTAL"},
               {"id": "control", "armRole": "PLACEBO_COMPARATOR"}],
    "hasMeasurement": [
        {"id": "meld-a", "arm": "ucmsc", "measure": "lgc:measure-meld", "value": 12.5,
         "unit": "score", "timePoint": "P168D", "statistic": "mean"},
        {"id": "meld-b", "arm": "control", "measure": "lgc:measure-meld", "value": 15,
         "unit": "score", "timePoint": "P168D", "statistic": "mean"},
        {"id": "fever", "arm": "ucmsc", "measure": "lgc:measure-body-temperature",
         "rangeLow": 37, "rangeHigh": 38, "unit": "Cel", "timePoint": "PT6H",
         "windowStart": "PT2H", "statistic": "value"},
        {"id": "hcc", "arm": ["ucmsc", "control"], "measure": "lgc:measure-hcc-incidence",
         "numerator": 3, "denominator": 40, "analysisPopulation": "all", "statistic": "count"}],
    "hasComparison": [
        {"id": "meld-24w", "comparisonKind": "between-arms", "measure": "lgc:measure-meld",
         "subjectMeasurement": "meld-a", "referenceMeasurement": "meld-b", "pValue": 0.01,
         "pValueRelation": "<=", "significant": True, "direction": "lower"}],
}


def test_claims_are_facts_of_their_source(mini_data):
    from livergraph.model.build import build
    path = mini_data / "sources" / "seed-article.yaml"
    source = yaml.safe_load(path.read_text(encoding="utf-8"))
    source["hasClaim"] = [{"id": "headline", "claimText": {"en": "388 patients prove it works"},
                           "supportLevel": "partly-supported"}]
    path.write_text(yaml.safe_dump(source, allow_unicode=True), encoding="utf-8")
    projection = project(build(ONTOLOGY, mini_data).graph)
    claims = [v for k, v in projection.graph.nodes[SOURCE]["facts"] if k == "claim"]
    assert claims == ["388 patients prove it works — partly supported"]
    assert projection.node_for(ID_BASE + "claim/seed-article-headline") == SOURCE


def test_summaries_of_between_arm_range_and_count_results(mini_data):
    from livergraph.model.build import build
    (mini_data / "studies" / "summary-study.yaml").write_text(
        yaml.safe_dump(SUMMARY_STUDY, allow_unicode=True), encoding="utf-8")
    G = to_networkx(build(ONTOLOGY, mini_data).graph)
    study = ID_BASE + "study/summary-study"
    edges = {v.rsplit("/", 1)[-1]: d for _, v, d in G.out_edges(study, data=True)}
    assert edges["measure-meld"]["label"] == "MELD score 12.5 vs 15 at 24 w, P≤0.01"
    assert edges["measure-meld"]["details"] == \
        "MELD score 12.5 vs 15 at 24 w (UC-MSC vs control), P≤0.01"
    assert edges["measure-body-temperature"]["label"] == "body temperature 37–38 °C at 2–6 h"
    # a value about every arm is the whole cohort's, never listed as the arms' (issue 16)
    assert edges["measure-hcc-incidence"]["details"] == "HCC incidence 3/40 (whole cohort)"


@pytest.fixture(scope="module")
def curated():
    """The network of the curated data (data/), in English."""
    from conftest import DATA

    from livergraph.model.build import build
    return to_networkx(build(ONTOLOGY, DATA).graph)


def _summary(G, study, measure):
    return G.edges[ID_BASE + "study/" + study, str(LGC) + measure, "lg:hasMeasurement"]


def test_edge_label_is_the_experimental_arm_at_the_last_time_vs_the_comparator(curated):
    """Issue 16: fu-2018's MELD edge showed the control arm's change (15.1 → 15.5)."""
    edge = _summary(curated, "fu-2018", "measure-meld")
    assert edge["label"] == "MELD score 13.3 vs 15.5 at 48 w (+2 more)"
    first = edge["details"].split("\n")[0]
    assert first == "MELD score 13.3 vs 15.5 at 48 w (hUC-MSC vs conventional treatment only)"
    assert "MELD score 15.1 → 15.5 at 48 w (conventional treatment only)" in edge["details"]


def test_edge_label_of_an_arm_that_is_not_experimental_names_it_and_takes_the_total(curated):
    """Issue 16: cui-2022's mortality edge showed '2 patients' (the control deaths after 10
    years, a part of the control deaths) without saying whose. It shows the 118 deaths the source
    reports; the curator's derived 113 (a flagged correction) is one of the other rows."""
    edge = _summary(curated, "cui-2022", "measure-mortality")
    assert edge["label"] == "all-cause mortality 118 patients at 10 y (control) (+2 more)"
    assert not edge["label"].startswith("all-cause mortality 2 ")


def test_edge_label_takes_the_primary_population_and_keeps_the_cohort_apart(curated):
    """li-2023: survival at the last time point (5 y) of the whole cohort, not the matched one;
    the pooled rate is the whole cohort's, not shown as an arm's."""
    edge = _summary(curated, "li-2023", "measure-overall-survival")
    assert edge["label"].startswith("overall survival 63.9 vs 43.6% at 5 y (+")
    assert edge["details"].split("\n")[0] == \
        "overall survival 63.9 vs 43.6% at 5 y (SCT (HUCB-MSCT) vs non-SCT; whole cohort)"
    mortality = _summary(curated, "li-2023", "measure-mortality")
    assert mortality["label"].startswith("all-cause mortality 61.1 vs 84.2% (+")
    lines = mortality["details"].split("\n")
    assert "all-cause mortality 80.1% (whole cohort)" in lines
    assert not any("non-SCT + SCT" in line for line in lines)


@pytest.mark.parametrize("text,expected", [("P336D", "48 w"), ("P1Y", "1 y"), ("P6M", "6 mo"),
                                           ("P0D", "baseline"), ("P10D", "10 d"),
                                           ("P1Y6M", "1 y 6 mo"), ("PT6H", "6 h"),
                                           ("PT90M", "90 min"), ("soon", "soon")])
def test_human_duration(text, expected):
    assert human_duration(text) == expected


def test_neighbourhood_walks_records_not_shared_terms_or_sources(G):
    """--focus: hops go record to record (trial, study, paper, sponsor); terms and source
    documents are leaves, so trials sharing only a cell type or the article are not 'around'."""
    one = neighbourhood(G, [TRIAL], 1)
    assert one == {TRIAL, SPONSOR, SOURCE, UC_MSC, UMBILICAL_CORD, CIRRHOSIS}
    two = neighbourhood(G, [TRIAL], 2)
    assert OTHER_TRIAL not in two        # shares only the cell type and the condition
    assert STUDY not in two              # only the seed article links them
    assert neighbourhood(G, [TRIAL], 0) == {TRIAL}
    # a term as the focus starts the walk: the records using it
    assert {TRIAL, OTHER_TRIAL} <= neighbourhood(G, [UC_MSC], 1)


def test_find_node_by_nct_curie_iri_or_label(G):
    assert find_node(G, "NCT01220492") == TRIAL
    assert find_node(G, "trial:NCT01220492") == TRIAL
    assert find_node(G, TRIAL) == TRIAL
    assert find_node(G, "beijing 302 hospital") == SPONSOR
    assert find_node(G, "NCT00000000") is None


def test_counts_by_class(fixture_build):
    counts = counts_by_class(fixture_build.graph)
    assert counts["lg:Trial"] == 2
    assert counts["lg:PublishedStudy"] == 1
    assert counts["lg:CellTherapy"] == 3
    assert counts["lg:Measurement"] == 2
    assert counts["lg:Organization"] == 2
    assert "owl:Class" not in counts     # the ontology is not counted


def test_network_stats(G):
    stats = network_stats(G)
    assert stats.nodes == FIXTURE_NODES and stats.edges == FIXTURE_EDGES
    assert stats.by_kind["trial"] == 2 and stats.by_kind["condition"] == 2
    assert stats.by_status == {"COMPLETED": 1, "RECRUITING": 1}
    assert stats.by_relation["lg:leadSponsor"] == 2
    assert stats.components == [8, 2]          # the study shares only the seed article
    top_cell = stats.hubs["cell-type"][0]
    assert (top_cell.label, top_cell.degree) == ("mesenchymal stem cell of umbilical cord", 2)
    assert top_cell.betweenness > 0
    assert stats.top_betweenness[0].node == TRIAL
    assert SOURCE not in domain_network(G)


def test_graphml_and_gexf_hold_kind_and_label(fixture_build, tmp_path):
    written = write_graphml(fixture_build.graph, tmp_path / "g.graphml")
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert back.number_of_nodes() == FIXTURE_NODES
    assert back.number_of_edges() == FIXTURE_EDGES == written.number_of_edges()
    assert back.nodes[TRIAL]["kind"] == "trial"
    assert back.nodes[TRIAL]["label"] == "NCT01220492"
    assert back.nodes[TRIAL]["status"] == "COMPLETED"
    assert "registry record" not in back.nodes[TRIAL]["links"]
    assert back.nodes[TRIAL]["links"] == "https://clinicaltrials.gov/study/NCT01220492"
    assert {d["relation"] for _, _, d in back.edges(data=True)} >= {"lg:leadSponsor",
                                                                   "lg:hasMeasurement"}
    write_gexf(fixture_build.graph, tmp_path / "g.gexf", lang="zh")
    gexf = nx.read_gexf(tmp_path / "g.gexf")
    assert gexf.number_of_nodes() == FIXTURE_NODES
    assert gexf.nodes[SPONSOR]["kind"] == "sponsor"
    assert gexf.nodes[SPONSOR]["label"] == "北京302醫院"
    assert list(tmp_path.iterdir()) and not list(tmp_path.glob(".*.tmp"))


def test_exports_are_readable_by_an_xml_parser(fixture_build, tmp_path):
    import xml.etree.ElementTree as ET
    write_graphml(fixture_build.graph, tmp_path / "g.graphml")
    root = ET.parse(tmp_path / "g.graphml").getroot()
    assert root.tag.endswith("graphml")
    keys = {k.get("attr.name") for k in root.iter() if k.tag.endswith("key")}
    assert {"kind", "label", "relation"} <= keys
