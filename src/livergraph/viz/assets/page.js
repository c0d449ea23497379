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
               visible: new Set(ids), highlighted: null, settled: false, settleMs: null,
               focus: []};
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

  // labels: the same size on screen at every zoom (LABEL_PX); leaves and the less connected
  // only once zoomed in or few are left; none drawn over another (the more connected wins)
  var LABEL_PX = 13, MAX_FONT = 60, DETAIL_SCALE = 0.85, TINY = 2;
  var CLEAR = "rgba(0,0,0,0)", DIM = "rgba(200,200,200,0.35)";
  var INSIDE = {box: 1, ellipse: 1, circle: 1, database: 1, text: 1};
  var view = {size: 14, detail: true, shown: new Set(), culled: 0};
  var drawn = {};                  // id -> {text, inside} as first drawn
  nodes.forEach(function (n) { drawn[n.id] = {text: String(n.label || ""), inside: !!INSIDE[n.shape]}; });
  function keepSet() {
    var id = state.highlighted;
    return id ? new Set([id].concat(Array.from(adj[id]))) : null;
  }
  function textWidth(text) {       // in em: CJK characters are square, others about 0.6
    var w = 0;
    for (var i = 0; i < text.length; i++) w += text.charCodeAt(i) >= 0x2e80 ? 1.0 : 0.6;
    return w;
  }
  function chooseLabels(keep) {
    var visible = ids.filter(function (id) { return state.visible.has(id); });
    var few = visible.length <= D.overviewLabels;
    var major = new Set(visible.filter(function (id) { return !info[id].leaf; })
      .sort(function (a, b) { return info[a].prio - info[b].prio; }).slice(0, D.overviewLabels));
    var candidates = visible.filter(function (id) {
      return view.detail || few || major.has(id) || (keep && keep.has(id)); });
    candidates.sort(function (a, b) {
      function rank(id) { return id === state.highlighted ? -2 : (keep && keep.has(id) ? -1 : 0); }
      return rank(a) - rank(b) || info[a].prio - info[b].prio; });
    var pos = network.getPositions(candidates), f = view.size, cell = f * 12, grid = {};
    var shown = new Set(), culled = 0;
    candidates.forEach(function (id) {
      var p = pos[id], d = drawn[id], w = (textWidth(d.text) + 1) * f, h = 1.4 * f;
      var cy = d.inside ? p.y : p.y + 14 + h / 2;
      var box = [p.x - w / 2, cy - h / 2, p.x + w / 2, cy + h / 2];
      var gx0 = Math.floor(box[0] / cell), gx1 = Math.floor(box[2] / cell);
      var gy0 = Math.floor(box[1] / cell), gy1 = Math.floor(box[3] / cell), gx, gy, k, clash = false;
      for (gx = gx0; gx <= gx1 && !clash; gx++) for (gy = gy0; gy <= gy1 && !clash; gy++) {
        (grid[gx + "," + gy] || []).forEach(function (o) {
          if (box[0] < o[2] && o[0] < box[2] && box[1] < o[3] && o[1] < box[3]) clash = true; });
      }
      if (clash) { culled++; return; }
      shown.add(id);
      for (gx = gx0; gx <= gx1; gx++) for (gy = gy0; gy <= gy1; gy++) {
        k = gx + "," + gy; (grid[k] = grid[k] || []).push(box); }
    });
    view.shown = shown; view.culled = culled;
  }
  function restyle() {
    var keep = keepSet();
    chooseLabels(keep);
    nodes.update(ids.map(function (n) {
      var on = !keep || keep.has(n);
      var font = view.shown.has(n)
        ? {size: view.size, color: on ? "#222222" : "rgba(80,80,80,0.3)", strokeWidth: 3}
        : {size: TINY, color: CLEAR, strokeWidth: 0};    // a tiny clear label: boxes stay small
      return {id: n, color: on ? baseColour[n] : DIM, font: font};
    }));
    document.getElementById("lg-hint").textContent =
      view.shown.size < state.visible.size ? ui.zoom_hint : "";
  }
  function sizeLabels(force) {
    var s = network.getScale();
    var size = Math.min(MAX_FONT, LABEL_PX / s);
    var detail = s >= DETAIL_SCALE - 1e-6;
    if (!force && Math.abs(size - view.size) < 0.01 && detail === view.detail) return;
    view.size = size; view.detail = detail;
    restyle();
  }
  function highlight(id) {
    state.highlighted = id || null;
    restyle();
    edges.update(edges.get().map(function (e) {
      var on = !id || e.from === id || e.to === id;
      var text = on && (id || !e.dashes);     // provenance labels only around a selection
      return {id: e.id, color: {opacity: on ? 1.0 : 0.15},
              font: {color: text ? "#555555" : CLEAR, strokeWidth: text ? 3 : 0}};
    }));
  }
  function fitVisible() {
    var shown = Array.from(state.visible);
    if (shown.length) {        // fitted, with a margin for the labels of the outermost nodes
      network.fit({nodes: shown, animation: false});
      network.moveTo({scale: network.getScale() * 0.92, animation: false});
    }
    sizeLabels(true);
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
    if (state.settled) fitVisible();        // the view follows the filters
    return Array.from(visible);
  }

  // search: the typed text folded like the keys (case, full/halfwidth, traditional/simplified)
  function fold(text) {
    var out = "";
    Array.from(String(text || "").normalize("NFKC")).forEach(function (ch) {
      out += D.fold[ch] || ch; });
    return out.toLowerCase().trim();
  }
  function wordStart(key, q) {
    var at = key.indexOf(q);
    while (at >= 0) {
      if (at === 0 || !/[\p{L}\p{N}]/u.test(key.charAt(at - 1)) ||
          /[\u3400-\u9fff]/.test(q.charAt(0))) return true;
      at = key.indexOf(q, at + 1);
    }
    return false;
  }
  function rank(id, q) {      // lower is better; -1: no match
    var keys = info[id].keys, label = keys[0] || "", rest = keys.slice(1);
    if (label === q) return 0;
    if (rest.indexOf(q) >= 0) return 1;
    if (label.indexOf(q) === 0) return 2;
    if (rest.some(function (k) { return k.indexOf(q) === 0; })) return 3;
    if (wordStart(label, q)) return 4;
    if (rest.some(function (k) { return wordStart(k, q); })) return 5;
    if (label.indexOf(q) >= 0) return 6;
    if (rest.some(function (k) { return k.indexOf(q) >= 0; })) return 7;
    return -1;
  }
  function matches(query) {
    var q = fold(query);
    if (!q) return [];
    var hits = [];
    ids.forEach(function (id) { var r = rank(id, q); if (r >= 0) hits.push([r, id]); });
    hits.sort(function (a, b) {
      var la = info[a[1]].label, lb = info[b[1]].label;
      return a[0] - b[0] || la.length - lb.length || (la < lb ? -1 : la > lb ? 1 : 0); });
    return hits.map(function (h) { return h[1]; });
  }
  var list = {ids: [], active: -1};
  var matchBox = document.getElementById("lg-matches");
  var input = document.getElementById("lg-search");
  function closeList() {
    matchBox.hidden = true; matchBox.textContent = ""; list.ids = []; list.active = -1;
    input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant");
  }
  function showList(query) {
    var found = matches(query), msg = document.getElementById("lg-message");
    closeList();
    msg.textContent = "";
    if (!fold(query)) return found;
    if (!found.length) { msg.textContent = ui.no_match + ": " + query; return found; }
    list.ids = found.slice(0, 50);
    list.ids.forEach(function (id, i) {
      var li = el("li", null, "lg-match");
      li.id = "lg-m-" + i; li.setAttribute("role", "option"); li.dataset.node = id;
      li.appendChild(el("span", info[id].label, "lg-match-label"));
      li.appendChild(el("span", D.kindNames[info[id].kind] || info[id].kind, "lg-match-kind"));
      if (!state.visible.has(id)) li.classList.add("lg-hidden");
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(id); });
      matchBox.appendChild(li);
    });
    msg.textContent = found.length + " " + ui.matches;
    matchBox.hidden = false; input.setAttribute("aria-expanded", "true");
    return found;
  }
  function setActive(i) {
    var items = matchBox.querySelectorAll("li");
    if (!items.length) return;
    list.active = (i + items.length) % items.length;
    items.forEach(function (li, j) { li.setAttribute("aria-selected", j === list.active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", items[list.active].id);
    items[list.active].scrollIntoView({block: "nearest"});
  }
  function choose(found) {
    var msg = document.getElementById("lg-message");
    closeList();
    msg.textContent = state.visible.has(found) ? "" : info[found].label + ": " + ui.hidden;
    network.selectNodes([found]);
    network.focus(found, {scale: Math.max(1.3, network.getScale()), animation: false});
    sizeLabels(false);
    showInfo(found);
    highlight(found);
    return found;
  }
  function search(query) {     // the best match, chosen; the list of matches stays open
    var found = matches(query);
    if (!found.length) { showList(query); return null; }
    choose(found[0]);
    showList(query);
    return found[0];
  }

  // the controls
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
  document.getElementById("lg-find").addEventListener("click", function () {
    var found = matches(input.value);
    if (found.length) choose(found[0]); else showList(input.value); });
  input.addEventListener("input", function () { showList(input.value); });
  input.addEventListener("blur", function () { setTimeout(closeList, 150); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (matchBox.hidden) showList(input.value);
      setActive(list.active + (ev.key === "ArrowDown" ? 1 : -1)); ev.preventDefault();
    } else if (ev.key === "Enter") {
      if (list.active >= 0 && list.ids[list.active]) choose(list.ids[list.active]);
      else { var found = matches(input.value);
             if (found.length) choose(found[0]); else showList(input.value); }
      ev.preventDefault();
    } else if (ev.key === "Escape") { closeList(); }
  });
  document.getElementById("lg-reset").addEventListener("click", function () {
    state.hiddenKinds.clear(); state.hiddenStatuses.clear(); state.cell = ""; state.sponsor = "";
    cell.value = ""; sponsor.value = "";
    document.querySelectorAll("input.lg-kind, input.lg-status").forEach(function (b) { b.checked = true; });
    highlight(null); network.unselectAll(); showInfo(null); applyFilters();
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
    fitVisible();
    var focus = D.focus.filter(function (id) { return info[id]; });
    if (focus.length) {                    // viz --focus: selected, centred, its facts shown
      network.selectNodes(focus);
      // centred on the focus, zoomed so that the whole neighbourhood stays in view
      var pos = network.getPositions(), c = pos[focus[0]], dx = 1, dy = 1;
      state.visible.forEach(function (id) {
        dx = Math.max(dx, Math.abs(pos[id].x - c.x)); dy = Math.max(dy, Math.abs(pos[id].y - c.y)); });
      var box = document.getElementById("mynetwork").getBoundingClientRect();
      var scale = Math.min(box.width / (2 * dx + 120), box.height / (2 * dy + 120));
      network.moveTo({position: c, scale: scale, animation: false});
      sizeLabels(true);
      state.focus = focus;
      showInfo(focus[0]); highlight(focus[0]);
    }
  }
  var zoomTimer = null;
  network.on("zoom", function () {
    clearTimeout(zoomTimer); zoomTimer = setTimeout(function () { sizeLabels(false); }, 60); });
  network.once("stabilizationIterationsDone", settled);
  network.once("stabilized", settled);
  if (ids.length === 0) settled();

  // export: the canvas as PNG; the visible network as SVG (built as DOM, so text is escaped)
  function pngDataUrl() {
    var c = document.querySelector("#mynetwork canvas");
    var out = document.createElement("canvas");
    out.width = c.width; out.height = c.height;
    var x = out.getContext("2d");
    x.fillStyle = "#ffffff"; x.fillRect(0, 0, out.width, out.height); x.drawImage(c, 0, 0);
    return out.toDataURL("image/png");
  }
  function fillOf(id) {
    var c = baseColour[id];
    return typeof c === "string" ? c : (c && c.background) || "#999999";
  }
  function svgText() {
    var NS = "http://www.w3.org/2000/svg";
    var shown = ids.filter(function (id) { return state.visible.has(id); });
    var pos = network.getPositions(shown), pad = 60;
    var xs = shown.map(function (id) { return pos[id].x; }), ys = shown.map(function (id) { return pos[id].y; });
    var x0 = Math.min.apply(null, xs.concat([0])) - pad, y0 = Math.min.apply(null, ys.concat([0])) - pad;
    var w = Math.max.apply(null, xs.concat([0])) + pad - x0, h = Math.max.apply(null, ys.concat([0])) + pad - y0;
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("xmlns", NS);
    svg.setAttribute("viewBox", [x0, y0, w, h].map(Math.round).join(" "));
    svg.setAttribute("width", Math.round(w)); svg.setAttribute("height", Math.round(h));
    svg.setAttribute("font-family", "sans-serif"); svg.setAttribute("font-size", "12");
    function add(tag, attrs, text) {
      var e = document.createElementNS(NS, tag);
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
      if (text !== undefined) e.textContent = text;
      svg.appendChild(e); return e;
    }
    add("rect", {x: x0, y: y0, width: w, height: h, fill: "#ffffff"});
    edges.get().forEach(function (e) {
      if (!(pos[e.from] && pos[e.to])) return;
      add("line", {x1: pos[e.from].x, y1: pos[e.from].y, x2: pos[e.to].x, y2: pos[e.to].y,
                   stroke: "#b0b0b0", "stroke-width": 1});
    });
    shown.forEach(function (id) {
      add("circle", {cx: pos[id].x, cy: pos[id].y, r: 8, fill: fillOf(id), stroke: "#444",
                     "stroke-width": 0.5, "data-kind": info[id].kind});
      add("text", {x: pos[id].x + 11, y: pos[id].y + 4, fill: "#222222"}, info[id].label);
    });
    return new XMLSerializer().serializeToString(svg);
  }
  function download(name, href) {
    var a = document.createElement("a");
    a.href = href; a.download = name; document.body.appendChild(a); a.click(); a.remove();
  }
  document.getElementById("lg-png").addEventListener("click", function () {
    download("livergraph.png", pngDataUrl()); });
  document.getElementById("lg-svg").addEventListener("click", function () {
    var url = URL.createObjectURL(new Blob([svgText()], {type: "image/svg+xml"}));
    download("livergraph.svg", url);
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000); });

  window.livergraph = {state: state, info: info, applyFilters: applyFilters, search: search,
                       matches: matches, fold: fold, choose: choose, highlight: highlight,
                       showInfo: showInfo, fitVisible: fitVisible, pngDataUrl: pngDataUrl,
                       svgText: svgText, view: view};
})();
