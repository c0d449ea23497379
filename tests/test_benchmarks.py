"""The benchmark generator and script: deterministic synthetic data that builds. No timings are
asserted here; benchmarks/bench.py measures them."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from rdflib.namespace import PROV, RDF

from livergraph.model.build import build
from livergraph.model.lint import lint
from livergraph.namespaces import LG, record_iri
from livergraph.io.turtle import write_turtle
from conftest import ONTOLOGY, ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import bench  # noqa: E402
import generate  # noqa: E402

TRIALS = 40
STUDIES = TRIALS // generate.STUDY_EVERY          # trials 0, 20: one study each
MEASUREMENTS_PER_STUDY = 12                       # 3 measures x 2 arms x 2 time points


def files(data: Path) -> dict[str, bytes]:
    return {p.relative_to(data).as_posix(): p.read_bytes()
            for p in sorted(data.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return generate.generate(TRIALS, tmp_path_factory.mktemp("gen"), seed=7)


@pytest.fixture(scope="module")
def generated_build(generated):
    return build(ONTOLOGY, generated)


def test_generator_is_deterministic(generated, tmp_path):
    again = generate.generate(TRIALS, tmp_path, seed=7)
    assert files(again) == files(generated)
    other = generate.generate(TRIALS, tmp_path / "other", seed=8)
    assert files(other) != files(generated)


def test_a_trial_does_not_depend_on_how_many_are_generated(generated, tmp_path):
    import yaml
    fewer = generate.generate(10, tmp_path, seed=7)
    name = f"trials/{generate.trial_id(3)}.yaml"
    small, large = (yaml.safe_load(files(d)[name]) for d in (fewer, generated))
    for trial in (small, large):          # the pool of sponsors grows with the number of trials
        trial.pop("leadSponsor"), trial.pop("collaborator", None)
    assert small == large


def test_generated_data_is_canonical(generated):
    assert lint(generated, check=True).changed == []


def test_generated_data_builds_with_the_shape_of_real_trials(generated_build):
    g = generated_build.graph
    trials = set(g.subjects(RDF.type, LG.Trial))
    assert len(trials) == TRIALS
    sponsors = {g.value(t, LG.leadSponsor) for t in trials}
    assert None not in sponsors and len(sponsors) < TRIALS          # shared across trials
    for t in trials:
        ivs = list(g.objects(t, LG.hasIntervention))
        cells = [i for i in ivs if (i, RDF.type, LG.CellTherapy) in g]
        assert cells and all(g.value(i, LG.route) is not None and
                             g.value(i, LG.cellType) is not None for i in cells)
        assert g.value(t, LG.status) is not None                    # mapped when as written
        assert g.value(t, LG.curatedIn) is not None
    studies = list(g.subjects(RDF.type, LG.PublishedStudy))
    assert len(studies) == STUDIES
    for s in studies:
        assert len(list(g.objects(s, LG.hasMeasurement))) == MEASUREMENTS_PER_STUDY
        assert len(list(g.objects(s, LG.hasArm))) == 2
    source = record_iri("source", generate.SOURCE_ID)
    m = next(g.objects(studies[0], LG.hasMeasurement))
    assert g.value(m, PROV.wasDerivedFrom) == source                 # provenance inherited


def test_generated_data_conforms_to_the_shapes(generated_build):
    """`livergraph build` validates: synthetic data with violations would not be written at all,
    so the benchmark would time a refusal."""
    from livergraph.validate.shacl import load_shapes, validate
    report = validate(generated_build.graph, *load_shapes(ROOT / "shapes"))
    assert report.conforms, [r.message for r in report.results if r.severity == "violation"][:3]
    assert report.counts["warning"] > 0      # the generated data-quality issues are reported


def test_generated_graph_serializes_byte_identically(generated_build, generated):
    first, second = io.StringIO(), io.StringIO()
    write_turtle(generated_build.graph, first)
    write_turtle(build(ONTOLOGY, generated).graph, second)
    assert first.getvalue() == second.getvalue()


def test_bench_stage_runs_in_a_child_process_and_reports_memory(generated):
    work = generated.parent
    result = bench.run_child("stage_load", work, timeout=300)
    assert result["status"] == "ok"
    assert result["items"] == generated_records(generated)
    assert result["peak_mb"] > 0


def generated_records(data: Path) -> int:
    import yaml
    orgs = yaml.safe_load((data / "organizations" / "sponsors.yaml").read_text("utf-8"))
    return TRIALS + STUDIES + len(orgs) + 1                           # + the source document


def test_bench_table_shows_ratios_growth_and_extrapolation():
    def ok(seconds, triples=1000, mb=100.0):
        return {"status": "ok", "seconds": seconds, "cpu": seconds, "triples": triples,
                "peak_mb": mb}
    run = {"sizes": [
        {"trials": 1000, "triples": 1000, "stages": {
            "serialize": ok(1.0), "serialize (plain)": ok(10.0),
            "reason": {"status": "n/a", "note": "livergraph.reason.hermit not there yet"}}},
        {"trials": 10000, "triples": 10000, "stages": {"serialize": ok(9.0, 10000)}},
    ]}
    est = bench.extrapolate(run, 10000, "serialize")
    assert est["status"] == "extrapolated" and est["seconds"] == pytest.approx(100.0)
    run["sizes"][1]["stages"]["serialize (plain)"] = est
    text = bench.table(run)
    assert "| serialize | 1.00 | 1.00 | 100 | 1,000 | 10.00 | 100 | 10.0× |" in text
    assert "~100" in text and "~11.1×" in text                      # extrapolated, marked
    assert "reason — livergraph.reason.hermit not there yet" in text
    assert "| serialize | 9.0× |" in text                           # growth 1k -> 10k
