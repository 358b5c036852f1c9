"""Solver faults become a status and a message, never a traceback.

Uses OR-Library cap41 (a MIP HiGHS solves in well under a second) and tiny
hand-made models; limits are node/solution counts, not wall-clock, where a
solution is expected, so the tests are reproducible."""

import json
from pathlib import Path

import pyomo.environ as pyo
import pytest

from independent import orlib
from model.cli import main
from model.run import run
from model.solve.handover import compile_model
from model.solve.highs import SolveOptions, solve

pytestmark = pytest.mark.component
CAP41 = Path(__file__).resolve().parents[1].parent / "shared/reference-data/orlib/cap41.txt"
needs_cap41 = pytest.mark.skipif(not CAP41.exists(), reason="shared/reference-data not present")


@pytest.fixture(scope="module")
def cap41(tmp_path_factory):
    path = tmp_path_factory.mktemp("faults") / "cap41.xlsx"
    orlib.cap_to_workbook(CAP41, path)
    return path


@needs_cap41
def test_stopped_early_returns_the_incumbent_with_its_gap(cap41):
    r = run(cap41, options=SolveOptions(mip_gap=0, highs_options={"mip_max_improving_sols": 1}))
    s = r.solution
    assert s.status == "feasible" and s.has_solution
    assert s.gap > 0 and s.bound < s.objective
    assert s.objective >= 1040444.375 - 1e-6          # never better than the published optimum
    assert r.tables["Purchases"]["quantity_t"].sum() > 0


@needs_cap41
def test_time_limit_without_a_solution_exits_3_with_a_report(cap41, tmp_path):
    out, js = tmp_path / "r.xlsx", tmp_path / "s.json"
    rc = main(["solve", str(cap41), "-o", str(out), "--summary-json", str(js), "-q",
               "--time-limit", "0.0001"])
    summary = json.loads(js.read_text())
    assert summary["status"] == "time_limit"
    assert rc == (0 if summary["objective"] is not None else 3)
    assert out.exists()


def _tiny(objective_sign: float, infeasible: bool = False):
    m = pyo.ConcreteModel()
    m.x = pyo.Var(domain=pyo.NonNegativeReals)
    m.y = pyo.Var(domain=pyo.NonNegativeReals)
    m.c = pyo.Constraint(expr=m.x - m.y <= 1)
    if infeasible:
        m.lo = pyo.Constraint(expr=m.x >= 5)
        m.hi = pyo.Constraint(expr=m.x <= 2)
    m.o = pyo.Objective(expr=objective_sign * m.x)
    return compile_model(m)


def test_unbounded_and_infeasible_are_statuses():
    assert solve(_tiny(-1.0), SolveOptions()).status == "unbounded"
    s = solve(_tiny(1.0, infeasible=True), SolveOptions())
    assert s.status == "infeasible" and not s.has_solution


def test_a_solver_error_is_a_status_not_an_exception():
    s = solve(_tiny(1.0), SolveOptions(highs_options={"no_such_option": 1}))
    assert s.status == "error" and "no_such_option" in s.message
