"""Contract v1.2 part 2 in risk solves: investment decisions are first stage,
shared by every scenario; VSS and EVPI by their definitions (docs/risk.md).

The workbook: one buyer of OX in 2025 (30 t, unmet at 1000/t). CNX (CN)
sells at 5/t + 1 freight = 6/t; the mine (AU) does not exist yet: capacity 0,
an investment MINE_X adds 40 t for capex 10000 (lead 0); its ore lands at
10 + 5 = 15/t. Scenario BAN (p = 0.5): CN capacity 0; base (p = 0.5): as is.
"""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest

from conftest import CN

from model.cli import arguments
from model.commands.risk import frontier_command, risk_command

pytestmark = pytest.mark.component

WORKBOOK = {
    "Settings": """
        key,value
        first_period,2025
        last_period,2025
        unmet_penalty,1000
        base_probability,0.5
    """,
    "Sites": CN["Sites"],
    "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost
        MINE_OX,MINE,OX,0,10
        CN_OX,CNX,OX,100,5
    """,
    "Lanes": """
        lane_id,from_site,to_site,material_id,unit_cost
        L1,MINE,BUYER,OX,5
        L2,CNX,BUYER,OX,1
    """,
    "Investments": """
        investment_id,target_id,capacity,capex,lead_time
        MINE_X,MINE_OX,40,10000,0
    """,
    "Scenarios": """
        scenario_id,description,probability
        BAN,CN stops selling,0.5
    """,
    "ScenarioChanges": """
        scenario_id,sheet,id,column,op,value
        BAN,Supply,CN_OX,capacity,set,0
    """,
}


def run(command, workbook, name):
    out, js = workbook.with_name(f"{name}.xlsx"), workbook.with_name(f"{name}.json")
    a = arguments(name, workbook=str(workbook), output=str(out), summary_json=str(js),
                  quiet=True)
    rc = command(a)
    return rc, json.loads(js.read_text()), out


def test_investing_pays_only_under_uncertainty(make_workbook):
    """Worked by hand (lambda = 0):

    RP: build (10000): base buys CN, 30 x 6 = 180; BAN buys the mine, 30 x 15 = 450:
        E = 10000 + 0.5 x 180 + 0.5 x 450 = 10315.
        Not build: base 180, BAN 30 x 1000 = 30000: E = 15090. RP builds: 10315.
    EV: the mean-value problem sees CN capacity 0.5 x 100 + 0.5 x 0 = 50 >= 30: buys
        CN, 180, and does not build. EV = 180.
    EEV: no mine in either scenario: 0.5 x 180 + 0.5 x 30000 = 15090.
    WS: base 180 (no mine), BAN builds: 10450. WS = 5315.
    VSS = EEV - RP = 4775 > 0;  EVPI = RP - WS = 5000.
    """
    wb = make_workbook(WORKBOOK)
    rc, info, report = run(risk_command, wb, "solve")
    assert rc == 0 and info["status"] == "optimal"
    assert info["RP"] == pytest.approx(10315, rel=1e-6)
    assert info["EV"] == pytest.approx(180, rel=1e-6)
    assert info["EEV"] == pytest.approx(15090, rel=1e-6)
    assert info["WS"] == pytest.approx(5315, rel=1e-6)
    assert info["VSS"] == pytest.approx(4775, abs=1e-3)
    assert info["EVPI"] == pytest.approx(5000, abs=1e-3)
    com = pd.read_excel(report, sheet_name="Commitments", engine="openpyxl")
    row = com[(com["kind"] == "invest") & (com["id"] == "MINE_X")]
    assert row["decision"].tolist() == [1]
    book = openpyxl.load_workbook(report, read_only=True)
    cells = [v for row in book["Dashboard"].iter_rows(values_only=True) for v in row if v]
    assert "build 1 unit" in cells and cells[cells.index("build 1 unit") + 1] == "MINE_X"
    scen = pd.read_excel(report, sheet_name="Scenarios", engine="openpyxl").set_index("scenario")
    assert scen.loc["base", "total_cost"] == pytest.approx(10180, abs=1e-3)   # capex in both
    assert scen.loc["BAN", "total_cost"] == pytest.approx(10450, abs=1e-3)


def test_a_scenario_may_delay_the_project(make_workbook):
    """Two years, 30 t a year, the mine option decided in 2025 or 2026 (lead 0 as the
    workbook stands, capex 10000). Scenario BAN (p 0.5): no CN, and the project is late
    (lead_time 1). Building in 2025: base 2 x 180 = 360; BAN: 2025 unmet 30000, 2026 450.
    E = 10000 + 0.5 x 360 + 0.5 x 30450 = 25405. Not building: 0.5 x 360 + 0.5 x 60000 =
    30180. Building in 2026: base 360; BAN 60000 (online 2027, past the horizon): worse.
    RP = 25405, built in 2025."""
    sheets = dict(WORKBOOK)
    sheets["Settings"] = WORKBOOK["Settings"].replace("last_period,2025", "last_period,2026")
    sheets["Demand"] = """
        demand_id,site_id,material_id,period,quantity
        D1,BUYER,OX,2025,30
        D2,BUYER,OX,2026,30
    """
    sheets["ScenarioChanges"] = WORKBOOK["ScenarioChanges"] + "BAN,Investments,MINE_X,lead_time,set,1\n"
    rc, info, report = run(risk_command, make_workbook(sheets), "solve")
    assert rc == 0 and info["RP"] == pytest.approx(25405, rel=1e-6)
    com = pd.read_excel(report, sheet_name="Commitments", engine="openpyxl")
    built = com[(com["kind"] == "invest") & (com["decision"] > 0)]
    assert list(zip(built["id"], built["period"], built["decision"])) == [("MINE_X", 2025, 1)]


def test_frontier_shows_the_investment(make_workbook):
    wb = make_workbook(WORKBOOK)
    rc, info, report = run(frontier_command, wb, "frontier")
    assert rc == 0
    port = pd.read_excel(report, sheet_name="FrontierPortfolio", engine="openpyxl")
    assert "invest" in set(port["kind"])


@pytest.mark.parametrize("engine", ["lshaped", "ph"])
def test_decomposed_engines_share_the_investment(make_workbook, engine):
    """The same workbook through mpi-sppy: the investment is a nonanticipative variable,
    so both engines find RP = 10315 (build in 2025) as the extensive form does."""
    wb = make_workbook(WORKBOOK)
    out, js = wb.with_name(f"{engine}.xlsx"), wb.with_name(f"{engine}.json")
    a = arguments("solve", workbook=str(wb), output=str(out), summary_json=str(js), quiet=True,
                  engine=engine, gap=1e-6, no_value=True)
    rc = risk_command(a)
    info = json.loads(js.read_text())
    assert rc == 0 and info["status"] == "optimal", info
    assert info["objective"] == pytest.approx(10315, rel=1e-4)
    com = pd.read_excel(out, sheet_name="Commitments", engine="openpyxl")
    assert com.loc[com["kind"] == "invest", "decision"].tolist() == [1]
