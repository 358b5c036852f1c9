"""What the reports of ``compare`` and ``stress`` share with the solve report.

Each is written like the solve report: a Dashboard first (title, one line of
context, headline tiles, the table that answers the question, charts whose
bars start at zero), then Excel Tables with header notes and number formats
(``workbook.data_sheet``), an About sheet (key / value / meaning) and the
ChartData sheet the charts plot (``charts``).

    wb, dash = start("Stress test: example.xlsx", ["periods 2025-2034", ...])
    data_sheet(wb, "Stress", table, currency)             # the Tables
    about(wb, {"input_file": ..., ...}, meanings, formats)
    finish(wb, dash, blocks, placements, last_row)        # ChartData and the charts
"""

from __future__ import annotations

import pandas as pd
from openpyxl import Workbook

from model.report import charts
from model.report import styles as st
from model.report.canvas import LEFT, WIDTHS, Canvas, one_page
from model.report.layout import page_setup
from model.report.workbook import summary_sheet

CHART_COLUMN = "K"          # charts sit right of the Dashboard's table (columns B..I), under the tiles
CHART_ROWS = 17


def start(title: str, bits: list[str], widths: dict | None = None) -> tuple[Workbook, Canvas]:
    """A workbook whose first sheet is the Dashboard, with its title and context line."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Dashboard"
    ws.sheet_view.showGridLines = False
    ws.sheet_view.zoomScale = 90
    for letter, w in {**WIDTHS, **(widths or {})}.items():
        ws.column_dimensions[letter].width = w
    cv = Canvas(ws)
    cv.put(1, LEFT, title, font=st.TITLE_FONT)
    cv.put(2, LEFT, "  |  ".join(b for b in bits if b), font=st.SUBTITLE_FONT)
    return wb, cv


def tiles(cv: Canvas, row: int, items: list[tuple[str, object, str, bool]]) -> None:
    """Up to six (label, value, number format, red) tiles, as on the solve Dashboard."""
    cv.tiles(row, items)


def about(wb: Workbook, values: dict, meanings: dict, formats: dict) -> None:
    summary_sheet(wb, values, name="About", meanings=meanings, formats=formats)


def series(name: str, title: str, values: pd.Series, label: str, fmt: str) -> charts.Block:
    """A one-series ChartData block: ``values`` indexed by category (unsolved: dropped)."""
    frame = pd.DataFrame({label: pd.to_numeric(values, errors="coerce")}).dropna()
    frame.index.name = values.index.name or ""
    return charts.Block(name, title, frame, fmt, {label: st.BLUE})


def finish(wb: Workbook, cv: Canvas, blocks: list[tuple[charts.Block, str, bool]],
           last_row: int) -> None:
    """ChartData (the figures), then one bar chart per (block, axis title,
    horizontal) right of the Dashboard's table; print setup."""
    data_ws = wb.create_sheet("ChartData")
    charts.write_chart_data(data_ws, {b.name: b for b, _, _ in blocks})
    page_setup(data_ws, title_rows=None)
    at = 7
    for block, y_title, horizontal in blocks:
        if not block.n:
            continue
        chart = charts.clustered_columns(data_ws, block, y_title, width=15, height=7.5)
        if horizontal:
            chart.type = "bar"
        chart.legend = None
        cv.ws.add_chart(chart, f"{CHART_COLUMN}{at}")
        at += CHART_ROWS
    one_page(cv.ws, max(last_row, at), 21 if blocks else 10)
