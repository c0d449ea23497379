"""The network as one self-contained HTML page (pyvis / vis-network), readable offline.

``render_html(G)`` draws a graph made by :func:`livergraph.network.to_networkx`:

* every script and style is inlined (pyvis ``cdn_resources="in_line"``; the CDN tags its
  template still carries are removed), so the file works opened from disk, with no network;
* node kinds differ by colour and shape, with a legend; trials are coloured by status; edges
  are labelled with their relation or with the summarised measurements;
* hovering shows a node's key facts, clicking shows all of them with links out
  (ClinicalTrials.gov, DOI, PubMed, OBO terms) in the side panel; search by NCT number or name;
  filters by kind, status, cell source and sponsor; neighbourhood highlight; physics toggle;
* text from the data never becomes markup: node and edge data travel as JSON (``<``, ``>``
  and ``&`` escaped) and the page writes it with ``textContent``; tooltips are DOM elements,
  not HTML strings; only http(s) links are made clickable.

The page exposes ``window.livergraph`` (state and actions) for the browser tests.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import quote

import networkx as nx

from livergraph.viz.view import (KINDS, NO_STATUS, NO_STATUS_COLOUR, PROVENANCE_KINDS, STATUS_COLOURS,
                      STUDY_KINDS, WORDS)

LABEL_MAX = 40
ISSUE_COLOUR = "#c00000"
ISSUE_FACT = {lang: words["issue"] for lang, words in WORDS.items()}

UI = {
    "en": {"search": "Search by NCT number or name", "find": "Find", "kinds": "Node kinds",
           "statuses": "Trial status", "cell": "Cell source", "sponsor": "Sponsor",
           "any": "any", "physics": "Physics (layout moving)", "reset": "Reset filters",
           "details": "Click a node for its facts and links.", "no_match": "No node matches",
           "hidden": "hidden by the filters", "layout": "laying out", "nodes": "nodes",
           "edges": "edges", "links": "Links", "click": "click for details",
           "no_status": "no status",
           "issues": "outlined in red: a data-quality issue is flagged"},
    "zh": {"search": "以 NCT 編號或名稱搜尋", "find": "搜尋", "kinds": "節點類型",
           "statuses": "試驗狀態", "cell": "細胞來源", "sponsor": "贊助者", "any": "全部",
           "physics": "物理模擬(佈局移動)", "reset": "重設篩選",
           "details": "點擊節點查看事實與連結。", "no_match": "沒有符合的節點",
           "hidden": "已被篩選隱藏", "layout": "佈局中", "nodes": "節點", "edges": "邊",
           "links": "連結", "click": "點擊查看詳情", "no_status": "無狀態",
           "issues": "紅色外框:標記了資料品質問題"},
}

#: vis-network options: forceAtlas2Based without improvedLayout settles in seconds (TOOLING.md)
VIS_OPTIONS = {
    "autoResize": True,
    "layout": {"improvedLayout": False, "randomSeed": 7},
    "physics": {
        "enabled": True,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -60, "centralGravity": 0.01,
                             "springLength": 110, "springConstant": 0.08, "avoidOverlap": 0.2},
        "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 25,
                          "fit": True},
        "minVelocity": 1.0,
    },
    "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True,
                    "multiselect": False},
    "nodes": {"font": {"size": 14, "face": "sans-serif", "color": "#222222",
                       "strokeWidth": 3, "strokeColor": "#ffffff"},
              "borderWidth": 1, "scaling": {"min": 10, "max": 34}},
    "edges": {"font": {"size": 10, "align": "middle", "color": "#555555",
                       "strokeWidth": 3, "strokeColor": "#ffffff"},
              "color": {"color": "#b0b0b0", "highlight": "#444444", "hover": "#666666"},
              "smooth": False, "width": 1,
              "scaling": {"label": {"enabled": False, "drawThreshold": 7}},
              "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}},
}

def layout_options(size: int) -> dict:
    """VIS_OPTIONS with fewer layout iterations for big graphs (nodes + edges), so the page
    settles in seconds: each iteration costs about size × 10 µs in headless Chromium."""
    options = json.loads(json.dumps(VIS_OPTIONS))
    options["physics"]["stabilization"]["iterations"] = max(80, min(400, 300_000 // max(size, 1)))
    return options


_SWATCH = {  # legend symbols, one per vis shape (trusted markup: no data in it)
    "dot": '<circle cx="9" cy="9" r="7" fill="{c}"/>',
    "star": '<polygon points="9,1 11,7 17,7 12,11 14,17 9,13 4,17 6,11 1,7 7,7" fill="{c}"/>',
    "square": '<rect x="2" y="2" width="14" height="14" fill="{c}"/>',
    "triangle": '<polygon points="9,1 17,16 1,16" fill="{c}"/>',
    "triangleDown": '<polygon points="1,2 17,2 9,17" fill="{c}"/>',
    "hexagon": '<polygon points="5,2 13,2 17,9 13,16 5,16 1,9" fill="{c}"/>',
    "diamond": '<polygon points="9,1 17,9 9,17 1,9" fill="{c}"/>',
    "ellipse": '<ellipse cx="9" cy="9" rx="8" ry="5" fill="{c}"/>',
    "box": '<rect x="1" y="4" width="16" height="10" rx="2" fill="{c}"/>',
    "image": '<path d="M3 1h8l4 4v12H3z" fill="{c}"/><path d="M11 1v4h4" fill="#ddd"/>'
             '<path d="M5 8h8M5 11h8M5 14h6" stroke="#fff" stroke-width="1.2"/>',
}
#: the picture of a document, for source documents (vis "image" shape; a data: URI, offline)
_DOCUMENT_ICON = ("data:image/svg+xml;charset=utf-8," + quote(
    '<svg xmlns="http://www.w3.org/2000/svg" width="36" height="36" viewBox="0 0 18 18">'
    + _SWATCH["image"].format(c=KINDS["source"][3]) + "</svg>"))

_LABEL_INSIDE = {"box", "ellipse", "database", "circle", "text"}
_EXTERNAL_TAG = re.compile(
    r"<!--\s*<link\b.*?-->"
    r"|<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>"
    r"|<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>"
    r"|<script\b[^>]*\bsrc\s*=\s*[\"']?lib/[^>]*>\s*</script>"
    r"|<link\b[^>]*\bhref\s*=\s*[\"']?lib/[^>]*>",
    re.IGNORECASE | re.DOTALL)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.IGNORECASE)


def strip_external(page: str) -> str:
    """Remove every <link>/<script> that would load something from the network or lib/."""
    return _EXTERNAL_TAG.sub("", page)


def _json_for_script(value) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' can end the element or start markup."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _short(text: str, limit: int = LABEL_MAX) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def node_colour(data: dict) -> str:
    if data.get("kind") == "trial":
        return STATUS_COLOURS.get(data.get("status", NO_STATUS), NO_STATUS_COLOUR)
    return KINDS.get(data.get("kind"), (None, "", "", "#999999", "dot"))[3]


def _legend(G: nx.MultiDiGraph, lang: str, kind_names: dict[str, str],
            status_names: dict[str, str]) -> str:
    ui = UI[lang]
    kinds = [k for k in KINDS if any(d.get("kind") == k for _, d in G.nodes(data=True))]
    counts = {k: sum(1 for _, d in G.nodes(data=True) if d.get("kind") == k) for k in kinds}
    rows = []
    for k in kinds:
        _, _, _, colour, shape = KINDS[k]
        svg = _SWATCH[shape].format(c=colour)
        if k == "trial":  # trials take their status colour: an outline here, colours below
            svg = '<circle cx="9" cy="9" r="6.5" fill="#ffffff" stroke="#444" stroke-width="1.5"/>'
        rows.append(
            f'<label class="lg-row" data-kind="{html.escape(k)}"><input type="checkbox" '
            f'class="lg-kind" value="{html.escape(k)}" checked>'
            f'<svg width="18" height="18" viewBox="0 0 18 18">{svg}</svg>'
            f'<span>{html.escape(kind_names.get(k, k))}</span>'
            f'<span class="lg-count">{counts[k]}</span></label>')
    statuses = sorted({d.get("status", NO_STATUS) for _, d in G.nodes(data=True)
                       if d.get("kind") == "trial"},
                      key=lambda s: (list(STATUS_COLOURS).index(s) if s in STATUS_COLOURS
                                     else len(STATUS_COLOURS), s))
    srows = []
    for s in statuses:
        colour = STATUS_COLOURS.get(s, NO_STATUS_COLOUR)
        n = sum(1 for _, d in G.nodes(data=True)
                if d.get("kind") == "trial" and d.get("status", NO_STATUS) == s)
        name = status_names.get(s) or (ui["no_status"] if s == NO_STATUS else s)
        srows.append(
            f'<label class="lg-row" data-status="{html.escape(s)}"><input type="checkbox" '
            f'class="lg-status" value="{html.escape(s)}" checked>'
            f'<svg width="18" height="18" viewBox="0 0 18 18">'
            f'{_SWATCH["dot"].format(c=colour)}</svg>'
            f'<span>{html.escape(name)}</span><span class="lg-count">{n}</span></label>')
    out = [f'<h3>{html.escape(ui["kinds"])}</h3><div id="lg-legend">{"".join(rows)}</div>']
    if srows:
        out.append(f'<h3>{html.escape(ui["statuses"])}</h3>'
                   f'<div id="lg-statuses">{"".join(srows)}</div>')
    flagged = sum(1 for _, d in G.nodes(data=True) if d.get("issues"))
    if flagged:
        out.append(f'<div class="lg-row" id="lg-issues-note"><svg width="18" height="18" '
                   f'viewBox="0 0 18 18"><circle cx="9" cy="9" r="6.5" fill="#ffffff" '
                   f'stroke="{ISSUE_COLOUR}" stroke-width="2.5"/></svg>'
                   f'<span>{html.escape(ui["issues"])}</span>'
                   f'<span class="lg-count">{flagged}</span></div>')
    return "".join(out)


def _panel(G: nx.MultiDiGraph, lang: str, heading: str, kind_names, status_names) -> str:
    ui = UI[lang]
    e = html.escape
    return f"""
<div id="lg-panel">
  <h2 id="lg-heading">{e(heading)}</h2>
  <div id="lg-counts">{G.number_of_nodes()} {e(ui["nodes"])} · {G.number_of_edges()} {e(ui["edges"])}
    <span id="lg-progress"></span></div>
  <div class="lg-search"><input id="lg-search" list="lg-names" placeholder="{e(ui["search"])}"
     aria-label="{e(ui["search"])}"><button id="lg-find">{e(ui["find"])}</button></div>
  <datalist id="lg-names"></datalist>
  <div id="lg-message" role="status"></div>
  {_legend(G, lang, kind_names, status_names)}
  <h3>{e(ui["cell"])}</h3><select id="lg-cell"><option value="">{e(ui["any"])}</option></select>
  <h3>{e(ui["sponsor"])}</h3><select id="lg-sponsor"><option value="">{e(ui["any"])}</option></select>
  <div class="lg-buttons"><label><input type="checkbox" id="lg-physics" checked>
    {e(ui["physics"])}</label><button id="lg-reset">{e(ui["reset"])}</button></div>
  <div id="lg-info"><p class="lg-hint">{e(ui["details"])}</p></div>
</div>
"""


_CSS = """
html, body { margin: 0; height: 100%; font-family: sans-serif; font-size: 13px; color: #222; }
#lg-panel { position: fixed; top: 0; left: 0; bottom: 0; width: 330px; overflow-y: auto;
  box-sizing: border-box; padding: 10px 12px; background: #fafafa; border-right: 1px solid #ddd; }
#lg-panel h2 { font-size: 17px; margin: 0 0 4px; }
#lg-panel h3 { font-size: 13px; margin: 12px 0 4px; color: #444; }
#lg-counts { color: #666; margin-bottom: 8px; }
.lg-search { display: flex; gap: 4px; }
.lg-search input { flex: 1; min-width: 0; padding: 3px; }
#lg-message { min-height: 1.2em; color: #a33; margin: 4px 0; }
.lg-row { display: flex; align-items: center; gap: 6px; padding: 1px 0; cursor: pointer; }
.lg-row .lg-count { margin-left: auto; color: #888; }
#lg-panel select { width: 100%; }
.lg-buttons { display: flex; justify-content: space-between; align-items: center; margin: 10px 0; }
#lg-info { border-top: 1px solid #ddd; padding-top: 6px; word-wrap: break-word; }
#lg-info h4 { margin: 4px 0; font-size: 14px; }
#lg-info .lg-kind-name { color: #666; margin-bottom: 6px; }
#lg-info dl { margin: 0; }
#lg-info dt { font-weight: bold; color: #555; margin-top: 4px; }
#lg-info dd { margin: 0 0 0 8px; white-space: pre-wrap; }
.lg-hint { color: #888; }
#lg-info .lg-issue { color: #a00000; }
body > .card { position: fixed; top: 0; left: 330px; right: 0; bottom: 0; width: auto !important;
  border: 0; margin: 0; }
#mynetwork { width: 100% !important; height: 100% !important; float: none !important;
  border: 0 !important; }
#loadingBar { display: none !important; }
div.vis-tooltip { max-width: 420px; white-space: normal; font-size: 12px; }
.lg-tip b { display: block; margin-bottom: 2px; }
.lg-tip .lg-tip-kind { color: #666; }
"""

_JS = r"""
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("lg-data").textContent);
  var ui = D.ui;
  var info = D.nodes;          // id -> {kind, label, name, facts, links, status}
  var ids = nodes.getIds();
  var adj = {};                // undirected neighbours
  ids.forEach(function (id) { adj[id] = new Set(); });
  edges.forEach(function (e) { adj[e.from].add(e.to); adj[e.to].add(e.from); });
  var baseColour = {};
  nodes.forEach(function (n) { baseColour[n.id] = n.color; });
  var state = {hiddenKinds: new Set(), hiddenStatuses: new Set(), cell: "", sponsor: "",
               visible: new Set(ids), highlighted: null, settled: false, settleMs: null};
  var started = performance.now();

  function el(tag, text, cls) {
    var x = document.createElement(tag);
    if (text !== undefined && text !== null) x.textContent = String(text);
    if (cls) x.className = cls;
    return x;
  }
  function safeUrl(url) { return /^https?:\/\//i.test(String(url)) ? String(url) : null; }

  function tooltip(id) {
    var d = info[id], box = el("div", null, "lg-tip");
    box.appendChild(el("b", d.label));
    box.appendChild(el("div", D.kindNames[d.kind] || d.kind, "lg-tip-kind"));
    if (d.name && d.name !== d.label) box.appendChild(el("div", d.name));
    d.facts.slice(0, 6).forEach(function (f) { box.appendChild(el("div", f[0] + ": " + f[1])); });
    box.appendChild(el("div", "(" + ui.click + ")", "lg-tip-kind"));
    return box;
  }
  function edgeTooltip(e) {
    var box = el("div", null, "lg-tip");
    box.appendChild(el("b", e.label));
    (e.details || "").split("\n").filter(Boolean).forEach(function (l) { box.appendChild(el("div", l)); });
    return box;
  }
  nodes.update(ids.map(function (id) { return {id: id, title: tooltip(id)}; }));
  edges.update(edges.get().map(function (e) { return {id: e.id, title: edgeTooltip(e)}; }));

  function showInfo(id) {
    var panel = document.getElementById("lg-info");
    panel.textContent = "";
    if (!id || !info[id]) { panel.appendChild(el("p", ui.details, "lg-hint")); return; }
    var d = info[id];
    panel.appendChild(el("h4", d.label));
    panel.appendChild(el("div", D.kindNames[d.kind] || d.kind, "lg-kind-name"));
    if (d.name && d.name !== d.label) panel.appendChild(el("div", d.name, "lg-name"));
    var dl = el("dl");
    var flagged = d.facts.filter(function (f) { return f[0] === D.issueKey; });
    var rest = d.facts.filter(function (f) { return f[0] !== D.issueKey; });
    flagged.forEach(function (f) {           // data-quality issues first, in red
      dl.appendChild(el("dt", f[0], "lg-issue")); dl.appendChild(el("dd", f[1], "lg-issue")); });
    rest.forEach(function (f) { dl.appendChild(el("dt", f[0])); dl.appendChild(el("dd", f[1])); });
    panel.appendChild(dl);
    var links = d.links.filter(function (l) { return safeUrl(l[1]); });
    if (links.length) {
      panel.appendChild(el("h4", ui.links));
      var ul = el("ul");
      links.forEach(function (l) {
        var li = el("li"), a = el("a", l[0] + " — " + l[1]);
        a.href = safeUrl(l[1]); a.target = "_blank"; a.rel = "noopener noreferrer";
        li.appendChild(a); ul.appendChild(li);
      });
      panel.appendChild(ul);
    }
  }

  function highlight(id) {
    state.highlighted = id || null;
    var keep = id ? new Set([id].concat(Array.from(adj[id]))) : null;
    nodes.update(ids.map(function (n) {
      var on = !keep || keep.has(n);
      return {id: n, color: on ? baseColour[n] : "rgba(200,200,200,0.35)",
              font: {color: on ? "#222222" : "rgba(80,80,80,0.3)"}};
    }));
    edges.update(edges.get().map(function (e) {
      var on = !id || e.from === id || e.to === id;
      return {id: e.id, color: {opacity: on ? 1.0 : 0.15},
              font: {color: on ? "#555555" : "rgba(80,80,80,0.15)"}};
    }));
  }

  function applyFilters() {
    var visible = new Set();
    ids.forEach(function (id) {
      var d = info[id];
      if (state.hiddenKinds.has(d.kind)) return;
      if (d.kind === "trial" && state.hiddenStatuses.has(d.status)) return;
      visible.add(id);
    });
    var anchors = [state.cell, state.sponsor].filter(Boolean);
    if (anchors.length) {
      var keep = new Set(anchors);
      ids.forEach(function (id) {
        if (D.studyKinds.indexOf(info[id].kind) < 0) return;
        if (!anchors.every(function (a) { return adj[id].has(a); })) return;
        keep.add(id);
        adj[id].forEach(function (n) { keep.add(n); });
      });
      visible.forEach(function (id) { if (!keep.has(id)) visible.delete(id); });
    }
    state.visible = visible;
    nodes.update(ids.map(function (id) { return {id: id, hidden: !visible.has(id)}; }));
    edges.update(edges.get().map(function (e) {
      return {id: e.id, hidden: !(visible.has(e.from) && visible.has(e.to))};
    }));
    return Array.from(visible);
  }

  function search(query) {
    var q = String(query || "").trim().toLowerCase();
    var msg = document.getElementById("lg-message");
    msg.textContent = "";
    if (!q) return null;
    function label(id) { return String(info[id].label).toLowerCase(); }
    function name(id) { return String(info[id].name || "").toLowerCase(); }
    function aliases(id) { return info[id].aliases.map(function (a) { return a.toLowerCase(); }); }
    var order = [
      function (id) { return label(id) === q; },
      function (id) { return aliases(id).indexOf(q) >= 0; },
      function (id) { return label(id).indexOf(q) === 0; },
      function (id) { return label(id).indexOf(q) >= 0 || name(id).indexOf(q) >= 0; },
      function (id) { return aliases(id).some(function (a) { return a.indexOf(q) >= 0; }); }
    ];
    var found = null;
    for (var i = 0; i < order.length && !found; i++) {
      var hits = ids.filter(order[i]).sort(function (a, b) {
        return label(a) < label(b) ? -1 : label(a) > label(b) ? 1 : 0; });
      if (hits.length) found = hits[0];
    }
    if (!found) { msg.textContent = ui.no_match + ": " + query; return null; }
    if (!state.visible.has(found)) msg.textContent = info[found].label + ": " + ui.hidden;
    network.selectNodes([found]);
    network.focus(found, {scale: 1.3, animation: false});
    showInfo(found);
    highlight(found);
    return found;
  }

  // the controls
  var names = document.getElementById("lg-names");
  ids.map(function (id) { return info[id].label; }).sort().forEach(function (l) {
    var o = document.createElement("option"); o.value = l; names.appendChild(o); });
  function fill(select, test, needStudy) {
    ids.filter(function (id) {
      return test(info[id]) && (!needStudy ||
        Array.from(adj[id]).some(function (n) { return D.studyKinds.indexOf(info[n].kind) >= 0; }));
    }).sort(function (a, b) { return info[a].label.localeCompare(info[b].label); })
      .forEach(function (id) {
        var o = document.createElement("option"); o.value = id; o.textContent = info[id].label;
        select.appendChild(o); });
  }
  var cell = document.getElementById("lg-cell"), sponsor = document.getElementById("lg-sponsor");
  fill(cell, function (d) { return d.cellSource; }, false);   // cell types, tissue sources
  fill(sponsor, function (d) { return d.kind === "sponsor"; }, true);
  cell.addEventListener("change", function () { state.cell = cell.value; applyFilters(); });
  sponsor.addEventListener("change", function () { state.sponsor = sponsor.value; applyFilters(); });
  document.querySelectorAll("input.lg-kind").forEach(function (box) {
    box.addEventListener("change", function () {
      if (box.checked) state.hiddenKinds.delete(box.value); else state.hiddenKinds.add(box.value);
      applyFilters(); }); });
  document.querySelectorAll("input.lg-status").forEach(function (box) {
    box.addEventListener("change", function () {
      if (box.checked) state.hiddenStatuses.delete(box.value); else state.hiddenStatuses.add(box.value);
      applyFilters(); }); });
  var input = document.getElementById("lg-search");
  document.getElementById("lg-find").addEventListener("click", function () { search(input.value); });
  input.addEventListener("keydown", function (ev) { if (ev.key === "Enter") search(input.value); });
  document.getElementById("lg-reset").addEventListener("click", function () {
    state.hiddenKinds.clear(); state.hiddenStatuses.clear(); state.cell = ""; state.sponsor = "";
    cell.value = ""; sponsor.value = "";
    document.querySelectorAll("input.lg-kind, input.lg-status").forEach(function (b) { b.checked = true; });
    applyFilters(); highlight(null); network.unselectAll(); showInfo(null);
  });
  var physics = document.getElementById("lg-physics");
  physics.addEventListener("change", function () { network.setOptions({physics: {enabled: physics.checked}}); });

  network.on("selectNode", function (p) { showInfo(p.nodes[0]); highlight(p.nodes[0]); });
  network.on("deselectNode", function () { showInfo(null); highlight(null); });
  var progress = document.getElementById("lg-progress");
  network.on("stabilizationProgress", function (p) {
    progress.textContent = "· " + ui.layout + " " + Math.round(100 * p.iterations / p.total) + "%"; });
  function settled() {
    if (state.settled) return;
    state.settled = true; state.settleMs = Math.round(performance.now() - started);
    progress.textContent = "";
    network.setOptions({physics: {enabled: false}}); physics.checked = false;
    network.fit();
  }
  network.once("stabilizationIterationsDone", settled);
  network.once("stabilized", settled);
  if (ids.length === 0) settled();

  window.livergraph = {state: state, info: info, applyFilters: applyFilters, search: search,
                       highlight: highlight, showInfo: showInfo};
})();
"""


def render_html(G: nx.MultiDiGraph, *, lang: str = "en", heading: str = "livergraph",
                kind_names: dict[str, str] | None = None,
                status_names: dict[str, str] | None = None) -> str:
    """The page for ``G`` (a graph from ``network.to_networkx``), as one HTML string.
    ``G`` is only read."""
    from pyvis.network import Network

    lang = "zh" if str(lang).lower().startswith("zh") else "en"
    kind_names = {k: (v[2] if lang == "zh" else v[1]) for k, v in KINDS.items()} | (
        kind_names or {})
    if status_names is None:
        status_names = {}
        for _, d in G.nodes(data=True):
            if d.get("kind") == "trial" and d.get("status_label"):
                status_names.setdefault(d["status"], d["status_label"])
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line",
                  heading="", bgcolor="#ffffff", font_color=False)
    degree = dict(G.degree())
    info = {}
    for node in sorted(G.nodes):
        d = G.nodes[node]
        kind = d.get("kind", "")
        shape = KINDS.get(kind, (None, "", "", "#999999", "dot"))[4]
        size = ({} if shape in _LABEL_INSIDE else
                {"value": max(1, degree.get(node, 0))})
        if shape == "image":
            size = {"image": _DOCUMENT_ICON, "size": 22}
        colour = node_colour(d)
        if d.get("issues"):     # a data-quality issue is flagged on it: outlined in red
            size.update(borderWidth=3)
            colour = {"background": colour, "border": ISSUE_COLOUR,
                      "highlight": {"background": colour, "border": ISSUE_COLOUR}}
        net.add_node(node, label=_short(d.get("label", node)), shape=shape, color=colour,
                     kind=kind, status=d.get("status", ""), issues=int(d.get("issues", 0)),
                     **size)
        info[node] = {"kind": kind, "label": str(d.get("label", node)),
                      "cellSource": kind == "cell-type" or any(
                          k == "lg:tissueSource" for _, _, k in G.in_edges(node, keys=True)),
                      "name": str(d.get("name", "")), "status": d.get("status", ""),
                      "aliases": [str(a) for a in d.get("aliases", ())],
                      "facts": [[str(k), str(v)] for k, v in d.get("facts", ())],
                      "links": [[str(k), str(v)] for k, v in d.get("links", ())]}
    for i, (u, v, k, d) in enumerate(sorted(G.edges(keys=True, data=True),
                                            key=lambda e: (e[0], e[1], e[2]))):
        style = {}
        if G.nodes[v].get("kind") in PROVENANCE_KINDS or G.nodes[u].get("kind") in \
                PROVENANCE_KINDS:
            # provenance: drawn, but not a spring (one article would pull everything together)
            style = {"physics": False, "dashes": True}
        net.add_edge(u, v, id=f"e{i}", label=_short(d.get("label", k), 60),
                     relation=d.get("relation", k), details=str(d.get("details", "")), **style)
    net.options = layout_options(G.number_of_nodes() + G.number_of_edges())
    page = strip_external(net.generate_html())
    page = _EMPTY_HEADING.sub("", page)
    data = {"ui": UI[lang], "nodes": info, "kindNames": kind_names,
            "issueKey": ISSUE_FACT[lang],
            "studyKinds": list(STUDY_KINDS)}
    head = (f"<title>{html.escape(heading)}</title>\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<style>{_CSS}</style>\n")
    page = page.replace("</head>", head + "</head>", 1)
    page = re.sub(r"<body>", lambda m: "<body>" + _panel(G, lang, heading, kind_names,
                                                         status_names), page, count=1)
    tail = (f'<script type="application/json" id="lg-data">{_json_for_script(data)}</script>\n'
            f"<script>{_JS}</script>\n")
    idx = page.rfind("</body>")
    page = page[:idx] + tail + page[idx:]
    if not page.lstrip().lower().startswith("<!doctype"):
        page = "<!DOCTYPE html>\n" + page
    page = page.replace("<html>", f'<html lang="{"zh-Hant" if lang == "zh" else "en"}">', 1)
    return page


def write_html(G: nx.MultiDiGraph, out_path, **kwargs) -> Path:
    """Write the page atomically (one file; nothing else is created). Returns the path."""
    from livergraph.io.atomic import write_atomic
    out = Path(out_path)
    page = render_html(G, **kwargs)
    write_atomic(out, lambda h: h.write(page))
    return out
