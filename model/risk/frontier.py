"""The efficient frontier of expected cost against CVaR, by epsilon-constraint.

    1. x_E = argmin E[T]                        -> (E_0, C_0 = CVaR(T(x_E)))   cheapest on average
    2. x_C = argmin CVaR(T)                     -> C_1                          safest
    3. for eps_k = C_0 - k (C_0 - C_1) / (N - 1), k = 0 .. N-1:
           min E[T]  s.t.  eta + 1/(1-alpha) sum_s p_s u_s <= eps_k            (cvar_cap)

Epsilon-constraint rather than a sweep of lambda: the points are spread evenly
along the CVaR axis, and with integer first-stage decisions it also finds
frontier points that no weight lambda reaches (the frontier of a MIP need not
be convex). The model is compiled once; only the bound of the row cvar_cap
changes between points. Each point also reports the implied risk weight, the
marginal saving in expected cost per unit of CVaR given up (minus the dual of
cvar_cap, from the LP with the integer decisions fixed): the lambda at which
the weighted objective would pick the same point where the frontier is convex.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model import progress
from model.risk.extensive import build_extensive, first_stage
from model.risk.outcome import evaluate
from model.solve.handover import INF, compile_model
from model.solve.highs import SolveOptions, solve


@dataclass
class Frontier:
    points: pd.DataFrame          # point, epsilon, expected_cost, cvar, status, implied_risk_weight
    portfolios: pd.DataFrame      # point, kind, id, period, value
    alpha: float


def _set_cap(compiled, row: int, offset: float, eps: float) -> None:
    upper = np.array(compiled.lp.row_upper_, dtype=float)
    lower = np.array(compiled.lp.row_lower_, dtype=float)
    if compiled.row_sense[row] == -1:            # written as -cvar >= -eps
        lower[row] = -INF if math.isinf(eps) else -eps + offset
    else:
        upper[row] = INF if math.isinf(eps) else eps + offset
    compiled.lp.row_upper_, compiled.lp.row_lower_ = upper, lower


def efficient_frontier(problem, points: int, options: SolveOptions) -> Frontier:
    ids = [s.id for s in problem.scenarios]
    probs, datas = problem.probabilities, [s.data for s in problem.scenarios]
    first = first_stage(datas, problem.reservation, problem.delta)
    alpha = problem.alpha

    ext = build_extensive(first, ids, probs, datas, alpha=alpha, cvar_cap=0.0)
    compiled = compile_model(ext.model)
    row = compiled.row_con.index("cvar_cap")
    sense = compiled.row_sense[row]
    # the row was compiled with cap 0: its bound then is the offset of any other cap
    offset = float(compiled.lp.row_upper_[row] if sense != -1 else compiled.lp.row_lower_[row])

    def at(eps):
        _set_cap(compiled, row, offset, eps)
        sol = solve(compiled, options)
        res = evaluate(ext, compiled, sol)
        weight = math.nan
        if sol.row_dual is not None:
            weight = -float(sol.row_dual[row]) * (1 if sense != -1 else -1)
        return res, weight

    # a counted progress line: the two ends, then each point between (the first is the cheapest)
    with progress.stage("frontier solves", total=max(2, int(points)) + 1) as step:
        cheapest, _ = at(math.inf)
        step.advance("cheapest on average")
        ext_c = build_extensive(first, ids, probs, datas, alpha=alpha, objective="cvar")
        comp_c = compile_model(ext_c.model)
        safest = evaluate(ext_c, comp_c, solve(comp_c, options))
        step.advance("safest")
        if not (cheapest.has_solution and safest.has_solution):
            bad = cheapest if not cheapest.has_solution else safest
            pts = pd.DataFrame([(0, math.nan, math.nan, math.nan, bad.status, math.nan)],
                               columns=["point", "epsilon", "expected_cost", "cvar", "status",
                                        "implied_risk_weight"])
            return Frontier(pts, pd.DataFrame(columns=["point", "kind", "id", "period", "value"]), alpha)

        c0, c1 = cheapest.cvar, safest.cvar
        n = max(2, int(points))
        if c0 - c1 <= 1e-9 * max(1.0, abs(c0)):
            eps = [c0]                                  # no trade-off: one point
        else:
            eps = [c0 - k * (c0 - c1) / (n - 1) for k in range(n)]
        rows, portfolios = [], []
        for k, e in enumerate(eps):
            loose = e + 1e-9 * max(1.0, abs(e))          # solver tolerance at the safest end
            res, weight = at(loose) if k > 0 else (cheapest, 0.0)
            if k > 0:
                step.advance(f"point {k}")
            rows.append((k, e, res.expected_cost, res.cvar, res.status, weight,
                         res.first_cost if res.has_solution else math.nan))
            if res.has_solution:
                reservations, commitments = res.portfolio()
                portfolios.append(pd.DataFrame({"point": k, "kind": "reserve",
                                                "id": reservations["offer"],
                                                "period": reservations["period"],
                                                "value": reservations["reserved_t"]}))
                portfolios.append(pd.DataFrame({"point": k, "kind": commitments["kind"],
                                                "id": commitments["id"], "period": commitments["period"],
                                                "value": commitments["decision"]}))
    pts = pd.DataFrame(rows, columns=["point", "epsilon", "expected_cost", "cvar", "status",
                                      "implied_risk_weight", "reservation_cost"])
    port = (pd.concat([p for p in portfolios if len(p)], ignore_index=True)
            if any(len(p) for p in portfolios)
            else pd.DataFrame(columns=["point", "kind", "id", "period", "value"]))
    return Frontier(pts, port, alpha)


def relative(points: pd.DataFrame) -> pd.DataFrame:
    """The points with the risk removed and the price paid, against the cheapest plan (point 0)."""
    out = points.copy()
    if len(out):
        out["cvar_reduction"] = out["cvar"].iloc[0] - out["cvar"]
        out["extra_expected_cost"] = out["expected_cost"] - out["expected_cost"].iloc[0]
    return out


def changing_decisions(portfolios: pd.DataFrame) -> pd.DataFrame:
    """Decisions (kind, id, period) whose value differs between frontier points; one column per point."""
    if portfolios is None or portfolios.empty:
        return pd.DataFrame()
    wide = portfolios.pivot_table(index=["kind", "id", "period"], columns="point", values="value",
                                  aggfunc="sum", sort=True).fillna(0.0)
    spread = wide.max(axis=1) - wide.min(axis=1)
    return wide[spread > 1e-6]
