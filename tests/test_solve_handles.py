"""Issue 13: the solver object stays inside ``model/solve``.

``Solution`` is a plain value (status, numbers, arrays); the LP with the
integers fixed, which rule marginals re-solve, is a separate handle
(``FixedLp``) owned by the ``Run`` that asked for it. A what-if ``Session``
owns its own ``WarmModel``, whose ``solve`` takes the steps of every solve,
the canonical pass included, so a session's plan is the plan ``sourcing
solve`` reports.
"""

from __future__ import annotations

import copy
import pickle

import highspy
import numpy as np
import pandas as pd
import pytest

from conftest import TWIN_MINES, TWIN_MINES_MIP, by_content, reversed_rows, write_workbook
from model.run import run
from model.solve.highs import SolveOptions, relaxation_values
from model.whatif.session import Session

pytestmark = pytest.mark.component

PLAN = ("Purchases", "Shipments", "Stock", "Demand")


def _same_plan(a: dict, b: dict) -> None:
    for name in PLAN:
        pd.testing.assert_frame_equal(by_content(a[name]), by_content(b[name]), check_exact=True,
                                      obj=name)


def _no_solver_object(value, depth=0) -> bool:
    if isinstance(value, highspy.Highs):
        return False
    if depth < 2 and isinstance(value, dict):
        return all(_no_solver_object(v, depth + 1) for v in value.values())
    if depth < 2 and hasattr(value, "__dict__"):
        return all(_no_solver_object(v, depth + 1) for v in vars(value).values())
    return True


def test_a_solution_is_a_plain_value_and_the_lp_is_its_owners_handle(tmp_path):
    r = run(write_workbook(tmp_path, TWIN_MINES, "ties.xlsx"))
    sol = r.solution
    assert sol.status == "optimal" and sol.objective == pytest.approx(1575)
    assert _no_solver_object(sol)
    again = pickle.loads(pickle.dumps(sol))      # a value: copied, pickled, compared
    assert np.array_equal(again.x, sol.x) and again.objective == sol.objective
    assert copy.deepcopy(sol).ranging is not None
    # The handle re-solves: one more tonne of D27 costs the 15/t of the cheapest
    # route; the row is an equality (demand met or unmet), loosened upward.
    demand = [i for i, (con, key) in enumerate(zip(r.compiled.row_con, r.compiled.row_key))
              if con == "demand"]
    assert demand and r.lp is not None and r.lp.open
    resolved = relaxation_values(sol, r.compiled, demand, r.lp, use_ranging=False)
    assert sorted(resolved) == demand
    r.lp.close()
    assert not r.lp.open
    assert relaxation_values(sol, r.compiled, demand, r.lp, use_ranging=False) == {}


@pytest.mark.parametrize("sheets", [TWIN_MINES, reversed_rows(TWIN_MINES)],
                         ids=["rows", "rows reversed"])
def test_a_session_reports_the_plan_sourcing_solve_reports(tmp_path, sheets):
    # A session skips the canonical pass unless asked (it would cost a what-if
    # re-solve its speed: model/whatif/session.py); asked, it gives the plan a
    # solve gives, whatever the order of the rows.
    path = write_workbook(tmp_path, sheets, "ties.xlsx")
    quick = Session(path)
    assert quick.options.canonical is False and quick.options.want_duals is False
    assert quick.solve().objective == pytest.approx(1575)
    s = Session(path, options=SolveOptions(canonical=True, want_duals=False))
    sol = s.solve()
    assert sol.status == "optimal" and sol.objective == pytest.approx(1575)
    assert sol.extra.get("canonical") is True
    _same_plan(s.tables(), run(path).tables)
    # after a change and back, still the same plan (the pass put the model back)
    s.disable("A_OX")
    assert s.solve().objective == pytest.approx(1575)   # B alone: 60 t/yr suffice
    s.reset()
    s.solve()
    _same_plan(s.tables(), run(path).tables)


def test_a_mip_session_with_the_canonical_pass_reports_the_solves_plan(tmp_path):
    # Asked, a MIP session takes the LP with the integers fixed and the
    # canonical pass on a copy of its model and gives the solve's plan, in both
    # row orders; its kept model stays the MIP. Optimum: 105 t need two mine-years of 60 t (storage is
    # free), so 1,575 + 2 x 20 = 1,615.
    for name, sheets in (("a.xlsx", TWIN_MINES_MIP), ("b.xlsx", reversed_rows(TWIN_MINES_MIP))):
        path = write_workbook(tmp_path, sheets, name)
        quick = Session(path)
        assert quick.options.canonical is False
        assert quick.solve().objective == pytest.approx(1615)
        s = Session(path, options=SolveOptions(mip_gap=1e-9, canonical=True))
        sol = s.solve()
        assert sol.objective == pytest.approx(1615) and sol.extra.get("canonical") is True
        _same_plan(s.tables(), run(path).tables)
        # the kept model is still the MIP: switching the open mine off re-opens the other
        opened = s.tables()["Purchases"]["offer_id"].unique().tolist()
        assert len(opened) == 1
        s.disable(opened[0])
        assert s.solve().objective == pytest.approx(1615)
        assert s.tables()["Purchases"]["offer_id"].unique().tolist() != opened


def test_the_presolved_lp_with_integers_fixed_gives_the_same_answers(tmp_path, monkeypatch):
    # Issue 19: from PRESOLVE_FIXED_FROM columns the LP with the integers fixed is
    # solved afresh with presolve instead of from the MIP's basis. Forced here on a
    # small generated network: the canonical plan, the objective and every rule's
    # one-tonne change (exact both ways) must be those of the other path; only
    # the duals of degenerate rows may differ.
    import sys

    import model.solve.highs as solve_highs
    from conftest import REPO
    sys.path.insert(0, str(REPO / "benchmarks"))
    import generate
    path = generate.write(generate.tables("small", seed=6), tmp_path / "small.xlsx")
    before = run(path)
    monkeypatch.setattr(solve_highs, "PRESOLVE_FIXED_FROM", 0)
    after = run(path)
    assert before.solution.is_mip and before.solution.extra["canonical"] is True
    assert after.solution.extra["canonical"] is True
    assert after.solution.objective == before.solution.objective
    assert np.abs(after.solution.x - before.solution.x).max() <= 1e-9
    a, b = before.tables["RuleMarginals"], after.tables["RuleMarginals"]
    assert (a["change_from"] != "dual").all() and len(a) == len(b)
    np.testing.assert_allclose(b["change_per_t"], a["change_per_t"], rtol=1e-6, atol=1e-4)
    assert (a["binding"] == b["binding"]).all()
    _same_plan(after.tables, before.tables)
