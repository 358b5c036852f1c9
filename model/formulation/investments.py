"""Investments (contract v1.2, section 4): integer units of capacity, decided
per period of a window, online ``lead_time`` periods later.

    units[i,p] in {0, 1, 2, ...}                          for p in W_i
    sum_{p in W_i} units[i,p] <= U_i                      (invest_units)
    x[x,t] - sum_{i on x} cap_i sum_{p in W_i, p <= t - L_i} units[i,p] <= own[x,t]
                                                          (invest_capacity)

x[x,t] is what the target uses in t: buy[o,t] (an offer), run[q,t] (a
process) or sum_k ship[l,k,t] (a lane, shipments counted at departure).
``model_data.prepare`` bounds x by own + the most the investments can add (so
the row binds only through the units), and the on/off binary of a target with a
fixed cost or minimum quantity uses that bound as its big-M.

Costs (``cost_parts``, discounted like every term): capex_i units[i,p] in p
(category ``capex``); fixed_i units[i,p] in every t >= p + L_i (category
``investment_fixed``).

| math | code | sheet.column |
|---|---|---|
| units[i,p] | m.units | (decision) |
| U_i, cap_i, L_i | investments.options | Investments.max_units, capacity, lead_time |
| own[x,t] | investments.caps.own | Supply/Processes/Lanes.capacity, CapacityProfile |
| capex_i, fixed_i | investments.units.capex, fixed.fixed | Investments.capex, fixed_cost |
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from model.data.columns import keys, lists
from model.problems import WARNING, Problem
from model.formulation.expr import add_constraint, grouped
from model.formulation.variables import declare
from model.formulation.rowspec import LIMIT, Item, RowSpec, model_item

UNIT = ("investment", "period")
WHY = "capacity that can be built"


def declare_units(m, inv) -> None:
    declare(m, "units", keys(inv.units, UNIT), ub=inv.units["max_units"].tolist(), integer=True)


def usage(m, lane_keys: dict, kind: str, target: str, t: int) -> list:
    """[(1, var)] of what the target uses in t (empty: it has no decision in t)."""
    if kind == "lane":
        return [(1.0, m.ship[key]) for key in lane_keys.get((target, t), [])]
    var = m.buy if kind == "offer" else m.run
    return [(1.0, var[target, t])] if (target, t) in var else []


def add(m, data) -> int:
    inv = data.investments
    if inv is None:
        return 0
    declare_units(m, inv)
    per = grouped((i, 1.0, m.units[i, p]) for i, p in keys(inv.units, UNIT))
    cap = dict(zip(inv.options["investment"], inv.options["max_units"]))
    n = add_constraint(m, "invest_units", {i: (None, t, float(cap[i])) for i, t in per.items()},
                       "at most max_units units over the window")
    lane_keys: dict = {}
    for lane, k, p in zip(*lists(data.ship, "lane", "material", "period")):
        lane_keys.setdefault((lane, p), []).append((lane, k, p))
    added = grouped(((kind, x, t), -c, m.units[i, p]) for kind, x, t, i, p, c in
                    zip(*lists(inv.adds, "kind", "target", "period", "investment", "decision",
                               "capacity")))
    rows = {}
    for kind, x, t, own in zip(*lists(inv.caps, "kind", "target", "period", "own")):
        use = usage(m, lane_keys, kind, x, t)
        if use:
            rows[kind, x, t] = (None, use + added[kind, x, t], float(own))
    return n + add_constraint(m, "invest_capacity", rows,
                              "a target uses at most its own capacity plus what is built")


def cost_parts(inv) -> list[pd.DataFrame]:
    u, f = inv.units, inv.fixed
    capex = pd.DataFrame({"var": "units", "key": keys(u, UNIT), "category": "capex",
                          "period": u["period"].to_numpy(), "coef": u["capex"].to_numpy()})
    fixed = pd.DataFrame({"var": "units", "key": keys(f, ("investment", "decision")),
                          "category": "investment_fixed", "period": f["period"].to_numpy(),
                          "coef": f["fixed"].to_numpy()})
    return [part[part["coef"] != 0] for part in (capex, fixed)]


def without(data):
    """--skip-family investments: nothing is built; each target keeps its own capacity
    (0 where only an investment gave it some)."""
    inv = data.investments
    if inv is None:
        return data, []
    own = dict(zip(zip(inv.caps["kind"], inv.caps["target"], inv.caps["period"]),
                   inv.caps["own"]))

    def capped(frame, kind, col):
        out = frame.copy()
        out["cap"] = [own.get((kind, x, t), c) for x, t, c in zip(*lists(out, col, "period",
                                                                         "cap"))]
        return out
    lost = [Problem("Investments", None, None, None, "no investment is built: every target has "
                    "only its own capacity", WARNING)]
    return replace(data, offers=capped(data.offers, "offer", "offer"),
                   processes=capped(data.processes, "process", "process"),
                   lane_caps=capped(data.lane_caps, "lane", "lane"), investments=None), lost


SHEET_OF = {"offer": "Supply", "process": "Processes", "lane": "Lanes"}
UNIT_OF = {"offer": "t", "process": "runs", "lane": "t"}
RELAX_OF = {"offer": "offer_capacity", "process": "process_capacity", "lane": "lane_capacity"}


def describe_units(look, key, lower, upper, side=None) -> Item:
    r = look.investments.get(key, {})
    return Item("Investments", r.get("row"), str(key), "investment units", None, "", "",
                "at most", float(upper), "units", LIMIT, model_item("invest_units", key),
                f"Investments row {r.get('row')} ({key}) may build at most {upper:g} units "
                "over its decision window")


def describe_capacity(look, key, lower, upper, side=None) -> Item:
    kind, target, t = key
    built = look.investments_on(kind, target)
    return Item(SHEET_OF[kind], None, target, f"{kind} capacity with investments", t, "", "",
                "at most", float(upper), UNIT_OF[kind], LIMIT,
                model_item("invest_capacity", key),
                f"{kind} {target} can use at most its own capacity {upper:g} "
                f"{UNIT_OF[kind]} in {t} plus what the investments "
                f"{', '.join(built)} (sheet Investments) have brought online by then")


ROWS = (RowSpec("invest_units", describe_units),
        RowSpec("invest_capacity", describe_capacity, period=lambda key: key[2],
                relax=lambda key: RELAX_OF[key[0]]))
