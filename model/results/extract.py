"""Results as tidy DataFrames, extracted in bulk from the column values.

``extract(data, built, compiled, solution) -> dict[str, DataFrame]``; each
table is keyed like the input sheets (offer_id, lane_id, ...). Variables that
the compiler dropped (they appear in no row and no cost) are zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.build.costs import CATEGORIES

TOL = 1e-9


def values(compiled, x) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for name, key, val in zip(compiled.col_var, compiled.col_key, x):
        out.setdefault(name, {})[key] = float(val)
    return out


def _clean(v: float) -> float:
    return 0.0 if abs(v) < TOL else float(v)


def extract(data, built, compiled, solution) -> dict[str, pd.DataFrame]:
    val = values(compiled, solution.x)
    get = lambda var, key: _clean(val.get(var, {}).get(key, 0.0))  # noqa: E731
    sites = data.sites
    tables: dict[str, pd.DataFrame] = {}

    o = data.offers
    buy = [get("buy", (a, p)) for a, p in zip(o["offer"], o["period"])]
    pur = pd.DataFrame({"offer_id": o["offer"], "site_id": o["site"],
                        "company": o["site"].map(sites["company"]),
                        "country": o["site"].map(sites["country"]), "material_id": o["material"],
                        "period": o["period"], "quantity_t": buy, "capacity_t": o["cap"],
                        "unit_cost": o["unit_cost"]})
    pur["cost"] = pur["quantity_t"] * pur["unit_cost"]
    tables["Purchases"] = pur[pur["quantity_t"] > 0].reset_index(drop=True)

    q = data.processes
    runs = [get("run", (a, p)) for a, p in zip(q["process"], q["period"])]
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

    sh = data.ship
    qty = [get("ship", k) for k in zip(sh["lane"], sh["material"], sh["period"])]
    ship = pd.DataFrame({"lane_id": sh["lane"], "from_site": sh["from_site"], "to_site": sh["to_site"],
                         "from_country": sh["from_site"].map(sites["country"]),
                         "to_country": sh["to_site"].map(sites["country"]),
                         "material_id": sh["material"], "period": sh["period"], "quantity_t": qty,
                         "freight_per_t": sh["unit_cost"], "tariff_per_t": sh["tariff"]})
    ship["cost"] = ship["quantity_t"] * (ship["freight_per_t"] + ship["tariff_per_t"])
    tables["Shipments"] = ship[ship["quantity_t"] > 0].reset_index(drop=True)

    st = data.stock
    tables["Stock"] = pd.DataFrame({
        "site_id": st["site"], "material_id": st["material"], "period": st["period"],
        "stock_t": [get("stock", k) for k in zip(st["site"], st["material"], st["period"])],
        "min_stock_t": st["lo"], "max_stock_t": st["hi"], "holding_cost_per_t": st["holding"]})

    d = data.demand
    met = [get("met", i) for i in d["d"]]
    unmet = [get("unmet", i) for i in d["d"]]
    dem = pd.DataFrame({"demand_id": d["demand_id"], "excel_row": d["row"], "site_id": d["site"],
                        "material_id": d["material"], "period": d["period"], "segment": d["segment"],
                        "quantity_t": d["quantity"], "met_t": met, "unmet_t": unmet,
                        "unmet_penalty_per_t": d["penalty"]})
    dem["penalty_cost"] = dem["unmet_t"] * dem["unmet_penalty_per_t"]
    tables["Demand"] = dem

    disc = data.balance
    dq = [get("discard", k) for k in zip(disc["site"], disc["material"], disc["period"])]
    dis = pd.DataFrame({"site_id": disc["site"], "material_id": disc["material"],
                        "period": disc["period"], "discarded_t": dq})
    tables["Discards"] = dis[dis["discarded_t"] > 0].reset_index(drop=True)

    arr = data.arrivals.copy()
    arr["t"] = [coef * get(var, key) for var, key, coef in zip(arr["var"], arr["key"], arr["coef"])]
    by = arr.groupby(["material", "period", "country"], as_index=False)["t"].sum()
    by = by[by["t"] > 0]
    total = by.groupby(["material", "period"])["t"].transform("sum")
    tables["ArrivalsByCountry"] = pd.DataFrame({
        "material_id": by["material"], "period": by["period"], "country": by["country"],
        "arrivals_t": by["t"], "share": by["t"] / total}).reset_index(drop=True)

    c = built.costs.copy()
    c["value"] = [coef * get(var, key) for var, key, coef in zip(c["var"], c["key"], c["coef"])]
    c["discounted"] = c["value"] * c["discount"]
    cost = c.groupby(["category", "period"], as_index=False)[["value", "discounted"]].sum()
    cost["category"] = pd.Categorical(cost["category"], categories=CATEGORIES, ordered=True)
    cost = cost.sort_values(["category", "period"]).reset_index(drop=True)
    cost["category"] = cost["category"].astype(str)
    tables["CostByCategory"] = cost.rename(columns={"value": "cost", "discounted": "discounted_cost"})
    tables["RuleMarginals"] = rule_marginals(data, compiled, solution)
    return tables


def rule_marginals(data, compiled, solution) -> pd.DataFrame:
    """Binding export-control and policy rows with their marginal value.

    marginal = d(total discounted cost) / d(limit): for a quota, what one more
    tonne of quota would change the cost (negative: it would save money).
    """
    cols = ["sheet", "rule_id", "excel_row", "kind", "material_id", "period", "who", "limit",
            "activity", "binding", "marginal_value", "meaning"]
    if solution.row_dual is None or solution.row_activity is None:
        return pd.DataFrame(columns=cols)
    rows = []
    names = np.array(compiled.row_con)
    lim = data.export_limits.set_index(["rule", "period"]) if not data.export_limits.empty else None
    pol = data.policy_rows.set_index("key") if not data.policy_rows.empty else None
    for i in np.flatnonzero((names == "export_limit") | (names == "policy_share")):
        key, dual, act = compiled.row_key[i], solution.row_dual[i], solution.row_activity[i]
        if names[i] == "export_limit":
            r = lim.loc[key]
            limit = float(r["limit"])
            rows.append(("ExportControls", key[0], int(r["row"]), r["measure"], "", key[1], "",
                         limit, act, abs(act - limit) <= 1e-6, dual,
                         _words_export(key[0], r["measure"], key[1], dual, data.settings)))
        else:
            r = pol.loc[[key]].iloc[0]
            rows.append(("Policies", r["rule"], int(r["row"]), r["kind"], r["material"],
                         int(r["period"]), r["who"], float(r["value"]), act, abs(act) <= 1e-6,
                         dual, _words_policy(r, dual, data.settings)))
    out = pd.DataFrame(rows, columns=cols)
    return out


def _money(v: float, cur: str) -> str:
    return f"{abs(v):,.0f} {cur}"


def _words_export(rule, measure, period, dual, settings) -> str:
    cur = settings.get("currency") or "USD"
    if abs(dual) < 1e-7:
        return f"{measure} {rule} does not bind in {period}"
    if measure == "ban":
        return (f"allowing 1 t through ban {rule} in {period} would save {_money(dual, cur)}"
                if dual < 0 else f"ban {rule} in {period}: 1 t through it would cost {_money(dual, cur)}")
    return (f"1 t more quota under {rule} in {period} would save {_money(dual, cur)}"
            if dual < 0 else f"1 t more quota under {rule} in {period} would cost {_money(dual, cur)}")


def _words_policy(r, dual, settings) -> str:
    cur = settings.get("currency") or "USD"
    if abs(dual) < 1e-7:
        return f"{r['rule']} does not bind for {r['material']} in {r['period']}"
    return (f"{r['rule']} ({r['kind']} {r['who']}) binds for {r['material']} in {r['period']}: "
            f"relaxing it by 1 t-equivalent of share changes cost by {dual:,.0f} {cur}")
