"""Issue 16, items 2 and 5: the headline separates money spent from penalties
and names what is unmet; the Dashboard flags only what is a risk; the web page
shows the Dashboard's risk rows and no 'nan'.

Hand-worked case (SHORT): MINE (AU) sells at most 20 t of OX a year at 10/t,
freight 5/t to BUYER (US); discount rate 25 %, so 2026 counts 1/1.25 = 0.8.
Demand at BUYER: 30 t defense in 2025 and 2026 (penalty 1,000/t), 5 t
commercial in 2026 (penalty 100/t). Each year 20 t arrive at 15/t = 300 spent;
2025: 10 t defense unmet = 10,000; 2026: the 20 t go to defense (1,000 > 100),
10 t defense + 5 t commercial unmet = 10,000 + 500 = 10,500.
    spent    = 300 + 0.8 x 300             =    540
    penalty  = 10,000 + 0.8 x 10,500       = 18,400
    total    = 540 + 18,400                = 18,940
    unmet    = 20 t OX defense at BUYER, 2025-2026; 5 t OX commercial at BUYER, 2026
"""

from __future__ import annotations

import re

import openpyxl
import pytest

from conftest import BAN, BASE_SHEETS, solve_cli, with_cn, write_workbook
from model.cli import main
from model.report import styles as st

SHORT = {
    "Settings": """
        key,value
        first_period,2025
        last_period,2026
        unmet_penalty,1000
        discount_rate,0.25
    """,
    "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost
        MINE_OX,MINE,OX,20,10
    """,
    "Demand": """
        demand_id,site_id,material_id,period,quantity,unmet_penalty,segment
        D25,BUYER,OX,2025,30,1000,defense
        D26,BUYER,OX,2026,30,1000,defense
        C26,BUYER,OX,2026,5,100,commercial
    """,
}


@pytest.fixture(scope="module")
def short(tmp_path_factory):
    wb = write_workbook(tmp_path_factory.mktemp("short"), {**BASE_SHEETS, **SHORT})
    return wb


@pytest.mark.component
def test_terminal_line_splits_spent_and_penalties(short, capsys):
    rc = main(["solve", str(short), "-o", str(short.with_name("r.xlsx"))])
    out = capsys.readouterr().out.splitlines()
    assert rc == 0
    assert out[0] == ("optimal: total 18,940 USD (discounted) = 540 spent + 18,400 penalties "
                      "for unmet demand")
    assert out[1] == "unmet: 20 t OX defense at BUYER, 2025-2026; 5 t OX commercial at BUYER, 2026"


@pytest.mark.component
def test_summary_and_dashboard_carry_spent_and_penalty(short):
    s = solve_cli(short)
    assert s.summary["spent"] == pytest.approx(540)
    assert s.summary["penalty"] == pytest.approx(18_400)
    assert s.summary["spent"] + s.summary["penalty"] == pytest.approx(s.objective)
    assert s.summary["unmet"].startswith("20 t OX defense at BUYER, 2025-2026")
    summary_sheet = {r[0]: r[1] for r in s.table("Summary").itertuples(index=False)}
    assert float(summary_sheet["spent"]) == pytest.approx(540)
    assert float(summary_sheet["penalty"]) == pytest.approx(18_400)
    tiles = _tiles(openpyxl.load_workbook(s.report)["Dashboard"])
    assert tiles["total cost (USD, discounted)"] == (pytest.approx(18_940), False)
    assert tiles["spent (USD, discounted)"] == (pytest.approx(540), False)
    assert tiles["penalties (USD, discounted)"] == (pytest.approx(18_400), True)
    assert tiles["unmet demand (t; 61.5% met)"] == (pytest.approx(25), True)   # 40 of 65 t met


@pytest.mark.component
def test_all_met_says_so(make_workbook, capsys):
    wb = make_workbook()             # BASE: 30 t at 10 + 5 = 15/t, nothing unmet: 450
    assert main(["solve", str(wb), "-o", str(wb.with_name("r.xlsx"))]) == 0
    assert capsys.readouterr().out.splitlines()[0] == \
        "optimal: total 450.00 USD (discounted), all demand met"


@pytest.mark.component
def test_the_terminal_says_which_families_were_switched_off(make_workbook, capsys):
    # with CN at 6/t, a ban and its export_controls family left out: 30 t from CN = 180;
    # the independent verifier, which reads the ban from the workbook, finds it broken (exit 4)
    wb = make_workbook({**with_cn(), "ExportControls": BAN})
    assert main(["solve", str(wb), "-o", str(wb.with_name("r.xlsx")),
                 "--skip-family", "export_controls"]) == 4
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "optimal: total 180.00 USD (discounted), all demand met"
    assert out[1] == ("switched off (--skip-family): export_controls; this plan does not keep "
                      "their rules")


def _tiles(ws) -> dict[str, tuple[float, bool]]:
    """Dashboard tile label -> (value, painted red)."""
    out = {}
    for cell in ws[4]:
        if isinstance(cell.value, str):
            below = ws.cell(row=5, column=cell.column)
            out[cell.value] = (below.value, below.fill.fgColor.rgb == st.RED_FILL.fgColor.rgb)
    return out


# BUYER (US) buys OX from a US mine only: 100 % domestic, HHI by country 10,000, foreign 0.
DOMESTIC = {"Sites": """
        site_id,name,company,country,kind
        MINE,Mine,MineCo,US,mine
        BUYER,Buyer,BuyCo,US,customer
    """}


@pytest.mark.component
@pytest.mark.parametrize("sites,hhi_country,hhi_foreign,red", [
    (DOMESTIC, 10_000, 0, False),                  # one origin, the buyer's own country
    ({}, 10_000, 10_000, True),                    # BASE: one origin, AU, abroad
])
def test_concentration_tile_red_only_for_foreign_origins(make_workbook, sites, hhi_country,
                                                         hhi_foreign, red):
    s = solve_cli(make_workbook(sites))
    k = s.table("KPIs")
    horizon = k[k["period"] == "all"].iloc[0]
    assert horizon["hhi_country"] == pytest.approx(hhi_country)
    assert horizon["hhi_foreign"] == pytest.approx(hhi_foreign)
    ws = openpyxl.load_workbook(s.report)["Dashboard"]
    assert _tiles(ws)["top HHI, foreign origins"] == (pytest.approx(hhi_foreign), red)
    assert any("HHI of foreign origins" in str(c.value) for row in ws.iter_rows() for c in row) \
        == red                                     # listed under 'What is at risk' only if red


def _risk_rows(ws) -> list[tuple[str, str, str]]:
    """(issue, where, periods) rows under the Dashboard's 'What is at risk'."""
    cells = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None}
    top = next(r for (r, c), v in cells.items() if v == "What is at risk")
    rows, r = [], top + 2
    while cells.get((r, 10)) not in (None, "nothing flagged") and not str(cells[(r, 10)]).endswith(
            "sheets KPIs and StockCheck"):
        rows.append((cells[(r, 10)], cells[(r, 11)], str(cells[(r, 13)])))
        r += 1
    return rows


# BUYER keeps a floor of 10 t of OX (10 t in stock at the start, no holding cost).
FLOOR = {"Inventory": """
        site_id,material_id,initial_stock,holding_cost,min_stock
        BUYER,OX,10,0,10
    """}


@pytest.mark.component
@pytest.mark.parametrize("demand_t,listed", [
    (30, False),    # 30 t met from the mine (100 t/yr): the floor is held exactly by choice
    (150, True),    # 150 t wanted, 100 t reach BUYER: 50 t unmet while 10 t sit on the floor
])
def test_stock_floor_is_a_risk_only_while_demand_goes_short(make_workbook, demand_t, listed):
    s = solve_cli(make_workbook({**FLOOR, "Demand": f"""
        demand_id,site_id,material_id,period,quantity
        D1,BUYER,OX,2025,{demand_t}
    """}))
    check = s.table("StockCheck")
    assert list(check["status"]) == ["at floor"]         # both plans hold the floor exactly
    rows = _risk_rows(openpyxl.load_workbook(s.report)["Dashboard"])
    floor_rows = [r for r in rows if "floor" in r[0]]
    assert floor_rows == ([("stock at floor, demand short (t)", "OX at BUYER", "2025")] if listed
                          else [])


# 14 materials demanded at BUYER that nothing supplies: 14 'unmet demand' risks, no
# arrivals (no top country); with OX's foreign HHI (all from AU: 10,000) 15 risks, unmet
# demand first: the Dashboard shows 12 and says 3 more.
MANY = [f"M{i:02d}" for i in range(1, 15)]
MANY_SHEETS = {
    "Materials": "material_id,name,reference_price,disposal_cost\nOX,oxide,1000,0\n"
                 + "".join(f"{m},{m},100,0\n" for m in MANY),
    "Demand": "demand_id,site_id,material_id,period,quantity\nD_OX,BUYER,OX,2025,30\n"
              + "".join(f"D_{m},BUYER,{m},2025,1\n" for m in MANY),
}


@pytest.mark.component
def test_web_page_shows_the_dashboards_risk_rows_and_no_nan(make_workbook, tmp_path):
    wb = make_workbook(MANY_SHEETS)
    page = tmp_path / "page.html"
    assert main(["solve", str(wb), "-o", str(tmp_path / "r.xlsx"), "--html", str(page), "-q"]) == 0
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx")["Dashboard"]
    dash = _risk_rows(ws)
    assert [w for _, w, _ in dash] == MANY[:12]                 # 12 of 15, unmet first, alphabetical
    assert any(c.value == "3 more: sheets KPIs and StockCheck" for row in ws.iter_rows()
               for c in row)
    text = page.read_text()
    section = text[text.index("<h2>What is at risk</h2>"):]
    section = section[:section.index("</table>")]
    html_rows = re.findall(r"<tr><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td>",
                           section)
    assert html_rows == dash
    assert "3 more: sheets KPIs and StockCheck" in text
    assert not re.search(r">\s*nan\s*<", text, re.IGNORECASE)   # no 'nan' in any cell
