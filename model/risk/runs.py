"""The three risk flows in a screenful each: data in, results out.

    run_risk(path)                 -> RiskRun      (two-stage solve, VSS, EVPI)
    run_frontier(path, points)     -> FrontierRun  (expected cost against CVaR)
    run_sample(path, n, seed, ...) -> SampleRun    (Events sample, in and out of sample)

run_risk and run_sample solve the two-stage model with the engine chosen
(``decomposed.py``: the extensive form here, or PH / the L-shaped method under MPI).

Each raises InputError (exit code 2) for an unusable workbook; a model with no
solution comes back with its status.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from model.formulation.costs import cost_table
from model.data.model_data import discount
from model.problems import Problem, Problems
from model.risk.decomposed import Engine, engine_seconds, pick, solve_risk
from model.risk.extensive import first_stage
from model.risk.outcome import RiskResult
from model.risk.frontier import Frontier, efficient_frontier
from model.risk.problem import RiskProblem, load_problem, reservation_costs, risk_settings
from model.risk.sampling import (apply_factors, confidence_interval, evaluate_fixed, event_activity,
                                 read_events, sample)
from model.risk.sppy_data import Outcome
from model.risk.value import StochasticValue, stochastic_value
from model.run import load, model_data, solve_options
from model.solve.highs import SolveOptions


@dataclass
class RiskRun:
    problem: RiskProblem
    result: RiskResult
    value: StochasticValue | None
    seconds: dict = field(default_factory=dict)
    engine: str = "extensive"
    outcome: Outcome | None = None          # of a decomposed engine (bounds, gap, history)


def run_risk(path, options: SolveOptions | None = None, with_value: bool = True,
             engine: Engine | None = None, time_limit_s=None, log_file=None) -> RiskRun:
    """options: the solver's (default: the workbook's Settings, ``time_limit_s``
    and ``log_file`` replacing its own, as in all three flows)."""
    t0 = time.perf_counter()
    problem = load_problem(path)
    t1 = time.perf_counter()
    options = options or solve_options(problem.settings, time_limit_s, log_file)
    engine = engine or Engine()
    datas = [s.data for s in problem.scenarios]
    name = pick(engine, datas)
    first = first_stage(datas, problem.reservation, problem.delta)
    result, outcome = solve_risk(name, first, [s.id for s in problem.scenarios],
                                 problem.probabilities, datas, options, engine,
                                 risk_weight=problem.risk_weight, alpha=problem.alpha)
    t2 = time.perf_counter()
    value = stochastic_value(problem, result, options) if with_value and result.has_solution else None
    seconds = {"read_validate_prepare": t1 - t0, **result.seconds,
               "value": time.perf_counter() - t2}
    seconds.update(engine_seconds(outcome))
    return RiskRun(problem, result, value, seconds, name, outcome)


@dataclass
class FrontierRun:
    problem: RiskProblem
    frontier: Frontier
    seconds: float


def run_frontier(path, points: int, options: SolveOptions | None = None, time_limit_s=None,
                 log_file=None) -> FrontierRun:
    problem = load_problem(path)
    t0 = time.perf_counter()
    frontier = efficient_frontier(problem, points,
                                  options or solve_options(problem.settings, time_limit_s, log_file))
    return FrontierRun(problem, frontier, time.perf_counter() - t0)


@dataclass
class SampleRun:
    path: Path
    sha256: str
    settings: dict
    n: int
    n_out: int
    seed: int
    risk_weight: float
    alpha: float
    in_sample: RiskResult
    out_of_sample: pd.DataFrame | None
    events_table: pd.DataFrame
    hits_table: pd.DataFrame
    warnings: list[Problem]
    seconds: dict
    engine: str = "extensive"
    outcome: Outcome | None = None

    def figures(self) -> dict:
        out = {}
        r = self.in_sample
        if r.has_solution:
            m, h, lo, hi = confidence_interval(r.totals)
            out.update({"in_sample_expected_cost": m, "in_sample_ci95_half_width": h,
                        "in_sample_ci95_low": lo, "in_sample_ci95_high": hi,
                        "in_sample_cvar": r.cvar, "in_sample_objective": r.objective})
        o = self.out_of_sample
        if o is not None and len(o):
            totals = o["total_cost"].to_numpy(float)
            m, h, lo, hi = confidence_interval(totals)
            solved = bool(np.all(np.isfinite(totals)))
            out.update({"out_of_sample_expected_cost": m, "out_of_sample_ci95_half_width": h,
                        "out_of_sample_ci95_low": lo, "out_of_sample_ci95_high": hi,
                        "out_of_sample_cvar": _cvar_equal(totals, self.alpha) if solved else math.nan,
                        "out_of_sample_unsolved": int((~np.isfinite(totals)).sum())})
            if r.has_solution:
                out["optimism_gap"] = m - out["in_sample_expected_cost"]
        return out


def _cvar_equal(values, alpha):
    from model.risk.outcome import cvar
    return cvar(values, np.full(len(values), 1.0 / len(values)), alpha)


def run_sample(path, n: int, seed: int, n_out: int | None = None, workers: int = 1,
               dask: str | None = None, options: SolveOptions | None = None,
               scenario: str | None = None, engine: Engine | None = None, time_limit_s=None,
               log_file=None) -> SampleRun:
    """Sample n scenarios from Events, solve the two-stage model on them, then evaluate its
    first stage on n_out fresh scenarios (seed + 1)."""
    t = {}
    t0 = time.perf_counter()
    wb, _, warnings = load(path, scenario)
    problems = Problems()
    weight, alpha = risk_settings(wb)
    events = read_events(wb, problems)
    if not events and not problems.errors:
        problems.error("Events", None, None, None, "no enabled event: nothing to sample "
                       "(sourcing sample needs an Events sheet)")
    if n < 1:
        problems.error("command line", None, "--n", n, "must be at least 1")
    problems.raise_if_errors()
    base = model_data(wb, merge_demand=False)    # one model row per Demand row (load_problem)
    warnings = list(dict.fromkeys([*warnings, *base.problems.warnings, *problems.warnings]))
    periods = base.periods
    n_out = n if n_out is None else n_out
    inside = sample(events, periods, n, seed)
    t["read_sample"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    datas = [apply_factors(base, f) for f in inside]
    reservation, delta = reservation_costs(wb), discount(wb.settings)
    first = first_stage([base, *datas], reservation, delta)
    options = options or solve_options(wb.settings, time_limit_s, log_file)
    ids = [f"S{i + 1:04d}" for i in range(n)]
    table = cost_table(base)     # events change capacities only: one cost table for all
    engine = engine or Engine()
    name = pick(engine, datas)
    in_sample, outcome = solve_risk(name, first, ids, [1.0 / n] * n, datas, options, engine,
                                    risk_weight=weight, alpha=alpha, cost_tables=[table] * n,
                                    full=False)
    t["in_sample"] = time.perf_counter() - t0
    t.update(engine_seconds(outcome))

    out = None
    fresh = []
    if in_sample.has_solution and n_out > 0:
        t0 = time.perf_counter()
        fresh = sample(events, periods, n_out, seed + 1)
        quick = SolveOptions(mip_gap=options.mip_gap, time_limit_s=options.time_limit_s,
                             want_duals=False, canonical=False)
        out = evaluate_fixed(base, first, in_sample.fixed(), fresh, quick, workers, dask)
        out["scenario"] = [f"O{i + 1:04d}" for i in out["scenario"]]
        t["out_of_sample"] = time.perf_counter() - t0

    act_in = event_activity(events, periods, n, seed)
    act_out = (event_activity(events, periods, n_out, seed + 1) if n_out
               else np.zeros((0, len(events))))
    events_table = pd.DataFrame({
        "event_id": [e.id for e in events], "entity": [e.entity for e in events],
        "id": [e.target for e in events], "probability": [e.probability for e in events],
        "capacity_factor": [e.factor for e in events], "duration": [e.duration for e in events],
        "rows_hit": [len(e.hits) for e in events],
        "in_sample_share": act_in.mean(axis=0) if n else np.nan,
        "out_of_sample_share": act_out.mean(axis=0) if n_out else np.nan})
    hits = [(sid, kind, ident, p, f) for sid, fs in zip(ids, inside) for (kind, ident, p), f in fs]
    hits_table = pd.DataFrame(hits, columns=["scenario", "kind", "id", "period", "capacity_factor"])
    return SampleRun(Path(path), wb.sha256, dict(wb.settings), n, n_out, seed, weight, alpha,
                     in_sample, out, events_table, hits_table, warnings, t, name, outcome)
