"""Issue 19: alike Demand rows are one model row, split back in the report.

Rows with the same site, material, period, penalty and segment enter the
model in exactly the same way; ``model.solve.demand_groups`` merges them
(quantity = the sum) and gives the group's met tonnes back to its rows in
sheet order. The cost and every total must be those of the row-by-row model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import near, solve_cli
from model.run import run
from model.solve import demand_groups

DEMAND = """
    demand_id,site_id,material_id,period,quantity,unmet_penalty
    D1,BUYER,OX,2025,60,
    D3,BUYER,OX,2025,40,2000
    D2,BUYER,OX,2025,30,
"""


@pytest.mark.unit
def test_split_fills_the_rows_of_a_group_in_sheet_order():
    rows = pd.DataFrame({"quantity": [5.0, 3.0, 2.0, 4.0]})
    groups = demand_groups.Groups(rows, np.array([0, 0, 1, 0]))
    # group 0 (rows 0, 1, 3: 5 + 3 + 4 t) has 6 t met: row 0 in full (5), row 1 gets 1, row 3 none;
    # group 1 (row 2: 2 t) has 1 t met
    assert demand_groups.split(np.array([6.0, 1.0]), groups).tolist() == [5.0, 1.0, 1.0, 0.0]


@pytest.mark.component
def test_alike_rows_merge_and_split_back_at_the_row_by_row_optimum(make_workbook, tmp_path):
    wb = make_workbook({"Demand": DEMAND})
    # Mine: 100 t at 10 + lane 5 = 15 per t. D3 (penalty 2000) is met in full (40 t);
    # the other 60 t go to D1 and D2 (penalty 1000, alike: one model row of 90 t).
    # 30 t stay unmet: 100 * 15 + 30 * 1000 = 31,500. In sheet order D1 (60 t) is met
    # in full and D2 (30 t) not at all.
    solved = solve_cli(wb)
    assert solved.rc == 0 and near(solved.objective, 31_500)
    dem = solved.table("Demand").set_index("demand_id")
    assert dem.loc["D1", "met_t"] == 60 and dem.loc["D1", "unmet_t"] == 0
    assert dem.loc["D2", "met_t"] == 0 and dem.loc["D2", "unmet_t"] == 30
    assert dem.loc["D3", "met_t"] == 40
    assert dem["excel_row"].tolist() == [2, 3, 4]            # every row, in sheet order
    merged, rowwise = run(wb), run(wb, merge_demand=False)
    assert len(merged.data.demand) == 2 and len(rowwise.data.demand) == 3
    assert merged.compiled.lp.num_col_ < rowwise.compiled.lp.num_col_
    assert near(merged.solution.objective, rowwise.solution.objective)
    for name in ("met_t", "unmet_t"):
        assert merged.tables["Demand"][name].sum() == rowwise.tables["Demand"][name].sum()


@pytest.mark.regression
def test_the_example_with_every_demand_row_in_two_halves_is_the_example(tmp_path):
    # Each Demand row of the example split into two alike rows (first 40 %, then
    # 60 %, own ids): the merged model is the example's model row for row, so the
    # objective is the baseline's exactly and every row pair adds up to the
    # example's met tonnes; the rules that follow the material (chain rules) and
    # the verifier see every half.
    import shutil
    import tomllib

    from conftest import REPO
    from model.read.from_csv import csv_folder_to_workbook
    src = tmp_path / "csv"
    shutil.copytree(REPO / "inputs" / "example", src)
    dem = pd.read_csv(src / "Demand.csv")
    first, second = dem.copy(), dem.copy()
    first["demand_id"] = dem["demand_id"] + "_A"
    second["demand_id"] = dem["demand_id"] + "_B"
    first["quantity"], second["quantity"] = dem["quantity"] * 0.4, dem["quantity"] * 0.6
    halves = pd.concat([first, second]).sort_index(kind="stable")    # A, B, A, B, ...
    halves.to_csv(src / "Demand.csv", index=False)
    wb = tmp_path / "halves.xlsx"
    csv_folder_to_workbook(src, wb)
    base = tomllib.loads((REPO / "tests" / "baselines" / "example" / "base.toml").read_text())
    solved = solve_cli(wb)
    assert solved.rc == 0 and solved.summary["verification_ok"] is True
    assert solved.objective == pytest.approx(base["objective"], rel=1e-12)
    got = solved.table("Demand")
    assert len(got) == 2 * len(dem)
    got.index = got["demand_id"].str[:-2]
    a, b = got[got["demand_id"].str.endswith("_A")], got[got["demand_id"].str.endswith("_B")]
    # in sheet order: the A half is met in full before the B half gets any
    assert ((b["met_t"] == 0) | (a["met_t"] == a["quantity_t"])).all()
    # each pair meets what the example's row meets
    example = run(REPO / "inputs" / "example.xlsx").tables["Demand"].set_index("demand_id")
    assert np.allclose((a["met_t"] + b["met_t"]).loc[example.index], example["met_t"], atol=1e-6)
    assert len(run(wb).data.demand) == len(dem)
