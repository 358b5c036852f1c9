"""Contract v1.2 part 2, bad input: every problem of the Investments sheet and
Lanes lead_time at once, each naming sheet, Excel row, column and value (exit 2)."""

from __future__ import annotations

import pytest

from model.cli import main

pytestmark = pytest.mark.unit

HEAD = "investment_id,target_id,capacity,capex,lead_time,first_period,last_period,fixed_cost,max_units"


def test_every_investment_problem_at_once(make_workbook, capsys):
    path = make_workbook({
        "Processes": """
            process_id,site_id,capacity
            MINE_OX,MINE,10
        """,
        "Lanes": """
            lane_id,from_site,to_site,material_id,unit_cost,capacity,lead_time
            L1,MINE,BUYER,OX,5,,0.5
        """,
        "Investments": f"""
            {HEAD}
            A,MINE_OXX,10,1,,,,,
            B,MINE_OX,10,1,,,,,
            C,L1,10,1,,,,,
            D,L1,10,1,1.5,,,,2.5
            E,L1,10,1,,,,,-1
        """})
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    for fragment in (
            'Investments row 2, target_id "MINE_OXX": no offer_id, process_id or lane_id has '
            'this id (did you mean "MINE_OX"?)',
            'Investments row 3, target_id "MINE_OX": names rows in Processes and Supply',
            'Investments row 4, target_id "L1": lane L1 (Lanes row 2) has a blank capacity',
            "Investments row 5, lead_time 1.5: must be a whole number of periods",
            "Investments row 5, max_units 2.5: must be a whole number",
            "Investments row 6, max_units -1: must not be negative",
            "Lanes row 2, lead_time 0.5: must be a whole number of periods"):
        assert fragment in err, err
    assert "10 problems" in err, err    # the 9 above (rows 4-6 each an uncapped lane) + no Recipes


def test_lead_time_past_the_horizon_is_a_warning(make_workbook, capsys):
    # one-period horizon, lead 1: a unit would pay capex and add nothing
    path = make_workbook({"Investments": f"""
        {HEAD}
        MINE_X,MINE_OX,40,100,1,,,,
    """})
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert ("Investments row 2, lead_time 1: a unit decided at the earliest (2025) comes "
            "online in 2026, after the horizon ends in 2025") in out
