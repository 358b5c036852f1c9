"""Lane capacities, all materials together.

    sum_k ship[l,k,p] <= cap[l,p]                (lane_capacity)

| math | code | sheet.column |
|---|---|---|
| cap[l,p] | lane_caps.cap | Lanes.capacity, CapacityProfile.capacity (lane ids) |
"""

from __future__ import annotations

from model.formulation.expr import grouped, add_constraint
from model.data.columns import lists


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
