"""The network as one self-contained HTML page (pyvis / vis-network), readable offline.

``render_html(G)`` draws a graph made by :func:`livergraph.viz.view.to_networkx`:

* every script and style is inlined (pyvis ``cdn_resources="in_line"``; the CDN tags its
  template still carries are removed; the page's own script and style are the package files
  ``viz/assets/page.js`` and ``page.css``), so the file works opened from disk, with no network;
* node kinds differ by colour and shape, with a legend; trials are coloured by status; edges
  are labelled with their relation or with the summarised measurements;
* readable at first sight: the view is fitted; labels keep one size on screen at every zoom;
  only the most connected visible nodes' labels show until the reader zooms in
  (``OVERVIEW_LABELS``, ``leaf_nodes``), and
  a label that would cover another gives way to the more connected node's
  (``label_priority``);
* hovering shows a node's key facts, clicking shows all of them with links out; search with a
  list of matches (exact before prefix before substring; English, and traditional or
  simplified Chinese alike, through :func:`livergraph.io.chinese.search_key`); filters by
  kind, status, cell source and sponsor that re-fit the view; a focus node selected and
  centred; PNG and SVG export; a link to the evidence report when one is given;
* text from the data never becomes markup: node and edge data travel as JSON (``<``, ``>``
  and ``&`` escaped) and the page writes it with ``textContent``; tooltips are DOM elements,
  not HTML strings; only http(s) links are made clickable.

The page exposes ``window.livergraph`` (state and actions) for the browser tests.
"""
from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any
from unicodedata import east_asian_width

import networkx as nx

from livergraph.io.chinese import search_key
from livergraph.viz.panel import DOCUMENT_ICON, ISSUE_COLOUR, UI, panel
from livergraph.viz.styles import KINDS, PROVENANCE_KINDS, STUDY_KINDS, WORDS, node_colour

LABEL_MAX = 40
ISSUE_FACT = {lang: words["issue"] for lang, words in WORDS.items()}
#: kinds whose labels show at every zoom when the node has more than one neighbour
_ALWAYS_LABELLED = frozenset({"trial", "study", "sponsor", "cell-type", "tissue", "condition",
                              "route", "publication"})

#: vis-network options: forceAtlas2Based without improvedLayout settles in seconds (TOOLING.md)
VIS_OPTIONS = {
    "autoResize": True,
    "layout": {"improvedLayout": False, "randomSeed": 7},
    "physics": {
        "enabled": True,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -60, "centralGravity": 0.01,
                             "springLength": 120, "springConstant": 0.08, "avoidOverlap": 0.5},
        "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 25,
                          "fit": True},
        "minVelocity": 1.0,
    },
    "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True,
                    "multiselect": False},
    "nodes": {"font": {"size": 14, "face": "sans-serif", "color": "#222222",
                       "strokeWidth": 3, "strokeColor": "#ffffff"},
              "borderWidth": 1, "scaling": {"min": 10, "max": 34}},
    "edges": {"font": {"size": 11, "align": "middle", "color": "#555555",
                       "strokeWidth": 3, "strokeColor": "#ffffff"},
              "color": {"color": "#b0b0b0", "highlight": "#444444", "hover": "#666666"},
              "smooth": False, "width": 1,
              "scaling": {"label": {"enabled": False, "drawThreshold": 14}},
              "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}},
}

def layout_options(size: int) -> dict[str, Any]:
    """VIS_OPTIONS with fewer layout iterations for big graphs (nodes + edges), so the page
    settles in seconds: each iteration costs about size × 10 µs in headless Chromium."""
    options: dict[str, Any] = json.loads(json.dumps(VIS_OPTIONS))
    options["physics"]["stabilization"]["iterations"] = max(80, min(400, 300_000 // max(size, 1)))
    return options



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


def _json_for_script(value: Any) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' can end the element or start markup."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _short(text: str, limit: int = LABEL_MAX) -> str:
    """``text`` on one line, cut to ``limit`` columns with an ellipsis; a wide (CJK)
    character takes two columns, as it takes about twice the room on screen."""
    text = " ".join(str(text).split())
    widths = [2 if east_asian_width(c) in ("W", "F") else 1 for c in text]
    if sum(widths) <= limit:
        return text
    used = cut = 0
    for w in widths:
        if used + w > limit - 1:
            break
        used, cut = used + w, cut + 1
    return text[:cut].rstrip() + "…"



@lru_cache(maxsize=8)
def asset(name: str) -> str:
    """The text of a file of the page (``viz/assets/NAME``), from the installed package."""
    return files("livergraph.viz").joinpath("assets", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _han_folding() -> dict[str, str]:
    """Every CJK unified ideograph whose :func:`search_key` differs from itself (traditional
    and variant forms -> the simplified one), computed once with OpenCC."""
    chars = [chr(c) for c in range(0x4E00, 0xA000)]
    folded = search_key("\n".join(chars)).split("\n")
    if len(folded) != len(chars):  # pragma: no cover - OpenCC keeps line breaks
        folded = [search_key(c) for c in chars]
    return {c: f for c, f in zip(chars, folded) if f != c and len(f) == 1}


def folding_for(texts: Iterable[str]) -> dict[str, str]:
    """The part of the character folding a page needs: the characters a reader may type that
    fold to a character of ``texts``' search keys (so 幹細胞, 干細胞 and 干细胞 all find 干细胞)."""
    wanted = set("".join(search_key(t) for t in texts))
    return {c: f for c, f in sorted(_han_folding().items()) if f in wanted}


def _keys(d: dict[str, Any]) -> list[str]:
    """Search keys of a node: its label first, then its name and other names."""
    texts = [str(d.get("label", "")), str(d.get("name", ""))] + [str(a) for a in
                                                                 d.get("aliases", ())]
    return list(dict.fromkeys(search_key(t) for t in texts if t))


#: before the reader zooms in, at most this many labels show: the most connected visible
#: nodes that are not leaves (all visible nodes when no more than this many are left)
OVERVIEW_LABELS = 30


def label_priority(G: nx.MultiDiGraph) -> dict[str, int]:
    """The order in which labels claim room on screen (0 first): nodes of the labelled kinds
    with more than one neighbour (not counting source documents) by how many they have (ties:
    studies, trials, conditions, cell types ... then by label), then every other node."""
    order = {k: i for i, k in enumerate(("study", "trial", "condition", "cell-type", "tissue",
                                         "route", "sponsor", "publication"))}
    keys = []
    for node, d in G.nodes(data=True):
        neighbours = {n for n in nx.all_neighbors(G, node)
                      if n != node and G.nodes[n].get("kind") not in PROVENANCE_KINDS}
        labelled = d.get("kind") in _ALWAYS_LABELLED and len(neighbours) > 1
        keys.append((0 if labelled else 1, -len(neighbours), order.get(d.get("kind"), 9),
                     str(d.get("label", node)), node))
    return {key[-1]: i for i, key in enumerate(sorted(keys))}


def leaf_nodes(G: nx.MultiDiGraph) -> set[str]:
    """The nodes whose labels wait until the view is zoomed in (or only a few nodes are left):
    leaves (one neighbour or none, not counting source documents) and kinds that are many and
    small (outcome measures, source documents)."""
    leaves = set()
    for node, d in G.nodes(data=True):
        neighbours = {n for n in nx.all_neighbors(G, node)
                      if n != node and G.nodes[n].get("kind") not in PROVENANCE_KINDS}
        if d.get("kind") not in _ALWAYS_LABELLED or len(neighbours) <= 1:
            leaves.add(node)
    return leaves


def render_html(G: nx.MultiDiGraph, *, lang: str = "en", heading: str = "livergraph",
                kind_names: dict[str, str] | None = None,
                status_names: dict[str, str] | None = None,
                focus: Iterable[str] = (), report_link: str | None = None) -> str:
    """The page for ``G`` (a graph from ``view.to_networkx``), as one HTML string; ``focus``
    nodes are selected and centred once the layout settles; ``report_link`` (a relative path
    or http(s) URL, e.g. ``report.html``) adds a link to the evidence report. ``G`` is only
    read."""
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
    priority = label_priority(G)
    leaves = leaf_nodes(G)
    info = {}
    for node in sorted(G.nodes):
        d = G.nodes[node]
        kind = d.get("kind", "")
        shape = KINDS.get(kind, (None, "", "", "#999999", "dot"))[4]
        size: dict[str, Any] = ({} if shape in _LABEL_INSIDE else
                                {"value": max(1, degree.get(node, 0))})
        if shape == "image":
            size = {"image": DOCUMENT_ICON, "size": 22}
        colour: Any = node_colour(d)
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
                      "keys": _keys(d), "leaf": node in leaves,
                      "prio": priority[node],
                      "facts": [[str(k), str(v)] for k, v in d.get("facts", ())],
                      "links": [[str(k), str(v)] for k, v in d.get("links", ())]}
    for i, (u, v, k, d) in enumerate(sorted(G.edges(keys=True, data=True),
                                            key=lambda e: (e[0], e[1], e[2]))):
        style = {}
        if G.nodes[v].get("kind") in PROVENANCE_KINDS or G.nodes[u].get("kind") in \
                PROVENANCE_KINDS:
            # provenance: drawn, but not a spring (one article would pull everything together)
            # and its label ("derived from") shows only when one of its ends is selected
            style = {"physics": False, "dashes": True,
                     "font": {"color": "rgba(0,0,0,0)", "strokeWidth": 0}}
        net.add_edge(u, v, id=f"e{i}", label=_short(d.get("label", k), 60),
                     relation=d.get("relation", k), details=str(d.get("details", "")), **style)
    net.options = layout_options(G.number_of_nodes() + G.number_of_edges())
    page = strip_external(net.generate_html())
    page = _EMPTY_HEADING.sub("", page)
    texts = [t for entry in info.values() for t in [entry["label"], entry["name"],
                                                     *entry["aliases"]]]
    data = {"ui": UI[lang], "nodes": info, "kindNames": kind_names,
            "issueKey": ISSUE_FACT[lang], "studyKinds": list(STUDY_KINDS),
            "focus": [n for n in focus if n in G], "fold": folding_for(texts),
            "overviewLabels": OVERVIEW_LABELS}
    head = (f"<title>{html.escape(heading)}</title>\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<style>{asset('page.css')}</style>\n")
    page = page.replace("</head>", head + "</head>", 1)
    side = panel(G, lang, heading, kind_names, status_names, report_link)
    page = re.sub(r"<body>", lambda m: "<body>" + side, page, count=1)
    tail = (f'<script type="application/json" id="lg-data">{_json_for_script(data)}</script>\n'
            f"<script>{asset('page.js')}</script>\n")
    idx = page.rfind("</body>")
    page = page[:idx] + tail + page[idx:]
    if not page.lstrip().lower().startswith("<!doctype"):
        page = "<!DOCTYPE html>\n" + page
    page = page.replace("<html>", f'<html lang="{"zh-Hant" if lang == "zh" else "en"}">', 1)
    return page


def write_html(G: nx.MultiDiGraph, out_path: str | Path, **kwargs: Any) -> Path:
    """Write the page atomically (one file; nothing else is created). Returns the path."""
    from livergraph.io.atomic import write_atomic
    out = Path(out_path)
    page = render_html(G, **kwargs)
    write_atomic(out, lambda h: h.write(page))
    return out
