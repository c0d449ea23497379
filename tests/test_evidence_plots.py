"""Forest plots and the evidence-gap map: deterministic SVG and PNG (two runs, same bytes),
Chinese labels with a CJK font and English ones without, and the map's bubbles counted from the
graph (published studies by design, registered trials by status)."""
from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from rdflib.namespace import RDF

from conftest import DATA, ONTOLOGY, ROOT
from livergraph.cli import cli
from livergraph.namespaces import LG

BCG = ROOT / "tests" / "fixtures" / "meta" / "dat.bcg.csv"


@pytest.mark.parametrize("suffix", ["svg", "png"])
def test_forest_plot_is_byte_identical_across_runs(tmp_path, suffix):
    outputs = []
    for run in (1, 2):
        out = tmp_path / f"forest{run}.{suffix}"
        result = CliRunner().invoke(cli, ["meta", "--csv", str(BCG), "--measure", "RR",
                                          "--plot", str(out)])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and len(outputs[0]) > 10_000
    if suffix == "svg":
        text = outputs[0].decode("utf-8")
        assert "<dc:date>" not in text and "<svg" in text


def _forest_text(lang):
    from livergraph.evidence.forest import forest_figure
    from livergraph.evidence.pooling import pool
    res = pool(["a", "b"], [0.1, 0.3], [0.04, 0.05], measure="MD", method="DL")
    fig = forest_figure(res, lang=lang)
    texts = [t.get_text() for t in fig.findobj(match=lambda o: hasattr(o, "get_text"))]
    import matplotlib.pyplot as plt
    plt.close(fig)
    return " ".join(texts)


def test_forest_plot_labels_in_chinese_when_a_cjk_font_is_installed(monkeypatch):
    from livergraph.evidence import plotting
    if plotting.cjk_font() is None:
        pytest.skip("no CJK font installed (fonts-noto-cjk)")
    text = _forest_text("zh")
    assert "預測區間" in text and "隨機效應 (DL)模型" in text and "異質性" in text


def test_forest_plot_falls_back_to_english_without_a_cjk_font(monkeypatch):
    from livergraph.evidence import plotting
    monkeypatch.setattr(plotting, "cjk_font", lambda: None)
    text = _forest_text("zh")
    assert "Prediction interval" in text and "預測區間" not in text
    assert "Heterogeneity: tau" in text and "I\u00b2 = " in text


def test_gap_map_counts_studies_by_design_and_trials_by_status():
    from livergraph.evidence.gapmap import gap_cells
    from livergraph.model.build import build
    graph = build(ONTOLOGY, DATA).graph
    cells = gap_cells(graph)
    ldh = [c for c in cells if c.outcome == "lactate dehydrogenase"]
    assert [(c.row, c.kind, c.category, c.records) for c in ldh] == [
        ("umbilical cord \u00d7 peripheral intravenous infusion", "study", "controlled",
         ("fu-2018",))]
    trials = {r for c in cells if c.kind == "trial" for r in c.records}
    assert len(trials) == len(set(graph.subjects(RDF.type, LG.Trial)))
    # without registered outcomes in the data, trials sit under "outcomes not recorded"
    assert {c.outcome for c in cells if c.kind == "trial"} == {"outcomes not recorded"}
    albumin = {c.records for c in cells if c.outcome == "serum albumin" and c.kind == "study"}
    assert ("shi-2021",) in albumin and ("zhang-2012",) in albumin


def test_effects_csv_has_the_documented_header():
    result = CliRunner().invoke(cli, ["effects", "--format", "csv", "--outcome", "ALP"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["measure"] for r in rows] == ["MD", "SMD"]
    assert float(rows[0]["estimate"]) == pytest.approx(-46.6)
    assert rows[0]["study"] == "fu-2018" and rows[0]["derivation"] == "computed"
