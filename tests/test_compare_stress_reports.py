"""Issue 16 item 4: the compare and stress workbooks meet the solve report's
standard (Dashboard first, Excel Tables with header notes and number formats,
CostByCategory undiscounted and discounted, bars from zero) and their
terminal tables print formatted numbers. Expected figures are worked by hand
in the comments."""

import math
import re

import openpyxl
import pandas as pd
import pytest

from conftest import with_cn
from model.cli import main
from model.report import styles as st
from model.report.terminal import text_table

# Two years, discount rate 25 %: 2026 money counts 1 / 1.25 = 0.8.
# Each year 30 t of OX at 10 + freight 5 = 450 USD.
TWO_YEARS = {
    "Settings": """
        key,value
        first_period,2025
        last_period,2026
        unmet_penalty,1000
        discount_rate,0.25
    """,
    "Demand": """
        demand_id,site_id,material_id,period,quantity
        D1,BUYER,OX,2025,30
        D2,BUYER,OX,2026,30
    """,
    "Scenarios": """
        scenario_id,description
        double,2025 demand doubles
        free_lanes,freight is free
    """,
    "ScenarioChanges": """
        scenario_id,sheet,id,column,op,value
        double,Demand,D1,quantity,scale,2
        free_lanes,Lanes,*,unit_cost,set,0
    """,
}
SCIENTIFIC = re.compile(r"\d[eE][+-]\d")


def _tables_and_notes(book, skip=("Dashboard", "ChartData")):
    """Every sheet but the Dashboard and ChartData: an Excel Table, every header cell noted."""
    for ws in book.worksheets:
        if ws.title in skip:
            continue
        assert ws.tables, f"{ws.title} is not an Excel Table"
        for cell in ws[1]:
            if cell.value is not None:
                assert cell.comment and cell.comment.text.strip(), f"{ws.title}!{cell.coordinate}"


def _format_of(ws, column: str) -> str:
    header = [c.value for c in ws[1]]
    return ws.cell(row=2, column=header.index(column) + 1).number_format


def _clean(text: str) -> None:
    assert not SCIENTIFIC.search(text), text
    assert "NaN" not in text and "None" not in text and "nan" not in text, text


@pytest.mark.component
def test_compare_report_dashboard_tables_and_both_cost_bases(make_workbook, tmp_path, capsys):
    path = make_workbook(TWO_YEARS)
    out = tmp_path / "cmp.xlsx"
    assert main(["compare", str(path), "--all", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    _clean(printed)
    # base 450 + 0.8 x 450 = 810; double: 900 + 360 = 1,260 (+450); free_lanes: 300 + 240 = 540 (-270)
    assert re.search(r"base\s+optimal\s+810\s+0\s+0.0%", printed), printed
    assert re.search(r"double\s+optimal\s+1,260\s+450\s+55.6%", printed), printed
    assert re.search(r"free_lanes\s+optimal\s+540\s+-270\s+-33.3%", printed), printed

    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "Dashboard"
    _tables_and_notes(book)
    assert _format_of(book["Overview"], "objective") == st.MONEY
    assert _format_of(book["Overview"], "unmet_demand_t") == st.TONNES
    dash = book["Dashboard"]
    assert dash["B5"].value == pytest.approx(810)                  # base total cost
    assert dash["D4"].value == "cheapest: free_lanes" and dash["D5"].value == pytest.approx(-270)
    assert dash["F4"].value == "dearest: double" and dash["F5"].value == pytest.approx(450)
    assert dash["J5"].value == pytest.approx(0) and dash["N5"].value == 0   # unmet, not solved

    cost = pd.read_excel(out, sheet_name="CostByCategory", engine="openpyxl").set_index(["basis", "category"])
    # undiscounted: purchase 2 x 300 = 600, freight 2 x 150 = 300; discounted: 300 + 240, 150 + 120
    assert cost.loc[("undiscounted", "purchase"), "base"] == pytest.approx(600)
    assert cost.loc[("undiscounted", "freight"), "base"] == pytest.approx(300)
    assert cost.loc[("undiscounted", "total"), "base"] == pytest.approx(900)
    assert cost.loc[("discounted", "purchase"), "base"] == pytest.approx(540)
    assert cost.loc[("discounted", "total"), "base"] == pytest.approx(810)      # = objective
    assert cost.loc[("discounted", "total"), "double - base"] == pytest.approx(450)
    assert cost.loc[("discounted", "freight"), "free_lanes"] == pytest.approx(0)
    note = book["CostByCategory"]["A1"].comment.text
    assert "undiscounted" in note and "discounted" in note


@pytest.mark.component
def test_compare_charts_start_at_zero(make_workbook, tmp_path):
    out = tmp_path / "cmp.xlsx"
    assert main(["compare", str(make_workbook(TWO_YEARS)), "--all", "-o", str(out), "-q"]) == 0
    charts = openpyxl.load_workbook(out)["Dashboard"]._charts
    assert len(charts) == 3            # total cost, cost against base, unmet demand
    total, delta, unmet = charts
    # costs (810, 1,260, 540) and unmet t are >= 0: their bars start at zero, not at ~500
    assert total.y_axis.scaling.min == 0 and unmet.y_axis.scaling.min == 0
    # deltas +450 and -270 straddle zero: no floor, the axis crosses at zero
    assert delta.y_axis.scaling.min is None


@pytest.mark.component
def test_stress_report_dashboard_top_n_of_m(make_workbook, tmp_path, capsys):
    out = tmp_path / "st.xlsx"
    assert main(["stress", str(make_workbook(with_cn())), "--by", "country", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    _clean(printed)
    # US is home (left out); CN and AU are knocked out: 2 countries.
    # base: 30 t from CN at 5 + 1 = 180; CN out: 30 t from AU at 10 + 5 = 450, +270; AU out: +0
    assert "top 2 of 2 countries by cost increase" in printed
    assert re.search(r"1\s+CN\s+270\s+0.00\s+-", printed), printed
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:2] == ["Dashboard", "Stress"]
    _tables_and_notes(book)
    assert _format_of(book["Stress"], "cost_increase") == st.MONEY
    dash = book["Dashboard"]
    assert dash["B5"].value == 2 and dash["D5"].value == pytest.approx(180)
    assert dash["F4"].value == "worst: CN (USD)" and dash["F5"].value == pytest.approx(270)
    assert dash["J5"].value == 0                                   # none leaves demand unmet
    assert dash["B7"].value.startswith("Top 2 of 2 countries")
    assert [dash["C9"].value, dash["D9"].value, dash["E9"].value] == ["CN", pytest.approx(270),
                                                                      pytest.approx(1.5)]  # 270/180
    (chart,) = dash._charts
    assert chart.y_axis.scaling.min == 0


@pytest.mark.unit
def test_terminal_tables_print_report_formats_and_blanks():
    frame = pd.DataFrame({"entity": ["CN", "AU", None], "cost_increase": [1.41608039088e9, 0.0, None],
                          "extra_unmet_t": [315.384615, float("nan"), 2.0],
                          "periods_survived": [0.0, math.nan, None]})
    text = text_table(frame, "Stress")
    _clean(text)
    lines = text.splitlines()
    assert lines[0].split() == ["entity", "cost_increase", "extra_unmet_t", "periods_survived"]
    assert lines[1].split() == ["CN", "1,416,080,391", "315.38", "0"]
    assert lines[2].split() == ["AU", "0", "-", "-"]
    assert lines[3].split() == ["-", "-", "2.00", "-"]
