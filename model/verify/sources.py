"""Offers and processes: references, activity, capacities (with CapacityProfile),
minimum quantities, and their purchase, run and fixed costs.

    bought[o,p] <= cap[o,p];  bought[o,p] > 0  =>  bought[o,p] >= min_quantity[o]
    runs[q,p] <= cap[q,p]
"""

from __future__ import annotations

from model.verify.text import q, span
from model.verify.decisions import as_id


def check(ck) -> None:
    offers(ck)
    processes(ck)


def _active(ck, where: str, did: str, rec: dict, p: int, noun: str, ident: str) -> None:
    """Something was bought or run on a disabled row or outside its active periods
    (where an investment added capacity, the row is active: contract v1.2, 7.8)."""
    if rec["enabled"] and ck.inp.added.get((ident, p)):
        return
    if not rec["enabled"]:
        ck.fail(f"{where}: {did}, but the row is disabled (enabled FALSE)")
    elif p not in rec["periods"]:
        ck.fail(f"{where}: {did}, but the {noun} is active {span(rec['periods'])}")


def _own(inp, ident: str, p: int, rec: dict) -> float:
    """The row's capacity cell; 0 outside its own periods where an investment adds some."""
    if p not in rec["periods"] and inp.added.get((ident, p)):
        return 0.0
    return rec["capacity"]


def offers(ck) -> None:
    inp, d, tol = ck.inp, ck.dec, ck.tol
    for (o, p), x in d.buy.items():
        ck.nonnegative("Purchases", (o, p), x, f"quantity_t of offer {o} in {p}")
        ck.checks += 1
        off = inp.offers.get(o)
        if off is None:
            ck.fail(f"{ck.rrow('Purchases', (o, p))}: offer {o} is not in Supply")
            continue
        rec = d.where[("Purchases", (o, p))]
        for col, want in (("site_id", off["site"]), ("material_id", off["material"])):
            if col in rec and as_id(rec[col]) is not None and as_id(rec[col]) != want:
                ck.fail(f"{ck.rrow('Purchases', (o, p))}: {col} {rec[col]} but Supply row "
                        f"{off['row']} puts offer {o} at {col} {want}")
        if not ck.in_horizon("Purchases", (o, p), p):
            continue
        if x > tol.t(x):
            _active(ck, f"Supply row {off['row']} (offer {o}) {p}", f"bought {q(x)} t", off, p,
                    "offer", o)
    for o, off in inp.offers.items():
        for p in inp.periods:
            x = d.buy.get((o, p), 0.0)
            if not (off["enabled"] and p in off["periods"]) and (o, p) not in d.buy:
                continue
            cap, src = inp.capacity(o, p, _own(inp, o, p, off),
                                    "Supply" if p in off["periods"] else None)
            ck.within_capacity(f"Supply row {off['row']} (offer {o}) {p}", f"bought {q(x)} t",
                               x, cap, src)
            used = x > tol.t(x if cap is None else cap)
            minq = inp.cell("Supply", o, "min_quantity", p, off["minq"])[0]
            if minq > 0:
                ck.checks += 1
                if used and x < minq - tol.t(minq):
                    ck.fail(f"Supply row {off['row']} (offer {o}) {p}: bought {q(x)} t < "
                            f"min_quantity {q(minq)} t (an offer used in a period "
                            f"supplies at least its minimum; {ck.tol_note(minq)})")
            price = inp.price(o, p)
            ck.add_cost("purchase", p, price, x)
            ck.add_cost("reservation", p, inp.cell("Supply", o, "reservation_cost", p,
                                                   off["reservation"])[0] or 0.0, x)
            fixed = inp.cell("Supply", o, "fixed_cost", p, off["fixed"])[0]
            if used and fixed:
                ck.cost[("offer_fixed", p)] += fixed
            if off["enabled"] and p in off["periods"]:
                take_or_pay(ck, o, p, x, price)
            rec = d.where.get(("Purchases", (o, p)))
            if rec is not None:
                ck.same(rec, "Purchases", "capacity_t", cap, f"Supply row {off['row']}"
                        + (f" / {src}" if src else ""))
                ck.same(rec, "Purchases", "unit_cost", price,
                        f"Supply row {off['row']} (after Profiles, floor and cap)", money=True)
                ck.same(rec, "Purchases", "cost", price * x,
                        "quantity_t x unit_cost", money=True)


def take_or_pay(ck, o: str, p: int, bought: float, price: float) -> None:
    """Contract v1.2: the buyer pays the period's price on max(0, take_or_pay - bought)."""
    off = ck.inp.offers[o]
    top = ck.inp.cell("Supply", o, "take_or_pay", p, off["take_or_pay"])[0]
    short = max(0.0, top - bought)
    if short > 0:
        ck.add_cost("take_or_pay_shortfall", p, price, short)


def processes(ck) -> None:
    inp, d, tol = ck.inp, ck.dec, ck.tol
    for (pr, p), x in d.runs.items():
        ck.nonnegative("ProcessRuns", (pr, p), x, f"runs of process {pr} in {p}")
        ck.checks += 1
        proc = inp.processes.get(pr)
        if proc is None:
            ck.fail(f"{ck.rrow('ProcessRuns', (pr, p))}: process {pr} is not in Processes")
            continue
        rec = d.where[("ProcessRuns", (pr, p))]
        if "site_id" in rec and as_id(rec["site_id"]) not in (None, proc["site"]):
            ck.fail(f"{ck.rrow('ProcessRuns', (pr, p))}: site_id {rec['site_id']} but "
                    f"Processes row {proc['row']} runs {pr} at {proc['site']}")
        if not ck.in_horizon("ProcessRuns", (pr, p), p):
            continue
        if x > tol.t(x):
            _active(ck, f"Processes row {proc['row']} (process {pr}) {p}", f"{q(x)} runs", proc,
                    p, "process", pr)
        if x > tol.t(x) and pr not in inp.recipes:
            ck.fail(f"Processes row {proc['row']} (process {pr}) {p}: {q(x)} runs, but "
                    "Recipes has no row for it")
    for pr, proc in inp.processes.items():
        for p in inp.periods:
            x = d.runs.get((pr, p), 0.0)
            if not (proc["enabled"] and p in proc["periods"]) and (pr, p) not in d.runs:
                continue
            cap, src = inp.capacity(pr, p, _own(inp, pr, p, proc),
                                    "Processes" if p in proc["periods"] else None)
            ck.within_capacity(f"Processes row {proc['row']} (process {pr}) {p}", f"{q(x)} runs",
                               x, cap, src, unit="runs")
            unit_cost = inp.cell("Processes", pr, "unit_cost", p, proc["unit_cost"])[0]
            fixed = inp.cell("Processes", pr, "fixed_cost", p, proc["fixed"])[0]
            ck.add_cost("processing", p, unit_cost, x)
            if x > tol.t(x if cap is None else cap) and fixed:
                ck.cost[("process_fixed", p)] += fixed
            rec = d.where.get(("ProcessRuns", (pr, p)))
            if rec is not None:
                ck.same(rec, "ProcessRuns", "capacity_runs", cap, f"Processes row {proc['row']}"
                        + (f" / {src}" if src else ""))
                ck.same(rec, "ProcessRuns", "unit_cost", unit_cost,
                        f"Processes row {proc['row']}", money=True)
