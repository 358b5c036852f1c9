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
| take_or_pay_shortfall | short[o,p] | price paid[o,p] (after floor and cap) | Supply.take_or_pay |
| sales | sell[s,p] | -price[s,p] (revenue, negative) | Sales.price |
| capex | units[i,p] | capex[i], in the decision period p | Investments.capex |
| investment_fixed | units[i,p] | fixed_cost[i], in every period t >= p + lead_time[i] | Investments.fixed_cost |

Every coefficient is the period's value: Profiles (contract v1.2) override a
cell period by period, and ``unit_cost`` of Supply is the price paid,
min(max(unit_cost, price_floor), price_cap) (model/data/profiles.py).
"""

from __future__ import annotations

import pandas as pd

from model.formulation import investments, sales
from model.formulation.variables import OFFER, POINT, PROCESS, SHIP
from model.data.columns import keys

CATEGORIES = ("purchase", "reservation", "offer_fixed", "processing", "process_fixed", "freight", "tariff",
              "holding", "disposal", "unmet_penalty", "take_or_pay_shortfall", "sales", "capex",
              "investment_fixed")
COLUMNS = ["var", "key", "category", "period", "coef"]


def _part(var, frame, keys, category, coef) -> pd.DataFrame:
    """One cost term per row of frame: variable var at the index keys (one per row),
    coefficient frame[coef]."""
    part = pd.DataFrame({"var": var, "key": keys, "category": category,
                         "period": frame["period"].to_numpy(), "coef": frame[coef].to_numpy()},
                        columns=COLUMNS)
    return part[part["coef"] != 0]


def cost_table(data) -> pd.DataFrame:
    o, q, sh, st, d = data.offers, data.processes, data.ship, data.stock, data.demand
    ob, qb = o[o["binary"]], q[q["binary"]]
    disc = data.discard
    parts = [
        _part("buy", o, data.keys("offers", OFFER), "purchase", "unit_cost"),
        _part("buy", o, data.keys("offers", OFFER), "reservation", "reservation"),
        _part("use_offer", ob, keys(ob, OFFER), "offer_fixed", "fixed"),
        _part("run", q, data.keys("processes", PROCESS), "processing", "unit_cost"),
        _part("run_on", qb, keys(qb, PROCESS), "process_fixed", "fixed"),
        _part("ship", sh, data.keys("ship", SHIP), "freight", "unit_cost"),
        _part("ship", sh, data.keys("ship", SHIP), "tariff", "tariff"),
        _part("stock", st, data.keys("stock", POINT), "holding", "holding"),
        _part("discard", disc, data.keys("balance", POINT), "disposal", "cost"),
        _part("unmet", d, d["d"].tolist(), "unmet_penalty", "penalty"),
        *sales.cost_parts(data, _part),
    ]
    pv = data.provenance
    if pv is not None and not pv.content_tariff.empty:
        ct = pv.content_tariff
        parts.append(_part("shipc", ct, keys(ct, ("lane", "material", "cls", "period")), "tariff",
                           "tariff"))
    if data.investments is not None:
        parts.extend(investments.cost_parts(data.investments))
    table = pd.concat(parts, ignore_index=True)
    table["discount"] = table["period"].map(data.delta).astype(float)
    return table
