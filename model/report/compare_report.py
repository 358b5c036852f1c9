"""The ``sourcing compare`` workbook, to the solve report's standard.

    Dashboard       what was compared; tiles (base cost, cheapest and dearest
                    scenario against base, unmet demand, scenarios not solved);
                    cost and unmet demand per scenario; the largest decision
                    moves; charts: total cost per scenario (from zero), cost
                    against base, unmet demand per scenario
    Overview        one row per scenario (status, objective, deltas, unmet)
    CostByCategory  per category, undiscounted and discounted (column basis),
                    with totals; the discounted total is the objective
    Arrivals  Concentration  Unmet  Stock  DecisionChanges  InputChanges
    About           input, scenarios, versions (key / value / meaning)
    ChartData       the figures the charts plot

Every data sheet is an Excel Table (``workbook.data_sheet``) whose header
comments give unit and meaning (``styles`` keys ``Compare:<sheet>``).
"""

from __future__ import annotations

import pandas as pd

from model.report import styles as st
from model.report.command_report import about, finish, series, start, tiles
from model.report.canvas import LEFT
from model.report.workbook import data_sheet

BASE = "base"
MAX_MOVES = 10
SOLVED = ("optimal", "feasible", "time_limit")


def headline(overview: pd.DataFrame) -> dict:
    """The Dashboard's figures: base cost and unmet, cheapest and dearest scenario
    against base, the scenario with most unmet demand, how many were not solved."""
    ov = overview.set_index("scenario")
    solved = ov[ov["objective"].notna()]
    others = solved.drop(index=BASE, errors="ignore")
    delta = others["delta_vs_base"].astype(float)
    unmet = solved["unmet_demand_t"].astype(float)
    return {
        "base_objective": ov.at[BASE, "objective"] if BASE in ov.index else None,
        "base_unmet_t": ov.at[BASE, "unmet_demand_t"] if BASE in ov.index else None,
        "cheapest": (delta.idxmin(), float(delta.min())) if len(delta) else None,
        "dearest": (delta.idxmax(), float(delta.max())) if len(delta) else None,
        "most_unmet": (unmet.idxmax(), float(unmet.max())) if len(unmet) else None,
        "not_solved": int((~ov["status"].isin(SOLVED)).sum()),
    }


def comparison_workbook(sheets: dict, source, currency: str = "USD", version: str = ""):
    ov = sheets["Overview"]
    h = headline(ov)
    n = len(ov)
    name = str(source).replace("\\", "/").rsplit("/", 1)[-1]
    wb, cv = start(f"Scenario comparison: {name}", [
        f"{n} scenarios: base and {n - 1} from sheet Scenarios",
        "total cost = discounted objective, unmet-demand penalties included",
        f"secure-sourcing {version}", "details: sheets Overview, CostByCategory, DecisionChanges"],
        widths={"B": 26, "C": 10, "D": 15, "E": 14, "F": 9, "G": 12, "H": 12, "I": 9, "J": 3})
    cheap, dear, most = h["cheapest"], h["dearest"], h["most_unmet"]
    tiles(cv, 4, [
        (f"base total cost ({currency})", h["base_objective"], st.MONEY, False),
        (f"cheapest: {cheap[0]}" if cheap else "cheapest", cheap[1] if cheap else None,
         '+#,##0;-#,##0;0', False),
        (f"dearest: {dear[0]}" if dear else "dearest", dear[1] if dear else None,
         '+#,##0;-#,##0;0', False),
        ("base unmet demand (t)", h["base_unmet_t"], st.TONNES, bool(h["base_unmet_t"])),
        (f"most unmet: {most[0]} (t)" if most else "most unmet (t)", most[1] if most else None,
         st.TONNES, bool(most and most[1] > 1e-6)),
        ("scenarios not solved", h["not_solved"], "0", h["not_solved"] > 0),
    ])
    r = cv.section(7, LEFT, f"Cost and unmet demand per scenario ({currency}; vs base: "
                   "scenario minus base)", 8)
    rows, flags = [], []
    for rec in ov.to_dict("records"):
        rows.append([rec["scenario"], rec["status"], rec["objective"], rec["delta_vs_base"],
                     rec["delta_pct"], rec["unmet_demand_t"], rec["delta_unmet_t"],
                     rec["changes_applied"]])
        bad_unmet = bool(rec["unmet_demand_t"] and rec["unmet_demand_t"] > 1e-6)
        flags.append([False, rec["status"] not in SOLVED, False, False, False, bad_unmet, False,
                      False])
    r = cv.table(r, LEFT, ["scenario", "status", "total cost", "vs base", "vs base",
                           "unmet (t)", "vs base (t)", "changes"], rows,
                 [None, None, st.MONEY, st.MONEY, "+0.0%;-0.0%;0.0%", st.TONNES, st.TONNES, "0"],
                 flags, "red: demand left unmet, or no solution; changes: input cells the "
                 "scenario changed (sheet InputChanges)",
                 ["left", "center", "right", "right", "right", "right", "right", "right"])
    r += 1
    moves = sheets.get("DecisionChanges", pd.DataFrame())
    top = moves.assign(_abs=moves["delta_t"].abs()).sort_values(
        ["_abs", "scenario", "id"], ascending=[False, True, True], kind="stable").head(MAX_MOVES) \
        if len(moves) else moves
    r = cv.section(r, LEFT, f"Largest decision moves against base: top {len(top)} of "
                   f"{len(moves)} (t over the horizon)", 8)
    rows = [[m["scenario"], m["decision"], m["id"], None, None, m["material_id"], m["delta_t"]]
            for m in top.to_dict("records")]
    r = cv.table(r, LEFT, ["scenario", "decision", "offer or lane", "", "", "material", "t"], rows,
                 [None, None, None, None, None, None, st.TONNES],
                 note="every move: sheet DecisionChanges (the 25 largest per scenario)",
                 align=["left", "center", "left", "left", "left", "center", "right"])

    for sheet, frame in sheets.items():
        data_sheet(wb, sheet, frame, currency, key=f"Compare:{sheet}")
    about(wb, {"input_file": str(source), "scenarios": ", ".join(ov["scenario"]),
               "currency": currency, "software": "secure-sourcing", "software_version": version},
          {"scenarios": "scenarios solved (base: the workbook as it stands; others from sheet "
                        "Scenarios)", "currency": "currency of the money figures (Settings)"}, {})
    by = ov.set_index("scenario")
    solved = by[by["objective"].notna()]
    finish(wb, cv, [
        (series("cost", f"Total cost per scenario ({currency}, discounted)", solved["objective"],
                "total cost", st.MONEY), currency, False),
        (series("delta", f"Cost against base ({currency})",
                solved["delta_vs_base"].drop(index=BASE, errors="ignore"), "vs base", st.MONEY),
         currency, False),
        (series("unmet", "Unmet demand per scenario (t)", solved["unmet_demand_t"], "unmet t",
                st.TONNES), "t", False),
    ], r)
    return wb
