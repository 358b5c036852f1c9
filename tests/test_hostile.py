"""Hostile and messy workbooks: never a traceback, never a silent zero.
Each case is a real .xlsx made here; the CLI must exit 2 with a message that
names the place, or solve with a warning where the content is legal."""

import shutil
import zipfile

import openpyxl
import pytest
from openpyxl.worksheet.table import Table

from conftest import solve_cli
from model.cli import main


def edit(path, fn):
    book = openpyxl.load_workbook(path)
    fn(book)
    book.save(path)
    return path


def refused(path, capsys, *fragments):
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    for fragment in fragments:
        assert fragment in err, err
    assert "Traceback" not in err


@pytest.mark.unit
def test_formula_without_cached_value(make_workbook, capsys):
    path = edit(make_workbook(), lambda b: b["Supply"].__setitem__("D2", "=50*2"))
    refused(path, capsys, "Supply row 2, capacity", "formula with no saved value")


@pytest.mark.unit
def test_error_cell(make_workbook, capsys):
    path = edit(make_workbook(), lambda b: b["Demand"].__setitem__("E2", "#N/A"))
    refused(path, capsys, 'Demand row 2, quantity "#N/A"', "Excel error value")


@pytest.mark.unit
def test_merged_cells(make_workbook, capsys):
    def merge(book):
        ws = book["Sites"]
        ws.append(["X", "x", "XCo", "US", "mine"])
        ws.merge_cells("C2:C3")
    refused(edit(make_workbook(), merge), capsys, "Sites row 2, company", "merged cells")


@pytest.mark.unit
def test_date_where_a_year_is_expected(make_workbook, capsys):
    import datetime as dt
    path = edit(make_workbook(), lambda b: b["Demand"].__setitem__("D2", dt.datetime(2025, 1, 1)))
    refused(path, capsys, "Demand row 2, period", "a date where a year is expected (write 2025)")


@pytest.mark.component
def test_hidden_sheet_numbers_as_text_and_trailing_spaces_warn_but_solve(make_workbook):
    def messy(book):
        book["Lanes"].sheet_state = "hidden"
        book["Supply"]["D2"] = "100"            # a number stored as text
        book["Supply"]["B2"] = "MINE  "         # trailing spaces in an id
    path = edit(make_workbook(), messy)
    s = solve_cli(path)
    assert s.rc == 0 and s.objective == pytest.approx(450)
    warnings = " | ".join(s.table("Warnings")["message"].astype(str))
    assert "hidden" in warnings and "stored as text" in warnings and "spaces" in warnings


@pytest.mark.component
def test_excel_table_and_xlsm_are_read(make_workbook, tmp_path):
    def tableize(book):
        book["Supply"].add_table(Table(displayName="SupplyTable", ref="A1:E2"))
    path = edit(make_workbook(), tableize)
    xlsm = tmp_path / "macro.xlsm"
    shutil.copy(path, xlsm)
    assert solve_cli(path).objective == pytest.approx(450)
    assert solve_cli(xlsm).objective == pytest.approx(450)


def _rezip(src, dst, replace: dict):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = replace.get(item.filename, zin.read(item.filename))
            zout.writestr(item, data)


@pytest.mark.unit
def test_billion_laughs_is_refused(make_workbook, tmp_path, capsys):
    src = make_workbook()
    with zipfile.ZipFile(src) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{i} "{"&lol{};".format(i - 1 if i > 1 else "") * 10}">'
                      for i in range(1, 10)) + "]>")
    evil = tmp_path / "evil.xlsx"
    _rezip(src, evil, {"xl/worksheets/sheet1.xml": bomb + xml.split("?>", 1)[-1]})
    refused(evil, capsys, "unsafe or damaged workbook XML")


@pytest.mark.unit
def test_zip_bomb_is_refused_before_parsing(make_workbook, tmp_path, capsys):
    src = make_workbook()
    bomb = tmp_path / "bomb.xlsx"
    shutil.copy(src, bomb)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as z:
        with z.open("xl/media/padding.bin", "w", force_zip64=True) as handle:
            chunk = b"\0" * (1 << 20)
            for _ in range(210):
                handle.write(chunk)
    refused(bomb, capsys, "possible zip bomb")


@pytest.mark.unit
def test_report_never_overwrites_the_input(make_workbook, capsys):
    path = make_workbook()
    before = path.read_bytes()
    assert main(["solve", str(path), "-o", str(path)]) == 2
    assert "refusing to write the report over the input" in capsys.readouterr().err
    assert path.read_bytes() == before


@pytest.mark.component
def test_unwritable_report_path_is_a_clear_message(make_workbook, capsys):
    path = make_workbook()
    rc = main(["solve", str(path), "-o", str(path.parent / "no_such_dir" / "r.xlsx")])
    assert rc == 2                   # a bad argument, refused before the solve (issue 12, case 14)
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.component
def test_input_is_never_modified(make_workbook):
    path = make_workbook()
    before = path.read_bytes()
    solve_cli(path)
    assert path.read_bytes() == before
