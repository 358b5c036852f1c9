"""Investments and lane lead times (contract v1.2), recomputed from the raw
workbook and the report's ``Investments`` sheet (units per decision period):

    units[i,p] whole, >= 0, p in the window of i (clipped to the horizon), i enabled
    sum_p units[i,p] <= max_units[i]
    added[x,t] = sum_{i on x, enabled x} capacity_i * sum_{p <= t - lead_time_i} units[i,p]
    capex in p: capex_i units[i,p];  investment_fixed in t: fixed_i * units online in t

``added`` is then part of every capacity the other checks apply
(``Inputs.capacity``), and a target with added capacity counts as active in
that period (its own capacity 0 outside its own periods).
"""

from __future__ import annotations

from collections import defaultdict

from model.read.workbook import ROW
from model.verify.text import q

KIND_OF = (("offers", "offer"), ("processes", "process"), ("lanes", "lane"))


def rows_of(tables) -> dict[str, dict]:
    """investment_id -> target, capacity, capex, lead, fixed, max_units, first, last,
    enabled, row (the sheet's raw cells, blank defaults as the contract says)."""
    out: dict[str, dict] = {}
    frame = tables.get("Investments")
    if frame is None:
        return out
    for r in frame.to_dict("records"):
        if r["investment_id"] is None or r["investment_id"] in out:
            continue
        out[r["investment_id"]] = {
            "target": r["target_id"], "capacity": float(r["capacity"]),
            "capex": float(r["capex"]), "lead": int(round(float(r["lead_time"]))),
            "fixed": float(r["fixed_cost"]), "max_units": float(r["max_units"]),
            "first": r["first_period"], "last": r["last_period"],
            "enabled": r["enabled"] is not False, "row": r[ROW]}
    return out


def _target(inp, ident):
    for attr, _ in KIND_OF:
        rec = getattr(inp, attr).get(ident)
        if rec is not None:
            return rec
    return None


def check(ck) -> None:
    """Reads the units, checks them, fills ``inp.added`` and the two cost categories."""
    inp, d, tol = ck.inp, ck.dec, ck.tol
    recs = d.sheets.get("Investments")
    units: dict[tuple, float] = defaultdict(float)
    for r in (recs.rows if recs is not None else []):
        units[(r["investment_id"], r["period"])] += r["units"]
    total: dict[str, float] = defaultdict(float)
    added: dict[tuple, float] = defaultdict(float)
    for (i, p), u in sorted(units.items(), key=str):
        ck.checks += 1
        where = f"Investments (report) {i} {p}"
        inv = inp.investments.get(i)
        if inv is None:
            ck.fail(f"{where}: {q(u)} units, but investment {i} is not in Investments")
            continue
        target = _target(inp, inv["target"])
        head = f"Investments row {inv['row']} ({i}) {p}"
        if abs(u) <= tol.t(u):
            continue
        if abs(u - round(u)) > 1e-6 or u < 0:
            ck.fail(f"{head}: {q(u)} units is not a whole number >= 0")
        if not inv["enabled"] or target is None or not target["enabled"]:
            ck.fail(f"{head}: {q(u)} units, but the investment or its target "
                    f"{inv['target']} is disabled")
            continue
        window = inp.active_periods({"first_period": inv["first"], "last_period": inv["last"]})
        if p not in window:
            ck.fail(f"{head}: {q(u)} units decided in {p}, outside its window "
                    f"{window[0] if window else '-'}-{window[-1] if window else '-'}")
        total[i] += u
        ck.add_cost("capex", p, inv["capex"], u)
        for t in inp.periods:
            if t >= p + inv["lead"]:
                added[(inv["target"], t)] += inv["capacity"] * u
                ck.add_cost("investment_fixed", t, inv["fixed"], u)
    for i, u in total.items():
        ck.checks += 1
        inv = inp.investments[i]
        if u > inv["max_units"] + 1e-6:
            ck.fail(f"Investments row {inv['row']} ({i}): {q(u)} units in all > max_units "
                    f"{q(inv['max_units'])}")
    inp.added = dict(added)


def arrival(inp, lane_id: str, p: int) -> int:
    """The period a shipment on lane_id leaving in p arrives (Lanes.lead_time)."""
    ln = inp.lanes.get(lane_id)
    return p + (ln.get("lead", 0) if ln else 0)


def lead_times(ck) -> None:
    """No shipment may arrive after the last period."""
    last = ck.inp.periods[-1]
    for (ln_id, k, p), x in ck.dec.ship.items():
        ck.checks += 1
        t = arrival(ck.inp, ln_id, p)
        if t > last and x > ck.tol.t(x):
            ln = ck.inp.lanes[ln_id]
            ck.fail(f"Lanes row {ln['row']} (lane {ln_id}) {p}: {q(x)} t of {k} shipped, "
                    f"arriving in {t} after the last period {last} (lead_time {ln['lead']})")
