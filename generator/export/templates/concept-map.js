// The concept map's behaviour: search, filters, neighbourhood view, side panel and deep links.
// Text from the notes only ever reaches the page through textContent; the one exception is a
// card's answer, which is HTML our own renderer produced (and escaped).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("deckgraph-data").textContent);
  // A panel lists its cards by GUID (each card's HTML is in the page once): resolve them once here.
  Object.keys(data.concepts).forEach(function (name) {
    var info = data.concepts[name];
    info.cards = info.cards.map(function (guid) { return data.cards[guid]; });
  });
  var $ = function (id) { return document.getElementById(id); };
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network($("map"), { nodes: nodes, edges: edges }, data.options);
  var state = { hiddenTopics: {}, hiddenTypes: {}, selected: null, depth: 0, labels: !data.big };
  var api = window.deckgraphMap = {
    ready: false, network: network, nodeCount: data.nodes.length, edgeCount: data.edges.length,
    selected: null, select: select, search: search, clear: clear, setDepth: setDepth,
    studyPath: false, toggleStudyPath: toggleStudyPath,
    visibleCount: function () { return nodes.get({ filter: function (n) { return !n.hidden; } }).length; }
  };

  // Who is next to whom, once, for the neighbourhood view and the panel.
  var adjacent = {};
  data.nodes.forEach(function (n) { adjacent[n.id] = []; });
  data.edges.forEach(function (e) {
    adjacent[e.from].push({ edge: e, other: e.to });
    adjacent[e.to].push({ edge: e, other: e.from });
  });

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // --- filters and neighbourhood --------------------------------------------------------------
  function withinDepth() {
    if (!state.selected || state.depth <= 0) return null;
    var seen = {}, frontier = [state.selected];
    seen[state.selected] = true;
    for (var step = 0; step < state.depth; step++) {
      var next = [];
      frontier.forEach(function (id) {
        adjacent[id].forEach(function (a) {
          if (!seen[a.other] && !state.hiddenTypes[a.edge.type]) { seen[a.other] = true; next.push(a.other); }
        });
      });
      frontier = next;
    }
    return seen;
  }

  function applyFilters() {
    var near = withinDepth(), nodeChanges = [], edgeChanges = [], shown = {};
    nodes.forEach(function (n) {
      var hidden = !!state.hiddenTopics[n.topic] || (near !== null && !near[n.id]);
      if (n.id === state.selected) hidden = false;
      if (!hidden) shown[n.id] = true;
      if (!!n.hidden !== hidden) nodeChanges.push({ id: n.id, hidden: hidden });
    });
    edges.forEach(function (e) {
      var hidden = !!state.hiddenTypes[e.type] || !shown[e.from] || !shown[e.to];
      if (!!e.hidden !== hidden) edgeChanges.push({ id: e.id, hidden: hidden });
    });
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (edgeChanges.length) edges.update(edgeChanges);
    $("stats").textContent = Object.keys(shown).length + " of " + data.nodes.length + " concepts shown";
  }

  function setDepth(depth) {
    state.depth = Math.max(0, Math.min(6, parseInt(depth, 10) || 0));
    $("depth").value = String(state.depth);
    applyFilters();
    if (state.selected && state.depth > 0) network.fit({ nodes: Object.keys(withinDepth() || {}), animation: false });
  }

  function legendRow(container, swatchClass, colour, label, count, onToggle) {
    var row = el("label", "check"), box = el("input"), swatch = el("span", swatchClass);
    box.type = "checkbox"; box.checked = true;
    swatch.style.background = colour;
    box.addEventListener("change", function () { onToggle(!box.checked); applyFilters(); });
    row.append(box, swatch, el("span", null, label), el("span", "count", count));
    container.appendChild(row);
  }

  function buildLegend() {
    var topicCounts = {}, typeCounts = {};
    data.nodes.forEach(function (n) { topicCounts[n.topic] = (topicCounts[n.topic] || 0) + 1; });
    data.edges.forEach(function (e) { typeCounts[e.type] = (typeCounts[e.type] || 0) + 1; });
    Object.keys(data.topics).sort().forEach(function (topic) {
      legendRow($("topic-legend"), "swatch", data.topics[topic], topic, topicCounts[topic] || 0,
        function (off) { state.hiddenTopics[topic] = off; });
    });
    Object.keys(data.edgeTypes).forEach(function (type) {
      if (!typeCounts[type]) return;
      legendRow($("edge-legend"), "line", data.edgeTypes[type], type.replace(/_/g, " "), typeCounts[type],
        function (off) { state.hiddenTypes[type] = off; });
    });
    $("edge-labels").checked = state.labels;
    $("edge-labels").addEventListener("change", function () {
      state.labels = $("edge-labels").checked;
      edges.update(data.edges.filter(function (e) { return e.type !== "related"; }).map(function (e) {
        // vis keeps a label once set; a zero font size is what stops it being drawn.
        return { id: e.id, label: e.type.replace(/_/g, " "), font: { size: state.labels ? 10 : 0 } };
      }));
    });
  }

  // --- search ---------------------------------------------------------------------------------
  var names = data.nodes.map(function (n) {
    var info = data.concepts[n.id] || { aliases: [], cards: [] };
    return { id: n.id, label: info.label || n.id, cards: info.cards.length,
             keys: [n.id, info.label || n.id].concat(info.aliases).map(function (s) { return fold(s); }) };
  });

  // Any alias in any script: NFKC (full-width letters, compatibility ideographs), case, dashes, spaces.
  function fold(text) {
    var s = String(text);
    if (s.normalize) s = s.normalize("NFKC");
    return s.toLowerCase().replace(/[\u2010-\u2015\u2212\-\s\u3000_]+/g, "");
  }

  function search(query) {
    var q = fold(query || ""), ranked = [];
    if (!q) { showResults([]); return null; }
    names.forEach(function (n) {
      var best = 9;
      n.keys.forEach(function (k) {
        if (k === q) best = Math.min(best, 0);
        else if (k.indexOf(q) === 0) best = Math.min(best, 1);
        else if (k.indexOf(q) > 0) best = Math.min(best, 2);
      });
      if (best < 9) ranked.push({ id: n.id, label: n.label, rank: best, cards: n.cards });
    });
    ranked.sort(function (a, b) { return a.rank - b.rank || b.cards - a.cards || (a.id < b.id ? -1 : 1); });
    showResults(ranked.slice(0, 8));
    if (ranked.length) focus(ranked[0].id, false);
    return ranked.length ? ranked[0].id : null;
  }

  function showResults(items) {
    var list = $("results");
    list.textContent = "";
    items.forEach(function (item, i) {
      var li = el("li");
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === 0 ? "true" : "false");
      li.append(el("span", null, item.label), el("span", "meta", item.cards + " cards"));
      li.addEventListener("mousedown", function (event) { event.preventDefault(); select(item.id); list.hidden = true; });
      list.appendChild(li);
    });
    list.hidden = !items.length;
  }

  // --- selection and panel --------------------------------------------------------------------
  function focus(id, openPanel) {
    if (!adjacent[id]) return false;
    state.selected = id;
    api.selected = id;
    if (nodes.get(id).hidden) { state.hiddenTopics = {}; resetChecks($("topic-legend")); }
    applyFilters();
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.1), offset: panelOffset(openPanel), animation: false });
    if (openPanel) showPanel(id);
    return true;
  }

  // Keep the focused concept clear of the side panel (beside it on wide screens, above it on phones).
  function panelOffset(openPanel) {
    if (!openPanel) return { x: 0, y: 0 };
    return window.innerWidth <= 700 ? { x: 0, y: -Math.round(window.innerHeight * 0.25) }
                                    : { x: -Math.round(Math.min(440, window.innerWidth * 0.46) / 2), y: 0 };
  }

  function select(id) {
    if (!focus(id, true)) return false;
    var hash = "#" + encodeURIComponent(id);
    if (location.hash !== hash) history.replaceState(null, "", hash);
    return true;
  }

  function clear() {
    state.selected = null; api.selected = null;
    network.unselectAll();
    $("panel").hidden = true;
    applyFilters();
  }

  function resetChecks(container) {
    container.querySelectorAll("input").forEach(function (box) { box.checked = true; });
  }

  function showPanel(id) {
    var info = data.concepts[id], body = $("panel-body");
    body.textContent = "";
    var chip = el("span", "chip", info.topic);
    chip.style.background = data.topics[info.topic] || "#78909c";
    body.append(el("h2", null, info.label || id), chip);
    if (info.aliases.length) body.appendChild(el("p", "aliases", "Also: " + info.aliases.join(", ")));
    if (info.definition) body.appendChild(el("p", "definition", info.definition));
    if (info.definedAt) body.appendChild(el("p", "where", "Defined at " + info.definedAt));
    body.appendChild(el("h3", null, "Relations"));
    var order = ["extends", "variant_of", "simplifies", "alternative_to", "uses", "part_of", "precedes", "contrasts_with"];
    var relations = adjacent[id].filter(function (a) { return a.edge.type !== "related"; }).sort(function (x, y) {
      return order.indexOf(x.edge.type) - order.indexOf(y.edge.type) || (x.other < y.other ? -1 : 1);
    });
    var related = adjacent[id].filter(function (a) { return a.edge.type === "related"; });
    if (!relations.length) body.appendChild(el("p", "where", "No typed relations found."));
    relations.forEach(function (a) { body.appendChild(relationItem(a, id)); });
    if (related.length) {
      var p = el("p", "where", "Named on the same cards as: ");
      related.sort(function (x, y) { return y.edge.width - x.edge.width; }).slice(0, 12).forEach(function (a, i) {
        if (i) p.appendChild(document.createTextNode(", "));
        p.appendChild(conceptLink(a.other));
      });
      body.appendChild(p);
    }
    body.appendChild(el("h3", null, "Cards (" + info.cards.length + ")"));
    info.cards.forEach(function (card) { body.appendChild(cardItem(card)); });
    $("panel").hidden = false;
    $("panel").scrollTop = 0;
  }

  function labelOf(id) { return (data.concepts[id] && data.concepts[id].label) || id; }

  function conceptLink(id) {
    var link = el("span", "name", labelOf(id));
    link.tabIndex = 0;
    link.addEventListener("click", function () { select(id); });
    return link;
  }

  function relationItem(a, id) {
    var r = data.relations[a.edge.id], item = el("div", "rel"), line = el("div");
    [r.subject, " " + r.verb + " ", r.object].forEach(function (part, i) {
      line.appendChild(i === 1 ? document.createTextNode(part) : (part === id ? el("strong", null, labelOf(part)) : conceptLink(part)));
    });
    var list = el("ul");
    r.evidence.forEach(function (ev) {
      var li = el("li", null, ev.text + " ");
      li.appendChild(el("span", "loc", ev.location));
      list.appendChild(li);
    });
    item.append(line, list);
    return item;
  }

  function cardItem(card) {
    var box = el("details", "card"), summary = el("summary"), answer = el("div", "answer");
    // Our renderer's HTML, escaped at build time (the plain-text question drops inline tags).
    summary.innerHTML = card.questionHtml;
    answer.innerHTML = card.answer;
    showTexSource(summary);
    showTexSource(answer);
    box.append(summary, el("div", "loc", card.location + (card.context ? " · " + card.context : "")), answer);
    return box;
  }

  // Without a network there is no MathJax: show \( … \) and \[ … \] as legible TeX source.
  function showTexSource(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), texts = [];
    while (walker.nextNode()) texts.push(walker.currentNode);
    texts.forEach(function (node) {
      var text = node.nodeValue, pattern = /\\\(([\s\S]+?)\\\)|\\\[([\s\S]+?)\\\]/g, match, last = 0;
      if (!pattern.test(text)) return;
      pattern.lastIndex = 0;
      var frag = document.createDocumentFragment();
      while ((match = pattern.exec(text))) {
        frag.appendChild(document.createTextNode(text.slice(last, match.index)));
        frag.appendChild(el("code", match[2] !== undefined ? "tex display" : "tex", (match[1] || match[2]).trim()));
        last = pattern.lastIndex;
      }
      frag.appendChild(document.createTextNode(text.slice(last)));
      node.parentNode.replaceChild(frag, node);
    });
  }

  // --- study path: concepts in the order new cards introduce them ------------------------------
  var steps = {};
  (data.studyPath || []).forEach(function (s) { steps[s.id] = s.step; });

  function toggleStudyPath(on) {
    on = on === undefined ? !api.studyPath : Boolean(on);
    api.studyPath = on;
    $("study-toggle").setAttribute("aria-pressed", String(on));
    nodes.update(data.nodes.map(function (n) {
      return { id: n.id, label: on && steps[n.id] ? steps[n.id] + ". " + n.label : n.label };
    }));
    if (on) showStudyPath(); else $("panel").hidden = true;
    return on;
  }

  function showStudyPath() {
    var body = $("panel-body");
    body.textContent = "";
    body.appendChild(el("h2", null, "Study path"));
    body.appendChild(el("p", "where", "New cards come in this order: prerequisites first (along extends, " +
      "variant of, simplifies, alternative to, precedes and part of), then the order of the notes."));
    var list = el("ol", "study-path");
    list.id = "study-path";
    (data.studyPath || []).forEach(function (s) {
      var item = el("li");
      item.dataset.concept = s.id;
      item.appendChild(conceptLink(s.id));
      if (s.firstCard) item.appendChild(el("span", "where", " — first card #" + s.firstCard));
      list.appendChild(item);
    });
    body.appendChild(list);
    $("panel").hidden = false;
    $("panel").scrollTop = 0;
  }

  // --- wiring ---------------------------------------------------------------------------------
  function fromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id && adjacent[id]) select(id);
  }

  network.on("click", function (params) {
    if (params.nodes.length) select(params.nodes[0]);
  });
  $("search").addEventListener("input", function (event) { search(event.target.value); });
  $("search").addEventListener("keydown", function (event) {
    if (event.key === "Enter") { var id = search(event.target.value); if (id) select(id); $("results").hidden = true; }
    if (event.key === "Escape") { $("results").hidden = true; }
  });
  $("search").addEventListener("blur", function () { $("results").hidden = true; });
  $("depth").addEventListener("input", function (event) { setDepth(event.target.value); });
  $("reset").addEventListener("click", function () { setDepth(0); clear(); network.fit({ animation: false }); });
  $("panel-close").addEventListener("click", function () { $("panel").hidden = true; });
  $("study-toggle").addEventListener("click", function () { toggleStudyPath(); });
  if (!(data.studyPath || []).length) $("study-toggle").hidden = true;
  $("legend-toggle").addEventListener("click", function () {
    var legend = $("legend");
    legend.hidden = !legend.hidden;
    $("legend-toggle").setAttribute("aria-expanded", String(!legend.hidden));
  });
  window.addEventListener("hashchange", fromHash);
  buildLegend();
  $("origin-legend").hidden = !data.edges.some(function (e) { return e.origin === "vocabulary"; });
  applyFilters();
  if (window.matchMedia("(min-width: 1200px)").matches) $("legend").hidden = false;
  $("legend-toggle").setAttribute("aria-expanded", String(!$("legend").hidden));
  // On a phone a map fitted whole draws its labels too small to read: start at a scale where a
  // label is at least READABLE_PX tall, on the concept with the most cards (pan and search for the rest).
  var READABLE_PX = 12, FONT = 16;
  function readableStart() {
    if (window.innerWidth > 700 || !data.nodes.length || network.getScale() * FONT >= READABLE_PX) return;
    var biggest = names.slice().sort(function (a, b) { return b.cards - a.cards; })[0];
    network.moveTo({ position: network.getPosition(biggest.id), scale: READABLE_PX / FONT, animation: false });
  }
  api.labelPixels = function () { return network.getScale() * FONT; };
  network.once("afterDrawing", function () {
    readableStart();
    fromHash();
    api.ready = true;
  });
})();
