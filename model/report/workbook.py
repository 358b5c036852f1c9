"""The report workbook: always written, whatever the outcome.

Sheets, in order: Summary, Changes, Warnings, then the decision and KPI
tables (Purchases, ProcessRuns, ProcessFlows, Shipments, Stock, Demand,
Discards, ArrivalsByCountry, CostByCategory, RuleMarginals). A run with no
solution still gets Summary, Changes and Warnings, with the status and the
reason. Written to a temporary file beside the target, then renamed, so an
interrupted run never leaves a half-written report.
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

# Report sheet -> (results table, one-line description).
SHEETS = [
    ("Purchases", "what is bought from each offer, per period"),
    ("ProcessRuns", "runs of each process, per period"),
    ("ProcessFlows", "t consumed and produced by each process run"),
    ("Shipments", "lane shipments per material and period, with freight and tariffs"),
    ("Stock", "end-of-period stock against floors and ceilings"),
    ("Demand", "demand met and unmet per Demand row"),
    ("Discards", "material discarded (unsellable co-products)"),
    ("ArrivalsByCountry", "arrivals at demand sites by origin country, with shares"),
    ("CostByCategory", "cost by category and period (undiscounted and discounted)"),
    ("RuleMarginals", "marginal value of each export-control and policy row"),
]
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
MONEY_WORDS = ("cost", "penalty", "marginal", "objective", "bound", "price", "value")


class ReportWriteError(Exception):
    """The report path cannot be written (locked, read-only, missing folder)."""


def _cell(v):
    if v is None:
        return None
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    if isinstance(v, (tuple, list, dict)):
        return str(v)
    if hasattr(v, "item"):
        return v.item()
    return v


def _format(column: str) -> str | None:
    low = column.lower()
    if low.endswith("_t") or low.endswith("_runs") or low == "runs":
        return "#,##0.00"
    if low == "share":
        return "0.0%"
    if any(w in low for w in MONEY_WORDS):
        return "#,##0"
    return None


def write_frame(ws, frame: pd.DataFrame) -> None:
    columns = list(frame.columns)
    ws.append(columns)
    for rec in frame.itertuples(index=False, name=None):
        ws.append([_cell(v) for v in rec])
    for j, name in enumerate(columns, start=1):
        c = ws.cell(row=1, column=j)
        c.fill, c.font = HEADER_FILL, HEADER_FONT
        c.alignment = Alignment(wrap_text=True, vertical="center")
        fmt = _format(name)
        width = max([len(str(name))] + [len(str(_cell(v))) for v in frame[name].head(200)])
        ws.column_dimensions[get_column_letter(j)].width = min(max(10, width + 2), 60)
        if fmt and len(frame):
            for row in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                row[0].number_format = fmt
    ws.freeze_panes = "A2"


def build_workbook(summary: dict, run=None, problems=()) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    write_frame(ws, pd.DataFrame({"key": list(summary), "value": [_cell(v) for v in summary.values()]}))
    ws.column_dimensions["B"].width = 70
    changes = [c.as_dict() for c in run.changes] if run else []
    write_frame(wb.create_sheet("Changes"), pd.DataFrame(
        changes, columns=["source", "sheet", "row", "id", "column", "op", "old", "new"]))
    items = list(problems) or (list(run.warnings) if run else [])
    write_frame(wb.create_sheet("Warnings"), pd.DataFrame(
        [p.as_dict() for p in items],
        columns=["severity", "sheet", "row", "column", "value", "message", "context"]))
    if run and run.tables:
        for name, _ in SHEETS:
            write_frame(wb.create_sheet(name), run.tables[name])
    return wb


def save_atomic(wb: Workbook, path: str | Path) -> None:
    path = Path(path)
    if not path.parent.exists():
        raise ReportWriteError(f"cannot write {path}: folder {path.parent} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".xlsx.tmp")
    except OSError as exc:
        raise ReportWriteError(f"cannot write in {path.parent}: {exc.strerror}") from None
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ReportWriteError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
