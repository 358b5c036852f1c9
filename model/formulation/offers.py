"""Offers with a fixed cost or a minimum quantity: the only rows with binaries.

    buy[o,p] <= cap[o,p] * use[o,p]              (offer_use)
    buy[o,p] >= min_quantity[o] * use[o,p]       (offer_min), when min_quantity > 0

Plain capacities (no binary) are the upper bounds of buy[o,p].

| math | code | sheet.column |
|---|---|---|
| cap[o,p] | offers.cap | Supply.capacity, CapacityProfile.capacity |
| min_quantity[o] | offers.minq | Supply.min_quantity |
| use[o,p] | m.use_offer | (binary; fixed_cost charged when 1) |
"""

from __future__ import annotations

from model.formulation.expr import add_constraint
from model.data.columns import lists


def add(m, data) -> int:
    o = data.offers[data.offers["binary"]]
    if o.empty:
        return 0
    use, mins = {}, {}
    for o_, p, cap, minq in zip(*lists(o, "offer", "period", "cap", "minq")):
        key = (o_, p)
        use[key] = (None, [(1.0, m.buy[key]), (-cap, m.use_offer[key])], 0.0)
        if minq > 0:
            mins[key] = (0.0, [(1.0, m.buy[key]), (-minq, m.use_offer[key])], None)
    return (add_constraint(m, "offer_use", use, "buy only when used")
            + add_constraint(m, "offer_min", mins, "minimum quantity when used"))
