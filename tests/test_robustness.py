"""The robustness view: what each choice of the plan costs to undo, and which
choices are ties. Hand-worked cases."""

from __future__ import annotations

import pytest

from conftest import BASE_SHEETS, write_workbook
from model.analysis.robustness import robustness
from model.whatif.session import Session

pytestmark = pytest.mark.component

SITES = """
    site_id,name,company,country,kind
    A,Mine A,ACo,AU,mine
    B,Mine B,BCo,CA,mine
    C,Mine C,CCo,BR,mine
    BUYER,Buyer,BuyCo,US,customer
"""
LANES = """
    lane_id,from_site,to_site,material_id,unit_cost
    LA,A,BUYER,OX,5
    LB,B,BUYER,OX,5
    LC,C,BUYER,OX,5
"""


def table(tmp_path, supply):
    wb = write_workbook(tmp_path, {**BASE_SHEETS, "Sites": SITES, "Lanes": LANES, "Supply": supply})
    r = robustness(Session(wb))
    return r, r.table.set_index("id")


def test_two_equal_suppliers_are_a_tie(tmp_path):
    # A and B both deliver at 10 + 5 = 15/t; demand 30: objective 450 whichever is chosen.
    r, t = table(tmp_path, """
        offer_id,site_id,material_id,capacity,unit_cost
        A_OX,A,OX,100,10
        B_OX,B,OX,100,10
    """)
    assert r.objective == pytest.approx(450)
    chosen = t[t["used"]].index.tolist()
    assert len(chosen) == 1 and chosen[0] in ("A_OX", "B_OX")
    other = ({"A_OX", "B_OX"} - set(chosen)).pop()
    assert t.loc[chosen[0], "cost_change"] == pytest.approx(0, abs=1e-6)
    assert t.loc[chosen[0], "interchangeable"]
    assert t.loc[chosen[0], "alternatives"] == other
    assert t.loc[other, "test"] == "forced in (1 t)"
    assert t.loc[other, "interchangeable"]          # forcing it in costs nothing either


def test_cheap_supplier_is_a_finding_not_a_tie(tmp_path):
    # A: 20 t at 10 + 5 = 15/t; B: 20 + 5 = 25/t; C: 30 + 5 = 35/t, unused. Demand 30.
    # plan: A 20, B 10 -> 20 x 15 + 10 x 25 = 550.
    # A out: 30 from B = 750 (+200). B out: A 20, C 10 -> 300 + 350 = 650 (+100).
    # C in (1 t instead of 1 t of B): +35 - 25 = +10.
    r, t = table(tmp_path, """
        offer_id,site_id,material_id,capacity,unit_cost
        A_OX,A,OX,20,10
        B_OX,B,OX,100,20
        C_OX,C,OX,100,30
    """)
    assert r.objective == pytest.approx(550)
    assert t.loc["A_OX", "activity"] == pytest.approx(20)
    assert t.loc["A_OX", "cost_change"] == pytest.approx(200)
    assert t.loc["A_OX", "alternatives"] == "B_OX"
    assert t.loc["B_OX", "cost_change"] == pytest.approx(100)
    assert t.loc["B_OX", "alternatives"] == "C_OX"
    assert t.loc["C_OX", "cost_change"] == pytest.approx(10)
    assert t.loc["A_OX", "change_share"] == pytest.approx(200 / 550)
    assert not t["interchangeable"].any()
    assert r.ties.empty


def test_forcing_in_respects_the_minimum_quantity(tmp_path):
    # C has min_quantity 5 (a fixed cost of 0 but a binary): forced in at 5 t instead of
    # 5 t of B: 5 x (35 - 25) = +50.
    r, t = table(tmp_path, """
        offer_id,site_id,material_id,capacity,unit_cost,min_quantity
        A_OX,A,OX,20,10,
        B_OX,B,OX,100,20,
        C_OX,C,OX,100,30,5
    """)
    assert t.loc["C_OX", "test"] == "forced in (5 t)"
    assert t.loc["C_OX", "cost_change"] == pytest.approx(50)


def test_solve_robustness_sheet_and_dashboard_say_tie(tmp_path):
    import openpyxl

    from model.cli import main
    wb = write_workbook(tmp_path, {**BASE_SHEETS, "Sites": SITES, "Lanes": LANES, "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost
        A_OX,A,OX,100,10
        B_OX,B,OX,100,10
    """})
    out = tmp_path / "r.xlsx"
    assert main(["solve", str(wb), "-o", str(out), "--robustness", "-q"]) == 0
    book = openpyxl.load_workbook(out)
    rows = list(book["Robustness"].values)
    head = rows[0]
    assert {r[head.index("id")] for r in rows[1:] if r[head.index("interchangeable")]} == \
        {"A_OX", "B_OX"}
    dash = [c for row in book["Dashboard"].values for c in row if isinstance(c, str)]
    assert any(c.startswith("These choices are ties, not recommendations: 1 of the 1") for c in dash)
    plain = tmp_path / "plain.xlsx"
    assert main(["solve", str(wb), "-o", str(plain), "-q"]) == 0
    dash = [c for row in openpyxl.load_workbook(plain)["Dashboard"].values for c in row
            if isinstance(c, str)]
    assert any("Run with --robustness" in c for c in dash)

