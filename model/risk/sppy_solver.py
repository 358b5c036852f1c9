"""The solver mpi-sppy calls for each scenario: the project's own hand-over and
HiGHS wrapper behind Pyomo's solver interface (``SolverFactory("sourcing_highs")``).

mpi-sppy solves every scenario model through a Pyomo solver object, over and over
(each PH iteration, each bound, each L-shaped cut). Pyomo's own HiGHS interface
hands a model over constraint by constraint and column by column (measured: 3.9 s
of a 4.5 s scenario solve of the example, profiled); ``compile_model`` (Pyomo's
standard-form compiler to highspy arrays, ``model/solve/handover.py``) and
``solve`` (``model/solve/highs.py``: one thread, a fixed seed, the statuses of the
product) do it in a fraction of that. Each solve compiles the model as it stands
(mpi-sppy changes objectives, fixes and adds rows between solves) and keeps
nothing afterwards: one HiGHS copy at a time per process.

Values come back for every variable of the model (those the compiler left out,
in no active row and not in the objective, at 0 or their nearer bound), and
duals, when the model has an import ``dual`` suffix (the L-shaped method's
cuts), as HiGHS's row duals, the sign convention of Pyomo's ``highs`` interface.
"""

from __future__ import annotations

import datetime
import time

import numpy as np
import pyomo.environ as pyo
from pyomo.common.collections import ComponentMap
from pyomo.contrib.solver.common.base import Availability, SolverBase
from pyomo.contrib.solver.common.config import SolverConfig
from pyomo.contrib.solver.common.factory import SolverFactory
from pyomo.contrib.solver.common.results import Results, SolutionStatus, TerminationCondition
from pyomo.contrib.solver.common.solution_loader import SolutionLoader

from model.solve.handover import compile_model
from model.solve.highs import SolveOptions, highs_version, solve

NAME = "sourcing_highs"

_TERMINATION = {
    "optimal": TerminationCondition.convergenceCriteriaSatisfied,
    "feasible": TerminationCondition.iterationLimit,
    "time_limit": TerminationCondition.maxTimeLimit,
    "infeasible": TerminationCondition.provenInfeasible,
    "unbounded": TerminationCondition.unbounded,
}


class _Loader(SolutionLoader):
    def __init__(self, model, values: ComponentMap, duals: ComponentMap):
        self._pyomo_model, self._values, self._duals = model, values, duals

    def get_number_of_solutions(self) -> int:
        return 1 if self._values else 0

    def get_vars(self, vars_to_load=None):
        if vars_to_load is None:
            return ComponentMap(self._values.items())
        return ComponentMap((v, self._values[v]) for v in vars_to_load)

    def get_duals(self, cons_to_load=None):
        if cons_to_load is None:
            return ComponentMap(self._duals.items())
        return ComponentMap((c, self._duals.get(c, 0.0)) for c in cons_to_load)

    def get_reduced_costs(self, vars_to_load=None):
        raise NotImplementedError("sourcing_highs gives no reduced costs")


def _mip_gap(options: dict) -> float:
    for key in ("mip_rel_gap", "mipgap", "mip_gap"):
        if key in options:
            return float(options[key])
    return 1e-4


class SourcingHighs(SolverBase):
    """HiGHS through the project's standard-form hand-over (see the module docstring)."""
    CONFIG = SolverConfig()

    def available(self) -> Availability:
        return Availability.FullLicense

    def version(self) -> tuple:
        return tuple(int(p) for p in highs_version().split(".") if p.isdigit())

    def solve(self, model, **kwds) -> Results:
        config = self.config(value=kwds, preserve_implicit=True)
        start = datetime.datetime.now(datetime.timezone.utc)
        tick = time.perf_counter()
        dual = model.component("dual")
        want_duals = isinstance(dual, pyo.Suffix) and dual.import_enabled()
        options = SolveOptions(mip_gap=_mip_gap(dict(config.solver_options)),
                               time_limit_s=config.time_limit, want_duals=want_duals,
                               canonical=False)
        compiled = compile_model(model)
        sol = solve(compiled, options)
        results = Results()
        results.solver_name, results.solver_version = NAME, self.version()
        results.solver_config = config
        results.termination_condition = _TERMINATION.get(sol.status, TerminationCondition.error)
        values, duals = ComponentMap(), ComponentMap()
        if sol.has_solution:
            results.solution_status = (SolutionStatus.optimal if sol.status == "optimal"
                                       else SolutionStatus.feasible)
            results.incumbent_objective = sol.objective
            results.objective_bound = sol.bound
            values = _values(model, compiled.columns, sol.x)
            if want_duals and sol.row_dual is not None:
                for con, d in zip(compiled.rows, sol.row_dual):
                    duals[con] = duals.get(con, 0.0) + float(d)
        else:
            results.solution_status = SolutionStatus.noSolution
        results.solution_loader = _Loader(model, values, duals)
        results.timing_info.start_timestamp = start
        results.timing_info.wall_time = time.perf_counter() - tick
        if config.load_solutions and values:
            for var, value in values.items():
                var.set_value(value, skip_validation=True)
        return results


def _values(model, columns, x) -> dict:
    """Every unfixed variable: its column's value, or (left out by the compiler) 0 within
    its bounds."""
    values = ComponentMap((v, float(val)) for v, val in zip(columns, np.asarray(x, dtype=float)))
    for v in model.component_data_objects(pyo.Var, active=True, descend_into=True):
        if v.fixed or v in values:
            continue
        lb, ub = v.lb, v.ub
        values[v] = lb if lb is not None and lb > 0 else ub if ub is not None and ub < 0 else 0.0
    return values


def register() -> str:
    """Register the solver with Pyomo (once per process); returns its name."""
    if NAME not in SolverFactory:
        SolverFactory.register(NAME, doc="HiGHS through the project's hand-over")(SourcingHighs)
        import pyomo.contrib.benders.benders_cuts as benders
        benders.solver_dual_sign_convention[NAME] = benders.solver_dual_sign_convention["highs"]
    return NAME
