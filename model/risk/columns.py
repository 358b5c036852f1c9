"""What each column and Summary key of the risk reports means (``sourcing solve
--risk``, ``frontier``, ``sample``): header comments, units and number formats.

Registered with ``model.report.styles.register`` so that ``data_sheet`` treats
the risk sheets exactly as the solve report's own.
"""

from __future__ import annotations

from model.report import styles as st

_SCENARIO = {
    "scenario": ("text", "scenario id (base: the workbook as it stands; S0001..: sampled in sample; "
                         "O0001..: sampled out of sample)"),
    "probability": ("pct", "probability of the scenario"),
    "first_stage_cost": ("money", "reservation cost, discounted: the same in every scenario, paid "
                                  "before the scenario is known"),
    "second_stage_cost": ("money", "every other cost of the scenario (purchases, fixed costs of the "
                                   "commitments, freight, tariffs, stock, unmet penalties), discounted"),
    "total_cost": ("money", "first_stage_cost + second_stage_cost: what the scenario costs in all"),
    "demand_t": ("t", "demand of the scenario over the horizon"),
    "unmet_t": ("t", "demand left unmet in the scenario over the horizon"),
    "status": ("text", "solver status of the scenario's solve"),
}
COLUMNS: dict[tuple[str, str], tuple[str, str]] = {
    **{(sheet, c): v for sheet in ("Scenarios", "InSample", "OutOfSample")
       for c, v in _SCENARIO.items()},
    ("Scenarios", "scenarios_row"): ("row", "Excel row of the scenario on sheet Scenarios "
                                            "(blank: base, from Settings base_probability)"),
    ("Scenarios", "role"): ("text", "in the risk solve, or left out and why"),
    ("Scenarios", "total_cost_ev_decision"): ("money", "total cost of the scenario under the "
                                                       "mean-value (EV) first-stage decision: its "
                                                       "part of EEV"),
    ("Scenarios", "total_cost_wait_and_see"): ("money", "total cost had the scenario been known "
                                                        "before signing: its part of WS"),
    ("Reservations", "offer"): ("text", "Supply.offer_id of an offer with a reservation_cost"),
    ("Reservations", "reserved_t"): ("t", "t reserved for the period (first stage): the most "
                                          "that can be bought from the offer in any scenario"),
    ("Reservations", "reservation_cost_per_t"): ("money/t", "Supply.reservation_cost"),
    ("Reservations", "reservation_cost"): ("money", "reserved_t x reservation_cost_per_t, "
                                                    "undiscounted"),
    ("Reservations", "reservation_cost_discounted"): ("money", "reservation_cost x discount"),
    ("Reservations", "max_capacity_t"): ("t", "largest capacity of the offer in the period in any "
                                              "scenario: the most that can be reserved"),
    ("Reservations", "discount"): ("number", "discount factor of the period (Settings discount_rate)"),
    ("Commitments", "kind"): ("text", "offer (Supply row with a fixed_cost or min_quantity) or "
                                      "process (Processes row with a fixed_cost)"),
    ("Commitments", "id"): ("text", "offer_id or process_id"),
    ("Commitments", "decision"): ("count", "1: committed (offer taken up, plant on) in every "
                                           "scenario, its fixed cost paid; 0: not"),
    ("ReservedUse", "offer"): ("text", "Supply.offer_id"),
    ("ReservedUse", "reserved_t"): ("t", "t reserved for the period (same in every scenario)"),
    ("ReservedUse", "bought_t"): ("t", "t bought from the offer in this scenario (at most reserved_t)"),
    ("StochasticValue", "measure"): ("text", "RP, EV, EEV, WS, VSS or EVPI (docs/risk.md)"),
    ("StochasticValue", "value"): ("money", "the measure: expected cost + risk_weight x CVaR "
                                            "(with risk_weight 0: the expected cost)"),
    ("StochasticValue", "expected_cost"): ("money", "its expected-cost part"),
    ("StochasticValue", "cvar"): ("money", "its CVaR part (mean cost of the worst 1 - cvar_alpha "
                                           "of outcomes)"),
    ("StochasticValue", "status"): ("text", "solver status of the solves behind it"),
    ("StochasticValue", "definition"): ("text", "the measure in words"),
    ("CostByScenario", "cost"): ("money", "cost in the period, undiscounted"),
    ("CostByScenario", "cost_discounted"): ("money", "cost x discount factor of the period; summed "
                                                     "over categories and periods: the scenario's "
                                                     "total_cost"),
    ("UnmetByScenario", "site"): ("text", "Sites.site_id of the demand"),
    ("UnmetByScenario", "material"): ("text", "Materials.material_id"),
    ("UnmetByScenario", "quantity_t"): ("t", "demand (Demand.quantity in the scenario)"),
    ("Frontier", "point"): ("count", "0: the cheapest plan on average, last: the safest"),
    ("Frontier", "epsilon"): ("money", "the bound on CVaR the point was solved with"),
    ("Frontier", "expected_cost"): ("money", "expected total cost of the plan at the point"),
    ("Frontier", "cvar"): ("money", "its CVaR: mean cost of the worst 1 - cvar_alpha of outcomes"),
    ("Frontier", "status"): ("text", "solver status"),
    ("Frontier", "implied_risk_weight"): ("number", "expected cost saved per unit of CVaR given up "
                                                    "(minus the dual of the CVaR bound): the "
                                                    "risk_weight that picks this plan where the "
                                                    "frontier is convex"),
    ("Frontier", "reservation_cost"): ("money", "first-stage (reservation) cost of the plan, "
                                                "discounted"),
    ("Frontier", "cvar_reduction"): ("money", "CVaR of the cheapest plan minus this plan's: the "
                                              "risk removed"),
    ("Frontier", "extra_expected_cost"): ("money", "expected cost of this plan minus the cheapest "
                                                   "plan's: the price of that safety"),
    ("FrontierPortfolio", "point"): ("count", "frontier point (sheet Frontier)"),
    ("FrontierPortfolio", "kind"): ("text", "reserve (t reserved), offer or process (commitment)"),
    ("FrontierPortfolio", "id"): ("text", "offer_id or process_id"),
    ("FrontierPortfolio", "value"): ("number", "t reserved (reserve) or 1 / 0 (offer, process)"),
    ("Events", "event_id"): ("text", "Events.event_id"),
    ("Events", "entity"): ("text", "offer, process, lane, site or country"),
    ("Events", "id"): ("text", "what the event hits (Events.id)"),
    ("Events", "probability"): ("pct", "chance that the event starts in each period of its window"),
    ("Events", "capacity_factor"): ("pct", "capacity left while it lasts (0: shut)"),
    ("Events", "duration"): ("count", "periods it lasts once started"),
    ("Events", "rows_hit"): ("count", "offers, processes and lanes it hits"),
    ("Events", "in_sample_share"): ("pct", "share of in-sample scenarios in which it struck"),
    ("Events", "out_of_sample_share"): ("pct", "share of out-of-sample scenarios in which it struck"),
    ("SampledHits", "kind"): ("text", "offer, process or lane"),
    ("SampledHits", "id"): ("text", "offer_id, process_id or lane_id"),
    ("SampledHits", "capacity_factor"): ("pct", "capacity left in the period (the smallest factor "
                                                "of the events that hit it)"),
}

SUMMARY: dict[str, tuple[str | None, str]] = {
    "command": (None, "the command that wrote this report"),
    "objective": (st.MONEY, "the risk solve's objective: expected cost + risk_weight x CVaR (= RP)"),
    "expected_cost": (st.MONEY, "expected total cost of the plan: sum over scenarios of "
                                "probability x total_cost"),
    "cvar": (st.MONEY, "CVaR: mean total cost of the worst 1 - cvar_alpha of outcomes"),
    "cvar_alpha": ("0.00", "alpha of CVaR (Settings cvar_alpha)"),
    "risk_weight": ("0.00", "lambda, the weight of CVaR in the objective (Settings risk_weight)"),
    "first_stage_cost": (st.MONEY, "reservation cost, discounted, paid in every scenario"),
    "scenarios": ("0", "scenarios in the risk solve"),
    "scenario_ids": (None, "their ids"),
    "left_out": (None, "Scenarios rows left out (no probability)"),
    "solver_objective": (st.MONEY, "objective as the solver reports it"),
    "RP": (st.MONEY, "recourse problem: the best E + lambda CVaR with the first stage decided "
                     "before the scenario is known (the risk solve)"),
    "EV": (st.MONEY, "mean-value problem: the plan for one average scenario"),
    "EEV": (st.MONEY, "the mean-value plan's first stage evaluated in every scenario"),
    "WS": (st.MONEY, "wait-and-see: each scenario known before signing"),
    "VSS": (st.MONEY, "value of the stochastic solution, EEV - RP: what planning for the "
                      "scenarios instead of their average saves"),
    "EVPI": (st.MONEY, "expected value of perfect information, RP - WS: what knowing the "
                       "scenario before signing would be worth"),
    "unmet_demand_t_expected": (st.TONNES, "expected t of demand left unmet over the horizon"),
    "points": ("0", "frontier points solved"),
    "points_asked": ("0", "frontier points asked for (--points)"),
    "cheapest_expected_cost": (st.MONEY, "expected cost of the cheapest plan on average"),
    "cheapest_cvar": (st.MONEY, "its CVaR"),
    "safest_expected_cost": (st.MONEY, "expected cost of the safest plan (least CVaR)"),
    "safest_cvar": (st.MONEY, "its CVaR"),
    "seconds": ("0.000", "seconds of the solves"),
    "n": ("0", "in-sample scenarios (--n)"),
    "n_out": ("0", "out-of-sample scenarios (--n-out)"),
    "seed": ("0", "seed of the in-sample draw (--seed)"),
    "seed_out_of_sample": ("0", "seed of the out-of-sample draw (seed + 1)"),
    "workers": ("0", "processes of the out-of-sample solves (--workers)"),
    "dask": (None, "Dask scheduler of the out-of-sample solves (--dask)"),
    "in_sample_expected_cost": (st.MONEY, "mean total cost over the in-sample scenarios"),
    "in_sample_ci95_half_width": (st.MONEY, "half-width of its 95% confidence interval"),
    "in_sample_ci95_low": (st.MONEY, "its 95% confidence interval, low end"),
    "in_sample_ci95_high": (st.MONEY, "its 95% confidence interval, high end"),
    "in_sample_cvar": (st.MONEY, "CVaR of the in-sample totals"),
    "in_sample_objective": (st.MONEY, "in-sample objective, E + lambda CVaR"),
    "out_of_sample_expected_cost": (st.MONEY, "mean total cost of the in-sample decision on fresh "
                                              "scenarios: an unbiased estimate of its cost"),
    "out_of_sample_ci95_half_width": (st.MONEY, "half-width of its 95% confidence interval"),
    "out_of_sample_ci95_low": (st.MONEY, "its 95% confidence interval, low end"),
    "out_of_sample_ci95_high": (st.MONEY, "its 95% confidence interval, high end"),
    "out_of_sample_cvar": (st.MONEY, "CVaR of the out-of-sample totals"),
    "out_of_sample_unsolved": ("0", "out-of-sample scenarios in which the decision could not be "
                                    "carried out"),
    "optimism_gap": (st.MONEY, "out-of-sample minus in-sample expected cost (optimisation bias)"),
}


def summary_meaning(key: str) -> tuple[str | None, str] | None:
    """(number format, meaning) of a risk Summary key; None: not a risk key."""
    return SUMMARY.get(key)


st.register(COLUMNS)
