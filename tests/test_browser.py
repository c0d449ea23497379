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
from test_network import (
    OTHER_SPONSOR,
    OTHER_TRIAL,
    PUBLICATION,
    SOURCE,
    SPONSOR,
    STUDY,
    TRIAL,
    UC_MSC,
    UMBILICAL_CORD,
    XSS_SPONSOR,
    XSS_TITLE,
    enrich,
)

sync_api = pytest.importorskip("playwright.sync_api", reason="Python playwright is not installed")
CHROMIUM = os.environ.get("LIVERGRAPH_CHROMIUM") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else shutil.which("chromium")) or ""
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
    from livergraph.viz.page import write_html
    from livergraph.viz.view import KINDS, kind_name, to_networkx
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
    from livergraph.viz.page import write_html
    from livergraph.viz.view import to_networkx
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


# -- the curated data as a reader sees it (issue 19): screenshots under tests/artifacts/ ------
def _open(browser, path, viewport=(1400, 900)):
    """A settled tab on ``path``; ``tab.problems`` as in the ``page`` fixture."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    tab = context.new_page()
    tab.problems = []
    tab.on("console", lambda m: m.type == "error" and tab.problems.append(f"console: {m.text}"))
    tab.on("pageerror", lambda e: tab.problems.append(f"pageerror: {e}"))
    tab.on("request", lambda r: r.url.startswith(("file:", "data:", "blob:"))
           or tab.problems.append(f"network request: {r.url}"))
    tab.goto(path.resolve().as_uri())
    tab.wait_for_function("window.livergraph && window.livergraph.state.settled",
                          timeout=SETTLE_TIMEOUT_MS)
    return tab


def _shot(tab, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = ARTIFACTS / name
    tab.screenshot(path=str(out))
    assert out.stat().st_size > 10_000


@pytest.fixture(scope="module")
def curated(tmp_path_factory):
    """Pages of the curated data: the whole graph in English and in Chinese, and
    `viz --focus NCT01220492 --depth 2 --report-link report.html`."""
    from livergraph.model.build import build
    from livergraph.viz.draw import draw
    if not any((ROOT / "data" / "trials").glob("*.yaml")):
        pytest.skip("no curated trials in data/ yet")
    graph = build(ONTOLOGY, ROOT / "data").graph
    tmp = tmp_path_factory.mktemp("curated")
    out = {}
    for name, kwargs in {"en": {}, "zh": {"lang": "zh"},
                         "focus": {"focus": ["NCT01220492"], "depth": 2,
                                   "report_link": "report.html"}}.items():
        drawing = draw(graph, **kwargs)
        path = tmp / f"{name}.html"
        path.write_text(drawing.page, encoding="utf-8")
        out[name] = (drawing, path)
    return out


def _on_screen_label_px(tab):
    """(smallest on-screen font size of a shown label, how many labels are shown)."""
    return tab.evaluate("""() => {
        const s = network.getScale();
        const shown = nodes.get({filter: n => !n.hidden && n.font &&
                                 n.font.color !== 'rgba(0,0,0,0)'});
        return [Math.min(...shown.map(n => n.font.size * s)), shown.length]; }""")


def test_first_load_is_fitted_with_readable_labels(browser, curated):
    drawing, path = curated["en"]
    tab = _open(browser, path)
    px, shown = _on_screen_label_px(tab)
    assert px >= 11.9                          # not the 6-7 px of issue 19
    total = drawing.graph.number_of_nodes()
    assert 10 <= shown <= 30 < total           # leaves wait until zoomed in
    assert tab.evaluate("window.livergraph.view.culled") > 0  # labels gave way ...
    clashes = tab.evaluate("""() => {    // ... so none covers another (vis's label boxes)
        const s = network.getScale(), out = [];
        const boxes = nodes.get({filter: n => !n.hidden && n.font.color !== 'rgba(0,0,0,0)'})
            .map(n => [n.id, network.body.nodes[n.id].labelModule.size]);
        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i][1], b = boxes[j][1];
            const ox = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
            const oy = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
            if (ox * s > 2 && oy * s > 2) out.push([boxes[i][0], boxes[j][0]]);
        }
        return out; }""")
    assert clashes == []
    assert tab.inner_text("#lg-hint") == "zoom in to see every label"
    # every node is inside the view
    inside = tab.evaluate("""() => { const r = document.getElementById('mynetwork')
        .getBoundingClientRect(); const pos = network.getPositions();
        return Object.values(pos).every(p => { const d = network.canvasToDOM(p);
          return d.x >= -5 && d.y >= -5 && d.x <= r.width + 5 && d.y <= r.height + 5; }); }""")
    assert inside
    _shot(tab, "curated-1-first-load.png")
    box = tab.locator("#mynetwork").bounding_box()
    tab.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(30):                        # the reader zooms in with the wheel
        if tab.evaluate("window.livergraph.view.detail"):
            break
        tab.mouse.wheel(0, -300)
        tab.wait_for_timeout(120)
    tab.wait_for_function("window.livergraph.view.detail === true")
    zoomed_px, zoomed_shown = _on_screen_label_px(tab)
    assert zoomed_px >= 11.9 and zoomed_shown > shown        # more labels once zoomed in
    _shot(tab, "curated-1b-zoomed-in.png")
    assert tab.problems == []
    tab.context.close()


def test_filters_refit_the_view(browser, curated):
    drawing, path = curated["en"]
    tab = _open(browser, path)
    before = tab.evaluate("network.getScale()")
    for kind in ("outcome", "publication", "source"):
        tab.click(f"#lg-legend input[value='{kind}']")
    sponsor = next(n for n, d in drawing.graph.nodes(data=True) if d["kind"] == "sponsor"
                   and "302" in d["label"])
    tab.select_option("#lg-sponsor", sponsor)
    visible = tab.evaluate("Array.from(window.livergraph.state.visible)")
    assert sponsor in visible and len(visible) < drawing.graph.number_of_nodes() / 3
    assert all(drawing.graph.nodes[n]["kind"] not in ("outcome", "publication", "source")
               for n in visible)
    assert tab.evaluate("network.getScale()") > before    # zoomed in on what is left
    extent = tab.evaluate("""ids => { const r = document.getElementById('mynetwork')
        .getBoundingClientRect(); const pos = network.getPositions(ids);
        const xs = ids.map(i => network.canvasToDOM(pos[i]).x);
        const ys = ids.map(i => network.canvasToDOM(pos[i]).y);
        return [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys),
                r.width, r.height]; }""", visible)
    x0, x1, y0, y1, width, height = extent
    assert x0 >= -5 and y0 >= -5 and x1 <= width + 5 and y1 <= height + 5
    assert (x1 - x0) > 0.6 * width or (y1 - y0) > 0.6 * height     # fitted, not a corner
    px, _ = _on_screen_label_px(tab)
    assert px >= 11.9
    _shot(tab, "curated-2-filtered.png")
    assert tab.problems == []
    tab.context.close()


def test_focus_pulls_the_neighbourhood_and_selects_the_focus(browser, curated):
    drawing, path = curated["focus"]
    G = drawing.graph
    trials = [n for n, d in G.nodes(data=True) if d["kind"] == "trial"]
    assert len(trials) < 10                        # not 34 of 37 (issue 19)
    tab = _open(browser, path)
    focus = drawing.focus[0]
    assert tab.evaluate("network.getSelectedNodes()") == [focus]
    dx, dy = tab.evaluate("""id => { const p = network.getPositions([id])[id];
        const v = network.getViewPosition(); return [v.x - p.x, v.y - p.y]; }""", focus)
    assert abs(dx) < 1 and abs(dy) < 1
    assert tab.inner_text("#lg-info h4").startswith("NCT01220492")
    assert tab.get_attribute("#lg-report", "href") == "report.html"
    _shot(tab, "curated-3-focused.png")
    assert tab.problems == []
    tab.context.close()


def test_search_lists_matches_exact_before_substring(browser, curated):
    _, path = curated["en"]
    tab = _open(browser, path)
    tab.click("#lg-search")
    tab.keyboard.type("albumin")
    tab.wait_for_selector("#lg-matches li")
    labels = tab.eval_on_selector_all("#lg-matches li .lg-match-label",
                                      "els => els.map(e => e.textContent)")
    assert labels[0] == "serum albumin" and "prealbumin" in labels
    assert labels.index("serum albumin") < labels.index("prealbumin")
    assert "matches" in tab.inner_text("#lg-message")
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("ArrowDown")           # the second match, by keyboard
    second = labels[1]
    _shot(tab, "curated-4-search-albumin.png")
    tab.keyboard.press("Enter")
    selected = tab.evaluate("network.getSelectedNodes()")
    assert len(selected) == 1 and tab.evaluate(
        "id => window.livergraph.info[id].label", selected[0]) == second
    assert tab.is_hidden("#lg-matches")
    assert tab.problems == []
    tab.context.close()


def test_chinese_search_folds_traditional_simplified_and_variants(browser, curated):
    _, path = curated["zh"]
    tab = _open(browser, path)
    found = {q: tab.evaluate("q => window.livergraph.matches(q)", q)
             for q in ("幹細胞", "干細胞", "干细胞")}
    assert found["幹細胞"] == found["干細胞"] == found["干细胞"]
    labels = [tab.evaluate("id => window.livergraph.info[id].label", n) for n in found["干细胞"]]
    assert "外周血幹細胞" in labels                  # written with 幹
    assert any("干細胞" in label for label in labels)  # written with 干
    tab.fill("#lg-search", "血清白蛋白")
    tab.press("#lg-search", "ArrowDown")
    assert tab.inner_text("#lg-matches li:first-child .lg-match-label") == "血清白蛋白"
    _shot(tab, "curated-5-zh-search.png")
    assert tab.problems == []
    tab.context.close()


def test_png_and_svg_export(browser, curated):
    drawing, path = curated["focus"]
    tab = _open(browser, path)
    png = tab.evaluate("window.livergraph.pngDataUrl()")
    assert png.startswith("data:image/png;base64,") and len(png) > 5000
    svg = tab.evaluate("window.livergraph.svgText()")
    import xml.etree.ElementTree as ET
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert sorted(texts) == sorted(d["label"] for _, d in drawing.graph.nodes(data=True))
    with tab.expect_download() as download:
        tab.click("#lg-png")
    assert download.value.suggested_filename == "livergraph.png"
    with tab.expect_download() as download:
        tab.click("#lg-svg")
    assert download.value.suggested_filename == "livergraph.svg"
    assert tab.problems == []
    tab.context.close()
