"""Contract v1.2 input checks (sections 1, 2, 3, 5 and clarifications 7.1, 7.3,
7.4, 7.6): every problem at once, each naming sheet, Excel row, column and value.
No solve."""

import pytest

from model.cli import main
from model.validate.scenarios import check_workbook

pytestmark = pytest.mark.unit

BROKEN = {
    "Settings": """
        key,value
        first_period,2025
        last_period,2026
        period_years,0
    """,
    "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost,fixed_cost,price_floor,price_cap
        MINE_OX,MINE,OX,100,10,,5,20
        FREE_OX,MINE,OX,,10,7,,
    """,
    "CapacityProfile": "id,period,capacity\nMINE_OX,2026,50",
    "Profiles": """
        sheet,id,column,period,value
        Supply,MINE_OX,capacity,2026,60
        Supply,MINE_OX,unit_cost,2025,11
        supply,MINE_OX,UNIT_COST,2025,12
        Supply,NOPE,unit_cost,2025,1
        Processes,MINE_OX,unit_cost,2025,1
        Supply,MINE_OX,tariff_rate,2025,1
        Supply,MINE_OX,unit_cost,2031,1
        Supply,MINE_OX,price_cap,2026,30
    """,
    "Scenarios": "scenario_id,description\nSQUEEZE,floor above cap\nGHOST,no such path",
    "ScenarioChanges": """
        scenario_id,sheet,id,column,op,value
        SQUEEZE,Supply,MINE_OX,price_floor,set,25
        GHOST,Profiles,Supply|MINE_OX|price_cap|2030,value,set,1
    """,
}


def found(problems, sheet, row, column):
    return [p for p in problems if (p.sheet, p.row, p.column) == (sheet, row, column)]


def test_every_v12_problem_at_once(make_workbook):
    _, problems = check_workbook(make_workbook(BROKEN))
    errors, warnings = problems.errors, problems.warnings
    assert found(errors, "Settings", 4, "value")                          # period_years 0
    # Profiles row 2: 60 against CapacityProfile's 50 for MINE_OX in 2026
    assert "CapacityProfile row 2" in found(errors, "Profiles", 2, "value")[0].message
    assert "duplicate" in found(errors, "Profiles", 4, "period")[0].message   # rows 3 and 4
    assert found(errors, "Profiles", 5, "id")[0].value == "NOPE"
    assert found(errors, "Profiles", 6, "id")[0].value == "MINE_OX"       # not a process
    assert "cannot be profiled on Supply" in found(errors, "Profiles", 7, "column")[0].message
    assert found(warnings, "Profiles", 8, "period")[0].value == 2031      # outside: a warning
    # FREE_OX: blank capacity with a fixed cost (7.1)
    assert "blank (unlimited)" in found(errors, "Supply", 3, "capacity")[0].message
    # SQUEEZE: floor 25 above the cap 20 in 2025 (in 2026 the Profiles cap 30 holds)
    squeeze = [p for p in found(errors, "Supply", 2, "price_floor") if "SQUEEZE" in p.context]
    assert squeeze and "in 2025" in squeeze[0].message and "2026" not in squeeze[0].message
    # GHOST's change addresses no Profiles row (a change never creates one)
    assert found(errors, "ScenarioChanges", 3, "id")
    assert not [p for p in errors if p.sheet == "Supply" and "SQUEEZE" not in p.context
                and p.column == "price_floor"]                          # base: 5 <= 20


def test_validate_command_lists_them_and_exits_2(make_workbook, capsys):
    assert main(["validate", str(make_workbook(BROKEN))]) == 2
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Profiles row 5" in text and "NOPE" in text and "Supply row 3" in text


def test_template_has_profiles_drop_downs_and_sales():
    from model.commands.template import build_template
    wb = build_template()
    ws = wb["Profiles"]
    assert [c.value for c in ws[1]] == ["sheet", "id", "column", "period", "value"]
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["A2"] == "list_profiled_sheets" and lists["C2"] == "list_profiled_columns"
    sheets = [wb["Lists"].cell(row=1, column=j).value for j in range(1, 15)]
    j = sheets.index("profiled sheet") + 1
    assert [wb["Lists"].cell(row=i, column=j).value for i in range(2, 8)] == \
        ["Supply", "Processes", "Lanes", "Materials", "Sales", "Inventory"]
    assert [c.value for c in wb["Sales"][1]][:5] == ["sale_id", "site_id", "material_id",
                                                     "price", "capacity"]


def test_profiles_values_are_screened_as_the_cell_they_override(make_workbook):
    # a price of 1e16 is large (warning) but a price; a capacity of 1e16 is refused
    # (1e15 or more: HiGHS refuses the coefficient); a price of 1e20 reads as infinite.
    _, problems = check_workbook(make_workbook({"Profiles": """
        sheet,id,column,period,value
        Supply,MINE_OX,unit_cost,2025,1e16
        Lanes,L1,capacity,2025,1e16
        Materials,OX,reference_price,2025,1e20
    """}))
    assert found(problems.warnings, "Profiles", 2, "value")
    assert not found(problems.errors, "Profiles", 2, "value")
    assert "Lanes.capacity" in found(problems.errors, "Profiles", 3, "value")[0].message
    assert "reads a cost of 1e20" in found(problems.errors, "Profiles", 4, "value")[0].message
