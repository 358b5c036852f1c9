"""The mean-value (EV) scenario of a set of discrete scenarios.

Birge & Louveaux define the expected-value problem as the deterministic
problem with every random parameter xi replaced by its mean E[xi]. Workbook
scenarios change more than numbers: they switch rows off (``enabled``), move
``first_period``, drop rules. The mean is therefore taken on the prepared,
per-period data (ModelData), after every scenario has been applied, with one
rule per kind of parameter, so that the EV problem is E[xi] exactly:

| parameter | absent in a scenario means | mean-value parameter |
|---|---|---|
| offer / process capacity (per period) | 0 (the row is off) | sum_s p_s cap_s: ``enabled`` and period changes act as a capacity factor P(present) |
| demand quantity | 0 | sum_s p_s quantity_s |
| terms of a row: unit costs, fixed costs, min_quantity, tariffs, holding and disposal costs, penalties, recipe yields, stock bounds | (undefined) | mean over the scenarios where the row is present, sum_s p_s c_s / sum_s p_s |
| lane capacity | 0 if the lane is off, +inf if on and uncapped | sum_s p_s cap_s (+inf if +inf with positive probability: no cap) |
| export ban / quota limit (per rule and period) | +inf (no rule) | sum_s p_s limit_s if present in every scenario; otherwise +inf: the rule is dropped |
| policy share | the neutral value: 1 for a max share, 0 for a min share | sum_s p_s value_s |
| binary (fixed cost or minimum) | - | an offer or process has one if it has one in any scenario |

A minimum quantity is a term of the contract, not a random availability: it
keeps its value where the offer exists (taking its mean with absent = 0 would
let the EV problem commit to an offer with a reservation below the minimum
that every real scenario demands, so that EEV = +inf for a technicality).

Structure (index sets) is the union over the scenarios, so every first-stage
decision of the recourse problem exists in the EV problem. Rules that follow
the material (clean_chain, qualified_only, content-scope controls) are kept
only when present in every scenario, as export limits are.
"""

from __future__ import annotations

import copy

import pandas as pd

from model.data import investments as inv_data
from model.data.model_data import ModelData
from model.data.provenance import prepare_provenance
from model.problems import Problems


def _merge(frames, probs, key, quantity=(), price=(), anyof=(), unlimited=()):
    """One row per key over the scenarios' frames (first-seen order), with
    ``_presence`` = sum of p_s over scenarios having the row and ``_n`` their number."""
    acc: dict = {}
    for frame, p in zip(frames, probs):
        for rec in frame.to_dict("records"):
            k = tuple(rec[c] for c in key)
            a = acc.get(k)
            if a is None:
                a = acc[k] = {"rec": dict(rec), "p": 0.0, "n": 0, "inf": set(),
                              "sum": dict.fromkeys((*quantity, *price, *unlimited), 0.0)}
                for c in anyof:
                    a["rec"][c] = False
            a["p"] += p
            a["n"] += 1
            for c in (*quantity, *unlimited):   # a blank (None): unlimited (contract v1.2)
                v = rec[c]
                if v is None or pd.isna(v):
                    a["inf"].add(c)
                else:
                    a["sum"][c] += p * float(v)
            for c in price:
                a["sum"][c] += p * float(rec[c])
            for c in anyof:
                a["rec"][c] = bool(a["rec"][c] or rec[c])
    columns = list(frames[0].columns) if frames else list(key)
    rows = []
    for a in acc.values():
        rec = a["rec"]
        for c in quantity:
            rec[c] = float("nan") if c in a["inf"] else a["sum"][c]
        for c in price:
            rec[c] = a["sum"][c] / a["p"] if a["p"] > 0 else 0.0
        for c in unlimited:
            rec[c] = float("nan") if c in a["inf"] else (a["sum"][c] / a["p"] if a["p"] > 0 else 0.0)
        rec["_presence"], rec["_n"] = a["p"], a["n"]
        rows.append(rec)
    return pd.DataFrame(rows, columns=[*columns, "_presence", "_n"])


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=["_presence", "_n"]).reset_index(drop=True)


def _lane_caps(datas, probs) -> pd.DataFrame:
    """E[cap[l,p]]: 0 where the lane is off, +inf where it is on without a cap."""
    acc: dict = {}
    rows_of: dict = {}
    for data, p in zip(datas, probs):
        caps = {(a, b): (c, r) for a, b, c, r in data.lane_caps.itertuples(index=False)}
        open_ = set(zip(data.ship["lane"], data.ship["period"]))
        for k in dict.fromkeys([*caps, *sorted(open_)]):
            acc.setdefault(k, 0.0)
            if k in caps:
                acc[k] += p * caps[k][0]
                rows_of.setdefault(k, caps[k][1])
            else:
                acc[k] = float("inf")
    rows = [(lane, p, cap, rows_of.get((lane, p))) for (lane, p), cap in acc.items()
            if cap != float("inf")]
    return pd.DataFrame(rows, columns=["lane", "period", "cap", "row"])


def _policy_rows(datas, probs) -> pd.DataFrame:
    merged = _merge([d.policy_rows for d in datas], probs, ["key"], quantity=("value",))
    if merged.empty:
        return _clean(merged)
    neutral = merged["kind"].map(lambda k: 0.0 if str(k).startswith("min") else 1.0)
    merged["value"] = merged["value"] + (1.0 - merged["_presence"]) * neutral
    return _clean(merged)


def _rules_workbook(workbooks, probs):
    """The first scenario's workbook with a rule row enabled only if it is enabled in every
    scenario and a value that is the probability-weighted mean (for provenance rules)."""
    wb = copy.copy(workbooks[0])
    wb.tables = {name: frame.copy() for name, frame in workbooks[0].tables.items()}
    for sheet in ("Policies", "ExportControls"):
        base = wb.tables[sheet]
        for i, rid in zip(base.index, base["rule_id"]):
            on, total, mass = True, 0.0, 0.0
            for w, p in zip(workbooks, probs):
                f = w.tables[sheet]
                hit = f[f["rule_id"] == rid]
                if hit.empty or hit["enabled"].iloc[0] is False:
                    on = False
                    continue
                v = hit["value"].iloc[0]
                if v is not None:
                    total, mass = total + p * float(v), mass + p
            base.at[i, "enabled"] = on
            if mass > 0:
                base.at[i, "value"] = total / mass
    return wb


def mean_value_data(datas, probs, workbooks=None) -> ModelData:
    """The ModelData of the mean-value scenario (see the table above)."""
    probs = [float(p) for p in probs]
    first = datas[0]
    offers = _clean(_merge([d.offers for d in datas], probs, ["offer", "period"],
                           quantity=("cap",), price=("unit_cost", "fixed", "minq"),
                           anyof=("binary",))).astype({"binary": bool})
    processes = _clean(_merge([d.processes for d in datas], probs, ["process", "period"],
                              quantity=("cap",), price=("unit_cost", "fixed"),
                              anyof=("binary",))).astype({"binary": bool})
    recipe = _clean(_merge([d.recipe for d in datas], probs, ["process", "material"],
                           price=("input", "output")))
    recipe = recipe[recipe["process"].isin(set(processes["process"]))].reset_index(drop=True)
    ship = _clean(_merge([d.ship for d in datas], probs, ["lane", "material", "period"],
                         price=("unit_cost", "tariff")))
    stock = _clean(_merge([d.stock for d in datas], probs, ["site", "material", "period"],
                          price=("holding", "lo", "initial"), unlimited=("hi",)))
    balance = _clean(_merge([d.balance for d in datas], probs, ["site", "material", "period"]))
    demand = _merge([d.demand for d in datas], probs, ["row"], quantity=("quantity",),
                    price=("penalty",), anyof=("reachable",))
    demand = _clean(demand[demand["quantity"] > 0])
    demand["d"] = range(len(demand))
    demand = demand.astype({"reachable": bool})
    limits = _merge([d.export_limits for d in datas], probs, ["rule", "period"],
                    quantity=("limit",))
    limits = _clean(limits[limits["_n"] == len(datas)])
    kept = set(zip(limits["rule"], limits["period"]))
    cover = pd.concat([d.export_cover for d in datas], ignore_index=True).drop_duplicates()
    cover = cover[[k in kept for k in zip(cover["rule"], cover["period"])]].reset_index(drop=True)
    arrivals = _clean(_merge([d.arrivals for d in datas], probs, ["var", "key", "material"],
                             price=("coef",)))
    materials = _clean(_merge([d.materials.reset_index() for d in datas], probs, ["material_id"],
                              price=("reference_price", "disposal_cost"))).set_index("material_id")
    delta = {p: sum(w * d.delta[p] for w, d in zip(probs, datas)) for p in first.periods}
    data = ModelData(list(first.periods), delta, dict(first.settings), first.sites, materials,
                     offers, processes, recipe, ship, _lane_caps(datas, probs), stock, balance,
                     demand, limits, cover, _policy_rows(datas, probs), arrivals, Problems())
    data.sales = _clean(_merge([d.sales for d in datas], probs, ["sale", "period"],
                               quantity=("cap",), price=("price",)))
    data.take_or_pay = _clean(_merge([d.take_or_pay for d in datas], probs, ["offer", "period"],
                                     quantity=("qty",), price=("price",), anyof=("has_buy",))
                              ).astype({"has_buy": bool})
    if any(d.prices for d in datas):
        data.prices = {k: tuple(sum(w * d.prices.get(k, (0.0, 0.0))[j]
                                    for w, d in zip(probs, datas)) for j in (0, 1))
                       for k in datas[0].prices}
    data.investments = inv_data.mean(datas, probs)
    data.lead = dict(first.lead)     # lane lead times as the first scenario has them
    data.demand_sites = pd.concat([d.demand_sites for d in datas]).drop_duplicates().sort_values(
        ["site", "material"]).reset_index(drop=True)
    if any(d.provenance is not None for d in datas):
        if workbooks is not None:
            data.provenance = prepare_provenance(_rules_workbook(workbooks, probs), data, Problems())
        else:
            data.provenance = first.provenance
    return data
