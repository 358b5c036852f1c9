"""Decision variables, all sparse: one per row of the prepared index frames.

| symbol | code | index | bounds |
|---|---|---|---|
| buy[o,p] | m.buy | offers (offer, period) | 0 .. cap[o,p] |
| use[o,p] | m.use_offer | offers with fixed_cost or min_quantity | binary |
| run[q,p] | m.run | processes (process, period) | 0 .. cap[q,p] |
| on[q,p] | m.run_on | processes with fixed_cost | binary |
| ship[l,k,p] | m.ship | ship (lane, material, period) | >= 0 |
| stock[s,k,p] | m.stock | stock (site, material, period) | min_stock .. max_stock |
| discard[s,k,p] | m.discard | balance (site, material, period) | >= 0 |
| met[d], unmet[d] | m.met, m.unmet | Demand rows (met: reachable ones) | 0 .. quantity |
| sell[s,p] | m.sell | sales (sale, period) | 0 .. cap[s,p] (model/formulation/sales.py) |
| short[o,p] | m.short | take_or_pay (offer, period) | 0 .. qty (model/formulation/take_or_pay.py) |

A blank (unlimited) capacity is an open upper bound.
"""

from __future__ import annotations

import pandas as pd

from model.formulation.arrays import ArrayModel
from model.data.columns import keys
from model.data.model_data import ModelData

# the index columns of each variable's frame (ModelData.keys shares the tuples)
OFFER, PROCESS = ("offer", "period"), ("process", "period")
SHIP, POINT = ("lane", "material", "period"), ("site", "material", "period")
SALE = ("sale", "period")

# Which columns belong to an entity a what-if can switch off: kind -> {variable:
# position of the entity's id in the column's key}. Provenance splits (runc,
# shipc) follow their flow; units: an investment (model/formulation/investments.py).
OWNERS = {
    "offer": {"buy": 0, "use_offer": 0, "short": 0},
    "process": {"run": 0, "run_on": 0, "runc": 0},
    "lane": {"ship": 0, "shipc": 0},
    "investment": {"units": 0},
}


def upper(values) -> list:
    """Upper bounds from a capacity column: None (or NaN) is unlimited."""
    return [None if v is None or pd.isna(v) else v for v in values]


def declare(m, name, index, ub=None, lb=None, binary=False, integer=False):
    if isinstance(m, ArrayModel):
        return m.add_var(name, index, lb=lb, ub=ub, binary=binary, integer=integer)
    import pyomo.environ as pyo
    domain = (pyo.Binary if binary else pyo.NonNegativeIntegers if integer
              else pyo.NonNegativeReals)
    m.add_component(name, pyo.Var(index, domain=domain))
    var = getattr(m, name)
    if ub is not None or lb is not None:
        for i, k in enumerate(index):
            if ub is not None and ub[i] is not None:
                var[k].setub(ub[i])
            if lb is not None and lb[i]:
                var[k].setlb(lb[i])
    return var


def add(m, data: ModelData) -> None:
    o, q = data.offers, data.processes
    declare(m, "buy", data.keys("offers", OFFER), ub=upper(o["cap"]))
    declare(m, "use_offer", keys(o[o["binary"]], OFFER), binary=True)
    declare(m, "run", data.keys("processes", PROCESS), ub=upper(q["cap"]))
    declare(m, "run_on", keys(q[q["binary"]], PROCESS), binary=True)
    declare(m, "ship", data.keys("ship", SHIP))
    st = data.stock
    declare(m, "stock", data.keys("stock", POINT), lb=st["lo"].tolist(), ub=upper(st["hi"]))
    declare(m, "discard", data.keys("balance", POINT))
    d = data.demand
    reach = d[d["reachable"]]
    declare(m, "met", reach["d"].tolist(), ub=reach["quantity"].tolist())
    declare(m, "unmet", d["d"].tolist(), ub=d["quantity"].tolist())
    declare(m, "sell", data.keys("sales", SALE), ub=upper(data.sales["cap"]))
    top = data.take_or_pay
    # no buy variable in the period: the whole quantity is owed (clarification 7.5)
    declare(m, "short", data.keys("take_or_pay", OFFER), ub=top["qty"].tolist(),
            lb=[q if not b else 0.0 for q, b in zip(top["qty"], top["has_buy"])])
