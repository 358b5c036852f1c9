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
                        site goes short (a floor held by choice is no risk)
    What to build       (a workbook with Investments) the units decided, when, online
                        from, capacity added and capex
    two charts          arrivals by origin country (share), cost by category

Every figure comes from one value, ``model.results.figures.Figures``, which the web page
(``model.report.html``) renders too; this module only lays it out in cells. Everything
shown is on a data sheet as well (KPIs, CostByCategory, RuleMarginals, StockCheck ...).
"""

from __future__ import annotations

from openpyxl.styles import Alignment

from model.report import styles as st
from model.report.canvas import LEFT, RIGHT, WIDTHS, Canvas, one_page
from model.report.investments import what_to_build
from model.results import figures as F
from model.results.kpis import CONTROLLED_HIGH, HHI_HIGH

MAX_MATERIALS = 10
MAX_BINDING = 10
MAX_TIES = 8
FORMATS = {F.MONEY: st.MONEY, F.TONNES: st.TONNES, F.HHI: st.HHI, F.SHARE: st.SHARE,
           F.COUNT: "0"}


def write(ws, summary: dict, run, fig: F.Figures, blocks: dict, wb, problems=()) -> None:
    """Lay ``fig`` out on ``ws`` (``blocks``: the ChartData blocks of the two charts)."""
    cv = Canvas(ws)
    ws.sheet_view.showGridLines = False
    ws.sheet_view.zoomScale = 90
    for letter, w in WIDTHS.items():
        ws.column_dimensions[letter].width = w
    cv.put(1, LEFT, f"Sourcing report: {fig.name}", font=st.TITLE_FONT)
    details = ["details: sheets About, KPIs, RuleMarginals"] if fig.solved else []
    cv.put(2, LEFT, "  |  ".join(fig.context + details), font=st.SUBTITLE_FONT)
    if fig.bent:
        cv.put(3, LEFT, fig.bent, font=st.RED_FONT, fill=st.RED_FILL)
    if not fig.solved:
        no_solution(cv, summary, run, problems)
        one_page(ws, 20, 16)
        return
    top = _headline(cv, fig)
    left_end = _where_from(cv, top, fig)
    right_end = _cost(cv, top, fig)
    right_end = _at_risk(cv, right_end + 1, fig)
    end = _binding(cv, max(left_end, right_end) + 1, fig)
    end = _ties(cv, end + 1, fig.ties, fig.currency)
    end = what_to_build(cv, LEFT, end + 1, fig.build, fig.currency)
    if blocks:
        end = max(end, _charts(ws, wb, blocks, fig.currency))
    one_page(ws, end, 26 if blocks else 16)


def _headline(cv: Canvas, fig: F.Figures) -> int:
    """The tiles and the line on unmet demand; returns the first row under them."""
    cv.tiles(4, [(t.label, t.value, FORMATS[t.unit], t.bad) for t in fig.tiles])
    if not fig.unmet:
        cv.put(6, LEFT, "All demand is met: the total cost is money spent.", font=st.LABEL_FONT)
        return 7
    cv.put(6, LEFT, f"Unmet: {fig.unmet} (sheet Demand). Penalties are charged for "
           "it; spent + penalties = total cost.", font=st.RED_FONT)
    if fig.unclosable:                  # a line of its own: one line would run off the page
        cv.put(7, LEFT, fig.unclosable, font=st.RED_FONT)
        return 8
    return 7


def _where_from(cv: Canvas, top: int, fig: F.Figures) -> int:
    r = cv.section(top, LEFT, "Where from: arrivals at demand sites, whole horizon", 7)
    horizon = fig.where_from
    rows, flags = [], []
    for rec in horizon.head(MAX_MATERIALS).to_dict("records"):
        rows.append([rec["material_id"], rec["arrivals_t"], rec["top_country"],
                     rec["top_country_share"], rec["hhi_foreign"], rec["controlled_share"],
                     rec["domestic_share"]])
        flags.append([False, False, False, False, F.above(rec["hhi_foreign"], HHI_HIGH),
                      F.above(rec["controlled_share"], CONTROLLED_HIGH), False])
    note = (f"first {MAX_MATERIALS} materials; all on sheet KPIs" if len(horizon) > MAX_MATERIALS
            else "HHI foreign: of foreign origins (domestic is no supply risk); red above 2,500, "
            "or > 50% from countries with export controls")
    r = cv.table(r, LEFT, ["material", "arrivals (t)", "top country", "its share", "HHI foreign",
                           "controlled", "domestic"], rows,
                 [None, st.TONNES, None, st.SHARE, st.HHI, st.SHARE, st.SHARE], flags, note,
                 ["left", "right", "center", "right", "right", "right", "right"])
    r = cv.section(r + 1, LEFT, "Top suppliers (companies), whole horizon", 7)
    sup = fig.suppliers
    if len(sup) and len(horizon):
        sup = sup[sup["material_id"].isin(list(horizon["material_id"].head(MAX_MATERIALS)))]
    elif len(sup):
        sup = sup.head(0)
    rows = [[s["material_id"], s["company"], None, None, s["country"], s["arrivals_t"], s["share"]]
            for s in sup.to_dict("records")]
    return cv.table(r, LEFT, ["material", "company", "", "", "country", "arrivals (t)", "share"],
                    rows, [None, None, None, None, None, st.TONNES, st.SHARE],
                    align=["left", "left", "left", "left", "center", "right", "right"])


def _cost(cv: Canvas, top: int, fig: F.Figures) -> int:
    cur = fig.currency
    r = cv.section(top, RIGHT, f"At what cost ({cur}, undiscounted)", 7)
    rows = [[c, v, s] for c, v, s in zip(*(fig.cost[k].tolist() for k in ("category", "cost", "share")))]
    if fig.cost_total is not None:
        total = fig.cost_total
        rows.append(["total, undiscounted", total, 1.0 if total else None])
        rows.append(["total discounted = total cost", fig.cost_discounted, None])
    r = cv.table(r, RIGHT, ["category", f"cost ({cur})", "share"], rows, [None, st.MONEY, st.SHARE])
    if len(rows) >= 2:
        for i in (1, 2):
            for j in range(3):
                cv.ws.cell(row=r - i, column=RIGHT + j).font = st.BOLD
    for line in fig.cost_lines:       # contract v1.2: sales, take-or-pay
        cv.put(r, RIGHT, line)
        r += 1
    r = cv.section(r + 1, RIGHT, f"Cost per t delivered ({cur}, undiscounted, whole horizon)", 7)
    rows, flags = [], []
    for rec in fig.cost_per_t.head(MAX_MATERIALS).to_dict("records"):
        rows.append([rec["material_id"], rec["delivered_t"], rec["allocated_cost"],
                     rec["cost_per_t"], rec["unmet_penalty"]])
        flags.append([False, False, False, False, F.above(rec["unmet_penalty"], 0)])
    return cv.table(r, RIGHT, ["material", "delivered (t)", "cost", "cost per t", "unmet penalty"],
                    rows, [None, st.TONNES, st.MONEY, st.MONEY, st.MONEY], flags,
                    "each cost goes to the demanded materials it feeds (docs/report.md)")


def _at_risk(cv: Canvas, top: int, fig: F.Figures) -> int:
    r = cv.section(top, RIGHT, "What is at risk", 7)
    shown, more = fig.risks_shown
    cols = [RIGHT, RIGHT + 1, RIGHT + 3, RIGHT + 5]
    cv.header(r, [(c, h, "right" if h.startswith("worst") else "left") for c, h in
                  zip(cols, ["issue", "material", "periods", "worst / total"])], RIGHT, 7)
    for i, risk in enumerate(shown, start=1):
        cv.put(r + i, RIGHT, risk.issue)
        cv.put(r + i, RIGHT + 1, risk.where)
        cv.put(r + i, RIGHT + 3, risk.periods)
        cv.put(r + i, RIGHT + 5, risk.value, fmt=FORMATS[risk.unit], font=st.RED_FONT,
               fill=st.RED_FILL)
    end = r + len(shown) + 1
    if not shown:
        cv.put(r + 1, RIGHT, "nothing flagged", font=st.LABEL_FONT)
        end += 1
    if more:
        cv.put(end, RIGHT, f"{more} more: sheets KPIs and StockCheck", font=st.LABEL_FONT)
        end += 1
    return end


def _binding(cv: Canvas, top: int, fig: F.Figures) -> int:
    """What binds, full width."""
    cur, binding = fig.currency, fig.binding
    r = cv.section(top, LEFT, f"What binds: {len(binding)} rules at their limit, largest effect "
                   f"first. {cur} per t: the change in total cost if the limit were 1 t looser "
                   "(negative: a looser limit saves that much; positive: it costs)", 15)
    cv.header(r, [(LEFT, "rule", "left"), (LEFT + 1, "periods", "left"),
                  (LEFT + 2, f"{cur} per t (-: saves)", "right"),
                  (LEFT + 3, "   meaning, in the period where it is largest", "left")], LEFT, 15)
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
    return end


def _ties(cv: Canvas, top: int, ties: F.Ties | None, cur: str) -> int:
    """Which choices are findings and which are ties (sheet Robustness, --robustness)."""
    if ties is None:
        cv.put(top, LEFT, "Which of these choices are ties? Run with --robustness: every offer and "
               "process forced out or in, and what deciding otherwise costs.", font=st.LABEL_FONT)
        return top + 1
    r = cv.section(top, LEFT, f"These choices are ties, not recommendations: {len(ties.ties)} of the "
                   f"{ties.used} offers and processes used can be replaced for less than "
                   f"{ties.threshold:.1%} of the total cost", 15)
    cv.header(r, [(LEFT, "choice", "left"), (LEFT + 1, "kind", "left"),
                  (LEFT + 2, f"cost to drop ({cur})", "right"),
                  (LEFT + 3, "   what takes over", "left")], LEFT, 15)
    shown = ties.ties.head(MAX_TIES).to_dict("records")
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
    findings = ", ".join(f"{t['id']} ({t['change_share']:.1%})"
                         for t in ties.firmest.to_dict("records"))
    cv.put(end, LEFT, (f"firmest findings (cost to drop, share of total): {findings}; " if findings
                       else "") + "every choice: sheet Robustness", font=st.LABEL_FONT)
    return end + 1


def _charts(ws, wb, blocks: dict, cur: str) -> int:
    """The two charts right of the tables; returns the row under them."""
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
    return at


def _short(text, n: int) -> str:
    text = "" if text is None else str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def no_solution(cv: Canvas, summary: dict, run, problems) -> None:
    """Why there is no plan: the status in words, the solver's message, the conflicting
    requirements (sheet Infeasibility), the input's problems."""
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
    cv.ws.cell(row=r + 1, column=LEFT, value="See About for the input, scenario and solver.").font = \
        st.LABEL_FONT
