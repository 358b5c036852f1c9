"""``--html PATH``: the report's key figures as one self-contained web page.

    write_html(run, path)            # or write_html(run, path, summary=info)

No network: the CSS and JavaScript are inline, nothing is fetched from a CDN.
The page holds the Dashboard's figures (tiles, where from, top suppliers,
cost by category, cost per t, what binds, what is at risk, the KPI table) and
an interactive flow diagram (Sankey), drawn in SVG by the small renderer
below, from the countries where material is bought, through the sites that
process and forward it, to demand (and discards). A material and a period
can be chosen, or the whole supply chain of a demanded material (every material
that Recipes can turn into it); also in the address: page.html#m=NDFEB&p=2030
(supply chain of NDFEB in 2030), #m=all&discards=1;
hovering shows the tonnes, clicking a site highlights its
flows; a legend under it names each link colour's material. Tonnes of different materials are added up when all materials are
shown (a picture of the network, not a mass balance: processing changes
tonnes).
"""

from __future__ import annotations

import html
import json
import math

import pandas as pd

from model.results.kpis import ALL, CONTROLLED_HIGH, HHI_HIGH, all_kpis, top_suppliers
from model.schema import SETTING_DEFAULTS

MAX_LINKS = 20_000
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000",
           "#999999", "#7F7F7F"]


def _num(v, fmt: str = "{:,.2f}") -> str:
    if v is None or (isinstance(v, float) and (math.isnan(v) or math.isinf(v))):
        return ""
    try:
        return fmt.format(v)
    except (ValueError, TypeError):
        return html.escape(str(v))


def _text(v) -> str:
    """A cell's text, escaped; empty for a missing value (None or NaN, never 'nan')."""
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else html.escape(str(v))


def _pct(v) -> str:
    return _num(v, "{:.1%}")


def _table(headers, rows, classes=None, flags=None) -> str:
    classes = classes or [""] * len(headers)
    out = ["<table><thead><tr>"]
    out += [f'<th class="{c}">{html.escape(h)}</th>' for h, c in zip(headers, classes)]
    out.append("</tr></thead><tbody>")
    for i, row in enumerate(rows):
        out.append("<tr>")
        for j, (v, c) in enumerate(zip(row, classes)):
            bad = " bad" if flags and flags[i][j] else ""
            out.append(f'<td class="{c}{bad}">{v}</td>')
        out.append("</tr>")
    if not rows:
        out.append(f'<tr><td colspan="{len(headers)}" class="none">none</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


def _gt(v, limit) -> bool:
    try:
        return v is not None and v == v and float(v) > limit
    except (TypeError, ValueError):
        return False


def sankey_links(tables: dict, data) -> list[dict]:
    """Flows for the diagram: source, target, material, period, t, kind."""
    parts = []
    pur = tables.get("Purchases")
    if pur is not None and len(pur):
        parts.append(pd.DataFrame({"source": "bought in " + pur["country"].astype(str),
                                   "target": pur["site_id"], "material": pur["material_id"],
                                   "period": pur["period"], "t": pur["quantity_t"], "kind": "buy"}))
    ship = tables.get("Shipments")
    if ship is not None and len(ship):
        parts.append(pd.DataFrame({"source": ship["from_site"], "target": ship["to_site"],
                                   "material": ship["material_id"], "period": ship["period"],
                                   "t": ship["quantity_t"], "kind": "ship"}))
    dem = tables.get("Demand")
    if dem is not None and len(dem):
        met = dem[dem["met_t"] > 0]
        parts.append(pd.DataFrame({"source": met["site_id"], "target": "demand at " + met["site_id"],
                                   "material": met["material_id"], "period": met["period"],
                                   "t": met["met_t"], "kind": "demand"}))
    dis = tables.get("Discards")
    if dis is not None and len(dis):
        parts.append(pd.DataFrame({"source": dis["site_id"], "target": "discarded",
                                   "material": dis["material_id"], "period": dis["period"],
                                   "t": dis["discarded_t"], "kind": "discard"}))
    parts = [p for p in parts if len(p)]
    if not parts:
        return []
    links = pd.concat(parts, ignore_index=True)
    keys = ["source", "target", "material", "period", "kind"]
    links = links.groupby(keys, as_index=False, sort=True)["t"].sum()
    if len(links) > MAX_LINKS:          # a huge network: whole horizon only, largest flows
        links = links.groupby(["source", "target", "material", "kind"], as_index=False,
                              sort=True)["t"].sum()
        links["period"] = ALL
        links = links.sort_values("t", ascending=False, kind="stable").head(MAX_LINKS)
    links["t"] = links["t"].round(4)
    return [{"s": s, "d": d, "m": m, "p": p if p == ALL else int(p), "t": float(t), "k": k}
            for s, d, m, p, t, k in zip(links["source"], links["target"], links["material"],
                                        links["period"], links["t"], links["kind"])]


def _site_info(tables: dict, data) -> dict:
    """Tooltip text per site: name, country, company, processes run."""
    info = {}
    if data is not None:
        for sid, rec in data.sites.iterrows():
            info[sid] = f"{rec.get('name') or sid} ({rec['country']}, {rec['company']})"
    runs = tables.get("ProcessRuns")
    if runs is not None and len(runs):
        for sid, g in runs.groupby("site_id"):
            procs = g.groupby("process_id")["runs"].sum()
            text = "; ".join(f"{q}: {r:,.1f} runs" for q, r in procs.items())
            info[sid] = info.get(sid, sid) + " | processes over the horizon: " + text
    return info


def _nice(v: float) -> float:
    """The next 'round' number at or above v (whose quarters are round too)."""
    base = 10 ** math.floor(math.log10(v))
    return next(m * base for m in (1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8, 10) if m * base >= v)


def _svg_stacked(frame: pd.DataFrame, colours: dict, fmt: str = "{:,.0f}", width=520,
                 height=240) -> str:
    """Stacked columns as inline SVG: index on x, one colour per column."""
    if frame.empty:
        return ""
    totals = frame.clip(lower=0).sum(axis=1)
    top = _nice(float(totals.max()) or 1.0)
    left, bottom, right, upper = 70, 40, 10, 10
    w = (width - left - right) / max(1, len(frame))
    out = [f'<svg class="chart" viewBox="0 0 {width} {height + 36}" role="img">']
    for k in range(5):
        y = upper + (height - upper - bottom) * (1 - k / 4)
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        out.append(f'<text x="{left - 4}" y="{y + 4:.1f}" class="tick" text-anchor="end">'
                   f'{html.escape(fmt.format(top * k / 4))}</text>')
    for i, (idx, row) in enumerate(frame.iterrows()):
        y = height - bottom
        x = left + i * w + w * 0.15
        for col, v in row.items():
            if v <= 0:
                continue
            h = (height - upper - bottom) * v / top
            y -= h
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w * 0.7:.1f}" height="{h:.1f}" '
                       f'fill="{colours.get(col, "#999")}"><title>{html.escape(str(idx))} '
                       f'{html.escape(str(col))}: {html.escape(fmt.format(v))}</title></rect>')
        out.append(f'<text x="{x + w * 0.35:.1f}" y="{height - bottom + 14}" class="tick" '
                   f'text-anchor="middle">{html.escape(str(idx))}</text>')
    lx, ly = left, height - 8
    for col in frame.columns:
        step = 18 + 6 * len(str(col))
        if lx + step > width:
            lx, ly = left, ly + 14
        out.append(f'<rect x="{lx}" y="{ly}" width="10" height="10" '
                   f'fill="{colours.get(col, "#999")}"/><text x="{lx + 13}" y="{ly + 9}" '
                   f'class="tick">{html.escape(str(col))}</text>')
        lx += step
    out.append("</svg>")
    return "".join(out)


def page(summary: dict, run) -> str:
    """The HTML text."""
    from model.report.dashboard import bent_banner
    from model.report.layout import has_results
    data = run.data if run else None
    tables = run.tables if has_results(run) else {}
    cur = (data.settings if data else SETTING_DEFAULTS)["currency"]
    k = all_kpis(tables, data) if tables and data is not None else {}
    name = html.escape(str(summary.get("input_file") or "").replace("\\", "/").rsplit("/", 1)[-1])
    status = summary.get("status") or "error"
    gap = summary.get("mip_gap")
    sub = [f"scenario {summary.get('scenario') or 'base'}", f"status {status}"]
    if gap is not None:
        sub.append(f"gap {gap:.3%}")
    if data is not None and data.periods:
        sub.append(f"horizon {data.periods[0]}-{data.periods[-1]}")
    sub.append(f"{summary.get('solver')} {summary.get('solver_version') or ''}")
    sub.append(f"secure-sourcing {summary.get('software_version')}")
    body = [f"<h1>Sourcing report: {name}</h1>",
            f'<p class="sub">{html.escape("  |  ".join(sub))}</p>']
    banner = bent_banner(summary, run)
    if banner:
        body.append(f'<p class="bent">{html.escape(banner)}</p>')
    if not tables:
        body.append(f"<h2>No solution</h2><p>{html.escape(str(summary.get('message') or ''))}</p>")
        if summary.get("infeasibility"):
            body.append(f"<p><b>{html.escape(str(summary['infeasibility']))}</b></p>")
        why = run.tables.get("Infeasibility") if run and run.tables else None
        if why is not None and len(why) and "meaning" in why:
            body.append(_table(["role", "meaning"], [[html.escape(str(r.get("role") or "")),
                                                      html.escape(str(r.get("meaning") or ""))]
                                                     for r in why.to_dict("records")],
                               ["", "wrap"]))
        return _wrap(name, "".join(body), "[]", "{}", "{}", "{}")

    dem = tables.get("Demand")
    demand_t = float(dem["quantity_t"].sum())
    unmet_t = float(dem["unmet_t"].sum())
    penalty = summary.get("penalty")
    kpi = k["KPIs"]
    horizon = kpi[kpi["period"] == ALL]
    worst = float(horizon["hhi_foreign"].astype(float).max()) if horizon["hhi_foreign"].notna().any() \
        else None
    met = f"; {(demand_t - unmet_t) / demand_t:.1%} met" if demand_t else ""
    tiles = [(f"total cost ({cur}, discounted)", _num(summary.get("objective"), "{:,.0f}"), False),
             (f"spent ({cur}, discounted)", _num(summary.get("spent"), "{:,.0f}"), False),
             (f"penalties ({cur}, discounted)", _num(penalty, "{:,.0f}"), _gt(penalty, 0)),
             (f"unmet demand (t{met})", _num(unmet_t), unmet_t > 1e-6),
             ("top HHI, foreign origins", _num(worst, "{:,.0f}"), _gt(worst, HHI_HIGH)),
             ("warnings", str(int(summary.get("warnings") or 0)), bool(summary.get("warnings")))]
    body.append('<div class="tiles">' + "".join(
        f'<div class="tile{" bad" if bad else ""}"><div class="label">{html.escape(lbl)}</div>'
        f'<div class="value">{v}</div></div>' for lbl, v, bad in tiles) + "</div>")
    body.append(f'<p class="unmet">Unmet: {html.escape(summary["unmet"])} (sheet Demand). '
                'Penalties are charged for it; spent + penalties = total cost.'
                + (f' {html.escape(summary["unclosable"])}' if summary.get("unclosable") else "")
                + '</p>'
                if summary.get("unmet") else '<p class="note">All demand is met: the total cost '
                'is money spent.</p>')

    body.append('<h2>Flows: where material comes from and where it goes</h2>'
                '<div class="controls">material <select id="mat"></select> period '
                '<select id="per"></select> <label><input type="checkbox" id="dis"> discards</label> <span class="hint">hover: tonnes; click a node: its '
                'flows</span></div><div id="sankey"></div>'
                '<div id="legend" class="legend" aria-label="link colours"></div>')

    rows, flags = [], []
    for r in horizon.to_dict("records"):
        rows.append([_text(r["material_id"]), _num(r["arrivals_t"]), _text(r["top_country"]),
                     _pct(r["top_country_share"]), _num(r["hhi_country"], "{:,.0f}"),
                     _num(r["hhi_foreign"], "{:,.0f}"), _pct(r["controlled_share"]),
                     _text(r["controlled_countries"]), _pct(r["domestic_share"])])
        flags.append([False] * 5 + [_gt(r["hhi_foreign"], HHI_HIGH), _gt(r["controlled_share"],
                                                                          CONTROLLED_HIGH), False, False])
    where = _table(["material", "arrivals (t)", "top country", "its share", "HHI", "HHI foreign",
                    "controlled", "controlled by", "domestic"], rows,
                   ["", "n", "", "n", "n", "n", "n", "", "n"], flags)
    where += ('<p class="note">HHI foreign: the concentration of foreign origins (what comes from '
              'the buyer\'s own country is no supply risk); red above 2,500.</p>')
    sup = top_suppliers(tables, data, 3)
    sup_rows = [[_text(s["material_id"]), _text(s["company"]), _text(s["country"]), _num(s["arrivals_t"]), _pct(s["share"])]
                for s in sup.to_dict("records")]
    body.append('<div class="cols"><div><h2>Where from (whole horizon)</h2>' + where +
                '<h3>Top suppliers</h3>' + _table(["material", "company", "country", "arrivals (t)",
                                                   "share"], sup_rows, ["", "", "", "n", "n"]))

    cost = tables["CostByCategory"]
    by = cost.groupby("category", sort=False)[["cost", "discounted_cost"]].sum()
    by = by[by["cost"].abs() > 0]
    total = float(by["cost"].sum())
    crow = [[html.escape(c), _num(v["cost"], "{:,.0f}"), _pct(v["cost"] / total if total else None)]
            for c, v in by.iterrows()]
    crow.append(["<b>total, undiscounted</b>", f"<b>{_num(total, '{:,.0f}')}</b>", ""])
    crow.append(["total discounted = total cost", _num(float(by["discounted_cost"].sum()), "{:,.0f}"), ""])
    wide = cost.pivot_table(index="period", columns="category", values="cost", aggfunc="sum",
                            sort=False).fillna(0.0)
    wide = wide[[c for c in by.index if c in wide.columns]]
    from model.report.styles import CATEGORY_COLOURS
    colours = {c: "#" + CATEGORY_COLOURS[c] if c in CATEGORY_COLOURS else PALETTE[i % len(PALETTE)]
               for i, c in enumerate(wide.columns)}
    cpt = k["CostPerTonne"]
    cpt = cpt[cpt["period"] == ALL]
    prow = [[_text(r["material_id"]), _num(r["delivered_t"]),
             _num(r["allocated_cost"], "{:,.0f}"), _num(r["cost_per_t"], "{:,.0f}"),
             _num(r["unmet_penalty"], "{:,.0f}")] for r in cpt.to_dict("records")]
    pflags = [[False] * 4 + [_gt(r["unmet_penalty"], 0)] for r in cpt.to_dict("records")]
    body.append(f'</div><div><h2>At what cost ({html.escape(cur)}, undiscounted)</h2>'
                + _table(["category", f"cost ({cur})", "share"], crow, ["", "n", "n"])
                + _svg_stacked(wide, colours)
                + f'<h3>Cost per t delivered ({html.escape(cur)}, undiscounted, whole horizon)</h3>'
                + _table(["material", "delivered (t)", "allocated cost", "cost per t", "unmet penalty"],
                         prow, ["", "n", "n", "n", "n"], pflags)
                + '<p class="note">Each cost of a period goes to the demanded materials it feeds '
                  '(the material of the flow, or a process\'s outputs, and what is made from them), '
                  'split by the value delivered; see docs/report.md.</p></div></div>')

    from model.report.dashboard import binding_rules, risks_shown
    b = binding_rules(tables.get("RuleMarginals"), n=25)
    brow = [[_text(r["rule_id"]), _text(r["periods"]), _num(r["change_per_t"], "{:,.0f}"),
             _text(r["meaning"])]
            for r in b.to_dict("records")]
    rk, more = risks_shown(k, tables)
    rrow = []
    for issue, where_, periods, value, fmt in rk:
        shown = _pct(value) if "%" in fmt else _num(value, "{:,.0f}" if fmt == "#,##0" else "{:,.2f}")
        rrow.append([html.escape(issue), html.escape(where_), html.escape(periods), shown])
    body.append('<div class="cols"><div><h2>What binds</h2>'
                + _table(["rule", "periods", f"{cur} per t (-: saves)", "meaning (largest period)"], brow,
                         ["", "", "n", "wrap"])
                + '<p class="note">Change in total cost if the rule\'s limit were one t looser; '
                  'negative: it would save.</p></div><div><h2>What is at risk</h2>'
                + _table(["issue", "material", "periods", "worst / total"], rrow, ["", "", "", "n"],
                         [[False, False, False, True] for _ in rrow])
                + (f'<p class="note">{more} more: sheets KPIs and StockCheck of the report.</p>'
                   if more else "") + "</div></div>")

    built = tables.get("Investments")          # contract v1.2: what to build
    if built is not None:
        irow = [[_text(r["investment_id"]), _text(r["target_id"]), _text(r["period"]),
                 _num(r["units"], "{:,.0f}"), _text(r["online_from"]),
                 _num(r["added_capacity"]), _num(r["capex"], "{:,.0f}")]
                for r in built.to_dict("records")]
        body.append('<h2>What to build</h2>' + (_table(
            ["investment", "adds to", "decide in", "units", "online from", "capacity added",
             f"capex ({cur})"], irow, ["", "", "", "n", "", "n", "n"]) if irow else
            '<p class="note">Nothing is worth building at these costs.</p>'))

    cols = list(kpi.columns)
    krow = []
    for r in kpi.to_dict("records"):
        cells = []
        for c in cols:
            v = r[c]
            if c.endswith("_share"):
                cells.append(_pct(v))
            elif c.startswith("hhi") or c in ("unmet_penalty", "allocated_cost", "cost_per_t"):
                cells.append(_num(v, "{:,.0f}"))
            elif isinstance(v, float):
                cells.append(_num(v))
            else:
                cells.append(_text(v))
        krow.append(cells)
    body.append('<details><summary>All key figures per material and period (sheet KPIs)</summary>'
                + _table(cols, krow, ["" if c in ("material_id", "period", "top_country",
                                                  "top_company", "controlled_countries") else "n"
                                      for c in cols]) + "</details>")
    body.append(f'<p class="note">Input {html.escape(str(summary.get("input_file")))}, SHA-256 '
                f'{html.escape(str(summary.get("input_sha256")))}. Every figure is in the report '
                'workbook too.</p>')

    links = sankey_links(tables, data)
    materials = sorted({link["m"] for link in links})
    mcolour = {m: PALETTE[i % len(PALETTE)] for i, m in enumerate(materials)}
    from model.results.kpis import _feeds
    feeds = {m: sorted(f) for m, f in _feeds(data)[0].items()} if data is not None else {}
    return _wrap(name, "".join(body), json.dumps(links, separators=(",", ":")),
                 json.dumps(mcolour), json.dumps(_site_info(tables, data)), json.dumps(feeds))


def write_html(run, path, summary: dict | None = None) -> None:
    """Write the page to ``path`` (UTF-8), atomically (``model.files``)."""
    from model.files import write_text
    if summary is None:
        from model.report.summary import summary as make
        summary = make(run)
    write_text(path, page(summary, run))


def _wrap(title: str, body: str, links: str, colours: str, info: str, feeds: str) -> str:
    safe = lambda s: s.replace("</", "<\\/")  # noqa: E731 - JSON inside <script>
    return (PAGE.replace("%LINKS%", safe(links)).replace("%COLOURS%", safe(colours))
            .replace("%INFO%", safe(info)).replace("%FEEDS%", safe(feeds)).replace("%TITLE%", title).replace("%BODY%", body))


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sourcing report: %TITLE%</title>
<style>
body{font-family:Calibri,Carlito,"Segoe UI",Arial,sans-serif;margin:24px 32px;color:#222;max-width:1500px}
h1{color:#1F4E78;margin:0 0 4px;font-size:24px}
h2{color:#1F4E78;font-size:16px;border-bottom:2px solid #1F4E78;margin:22px 0 6px;padding-bottom:2px}
h3{color:#1F4E78;font-size:14px;margin:14px 0 4px}
.sub{color:#595959;font-style:italic;margin:0 0 12px}
.unmet{color:#9C0006;font-weight:bold;margin:8px 0}
.bent{background:#F8CBAD;color:#9C0006;font-weight:bold;padding:6px 10px;margin:0 0 12px}
.tiles{display:flex;gap:10px;flex-wrap:wrap}
.tile{background:#F2F2F2;padding:8px 14px;min-width:150px;text-align:center}
.tile .label{font-size:12px;color:#595959}.tile .value{font-size:20px;font-weight:bold;color:#1F4E78}
.tile.bad{background:#F8CBAD}.tile.bad .value{color:#9C0006}
table{border-collapse:collapse;font-size:13px;margin:4px 0}
th{background:#DDEBF7;color:#1F4E78;text-align:left;padding:3px 8px}
td{padding:2px 8px;border-bottom:1px solid #eee;white-space:nowrap}td.wrap{white-space:normal}
.n{text-align:right}td.bad{background:#F8CBAD;color:#9C0006;font-weight:bold}
td.none{color:#888}
.cols{display:flex;gap:40px;flex-wrap:wrap}.cols>div{flex:1;min-width:480px}
.note,.hint{font-size:12px;color:#666}
.chart{width:520px;max-width:100%}.chart .grid{stroke:#ddd}.chart .tick{font-size:10px;fill:#444}
#sankey svg{width:100%;height:auto;background:#fff}
#sankey .node rect{stroke:#333;stroke-width:.5;cursor:pointer}
#sankey .node text{font-size:11px;pointer-events:none}
#sankey path{fill:none;stroke-opacity:.45}#sankey path:hover{stroke-opacity:.8}
#sankey.focus path{stroke-opacity:.07}#sankey.focus path.on{stroke-opacity:.75}
.legend{font-size:12px;color:#444;margin:4px 0}.legend .key{margin-right:14px;white-space:nowrap}
.legend i{display:inline-block;width:18px;height:10px;margin:0 4px 0 6px;opacity:.7}
.controls{margin:6px 0}select{font-size:13px}
details{margin-top:20px;overflow-x:auto}summary{cursor:pointer;color:#1F4E78;font-weight:bold}
</style></head><body>
%BODY%
<script>
"use strict";
// Sankey renderer: no library. Layers by longest path from the sources; node
// height = max(in, out); a few barycentre sweeps order each layer.
const LINKS = %LINKS%;
const COLOURS = %COLOURS%;
const INFO = %INFO%;
const FEEDS = %FEEDS%;   // material -> demanded materials it can become (Recipes)
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
    const key = l.s + "\\u0001" + l.d + "\\u0001" + (m === "all materials" ? "*" : l.m);
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
             `<title>${esc(`${INFO[n.id] || n.id}\nin ${fmt(n.vin)} t, out ${fmt(n.vout)} t`)}</title></rect>` +
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
</script>
</body></html>
"""
