"""Lane capacities, all materials together.

    sum_k ship[l,k,p] <= cap[l,p]                (lane_capacity)

| math | code | sheet.column |
|---|---|---|
| cap[l,p] | lane_caps.cap | Lanes.capacity, CapacityProfile.capacity (lane ids) |
"""

from __future__ import annotations

from model.formulation.expr import grouped, add_constraint
from model.data.columns import lists
from model.formulation.rowspec import LIMIT, Item, RowSpec, model_item, second
from model.text import tonnes


def add(m, data) -> int:
    lane, period, cap = lists(data.lane_caps, "lane", "period", "cap")
    caps = dict(zip(zip(lane, period), cap))
    if not caps:
        return 0
    sh = data.ship
    terms = grouped(((lane, p), 1.0, m.ship[lane, k, p])
                    for lane, k, p in zip(*lists(sh, "lane", "material", "period"))
                    if (lane, p) in caps)
    return add_constraint(m, "lane_capacity", {key: (None, t, caps[key]) for key, t in terms.items()},
                          "lane capacity")


def describe(look, key, lower, upper, side=None) -> Item:
    r = look.lane_caps[key[0], int(key[1])]
    lane = look.lanes.get(key[0], {})
    route = f", {lane.get('from_site')} to {lane.get('to_site')}" if lane else ""
    return Item("Lanes", int(r["row"]), key[0], "lane capacity", key[1],
                lane.get("to_site", ""), "", "at most", float(r["cap"]), "t", LIMIT,
                model_item("lane_capacity", key),
                f"Lanes row {r['row']} (lane {key[0]}{route}) can carry at most "
                f"{tonnes(r['cap'])} t in {key[1]}")


ROWS = (RowSpec("lane_capacity", describe, sheet="Lanes", period=second,
                relax=lambda key: "lane_capacity"),)
