"""The HTML page (without a browser: tests/test_browser.py runs it) and the viz and stats
commands."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from conftest import ONTOLOGY, ROOT
from test_network import (
    ALBUMIN_LABEL,
    FIXTURE_EDGES,
    FIXTURE_NODES,
    RICH_NODES,
    SPONSOR,
    TRIAL,
    XSS_SPONSOR,
    XSS_TITLE,
    enrich,
)

from livergraph.cli import cli
from livergraph.viz.page import VIS_OPTIONS, layout_options, render_html, strip_external
from livergraph.viz.view import KINDS, to_networkx


def page_data(page: str) -> tuple[list, list, dict]:
    """The vis DataSets and the livergraph data embedded in a page."""
    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((.*?)\);\n", page).group(1))
    edges = json.loads(re.search(r"edges = new vis\.DataSet\((.*?)\);\n", page).group(1))
    data = json.loads(re.search(r'<script type="application/json" id="lg-data">(.*?)</script>',
                                page, re.DOTALL).group(1))
    return nodes, edges, data


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)      # a stray lib/ folder or file would land here
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, [str(a) for a in args])
    return invoke


@pytest.fixture(scope="module")
def rich_data(tmp_path_factory):
    import shutil

    from conftest import FIXTURE_DATA
    data = tmp_path_factory.mktemp("rich") / "data"
    shutil.copytree(FIXTURE_DATA, data)
    return enrich(data)


def test_page_is_self_contained(fixture_build):
    page = render_html(to_networkx(fixture_build.graph))
    assert not re.search(r"<script[^>]*\bsrc=", page, re.IGNORECASE)
    assert not re.search(r"<link\b", page, re.IGNORECASE)
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page and "lib/bindings" not in page
    assert page.count("vis.Network(") >= 1          # vis-network is inlined
    assert page.startswith("<!DOCTYPE html>")


def test_page_holds_every_node_and_edge_with_kind_shape_and_relation(fixture_build):
    G = to_networkx(fixture_build.graph)
    nodes, edges, data = page_data(render_html(G))
    assert len(nodes) == FIXTURE_NODES and len(edges) == FIXTURE_EDGES
    by_id = {n["id"]: n for n in nodes}
    assert by_id[TRIAL]["kind"] == "trial" and by_id[TRIAL]["shape"] == KINDS["trial"][4]
    assert by_id[SPONSOR]["shape"] == "square"
    other = by_id[[n for n in by_id if n.endswith("NCT05155657")][0]]
    assert by_id[TRIAL]["color"]["background"] != other["color"]["background"]  # by status
    assert by_id[TRIAL]["issues"] == 1 and by_id[TRIAL]["borderWidth"] == 3   # flagged: red
    assert by_id[TRIAL]["color"]["border"] == "#c00000"
    assert by_id[SPONSOR]["issues"] == 0 and "borderWidth" not in by_id[SPONSOR]
    assert ALBUMIN_LABEL in {e["label"] for e in edges}
    assert {e["relation"] for e in edges} >= {"lg:leadSponsor", "lg:cellType", "lg:condition"}
    assert data["nodes"][TRIAL]["links"] == [["registry record",
                                              "https://clinicaltrials.gov/study/NCT01220492"]]


def test_legend_lists_every_kind_in_the_graph(fixture_build):
    G = to_networkx(fixture_build.graph)
    page = render_html(G)
    legend = set(re.findall(r'<label class="lg-row" data-kind="([^"]+)"', page))
    assert legend == {d["kind"] for _, d in G.nodes(data=True)}
    assert set(re.findall(r'data-status="([^"]+)"', page)) == {"COMPLETED", "RECRUITING"}
    assert re.search(r'a data-quality issue is flagged</span><span class="lg-count">2<', page)


def test_crafted_text_never_reaches_the_page_as_markup(rich_data):
    from livergraph.model.build import build
    G = to_networkx(build(ONTOLOGY, rich_data).graph)
    page = render_html(G, heading="<b>x</b>")
    assert XSS_TITLE not in page and XSS_SPONSOR not in page
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
    for chunk in (re.search(r"nodes = new vis\.DataSet\((.*?)\);\n", page).group(1),
                  re.search(r'id="lg-data">(.*?)</script>', page, re.DOTALL).group(1)):
        assert "<" not in chunk and ">" not in chunk   # data cannot close or open an element
    nodes, edges, data = page_data(page)                     # ... and the data is intact
    assert len(nodes) == RICH_NODES
    assert XSS_SPONSOR in {n["label"] for n in nodes}
    assert any(XSS_TITLE == d["name"] for d in data["nodes"].values())


def test_page_is_deterministic_and_leaves_the_graph_alone(fixture_build):
    import copy
    G = to_networkx(fixture_build.graph)
    before = (copy.deepcopy(dict(G.nodes(data=True))),
              sorted((u, v, k, tuple(sorted(d.items()))) for u, v, k, d in
                     G.edges(keys=True, data=True)))
    assert render_html(G) == render_html(G)
    after = (dict(G.nodes(data=True)),
             sorted((u, v, k, tuple(sorted(d.items()))) for u, v, k, d in
                    G.edges(keys=True, data=True)))
    assert after == before


def test_layout_iterations_shrink_with_the_graph():
    def iterations(size):
        return layout_options(size)["physics"]["stabilization"]["iterations"]
    assert iterations(441) == 400                   # the bundled data: the full layout
    assert iterations(3_702) == 81 and iterations(11_036) == 80
    assert layout_options(10)["physics"]["solver"] == "forceAtlas2Based"
    assert layout_options(10)["layout"]["improvedLayout"] is False
    assert VIS_OPTIONS["physics"]["stabilization"]["iterations"] == 400   # not changed


def test_strip_external_removes_cdn_and_lib_tags():
    page = ('<link rel="stylesheet" href="https://cdn.example/x.css" />'
            '<script\n src="https://cdn.example/x.js"\n crossorigin="anonymous"\n></script>'
            '<script src="lib/bindings/utils.js"></script><script>var a = 1;</script>'
            '<!-- <link rel="stylesheet" href="../node_modules/vis.css" type="text/css" /> -->')
    assert strip_external(page) == "<script>var a = 1;</script>"


def test_viz_command_writes_one_file(run, tmp_path):
    result = run("viz", "--root", ROOT, "--data", ROOT / "tests/fixtures/mini/data",
                 "-o", "out.html")
    assert result.exit_code == 0, result.output
    assert f"wrote out.html: {FIXTURE_NODES} nodes, {FIXTURE_EDGES} edges" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.html"]    # no lib/ folder
    nodes, _, _ = page_data((tmp_path / "out.html").read_text(encoding="utf-8"))
    assert len(nodes) == FIXTURE_NODES


def test_viz_focus(run, tmp_path):
    result = run("viz", "--root", ROOT, "--data", ROOT / "tests/fixtures/mini/data",
                 "--focus", "NCT01220492", "--depth", "1", "-o", "focus.html")
    assert result.exit_code == 0, result.output
    nodes, edges, _ = page_data((tmp_path / "focus.html").read_text(encoding="utf-8"))
    assert len(nodes) == 6 and len(edges) == 5
    assert "NCT05155657" not in {n["label"] for n in nodes}


def _has_option(name: str) -> bool:
    from livergraph.cli.viz_cmd import command
    return any(name in p.opts for p in command.params)


@pytest.mark.skipif(not _has_option("--report-link"),
                    reason="cli/viz_cmd.py does not call livergraph.viz.draw yet")
def test_viz_focus_selects_the_focus_and_links_the_report(run, tmp_path):
    result = run("viz", "--root", ROOT, "--data", ROOT / "tests/fixtures/mini/data",
                 "--focus", "NCT01220492", "--depth", "1", "--report-link", "report.html",
                 "-o", "focus.html")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "focus.html").read_text(encoding="utf-8")
    _, _, data = page_data(page)
    assert data["focus"] == [TRIAL]
    assert '<a id="lg-report" href="report.html">' in page


def test_viz_focus_unknown_is_a_usage_error(run):
    result = run("viz", "--root", ROOT, "--data", ROOT / "tests/fixtures/mini/data",
                 "--focus", "NCT00000000")
    assert result.exit_code == 2
    assert "error: --focus 'NCT00000000' is not a node of the graph" in result.output
    assert "Traceback" not in result.output


def test_viz_query_draws_what_a_construct_selects(run, tmp_path):
    query = ("CONSTRUCT { ?t lg:leadSponsor ?s } WHERE { ?t lg:leadSponsor ?s ; "
             "lg:status lgc:status-RECRUITING }")
    result = run("viz", "--root", ROOT, "--data", ROOT / "tests/fixtures/mini/data",
                 "--query", query, "-o", "q.html")
    assert result.exit_code == 0, result.output
    nodes, edges, _ = page_data((tmp_path / "q.html").read_text(encoding="utf-8"))
    assert {n["label"] for n in nodes} == {"NCT05155657", "Yantai Yuhuangding Hospital"}
    assert [e["relation"] for e in edges] == ["lg:leadSponsor"]


def test_viz_query_on_collapsed_resources_draws_their_owner(run, tmp_path):
    query = ("CONSTRUCT { ?i lg:cellType ?c } WHERE { ?i lg:cellType ?c ; "
             "lg:doseLevel lgc:dose-high }")
    result = run("viz", "--root", ROOT, "--data", ROOT / "tests/fixtures/mini/data",
                 "--query", query, "-o", "q.html")
    assert result.exit_code == 0, result.output
    nodes, _, _ = page_data((tmp_path / "q.html").read_text(encoding="utf-8"))
    assert {n["label"] for n in nodes} == {"NCT05155657",
                                          "mesenchymal stem cell of umbilical cord"}


@pytest.mark.parametrize("query,code,message", [
    ("SELECT ?s WHERE { ?s a lg:Trial }", 2, "needs a CONSTRUCT or DESCRIBE query, not SELECT"),
    ("CONSTRUCT { ?s ?p ?o } WHERE {", 2, "the query does not parse or run"),
    ("CONSTRUCT { ?s a lg:Nothing } WHERE { ?s a lg:Nothing }", 1, "mentions no trial"),
])
def test_viz_query_errors(run, query, code, message):
    result = run("viz", "--root", ROOT, "--data", ROOT / "tests/fixtures/mini/data",
                 "--query", query, "-o", "q.html")
    assert result.exit_code == code
    assert message in result.output and "Traceback" not in result.output


def test_viz_to_stdout_in_chinese(run):
    result = run("viz", "--root", ROOT, "--data", ROOT / "tests/fixtures/mini/data",
                 "--lang", "zh", "-o", "-")
    assert result.exit_code == 0
    nodes, _, data = page_data(result.output)
    assert "北京302醫院" in {n["label"] for n in nodes}
    assert data["ui"]["find"] == "搜尋"
    assert data["kindNames"]["trial"] == "註冊試驗"           # from the ontology's label


def test_viz_reads_a_built_graph_and_refuses_a_missing_one(run, tmp_path):
    out = tmp_path / "g.ttl"
    assert run("build", "--root", ROOT, "--data", ROOT / "tests/fixtures/mini/data",
               "-o", out).exit_code == 0
    result = run("viz", "--graph", out, "-o", "g.html")
    assert result.exit_code == 0, result.output
    assert f"{FIXTURE_NODES} nodes" in result.output
    missing = run("viz", "--graph", tmp_path / "nope.ttl")
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_stats_text(run):
    result = run("stats", "--root", ROOT, "--data", ROOT / "tests/fixtures/mini/data")
    assert result.exit_code == 0, result.output
    out = result.output
    assert re.search(r"lg:Trial\s+2\n", out)
    assert f"network: {FIXTURE_NODES} nodes, {FIXTURE_EDGES} edges" in out
    assert re.search(r"registered trial\s+2\n", out)
    assert re.search(r"COMPLETED\s+1\n", out)
    assert "connected components (without source documents): 2; sizes 8, 2" in out
    assert re.search(r"mesenchymal stem cell of umbilical cord\s+2\s+0\.\d+", out)


def test_stats_json(run):
    result = run("stats", "--root", ROOT, "--data", ROOT / "tests/fixtures/mini/data",
                 "--format", "json", "--top", "1")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["classes"]["lg:Trial"] == 2
    assert out["nodes"] == FIXTURE_NODES and out["components"] == [8, 2]
    assert out["hubs"]["cell-type"][0]["label"] == "mesenchymal stem cell of umbilical cord"
    assert all(len(h) == 1 for h in out["hubs"].values())


# -- the page's parts, search keys, report link, focus (issues 14, 19) ------------------------
def test_page_script_and_style_are_package_files():
    from importlib.resources import files

    from livergraph.viz.page import asset
    root = files("livergraph.viz").joinpath("assets")
    assert root.joinpath("page.js").is_file() and root.joinpath("page.css").is_file()
    page = render_html(nx_empty())
    assert asset("page.js") in page and asset("page.css") in page
    assert "window.livergraph" in asset("page.js")


def nx_empty():
    import networkx as nx
    return nx.MultiDiGraph()


@pytest.mark.parametrize("href,shown", [
    ("report.html", 'href="report.html"'),
    ("../dist/report.html#trials", 'href="../dist/report.html#trials"'),
    ("https://example.org/r.html", 'href="https://example.org/r.html"'),
    ('r"><script>alert(1)</script>.html', 'href="r&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;.html"'),
    ("javascript:alert(1)", None),
    ("data:text/html,hi", None),
])
def test_report_link_is_escaped_and_only_a_path_or_http(fixture_build, href, shown):
    page = render_html(to_networkx(fixture_build.graph), report_link=href)
    if shown is None:
        assert 'id="lg-report"' not in page
    else:
        assert f'<a id="lg-report" {shown}>Evidence report →</a>' in page
    assert "<script>alert(1)" not in page


def test_no_report_link_without_a_report(fixture_build):
    assert 'id="lg-report"' not in render_html(to_networkx(fixture_build.graph))


def test_search_keys_fold_chinese_variants_and_case(rich_data):
    from livergraph.model.build import build
    G = to_networkx(build(ONTOLOGY, rich_data).graph, "zh")
    _, _, data = page_data(render_html(G, lang="zh"))
    for entry in data["nodes"].values():
        assert entry["keys"][0] == entry["keys"][0].lower()
        if "幹細胞" in entry["label"] or "干細胞" in entry["label"]:
            assert "干细胞" in entry["keys"][0]
    fold = data["fold"]
    # what a reader types folds to the characters of the keys: 幹/乾 -> 干, 細 -> 细
    assert all(len(k) == 1 and len(v) == 1 for k, v in fold.items())
    keys = "".join(k for e in data["nodes"].values() for k in e["keys"])
    assert set(fold.values()) <= set(keys)


def test_folding_maps_traditional_and_variant_characters():
    from livergraph.viz.page import folding_for
    fold = folding_for(["干细胞", "白蛋白"])
    assert fold["幹"] == "干" and fold["細"] == "细" and "白" not in fold


def test_draw_focus_marks_the_focus_and_keeps_its_neighbourhood(fixture_build):
    from livergraph.viz.draw import draw
    drawing = draw(fixture_build.graph, focus=["NCT01220492"], depth=1,
                   report_link="report.html")
    assert drawing.focus == [TRIAL]
    _, _, data = page_data(drawing.page)
    assert data["focus"] == [TRIAL]
    assert set(data["nodes"]) == set(drawing.graph.nodes)
    assert "NCT01220492 (±1)" in drawing.page
    assert 'href="report.html"' in drawing.page


def test_label_priority_and_leaves(fixture_build):
    from livergraph.viz.page import leaf_nodes, label_priority
    G = to_networkx(fixture_build.graph)
    leaves, priority = leaf_nodes(G), label_priority(G)
    assert sorted(priority.values()) == list(range(len(G)))
    assert all(G.nodes[n]["kind"] in ("outcome", "source") or len(
        {m for m in G.to_undirected(as_view=True)[n] if G.nodes[m]["kind"] != "source"}) <= 1
        for n in leaves)
    assert set(G) - leaves, "some labels show before zooming in"
    # every node that is not a leaf comes before every leaf
    assert max(priority[n] for n in set(G) - leaves) < min(priority[n] for n in leaves)


@pytest.mark.parametrize("text,expected", [
    ("short", "short"),
    ("x" * 40, "x" * 40),
    ("x" * 41, "x" * 39 + "…"),
    ("干細胞回輸對失代償期肝硬化患者遠期療效的影響研究", "干細胞回輸對失代償期肝硬化患者遠期療效…"),   # 2 columns each
    ("a  b\n c", "a b c"),
])
def test_labels_are_cut_by_screen_width(text, expected):
    from livergraph.viz.page import _short
    assert _short(text) == expected


# -- the network view kept beside the build ------------------------------------------------------

@pytest.fixture(scope="module")
def mini_kg(tmp_path_factory):
    import livergraph
    from conftest import FIXTURE_DATA
    kg = livergraph.open(FIXTURE_DATA, root=ROOT, build_dir=tmp_path_factory.mktemp("views"))
    yield kg
    kg.close()


def test_the_network_is_projected_once_per_build_and_language(mini_kg, monkeypatch):
    import livergraph.viz.network_view as nv
    from livergraph.viz.draw import draw, draw_view
    views = mini_kg.directory / nv.VIEWS_DIR
    first = mini_kg.network_view("zh")
    kept = sorted(p.name for p in views.glob("network-zh-*.pickle"))
    assert len(kept) == 1, kept
    # the next reader loads the kept view: projecting again would fail
    monkeypatch.setattr(nv, "project_view", lambda *a, **k: pytest.fail("projected again"))
    again = mini_kg.network_view("zh")
    assert sorted(again.graph.nodes(data="label")) == sorted(first.graph.nodes(data="label"))
    assert again.kind_names == first.kind_names and again.kind_names["trial"]
    # the page drawn from the kept view is the page drawn from the RDF graph itself
    monkeypatch.undo()
    page_kept = draw_view(again, lang="zh", focus=[TRIAL]).page
    assert page_kept == draw(mini_kg.graph, lang="zh", focus=[TRIAL]).page
    # kg.network() is a copy: changing it leaves the kept view alone
    G = mini_kg.network("zh")
    G.remove_nodes_from(list(G))
    assert mini_kg.network_view("zh").graph.number_of_nodes() == FIXTURE_NODES


def test_a_view_anyone_could_have_written_is_not_loaded(mini_kg, monkeypatch):
    import livergraph.viz.network_view as nv
    mini_kg.network_view("en")
    (kept,) = (mini_kg.directory / nv.VIEWS_DIR).glob("network-en-*.pickle")
    kept.chmod(0o666)                    # group- and world-writable: could be anyone's pickle
    calls = []
    real = nv.project_view
    monkeypatch.setattr(nv, "project_view", lambda *a, **k: calls.append(1) or real(*a, **k))
    view = mini_kg.network_view("en")
    assert calls == [1] and view.graph.number_of_nodes() == FIXTURE_NODES
    assert kept.stat().st_mode & 0o022 == 0   # replaced by this user's own file
    kept.write_bytes(b"not a pickle")         # a damaged view is projected again, not an error
    assert mini_kg.network_view("en").graph.number_of_nodes() == FIXTURE_NODES
    assert len(calls) == 2
