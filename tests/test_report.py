"""`livergraph report`: one offline, self-contained HTML evidence report, byte-identical across
runs, that renders in Chromium with its forest plots and gap map, no console errors and no
network requests (a screenshot is written to tests/artifacts/report.png)."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT
from livergraph.cli import cli

ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(cli, ["report", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.slow
def test_report_holds_the_evidence(report):
    html = report.read_text(encoding="utf-8")
    assert "<h2 id=\"studies\">Included studies</h2>" in html
    for study in ("fu-2018", "zhang-2012", "shi-2021", "cui-2022", "li-2023"):
        assert f"<td>{study}</td>" in html
    # the 48-week LDH mean difference and its CI, computed from the seed's numbers
    assert "-80.800" in html and "[-139.302, -22.298]" in html
    # the flag touching cui-2022's survival estimate is shown with it
    assert "cui-2022-control-deaths-do-not-add-up" in html
    assert "(approximate)" in html
    # refusals with reasons; the 388-patient reconciliation; the gap map; forest plots
    assert "whole or the propensity-matched cohort" in html
    assert "stem-cell arms, patients analysed where given" in html and ">388<" in html
    assert html.count('<img src="data:image/svg+xml;base64,') >= 5
    assert 'alt="evidence-gap map' in html
    # self-contained: no scripts, stylesheets or images from elsewhere
    assert not re.search(r"<(script|link)\b", html)
    assert not re.search(r"(src|href)=\"(https?:)?//", html)


@pytest.mark.slow
def test_report_is_byte_identical_across_runs(report, tmp_path):
    again = tmp_path / "again.html"
    result = CliRunner().invoke(cli, ["report", "-o", str(again)])
    assert result.exit_code == 0
    assert again.read_bytes() == report.read_bytes()


def test_report_records_its_inputs_not_the_clock(tmp_path, monkeypatch):
    from livergraph.evidence.report import input_digest
    a = tmp_path / "a.yaml"
    a.write_text("x: 1\n")
    first = input_digest([tmp_path], tmp_path)
    assert first.files == 1 and first.source_date is None
    a.write_text("x: 2\n")
    assert input_digest([tmp_path], tmp_path).digest != first.digest
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764806400")
    assert input_digest([tmp_path], tmp_path).source_date == "2025-12-04"


@pytest.mark.browser
@pytest.mark.slow
def test_report_renders_in_chromium_offline(report):
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = os.environ.get("LIVERGRAPH_CHROMIUM") or shutil.which("chromium") \
        or "/usr/bin/chromium"
    if not Path(chromium).is_file():
        pytest.skip("chromium is not installed")
    problems: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        try:
            tab = browser.new_page(viewport={"width": 1400, "height": 1000})
            tab.on("console", lambda m: m.type == "error" and problems.append(m.text))
            tab.on("pageerror", lambda e: problems.append(str(e)))

            def refuse(route):
                if route.request.url.startswith(("file:", "data:")):
                    route.continue_()
                else:
                    problems.append(f"network request: {route.request.url}")
                    route.abort()
            tab.route("**/*", refuse)
            tab.goto(report.resolve().as_uri())
            tab.wait_for_load_state("load")
            images = tab.evaluate("Array.from(document.images).map(i => [i.alt, i.naturalWidth])")
            assert images and all(width > 0 for _, width in images), images
            assert any(alt.startswith("forest plot") for alt, _ in images)
            assert tab.inner_text("h1").startswith("Stem-cell therapy")
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=str(ARTIFACTS / "report.png"), full_page=False)
            tab.locator("img[alt^='forest plot: survival']").first.screenshot(
                path=str(ARTIFACTS / "report-forest.png"))
            tab.locator("img[alt^='evidence-gap map']").screenshot(
                path=str(ARTIFACTS / "report-gap-map.png"))
        finally:
            browser.close()
    assert problems == []
