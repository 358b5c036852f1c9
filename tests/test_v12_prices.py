"""Contract v1.2, sections 1, 2, 3 and 5 (period_years): small solves through the
real `sourcing solve` path, each optimum worked out by hand below. Base case
(conftest.BASE_SHEETS): OX demanded at BUYER (US); MINE (AU) sells OX at 10/t,
lane L1 MINE -> BUYER freight 5/t; unmet penalty 1000/t."""

import pytest

from conftest import near, solve_cli

pytestmark = pytest.mark.component

TWO_YEARS = """
    key,value
    first_period,2025
    last_period,2026
    unmet_penalty,1000
"""
EACH_YEAR = """
    demand_id,site_id,material_id,period,quantity
    D1,BUYER,OX,2025,30
    D2,BUYER,OX,2026,30
"""


def cost(s, category, period=None):
    c = s.table("CostByCategory")
    c = c[c["category"] == category]
    if period is not None:
        c = c[c["period"] == period]
    return float(c["cost"].sum())


def test_price_spike_makes_stocking_ahead_optimal(make_workbook):
    # 30 t needed in 2026 only; the offer's price jumps from 10 to 50 in 2026 (Profiles).
    # Buying in 2026: 30 * (50 + 5) = 1650. Buying in 2025 and holding a year at BUYER
    # (holding 2/t): 30 * (10 + 5 + 2) = 510. Optimum 510, bought in 2025.
    s = solve_cli(make_workbook({
        "Settings": TWO_YEARS,
        "Demand": "demand_id,site_id,material_id,period,quantity\nD1,BUYER,OX,2026,30",
        "Inventory": "site_id,material_id,initial_stock,holding_cost\nBUYER,OX,0,2",
        "Profiles": "sheet,id,column,period,value\nSupply,MINE_OX,unit_cost,2026,50"}))
    assert s.rc == 0 and near(s.objective, 510)
    pur = s.table("Purchases")
    assert pur["period"].tolist() == [2025] and pur["quantity_t"].tolist() == [30]
    assert s.summary["verification"].startswith("verified")
    paid = s.table("PricesPaid")                      # 2026: 50 where the cell says 10
    assert paid[["period", "price_paid"]].values.tolist() == [[2026, 50]]


def test_tariff_on_the_reference_price_of_the_period_of_shipment(make_workbook):
    # L1 tariff_rate 0.1 of OX's reference_price: 1000 in 2025, 3000 in 2026 (Profiles).
    # 2025: 30 * (10 + 5 + 100) = 3450; 2026: 30 * (10 + 5 + 300) = 9450; total 12900.
    s = solve_cli(make_workbook({
        "Settings": TWO_YEARS, "Demand": EACH_YEAR,
        "Lanes": "lane_id,from_site,to_site,material_id,unit_cost,tariff_rate\nL1,MINE,BUYER,OX,5,0.1",
        "Profiles": "sheet,id,column,period,value\nmaterials,OX,Reference_Price,2026,3000"}))
    assert s.rc == 0 and near(s.objective, 12900)
    assert cost(s, "tariff", 2025) == pytest.approx(3000)
    assert cost(s, "tariff", 2026) == pytest.approx(9000)
    assert s.summary["verification"].startswith("verified")


PATH = {
    "Settings": TWO_YEARS, "Demand": EACH_YEAR,
    "Profiles": """
        sheet,id,column,period,value
        Supply,MINE_OX,unit_cost,2025,20
        Supply,MINE_OX,unit_cost,2026,40
    """,
    "Scenarios": "scenario_id,description\nUP,price +50 %\nSPIKE,2026 at 100",
    "ScenarioChanges": """
        scenario_id,sheet,id,column,op,value
        UP,Supply,MINE_OX,unit_cost,scale,1.5
        SPIKE,Profiles,Supply|MINE_OX|unit_cost|2026,value,set,100
    """,
}


def test_scale_change_moves_the_whole_price_path(make_workbook):
    wb = make_workbook(PATH)
    # base: 30 * (20 + 5) + 30 * (40 + 5) = 750 + 1350 = 2100
    assert near(solve_cli(wb).objective, 2100)
    # UP scales the cell and its path: 30 and 60. 30 * 35 + 30 * 65 = 1050 + 1950 = 3000
    up = solve_cli(wb, "--scenario", "UP")
    assert up.rc == 0 and near(up.objective, 3000)
    changes = up.table("Changes")
    assert sorted(changes["sheet"]) == ["Profiles", "Profiles", "Supply"]
    assert up.summary["verification"].startswith("verified")
    # SPIKE addresses one Profiles row: 2026 at 100. 750 + 30 * 105 = 3900
    spike = solve_cli(wb, "--scenario", "SPIKE")
    assert near(spike.objective, 3900)


def test_take_or_pay_shortfall_is_paid(make_workbook):
    # take_or_pay 50 t at 10/t, 30 t needed. Buying 30 and paying the 20 t shortfall:
    # 30 * (10 + 5) + 20 * 10 = 650; buying 50 and discarding 20 costs 20 more (disposal
    # 1/t): 650 + 20. Optimum 650 with a shortfall of 20 t (cost 200).
    s = solve_cli(make_workbook({
        "Materials": "material_id,name,reference_price,disposal_cost\nOX,oxide,1000,1",
        "Supply": "offer_id,site_id,material_id,capacity,unit_cost,take_or_pay\n"
                  "MINE_OX,MINE,OX,100,10,50"}))
    assert s.rc == 0 and near(s.objective, 650)
    assert cost(s, "take_or_pay_shortfall") == pytest.approx(200)
    top = s.table("TakeOrPay")
    assert top[["bought_t", "shortfall_t", "shortfall_cost"]].values.tolist() == [[30, 20, 200]]
    assert s.summary["verification"].startswith("verified")


def test_take_or_pay_is_owed_where_the_capacity_is_zero(make_workbook):
    # clarification 7.5: no force majeure. Capacity 0 in 2026 (CapacityProfile), take_or_pay
    # 10: 2026 owes 10 * 10 = 100. 2025: 30 * 15 = 450 (take-or-pay met). 2026's demand is
    # unmet: 30 * 1000. Total 450 + 100 + 30000 = 30550.
    s = solve_cli(make_workbook({
        "Settings": TWO_YEARS, "Demand": EACH_YEAR,
        "Supply": "offer_id,site_id,material_id,capacity,unit_cost,take_or_pay\n"
                  "MINE_OX,MINE,OX,100,10,10",
        "CapacityProfile": "id,period,capacity\nMINE_OX,2026,0"}))
    assert near(s.objective, 30550)
    assert cost(s, "take_or_pay_shortfall", 2026) == pytest.approx(100)
    assert s.summary["verification"].startswith("verified")


def test_price_floor_binds(make_workbook):
    # market 10, floor 12: 30 * (12 + 5) = 510
    s = solve_cli(make_workbook({
        "Supply": "offer_id,site_id,material_id,capacity,unit_cost,price_floor,price_cap\n"
                  "MINE_OX,MINE,OX,100,10,12,"}))
    assert near(s.objective, 510)
    assert s.table("Purchases")["unit_cost"].tolist() == [12]
    assert s.summary["verification"].startswith("verified")


def test_price_cap_binds_on_a_profiled_market_price(make_workbook):
    # market 10 in 2025, 40 in 2026 (Profiles), cap 20: 30 * 15 + 30 * (20 + 5) = 1200
    s = solve_cli(make_workbook({
        "Settings": TWO_YEARS, "Demand": EACH_YEAR,
        "Supply": "offer_id,site_id,material_id,capacity,unit_cost,price_floor,price_cap\n"
                  "MINE_OX,MINE,OX,100,10,,20",
        "Profiles": "sheet,id,column,period,value\nSupply,MINE_OX,unit_cost,2026,40"}))
    assert near(s.objective, 1200)
    paid = s.table("PricesPaid")
    assert paid[["period", "market_price", "price_paid"]].values.tolist() == [[2026, 40, 20]]
    assert s.summary["verification"].startswith("verified")


SEPARATION = {
    "Materials": """
        material_id,name,reference_price,disposal_cost
        ORE,concentrate,0,0
        ND,NdPr oxide,0,0
        LA,La oxide,0,0
    """,
    "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost
        ORE_BUY,MINE,ORE,1000,4
        ND_BUY,MINE,ND,1000,30
    """,
    "Processes": "process_id,site_id,capacity,unit_cost\nSEP,MINE,1000,12",
    "Recipes": """
        process_id,material_id,input,output
        SEP,ORE,1,
        SEP,ND,,0.5
        SEP,LA,,0.5
    """,
    "Lanes": "lane_id,from_site,to_site,material_id,unit_cost\nL1,MINE,BUYER,,5",
    "Demand": "demand_id,site_id,material_id,period,quantity\nD1,BUYER,ND,2025,10",
}


def test_co_product_sale_makes_separation_worthwhile(make_workbook):
    # 10 t ND at BUYER. Buying ND: 10 * (30 + 5) = 350. Separating: 20 runs of 1 t ORE
    # (20 * (4 + 12) = 320) + freight 50 = 370: not worth it without a sale.
    assert near(solve_cli(make_workbook(SEPARATION)).objective, 350)
    # Selling the 10 t LA at MINE for 8/t earns 80: 370 - 80 = 290 < 350. An extra run costs
    # 16 and earns 0.5 * 8 = 4, so the uncapped sale stops at 10 t. Optimum 290.
    s = solve_cli(make_workbook({**SEPARATION, "Sales": """
        sale_id,site_id,material_id,price,capacity
        SELL_LA,MINE,LA,8,
    """}))
    assert s.rc == 0 and near(s.objective, 290)
    sales = s.table("Sales")
    assert sales[["quantity_t", "revenue"]].values.tolist() == [[10, 80]]
    assert cost(s, "sales") == pytest.approx(-80)
    assert s.summary["verification"].startswith("verified")


def test_uncapped_sale_fed_by_a_cheaper_uncapped_source_is_unbounded(make_workbook, capsys):
    # Buy OX at 10 with no capacity, sell it at MINE for 20 with no capacity: every tonne
    # earns 10, without limit.
    s = solve_cli(make_workbook({
        "Supply": "offer_id,site_id,material_id,capacity,unit_cost\nMINE_OX,MINE,OX,,10",
        "Sales": "sale_id,site_id,material_id,price,capacity\nSELL,MINE,OX,20,"}))
    assert s.rc == 3 and s.status == "unbounded"
    said = capsys.readouterr()
    text = said.out + said.err + str(s.summary)
    assert "SELL" in text and "MINE_OX" in text and "Supply row 2" in text


def test_period_years_quarter_discounting(make_workbook):
    # periods 1..2 (quarters), discount_rate 0.1 a year, period_years 0.25: the cost of
    # period 2 is discounted by 1/1.1^0.25. 30 t in period 2 at 15/t: 450 / 1.1^0.25.
    s = solve_cli(make_workbook({
        "Settings": "key,value\nfirst_period,1\nlast_period,2\nunmet_penalty,1000\n"
                    "discount_rate,0.1\nperiod_years,0.25",
        "Demand": "demand_id,site_id,material_id,period,quantity\nD1,BUYER,OX,2,30"}))
    assert s.rc == 0 and near(s.objective, 450 / 1.1 ** 0.25)      # 439.40...
    assert s.summary["verification"].startswith("verified")


def test_floor_and_cap_apply_per_scenario_in_a_risk_solve(make_workbook):
    # Index-linked offer: floor 25, cap 40, 100 t at BUYER. base (p 0.5): market 20 -> the
    # floor binds, 100 * 25 = 2500. HIGH (p 0.5): market 60 -> the cap binds, 100 * 40 =
    # 4000. No first-stage decision: expected cost 0.5 * 2500 + 0.5 * 4000 = 3250.
    import json

    from model.cli import arguments
    from model.commands.risk import risk_command
    wb = make_workbook({
        "Settings": "key,value\nfirst_period,2025\nlast_period,2025\nunmet_penalty,1000\n"
                    "base_probability,0.5",
        "Supply": "offer_id,site_id,material_id,capacity,unit_cost,price_floor,price_cap\n"
                  "IDX,BUYER,OX,1000,20,25,40",
        "Lanes": None,
        "Demand": "demand_id,site_id,material_id,period,quantity\nD1,BUYER,OX,2025,100",
        "Scenarios": "scenario_id,description,probability\nHIGH,market spike,0.5",
        "ScenarioChanges": "scenario_id,sheet,id,column,op,value\nHIGH,Supply,IDX,unit_cost,set,60"})
    a = arguments("solve", workbook=str(wb), output=str(wb.with_name("risk.xlsx")),
                  summary_json=str(wb.with_name("risk.json")), quiet=True)
    assert risk_command(a) == 0
    info = json.loads(open(a.summary_json).read())
    assert info["objective"] == pytest.approx(3250, rel=1e-6)
    import pandas as pd
    scen = pd.read_excel(a.output, sheet_name="Scenarios", engine="openpyxl").set_index("scenario")
    assert scen.loc["base", "total_cost"] == pytest.approx(2500, abs=1e-3)
    assert scen.loc["HIGH", "total_cost"] == pytest.approx(4000, abs=1e-3)


def test_verifier_recomputes_sales_revenue_from_the_input(make_workbook, capsys):
    # The co-product case above (290): a report that claims a revenue of 12/t instead of
    # the input's 8/t, or sells 12 t where 10 t were made, is rejected (exit 4).
    from model.cli import main
    from test_independent_formulation import edit_report
    wb = make_workbook({**SEPARATION, "Sales": "sale_id,site_id,material_id,price,capacity\n"
                                               "SELL_LA,MINE,LA,8,"})
    s = solve_cli(wb)
    assert main(["verify", str(wb), str(s.report)]) == 0
    sale = {"sale_id": "SELL_LA", "period": 2025}
    dear = edit_report(s.report, wb.with_name("dear.xlsx"), ("Sales", sale, "price", 12),
                       ("Sales", sale, "revenue", 120))
    more = edit_report(s.report, wb.with_name("more.xlsx"), ("Sales", sale, "quantity_t", 12))
    capsys.readouterr()
    assert main(["verify", str(wb), str(dear)]) == 4
    assert "Sales row 2: price 12 in the report, 8 from Sales row 2" in capsys.readouterr().out
    assert main(["verify", str(wb), str(more)]) == 4
    assert "balance at MINE / LA / 2025" in capsys.readouterr().out


def test_whatif_session_switching_off_a_take_or_pay_offer(make_workbook):
    # As the take-or-pay case (650), with a second offer CN_OX (5/t + freight 1) that a
    # take-or-pay of 50 t on MINE_OX at 10/t makes idle: MINE_OX 30 t taken = 150 + 300
    # + 20 t shortfall 200 = 650 beats CN 30 * 6 = 180 + 500 owed = 680. Switched off in
    # the session, MINE_OX owes nothing: 30 * 6 = 180, as a fresh solve with --disable.
    from conftest import with_cn
    from model.whatif.session import Session
    wb = make_workbook(with_cn(
        Materials="material_id,name,reference_price,disposal_cost\nOX,oxide,1000,1",
        Supply="offer_id,site_id,material_id,capacity,unit_cost,take_or_pay\n"
               "MINE_OX,MINE,OX,100,10,50\nCN_OX,CNX,OX,100,5,"))
    s = Session(wb)
    assert s.solve().objective == pytest.approx(650)
    s.disable("MINE_OX")
    assert s.solve().objective == pytest.approx(180)
    assert solve_cli(wb, "--disable", "MINE_OX").objective == pytest.approx(180)
    s.enable("MINE_OX")
    assert s.solve().objective == pytest.approx(650)


def test_uncapped_sale_fed_by_a_mass_creating_loop_is_unbounded(make_workbook):
    # P1 turns 1 t OX into 2 t B, P2 turns 1 t B back into 1 t OX, neither capped: each
    # round doubles the OX (a warning at validation). OX sells at MINE for 20 without a cap:
    # revenue without limit. The report names the sale and the process that makes OX.
    s = solve_cli(make_workbook({
        "Materials": "material_id,name,reference_price,disposal_cost\nOX,oxide,1000,0\nB,b,0,0",
        "Processes": "process_id,site_id,capacity,unit_cost\nP1,MINE,,1\nP2,MINE,,1",
        "Recipes": "process_id,material_id,input,output\nP1,OX,1,\nP1,B,,2\nP2,B,1,\nP2,OX,,1",
        "Sales": "sale_id,site_id,material_id,price,capacity\nSELL,MINE,OX,20,"}))
    assert s.rc == 3 and s.status == "unbounded"
    assert "Sales row 2 (SELL)" in s.summary["unbounded"]
    assert "Processes row 3 (P2)" in s.summary["unbounded"]
    named = s.table("Unbounded")
    assert set(named["id"]) == {"SELL", "P2"}


def test_sales_take_any_provenance_class(make_workbook):
    # The co-product case (290) with a clean_chain rule on the demand, so that the model
    # splits every flow by provenance class (contract v1.1). A sale takes material of any
    # class (clarification 7.7): the La sale still earns its 80, optimum 290 (350 if the
    # class split kept the sale at 0).
    s = solve_cli(make_workbook({
        **SEPARATION,
        "Demand": "demand_id,site_id,material_id,period,quantity,unmet_penalty,segment\n"
                  "D1,BUYER,ND,2025,10,,defense",
        "CountryGroups": "group_id,country\nFEOC,CN",
        "Policies": "rule_id,kind,material_id,country,company,value,first_period,last_period,"
                    "enabled,segment,group\nDF,clean_chain,,,,,,,,defense,FEOC",
        "Sales": "sale_id,site_id,material_id,price,capacity\nSELL_LA,MINE,LA,8,"}))
    assert s.rc == 0 and near(s.objective, 290)
    assert s.table("Sales")["quantity_t"].tolist() == [10]
    assert "ChainOfCustody" in pd_sheets(s)


def pd_sheets(s):
    s.table("Sales")
    return s._tables


def test_verifier_checks_the_take_or_pay_and_prices_paid_sheets(make_workbook, capsys):
    # The take-or-pay case (650: 30 t bought, 20 t shortfall at 10/t) with a floor of 12:
    # 30 * (12 + 5) + 20 * 12 = 750. A report claiming a 10 t shortfall, or a price paid
    # of 10, is inconsistent with the input (exit 4), whatever its objective says.
    from model.cli import main
    from test_independent_formulation import edit_report
    wb = make_workbook({
        "Materials": "material_id,name,reference_price,disposal_cost\nOX,oxide,1000,1",
        "Supply": "offer_id,site_id,material_id,capacity,unit_cost,take_or_pay,price_floor\n"
                  "MINE_OX,MINE,OX,100,10,50,12"})
    s = solve_cli(wb)
    assert near(s.objective, 750)
    assert main(["verify", str(wb), str(s.report)]) == 0
    key = {"offer_id": "MINE_OX", "period": 2025}
    short = edit_report(s.report, wb.with_name("short.xlsx"), ("TakeOrPay", key, "shortfall_t", 10))
    cheap = edit_report(s.report, wb.with_name("cheap.xlsx"), ("PricesPaid", key, "price_paid", 10))
    capsys.readouterr()
    assert main(["verify", str(wb), str(short)]) == 4
    assert "TakeOrPay row 2: shortfall_t 10 in the report, 20 from max(0" in capsys.readouterr().out
    assert main(["verify", str(wb), str(cheap)]) == 4
    assert "PricesPaid row 2: price_paid 10 in the report, 12 from Supply row 2" in \
        capsys.readouterr().out


def test_dashboard_lines_for_sales_and_take_or_pay(make_workbook):
    # the take-or-pay case above: a 20 t shortfall at 10/t, 200 USD, on the Dashboard
    import openpyxl
    s = solve_cli(make_workbook({
        "Materials": "material_id,name,reference_price,disposal_cost\nOX,oxide,1000,1",
        "Supply": "offer_id,site_id,material_id,capacity,unit_cost,take_or_pay\n"
                  "MINE_OX,MINE,OX,100,10,50"}))
    ws = openpyxl.load_workbook(s.report)["Dashboard"]
    text = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Take-or-pay: 20.0 t paid for and not taken, 200 USD (undiscounted; sheet TakeOrPay)" \
        in text
