"""Contract v1.2 as data (no solve): Profiles per period, ScenarioChanges on rows
and on Profiles (section 1, clarification 7.4), floors and caps (section 2),
period_years (section 5)."""

import pytest

from model.data.model_data import prepare
from model.run import load

pytestmark = pytest.mark.unit

SHEETS = {
    "Settings": "key,value\nfirst_period,2025\nlast_period,2027\nunmet_penalty,1000\n"
                "discount_rate,0.1\nperiod_years,0.5",
    "Supply": "offer_id,site_id,material_id,capacity,unit_cost,price_floor\n"
              "MINE_OX,MINE,OX,100,10,15",
    "Inventory": "site_id,material_id,initial_stock,holding_cost\nBUYER,OX,0,2",
    "Profiles": """
        sheet,id,column,period,value
        Supply,MINE_OX,unit_cost,2026,40
        Inventory,BUYER|OX,holding_cost,2027,5
        Supply,MINE_OX,capacity,2027,
    """,
    "Scenarios": "scenario_id,description\nSET,set\nALL,scale every row\nPATH,path",
    "ScenarioChanges": """
        scenario_id,sheet,id,column,op,value
        SET,Supply,MINE_OX,unit_cost,set,30
        ALL,Supply,*,unit_cost,scale,2
        ALL,Inventory,BUYER,holding_cost,scale,3
        PATH,Profiles,Supply|MINE_OX|unit_cost,value,scale,0.5
        PATH,Profiles,Inventory|BUYER|OX|holding_cost|2027,value,set,
    """,
}


def _data(make_workbook, scenario=None):
    wb, changes, _ = load(make_workbook(SHEETS), scenario)
    return prepare(wb), changes


def _prices(data):
    return dict(zip(data.offers["period"], data.offers["unit_cost"]))


def test_profiles_floor_and_period_years(make_workbook):
    data, _ = _data(make_workbook)
    # 2025: max(10, 15) = 15; 2026: profiled 40; 2027: 15 again
    assert _prices(data) == {2025: 15, 2026: 40, 2027: 15}
    assert data.offers["cap"].tolist()[:2] == [100, 100] and data.offers["cap"].isna().tolist()[2]
    assert dict(zip(data.stock["period"], data.stock["holding"])) == {2025: 2, 2026: 2, 2027: 5}
    # half-year periods: 1/1.1^0.5 and 1/1.1^1
    assert data.delta[2026] == pytest.approx(1.1 ** -0.5)
    assert data.delta[2027] == pytest.approx(1 / 1.1)


def test_set_keeps_the_profile_and_scale_moves_it(make_workbook):
    data, changes = _data(make_workbook, "SET")
    assert _prices(data) == {2025: 30, 2026: 40, 2027: 30}      # the 2026 override stays
    assert [c.sheet for c in changes] == ["Supply"]
    data, changes = _data(make_workbook, "ALL")
    # scale 2 of every row: cell 20 (floor 15 no longer binds), path 80; holding x3
    assert _prices(data) == {2025: 20, 2026: 80, 2027: 20}
    assert dict(zip(data.stock["period"], data.stock["holding"])) == {2025: 6, 2026: 6, 2027: 15}
    assert sorted(c.sheet for c in changes) == ["Inventory", "Profiles", "Profiles", "Supply"]


def test_changes_that_address_profiles(make_workbook):
    data, changes = _data(make_workbook, "PATH")
    # the path of unit_cost (one row, 2026) halved: 20; the 2027 holding cost blank: 0
    assert _prices(data) == {2025: 15, 2026: 20, 2027: 15}
    assert dict(zip(data.stock["period"], data.stock["holding"])) == {2025: 2, 2026: 2, 2027: 0}
    assert {c.id for c in changes} == {"Supply|MINE_OX|unit_cost|2026",
                                       "Inventory|BUYER|OX|holding_cost|2027"}
