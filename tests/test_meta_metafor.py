"""`livergraph meta --csv` against metafor's published worked examples, to 4 decimals.

- dat.bcg (Colditz et al. 1994), log risk ratios: FE and DL numbers from metafor's
  tests/testthat/test_misc_metan_vs_rma.uni_with_dat.bcg.r (rma.uni against Stata's metan);
  REML from metafor's rma() output (-0.7145 [-1.0669, -0.3622], tau2 0.3132, I2 92.22 %),
  recorded in TOOLING.md.
- dat.normand1999 (Normand 1999, Statistics in Medicine 18:321-359), mean differences with
  the pooled SD, as metafor's tests/testthat/test_analysis_example_normand1999.r (Tables VIII
  and IX of the paper): FE, DL and REML.
"""
from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from conftest import ROOT
from livergraph.cli import cli

BCG = ROOT / "tests" / "fixtures" / "meta" / "dat.bcg.csv"
NORMAND = ROOT / "tests" / "fixtures" / "meta" / "dat.normand1999.csv"


def run_meta(*args: str) -> dict:
    result = CliRunner().invoke(cli, ["meta", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_bcg_fixed_effect_log_risk_ratio_matches_metafor():
    res = run_meta("--csv", str(BCG), "--measure", "RR", "--method", "FE")
    assert res["k"] == 13 and res["scale"] == "log"
    assert round(res["estimate"], 4) == -0.4303
    assert round(res["ci_lb"], 4) == -0.5097
    assert round(res["ci_ub"], 4) == -0.3509
    assert round(res["z"], 4) == -10.6247
    assert round(res["Q"], 4) == 152.2330
    assert round(res["exp"]["estimate"], 4) == 0.6503
    assert round(res["exp"]["ci_lb"], 4) == 0.6007
    assert round(res["exp"]["ci_ub"], 4) == 0.7040
    assert res["tau2"] == 0.0
    assert res["pi_lb"] == res["ci_lb"]      # no heterogeneity in a fixed-effect model


def test_bcg_dersimonian_laird_matches_metafor():
    res = run_meta("--csv", str(BCG), "--measure", "RR", "--method", "DL")
    assert round(res["estimate"], 4) == -0.7141
    assert round(res["ci_lb"], 4) == -1.0644
    assert round(res["ci_ub"], 4) == -0.3638
    assert round(res["z"], 4) == -3.9952
    assert round(res["tau2"], 4) == 0.3088
    assert round(res["I2"], 4) == 92.1173
    assert round(res["exp"]["estimate"], 4) == 0.4896
    assert round(res["exp"]["ci_lb"], 4) == 0.3449
    assert round(res["exp"]["ci_ub"], 4) == 0.6950


def test_bcg_reml_is_the_default_and_matches_metafor():
    res = run_meta("--csv", str(BCG), "--measure", "RR")
    assert res["method"] == "REML"
    assert round(res["estimate"], 4) == -0.7145
    assert round(res["ci_lb"], 4) == -1.0669
    assert round(res["ci_ub"], 4) == -0.3622
    assert round(res["tau2"], 4) == 0.3132
    assert round(res["I2"], 2) == 92.22
    # the prediction interval is est -/+ z sqrt(se^2 + tau2), metafor's predict()
    half = 1.959963984540054 * math.sqrt(res["se"] ** 2 + res["tau2"])
    assert res["pi_lb"] == pytest.approx(res["estimate"] - half)
    weights = [s["weight"] for s in res["studies"]]
    assert sum(weights) == pytest.approx(100)
    assert res["studies"][0]["study"] == "Aronson 1948"
    assert round(res["studies"][0]["yi"], 4) == -0.8893


def test_bcg_odds_ratio_and_risk_difference_match_metafor():
    res = run_meta("--csv", str(BCG), "--measure", "OR", "--method", "FE")
    assert (round(res["estimate"], 4), round(res["Q"], 4)) == (-0.4361, 163.1649)
    res = run_meta("--csv", str(BCG), "--measure", "OR", "--method", "DL")
    assert (round(res["estimate"], 4), round(res["tau2"], 4)) == (-0.7474, 0.3663)
    res = run_meta("--csv", str(BCG), "--measure", "RD", "--method", "FE")
    assert (round(res["estimate"], 4), round(res["Q"], 4)) == (-0.0009, 276.4737)


@pytest.fixture
def normand_pooled_sd(tmp_path):
    """dat.normand1999 with each study's pooled SD in both arms (metafor's test does this)."""
    import csv
    rows = list(csv.DictReader(NORMAND.open()))
    out = tmp_path / "normand-sdpi.csv"
    with out.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["study", "n1i", "m1i", "sd1i", "n2i", "m2i", "sd2i"])
        for r in rows:
            n1, n2, s1, s2 = (float(r[c]) for c in ("n1i", "n2i", "sd1i", "sd2i"))
            sdpi = math.sqrt(((n1 - 1) * s1 ** 2 + (n2 - 1) * s2 ** 2) / (n1 + n2 - 2))
            w.writerow([r["study"], r["n1i"], r["m1i"], sdpi, r["n2i"], r["m2i"], sdpi])
    return out


def test_normand1999_mean_differences_match_tables_viii_and_ix(normand_pooled_sd):
    res = run_meta("--csv", str(normand_pooled_sd), "--measure", "MD", "--method", "FE")
    assert [round(s["yi"]) for s in res["studies"]] == [-20, -2, -55, -71, -4, 1, 11, -10, 7]
    assert [round(s["vi"], 2) for s in res["studies"]] == [
        40.59, 2.05, 15.28, 150.22, 20.19, 1.22, 95.38, 8.03, 20.69]
    assert [round(s["ci_lb"], 1) for s in res["studies"]] == [
        -32.5, -4.8, -62.7, -95.0, -12.8, -1.2, -8.1, -15.6, -1.9]
    assert (round(res["estimate"], 2), round(res["ci_lb"], 2), round(res["ci_ub"], 2)) == \
        (-3.49, -5.03, -1.96)
    res = run_meta("--csv", str(normand_pooled_sd), "--measure", "MD", "--method", "DL")
    assert (round(res["estimate"], 2), round(res["ci_lb"], 2), round(res["ci_ub"], 2),
            round(res["tau2"], 2)) == (-14.10, -24.45, -3.75, 218.72)
    res = run_meta("--csv", str(normand_pooled_sd), "--measure", "MD", "--method", "REML")
    assert (round(res["estimate"], 2), round(res["ci_lb"], 2), round(res["ci_ub"], 2),
            round(res["tau2"], 2)) == (-15.12, -32.67, 2.43, 685.20)


def test_normand1999_smd_matches_metafor_escalc():
    """Hedges' g and its large-sample variance for Edinburgh, as metafor's escalc gives them
    (yi -0.3552, vi 0.0131; metafor's SMD example in ?dat.normand1999)."""
    res = run_meta("--csv", str(NORMAND), "--measure", "SMD", "--method", "REML")
    first = res["studies"][0]
    assert (round(first["yi"], 4), round(first["vi"], 4)) == (-0.3552, 0.0131)


def test_fewer_than_two_studies_is_refused_with_exit_1(tmp_path):
    one = tmp_path / "one.csv"
    one.write_text("study,ai,bi,ci,di\nA,4,119,11,128\n")
    result = CliRunner().invoke(cli, ["meta", "--csv", str(one), "--measure", "RR"])
    assert result.exit_code == 1
    assert "at least 2" in result.output


def test_a_csv_without_metafor_columns_is_refused_with_exit_2(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("study,events,total\nA,1,2\n")
    result = CliRunner().invoke(cli, ["meta", "--csv", str(bad), "--measure", "RR"])
    assert result.exit_code == 2
    assert "ai, bi, ci, di" in result.output and "bad.csv" in result.output


def test_few_studies_warns(tmp_path):
    two = tmp_path / "two.csv"
    two.write_text("study,ai,bi,ci,di\nA,4,119,11,128\nB,6,300,29,274\n")
    result = CliRunner().invoke(cli, ["meta", "--csv", str(two), "--measure", "RR"])
    assert result.exit_code == 0
    assert "warning: only 2 studies" in result.output


def test_subgroup_difference_test():
    from livergraph.evidence.pooling import pool_subgroups
    same = pool_subgroups(["a", "b", "c", "d"], [0.1, 0.3, 0.1, 0.3], [0.04] * 4,
                          ["x", "x", "y", "y"], measure="MD", method="FE")
    assert same.QM == pytest.approx(0.0) and same.QMdf == 1 and same.QMp == pytest.approx(1.0)
    apart = pool_subgroups(["a", "b", "c", "d"], [0.0, 0.0, 1.0, 1.0], [0.04] * 4,
                           ["x", "x", "y", "y"], measure="MD", method="FE")
    # two subgroup means 0 and 1, each with variance 0.02: Q_M = 2 * 0.5^2 / 0.02 = 25
    assert apart.QM == pytest.approx(25.0)
