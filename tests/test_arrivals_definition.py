"""Issue 12, case 4: one definition of arrivals at demand sites.

A demand site of a material is a site with a Demand row for it, in any
period and of any quantity, 0 included (contract, Policies). The policies,
ArrivalsByCountry, the KPIs (shares, HHI), ArrivalsByCompany, the risk
report's ArrivalsByScenario and the stress test's home countries all use
``model.data.model_data.demand_sites`` and the terms of ``ModelData.arrivals``.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from conftest import solve_cli, with_cn
from model.cli import arguments
from model.commands.risk import risk_command
from model.data.model_data import prepare
from model.read.workbook import read_workbook
from model.run import run

# The CN fixture (conftest): OX from MINE (AU, 10/t + 5 freight) or CNX (CN, 5/t + 1 freight),
# demand 30 t OX at BUYER. Added: TB, sold only by CNX (8/t), shipped on L2 (any material)
# to BUYER, which has a Demand row of 0 t TB and must keep 10 t of TB in stock.
STOCKPILE = with_cn(**{
    "Materials": """
        material_id,name,reference_price,disposal_cost
        OX,oxide,1000,0
        TB,terbium,2000,0
    """,
    "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost
        MINE_OX,MINE,OX,100,10
        CN_OX,CNX,OX,100,5
        CN_TB,CNX,TB,100,8
    """,
    "Demand": """
        demand_id,site_id,material_id,period,quantity
        D1,BUYER,OX,2025,30
        D_TB,BUYER,TB,2025,0
    """,
    "Inventory": """
        site_id,material_id,initial_stock,holding_cost,min_stock
        BUYER,TB,0,0,10
    """,
})


@pytest.mark.component
def test_case4_zero_demand_row_counts_in_kpis_as_in_arrivals(make_workbook):
    """By hand: the floor needs 10 t TB at BUYER, all from CNX (CN, company CnCo) on L2.
    BUYER has a Demand row for TB (0 t), so BUYER is a demand site of TB and the 10 t are
    arrivals: ArrivalsByCountry TB 2025 CN 10 t, share 100 %. The KPIs must say the same:
    a TB row for 2025 and for the horizon with 0 t demand, 10 t arrivals, top country CN at
    100 %, HHI (100 x 1)^2 = 10,000, top company CnCo at 100 %. OX: 30 t from CN (6/t < 15/t).
    Before: the KPIs counted only Demand rows with a quantity and had no TB row at all."""
    solved = solve_cli(make_workbook(STOCKPILE))
    assert solved.rc == 0 and solved.status == "optimal"
    abc = solved.table("ArrivalsByCountry")
    tb = abc[abc["material_id"] == "TB"]
    assert tb[["period", "country"]].values.tolist() == [[2025, "CN"]]
    assert tb["arrivals_t"].tolist() == pytest.approx([10.0])
    assert tb["share"].tolist() == pytest.approx([1.0])

    k = solved.table("KPIs")
    k["period"] = k["period"].astype(str)
    rows = k[k["material_id"] == "TB"].set_index("period")
    assert sorted(rows.index) == ["2025", "all"]
    for p in ("2025", "all"):
        r = rows.loc[p]
        assert r["demand_t"] == pytest.approx(0.0) and r["unmet_t"] == pytest.approx(0.0)
        assert r["arrivals_t"] == pytest.approx(10.0)
        assert r["top_country"] == "CN" and r["top_country_share"] == pytest.approx(1.0)
        assert r["hhi_country"] == pytest.approx(10_000)
        assert r["top_company"] == "CnCo" and r["hhi_company"] == pytest.approx(10_000)
    ox = k[(k["material_id"] == "OX") & (k["period"] == "2025")].iloc[0]
    assert ox["demand_t"] == pytest.approx(30) and ox["arrivals_t"] == pytest.approx(30)
    company = solved.table("ArrivalsByCompany")
    company["period"] = company["period"].astype(str)
    tbc = company[(company["material_id"] == "TB") & (company["period"] == "2025")]
    assert tbc[["company", "arrivals_t", "share"]].values.tolist() == [["CnCo", 10.0, 1.0]]


@pytest.mark.component
def test_kpi_arrivals_equal_arrivals_by_country_everywhere(make_workbook):
    """For every material and period the KPIs' arrivals are the sum of ArrivalsByCountry,
    and the top country's share is the largest share there: one definition, two views."""
    r = run(make_workbook(STOCKPILE))
    from model.results import kpis
    from model.results.kpi_table import kpi_table
    k = kpi_table(r.tables, r.data)
    abc = r.tables["ArrivalsByCountry"]
    per = abc.groupby(["material_id", "period"])["arrivals_t"].sum()
    top = abc.groupby(["material_id", "period"])["share"].max()
    mine = k[k["period"] != kpis.ALL].set_index(["material_id", "period"])
    assert set(per.index) <= set(mine.index)
    for key, t in per.items():
        assert mine.loc[key, "arrivals_t"] == pytest.approx(t)
        assert mine.loc[key, "top_country_share"] == pytest.approx(top[key])


@pytest.mark.component
def test_risk_arrivals_by_scenario_are_the_plain_arrivals(make_workbook):
    """The risk report's ArrivalsByScenario of the one scenario base (probability 1) is the
    plain solve's ArrivalsByCountry, row for row (same terms, same aggregation)."""
    sheets = dict(STOCKPILE)
    sheets["Settings"] = """
        key,value
        first_period,2025
        last_period,2025
        unmet_penalty,1000
        base_probability,1
    """
    path = make_workbook(sheets)
    plain = run(path).tables["ArrivalsByCountry"]
    out, js = path.with_name("r.xlsx"), path.with_name("r.json")
    rc = risk_command(arguments("solve", workbook=str(path), output=str(out), summary_json=str(js),
                                         quiet=True, no_value=True))
    assert rc == 0, json.loads(js.read_text())
    scen = pd.read_excel(out, sheet_name="ArrivalsByScenario", engine="openpyxl")
    assert scen["scenario"].unique().tolist() == ["base"]
    got = scen.drop(columns="scenario").sort_values(["material_id", "country"]).reset_index(drop=True)
    want = plain.sort_values(["material_id", "country"]).reset_index(drop=True)
    assert got.columns.tolist() == want.columns.tolist()
    assert got[["material_id", "country"]].values.tolist() == want[["material_id", "country"]].values.tolist()
    assert got["arrivals_t"].tolist() == pytest.approx(want["arrivals_t"].tolist())
    assert got["share"].tolist() == pytest.approx(want["share"].tolist())


@pytest.mark.unit
def test_demand_sites_count_every_demand_row(make_workbook):
    """BUYER/TB (0 t) and a row outside the horizon (JP_BUYER/OX in 2031) are demand sites;
    the stress test's home countries are those of the demand sites: US and JP."""
    from model.whatif.stress import home_countries
    sheets = dict(STOCKPILE)
    sheets["Sites"] = STOCKPILE["Sites"] + "        JP_BUYER,Japan buyer,JpCo,JP,customer\n"
    sheets["Demand"] = STOCKPILE["Demand"] + "        D_JP,JP_BUYER,OX,2031,5\n"
    data = prepare(read_workbook(make_workbook(sheets)))
    pairs = set(zip(data.demand_sites["site"], data.demand_sites["material"]))
    assert pairs == {("BUYER", "OX"), ("BUYER", "TB"), ("JP_BUYER", "OX")}
    assert set(data.demand["demand_id"]) == {"D1"}            # rows with a quantity in the horizon
    assert home_countries(data) == ["JP", "US"]
