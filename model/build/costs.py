"""Cost terms as data: one row per (variable, category, period, coefficient).

The objective (``objective.py``) and the cost-by-category report both read
this single table, so the two can never disagree.

| category | variable | coefficient (per unit, undiscounted) | sheet.column |
|---|---|---|---|
| purchase | buy[o,p] | unit_cost[o] | Supply.unit_cost |
| reservation | buy[o,p] | reservation_cost[o] (a deterministic solve reserves exactly what it buys) | Supply.reservation_cost |
| offer_fixed | use[o,p] | fixed_cost[o] | Supply.fixed_cost |
| processing | run[q,p] | unit_cost[q] | Processes.unit_cost |
| process_fixed | on[q,p] | fixed_cost[q] | Processes.fixed_cost |
| freight | ship[l,k,p] | unit_cost[l] | Lanes.unit_cost |
| tariff | ship[l,k,p] | (tariff_rate[l] + sum of covering tariff rules) * reference_price[k] | Lanes.tariff_rate, ExportControls |
| holding | stock[s,k,p] | holding_cost[s,k] | Inventory.holding_cost |
| disposal | discard[s,k,p] | disposal_cost[k] | Materials.disposal_cost |
| unmet_penalty | unmet[d] | penalty[d] | Demand.unmet_penalty, Settings.unmet_penalty |
"""

from __future__ import annotations

import pandas as pd

CATEGORIES = ("purchase", "reservation", "offer_fixed", "processing", "process_fixed", "freight", "tariff",
              "holding", "disposal", "unmet_penalty")
COLUMNS = ["var", "key", "category", "period", "coef"]


def _part(var, keys, category, periods, coefs) -> pd.DataFrame:
    frame = pd.DataFrame({"var": var, "key": list(keys), "category": category,
                          "period": list(periods), "coef": list(coefs)}, columns=COLUMNS)
    return frame[frame["coef"] != 0]


def cost_table(data) -> pd.DataFrame:
    o, q, sh, st, d = data.offers, data.processes, data.ship, data.stock, data.demand
    ob, qb = o[o["binary"]], q[q["binary"]]
    disc = data.discard
    parts = [
        _part("buy", zip(o["offer"], o["period"]), "purchase", o["period"], o["unit_cost"]),
        _part("buy", zip(o["offer"], o["period"]), "reservation", o["period"], o["reservation"]),
        _part("use_offer", zip(ob["offer"], ob["period"]), "offer_fixed", ob["period"], ob["fixed"]),
        _part("run", zip(q["process"], q["period"]), "processing", q["period"], q["unit_cost"]),
        _part("run_on", zip(qb["process"], qb["period"]), "process_fixed", qb["period"], qb["fixed"]),
        _part("ship", zip(sh["lane"], sh["material"], sh["period"]), "freight", sh["period"],
              sh["unit_cost"]),
        _part("ship", zip(sh["lane"], sh["material"], sh["period"]), "tariff", sh["period"],
              sh["tariff"]),
        _part("stock", zip(st["site"], st["material"], st["period"]), "holding", st["period"],
              st["holding"]),
        _part("discard", zip(disc["site"], disc["material"], disc["period"]), "disposal",
              disc["period"], disc["cost"]),
        _part("unmet", d["d"], "unmet_penalty", d["period"], d["penalty"]),
    ]
    pv = data.provenance
    if pv is not None and not pv.content_tariff.empty:
        ct = pv.content_tariff
        parts.append(_part("shipc", zip(ct["lane"], ct["material"], ct["cls"], ct["period"]),
                           "tariff", ct["period"], ct["tariff"]))
    table = pd.concat(parts, ignore_index=True)
    table["discount"] = table["period"].map(data.delta).astype(float)
    return table
