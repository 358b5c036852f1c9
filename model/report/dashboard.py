"""The Dashboard sheet: the answers on one screen.

    header              title; scenario, status, gap, horizon, versions; for a
                        bent plan (status elastic) a red line naming what bent

    headline tiles      total cost = spent + penalties (all discounted), unmet t and
                        share met, highest HHI of foreign origins, warnings; a line
                        naming what is unmet (model.results.headline)
    Where from          per demanded material over the horizon: arrivals, top
                        country and its share, HHI of foreign origins, share from
                        controlled countries, domestic share; top suppliers
    At what cost        cost by category over the horizon (undiscounted, and the
                        discounted total); cost per t delivered
    What binds          binding export controls and policies, largest
                        |change_per_t| first, with their meaning in words
    What is at risk     unmet demand, foreign HHI above 2,500, more than half from
                        controlled countries, a stock floor broken or held while the
                        site goes short (risks(): a floor held by choice is no risk)
    What to build       (a workbook with Investments) the units decided, when, online
                        from, capacity added and capex
    two charts          arrivals by origin country (share), cost by category

Everything shown is on a data sheet too (KPIs, CostByCategory,
RuleMarginals, StockCheck ...), so the Dashboard only picks and sorts.
"""

from __future__ import annotations

import pandas as pd
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from model.report import styles as st
from model.report.investments import what_to_build
from model.text import periods_text
from model.results.kpis import ALL, CONTROLLED_HIGH, HHI_HIGH
from model.schema import SETTING_DEFAULTS

# Column grid: B..H left panel, I gap, J..P right panel, charts from R.
WIDTHS = {"A": 2, "B": 22, "C": 13, "D": 18, "E": 11, "F": 12, "G": 11, "H": 11, "I": 3,
          "J": 33, "K": 15, "L": 12, "M": 13, "N": 15, "O": 12, "P": 12, "Q": 3}
LEFT, RIGHT = 2, 10           # first column of each panel
MAX_MATERIALS = 10
MAX_BINDING = 10
MAX_RISKS = 12


class Canvas:
    def __init__(self, ws):
        self.ws = ws

    def put(self, row, col, value, fmt=None, font=None, fill=None, align=None, border=None):
        c = self.ws.cell(row=row, column=col, value=value)
        if fmt:
            c.number_format = fmt
        if font:
            c.font = font
        if fill:
            c.fill = fill
        if align:
            c.alignment = align
        if border:
            c.border = border
        return c

    def section(self, row, col, title, span):
        self.put(row, col, title, font=st.SECTION_FONT)
        for j in range(col, col + span):
            self.ws.cell(row=row, column=j).border = st.UNDER
        return row + 1

    def table(self, row, col, headers, rows, formats, flags=None, note=None, align=None):
        """Small table; ``flags[i][j]`` True paints a cell red; ``align[j]`` is
        left, center or right (default: right for numbers). Returns the next free row."""
        align = align or ["right" if f else "left" for f in formats]
        for j, h in enumerate(headers):
            self.put(row, col + j, h, font=st.SMALL_HEADER_FONT, fill=st.SMALL_HEADER_FILL,
                     align=Alignment(horizontal=align[j], vertical="center"))
        for i, values in enumerate(rows, start=1):
            for j, v in enumerate(values):
                flagged = bool(flags and flags[i - 1][j])
                self.put(row + i, col + j, v, fmt=formats[j],
                         fill=st.RED_FILL if flagged else None,
                         font=st.RED_FONT if flagged else None,
                         align=Alignment(horizontal=align[j]) if align[j] == "center" else None)
        end = row + len(rows) + 1
        if not rows:
            self.put(row + 1, col, "none", font=st.LABEL_FONT)
            end += 1
        if note:
            self.put(end, col, note, font=st.LABEL_FONT)
            end += 1
        return end


TILE_SPANS = [(2, 3), (4, 5), (6, 8), (10, 11), (12, 13), (14, 16)]


def _tiles(cv: Canvas, row: int, tiles: list[tuple[str, object, str, bool]]) -> None:
    ws = cv.ws
    for (first, last), (label, value, fmt, bad) in zip(TILE_SPANS, tiles):
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        ws.merge_cells(start_row=row + 1, start_column=first, end_row=row + 1, end_column=last)
        fill = st.RED_FILL if bad else st.TILE_FILL
        cv.put(row, first, label, font=st.LABEL_FONT, fill=st.TILE_FILL,
               align=Alignment(horizontal="center"))
        cv.put(row + 1, first, value, fmt=fmt,
               font=st.Font(bold=True, size=14, color="9C0006" if bad else st.NAVY),
               fill=fill, align=Alignment(horizontal="center"))
        for j in range(first, last + 1):
            ws.cell(row=row, column=j).fill = st.TILE_FILL
            ws.cell(row=row + 1, column=j).fill = fill
    ws.row_dimensions[row + 1].height = 22


def binding_rules(marginals: pd.DataFrame | None, n: int = MAX_BINDING) -> pd.DataFrame:
    """One row per binding rule: its periods, its largest |change_per_t| and meaning."""
    cols = ["rule_id", "sheet", "kind", "material_id", "periods", "change_per_t", "meaning"]
    if marginals is None or marginals.empty or "binding" not in marginals:
        return pd.DataFrame(columns=cols)
    b = marginals[marginals["binding"] == True].copy()  # noqa: E712
    if b.empty:
        return pd.DataFrame(columns=cols)
    b["_abs"] = b["change_per_t"].abs()
    rows = []
    for rule, g in b.groupby("rule_id", sort=True):
        top = g.sort_values(["_abs", "period"], ascending=[False, True], kind="stable").iloc[0]
        mats = sorted({str(m) for m in g["material_id"] if isinstance(m, str) and m})
        rows.append((rule, top["sheet"], top["kind"], ", ".join(mats),
                     periods_text(g["period"]), float(top["change_per_t"]), top["meaning"]))
    out = pd.DataFrame(rows, columns=cols)
    out["_abs"] = out["change_per_t"].abs()
    out = out.sort_values(["_abs", "rule_id"], ascending=[False, True], kind="stable")
    return out[cols].head(n).reset_index(drop=True)


def risks(kpis: dict, tables: dict | None = None) -> list[tuple[str, str, str, object, str]]:
    """(issue, where, periods, worst value, number format) rows for 'What is at risk'.

    Concentration is the HHI of foreign origins (``hhi_foreign``): what comes from the
    buyer's own country is no supply risk. A stock floor is a risk only when it is broken
    (a bent plan) or held while the same site goes short of the same material: a floor
    held exactly when nothing is short is the plan's choice (holding costs), not a risk."""
    out = []
    k = kpis.get("KPIs")
    if k is not None and len(k):
        per = k[k["period"] != ALL]
        for m, g in per.groupby("material_id", sort=True):
            u = g[g["unmet_t"] > 1e-6]
            if len(u):
                out.append(("unmet demand (t)", m, periods_text(u["period"]),
                            float(u["unmet_t"].sum()), st.TONNES))
        for m, g in per.groupby("material_id", sort=True):
            h = g[g["hhi_foreign"].astype(float) > HHI_HIGH]
            if len(h):
                out.append(("HHI of foreign origins > 2,500", m, periods_text(h["period"]),
                            float(h["hhi_foreign"].max()), st.HHI))
        for m, g in per.groupby("material_id", sort=True):
            c = g[g["controlled_share"].astype(float) > CONTROLLED_HIGH]
            if len(c):
                out.append(("> 50% from controlled countries", m, periods_text(c["period"]),
                            float(c["controlled_share"].max()), st.SHARE))
    s = kpis.get("StockCheck")
    if s is not None and len(s):
        below = s[s["status"] == "below floor"]
        for (site, m), g in below.groupby(["site_id", "material_id"], sort=True):
            out.append(("stock below its floor (t short)", f"{m} at {site}",
                        periods_text(g["period"]), float(-g["above_floor_t"].min()), st.TONNES))
        at = s[s["status"] == "at floor"].merge(_short_sites(tables),
                                                on=["site_id", "material_id", "period"])
        for (site, m), g in at.groupby(["site_id", "material_id"], sort=True):
            out.append(("stock at floor, demand short (t)", f"{m} at {site}",
                        periods_text(g["period"]), float(g["min_stock_t"].max()), st.TONNES))
    return out


def _short_sites(tables: dict | None) -> pd.DataFrame:
    """(site_id, material_id, period) where demand goes unmet."""
    dem = (tables or {}).get("Demand")
    keys = ["site_id", "material_id", "period"]
    if dem is None or dem.empty:
        return pd.DataFrame(columns=keys)
    return dem.loc[dem["unmet_t"] > 1e-6, keys].drop_duplicates()


def risks_shown(kpis: dict, tables: dict | None) -> tuple[list, int]:
    """The risk rows the Dashboard and the web page show, and how many more there are."""
    rk = risks(kpis, tables)
    return rk[:MAX_RISKS], max(0, len(rk) - MAX_RISKS)


def write(ws, summary: dict, run, kpis: dict, blocks: dict, wb, problems=()) -> None:
    cv = Canvas(ws)
    ws.sheet_view.showGridLines = False
    ws.sheet_view.zoomScale = 90
    for letter, w in WIDTHS.items():
        ws.column_dimensions[letter].width = w
    data = run.data if run else None
    cur = (data.settings if data else SETTING_DEFAULTS)["currency"]
    from model.report.layout import has_results
    tables = run.tables if has_results(run) else {}
    status = summary.get("status") or "error"
    name = str(summary.get("input_file") or "").replace("\\", "/").rsplit("/", 1)[-1]
    cv.put(1, LEFT, f"Sourcing report: {name}", font=st.TITLE_FONT)
    gap = summary.get("mip_gap")
    bits = [f"scenario {summary.get('scenario') or 'base'}", f"status {status}"]
    if gap is not None:
        bits.append(f"gap {gap:.3%}")
    if data is not None and data.periods:
        bits.append(f"horizon {data.periods[0]}-{data.periods[-1]}")
    bits.append(f"{summary.get('solver')} {summary.get('solver_version') or ''}".strip())
    bits.append(f"secure-sourcing {summary.get('software_version')}")
    if tables:
        bits.append("details: sheets About, KPIs, RuleMarginals")
    cv.put(2, LEFT, "  |  ".join(bits), font=st.SUBTITLE_FONT)
    banner = bent_banner(summary, run)
    if banner:
        cv.put(3, LEFT, banner, font=st.RED_FONT, fill=st.RED_FILL)

    if not tables:
        _no_solution(cv, summary, run, problems)
        _setup(ws, 20, 16)
        return

    k = kpis.get("KPIs")
    horizon = k[k["period"] == ALL] if k is not None and len(k) else pd.DataFrame()
    dem = tables.get("Demand")
    demand_t = float(dem["quantity_t"].sum()) if dem is not None else 0.0
    unmet_t = float(dem["unmet_t"].sum()) if dem is not None else 0.0
    penalty = summary.get("penalty")
    binding = binding_rules(tables.get("RuleMarginals"), n=10_000)
    worst_hhi = float(horizon["hhi_foreign"].astype(float).max()) if len(horizon) and \
        horizon["hhi_foreign"].notna().any() else None
    n_warn = int(summary.get("warnings") or 0)
    met = f"; {(demand_t - unmet_t) / demand_t:.1%} met" if demand_t else ""
    _tiles(cv, 4, [
        (f"total cost ({cur}, discounted)", summary.get("objective"), st.MONEY, False),
        (f"spent ({cur}, discounted)", summary.get("spent"), st.MONEY, False),
        (f"penalties ({cur}, discounted)", penalty, st.MONEY, bool(penalty and penalty > 0)),
        (f"unmet demand (t{met})", unmet_t, st.TONNES, unmet_t > 1e-6),
        ("top HHI, foreign origins", worst_hhi, st.HHI, bool(worst_hhi and worst_hhi > HHI_HIGH)),
        ("warnings", n_warn, "0", n_warn > 0),
    ])
    top = 7
    if summary.get("unmet"):
        gap = summary.get("unclosable")
        cv.put(6, LEFT, f"Unmet: {summary['unmet']} (sheet Demand). Penalties are charged for "
               "it; spent + penalties = total cost.", font=st.RED_FONT)
        if gap:                  # a line of its own: one line would run off the page
            cv.put(7, LEFT, gap, font=st.RED_FONT)
            top = 8
    else:
        cv.put(6, LEFT, "All demand is met: the total cost is money spent.", font=st.LABEL_FONT)

    # --- left: where from, top suppliers ---------------------------------------------------
    r = cv.section(top, LEFT, "Where from: arrivals at demand sites, whole horizon", 7)
    rows, flags = [], []
    for rec in horizon.head(MAX_MATERIALS).to_dict("records"):
        rows.append([rec["material_id"], rec["arrivals_t"], rec["top_country"],
                     rec["top_country_share"], rec["hhi_foreign"], rec["controlled_share"],
                     rec["domestic_share"]])
        flags.append([False, False, False, False, _gt(rec["hhi_foreign"], HHI_HIGH),
                      _gt(rec["controlled_share"], CONTROLLED_HIGH), False])
    note = (f"first {MAX_MATERIALS} materials; all on sheet KPIs" if len(horizon) > MAX_MATERIALS
            else "HHI foreign: of foreign origins (domestic is no supply risk); red above 2,500, "
            "or > 50% from countries with export controls")
    r = cv.table(r, LEFT, ["material", "arrivals (t)", "top country", "its share", "HHI foreign",
                           "controlled", "domestic"], rows,
                 [None, st.TONNES, None, st.SHARE, st.HHI, st.SHARE, st.SHARE], flags, note,
                 ["left", "right", "center", "right", "right", "right", "right"])
    r += 1
    r = cv.section(r, LEFT, "Top suppliers (companies), whole horizon", 7)
    from model.results.kpis import top_suppliers
    sup = top_suppliers(tables, data, 3) if data is not None else pd.DataFrame()
    if len(sup):
        sup = sup[sup["material_id"].isin(list(horizon["material_id"].head(MAX_MATERIALS)))]
    rows = [[s["material_id"], s["company"], None, None, s["country"], s["arrivals_t"], s["share"]]
            for s in sup.to_dict("records")]
    left_end = cv.table(r, LEFT, ["material", "company", "", "", "country", "arrivals (t)", "share"],
                        rows, [None, None, None, None, None, st.TONNES, st.SHARE],
                        align=["left", "left", "left", "left", "center", "right", "right"])

    # --- right: at what cost, cost per t, at risk -------------------------------------------
    r = cv.section(top, RIGHT, f"At what cost ({cur}, undiscounted)", 7)
    cost = tables.get("CostByCategory")
    rows = []
    if cost is not None and len(cost):
        by = cost.groupby("category", sort=False)[["cost", "discounted_cost"]].sum()
        by = by[by["cost"].abs() > 0]
        total = float(by["cost"].sum())
        for cat, v in by.iterrows():
            rows.append([cat, float(v["cost"]), float(v["cost"]) / total if total else None])
        rows.append(["total, undiscounted", total, 1.0 if total else None])
        rows.append(["total discounted = total cost", float(by["discounted_cost"].sum()), None])
    r = cv.table(r, RIGHT, ["category", f"cost ({cur})", "share"], rows, [None, st.MONEY, st.SHARE])
    if len(rows) >= 2:
        for i in (1, 2):
            for j in range(3):
                ws.cell(row=r - i, column=RIGHT + j).font = st.BOLD
    from model.results.contracts import dashboard_lines
    for line in dashboard_lines(tables, cur):       # contract v1.2: sales, take-or-pay
        cv.put(r, RIGHT, line)
        r += 1
    r += 1
    r = cv.section(r, RIGHT, f"Cost per t delivered ({cur}, undiscounted, whole horizon)", 7)
    cpt = kpis.get("CostPerTonne")
    rows, flags = [], []
    if cpt is not None and len(cpt):
        for rec in cpt[cpt["period"] == ALL].head(MAX_MATERIALS).to_dict("records"):
            rows.append([rec["material_id"], rec["delivered_t"], rec["allocated_cost"],
                         rec["cost_per_t"], rec["unmet_penalty"]])
            flags.append([False, False, False, False, _gt(rec["unmet_penalty"], 0)])
    r = cv.table(r, RIGHT, ["material", "delivered (t)", "cost", "cost per t", "unmet penalty"],
                 rows, [None, st.TONNES, st.MONEY, st.MONEY, st.MONEY], flags,
                 "each cost goes to the demanded materials it feeds (docs/report.md)")
    r += 1
    r = cv.section(r, RIGHT, "What is at risk", 7)
    shown, more = risks_shown(kpis, tables)
    cols = [RIGHT, RIGHT + 1, RIGHT + 3, RIGHT + 5]
    for h, c in zip(["issue", "material", "periods", "worst / total"], cols):
        cv.put(r, c, h, font=st.SMALL_HEADER_FONT, fill=st.SMALL_HEADER_FILL,
               align=Alignment(horizontal="right" if h.startswith("worst") else "left"))
    for j in range(RIGHT, RIGHT + 7):
        ws.cell(row=r, column=j).fill = st.SMALL_HEADER_FILL
    for i, (issue, where, periods, value, fmt) in enumerate(shown, start=1):
        cv.put(r + i, RIGHT, issue)
        cv.put(r + i, RIGHT + 1, where)
        cv.put(r + i, RIGHT + 3, periods)
        cv.put(r + i, RIGHT + 5, value, fmt=fmt, font=st.RED_FONT, fill=st.RED_FILL)
    right_end = r + len(shown) + 1
    if not shown:
        cv.put(r + 1, RIGHT, "nothing flagged", font=st.LABEL_FONT)
        right_end += 1
    if more:
        cv.put(right_end, RIGHT, f"{more} more: sheets KPIs and StockCheck",
               font=st.LABEL_FONT)
        right_end += 1

    # --- what binds: full width --------------------------------------------------------------
    top = max(left_end, right_end) + 1
    r = cv.section(top, LEFT, f"What binds: {len(binding)} rules at their limit, largest effect "
                   f"first. {cur} per t: the change in total cost if the limit were 1 t looser "
                   "(negative: a looser limit saves that much; positive: it costs)", 15)
    hdr = [(LEFT, "rule"), (LEFT + 1, "periods"), (LEFT + 2, f"{cur} per t (-: saves)"),
           (LEFT + 3, "   meaning, in the period where it is largest")]
    for c, h in hdr:
        cv.put(r, c, h, font=st.SMALL_HEADER_FONT, fill=st.SMALL_HEADER_FILL,
               align=Alignment(horizontal="right" if c == LEFT + 2 else "left"))
    for j in range(LEFT, LEFT + 15):
        ws.cell(row=r, column=j).fill = st.SMALL_HEADER_FILL
    shown = binding.head(MAX_BINDING).to_dict("records")
    for i, b in enumerate(shown, start=1):
        cv.put(r + i, LEFT, b["rule_id"])
        cv.put(r + i, LEFT + 1, b["periods"])
        cv.put(r + i, LEFT + 2, b["change_per_t"], fmt=st.MONEY, align=Alignment(horizontal="right"))
        cv.put(r + i, LEFT + 3, "   " + _short(b["meaning"], 150))
    end = r + len(shown) + 1
    if not shown:
        cv.put(r + 1, LEFT, "no export control or policy binds", font=st.LABEL_FONT)
        end += 1
    more = len(binding) - len(shown)
    cv.put(end, LEFT, ("every row: sheet RuleMarginals" if more <= 0 else
                       f"{more} more: sheet RuleMarginals") + "; negative: one more t would save",
           font=st.LABEL_FONT)
    end = _ties(cv, ws, end + 1, tables.get("Robustness"), cur)
    end = what_to_build(cv, LEFT, end + 1, tables.get("Investments"), cur)

    # --- charts: right of the tables ------------------------------------------------------
    if blocks:
        from model.report import charts
        data_ws = wb["ChartData"]
        at = 4
        if "shares" in blocks:
            c = charts.stacked_columns(data_ws, blocks["shares"], "share of arrivals", percent=True,
                                       horizontal=True, width=15, height=7.5)
            ws.add_chart(c, f"R{at}")
            at += 16
        if "cost" in blocks:
            c = charts.stacked_columns(data_ws, blocks["cost"], cur, width=15, height=7.5)
            ws.add_chart(c, f"R{at}")
            at += 16
        end = max(end, at)
    _setup(ws, end, 26 if blocks else 16)


MAX_TIES = 8


def _ties(cv: Canvas, ws, top: int, rob: pd.DataFrame | None, cur: str) -> int:
    """Which choices are findings and which are ties (sheet Robustness, --robustness)."""
    if rob is None:
        cv.put(top, LEFT, "Which of these choices are ties? Run with --robustness: every offer and "
               "process forced out or in, and what deciding otherwise costs.", font=st.LABEL_FONT)
        return top + 1
    used = rob[rob["used"]]
    ties = used[used["interchangeable"]]
    share = rob.attrs.get("threshold", 0.001)
    r = cv.section(top, LEFT, f"These choices are ties, not recommendations: {len(ties)} of the "
                   f"{len(used)} offers and processes used can be replaced for less than "
                   f"{share:.1%} of the total cost", 15)
    for c, h in ((LEFT, "choice"), (LEFT + 1, "kind"), (LEFT + 2, f"cost to drop ({cur})"),
                 (LEFT + 3, "   what takes over")):
        cv.put(r, c, h, font=st.SMALL_HEADER_FONT, fill=st.SMALL_HEADER_FILL,
               align=Alignment(horizontal="right" if c == LEFT + 2 else "left"))
    for j in range(LEFT, LEFT + 15):
        ws.cell(row=r, column=j).fill = st.SMALL_HEADER_FILL
    shown = ties.head(MAX_TIES).to_dict("records")
    for i, t in enumerate(shown, start=1):
        cv.put(r + i, LEFT, t["id"])
        cv.put(r + i, LEFT + 1, t["kind"])
        cv.put(r + i, LEFT + 2, t["cost_change"], fmt=st.MONEY, align=Alignment(horizontal="right"))
        cv.put(r + i, LEFT + 3, "   " + (t["alternatives"] or "-"))
    end = r + len(shown) + 1
    if not shown:
        cv.put(end, LEFT, "none: every choice used costs at least that much to undo",
               font=st.LABEL_FONT)
        end += 1
    firm = used[~used["interchangeable"]].sort_values("cost_change", ascending=False).head(3)
    findings = ", ".join(f"{t['id']} ({t['change_share']:.1%})" for t in firm.to_dict("records"))
    cv.put(end, LEFT, (f"firmest findings (cost to drop, share of total): {findings}; " if findings
                       else "") + "every choice: sheet Robustness", font=st.LABEL_FONT)
    return end + 1


MAX_BENT_NAMED = 6


def bent_banner(summary: dict, run) -> str | None:
    """The warning a bent (elastic) plan carries at the top of the Dashboard and
    the web page: what bent, by sheet row and id; None for any other plan."""
    if summary.get("status") != "elastic":
        return None
    table = run.tables.get("Elastic") if run is not None and run.tables else None
    named = []
    if table is not None and len(table):
        for rec in table.to_dict("records"):
            what = f"{rec['sheet']} row {rec['excel_row']}" + (f" ({rec['id']})" if rec["id"] else "")
            if what not in named:
                named.append(what)
    more = f" and {len(named) - MAX_BENT_NAMED} more" if len(named) > MAX_BENT_NAMED else ""
    n = summary.get("elastic_bends") or (len(table) if table is not None else 0)
    return (f"BENT PLAN (--elastic): not a plan that keeps every rule. {n} bend(s) in "
            f"{len(named)} workbook row(s): {', '.join(named[:MAX_BENT_NAMED])}{more}. Sheet "
            "Elastic says by how much; RuleMarginals marks them bent.")


def _gt(v, limit) -> bool:
    try:
        return v is not None and v == v and float(v) > limit
    except (TypeError, ValueError):
        return False


def _short(text, n: int) -> str:
    text = "" if text is None else str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def _no_solution(cv: Canvas, summary: dict, run, problems) -> None:
    ws = cv.ws
    status = summary.get("status") or "error"
    cv.put(4, LEFT, "No solution", font=st.SECTION_FONT)
    what = {
        "infeasible": "The rules cannot all be met: no plan satisfies every constraint.",
        "unbounded": "The cost can fall without limit: a cost or a capacity is missing.",
        "time_limit": "The solver stopped at its time limit before finding a plan.",
        "error": "The run stopped before solving.",
        "interrupted": "The run was stopped (Ctrl-C or SIGTERM) before it finished: there is no "
                       "plan. Run it again to get one.",
    }.get(status, f"Status {status}.")
    if summary.get("reason") == "invalid_input":
        what = "The workbook has errors: nothing was solved. Each is listed below and on Warnings."
    cv.put(5, LEFT, what)
    message = str(summary.get("message") or "").splitlines()
    cv.put(6, LEFT, message[0][:200] if message else "", font=st.SUBTITLE_FONT)
    r = 8
    why = summary.get("infeasibility")
    table = (run.tables.get("Infeasibility") if run and run.tables else None)
    if why or (table is not None and len(table)):
        r = cv.section(r, LEFT, "Why: the requirements and limits that conflict "
                       "(all on sheet Infeasibility)", 15)
        if why:
            cv.put(r, LEFT, str(why), font=st.BOLD)
            r += 1
        if table is not None and len(table) and "meaning" in table:
            for rec in table.head(20).to_dict("records"):
                cv.put(r, LEFT, str(rec.get("role") or ""), font=st.LABEL_FONT)
                cv.put(r, LEFT + 1, str(rec.get("meaning") or ""))
                r += 1
        r += 1
    probs = list(problems) or (list(run.warnings) if run else [])
    if probs:
        r = cv.section(r, LEFT, f"Problems ({len(probs)}; all on sheet Warnings)", 15)
        for p in probs[:25]:
            bad = getattr(p, "severity", "") == "error"
            cv.put(r, LEFT, getattr(p, "severity", ""), font=st.RED_FONT if bad else None)
            cv.put(r, LEFT + 1, str(p))
            r += 1
    ws.cell(row=r + 1, column=LEFT, value="See About for the input, scenario and solver.").font = \
        st.LABEL_FONT


def _setup(ws, last_row: int, last_col: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.3
    ws.page_margins.top = ws.page_margins.bottom = 0.4
    ws.print_area = f"A1:{get_column_letter(last_col)}{max(last_row, 10)}"
    ws.sheet_properties.tabColor = st.NAVY
