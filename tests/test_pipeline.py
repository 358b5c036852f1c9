"""One pipeline, pure stages (issue 13): rule pricing, elastic mode, what-if
sessions and the risk model get their model from the stage functions of
``model.run`` (not from copies of them), the settings are read once, and no
command or analysis changes the outputs of a stage it is given.

The workbook: OX demanded at BUYER (US) in 2025 by two alike Demand rows (20 t
and 10 t, one model row once merged), bought from MINE (AU, 10/t + 5/t freight)
or CNX (CN, 5/t + 1/t freight) with at most 40% from CN; scenario CHEAP makes
CNX sell at 4/t. With the rule: 12 t from CN at 6 and 18 t from AU at 15 = 342
(the base); under CHEAP 12 t at 5 + 18 t at 15 = 330."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import model.read.workbook as reader
import model.run as stages
from conftest import with_cn
from model.analysis.elastic import elastic, elastic_for
from model.analysis.price_rules import price_rules
from model.cli import main
from model.risk.extensive import build_extensive, first_stage
from model.risk.outcome import evaluate
from model.risk.problem import load_problem
from model.run import Run, formulate, hand_over, load, model_data, prepare_run, run
from model.solve.handover import compile_model
from model.solve.highs import SolveOptions, solve
from model.whatif.session import Session

pytestmark = pytest.mark.component

SHEETS = with_cn(
    Settings="""
        key,value
        first_period,2025
        last_period,2025
        unmet_penalty,1000
        base_probability,1
    """,
    Demand="""
        demand_id,site_id,material_id,period,quantity
        D1,BUYER,OX,2025,20
        D2,BUYER,OX,2025,10
    """,
    Policies="""
        rule_id,kind,material_id,country,company,value
        P,max_country_share,,CN,,0.4
    """,
    Scenarios="""
        scenario_id,description
        CHEAP,cheaper CN oxide
    """,
    ScenarioChanges="""
        scenario_id,sheet,id,column,op,value
        CHEAP,Supply,CN_OX,unit_cost,set,4
    """,
)


def lp_rows(compiled) -> tuple:
    """Everything HiGHS is given, row for row and column for column."""
    lp = compiled.lp
    a = lp.a_matrix_
    return (list(compiled.row_con), list(compiled.row_key), list(compiled.col_var),
            list(compiled.col_key), np.asarray(compiled.row_sense).tolist(),
            np.asarray(compiled.integer).tolist(), float(compiled.offset),
            *(np.asarray(v, dtype=float).tolist() for v in (
                lp.col_cost_, lp.col_lower_, lp.col_upper_, lp.row_lower_, lp.row_upper_,
                a.value_)),
            np.asarray(a.index_).tolist(), np.asarray(a.start_).tolist())


@pytest.fixture
def stage_calls(monkeypatch):
    """Which stage functions of model.run each flow calls: a flow that put the
    model together from its own copy of the stages would not pass through them."""
    calls: list[str] = []
    for name in ("read_workbook", "prepare", "build", "compile_model"):
        original = getattr(stages, name)

        def spy(*a, _name=name, _original=original, **k):
            calls.append(_name)
            return _original(*a, **k)
        monkeypatch.setattr(stages, name, spy)
    return calls


def test_every_flow_compiles_the_model_of_the_stages_row_for_row(make_workbook, stage_calls):
    path = make_workbook(SHEETS)
    wb, _, _ = load(path, "CHEAP")
    data = model_data(wb)
    assert data.demand_rows is not None and len(data.demand) == 1   # D1 and D2: one model row
    expected = lp_rows(hand_over(formulate(data)))
    whole = ["read_workbook", "prepare", "build", "compile_model"]

    stage_calls.clear()
    assert lp_rows(prepare_run(path, "CHEAP").compiled) == expected
    assert stage_calls == whole
    stage_calls.clear()
    assert lp_rows(Session(path, "CHEAP").compiled) == expected
    assert stage_calls == whole
    stage_calls.clear()
    solved = run(path, "CHEAP")
    assert lp_rows(solved.compiled) == expected and stage_calls == whole
    assert solved.solution.objective == pytest.approx(12 * 5 + 18 * 15)       # 330
    stage_calls.clear()
    bent, bends = elastic(path, "CHEAP", relax=())       # nothing relaxed: the model itself
    assert lp_rows(bent.compiled) == expected and stage_calls == whole and bends.empty
    assert bent.solution.objective == pytest.approx(330)


def test_rule_pricing_rebuilds_through_the_stages(make_workbook, stage_calls):
    # cold: the base and the workbook without P, each prepared, built and compiled afresh
    table = price_rules(make_workbook(SHEETS), method="cold")
    assert stage_calls == ["read_workbook"] + ["prepare", "build", "compile_model"] * 3
    p = table.set_index("rule_id").loc["P"]
    assert p["cost_of_rule"] == pytest.approx(342 - 30 * 6)                  # 162


def test_the_risk_model_reads_and_prepares_through_the_stages(make_workbook, stage_calls):
    path = make_workbook(SHEETS)
    problem = load_problem(path)            # base_probability 1: the workbook as it stands
    assert stage_calls == ["read_workbook", "prepare"]
    assert [s.id for s in problem.scenarios] == ["base"]
    # one model row per Demand row in a risk solve
    expected = lp_rows(prepare_run(path, merge_demand=False).compiled)
    assert lp_rows(hand_over(formulate(problem.scenarios[0].data))) == expected


def _snapshot(r: Run) -> dict:
    s = r.solution
    return {"tables": {k: v.copy(deep=True) for k, v in r.tables.items()},
            "status": s.status, "message": s.message, "x": s.x.copy(), "timings": dict(r.timings),
            "warnings": list(r.warnings)}


def _same(r: Run, before: dict) -> None:
    assert list(r.tables) == list(before["tables"])
    for name, frame in before["tables"].items():
        pd.testing.assert_frame_equal(r.tables[name], frame)
    assert (r.solution.status, r.solution.message) == (before["status"], before["message"])
    assert np.array_equal(r.solution.x, before["x"])
    assert r.timings == before["timings"] and r.warnings == before["warnings"]


def test_sourcing_solve_leaves_the_run_it_is_given_as_it_was(make_workbook, monkeypatch):
    import model.commands.solve as command
    given = {}

    def keep(*a, **k):
        given["run"] = r = run(*a, **k)
        given["before"] = _snapshot(r)
        return r
    monkeypatch.setattr(command, "run", keep)
    path = make_workbook(SHEETS)
    out = path.with_name("report.xlsx")
    assert main(["solve", str(path), "-o", str(out), "--price-rules", "--robustness", "-q"]) == 0
    _same(given["run"], given["before"])
    assert not {"Verification", "RulePrices", "Robustness"} & set(given["run"].tables)
    sheets = pd.ExcelFile(out, engine="openpyxl").sheet_names     # the command's own new Run
    assert {"Verification", "RulePrices", "Robustness"} <= set(sheets)
    with pytest.raises(dataclasses.FrozenInstanceError):
        given["run"].tables = {}


def test_elastic_mode_leaves_the_run_it_bends_as_it_was(make_workbook):
    # P at 0 keeps CN out and AU sells at most 20 t: 10 t of the 30 t go unmet
    sheets = dict(SHEETS, Policies="""
        rule_id,kind,material_id,country,company,value
        P,max_country_share,,CN,,0
    """, Supply="""
        offer_id,site_id,material_id,capacity,unit_cost
        MINE_OX,MINE,OX,20,10
        CN_OX,CNX,OX,100,5
    """)
    base = run(make_workbook(sheets))
    assert base.solution.objective == pytest.approx(20 * 15 + 10 * 1000)     # 10,300
    before = _snapshot(base)
    # a bend of P costs 1/t: CN at 6 + 1 is cheaper than AU at 15, so all 30 t come
    # from CN, P bent by 30 t (its penalty is not in the objective)
    bent, bends = elastic_for(base, relax=("policy",), penalty=1.0)
    _same(base, before)
    assert bent.status == "elastic" and base.status == "optimal"
    assert bent.solution.objective == pytest.approx(30 * 6)                   # 180
    assert bends["bend_t"].sum() == pytest.approx(30)


def test_settings_are_read_once_by_the_read_stage(make_workbook, monkeypatch):
    readers = []
    original = reader.read_workbook

    def spy(*a, **k):
        import sys
        readers.append(sys._getframe(1).f_globals["__name__"])
        return original(*a, **k)
    monkeypatch.setattr(reader, "read_workbook", spy)       # a command's own late import
    monkeypatch.setattr(stages, "read_workbook", spy)
    path = make_workbook(SHEETS)
    out = path.with_name("report.xlsx")
    assert main(["solve", str(path), "-o", str(out), "--time-limit", "60", "-q"]) == 0
    # the independent verifier reads the input on its own (docs/verification.md)
    assert [m for m in readers if not m.startswith("model.verify")] == ["model.run"]
    readers.clear()
    assert main(["solve", str(path), "--risk", "--time-limit", "60", "-o", str(out), "-q"]) == 0
    assert readers == ["model.run"]


def test_the_risk_results_round_a_new_solution(make_workbook):
    problem = load_problem(make_workbook(SHEETS))
    datas = [s.data for s in problem.scenarios]
    ext = build_extensive(first_stage(datas, problem.reservation, problem.delta), ["base"], [1.0],
                          datas)
    compiled = compile_model(ext.model)
    solved = solve(compiled, SolveOptions())
    noisy = dataclasses.replace(solved, x=solved.x + 1e-10)    # what a solver may return
    result = evaluate(ext, compiled, noisy)
    assert np.array_equal(noisy.x, solved.x + 1e-10)          # the solve's own: as it was
    assert np.array_equal(result.solution.x[solved.x == 0], np.zeros(int((solved.x == 0).sum())))
    assert result.expected_cost == pytest.approx(342)
