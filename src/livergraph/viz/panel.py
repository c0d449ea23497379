"""The page's side panel as trusted markup: its words in English and Chinese, the legend
(node kinds and trial statuses, with counts and filter boxes), the search box with its match
list, the filters, the export buttons and the link to the evidence report. Text from the data
is escaped here; the page script writes everything else with ``textContent``."""
from __future__ import annotations

import html
from urllib.parse import quote

import networkx as nx

from livergraph.viz.styles import KINDS, NO_STATUS, NO_STATUS_COLOUR, STATUS_COLOURS

ISSUE_COLOUR = "#c00000"

UI = {
    "en": {"search": "Search by NCT number or name", "find": "Find", "kinds": "Node kinds",
           "statuses": "Trial status", "cell": "Cell source", "sponsor": "Sponsor",
           "any": "any", "physics": "Physics (layout moving)", "reset": "Reset filters",
           "details": "Click a node for its facts and links.", "no_match": "No node matches",
           "hidden": "hidden by the filters", "layout": "laying out", "nodes": "nodes",
           "edges": "edges", "links": "Links", "click": "click for details",
           "no_status": "no status", "matches": "matches", "export": "Save picture",
           "report": "Evidence report", "zoom_hint": "zoom in to see every label",
           "issues": "outlined in red: a data-quality issue is flagged",
           "edges_note": "A study's line to an outcome reads: experimental arm vs comparator "
                         "at the last time point (hover it for every result). Dashed: read "
                         "from a source document."},
    "zh": {"search": "以 NCT 編號或名稱搜尋", "find": "搜尋", "kinds": "節點類型",
           "statuses": "試驗狀態", "cell": "細胞來源", "sponsor": "贊助者", "any": "全部",
           "physics": "物理模擬(佈局移動)", "reset": "重設篩選",
           "details": "點擊節點查看事實與連結。", "no_match": "沒有符合的節點",
           "hidden": "已被篩選隱藏", "layout": "佈局中", "nodes": "節點", "edges": "邊",
           "links": "連結", "click": "點擊查看詳情", "no_status": "無狀態",
           "matches": "個符合", "export": "儲存圖片", "report": "證據報告",
           "zoom_hint": "放大以查看所有標籤",
           "issues": "紅色外框:標記了資料品質問題",
           "edges_note": "研究到結局指標的連線:試驗組對比對照組,取最後時間點(滑鼠移上可見全部結果)。"
                         "虛線:取自來源文件。"},
}

SWATCH = {  # legend symbols, one per vis shape (trusted markup: no data in it)
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
DOCUMENT_ICON = ("data:image/svg+xml;charset=utf-8," + quote(
    '<svg xmlns="http://www.w3.org/2000/svg" width="36" height="36" viewBox="0 0 18 18">'
    + SWATCH["image"].format(c=KINDS["source"][3]) + "</svg>"))


def legend(G: nx.MultiDiGraph, lang: str, kind_names: dict[str, str],
           status_names: dict[str, str]) -> str:
    """The legend: one filter box per node kind and per trial status, with counts."""
    ui = UI[lang]
    kinds = [k for k in KINDS if any(d.get("kind") == k for _, d in G.nodes(data=True))]
    counts = {k: sum(1 for _, d in G.nodes(data=True) if d.get("kind") == k) for k in kinds}
    rows = []
    for k in kinds:
        _, _, _, colour, shape = KINDS[k]
        svg = SWATCH[shape].format(c=colour)
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
            f'{SWATCH["dot"].format(c=colour)}</svg>'
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
    out.append(f'<p class="lg-hint" id="lg-edges-note">{html.escape(ui["edges_note"])}</p>')
    return "".join(out)


def safe_link(href: str) -> str | None:
    """``href`` if it is a relative path or an http(s) URL (never javascript: or data:)."""
    text = str(href).strip()
    scheme = text.split(":", 1)[0].lower() if ":" in text.split("/", 1)[0] else ""
    return text if scheme in ("", "http", "https") and text else None


def panel(G: nx.MultiDiGraph, lang: str, heading: str, kind_names: dict[str, str],
          status_names: dict[str, str], report_link: str | None = None) -> str:
    """The side panel's markup."""
    ui = UI[lang]
    e = html.escape
    href = safe_link(report_link) if report_link else None
    report = (f'<a id="lg-report" href="{e(href, quote=True)}">{e(ui["report"])} →</a>'
              if href else "")
    return f"""
<div id="lg-panel">
  <h2 id="lg-heading">{e(heading)}</h2>{report}
  <div id="lg-counts">{G.number_of_nodes()} {e(ui["nodes"])} · {G.number_of_edges()} {e(ui["edges"])}
    <span id="lg-progress"></span></div>
  <div class="lg-search"><input id="lg-search" placeholder="{e(ui["search"])}" autocomplete="off"
     role="combobox" aria-expanded="false" aria-controls="lg-matches" aria-autocomplete="list"
     aria-label="{e(ui["search"])}"><button id="lg-find">{e(ui["find"])}</button></div>
  <ul id="lg-matches" role="listbox" hidden></ul>
  <div id="lg-message" role="status"></div>
  {legend(G, lang, kind_names, status_names)}
  <h3>{e(ui["cell"])}</h3><select id="lg-cell"><option value="">{e(ui["any"])}</option></select>
  <h3>{e(ui["sponsor"])}</h3><select id="lg-sponsor"><option value="">{e(ui["any"])}</option></select>
  <div class="lg-buttons"><label><input type="checkbox" id="lg-physics" checked>
    {e(ui["physics"])}</label><button id="lg-reset">{e(ui["reset"])}</button></div>
  <div class="lg-buttons"><span>{e(ui["export"])}</span><span><button id="lg-png">PNG</button>
    <button id="lg-svg">SVG</button></span></div>
  <div id="lg-hint" class="lg-hint"></div>
  <div id="lg-info"><p class="lg-hint">{e(ui["details"])}</p></div>
</div>
"""
