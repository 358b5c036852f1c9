"""Issue 13, "Defaults once": each setting's valid range lives in the schema
(``model/schema.py``, ``Setting.range``); the reader and scenario changes check
it, and the template and the README guide print it from the same place. A
blank or untypeable cell holds its column's default: code downstream never
re-applies a default."""

import re
from pathlib import Path

import openpyxl
import pytest

from conftest import BASE_SHEETS
from model.cli import main
from model.commands.template import build_template
from model.exit_codes import EXIT_INPUT
from model.read.workbook import read_workbook
from model.schema import SETTING_BY_KEY, SETTINGS, SHEET_BY_NAME, Range

pytestmark = pytest.mark.unit


def _cli(capsys, *argv) -> tuple[int, str]:
    capsys.readouterr()
    rc = main([str(a) for a in argv])
    out = capsys.readouterr()
    return rc, out.out + out.err


OUT_OF_RANGE = dict(BASE_SHEETS, Settings="""
    key,value
    first_period,2025
    last_period,2025
    unmet_penalty,1000
    cvar_alpha,1.5
    mip_gap,-1
    period_years,0
    base_probability,2
    risk_weight,0
""")


def test_every_setting_out_of_range_is_one_message_naming_row_column_and_value(
        make_workbook, capsys):
    # rows: header 1, first_period 2, last_period 3, unmet_penalty 4, cvar_alpha 5,
    # mip_gap 6, period_years 7, base_probability 8, risk_weight 9 (0: in range)
    rc, out = _cli(capsys, "validate", make_workbook(OUT_OF_RANGE))
    assert rc == EXIT_INPUT == 2, out
    expected = (
        "Settings row 5, value 1.5: cvar_alpha must be at least 0 and below 1 "
        "(e.g. 0.95: the worst 5% of outcomes)",
        "Settings row 6, value -1: mip_gap must be >= 0",
        "Settings row 7, value 0: period_years must be above 0 (the length of one period in years)",
        "Settings row 8, value 2: base_probability must be between 0 and 1 (it is a probability)",
    )
    for text in expected:
        assert out.count(text) == 1, f"{text!r} not once in:\n{out}"   # all at once, each once
    assert "4 problems in the input" in out, out
    assert "risk_weight" not in out and "Traceback" not in out


def test_a_solve_refuses_the_same_workbook_with_exit_2(make_workbook, capsys):
    wb = make_workbook(OUT_OF_RANGE)
    rc, out = _cli(capsys, "solve", wb, "-o", wb.with_name("r.xlsx"))
    assert rc == 2 and "cvar_alpha must be at least 0 and below 1" in out


def test_the_ends_of_a_range_are_open_or_closed_as_the_schema_says(make_workbook, capsys):
    # cvar_alpha 0 and base_probability 1 are closed ends (valid); cvar_alpha 1 and
    # period_years 0 are open ends (invalid): two separate workbooks
    ok = dict(BASE_SHEETS, Settings="key,value\nfirst_period,2025\nlast_period,2025\n"
              "cvar_alpha,0\nbase_probability,1\nperiod_years,0.25")
    assert _cli(capsys, "validate", make_workbook(ok, name="ok.xlsx"))[0] == 0
    bad = dict(BASE_SHEETS, Settings="key,value\nfirst_period,2025\nlast_period,2025\n"
               "cvar_alpha,1")
    rc, out = _cli(capsys, "validate", make_workbook(bad, name="bad.xlsx"))
    assert rc == 2 and "Settings row 4, value 1: cvar_alpha must be" in out


def test_a_scenario_that_sets_a_setting_out_of_range_is_refused_at_its_row(make_workbook, capsys):
    # ScenarioChanges row 2 sets cvar_alpha 1 (open end), row 3 scales discount_rate 0.05 by -2
    sheets = dict(BASE_SHEETS, Settings="key,value\nfirst_period,2025\nlast_period,2025\n"
                  "discount_rate,0.05",
                  Scenarios="scenario_id,description\nBAD,out of range",
                  ScenarioChanges="""
                      scenario_id,sheet,id,column,op,value
                      BAD,Settings,cvar_alpha,value,set,1
                      BAD,Settings,discount_rate,value,scale,-2
                  """)
    rc, out = _cli(capsys, "validate", make_workbook(sheets))
    assert rc == 2, out
    assert "ScenarioChanges row 2, value 1: cvar_alpha must be at least 0 and below 1" in out
    assert "ScenarioChanges row 3, value -2: scales discount_rate to -0.1: discount_rate " \
           "must be >= 0" in out


def test_range_holds_and_reads_as_the_schema_declares():
    half_open = Range(0.0, 1.0, hi_open=True)
    assert half_open.holds(0) and half_open.holds(0.999) and not half_open.holds(1)
    assert not half_open.holds(-1e-9)
    assert half_open.text() == "at least 0 and below 1"
    assert Range(0.0, lo_open=True).text() == "above 0" and not Range(0.0, lo_open=True).holds(0)
    assert Range(0.0, 1.0).text() == "between 0 and 1" and Range(0.0, 1.0).holds(1)
    whole = Range(0.0, whole=True)
    assert whole.text() == "a whole number >= 0" and whole.holds(3) and not whole.holds(2.5)
    assert SHEET_BY_NAME["Investments"].column("max_units").range == whole
    assert SHEET_BY_NAME["Policies"].column("value").range == Range(0.0, 1.0)
    assert SETTING_BY_KEY["cvar_alpha"].range == half_open
    assert SETTING_BY_KEY["cvar_alpha"].problem(0.95) is None
    assert SETTING_BY_KEY["currency"].range is None


def test_readme_guide_shows_every_setting_range():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    for s in SETTINGS:
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{s.key}` |"))
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[4] == (s.range.text() if s.range else ""), row
    assert "| `cvar_alpha` | number |  | 0.95 | at least 0 and below 1 |" in readme


def test_template_checks_and_explains_each_setting_range():
    wb = build_template()
    ws = wb["Settings"]
    checks = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    rows = {ws.cell(row=i, column=1).value: i for i in range(2, 2 + len(SETTINGS))}
    alpha = checks[f"B{rows['cvar_alpha']}"]
    b = f"B{rows['cvar_alpha']}"
    assert alpha.type == "custom" and alpha.formula1 == f"AND(ISNUMBER({b}),{b}>=0,{b}<1)"
    gap = checks[f"B{rows['mip_gap']}"]
    assert (gap.type, gap.operator, gap.formula1) == ("decimal", "greaterThanOrEqual", "0")
    prob = checks[f"B{rows['base_probability']}"]
    assert (prob.type, prob.operator, prob.formula1, prob.formula2) == ("decimal", "between",
                                                                       "0", "1")
    assert f"B{rows['currency']}" not in checks                    # text: no range
    note = ws.cell(row=rows["cvar_alpha"], column=1).comment.text
    assert "valid: at least 0 and below 1" in note
    guide = "\n".join(str(v) for row in wb["Guide"].iter_rows(values_only=True) for v in row
                      if v is not None)
    assert "at least 0 and below 1" in guide and "a whole number >= 0" in guide
    inv = wb["Investments"]
    letter = openpyxl.utils.get_column_letter(
        SHEET_BY_NAME["Investments"].column_names.index("max_units") + 1)
    units = next(dv for dv in inv.data_validations.dataValidation
                 if str(dv.sqref).startswith(letter + "2"))
    assert (units.type, units.operator, units.formula1) == ("whole", "greaterThanOrEqual", "0")


def test_an_untypeable_cell_reads_as_its_default_not_none(make_workbook):
    # Supply row 2 unit_cost "cheap" (default 0): an error, and the table holds the
    # default, so no later check needs `or 0.0`
    sheets = dict(BASE_SHEETS)
    sheets["Supply"] = re.sub(r"(MINE_OX,MINE,OX,\d+),\d+", r"\1,cheap", BASE_SHEETS["Supply"])
    assert "cheap" in sheets["Supply"]
    wb = read_workbook(make_workbook(sheets), raise_errors=False)
    assert [(p.sheet, p.row, p.column) for p in wb.problems.errors] == [("Supply", 2, "unit_cost")]
    assert wb.tables["Supply"]["unit_cost"].tolist()[0] == 0.0
    assert {k: wb.settings[k] for k in ("mip_gap", "cvar_alpha", "currency")} == \
        {"mip_gap": 1e-4, "cvar_alpha": 0.95, "currency": "USD"}     # not in the sheet: defaults


def _defaulted_names() -> set[str]:
    """Names of settings and columns that always hold a value once read: a default wherever
    the name is used (not Demand's unmet_penalty, whose blank means the setting's); not the
    TRUE/FALSE columns, where `or` is logic."""
    from model.schema import BOOL, SHEETS
    has: dict[str, set] = {}
    for item in (*SETTINGS, *(c for sheet in SHEETS for c in sheet.columns if c.type != BOOL)):
        has.setdefault(getattr(item, "key", None) or item.name, set()).add(
            item.default is not None)
    return {name for name, flags in has.items() if flags == {True}}


def test_no_code_re_applies_a_default_the_reader_fills():
    # `settings.get("mip_gap") or 1e-4`, `rec["unit_cost"] or 0.0`, `v["fixed_cost"] or 0`:
    # each turns a legitimate 0 into the default where the default is not 0, and each
    # is a second home of the default. The reader fills them (model/read/workbook.py).
    names = "|".join(sorted(_defaulted_names()))
    pattern = re.compile(rf"""(\[|get\()["']({names})["'](\]|\)) or """)
    root = Path(__file__).resolve().parents[1]
    found = []
    for path in sorted((root / "model").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        for i, line in enumerate(path.read_text().splitlines(), start=1):
            if pattern.search(line) and "summary.get(" not in line:     # not a report's own dict
                found.append(f"{rel}:{i}: {line.strip()}")
    assert {"mip_gap", "unit_cost", "currency"} <= _defaulted_names()
    assert not {"capacity", "unmet_penalty", "first_period"} & _defaulted_names()
    assert found == [], "\n".join(found)


def test_a_row_ending_in_period_0_is_active_in_period_0_only(make_workbook):
    # contract v1.2, 7.2: period 0 is a period. `last_period or horizon end` read a
    # last_period of 0 as blank (the row ran to the end of the horizon 0..2); the one
    # definition (validate/rules.active_periods) tests `is None`.
    from model.data.model_data import prepare
    from model.validate.rules import active_periods
    sheets = dict(BASE_SHEETS,
                  Settings="key,value\nfirst_period,0\nlast_period,2\nunmet_penalty,1000",
                  Supply="offer_id,site_id,material_id,capacity,unit_cost,first_period,last_period\n"
                         "EARLY,MINE,OX,100,10,,0\nLATE,MINE,OX,100,12,0,",
                  Demand="demand_id,site_id,material_id,period,quantity\nD1,BUYER,OX,1,30")
    data = prepare(read_workbook(make_workbook(sheets)))
    periods = data.offers.groupby("offer")["period"].apply(list).to_dict()
    assert periods == {"EARLY": [0], "LATE": [0, 1, 2]}
    assert active_periods({"first_period": 0, "last_period": None}, [0, 1, 2]) == [0, 1, 2]
    assert active_periods({"first_period": None, "last_period": 0}, [0, 1, 2]) == [0]
