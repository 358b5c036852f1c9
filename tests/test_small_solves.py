"""Small solves through the real `sourcing solve` path, each with its optimum
worked out by hand in the test. Base case (conftest.BASE_SHEETS): 30 t of OX
demanded at BUYER (US) in 2025; MINE (AU) sells OX at 10/t, lane freight 5/t."""

import pytest

from conftest import BAN, CN, near, solve_cli, with_cn  # noqa: F401
from model.run import run

pytestmark = pytest.mark.component

def test_base_case(make_workbook):
    s = solve_cli(make_workbook())
    assert s.rc == 0 and s.status == "optimal"
    assert near(s.objective, 30 * (10 + 5))                      # 450
    assert s.summary["solver"] == "HiGHS" and s.summary["solver_version"]
    assert len(s.summary["input_sha256"]) == 64


def test_cheapest_source_without_rules(make_workbook):
    s = solve_cli(make_workbook(with_cn()))
    assert near(s.objective, 30 * (5 + 1))                       # CN at 5 + 1 freight = 180
    arrivals = s.table("ArrivalsByCountry")
    assert arrivals.loc[arrivals["country"] == "CN", "arrivals_t"].sum() == pytest.approx(30)


def test_export_ban_and_its_marginal_value(make_workbook):
    s = solve_cli(make_workbook(with_cn(ExportControls=BAN)))
    assert near(s.objective, 450)                                # back to AU: 30 * 15
    marg = s.table("RuleMarginals")
    row = marg[marg["rule_id"] == "BAN"].iloc[0]
    assert bool(row["binding"])
    assert row["change_per_t"] == pytest.approx(-(15 - 6))       # 1 t through the ban saves 9
    assert "would save 9 USD" in row["meaning"]
    # the same workbook with the ban switched off from the command line
    off = solve_cli(make_workbook(with_cn(ExportControls=BAN)), "--disable", "BAN")
    assert near(off.objective, 180)
    assert off.table("Changes")["source"].tolist() == ["--disable"]


def test_ban_never_covers_a_domestic_or_other_importer_shipment(make_workbook):
    rule = """
        rule_id,exporter,material_id,importer,measure,value
        BAN,CN,OX,GB,ban,
    """
    s = solve_cli(make_workbook(with_cn(ExportControls=rule)))
    assert near(s.objective, 180)                                # the rule is about GB only


def test_export_quota(make_workbook):
    rule = """
        rule_id,exporter,material_id,importer,measure,value
        Q,CN,,,quota,10
    """
    s = solve_cli(make_workbook(with_cn(ExportControls=rule)))
    assert near(s.objective, 10 * 6 + 20 * 15)                   # 360


def test_tariffs_add_up(make_workbook):
    # CN: 5 + 1 freight + lane tariff 0.1*1000 + export tariff 0.05*1000 = 156 > AU 15
    lanes = """
        lane_id,from_site,to_site,material_id,unit_cost,tariff_rate
        L1,MINE,BUYER,OX,5,
        L2,CNX,BUYER,,1,0.1
    """
    rule = """
        rule_id,exporter,material_id,importer,measure,value
        T,CN,OX,US,tariff,0.05
    """
    s = solve_cli(make_workbook(with_cn(Lanes=lanes, ExportControls=rule,
                                        Supply=CN["Supply"].replace("MINE_OX,MINE,OX,100,10",
                                                                    "MINE_OX,MINE,OX,10,10"))))
    # AU capacity 10: 10 * 15 + 20 * 156 = 150 + 3120
    assert near(s.objective, 3270)
    cost = s.table("CostByCategory").set_index("category")["cost"]
    assert cost["tariff"] == pytest.approx(20 * 150)


def test_max_country_share(make_workbook):
    pol = """
        rule_id,kind,material_id,country,company,value
        P,max_country_share,,CN,,0.4
    """
    s = solve_cli(make_workbook(with_cn(Policies=pol)))
    assert near(s.objective, 12 * 6 + 18 * 15)                   # 342


def test_max_company_share_blank_company_means_every_company(make_workbook):
    pol = """
        rule_id,kind,material_id,country,company,value
        P,max_company_share,OX,,,0.5
    """
    s = solve_cli(make_workbook(with_cn(Policies=pol)))
    assert near(s.objective, 15 * 6 + 15 * 15)                   # 315: an even split


def test_min_country_share_counts_purchases_at_the_demand_site(make_workbook):
    supply = """
        offer_id,site_id,material_id,capacity,unit_cost
        MINE_OX,MINE,OX,100,10
        US_OX,BUYER,OX,100,20
    """
    pol = """
        rule_id,kind,material_id,country,company,value
        P,min_country_share,OX,US,,0.5
    """
    s = solve_cli(make_workbook({"Supply": supply, "Policies": pol}))
    assert near(s.objective, 15 * 20 + 15 * 15)                 # 525


def test_stock_floor_holding_profile_and_discounting(make_workbook):
    sheets = {
        "Settings": """
            key,value
            first_period,2025
            last_period,2026
            unmet_penalty,1000
            discount_rate,0.1
        """,
        "CapacityProfile": """
            id,period,capacity
            MINE_OX,2026,10
        """,
        "Demand": """
            demand_id,site_id,material_id,period,quantity
            D1,BUYER,OX,2026,30
        """,
        "Inventory": """
            site_id,material_id,initial_stock,holding_cost,min_stock,max_stock
            BUYER,OX,0,2,5,
        """,
    }
    s = solve_cli(make_workbook(sheets))
    # 2026 can supply only 10, and 5 must remain: end-2025 stock 25, bought in 2025.
    # 2025: 25 * (10 + 5) + 25 * 2 holding = 425
    # 2026: 10 * 15 + 5 * 2 holding = 160, discounted by 1.1
    assert near(s.objective, 425 + 160 / 1.1)
    stock = s.table("Stock").set_index("period")["stock_t"]
    assert stock[2025] == pytest.approx(25) and stock[2026] == pytest.approx(5)


def test_unmet_penalty_row_overrides_settings(make_workbook):
    supply = """
        offer_id,site_id,material_id,capacity,unit_cost
        MINE_OX,MINE,OX,20,10
    """
    s = solve_cli(make_workbook({"Supply": supply}))
    assert near(s.objective, 20 * 15 + 10 * 1000)
    demand = """
        demand_id,site_id,material_id,period,quantity,unmet_penalty
        D1,BUYER,OX,2025,30,50
    """
    s = solve_cli(make_workbook({"Supply": supply, "Demand": demand}, name="b.xlsx"))
    assert near(s.objective, 20 * 15 + 10 * 50)
    assert s.table("Demand")["unmet_t"].sum() == pytest.approx(10)


def test_min_quantity_and_fixed_cost_binaries(make_workbook):
    supply = """
        offer_id,site_id,material_id,capacity,unit_cost,fixed_cost,min_quantity
        A,MINE,OX,100,10,,40
        B,MINE,OX,100,20,,
    """
    mats = """
        material_id,name,reference_price,disposal_cost
        OX,oxide,1000,2
    """
    s = solve_cli(make_workbook({"Supply": supply, "Materials": mats}))
    # A must sell 40: 40*10 + 30*5 freight + 10 discarded * 2 = 570 < B: 30*25 = 750
    assert near(s.objective, 570)
    assert s.summary["is_mip"] is True
    supply_fixed = supply.replace("A,MINE,OX,100,10,,40", "A,MINE,OX,100,10,300,40")
    s = solve_cli(make_workbook({"Supply": supply_fixed, "Materials": mats}, name="f.xlsx"))
    assert near(s.objective, 750)                                # 870 with A's fixed cost > 750


def test_process_with_co_product(make_workbook):
    sheets = {
        "Materials": """
            material_id,name,reference_price,disposal_cost
            ORE,ore,100,0
            OX,oxide,1000,0
            CO,co-product,0,5
        """,
        "Sites": """
            site_id,name,company,country,kind
            MINE,Mine,MineCo,AU,mine
            PLANT,Plant,PlantCo,US,processor
            BUYER,Buyer,BuyCo,US,customer
        """,
        "Supply": """
            offer_id,site_id,material_id,capacity,unit_cost
            MINE_ORE,MINE,ORE,100,10
        """,
        "Processes": """
            process_id,site_id,capacity,unit_cost
            SEP,PLANT,50,20
        """,
        "Recipes": """
            process_id,material_id,input,output
            SEP,ORE,2,
            SEP,OX,,1
            SEP,CO,,0.5
        """,
        "Lanes": """
            lane_id,from_site,to_site,material_id,unit_cost
            L1,MINE,PLANT,,5
            L2,PLANT,BUYER,OX,1
        """,
    }
    s = solve_cli(make_workbook(sheets))
    # per t OX: run 20 + 2 t ore * (10 + 5) + 0.5 t co-product * 5 disposal + 1 freight = 53.5
    assert near(s.objective, 30 * 53.5)
    flows = s.table("ProcessFlows")
    assert flows.loc[flows["material_id"] == "CO", "produced_t"].sum() == pytest.approx(15)


SCEN = {
    "Scenarios": """
        scenario_id,description
        double,demand doubles
        free_lanes,freight is free
    """,
    "ScenarioChanges": """
        scenario_id,sheet,id,column,op,value
        double,Demand,D1,quantity,scale,2
        free_lanes,Lanes,*,unit_cost,set,0
    """,
}


def test_scenarios_set_scale_and_star(make_workbook):
    path = make_workbook(SCEN)
    assert near(solve_cli(path).objective, 450)
    doubled = solve_cli(path, "--scenario", "double")
    assert near(doubled.objective, 60 * 15)
    free = solve_cli(path, "--scenario", "free_lanes")
    assert near(free.objective, 30 * 10)
    changes = free.table("Changes")
    assert changes[["sheet", "id", "column", "old", "new"]].values.tolist() == [
        ["Lanes", "L1", "unit_cost", 5, 0]]
    assert free.summary["scenario"] == "free_lanes"


def test_infeasible_floor_exits_3_with_a_report(make_workbook):
    inv = """
        site_id,material_id,initial_stock,holding_cost,min_stock,max_stock
        BUYER,OX,0,1,500,
    """
    s = solve_cli(make_workbook({"Inventory": inv}))
    assert s.rc == 3 and s.status == "infeasible"
    assert s.summary["objective"] is None and s.report.exists()


def test_disabled_offer_is_absent_from_the_model(make_workbook):
    supply = """
        offer_id,site_id,material_id,capacity,unit_cost,enabled
        MINE_OX,MINE,OX,100,10,
        SPARE,MINE,OX,100,12,FALSE
    """
    result = run(make_workbook({"Supply": supply}))
    keys = list(result.built.model.buy.keys())
    assert keys == [("MINE_OX", 2025)]
    assert not result.built.model.use_offer          # no binary where no row needs one


@pytest.mark.parametrize("order", [("A", "B"), ("B", "A")])
def test_alternative_optima_are_reported_canonically(make_workbook, order):
    # Two identical offers: every split of the 30 t is optimal. The canonical
    # second pass breaks the tie by name order (A before B), whatever the row order.
    rows = "\n".join(f"{o},MINE,OX,100,10" for o in order)
    supply = "offer_id,site_id,material_id,capacity,unit_cost\n" + rows
    s = solve_cli(make_workbook({"Supply": supply}))
    assert near(s.objective, 450)
    bought = s.table("Purchases").set_index("offer_id")["quantity_t"]
    assert bought.to_dict() == {"A": 30}
