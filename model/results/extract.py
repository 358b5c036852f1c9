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


def extract(data, built, compiled, solution, marginals: str = "exact",
            bent: dict | None = None, lp=None) -> dict[str, pd.DataFrame]:
    """marginals: "exact" (every binding rule's one-tonne change, re-solving
    where ranging cannot tell) or "dual" (no re-solves: the dual rate where
    ranging cannot tell); see ``rule_marginals``. bent: the rows an elastic
    solve bent (``rule_marginals``). lp: the solve's ``FixedLp``
    (``model.solve.highs.solve_kept``), which the re-solves need."""
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
    tables["RuleMarginals"] = rule_marginals(data, compiled, solution, marginals, bent, lp)
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


MARGINALS = ("exact", "dual")


def exact_rule_marginals(run) -> None:
    """RuleMarginals with marginals="exact", in place of a table made with "dual"
    (``sourcing solve`` writes the plan first and the exact marginals after)."""
    data, _ = modelled(run.data, run.built.skipped)
    run.tables["RuleMarginals"] = rule_marginals(data, run.compiled, run.solution, "exact",
                                                 lp=run.lp)


def rule_marginals(data, compiled, solution, marginals: str = "exact",
                   bent: dict | None = None, lp=None) -> pd.DataFrame:
    """Every export-control and policy row: its activity, whether it binds, its
    dual, and the cost change of one more tonne, ``change_per_t``, with where
    it came from, ``change_from``: "ranging" (one tonne stays within the range
    over which the dual holds: exact), "re-solve" (solved again with the limit
    one tonne looser: exact), "dual" (the slope at the limit, not re-solved),
    "slack" (not at its limit: 0) or "zero dual" (at its limit, dual 0: 0).

    change_per_t < 0 means one more tonne of quota / share would save money.
    The cost as a function of a row's limit is convex and piecewise linear: the
    dual is its slope at the limit. HiGHS's ranging says how far that slope
    holds; where it holds for a whole tonne, change_per_t = dual exactly.
    Elsewhere marginals="exact" re-solves with the limit one tonne looser, and
    marginals="dual" reports the slope (the one-tonne change is no larger in
    size, since the slope flattens as the limit loosens).

    bent: {row index: (bend in t, slack term of the row)} of the rows an
    elastic solve bent (``model.analysis.elastic``). Such a rule is broken,
    not binding: its activity is what really goes through it (the row's
    activity less the slack term), binding is FALSE, change_from "bent" and
    change_per_t blank (no marginal: the limit was not kept).

    lp: the ``FixedLp`` of the solve (``model.solve.highs.solve_kept``) for
    the re-solves; without it the rows ranging cannot tell are left out.
    """
    from model.solve.highs import loosening_rate, relaxation_values
    if marginals not in MARGINALS:
        raise ValueError(f"marginals must be one of {MARGINALS}, not {marginals!r}")
    cols = ["sheet", "rule_id", "excel_row", "kind", "material_id", "period", "who", "limit",
            "activity", "binding", "dual", "change_per_t", "change_from", "meaning"]
    # binding: at its limit and one more tonne through it changes the cost (change_per_t != 0)
    if solution.row_activity is None:
        return pd.DataFrame(columns=cols)
    names = np.array(compiled.row_con)
    idx = np.flatnonzero(np.isin(names, ["export_limit", "policy_share", "chain_rule",
                                         "content_limit"]))
    lower, upper = compiled.lp.row_lower_, compiled.lp.row_upper_
    bent = bent or {}
    act = solution.row_activity
    at_limit = {int(i): int(i) not in bent and
                min(abs(act[i] - lower[i]), abs(act[i] - upper[i])) <= 1e-6 for i in idx}
    # The cost as a function of a row's limit is convex, and the duals are its
    # subgradients: where 0 is one of them the one-tonne change is exactly 0,
    # so only rows at their limit with a nonzero dual need a re-solve.
    duals = solution.row_dual
    sense = compiled.row_sense
    ask = [int(i) for i in idx if at_limit[int(i)] and (duals is None or abs(duals[i]) > 1e-9)]
    change = relaxation_values(solution, compiled, ask, resolve=False)
    source = {i: "ranging" for i in change}
    rest = [i for i in ask if i not in change]
    if marginals == "exact":
        change.update(relaxation_values(solution, compiled, rest, lp, use_ranging=False))
        source.update({i: "re-solve" for i in rest})
    elif duals is not None:
        change.update({i: loosening_rate(duals[i], sense[i]) for i in rest})
        source.update({i: "dual" for i in rest})
    solution.extra["marginals"] = {k: sum(1 for v in source.values() if v == k)
                                   for k in ("ranging", "re-solve", "dual")}
    # binding: at its limit and one more tonne through it would change the cost
    binding = {i: at_limit[i] and abs(change.get(i, 0.0)) > 1e-6 for i in at_limit}
    lim = _records(data.export_limits, "rule", "period")
    pol = _records(data.policy_rows, "key")
    pv = data.provenance
    if pv is not None:
        chain = _records(pv.chain_limits, "rule", "period")
        content = _records(pv.content_limits, "rule", "period")
    cur = data.settings.get("currency") or "USD"
    rows = []
    for i in idx:
        key = compiled.row_key[i]
        dual = float(solution.row_dual[i]) if solution.row_dual is not None else float("nan")
        delta = change.get(int(i), 0.0)
        how = source.get(int(i)) or ("zero dual" if at_limit[int(i)] else "slack")
        bend, term = bent.get(int(i), (0.0, 0.0))
        activity = float(act[i] - term)
        if int(i) in bent:
            delta, how = float("nan"), "bent"

        if how == "bent":
            dual = float("nan")       # the dual of a row held bent says nothing about the rule

        def words(what, period, through, how=how, bend=bend, delta=delta):
            if how == "bent":
                return (f"{what} is bent by {bend:,.7g} t in {period}: the plan breaks it "
                        "(elastic mode; sheet Elastic)")
            return _words(what, period, through, delta, cur, how)

        if names[i] in ("export_limit", "content_limit"):
            r = (lim if names[i] == "export_limit" else content)[key]
            head = (r["measure"], "", key[1], "", float(r["limit"]))
            rows.append(("ExportControls", key[0], int(r["row"]), *head, activity,
                         binding[int(i)], dual, delta, how,
                         words(f"{r['measure']} {key[0]}", key[1], "through it")))
        elif names[i] == "chain_rule":
            r = chain[key]
            rows.append(("Policies", key[0], int(r["row"]), r["kind"], "", key[1], "", 0.0,
                         activity, binding[int(i)], dual, delta, how,
                         words(f"{r['kind']} {key[0]}", key[1], "of barred material")))
        else:
            r = pol[key]
            who = f"{r['who']}'s share of {r['material']}"
            rows.append(("Policies", r["rule"], int(r["row"]), r["kind"], r["material"],
                         int(r["period"]), r["who"], float(r["value"]), activity,
                         binding[int(i)], dual, delta, how,
                         words(f"{r['rule']} ({who})", r["period"], "beyond the share")))
    return pd.DataFrame(rows, columns=cols)


def _records(frame, *cols) -> dict:
    """{key: row as a dict}, the key one column or a tuple of several; first row wins."""
    keys = frame[cols[0]].tolist() if len(cols) == 1 else zip(*lists(frame, *cols))
    out: dict = {}
    for key, rec in zip(keys, frame.to_dict("records")):
        out.setdefault(key, rec)
    return out


def _words(what: str, period, through: str, delta: float, cur: str, how: str = "") -> str:
    if abs(delta) < 1e-6:
        return f"{what} does not bind in {period}"
    verb = "save" if delta < 0 else "cost"
    size = f"up to {abs(delta):,.0f} {cur} (the dual; not re-solved)" if how == "dual" else \
        f"{abs(delta):,.0f} {cur}"
    return f"{what} binds in {period}: one more tonne {through} would {verb} {size}"
