// The flow diagram (Sankey) of the web page (model/report/html.py), which defines before
// this script: LINKS (flows: s source, d target, m material, p period, t tonnes, k kind),
// COLOURS (material -> colour), INFO (node -> tooltip), FEEDS (material -> the demanded
// materials Recipes can turn it into).
// Renderer: no library. Layers by longest path from the sources; node
// height = max(in, out); a few barycentre sweeps order each layer.
const CHAIN = "supply chain of ";
const fmt = v => v.toLocaleString(undefined, {maximumFractionDigits: 2});
function options(sel, values, all) {
  sel.innerHTML = "";
  [...(Array.isArray(all) ? all : [all]), ...values].forEach(v => { const o = document.createElement("option"); o.value = v; o.textContent = v; sel.appendChild(o); });
}
// The legend of the link colours: one entry per material drawn (one colour for all materials).
function legend(m, links) {
  const box = document.getElementById("legend");
  const esc = v => String(v).replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const item = (colour, text, mat) => `<span class="key"${mat ? ` data-m="${esc(mat)}"` : ""}><i style="background:${colour}"></i>${esc(text)}</span>`;
  if (!links.length) { box.innerHTML = ""; return; }
  if (m === "all materials") { box.innerHTML = "link colour: " + item("#7f9fbf", "all materials (choose one material for a colour each)", ""); return; }
  const mats = [...new Set(links.map(l => l.m))].sort();
  box.innerHTML = "link colour, material: " + mats.map(x => item(COLOURS[x] || "#888", x, x)).join("");
}
function draw() {
  const host = document.getElementById("sankey");
  const m = document.getElementById("mat").value, p = document.getElementById("per").value;
  const agg = new Map();
  for (const l of LINKS) {
    if (m.startsWith(CHAIN)) { if (!(FEEDS[l.m] || []).includes(m.slice(CHAIN.length))) continue; }
    else if (m !== "all materials" && l.m !== m) continue;
    if (p !== "all periods" && String(l.p) !== p) continue;
    if (l.k === "discard" && !document.getElementById("dis").checked) continue;
    const key = l.s + "\u0001" + l.d + "\u0001" + (m === "all materials" ? "*" : l.m);
    const a = agg.get(key) || {s: l.s, d: l.d, m: l.m, t: 0, k: l.k, ms: {}};
    a.t += l.t; a.ms[l.m] = (a.ms[l.m] || 0) + l.t; agg.set(key, a);
  }
  const links = [...agg.values()].filter(l => l.t > 1e-9 && l.s !== l.d);
  legend(m, links);
  if (!links.length) { host.innerHTML = "<p class='note'>no flows for this choice</p>"; return; }
  const nodes = new Map();
  const node = id => { if (!nodes.has(id)) nodes.set(id, {id, ins: [], outs: [], vin: 0, vout: 0, layer: 0}); return nodes.get(id); };
  for (const l of links) { const a = node(l.s), b = node(l.d); a.outs.push(l); b.ins.push(l); a.vout += l.t; b.vin += l.t; l.a = a; l.b = b; }
  // break cycles: depth-first search marks back edges
  const state = new Map(); const back = new Set();
  const visit = n => { state.set(n.id, 1); for (const l of n.outs) { const s = state.get(l.b.id); if (s === 1) back.add(l); else if (!s) visit(l.b); } state.set(n.id, 2); };
  [...nodes.values()].filter(n => !n.ins.length).forEach(visit);
  [...nodes.values()].forEach(n => { if (!state.get(n.id)) visit(n); });
  let changed = true, guard = 0;
  while (changed && guard++ < nodes.size + 2) {
    changed = false;
    for (const l of links) if (!back.has(l) && l.b.layer < l.a.layer + 1) { l.b.layer = l.a.layer + 1; changed = true; }
  }
  let maxLayer = Math.max(...[...nodes.values()].map(n => n.layer));
  for (const n of nodes.values()) if (!n.outs.length && (n.id.startsWith("demand at ") || n.id === "discarded")) n.layer = maxLayer;
  const layers = []; for (const n of nodes.values()) (layers[n.layer] = layers[n.layer] || []).push(n);
  for (let i = 0; i <= maxLayer; i++) layers[i] = layers[i] || [];
  for (const n of nodes.values()) n.value = Math.max(n.vin, n.vout);
  const W = Math.max(900, host.clientWidth || 1200), nodeW = 14, pad = 10;
  const tallest = Math.max(...layers.map(L => L.length));
  const H = Math.max(420, Math.min(2400, tallest * 30 + 80));
  const k = Math.min(...layers.filter(L => L.length).map(L => (H - 40 - pad * (L.length - 1)) / L.reduce((s, n) => s + n.value, 0)));
  const dx = maxLayer ? (W - 260 - nodeW) / maxLayer : 0;
  layers.forEach(L => L.sort((a, b) => b.value - a.value || (a.id < b.id ? -1 : 1)));
  const place = () => layers.forEach((L, i) => { let y = 20; for (const n of L) { n.x = 20 + i * dx; n.y = y; n.h = Math.max(1, n.value * k); y += n.h + pad; } });
  place();
  for (let sweep = 0; sweep < 6; sweep++) {
    const forward = sweep % 2 === 0;
    const order = forward ? layers.slice(1) : layers.slice(0, -1).reverse();
    for (const L of order) {
      for (const n of L) {
        const ls = forward ? n.ins : n.outs; let s = 0, w = 0;
        for (const l of ls) { const o = forward ? l.a : l.b; s += (o.y + o.h / 2) * l.t; w += l.t; }
        n.bc = w ? s / w : n.y;
      }
      L.sort((a, b) => a.bc - b.bc || (a.id < b.id ? -1 : 1));
    }
    place();
  }
  for (const n of nodes.values()) {
    n.outs.sort((a, b) => (a.b.y - b.b.y)); n.ins.sort((a, b) => (a.a.y - b.a.y));
    let y = n.y; for (const l of n.outs) { l.y0 = y + l.t * k / 2; y += l.t * k; }
    y = n.y; for (const l of n.ins) { l.y1 = y + l.t * k / 2; y += l.t * k; }
  }
  const esc = v => String(v).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const out = [`<svg viewBox="0 0 ${W} ${H}"><g class="links">`];
  links.forEach((l, i) => {
    const x0 = l.a.x + nodeW, x1 = l.b.x, c = Math.max(30, (x1 - x0) / 2);
    const d = x1 > x0 ? `M${x0},${l.y0}C${x0 + c},${l.y0} ${x1 - c},${l.y1} ${x1},${l.y1}`
                      : `M${x0},${l.y0}C${x0 + 80},${l.y0 - 60} ${x1 - 80},${l.y1 - 60} ${x1},${l.y1}`;
    const colour = m === "all materials" ? "#7f9fbf" : (COLOURS[l.m] || "#888");
    const parts = Object.entries(l.ms).map(([mm, t]) => `${mm} ${fmt(t)} t`).join(", ");
    out.push(`<path d="${d}" stroke="${colour}" stroke-width="${Math.max(1, l.t * k)}" data-s="${esc(l.a.id)}" data-d="${esc(l.b.id)}">` +
             `<title>${esc(`${l.a.id} -> ${l.b.id}: ${fmt(l.t)} t (${parts})`)}</title></path>`);
  });
  out.push(`</g><g class="nodes">`);
  const lastLabel = new Map();
  for (const n of layers.flat()) {
    const kind = n.id.startsWith("bought in ") ? "#8FAADC" : n.id.startsWith("demand at ") ? "#70AD47" : n.id === "discarded" ? "#BFBFBF" : "#1F4E78";
    const ly = n.y + n.h / 2 + 4, prev = lastLabel.get(n.layer);
    const label = prev === undefined || ly - prev >= 12;
    if (label) lastLabel.set(n.layer, ly);
    out.push(`<g class="node"><rect x="${n.x}" y="${n.y}" width="${nodeW}" height="${n.h}" fill="${kind}" data-id="${esc(n.id)}">` +
             `<title>${esc(`${INFO[n.id] || n.id}
in ${fmt(n.vin)} t, out ${fmt(n.vout)} t`)}</title></rect>` +
             (label ? `<text x="${n.x + nodeW + 4}" y="${ly}">${esc(n.id)}</text>` : "") + `</g>`);
  }
  out.push("</g></svg>");
  host.innerHTML = out.join("");
  host.classList.remove("focus"); host.dataset.focus = "";
  host.querySelectorAll("rect[data-id]").forEach(r => r.addEventListener("click", () => {
    const id = r.dataset.id, on = host.dataset.focus !== id;
    host.dataset.focus = on ? id : ""; host.classList.toggle("focus", on);
    host.querySelectorAll("path").forEach(pp => pp.classList.toggle("on", on && (pp.dataset.s === id || pp.dataset.d === id)));
  }));
}
(function init() {
  const mats = [...new Set(LINKS.map(l => l.m))].sort();
  const pers = [...new Set(LINKS.map(l => String(l.p)))].sort();
  const ms = document.getElementById("mat"), ps = document.getElementById("per");
  if (!ms) return;
  const demanded = [...new Set(LINKS.filter(l => l.k === "demand").map(l => l.m))].sort();
  options(ms, mats, ["all materials", ...demanded.map(d => CHAIN + d)]); options(ps, pers, "all periods");
  if (demanded.length) ms.value = CHAIN + demanded[0];
  ms.addEventListener("change", draw); ps.addEventListener("change", draw);
  document.getElementById("dis").addEventListener("change", draw);
  const want = new URLSearchParams(location.hash.slice(1));   // e.g. #m=NDFEB&p=2030
  const wm = want.get("m");
  if (demanded.includes(wm)) ms.value = CHAIN + wm; else if (mats.includes(wm)) ms.value = wm;
  else if (wm === "all") ms.value = "all materials";
  if (pers.includes(want.get("p"))) ps.value = want.get("p");
  document.getElementById("dis").checked = want.get("discards") === "1";
  draw();
})();
