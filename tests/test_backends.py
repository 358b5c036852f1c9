"""The array backend builds exactly the LP that Pyomo's standard-form compiler
builds from the same families: same rows, columns, coefficients, bounds, costs
and integrality (matched by name), and the same optimum.

Pyomo's compiler is independent code, so a slip in ``model/formulation/arrays.py``
(a dropped term, a wrong sense, a duplicate not summed) shows here.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest
from scipy import sparse

from conftest import REPO
from model.formulation import build
from model.data.model_data import prepare
from model.run import load
from model.solve.handover import compile_model
from model.solve.highs import SolveOptions, solve

sys.path.insert(0, str(REPO / "benchmarks"))
import generate  # noqa: E402


def _matrix(c):
    lp = c.lp
    return sparse.csc_array((np.asarray(lp.a_matrix_.value_), np.asarray(lp.a_matrix_.index_),
                             np.asarray(lp.a_matrix_.start_)), shape=(lp.num_row_, lp.num_col_))


def _agree(path):
    wb, _, _ = load(path)
    data = prepare(wb)
    arr = compile_model(build(data, backend="arrays").model)
    pyo = compile_model(build(data, backend="pyomo").model)
    assert pyo.columns is not None and arr.columns is None
    col = {(v, k): j for j, (v, k) in enumerate(zip(arr.col_var, arr.col_key))}
    cols = np.array([col[v, k] for v, k in zip(pyo.col_var, pyo.col_key)])
    row = {(r, k, s): i for i, (r, k, s) in enumerate(zip(arr.row_con, arr.row_key, arr.row_sense))}
    rows = np.array([row[r, k, s] for r, k, s in zip(pyo.row_con, pyo.row_key, pyo.row_sense)])
    assert len(rows) == arr.lp.num_row_                       # no row more, none less
    extra = np.setdiff1d(np.arange(arr.lp.num_col_), cols)    # columns Pyomo drops: unused
    A, B = _matrix(arr), _matrix(pyo)
    assert A[:, extra].nnz == 0 and not np.asarray(arr.lp.col_cost_)[extra].any()
    assert abs(A[rows][:, cols] - B).max() == 0
    for name in ("col_cost_", "col_lower_", "col_upper_"):
        assert np.array_equal(np.asarray(getattr(arr.lp, name))[cols], np.asarray(getattr(pyo.lp, name)))
    for name in ("row_lower_", "row_upper_"):
        assert np.array_equal(np.asarray(getattr(arr.lp, name))[rows], np.asarray(getattr(pyo.lp, name)))
    assert np.array_equal(arr.integer[cols], pyo.integer) and not arr.integer[extra].any()
    opts = SolveOptions(mip_gap=wb.settings["mip_gap"], want_duals=False, canonical=False)
    a, b = solve(arr, opts), solve(pyo, opts)
    assert a.status == b.status == "optimal"
    assert a.objective == pytest.approx(b.objective, rel=1e-9)
    return arr


@pytest.mark.regression
def test_example_same_lp_from_both_backends():
    c = _agree(REPO / "inputs" / "example.xlsx")
    assert "class_balance" in c.row_con and c.integer.any()     # provenance and binaries built


@pytest.mark.component
def test_generated_network_same_lp_from_both_backends(tmp_path):
    c = _agree(generate.write(generate.tables("small", seed=5), tmp_path / "small.xlsx"))
    assert {"policy_share", "export_limit", "lane_capacity", "offer_use"} <= set(c.row_con)


@pytest.mark.unit
def test_backend_name_is_checked():
    with pytest.raises(ValueError, match="backend"):
        build(None, backend="gurobipy")


@pytest.mark.unit
def test_array_model_rows_by_hand():
    """Hand-made rows: a range becomes two rows (>= then <=), a repeated variable
    is summed, a cancelled term is dropped, an empty row is left out, and bounds,
    costs and integrality land on the right columns."""
    from model.formulation.arrays import INF, ArrayModel
    m = ArrayModel()
    x = m.add_var("x", ["a", "b"], ub=[4.0, None])
    y = m.add_var("y", [("k", 1)], binary=True)
    m.add_rows("r", {
        "range": (1.0, [(1.0, x["a"]), (2.0, x["b"])], 5.0),        # 1 <= a + 2b <= 5
        "sum": (None, [(1.0, x["a"]), (1.0, x["a"]), (-3.0, y["k", 1])], 0.0),  # 2a - 3y <= 0
        "cancel": (0.0, [(1.0, x["b"]), (-1.0, x["b"]), (1.0, y["k", 1])], 0.0),  # y = 0
        "empty": (0.0, [], 0.0),
    })
    m.set_objective([(2.0, x["a"]), (1.0, y["k", 1]), (0.5, y["k", 1])])
    c = m.compile()
    lp = c.lp
    assert (lp.num_col_, lp.num_row_) == (3, 4)
    assert c.row_key == ["range", "range", "sum", "cancel"] and list(c.row_sense) == [-1, 1, 1, 0]
    assert list(lp.row_lower_) == [1.0, -INF, -INF, 0.0]
    assert list(lp.row_upper_) == [INF, 5.0, 0.0, 0.0]
    dense = np.zeros((4, 3))
    start, index, value = (np.asarray(lp.a_matrix_.start_), np.asarray(lp.a_matrix_.index_),
                           np.asarray(lp.a_matrix_.value_))
    for j in range(3):
        for p in range(start[j], start[j + 1]):
            dense[index[p], j] = value[p]
    assert dense.tolist() == [[1, 2, 0], [1, 2, 0], [2, 0, -3], [0, 0, 1]]
    assert list(lp.col_cost_) == [2.0, 0.0, 1.5]
    assert list(lp.col_lower_) == [0.0, 0.0, 0.0] and list(lp.col_upper_) == [4.0, INF, 1.0]
    assert c.integer.tolist() == [False, False, True]
    assert m.constraints["r"] == {"range": 0, "sum": 2, "cancel": 3}
    assert m.compile() is c                                     # compiled once


@pytest.mark.component
def test_v12_features_same_lp_from_both_backends(make_workbook):
    """Contract v1.2: Profiles, take-or-pay (with a period without capacity), floors and
    caps, Sales with and without capacity, period_years."""
    wb = make_workbook({
        "Settings": "key,value\nfirst_period,2025\nlast_period,2027\nunmet_penalty,1000\n"
                    "discount_rate,0.05\nperiod_years,0.5",
        "Supply": "offer_id,site_id,material_id,capacity,unit_cost,take_or_pay,price_floor,"
                  "price_cap\nMINE_OX,MINE,OX,100,10,20,12,30\nSPOT,MINE,OX,,25,,,",
        "CapacityProfile": "id,period,capacity\nMINE_OX,2026,0",
        "Profiles": "sheet,id,column,period,value\nSupply,MINE_OX,unit_cost,2027,50\n"
                    "Materials,OX,reference_price,2027,2000\nSales,SELL,price,2026,40",
        "Lanes": "lane_id,from_site,to_site,material_id,unit_cost,tariff_rate\n"
                 "L1,MINE,BUYER,OX,5,0.01",
        "Inventory": "site_id,material_id,initial_stock,holding_cost\nBUYER,OX,0,1",
        "Sales": "sale_id,site_id,material_id,price,capacity\nSELL,BUYER,OX,20,15",
        "Demand": "demand_id,site_id,material_id,period,quantity\nD1,BUYER,OX,2025,30\n"
                  "D2,BUYER,OX,2027,30"})
    c = _agree(wb)
    assert {"take_or_pay", "balance"} <= set(c.row_con)
    assert {"sell", "short"} <= set(c.col_var)
