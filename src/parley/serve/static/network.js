// The actor network: a small force-directed layout of our own, drawn as SVG. Nodes link to actor pages.
"use strict";
(function () {
  const svg = document.getElementById("network");
  const source = document.getElementById("network-data");
  if (!svg || !source) return;
  const data = JSON.parse(source.textContent);
  const W = 1000, H = 640, NS = "http://www.w3.org/2000/svg";
  const nodes = data.nodes.map((n, i) => Object.assign({}, n, { i: i }));
  const index = new Map(nodes.map((n) => [n.id, n]));
  const edges = data.edges.filter((e) => index.has(e.source) && index.has(e.target))
    .map((e) => Object.assign({}, e, { s: index.get(e.source), t: index.get(e.target) }));
  const quad = (type) => "q-" + String(data.quads[type] || "none").replace(/_/g, "-");
  const maxN = Math.max(1, ...edges.map((e) => e.n));
  const maxW = Math.max(1, ...nodes.map((n) => n.weight || 1));
  for (const n of nodes) n.r = 5 + 13 * Math.sqrt((n.weight || 1) / maxW);

  // start on a circle (deterministic), then relax: repulsion between all, springs along edges, gravity
  nodes.forEach((n, i) => {
    const a = 2 * Math.PI * i / Math.max(1, nodes.length);
    n.x = W / 2 + 260 * Math.cos(a); n.y = H / 2 + 220 * Math.sin(a);
  });
  // Fruchterman-Reingold with gravity (disconnected pairs stay near the middle)
  function relax(steps) {
    // k: the ideal edge length; with gravity g the cloud settles at a radius of about 0.4 * sqrt(W * H)
    const k = 0.62 * Math.sqrt(W * H / Math.max(1, nodes.length)), g = 1.6;
    for (let step = 0; step < steps; step++) {
      const temp = (W / 12) * (1 - step / steps) + 0.5;
      for (const n of nodes) { n.dx = 0; n.dy = 0; }
      for (let a = 0; a < nodes.length; a++) {
        for (let b = a + 1; b < nodes.length; b++) {
          const p = nodes[a], q = nodes[b];
          let dx = p.x - q.x, dy = p.y - q.y;
          let d = Math.sqrt(dx * dx + dy * dy);
          if (d < 0.01) { dx = 0.01 * (a - b); dy = 0.01; d = Math.sqrt(dx * dx + dy * dy); }
          const f = k * k / d;
          p.dx += dx / d * f; p.dy += dy / d * f; q.dx -= dx / d * f; q.dy -= dy / d * f;
        }
      }
      for (const e of edges) {
        const dx = e.t.x - e.s.x, dy = e.t.y - e.s.y;
        const d = Math.sqrt(dx * dx + dy * dy) || 0.01;
        const f = d * d / k * (1 + 0.3 * Math.log(e.n));
        e.s.dx += dx / d * f; e.s.dy += dy / d * f; e.t.dx -= dx / d * f; e.t.dy -= dy / d * f;
      }
      for (const n of nodes) {
        if (n.fixed) continue;
        const gx = W / 2 - n.x, gy = H / 2 - n.y;
        n.dx += gx * g; n.dy += gy * g * 1.4;
        const len = Math.sqrt(n.dx * n.dx + n.dy * n.dy) || 1;
        const lim = Math.min(len, temp);
        n.x = Math.min(W - n.r - 2, Math.max(n.r + 2, n.x + n.dx / len * lim));
        n.y = Math.min(H - n.r - 12, Math.max(n.r + 14, n.y + n.dy / len * lim));
      }
    }
  }
  relax(nodes.length > 150 ? 150 : 300);

  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }
  const defs = el("defs", {}, svg);
  for (const q of ["verbal-cooperation", "material-cooperation", "verbal-conflict", "material-conflict", "none"]) {
    const m = el("marker", { id: "arrow-" + q, viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "9",
                             markerHeight: "9", markerUnits: "userSpaceOnUse", orient: "auto", class: "q-" + q }, defs);
    el("path", { d: "M0,0 L10,5 L0,10 z" }, m);
  }
  const edgeLayer = el("g", { class: "edges" }, svg);
  const nodeLayer = el("g", { class: "nodes" }, svg);
  const lines = edges.map((e) => {
    const q = quad(e.event);
    const line = el("line", { class: "edge " + q, "stroke-width": (1 + 5 * Math.sqrt(e.n / maxN)).toFixed(2),
                              "marker-end": "url(#arrow-" + q.slice(2) + ")", "data-source": e.source,
                              "data-target": e.target, "data-n": e.n }, edgeLayer);
    const title = el("title", {}, line);
    title.textContent = e.s.name + " → " + e.t.name + ": " + e.n + " event" + (e.n === 1 ? "" : "s") + " (" +
      Object.entries(e.types).sort((a, b) => b[1] - a[1]).map(([t, k]) => t + " " + k).join(", ") + ")";
    return line;
  });
  const groups = nodes.map((n) => {
    const a = el("a", { href: "/actors/" + encodeURIComponent(n.id), class: "node", "data-key": n.id }, nodeLayer);
    el("circle", { r: n.r.toFixed(1), class: "kind-" + (n.kind || "none") }, a);
    const label = el("text", { dy: (-n.r - 3).toFixed(1), "text-anchor": "middle" }, a);
    label.textContent = n.name;
    const title = el("title", {}, a);
    title.textContent = n.name + (n.country ? " (" + n.country + ")" : "") + " · " + (n.weight || 0) + " interactions";
    return a;
  });

  function draw() {
    edges.forEach((e, k) => {
      const dx = e.t.x - e.s.x, dy = e.t.y - e.s.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
      lines[k].setAttribute("x1", (e.s.x + dx / d * e.s.r).toFixed(1));
      lines[k].setAttribute("y1", (e.s.y + dy / d * e.s.r).toFixed(1));
      lines[k].setAttribute("x2", (e.t.x - dx / d * (e.t.r + 2)).toFixed(1));
      lines[k].setAttribute("y2", (e.t.y - dy / d * (e.t.r + 2)).toFixed(1));
    });
    nodes.forEach((n, k) => groups[k].setAttribute("transform", "translate(" + n.x.toFixed(1) + "," + n.y.toFixed(1) + ")"));
  }
  draw();

  // drag a node to untangle; a click without a drag follows the link to the actor page
  let dragging = null, moved = false;
  function point(ev) {
    const p = svg.createSVGPoint(); p.x = ev.clientX; p.y = ev.clientY;
    return p.matrixTransform(svg.getScreenCTM().inverse());
  }
  svg.addEventListener("pointerdown", (ev) => {
    const a = ev.target.closest("a.node");
    if (!a) return;
    dragging = index.get(a.dataset.key); moved = false;
  });
  svg.addEventListener("pointermove", (ev) => {
    if (!dragging) return;
    const p = point(ev);
    if (Math.abs(p.x - dragging.x) + Math.abs(p.y - dragging.y) > 3) moved = true;
    if (moved) { dragging.x = p.x; dragging.y = p.y; dragging.fixed = true; draw(); }
  });
  window.addEventListener("pointerup", () => { dragging = null; });
  svg.addEventListener("click", (ev) => { if (moved) { ev.preventDefault(); moved = false; } });
  svg.addEventListener("mouseover", (ev) => {
    const a = ev.target.closest("a.node");
    if (!a) return;
    const key = a.dataset.key;
    svg.classList.add("focus");
    lines.forEach((l) => l.classList.toggle("near", l.dataset.source === key || l.dataset.target === key));
  });
  svg.addEventListener("mouseout", (ev) => {
    if (ev.target.closest("a.node")) { svg.classList.remove("focus"); }
  });
})();
