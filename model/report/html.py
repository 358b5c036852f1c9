"""``--html PATH``: the report's key figures as one self-contained web page.

    write_html(run, path)            # or write_html(run, path, summary=info, figures=f)

No network: the CSS and JavaScript (``model/report/static/``: page.css, sankey.js) are
written into the page, nothing is fetched from a CDN. The page renders the Dashboard's
content (``model.results.figures.Figures``: tiles, where from, top suppliers, cost by
category, cost per t, what binds, what is at risk, what to build, the KPI table) and an
interactive flow diagram (Sankey) of ``model.results.flows``, drawn in SVG by sankey.js,
from the countries where material is bought, through the sites that process and forward
it, to demand (and discards). A material and a period can be chosen, or the whole supply
chain of a demanded material (every material that Recipes can turn into it); also in the
address: page.html#m=NDFEB&p=2030 (supply chain of NDFEB in 2030), #m=all&discards=1;
hovering shows the tonnes, clicking a site highlights its flows; a legend under it names
each link colour's material. Tonnes of different materials are added up when all
materials are shown (a picture of the network, not a mass balance: processing changes
tonnes).
"""

from __future__ import annotations

import html
import json

from model.report.html_parts import FORMATS, PALETTE, num, pct, static, stacked_svg, table, text
from model.report.styles import category_colours
from model.results import figures as F
from model.results.flows import sankey_links, site_info, supply_chains
from model.results.kpis import CONTROLLED_HIGH, HHI_HIGH

MAX_BINDING = 25


def page(summary: dict, run, figures: F.Figures | None = None) -> str:
    """The HTML text (``figures`` computed from ``summary`` and ``run`` when not given)."""
    fig = figures if figures is not None else F.figures(summary, run)
    body = [_header(fig)]
    if not fig.solved:
        body.append(_no_solution(summary, run))
        return _wrap(fig.name, "".join(body), {"LINKS": [], "COLOURS": {}, "INFO": {}, "FEEDS": {}})
    body += [_headline(fig), _flows_controls(), _where_and_cost(fig), _binds_and_risks(fig),
             _build(fig), _kpi_table(fig),
             f'<p class="note">Input {html.escape(str(summary.get("input_file")))}, SHA-256 '
             f'{html.escape(str(summary.get("input_sha256")))}. Every figure is in the report '
             'workbook too.</p>']
    return _wrap(fig.name, "".join(body), _flow_data(run))


def write_html(run, path, summary: dict | None = None, figures: F.Figures | None = None) -> None:
    """Write the page to ``path`` (UTF-8), atomically (``model.files``)."""
    from model.files import write_text
    if summary is None:
        from model.report.summary import summary as make
        summary = make(run)
    write_text(path, page(summary, run, figures))


def _header(fig: F.Figures) -> str:
    out = (f"<h1>Sourcing report: {html.escape(fig.name)}</h1>"
           f'<p class="sub">{html.escape("  |  ".join(fig.context))}</p>')
    return out + (f'<p class="bent">{html.escape(fig.bent)}</p>' if fig.bent else "")


def _no_solution(summary: dict, run) -> str:
    out = f"<h2>No solution</h2><p>{html.escape(str(summary.get('message') or ''))}</p>"
    if summary.get("infeasibility"):
        out += f"<p><b>{html.escape(str(summary['infeasibility']))}</b></p>"
    why = run.tables.get("Infeasibility") if run and run.tables else None
    if why is not None and len(why) and "meaning" in why:
        out += table(["role", "meaning"], [[html.escape(str(r.get("role") or "")),
                                             html.escape(str(r.get("meaning") or ""))]
                                            for r in why.to_dict("records")], ["", "wrap"])
    return out


def _headline(fig: F.Figures) -> str:
    tiles = "".join(f'<div class="tile{" bad" if t.bad else ""}"><div class="label">'
                    f'{html.escape(t.label)}</div><div class="value">{num(t.value, FORMATS[t.unit])}'
                    '</div></div>' for t in fig.tiles)
    if not fig.unmet:
        line = '<p class="note">All demand is met: the total cost is money spent.</p>'
    else:
        line = (f'<p class="unmet">Unmet: {html.escape(fig.unmet)} (sheet Demand). Penalties are '
                'charged for it; spent + penalties = total cost.'
                + (f' {html.escape(fig.unclosable)}' if fig.unclosable else "") + '</p>')
    return f'<div class="tiles">{tiles}</div>{line}'


def _flows_controls() -> str:
    return ('<h2>Flows: where material comes from and where it goes</h2>'
            '<div class="controls">material <select id="mat"></select> period '
            '<select id="per"></select> <label><input type="checkbox" id="dis"> discards</label> '
            '<span class="hint">hover: tonnes; click a node: its flows</span></div>'
            '<div id="sankey"></div><div id="legend" class="legend" aria-label="link colours"></div>')


def _where_and_cost(fig: F.Figures) -> str:
    rows, flags = [], []
    for r in fig.where_from.to_dict("records"):
        rows.append([text(r["material_id"]), num(r["arrivals_t"]), text(r["top_country"]),
                     pct(r["top_country_share"]), num(r["hhi_country"], "{:,.0f}"),
                     num(r["hhi_foreign"], "{:,.0f}"), pct(r["controlled_share"]),
                     text(r["controlled_countries"]), pct(r["domestic_share"])])
        flags.append([False] * 5 + [F.above(r["hhi_foreign"], HHI_HIGH),
                                    F.above(r["controlled_share"], CONTROLLED_HIGH), False, False])
    where = table(["material", "arrivals (t)", "top country", "its share", "HHI", "HHI foreign",
                   "controlled", "controlled by", "domestic"], rows,
                  ["", "n", "", "n", "n", "n", "n", "", "n"], flags)
    where += ('<p class="note">HHI foreign: the concentration of foreign origins (what comes from '
              'the buyer\'s own country is no supply risk); red above 2,500.</p>')
    sup_rows = [[text(s["material_id"]), text(s["company"]), text(s["country"]),
                 num(s["arrivals_t"]), pct(s["share"])] for s in fig.suppliers.to_dict("records")]
    left = ('<div><h2>Where from (whole horizon)</h2>' + where + '<h3>Top suppliers</h3>'
            + table(["material", "company", "country", "arrivals (t)", "share"], sup_rows,
                    ["", "", "", "n", "n"]) + '</div>')
    return f'<div class="cols">{left}{_cost(fig)}</div>'


def _cost(fig: F.Figures) -> str:
    cur = fig.currency
    crow = [[html.escape(c), num(v, "{:,.0f}"), pct(s)]
            for c, v, s in zip(*(fig.cost[k].tolist() for k in ("category", "cost", "share")))]
    crow.append(["<b>total, undiscounted</b>", f"<b>{num(fig.cost_total, '{:,.0f}')}</b>", ""])
    crow.append(["total discounted = total cost", num(fig.cost_discounted, "{:,.0f}"), ""])
    wide = fig.cost_by_period
    colours = {c: "#" + hex_ for c, hex_ in category_colours(list(wide.columns)).items()}
    cpt = fig.cost_per_t.to_dict("records")
    prow = [[text(r["material_id"]), num(r["delivered_t"]), num(r["allocated_cost"], "{:,.0f}"),
             num(r["cost_per_t"], "{:,.0f}"), num(r["unmet_penalty"], "{:,.0f}")] for r in cpt]
    pflags = [[False] * 4 + [F.above(r["unmet_penalty"], 0)] for r in cpt]
    return (f'<div><h2>At what cost ({html.escape(cur)}, undiscounted)</h2>'
            + table(["category", f"cost ({cur})", "share"], crow, ["", "n", "n"])
            + stacked_svg(wide, colours)
            + f'<h3>Cost per t delivered ({html.escape(cur)}, undiscounted, whole horizon)</h3>'
            + table(["material", "delivered (t)", "allocated cost", "cost per t", "unmet penalty"],
                    prow, ["", "n", "n", "n", "n"], pflags)
            + '<p class="note">Each cost of a period goes to the demanded materials it feeds '
              '(the material of the flow, or a process\'s outputs, and what is made from them), '
              'split by the value delivered; see docs/report.md.</p></div>')


def _binds_and_risks(fig: F.Figures) -> str:
    brow = [[text(r["rule_id"]), text(r["periods"]), num(r["change_per_t"], "{:,.0f}"),
             text(r["meaning"])] for r in fig.binding.head(MAX_BINDING).to_dict("records")]
    shown, more = fig.risks_shown
    rrow = [[html.escape(r.issue), html.escape(r.where), html.escape(r.periods),
             num(r.value, FORMATS[r.unit])] for r in shown]
    return ('<div class="cols"><div><h2>What binds</h2>'
            + table(["rule", "periods", f"{fig.currency} per t (-: saves)",
                     "meaning (largest period)"], brow, ["", "", "n", "wrap"])
            + '<p class="note">Change in total cost if the rule\'s limit were one t looser; '
              'negative: it would save.</p></div><div><h2>What is at risk</h2>'
            + table(["issue", "material", "periods", "worst / total"], rrow, ["", "", "", "n"],
                    [[False, False, False, True] for _ in rrow])
            + (f'<p class="note">{more} more: sheets KPIs and StockCheck of the report.</p>'
               if more else "") + "</div></div>")


def _build(fig: F.Figures) -> str:
    """What to build (contract v1.2), when the workbook has Investments."""
    if fig.build is None:
        return ""
    irow = [[text(r["investment_id"]), text(r["target_id"]), text(r["period"]),
             num(r["units"], "{:,.0f}"), text(r["online_from"]), num(r["added_capacity"]),
             num(r["capex"], "{:,.0f}")] for r in fig.build.to_dict("records")]
    return '<h2>What to build</h2>' + (table(
        ["investment", "adds to", "decide in", "units", "online from", "capacity added",
         f"capex ({fig.currency})"], irow, ["", "", "", "n", "", "n", "n"]) if irow else
        '<p class="note">Nothing is worth building at these costs.</p>')


TEXT_COLUMNS = ("material_id", "period", "top_country", "top_company", "controlled_countries")


def _kpi_table(fig: F.Figures) -> str:
    kpi = fig.kpis.get("KPIs")
    if kpi is None:
        return ""
    cols = list(kpi.columns)
    rows = [[_kpi_cell(c, r[c]) for c in cols] for r in kpi.to_dict("records")]
    return ('<details><summary>All key figures per material and period (sheet KPIs)</summary>'
            + table(cols, rows, ["" if c in TEXT_COLUMNS else "n" for c in cols]) + "</details>")


def _kpi_cell(column: str, v) -> str:
    if column.endswith("_share"):
        return pct(v)
    if column.startswith("hhi") or column in ("unmet_penalty", "allocated_cost", "cost_per_t"):
        return num(v, "{:,.0f}")
    return num(v) if isinstance(v, float) else text(v)


def _flow_data(run) -> dict:
    """The diagram's data: flows, a colour per material, tooltips, supply chains."""
    links = sankey_links(run.tables, run.data)
    materials = sorted({link["m"] for link in links})
    return {"LINKS": links, "COLOURS": {m: PALETTE[i % len(PALETTE)] for i, m in enumerate(materials)},
            "INFO": site_info(run.tables, run.data), "FEEDS": supply_chains(run.data)}


def _wrap(title: str, body: str, data: dict) -> str:
    """The page: head with the CSS, the body, the diagram's data and script."""
    consts = "".join(f"const {k} = {json.dumps(v, separators=(',', ':')) if k == 'LINKS' else json.dumps(v)};\n"
                     for k, v in data.items()).replace("</", "<\\/")   # JSON inside <script>
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>Sourcing report: {html.escape(title)}</title>\n<style>\n{static("page.css")}</style></head>'
            f'<body>\n{body}\n<script>\n"use strict";\n{consts}{static("sankey.js")}</script>\n'
            '</body></html>\n')
