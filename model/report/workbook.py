"""The report workbook: always written, whatever the outcome.

Sheets, in this fixed order (``report_order``):

    Dashboard  Summary  About  Changes  Warnings  Charts
    KPIs  ArrivalsByCountry  ArrivalsByCompany  CostByCategory  CostPerTonne
    CostAllocation  RuleMarginals  StockCheck
    Purchases  ProcessRuns  ProcessFlows  Shipments  Stock  Demand  Discards
    (any further result tables)  ChartData

A run with no solution gets Dashboard, Summary, About, Changes and Warnings,
with the status and the reason. Every data sheet is an Excel Table whose
header row keeps the machine-readable column names (tests, ``sourcing
verify`` and scripts read sheets by them); the unit and meaning of each
column are in a comment on its header cell and in its number format.

Rows of the data sheets are streamed into the file by ``model.report.bulk``
(openpyxl writes the rest), so a report with a million decision rows is
written in seconds, not minutes; sheets above ``BIG`` rows get no conditional
formats. Written to a temporary file beside the target, then renamed, so an
interrupted run never leaves a half-written report.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule, DataBarRule, FormulaRule
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from model.files import write_file
from model.report import about, bulk, dashboard
from model.report import styles as st
from model.report.layout import (DATA_ORDER, DESCRIPTIONS, FRONT, KPI_SHEETS,  # noqa: F401
                                 SHEETS, extra_tables, has_results, page_setup, report_order)
from model.results.figures import Figures, figures as report_figures
from model.results.kpis import HHI_HIGH

BIG = 100_000          # rows above which a sheet gets no conditional formats
CENTERED = Alignment(horizontal="center")
INDENTED = Alignment(horizontal="left", indent=1)
CHANGE_COLUMNS = ["source", "sheet", "row", "id", "column", "op", "old", "new"]
WARNING_COLUMNS = ["severity", "sheet", "row", "column", "value", "message", "context"]
MONEY_WORDS = ("cost", "penalty", "marginal", "objective", "bound", "price", "value")

SUMMARY_MEANING = {
    "status": "optimal, feasible, infeasible, unbounded, time_limit or error; elastic: a plan "
              "that bends rules (--elastic, sheet Elastic); interrupted: stopped by Ctrl-C or "
              "SIGTERM before it finished",
    "objective": "total discounted cost, the objective (currency)",
    "bound": "best bound the solver proved (currency)",
    "mip_gap": "relative gap between objective and bound",
    "is_mip": "TRUE when the model has integer decisions (fixed costs, minimum quantities)",
    "solve_seconds": "seconds in the solver",
    "scenario": "scenario solved (base: the workbook as it stands)",
    "input_file": "input workbook",
    "input_sha256": "SHA-256 of the input workbook file",
    "solver": "solver", "solver_version": "solver version",
    "software": "this software", "software_version": "its version",
    "message": "solver's or reader's message",
    "changes_applied": "cells changed by the scenario and --enable/--disable (sheet Changes)",
    "warnings": "warnings (sheet Warnings)",
    "skipped_families": "constraint families left out with --skip-family",
    "unmet_demand_t": "t of demand left unmet over the horizon",
    "demand_t": "t of demand over the horizon",
    "spent": "money spent on the plan, discounted: objective - penalty (currency)",
    "penalty": "penalties for unmet demand, discounted (currency); spent + penalty = objective",
    "unmet": "what is unmet: t, material, segment, site and periods, largest first",
    "unclosable": "unmet demand no plan within the workbook's options can meet, and unmet "
                  "demand left unmet by choice (sheet Shortfall)",
    "reason": "why there is no solution",
    "verification": "verdict of the independent check of the solution (sheet Verification)",
    "report": "this report has the plan only: the exact rule marginals and the analyses "
              "are being added (the full report is written over it)",
    "verification_ok": "TRUE when the independent check found no violated constraint",
    "infeasibility": "why no plan exists, in one sentence (sheet Infeasibility)",
}
SUMMARY_FORMATS = {"objective": st.MONEY, "bound": st.MONEY, "spent": st.MONEY,
                   "penalty": st.MONEY, "mip_gap": "0.0000%", "solve_seconds": "0.000",
                   "unmet_demand_t": st.TONNES, "demand_t": st.TONNES,
                   "changes_applied": "0", "warnings": "0"}


def _cell(v):
    if v is None:
        return None
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    if isinstance(v, (tuple, list, dict, set, frozenset)):
        return str(v)
    if hasattr(v, "item"):
        return v.item()
    return v


def _format(column: str) -> str | None:
    """Number format of a column by its name alone (for ``write_frame``)."""
    low = column.lower()
    if low.endswith("_t") or low.endswith("_runs") or low == "runs":
        return st.TONNES
    if low == "share" or low.endswith("_share"):
        return st.SHARE
    if any(w in low for w in MONEY_WORDS):
        return st.MONEY
    return None


def write_frame(ws, frame: pd.DataFrame) -> None:
    """Write a frame cell by cell under a styled header (small tables of other
    commands; the report's own data sheets use ``data_sheet``)."""
    columns = list(frame.columns)
    ws.append(columns)
    for rec in frame.itertuples(index=False, name=None):
        ws.append([_cell(v) for v in rec])
    for j, name in enumerate(columns, start=1):
        c = ws.cell(row=1, column=j)
        c.fill, c.font = st.HEADER_FILL, st.HEADER_FONT
        c.alignment = Alignment(wrap_text=True, vertical="center")
        fmt = _format(str(name))
        width = max([len(str(name))] + [len(str(_cell(v))) for v in frame[name].head(200)])
        ws.column_dimensions[get_column_letter(j)].width = min(max(10, width + 2), 60)
        if fmt and len(frame):
            for row in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                row[0].number_format = fmt
    ws.freeze_panes = "A2"


# ----------------------------------------------------------------------------------------------
# data sheets


def _width(frame: pd.DataFrame, column: str, fmt: str | None) -> float:
    name = str(column)
    sample = frame[column].head(500)
    if fmt and pd.api.types.is_numeric_dtype(sample.dtype) and len(sample):
        m = sample.abs().max()
        m = 0.0 if m != m else float(m)
        text = f"{m:,.2f}" if fmt == st.TONNES else f"{m:,.0f}" if fmt in (st.MONEY, st.HHI) else \
            "100.0%" if fmt == st.SHARE else f"{m:.0f}"
        longest = len(text)
    else:
        longest = max([len(str(_cell(v))) for v in sample if _cell(v) is not None] or [0])
    cap = 120 if name in ("meaning", "message") else 45
    return min(max(len(name) + 3, longest + 2, 8), cap)


def _table_name(sheet: str) -> str:
    return "t" + re.sub(r"\W", "_", sheet)


def _letters(frame: pd.DataFrame) -> dict[str, str]:
    return {str(c): get_column_letter(j) for j, c in enumerate(frame.columns, start=1)}


def _highlights(name: str, frame: pd.DataFrame) -> list[tuple[str, object]]:
    """(range, rule) conditional formats of a sheet: breaches red, limits amber."""
    n = len(frame)
    if n == 0 or n > BIG:
        return []
    L = _letters(frame)
    last = n + 1

    def col(c):
        return f"{L[c]}2:{L[c]}{last}"

    red = dict(fill=st.RED_FILL, font=st.RED_FONT)
    out: list[tuple[str, object]] = []
    has = lambda *cs: all(c in L for c in cs)  # noqa: E731
    if has("unmet_t"):
        out.append((col("unmet_t"), CellIsRule(operator="greaterThan", formula=["0.000001"], **red)))
    if has("penalty_cost"):
        out.append((col("penalty_cost"), CellIsRule(operator="greaterThan", formula=["0"], **red)))
    if has("unmet_penalty"):
        out.append((col("unmet_penalty"), CellIsRule(operator="greaterThan", formula=["0"], **red)))
    for c in ("hhi_foreign", "hhi_company"):
        if has(c):
            out.append((col(c), CellIsRule(operator="greaterThan", formula=[str(HHI_HIGH)], **red)))
    if has("controlled_share"):
        out.append((col("controlled_share"), CellIsRule(operator="greaterThan", formula=["0.5"], **red)))
    if has("sites_at_floor"):
        out.append((col("sites_at_floor"), CellIsRule(operator="greaterThan", formula=["0"],
                                                      fill=st.AMBER_FILL)))
    if has("status"):
        out.append((col("status"), CellIsRule(operator="equal", formula=['"at floor"'],
                                              fill=st.AMBER_FILL)))
        for broken in ('"below floor"', '"above ceiling"'):      # a bent plan (elastic)
            out.append((col("status"), CellIsRule(operator="equal", formula=[broken], **red)))
    if name == "Stock" and has("stock_t", "min_stock_t"):
        s, f = L["stock_t"], L["min_stock_t"]
        out.append((col("stock_t"), FormulaRule(formula=[f"AND(${f}2>0,${s}2<=${f}2+0.000001)"],
                                                fill=st.AMBER_FILL)))
    if name == "Purchases" and has("quantity_t", "capacity_t"):
        q, c = L["quantity_t"], L["capacity_t"]
        out.append((col("quantity_t"), FormulaRule(formula=[f"${q}2>=${c}2-0.000001"],
                                                   fill=st.AMBER_FILL)))
    if name == "ProcessRuns" and has("runs", "capacity_runs"):
        q, c = L["runs"], L["capacity_runs"]
        out.append((col("runs"), FormulaRule(formula=[f"${q}2>=${c}2-0.000001"], fill=st.AMBER_FILL)))
    if has("binding"):
        b = L["binding"]
        out.append((f"A2:{get_column_letter(frame.shape[1])}{last}",
                    FormulaRule(formula=[f"${b}2=TRUE"], fill=st.AMBER_FILL)))
    if has("share"):
        out.append((col("share"), DataBarRule(start_type="num", start_value=0, end_type="num",
                                              end_value=1, color=st.BLUE)))
    if name == "Warnings" and has("severity"):
        out.append((col("severity"), CellIsRule(operator="equal", formula=['"error"'], **red)))
    return out


def data_sheet(wb, name: str, frame: pd.DataFrame, currency: str = "USD",
               notes: list | None = None, key: str | None = None):
    """An Excel Table: header with unit comments, number formats per column,
    frozen header, widths, highlights, print setup; rows streamed at save.
    ``key`` names the sheet in ``styles.column_info`` when it is not ``name``
    (another command's sheet of the same name, e.g. ``Compare:CostByCategory``)."""
    ws = wb.create_sheet(name)
    frame = frame.reset_index(drop=True)
    if len(frame) > bulk.max_rows():
        if notes is not None:
            notes.append(f"{name}: {len(frame):,} rows, more than Excel's limit; the first "
                         f"{bulk.max_rows():,} are written")
        frame = frame.iloc[:bulk.max_rows()]
    columns = [str(c) for c in frame.columns]
    frame.columns = columns
    ws.append(columns)
    formats, styles, total_width = [], [], 0.0
    for j, c in enumerate(columns, start=1):
        fmt, help_text = st.column_info(key or name, c, currency)
        formats.append(fmt)
        styles.append({"alignment": CENTERED} if fmt in (st.PERIOD, st.INTEGER) else
                      {"alignment": INDENTED} if fmt is None and j > 1 else {})
        cell = ws.cell(row=1, column=j)
        cell.fill, cell.font = st.HEADER_FILL, st.HEADER_FONT
        cell.alignment = Alignment(vertical="center")
        comment = Comment(help_text, "secure-sourcing")
        comment.width, comment.height = 320, 90
        cell.comment = comment
        width = _width(frame, c, fmt)
        ws.column_dimensions[get_column_letter(j)].width = width
        total_width += width
    last_col = get_column_letter(max(1, len(columns)))
    last_row = max(2, len(frame) + 1)
    if columns:
        table = Table(displayName=_table_name(name), ref=f"A1:{last_col}{last_row}")
        table.tableStyleInfo = TableStyleInfo(name=st.TABLE_STYLE, showRowStripes=True)
        table._initialise_columns()
        for col, c in zip(table.tableColumns, columns):
            col.name = c
        ws.add_table(table)
    ws.freeze_panes = "A2"
    for rng, rule in _highlights(name, frame):
        ws.conditional_formatting.add(rng, rule)
    page_setup(ws, width=total_width, columns=len(columns))
    ws.print_area = f"A1:{last_col}{last_row}"
    if len(frame):
        bulk.register(ws, frame, formats, styles=styles)
    return ws


def summary_sheet(wb, summary: dict, name: str = "Summary", meanings: dict | None = None,
                  formats: dict | None = None, own=None) -> None:
    """Key/value/meaning Table (the solve's Summary; other commands' About, with
    their own ``meanings`` and ``formats`` by key, or ``own(key)`` -> (format,
    meaning) or None, which the risk reports use to explain their keys first)."""
    meanings = {**SUMMARY_MEANING, **(meanings or {})}
    formats = {**SUMMARY_FORMATS, **(formats or {})}
    ws = wb.create_sheet(name)
    ws.append(["key", "value", "meaning"])
    for key, value in summary.items():
        fmt, meaning = (own(key) if own else None) or (None, None)
        meaning = meaning or meanings.get(key, "seconds in this stage of the run"
                                          if key.startswith("seconds_") else "")
        ws.append([key, _cell(value), meaning])
        fmt = fmt or formats.get(key) or ("0.000" if key.startswith("seconds_") else None)
        if fmt:
            ws.cell(row=ws.max_row, column=2).number_format = fmt
        if not isinstance(value, bool):
            ws.cell(row=ws.max_row, column=2).alignment = Alignment(horizontal="left")
    for j in (1, 2, 3):
        cell = ws.cell(row=1, column=j)
        cell.fill, cell.font = st.HEADER_FILL, st.HEADER_FONT
    ws["A1"].comment = Comment("key: name of the figure (stable, read by scripts)", "secure-sourcing")
    ws["B1"].comment = Comment("value: its value (also in --summary-json)", "secure-sourcing")
    ws["C1"].comment = Comment("meaning: what the figure is", "secure-sourcing")
    table = Table(displayName=_table_name(name), ref=f"A1:C{max(2, ws.max_row)}")
    table.tableStyleInfo = TableStyleInfo(name=st.TABLE_STYLE, showRowStripes=True)
    ws.add_table(table)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 68
    ws.column_dimensions["C"].width = 60
    ws.freeze_panes = "A2"
    page_setup(ws, width=160)


# ----------------------------------------------------------------------------------------------
# the workbook


def build_workbook(summary: dict, run=None, problems=(), *, kpis: bool = True,
                   figures: Figures | None = None) -> Workbook:
    """The report as an openpyxl Workbook; save it with ``save_atomic``.

    ``figures``: what the Dashboard and the KPI sheets show (``model.results.figures``),
    computed from ``summary`` and ``run`` when not given. ``kpis=False`` leaves out the KPI
    sheets, charts and dashboard figures (for a quick look at a huge run)."""
    if figures is None:
        figures = report_figures(summary, run, kpis=kpis)
    wb = Workbook()
    dash = wb.active
    dash.title = "Dashboard"
    data = run.data if run else None
    currency = figures.currency
    notes: list[str] = []
    summary_sheet(wb, summary)
    about_ws = wb.create_sheet("About")
    changes = [c.as_dict() for c in run.changes] if run else []
    data_sheet(wb, "Changes", pd.DataFrame(changes, columns=CHANGE_COLUMNS), currency, notes)
    items = list(problems) or (list(run.warnings) if run else [])
    data_sheet(wb, "Warnings", pd.DataFrame([p.as_dict() for p in items], columns=WARNING_COLUMNS),
               currency, notes)
    blocks = {}
    sheets_written = [n for n, _ in FRONT[:5]]
    if not has_results(run):
        for name in extra_tables(run):           # e.g. the infeasibility explanation
            data_sheet(wb, name, run.tables[name], currency, notes)
        sheets_written = list(wb.sheetnames)
    else:
        from model.report import charts
        charts_ws = wb.create_sheet("Charts")
        frames = dict(figures.kpis)
        frames.update({name: run.tables[name] for name, _ in SHEETS if name in run.tables})
        for name in DATA_ORDER:
            if name in frames:
                data_sheet(wb, name, frames[name], currency, notes)
        for name in extra_tables(run):           # extra tables (provenance, analyses)
            data_sheet(wb, name, run.tables[name], currency, notes)
        chart_ws = wb.create_sheet("ChartData")
        blocks = charts.chart_data(run.tables, currency, list(data.periods), figures.cost_by_period) \
            if (figures.kpis and data is not None) else {}
        charts.write_chart_data(chart_ws, blocks)
        page_setup(chart_ws, title_rows=None)
        charts_ws["A1"] = "Charts (figures on sheet ChartData)"
        charts_ws["A1"].font = st.TITLE_FONT
        charts.place(charts_ws, charts.all_charts(chart_ws, blocks, currency))
        page_setup(charts_ws, title_rows=None)
        sheets_written = list(wb.sheetnames)
    about.write(about_ws, summary, run, problems, sheets_written, notes)
    dashboard.write(dash, summary, run, figures, blocks, wb, problems=problems)
    return wb


def save_atomic(wb: Workbook, path: str | Path) -> None:
    """Write the workbook to ``path`` through ``model.files.write_file``:
    never half-written; ``OutputError`` with a one-line reason on failure."""
    write_file(path, lambda handle: bulk.save(wb, handle))
