"""The decomposition engines: mpi-sppy's progressive hedging (PH) and L-shaped
method on the per-scenario models, with certified bounds (issue 18).

Every rank of the MPI job holds the models of its own scenarios (mpi-sppy
spreads the scenarios over the ranks). Bounds on RP = min_x E[T] + lambda CVaR:

- lower: PH's trivial bound (iteration 0: each scenario with its own first
  stage, the wait-and-see value) and the Lagrangian bound of PH's current
  weights W (``PHBase.post_solve_bound``: each scenario solved with W and
  without the proximal term, every ``lagrangian_every`` iterations); for the
  L-shaped method, the bound of its master problem.
- upper: a first-stage decision x^ evaluated in every scenario with the first
  stage fixed (an LP per scenario): phi(x^) = E[T(x^)] + lambda CVaR(T(x^)).
  PH tries x^ = xbar, the probability-weighted mean of the scenarios' first
  stages with binaries rounded (mpi-sppy's ``XhatXbar``), after iteration 0
  and then every iteration; the L-shaped method tries each master solution
  (mpi-sppy's ``Xhat_Eval``).

Each engine stops when (upper - lower) / |upper| <= gap (a PH ``converger``,
an L-shaped ``converger``), at the iteration limit or at the time limit; the
best x^ found is the decision, with every scenario's T_s, C_s and unmet t.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyomo.environ as pyo

from model.risk.outcome import cvar
from model.risk.scenario_models import nonants, scenario_model
from model.risk.sppy_data import Job, Outcome, relative_gap
from model.risk.sppy_solver import register

# rho = RHO_FACTOR x cost: 0.1 closed the gap of tests/test_risk.py's EVENTS sample (20
# scenarios) to 0.15% in 100 iterations, against 1.3% with 1.0 and 2.2% with 10
RHO_FACTOR = 0.1


def run(job: Job, comm) -> Outcome:
    index = {sid: i for i, sid in enumerate(job.ids)}

    def creator(sid, **_):
        from mpisppy.utils import sputils
        i = index[sid]
        ext = scenario_model(job.first, sid, job.datas[i], job.tables[i], job.costs,
                             risk_weight=job.risk_weight, alpha=job.alpha)
        m = ext.model
        sputils.attach_root_node(m, m.first_cost, nonants(m))
        m._mpisppy_probability = job.probs[i]
        return m

    engine = {"ph": _ph, "lshaped": _lshaped}[job.engine]
    return engine(job, comm, creator)


class Incumbent:
    """The best decision so far, its objective phi and every scenario's figures."""

    def __init__(self, job: Job, comm, start: float):
        self.job, self.comm, self.start = job, comm, start
        self.lower, self.upper = -math.inf, math.inf
        self.decision, self.totals, self.history = {}, {}, []

    def gap(self) -> float:
        g = relative_gap(self.lower, self.upper)
        return math.inf if g is None or math.isnan(g) else g

    def reached(self) -> bool:
        return self.gap() <= self.job.gap

    def bound(self, value, iteration: int) -> None:
        if value is not None and math.isfinite(value) and value > self.lower:
            self.lower = float(value)
            self._trace(iteration)

    def offer(self, scenarios: dict, iteration: int) -> None:
        """scenarios: the local models solved with the first stage fixed at x^."""
        local = {sid: _figures(m) for sid, m in scenarios.items()}
        values = {}
        for part in self.comm.allgather(local):
            values.update(part)
        totals = [values[sid][0] for sid in self.job.ids]
        upper = float(np.dot(self.job.probs, totals))
        if self.job.risk_weight:
            upper += self.job.risk_weight * cvar(totals, self.job.probs, self.job.alpha)
        if upper < self.upper:
            self.upper, self.totals = upper, values
            model = next(iter(scenarios.values()), None)
            decision = _decision(model) if model is not None else None
            for part in self.comm.allgather(decision):
                if part is not None:
                    self.decision = part
                    break
            self._trace(iteration)

    def _trace(self, iteration: int) -> None:
        self.history.append((iteration, time.perf_counter() - self.start,
                             self.lower if math.isfinite(self.lower) else None,
                             self.upper if math.isfinite(self.upper) else None))

    def outcome(self, iterations: int, processes: int, seconds: dict) -> Outcome:
        lower = self.lower if math.isfinite(self.lower) else None
        upper = self.upper if math.isfinite(self.upper) else None
        if upper is None:
            status, message = "infeasible", "no first-stage decision was feasible in every scenario"
        elif self.reached():
            status, message = "optimal", f"certified gap {self.gap():.3g} <= {self.job.gap:g}"
        else:
            status, message = "feasible", (f"stopped at a certified gap of {self.gap():.3g} "
                                           f"(asked {self.job.gap:g}) after {iterations} iterations")
        return Outcome(status, message, self.job.engine, processes, lower, upper, iterations,
                       self.decision, self.totals, self.history, dict(seconds))


def _figures(m) -> tuple[float, float, float]:
    """(T_s, C_s, unmet t) of a solved scenario model."""
    second = float(pyo.value(m.sc[0].cost))
    unmet = float(sum(v.value or 0.0 for v in m.sc[0].unmet.values()))
    return float(pyo.value(m.first_cost)) + second, second, unmet


def _decision(m) -> dict:
    return {(var.local_name, k): float(v.value) for var in nonants(m) for k, v in var.items()}


def _solver_options(job: Job) -> dict:
    return {"mipgap": job.mip_gap, "threads": 1, "random_seed": 0}


# --- progressive hedging --------------------------------------------------------------------

def _ph(job: Job, comm, creator) -> Outcome:
    from mpisppy.convergers.converger import Converger
    from mpisppy.extensions.xhatxbar import XhatXbar
    from mpisppy.opt.ph import PH
    from mpisppy.utils import config
    import mpisppy.utils.cfg_vanilla as vanilla

    start = time.perf_counter()
    incumbent = Incumbent(job, comm, start)
    sopts = _solver_options(job)

    class Bounds(XhatXbar):
        """Bounds from inside the PH cylinder: x^ = xbar after iteration 0 and at each
        iteration; the Lagrangian bound of the current W every ``lagrangian_every``."""

        def post_iter0(self):
            super().post_iter0()

        def post_iter0_after_sync(self):
            from mpisppy import phbase
            incumbent.bound(self.opt.trivial_bound, 0)
            phbase._Compute_Xbar(self.opt)
            self._try_xbar(0)

        def miditer(self):
            """PH has just computed xbar and W from its last solves: try xbar, then the
            Lagrangian bound of W (its solves overwrite the variables, which PH's own
            solve that follows does not read)."""
            k = self.opt._PHIter
            if not incumbent.reached():
                self._try_xbar(k)
            if (not incumbent.reached() and job.lagrangian_every
                    and k % job.lagrangian_every == 0):
                incumbent.bound(self.opt.post_solve_bound(solver_options=sopts), k)

        def post_everything(self):
            pass

        def post_solve(self, subproblem, results):
            """Pyomo keeps the solution it loaded (every value, twice: 1.5 MB a scenario
            of the example); the values are in the variables."""
            subproblem.solutions.clear()
            return results

        def _try_xbar(self, k):
            self.opt._save_nonants()
            self.opt.disable_W_and_prox()
            self._fix_nonants_xhat()
            self.opt.solve_loop(solver_options=sopts, need_solution=False)
            if self.opt.no_incumbent_prob() == 0.0:     # x^ feasible in every scenario
                incumbent.offer(self.opt.local_scenarios, k)
            self.opt._restore_nonants()
            self.opt.reenable_W_and_prox()

    class Gap(Converger):
        def __init__(self, opt):
            super().__init__(opt)

        def is_converged(self):
            return incumbent.reached()

    cfg = config.Config()
    cfg.popular_args()
    cfg.ph_args()
    cfg.two_sided_args()
    cfg.solver_name = register()
    cfg.max_iterations = job.max_iterations
    cfg.time_limit = job.time_limit
    cfg.default_rho = 1.0
    cfg.linearize_proximal_terms = True     # HiGHS solves no MIQP
    cfg.intra_hub_conv_thresh = -1.0          # stop on the certified gap, not on PH's metric
    hub = vanilla.ph_hub(cfg, creator, lambda *a: None, list(job.ids),
                         rho_setter=_rho_setter(job))
    kw = hub["opt_kwargs"]
    kw["options"]["xhat_xbar_options"] = {"xhat_solver_options": sopts}
    kw["options"]["iter0_solver_options"] = dict(sopts)
    kw["options"]["iterk_solver_options"] = dict(sopts)
    kw["options"]["solver_options_layers"] = []
    kw.update(extensions=Bounds, ph_converger=Gap)
    ph = PH(**kw)                                 # builds this rank's scenario models
    job.datas[:] = job.tables[:] = [None] * len(job.datas)   # which keep what they need
    built = time.perf_counter()
    ph.ph_main()
    return incumbent.outcome(ph._PHIter, comm.Get_size(),
                             {"build": built - start, "iterate": time.perf_counter() - built})


def _rho_setter(job: Job):
    """Cost-proportional rho (Watson & Woodruff, Comput. Manag. Sci. 8, 2011): a nonant's
    rho is RHO_FACTOR times its discounted cost per unit (the reservation rate, a
    commitment's fixed cost, an investment's capex), at least RHO_FACTOR."""
    delta = job.datas[0].delta
    cost = {("reserve", k): c for k, c in job.first.cost_terms()}
    cost.update({key: c * delta.get(key[1][1], 1.0) for key, c in job.costs.items()})
    cost.update({("invest", k): job.first.invest[k[0]][1] * delta.get(k[1], 1.0)
                 for k in job.first.units})

    def setter(m) -> list:
        return [(id(v), RHO_FACTOR * max(1.0, cost.get((var.local_name, k), 1.0)))
                for var in nonants(m) for k, v in var.items()]
    return setter


# --- the L-shaped method --------------------------------------------------------------------

def _lshaped(job: Job, comm, creator) -> Outcome:
    from mpisppy.opt.lshaped import LShapedMethod
    from mpisppy.utils.xhat_eval import Xhat_Eval

    start = time.perf_counter()
    incumbent = Incumbent(job, comm, start)
    sopts = _solver_options(job)
    names = list(job.ids)
    solver = register()
    options = {"root_solver": solver, "sp_solver": solver,
               "root_solver_options": dict(sopts), "sp_solver_options": dict(sopts),
               "max_iter": job.max_iterations, "verbose": False, "tol": 1e-6}
    if all(bool((t is None) or (t["coef"] >= 0).all()) for t in job.tables):
        options["valid_eta_lb"] = {n: 0.0 for n in names}     # every cost term is >= 0
    method = LShapedMethod(options, names, creator, mpicomm=comm)
    evaluator = Xhat_Eval({"solver_name": solver, "verbose": False, "solver_options": sopts,
                           "iter0_solver_options": sopts, "iterk_solver_options": sopts,
                           "toc": False}, names, creator, lambda *a: None, mpicomm=comm)

    def evaluate(k):
        values = np.array([(round(v.value) if v.is_integer() else v.value) or 0.0
                           for v in method.root_vars])
        evaluator.evaluate({"ROOT": values})
        if evaluator.no_incumbent_prob() == 0.0:
            incumbent.offer(evaluator.local_scenarios, k)

    class Gap:
        """mpi-sppy's L-shaped converger interface: called after each round of cuts."""
        def __init__(self, opt, rank, n_proc):
            self.opt = opt

        def convergence_value(self):
            incumbent.bound(self.opt._LShaped_bound, self.opt.iter)
            evaluate(self.opt.iter)
            return incumbent.gap()

        def is_converged(self):
            late = job.time_limit is not None and time.perf_counter() - start > job.time_limit
            return incumbent.reached() or late

    built = time.perf_counter()
    method.lshaped_algorithm(converger=Gap)
    if not incumbent.reached():            # converged without a last converger call
        incumbent.bound(method._LShaped_bound, method.iter)
        evaluate(method.iter)
    return incumbent.outcome(method.iter + 1, comm.Get_size(),
                             {"build": built - start, "iterate": time.perf_counter() - built})
