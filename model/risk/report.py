"""Report workbooks of the risk commands, one function per sheet group.

``sourcing solve --risk``: Summary, Warnings, Scenarios, Reservations,
Commitments, ReservedUse, StochasticValue, CostByScenario, UnmetByScenario,
ArrivalsByScenario; Bounds after a decomposed engine (ph, lshaped).
``sourcing frontier``: Summary, Warnings, Frontier (with a native scatter
chart of expected cost against CVaR), FrontierPortfolio.
``sourcing sample``: Summary, Warnings, Events, Reservations, Commitments,
InSample, OutOfSample, SampledHits; Bounds after a decomposed engine.

Always written, whatever the outcome (a failed run still gets Summary and
Warnings), with ``model.report.workbook.save_atomic``.
"""

from __future__ import annotations

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import Reference, ScatterChart, Series

from model.report.workbook import _cell, write_frame

SCENARIO_SHEET_NOTE = "first_stage_cost is the reservation cost, the same in every scenario"


def _start(summary: dict, problems) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    values = [_cell(v) for v in summary.values()]
    write_frame(ws, pd.DataFrame({"key": list(summary), "value": values}))
    ws.column_dimensions["B"].width = 70
    write_frame(wb.create_sheet("Warnings"), pd.DataFrame(
        [p.as_dict() for p in problems],
        columns=["severity", "sheet", "row", "column", "value", "message", "context"]))
    return wb


def _sheet(wb: Workbook, name: str, frame: pd.DataFrame) -> None:
    write_frame(wb.create_sheet(name), frame.reset_index(drop=True))


def _bounds(wb: Workbook, outcome) -> None:
    """A decomposed engine's bounds, each time one improved."""
    if outcome is not None:
        from model.risk.decomposed import history_table
        _sheet(wb, "Bounds", history_table(outcome))


def risk_workbook(summary: dict, problems=(), problem=None, result=None, value=None,
                  outcome=None) -> Workbook:
    wb = _start(summary, problems)
    _bounds(wb, outcome)
    if problem is not None:
        rows = [(s.id, s.probability, s.row, "in the risk solve") for s in problem.scenarios]
        rows += [(sid, None, None, f"left out: {why}") for sid, why in problem.left_out]
        scen = pd.DataFrame(rows, columns=["scenario", "probability", "scenarios_row", "role"])
        if result is not None and result.has_solution:
            scen = scen.merge(result.scenario_table().drop(columns=["probability"]),
                              on="scenario", how="left")
        if value is not None:
            scen = scen.merge(value.by_scenario([s.id for s in problem.scenarios]), on="scenario",
                              how="left")
        _sheet(wb, "Scenarios", scen)
    if result is None or not result.has_solution:
        return wb
    reservations, commitments = result.portfolio()
    _sheet(wb, "Reservations", reservations)
    _sheet(wb, "Commitments", commitments)
    _sheet(wb, "ReservedUse", result.reserved_use())
    if value is not None:
        _sheet(wb, "StochasticValue", value.table)
    _sheet(wb, "CostByScenario", result.cost_by_category())
    _sheet(wb, "UnmetByScenario", result.demand_table())
    _sheet(wb, "ArrivalsByScenario", result.arrivals_by_country())
    return wb


def frontier_workbook(summary: dict, problems=(), frontier=None) -> Workbook:
    wb = _start(summary, problems)
    if frontier is None:
        return wb
    ws = wb.create_sheet("Frontier")
    write_frame(ws, frontier.points)
    _sheet(wb, "FrontierPortfolio", frontier.portfolios)
    n = len(frontier.points)
    cols = list(frontier.points.columns)
    if n and frontier.points["expected_cost"].notna().any():
        chart = ScatterChart()
        chart.title = f"Efficient frontier: expected cost against CVaR (alpha {frontier.alpha:g})"
        chart.style = 13
        chart.x_axis.title = f"CVaR {frontier.alpha:g} of total cost"
        chart.y_axis.title = "expected total cost"
        x = Reference(ws, min_col=cols.index("cvar") + 1, min_row=2, max_row=n + 1)
        y = Reference(ws, min_col=cols.index("expected_cost") + 1, min_row=1, max_row=n + 1)
        series = Series(y, x, title_from_data=True)
        series.marker.symbol = "circle"
        series.marker.size = 7
        chart.series.append(series)
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.height, chart.width = 10, 18
        ws.add_chart(chart, f"{chr(ord('A') + len(cols) + 1)}2")
    return wb


def sample_workbook(summary: dict, problems=(), sample=None) -> Workbook:
    wb = _start(summary, problems)
    if sample is None:
        return wb
    _bounds(wb, sample.outcome)
    _sheet(wb, "Events", sample.events_table)
    if sample.in_sample is not None and sample.in_sample.has_solution:
        reservations, commitments = sample.in_sample.portfolio()
        _sheet(wb, "Reservations", reservations)
        _sheet(wb, "Commitments", commitments)
        _sheet(wb, "InSample", sample.in_sample.scenario_table())
    if sample.out_of_sample is not None:
        _sheet(wb, "OutOfSample", sample.out_of_sample)
    _sheet(wb, "SampledHits", sample.hits_table)
    return wb
