"""One broken workbook per validation rule: exit code 2, and a message that
names the sheet, the Excel row, the column and the value."""

import pytest

from conftest import solve_cli
from model.cli import main


SUPPLY_HEAD = "offer_id,site_id,material_id,capacity,unit_cost,first_period,last_period"

CASES = {
    "unknown site": ({"Supply": f"""
        {SUPPLY_HEAD}
        MINE_OX,MINE ,OX,100,10,,
        X,NOWHERE,OX,100,10,,
    """}, 'Supply row 3, site_id "NOWHERE": no such site in Sites'),
    "unknown material": ({"Demand": """
        demand_id,site_id,material_id,period,quantity
        D1,BUYER,OXX,2025,30
    """}, 'Demand row 2, material_id "OXX": no such material in Materials (did you mean "OX"?)'),
    "unknown offer in profile": ({"CapacityProfile": """
        id,period,capacity
        MINE_OXX,2025,50
    """}, 'CapacityProfile row 2, id "MINE_OXX": no such offer, process or lane'),
    "unknown process in recipe": ({"Processes": """
        process_id,site_id,capacity
        P,MINE,10
    """, "Recipes": """
        process_id,material_id,input,output
        P,OX,,1
        Q,OX,,1
    """}, 'Recipes row 3, process_id "Q": no such process in Processes'),
    "duplicate id": ({"Supply": f"""
        {SUPPLY_HEAD}
        MINE_OX,MINE,OX,100,10,,
        MINE_OX,MINE,OX,50,12,,
    """}, 'Supply row 3, offer_id "MINE_OX": duplicate id (also in row 2)'),
    "negative capacity": ({"Supply": f"""
        {SUPPLY_HEAD}
        MINE_OX,MINE,OX,-100,10,,
    """}, "Supply row 2, capacity -100: must not be negative"),
    "negative quantity": ({"Demand": """
        demand_id,site_id,material_id,period,quantity
        D1,BUYER,OX,2025,-30
    """}, "Demand row 2, quantity -30: must not be negative"),
    "first after last": ({"Supply": f"""
        {SUPPLY_HEAD}
        MINE_OX,MINE,OX,100,10,2027,2026
    """}, "Supply row 2, first_period 2027: is after last_period 2026"),
    "recipe without output": ({"Processes": """
        process_id,site_id,capacity
        P,MINE,10
    """, "Recipes": """
        process_id,material_id,input,output
        P,OX,2,
    """}, 'Processes row 2, process_id "P": recipe has no output'),
    "unknown measure": ({"ExportControls": """
        rule_id,exporter,material_id,importer,measure,value
        R1,AU,OX,US,embargo,
    """}, 'ExportControls row 2, measure "embargo": expected one of ban, quota, tariff'),
    "unknown policy kind": ({"Policies": """
        rule_id,kind,material_id,country,value
        P1,max_region_share,OX,AU,0.5
    """}, 'Policies row 2, kind "max_region_share": expected one of'),
    "share above 1": ({"Policies": """
        rule_id,kind,material_id,country,value
        P1,max_country_share,OX,AU,1.5
    """}, "Policies row 2, value 1.5: is a share; expected a value between 0 and 1"),
    "scenario change addressing nothing": ({"Scenarios": """
        scenario_id,description
        S1,typo
    """, "ScenarioChanges": """
        scenario_id,sheet,id,column,op,value
        S1,Supply,MINE_0X,capacity,scale,0
    """}, 'ScenarioChanges row 2, id "MINE_0X": addresses no row of Supply (did you mean "MINE_OX"?)'),
    "scenario change on an unknown column": ({"Scenarios": """
        scenario_id,description
        S1,typo
    """, "ScenarioChanges": """
        scenario_id,sheet,id,column,op,value
        S1,Supply,MINE_OX,capacty,set,5
    """}, 'ScenarioChanges row 2, column "capacty": no such column in Supply (did you mean "capacity"?)'),
    "text where a number belongs": ({"Supply": f"""
        {SUPPLY_HEAD}
        MINE_OX,MINE,OX,lots,10,,
    """}, 'Supply row 2, capacity "lots": expected a number'),
    "lane to itself": ({"Lanes": """
        lane_id,from_site,to_site,material_id,unit_cost
        L1,MINE,MINE,OX,5
    """}, 'Lanes row 2, to_site "MINE": a lane must join two different sites'),
    "min above max stock": ({"Inventory": """
        site_id,material_id,initial_stock,holding_cost,min_stock,max_stock
        BUYER,OX,0,1,50,10
    """}, "Inventory row 2, min_stock 50: is above max_stock 10"),
    "quota without value": ({"ExportControls": """
        rule_id,exporter,material_id,importer,measure,value
        R1,AU,OX,US,quota,
    """}, "ExportControls row 2, value: a quota needs a value"),
    "min share without country": ({"Policies": """
        rule_id,kind,material_id,country,value
        P1,min_country_share,OX,,0.5
    """}, "Policies row 2, country: min_country_share needs a country"),
    "horizon reversed": ({"Settings": """
        key,value
        first_period,2026
        last_period,2025
    """}, "Settings row 2, value 2026: first_period is after last_period"),
}


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.unit
def test_validate_and_solve_refuse_with_sheet_row_column(name, make_workbook, capsys):
    overrides, expected = CASES[name]
    path = make_workbook(overrides)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert expected in err, err
    solved = solve_cli(path)
    assert solved.rc == 2
    assert expected in solved.summary["message"]
    assert solved.report.exists()       # the report is written even for invalid input


@pytest.mark.unit
def test_every_problem_is_reported_at_once(make_workbook, capsys):
    path = make_workbook({"Supply": f"""
        {SUPPLY_HEAD}
        MINE_OX,NOWHERE,OX,-1,10,2027,2026
        B,MINE,XX,5,1,,
    """})
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "4 problems" in err
    for fragment in ('row 2, site_id "NOWHERE"', "row 2, capacity -1", "row 2, first_period 2027",
                     'row 3, material_id "XX"'):
        assert fragment in err


@pytest.mark.component
def test_disabled_rows_are_absent_and_unchecked(make_workbook):
    path = make_workbook({"Supply": f"""
        {SUPPLY_HEAD},enabled
        MINE_OX,MINE,OX,100,10,,,
        OLD,GONE_SITE,OX,100,1,,,FALSE
    """})
    solved = solve_cli(path)
    assert solved.rc == 0 and solved.status == "optimal"
    assert abs(solved.objective - 30 * 15) < 1e-6     # OLD (cost 1) is not used: it is absent


@pytest.mark.unit
def test_unknown_scenario_and_toggle_are_input_errors(make_workbook):
    path = make_workbook()
    assert solve_cli(path, "--scenario", "nope").rc == 2
    assert solve_cli(path, "--disable", "NOPE").rc == 2


@pytest.mark.component
def test_demand_outside_the_horizon_is_a_warning_not_a_refusal(make_workbook):
    # the contract: a row active in no period of the horizon gets a warning, never a refusal
    path = make_workbook({"Demand": """
        demand_id,site_id,material_id,period,quantity
        D1,BUYER,OX,2025,30
        D2,BUYER,OX,2031,30
    """})
    solved = solve_cli(path)
    assert solved.rc == 0 and solved.objective == 450          # D2 is ignored: 30 t at 15
    warnings = " | ".join(solved.table("Warnings")["message"].astype(str))
    assert "outside the horizon 2025-2025: the row is ignored" in warnings
