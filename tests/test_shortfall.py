"""Unmet demand no decision can close is told apart from unmet demand left by choice
(issue 17, item 7): the Dashboard says plainly which is which."""

from __future__ import annotations

import openpyxl
import pytest

from conftest import solve_cli, write_workbook
from model.cli import main

pytestmark = pytest.mark.component

# One year. A can be bought 5 t at most (10/t) against 8 t of demand (penalty 1,000/t):
# no plan meets more than 5, so 3 t cannot be closed. B can be bought freely at 500/t
# against 4 t of demand whose penalty is 100/t: meeting it costs more than leaving it,
# so its 4 t are left unmet by choice (a plan could meet all of it: least shortfall 0).
# Objective: 5 x 10 + 3 x 1,000 + 4 x 100 = 3,450.
SHEETS = {
    "Settings": """
        key,value
        first_period,2025
        last_period,2025
    """,
    "Materials": """
        material_id,name,reference_price,disposal_cost
        A,a,0,0
        B,b,0,0
    """,
    "Sites": """
        site_id,name,company,country,kind
        S,Site,Co,US,customer
    """,
    "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost
        A_BUY,S,A,5,10
        B_BUY,S,B,100,500
    """,
    "Demand": """
        demand_id,site_id,material_id,period,quantity,unmet_penalty
        DA,S,A,2025,8,1000
        DB,S,B,2025,4,100
    """,
}


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gap")
    s = solve_cli(write_workbook(folder, SHEETS, "gap.xlsx"), "--html", str(folder / "gap.html"))
    s.html = (folder / "gap.html").read_text(encoding="utf-8")
    s.workbook = folder / "gap.xlsx"
    assert s.status == "optimal" and s.objective == pytest.approx(3450)
    return s


def test_the_shortfall_sheet_splits_the_gap_from_the_choice(solved):
    t = solved.table("Shortfall").set_index("material_id")
    assert t.loc["A", "unmet_t"] == pytest.approx(3)
    assert t.loc["A", "unclosable_t"] == pytest.approx(3)
    assert t.loc["A", "closable_t"] == pytest.approx(0)
    assert t.loc["B", "unmet_t"] == pytest.approx(4)
    assert t.loc["B", "unclosable_t"] == pytest.approx(0)
    assert t.loc["B", "closable_t"] == pytest.approx(4)


def test_the_dashboard_says_which_gap_cannot_be_closed(solved):
    ws = openpyxl.load_workbook(solved.report)["Dashboard"]
    unmet, gap = ([str(c.value) for c in row if c.value] for row in ws.iter_rows(min_row=6, max_row=7))
    assert unmet[0].startswith("Unmet: ") and len(gap) == 1     # the gap: a line of its own
    text = gap[0]
    assert "Cannot be closed with the options in this workbook: 3 t A at S." in text
    assert "Could be met, at a higher total cost (dearer supply, or other demand left short): " \
           "4 t B at S." in text
    assert solved.summary["unclosable"].startswith("Cannot be closed")


def test_the_web_page_says_it_too(solved):
    assert "Cannot be closed with the options in this workbook: 3 t A at S." in solved.html


def test_the_terminal_says_it_on_a_third_line(solved, capsys):
    assert main(["solve", str(solved.workbook), "-o", str(solved.workbook.with_name("t.xlsx"))]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "unmet: 4 t B at S, 2025; 3 t A at S, 2025"
    assert out[2].startswith("Cannot be closed with the options in this workbook: 3 t A at S.")
