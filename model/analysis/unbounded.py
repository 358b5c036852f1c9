"""Why a solve is unbounded (contract v1.2, section 3): revenue without limit.

An optimization with every capacity finite cannot fall without limit; since
v1.2 a Sales row and a Supply or Processes row may have no capacity. The
model is unbounded when an uncapped sale can be fed without limit at a cost
below its price: by an uncapped offer of the material, or by an uncapped
process that makes it (a recipe loop that creates mass, or a process fed by
uncapped offers). ``explain(data)`` names the uncapped sales and the source
rows that can feed them, as a table and sentences for the terminal.
"""

from __future__ import annotations

import pandas as pd

COLUMNS = ["role", "sheet", "excel_row", "id", "material_id", "period", "price_or_cost",
           "meaning"]


def _uncapped(frame) -> pd.Series:
    return frame["cap"].isna() if len(frame) else pd.Series([], dtype=bool)


def explain(data) -> tuple[pd.DataFrame, list[str]]:
    sa = data.sales
    sales = sa[_uncapped(sa)]
    o, q, r = data.offers, data.processes, data.recipe
    offers = o[_uncapped(o)]
    procs = q[_uncapped(q)]
    makes = r[r["output"] > 0].groupby("material")["process"].apply(set).to_dict()
    rows, named = [], []
    for (sale, k), part in sales.groupby(["sale", "material"], sort=False):
        first = part.iloc[0]
        price = float(part["price"].max())
        rows.append(("sale", "Sales", int(first["row"]), sale, k, int(first["period"]), price,
                     f"sale {sale} of {k} has no capacity (up to {price:g} per t)"))
        feeds = offers[(offers["material"] == k) & (offers["unit_cost"] < price)]
        for (off, row), fp in feeds.groupby(["offer", "row"], sort=False):
            rows.append(("source", "Supply", int(row), off, k, int(fp["period"].iloc[0]),
                         float(fp["unit_cost"].min()),
                         f"offer {off} has no capacity and sells {k} below the sale price"))
            named.append(f"Supply row {int(row)} ({off})")
        making = procs[procs["process"].isin(makes.get(k, set()))]
        for (pr, row), fp in making.groupby(["process", "row"], sort=False):
            rows.append(("source", "Processes", int(row), pr, k, int(fp["period"].iloc[0]),
                         float(fp["unit_cost"].min()),
                         f"process {pr} has no capacity and makes {k}"))
            named.append(f"Processes row {int(row)} ({pr})")
    table = pd.DataFrame(rows, columns=COLUMNS)
    if sales.empty:
        return table, ["unbounded: the cost can fall without limit; no Sales row is uncapped, "
                       "so look for a recipe loop that creates mass (validation warnings)"]
    names = ", ".join(f"Sales row {int(g['row'].iloc[0])} ({s})"
                      for s, g in sales.groupby("sale", sort=False))
    head = (f"unbounded: revenue without limit from the uncapped sale(s) {names}, fed by "
            + (", ".join(dict.fromkeys(named)) if named else
               "uncapped sources or a recipe loop that creates mass")
            + ": give the sale or the source a capacity (sheet Unbounded)")
    return table, [head]
