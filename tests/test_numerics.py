"""Issue 12, cases 1 and 12: numbers so large that HiGHS's answer cannot be
trusted are refused or warned about, cell by cell, before the solve; the
canonical pass never returns a plan that costs more than the optimum it was
given; the verifier's money tolerance is relative to the objective, never to
the largest cost coefficient (docs/model.md "Numbers the solver can trust",
docs/verification.md "Tolerances").
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import REPO, solve_cli, with_cn
from model.cli import main
from model.read.from_csv import csv_folder_to_workbook
from model.verify import verify_tables

EXAMPLE_CSV = REPO / "inputs" / "example"


def example_with(tmp_path, name: str, edit) -> Path:
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


def refused(capsys, wb, *args: str) -> str:
    """`sourcing solve` on wb: exit 2, no traceback; the printed text."""
    rc, text = run_cli(capsys, "solve", str(wb), "-o", str(wb.with_name("r.xlsx")), "-q", *args)
    assert rc == 2, text
    assert "Traceback" not in text
    return text


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
    # ... and the report says the number is suspicious, naming the cell
    warnings = huge.table("Warnings")
    hit = warnings[(warnings["sheet"] == "Supply") & (warnings["row"] == 2)
                   & (warnings["column"] == "unit_cost")]
    assert len(hit) == 1 and float(hit["value"].iloc[0]) == 1e17


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


# ----------------------------------------------------------------- case 12

@pytest.mark.unit
def test_case12_huge_demand_quantity_names_the_cell(make_workbook, capsys):
    """Demand quantity 1e308: HiGHS reads any bound of 1e20 or more as
    infinite, so this row cannot be solved as written. Exit 2, naming the
    cell (Demand row 2, quantity), no traceback."""
    wb = make_workbook({"Demand": """
        demand_id,site_id,material_id,period,quantity
        D1,BUYER,OX,2025,1e308
    """})
    assert "Demand row 2, quantity 1e+308" in refused(capsys, wb)


@pytest.mark.unit
def test_case12_scale_of_1e12_names_the_cell(make_workbook, capsys):
    """A scenario scaling the capacity 50,000 of Supply row 2 (an offer with a
    minimum quantity, so its capacity is a coefficient of `buy <= cap * use`)
    by 1e12 gives 5e16 t: HiGHS refuses coefficients of 1e15 or more. Exit 2,
    naming the cell and the scenario, no traceback."""
    wb = make_workbook({
        "Supply": """
            offer_id,site_id,material_id,capacity,unit_cost,min_quantity
            MINE_OX,MINE,OX,50000,10,5
        """,
        "Scenarios": """
            scenario_id,description
            BIG,capacity x 1e12
        """,
        "ScenarioChanges": """
            scenario_id,sheet,id,column,op,value
            BIG,Supply,MINE_OX,capacity,scale,1e12
        """,
    })
    text = refused(capsys, wb, "--scenario", "BIG")
    assert "Supply row 2, capacity 5e+16" in text and 'scenario "BIG"' in text


# ------------------------------------------- the same class: numbers HiGHS cannot take

@pytest.mark.unit
@pytest.mark.parametrize("price", ["1e20", "1e308"])
def test_a_cost_highs_reads_as_infinite_is_refused(make_workbook, capsys, price):
    """HiGHS reads a cost of 1e20 or more as infinite (it fixed MP_CONC at 0 and
    the canonical pass then returned a plan 8.4e9 over the optimum). Refused,
    naming the cell, with the way to rule an offer out."""
    wb = make_workbook({"Supply": f"""
        offer_id,site_id,material_id,capacity,unit_cost
        MINE_OX,MINE,OX,100,10
        GOLD_OX,MINE,OX,100,{price}
    """})
    text = refused(capsys, wb)
    assert f"Supply row 3, unit_cost {float(price):g}" in text
    assert "enabled to FALSE" in text


@pytest.mark.unit
def test_a_tariff_made_of_two_cells_is_screened(make_workbook, capsys):
    """tariff_rate 1e12 (a fraction of reference_price) on a lane carrying OX,
    whose reference_price is 1e9: 1e12 x 1e9 = 1e21 per t, beyond 1e20. Each
    cell alone is only a warning; together they are refused, naming both."""
    wb = make_workbook({
        "Materials": """
            material_id,name,reference_price,disposal_cost
            OX,oxide,1e9,0
        """,
        "Lanes": """
            lane_id,from_site,to_site,material_id,unit_cost,tariff_rate
            L1,MINE,BUYER,OX,5,1e12
        """,
    })
    text = refused(capsys, wb)
    assert "Lanes row 2, tariff_rate 1000000000000: times the reference_price 1e+09 of OX " \
           "(Materials row 2) plus the freight 5 makes 1e+21 per t" in text


@pytest.mark.unit
def test_a_price_plus_a_reservation_cost_is_screened(make_workbook, capsys):
    """unit_cost 6e19 + reservation_cost 6e19 = 1.2e20 per t (a deterministic
    solve charges both). Before: HiGHS read it as infinite and, with a stock
    floor that forces a purchase, ended "HiGHS: Unknown", exit 1."""
    wb = make_workbook({
        "Supply": """
            offer_id,site_id,material_id,capacity,unit_cost,reservation_cost
            MINE_OX,MINE,OX,100,6e19,6e19
        """,
        "Inventory": """
            site_id,material_id,min_stock
            MINE,OX,10
        """,
    })
    text = refused(capsys, wb)
    assert "Supply row 2, unit_cost 6e+19: plus the reservation_cost 6e+19 makes 1.2e+20 per t" \
        in text


@pytest.mark.unit
def test_what_only_the_model_adds_up_is_named_before_highs_sees_it(make_workbook, capsys):
    """conftest.CN: CNX in China sells OX; lane L2 to BUYER. Freight 6e19 on L2 plus a Chinese export tariff of 1 x
    the reference_price 6e19: 1.2e20 per t on the shipment, read as infinite by
    HiGHS. Each cell is only a warning and the sum depends on which rules
    cover which lane, so the last check before HiGHS names the decision."""
    wb = make_workbook(with_cn(
        Materials="""
            material_id,name,reference_price,disposal_cost
            OX,oxide,6e19,0
        """,
        Lanes="""
            lane_id,from_site,to_site,material_id,unit_cost
            L1,MINE,BUYER,OX,5
            L2,CNX,BUYER,,6e19
        """,
        ExportControls="""
            rule_id,exporter,material_id,importer,measure,value
            T,CN,OX,US,tariff,1
        """))
    rc, text = run_cli(capsys, "solve", str(wb), "-o", str(wb.with_name("r.xlsx")))
    assert rc == 1, text
    assert "cost 1.2e+20 of ship[L2, OX, 2025]" in text
    assert "Traceback" not in text


@pytest.mark.unit
def test_a_discount_rate_that_overflows_is_refused(make_workbook, capsys):
    """discount_rate 1e12 over 2025-2060: (1 + 1e12)^35 = 1e420 overflows a
    double (before: OverflowError, exit 1). Refused, naming the setting."""
    wb = make_workbook({"Settings": """
        key,value
        first_period,2025
        last_period,2060
        unmet_penalty,1000
        discount_rate,1e12
    """})
    text = refused(capsys, wb)
    assert "Settings row 5, value 1000000000000: discount_rate makes the discount factor of " \
           "2060 smaller than a double can hold" in text


@pytest.mark.unit
def test_a_discount_factor_below_1e_9_is_a_warning(make_workbook, capsys):
    """discount_rate 100 over 2025-2030: 1 / 101^5 = 9.5e-11, so a cost in
    2030 weighs 1e10 times less than in 2025: a warning, and the workbook is
    still valid."""
    wb = make_workbook({"Settings": """
        key,value
        first_period,2025
        last_period,2030
        unmet_penalty,1000
        discount_rate,100
    """})
    rc, text = run_cli(capsys, "validate", str(wb))
    assert rc == 0, text
    assert "warning: Settings row 5, value 100: discount_rate makes the discount factor of " \
           "2030 9.51e-11" in text
