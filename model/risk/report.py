"""Report workbooks of the risk commands, one function per report.

``sourcing solve --risk``: Dashboard, Summary, Warnings, Scenarios,
Reservations, Commitments, ReservedUse, StochasticValue, CostByScenario,
UnmetByScenario, ArrivalsByScenario, ChartData; Bounds after a decomposed
engine (ph, lshaped).
``sourcing frontier``: Dashboard, Summary, Warnings, Frontier (with a native
scatter chart of the price of safety against the risk removed),
FrontierPortfolio.
``sourcing sample``: Dashboard, Summary, Warnings, Events, Reservations,
Commitments, InSample, OutOfSample, SampledHits; Bounds after a decomposed
engine.

Every sheet but the Dashboard is an Excel Table written by the solve report's
``data_sheet`` (header comments with unit and meaning from
``model/risk/columns.py``, number formats, print setup); the Summary is the
solve report's key/value/meaning table. Always written, whatever the outcome
(a failed run still gets Dashboard, Summary and Warnings), with
``model.report.workbook.save_atomic``. Sheets are described in docs/risk.md.
"""

from __future__ import annotations

import pandas as pd
from openpyxl import Workbook

from model.report.workbook import WARNING_COLUMNS, data_sheet, summary_sheet
from model.risk import columns
from model.risk import dashboard as dash
from model.risk.frontier import relative
from model.schema import SETTING_DEFAULTS


def _start(summary: dict, problems, currency: str) -> Workbook:
    wb = Workbook()
    wb.active.title = "Dashboard"
    summary_sheet(wb, summary, own=columns.summary_meaning)
    data_sheet(wb, "Warnings", pd.DataFrame([p.as_dict() for p in problems],
                                            columns=WARNING_COLUMNS), currency)
    return wb


def _currency(settings) -> str:
    return (settings or SETTING_DEFAULTS)["currency"]     # no workbook read: the default


def scenario_table(problem, result=None, value=None) -> pd.DataFrame:
    """Every scenario: its role, and when solved its costs, demand and unmet, EEV and WS parts."""
    rows = [(s.id, s.probability, s.row, "in the risk solve") for s in problem.scenarios]
    rows += [(sid, None, None, f"left out: {why}") for sid, why in problem.left_out]
    scen = pd.DataFrame(rows, columns=["scenario", "probability", "scenarios_row", "role"])
    if result is not None and result.has_solution:
        scen = scen.merge(result.scenario_table().drop(columns=["probability"]),
                          on="scenario", how="left")
    if value is not None:
        scen = scen.merge(value.by_scenario([s.id for s in problem.scenarios]), on="scenario",
                          how="left")
    return scen


def _bounds(wb: Workbook, outcome, cur: str) -> None:
    """A decomposed engine's bounds, each time one improved."""
    if outcome is not None:
        from model.risk.decomposed import history_table
        data_sheet(wb, "Bounds", history_table(outcome), cur)


def risk_workbook(summary: dict, problems=(), problem=None, result=None, value=None,
                  outcome=None) -> Workbook:
    cur = _currency(problem.settings if problem is not None else None)
    wb = _start(summary, problems, cur)
    _bounds(wb, outcome, cur)
    scen = None
    if problem is not None:
        scen = scenario_table(problem, result, value)
        data_sheet(wb, "Scenarios", scen, cur)
    if result is None or not result.has_solution:
        dash.risk_dashboard(wb["Dashboard"], wb, summary, problems, None, cur=cur)
        return wb
    reservations, commitments = result.portfolio()
    data_sheet(wb, "Reservations", reservations, cur)
    data_sheet(wb, "Commitments", commitments, cur)
    data_sheet(wb, "ReservedUse", result.reserved_use(), cur)
    if value is not None:
        data_sheet(wb, "StochasticValue", value.table, cur)
    data_sheet(wb, "CostByScenario", result.cost_by_category(), cur)
    data_sheet(wb, "UnmetByScenario", result.demand_table(), cur)
    data_sheet(wb, "ArrivalsByScenario", result.arrivals_by_country(), cur)
    dash.risk_dashboard(wb["Dashboard"], wb, summary, problems, scen, reservations, commitments,
                        cur)
    return wb


def frontier_workbook(summary: dict, problems=(), frontier=None, settings=None) -> Workbook:
    cur = _currency(settings)
    wb = _start(summary, problems, cur)
    if frontier is None:
        dash.frontier_dashboard(wb["Dashboard"], wb, summary, problems, cur=cur)
        return wb
    points = relative(frontier.points)
    ws = data_sheet(wb, "Frontier", points, cur)
    data_sheet(wb, "FrontierPortfolio", frontier.portfolios, cur)
    n = len(points)
    if n and points["expected_cost"].notna().any():
        ws.add_chart(dash.frontier_chart(ws, n, list(points.columns), frontier.alpha, cur),
                     f"{chr(ord('A') + len(points.columns) + 1)}2")
    dash.frontier_dashboard(wb["Dashboard"], wb, summary, problems, points, frontier.portfolios,
                            cur)
    return wb


def sample_workbook(summary: dict, problems=(), sample=None) -> Workbook:
    cur = _currency(sample.settings if sample is not None else None)
    wb = _start(summary, problems, cur)
    if sample is None:
        dash.sample_dashboard(wb["Dashboard"], wb, summary, problems, cur=cur)
        return wb
    _bounds(wb, sample.outcome, cur)
    data_sheet(wb, "Events", sample.events_table, cur)
    reservations = commitments = None
    if sample.in_sample is not None and sample.in_sample.has_solution:
        reservations, commitments = sample.in_sample.portfolio()
        data_sheet(wb, "Reservations", reservations, cur)
        data_sheet(wb, "Commitments", commitments, cur)
        data_sheet(wb, "InSample", sample.in_sample.scenario_table(), cur)
    if sample.out_of_sample is not None:
        data_sheet(wb, "OutOfSample", sample.out_of_sample, cur)
    data_sheet(wb, "SampledHits", sample.hits_table, cur)
    dash.sample_dashboard(wb["Dashboard"], wb, summary, problems, reservations, commitments,
                          sample.events_table, cur)
    return wb
