"""A configured HiGHS and what it returns: the options of a solve, the
``Solution`` in the contract's terms (a plain value, no solver object in it;
a caller that needs the solver afterwards asks ``solve_kept`` for a handle,
or keeps a ``model.solve.warm.WarmModel``), a fresh ``Highs`` set up the same way
every time (one thread, a fixed seed, Ctrl-C and progress callbacks), and the
reading of its answer into a ``Solution``. Shared by ``highs.py`` (the solve)
and ``confirm.py`` (the checks of what HiGHS claims), which import this module
and not each other."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import highspy
import numpy as np

from model import progress, stop
from model.solve.handover import Compiled

log = logging.getLogger(__name__)
THREADS = 1
SEED = 0
MS = highspy.HighsModelStatus


@dataclass
class SolveOptions:
    mip_gap: float = 1e-4
    time_limit_s: float | None = None
    want_duals: bool = True
    canonical: bool = True     # second pass: same cost, ties broken by a fixed order
    highs_options: dict = field(default_factory=dict)   # any other HiGHS option (tests, experts)
    log_file: str | None = None


@dataclass(frozen=True)
class RowRanging:
    """HiGHS's ranging of the row bounds on the LP with the integers fixed, at
    its optimal basis: a row's dual holds while its lower bound stays above
    ``dn[i]`` (a >= row) or its upper bound below ``up[i]``; ``dual`` is the
    row dual at that basis."""
    dual: np.ndarray
    up: np.ndarray
    dn: np.ndarray


@dataclass
class Solution:
    status: str
    message: str = ""
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    seconds: float = 0.0
    solver: str = "HiGHS"
    solver_version: str = ""
    is_mip: bool = False
    x: np.ndarray | None = None          # column values
    row_dual: np.ndarray | None = None   # d objective / d row bound
    col_dual: np.ndarray | None = None   # reduced costs
    row_activity: np.ndarray | None = None
    extra: dict = field(default_factory=dict)
    ranging: RowRanging | None = field(default=None, repr=False)   # asked for: ``solve_kept``

    @property
    def has_solution(self) -> bool:
        return self.x is not None


def highs_version() -> str:
    try:
        h = highspy.Highs()
        return f"{h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}"
    except Exception:  # pragma: no cover - version is informative only
        return "unknown"


class Highs(highspy.Highs):
    """highspy.Highs whose ``run`` can be stopped by Ctrl-C or SIGTERM
    (``model.stop``): HiGHS's interrupt callbacks ask it to stop, and the stop
    is raised as soon as it has returned. When progress is shown (or logged),
    the same callbacks report the solve's time, objective and gap
    (``model.progress``): they only read, so the solver's path is unchanged."""

    def __init__(self):
        super().__init__()
        show = progress.active()
        for event in (self.cbSimplexInterrupt, self.cbIpmInterrupt, self.cbMipInterrupt):
            event += stop.interrupt_callback
            if show:
                event += progress.solver_event

    def run(self):
        with stop.holding():
            status = super().run()
        stop.check()
        return status


def new_highs(options: SolveOptions) -> highspy.Highs:
    h = Highs()
    h.setOptionValue("output_flag", bool(options.log_file))
    if options.log_file:
        h.setOptionValue("log_file", options.log_file)
        h.setOptionValue("log_to_console", False)
    h.setOptionValue("threads", THREADS)
    h.setOptionValue("random_seed", SEED)
    h.setOptionValue("mip_rel_gap", float(options.mip_gap))
    if options.time_limit_s:
        h.setOptionValue("time_limit", float(options.time_limit_s))
    for key, value in options.highs_options.items():
        if h.setOptionValue(key, value) != highspy.HighsStatus.kOk:
            raise ValueError(f"HiGHS refused option {key}={value!r}")
    return h


def read_solution(h, compiled: Compiled, options: SolveOptions) -> Solution:
    """The status, values, bound and (for an LP) duals HiGHS holds after a run."""
    status = h.getModelStatus()
    info = h.getInfo()
    text = h.modelStatusToString(status)
    is_mip = bool(compiled.integer.any())
    has_primal = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
    if status == MS.kOptimal:
        name = "optimal"
    elif status == MS.kInfeasible:
        name = "infeasible"
    elif status == MS.kUnbounded:
        name = "unbounded"
    elif status == MS.kUnboundedOrInfeasible:
        name = "unbounded_or_infeasible"
    elif status == MS.kTimeLimit:
        name = "time_limit"
    elif status in (MS.kIterationLimit, MS.kSolutionLimit, MS.kInterrupt,
                    getattr(MS, "kObjectiveBound", None), getattr(MS, "kObjectiveTarget", None)):
        name = "feasible" if has_primal else "time_limit"
    else:
        name = "error"
    sol = Solution(name, f"HiGHS: {text}")
    if name in ("optimal", "feasible", "time_limit") and has_primal:
        s = h.getSolution()
        sol.x = np.asarray(s.col_value, dtype=float)
        sol.row_activity = np.asarray(s.row_value, dtype=float)
        sol.objective = float(info.objective_function_value)
        if is_mip:
            sol.bound = float(info.mip_dual_bound)
            sol.gap = float(info.mip_gap)
        else:
            sol.bound, sol.gap = sol.objective, 0.0
        if not is_mip and s.dual_valid:
            sol.row_dual = np.asarray(s.row_dual, dtype=float)
            sol.col_dual = np.asarray(s.col_dual, dtype=float)
    return sol
