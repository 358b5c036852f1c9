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
then computed from its scenario totals, exactly, see ``model.risk.outcome.cvar``). The
frontier adds ``eta + 1/(1-alpha) sum_s p_s u_s <= epsilon`` (cvar_cap). The model is
solved and its answer read by ``model.risk.outcome`` (``solve_extensive``, ``RiskResult``).

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
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from model.formulation import FAMILIES, costs, variables
from model.formulation.expr import add_constraint, linear


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
