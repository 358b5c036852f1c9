"""The flows of a plan, for the web page's flow diagram (Sankey): from the countries where
material is bought, through the sites that process and forward it, to demand and discards.

    links = sankey_links(tables, data)   # [{s, d, m, p, t, k}]: source, target, material,
                                         # period, tonnes, kind (buy, ship, demand, discard)
    site_info(tables, data)              # node -> tooltip: name, country, company, processes
    supply_chains(data)                  # material -> demanded materials it can become

A network with more than ``MAX_LINKS`` flows is given for the whole horizon only, largest
flows first.
"""

from __future__ import annotations

import pandas as pd

from model.results.kpis import ALL, feeds

MAX_LINKS = 20_000


def sankey_links(tables: dict, data) -> list[dict]:
    """Flows for the diagram: source, target, material, period, t, kind."""
    parts = []
    pur = tables.get("Purchases")
    if pur is not None and len(pur):
        parts.append(pd.DataFrame({"source": "bought in " + pur["country"].astype(str),
                                   "target": pur["site_id"], "material": pur["material_id"],
                                   "period": pur["period"], "t": pur["quantity_t"], "kind": "buy"}))
    ship = tables.get("Shipments")
    if ship is not None and len(ship):
        parts.append(pd.DataFrame({"source": ship["from_site"], "target": ship["to_site"],
                                   "material": ship["material_id"], "period": ship["period"],
                                   "t": ship["quantity_t"], "kind": "ship"}))
    dem = tables.get("Demand")
    if dem is not None and len(dem):
        met = dem[dem["met_t"] > 0]
        parts.append(pd.DataFrame({"source": met["site_id"], "target": "demand at " + met["site_id"],
                                   "material": met["material_id"], "period": met["period"],
                                   "t": met["met_t"], "kind": "demand"}))
    dis = tables.get("Discards")
    if dis is not None and len(dis):
        parts.append(pd.DataFrame({"source": dis["site_id"], "target": "discarded",
                                   "material": dis["material_id"], "period": dis["period"],
                                   "t": dis["discarded_t"], "kind": "discard"}))
    parts = [p for p in parts if len(p)]
    if not parts:
        return []
    links = pd.concat(parts, ignore_index=True)
    keys = ["source", "target", "material", "period", "kind"]
    links = links.groupby(keys, as_index=False, sort=True)["t"].sum()
    if len(links) > MAX_LINKS:          # a huge network: whole horizon only, largest flows
        links = links.groupby(["source", "target", "material", "kind"], as_index=False,
                              sort=True)["t"].sum()
        links["period"] = ALL
        links = links.sort_values("t", ascending=False, kind="stable").head(MAX_LINKS)
    links["t"] = links["t"].round(4)
    return [{"s": s, "d": d, "m": m, "p": p if p == ALL else int(p), "t": float(t), "k": k}
            for s, d, m, p, t, k in zip(links["source"], links["target"], links["material"],
                                        links["period"], links["t"], links["kind"])]


def site_info(tables: dict, data) -> dict:
    """Tooltip text per site: name, country, company, processes run."""
    info = {}
    if data is not None:
        for sid, rec in data.sites.iterrows():
            info[sid] = f"{rec.get('name') or sid} ({rec['country']}, {rec['company']})"
    runs = tables.get("ProcessRuns")
    if runs is not None and len(runs):
        for sid, g in runs.groupby("site_id"):
            procs = g.groupby("process_id")["runs"].sum()
            text = "; ".join(f"{q}: {r:,.1f} runs" for q, r in procs.items())
            info[sid] = info.get(sid, sid) + " | processes over the horizon: " + text
    return info


def supply_chains(data) -> dict[str, list[str]]:
    """Material -> the demanded materials Recipes can turn it into (itself included)."""
    return {m: sorted(f) for m, f in sorted(feeds(data)[0].items())} if data is not None else {}
