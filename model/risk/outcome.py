"""The answer of the two-stage extensive form (``model.risk.extensive``): each scenario's
cost, the expected cost and CVaR, the first-stage decision, and the tables the risk report
shows, read from one solution of the model.

    res = solve_extensive(first, ids, probs, datas, options)    # build, compile, solve, evaluate
    res.expected_cost, res.cvar, res.objective                  # sum_s p_s T_s, CVaR_alpha(T), RP
    res.portfolio()                                             # (reservations, commitments)
    res.scenario_table(), res.cost_by_category(), ...           # the report's sheets

    T_s = F + C_s      F = sum_{o,p} delta_p r[o] reserve[o,p]      C_s = block_s.cost
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from model.results import arrivals
from model.results.extract import clean
from model.risk.extensive import Extensive, FirstStage, Fixed, build_extensive
from model.solve.handover import Compiled, compile_model
from model.solve.highs import Solution, SolveOptions, solve


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
    decisions, cleaned as the report's (``model.results.extract.clean``), in a new
    ``Solution`` (the solve's own is left as it was)."""
    if solution.has_solution:
        solution = replace(solution, x=clean(solution.x))
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
