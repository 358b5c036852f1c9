"""Issue 12, "No silent wrong answer": input the reader or the checks could
take more than one way (cases 5, 7, 9, 10 and 11). Each case is refused or
reported, never guessed in silence."""

import openpyxl
import pytest

from conftest import BASE_SHEETS, write_workbook
from model.cli import EXIT_INPUT, EXIT_OK, main


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
def test_report_column_given_twice_cannot_be_verified(tmp_path, capsys):
    wb, report = _solved_report(tmp_path, capsys)
    book = openpyxl.load_workbook(report)
    ws = book["Purchases"]
    header = [c.value for c in ws[1]]
    ws.cell(1, header.index("capacity_t") + 1).value = "quantity_t"
    book.save(report)
    rc, out = _cli(capsys, "verify", wb, report)
    assert rc == EXIT_INPUT, out
    assert "Purchases sheet of the report" in out and "two columns named quantity_t" in out
