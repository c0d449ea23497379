"""The page in a real browser: Debian's chromium, headless, driven by Python playwright.

Skipped when chromium or playwright is missing (`.ci/run` installs both; never run
`playwright install`: the system browser is used). The page is loaded from disk (file://) and
every request other than file: or data: is recorded and refused.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE_DATA, ONTOLOGY, ROOT
from test_network import (OTHER_SPONSOR, OTHER_TRIAL, PUBLICATION, SOURCE, SPONSOR, STUDY,
                          TRIAL, UC_MSC, UMBILICAL_CORD, XSS_SPONSOR, XSS_TITLE, enrich)

sync_api = pytest.importorskip("playwright.sync_api", reason="Python playwright is not installed")
CHROMIUM = os.environ.get("LIVERGRAPH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).is_file():
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)

ARTIFACTS = ROOT / "tests" / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
SETTLE_TIMEOUT_MS = 120_000      # a limit for a hung page, not a timing assertion


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    """The enriched fixture (every kind, crafted HTML in a title and a sponsor name), its
    network and its page on disk."""
    from livergraph.model.build import build
    from livergraph.viz.view import KINDS, kind_name, to_networkx
    from livergraph.viz.page import write_html
    tmp = tmp_path_factory.mktemp("browser")
    data = tmp / "data"
    shutil.copytree(FIXTURE_DATA, data)
    graph = build(ONTOLOGY, enrich(data)).graph
    G = to_networkx(graph)
    page = write_html(G, tmp / "livergraph.html",
                      kind_names={k: kind_name(k, "en", graph) for k in KINDS})
    return G, page


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Exception as exc:  # a broken browser install: say so, do not fail the suite
            pytest.skip(f"chromium does not start: {exc}")
        yield b
        b.close()


@pytest.fixture
def page(browser, rich):
    """A fresh tab on the page, settled; ``page.problems`` holds console errors, page errors
    and every request that is not file: or data:."""
    _, path = rich
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    tab.problems = []
    tab.requests = []
    tab.on("console", lambda m: m.type == "error" and tab.problems.append(f"console: {m.text}"))
    tab.on("pageerror", lambda e: tab.problems.append(f"pageerror: {e}"))
    tab.on("request", lambda r: tab.requests.append(r.url))

    def refuse(route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            tab.problems.append(f"network request: {url}")
            route.abort()
    tab.route("**/*", refuse)
    tab.goto(path.resolve().as_uri())
    tab.wait_for_function("window.livergraph && window.livergraph.state.settled",
                          timeout=SETTLE_TIMEOUT_MS)
    yield tab
    context.close()


def hidden_ids(tab) -> set[str]:
    return set(tab.evaluate("nodes.get({filter: n => n.hidden === true}).map(n => n.id)"))


def test_page_loads_offline_with_no_errors_and_no_requests(page):
    assert page.problems == []
    assert page.requests and all(u.startswith(("file:", "data:")) for u in page.requests)
    assert page.evaluate("typeof vis") == "object"


def test_drawn_nodes_and_edges_equal_the_graph(page, rich):
    G, _ = rich
    assert page.evaluate("nodes.length") == G.number_of_nodes()
    assert page.evaluate("edges.length") == G.number_of_edges()
    assert page.evaluate("network.body.nodeIndices.length") == G.number_of_nodes()
    assert page.evaluate("network.body.edgeIndices.length") == G.number_of_edges()
    assert set(page.evaluate("nodes.getIds()")) == set(G.nodes)


def test_legend_lists_every_kind(page, rich):
    G, _ = rich
    kinds = page.evaluate(
        "Array.from(document.querySelectorAll('#lg-legend [data-kind]')).map(e => e.dataset.kind)")
    assert sorted(kinds) == sorted({d["kind"] for _, d in G.nodes(data=True)})
    legend = page.inner_text("#lg-legend")
    for name in ("registered trial", "published study", "cell type", "outcome measure",
                 "publication", "route"):
        assert name in legend


def test_kind_and_status_filters_hide_the_right_nodes(page, rich):
    G, _ = rich
    sponsors = {n for n, d in G.nodes(data=True) if d["kind"] == "sponsor"}
    page.click("#lg-legend input[value='sponsor']")
    assert hidden_ids(page) == sponsors
    hidden_edges = set(page.evaluate(
        "edges.get({filter: e => e.hidden}).map(e => e.from + ' ' + e.to)"))
    assert hidden_edges == {f"{u} {v}" for u, v in G.edges() if u in sponsors or v in sponsors}
    page.click("#lg-legend input[value='sponsor']")
    assert hidden_ids(page) == set()
    page.click("#lg-statuses input[value='RECRUITING']")
    assert hidden_ids(page) == {OTHER_TRIAL}
    page.click("#lg-reset")
    assert hidden_ids(page) == set()


def _expected_visible(G, anchors):
    study_like = {n for n, d in G.nodes(data=True) if d["kind"] in ("trial", "study")}
    undirected = G.to_undirected(as_view=True)
    keep = set(anchors)
    for n in study_like:
        if all(a in undirected[n] for a in anchors):
            keep.add(n)
            keep.update(undirected[n])
    return keep


def test_sponsor_and_cell_source_filters(page, rich):
    G, _ = rich
    options = page.evaluate("Array.from(document.querySelectorAll('#lg-cell option'))"
                            ".map(o => o.value)")
    assert sorted(options) == sorted(["", UC_MSC, UMBILICAL_CORD])   # cell types, tissue sources
    page.select_option("#lg-sponsor", SPONSOR)
    visible = set(G.nodes) - hidden_ids(page)
    assert visible == _expected_visible(G, [SPONSOR])
    assert {TRIAL, STUDY, SPONSOR} <= visible and OTHER_TRIAL not in visible
    page.select_option("#lg-sponsor", "")
    page.select_option("#lg-cell", UC_MSC)
    visible = set(G.nodes) - hidden_ids(page)
    assert visible == _expected_visible(G, [UC_MSC])
    assert {TRIAL, OTHER_TRIAL} <= visible
    assert STUDY in visible and PUBLICATION not in visible    # the study reports a UC-MSC trial
    page.select_option("#lg-sponsor", OTHER_SPONSOR)            # both: AND
    visible = set(G.nodes) - hidden_ids(page)
    assert visible == _expected_visible(G, [UC_MSC, OTHER_SPONSOR])
    assert OTHER_TRIAL in visible and TRIAL not in visible


def test_search_focuses_the_right_node_and_highlights_its_neighbourhood(page, rich):
    G, _ = rich
    page.fill("#lg-search", "nct01220492")
    page.press("#lg-search", "Enter")
    assert page.evaluate("network.getSelectedNodes()") == [TRIAL]
    dx, dy = page.evaluate("""id => { const p = network.getPositions([id])[id];
        const v = network.getViewPosition(); return [v.x - p.x, v.y - p.y]; }""", TRIAL)
    assert abs(dx) < 1 and abs(dy) < 1                     # the view is centred on it
    assert page.inner_text("#lg-info h4").startswith("NCT01220492")
    assert page.inner_text("#lg-info dt:first-of-type") == "data-quality issue"   # first, red
    assert "machine translation" in page.inner_text("#lg-info dd.lg-issue")
    assert "https://clinicaltrials.gov/study/NCT01220492" in page.evaluate(
        "Array.from(document.querySelectorAll('#lg-info a')).map(a => a.href)")
    dimmed = set(page.evaluate(
        "nodes.get({filter: n => n.color === 'rgba(200,200,200,0.35)'}).map(n => n.id)"))
    neighbours = set(G.to_undirected(as_view=True)[TRIAL]) | {TRIAL}
    assert dimmed == set(G.nodes) - neighbours
    page.fill("#lg-search", "Beijing 302")                 # by name, part of it
    page.click("#lg-find")
    assert page.evaluate("network.getSelectedNodes()") == [SPONSOR]
    page.fill("#lg-search", "北京302醫院")                 # by another name it goes by
    page.click("#lg-find")
    assert page.evaluate("network.getSelectedNodes()") == [SPONSOR]
    page.fill("#lg-search", "no such thing")
    page.press("#lg-search", "Enter")
    assert "No node matches" in page.inner_text("#lg-message")


def test_crafted_html_in_the_data_runs_nothing_and_shows_as_text(page, rich):
    page.fill("#lg-search", "NCT05155657")
    page.press("#lg-search", "Enter")
    assert page.inner_text("#lg-info .lg-name") == XSS_TITLE
    # hover the node: its tooltip shows the title as text too
    x, y = page.evaluate("""id => {
        const p = network.canvasToDOM(network.getPositions([id])[id]);
        const r = document.getElementById('mynetwork').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y]; }""", OTHER_TRIAL)
    page.mouse.move(x - 40, y - 40)
    page.mouse.move(x, y)
    page.wait_for_selector("div.vis-tooltip", state="visible")
    assert XSS_TITLE in page.inner_text("div.vis-tooltip")
    page.fill("#lg-search", XSS_SPONSOR)
    page.press("#lg-search", "Enter")
    assert page.evaluate("network.getSelectedNodes()") == [OTHER_SPONSOR]
    assert page.inner_text("#lg-info h4") == XSS_SPONSOR
    assert XSS_SPONSOR in page.inner_text("#lg-sponsor")
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.problems == []


def test_links_only_to_http_and_new_tabs(page):
    page.fill("#lg-search", "fixture-pub")
    page.fill("#lg-search", "Zhang Z 2012")
    page.press("#lg-search", "Enter")
    links = page.evaluate("Array.from(document.querySelectorAll('#lg-info a'))"
                          ".map(a => [a.href, a.target, a.rel])")
    assert links == [["https://doi.org/10.1111/fixture.2012.001", "_blank",
                      "noopener noreferrer"]]


def test_physics_toggle_and_settled_layout(page):
    assert page.evaluate("window.livergraph.state.settled") is True
    assert page.is_checked("#lg-physics") is False            # off once the layout settled
    page.click("#lg-physics")
    assert page.evaluate("network.physics.physicsEnabled") is True
    page.click("#lg-physics")
    assert page.evaluate("network.physics.physicsEnabled") is False


def test_source_documents_are_drawn_without_pulling_the_layout(page, rich):
    G, _ = rich
    provenance = page.evaluate(
        "edges.get({filter: e => e.relation === 'prov:wasDerivedFrom'}).map(e => e.physics)")
    assert provenance and set(provenance) == {False}
    assert SOURCE in page.evaluate("nodes.getIds()")


def test_screenshot_artifact(page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = ARTIFACTS / "livergraph-fixture.png"
    page.screenshot(path=str(out))
    assert out.stat().st_size > 10_000


def test_the_bundled_graph_draws_offline(browser, tmp_path):
    """The curated data itself, as `livergraph viz` draws it."""
    from livergraph.model.build import build
    from livergraph.viz.view import to_networkx
    from livergraph.viz.page import write_html
    if not any((ROOT / "data" / "trials").glob("*.yaml")):
        pytest.skip("no curated trials in data/ yet")
    G = to_networkx(build(ONTOLOGY, ROOT / "data").graph)
    path = write_html(G, tmp_path / "livergraph.html")
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    problems = []
    tab.on("console", lambda m: m.type == "error" and problems.append(m.text))
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.on("request", lambda r: r.url.startswith(("file:", "data:")) or problems.append(r.url))
    tab.goto(path.resolve().as_uri())
    tab.wait_for_function("window.livergraph && window.livergraph.state.settled",
                          timeout=SETTLE_TIMEOUT_MS)
    assert problems == []
    assert tab.evaluate("[nodes.length, edges.length]") == [G.number_of_nodes(),
                                                            G.number_of_edges()]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "livergraph-bundled.png"))
    context.close()
