"""Material balance at every reachable site, material and period.

    sum_{o at s, k} buy[o,p] + sum_q out[q,k] run[q,p] + sum_{l into s} ship[l,k,p-L_l] + stock[s,k,p-1]
      = sum_q in[q,k] run[q,p] + sum_{l out of s} ship[l,k,p] + stock[s,k,p]
        + sum_{d at s,k,p} met[d] + sum_{sales at s,k} sell[sale,p] + discard[s,k,p]

    stock[s,k,first-1] = initial_stock[s,k]  (a constant on the right-hand side)

| math | code | sheet.column |
|---|---|---|
| buy[o,p] | m.buy | Supply |
| in/out[q,k] | data.recipe | Recipes.input / output |
| run[q,p] | m.run | Processes |
| ship[l,k,p] | m.ship | Lanes |
| stock[s,k,p] | m.stock | Inventory |
| met[d] | m.met | Demand |
| sell[sale,p] | m.sell | Sales |
| discard[s,k,p] | m.discard | Materials.disposal_cost |
| L_l | data.lead | Lanes.lead_time (0: same period) |

Written as (inflows - outflows) == -initial_stock in the first period, 0 later.
"""

from __future__ import annotations

from model.formulation.expr import add_constraint
from model.formulation.variables import POINT
from model.data.columns import lists
from model.formulation.rowspec import LINK, Item, RowSpec, model_item
from model.text import tonnes


def add(m, data) -> int:
    rows: dict = {key: [] for key in data.keys("balance", POINT)}
    o = data.offers
    for o_, s, k, p in zip(*lists(o, "offer", "site", "material", "period")):
        rows[s, k, p].append((1.0, m.buy[o_, p]))
    made = data.processes.merge(data.recipe, on="process")
    for q, p, s, k, a, b in zip(*lists(made, "process", "period", "site", "material", "input",
                                       "output")):
        rows[s, k, p].append((b - a, m.run[q, p]))
    sh, lead = data.ship, data.lead
    for lane, k, p, a, b in zip(*lists(sh, "lane", "material", "period", "from_site", "to_site")):
        v = m.ship[lane, k, p]
        rows[a, k, p].append((-1.0, v))
        rows[b, k, p + lead.get(lane, 0)].append((1.0, v))     # arrives lead_time later
    first = data.periods[0]
    rhs = {key: 0.0 for key in rows}
    st = data.stock
    for s, k, p, init in zip(*lists(st, "site", "material", "period", "initial")):
        rows[s, k, p].append((-1.0, m.stock[s, k, p]))
        if p == first:
            rhs[s, k, p] -= init
        else:
            rows[s, k, p].append((1.0, m.stock[s, k, p - 1]))
    d = data.demand
    for i, s, k, p in zip(*lists(d[d["reachable"]], "d", "site", "material", "period")):
        rows[s, k, p].append((-1.0, m.met[i]))
    sa = data.sales
    for sale, s, k, p in zip(*lists(sa, "sale", "site", "material", "period")):
        rows[s, k, p].append((-1.0, m.sell[sale, p]))      # an optional outflow (Sales)
    for key in rows:
        rows[key].append((-1.0, m.discard[key]))
    return add_constraint(m, "balance", {k: (rhs[k], t, rhs[k]) for k, t in rows.items()},
                          doc="material balance")


def describe(look, key, lower, upper, side=None) -> Item:
    s, k, p = key
    init = look.initial.get((s, k), 0.0) if p == look.data.periods[0] else 0.0
    extra = f" (with {tonnes(init)} t of opening stock)" if init > 0 else ""
    return Item("", None, "", "material balance", p, s, k, "equals", 0.0, "t", LINK,
                model_item("balance", key),
                f"material balance of {k} at {s} in {p}{extra}: what comes in (bought, "
                f"made, shipped in, from stock) equals what goes out (used, shipped out, "
                f"stocked, delivered, discarded)")


ROWS = (RowSpec("balance", describe),)
