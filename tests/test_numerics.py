"""Issue 12, cases 1 and 12: numbers so large that HiGHS's answer cannot be
trusted are refused or warned about, cell by cell, before the solve; the
canonical pass never returns a plan that costs more than the optimum it was
given; the verifier's money tolerance is relative to the objective, never to
the largest cost coefficient (docs/model.md "Numbers the solver can trust",
docs/verification.md "Tolerances").
"""

from __future__ import annotations

import shutil
import textwrap

import pandas as pd
import pytest

from conftest import REPO, solve_cli, write_workbook
from model.cli import main
from model.read.from_csv import csv_folder_to_workbook
from model.verify import verify_tables

EXAMPLE_CSV = REPO / "inputs" / "example"


def example_with(tmp_path, name: str, edit) -> "Path":  # noqa: F821
    """The example's CSV folder copied to tmp_path, one sheet edited by
    ``edit(sheet_name, text) -> text``, turned into a workbook."""
    src = tmp_path / f"csv_{name}"
    shutil.copytree(EXAMPLE_CSV, src)
    for path in src.glob("*.csv"):
        path.write_text(edit(path.stem, path.read_text()))
    out = tmp_path / f"{name}.xlsx"
    csv_folder_to_workbook(src, out)
    return out


def price_of_mp_conc(value: str):
    """Supply row 2 of the example (offer MP_CONC, 50,000 t/period at 6,600/t)."""
    def edit(sheet: str, text: str) -> str:
        if sheet != "Supply":
            return text
        old = "MP_CONC,MP_MTNPASS,RE_CONC,50000,6600,"
        assert old in text
        return text.replace(old, f"MP_CONC,MP_MTNPASS,RE_CONC,50000,{value},")
    return edit


def run_cli(capsys, *argv: str) -> tuple[int, str]:
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out + out.err


# ----------------------------------------------------------------- case 1

@pytest.mark.regression
def test_case1_huge_cost_plan_keeps_the_optimum(tmp_path):
    """MP_CONC at 1e17 USD/t. Unmet demand costs at most 1.5e6 USD/t in the
    example, so buying a single tonne of MP_CONC can never pay: the optimum is
    the optimum of the example with MP_CONC switched off, and its plan must
    cost that optimum (the bug: a plan leaving 24,650 of 24,850 t unmet whose
    cost recomputes to 9.8e9 while the Summary says 1.417e9, "verified")."""
    huge = solve_cli(example_with(tmp_path, "huge", price_of_mp_conc("1e17")))
    off = solve_cli(example_with(tmp_path, "off", lambda s, t: t), "--disable", "MP_CONC")
    assert huge.rc == 0 and huge.status == "optimal", huge.summary["message"]
    assert off.rc == 0 and off.status == "optimal"
    # both are MIPs solved to a relative gap of 1e-4
    assert huge.objective == pytest.approx(off.objective, rel=1e-4)
    # the plan in the report costs what the Summary says (CostByCategory is
    # recomputed from the plan's decisions)
    plan_cost = huge.table("CostByCategory")["discounted_cost"].sum()
    assert plan_cost == pytest.approx(huge.objective, rel=1e-6)
    assert huge.table("Purchases").query("offer_id == 'MP_CONC'")["quantity_t"].sum() == 0
    assert huge.summary["unmet_demand_t"] == pytest.approx(off.summary["unmet_demand_t"], abs=1e-4)
    assert huge.summary["verification_ok"] is True


@pytest.mark.unit
def test_case1_verifier_money_tolerance_does_not_scale_with_the_largest_coefficient(make_workbook):
    """The base workbook (30 t of OX at BUYER; MINE sells at 10/t, freight 5/t;
    unmet penalty 1000/t) plus an offer nobody buys at 1e17/t. A plan that
    leaves the 30 t unmet costs 30 x 1000 = 30,000; a Summary claiming the
    optimum 30 x (10 + 5) = 450 for it must fail. Before: the rounding
    allowance grew to 1e17 x 0.5e-7 = 5e9 and swallowed the difference."""
    wb = make_workbook({"Supply": """
        offer_id,site_id,material_id,capacity,unit_cost
        MINE_OX,MINE,OX,100,10
        GOLD_OX,MINE,OX,100,1e17
    """})
    tables = {
        "Purchases": pd.DataFrame({"offer_id": [], "period": [], "quantity_t": []}),
        "ProcessRuns": pd.DataFrame({"process_id": [], "period": [], "runs": []}),
        "Shipments": pd.DataFrame({"lane_id": [], "material_id": [], "period": [],
                                   "quantity_t": []}),
        "Stock": pd.DataFrame({"site_id": [], "material_id": [], "period": [], "stock_t": []}),
        "Demand": pd.DataFrame({"excel_row": [2], "met_t": [0.0], "unmet_t": [30.0]}),
        "Discards": pd.DataFrame({"site_id": [], "material_id": [], "period": [],
                                  "discarded_t": []}),
    }
    summary = {"status": "optimal", "objective": 450.0}
    verdict = verify_tables(wb, tables, summary, None)
    assert not verdict.ok
    assert verdict.objective_recomputed == pytest.approx(30_000)
    assert any("Summary objective 450 differs" in v for v in verdict.violations), verdict.violations
    # the same plan with its true cost verifies
    assert verify_tables(wb, tables, {"status": "optimal", "objective": 30_000.0}, None).ok


@pytest.mark.unit
def test_case1_canonical_check_rejects_a_costlier_or_broken_plan():
    """The check the canonical pass must pass before its plan replaces the
    first one. LP: min 1e17 a + 10 b + 1000 u  s.t.  b + u = 30 (demand:
    bought or unmet), 0 <= a, b <= 100, u >= 0. Optimum: b = 30, cost 300."""
    import highspy
    import numpy as np
    from model.solve.plan_check import departure

    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = 3, 1
    lp.col_cost_ = np.array([1e17, 10.0, 1000.0])
    lp.col_lower_ = np.zeros(3)
    lp.col_upper_ = np.array([100.0, 100.0, highspy.kHighsInf])
    lp.row_lower_ = lp.row_upper_ = np.array([30.0])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.array([0, 0, 1, 2], dtype=np.int32)
    lp.a_matrix_.index_ = np.array([0, 0], dtype=np.int32)
    lp.a_matrix_.value_ = np.array([1.0, 1.0])
    first = np.array([0.0, 30.0, 0.0])
    assert departure(lp, first, 300.0, first) == ""
    # all 30 t unmet: 30,000, not 300
    assert "costs 30,000.00, not the optimum 300.00" in departure(
        lp, np.array([0.0, 0.0, 30.0]), 300.0, first)
    # b = 20, u = 0.1 costs 200 + 100 = 300, the optimum, but covers only 20.1
    # of the 30 t: the demand row is broken by 9.9 t, 9.9 / 30 = 0.33 relative
    short = np.array([0.0, 20.0, 0.1])
    assert "breaks a row or bound by 0.33 (relative)" in departure(lp, short, 300.0, first)
