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
from model.formulation.rowspec import LIMIT, REQUIREMENT, Item, RowSpec, model_item, second
from model.text import tonnes


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


def describe_use(look, key, lower, upper, side=None) -> Item:
    r = look.offers[key[0], int(key[1])]
    return Item("Supply", int(r["row"]), key[0], "offer capacity (when used)", key[1],
                r["site"], r["material"], "at most", float(r["cap"]), "t", LIMIT,
                model_item("offer_use", key),
                f"Supply row {r['row']} (offer {key[0]}) can deliver at most "
                f"{tonnes(r['cap'])} t of {r['material']} at {r['site']} in {key[1]}, "
                f"and only in a period in which it is used")


def describe_min(look, key, lower, upper, side=None) -> Item:
    r = look.offers[key[0], int(key[1])]
    return Item("Supply", int(r["row"]), key[0], "offer minimum quantity", key[1],
                r["site"], r["material"], "at least", float(r["minq"]), "t", REQUIREMENT,
                model_item("offer_min", key),
                f"Supply row {r['row']} (offer {key[0]}) must deliver at least "
                f"{tonnes(r['minq'])} t in {key[1]} if it is used at all")


ROWS = (RowSpec("offer_use", describe_use, sheet="Supply", period=second,
                capacity_of="buy"),
        RowSpec("offer_min", describe_min, sheet="Supply", period=second,
                relax=lambda key: "min_quantity"))
