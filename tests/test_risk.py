"""Risk-aware sourcing (issue 7, docs/risk.md): two-stage solves, CVaR, VSS,
EVPI, the frontier and sampled scenarios, each case worked by hand.

The newsvendor workbook: one buyer of OX in 2025, no lanes (both offers sit
at the buyer), unmet demand at 1000/t so that every tonne is bought:

    RES   reserved offer: reservation cost r = 10 per t, unit cost 0
    SPOT  spot offer:     unit cost s = 20 per t
    demand D = 100 (base, p = 0.6) or 200 (scenario HIGH, p = 0.4)

Reserve q t before D is known; buy min(D, q) from RES, the rest spot:
    T(q, D) = 10 q + 20 (D - q)+
"""

from __future__ import annotations

import json

import numpy as np
import openpyxl
import pandas as pd
import pytest

from model.cli import arguments
from model.risk.extensive import first_stage
from model.risk.outcome import cvar, solve_extensive
from model.risk.mean_value import mean_value_data
from model.risk.problem import load_problem
from model.risk.sampling import (apply_factors, evaluate_fixed, read_events, sample)
from model.problems import Problems
from model.read.workbook import read_workbook
from model.data.model_data import prepare
from model.solve.highs import SolveOptions
from model.commands.risk import frontier_command, risk_command, sample_command

pytestmark = pytest.mark.component

NEWSVENDOR = {
    "Settings": """
        key,value
        first_period,2025
        last_period,2025
        unmet_penalty,1000
        base_probability,0.6
    """,
    "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost,reservation_cost
        RES,BUYER,OX,1000,0,10
        SPOT,BUYER,OX,1000,20,
    """,
    "Lanes": None,
    "Demand": """
        demand_id,site_id,material_id,period,quantity
        D1,BUYER,OX,2025,100
    """,
    "Scenarios": """
        scenario_id,description,probability
        HIGH,high demand,0.4
    """,
    "ScenarioChanges": """
        scenario_id,sheet,id,column,op,value
        HIGH,Demand,D1,quantity,set,200
    """,
}


COMMAND_OF = {"risk_command": "solve", "frontier_command": "frontier", "sample_command": "sample"}


def args(workbook, command="solve", **kw):
    out = workbook.with_name(workbook.stem + "_risk.xlsx")
    js = workbook.with_name(workbook.stem + "_risk.json")
    base = dict(workbook=str(workbook), output=str(out), summary_json=str(js), quiet=True)
    base.update(kw)
    return arguments(command, **base)


def run(command, workbook, **kw):
    a = args(workbook, COMMAND_OF[command.__name__], **kw)
    rc = command(a)
    return rc, json.loads(open(a.summary_json).read()), a.output


def sheets(path):
    return pd.read_excel(path, sheet_name=None, engine="openpyxl")


def test_first_stage_is_discounted_by_period_years_like_the_second(make_workbook):
    """The newsvendor moved to 2026 of a 2025-2026 horizon of quarters (period_years
    0.25) at a yearly rate of 21 %: every cost of 2026, the reservation (first stage)
    and the spot purchase (second stage) alike, is worth delta = 1 / 1.21^0.25
    = 1 / 1.1^0.5 today, so RP = 1800 x delta (test_newsvendor_vss_and_evpi).
    Discounting the reservation by a whole year (1 / 1.21) instead would make it
    cheaper than it is: RP = 10 x 100 / 1.21 + 0.4 x 20 x 100 x delta = 1,589.3."""
    delta = 1 / 1.1 ** 0.5
    wb = make_workbook(dict(NEWSVENDOR, Settings="""
        key,value
        first_period,2025
        last_period,2026
        unmet_penalty,1000
        base_probability,0.6
        discount_rate,0.21
        period_years,0.25
    """, Demand="""
        demand_id,site_id,material_id,period,quantity
        D1,BUYER,OX,2026,100
    """))
    assert load_problem(wb).delta[2026] == pytest.approx(delta, rel=1e-12)
    rc, info, _ = run(risk_command, wb)
    assert rc == 0 and info["RP"] == pytest.approx(1800 * delta, rel=1e-6)


def test_newsvendor_vss_and_evpi(make_workbook):
    """Worked by hand (Birge & Louveaux's definitions, lambda = 0):

    RP: E[T(q)] = 10 q + 20 (0.6 (100 - q)+ + 0.4 (200 - q)+).
        Critical ratio r/s = 0.5: reserve while P(D > q) > 0.5.
        P(D > q) = 1 on [0, 100), 0.4 on [100, 200)  ->  q* = 100.
        RP = 10*100 + 0.4 * 20 * 100 = 1000 + 800 = 1800.
    EV: the mean-value problem has D = 0.6*100 + 0.4*200 = 140 -> reserve 140,
        EV = 10*140 = 1400.
    EEV: q = 140 in each scenario: D=100: 1400; D=200: 1400 + 20*60 = 2600.
        EEV = 0.6*1400 + 0.4*2600 = 1880.
    WS: each scenario reserves its own demand: 0.6*1000 + 0.4*2000 = 1400.
    VSS = EEV - RP = 80;  EVPI = RP - WS = 400.
    CVaR_0.95 of the RP totals (1000 w.p. 0.6, 3000 w.p. 0.4) = 3000.
    """
    wb = make_workbook(NEWSVENDOR)
    rc, info, report = run(risk_command, wb)
    assert rc == 0 and info["status"] == "optimal"
    approx = lambda v: pytest.approx(v, rel=1e-6)  # noqa: E731
    assert info["RP"] == approx(1800) and info["objective"] == approx(1800)
    assert info["EV"] == approx(1400)
    assert info["EEV"] == approx(1880)
    assert info["WS"] == approx(1400)
    assert info["VSS"] == pytest.approx(80, abs=1e-3)
    assert info["EVPI"] == pytest.approx(400, abs=1e-3)
    assert info["cvar"] == approx(3000)
    t = sheets(report)
    res = t["Reservations"]
    assert res.loc[res["offer"] == "RES", "reserved_t"].iloc[0] == pytest.approx(100, abs=1e-5)
    scen = t["Scenarios"].set_index("scenario")
    assert scen.loc["base", "total_cost"] == pytest.approx(1000, abs=1e-3)
    assert scen.loc["HIGH", "total_cost"] == pytest.approx(3000, abs=1e-3)
    assert scen.loc["HIGH", "total_cost_ev_decision"] == pytest.approx(2600, abs=1e-3)
    sv = t["StochasticValue"].set_index("measure")
    assert sv.loc["VSS", "value"] == pytest.approx(80, abs=1e-3)
    used = t["ReservedUse"].set_index("scenario")
    assert used.loc["HIGH", "bought_t"] == pytest.approx(100, abs=1e-5)
    for name in ("Summary", "Warnings", "Commitments", "CostByScenario", "UnmetByScenario",
                 "ArrivalsByScenario"):
        assert name in t
    arr = t["ArrivalsByScenario"].set_index("scenario")
    assert arr.loc["HIGH", "arrivals_t"] == pytest.approx(200)


def test_reservation_is_first_stage_and_spot_is_not(make_workbook):
    """The mean-value decision differs from the stochastic one: RP reserves 100 t, EV 140 t."""
    problem = load_problem(make_workbook(NEWSVENDOR))
    datas = [s.data for s in problem.scenarios]
    ev = mean_value_data(datas, problem.probabilities)
    assert ev.demand["quantity"].tolist() == pytest.approx([140.0])
    r = solve_extensive(first_stage([ev], problem.reservation, problem.delta), ["EV"], [1.0], [ev],
                        SolveOptions())
    assert r.fixed().reserve[("RES", 2025)] == pytest.approx(140, abs=1e-5)
    # spot purchases exist in every scenario block, reservations only once (first stage)
    rp = solve_extensive(first_stage(datas, problem.reservation, problem.delta),
                         [s.id for s in problem.scenarios], problem.probabilities, datas,
                         SolveOptions())
    m = rp.ext.model
    assert list(m.reserve) == [("RES", 2025)]
    assert ("SPOT", 2025) in m.sc[0].buy and ("SPOT", 2025) in m.sc[1].buy
    assert ("RES", 2025) in m.sc[1].reserved and ("SPOT", 2025) not in m.sc[1].reserved


THREE = dict(NEWSVENDOR, **{
    "Settings": """
        key,value
        first_period,2025
        last_period,2025
        unmet_penalty,1000
        base_probability,0.4
        risk_weight,{weight}
        cvar_alpha,0.95
    """,
    "Scenarios": """
        scenario_id,description,probability
        MID,more,0.4
        HIGH,most,0.2
    """,
    "ScenarioChanges": """
        scenario_id,sheet,id,column,op,value
        MID,Demand,D1,quantity,set,150
        HIGH,Demand,D1,quantity,set,250
    """,
})


def _three(make_workbook, weight, name):
    sheets_ = dict(THREE)
    sheets_["Settings"] = THREE["Settings"].format(weight=weight)
    return make_workbook(sheets_, name=name)


def test_cvar_with_a_large_weight_is_the_min_max_solution(make_workbook):
    """D = 100, 150, 250 with p = 0.4, 0.4, 0.2; T(q, D) = 10 q + 20 (D - q)+.

    lambda = 0: P(D > q) = 1, 0.6, 0.2 on [0,100), [100,150), [150,250): reserve
        while above r/s = 0.5 -> q = 150; E = 1500 + 0.2*20*100 = 1900.
    min-max: max_D T(q, D) = T(q, 250) = 5000 - 10 q for q <= 250, 10 q above
        -> q = 250, every scenario costs 2500, the max is 2500.
    CVaR_0.95 is the mean of the worst 5 %, all inside D = 250 (p = 0.2): it is
        T(q, 250) itself, so lambda -> inf gives the min-max solution.
    (Checked below also by brute force over q = 0..400.)
    """
    grid = np.arange(0, 401)
    worst = np.max([10 * grid + 20 * np.maximum(d - grid, 0) for d in (100, 150, 250)], axis=0)
    assert grid[np.argmin(worst)] == 250 and worst.min() == 2500

    rc, info, report = run(risk_command, _three(make_workbook, 0, "w0.xlsx"))
    assert rc == 0
    res = sheets(report)["Reservations"]
    assert res["reserved_t"].iloc[0] == pytest.approx(150, abs=1e-5)
    assert info["expected_cost"] == pytest.approx(1900, rel=1e-6)

    rc, info, report = run(risk_command, _three(make_workbook, 1000, "w1000.xlsx"))
    assert rc == 0
    res = sheets(report)["Reservations"]
    assert res["reserved_t"].iloc[0] == pytest.approx(250, abs=1e-5)
    assert info["cvar"] == pytest.approx(2500, rel=1e-6)
    scen = sheets(report)["Scenarios"]
    assert scen["total_cost"].max() == pytest.approx(worst.min(), rel=1e-6)
    assert info["expected_cost"] == pytest.approx(2500, rel=1e-6)


def test_probabilities_not_summing_to_one_exit_2(make_workbook, capsys):
    bad = dict(NEWSVENDOR)
    bad["Settings"] = NEWSVENDOR["Settings"].replace("base_probability,0.6", "base_probability,0.5")
    rc, info, report = run(risk_command, make_workbook(bad))
    assert rc == 2
    err = capsys.readouterr().err
    assert "must sum to 1, they sum to 0.9" in err
    assert '"HIGH" 0.4 (Scenarios row 2)' in err and "base_probability 0.5 (Settings row 5)" in err
    assert info["status"] == "error" and info["reason"] == "invalid_input"
    assert "Warnings" in sheets(report)


def test_no_probability_at_all_exit_2(make_workbook, capsys):
    bare = dict(NEWSVENDOR)
    bare["Settings"] = NEWSVENDOR["Settings"].replace("base_probability,0.6\n", "")
    bare["Scenarios"] = "scenario_id,description\nHIGH,high demand"
    rc, _, _ = run(risk_command, make_workbook(bare))
    assert rc == 2
    assert "no scenario has a probability" in capsys.readouterr().err


def test_cvar_alpha_must_be_below_one(make_workbook, capsys):
    bad = dict(NEWSVENDOR)
    bad["Settings"] = NEWSVENDOR["Settings"] + "    cvar_alpha,1\n"
    rc, _, _ = run(risk_command, make_workbook(bad))
    assert rc == 2
    assert "cvar_alpha must be at least 0 and below 1" in capsys.readouterr().err


def test_scenario_without_probability_is_left_out(make_workbook):
    wb = dict(NEWSVENDOR)
    wb["Scenarios"] = """
        scenario_id,description,probability
        HIGH,high demand,0.4
        WHATIF,a what-if only,
    """
    wb["ScenarioChanges"] = """
        scenario_id,sheet,id,column,op,value
        HIGH,Demand,D1,quantity,set,200
        WHATIF,Demand,D1,quantity,set,999
    """
    rc, info, report = run(risk_command, make_workbook(wb))
    assert rc == 0 and info["left_out"] == "WHATIF" and info["RP"] == pytest.approx(1800, rel=1e-6)
    scen = sheets(report)["Scenarios"].set_index("scenario")
    assert scen.loc["WHATIF", "role"].startswith("left out")


def test_offer_missing_in_a_scenario(make_workbook):
    """RES is disabled in scenario CUT (p = 0.4; demand 100 in both scenarios).

    Reserving q costs 10 q in both scenarios; in CUT everything is spot (2000).
    base: 10 q + 20 (100 - q)+ -> E = 0.6 (10 q + 20 (100 - q)) + 0.4 (10 q + 2000),
    dE/dq = 6 - 12 + 4 = -2 < 0 on [0, 100) -> q = 100; E = 0.6*1000 + 0.4*3000 = 1800.
    The block of CUT has no buy[RES] (a disabled offer is absent, not at zero).
    The EV problem has RES at capacity 0.6 * 1000 = 600 t. Reservations cost the same in
    every scenario, including the one where the offer is gone.
    """
    wb = dict(NEWSVENDOR)
    wb["Scenarios"] = "scenario_id,description,probability\nCUT,RES withdrawn,0.4"
    wb["ScenarioChanges"] = "scenario_id,sheet,id,column,op,value\nCUT,Supply,RES,enabled,set,FALSE"
    path = make_workbook(wb)
    problem = load_problem(path)
    datas = [s.data for s in problem.scenarios]
    r = solve_extensive(first_stage(datas, problem.reservation, problem.delta),
                        [s.id for s in problem.scenarios], problem.probabilities, datas,
                        SolveOptions())
    assert r.status == "optimal"
    assert ("RES", 2025) not in r.ext.model.sc[1].buy
    assert r.fixed().reserve[("RES", 2025)] == pytest.approx(100, abs=1e-5)
    assert r.expected_cost == pytest.approx(1800, rel=1e-6)
    ev = mean_value_data(datas, problem.probabilities)
    assert ev.offers.set_index("offer").loc["RES", "cap"] == pytest.approx(600)
    rc, info, _ = run(risk_command, path)
    # EV reserves 100 too (demand 100 in both), so VSS = 0; WS = 0.6*1000 + 0.4*2000 = 1400
    assert rc == 0 and info["VSS"] == pytest.approx(0, abs=1e-3)
    assert info["EVPI"] == pytest.approx(400, abs=1e-3)


def test_commitment_with_minimum_and_binaries_are_first_stage(make_workbook):
    """BIG has a fixed cost 300 and a minimum of 80 t at unit cost 5; SPOT costs 20.

    Demand 100 (p = 0.5) or 50 (p = 0.5). use[BIG] is decided first:
      use = 1: D=100: 300 + 500 = 800;  D=50: 300 + 80*5 = 700 (buys the minimum) -> E = 750.
      use = 0: all spot: 0.5*2000 + 0.5*1000 = 1500.  -> use = 1, E = 750.
    Each scenario alone (WS): D=100: 800 (use); D=50: min(1000 spot, 700) = 700 -> WS = 750.
    """
    wb = dict(NEWSVENDOR)
    wb["Settings"] = NEWSVENDOR["Settings"].replace("0.6", "0.5")
    wb["Supply"] = """
        offer_id,site_id,material_id,capacity,unit_cost,fixed_cost,min_quantity
        BIG,BUYER,OX,1000,5,300,80
        SPOT,BUYER,OX,1000,20,,
    """
    wb["Scenarios"] = "scenario_id,description,probability\nLOW,low,0.5"
    wb["ScenarioChanges"] = "scenario_id,sheet,id,column,op,value\nLOW,Demand,D1,quantity,set,50"
    rc, info, report = run(risk_command, make_workbook(wb))
    assert rc == 0
    assert info["expected_cost"] == pytest.approx(750, rel=1e-6)
    com = sheets(report)["Commitments"]
    assert com.loc[com["id"] == "BIG", "decision"].tolist() == [1]
    assert info["WS"] == pytest.approx(750, rel=1e-6) and info["EVPI"] == pytest.approx(0, abs=1e-3)


def test_no_solution_exit_3(make_workbook):
    """HIGH withdraws every offer but the buyer must keep 10 t in stock: no plan exists."""
    wb = dict(NEWSVENDOR)
    wb["Inventory"] = """
        site_id,material_id,initial_stock,holding_cost,min_stock
        BUYER,OX,0,0,10
    """
    wb["ScenarioChanges"] = """
        scenario_id,sheet,id,column,op,value
        HIGH,Supply,*,enabled,set,FALSE
    """
    rc, info, report = run(risk_command, make_workbook(wb))
    assert rc == 3 and info["status"] == "infeasible"
    assert {"Summary", "Warnings", "Scenarios"} <= set(sheets(report))


def test_mean_value_drops_a_ban_absent_in_some_scenario(make_workbook):
    """A ban is a limit of 0 t; where the rule is off its limit is +inf, so its mean over
    scenarios where it is off with positive probability is +inf: the EV problem has no ban.
    A tariff is a price: its mean is 0.5 * 0.3 * 1000 + (lane tariff 0) = 150 per t."""
    wb = dict(NEWSVENDOR)
    wb["Settings"] = NEWSVENDOR["Settings"].replace("0.6", "0.5")
    wb["Supply"] = "offer_id,site_id,material_id,capacity,unit_cost\nMINE_OX,MINE,OX,100,10"
    wb["Lanes"] = "lane_id,from_site,to_site,material_id,unit_cost\nL1,MINE,BUYER,OX,5"
    wb["ExportControls"] = """
        rule_id,exporter,material_id,importer,measure,value
        AU_BAN,AU,OX,US,ban,
        AU_TAX,AU,OX,US,tariff,0.3
    """
    wb["Scenarios"] = "scenario_id,description,probability\nOPEN,ban and tariff lifted,0.5"
    wb["ScenarioChanges"] = """
        scenario_id,sheet,id,column,op,value
        OPEN,ExportControls,AU_BAN,enabled,set,FALSE
        OPEN,ExportControls,AU_TAX,enabled,set,FALSE
    """
    problem = load_problem(make_workbook(wb))
    datas = [s.data for s in problem.scenarios]
    assert [len(d.export_limits) for d in datas] == [1, 0]
    ev = mean_value_data(datas, problem.probabilities)
    assert ev.export_limits.empty and ev.export_cover.empty
    assert ev.ship["tariff"].tolist() == pytest.approx([150.0])


def test_cvar_of_a_discrete_distribution():
    # worst 10 % of {0 (p .5), 10 (p .3), 100 (p .2)} lies inside 100
    assert cvar([0, 10, 100], [0.5, 0.3, 0.2], 0.9) == pytest.approx(100)
    # worst 50 %: 0.2 at 100 and 0.3 at 10 -> (20 + 3) / 0.5 = 46
    assert cvar([0, 10, 100], [0.5, 0.3, 0.2], 0.5) == pytest.approx(46)
    assert cvar([0, 10, 100], [0.5, 0.3, 0.2], 0.0) == pytest.approx(23)   # the mean


def test_frontier_newsvendor(make_workbook):
    """E(q) = 2 q + 1600 and CVaR(q) = T(q, 200) = 4000 - 10 q on [100, 200]:
    the frontier runs from (E, CVaR) = (1800, 3000) at q = 100 to (2000, 2000) at q = 200,
    on the line E = 2200 - 0.2 CVaR: the implied risk weight is 0.2 everywhere."""
    wb = make_workbook(NEWSVENDOR)
    rc, info, report = run(frontier_command, wb, points=3)
    assert rc == 0 and info["points"] == 3
    f = sheets(report)["Frontier"]
    assert f["expected_cost"].tolist() == pytest.approx([1800, 1900, 2000], rel=1e-6)
    assert f["cvar"].tolist() == pytest.approx([3000, 2500, 2000], rel=1e-6)
    assert f["implied_risk_weight"].iloc[1:].tolist() == pytest.approx([0.2, 0.2], rel=1e-4)
    port = sheets(report)["FrontierPortfolio"]
    assert port.loc[port["kind"] == "reserve", "value"].tolist() == pytest.approx([100, 150, 200],
                                                                                  abs=1e-5)
    ws = openpyxl.load_workbook(report)["Frontier"]
    assert len(ws._charts) == 1 and type(ws._charts[0]).__name__ == "ScatterChart"


# --- sampled scenarios --------------------------------------------------------------------

EVENTS = {
    "Settings": """
        key,value
        first_period,2025
        last_period,2027
        unmet_penalty,1000
        cvar_alpha,0.9
    """,
    "Sites": """
        site_id,name,company,country,kind
        MINE,Mine,MineCo,AU,mine
        MINE2,Mine 2,OtherCo,CA,mine
        PLANT,Plant,PlantCo,AU,processor
        BUYER,Buyer,BuyCo,US,customer
    """,
    "Materials": """
        material_id,name,reference_price,disposal_cost
        ORE,ore,100,0
        OX,oxide,1000,0
    """,
    "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost,reservation_cost
        MINE_ORE,MINE,ORE,100,10,2
        MINE2_ORE,MINE2,ORE,100,30,
    """,
    "Processes": """
        process_id,site_id,capacity,unit_cost
        SEP,PLANT,100,5
    """,
    "Recipes": """
        process_id,material_id,input,output
        SEP,ORE,1,
        SEP,OX,,1
    """,
    "Lanes": """
        lane_id,from_site,to_site,material_id,unit_cost,capacity
        MINE_PLANT,MINE,PLANT,ORE,1,
        MINE2_PLANT,MINE2,PLANT,ORE,1,
        PLANT_BUYER,PLANT,BUYER,OX,1,
    """,
    "Demand": """
        demand_id,site_id,material_id,period,quantity
        D25,BUYER,OX,2025,60
        D26,BUYER,OX,2026,60
        D27,BUYER,OX,2027,60
    """,
    "Events": """
        event_id,entity,id,probability,capacity_factor,duration,first_period,last_period
        MINE_FLOOD,site,MINE,0.2,0,1,,
        AU_STRIKE,country,AU,0.05,0.5,2,2026,2026
        LANE_CUT,lane,MINE2_PLANT,0.1,0,1,,
    """,
}


def test_events_hit_the_rows_they_name(make_workbook):
    wb = read_workbook(make_workbook(EVENTS))
    problems = Problems()
    events = {e.id: e for e in read_events(wb, problems)}
    assert not problems.errors
    assert events["MINE_FLOOD"].hits == [("offer", "MINE_ORE"), ("lane", "MINE_PLANT")]
    assert events["AU_STRIKE"].hits == [("offer", "MINE_ORE"), ("lane", "MINE_PLANT"),
                                        ("process", "SEP"), ("lane", "PLANT_BUYER")]
    assert events["AU_STRIKE"].window == [2026] and events["AU_STRIKE"].duration == 2
    a = sample(list(events.values()), [2025, 2026, 2027], 50, 3)
    assert a == sample(list(events.values()), [2025, 2026, 2027], 50, 3)   # reproducible
    assert a != sample(list(events.values()), [2025, 2026, 2027], 50, 4)
    # an AU strike starting in 2026 lasts to 2027 and halves SEP; the smallest factor applies
    data = prepare(wb)
    hit = apply_factors(data, [(("process", "SEP", 2026), 0.5), (("lane", "PLANT_BUYER", 2027), 0.0),
                               (("offer", "MINE_ORE", 2025), 0.0)])
    assert hit.processes.set_index("period").loc[2026, "cap"] == 50
    assert hit.offers.set_index(["offer", "period"]).loc[("MINE_ORE", 2025), "cap"] == 0
    caps = hit.lane_caps.set_index(["lane", "period"])["cap"]
    assert caps[("PLANT_BUYER", 2027)] == 0                      # an uncapped lane shut
    assert data.lane_caps.empty                                  # the original is untouched


def test_bad_event_exit_2(make_workbook, capsys):
    bad = dict(EVENTS)
    bad["Events"] = """
        event_id,entity,id,probability,capacity_factor,duration
        X,offer,NOPE,0.2,0,1
        Y,site,MINE,0.2,0,1.5
    """
    rc, info, _ = run(sample_command, make_workbook(bad), n=5, seed=1)
    assert rc == 2
    err = capsys.readouterr().err
    assert 'Events row 2, id "NOPE": no such offer' in err
    assert "Events row 3, duration 1.5: must be a whole number of periods" in err


def test_sample_of_200_scenarios_solves(make_workbook):
    """200 equally likely scenarios in sample, 50 fresh ones out of sample.

    Without events the cheapest plan is MINE ore at 10 + 2 (reservation) + 1 + 5 + 1 = 19/t
    of oxide, 3 * 60 * 19 = 3420 in all; events only take capacity away, so no scenario
    costs less. A flood of MINE (p = 0.2 a year) moves that year to MINE2 at 37/t."""
    path = make_workbook(EVENTS)
    rc, info, report = run(sample_command, path, n=200, seed=11, n_out=50)
    assert rc == 0 and info["status"] == "optimal"
    assert info["n"] == 200 and info["n_out"] == 50
    lo, hi = info["in_sample_ci95_low"], info["in_sample_ci95_high"]
    assert lo <= info["in_sample_expected_cost"] <= hi
    assert info["in_sample_expected_cost"] >= 3 * 60 * 19 - 1e-6
    assert sheets(report)["InSample"]["total_cost"].min() >= 3 * 60 * 19 - 1e-6
    assert info["out_of_sample_unsolved"] == 0
    t = sheets(report)
    assert len(t["InSample"]) == 200 and len(t["OutOfSample"]) == 50
    ev = t["Events"].set_index("event_id")
    # P(a flood in at least one of 3 years) = 1 - 0.8^3 = 0.488
    assert ev.loc["MINE_FLOOD", "in_sample_share"] == pytest.approx(0.488, abs=0.08)
    res = t["Reservations"]
    assert (res["reserved_t"] <= 60 + 1e-6).all() and (res["reserved_t"] > 0).any()


def _fixed_setup(make_workbook, n):
    path = make_workbook(EVENTS)
    wb = read_workbook(path)
    base = prepare(wb)
    events = read_events(wb, Problems())
    scen = sample(events, base.periods, n, 5)
    problem_first = first_stage([base], {"MINE_ORE": 2.0}, base.delta)
    inside = solve_extensive(problem_first, ["a"], [1.0], [base], SolveOptions())
    fresh = sample(events, base.periods, n, 6)
    quick = SolveOptions(want_duals=False, canonical=False)
    return base, problem_first, inside.fixed(), fresh, quick


def test_out_of_sample_in_workers_equals_serial(make_workbook):
    base, first, fixed, fresh, quick = _fixed_setup(make_workbook, 12)
    serial = evaluate_fixed(base, first, fixed, fresh, quick)
    parallel = evaluate_fixed(base, first, fixed, fresh, quick, workers=2)
    pd.testing.assert_frame_equal(serial, parallel, check_exact=True)
    assert (serial["status"] == "optimal").all()


def test_out_of_sample_on_dask_equals_serial(make_workbook):
    distributed = pytest.importorskip("dask.distributed",
                                      reason="Dask is an optional extra (pip install -e .[dask])")
    base, first, fixed, fresh, quick = _fixed_setup(make_workbook, 8)
    serial = evaluate_fixed(base, first, fixed, fresh, quick)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        on_dask = evaluate_fixed(base, first, fixed, fresh, quick, dask=cluster.scheduler_address)
    pd.testing.assert_frame_equal(serial, on_dask, check_exact=True)


def test_sample_needs_events(make_workbook, capsys):
    rc, _, _ = run(sample_command, make_workbook(NEWSVENDOR), n=3, seed=1)
    assert rc == 2
    assert "no enabled event: nothing to sample" in capsys.readouterr().err
