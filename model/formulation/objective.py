"""Total cost, the objective: every cost term of ``costs.cost_table`` times the
discount factor of its period, delta_p = 1 / (1 + discount_rate)^(p - first_period).

    min  sum_{terms t} delta_{p(t)} * coef[t] * x[t]
"""

from __future__ import annotations

from model.formulation.arrays import ArrayModel
from model.formulation.expr import linear
from model.data.columns import lists


def add(m, data, costs) -> int:
    comps = {var: m.component(var) for var in costs["var"].unique()}
    terms = [(coef * disc, comps[var][key])
             for var, key, coef, disc in zip(*lists(costs, "var", "key", "coef", "discount"))
             if comps[var] is not None]   # a switched-off family leaves its terms out
    if isinstance(m, ArrayModel):
        return m.set_objective(terms)
    import pyomo.environ as pyo
    m.total_cost = pyo.Objective(expr=linear(terms), sense=pyo.minimize)
    return len(terms)
