"""Native Excel charts of the report, and the ``ChartData`` sheet they plot.

Charts in Excel plot cell ranges, so every chart's figures are written as a
small block of the ``ChartData`` sheet (title row, header row, one row per
period or material) and the chart points at it. The blocks are plain pivots
of the report's own tables; nothing is computed here that is not on a data
sheet too.

A country (or material, or cost category) has the same colour in every
chart: colours are given in the order of total arrivals (demand, cost).

    blocks = chart_data(run.tables, currency, periods, cost_by_period)   # {name: Block}
    write_chart_data(ws, blocks)                         # fills ChartData
    all_charts(ws, blocks, currency)                     # the Charts sheet's charts
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from model.report import styles as st

MAX_SERIES = 8            # countries shown before "other"
MAX_MATERIAL_CHARTS = 12  # arrivals and stock charts: one per material, at most
OTHER = "other"
GREY = "A6A6A6"
AXIS_T = "#,##0"


@dataclass
class Block:
    """A table on ChartData: ``frame``'s index is the category axis."""
    name: str
    title: str
    frame: pd.DataFrame
    number_format: str = st.TONNES
    colours: dict = field(default_factory=dict)   # series name -> colour
    dashed: set = field(default_factory=set)      # series drawn dashed (floors)
    row: int = 0              # header row on ChartData, set when written

    @property
    def n(self) -> int:
        return len(self.frame)


def _palette(names) -> dict[str, str]:
    out = {}
    for i, name in enumerate(n for n in names if n != OTHER):
        out[name] = st.SERIES[i % len(st.SERIES)]
    out[OTHER] = GREY
    return out


def _ranked(totals: pd.Series) -> list:
    return list(totals.sort_values(ascending=False, kind="stable").index)


def chart_data(tables: dict, currency: str, periods: list[int],
               cost_by_period: pd.DataFrame) -> dict[str, Block]:
    """Every block the charts need, keyed by name (``cost_by_period``: period x category,
    ``model.results.figures``)."""
    blocks: dict[str, Block] = {}
    index = pd.Index(periods, name="period")

    cats = list(cost_by_period.columns)
    if cats:
        colours = st.category_colours(cats)
        blocks["cost"] = Block("cost", f"Cost by category ({currency}, undiscounted)",
                               cost_by_period, st.MONEY, colours)

    dem = tables.get("Demand")
    by_demand = (_ranked(dem.groupby("material_id")["quantity_t"].sum())
                 if dem is not None and len(dem) else [])
    material_colour = _palette(by_demand)

    arr = tables.get("ArrivalsByCountry")
    if arr is not None and len(arr):
        countries = _ranked(arr.groupby("country")["arrivals_t"].sum())
        colour = _palette(countries[:MAX_SERIES])
        order = [m for m in by_demand if m in set(arr["material_id"])] or \
            sorted(arr["material_id"].unique())
        for m in order[:MAX_MATERIAL_CHARTS]:
            a = arr[arr["material_id"] == m]
            wide = a.pivot_table(index="period", columns="country", values="arrivals_t",
                                 aggfunc="sum").reindex(index).fillna(0.0)
            keep = [c for c in countries if c in wide.columns and c in colour][:MAX_SERIES]
            rest = [c for c in wide.columns if c not in keep]
            wide = wide[keep].copy()
            if rest:
                wide[OTHER] = a[a["country"].isin(rest)].groupby("period")["arrivals_t"].sum() \
                    .reindex(index).fillna(0.0)
            blocks[f"arrivals:{m}"] = Block(f"arrivals:{m}", f"Arrivals of {m} by origin country (t)",
                                            wide, st.TONNES, colour)
        share = arr[arr["material_id"].isin(order[:MAX_MATERIAL_CHARTS])].copy()
        share["country"] = share["country"].where(share["country"].isin(colour), OTHER)
        wide = share.pivot_table(index="material_id", columns="country", values="arrivals_t",
                                 aggfunc="sum").reindex(order[:MAX_MATERIAL_CHARTS]).fillna(0.0)
        wide = wide[[c for c in [*countries, OTHER] if c in wide.columns]]
        wide = wide.div(wide.sum(axis=1).where(lambda s: s > 0, 1.0), axis=0)
        wide = wide.iloc[::-1]            # horizontal bars read top-down in demand order
        wide.index.name = "material"
        blocks["shares"] = Block("shares", "Where from: arrivals by origin country, horizon",
                                 wide, st.SHARE, colour)

    if dem is not None and len(dem):
        wide = dem.pivot_table(index="period", columns="material_id", values="unmet_t",
                               aggfunc="sum").reindex(index).fillna(0.0)
        short = [m for m in by_demand if wide[m].sum() > 1e-9] or by_demand
        title = "Unmet demand by material (t)" + ("" if any(wide[m].sum() > 1e-9 for m in short)
                                                 else ": none")
        blocks["unmet"] = Block("unmet", title, wide[short], st.TONNES, material_colour)

    stock = tables.get("Stock")
    if stock is not None and len(stock):
        s = stock.groupby(["period", "material_id"])[["stock_t", "min_stock_t"]].sum().reset_index()
        peak = s.groupby("material_id")[["stock_t", "min_stock_t"]].max().max(axis=1)
        mats = [m for m in _ranked(peak) if peak[m] > 1e-9][:MAX_MATERIAL_CHARTS]
        for m in mats:
            part = s[s["material_id"] == m].set_index("period")
            wide = pd.DataFrame({"stock": part["stock_t"].reindex(index).fillna(0.0)}, index=index)
            if part["min_stock_t"].sum() > 0:
                wide["floor"] = part["min_stock_t"].reindex(index).fillna(0.0)
            blocks[f"stock:{m}"] = Block(f"stock:{m}", f"End-of-period stock of {m} (t)", wide,
                                         st.TONNES, {"stock": st.NAVY, "floor": "C00000"},
                                         dashed={"floor"})
    return blocks


def write_chart_data(ws, blocks: dict[str, Block]) -> None:
    """Write the blocks one under another; remember where each one is."""
    ws["A1"] = "Figures plotted by the charts (pivots of the report's data sheets)."
    ws["A1"].font = st.SUBTITLE_FONT
    row = 3
    width = 12
    for block in blocks.values():
        ws.cell(row=row, column=1, value=block.title).font = st.SECTION_FONT
        block.row = row + 1
        header = [block.frame.index.name or "", *[str(c) for c in block.frame.columns]]
        for j, h in enumerate(header, start=1):
            c = ws.cell(row=block.row, column=j, value=h)
            c.font, c.fill = st.SMALL_HEADER_FONT, st.SMALL_HEADER_FILL
            c.alignment = st.Alignment(horizontal="left" if j == 1 else "right")
            width = max(width, len(h) + 2)
        for i, (idx, values) in enumerate(block.frame.iterrows(), start=1):
            ws.cell(row=block.row + i, column=1, value=idx.item() if hasattr(idx, "item") else idx)
            for j, v in enumerate(values, start=2):
                c = ws.cell(row=block.row + i, column=j, value=float(v))
                c.number_format = block.number_format
        row = block.row + block.n + 2
    for j in range(1, 2 + max((b.frame.shape[1] for b in blocks.values()), default=1)):
        ws.column_dimensions[get_column_letter(j)].width = min(width, 24)


def _refs(ws, block: Block):
    cats = Reference(ws, min_col=1, min_row=block.row + 1, max_row=block.row + block.n)
    data = Reference(ws, min_col=2, max_col=1 + block.frame.shape[1], min_row=block.row,
                     max_row=block.row + block.n)
    return cats, data


def _title(text: str, size: int = 1100):
    from openpyxl.chart.title import Title
    from openpyxl.chart.text import Text
    run = RegularTextRun(t=text, rPr=CharacterProperties(sz=size, b=True, solidFill="404040"))
    para = Paragraph(pPr=ParagraphProperties(defRPr=CharacterProperties(sz=size, b=True)), r=[run])
    return Title(tx=Text(rich=RichText(p=[para])), overlay=False)


def _small_text(size: int = 800) -> RichText:
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=CharacterProperties(sz=size)),
                                 endParaRPr=CharacterProperties(sz=size))])


def _finish(chart, block: Block, y_title: str, number_format: str, width: float, height: float):
    chart.title = _title(block.title)
    chart.y_axis.title = y_title
    # openpyxl 3.1 leaves ``delete`` unset, which new Excel versions read as "hide the axis"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.number_format = number_format
    chart.y_axis.numFmt.sourceLinked = False
    if isinstance(chart, BarChart) and block.n and float(block.frame.min().min()) >= 0:
        chart.y_axis.scaling.min = 0      # bars of non-negative figures start at zero
    chart.x_axis.txPr = _small_text()
    chart.y_axis.txPr = _small_text()
    chart.legend.position = "b"
    chart.legend.txPr = _small_text()
    names = [str(c) for c in block.frame.columns]
    for i, s in enumerate(chart.series):
        name = names[i] if i < len(names) else ""
        colour = block.colours.get(name, st.SERIES[i % len(st.SERIES)])
        if isinstance(chart, LineChart):
            s.graphicalProperties.line.solidFill = colour
            s.graphicalProperties.line.width = 28000
            s.smooth = False
            if name in block.dashed:
                s.graphicalProperties.line.dashStyle = "dash"
        else:
            s.graphicalProperties = GraphicalProperties(solidFill=colour)
            s.graphicalProperties.line = LineProperties(solidFill=colour)
    chart.width, chart.height = width, height
    return chart


def stacked_columns(ws, block: Block, y_title: str, percent: bool = False, horizontal=False,
                    width: float = 16, height: float = 8) -> BarChart:
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.grouping = "percentStacked" if percent else "stacked"
    chart.overlap = 100
    chart.gapWidth = 60
    cats, data = _refs(ws, block)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    fmt = "0%" if percent else (AXIS_T if block.number_format == st.TONNES else block.number_format)
    return _finish(chart, block, y_title, fmt, width, height)


def clustered_columns(ws, block: Block, y_title: str, width: float = 16, height: float = 8) -> BarChart:
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.gapWidth = 80
    cats, data = _refs(ws, block)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    return _finish(chart, block, y_title, AXIS_T, width, height)


def lines(ws, block: Block, y_title: str, width: float = 16, height: float = 8) -> LineChart:
    chart = LineChart()
    cats, data = _refs(ws, block)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    return _finish(chart, block, y_title, AXIS_T, width, height)


def all_charts(data_ws, blocks: dict[str, Block], currency: str) -> list:
    """The Charts sheet's charts, in reading order."""
    out = []
    if "cost" in blocks:
        out.append(stacked_columns(data_ws, blocks["cost"], currency))
    if "shares" in blocks:
        out.append(stacked_columns(data_ws, blocks["shares"], "share of arrivals", percent=True,
                                   horizontal=True))
    if "unmet" in blocks:
        out.append(clustered_columns(data_ws, blocks["unmet"], "t"))
    for name, block in blocks.items():
        if name.startswith("arrivals:"):
            out.append(stacked_columns(data_ws, block, "t"))
    for name, block in blocks.items():
        if name.startswith("stock:"):
            out.append(lines(data_ws, block, "t"))
    return out


ROWS_PER_CHART = 17
COLS_PER_CHART = 10


def place(ws, charts: list, per_row: int = 2, top: int = 3) -> None:
    """Lay charts out in a grid, with a page break after every two rows of charts."""
    for i, chart in enumerate(charts):
        r = top + (i // per_row) * ROWS_PER_CHART
        c = 1 + (i % per_row) * COLS_PER_CHART
        ws.add_chart(chart, f"{get_column_letter(c)}{r}")
    rows = (len(charts) + per_row - 1) // per_row
    for k in range(2, rows, 2):
        ws.row_breaks.append(Break(id=top + k * ROWS_PER_CHART - 2))
    last = top + rows * ROWS_PER_CHART
    ws.print_area = f"A1:{get_column_letter(per_row * COLS_PER_CHART)}{max(last, 2)}"
