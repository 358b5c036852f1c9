"""One model per scenario, for a decomposed risk solve (issue 18).

Scenario s's model is the two-stage model of ``extensive.py`` restricted to s,
with probability 1: the first stage (reserve, use, on and, with CVaR, eta)
and one block built by the contract's families, linked as in the extensive
form. Its objective is

    f_s(x, y_s) = F(x) + C_s(y_s) + lambda (eta + u_s / (1 - alpha)),   u_s >= F + C_s - eta

so that sum_s p_s f_s is the extensive form's objective. The first-stage
variables are the nonanticipative ones (``nonants``): a decomposition engine
(mpi-sppy) makes them equal across the scenarios.

Commitments are charged in every scenario. A first-stage commitment
(use[o,p] = 1 or on[q,p] = 1) is paid wherever it was made, even in a
scenario that leaves the offer or process out (disabled, no capacity, outside
its window) or where the supplier cannot deliver its minimum: the money is
committed before the scenario is known. Such a key is *stranded* in the
scenario: its block has no linked binary. ``charge_commitments`` adds, per
stranded key k of scenario s,

    committed[k] = use[k] (or on[k])                  (link_committed_use / _on)
    C_s += delta_p fixed_cost[k] committed[k]         (offer_fixed / process_fixed)

with the scenario's own fixed cost where it has the row, otherwise the fixed
cost of the first scenario that has it (``commitment_costs``). A block binary
that cannot be linked because the minimum exceeds the capacity is fixed at 0
(it cannot be 1 in any feasible plan), so that the second stage is an LP. A
key the objective already charges on the first-stage variable is left alone.

| math | code |
|---|---|
| x = (reserve, use, on, invest, eta) | ``nonants(model)`` |
| f_s | ``model.objective`` of ``scenario_model(...)`` |
| fixed_cost[k] for a stranded k | ``commitment_costs(datas)`` |
"""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo
from pyomo.core.expr.visitor import identify_variables

from model.formulation.expr import add_constraint, linear
from model.risk.extensive import Extensive, build_extensive
from model.solve.handover import compile_model
from model.solve.highs import SolveOptions, solve

# (first-stage var, block binary, link row of extensive.py, frame, id column, cost category)
KINDS = (("use", "use_offer", "link_use", "offers", "offer", "offer_fixed"),
         ("on", "run_on", "link_on", "processes", "process", "process_fixed"))


def _binary_rows(data, frame: str, ident: str) -> dict:
    f = getattr(data, frame)
    f = f[f["binary"]]
    return dict(zip(zip(f[ident], f["period"]), f["fixed"].astype(float)))


def commitment_costs(datas) -> dict:
    """(first-stage var, key) -> fixed cost per period, from the first scenario with the row."""
    out: dict = {}
    for data in datas:
        for var, _, _, frame, ident, _ in KINDS:
            for key, fixed in _binary_rows(data, frame, ident).items():
                out.setdefault((var, key), fixed)
    return out


def charge_commitments(ext: Extensive, costs: dict) -> int:
    """Charge every stranded first-stage commitment in every block; returns how many."""
    m = ext.model
    first_ids = {id(v) for name in ("use", "on") for v in getattr(m, name).values()}
    charged = {id(v) for v in identify_variables(m.objective.expr) if id(v) in first_ids}
    added = 0
    for i, data in enumerate(ext.datas):
        blk = m.sc[i]
        extra, rows = [], []
        for var, binary, link, frame, ident, category in KINDS:
            first_var, own, linked = getattr(m, var), blk.component(binary), blk.component(link)
            linked = set(linked.keys()) if linked is not None else set()
            idle = blk.component(f"link_idle_{var}")     # charged by the block (ModelData.idle)
            linked |= set(idle.keys()) if idle is not None else set()
            fixed = _binary_rows(data, frame, ident)
            stranded = [k for k in first_var if k not in linked and id(first_var[k]) not in charged]
            if not stranded:
                continue
            for k in stranded:
                if own is not None and k in own:
                    own[k].fix(0)
            name = f"committed_{var}"
            blk.add_component(name, pyo.Var(stranded, bounds=(0, 1)))
            copy = blk.component(name)
            add_constraint(blk, f"link_{name}",
                           {k: (0.0, [(1.0, copy[k]), (-1.0, first_var[k])], 0.0) for k in stranded},
                           "a commitment is paid in every scenario")
            for k in stranded:
                cost = fixed.get(k, costs.get((var, k), 0.0))
                delta = float(data.delta.get(k[1], 1.0))
                extra.append((cost * delta, copy[k]))
                rows.append((name, k, category, k[1], cost, delta))
            added += len(stranded)
        if extra:
            blk.cost.set_value(blk.cost.expr + linear(extra))
            table = pd.DataFrame(rows, columns=["var", "key", "category", "period", "coef",
                                                "discount"])
            ext.cost_tables[i] = pd.concat([ext.cost_tables[i], table], ignore_index=True)
    return added


def scenario_model(first, sid: str, data, table, costs: dict, *, risk_weight: float = 0.0,
                   alpha: float = 0.95) -> Extensive:
    """The model of one scenario (probability 1 inside it), commitments charged."""
    ext = build_extensive(first, [sid], [1.0], [data], risk_weight=risk_weight, alpha=alpha,
                          cost_tables=None if table is None else [table])
    charge_commitments(ext, costs)
    eta = ext.model.component("eta")
    if eta is not None:
        # every cost coefficient is nonnegative (model/schema.py), so T_s >= 0 and the
        # value-at-risk eta* >= 0: the bound changes no optimum, and keeps an L-shaped
        # master without cuts bounded
        eta.setlb(0.0)
    return ext


def nonants(model) -> list:
    """The nonanticipative (first-stage) variables, in a fixed order."""
    out = [model.reserve, model.use, model.on, model.invest]
    eta = model.component("eta")
    return out + [eta] if eta is not None else out


def evaluate_decision(first, ids, probs, datas, fixed, options: SolveOptions, costs: dict, *,
                      risk_weight: float = 0.0, alpha: float = 0.95, cost_tables=None):
    """Every scenario with the first stage fixed at ``fixed``, commitments charged as in the
    per-scenario models: the RiskResult of that decision (for the report)."""
    from model.risk.outcome import evaluate
    ext = build_extensive(first, ids, probs, datas, risk_weight=risk_weight, alpha=alpha,
                          fixed=fixed, cost_tables=cost_tables)
    charge_commitments(ext, costs)
    compiled = compile_model(ext.model)
    solution = solve(compiled, options)
    return evaluate(ext, compiled, solution, {"solve": solution.seconds})
