"""Infeasibility explained (an IIS in workbook terms) and elastic mode (hard
constraints made soft, with the bend reported), on hand-worked workbooks.

Base case (conftest.BASE_SHEETS): MINE (AU) can sell 100 t of OX a year at
10/t, lane L1 to BUYER (US) at 5/t, 30 t demanded at BUYER in 2025 with an
unmet penalty of 1000/t."""

import pytest

from conftest import solve_cli
from model.analysis.elastic import default_penalty, elastic
from model.analysis.infeasibility import explain
from model.run import run

pytestmark = pytest.mark.component

FLOOR_500 = {"Inventory": """
    site_id,material_id,initial_stock,holding_cost,min_stock,max_stock
    BUYER,OX,0,1,500,
"""}
CN = {
    "Sites": """
        site_id,name,company,country,kind
        MINE,Mine,MineCo,AU,mine
        BUYER,Buyer,BuyCo,US,customer
        CNX,China exporter,CnCo,CN,processor
    """,
    "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost
        MINE_OX,MINE,OX,20,10
        CN_OX,CNX,OX,100,5
    """,
    "Lanes": """
        lane_id,from_site,to_site,material_id,unit_cost
        L1,MINE,BUYER,OX,5
        L2,CNX,BUYER,,1
    """,
    "Inventory": """
        site_id,material_id,initial_stock,holding_cost,min_stock,max_stock
        BUYER,OX,0,0,50,
    """,
}
BAN = """
    rule_id,exporter,material_id,importer,measure,value
    BAN,CN,OX,US,ban,
"""


def test_stock_floor_beyond_supply_is_explained_in_workbook_terms(make_workbook):
    path = make_workbook(FLOOR_500)
    assert solve_cli(path).rc == 3                                # the CLI: infeasible
    result = run(path)
    table, sentences = explain(result)
    assert sentences[0] == (
        "Inventory row 2 asks for 500 t of OX at BUYER by the end of 2025, but the only supply "
        "reaching BUYER, Supply row 2 (offer MINE_OX), can deliver 100 t in 2025.")
    assert "- Inventory row 2 asks for at least 500 t of OX at BUYER at the end of 2025." \
        in sentences
    assert "- Supply row 2 (offer MINE_OX) can deliver at most 100 t of OX at MINE in 2025." \
        in sentences
    assert sentences[-1] == ("- material balances of OX at BUYER and MINE in 2025: what comes "
                             "in equals what goes out.")
    req = table[table["role"] == "requirement"]
    lim = table[table["role"] == "limit"]
    assert req[["sheet", "excel_row", "constraint", "bound"]].values.tolist() == [
        ["Inventory", 2, "stock floor", 500.0]]
    assert lim[["sheet", "excel_row", "constraint", "bound"]].values.tolist() == [
        ["Supply", 2, "offer capacity", 100.0]]
    # demand never causes infeasibility: it is not among the requirements
    assert "Demand" not in set(req["sheet"]) | set(lim["sheet"])


def test_opening_stock_is_counted_in_the_summary(make_workbook):
    inv = {"Inventory": """
        site_id,material_id,initial_stock,holding_cost,min_stock,max_stock
        BUYER,OX,50,1,500,
    """}
    _, sentences = explain(run(make_workbook(inv)))
    assert sentences[0].endswith(
        "Supply row 2 (offer MINE_OX), can deliver 100 t in 2025 (plus 50 t of OX in stock at "
        "BUYER at the start).")


def test_a_ban_in_the_way_is_named(make_workbook):
    sheets = dict(CN, ExportControls=BAN)
    table, sentences = explain(run(make_workbook(sheets)))
    # 50 t floor at BUYER; AU can send 20 t; CN could send 100 t but the ban closes it
    assert sentences[0].startswith("Inventory row 2 asks for 50 t of OX at BUYER by the end of "
                                   "2025, but what can reach BUYER is limited: ")
    assert "ExportControls row 2 (BAN: ban on OX exports from CN to US) closes that way in 2025" \
        in sentences[0]
    assert "Supply row 2 (offer MINE_OX) can deliver at most 20 t in 2025" in sentences[0]
    assert set(zip(table["sheet"], table["role"])) >= {("ExportControls", "limit"),
                                                       ("Supply", "limit"),
                                                       ("Inventory", "requirement")}


def test_mip_is_explained_on_its_relaxation_and_says_so(make_workbook):
    supply = """
        offer_id,site_id,material_id,capacity,unit_cost,fixed_cost
        MINE_OX,MINE,OX,100,10,50
    """
    result = run(make_workbook(dict(FLOOR_500, Supply=supply)))
    assert result.status == "infeasible" and result.compiled.integer.any()
    table, sentences = explain(result)
    assert "Supply row 2" in sentences[0] and "Inventory row 2" in sentences[0]
    assert any("LP relaxation" in s for s in sentences)


def test_a_feasible_run_has_nothing_to_explain(make_workbook):
    table, sentences = explain(run(make_workbook()))
    assert table.empty and sentences == ["The run is optimal: there is no infeasibility to "
                                         "explain."]


# ------------------------------------------------------------------ elastic

def test_elastic_bends_the_floor_by_exactly_400_t(make_workbook):
    result, bends = elastic(make_workbook(FLOOR_500))
    assert result.status == "elastic"                              # a bent plan, not the optimum
    assert len(bends) == 1
    b = bends.iloc[0]
    assert (b["family"], b["sheet"], b["excel_row"], b["constraint"]) == (
        "stock_floor", "Inventory", 2, "stock floor")
    assert b["limit"] == 500 and b["achieved"] == 100
    assert b["bend_t"] == 400                                      # exactly: 500 - 100
    assert b["penalty_per_t"] == 10 * 1000                         # 10 x the largest unmet penalty
    assert b["penalty_paid"] == 400 * 10_000
    assert "it bends by 400 t" in b["meaning"]
    # the bent plan: all 100 t bought and stocked; demand left unmet (1000/t is cheaper
    # than bending the floor one more tonne at 10,000/t)
    # cost 100 * (10 + 5) + 100 t held * 1 + 30 t unmet * 1000 = 31,600, penalty not included
    assert result.solution.objective == pytest.approx(31_600)
    assert result.solution.extra["elastic_penalty"] == pytest.approx(4_000_000)
    assert result.tables["Stock"]["stock_t"].tolist() == [100]
    assert result.tables["Demand"]["unmet_t"].tolist() == [30]


def test_elastic_penalty_is_configurable(make_workbook):
    # at 500/t bending the floor is cheaper than leaving demand unmet (1000/t):
    # every tonne goes to demand first, 70 t to stock, the floor bends by 430 t
    result, bends = elastic(make_workbook(FLOOR_500), penalty=500)
    assert bends["bend_t"].tolist() == [430]
    assert result.tables["Demand"]["met_t"].tolist() == [30]


def test_elastic_relaxes_only_the_chosen_families(make_workbook):
    sheets = dict(CN, ExportControls=BAN)
    path = make_workbook(sheets)
    assert default_penalty(run(make_workbook(name="b.xlsx")).data) == 10_000
    # only the ban may bend: the 50 t floor needs 30 t more than AU's 20 t
    result, bends = elastic(path, relax=("export_limit",))
    assert bends[["sheet", "excel_row", "id", "bend_t"]].values.tolist() == [
        ["ExportControls", 2, "BAN", 30.0]]
    assert bends.iloc[0]["penalty_paid"] == 30 * 10_000
    # nothing relaxed that matters: still infeasible, and the message says what to do
    result, bends = elastic(path, relax=("lane_capacity",))
    assert result.status == "infeasible" and bends.empty
    assert "relax more families" in result.solution.message


def test_elastic_policy_share_bend(make_workbook):
    # CN may be at most 40% of arrivals; AU can send 10 t; the floor asks for 50 t.
    # Share row: A_CN - 0.4 (A_CN + A_AU) <= 0. With A_AU = 10 and A_CN = 40 it is
    # 0.6 * 40 - 0.4 * 10 = 20 over: the bend, in t of the row.
    supply = CN["Supply"].replace("MINE_OX,MINE,OX,20,10", "MINE_OX,MINE,OX,10,10")
    pol = """
        rule_id,kind,material_id,country,company,value
        P,max_country_share,OX,CN,,0.4
    """
    result, bends = elastic(make_workbook(dict(CN, Supply=supply, Policies=pol)),
                            relax=("policy",))
    b = bends.iloc[0]
    assert (b["sheet"], b["excel_row"], b["id"], b["unit"]) == ("Policies", 2, "P", "share")
    assert b["bend_t"] == pytest.approx(20)
    assert b["limit"] == pytest.approx(0.4) and b["achieved"] == pytest.approx(0.8)


def test_elastic_offer_capacity_with_a_binary(make_workbook):
    supply = """
        offer_id,site_id,material_id,capacity,unit_cost,fixed_cost
        MINE_OX,MINE,OX,100,10,50
    """
    result, bends = elastic(make_workbook(dict(FLOOR_500, Supply=supply)),
                            relax=("offer_capacity",))
    assert bends[["sheet", "excel_row", "constraint", "bend_t"]].values.tolist() == [
        ["Supply", 2, "offer capacity", 400.0]]
    assert result.tables["Purchases"]["quantity_t"].tolist() == [500]


def test_conflict_only_in_the_on_off_decisions_is_said_so(make_workbook):
    # A US offer at BUYER itself may be at most 80% of BUYER's arrivals; if used it
    # sells at least 80 t, which would need 20 t from CN, but CN can sell only 10.
    # Unused, it leaves 10 t for a 50 t floor. Allowed between 0 and 1, the on/off
    # decision lets it sell 40 t: the LP relaxation is feasible, the MIP is not.
    supply = """
        offer_id,site_id,material_id,capacity,unit_cost,min_quantity
        US_OX,BUYER,OX,100,10,80
        CN_OX,CNX,OX,10,5,
    """
    pol = """
        rule_id,kind,material_id,country,company,value
        P,max_country_share,OX,US,,0.8
    """
    sheets = dict(CN, Supply=supply, Policies=pol)
    result = run(make_workbook(sheets))
    assert result.status == "infeasible"
    table, sentences = explain(result)
    assert table.empty
    assert sentences[0].startswith("The workbook is infeasible only because of the on/off "
                                   "decisions")
    # elastic mode with the share rule relaxed: US sells its minimum 80 t, CN 10 t;
    # the share row 80 - 0.8 * (80 + 10) = 8 t over, an actual share of 80/90
    _, bends = elastic(make_workbook(sheets, name="e.xlsx"), relax=("policy",))
    assert bends[["sheet", "excel_row", "id"]].values.tolist() == [["Policies", 2, "P"]]
    assert bends.iloc[0]["bend_t"] == pytest.approx(8)
    assert bends.iloc[0]["achieved"] == pytest.approx(80 / 90, abs=1e-6)
