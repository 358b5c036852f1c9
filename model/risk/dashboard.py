"""The Dashboards of the risk reports: the answer on one page, in words.

    risk_dashboard      sourcing solve --risk: tiles (expected cost, CVaR,
                        first-stage cost, VSS, EVPI, expected unmet), the
                        first-stage decision, the key figures explained with
                        their values, every scenario's cost and unmet demand,
                        two charts (cost and unmet by scenario)
    frontier_dashboard  sourcing frontier: the two ends, the points, the
                        decisions that change along the frontier, a chart of
                        the price of safety against the risk removed
    sample_dashboard    sourcing sample: in- and out-of-sample estimates with
                        their 95 % confidence intervals, the decision, the
                        events and how often they struck

Like the solve report's Dashboard (drawn on the same canvas, tiles and page
setup, ``model.report.canvas``) it only picks and sorts: every figure is on
a data sheet or the Summary too. Key figures are a table (``FIGURES``)
rendered generically from the Summary dict, so a new figure (e.g. the bounds
of another risk engine) is one row there.
"""

from __future__ import annotations

import math

import pandas as pd
from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.utils import get_column_letter

from model.report import charts
from model.report import styles as st
from model.report.canvas import LEFT, RIGHT, Canvas, one_page
from model.report.dashboard import no_solution
from model.risk.frontier import changing_decisions
from model.text import periods_text

# B, J: labels; C, L: ids (LYNAS_HRE_FEED_2025_26, PERPETUA_STIBNITE); E, F, K: wide enough
# for headers ("extra expected", "CVaR removed", "known in advance"); I: the gap between the
# two panels
WIDTHS = {1: 2, 2: 24, 3: 23, 5: 16, 6: 16, 9: 3, 10: 20, 11: 17, 12: 18}
GAP = 9                                 # column I: left empty by every table
MAX_ROWS = 12
MAX_SCENARIOS = 15
MAX_POINTS = 9

# (summary key, label, what it means; {alpha}, {tail} and {lam} are filled in)
FIGURES = [
    ("objective", "RP, the objective", "expected cost + {lam} x CVaR of the plan: what the risk "
                                       "solve minimises (the recourse problem)"),
    ("expected_cost", "expected cost", "the scenarios' total costs weighted by their probability"),
    ("cvar", "CVaR {alpha}", "mean total cost of the worst {tail} of outcomes"),
    ("first_stage_cost", "first-stage cost", "reservations, paid whatever happens"),
    ("EV", "EV", "cost of the plan for one average scenario (every parameter at its mean); "
                 "optimistic: no scenario is average"),
    ("EEV", "EEV", "that average plan's reservations and commitments signed, then each "
                   "scenario played out"),
    ("WS", "WS", "wait-and-see: each scenario known before signing (perfect foresight)"),
    ("VSS", "VSS = EEV - RP", "what planning for the scenarios instead of their average saves"),
    ("EVPI", "EVPI = RP - WS", "the most it is worth paying to know the scenario before signing"),
]


def key_figures(summary: dict) -> list[tuple[str, float, str]]:
    """(label, value, meaning) of each FIGURES key the Summary holds, in FIGURES order."""
    alpha = summary.get("cvar_alpha")
    lam = summary.get("risk_weight") or 0.0
    fill = {"alpha": f"{alpha:g}" if alpha is not None else "",
            "tail": f"{1 - alpha:.0%}" if alpha is not None else "",
            "lam": f"risk_weight {lam:g}"}
    out = []
    for key, label, meaning in FIGURES:
        v = summary.get(key)
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        out.append((label.format(**fill), v, meaning.format(**fill)))
    return out


def _start(ws, title: str, bits: list[str]):
    cv = Canvas(ws)
    ws.sheet_view.showGridLines = False
    ws.sheet_view.zoomScale = 90
    for j in range(1, 17):
        ws.column_dimensions[get_column_letter(j)].width = WIDTHS.get(j, 14)
    cv.put(1, LEFT, title, font=st.TITLE_FONT)
    cv.put(2, LEFT, "  |  ".join(b for b in bits if b), font=st.SUBTITLE_FONT)
    return cv


def _name(summary: dict) -> str:
    return str(summary.get("input_file") or "").replace("\\", "/").rsplit("/", 1)[-1]


def _versions(summary: dict) -> list[str]:
    gap = summary.get("mip_gap")
    return [f"status {summary.get('status')}", f"gap {gap:.3%}" if gap is not None else "",
            f"{summary.get('solver')} {summary.get('solver_version') or ''}".strip(),
            f"secure-sourcing {summary.get('software_version')}"]


def _failed(cv, ws, summary, problems) -> None:
    no_solution(cv, summary, None, problems)
    one_page(ws, 20, 16)


def first_stage_rows(reservations: pd.DataFrame, commitments: pd.DataFrame):
    """Rows of the first-stage decision: reservations summed over periods, commitments taken."""
    rows = []
    res = reservations[reservations["reserved_t"] > 1e-9]
    for offer, g in res.groupby("offer", sort=False):
        rows.append(["reserve", offer, periods_text(g["period"]), float(g["reserved_t"].sum()),
                     float(g["reservation_cost_discounted"].sum())])
    built = commitments[(commitments["kind"] == "invest") & (commitments["decision"] >= 1)]
    com = commitments[(commitments["kind"] != "invest") & (commitments["decision"] == 1)]
    for (kind, ident), g in com.groupby(["kind", "id"], sort=False):
        rows.append([f"commit {kind}", ident, periods_text(g["period"]), None, None])
    for ident, g in built.groupby("id", sort=False):       # contract v1.2: what to build
        units = int(g["decision"].sum())
        rows.append([f"build {units} unit{'s' if units > 1 else ''}", ident,
                     periods_text(g["period"]), None, None])
    return rows


def _decision(cv, r, reservations, commitments, cur, title) -> int:
    r = cv.section(r, LEFT, title, 7)
    rows = first_stage_rows(reservations, commitments)
    shown = rows[:MAX_ROWS]
    note = (f"{len(rows) - len(shown)} more: " if len(rows) > len(shown) else "every one: ") + \
        "sheets Reservations and Commitments; fixed costs of commitments are second-stage costs"
    return cv.table(r, LEFT, ["decision", "offer / process", "", "periods", "t reserved",
                              f"cost ({cur})", ""],
                    [[a, b, None, c, d, e, None] for a, b, c, d, e in shown],
                    [None, None, None, None, st.TONNES, st.MONEY, None], note=note,
                    align=["left", "left", "left", "left", "right", "right", "left"])


def _figures(cv, r, figures) -> int:
    """Key figures, full width: label, value, and what it means in words."""
    r = cv.section(r, LEFT, "Key figures, in words", 15)
    for label, value, meaning in figures:
        cv.put(r, LEFT, label, font=st.BOLD)
        cv.put(r, LEFT + 1, value, fmt=st.MONEY if isinstance(value, (int, float)) else None)
        cv.put(r, LEFT + 2, "   " + meaning)
        r += 1
    return r


def _around_gap(values: list, blank=None) -> list:
    """A table row with an empty cell at the gap between the two panels (column I, too
    narrow for a figure), when the row reaches it."""
    at = GAP - LEFT
    return values if len(values) <= at else [*values[:at], blank, *values[at:]]


def _zero_based(chart):
    chart.y_axis.scaling.min = 0
    return chart


def _chart_blocks(wb, blocks: dict) -> object:
    ws = wb.create_sheet("ChartData")
    charts.write_chart_data(ws, blocks)
    return ws


# --- sourcing solve --risk --------------------------------------------------------------

def risk_dashboard(ws, wb, summary: dict, problems, scenarios: pd.DataFrame | None,
                   reservations=None, commitments=None, cur: str = "USD") -> None:
    alpha = summary.get("cvar_alpha")
    cv = _start(ws, f"Risk-aware sourcing: {_name(summary)}", [
        f"{summary.get('scenarios')} scenarios" if summary.get("scenarios") else "",
        f"risk_weight {summary.get('risk_weight'):g}" if summary.get("risk_weight") is not None
        else "", f"CVaR alpha {alpha:g}" if alpha is not None else "", *_versions(summary)])
    if reservations is None or scenarios is None:
        _failed(cv, ws, summary, problems)
        return
    cv.put(3, LEFT, "Reservations and commitments are decided once, before the scenario is known; "
           "purchases, shipments and stock adapt to each scenario (docs/risk.md).",
           font=st.LABEL_FONT)
    unmet = summary.get("unmet_demand_t_expected") or 0.0
    cv.tiles(4, [
        (f"expected cost ({cur})", summary.get("expected_cost"), st.MONEY, False),
        (f"CVaR {alpha:g}: worst {1 - alpha:.0%} ({cur})" if alpha is not None else "CVaR",
         summary.get("cvar"), st.MONEY, False),
        (f"first-stage cost ({cur})", summary.get("first_stage_cost"), st.MONEY, False),
        (f"VSS ({cur})", summary.get("VSS"), st.MONEY, False),
        (f"EVPI ({cur})", summary.get("EVPI"), st.MONEY, False),
        ("expected unmet demand (t)", unmet, st.TONNES, unmet > 1e-6),
    ])
    r = _figures(cv, 7, key_figures(summary))
    if summary.get("VSS") is None:
        cv.put(r, LEFT, "EV, EEV, WS, VSS and EVPI: run without --no-value", font=st.LABEL_FONT)
        r += 1
    r = _decision(cv, r + 1, reservations, commitments, cur,
                  "The first-stage decision: signed before the scenario is known") + 1
    r = cv.section(r, LEFT, f"Every scenario ({cur}, discounted over the horizon)", 15)
    cols = [("scenario", None), ("probability", st.SHARE), ("total cost", st.MONEY),
            ("first stage", st.MONEY), ("second stage", st.MONEY), ("demand (t)", st.TONNES),
            ("unmet (t)", st.TONNES), (None, None), ("under the EV plan", st.MONEY),
            ("known in advance", st.MONEY)]
    keys = ["scenario", "probability", "total_cost", "first_stage_cost", "second_stage_cost",
            "demand_t", "unmet_t", None, "total_cost_ev_decision", "total_cost_wait_and_see"]
    solved = scenarios[scenarios["role"] == "in the risk solve"] if "role" in scenarios else scenarios
    rows = [[rec.get(k) if k else None for k in keys]
            for rec in solved.head(MAX_SCENARIOS).to_dict("records")]
    flags = [[k == "unmet_t" and (row[i] or 0) > 1e-6 for i, k in enumerate(keys)] for row in rows]
    more = len(solved) - len(rows)
    r = cv.table(r, LEFT, [c or "" for c, _ in cols], rows, [f for _, f in cols], flags,
                 (f"{more} more: " if more > 0 else "") + "sheet Scenarios; 'under the EV plan': "
                 "the scenario's cost with the mean-value plan's first stage (its part of EEV); "
                 "'known in advance': with its own (WS); red: unmet demand",
                 ["left", *["right"] * 9])
    blocks = {}
    if len(solved):
        idx = pd.Index(solved["scenario"].astype(str), name="scenario")
        total = solved["total_cost"].astype(float)
        cheapest = solved["scenario"].iloc[int(total.values.argmin())]
        blocks["cost"] = charts.Block(
            "cost", f"Total cost above the cheapest scenario, {cheapest} ({cur})",
            pd.DataFrame({"above the cheapest": (total - total.min()).values}, index=idx),
            st.MONEY, {"above the cheapest": st.NAVY})
        blocks["unmet"] = charts.Block("unmet", "Unmet demand by scenario (t)",
                                       pd.DataFrame({"unmet": solved["unmet_t"].values}, index=idx),
                                       st.TONNES, {"unmet": "CC79A7"})
    data_ws = _chart_blocks(wb, blocks)
    if blocks:
        ws.add_chart(_zero_based(charts.clustered_columns(data_ws, blocks["cost"], cur, width=17,
                                                          height=7.5)), f"B{r + 1}")
        ws.add_chart(_zero_based(charts.clustered_columns(data_ws, blocks["unmet"], "t", width=17,
                                                          height=7.5)), f"J{r + 1}")
        r += 16
    one_page(ws, r, 16)


# --- sourcing frontier ------------------------------------------------------------------

def frontier_chart(ws, n: int, columns: list[str], alpha, cur: str, width=16, height=8.5):
    """Price of safety (extra expected cost) against risk removed (CVaR reduction), both from
    zero, from the columns of sheet Frontier (rows 2..n+1)."""
    chart = ScatterChart()
    chart.title = charts._title(f"Price of safety: extra expected cost against CVaR {alpha:g} "
                                f"removed ({cur})")
    chart.style = 13
    chart.x_axis.title = f"CVaR removed, against the cheapest plan ({cur})"
    chart.y_axis.title = f"extra expected cost ({cur})"
    x = Reference(ws, min_col=columns.index("cvar_reduction") + 1, min_row=2, max_row=n + 1)
    y = Reference(ws, min_col=columns.index("extra_expected_cost") + 1, min_row=1, max_row=n + 1)
    series = Series(y, x, title_from_data=True)
    series.marker.symbol = "circle"
    series.marker.size = 7
    series.graphicalProperties.line.solidFill = st.BLUE
    series.smooth = False
    chart.series.append(series)
    for axis in (chart.x_axis, chart.y_axis):
        axis.delete = False
        axis.scaling.min = 0
        axis.number_format = st.MONEY
        axis.txPr = charts._small_text()
    chart.legend = None
    chart.width, chart.height = width, height
    return chart


def frontier_dashboard(ws, wb, summary: dict, problems, points=None, portfolios=None,
                       cur: str = "USD") -> None:
    """``points``: sheet Frontier's rows, with the risk removed and the price paid
    (``model.risk.frontier.relative``)."""
    alpha = summary.get("cvar_alpha")
    cv = _start(ws, f"Efficient frontier: {_name(summary)}", [
        f"{summary.get('points')} points" if summary.get("points") else "",
        f"{summary.get('scenarios')} scenarios" if summary.get("scenarios") else "",
        f"CVaR alpha {alpha:g}" if alpha is not None else "", *_versions(summary)[:1],
        *_versions(summary)[2:]])
    if points is None or not len(points) or points["expected_cost"].isna().all():
        _failed(cv, ws, summary, problems)
        return
    cv.put(3, LEFT, f"Each point is the cheapest plan on average whose CVaR (the mean cost of "
           f"the worst {1 - alpha:.0%} of outcomes) is at most its bound; point 0 ignores risk, "
           "the last minimises it (docs/risk.md).", font=st.LABEL_FONT)
    pts = points
    last = pts.iloc[-1]
    cv.tiles(4, [
        (f"cheapest: expected ({cur})", pts["expected_cost"].iloc[0], st.MONEY, False),
        (f"cheapest: CVaR ({cur})", pts["cvar"].iloc[0], st.MONEY, False),
        (f"safest: expected ({cur})", last["expected_cost"], st.MONEY, False),
        (f"safest: CVaR ({cur})", last["cvar"], st.MONEY, False),
        (f"price of safety ({cur})", last["extra_expected_cost"], st.MONEY, False),
        (f"CVaR removed ({cur})", last["cvar_reduction"], st.MONEY, False),
    ])
    r = cv.section(7, LEFT, f"The frontier ({cur})", 15)
    rows = [[int(p["point"]), p["expected_cost"], p["cvar"], p["extra_expected_cost"],
             p["cvar_reduction"], p["implied_risk_weight"], p.get("reservation_cost"), None,
             p["status"]] for p in pts.to_dict("records")]
    r = cv.table(r, LEFT, ["point", "expected cost", "CVaR", "extra expected", "CVaR removed",
                           "risk weight", "reservations", "", "status"], rows,
                 [st.INTEGER, st.MONEY, st.MONEY, st.MONEY, st.MONEY, "0.000", st.MONEY, None,
                  None],
                 note="risk weight: expected cost saved per unit of CVaR given up near the point "
                      "(the risk_weight that picks it where the frontier is convex); every point: "
                      "sheet Frontier",
                 align=["center", "right", "right", "right", "right", "right", "right", "left",
                        "left"])
    r += 1
    change = changing_decisions(portfolios)
    shown_points = list(change.columns)[:MAX_POINTS] if len(change) else []
    r = cv.section(r, LEFT, f"Decisions that change along the frontier: {len(change)}", 15)
    rows = [[kind, ident, int(period), *[float(change.loc[(kind, ident, period), p])
                                         for p in shown_points]]
            for kind, ident, period in list(change.index)[:MAX_ROWS]]
    more = len(change) - len(rows)
    headers, formats, align = (["kind", "offer / process", "period", *[f"point {p}" for p in shown_points]],
                               [None, None, st.PERIOD, *[st.TONNES] * len(shown_points)],
                               ["left", "left", "center", *["right"] * len(shown_points)])
    r = cv.table(r, LEFT, _around_gap(headers, ""), [_around_gap(row) for row in rows],
                 _around_gap(formats), align=_around_gap(align, "left"),
                 note=(f"{more} more: " if more > 0 else "") + "sheet FrontierPortfolio; reserve: "
                 "t reserved; offer, process: 1 committed, 0 not")
    if not len(change):
        cv.put(r, LEFT, "none: the same reservations and commitments all along; only the "
               "second stage changes", font=st.LABEL_FONT)
        r += 1
    front = wb["Frontier"]
    ws.add_chart(frontier_chart(front, len(pts), list(pts.columns), alpha, cur), f"B{r + 1}")
    one_page(ws, r + 18, 16)


# --- sourcing sample --------------------------------------------------------------------

def estimates(summary: dict) -> list[list]:
    """Rows (estimate, scenarios, mean, half-width, low, high, CVaR) of the Summary's figures."""
    rows = []
    for key, label, n in (("in_sample", "in sample (the decision's own scenarios)", "n"),
                          ("out_of_sample", "out of sample (fresh scenarios)", "n_out")):
        if summary.get(f"{key}_expected_cost") is None:
            continue
        rows.append([label, summary.get(n), summary[f"{key}_expected_cost"],
                     summary.get(f"{key}_ci95_half_width"), summary.get(f"{key}_ci95_low"),
                     summary.get(f"{key}_ci95_high"), summary.get(f"{key}_cvar")])
    return rows


def sample_dashboard(ws, wb, summary: dict, problems, reservations=None, commitments=None,
                     events: pd.DataFrame | None = None, cur: str = "USD") -> None:
    alpha = summary.get("cvar_alpha")
    cv = _start(ws, f"Sampled scenarios: {_name(summary)}", [
        f"{summary.get('n')} scenarios in sample, {summary.get('n_out')} out of sample"
        if summary.get("n") else "", f"seed {summary.get('seed')}" if summary.get("seed") is not None
        else "", f"CVaR alpha {alpha:g}" if alpha is not None else "", *_versions(summary)])
    if reservations is None:
        _failed(cv, ws, summary, problems)
        return
    cv.put(3, LEFT, "In sample: the plan solved on the sampled scenarios (optimistic: tuned to "
           "them). Out of sample: that plan's first stage on fresh scenarios (unbiased). "
           "Intervals: 95 %, Student t.", font=st.LABEL_FONT)
    gap = summary.get("optimism_gap")
    cv.tiles(4, [
        (f"in sample: expected ({cur})", summary.get("in_sample_expected_cost"), st.MONEY, False),
        (f"out of sample: expected ({cur})", summary.get("out_of_sample_expected_cost"), st.MONEY,
         False),
        (f"out of sample: 95% CI ± ({cur})", summary.get("out_of_sample_ci95_half_width"),
         st.MONEY, False),
        (f"optimism gap ({cur})", gap, st.MONEY, False),
        (f"out of sample: CVaR ({cur})", summary.get("out_of_sample_cvar"), st.MONEY, False),
        (f"first-stage cost ({cur})", summary.get("first_stage_cost"), st.MONEY, False),
    ])
    r = cv.section(7, LEFT, f"Expected total cost, with 95 % confidence intervals ({cur})", 15)
    r = cv.table(r, LEFT, ["estimate", "", "scenarios", "mean", "± half-width", "low", "high", "",
                           f"CVaR {alpha:g}" if alpha is not None else "CVaR"],
                 [[a, None, n, m, h, lo, hi, None, c] for a, n, m, h, lo, hi, c in estimates(summary)],
                 [None, None, st.INTEGER, st.MONEY, st.MONEY, st.MONEY, st.MONEY, None, st.MONEY],
                 note="optimism gap = out-of-sample minus in-sample mean: how much the in-sample "
                      "figure flatters the plan; unsolved out-of-sample scenarios: "
                      f"{summary.get('out_of_sample_unsolved', 0)}",
                 align=["left", "left", "left", "right", "right", "right", "right", "right",
                        "right"])
    r += 1
    left = _decision(cv, r, reservations, commitments, cur,
                     "The decision: first stage solved in sample")
    rr = cv.section(r, RIGHT, "Events, and how often they struck", 7)
    ev = events if events is not None else pd.DataFrame()
    rows = [[e["event_id"], e["entity"], e["id"], e["probability"], e["capacity_factor"],
             e["in_sample_share"], e["out_of_sample_share"]]
            for e in ev.head(MAX_ROWS).to_dict("records")]
    right = cv.table(rr, RIGHT, ["event", "entity", "hits", "p per period", "capacity left",
                                 "in sample", "out of sample"], rows,
                     [None, None, None, st.SHARE, st.SHARE, st.SHARE, st.SHARE],
                     note="share of scenarios in which the event struck at least once; "
                          "every event: sheet Events")
    one_page(ws, max(left, right) + 1, 16)
