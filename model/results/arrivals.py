"""Arrivals at demand sites, evaluated for a solution: one definition for the
report's ArrivalsByCountry, the KPIs, shares and HHI, and the risk report.

What counts is decided once, when the data is prepared
(``model.data.model_data``): a demand site of material k is a site with a
Demand row for k (any period, any quantity, 0 included; ``demand_sites``), and
the arrivals of k are the terms of ``ModelData.arrivals``, the very terms the
share policies constrain:

    A(k, p) = sum of coef x x[var, key] over the terms of material k and period p
      buy[o,p]      an offer at a demand site of k          (origin: that site)
      out x run[q,p]  a process output at a demand site of k  (origin: that site)
      ship[l,k,p]   a lane into a demand site of k          (origin: the shipping site)

| math | code | sheet.column |
|---|---|---|
| x[var, key] | values: one per ModelData.arrivals row | Purchases.quantity_t, ProcessRuns.runs, Shipments.quantity_t |
| coef | arrivals.coef | 1, or Recipes.output for a process |
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DETAIL_COLUMNS = ["material_id", "period", "site_id", "origin_site", "country", "company", "via",
                  "arrivals_t"]
BY_COUNTRY_COLUMNS = ["material_id", "period", "country", "arrivals_t", "share"]

# result table holding each arrival variable: (table, its key columns, the value column)
RESULT_OF = {"buy": ("Purchases", ("offer_id", "period"), "quantity_t"),
             "run": ("ProcessRuns", ("process_id", "period"), "runs"),
             "ship": ("Shipments", ("lane_id", "material_id", "period"), "quantity_t")}


def detail(data, values) -> pd.DataFrame:
    """Every arrival of the solution with a positive quantity, in the order of the terms.
    values: the decision value of each ModelData.arrivals row (array-like, same order)."""
    a = data.arrivals
    if a.empty:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in DETAIL_COLUMNS})
    t = a["coef"].to_numpy(float) * np.asarray(values, dtype=float)
    out = pd.DataFrame({"material_id": a["material"].to_numpy(), "period": a["period"].to_numpy(),
                        "site_id": a["site"].to_numpy(), "origin_site": a["origin"].to_numpy(),
                        "country": a["country"].to_numpy(), "company": a["company"].to_numpy(),
                        "via": a["via"].to_numpy(), "arrivals_t": t})
    return out[out["arrivals_t"] > 0].reset_index(drop=True)


def values_from_tables(tables: dict, data) -> np.ndarray:
    """The value of each ModelData.arrivals term read back from the result tables (0 where a
    table has no row: nothing was bought, run or shipped)."""
    a = data.arrivals
    out = np.zeros(len(a))
    for var, (name, cols, col) in RESULT_OF.items():
        rows = np.flatnonzero((a["var"] == var).to_numpy())
        frame = tables.get(name)
        if not len(rows) or frame is None or frame.empty:
            continue
        lookup = dict(zip(zip(*(frame[c].tolist() for c in cols)), frame[col].astype(float)))
        keys = a["key"].to_numpy()
        out[rows] = [lookup.get(keys[i], 0.0) for i in rows]
    return out


def by_country(arrivals: pd.DataFrame) -> pd.DataFrame:
    """Arrivals by material, period and origin country, with each country's share of the
    material's arrivals in the period (the ArrivalsByCountry sheet)."""
    if arrivals.empty:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in BY_COUNTRY_COLUMNS})
    by = arrivals.groupby(["material_id", "period", "country"], as_index=False)["arrivals_t"].sum()
    by = by[by["arrivals_t"] > 0]
    total = by.groupby(["material_id", "period"])["arrivals_t"].transform("sum")
    return by.assign(share=by["arrivals_t"] / total)[BY_COUNTRY_COLUMNS].reset_index(drop=True)
