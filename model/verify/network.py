"""Lanes, stock, discards and demand: references, non-negativity, lane
capacities (all materials together), stock floors and ceilings, met + unmet =
quantity; and their freight, tariff, holding, disposal and penalty costs.
"""

from __future__ import annotations

from collections import defaultdict

from model.verify.text import q
from model.verify.decisions import REPORT_ROW, as_id, as_period


def check(ck) -> None:
    lanes(ck)
    stock(ck)
    discards(ck)
    demand(ck)


def lanes(ck) -> None:
    inp, d, tol = ck.inp, ck.dec, ck.tol
    total: dict[tuple[str, int], float] = defaultdict(float)
    for (ln_id, k, p), x in d.ship.items():
        key = (ln_id, k, p)
        ck.nonnegative("Shipments", key, x, f"quantity_t on lane {ln_id} of {k} in {p}")
        ck.checks += 1
        ln = inp.lanes.get(ln_id)
        if ln is None:
            ck.fail(f"{ck.rrow('Shipments', key)}: lane {ln_id} is not in Lanes")
            continue
        if k not in inp.materials:
            ck.fail(f"{ck.rrow('Shipments', key)}: material {k} is not in Materials")
            continue
        rec = d.where[("Shipments", key)]
        for col, want in (("from_site", ln["from"]), ("to_site", ln["to"])):
            if col in rec and as_id(rec[col]) not in (None, want):
                ck.fail(f"{ck.rrow('Shipments', key)}: {col} {rec[col]} but Lanes row "
                        f"{ln['row']} has {col} {want}")
        if not ck.in_horizon("Shipments", key, p):
            continue
        if x > tol.t(x) and not ln["enabled"]:
            ck.fail(f"Lanes row {ln['row']} (lane {ln_id}) {p}: {q(x)} t of {k} shipped, but "
                    "the row is disabled (enabled FALSE)")
        elif x > tol.t(x) and ln["material"] is not None and ln["material"] != k:
            ck.fail(f"Lanes row {ln['row']} (lane {ln_id}) {p}: {q(x)} t of {k} shipped, but "
                    f"the lane carries only {ln['material']}")
        total[(ln_id, p)] += x
        freight = inp.cell("Lanes", ln_id, "unit_cost", p, ln["unit_cost"])[0]
        tariff = ck.lane_tariff(ln_id, k, p)
        ck.add_cost("freight", p, freight, x)
        ck.add_cost("tariff", p, tariff, x)
        ck.same(rec, "Shipments", "freight_per_t", freight, f"Lanes row {ln['row']}", money=True)
        ck.ship_costs.append((rec, (ln_id, k, p), freight, tariff, x))
    for ln_id, ln in inp.lanes.items():
        for p in inp.periods:
            cap, src = inp.capacity(ln_id, p, ln["capacity"], "Lanes")
            if cap is None or not (ln["enabled"] or (ln_id, p) in total):
                continue
            x = total.get((ln_id, p), 0.0)
            ck.within_capacity(f"Lanes row {ln['row']} (lane {ln_id}) {p}",
                               f"shipped {q(x)} t (all materials)", x, cap, src)


def stock(ck) -> None:
    inp, d, tol = ck.inp, ck.dec, ck.tol
    for key, x in d.stock.items():
        s, k, p = key
        ck.nonnegative("Stock", key, x, f"stock_t of {k} at {s} in {p}")
        ck.checks += 1
        if (s, k) not in inp.inventory and abs(x) > tol.t(x):
            ck.fail(f"{ck.rrow('Stock', key)}: {q(x)} t of {k} stocked at {s} in {p}, but "
                    f"Inventory has no row for {s} / {k} (stock can be held only there)")
        else:
            ck.in_horizon("Stock", key, p)
    for (s, k), row in inp.inventory.items():
        for p in inp.periods:
            x = d.stock.get((s, k, p), 0.0)
            ck.checks += 1
            ident = f"{s}|{k}"
            inv = dict(row, lo=inp.cell("Inventory", ident, "min_stock", p, row["lo"])[0],
                       hi=inp.cell("Inventory", ident, "max_stock", p, row["hi"])[0],
                       holding=inp.cell("Inventory", ident, "holding_cost", p,
                                        row["holding"])[0])
            if x < inv["lo"] - tol.t(inv["lo"], x):
                ck.fail(f"Inventory row {inv['row']} ({s} / {k}) {p}: stock {q(x)} t < "
                        f"min_stock {q(inv['lo'])} t [{ck.tol_note(inv['lo'], x)}]")
            if inv["hi"] is not None:
                ck.checks += 1
                excess = ck.over(x, inv["hi"])
                if excess is not None:
                    ck.fail(f"Inventory row {inv['row']} ({s} / {k}) {p}: stock {q(x)} t > "
                            f"max_stock {q(inv['hi'])} t [{ck.tol_note(inv['hi'], x)}]")
            ck.add_cost("holding", p, inv["holding"], x)
            rec = d.where.get(("Stock", (s, k, p)))
            if rec is not None:
                src = f"Inventory row {inv['row']}"
                ck.same(rec, "Stock", "min_stock_t", inv["lo"], src)
                ck.same(rec, "Stock", "max_stock_t", inv["hi"], src)
                ck.same(rec, "Stock", "holding_cost_per_t", inv["holding"], src, money=True)


def discards(ck) -> None:
    inp, d = ck.inp, ck.dec
    for key, x in d.discard.items():
        s, k, p = key
        ck.nonnegative("Discards", key, x, f"discarded_t of {k} at {s} in {p}")
        ck.checks += 1
        if s not in inp.sites:
            ck.fail(f"{ck.rrow('Discards', key)}: site {s} is not in Sites")
        elif k not in inp.materials:
            ck.fail(f"{ck.rrow('Discards', key)}: material {k} is not in Materials")
        elif ck.in_horizon("Discards", key, p):
            ck.add_cost("disposal", p, inp.cell("Materials", k, "disposal_cost", p,
                                                inp.materials[k]["disposal"])[0], x)


def demand(ck) -> None:
    inp, d, tol = ck.inp, ck.dec, ck.tol
    by_id = {r["demand_id"]: row for row, r in inp.demand.items() if r["demand_id"] is not None}
    sheet = d.sheets["Demand"]
    for rec in sheet.rows:
        where = f"Demand sheet row {rec[REPORT_ROW]}"
        row = as_period(rec.get("excel_row")) if "excel_row" in sheet.columns else None
        ident = as_id(rec.get("demand_id"))
        if row is None and ident is not None:
            row = by_id.get(ident)
        if row is None or row not in inp.demand:
            ck.checks += 1
            shown = f"excel_row {row}" if row is not None else f"demand_id {ident}"
            ck.fail(f"{where}: {shown} is not a row of the input's Demand sheet")
            continue
        dem = inp.demand[row]
        if row in d.demand:
            ck.fail(f"{where}: Demand row {row} is recorded twice; the two are added")
            met, unmet = d.demand[row]
            d.demand[row] = (met + rec["met_t"], unmet + rec["unmet_t"])
        else:
            d.demand[row] = (rec["met_t"], rec["unmet_t"])
            d.where[("Demand", row)] = rec
        for col, want in (("demand_id", dem["demand_id"]), ("site_id", dem["site"]),
                          ("material_id", dem["material"])):
            if col in rec and as_id(rec[col]) != want:
                ck.fail(f"{where}: {col} {rec[col] if as_id(rec[col]) else '(blank)'} but "
                        f"Demand row {row} has {want}")
        if "period" in rec and as_period(rec["period"]) != dem["period"]:
            ck.fail(f"{where}: period {rec['period']} but Demand row {row} has {dem['period']}")
    for row, dem in inp.demand.items():
        if dem["period"] not in ck.horizon:   # outside the horizon: ignored (a warning)
            continue
        met, unmet = d.demand.get(row, (0.0, 0.0))
        label = (f"Demand row {row} ({dem['demand_id'] + ', ' if dem['demand_id'] else ''}"
                 f"{dem['site']} / {dem['material']} / {dem['period']})")
        ck.checks += 3
        for what, v in (("met", met), ("unmet", unmet)):
            if v < -tol.t(v):
                ck.fail(f"{label}: {what} {q(v)} t is negative")
        if abs(met + unmet - dem["quantity"]) > tol.t(dem["quantity"], met, unmet):
            ck.fail(f"{label}: met {q(met)} t + unmet {q(unmet)} t = {q(met + unmet)} t, "
                    f"not the quantity {q(dem['quantity'])} t "
                    f"[{ck.tol_note(dem['quantity'], met, unmet)}]")
        if dem["period"] in ck.horizon:
            ck.add_cost("unmet_penalty", dem["period"], dem["penalty"], unmet)
        rec = d.where.get(("Demand", row))
        if rec is not None:
            ck.same(rec, "Demand", "quantity_t", dem["quantity"], f"Demand row {row}",
                    label="Demand sheet")
            ck.same(rec, "Demand", "unmet_penalty_per_t", dem["penalty"],
                    f"Demand row {row} / Settings unmet_penalty", money=True,
                    label="Demand sheet")
            ck.same(rec, "Demand", "penalty_cost", dem["penalty"] * unmet,
                    "unmet_t x unmet_penalty_per_t", money=True, label="Demand sheet")
