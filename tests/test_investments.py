"""Contract v1.2 part 2: investments with lead times, and lanes whose shipments
arrive later. Small solves through the real `sourcing solve` path, each with
its optimum worked out by hand in the test.

Base (conftest.BASE_SHEETS, widened here): 30 t of OX a year at BUYER (US),
unmet at 1000/t; MINE (AU) sells OX at 10/t, freight 5/t on L1: 15/t landed.
"""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from conftest import CN, near, solve_cli
from model.cli import main

pytestmark = pytest.mark.component

THREE_YEARS = {
    "Settings": """
        key,value
        first_period,2025
        last_period,2027
        unmet_penalty,1000
    """,
    "Demand": """
        demand_id,site_id,material_id,period,quantity
        D1,BUYER,OX,2025,30
        D2,BUYER,OX,2026,30
        D3,BUYER,OX,2027,30
    """,
    # the mine does not exist yet: capacity 0, an investment can build it
    "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost
        MINE_OX,MINE,OX,0,10
    """,
}
INV_HEAD = "investment_id,target_id,capacity,capex,lead_time,first_period,last_period,fixed_cost,max_units"


def three_years(investments: str, **more) -> dict:
    out = dict(THREE_YEARS, Investments=investments)
    out.update(more)
    return out


def built(s):
    inv = s.table("Investments")
    return {(i, int(p)): int(u) for i, p, u in zip(inv["investment_id"], inv["period"],
                                                    inv["units"])}


def test_investment_chosen_in_the_first_period_its_lead_time_allows(make_workbook):
    # decided in 2025, online 2026 and 2027 (lead 1): 2025 unmet 30 x 1000 = 30000,
    # capex 100, 2 x 30 t x 15 = 900: 31000. Deciding in 2026 would cost 60000 + 100 + 450.
    s = solve_cli(make_workbook(three_years(f"""
        {INV_HEAD}
        MINE_X,MINE_OX,40,100,1,,,,
    """)))
    assert s.rc == 0 and near(s.objective, 31000)
    assert built(s) == {("MINE_X", 2025): 1}
    inv = s.table("Investments").iloc[0]
    assert inv["online_from"] == 2026 and inv["capex"] == 100 and inv["added_capacity"] == 40
    cost = s.table("CostByCategory").groupby("category")["cost"].sum()
    assert cost["capex"] == pytest.approx(100)
    pur = s.table("Purchases").set_index("period")
    assert pur.loc[2026, "capacity_t"] == pytest.approx(40)     # own 0 + 40 built
    book = openpyxl.load_workbook(s.report, read_only=True)
    cells = [str(v) for row in book["Dashboard"].iter_rows(values_only=True) for v in row if v]
    assert "What to build: 1 units over 1 investments (sheet Investments)" in cells
    at = cells.index("MINE_X")
    assert cells[at + 1:at + 4] == ["MINE_OX", "2025", "1"]     # adds to, decide in, units
    page = s.report.with_name("page.html")
    assert solve_cli(s.report.with_name("wb.xlsx"), "--html", str(page)).rc == 0
    assert "<h2>What to build</h2>" in page.read_text()


def test_window_moves_the_decision_and_the_capacity(make_workbook):
    # window 2026-2027, lead 1: decided 2026, online 2027 only:
    # unmet 2025 and 2026 = 60000, capex 100, 30 x 15 = 450: 60550
    s = solve_cli(make_workbook(three_years(f"""
        {INV_HEAD}
        MINE_X,MINE_OX,40,100,1,2026,2027,,
    """)))
    assert near(s.objective, 60550) and built(s) == {("MINE_X", 2026): 1}


def test_not_built_when_capex_exceeds_its_value(make_workbook):
    # built in 2025 it saves 2 x 30 x (1000 - 15) = 59100 < capex 60000: nothing is
    # built and all 90 t go unmet: 90000
    s = solve_cli(make_workbook(three_years(f"""
        {INV_HEAD}
        MINE_X,MINE_OX,40,60000,1,,,,
    """)))
    assert near(s.objective, 90000)
    assert s.table("Investments").empty                         # the sheet is there, empty


def test_two_units_of_one_investment(make_workbook):
    # 70 t a year; one unit gives 40 t. Two units in 2025 (lead 0): capex 2 x 100 = 200,
    # 3 x 70 x 15 = 3150: 3350. One unit only (max_units 1) would leave 30 t a year unmet.
    demand = """
        demand_id,site_id,material_id,period,quantity
        D1,BUYER,OX,2025,70
        D2,BUYER,OX,2026,70
        D3,BUYER,OX,2027,70
    """
    s = solve_cli(make_workbook(three_years(f"""
        {INV_HEAD}
        MINE_X,MINE_OX,40,100,0,,,,2
    """, Demand=demand)))
    assert near(s.objective, 3350) and built(s) == {("MINE_X", 2025): 2}
    one = solve_cli(make_workbook(three_years(f"""
        {INV_HEAD}
        MINE_X,MINE_OX,40,100,0,,,,1
    """, Demand=demand), name="one.xlsx"))
    # 100 + 3 x (40 x 15 + 30 x 1000) = 91900
    assert near(one.objective, 91900)


def test_investment_on_a_capacity_0_offer_outside_its_own_periods(make_workbook):
    # The offer exists only in 2027 (first_period) with capacity 0; built in 2025 (lead 0)
    # it is usable in every year at its own costs, fixed cost 50 included:
    # capex 100 + 3 x (30 x 15 + 50) = 1600
    s = solve_cli(make_workbook(three_years(f"""
        {INV_HEAD}
        MINE_X,MINE_OX,40,100,0,,,,
    """, Supply="""
        offer_id,site_id,material_id,capacity,unit_cost,first_period,last_period,fixed_cost
        MINE_OX,MINE,OX,0,10,2027,2027,50
    """)))
    assert s.rc == 0 and near(s.objective, 1600)
    assert sorted(s.table("Purchases")["period"]) == [2025, 2026, 2027]


def test_two_investments_on_one_target_add_up(make_workbook):
    # one year, 70 t: A adds 40 (capex 100), B adds 30 (capex 500). Both: 600 + 70 x 15 =
    # 1650; A alone 100 + 600 + 30000; B alone 500 + 450 + 40000; none 70000.
    s = solve_cli(make_workbook({
        "Supply": THREE_YEARS["Supply"],
        "Demand": """
            demand_id,site_id,material_id,period,quantity
            D1,BUYER,OX,2025,70
        """,
        "Investments": f"""
            {INV_HEAD}
            A,MINE_OX,40,100,,,,,
            B,MINE_OX,30,500,,,,,
        """}))
    assert near(s.objective, 1650) and built(s) == {("A", 2025): 1, ("B", 2025): 1}


def test_fixed_cost_while_online_and_disabled_target_ignored(make_workbook):
    # lead 1, fixed O&M 10 per unit per online period (2026, 2027): 31000 + 20
    s = solve_cli(make_workbook(three_years(f"""
        {INV_HEAD}
        MINE_X,MINE_OX,40,100,1,,,10,
    """)))
    assert near(s.objective, 31020)
    cost = s.table("CostByCategory").groupby("category")["cost"].sum()
    assert cost["investment_fixed"] == pytest.approx(20)
    # capex and O&M are capital costs of no one period's tonnes: "(unallocated)", but there
    alloc = s.table("CostAllocation").groupby("category")["cost"].sum()
    assert alloc["capex"] == pytest.approx(100) and alloc["investment_fixed"] == pytest.approx(20)
    off = solve_cli(make_workbook(three_years(f"""
        {INV_HEAD}
        MINE_X,MINE_OX,40,100,1,,,10,
    """, Supply="""
        offer_id,site_id,material_id,capacity,unit_cost,enabled
        MINE_OX,MINE,OX,0,10,FALSE
    """), name="off.xlsx"))
    assert off.rc == 0 and near(off.objective, 90000)           # nothing to build on


TWO_YEARS = """
    key,value
    first_period,2025
    last_period,2026
    unmet_penalty,1000
"""


def test_lane_lead_time_shifts_arrivals(make_workbook):
    # lead 1: shipped in 2025, arrives in 2026. The mine has capacity only in 2025
    # (CapacityProfile 2026: 0). Demand 10 t in 2025 (nothing can arrive: unmet 10000)
    # and 30 t in 2026 (bought and shipped in 2025: 30 x 15 = 450): 10450
    s = solve_cli(make_workbook({
        "Settings": TWO_YEARS,
        "Lanes": """
            lane_id,from_site,to_site,material_id,unit_cost,lead_time
            L1,MINE,BUYER,OX,5,1
        """,
        "CapacityProfile": """
            id,period,capacity
            MINE_OX,2026,0
        """,
        "Demand": """
            demand_id,site_id,material_id,period,quantity
            D1,BUYER,OX,2025,10
            D2,BUYER,OX,2026,30
        """}))
    assert s.rc == 0 and near(s.objective, 10450)
    sh = s.table("Shipments").iloc[0]
    assert (sh["departure_period"], sh["arrival_period"], sh["quantity_t"]) == (2025, 2026, 30)
    cost = s.table("CostByCategory").set_index(["category", "period"])["cost"]
    assert cost["freight", 2025] == pytest.approx(150)            # freight paid at departure
    arr = s.table("ArrivalsByCountry")
    assert arr.loc[arr["period"] == 2026, "arrivals_t"].sum() == pytest.approx(30)


def test_shipment_that_would_arrive_after_the_horizon_is_impossible(make_workbook, capsys):
    # one period, lead 1: nothing can arrive; all 30 t unmet: 30000, with a warning
    path = make_workbook({"Lanes": """
        lane_id,from_site,to_site,material_id,unit_cost,lead_time
        L1,MINE,BUYER,OX,5,1
    """})
    assert main(["validate", str(path)]) == 0
    assert 'Lanes row 2, lead_time 1: longer than the horizon' in capsys.readouterr().out
    s = solve_cli(path)
    assert s.rc == 0 and near(s.objective, 30000)


def test_policy_share_counted_at_arrival(make_workbook):
    # AU reaches BUYER in a year (L1 lead 1, 15/t landed), CN at once (CNX, 5 + 1 = 6/t);
    # at most half of the OX arriving in a period from CN. Demand 30 t in 2026 only.
    # At arrival: 2026 receives 15 t from AU (shipped 2025) and 15 t from CN:
    # 15 x 15 + 15 x 6 = 315. (Counted at departure, 2026 could receive only CN and the
    # share would leave all 30 t unmet: 30000.)
    s = solve_cli(make_workbook({
        "Settings": TWO_YEARS,
        "Sites": CN["Sites"], "Supply": CN["Supply"],
        "Lanes": """
            lane_id,from_site,to_site,material_id,unit_cost,lead_time
            L1,MINE,BUYER,OX,5,1
            L2,CNX,BUYER,OX,1,
        """,
        "Demand": """
            demand_id,site_id,material_id,period,quantity
            D1,BUYER,OX,2026,30
        """,
        "Policies": """
            rule_id,kind,material_id,country,value
            CN_MAX,max_country_share,OX,CN,0.5
        """}))
    assert s.rc == 0 and near(s.objective, 315)
    arr = s.table("ArrivalsByCountry").set_index(["period", "country"])["arrivals_t"]
    assert arr[2026, "AU"] == pytest.approx(15) and arr[2026, "CN"] == pytest.approx(15)


def test_investment_on_a_lane(make_workbook):
    # L1 has capacity 0 today; a 40 t/period expansion (capex 100, lead 0) carries the
    # 30 t: 100 + 30 x 15 = 550
    s = solve_cli(make_workbook({
        "Lanes": """
            lane_id,from_site,to_site,material_id,unit_cost,capacity
            L1,MINE,BUYER,OX,5,0
        """,
        "Investments": f"""
            {INV_HEAD}
            PORT,L1,40,100,,,,,
        """}))
    assert s.rc == 0 and near(s.objective, 550) and built(s) == {("PORT", 2025): 1}


def test_both_backends_build_the_same_model(make_workbook):
    """Investments (on an offer with a fixed cost outside its own periods, and on a lane),
    a lane lead time and a policy counted at arrival: the array backend and Pyomo's
    compiler give the same LP and optimum (tests/test_backends.py)."""
    from test_backends import _agree
    path = make_workbook({
        **THREE_YEARS,
        "Sites": """
            site_id,name,company,country,kind
            MINE,Mine,MineCo,AU,mine
            BUYER,Buyer,BuyCo,US,customer
            CNX,China exporter,CnCo,CN,processor
        """,
        "Supply": """
            offer_id,site_id,material_id,capacity,unit_cost,first_period,last_period,fixed_cost
            MINE_OX,MINE,OX,0,10,2027,2027,50
            CN_OX,CNX,OX,100,5,,,
        """,
        "Lanes": """
            lane_id,from_site,to_site,material_id,unit_cost,capacity,lead_time
            L1,MINE,BUYER,OX,5,10,1
            L2,CNX,BUYER,OX,1,,
        """,
        "Policies": """
            rule_id,kind,material_id,country,value
            CN_MAX,max_country_share,OX,CN,0.5
        """,
        "Investments": f"""
            {INV_HEAD}
            MINE_X,MINE_OX,40,100,0,,,5,2
            PORT,L1,20,50,1,,,,
        """})
    c = _agree(path)
    assert {"invest_units", "invest_capacity"} <= set(c.row_con) and c.integer.any()
    s = solve_cli(path)
    assert s.rc == 0 and s.summary["verification"].startswith("verified")
    assert main(["verify", str(path), str(s.report)]) == 0     # from the report file too
    # the same plan with its investments struck out: the verifier sees capacity used that
    # nothing built (and capex that no longer adds up)
    book = openpyxl.load_workbook(s.report)
    ws = book["Investments"]
    units = [c.value for c in ws[1]].index("units") + 1
    for row in range(2, ws.max_row + 1):
        ws.cell(row=row, column=units).value = 0
    wrong = s.report.with_name("wrong.xlsx")
    book.save(wrong)
    assert main(["verify", str(path), str(wrong)]) == 4


def test_compare_shows_the_portfolios_side_by_side(make_workbook, tmp_path):
    # base builds MINE_X in 2025 (31000, first test); DEAR: capex x 600 = 60000 > its
    # value 59100, nothing built (90000)
    path = make_workbook(three_years(f"""
        {INV_HEAD}
        MINE_X,MINE_OX,40,100,1,,,,
    """, Scenarios="""
        scenario_id,description
        DEAR,capex 600 times
    """, ScenarioChanges="""
        scenario_id,sheet,id,column,op,value
        DEAR,Investments,MINE_X,capex,scale,600
    """))
    out = tmp_path / "cmp.xlsx"
    assert main(["compare", str(path), "--all", "-o", str(out), "-q"]) == 0
    book = pd.read_excel(out, sheet_name=None, engine="openpyxl")
    ov = book["Overview"].set_index("scenario")
    assert ov.loc["base", "objective"] == pytest.approx(31000)
    assert ov.loc["DEAR", "objective"] == pytest.approx(90000)
    inv = book["Investments"].set_index("investment_id")
    assert inv.loc["MINE_X", "base"] == 1 and inv.loc["MINE_X", "DEAR"] == 0
    assert inv.loc["MINE_X", "period"] == 2025


def test_whatif_session_switches_an_investment_off(make_workbook):
    # the first test's workbook: 31000 with MINE_X; not allowed to build: 90000
    from model.whatif.session import NeedsRebuild, Session
    s = Session(make_workbook(three_years(f"""
        {INV_HEAD}
        MINE_X,MINE_OX,40,100,1,,,,
    """)))
    assert near(s.solve().objective, 31000)
    s.disable("MINE_X")
    assert near(s.solve().objective, 90000)
    s.reset()
    assert near(s.solve().objective, 31000)
    with pytest.raises(NeedsRebuild, match="target of an investment"):
        s.scale_capacity("MINE_OX", 2.0)


def test_decided_exactly_lead_time_before_it_is_needed(make_workbook):
    # demand only in 2027 (30 t); lead 1; O&M 1000 per unit per online year. Deciding in
    # 2025 brings it online for 2026 and 2027 (O&M 2000); in 2026, for 2027 only (1000);
    # in 2027 it would come online after the horizon. Optimum: decide in 2026:
    # capex 100 + O&M 1000 + 30 x 15 = 1550 (2026 and 2025 demand: none)
    s = solve_cli(make_workbook(three_years(f"""
        {INV_HEAD}
        MINE_X,MINE_OX,40,100,1,,,1000,
    """, Demand="""
        demand_id,site_id,material_id,period,quantity
        D3,BUYER,OX,2027,30
    """)))
    assert near(s.objective, 1550) and built(s) == {("MINE_X", 2026): 1}
    assert s.table("Investments").iloc[0]["online_from"] == 2027


def test_infeasibility_names_the_investment(make_workbook):
    # one year; the mine exists only through MINE_X (40 t at most); the buyer must end the
    # year with 100 t in stock: impossible, and the explanation names the investment
    s = solve_cli(make_workbook({
        "Supply": THREE_YEARS["Supply"],
        "Inventory": """
            site_id,material_id,initial_stock,holding_cost,min_stock
            BUYER,OX,0,0,100
        """,
        "Investments": f"""
            {INV_HEAD}
            MINE_X,MINE_OX,40,100,,,,,
        """}))
    assert s.rc == 3 and s.status == "infeasible"
    why = s.table("Infeasibility").set_index("model_item")
    assert why.loc["buy[MINE_OX,2025]", "meaning"] == (
        "Supply row 2 (offer MINE_OX) can deliver at most 40 t of OX at MINE in 2025 (its own "
        "capacity plus the most that investments MINE_X can build: sheet Investments)")
