"""Cost per tonne follows the flows (issue 17, item 6): a tonne is charged what the
tonnes that reached it cost, not a share of every purchase of a material it could be
made from. Worked by hand below; the solve is real (HiGHS) on a real workbook."""

from __future__ import annotations

import pytest

from conftest import write_workbook
from model.results import kpis as K
from model.run import run

pytestmark = pytest.mark.component

# Two years. A US smelter turns concentrate (20/t) into metal (10/run) and metal into
# trisulfide TRI (5/run); it can smelt 10 t a year. A Chinese trader sells metal at 30/t,
# freight 2, and the US tariff is 50 % of METAL's reference price 100 = 50/t: 82/t
# delivered. The smelter's metal reaches the buyer at 20 + 10 + 1 = 31/t. The buyer holds
# 10 t of TRI bought before the horizon (free) and pays 1/t for TRI held at a year end.
#
# The optimum (cost 3,130): 2025 meets TRI from the opening stock (nothing held: no holding
# cost) and sends the smelter's 10 t of metal to metal demand (31) beside 10 t from China
# (82); 2026 turns the smelter's metal into TRI (20 + 10 + 5 + 1 = 36/t) and buys the 20 t
# of metal from China. (Making TRI in 2025 and holding the stock to 2026 costs 10 more.)
#
#   2025 METAL  (10 x 31 + 10 x 82) / 20 = 56.5/t      TRI  0/t (opening stock)
#   2026 METAL  82/t, tariff 50 of it                  TRI  36/t, no tariff, no Chinese metal
SHEETS = {
    "Settings": """
        key,value
        first_period,2025
        last_period,2026
        unmet_penalty,100000
    """,
    "Materials": """
        material_id,name,reference_price,disposal_cost
        CONC,concentrate,0,0
        METAL,metal,100,0
        TRI,trisulfide,300,0
    """,
    "Sites": """
        site_id,name,company,country,kind
        BUYER,Buyer,BuyCo,US,customer
        SMELTER,Smelter,SmeltCo,US,smelter
        CN_SELL,Trader,CnCo,CN,trader
    """,
    "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost
        CONC_BUY,SMELTER,CONC,100,20
        CN_METAL,CN_SELL,METAL,100,30
    """,
    "Processes": """
        process_id,site_id,capacity,unit_cost
        SMELT,SMELTER,10,10
        TRIP,SMELTER,100,5
    """,
    "Recipes": """
        process_id,material_id,input,output
        SMELT,CONC,1,
        SMELT,METAL,,1
        TRIP,METAL,1,
        TRIP,TRI,,1
    """,
    "Lanes": """
        lane_id,from_site,to_site,material_id,unit_cost,tariff_rate,capacity,enabled
        SM_BUYER,SMELTER,BUYER,,1,,,TRUE
        CN_BUYER,CN_SELL,BUYER,METAL,2,,,TRUE
    """,
    "ExportControls": """
        rule_id,exporter,material_id,importer,first_period,last_period,measure,value,enabled
        US_TARIFF,CN,,US,,,tariff,0.5,TRUE
    """,
    "Inventory": """
        site_id,material_id,initial_stock,holding_cost,min_stock,max_stock
        BUYER,TRI,10,1,,
    """,
    "Demand": """
        demand_id,site_id,material_id,period,quantity
        M25,BUYER,METAL,2025,20
        T25,BUYER,TRI,2025,10
        M26,BUYER,METAL,2026,20
        T26,BUYER,TRI,2026,10
    """,
}


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    r = run(write_workbook(tmp_path_factory.mktemp("flow"), SHEETS, "flow.xlsx"))
    assert r.status == "optimal"
    assert r.solution.objective == pytest.approx(3130)
    return r


def test_cost_per_tonne_follows_the_tonnes(solved):
    cpt = K.cost_per_tonne(solved.tables, solved.data).set_index(["material_id", "period"])
    assert cpt.loc[("METAL", 2025), "cost_per_t"] == pytest.approx(56.5)
    assert cpt.loc[("METAL", 2026), "cost_per_t"] == pytest.approx(82)
    assert cpt.loc[("TRI", 2026), "cost_per_t"] == pytest.approx(36)
    # 2025's TRI came from the opening stock: it cost nothing in the horizon
    assert cpt.loc[("TRI", 2025), "cost_per_t"] == pytest.approx(0)


def test_no_tariff_reaches_a_product_no_tariffed_tonne_feeds(solved):
    alloc = K.cost_allocation(solved.tables, solved.data)
    by = alloc.groupby(["material_id", "category"])["cost"].sum()
    assert ("TRI", "tariff") not in by.index
    assert by[("METAL", "tariff")] == pytest.approx(30 * 50)      # 10 t in 2025, 20 t in 2026
    assert by[("TRI", "purchase")] == pytest.approx(10 * 20)      # the 2026 concentrate only
    assert by[("TRI", "processing")] == pytest.approx(10 * (10 + 5))
    total = solved.tables["CostByCategory"]
    assert alloc["cost"].sum() == pytest.approx(total[total["category"] != "unmet_penalty"]["cost"].sum())
    assert K.UNALLOCATED not in set(alloc["material_id"])         # nothing left in stock


def test_a_closed_loop_of_pools_does_not_break_the_others():
    """Two pools that only send their tonnes to each other (5 t there and back, as a
    zero-cost plan may do) make diag(kept) - W singular on their own; the third pool,
    2 t kept at a direct cost of 10, is 5/t whatever they do."""
    from model.results.cost_flow import _Pools, _solve
    P = _Pools(["purchase"])
    a, b, c = P.pool("A", "M", 2025), P.pool("B", "M", 2025), P.pool("C", "M", 2025)
    P.flow += [(b, a, 5.0), (a, b, 5.0)]
    P.direct += [(a, 0, 3.0), (c, 0, 10.0)]
    u = _solve(P, {a: 5.0, b: 5.0, c: 2.0})
    assert u[c, 0] == pytest.approx(5.0, rel=1e-9)
    assert all(map(float.__eq__, u.ravel(), u.ravel()))            # no NaN anywhere
