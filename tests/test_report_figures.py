"""The Dashboard and the web page render one value (model.results.figures.Figures) and
compute nothing themselves: both show the figures of that value, and a value with a
changed figure shows the changed figure in both (and in the KPI sheets)."""

from __future__ import annotations

import dataclasses

import openpyxl
import pytest

from model.report.html import page
from model.report.summary import summary as summary_of
from model.report.workbook import build_workbook, save_atomic
from model.results.figures import Risk, figures
from model.run import run

# BASE (tests/conftest.py) with 130 t demanded at BUYER: MINE (AU) sells 100 t at 10 + 5 freight;
# 30 t are unmet at 1,000 per t. One period (2025), so discounted = undiscounted:
#   spent 100 x 15 = 1,500;  penalty 30 x 1,000 = 30,000;  total 31,500
#   unmet 30 t, 100 / 130 = 76.9 % met;  all arrivals from AU (abroad): HHI foreign 10,000.
SHORT = {"Demand": """
        demand_id,site_id,material_id,period,quantity
        D1,BUYER,OX,2025,130
    """}


@pytest.fixture
def solved(make_workbook):
    r = run(make_workbook(SHORT))
    info = summary_of(r)
    return r, info, figures(info, r)


def _dashboard(tmp_path, info, r, fig):
    path = tmp_path / "report.xlsx"
    save_atomic(build_workbook(info, r, figures=fig), path)
    return openpyxl.load_workbook(path)


def _tiles(ws) -> dict:
    """Dashboard tile label -> value (labels on row 4, values under them)."""
    return {c.value: ws.cell(row=5, column=c.column).value for c in ws[4] if isinstance(c.value, str)}


def _text(ws) -> str:
    return "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)


@pytest.mark.component
def test_one_value_holds_the_headline_worked_by_hand(solved):
    _, _, fig = solved
    tiles = {t.label: (t.value, t.bad) for t in fig.tiles}
    assert tiles["total cost (USD, discounted)"] == (pytest.approx(31_500), False)
    assert tiles["spent (USD, discounted)"] == (pytest.approx(1_500), False)
    assert tiles["penalties (USD, discounted)"] == (pytest.approx(30_000), True)
    assert tiles["unmet demand (t; 76.9% met)"] == (pytest.approx(30), True)
    assert tiles["top HHI, foreign origins"] == (pytest.approx(10_000), True)
    assert [(k.issue, k.where, k.periods) for k in fig.risks] == [
        ("unmet demand (t)", "OX", "2025"), ("HHI of foreign origins > 2,500", "OX", "2025")]


@pytest.mark.component
def test_dashboard_and_page_show_the_same_headline(solved, tmp_path):
    r, info, fig = solved
    ws = _dashboard(tmp_path, info, r, fig)["Dashboard"]
    html = page(info, r, fig)
    shown = _tiles(ws)
    for t in fig.tiles:
        assert shown[t.label] == pytest.approx(t.value)
    for label, text in [("total cost (USD, discounted)", "31,500"), ("spent (USD, discounted)", "1,500"),
                        ("penalties (USD, discounted)", "30,000"), ("unmet demand (t; 76.9% met)", "30.00"),
                        ("top HHI, foreign origins", "10,000")]:
        assert f'<div class="label">{label}</div><div class="value">{text}</div>' in html


@pytest.mark.component
def test_a_changed_figure_is_shown_changed_by_both_writers(solved, tmp_path):
    r, info, fig = solved
    new = {"total cost (USD, discounted)": 123_456.0, "top HHI, foreign origins": 4_321.0}
    tiles = [dataclasses.replace(t, value=new.get(t.label, t.value)) for t in fig.tiles]
    hhi = {"hhi_foreign": 4_321.0, "hhi_country": 4_321.0}       # 10,000 in the plan
    where = fig.where_from.assign(**hhi)
    kpis = dict(fig.kpis, KPIs=fig.kpis["KPIs"].assign(**hhi))
    risk = Risk("a risk no plan has", "OX at NOWHERE", "2099", 7.0, "t")
    changed = dataclasses.replace(fig, tiles=tiles, where_from=where, kpis=kpis, risks=[risk])

    book = _dashboard(tmp_path, info, r, changed)
    ws = book["Dashboard"]
    assert _tiles(ws)["total cost (USD, discounted)"] == 123_456.0
    text = _text(ws)
    assert "a risk no plan has" in text and "OX at NOWHERE" in text
    assert "HHI of foreign origins > 2,500" not in text          # the value's risks, not recomputed
    values = [v for row in ws.iter_rows(values_only=True) for v in row]
    assert values.count(4_321.0) == 2 and 10_000.0 not in values  # tile and where from: changed
    k = book["KPIs"]
    col = [c.value for c in k[1]].index("hhi_foreign")
    assert {row[col] for row in k.iter_rows(min_row=2, values_only=True)} == {4_321.0}

    html = page(info, r, changed)
    assert '<div class="value">123,456</div>' in html and '<div class="value">31,500</div>' not in html
    assert "a risk no plan has" in html and "HHI of foreign origins &gt; 2,500" not in html
    where_html = html[html.index("<h2>Where from"):]
    where_html = where_html[:where_html.index("</table>")]
    assert where_html.count(">4,321<") == 2 and "10,000" not in where_html
    assert '<div class="value">4,321</div>' in html


@pytest.mark.unit
def test_every_cost_category_has_one_colour_in_the_dashboard_and_the_page():
    # capex and investment_fixed (contract v1.2) had none: the Dashboard and the page then
    # gave them different series colours
    from model.formulation.costs import CATEGORIES
    from model.report import styles as st
    assert set(CATEGORIES) <= set(st.CATEGORY_COLOURS)
    assert len(set(st.CATEGORY_COLOURS.values())) == len(st.CATEGORY_COLOURS)
    # a category without a colour of its own takes the next series colour, the same for both
    assert st.category_colours(["purchase", "new_a", "new_b"]) == {
        "purchase": "0072B2", "new_a": st.SERIES[0], "new_b": st.SERIES[1]}
