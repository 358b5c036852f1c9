"""The value of the stochastic solution and of perfect information
(Birge & Louveaux, Introduction to Stochastic Programming, ch. 4).

With z(x, s) = F(x) + Q_s(x) the total cost of first-stage decision x in
scenario s (Q_s: the optimal second stage given x), and the objective
phi(Z) = E[Z] + lambda CVaR_alpha(Z) of a distribution of totals Z
(lambda = 0: the textbook expected cost):

    RP   = min_x phi(z(x, .))                  the recourse problem (``sourcing solve --risk``)
    EV   = min_x phi(z(x, xi_bar))             the mean-value problem (``mean_value``)
    x_EV = its first-stage decision
    EEV  = phi(z(x_EV, .))                     x_EV evaluated in every scenario
    WS   = phi(z*(.)),  z*(s) = min_x z(x, s)  wait-and-see: each scenario, its own first stage
    VSS  = EEV - RP >= 0,   EVPI = RP - WS >= 0

phi is monotone (CVaR is), so WS <= RP <= EEV holds for lambda > 0 as for
lambda = 0. With integer first-stage decisions each solve is optimal within
the workbook's mip_gap, so VSS and EVPI are exact within that gap.
Evaluating a fixed x_EV separates by scenario, and with a fixed first stage
each scenario's cost is simply minimised (phi is monotone in each z_s).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from model.risk.extensive import first_stage
from model.risk.outcome import RiskResult, cvar, solve_extensive
from model.risk.mean_value import mean_value_data
from model.solve.highs import SolveOptions

DEFINITIONS = {
    "RP": "recourse problem: min over the first stage of E[total] + lambda CVaR (the risk solve)",
    "EV": "mean-value problem: one scenario, every parameter at its mean (docs/risk.md)",
    "EEV": "the EV first-stage decision evaluated in every scenario, each second stage re-optimised",
    "WS": "wait-and-see: each scenario solved with its own first stage, then E + lambda CVaR",
    "VSS": "value of the stochastic solution, EEV - RP",
    "EVPI": "expected value of perfect information, RP - WS",
}


@dataclass
class StochasticValue:
    rp: float
    ev: float
    eev: float
    ws: float
    table: pd.DataFrame
    ev_result: RiskResult | None = None
    eev_result: RiskResult | None = None
    ws_totals: list = field(default_factory=list)

    def by_scenario(self, ids) -> pd.DataFrame:
        """Total cost of each scenario under the EV decision (EEV) and its own first stage (WS)."""
        eev = (list(self.eev_result.totals) if self.eev_result is not None
               and self.eev_result.has_solution else [math.nan] * len(ids))
        return pd.DataFrame({"scenario": ids, "total_cost_ev_decision": eev,
                             "total_cost_wait_and_see": self.ws_totals})

    @property
    def vss(self) -> float:
        return self.eev - self.rp

    @property
    def evpi(self) -> float:
        return self.rp - self.ws


def phi(totals, probs, weight: float, alpha: float) -> tuple[float, float, float]:
    """(objective, expected, CVaR) of a distribution of totals."""
    t, p = np.asarray(totals, float), np.asarray(probs, float)
    if not np.all(np.isfinite(t)):
        return math.inf, math.inf, math.inf
    e, c = float(p @ t), cvar(t, p, alpha)
    return e + weight * c, e, c


def _eev_status(eev) -> str:
    if eev is None:
        return "not solved (no EV solution)"
    if eev.status == "infeasible":
        return "infeasible: the EV first stage cannot be carried out in some scenario (EEV = +inf)"
    return eev.status


def quick(options: SolveOptions) -> SolveOptions:
    """Objective-only solves: no duals, no canonical second pass."""
    return SolveOptions(mip_gap=options.mip_gap, time_limit_s=options.time_limit_s,
                        want_duals=False, canonical=False)


def stochastic_value(problem, rp: RiskResult, options: SolveOptions) -> StochasticValue:
    lam, alpha = problem.risk_weight, problem.alpha
    ids = [s.id for s in problem.scenarios]
    probs = problem.probabilities
    datas = [s.data for s in problem.scenarios]
    rp_obj, rp_e, rp_c = phi(rp.totals, probs, lam, alpha) if rp.has_solution else (math.nan,) * 3

    ev_data = mean_value_data(datas, probs, [s.workbook for s in problem.scenarios]
                              if all(s.workbook is not None for s in problem.scenarios) else None)
    ev_first = first_stage([ev_data], problem.reservation, problem.delta)
    ev = solve_extensive(ev_first, ["EV"], [1.0], [ev_data], options)   # canonical: one x_EV
    ev_obj = phi(ev.totals, [1.0], lam, alpha)[0] if ev.has_solution else math.nan

    eev = None
    eev_obj = eev_e = eev_c = math.nan
    if ev.has_solution:
        eev = solve_extensive(rp.ext.first, ids, probs, datas, quick(options), fixed=ev.fixed())
        if eev.has_solution:
            eev_obj, eev_e, eev_c = phi(eev.totals, probs, lam, alpha)
        elif eev.status == "infeasible":
            eev_obj = eev_e = eev_c = math.inf   # x_EV is infeasible in some scenario

    ws_totals = []
    for s in problem.scenarios:
        own = first_stage([s.data], problem.reservation, problem.delta)
        r = solve_extensive(own, [s.id], [1.0], [s.data], quick(options))
        ws_totals.append(float(r.totals[0]) if r.has_solution else math.nan)
    ws_obj, ws_e, ws_c = phi(ws_totals, probs, lam, alpha) if not any(
        math.isnan(t) for t in ws_totals) else (math.nan,) * 3

    rows = [
        ("RP", rp_obj, rp_e, rp_c, rp.status),
        ("EV", ev_obj, ev.expected_cost, ev.cvar, ev.status),
        ("EEV", eev_obj, eev_e, eev_c, _eev_status(eev)),
        ("WS", ws_obj, ws_e, ws_c, "optimal" if not math.isnan(ws_obj) else "not solved"),
        ("VSS", eev_obj - rp_obj, eev_e - rp_e, eev_c - rp_c, ""),
        ("EVPI", rp_obj - ws_obj, rp_e - ws_e, rp_c - ws_c, ""),
    ]
    table = pd.DataFrame(rows, columns=["measure", "value", "expected_cost", "cvar", "status"])
    table["definition"] = table["measure"].map(DEFINITIONS)
    return StochasticValue(rp_obj, ev_obj, eev_obj, ws_obj, table, ev, eev, ws_totals)
