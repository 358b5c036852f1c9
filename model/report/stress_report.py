"""The ``sourcing stress`` workbook, to the solve report's standard.

    Dashboard   what was knocked out, when; tiles (entities, base cost, the
                worst knock-out, how many leave demand unmet); the top 10 of N
                by cost increase; a chart of the cost increase of the top 15
                (bars from zero)
    Stress      every entity, ranked (an Excel Table with header notes)
    About       input, scenario, periods, base objective, who was left out
    ChartData   the figures the chart plots
"""

from __future__ import annotations

import pandas as pd

from model.report import styles as st
from model.report.command_report import about, finish, series, start, tiles
from model.report.canvas import LEFT
from model.text import periods_text
from model.report.workbook import data_sheet

TOP = 10           # rows on the Dashboard and the terminal
CHART_TOP = 15
TOL = 1e-6
PLURAL = {"country": "countries", "company": "companies", "site": "sites", "offer": "offers"}


def headline(table: pd.DataFrame) -> dict:
    """The Dashboard's figures: entities, base cost, the worst knock-out, how many
    leave demand unmet beyond base, how many have no solution."""
    solved = table[table["objective"].notna()]
    worst = solved.iloc[0] if len(solved) else None
    extra = solved["extra_unmet_t"].astype(float)
    return {"entities": len(table), "base_objective": table.attrs.get("base_objective"),
            "worst": (worst["entity"], float(worst["cost_increase"])) if worst is not None else None,
            "short": int((extra > TOL).sum()), "max_extra_unmet_t": float(extra.max()) if len(extra) else 0.0,
            "no_solution": int(table["objective"].isna().sum())}


def top_text(table: pd.DataFrame, n: int = TOP) -> str:
    """'top 10 of 14 countries by cost increase'."""
    by = table.attrs.get("by", "entity")
    return f"top {min(n, len(table))} of {len(table)} {PLURAL.get(by, by)} by cost increase"


def stress_workbook(table: pd.DataFrame, source, version: str = ""):
    a = table.attrs
    cur = a["currency"]              # the Settings currency (model/whatif/stress.py)
    by = a.get("by", "entity")
    h = headline(table)
    name = str(source).replace("\\", "/").rsplit("/", 1)[-1]
    left_out = ", ".join(a.get("excluded") or [])
    wb, cv = start(f"Stress test: {name}, each {by} knocked out in turn", [
        f"scenario {a.get('scenario', 'base')}",
        f"knocked out in {periods_text(a.get('window') or [])}",
        f"left out: {left_out} (home countries of the demand sites; --include-home)" if left_out else "",
        f"secure-sourcing {version}", "every entity: sheet Stress"],
        widths={"B": 8, "C": 22, "D": 15, "E": 10, "F": 16, "G": 12, "H": 17, "I": 11, "J": 3})
    worst = h["worst"]
    tiles(cv, 4, [
        (f"{PLURAL.get(by, by)} knocked out", h["entities"], "0", False),
        (f"base total cost ({cur})", h["base_objective"], st.MONEY, False),
        (f"worst: {worst[0]} ({cur})" if worst else "worst", worst[1] if worst else None,
         "+#,##0;-#,##0;0", False),
        ("leave demand unmet", h["short"], "0", h["short"] > 0),
        ("largest extra unmet (t)", h["max_extra_unmet_t"], st.TONNES, h["max_extra_unmet_t"] > TOL),
        ("no solution", h["no_solution"], "0", h["no_solution"] > 0),
    ])
    r = cv.section(7, LEFT, f"{top_text(table)[0].upper()}{top_text(table)[1:]} ({cur}, discounted)", 8)
    base = h["base_objective"] or 0.0
    rows, flags = [], []
    for rec in table.head(TOP).to_dict("records"):
        solved = rec["objective"] is not None and rec["objective"] == rec["objective"]
        short = rec["first_shortfall_period"]
        rows.append([rec["rank"], rec["entity"], rec["cost_increase"] if solved else None,
                     rec["cost_increase"] / base if solved and base else None,
                     rec["extra_unmet_t"] if solved else None,
                     (int(short) if short == short and short is not None else "never") if solved
                     else rec["status"],
                     rec["periods_survived"] if solved and short == short and short is not None
                     else None])
        flags.append([False, False, False, False, bool(solved and rec["extra_unmet_t"] > TOL),
                      False, False])
    r = cv.table(r, LEFT, ["rank", by, "cost increase", "of base", "extra unmet (t)",
                           "first short", "periods survived"], rows,
                 ["0", None, st.MONEY, "0.0%", st.TONNES, "0", "0"], flags,
                 "cost increase: total cost without it minus base; first short: first period "
                 "demand goes unmet beyond base; periods survived: knocked-out periods before that",
                 ["center", "left", "right", "right", "right", "center", "center"])
    data_sheet(wb, "Stress", table, cur)
    about(wb, {"input_file": str(source), "scenario": a.get("scenario", "base"), "by": by,
               "periods": periods_text(a.get("window") or []), "base_objective": a.get("base_objective"),
               "entities": len(table), "left_out": left_out, "currency": cur,
               "software": "secure-sourcing", "software_version": version},
          {"by": "what was knocked out (--by)",
           "periods": "periods each entity is shut: its supply, processing and outbound lanes",
           "base_objective": "total discounted cost with nothing knocked out (currency)",
           "entities": "entities knocked out, one at a time (sheet Stress)",
           "left_out": "home countries of the demand sites, not knocked out (--include-home adds them)",
           "currency": "currency of the money figures (Settings)"},
          {"base_objective": st.MONEY, "entities": "0"})
    chart = table[table["objective"].notna()].head(CHART_TOP).set_index("entity")["cost_increase"]
    finish(wb, cv, [(series("increase", f"Cost increase when knocked out ({cur}), "
                            f"top {len(chart)} of {len(table)}", chart.iloc[::-1], "cost increase",
                            st.MONEY), cur, True)], r)
    return wb
