"""Result tables for rules that follow the material (only when tracked).

- ``ChainOfCustody``: per Demand segment, material and period, t met by each
  provenance class, with, for every tracked group, t met by clean and by
  touched material, and for every tracked segment, t qualified / not.
- ``TouchedFlows``: every shipment and process run by class, so an analyst
  can see which step breaks a chain.
"""

from __future__ import annotations

import pandas as pd

from model.data.columns import lists


def provenance_tables(data, val) -> dict[str, pd.DataFrame]:
    """val: ``extract.Values`` of the solution."""
    pv = data.provenance
    if pv is None:
        return {}
    cls = pv.classes.set_index("cls")
    dem = data.demand.set_index("d")
    met = pv.metc.copy()
    met["met_t"] = val.take("metc", zip(*lists(met, "d", "cls")))
    met = met[met["met_t"] > 0]
    met["segment"] = met["d"].map(dem["segment"])
    met["material_id"] = met["d"].map(dem["material"])
    met["period"] = met["d"].map(dem["period"])
    met["class"] = met["cls"].map(cls["label"])
    for g in sorted(pv.groups):
        hit = met["cls"].map(lambda c, g=g: g in cls.at[c, "touched"])
        met[f"clean_of_{g}_t"] = met["met_t"].where(~hit, 0.0)
        met[f"touched_{g}_t"] = met["met_t"].where(hit, 0.0)
    for s in pv.segments:
        ok = met["cls"].map(lambda c, s=s: s in cls.at[c, "qualified"])
        met[f"qualified_{s}_t"] = met["met_t"].where(ok, 0.0)
        met[f"unqualified_{s}_t"] = met["met_t"].where(~ok, 0.0)
    value_cols = [c for c in met.columns if c.endswith("_t")]
    chain = (met.groupby(["segment", "material_id", "period", "class"], as_index=False)[value_cols]
             .sum().sort_values(["segment", "material_id", "period", "class"]))

    sh = pv.shipc.copy()
    sh["quantity_t"] = val.take("shipc", zip(*lists(sh, "lane", "material", "cls", "period")))
    sh = sh[sh["quantity_t"] > 0]
    flows = pd.DataFrame({"step": "ship", "id": sh["lane"], "from_site": sh["from_site"],
                          "to_site": sh["to_site"], "material_id": sh["material"],
                          "period": sh["period"], "class": sh["cls"].map(cls["label"]),
                          "quantity": sh["quantity_t"]})
    rc = pv.runc.copy()
    rc["runs"] = val.take("runc", zip(*lists(rc, "process", "cls", "period")))
    rc = rc[rc["runs"] > 0]
    site = dict(zip(data.processes["process"], data.processes["site"]))
    runs = pd.DataFrame({"step": "process", "id": rc["process"], "from_site": rc["process"].map(site),
                         "to_site": rc["process"].map(site), "material_id": "",
                         "period": rc["period"], "class": rc["cls"].map(cls["label"]),
                         "quantity": rc["runs"]})
    flows = pd.concat([flows, runs], ignore_index=True).sort_values(["period", "step", "id"])
    return {"ChainOfCustody": chain.reset_index(drop=True), "TouchedFlows": flows.reset_index(drop=True)}
