"""Total cost, the objective: every cost term of ``costs.cost_table`` times the
discount factor of its period, delta_p = 1 / (1 + discount_rate)^(p - first_period).

    min  sum_{terms t} delta_{p(t)} * coef[t] * x[t]
"""

from __future__ import annotations

import pyomo.environ as pyo

from model.build.expr import linear


def add(m, data, costs) -> int:
    terms = [(coef * disc, getattr(m, var)[key])
             for var, key, coef, disc in zip(costs["var"], costs["key"], costs["coef"],
                                              costs["discount"])
             if m.component(var) is not None]   # a switched-off family leaves its terms out
    m.total_cost = pyo.Objective(expr=linear(terms), sense=pyo.minimize)
    return len(terms)
