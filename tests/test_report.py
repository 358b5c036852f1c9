"""The report workbook as a reader sees it: sheets in a fixed order, Excel
Tables with unit comments and number formats, frozen headers, highlights,
native charts, the Dashboard and About sheets; the KPIs on tiny cases whose
values are worked out by hand; the self-contained HTML page; the fast row
writer.

Tiny case (SPLIT), 2025 and 2026 alike: 50 t of OX wanted at BUYER (US,
penalty 1,000/t); AU and CN mines sell 20 t each at 10 and 12 per t, freight
5 per t on both lanes; CN has an export quota on OX (30 t, not binding). So
20 t from each country, 10 t unmet: HHI by country = 50^2 + 50^2 = 5,000;
share from a controlled country = 50 %; domestic share 0; cost 20x10 +
20x12 + 40x5 = 640 a year, i.e. 16 per t delivered; penalty 10,000 a year;
objective 2 x 10,640. BUYER holds 10 t of OX at its floor of 10 t.
"""

from __future__ import annotations

import math
import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from conftest import solve_cli, write_workbook
from model.report import workbook as report
from model.report.html import page, write_html
from model.results import kpis as K
from model.results.flows import sankey_links
from model.results.kpi_table import kpi_table
from model.run import run

SPLIT = {
    "Settings": """
        key,value
        first_period,2025
        last_period,2026
        unmet_penalty,1000
    """,
    "Materials": """
        material_id,name,reference_price,disposal_cost
        OX,oxide,1000,0
    """,
    "Sites": """
        site_id,name,company,country,kind
        MINE_AU,Mine AU,AuCo,AU,mine
        MINE_CN,Mine CN,CnCo,CN,mine
        BUYER,Buyer,BuyCo,US,customer
    """,
    "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost
        AU_OX,MINE_AU,OX,20,10
        CN_OX,MINE_CN,OX,20,12
    """,
    "Lanes": """
        lane_id,from_site,to_site,material_id,unit_cost
        L_AU,MINE_AU,BUYER,OX,5
        L_CN,MINE_CN,BUYER,OX,5
    """,
    "Demand": """
        demand_id,site_id,material_id,period,quantity
        D1,BUYER,OX,2025,50
        D2,BUYER,OX,2026,50
    """,
    "Inventory": """
        site_id,material_id,initial_stock,holding_cost,min_stock
        BUYER,OX,10,0,10
    """,
    "ExportControls": """
        rule_id,exporter,material_id,importer,measure,value,enabled
        CN_QUOTA,CN,OX,US,quota,30,TRUE
        CN_BAN_OFF,CN,OX,US,ban,,FALSE
    """,
    "Policies": """
        rule_id,kind,material_id,country,company,value
        MAX_CN,max_country_share,OX,CN,,0.5
    """,
}

# Processing: 2 t ORE -> 1 t MAG + 1 t SLAG (run cost 50); SLAG is discarded at 1 per t.
CHAIN = {
    "Settings": """
        key,value
        first_period,2025
        last_period,2025
        unmet_penalty,100000
    """,
    "Materials": """
        material_id,name,reference_price,disposal_cost
        ORE,ore,100,0
        MAG,magnet,1000,0
        SLAG,slag,0,1
    """,
    "Sites": """
        site_id,name,company,country,kind
        PLANT,Plant,PlantCo,US,processor
    """,
    "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost
        ORE_BUY,PLANT,ORE,100,10
    """,
    "Processes": """
        process_id,site_id,capacity,unit_cost
        P,PLANT,100,50
    """,
    "Recipes": """
        process_id,material_id,input,output
        P,ORE,2,
        P,MAG,,1
        P,SLAG,,1
    """,
    "Demand": """
        demand_id,site_id,material_id,period,quantity
        D_MAG,PLANT,MAG,2025,10
        D_ORE,PLANT,ORE,2025,5
    """,
}


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    folder = tmp_path_factory.mktemp("split")
    wb = write_workbook(folder, SPLIT, "split.xlsx")
    solved = solve_cli(wb, "--disable", "MAX_CN")
    assert solved.rc == 0, solved.summary
    return wb, solved


@pytest.fixture(scope="module")
def split_run(split):
    return run(split[0], disable=["MAX_CN"])


@pytest.fixture(scope="module")
def book(split):
    return openpyxl.load_workbook(split[1].report)


# ---------------------------------------------------------------------------------------------
# KPIs by hand


@pytest.mark.component
def test_split_case_objective(split):
    assert split[1].objective == pytest.approx(2 * 10_640)


@pytest.mark.component
def test_kpis_of_a_fifty_fifty_split(split_run):
    k = kpi_table(split_run.tables, split_run.data)
    row = k[(k["material_id"] == "OX") & (k["period"] == 2025)].iloc[0]
    assert row["arrivals_t"] == pytest.approx(40)
    assert row["hhi_country"] == pytest.approx(5_000)
    assert row["hhi_company"] == pytest.approx(5_000)
    assert row["top_country"] == "AU" and row["top_country_share"] == pytest.approx(0.5)
    assert row["controlled_share"] == pytest.approx(0.5)
    assert row["controlled_countries"] == "CN"
    assert row["domestic_share"] == pytest.approx(0.0)
    assert row["unmet_t"] == pytest.approx(10) and row["unmet_penalty"] == pytest.approx(10_000)
    assert row["delivered_t"] == pytest.approx(40)
    # cost follows the tonnes (model.results.cost_flow): the buyer's 2025 pool holds the
    # 10 t opening stock (free) and 40 t bought for 200 + 240 + 200 freight = 640, so 12.8/t;
    # 40 t delivered carry 512 and the 10 t floor carries 128 into 2026
    assert row["cost_per_t"] == pytest.approx(640 / 50)
    assert row["sites_at_floor"] == 1
    horizon = k[(k["material_id"] == "OX") & (k["period"] == K.ALL)].iloc[0]
    assert horizon["hhi_country"] == pytest.approx(5_000)
    assert horizon["unmet_t"] == pytest.approx(20)
    # 2026: the 10 t carried (128) and 40 t bought (640) make 768 / 50 = 15.36 per t;
    # 40 t delivered carry 614.4 (the 10 t left at the end are unallocated)
    assert horizon["cost_per_t"] == pytest.approx((512 + 40 * 768 / 50) / 80)


@pytest.mark.component
def test_arrivals_by_country_match_the_results_table(split_run):
    mine = K.shares(K.arrivals(split_run.tables, split_run.data), "country")
    mine = mine[mine["period"] != K.ALL].astype({"period": int})
    theirs = split_run.tables["ArrivalsByCountry"]
    both = mine.merge(theirs, on=["material_id", "period", "country"], suffixes=("", "_r"))
    assert len(both) == len(theirs) == 4
    assert (both["arrivals_t"] - both["arrivals_t_r"]).abs().max() < 1e-9
    assert (both["share"] - both["share_r"]).abs().max() < 1e-9


@pytest.mark.unit
def test_hhi_scale():
    assert K.hhi([0.5, 0.5]) == pytest.approx(5_000)
    assert K.hhi([1.0]) == pytest.approx(10_000)
    assert K.hhi([0.25] * 4) == pytest.approx(2_500)


@pytest.mark.component
def test_controlled_origins_only_active_bans_and_quotas(split_run):
    ctrl = K.controlled_origins(split_run.data)
    assert set(ctrl["rules"]) == {"CN_QUOTA"}               # the disabled ban is absent
    assert set(zip(ctrl["country"], ctrl["period"])) == {("CN", 2025), ("CN", 2026)}


@pytest.mark.component
def test_stock_check_flags_the_floor(split_run):
    s = K.stock_check(split_run.tables)
    assert set(s["status"]) == {"at floor"}
    assert s["above_floor_t"].abs().max() < 1e-6


@pytest.mark.component
def test_cost_allocation_follows_recipes_and_value(tmp_path):
    r = run(write_workbook(tmp_path, CHAIN, "chain.xlsx"))
    assert r.status == "optimal"
    alloc = K.cost_allocation(r.tables, r.data)
    total = r.tables["CostByCategory"]
    total = total[total["category"] != "unmet_penalty"]["cost"].sum()
    # 25 t ORE bought (20 for 10 runs, 5 delivered): 250; 10 runs: 500; 10 t SLAG: 10
    assert total == pytest.approx(760)
    assert alloc["cost"].sum() == pytest.approx(total)       # reconciles
    assert K.UNALLOCATED not in set(alloc["material_id"])
    by = alloc.groupby(["material_id", "category"])["cost"].sum()
    # cost follows the tonnes: the ORE pool costs 10/t; 5 t delivered as ORE carry 50, the
    # 20 t the runs consume carry 200 into P, whose whole cost goes to MAG (SLAG has no value)
    assert by[("ORE", "purchase")] == pytest.approx(50)
    assert by[("MAG", "purchase")] == pytest.approx(200)
    assert by[("MAG", "processing")] == pytest.approx(500)
    assert by[("MAG", "disposal")] == pytest.approx(10)      # SLAG, thrown away whole, charges P
    cpt = K.cost_per_tonne(r.tables, r.data).set_index(["material_id", "period"])
    assert cpt.loc[("MAG", 2025), "cost_per_t"] == pytest.approx((200 + 500 + 10) / 10)
    assert cpt.loc[("ORE", 2025), "cost_per_t"] == pytest.approx(10)


# ---------------------------------------------------------------------------------------------
# the workbook


@pytest.mark.component
def test_sheet_order(book, split_run):
    names = book.sheetnames
    assert names[:3] == ["Dashboard", "Summary", "About"]
    expected = report.report_order(split_run)
    extras = [n for n in names if n not in expected]       # tables other commands add (Verification)
    assert [n for n in names if n not in extras] == expected
    assert names[-1] == "ChartData"
    for sheet, _ in report.SHEETS + report.KPI_SHEETS:
        assert sheet in names


@pytest.mark.component
def test_every_data_sheet_is_a_table_with_frozen_header_and_unit_comments(book, split):
    tables = pd.read_excel(split[1].report, sheet_name=None, engine="openpyxl")
    data_sheets = [n for n in book.sheetnames
                   if n not in ("Dashboard", "About", "Charts", "ChartData")]
    for name in data_sheets:
        ws = book[name]
        assert len(ws.tables) == 1, name
        table = next(iter(ws.tables.values()))
        header = [c.value for c in ws[1]]
        assert [c.name for c in table.tableColumns] == header, name
        assert table.tableStyleInfo.name == "TableStyleMedium2"
        rows = len(tables[name])
        assert table.ref.endswith(str(max(2, rows + 1))), (name, table.ref)
        assert ws.freeze_panes == "A2", name
        for cell in ws[1]:
            assert cell.comment is not None and cell.comment.text.startswith(cell.value), name
    # the machine-readable names are kept, units are in the comments
    pur = book["Purchases"]
    header = {c.value: c for c in pur[1]}
    assert "[t]" in header["quantity_t"].comment.text
    assert "[USD]" in header["cost"].comment.text
    assert "[USD per t]" in header["unit_cost"].comment.text


@pytest.mark.component
def test_number_formats_per_column(book):
    def fmt(sheet, column):
        ws = book[sheet]
        j = [c.value for c in ws[1]].index(column) + 1
        return ws.cell(row=2, column=j).number_format
    assert fmt("Purchases", "quantity_t") == "#,##0.00"
    assert fmt("Purchases", "cost") == "#,##0"
    assert fmt("ArrivalsByCountry", "share") == "0.0%"
    assert fmt("KPIs", "hhi_country") == "#,##0"
    assert fmt("KPIs", "controlled_share") == "0.0%"
    assert fmt("Demand", "unmet_t") == "#,##0.00"
    assert fmt("Purchases", "period") == "0"
    ws = book["Summary"]
    keys = {r[0].value: r[1] for r in ws.iter_rows(min_row=2)}
    assert keys["objective"].number_format == "#,##0"


@pytest.mark.component
def test_conditional_formats_highlight_breaches(book):
    def ranges(sheet):
        return {str(r.sqref): [rule for rule in r.rules]
                for r in book[sheet].conditional_formatting}
    def col(sheet, column):
        ws = book[sheet]
        return openpyxl.utils.get_column_letter([c.value for c in ws[1]].index(column) + 1)
    kp = ranges("KPIs")
    hhi = col("KPIs", "hhi_foreign")      # the flagged concentration: foreign origins
    assert any(k.startswith(f"{hhi}2:") and rules[0].formula == ["2500.0"] for k, rules in kp.items())
    ctl = col("KPIs", "controlled_share")
    assert any(k.startswith(f"{ctl}2:") and rules[0].formula == ["0.5"] for k, rules in kp.items())
    unmet = col("Demand", "unmet_t")
    assert any(k.startswith(f"{unmet}2:") for k in ranges("Demand"))
    assert any("at floor" in str(rules[0].formula) for rules in ranges("StockCheck").values())
    assert ranges("RuleMarginals")                          # binding rows
    assert ranges("ArrivalsByCountry")                      # data bars on shares


@pytest.mark.component
def test_charts_are_native_and_present(book):
    charts = book["Charts"]._charts
    assert len(charts) >= 5        # cost, shares, unmet, arrivals of OX, stock of OX
    kinds = {type(c).__name__ for c in charts}
    assert {"BarChart", "LineChart"} <= kinds
    stacked = [c for c in charts if type(c).__name__ == "BarChart" and c.grouping == "stacked"]
    assert stacked, "cost by category is a stacked column chart"
    assert len(book["Dashboard"]._charts) == 2
    for c in charts:
        for s in c.series:
            assert "ChartData" in s.val.numRef.f


@pytest.mark.component
def test_about_lists_input_scenario_toggles_solver(book, split):
    text = "\n".join(" ".join(str(v) for v in row if v is not None)
                     for row in book["About"].iter_rows(values_only=True))
    summary = split[1].summary
    assert summary["input_sha256"] in text
    assert "split.xlsx" in text
    assert "base (the workbook as it stands)" in text
    assert "HiGHS " + summary["solver_version"] in text
    assert "optimal" in text
    assert "--disable" in text and "MAX_CN" in text                      # switched off by flag
    assert "CN_BAN_OFF" in text and "workbook (enabled FALSE)" in text   # switched off in the file
    assert "gap" in text and "solve time" in text
    assert "Sheets in this report" in text


@pytest.mark.component
def test_dashboard_answers(book):
    values = [v for row in book["Dashboard"].iter_rows(values_only=True) for v in row
              if v is not None]
    text = "\n".join(str(v) for v in values)
    for heading in ("Where from", "At what cost", "Cost per t delivered", "What binds",
                    "What is at risk", "Top suppliers"):
        assert heading in text
    assert "unmet demand (t)" in text
    numbers = [v for v in values if isinstance(v, (int, float))]
    assert any(abs(v - 5_000) < 1e-6 for v in numbers)      # HHI of the 50/50 split
    assert "HHI of foreign origins > 2,500" in text           # AU and CN are both foreign


@pytest.mark.component
def test_contract_sheets_read_back_by_column_name(split):
    s = split[1]
    summ = s.table("Summary").set_index("key")["value"]
    assert summ["status"] == "optimal"
    assert s.table("Purchases")["quantity_t"].sum() == pytest.approx(80)
    assert s.table("Demand")["unmet_t"].sum() == pytest.approx(20)
    assert s.table("CostByCategory")["cost"].sum() == pytest.approx(
        s.table("CostByCategory")["cost"].sum())
    assert "change_per_t" in s.table("RuleMarginals")


@pytest.mark.component
def test_pages_are_set_up_for_printing(book):
    dash = book["Dashboard"]
    assert dash.print_area and dash.page_setup.orientation == "landscape"
    assert dash.sheet_properties.pageSetUpPr.fitToPage
    assert book["RuleMarginals"].print_title_rows in ("1:1", "$1:$1")


@pytest.mark.component
def test_invalid_input_still_gets_dashboard_and_about(make_workbook):
    wb = make_workbook({"Supply": """
        offer_id,site_id,material_id,capacity,unit_cost
        MINE_OX,NOPE,OX,100,10
    """})
    s = solve_cli(wb)
    assert s.rc == 2
    book = openpyxl.load_workbook(s.report)
    assert book.sheetnames == ["Dashboard", "Summary", "About", "Changes", "Warnings"]
    text = " ".join(str(v) for row in book["Dashboard"].iter_rows(values_only=True) for v in row if v)
    assert "No solution" in text and "NOPE" in text


@pytest.mark.component
def test_infeasible_run_report(make_workbook):
    s = solve_cli(make_workbook({"Inventory": """
        site_id,material_id,initial_stock,holding_cost,min_stock
        BUYER,OX,0,0,1000
    """}))
    assert s.status == "infeasible"
    book = openpyxl.load_workbook(s.report)
    assert book.sheetnames[:3] == ["Dashboard", "Summary", "About"]
    text = " ".join(str(v) for row in book["Dashboard"].iter_rows(values_only=True) for v in row if v)
    assert "cannot all be met" in text


@pytest.mark.unit
def test_big_sheets_get_no_conditional_formats(monkeypatch, tmp_path):
    monkeypatch.setattr(report, "BIG", 5)
    wb = openpyxl.Workbook()
    small = pd.DataFrame({"material_id": ["A"] * 5, "unmet_t": [1.0] * 5})
    big = pd.DataFrame({"material_id": ["A"] * 6, "unmet_t": [1.0] * 6})
    report.data_sheet(wb, "Small", small)
    report.data_sheet(wb, "Big", big)
    report.save_atomic(wb, tmp_path / "r.xlsx")
    back = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert len(back["Small"].conditional_formatting) == 1
    assert len(back["Big"].conditional_formatting) == 0
    assert back["Big"].max_row == 7


# ---------------------------------------------------------------------------------------------
# the fast row writer


@pytest.mark.unit
def test_bulk_rows_round_trip(tmp_path):
    frame = pd.DataFrame({
        "text": ["a&b<c>", "  lead", None, "tab\there", "ctl\x01x", "é ü 中"],
        "number": [1.5, float("nan"), float("inf"), -0.0, 1e-7, 12345678.9],
        "integer": [1, 2, 3, 4, 5, 2026],
        "flag": [True, False, True, False, True, False],
        "mixed": [1, "all", None, 2.5, True, "x"],
    })
    wb = openpyxl.Workbook()
    report.data_sheet(wb, "Data", frame)
    path = tmp_path / "bulk.xlsx"
    report.save_atomic(wb, path)
    back = pd.read_excel(path, sheet_name="Data", engine="openpyxl")
    assert back["text"].tolist()[:2] == ["a&b<c>", "  lead"]
    assert pd.isna(back["text"][2]) and back["text"][4] == "ctlx" and back["text"][5] == "é ü 中"
    assert back["number"][0] == 1.5 and pd.isna(back["number"][1]) and pd.isna(back["number"][2])
    assert back["number"][4] == 1e-7 and back["number"][5] == 12345678.9
    assert back["integer"].tolist() == [1, 2, 3, 4, 5, 2026]
    assert back["flag"].tolist() == [True, False, True, False, True, False]
    assert back["mixed"].tolist()[1] == "all"
    import python_calamine
    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Data").to_python()
    assert len(rows) == 7 and rows[1][0] == "a&b<c>"
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet2.xml").decode()     # sheet 1 is openpyxl's blank one
    assert re.search(r'<dimension ref="A1:E7"', xml)


# ---------------------------------------------------------------------------------------------
# HTML


@pytest.mark.component
def test_html_is_self_contained_with_sankey_data(split_run, tmp_path):
    path = tmp_path / "report.html"
    write_html(split_run, path)
    text = path.read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text
    assert not re.search(r"<script[^>]+src=", text) and "<link" not in text
    m = re.search(r"const LINKS = (\[.*?\]);", text)
    links = __import__("json").loads(m.group(1))
    assert {l["s"] for l in links} >= {"bought in AU", "bought in CN", "MINE_AU", "BUYER"}
    assert {"demand at BUYER"} <= {l["d"] for l in links}
    buy = sum(l["t"] for l in links if l["k"] == "buy")
    assert buy == pytest.approx(80)
    assert "Where from" in text and "What binds" in text and "5,000" in text


@pytest.mark.unit
def test_sankey_links_are_aggregated_and_capped(monkeypatch):
    import model.results.flows as H
    monkeypatch.setattr(H, "MAX_LINKS", 3)
    ship = pd.DataFrame({"from_site": ["A"] * 4, "to_site": ["B", "C", "D", "E"],
                         "material_id": "M", "period": [2025, 2025, 2026, 2026],
                         "quantity_t": [1.0, 2.0, 3.0, 4.0]})
    links = sankey_links({"Shipments": ship}, None)
    assert len(links) == 3 and {l["p"] for l in links} == {K.ALL}
    assert [l["t"] for l in links] == [4.0, 3.0, 2.0]


@pytest.mark.unit
def test_html_of_a_run_without_solution():
    text = page({"status": "infeasible", "message": "no plan", "input_file": "x.xlsx",
                 "solver": "HiGHS", "solver_version": "1", "software_version": "0"}, None)
    assert "No solution" in text and "no plan" in text and not math.isnan(len(text))


@pytest.mark.component
def test_solve_writes_the_html_page(make_workbook, tmp_path):
    page_path = tmp_path / "page.html"
    s = solve_cli(make_workbook(), "--html", str(page_path))
    assert s.rc == 0
    text = page_path.read_text(encoding="utf-8")
    assert "const LINKS = [" in text and "https://" not in text
