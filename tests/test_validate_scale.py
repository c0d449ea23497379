"""The scalable validation engine (livergraph.validate.scaled) gives exactly what pySHACL gives over
the whole graph: every Result field, the counts and conformance, on the bundled data, every shape
case, synthetic trials and synthetic trials with injected errors; partitioned into several chunks
and run by two worker processes. No timings are asserted (benchmarks/validate_speed.py measures)."""
from __future__ import annotations

import os
import sys
from dataclasses import asdict
from decimal import Decimal

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SH, XSD

from livergraph.validate import scaled as shacl_scale
from livergraph.model.build import build
from livergraph.namespaces import ID_BASE as LG_ID, LG, LGC
from livergraph.validate.shacl import load_shapes, read_graph, validate, validate_plain, with_ontology
from conftest import DATA, ONTOLOGY, ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402

CASES = sorted((ROOT / "tests" / "shapes").glob("*.ttl"))
LGSH = "https://w3id.org/livergraph/shapes#"


@pytest.fixture(scope="module")
def shapes():
    return load_shapes(ROOT / "shapes")


def rows(report) -> list[dict]:
    return [asdict(r) for r in report.results]


def assert_same(graph, shapes, **options):
    """The scalable engine's report equals pySHACL's; returns both."""
    plain = validate_plain(graph, *shapes)
    scaled = validate(graph, *shapes, engine="scale", **options)
    assert rows(scaled) == rows(plain)
    assert scaled.counts == plain.counts and scaled.conforms == plain.conforms
    assert scaled.triples == plain.triples
    for term in (SH.result, RDF.type):
        assert len(list(scaled.graph.triples((None, term, None)))) == \
            len(list(plain.graph.triples((None, term, None))))
    assert set(scaled.graph.objects(None, SH.conforms)) == set(plain.graph.objects(None, SH.conforms))
    return plain, scaled


# -- the shapes split -----------------------------------------------------------------------

def test_every_sparql_constraint_runs_once_over_the_whole_graph(shapes):
    graph, _ = shapes
    plan = shacl_scale.plan(graph)
    declared = {o for o in graph.objects(None, SH.sparql)}
    assert len(declared) >= 24
    assert {job.constraint for job in plan.jobs} == declared
    assert plan.residual is None and plan.residual_shapes == []
    assert not list(plan.core.triples((None, SH.sparql, None)))
    for job in plan.jobs:
        assert "SELECT DISTINCT ?this WHERE" in job.query
    # the store loads only what the queries can match, never every triple
    assert plan.predicates is not None and RDF.type in plan.predicates
    assert LG.about in plan.predicates and LG.dose not in plan.predicates
    # predicates inside FILTER (NOT) EXISTS and property paths count too
    assert {LG.cellType, LG.tissueSource, LG.hasIntervention, PROV.wasDerivedFrom,
            OWL.equivalentClass} <= plan.predicates


def test_targets_become_a_sub_select_binding_this(shapes):
    graph, _ = shapes
    plan = shacl_scale.plan(graph)
    by_shape = {}
    for job in plan.jobs:
        by_shape.setdefault(str(job.shape), job.query)
    about = by_shape[LGSH + "IssueWarningShape"]
    assert f"?lgTargetAny <{LG.about}> ?this" in about
    study = by_shape[LGSH + "StudyShape"]
    assert f"?this <{RDF.type}>/<{RDFS.subClassOf}>* <{LG.Study}>" in study
    trial = by_shape[LGSH + "TrialShape"]       # sh:targetSubjectsOf lg:nctId
    assert f"?this <{LG.nctId}> ?lgTargetAny" in trial


NON_LOCAL = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix lg: <https://w3id.org/livergraph/ontology#> .
@prefix ex: <https://example.org/shapes#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex: a owl:Ontology ; sh:declare [ sh:prefix "lg" ;
    sh:namespace "https://w3id.org/livergraph/ontology#"^^xsd:anyURI ] .
ex:SponsorNamed a sh:NodeShape ; sh:targetClass lg:Trial ;
    sh:property [ sh:path lg:leadSponsor ; sh:node ex:Named ] .
ex:Named a sh:NodeShape ; sh:property [ sh:path lg:name ; sh:minCount 1 ] .
ex:InverseArm a sh:NodeShape ; sh:targetClass lg:Arm ;
    sh:property [ sh:path [ sh:inversePath lg:hasArm ] ; sh:minCount 1 ] .
ex:CountAll a sh:NodeShape ; sh:targetClass lg:Trial ;
    sh:sparql [ sh:message "{?n} trials" ; sh:prefixes ex: ;
        sh:select "SELECT $this (COUNT(?t) AS ?n) WHERE { ?t a lg:Trial . FILTER (?t = $this) } HAVING (COUNT(?t) > 0)" ] .
ex:Local a sh:NodeShape ; sh:targetClass lg:Trial ;
    sh:property [ sh:path lg:nctId ; sh:maxCount 0 ] ;
    sh:sparql [ sh:message "trial {$this} has {?value}" ; sh:prefixes ex: ;
        sh:select "SELECT $this ?value WHERE { $this lg:enrollment ?value }" ] .
"""


def test_shapes_that_cannot_be_split_are_left_to_pyshacl_on_the_whole_graph(tmp_path):
    shapes_graph = Graph().parse(data=NON_LOCAL, format="turtle")
    plan = shacl_scale.plan(shapes_graph)
    ex = "https://example.org/shapes#"
    assert set(map(str, plan.residual_shapes)) == {ex + "SponsorNamed", ex + "InverseArm",
                                                  ex + "CountAll"}
    assert [str(j.shape) for j in plan.jobs] == [ex + "Local"]
    data = generate.generate(12, tmp_path, seed=3)
    graph = build(ONTOLOGY, data).graph
    graph.remove((None, LG.name, None))     # every sponsor loses its name: sh:node fails
    plain, scaled = assert_same(graph, (shapes_graph, []), workers=2, chunk_size=40)
    kinds = {r.constraint for r in plain.results}
    assert {"sh:NodeConstraintComponent", "sh:MinCountConstraintComponent",
            "sh:MaxCountConstraintComponent", "sh:SPARQLConstraintComponent"} <= kinds
    assert any(r.message.endswith(" trials") for r in plain.results)


# -- same results as pySHACL ----------------------------------------------------------------

def test_bundled_data(shapes):
    graph = build(ONTOLOGY, DATA).graph
    plain, _ = assert_same(graph, shapes, workers=2, chunk_size=150)
    assert plain.results and shacl_scale.LAST_RUN["chunks"] > 4
    assert shacl_scale.LAST_RUN["sparql"] == "store"
    assert len(set(shacl_scale.LAST_RUN["pids"])) == 2
    assert os.getpid() not in shacl_scale.LAST_RUN["pids"]


def every_case_at_once() -> Graph:
    """The ontology and every shape case in one graph, each case's records renamed apart
    (``.../id/arm/s1-control`` of the third case becomes ``.../id/arm/s1-control-c3``), so that
    the cases sit side by side as separate records. Both engines see the same graph: what one
    case does to another (a duplicate registration, say) is part of what they must agree on."""
    graph = read_graph([], ONTOLOGY)
    for n, case in enumerate(CASES):
        rename: dict = {}

        def apart(term, n=n, rename=rename):
            if isinstance(term, URIRef) and str(term).startswith(str(LG_ID)):
                return rename.setdefault(term, URIRef(f"{term}-c{n}"))
            return term
        for s, p, o in Graph().parse(case, format="turtle"):
            graph.add((apart(s), p, apart(o)))
    return graph


def test_every_shape_case(shapes):
    # every case of tests/shapes (pass and fail) in one graph, in several chunks in this process
    graph = every_case_at_once()
    plain, _ = assert_same(graph, shapes, workers=1, chunk_size=300)
    assert shacl_scale.LAST_RUN["chunks"] > 4
    # the failing cases fail: the report holds results about records of most of them
    cases_with_results = {str(r.focus).rsplit("-c", 1)[-1] for r in plain.results
                          if "-c" in str(r.focus)}
    failing = [n for n, case in enumerate(CASES) if case.name.endswith(".fail.ttl")]
    assert len(cases_with_results & set(map(str, failing))) > len(failing) // 2


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return build(ONTOLOGY, generate.generate(80, tmp_path_factory.mktemp("gen"), seed=7)).graph


def test_synthetic_trials(synthetic, shapes):
    plain, _ = assert_same(synthetic, shapes, workers=2, chunk_size=120)
    assert plain.results and shacl_scale.LAST_RUN["sparql"] == "store"
    assert shacl_scale.LAST_RUN["chunks"] > 4 and len(set(shacl_scale.LAST_RUN["pids"])) == 2


def injected(graph: Graph) -> Graph:
    """A copy of ``graph`` with errors of many kinds, core and SPARQL-based."""
    g = Graph()
    for t in graph:
        g.add(t)
    trials = sorted(g.subjects(RDF.type, LG.Trial))
    t0, t1, t2, t3, t4, t5 = trials[:6]
    g.remove((t0, LG.nctId, None))                                     # minCount + SPARQL
    g.add((t1, LG.nctId, Literal("NCT99999999")))                      # maxCount, IRI mismatch
    g.add((t1, LG.enrollment, Literal("-3", datatype=XSD.integer)))    # datatype, maxCount
    g.remove((t2, LG.title, None))                                     # both title checks
    g.add((t2, LG.title, Literal("Bone marrow cells for cirrhosis", lang="en")))
    g.add((t3, LG.condition, LGC["not-a-disease"]))                    # sh:class, label
    g.add((t3, LG.status, Literal("COMPLETED")))                       # nodeKind, class
    g.add((t4, RDF.type, LG.RandomisedStudy))                          # defined class by hand
    g.add((t4, LG.startDate, Literal("2012-02-09T00:00:00", datatype=XSD.dateTime)))  # sh:or
    issue = URIRef(str(t5) + "-issue-x")
    g.add((issue, RDF.type, LG.DataQualityIssue))
    g.add((issue, LG.about, t5))
    g.add((issue, LG.issueSeverity, LGC["severity-violation"]))
    g.add((issue, LG.onProperty, LG.notAProperty))
    g.add((issue, LG.seedText, Literal("某某", lang="zh-Hant")))
    g.add((issue, LG.curatedIn, Literal("data/trials/x.yaml#x/issue")))
    warn = BNode("injectedWarning")
    g.add((warn, RDF.type, LG.DataQualityIssue))
    g.add((warn, LG.about, t5))
    g.add((warn, LG.issueSeverity, LGC["severity-warning"]))
    g.add((warn, LG.issueType, LGC["issue-typo"]))
    g.add((warn, LG.curatorNote, Literal("A note naming {?value} and {$this}", lang="en")))
    orgs = sorted(g.subjects(RDF.type, LG.Organization))
    g.add((orgs[0], LG.parentOrganization, orgs[1]))                   # a cycle
    g.add((orgs[1], LG.parentOrganization, orgs[0]))
    g.add((orgs[2], LG.name, Literal("第二", lang="zh-Hant")))          # qualifiedMaxCount
    g.add((orgs[2], LG.name, Literal("第三", lang="zh-Hant")))
    measurements = sorted(g.subjects(RDF.type, LG.Measurement))
    m = measurements[0]
    g.remove((m, LG.unit, None))
    g.add((m, LG.value, Literal(Decimal("1.50"))))
    g.add((m, LG.rangeLow, Literal(Decimal("9.0"))))
    g.add((m, LG.rangeHigh, Literal(Decimal("2.0"))))                  # lessThanOrEquals
    arms = sorted(g.subjects(RDF.type, LG.Arm))
    g.add((arms[0], LG.participants, Literal(100000)))                 # totals do not add up
    g.add((URIRef("https://w3id.org/livergraph/id/x/loose"), LG.curatedIn, Literal("nowhere")))
    return g


def test_synthetic_trials_with_injected_errors(synthetic, shapes):
    g = injected(synthetic)
    plain, _ = assert_same(g, shapes, workers=2, chunk_size=100)
    # a blank node as data (the injected warning): SPARQL engines disagree on STR(_:b), so the
    # SPARQL constraints ran as pySHACL runs them; the rest was still partitioned
    assert shacl_scale.LAST_RUN["sparql"] == "pyshacl"
    assert len(set(shacl_scale.LAST_RUN["pids"])) == 2
    assert plain.counts["violation"] > 10 and plain.counts["warning"] > 0
    kinds = {r.constraint for r in plain.results}
    assert {"sh:SPARQLConstraintComponent", "sh:MinCountConstraintComponent",
            "sh:MaxCountConstraintComponent", "sh:DatatypeConstraintComponent",
            "sh:ClassConstraintComponent", "sh:NodeKindConstraintComponent",
            "sh:OrConstraintComponent", "sh:PatternConstraintComponent",
            "sh:QualifiedMaxCountConstraintComponent",
            "sh:LessThanOrEqualsConstraintComponent"} <= kinds
    shapes_hit = {r.shape for r in plain.results}
    assert {"lgsh:DefinedClassShape", "lgsh:IssueViolationShape", "lgsh:IssueWarningShape",
            "lgsh:TrialConditionLiverShape", "lgsh:DataQualityIssueShape"} <= shapes_hit
    # pySHACL substitutes {?message} first, then {$this} and {?value} inside what it inserted
    assert any(r.message.startswith("[typo] A note naming ") and "{" not in r.message
               for r in plain.results)


def test_synthetic_trials_with_injected_errors_on_the_store(synthetic, shapes):
    """The same errors without the blank node: every SPARQL constraint runs on the store."""
    g = injected(synthetic)
    g.remove((BNode("injectedWarning"), None, None))
    plain, _ = assert_same(g, shapes, workers=2, chunk_size=100)
    assert shacl_scale.LAST_RUN["sparql"] == "store"
    assert {"lgsh:DefinedClassShape", "lgsh:IssueViolationShape", "lgsh:TrialConditionLiverShape",
            "lgsh:DataQualityIssueShape", "lgsh:OrganizationShape",
            "lgsh:TrialShape"} <= {r.shape for r in plain.results}
    assert any(r.value == '"1.50"^^xsd:decimal' for r in plain.results) or \
        any(r.value == '"某某"@zh-Hant' for r in plain.results)


def test_the_default_engine_is_the_scalable_one(shapes):
    graph = read_graph([ROOT / "tests" / "shapes" / "TrialShape.fail.ttl"], ONTOLOGY)
    validate(graph, *shapes)
    assert shacl_scale.LAST_RUN["chunks"] == 1 and shacl_scale.LAST_RUN["pids"] == [os.getpid()]
    with pytest.raises(ValueError, match="unknown validation engine"):
        validate(graph, *shapes, engine="fast")


def test_a_worker_error_reaches_the_caller(shapes, monkeypatch):
    graph = with_ontology(Graph(), ONTOLOGY)

    def broken(index):
        raise RuntimeError("chunk exploded")

    monkeypatch.setattr(shacl_scale, "validate_chunk", broken)
    with pytest.raises(RuntimeError, match="chunk exploded"):
        validate(graph, *shapes, engine="scale", workers=2, chunk_size=50)
