"""Effect estimates derived from the bundled data: every one the data supports (fu-2018's
48-week LDH and AKP, cui-2022's 10-year transplant-free survival), none from a whole-cohort
value or a Kaplan-Meier percentage, each with its derivation in the graph."""
from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner
from rdflib.namespace import PROV, RDF

from conftest import DATA, ONTOLOGY
from livergraph.namespaces import LG, LGC, record_iri

Z = 1.959963984540054


@pytest.fixture(scope="module")
def derived():
    from livergraph.evidence import derive_effects
    from livergraph.model.build import build
    graph = build(ONTOLOGY, DATA).graph
    count = derive_effects(graph)
    return graph, count


def effect(graph, local):
    node = record_iri("effect", local)
    assert (node, RDF.type, LG.EffectEstimate) in graph, local
    return node


def test_fu_2018_ldh_mean_difference_from_the_seed_numbers(derived):
    graph, _ = derived
    node = effect(graph, "fu-2018-ldh-p336d-hucmsc-vs-control-md")
    se = math.sqrt(63.7 ** 2 / 17 + 105.3 ** 2 / 17)      # 191.4±63.7 vs 272.2±105.3, 17 vs 17
    assert float(graph.value(node, LG.pointEstimate)) == pytest.approx(191.4 - 272.2)
    assert float(graph.value(node, LG.standardError)) == pytest.approx(se)
    assert float(graph.value(node, LG.ciLower)) == pytest.approx(-80.8 - Z * se)
    assert float(graph.value(node, LG.ciUpper)) == pytest.approx(-80.8 + Z * se)
    assert float(graph.value(node, LG.ciLevel)) == 0.95
    assert graph.value(node, LG.effectMeasure) == LGC["effect-MD"]
    assert graph.value(node, LG.benefitDirection) == LGC["direction-lower"]
    assert graph.value(node, LG.derivation) == LGC["derivation-computed"]
    assert graph.value(node, LG.comparison) == record_iri("comparison",
                                                          "fu-2018-ldh-48w-vs-control")


def test_fu_2018_akp_mean_difference(derived):
    graph, _ = derived
    node = effect(graph, "fu-2018-alp-p336d-hucmsc-vs-control-md")
    se = math.sqrt(33.7 ** 2 / 17 + 58.3 ** 2 / 17)
    assert float(graph.value(node, LG.pointEstimate)) == pytest.approx(87.2 - 133.8)
    assert float(graph.value(node, LG.ciUpper)) == pytest.approx(-46.6 + Z * se)


def test_computed_estimates_carry_their_prov_derivation(derived):
    graph, _ = derived
    node = effect(graph, "fu-2018-ldh-p336d-hucmsc-vs-control-smd")
    activity = graph.value(node, PROV.wasGeneratedBy)
    assert (activity, RDF.type, LG.EffectComputation) in graph
    used = set(graph.objects(activity, PROV.used))
    assert used == {record_iri("measurement", "fu-2018-ldh-48w-hucmsc"),
                    record_iri("measurement", "fu-2018-ldh-48w-control")}
    assert "Hedges' g" in str(graph.value(activity, LG.formula))
    assert "statsmodels" in str(graph.value(activity, LG.softwareVersion))
    # Hedges' g from the seed's numbers: (191.4 - 272.2) / s_pooled * J
    sp = math.sqrt((16 * 63.7 ** 2 + 16 * 105.3 ** 2) / 32)
    g = (191.4 - 272.2) / sp * (1 - 3 / (4 * 32 - 1))
    assert float(graph.value(node, LG.pointEstimate)) == pytest.approx(g, abs=1e-3)


def test_cui_2022_survival_ratio_is_approximate_and_names_the_flag(derived):
    graph, _ = derived
    node = effect(graph, "cui-2022-tfs-p10y-followed-up-pbsc-vs-control-rr")
    assert float(graph.value(node, LG.pointEstimate)) == pytest.approx((74 / 197) / (40 / 151))
    assert graph.value(node, LG.approximate).toPython() is True
    note = str(graph.value(node, LG.derivationNote))
    assert "recomputed from 26.49% of 151" in note and "197 of the arm's 287" in note
    assert record_iri("issue", "cui-2022-control-deaths-do-not-add-up") in set(
        graph.objects(node, LG.touchesIssue))
    assert graph.value(node, LG.continuityCorrection) is None     # no zero cell


def test_every_supported_effect_and_nothing_else(derived):
    graph, count = derived
    estimates = sorted(str(s).rsplit("/", 1)[-1]
                       for s in graph.subjects(RDF.type, LG.EffectEstimate))
    assert count == len(estimates) == 7
    assert all(e.startswith(("fu-2018-ldh", "fu-2018-alp", "cui-2022-tfs")) for e in estimates)


def test_no_effect_from_whole_cohort_or_kaplan_meier_percentages(derived):
    graph, _ = derived
    li = record_iri("study", "li-2023")
    assert list(graph.objects(li, LG.hasEffectEstimate)) == []
    reasons = [str(graph.value(r, LG.refusalReason)) for r in graph.objects(li, LG.hasEffectRefusal)]
    assert sum("whole or the propensity-matched cohort" in r for r in reasons) == 6
    # nothing derives from a measurement that describes several arms together
    for node in graph.subjects(RDF.type, LG.EffectEstimate):
        for m in graph.objects(node, PROV.wasDerivedFrom):
            assert len(list(graph.objects(m, LG.arm))) == 1


def test_values_without_spread_or_size_are_refused_with_the_reason(derived):
    graph, _ = derived
    fu = record_iri("study", "fu-2018")
    reasons = {str(r).rsplit("/", 1)[-1]: str(graph.value(r, LG.refusalReason))
               for r in graph.objects(fu, LG.hasEffectRefusal)}
    meld = reasons["fu-2018-meld-p336d-value-hucmsc-vs-control-not-derived"]
    assert "without a spread (SD)" in meld
    cui = record_iri("study", "cui-2022")
    texts = [str(graph.value(r, LG.refusalReason)) for r in graph.objects(cui, LG.hasEffectRefusal)]
    assert any("cui-2022-control-hcc-count-missing" in t for t in texts)


def test_zero_cells_get_the_stated_continuity_correction():
    from livergraph.evidence.measures import binary
    es = binary("RR", 0, 10, 3, 7)
    assert es.continuity == 0.5
    assert es.yi == pytest.approx(math.log((0.5 / 11) / (3.5 / 11)))
    assert binary("RR", 1, 9, 3, 7).continuity == 0.0


def test_effects_command_json_keys_and_numbers():
    from livergraph.cli import cli
    result = CliRunner().invoke(cli, ["effects", "--format", "json", "--study", "fu-2018",
                                      "--timepoint", "40w..52w"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {"study", "outcome", "timepoint", "comparison", "measure", "estimate", "ci_lb",
            "ci_ub", "se", "p", "derivation"} <= set(rows[0])
    ldh = [r for r in rows if r["outcome"] == "lactate dehydrogenase" and r["measure"] == "MD"]
    assert len(ldh) == 1 and ldh[0]["estimate"] == pytest.approx(-80.8)
    assert isinstance(ldh[0]["ci_lb"], float) and ldh[0]["derivation"] == "computed"
    assert ldh[0]["p_reported"] == "P<0.05"
    assert len(rows) == 4


def test_effects_ratio_measures_on_the_natural_scale_and_filters():
    from livergraph.cli import cli
    result = CliRunner().invoke(cli, ["effects", "--format", "json", "--measure", "RR"])
    rows = json.loads(result.stdout)
    assert [r["study"] for r in rows] == ["cui-2022"]
    assert rows[0]["estimate"] == pytest.approx(1.418, abs=1e-3)
    assert rows[0]["ci_lb"] < rows[0]["estimate"] < rows[0]["ci_ub"]
    result = CliRunner().invoke(cli, ["effects", "--timepoint", "soon"])
    assert result.exit_code == 2 and "--timepoint" in result.output


def test_meta_on_the_bundled_data_refuses_a_single_study():
    from livergraph.cli import cli
    result = CliRunner().invoke(cli, ["meta", "--outcome", "LDH", "--timepoint", "48w"])
    assert result.exit_code == 1
    assert "1 study has an MD estimate for LDH" in result.output


@pytest.mark.slow
def test_the_derived_graph_conforms_to_the_shapes(derived):
    from livergraph.validate.shacl import load_shapes, validate
    from conftest import ROOT
    graph, _ = derived
    report = validate(graph, *load_shapes(ROOT / "shapes"))
    assert [r.message for r in report.results if r.severity == "violation"] == []
    assert any("EffectEstimate" in r.shape for r in report.results) is False


def test_meta_pools_the_graphs_estimates_by_subgroup(derived, tmp_path):
    """Two studies' LDH mean differences in a graph (the second a copy of fu-2018's under
    another study with a randomized design): pooled, with subgroups by design, the test for
    subgroup differences and the mixed-design warning."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import XSD
    from livergraph.namespaces import LG
    graph, _ = derived
    g = Graph()
    for t in graph:
        g.add(t)
    src = record_iri("effect", "fu-2018-ldh-p336d-hucmsc-vs-control-md")
    copy = URIRef(str(src) + "-copy")
    other = record_iri("study", "other-2020")
    for p, o in graph.predicate_objects(src):
        if p == LG.analysisEstimate:
            o = Literal("-20.0", datatype=XSD.decimal)
        g.add((copy, p, o))
    g.add((other, RDF.type, LG.PublishedStudy))
    g.add((other, LG.designFeature, LGC["design-randomized"]))
    g.add((other, LG.designFeature, LGC["design-controlled"]))
    g.add((other, LG.hasEffectEstimate, copy))
    path = tmp_path / "graph.ttl"
    g.serialize(path, format="turtle")
    from livergraph.cli import cli
    result = CliRunner().invoke(cli, ["meta", "--graph", str(path), "--outcome", "LDH",
                                      "--timepoint", "48w", "--method", "FE", "--by", "design",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["k"] == 2 and out["measure"] == "MD"
    assert {s["study"] for s in out["studies"]} == {"fu-2018", "other-2020"}
    assert set(out["subgroups"]) == {"controlled", "randomized controlled"}
    vi = 63.7 ** 2 / 17 + 105.3 ** 2 / 17
    # two equal variances: FE estimate is the mean, Q_M = (d/2)^2 * 2 / vi
    assert out["estimate"] == pytest.approx((-80.8 - 20.0) / 2)
    assert out["QM"] == pytest.approx(2 * (60.8 / 2) ** 2 / vi)
    assert any("designs are mixed" in w for w in out["warnings"])
    assert "warning: only 2 studies" in result.output


def test_a_reported_hazard_ratio_is_kept_as_reported():
    from rdflib import Graph, Literal
    from rdflib.namespace import XSD
    from livergraph.evidence import derive_effects
    g = Graph()
    study, treated, control = (record_iri("study", "s"), record_iri("arm", "s-cells"),
                               record_iri("arm", "s-control"))
    hr = record_iri("measurement", "s-os-hr")
    g.add((study, RDF.type, LG.PublishedStudy))
    for arm, role in ((treated, "EXPERIMENTAL"), (control, "CONTROL")):
        g.add((study, LG.hasArm, arm))
        g.add((arm, LG.armRole, LGC[f"arm-{role}"]))
    g.add((study, LG.hasMeasurement, hr))
    for p, o in ((LG.arm, treated), (LG.measure, LGC["measure-overall-survival"]),
                 (LG.statistic, LGC["statistic-hazard-ratio"]),
                 (LG.value, Literal("0.5", datatype=XSD.decimal)),
                 (LG.ciLower, Literal("0.3", datatype=XSD.decimal)),
                 (LG.ciUpper, Literal("0.8", datatype=XSD.decimal)),
                 (LG.sourceText, Literal("HR 0.5 (95% CI 0.3-0.8)", lang="en"))):
        g.add((hr, p, o))
    assert derive_effects(g) == 1
    node = next(g.objects(study, LG.hasEffectEstimate))
    assert g.value(node, LG.derivation) == LGC["derivation-reported"]
    assert g.value(node, LG.effectMeasure) == LGC["effect-HR"]
    assert float(g.value(node, LG.pointEstimate)) == 0.5
    assert (float(g.value(node, LG.ciLower)), float(g.value(node, LG.ciUpper))) == (0.3, 0.8)
    assert float(g.value(node, LG.standardError)) == pytest.approx(
        (math.log(0.8) - math.log(0.3)) / (2 * Z))
    assert str(g.value(node, LG.sourceText)) == "HR 0.5 (95% CI 0.3-0.8)"
    assert g.value(node, LG.comparatorArm) == control
