"""Reading: types, defaults, headers and blanks, straight from real .xlsx files."""

import datetime as dt

import openpyxl
import pytest

from model.problems import InputError
from model.read.cells import convert
from model.read.workbook import read_workbook
from model.schema import BOOL, COUNTRY, ID, NUMBER, PERIOD

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("raw,ctype,expected", [
    (2026.0, PERIOD, 2026), ("2026", PERIOD, 2026), (3, NUMBER, 3.0), ("1,250.5", NUMBER, 1250.5),
    ("yes", BOOL, True), ("No", BOOL, False), (1, BOOL, True), ("FALSE", BOOL, False),
    (" us ", COUNTRY, "US"), (12.0, ID, "12"), (" MP ", ID, "MP"),
])
def test_convert_accepts(raw, ctype, expected):
    value, error, _ = convert(raw, ctype)
    assert error is None and value == expected


@pytest.mark.parametrize("raw,ctype,fragment", [
    (dt.date(2026, 1, 1), PERIOD, "date where a year"), (2026.5, PERIOD, "whole year"),
    ("abc", NUMBER, "expected a number"), (True, NUMBER, "not TRUE/FALSE"),
    ("maybe", BOOL, "TRUE/FALSE"), ("USA", COUNTRY, "two-letter"),
])
def test_convert_rejects(raw, ctype, fragment):
    value, error, _ = convert(raw, ctype)
    assert value is None and fragment in error


def test_number_stored_as_text_is_read_with_a_warning():
    value, error, warn = convert("42", NUMBER)
    assert value == 42.0 and error is None and "stored as text" in warn


def test_headers_case_insensitive_defaults_and_blank_rows(make_workbook, tmp_path):
    path = make_workbook({"Supply": """
        OFFER_ID , Site_Id,material_id,CAPACITY,unit_cost,extra
        A,MINE,OX,100,10,zzz
        ,,,,,
        B,MINE,OX,50,,
    """})
    wb = read_workbook(path)
    supply = wb.tables["Supply"]
    assert supply["offer_id"].tolist() == ["A", "B"]
    assert supply["_row"].tolist() == [2, 4]            # blank row 3 skipped, rows keep Excel numbers
    assert supply["unit_cost"].tolist() == [10.0, 0.0]  # default
    assert supply["enabled"].tolist() == [True, True]
    assert any("unknown column" in str(p) and "extra" in str(p) for p in wb.problems.warnings)
    assert wb.settings["unmet_penalty"] == 1000 and wb.settings["currency"] == "USD"


def test_missing_required_sheet_and_column_are_all_reported(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Settings"
    ws.append(["key", "value"])
    ws.append(["first_period", 2025])
    sup = book.create_sheet("Supply")
    sup.append(["offer_id", "site_id", "material_id", "unit_cost"])
    path = tmp_path / "broken.xlsx"
    book.save(path)
    with pytest.raises(InputError) as info:
        read_workbook(path)
    text = info.value.render()
    for fragment in ("Materials: required sheet is missing", "Sites: required sheet",
                     "Demand: required sheet", "Supply row 1, capacity: required column",
                     "last_period is required"):
        assert fragment in text


def test_not_a_workbook(tmp_path):
    bad = tmp_path / "notes.xlsx"
    bad.write_text("hello")
    with pytest.raises(InputError, match="not a valid .xlsx"):
        read_workbook(bad)
    csv = tmp_path / "data.csv"
    csv.write_text("a,b\n")
    with pytest.raises(InputError, match="expected an .xlsx"):
        read_workbook(csv)
