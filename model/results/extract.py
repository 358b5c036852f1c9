"""Results as tidy DataFrames, extracted in bulk from the column values.

``extract(data, built, compiled, solution) -> dict[str, DataFrame]``; each
table is keyed like the input sheets (offer_id, lane_id, ...). Variables that
the compiler dropped (they appear in no row and no cost) are zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.formulation import modelled
from model.formulation.costs import CATEGORIES
from model.formulation.variables import OFFER, POINT, PROCESS, SHIP
from model.data.columns import lists
from model.results import arrivals, investments
from model.results.contracts import contract_tables
from model.results.provenance import provenance_tables
from model.solve import demand_groups

TOL = 1e-9


class Values:
    """Column values by (variable, index), read in bulk.

    ``take(var, keys)`` returns a cleaned array, one value per key (0 where
    the variable has no column). The position of each (variable, index) comes
    straight from an array-backend model, else from the compiled column names."""

    def __init__(self, compiled, x, model=None):
        self.x = np.append(np.asarray(x, dtype=float), 0.0)      # position -1 reads 0
        self.compiled = compiled
        self.model = model if hasattr(model, "compile") else None
        self._pos: dict[str, dict] | None = None

    def positions(self, var: str) -> dict:
        if self.model is not None:
            return self.model.component(var) or {}
        if self._pos is None:
            self._pos = {}
            for j, (name, key) in enumerate(zip(self.compiled.col_var, self.compiled.col_key)):
                self._pos.setdefault(name, {})[key] = j
        return self._pos.get(var, {})

    def take(self, var: str, keys) -> np.ndarray:
        pos = self.positions(var)
        idx = np.fromiter((pos.get(k, -1) for k in keys), dtype=np.int64)
        return clean(self.x[idx])

    def take_mixed(self, variables, keys) -> np.ndarray:
        """One value per (variables[i], keys[i]), the variables differing by row."""
        variables = np.asarray(variables, dtype=object)
        out = np.zeros(len(variables))
        for var in dict.fromkeys(variables.tolist()):
            rows = np.flatnonzero(variables == var)
            out[rows] = self.take(var, [keys[i] for i in rows])
        return out


def clean(v: np.ndarray) -> np.ndarray:
    """Zero below 1e-9; otherwise rounded to 1e-7 (0.1 g), far below any
    tolerance, so solver noise does not show as 29.9999999995 t."""
    return np.where(np.abs(v) < TOL, 0.0, np.round(v, 7))


def extract(data, built, compiled, solution) -> dict[str, pd.DataFrame]:
    """The plan's tables from the solution's column values (RuleMarginals, which
    asks the solver, is an analysis: ``model.analysis.marginals``)."""
    data, _ = modelled(data, built.skipped)      # as the model saw it (--skip-family)
    val = Values(compiled, solution.x, built.model)
    take = val.take
    sites = data.sites
    tables: dict[str, pd.DataFrame] = {}

    o = data.offers
    buy = take("buy", data.keys("offers", OFFER))
    pur = pd.DataFrame({"offer_id": o["offer"], "site_id": o["site"],
                        "company": o["site"].map(sites["company"]),
                        "country": o["site"].map(sites["country"]), "material_id": o["material"],
                        "period": o["period"], "quantity_t": buy, "capacity_t": o["cap"],
                        "unit_cost": o["unit_cost"]})
    pur["cost"] = pur["quantity_t"] * pur["unit_cost"]
    tables["Purchases"] = pur[pur["quantity_t"] > 0].reset_index(drop=True)

    q = data.processes
    runs = take("run", data.keys("processes", PROCESS))
    pr = pd.DataFrame({"process_id": q["process"], "site_id": q["site"],
                       "country": q["site"].map(sites["country"]), "period": q["period"],
                       "runs": runs, "capacity_runs": q["cap"], "unit_cost": q["unit_cost"]})
    pr = pr[pr["runs"] > 0].reset_index(drop=True)
    tables["ProcessRuns"] = pr
    flows = pr.merge(data.recipe.rename(columns={"process": "process_id", "material": "material_id"}),
                     on="process_id")
    flows["consumed_t"] = flows["runs"] * flows["input"]
    flows["produced_t"] = flows["runs"] * flows["output"]
    tables["ProcessFlows"] = flows[["process_id", "site_id", "period", "material_id", "runs",
                                    "consumed_t", "produced_t"]]

    qty = take("ship", data.keys("ship", SHIP))
    used = qty > 0                 # only shipments that happen (most of 1 M lane slots do not)
    sh, qty = data.ship[used], qty[used]
    ship = pd.DataFrame({"lane_id": sh["lane"], "from_site": sh["from_site"], "to_site": sh["to_site"],
                         "from_country": sh["from_site"].map(sites["country"]),
                         "to_country": sh["to_site"].map(sites["country"]),
                         "material_id": sh["material"], "period": sh["period"], "quantity_t": qty,
                         "freight_per_t": sh["unit_cost"], "tariff_per_t": sh["tariff"]})
    pv = data.provenance
    if pv is not None and not pv.content_tariff.empty:      # content-scope tariffs, by class
        ct = pv.content_tariff
        paid = pd.DataFrame({"lane_id": ct["lane"], "material_id": ct["material"], "period": ct["period"],
                             "content": ct["tariff"].to_numpy() * take(
                                 "shipc", zip(*lists(ct, "lane", "material", "cls", "period")))})
        paid = paid.groupby(["lane_id", "material_id", "period"], as_index=False)["content"].sum()
        ship = ship.merge(paid, on=["lane_id", "material_id", "period"], how="left")
        extra = ship["content"].fillna(0.0)
        ship["tariff_per_t"] += (extra / ship["quantity_t"].where(ship["quantity_t"] > 0)).fillna(0.0)
        ship = ship.drop(columns="content")
    ship["cost"] = ship["quantity_t"] * (ship["freight_per_t"] + ship["tariff_per_t"])
    tables["Shipments"] = ship.reset_index(drop=True)

    st = data.stock
    tables["Stock"] = pd.DataFrame({
        "site_id": st["site"], "material_id": st["material"], "period": st["period"],
        "stock_t": take("stock", data.keys("stock", POINT)),
        "min_stock_t": st["lo"], "max_stock_t": st["hi"], "holding_cost_per_t": st["holding"]})

    tables["Demand"] = demand_table(data, take)

    disc = data.balance
    dis = pd.DataFrame({"site_id": disc["site"], "material_id": disc["material"],
                        "period": disc["period"],
                        "discarded_t": take("discard", data.keys("balance", POINT))})
    tables["Discards"] = dis[dis["discarded_t"] > 0].reset_index(drop=True)

    arr = data.arrivals
    tables["ArrivalsByCountry"] = arrivals.by_country(arrivals.detail(
        data, val.take_mixed(arr["var"].tolist(), arr["key"].tolist())))

    c = built.costs.copy()
    c["value"] = c["coef"].to_numpy() * val.take_mixed(c["var"].tolist(), c["key"].tolist())
    c["discounted"] = c["value"] * c["discount"]
    cost = c.groupby(["category", "period"], as_index=False)[["value", "discounted"]].sum()
    cost["category"] = pd.Categorical(cost["category"], categories=CATEGORIES, ordered=True)
    cost = cost.sort_values(["category", "period"]).reset_index(drop=True)
    cost["category"] = cost["category"].astype(str)
    tables["CostByCategory"] = cost.rename(columns={"value": "cost", "discounted": "discounted_cost"})
    tables.update(provenance_tables(data, val))
    tables.update(contract_tables(data, val))
    investments.adjust(data, val, tables)
    return tables


def demand_table(data, take) -> pd.DataFrame:
    """One row per Demand row; where alike rows were merged into one model row
    (``model.solve.demand_groups``), the merged row's met tonnes split back."""
    d = data.demand
    ids = d["d"].tolist()
    met = take("met", ids)
    groups = data.demand_rows
    if groups is not None:
        d = groups.rows
        met = clean(demand_groups.split(met, groups))
    qty = d["quantity"].to_numpy(float)
    dem = pd.DataFrame({"demand_id": d["demand_id"], "excel_row": d["row"], "site_id": d["site"],
                        "material_id": d["material"], "period": d["period"], "segment": d["segment"],
                        "quantity_t": d["quantity"], "met_t": met,
                        "unmet_t": clean(qty - met) if groups is not None else take("unmet", ids),
                        "unmet_penalty_per_t": d["penalty"]})
    dem["penalty_cost"] = dem["unmet_t"] * dem["unmet_penalty_per_t"]
    return dem
