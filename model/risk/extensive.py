"""The two-stage extensive form: one model holding every scenario.

First stage (decided before the scenario is known, shared by all scenarios):

    reserve[o,p] >= 0      t reserved of offer o in period p (offers with a reservation cost)
    use[o,p]  in {0,1}     offer o used in p (offers with fixed_cost or min_quantity)
    on[q,p]   in {0,1}     process q switched on in p (processes with fixed_cost)
    invest[i,p] in {0,1,..}  units of investment i decided in p (contract v1.2, sheet
                           Investments; capex in C_s of every scenario)

Second stage, for each scenario s, a Pyomo Block holding the contract's
variables and constraint families built from that scenario's ModelData
(``variables.add(block, data_s)``, ``family.add(block, data_s)``), linked to
the first stage:

    block_s.use_offer[o,p] = use[o,p]     (link_use; keys the scenario has)
    block_s.units[i,p]     = invest[i,p]  (link_units; a key the scenario lacks: idle_units,
                                          its capex charged all the same)
    block_s.run_on[q,p]    = on[q,p]      (link_on)
    block_s.buy[o,p]      <= reserve[o,p] (reserved; offers with a reservation cost)
    block_s.idle_use[o,p]  = use[o,p]     (link_idle_use) and
    block_s.idle_on[q,p]   = on[q,p]      (link_idle_on): a committed row that exists in s
                                          (enabled, active) but has no decision there (no
                                          capacity, or an input that can never reach the
                                          plant: ModelData.idle); its fixed cost is in C_s

A commitment holds in every scenario: a committed offer takes its minimum, or
all the supplier can deliver where its capacity in s is below the minimum
(min_quantity clipped to cap_s[o,p], ``deliverable``), and its fixed cost is
charged wherever the row exists, whether or not it can deliver or run there.

Costs (discounted with delta_p):

    F        = sum_{o,p} delta_p r[o] reserve[o,p]                       first stage
    C_s      = sum_{terms t of cost_table(data_s)} delta_p coef[t] x_s[t]   block_s.cost
    T_s      = F + C_s                                                  total of scenario s

Objective, with the Rockafellar-Uryasev form of CVaR_alpha(T):

    min  F + sum_s p_s C_s + lambda * ( eta + 1/(1-alpha) sum_s p_s u_s )
         u_s >= T_s - eta,  u_s >= 0   (cvar_excess[s]),  eta free

The CVaR variables are left out when lambda = 0 (the CVaR of a solution is
then computed from its scenario totals, exactly, see ``cvar``). The frontier
adds ``eta + 1/(1-alpha) sum_s p_s u_s <= epsilon`` (cvar_cap).

| math | code | sheet.column |
|---|---|---|
| reserve[o,p] | m.reserve | (decision); r[o] = Supply.reservation_cost |
| use[o,p], on[q,p] | m.use, m.on | Supply.fixed_cost/min_quantity, Processes.fixed_cost |
| x_s | m.sc[s].buy, .run, .ship, ... | the contract's decisions in scenario s |
| C_s | m.sc[s].cost | costs.cost_table(data_s) |
| eta, u_s | m.eta, m.excess[s] | Settings.cvar_alpha, risk_weight |
"""

from __future__ import annotations

import copy
import gc
import math
import time
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from model.formulation import FAMILIES, costs, variables
from model.formulation.expr import add_constraint, linear
from model.results import arrivals
from model.solve.handover import Compiled, compile_model
from model.solve.highs import Solution, SolveOptions, solve


@dataclass
class FirstStage:
    reserve: pd.DataFrame       # offer, period, ub, rate (reservation cost per t), delta
    use: list                   # [(offer, period)] with a binary in some scenario
    on: list                    # [(process, period)] with a binary in some scenario
    units: list = field(default_factory=list)     # [(investment, period)] (contract v1.2)
    invest: dict = field(default_factory=dict)    # investment -> (max_units, capex) as it stands

    def cost_terms(self):
        r = self.reserve
        return list(zip(zip(r["offer"], r["period"]), r["rate"] * r["delta"]))


def first_stage(datas, reservation: dict[str, float], delta: dict[int, float]) -> FirstStage:
    """Index sets of the first stage: the union over the scenarios' data, sorted."""
    ub: dict = {}
    use, on, units, invest = set(), set(), set(), {}
    for data in datas:
        inv = data.investments
        if inv is not None:
            units.update(zip(inv.units["investment"], inv.units["period"]))
            for i, u, c in zip(inv.units["investment"], inv.units["max_units"], inv.units["capex"]):
                invest.setdefault(i, (float(u), float(c)))
        o = data.offers
        for key, cap in zip(zip(o["offer"], o["period"]), o["cap"]):
            if key[0] in reservation:
                cap = math.inf if cap is None or pd.isna(cap) else float(cap)   # blank: unlimited
                ub[key] = max(ub.get(key, 0.0), cap)
        use.update(zip(o.loc[o["binary"], "offer"], o.loc[o["binary"], "period"]))
        q = data.processes
        on.update(zip(q.loc[q["binary"], "process"], q.loc[q["binary"], "period"]))
    keys = sorted(ub)
    reserve = pd.DataFrame({"offer": [k[0] for k in keys], "period": [k[1] for k in keys],
                            "ub": [ub[k] for k in keys],
                            "rate": [reservation[k[0]] for k in keys],
                            "delta": [delta.get(k[1], 1.0) for k in keys]})
    return FirstStage(reserve, sorted(use), sorted(on), sorted(units), invest)


@dataclass
class Fixed:
    """Values of the first stage, to evaluate a given decision."""
    reserve: dict
    use: dict
    on: dict
    units: dict = field(default_factory=dict)


@dataclass
class Extensive:
    model: pyo.ConcreteModel
    first: FirstStage
    ids: list[str]
    probs: list[float]
    datas: list
    cost_tables: list[pd.DataFrame]
    risk_weight: float
    alpha: float
    has_cvar: bool


def build_extensive(first: FirstStage, ids, probs, datas, *, risk_weight: float = 0.0,
                    alpha: float = 0.95, fixed: Fixed | None = None, objective: str = "risk",
                    cvar_cap: float | None = None, cost_tables=None) -> Extensive:
    """objective "risk": F + E[C] + lambda CVaR; "cvar": CVaR alone.
    cvar_cap: add the row CVaR <= cvar_cap (the frontier changes its bound).
    cost_tables: costs.cost_table of each scenario when already known (sampled scenarios
    change capacities only, so they share the cost table of the workbook)."""
    has_cvar = risk_weight > 0 or objective == "cvar" or cvar_cap is not None
    gc_was = gc.isenabled()
    gc.disable()
    try:
        m = pyo.ConcreteModel(name="secure_sourcing_risk")
        r = first.reserve
        rkeys = list(zip(r["offer"], r["period"]))
        m.reserve = pyo.Var(rkeys, domain=pyo.NonNegativeReals)
        for key, ub in zip(rkeys, r["ub"]):
            m.reserve[key].setub(None if math.isinf(ub) else float(ub))
        m.use = pyo.Var(first.use, domain=pyo.Binary)
        m.on = pyo.Var(first.on, domain=pyo.Binary)
        m.invest = pyo.Var(first.units, domain=pyo.NonNegativeIntegers)
        for key in first.units:
            m.invest[key].setub(first.invest[key[0]][0])
        if fixed is not None:
            _fix(m, fixed)
        m.first_cost = pyo.Expression(expr=linear((c, m.reserve[k]) for k, c in first.cost_terms()))
        m.sc = pyo.Block(range(len(datas)))
        tables = []
        reserved = set(rkeys)
        for i, data in enumerate(datas):
            blk = m.sc[i]
            data = deliverable(data)
            variables.add(blk, data)
            for family in FAMILIES.values():
                family.add(blk, data)
            table = costs.cost_table(data) if cost_tables is None else cost_tables[i]
            # reservations are first-stage decisions here (m.reserve), not a cost of buying
            table = table[table["category"] != "reservation"]
            idle = pd.concat([_idle(m, blk, data), _stranded_units(m, blk, first, data)],
                             ignore_index=True)
            if len(idle):
                table = pd.concat([table, idle], ignore_index=True)
            tables.append(table)
            blk.cost = pyo.Expression(expr=linear(
                (coef * disc, getattr(blk, var)[key])
                for var, key, coef, disc in zip(table["var"], table["key"], table["coef"],
                                                table["discount"])
                if blk.component(var) is not None))
            _link(m, blk, reserved)
        exp = m.first_cost + sum(p * m.sc[i].cost for i, p in enumerate(probs))
        if has_cvar:
            m.eta = pyo.Var(domain=pyo.Reals)
            m.excess = pyo.Var(range(len(datas)), domain=pyo.NonNegativeReals)
            m.cvar_excess = pyo.Constraint(
                range(len(datas)),
                rule=lambda _m, i: _m.excess[i] + _m.eta - _m.first_cost - _m.sc[i].cost >= 0)
            m.cvar = pyo.Expression(expr=m.eta + (1.0 / (1.0 - alpha)) * sum(
                p * m.excess[i] for i, p in enumerate(probs)))
            if cvar_cap is not None:
                m.cvar_cap = pyo.Constraint(expr=m.cvar <= cvar_cap)
        if objective == "cvar":
            m.objective = pyo.Objective(expr=m.cvar, sense=pyo.minimize)
        elif risk_weight > 0:
            m.objective = pyo.Objective(expr=exp + risk_weight * m.cvar, sense=pyo.minimize)
        else:
            m.objective = pyo.Objective(expr=exp, sense=pyo.minimize)
    finally:
        if gc_was:
            gc.enable()
    return Extensive(m, first, list(ids), list(probs), list(datas), tables, risk_weight, alpha,
                     has_cvar)


def _fix(m, fixed: Fixed) -> None:
    for key in m.reserve:
        ub = m.reserve[key].ub
        v = max(float(fixed.reserve.get(key, 0.0)), 0.0)
        v = v if ub is None else min(v, ub)
        m.reserve[key].setlb(v)
        m.reserve[key].setub(v)
    for var, values in ((m.use, fixed.use), (m.on, fixed.on), (m.invest, fixed.units)):
        for key in var:
            v = float(round(values.get(key, 0.0)))
            var[key].setlb(v)
            var[key].setub(v)


def deliverable(data):
    """The scenario's data as its block is built: min_quantity clipped to the capacity of
    the period, so a committed offer takes its minimum or all the supplier can deliver
    (take-or-pay). Without it a commitment would make a scenario whose capacity is below
    the minimum infeasible; with it the commitment, and its fixed cost, stand there too."""
    o = data.offers
    cap = o["cap"].to_numpy(float)          # NaN: unlimited (contract v1.2), never short
    short = o["minq"].to_numpy(float) > cap
    if not short.any():
        return data
    out = copy.copy(data)
    out.offers = o.assign(minq=np.fmin(o["minq"].to_numpy(float), cap))
    return out


# ModelData.idle kind -> (first-stage binary, block copy, cost category)
IDLE = {"offer": ("use", "idle_use", "offer_fixed"), "process": ("on", "idle_on", "process_fixed")}


def _idle(m, blk, data) -> pd.DataFrame:
    """Committed rows that exist in this scenario but have no decision in it (no capacity,
    or a process none of whose feed can reach it): a copy of the first-stage binary in the
    block, linked to it, and its fixed cost as cost-table rows of the block."""
    parts = []
    idle = data.idle
    for kind, (first_var, var, category) in IDLE.items():
        part = idle[(idle["kind"] == kind).to_numpy()]
        committed = getattr(m, first_var)
        part = part[[k in committed for k in zip(part["id"], part["period"])]]
        if part.empty:
            continue
        keys = list(zip(part["id"], part["period"]))
        copy_ = variables.declare(blk, var, keys)
        add_constraint(blk, f"link_{var}", {k: (0.0, [(1.0, copy_[k]), (-1.0, committed[k])], 0.0)
                                           for k in keys},
                       "a commitment stands where the row exists but cannot deliver or run")
        parts.append(pd.DataFrame({"var": var, "key": keys, "category": category,
                                   "period": part["period"].to_numpy(),
                                   "coef": part["fixed"].to_numpy(float),
                                   "discount": part["period"].map(data.delta).to_numpy(float)}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _stranded_units(m, blk, first, data) -> pd.DataFrame:
    """Investment decisions the scenario has no variable for (its target disabled there,
    or an option it leaves out): capex is paid all the same (contract v1.2, 7.9)."""
    own = blk.component("units")
    keys = [k for k in first.units if own is None or k not in own]
    keys = [k for k in keys if first.invest[k[0]][1]]
    if not keys:
        return pd.DataFrame()
    copy_ = variables.declare(blk, "idle_units", keys)
    add_constraint(blk, "link_idle_units", {k: (0.0, [(1.0, copy_[k]), (-1.0, m.invest[k])], 0.0)
                                            for k in keys}, "capex is paid in every scenario")
    return pd.DataFrame({"var": "idle_units", "key": keys, "category": "capex",
                         "period": [k[1] for k in keys],
                         "coef": [first.invest[k[0]][1] for k in keys],
                         "discount": [float(data.delta.get(k[1], 1.0)) for k in keys]})


def _link(m, blk, reserved) -> None:
    units = blk.component("units")
    if units is not None:
        add_constraint(blk, "link_units",
                       {k: (0.0, [(1.0, units[k]), (-1.0, m.invest[k])], 0.0) for k in units},
                       "units as decided in the first stage")
    add_constraint(blk, "link_use", {k: (0.0, [(1.0, blk.use_offer[k]), (-1.0, m.use[k])], 0.0)
                                     for k in blk.use_offer},
                   "use as decided in the first stage")
    add_constraint(blk, "link_on", {k: (0.0, [(1.0, blk.run_on[k]), (-1.0, m.on[k])], 0.0)
                                    for k in blk.run_on}, "on as decided in the first stage")
    add_constraint(blk, "reserved", {k: (None, [(1.0, blk.buy[k]), (-1.0, m.reserve[k])], 0.0)
                                     for k in blk.buy if k in reserved},
                   "buy at most the quantity reserved")


def cvar(values, probs, alpha: float) -> float:
    """CVaR_alpha of a discrete distribution, exactly: the mean of the worst
    (1 - alpha) probability mass (Rockafellar-Uryasev at its optimal eta)."""
    v = np.asarray(values, dtype=float)
    p = np.asarray(probs, dtype=float)
    if len(v) == 0 or not np.all(np.isfinite(v)):
        return math.nan if len(v) == 0 else math.inf
    order = np.argsort(-v, kind="stable")
    tail, mass, acc = 1.0 - alpha, 0.0, 0.0
    if tail <= 0:
        return float(v.max())
    for j in order:
        take = min(p[j], tail - mass)
        if take <= 0:
            break
        acc += take * v[j]
        mass += take
    return float(acc / tail)


@dataclass
class RiskResult:
    status: str
    message: str
    ext: Extensive
    compiled: Compiled | None
    solution: Solution | None
    seconds: dict = field(default_factory=dict)
    first_cost: float | None = None
    totals: np.ndarray | None = None          # T_s
    second: np.ndarray | None = None          # C_s
    _cols: list = field(default_factory=list, repr=False)
    _first_cols: dict = field(default_factory=dict, repr=False)

    @property
    def has_solution(self) -> bool:
        return self.solution is not None and self.solution.has_solution

    @property
    def probs(self) -> np.ndarray:
        return np.asarray(self.ext.probs, dtype=float)

    @property
    def expected_cost(self) -> float | None:
        return float(self.probs @ self.totals) if self.has_solution else None

    @property
    def cvar(self) -> float | None:
        return cvar(self.totals, self.probs, self.ext.alpha) if self.has_solution else None

    @property
    def objective(self) -> float | None:
        """F + E[C] + lambda CVaR, computed from the scenario totals."""
        if not self.has_solution:
            return None
        return self.expected_cost + self.ext.risk_weight * self.cvar

    # --- values -------------------------------------------------------------------------
    def value(self, s: int, var: str, key, default: float = 0.0) -> float:
        j = self._cols[s].get((var, key))
        return default if j is None else float(self.solution.x[j])

    def first_value(self, var: str, key) -> float:
        j = self._first_cols.get((var, key))
        return 0.0 if j is None else float(self.solution.x[j])

    def fixed(self) -> Fixed:
        """The first-stage decision of this solution (binaries rounded)."""
        f = self.ext.first
        return Fixed({k: self.first_value("reserve", k)
                      for k in zip(f.reserve["offer"], f.reserve["period"])},
                     {k: round(self.first_value("use", k)) for k in f.use},
                     {k: round(self.first_value("on", k)) for k in f.on},
                     {k: round(self.first_value("invest", k)) for k in f.units})

    def portfolio(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(reservations, commitments) of the first stage."""
        f = self.ext.first
        res = f.reserve.copy()
        res["reserved_t"] = [round(self.first_value("reserve", k), 7)
                             for k in zip(res["offer"], res["period"])]
        res["reservation_cost"] = res["rate"] * res["reserved_t"]
        res["reservation_cost_discounted"] = res["reservation_cost"] * res["delta"]
        res = res.rename(columns={"rate": "reservation_cost_per_t", "ub": "max_capacity_t",
                                  "delta": "discount"})
        res = res[["offer", "period", "reserved_t", "reservation_cost_per_t", "reservation_cost",
                   "reservation_cost_discounted", "max_capacity_t", "discount"]]
        rows = [("offer", k[0], k[1], int(round(self.first_value("use", k)))) for k in f.use]
        rows += [("process", k[0], k[1], int(round(self.first_value("on", k)))) for k in f.on]
        rows += [("invest", k[0], k[1], int(round(self.first_value("invest", k))))
                 for k in f.units]
        com = pd.DataFrame(rows, columns=["kind", "id", "period", "decision"])
        return res, com

    def unmet_by_scenario(self) -> list[float]:
        """t of demand unmet in each scenario."""
        return [float(sum(self.value(i, "unmet", d) for d in data.demand["d"]))
                for i, data in enumerate(self.ext.datas)]

    def scenario_table(self) -> pd.DataFrame:
        unmet = self.unmet_by_scenario()
        demand = [float(data.demand["quantity"].sum()) for data in self.ext.datas]
        return pd.DataFrame({"scenario": self.ext.ids, "probability": self.ext.probs,
                             "first_stage_cost": self.first_cost,
                             "second_stage_cost": self.second, "total_cost": self.totals,
                             "demand_t": demand, "unmet_t": unmet})

    def cost_by_category(self) -> pd.DataFrame:
        """Cost per scenario, category and period (the reservation is in every scenario)."""
        cols = ["scenario", "category", "period", "cost", "cost_discounted"]
        r = self.ext.first.reserve
        reserved = [(p, rate * self.first_value("reserve", (o, p)), d)
                    for o, p, rate, d in zip(r["offer"], r["period"], r["rate"], r["delta"])]
        frames = []
        for i, (sid, table) in enumerate(zip(self.ext.ids, self.ext.cost_tables)):
            x = np.array([self.value(i, v, k) for v, k in zip(table["var"], table["key"])])
            frames.append(pd.DataFrame({"scenario": sid, "category": table["category"],
                                        "period": table["period"], "cost": table["coef"] * x,
                                        "cost_discounted": table["coef"] * table["discount"] * x}))
            if reserved:
                frames.append(pd.DataFrame(
                    [(sid, "reservation", p, c, c * d) for p, c, d in reserved], columns=cols))
        frames = [f for f in frames if len(f)]
        if not frames:
            return pd.DataFrame(columns=cols)
        out = pd.concat(frames, ignore_index=True)
        out = out.groupby(["scenario", "category", "period"], sort=False, as_index=False)[
            ["cost", "cost_discounted"]].sum()
        return out[(out["cost"].abs() > 1e-9)].reset_index(drop=True)

    def arrivals_by_country(self) -> pd.DataFrame:
        """Arrivals at demand sites by origin country in each scenario (model.results.arrivals)."""
        frames = []
        for i, data in enumerate(self.ext.datas):
            a = data.arrivals
            values = [self.value(i, v, k) for v, k in zip(a["var"], a["key"])]
            frames.append(arrivals.by_country(arrivals.detail(data, values)))
        frames = [f.assign(scenario=sid) for sid, f in zip(self.ext.ids, frames) if len(f)]
        if not frames:
            return pd.DataFrame(columns=["scenario", *arrivals.BY_COUNTRY_COLUMNS])
        out = pd.concat(frames, ignore_index=True)
        return out[["scenario", *arrivals.BY_COUNTRY_COLUMNS]]

    def demand_table(self) -> pd.DataFrame:
        frames = []
        for i, (sid, data) in enumerate(zip(self.ext.ids, self.ext.datas)):
            d = data.demand
            unmet = [round(self.value(i, "unmet", k), 7) for k in d["d"]]
            frames.append(pd.DataFrame({"scenario": sid, "demand_id": d["demand_id"],
                                        "site": d["site"], "material": d["material"],
                                        "period": d["period"], "segment": d["segment"],
                                        "quantity_t": d["quantity"], "unmet_t": unmet}))
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def reserved_use(self) -> pd.DataFrame:
        """What each scenario buys of the reserved offers, against the reservation."""
        r = self.ext.first.reserve
        rows = []
        for i, sid in enumerate(self.ext.ids):
            for o, p in zip(r["offer"], r["period"]):
                rows.append((sid, o, p, round(self.first_value("reserve", (o, p)), 7),
                             round(self.value(i, "buy", (o, p)), 7)))
        return pd.DataFrame(rows, columns=["scenario", "offer", "period", "reserved_t", "bought_t"])


def _columns(ext: Extensive, compiled: Compiled):
    block_of = {id(ext.model.sc[i]): i for i in range(len(ext.datas))}
    cols = [dict() for _ in ext.datas]
    first = {}
    for j, v in enumerate(compiled.columns):
        i = block_of.get(id(v.parent_block()))
        key = (v.parent_component().local_name, v.index())
        if i is None:
            first[key] = j
        else:
            cols[i][key] = j
    return cols, first


def evaluate(ext: Extensive, compiled: Compiled, solution: Solution, seconds=None) -> RiskResult:
    """The result of a solve of the extensive form; its solution holds the reported
    decisions: zero below 1e-9, otherwise rounded to 1e-7 (as model/results/extract.py),
    in a new ``Solution`` (the solve's own is left as it was)."""
    if solution.has_solution:
        solution = replace(solution, x=np.where(np.abs(solution.x) < 1e-9, 0.0,
                                                np.round(solution.x, 7)))
    res = RiskResult(solution.status, solution.message, ext, compiled, solution, seconds or {})
    res._cols, res._first_cols = _columns(ext, compiled)
    if not solution.has_solution:
        return res
    x = solution.x
    res.first_cost = float(sum(c * res.first_value("reserve", k) for k, c in ext.first.cost_terms()))
    second = []
    for i, table in enumerate(ext.cost_tables):
        idx = np.array([res._cols[i].get((v, k), -1) for v, k in zip(table["var"], table["key"])],
                       dtype=np.int64)
        vals = np.where(idx >= 0, x[np.maximum(idx, 0)] if len(x) else 0.0, 0.0)
        second.append(float(np.dot(table["coef"].to_numpy(float) * table["discount"].to_numpy(float),
                                   vals)) if len(idx) else 0.0)
    res.second = np.asarray(second, dtype=float)
    res.totals = res.first_cost + res.second
    return res


def solve_extensive(first: FirstStage, ids, probs, datas, options: SolveOptions, **kw) -> RiskResult:
    t0 = time.perf_counter()
    ext = build_extensive(first, ids, probs, datas, **kw)
    t1 = time.perf_counter()
    compiled = compile_model(ext.model)
    t2 = time.perf_counter()
    solution = solve(compiled, options)
    seconds = {"build": t1 - t0, "handover": t2 - t1, "solve": solution.seconds}
    return evaluate(ext, compiled, solution, seconds)
