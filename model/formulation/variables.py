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
"""

from __future__ import annotations

import pandas as pd

from model.formulation.arrays import ArrayModel
from model.data.columns import keys
from model.data.model_data import ModelData

# the index columns of each variable's frame (ModelData.keys shares the tuples)
OFFER, PROCESS = ("offer", "period"), ("process", "period")
SHIP, POINT = ("lane", "material", "period"), ("site", "material", "period")


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
    declare(m, "buy", data.keys("offers", OFFER), ub=o["cap"].tolist())
    declare(m, "use_offer", keys(o[o["binary"]], OFFER), binary=True)
    declare(m, "run", data.keys("processes", PROCESS), ub=q["cap"].tolist())
    declare(m, "run_on", keys(q[q["binary"]], PROCESS), binary=True)
    declare(m, "ship", data.keys("ship", SHIP))
    st = data.stock
    declare(m, "stock", data.keys("stock", POINT),
         lb=st["lo"].tolist(), ub=[None if pd.isna(h) else h for h in st["hi"]])
    declare(m, "discard", data.keys("balance", POINT))
    d = data.demand
    reach = d[d["reachable"]]
    declare(m, "met", reach["d"].tolist(), ub=reach["quantity"].tolist())
    declare(m, "unmet", d["d"].tolist(), ub=d["quantity"].tolist())
