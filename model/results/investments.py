"""Result tables of contract v1.2's investments and lane lead times.

- ``Investments``: per investment and decision period with units > 0: units,
  online from, capex paid, capacity added, fixed O&M per period once online.
- ``Purchases`` / ``ProcessRuns`` of invested targets: ``capacity_t`` /
  ``capacity_runs`` become the capacity the plan has (own + built), not the
  most that could be built.
- ``Shipments``: with lane lead times, ``departure_period`` (= period) and
  ``arrival_period`` columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.data.columns import keys, lists

COLUMNS = ["investment_id", "target_id", "target_kind", "period", "units", "online_from",
           "capex", "added_capacity", "fixed_cost_per_period"]


def units_table(data, val) -> pd.DataFrame:
    inv = data.investments
    u = inv.units
    units = val.take("units", keys(u, ("investment", "period")))
    units = np.round(units)        # integer decisions; solver noise removed
    opt = inv.options.set_index("investment")
    out = pd.DataFrame({"investment_id": u["investment"], "target_id": u["investment"].map(
        opt["target"]), "target_kind": u["investment"].map(opt["kind"]), "period": u["period"],
        "units": units})
    lead = u["investment"].map(opt["lead"]).to_numpy()
    out["online_from"] = out["period"].to_numpy() + lead
    out["capex"] = units * u["capex"].to_numpy()
    out["added_capacity"] = units * u["investment"].map(opt["capacity"]).to_numpy()
    out["fixed_cost_per_period"] = units * u["investment"].map(opt["fixed"]).to_numpy()
    return out[out["units"] > 0].reset_index(drop=True)[COLUMNS]


def built_capacity(data, table: pd.DataFrame) -> dict:
    """(kind, target, t) -> own capacity + what the plan builds, for invested targets."""
    inv = data.investments
    out = dict(zip(zip(*lists(inv.caps, "kind", "target", "period")), inv.caps["own"]))
    units = dict(zip(zip(table["investment_id"], table["period"]), table["units"]))
    for kind, x, t, i, p, c in zip(*lists(inv.adds, "kind", "target", "period", "investment",
                                          "decision", "capacity")):
        out[kind, x, t] += c * units.get((i, p), 0.0)
    return out


def adjust(data, val, tables: dict) -> None:
    """Add the v1.2 tables and columns to ``tables`` (in place)."""
    if data.lead and "Shipments" in tables:
        sh = tables["Shipments"]
        lead = sh["lane_id"].map(lambda lane: data.lead.get(lane, 0)).astype(int)
        at = sh.columns.get_loc("period") + 1
        sh.insert(at, "arrival_period", sh["period"] + lead)
        sh.insert(at, "departure_period", sh["period"])
    if data.investments is None:
        return
    table = units_table(data, val)
    tables["Investments"] = table
    cap = built_capacity(data, table)
    for sheet, kind, col, ident in (("Purchases", "offer", "capacity_t", "offer_id"),
                                    ("ProcessRuns", "process", "capacity_runs", "process_id")):
        frame = tables.get(sheet)
        if frame is not None and len(frame):
            frame[col] = [cap.get((kind, x, t), c) for x, t, c in
                          zip(frame[ident], frame["period"], frame[col])]


def cost_items(tables: dict, data) -> list[tuple]:
    """(kind, owner, period, category, cost) of the plan's capex and O&M for the cost
    allocation (model/results/kpis.py): an offer's to its material ("m"), a process's to
    the process ("p"), a lane's to the material it carries (blank: unallocated)."""
    table = tables.get("Investments")
    if table is None or not len(table) or data.investments is None:
        return []
    offer_mat = dict(zip(data.offers["offer"], data.offers["material"]))
    lane_mat = dict(zip(data.ship["lane"], data.ship["material"]))
    last = data.periods[-1]
    out = []
    for rec in table.to_dict("records"):
        kind, x = rec["target_kind"], rec["target_id"]
        owner = (("m", offer_mat.get(x)) if kind == "offer" else ("p", x) if kind == "process"
                 else ("m", lane_mat.get(x) if data.ship[data.ship["lane"] == x]["material"]
                       .nunique() == 1 else None))
        out.append((*owner, rec["period"], "capex", rec["capex"]))
        for t in range(int(rec["online_from"]), last + 1):
            if rec["fixed_cost_per_period"]:
                out.append((*owner, t, "investment_fixed", rec["fixed_cost_per_period"]))
    return out
