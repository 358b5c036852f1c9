"""Issue 12, "No silent wrong answer": input the reader or the checks could
take more than one way (cases 5, 7, 9, 10 and 11). Each case is refused or
reported, never guessed in silence."""

import openpyxl
import pytest

from conftest import BASE_SHEETS, write_workbook
from model.cli import EXIT_INPUT, EXIT_OK, EXIT_VERIFY_FAILED, main


def _cli(capsys, *argv) -> tuple[int, str]:
    """The real ``sourcing`` entry point in-process: (exit code, stdout + stderr)."""
    capsys.readouterr()
    rc = main([str(a) for a in argv])
    out = capsys.readouterr()
    return rc, out.out + out.err


def _solve(wb, capsys, *args):
    return _cli(capsys, "solve", wb, "-o", _report_of(wb), *args)


def _report_of(wb):
    return wb.with_name(wb.stem + "_report.xlsx")


def _solved_report(tmp_path, capsys, sheets=None):
    """The base workbook (or ``sheets``) solved: (workbook, report)."""
    wb = write_workbook(tmp_path, sheets or BASE_SHEETS)
    rc, out = _solve(wb, capsys)
    assert rc == EXIT_OK, out
    return wb, _report_of(wb)


def _set_cell(report, sheet: str, row: int, column: str, value) -> None:
    """Edit one cell of a report sheet, found by its header, as an analyst would."""
    book = openpyxl.load_workbook(report)
    ws = book[sheet]
    header = [c.value for c in ws[1]]
    ws.cell(row, header.index(column) + 1).value = value
    book.save(report)


# -- case 7: two sheets that are one sheet after trimming and case-folding ----

@pytest.mark.unit
def test_case7_sheets_equal_after_trim_and_casefold_are_refused(tmp_path, capsys):
    # "Supply" offers 100 t at 10/t; "supply " (trailing space) offers the
    # same at 5/t. Either could be meant: the reader must not pick one.
    sheets = dict(BASE_SHEETS)
    sheets["supply "] = """
        offer_id,site_id,material_id,capacity,unit_cost
        MINE_OX,MINE,OX,100,5
    """
    wb = write_workbook(tmp_path, sheets)
    before = wb.read_bytes()
    rc, out = _solve(wb, capsys)
    assert rc == EXIT_INPUT, out
    assert 'sheets "Supply" and "supply " have the same name' in out
    assert "Traceback" not in out
    assert wb.read_bytes() == before


@pytest.mark.component
def test_report_sheets_equal_after_folding_cannot_be_verified(tmp_path, capsys):
    wb, report = _solved_report(tmp_path, capsys)
    book = openpyxl.load_workbook(report)
    book.copy_worksheet(book["Purchases"]).title = "purchases "
    book.save(report)
    rc, out = _cli(capsys, "verify", wb, report)
    assert rc == EXIT_INPUT, out
    assert 'sheets "Purchases" and "purchases " have the same name' in out


@pytest.mark.component
def test_report_summary_key_given_twice_cannot_be_verified(tmp_path, capsys):
    wb, report = _solved_report(tmp_path, capsys)
    book = openpyxl.load_workbook(report)
    ws = book["Summary"]
    first = next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == "objective")
    ws.append(["objective", 1.0])
    book.save(report)
    rc, out = _cli(capsys, "verify", wb, report)
    assert rc == EXIT_INPUT, out
    assert f"gives objective twice (rows {first} and {ws.max_row})" in out


@pytest.mark.component
@pytest.mark.parametrize("row,column,value,code,expected", [
    # a second quantity_t column: which one holds the plan?
    (1, "capacity_t", "quantity_t", EXIT_INPUT, "Purchases sheet of the report {report} has "
                                                "two columns named quantity_t"),
    # the plan buys 30 t; "3_0" is not read as 30 t (Python's float() would take it)
    (2, "quantity_t", "3_0", EXIT_VERIFY_FAILED, 'Purchases row 2: quantity_t "3_0" is not a '
                                                 'number'),
])
def test_edited_report_cells_are_not_guessed(tmp_path, capsys, row, column, value, code,
                                             expected):
    wb, report = _solved_report(tmp_path, capsys)
    _set_cell(report, "Purchases", row, column, value)
    rc, out = _cli(capsys, "verify", wb, report)
    assert rc == code, out
    assert expected.format(report=report) in out


# -- case 9: NaN, infinity and commas in numbers --------------------------------

@pytest.mark.unit
def test_case9_guessed_numbers_are_refused_or_reported(tmp_path, capsys):
    # Written as CSV and turned into a workbook by `sourcing from-csv`, as the
    # example is. Before: NaN was written as an empty number cell and read as
    # the default cost 0, "6,6" was read as 66 t and "0,6" as 6 t.
    sheets = dict(BASE_SHEETS)
    sheets["Supply"] = """
        offer_id,site_id,material_id,capacity,unit_cost
        MINE_OX,MINE,OX,100,NaN
        A,MINE,OX,"6,6",10
        B,MINE,OX,"0,6",10
        C,MINE,OX,inf,10
        D,MINE,OX,"1,234",10
        E,MINE,OX,"1.234,5",10
    """
    wb = write_workbook(tmp_path, sheets)
    rc, out = _solve(wb, capsys)
    assert rc == EXIT_INPUT, out
    for text in ('Supply row 2, unit_cost "NaN": is not a number (NaN)',
                 'Supply row 3, capacity "6,6": has a decimal comma: write 6.6 if that is meant',
                 'Supply row 4, capacity "0,6": has a decimal comma: write 0.6 if that is meant',
                 'Supply row 5, capacity "inf": is not a finite number',
                 'Supply row 6, capacity "1,234": is ambiguous: 1234 with a thousands separator '
                 'or 1.234 with a decimal comma',
                 'Supply row 7, capacity "1.234,5": has a decimal comma: write 1234.5'):
        assert text in out, f"{text!r} not in:\n{out}"
    assert "Traceback" not in out


@pytest.mark.component
def test_case9_a_number_read_from_text_is_reported_with_the_value_used(tmp_path, capsys):
    # "1,250.5" can only be 1250.5 (a point after three-digit groups), and
    # "1,000,000" only a million: read, and the warning says the value used.
    # Demand 30 t of OX: 30 x (unit_cost 10 + freight 5) = 450.
    sheets = dict(BASE_SHEETS)
    sheets["Supply"] = """
        offer_id,site_id,material_id,capacity,unit_cost
        MINE_OX,MINE,OX,"1,250.5",10
    """
    sheets["Settings"] = """
        key,value
        first_period,2025
        last_period,2025
        unmet_penalty,"1,000,000"
    """
    wb = write_workbook(tmp_path, sheets)
    rc, out = _solve(wb, capsys)
    assert rc == EXIT_OK, out
    assert 'Supply row 2, capacity "1,250.5": is a number stored as text (read as 1250.5)' in out
    assert ('Settings row 4, value "1,000,000": unmet_penalty: is a number stored as text '
            '(read as 1000000)') in out
    assert "optimal: total 450.00 USD (discounted), all demand met" in out


def _with_cell_xml(path, cell: str, xml: str) -> None:
    """Rewrite one cell of the Supply sheet's XML in place, as another program
    would have written it (openpyxl cannot write these)."""
    import re
    import zipfile
    from model.read.scan import sheet_paths
    with zipfile.ZipFile(path) as z:
        member = sheet_paths(z)["Supply"][0]
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    text = parts[member].decode()
    text, n = re.subn(rf'<c r="{cell}"[^>]*?(/>|>.*?</c>)', xml, text, count=1)
    assert n == 1
    parts[member] = text.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


@pytest.mark.unit
@pytest.mark.parametrize("xml,expected", [
    # a number cell holding NaN: python-calamine reads it as float NaN
    ('<c r="E2"><v>NaN</v></c>', "Supply row 2, unit_cost nan: is not a number (NaN)"),
    ('<c r="E2" t="n"><v>-inf</v></c>', "Supply row 2, unit_cost -inf: is not a finite number"),
    # what openpyxl writes for float('nan'): a number cell with an empty value
    ('<c r="E2" t="n"><v /></c>', "Supply row 2, unit_cost: is a number cell with no value"),
])
def test_case9_nan_number_cells_are_refused(tmp_path, capsys, xml, expected):
    wb = write_workbook(tmp_path, BASE_SHEETS)
    _with_cell_xml(wb, "E2", xml)
    rc, out = _solve(wb, capsys)
    assert rc == EXIT_INPUT, out
    assert expected in out


SCENARIOS = {
    "Scenarios": """
        scenario_id,description
        UP,freight up
        MORE,more capacity
    """,
}


@pytest.mark.unit
def test_scenario_values_are_read_by_the_same_rule(tmp_path, capsys):
    # Before: the factor "1,5" scaled freight by 15, and "1,250.5" was used
    # without a word.
    sheets = dict(BASE_SHEETS, **SCENARIOS)
    sheets["ScenarioChanges"] = """
        scenario_id,sheet,id,column,op,value
        UP,Lanes,L1,unit_cost,scale,"1,5"
        MORE,Supply,MINE_OX,capacity,set,"1,250.5"
    """
    wb = write_workbook(tmp_path, sheets)
    rc, out = _cli(capsys, "validate", wb)
    assert rc == EXIT_INPUT, out
    assert ('ScenarioChanges row 2, value "1,5": scale factor has a decimal comma: '
            'write 1.5 if that is meant') in out
    assert ('ScenarioChanges row 3, value "1,250.5": for Supply.capacity: is a number stored '
            'as text (read as 1250.5)') in out


# -- case 10: every problem at once, each once ----------------------------------

FIVE_ERRORS = dict(BASE_SHEETS, **SCENARIOS)
FIVE_ERRORS.update({
    "Settings": """
        key,value
        first_period,2025
        last_period,2025
        discount_rate,-0.05
    """,
    "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost
        MINE_OX,MINE,OX,100,-10
        SPARE,MINE,OX,lots,10
    """,
    "Lanes": """
        lane_id,from_site,to_site,material_id,unit_cost
        L1,MINE,BUYER,OX,-5
        L2,MINE,NOWHERE,OX,5
    """,
    "ScenarioChanges": """
        scenario_id,sheet,id,column,op,value
        UP,Lanes,L9,unit_cost,scale,2
        MORE,Supply,SPARE,capacity,set,200
    """,
})
# read stage: discount_rate, capacity "lots"; checks: two negative costs and
# an unknown site; scenarios: a change that addresses no row.
SIX_PROBLEMS = (
    "Settings row 4, value -0.05: discount_rate must be >= 0",
    'Supply row 3, capacity "lots": expected a number',
    "Supply row 2, unit_cost -10: must not be negative",
    "Lanes row 2, unit_cost -5: must not be negative",
    'Lanes row 3, to_site "NOWHERE": no such site in Sites',
    'ScenarioChanges row 2, id "L9": addresses no row of Lanes',
)


@pytest.mark.unit
def test_case10_every_problem_at_once(tmp_path, capsys):
    wb = write_workbook(tmp_path, FIVE_ERRORS)
    rc, out = _solve(wb, capsys)
    assert rc == EXIT_INPUT, out
    assert "6 problems in the input" in out
    for text in SIX_PROBLEMS:
        assert text in out, f"{text!r} not in:\n{out}"


@pytest.mark.unit
def test_case10_a_problem_of_every_scenario_is_reported_once(tmp_path, capsys):
    # Before: each check's problem once per scenario. UP cannot be applied
    # (L9), so base and MORE are checked; the read and scenario problems
    # belong to the file and name no scenario.
    wb = write_workbook(tmp_path, FIVE_ERRORS)
    rc, out = _cli(capsys, "validate", wb)
    assert rc == EXIT_INPUT, out
    assert "6 problems in the input" in out
    for text in SIX_PROBLEMS[2:5]:
        assert out.count(text) == 1, out
        assert f'{text} [every scenario: "base", "MORE"]' in out
    for text in SIX_PROBLEMS[:2] + SIX_PROBLEMS[5:]:
        assert out.count(text) == 1, out


@pytest.mark.unit
@pytest.mark.parametrize("command", [("compare", "--all", "-o", "cmp.xlsx"),
                                     ("solve", "--risk", "-o", "risk.xlsx")])
def test_every_command_lists_every_problem_once(tmp_path, capsys, command):
    # compare used to stop at the reader, then print each check's problem once
    # per scenario solved; the risk solve stopped at the reader, then at the
    # checks of the workbook as it stands.
    wb = write_workbook(tmp_path, FIVE_ERRORS)
    name, *rest = command
    rc, out = _cli(capsys, name, wb, *[str(tmp_path / a) if a.endswith(".xlsx") else a
                                      for a in rest])
    assert rc == EXIT_INPUT, out
    for text in SIX_PROBLEMS:
        assert out.count(text) == 1, f"{text!r} not once in:\n{out}"


# -- case 11: verify what the report holds, whatever its status says -----------

@pytest.mark.component
@pytest.mark.parametrize("status", ["infeasible", "error", "unbounded"])
def test_case11_verify_checks_the_plan_whatever_the_status_says(tmp_path, capsys, status):
    # The base plan buys 30 t (capacity 100). Its Summary status is edited to
    # say there is no solution, and the purchase to 150 t: the verifier used to
    # print "no solution to check" and exit 0.
    wb, report = _solved_report(tmp_path, capsys)
    book = openpyxl.load_workbook(report)
    ws = book["Summary"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "status")
    row[1].value = status
    book.save(report)
    _set_cell(report, "Purchases", 2, "quantity_t", 150)
    rc, out = _cli(capsys, "verify", wb, report)
    assert rc == EXIT_VERIFY_FAILED, out
    assert (f'Summary status "{status}" says there is no solution, but the report holds a plan '
            "(Purchases 1 row, Shipments 1 row, Demand 1 row): the plan is checked") in out
    assert "bought 150 t > capacity 100 t" in out
    assert "no solution to check" not in out


# -- case 5: a recipe loop that creates material ----------------------------------

LOOP = {
    "Materials": """
        material_id,name,reference_price,disposal_cost
        OX,oxide,1000,0
        SB2S3,antimony trisulfide,1000,0
    """,
    "Processes": """
        process_id,site_id,capacity,unit_cost
        DOUBLE,BUYER,1000,1
        BACK,BUYER,1000,1
    """,
    # DOUBLE turns 1 t OX into 2 t SB2S3, BACK 1 t SB2S3 back into 1 t OX
    "Recipes": """
        process_id,material_id,input,output
        DOUBLE,OX,1,
        DOUBLE,SB2S3,,2
        BACK,SB2S3,1,
        BACK,OX,,1
    """,
}


@pytest.mark.component
def test_case5_mass_creating_recipe_loop_is_warned(tmp_path, capsys):
    # Without the loop the 30 t of OX cost 30 x (10 + 5) = 450. With it, D
    # runs of DOUBLE and B of BACK at BUYER need B = D + 30 (OX) and 2D >= B
    # (SB2S3), so D >= 30 with nothing bought: cost D + B = 2D + 30, least at
    # D = 30: 90. The loop makes 30 t of OX from nothing; the solve goes on
    # (legal input) but says so, naming the rows.
    wb = write_workbook(tmp_path, dict(BASE_SHEETS, **LOOP))
    rc, out = _solve(wb, capsys)
    assert rc == EXIT_OK, out
    assert "optimal: total 90.00 USD (discounted), all demand met" in out
    warning = ("Recipes row 2: recipe loop creates material: OX -> SB2S3 (DOUBLE: 2 t per t), "
               "SB2S3 -> OX (BACK: 1 t per t); 1 t of OX comes back as 2 t (Recipes rows "
               "2, 3, 4, 5; processes DOUBLE, BACK)")
    assert warning in out
    report = openpyxl.load_workbook(_report_of(wb))["Warnings"]
    assert any(warning.split(": ", 1)[1] in str(c.value) for r in report.iter_rows() for c in r)


def _recipe_warnings(tmp_path, recipes: str, processes: str | None = None,
                     about: str = "recipe loop") -> list[str]:
    from model.read.workbook import read_workbook
    from model.validate import validate
    sheets = dict(BASE_SHEETS, **LOOP)
    sheets["Materials"] = LOOP["Materials"] + "    LACE,La/Ce oxide,0,0\n"
    sheets["Recipes"] = "process_id,material_id,input,output\n" + recipes
    if processes:
        sheets["Processes"] = "process_id,site_id,capacity,unit_cost,enabled\n" + processes
    return [str(p) for p in validate(read_workbook(write_workbook(tmp_path, sheets))).warnings
            if about in p.message]


@pytest.mark.unit
@pytest.mark.parametrize("recipes,processes,gains", [
    # a loop that gives back what it takes (1 x 1), or less (0.9 x 1): no warning
    ("DOUBLE,OX,1,\nDOUBLE,SB2S3,,1\nBACK,SB2S3,1,\nBACK,OX,,1", None, []),
    ("DOUBLE,OX,1.111,\nDOUBLE,SB2S3,,1\nBACK,SB2S3,1,\nBACK,OX,,1.111", None, []),
    ("DOUBLE,OX,1,\nDOUBLE,SB2S3,,0.9\nBACK,SB2S3,1,\nBACK,OX,,1", None, []),
    # 1 t OX -> 0.5 t SB2S3 -> (x 2.5) 1.25 t OX: gain 1.25
    ("DOUBLE,OX,2,\nDOUBLE,SB2S3,,1\nBACK,SB2S3,0.4,\nBACK,OX,,1", None, ["1.25"]),
    # through a co-product: DOUBLE's second output LACE is not on the loop
    ("DOUBLE,OX,1,\nDOUBLE,SB2S3,,1.5\nDOUBLE,LACE,,3\nBACK,SB2S3,1,\nBACK,OX,,1", None,
     ["1.5"]),
    # the loop is broken when BACK is disabled
    ("DOUBLE,OX,1,\nDOUBLE,SB2S3,,2\nBACK,SB2S3,1,\nBACK,OX,,1",
     "DOUBLE,BUYER,1000,1,TRUE\nBACK,BUYER,1000,1,FALSE", []),
    # three steps: 1 t OX -> 1 t SB2S3 -> 1 t LACE -> 1.2 t OX
    ("DOUBLE,OX,1,\nDOUBLE,SB2S3,,1\nBACK,SB2S3,1,\nBACK,LACE,,1\nTHIRD,LACE,1,\nTHIRD,OX,,1.2",
     "DOUBLE,BUYER,10,1,TRUE\nBACK,BUYER,10,1,TRUE\nTHIRD,BUYER,10,1,TRUE", ["1.2"]),
])
def test_case5_loop_gain_rule(tmp_path, recipes, processes, gains):
    found = _recipe_warnings(tmp_path, recipes, processes)
    assert [w.split("comes back as ")[1].split(" t")[0] for w in found] == gains, found


@pytest.mark.unit
def test_process_without_input_is_warned(tmp_path):
    # BACK makes OX out of nothing: a loop of unbounded gain on its own.
    found = _recipe_warnings(tmp_path, "DOUBLE,OX,1,\nDOUBLE,SB2S3,,1\nBACK,OX,,1", about="no input")
    assert found == ["Recipes row 4, input: process BACK has outputs but no input (Recipes rows 4):"
                     " each run makes material from nothing; primary production is a Supply offer"]


@pytest.mark.unit
def test_capacity_profile_id_of_two_rows_is_refused(tmp_path, capsys):
    # Offer X and lane X share an id: the profile used to cut both to 10 t.
    sheets = dict(BASE_SHEETS,
                  Supply="offer_id,site_id,material_id,capacity,unit_cost\nX,MINE,OX,100,10",
                  Lanes="lane_id,from_site,to_site,material_id,unit_cost\nX,MINE,BUYER,OX,5",
                  CapacityProfile="id,period,capacity\nX,2025,10")
    rc, out = _solve(write_workbook(tmp_path, sheets), capsys)
    assert rc == EXIT_INPUT, out
    assert ('CapacityProfile row 2, id "X": names Supply row 2 and Lanes row 2: it is not clear '
            'whose capacity it overrides') in out
