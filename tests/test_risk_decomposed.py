"""Risk at scale (issue 18, docs/risk.md "Risk at scale"): the two-stage model
decomposed by mpi-sppy (progressive hedging, the L-shaped method) under MPI,
against hand-worked answers and against the extensive form.

Every decomposed solve here runs the real MPI job (mpiexec from the mpi extra,
which the test extra installs) with HiGHS on real workbooks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.commands.risk import risk_command, sample_command
from model.data.model_data import prepare
from model.problems import Problems
from model.read.workbook import read_workbook
from model.risk.decomposed import Engine, check, columns, mpiexec, pick, solve_risk
from model.risk.extensive import first_stage
from model.risk.problem import load_problem
from model.risk.scenario_models import commitment_costs, evaluate_decision, scenario_model
from model.risk.sppy_data import relative_gap
from model.solve.highs import SolveOptions
from test_risk import EVENTS, NEWSVENDOR, args, run, sheets
from test_verify import CO_PRODUCT

# Issue 12 case 3: plant P (fixed cost 1,000 a period, RAW -> FIN one to one) fed only by
# mine offer A (10/t); spot FIN at the buyer 500/t; demand 100 t; NOMINE (p 0.5) disables A.
STRANDED = {
    "Settings": """
        key,value
        first_period,2025
        last_period,2025
        unmet_penalty,100000
        base_probability,0.5
    """,
    "Materials": """
        material_id,name,reference_price,disposal_cost
        RAW,raw,0,0
        FIN,finished,0,0
    """,
    "Sites": CO_PRODUCT["Sites"],          # MINE (AU), PLANT (US), BUYER (US)
    "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost
        A,MINE,RAW,1000,10
        SPOT,BUYER,FIN,1000,500
    """,
    "Processes": """
        process_id,site_id,capacity,unit_cost,fixed_cost
        P,PLANT,1000,0,1000
    """,
    "Recipes": """
        process_id,material_id,input,output
        P,RAW,1,
        P,FIN,,1
    """,
    "Lanes": """
        lane_id,from_site,to_site,material_id,unit_cost
        MINE_PLANT,MINE,PLANT,RAW,0
        PLANT_BUYER,PLANT,BUYER,FIN,0
    """,
    "Demand": """
        demand_id,site_id,material_id,period,quantity
        D1,BUYER,FIN,2025,100
    """,
    "Scenarios": """
        scenario_id,description,probability
        NOMINE,the mine is lost,0.5
    """,
    "ScenarioChanges": """
        scenario_id,sheet,id,column,op,value
        NOMINE,Supply,A,enabled,set,FALSE
    """,
}


def _sample_setup(path, n, seed):
    """The in-sample data of ``sourcing sample`` (model/risk/runs.py), built the same way."""
    from model.formulation.costs import cost_table
    from model.data.model_data import discount
    from model.risk.problem import reservation_costs
    from model.risk.sampling import apply_factors, read_events, sample
    wb = read_workbook(path)
    base = prepare(wb)
    datas = [apply_factors(base, f) for f in sample(read_events(wb, Problems()), base.periods,
                                                     n, seed)]
    first = first_stage([base, *datas], reservation_costs(wb), discount(wb.settings))
    return first, [f"S{i + 1:04d}" for i in range(n)], [1.0 / n] * n, datas, [cost_table(base)] * n


@pytest.mark.component
def test_a_stranded_commitment_is_charged_in_every_scenario(make_workbook):
    """Worked by hand (issue 12 case 3). Committing to P (on = 1):
        base:   1,000 + 100 t x 10 (RAW through P)  =  2,000
        NOMINE: 1,000 (committed, P cannot run) + 100 t x 500 spot  =  51,000
        E = 0.5 x 2,000 + 0.5 x 51,000 = 26,500
    Not committing: 100 t x 500 = 50,000 in both, E = 50,000. So RP = 26,500 with on = 1;
    WS = 0.5 x 2,000 + 0.5 x 50,000 = 26,000, EVPI = 500.
    The per-scenario model of NOMINE has no P (the data leave it out) and still pays its
    fixed cost when on = 1; both decomposed engines find RP."""
    path = make_workbook(STRANDED)
    problem = load_problem(path)
    datas = [s.data for s in problem.scenarios]
    ids = [s.id for s in problem.scenarios]
    assert ids == ["base", "NOMINE"]
    assert "P" not in set(datas[1].processes["process"])            # pruned from NOMINE
    first = first_stage(datas, problem.reservation, problem.delta)
    assert first.on == [("P", 2025)]
    costs = commitment_costs(datas)
    assert costs == {("on", ("P", 2025)): 1000.0}
    nomine = scenario_model(first, "NOMINE", datas[1], None, costs).model
    # charged once, by the block's own copy of the commitment (ModelData.idle), not twice
    assert list(nomine.sc[0].idle_on) == [("P", 2025)]
    assert nomine.sc[0].component("committed_on") is None
    assert nomine.sc[0].component("committed_use") is None         # no offer commitment

    from model.risk.extensive import Fixed
    committed = evaluate_decision(first, ids, problem.probabilities, datas,
                                  Fixed({}, {}, {("P", 2025): 1}), SolveOptions(), costs)
    assert list(committed.totals) == pytest.approx([2000, 51000], abs=1e-6)
    by = committed.cost_by_category().set_index(["scenario", "category"])["cost"]
    assert by[("NOMINE", "process_fixed")] == pytest.approx(1000)

    for engine in ("lshaped", "ph"):
        rc, info, report = run(risk_command, path, engine=engine, gap=1e-6)
        assert rc == 0 and info["status"] == "optimal", (engine, info)
        assert info["engine"] == engine
        assert info["objective"] == pytest.approx(26500, abs=1e-3)
        assert info["lower_bound"] <= 26500 + 1e-3 <= info["upper_bound"] + 2e-3
        assert info["WS"] == pytest.approx(26000, abs=1e-3)
        assert info["EVPI"] == pytest.approx(500, abs=1e-3)
        t = sheets(report)
        assert t["Commitments"].set_index("id").loc["P", "decision"] == 1
        scen = t["Scenarios"].set_index("scenario")
        assert scen.loc["NOMINE", "total_cost"] == pytest.approx(51000, abs=1e-3)
        assert "Bounds" in t


@pytest.mark.component
def test_decomposed_equals_extensive_within_the_reported_gap(make_workbook):
    """12 sampled scenarios of the EVENTS workbook: both engines' decisions cost what the
    extensive form's optimum costs, within the gap each reports, and the extensive optimum
    lies between each engine's bounds."""
    first, ids, probs, datas, tables = _sample_setup(make_workbook(EVENTS), 12, 11)
    options = SolveOptions(want_duals=False, canonical=False)
    ext, _ = solve_risk("extensive", first, ids, probs, datas, options, Engine(),
                        risk_weight=0.0, alpha=0.9, cost_tables=tables)
    assert ext.status == "optimal"
    best = ext.objective
    # every scenario needs 3 x 60 t of oxide at 19/t at least (test_risk.EVENTS)
    assert best >= 3 * 60 * 19
    for choice in (Engine("lshaped", gap=1e-6), Engine("ph", gap=0.01, max_iterations=10)):
        result, outcome = solve_risk(choice.name, first, ids, probs, datas, options, choice,
                                     risk_weight=0.0, alpha=0.9, cost_tables=tables, full=False)
        assert outcome.status in ("optimal", "feasible"), outcome.message
        assert outcome.lower <= best * (1 + 1e-9) + 1e-6
        assert best <= outcome.upper * (1 + 1e-9) + 1e-6
        assert outcome.upper - best <= outcome.gap * abs(outcome.upper) + 1e-6
        assert result.objective == pytest.approx(outcome.upper, rel=1e-9)
        assert len(result.scenario_table()) == 12
        if choice.name == "lshaped":    # exact here: a small first stage, LP second stages
            assert outcome.status == "optimal" and outcome.upper == pytest.approx(best, rel=1e-6)


@pytest.mark.component
def test_cvar_first_stage_eta_decomposes(make_workbook):
    """The newsvendor (test_risk) with lambda = 1, alpha = 0.5: the VaR eta is first stage.
    By hand: T(q, D) = 10 q + 20 (D - q)+, D = 100 (0.6) or 200 (0.4).
    For q in [100, 200]: T = 10q w.p. 0.6 and 4000 - 10q w.p. 0.4 (>= 10q up to q = 200);
    E = 6q + 0.4 (4000 - 10q) = 1600 + 2q; CVaR_0.5 = mean of the worst half:
    0.4 x (4000 - 10q) + 0.1 x 10q, over 0.5 = 3200 - 6q. E + CVaR = 4800 - 4q: least at
    q = 200 (the worst half is then 2000 flat): E = 2000, CVaR = 2000, objective 4000.
    Below q = 100: T = 2000 - 10q (w.p. 0.6), 4000 - 10q (0.4): E + CVaR > 4000."""
    sheets_ = dict(NEWSVENDOR)
    sheets_["Settings"] = NEWSVENDOR["Settings"] + "\n        risk_weight,1\n        cvar_alpha,0.5\n"
    path = make_workbook(sheets_)
    rc, info, report = run(risk_command, path, engine="lshaped", gap=1e-6, no_value=True)
    assert rc == 0 and info["status"] == "optimal"
    assert info["objective"] == pytest.approx(4000, abs=1e-3)
    assert info["cvar"] == pytest.approx(2000, abs=1e-3)
    res = sheets(report)["Reservations"]
    assert res.loc[res["offer"] == "RES", "reserved_t"].iloc[0] == pytest.approx(200, abs=1e-4)
    rc, ext, _ = run(risk_command, path, engine="extensive", no_value=True)
    assert ext["objective"] == pytest.approx(info["objective"], rel=1e-9)


@pytest.mark.component
def test_two_processes_give_the_answer_of_one(make_workbook):
    """The scenarios spread over two MPI processes: the same bounds and decision."""
    first, ids, probs, datas, tables = _sample_setup(make_workbook(EVENTS), 8, 3)
    options = SolveOptions(want_duals=False, canonical=False)
    one, a = solve_risk("lshaped", first, ids, probs, datas, options, Engine("lshaped", 1, 1e-6),
                        risk_weight=0.0, alpha=0.9, cost_tables=tables, full=False)
    two, b = solve_risk("lshaped", first, ids, probs, datas, options, Engine("lshaped", 2, 1e-6),
                        risk_weight=0.0, alpha=0.9, cost_tables=tables, full=False)
    assert (a.processes, b.processes) == (1, 2)
    assert b.upper == pytest.approx(a.upper, rel=1e-9)
    assert b.lower == pytest.approx(a.lower, rel=1e-9)
    np.testing.assert_allclose(two.totals, one.totals, rtol=1e-9)
    assert two.fixed() == one.fixed()


@pytest.mark.component
def test_sample_reports_engine_bounds_gap_and_out_of_sample(make_workbook):
    """sourcing sample with PH on 2 processes: the Summary says which engine ran, its bounds
    and gap and how many scenarios; the decision is tested out of sample."""
    path = make_workbook(EVENTS)
    rc, info, report = run(sample_command, path, n=10, seed=11, n_out=6, engine="ph",
                           processes=2, gap=0.05)
    assert rc == 0 and info["status"] in ("optimal", "feasible")
    assert (info["engine"], info["processes"], info["n"]) == ("ph", 2, 10)
    assert info["lower_bound"] <= info["upper_bound"]
    assert info["certified_gap"] == pytest.approx(
        relative_gap(info["lower_bound"], info["upper_bound"]), abs=1e-12)
    assert info["in_sample_objective"] == pytest.approx(info["upper_bound"], rel=1e-9)
    assert info["out_of_sample_unsolved"] == 0
    lo, hi = info["out_of_sample_ci95_low"], info["out_of_sample_ci95_high"]
    assert lo <= info["out_of_sample_expected_cost"] <= hi
    t = sheets(report)
    assert len(t["InSample"]) == 10 and len(t["OutOfSample"]) == 6
    assert t["InSample"]["total_cost"].min() >= 3 * 60 * 19 - 1e-6
    bounds = t["Bounds"]
    assert bounds["lower_bound"].dropna().is_monotonic_increasing
    assert bounds["upper_bound"].dropna().is_monotonic_decreasing


@pytest.mark.unit
def test_bad_engine_options_exit_2_naming_every_problem(make_workbook, capsys, tmp_path):
    path = make_workbook(EVENTS)
    rc = sample_command(args(path, "sample", n=5, seed=1, engine="simplex", processes=0, gap=1.5,
                             hostfile=str(tmp_path / "nohosts"), max_iterations=0))
    assert rc == 2
    err = capsys.readouterr().err
    assert 'command line, --engine "simplex": must be one of auto, extensive, ph, lshaped' in err
    assert "command line, --processes 0: must be at least 1" in err
    assert "command line, --gap 1.5: the relative gap must be at least 0 and below 1" in err
    assert "command line, --max-iterations 0: must be at least 1" in err
    assert "--hostfile" in err and "no such file" in err
    assert not path.with_name(path.stem + "_risk.xlsx").exists()


@pytest.mark.unit
def test_auto_decomposes_above_the_size_limit(make_workbook):
    """columns() counts the extensive form's columns from the prepared frames: the
    newsvendor's base has 2 offers (buy), no process, lane or stock, 1 balance point
    (discard at BUYER), 1 demand row (met and unmet): 2 + 1 + 2 = 5 per scenario."""
    problem = load_problem(make_workbook(NEWSVENDOR))
    datas = [s.data for s in problem.scenarios]
    assert columns(datas) == 10
    assert pick(Engine("auto"), datas) == "extensive"
    assert pick(Engine("auto"), datas, limit=9) == "ph"
    assert pick(Engine("lshaped"), datas) == "lshaped"
    problems = Problems()
    check(Engine("ph"), problems)
    assert not problems.errors and mpiexec() is not None     # the mpi extra is installed


@pytest.mark.unit
def test_engine_options_apply_to_a_risk_solve_only(make_workbook, capsys, tmp_path):
    from model.cli import main
    out = tmp_path / "r.xlsx"
    rc = main(["solve", str(make_workbook(NEWSVENDOR)), "-o", str(out), "--engine", "ph",
               "--processes", "2"])
    assert rc == 2 and not out.exists()
    assert ("command line, --engine, --processes: the engine options apply to a risk solve "
            "(--risk) only") in capsys.readouterr().err
