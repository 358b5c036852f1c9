"""Issue 12, case 3: a first-stage commitment is charged in every scenario
where the committed row exists, even where it cannot run or deliver there.

docs/model.md: a process exists when it is enabled, active in the period and
has capacity; docs/risk.md: its fixed cost is paid where it exists and is
used (committed). Reachability only prunes the model; it does not make a
plant disappear.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from model.cli import arguments
from model.commands.risk import risk_command

pytestmark = pytest.mark.component

# One period, everything at the buyer (no lanes). Plant P turns 1 t RAW into 1 t FIN,
# fixed cost 1,000, run cost 0; RAW comes only from mine offer A (10/t); spot FIN 500/t.
# Scenario NOMINE (p 0.5) disables A; the workbook as it stands is base (p 0.5).
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
        RAW,raw,10,0
        FIN,finished,500,0
    """,
    "Supply": """
        offer_id,site_id,material_id,capacity,unit_cost
        A,BUYER,RAW,1000,10
        SPOT,BUYER,FIN,1000,500
    """,
    "Processes": """
        process_id,site_id,capacity,unit_cost,fixed_cost
        P,BUYER,1000,0,1000
    """,
    "Recipes": """
        process_id,material_id,input,output
        P,RAW,1,0
        P,FIN,0,1
    """,
    "Lanes": None,
    "Demand": """
        demand_id,site_id,material_id,period,quantity
        D1,BUYER,FIN,2025,100
    """,
    "Scenarios": """
        scenario_id,description,probability
        NOMINE,the mine is gone,0.5
    """,
    "ScenarioChanges": """
        scenario_id,sheet,id,column,op,value
        NOMINE,Supply,A,enabled,set,FALSE
    """,
}


def risk(path):
    out, js = path.with_name("risk.xlsx"), path.with_name("risk.json")
    rc = risk_command(arguments("solve", workbook=str(path), output=str(out),
                                         summary_json=str(js), quiet=True))
    return rc, json.loads(js.read_text()), pd.read_excel(out, sheet_name=None, engine="openpyxl")


def test_case3_stranded_commitment_is_charged(make_workbook):
    """Worked by hand. on = the first-stage commitment to run P in 2025.

    on = 1: base:   1,000 fixed + 100 t RAW x 10            =  2,000
            NOMINE: 1,000 fixed (committed, P still exists)
                    + 100 t spot FIN x 500                  = 51,000
            E = 0.5 x 2,000 + 0.5 x 51,000                  = 26,500
    on = 0: both scenarios buy 100 t spot x 500             = 50,000
    RP = min(26,500, 50,000) = 26,500 (commit).
    WS: base alone commits (2,000 < 50,000), NOMINE alone does not (50,000):
        WS = 0.5 x 2,000 + 0.5 x 50,000 = 26,000;  EVPI = RP - WS = 500.
    EV: A at mean capacity 0.5 x 1,000 = 500 t >= 100 t, so x_EV commits:
        EV = 2,000; EEV = the on = 1 plan in both scenarios = 26,500; VSS = 0.
    Dropping P from NOMINE as "can never run" charged nothing there: RP 26,000, EVPI 0.
    """
    rc, info, t = risk(make_workbook(STRANDED))
    assert rc == 0 and info["status"] == "optimal"
    assert info["RP"] == pytest.approx(26_500, rel=1e-6)
    assert info["WS"] == pytest.approx(26_000, rel=1e-6)
    assert info["EVPI"] == pytest.approx(500, abs=1e-3)
    assert info["EV"] == pytest.approx(2_000, rel=1e-6)
    assert info["EEV"] == pytest.approx(26_500, rel=1e-6)
    scen = t["Scenarios"].set_index("scenario")
    assert scen.loc["NOMINE", "total_cost"] == pytest.approx(51_000, rel=1e-6)
    com = t["Commitments"]
    assert com.loc[(com["kind"] == "process") & (com["id"] == "P"), "decision"].tolist() == [1]
    # the fixed cost shows where it is paid: 1,000 in NOMINE as in base
    cost = t["CostByScenario"]
    fixed = cost[cost["category"] == "process_fixed"].set_index("scenario")["cost"]
    assert fixed.to_dict() == {"base": pytest.approx(1_000), "NOMINE": pytest.approx(1_000)}


# --- the same class: a commitment dropped where its row exists but cannot deliver ----------

def _with_scenario(name: str, change: str) -> dict:
    return dict(STRANDED, **{
        "Scenarios": f"scenario_id,description,probability\n{name},{name},0.5",
        "ScenarioChanges": f"scenario_id,sheet,id,column,op,value\n{change}"})


def test_committed_plant_in_an_outage_is_charged_as_in_a_sampled_outage(make_workbook):
    """Scenario OUT scales P's capacity to 0 (an outage; A still sells RAW).

    By hand, with P committed (on = 1): OUT pays the 1,000 fixed cost and buys 100 t spot FIN
    at 500 = 51,000 (base: 2,000). The sampled path, where an event with capacity_factor 0
    shuts P, keeps P with capacity 0 and always charged the commitment: also 51,000.
    The workbook path dropped the row of capacity 0 and charged 50,000. One rule for both.
    RP: on = 1 gives 0.5 x 2,000 + 0.5 x 51,000 = 26,500 < 50,000 (on = 0).
    """
    from model.risk.extensive import Fixed, first_stage
    from model.risk.outcome import solve_extensive
    from model.risk.problem import load_problem
    from model.risk.sampling import evaluate_fixed
    from model.solve.highs import SolveOptions

    problem = load_problem(make_workbook(_with_scenario("OUT", "OUT,Processes,P,capacity,scale,0")))
    datas = [s.data for s in problem.scenarios]
    first = first_stage(datas, problem.reservation, problem.delta)
    assert first.on == [("P", 2025)]
    committed = Fixed({}, {}, {("P", 2025): 1})
    opts = SolveOptions(want_duals=False, canonical=False)
    workbook_path = solve_extensive(first, ["base", "OUT"], [0.5, 0.5], datas, opts,
                                    fixed=committed)
    assert workbook_path.totals.tolist() == pytest.approx([2_000, 51_000], rel=1e-9)
    sampled = evaluate_fixed(datas[0], first, committed, [[(("process", "P", 2025), 0.0)]], opts)
    assert sampled["total_cost"].tolist() == pytest.approx([51_000], rel=1e-9)
    rp = solve_extensive(first, ["base", "OUT"], [0.5, 0.5], datas, SolveOptions())
    assert rp.expected_cost == pytest.approx(26_500, rel=1e-6)


def test_committed_offer_below_its_minimum_takes_what_it_can_and_is_charged(make_workbook):
    """Offer BIG (fixed cost 300, minimum 80 t, 5/t, capacity 1,000) or spot FIN at 500/t;
    no plant. Demand 100 t FIN. Scenario SHORT (p 0.5): BIG can deliver only 50 t.

    use = 1: base: 300 + 100 x 5 = 800; SHORT: the commitment stands, BIG delivers all it can,
             300 + 50 x 5 + 50 x 500 = 25,550.  E = 0.5 x 800 + 0.5 x 25,550 = 13,175.
    use = 0: 100 x 500 = 50,000 in both.  RP = 13,175 (commit).
    A sampled scenario in which an event cuts BIG to 50 t gives the same 25,550.
    Before: the commitment lapsed in SHORT (no fixed cost, nothing bought from BIG):
    SHORT = 50,000 and RP = 25,400.
    """
    from model.risk.extensive import first_stage
    from model.risk.outcome import solve_extensive
    from model.risk.problem import load_problem
    from model.risk.sampling import evaluate_fixed
    from model.solve.highs import SolveOptions

    wb = _with_scenario("SHORT", "SHORT,Supply,BIG,capacity,set,50")
    wb.update({"Supply": """
        offer_id,site_id,material_id,capacity,unit_cost,fixed_cost,min_quantity
        BIG,BUYER,FIN,1000,5,300,80
        SPOT,BUYER,FIN,1000,500,,
    """, "Processes": None, "Recipes": None})
    problem = load_problem(make_workbook(wb))
    datas = [s.data for s in problem.scenarios]
    first = first_stage(datas, problem.reservation, problem.delta)
    rp = solve_extensive(first, ["base", "SHORT"], [0.5, 0.5], datas, SolveOptions())
    assert rp.fixed().use == {("BIG", 2025): 1}
    assert rp.totals.tolist() == pytest.approx([800, 25_550], rel=1e-9)
    assert rp.expected_cost == pytest.approx(13_175, rel=1e-9)
    opts = SolveOptions(want_duals=False, canonical=False)
    cut = 50 / 1000
    sampled = evaluate_fixed(datas[0], first, rp.fixed(), [[(("offer", "BIG", 2025), cut)]], opts)
    assert sampled["total_cost"].tolist() == pytest.approx([25_550], rel=1e-9)
