"""Scenario comparison: hand-worked objectives per scenario, and identical
results whether solved serially, in worker processes or on a Dask cluster."""

import openpyxl
import pandas as pd
import pytest

from model.api import compare, run
from model.cli import main
from model.whatif.batch import solve_many
from test_small_solves import SCEN

pytestmark = pytest.mark.component


def test_compare_all_writes_costs_deltas_and_input_changes(make_workbook, tmp_path):
    path = make_workbook(SCEN)
    out = tmp_path / "cmp.xlsx"
    assert main(["compare", str(path), "--all", "-o", str(out), "-q"]) == 0
    book = pd.read_excel(out, sheet_name=None, engine="openpyxl")
    ov = book["Overview"].set_index("scenario")
    assert list(ov.index) == ["base", "double", "free_lanes"]
    assert ov.loc["base", "objective"] == pytest.approx(450)
    assert ov.loc["double", "objective"] == pytest.approx(900)      # 60 t at 15
    assert ov.loc["free_lanes", "delta_vs_base"] == pytest.approx(-150)   # freight 5/t saved on 30 t
    changes = book["InputChanges"]
    assert set(changes["scenario"]) == {"double", "free_lanes"}
    moved = book["DecisionChanges"]
    assert moved.loc[moved["scenario"] == "double", "delta_t"].abs().max() == pytest.approx(30)
    assert openpyxl.load_workbook(out)["Dashboard"]._charts


def _strip(results):
    return {s: (r["summary"]["objective"], {k: v.reset_index(drop=True) for k, v in r["tables"].items()})
            for s, r in results.items()}


def test_serial_processes_and_dask_give_identical_results(make_workbook):
    path = make_workbook(SCEN)
    names = ["base", "double", "free_lanes"]
    serial = _strip(solve_many(path, names))
    pooled = _strip(solve_many(path, names, workers=2))
    distributed = pytest.importorskip("distributed",
                                      reason="Dask is an optional extra (pip install -e .[dask])")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        on_dask = _strip(solve_many(path, names, dask=cluster.scheduler_address))
    for other in (pooled, on_dask):
        assert other.keys() == serial.keys()
        for s in names:
            assert other[s][0] == serial[s][0]
            for name, frame in serial[s][1].items():
                pd.testing.assert_frame_equal(other[s][1][name], frame)


def test_notebook_api(make_workbook):
    path = make_workbook(SCEN)
    r = run(path, scenario="double")
    assert r.summary["objective"] == pytest.approx(900)
    assert r.purchases["quantity_t"].sum() == pytest.approx(60)
    assert compare(path, ["free_lanes"])["Overview"]["scenario"].tolist() == ["base", "free_lanes"]
